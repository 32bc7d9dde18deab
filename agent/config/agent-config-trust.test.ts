// agent.yaml: how the agent trusts an https controller and an https recording server
// (controller.* and recorder.* fingerprint, caFile, systemTrust), refused at load when unclear.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadAgentConfig } from './agent-config.js';
import { validAgentConfig } from './agent-config.fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'twinrec-agent-trust-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const fingerprint = 'ab'.repeat(32);
const canonical = 'AB:'.repeat(31) + 'AB';
const valid = validAgentConfig;
let files = 0;
const load = (config: unknown) => {
  const path = join(dir, `agent-${(files += 1)}.json`);
  writeFileSync(path, JSON.stringify(config));
  return loadAgentConfig(path);
};

test('an https controller is trusted by its fingerprint (stored canonical), a CA file (resolved beside the file) or the system CAs', () => {
  const pinned = load({ ...valid, controller: { url: 'https://twinrec.example:8740', fingerprint } });
  assert.deepEqual(pinned.controller?.fingerprints, [canonical]);
  const ca = load({ ...valid, controller: { url: 'https://twinrec.example:8740', caFile: 'ca/site.pem' } });
  assert.equal(ca.controller?.caFile, join(dir, 'ca', 'site.pem'));
  assert.equal(load({ ...valid, controller: { url: 'https://twinrec.example:8740', systemTrust: true } }).controller?.systemTrust, true);
});

test('an https controller with no trust setting, or with two, is refused with what to set', () => {
  assert.throws(() => load({ ...valid, controller: { url: 'https://twinrec.example:8740' } }), /controller: https:\/\/twinrec\.example:8740 is https: set exactly one of controller\.fingerprint/);
  assert.throws(() => load({ ...valid, controller: { url: 'https://twinrec.example:8740', fingerprint, systemTrust: true } }), /set exactly one of controller\.fingerprint/);
  assert.throws(() => load({ ...valid, controller: { url: 'https://twinrec.example:8740', fingerprint: 'not-hex' } }), /controller\.fingerprint: a SHA-256 fingerprint/);
  assert.throws(() => load({ ...valid, controller: { url: 'http://127.0.0.1:8740', fingerprint } }), /need an https:\/\/ URL/);
});

test('a plain-http controller beyond loopback is refused: the cluster secret would cross the network in clear', () => {
  assert.throws(() => load({ ...valid, controller: { url: 'http://10.0.0.5:8740' } }), /controller\.url: http:\/\/10\.0\.0\.5:8740 is plain http:\/\/ beyond loopback/);
  assert.deepEqual(load({ ...valid, controller: { url: 'http://localhost:8740' } }).controller?.urls, ['http://localhost:8740']);
});

test('an https recording server is trusted by its certificate fingerprint or its CA; without one it is refused', () => {
  const pinned = load({ ...valid, recorder: { ...valid.recorder, webServerUrl: 'https://rs-a:7563/', fingerprint } });
  assert.equal(pinned.recorder.fingerprint, canonical);
  const ca = load({ ...valid, recorder: { ...valid.recorder, webServerUrl: 'https://rs-a:7563/', caFile: '/etc/xprotect/ca.pem' } });
  assert.equal(ca.recorder.caFile, '/etc/xprotect/ca.pem');
  assert.throws(() => load({ ...valid, recorder: { ...valid.recorder, webServerUrl: 'https://rs-a:7563/' } }), /recorder: https:\/\/rs-a:7563\/ is https: set exactly one of recorder\.fingerprint/);
});
