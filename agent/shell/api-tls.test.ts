// A real agent (in this process, real sockets on loopback) whose API speaks HTTPS: its
// certificate made at first start (mode 0600) and kept across restarts, and a client that pins
// another certificate (or trusts the system's CAs) never reaching a handler.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { pino } from 'pino';
import { STORAGE_MARKER } from '../../media-store/layout.js';
import { createSelfSignedCertificate, fingerprintOf } from '../../shared/tls/certificate.js';
import { pinnedFetch } from '../../shared/tls/pinned-fetch.js';
import { BackfillPeerClient, PeerUnavailableError } from '../backfill/peer-client.js';
import { loadAgentConfig } from '../config/agent-config.js';
import { startAgent } from './agent.js';

const dir = mkdtempSync(join(tmpdir(), 'twinrec-agent-tls-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const secret = 'agent-tls-secret-for-tests-0123';

/** A port nothing listens on: the recorder, its IDP and the lab service are away. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The agent's log lines, to see which handlers ran. */
function logSink(): { log: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter((line) => line !== ''));
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

describe('the agent API over HTTPS (a real agent, loopback)', { timeout: 60_000 }, () => {
  test('its certificate is made once (0600) and pinned clients reach it; others never reach a handler', async () => {
    const away = await closedPort();
    writeFileSync(join(dir, 'cluster.secret'), secret, { mode: 0o600 });
    writeFileSync(join(dir, 'password'), 'pw', { mode: 0o600 });
    mkdirSync(join(dir, 'storage'), { recursive: true });
    writeFileSync(join(dir, 'storage', STORAGE_MARKER), JSON.stringify({ format: 'twinrec-lab-storage', version: 1 }));
    const configFile = join(dir, 'agent.json');
    writeFileSync(configFile, JSON.stringify({
      cluster: { name: 'pair-1', sharedAddress: '127.0.0.1:7563', secretFile: 'cluster.secret' },
      node: { id: 'rs-a', rank: 0 },
      peer: { id: 'rs-b', heartbeat: { host: '127.0.0.1', port: away }, agentUrl: `https://127.0.0.1:${away}` },
      heartbeat: { listen: { host: '127.0.0.1', port: 0 } },
      api: { listen: { host: '127.0.0.1', port: 0 }, tls: { mode: 'on' } },
      recorder: { webServerUrl: `http://127.0.0.1:${away}/`, tokenUrl: `http://127.0.0.1:${away}/IDP/connect/token`, username: 'svc', passwordFile: 'password' },
      service: { kind: 'lab', controlUrl: `http://127.0.0.1:${away}`, recorderName: 'rs-a' },
      servingEndpoint: { kind: 'command', command: ['/bin/true'] },
      witness: { address: { host: '127.0.0.1', port: away } },
      cameraNames: { enabled: false },
      storage: { adapter: 'lab-format', root: 'storage' },
      stateDir: 'state',
    }));
    const config = loadAgentConfig(configFile);
    const { log, lines } = logSink();
    const agent = await startAgent(config, log);
    let fingerprint: string;
    try {
      assert.match(agent.apiUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
      const certFile = join(dir, 'state', 'tls', 'agent-api.crt');
      assert.equal(statSync(join(dir, 'state', 'tls', 'agent-api.key')).mode & 0o777, 0o600);
      fingerprint = fingerprintOf(readFileSync(certFile, 'utf8'));
      assert.equal(agent.apiFingerprint, fingerprint);

      const auth = { authorization: `Bearer ${secret}` };
      const state = await pinnedFetch(`${agent.apiUrl}/api/v1/state`, fingerprint, { headers: auth });
      assert.equal(state.status, 200);
      assert.equal(((await state.json()) as { nodeName: string }).nodeName, 'rs-a');

      const received = (): number => lines.filter((line) => line.includes('"event":"command.received"')).length;
      const command = { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ command: 'maintenance-on', actor: 'test' }) };
      const other = await createSelfSignedCertificate({ commonName: 'impostor', altNames: ['127.0.0.1'] });
      await assert.rejects(pinnedFetch(`${agent.apiUrl}/api/v1/commands`, other.fingerprint256, command), (err: Error) => (err.cause as { code?: string } | undefined)?.code === 'CERT_PIN_MISMATCH');
      await assert.rejects(fetch(`${agent.apiUrl}/api/v1/commands`, command), 'a client that trusts only the system CAs refuses the self-signed certificate');
      assert.equal(received(), 0, 'neither request reached the command handler');
      const done = await pinnedFetch(`${agent.apiUrl}/api/v1/commands`, fingerprint, command);
      await done.body?.cancel();
      assert.equal(received(), 1, 'the pinned request did');

      // The backfill source, as the peer's client reaches it: pinned, or not sent at all.
      const peerClient = (pin: string | null): BackfillPeerClient => new BackfillPeerClient({ baseUrl: agent.apiUrl, secret, timeoutMs: 5_000, peerFingerprint: () => pin });
      assert.deepEqual((await peerClient(fingerprint).listCameras()).cameraIds, []);
      await assert.rejects(peerClient(null).listCameras(), (err: Error) => err instanceof PeerUnavailableError && /not known yet/.test(err.message));
      await assert.rejects(peerClient(other.fingerprint256).listCameras(), (err: Error) => err instanceof PeerUnavailableError && /not the pinned one/.test(err.message));
      assert.ok(!lines.some((line) => line.includes(secret)), 'the secret is never logged');
    } finally {
      await agent.close();
    }
    const again = await startAgent(config, pino({ level: 'silent' }));
    try {
      assert.equal(again.apiFingerprint, fingerprint, 'the same certificate after a restart: the controller and the peer pinned it');
    } finally {
      await again.close();
    }
  });
});
