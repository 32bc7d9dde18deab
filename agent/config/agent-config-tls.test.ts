// agent.yaml's TLS rules: every link that carries the cluster secret is HTTPS with a pin, or
// plain HTTP on loopback, unless api.tls.insecurePlainHttp accepts it by name.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { apiTlsEnabled, loadAgentConfig } from './agent-config.js';

const dir = mkdtempSync(join(tmpdir(), 'twinrec-agent-config-tls-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const fingerprint = 'ab'.repeat(32);

const valid = {
  cluster: { name: 'pair-1', sharedAddress: '10.0.0.50:7563', secretFile: 'cluster.secret' },
  node: { id: 'rs-a', rank: 0, hostName: '10.0.0.11' },
  peer: { id: 'rs-b', heartbeat: { host: '10.0.0.12', port: 8742 }, agentUrl: 'https://10.0.0.12:8741' },
  heartbeat: { listen: { host: '10.0.0.11', port: 8742 } },
  api: { listen: { host: '10.0.0.11', port: 8741 } },
  recorder: { webServerUrl: 'http://127.0.0.1:7563/', tokenUrl: 'http://127.0.0.1/IDP/connect/token', username: 'svc', passwordFile: 'password' },
  service: { kind: 'windows-service' },
  servingEndpoint: { kind: 'relay', controlUrl: 'https://10.0.0.50:8750', fingerprint },
  witness: { address: { host: '10.0.0.1', port: 443 } },
  stateDir: 'state',
};

let files = 0;
const load = (value: unknown) => {
  const path = join(dir, `agent-${(files += 1)}.json`);
  writeFileSync(path, JSON.stringify(value));
  return loadAgentConfig(path);
};

test('beyond loopback the API is HTTPS by default, with its certificate in the state folder', () => {
  const config = load(valid);
  assert.equal(apiTlsEnabled(config.api), true);
  assert.equal(config.api.tls.certFile, join(dir, 'state', 'tls', 'agent-api.crt'));
  assert.equal(config.api.tls.keyFile, join(dir, 'state', 'tls', 'agent-api.key'));
  assert.equal(config.servingEndpoint.kind === 'relay' ? config.servingEndpoint.fingerprint : null, 'AB:'.repeat(31) + 'AB', 'fingerprints are kept canonical');
});

test('on loopback it is plain HTTP unless asked (the demo), and on when asked', () => {
  const loopback = { ...valid, api: { listen: { host: '127.0.0.1', port: 0 } } };
  assert.equal(apiTlsEnabled(load(loopback).api), false);
  assert.equal(apiTlsEnabled(load({ ...loopback, api: { ...loopback.api, tls: { mode: 'on' } } }).api), true);
});

test('plain HTTP beyond loopback is refused, naming the key, unless accepted by name', () => {
  const off = { ...valid, api: { ...valid.api, tls: { mode: 'off' } }, peer: { ...valid.peer, agentUrl: 'http://10.0.0.12:8741' }, servingEndpoint: { kind: 'relay', controlUrl: 'http://10.0.0.50:8750' } };
  assert.throws(() => load(off), (err: Error) => /api\.tls\.mode: is off on 10\.0\.0\.11/.test(err.message) && /peer\.agentUrl: is plain http/.test(err.message) && /servingEndpoint\.controlUrl: is plain http/.test(err.message));
  const accepted = load({ ...off, api: { ...off.api, tls: { mode: 'off', insecurePlainHttp: true } } });
  assert.equal(apiTlsEnabled(accepted.api), false);
});

test('an https relay needs its fingerprint, and a fingerprint must be one', () => {
  assert.throws(() => load({ ...valid, servingEndpoint: { kind: 'relay', controlUrl: 'https://10.0.0.50:8750' } }), /servingEndpoint\.fingerprint: required with an https controlUrl/);
  assert.throws(() => load({ ...valid, servingEndpoint: { kind: 'relay', controlUrl: 'https://10.0.0.50:8750', fingerprint: 'AB:CD' } }), /servingEndpoint\.fingerprint: a SHA-256 fingerprint/);
  assert.throws(() => load({ ...valid, peer: { ...valid.peer, agentFingerprint: 'nope' } }), /peer\.agentFingerprint/);
});

test('certFile and keyFile go together, and advertisedUrl says the scheme the API speaks', () => {
  assert.throws(() => load({ ...valid, api: { ...valid.api, tls: { certFile: 'a.crt' } } }), /api\.tls\.keyFile: certFile and keyFile go together/);
  assert.throws(() => load({ ...valid, api: { ...valid.api, advertisedUrl: 'http://rs-a.example:8741' } }), /api\.advertisedUrl: must be an https:\/\/ URL/);
  assert.equal(load({ ...valid, api: { ...valid.api, advertisedUrl: 'https://rs-a.example:8741' } }).api.advertisedUrl, 'https://rs-a.example:8741');
});
