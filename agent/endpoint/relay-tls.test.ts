// The relay's control API over TLS: its certificate made at first start beside the state file,
// the agents' claims pinned to it, and a client that pins another certificate never reaching it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { pino } from 'pino';
import { createSelfSignedCertificate } from '../../shared/tls/certificate.js';
import { RelayEndpoint } from './relay-client.js';
import { startRelay } from './relay-server.js';
import { relayControlTls } from './relay-tls.js';
import { EndpointError } from './serving-endpoint.js';

const dir = mkdtempSync(join(tmpdir(), 'twinrec-relay-tls-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const secret = 'relay-secret-for-tests-0123';
const target = { nodeId: 'rs-a', host: '127.0.0.1', port: 9 };

describe('relay control TLS choice', () => {
  test('plain on loopback, HTTPS beyond it or when asked, with a certificate kept beside the state file', async () => {
    const stateFile = join(dir, 'choice', 'relay-state.json');
    assert.equal(await relayControlTls({ controlHost: '127.0.0.1', forceTls: false, stateFile, insecurePlainHttp: false }), null);
    const made = await relayControlTls({ controlHost: '127.0.0.1', forceTls: true, stateFile, insecurePlainHttp: false });
    assert.ok(made !== null);
    assert.equal(statSync(join(dir, 'choice', 'relay-control.key')).mode & 0o777, 0o600);
    const again = await relayControlTls({ controlHost: '10.0.0.5', forceTls: false, stateFile, insecurePlainHttp: false });
    assert.equal(again?.fingerprint256, made.fingerprint256, 'the same certificate at every start: agents pinned it');
    await assert.rejects(relayControlTls({ controlHost: '10.0.0.5', forceTls: false, insecurePlainHttp: false }), /--tls-cert.*--state-file.*--insecure-plain-http/);
    assert.equal(await relayControlTls({ controlHost: '10.0.0.5', forceTls: false, insecurePlainHttp: true }), null);
    await assert.rejects(relayControlTls({ controlHost: '10.0.0.5', forceTls: true, insecurePlainHttp: true }), /contradicts/);
  });
});

describe('relay control API over TLS (real sockets, loopback)', () => {
  test('claims pinned to its certificate work; a client pinning another never reaches the handler', async () => {
    const tls = await relayControlTls({ controlHost: '127.0.0.1', forceTls: true, stateFile: join(dir, 'run', 'relay-state.json'), insecurePlainHttp: false });
    assert.ok(tls !== null);
    const relay = await startRelay({ listenHost: '127.0.0.1', listenPort: 0, controlHost: '127.0.0.1', controlPort: 0, secret, tls, log: pino({ level: 'silent' }) });
    try {
      assert.match(relay.controlUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
      const other = await createSelfSignedCertificate({ commonName: 'impostor', altNames: ['127.0.0.1'] });
      const misled = new RelayEndpoint(relay.controlUrl, secret, 5_000, other.fingerprint256);
      await assert.rejects(misled.claim(3, target), (err: Error) => err instanceof EndpointError && /not the one pinned/.test(err.message));
      assert.deepEqual(relay.state(), { epoch: 0, target: null }, 'the claim never reached the relay');

      const pinned = new RelayEndpoint(relay.controlUrl, secret, 5_000, tls.fingerprint256);
      assert.deepEqual(await pinned.claim(3, target), { accepted: true });
      assert.equal(relay.state().epoch, 3);
      assert.equal(relay.state().target?.nodeId, 'rs-a');
      // Not pinned at all: an https control URL without a fingerprint is refused before any request.
      assert.throws(() => new RelayEndpoint(relay.controlUrl, secret, 5_000), /needs the fingerprint/);
    } finally {
      await relay.close();
    }
  });
});
