// The controller link to an HTTPS controller (a stand-in on loopback): it registers and reports
// when it trusts the controller's certificate (pinned fingerprint or CA file), and with another
// pin it never sends a request, so never the cluster secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { NodeStatus } from '../../contracts/controller-v1.js';
import { createSelfSignedCertificate } from '../../shared/tls/certificate.js';
import { serverTrustOf, type ServerTrust } from '../../shared/tls/server-trust.js';
import { startControllerLink } from './controller-link.js';
import { EventQueue } from './event-queue.js';
import { ids, registration, secret } from './controller-link.fixtures.js';
import type { WitnessAnswer } from './ports.js';


/** An HTTPS stand-in controller that counts the requests that reach it. */
async function httpsController(t: { after: (fn: () => void) => void }) {
  const pair = await createSelfSignedCertificate({ commonName: 'twinrec-controller test', altNames: ['127.0.0.1'] });
  const seen: string[] = [];
  const server = createServer({ cert: pair.certPem, key: pair.keyPem }, (req, res) => {
    seen.push(`${req.url ?? ''} ${req.headers.authorization === `Bearer ${secret}` ? 'with-secret' : 'without'}`);
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/v1/agent/register') return void res.end(JSON.stringify(ids));
      res.end(JSON.stringify({ eventsStored: 0, peer: { alive: true, lastReportAgoMs: 100 } }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  return { pair, seen, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Runs a link for up to `ms` or until it got two witness answers. */
async function runLink(url: string, trust: ServerTrust | null, ms: number): Promise<{ witness: (WitnessAnswer | null)[]; registered: boolean }> {
  const witness: (WitnessAnswer | null)[] = [];
  const link = startControllerLink({ urls: [url], trust, secret, registration: () => registration, reportIntervalMs: () => 20, timeoutMs: 2_000, witnessWindowMs: () => 2_750, status: () => ({}) as NodeStatus, events: new EventQueue(10), onWitness: (answer) => void witness.push(answer), onPolicy: () => undefined, log: pino({ level: 'silent' }) });
  const deadline = Date.now() + ms;
  while (witness.filter((w) => w !== null).length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const registered = link.registered() !== null;
  await link.close();
  return { witness, registered };
}

test('an HTTPS controller trusted by its fingerprint gets the registration and the reports', async (t) => {
  const controller = await httpsController(t);
  const { witness, registered } = await runLink(controller.url, { kind: 'fingerprint', fingerprint: controller.pair.fingerprint256 }, 10_000);
  assert.equal(registered, true);
  assert.deepEqual(witness.filter((w) => w !== null).slice(0, 2).map(({ reachable, peerAlive }) => ({ reachable, peerAlive })), [{ reachable: true, peerAlive: true }, { reachable: true, peerAlive: true }]);
  assert.equal(controller.seen[0], '/api/v1/agent/register with-secret');
});

test('a controller showing another certificate than the pinned one never gets a request, so never the secret', async (t) => {
  const controller = await httpsController(t);
  const other = await createSelfSignedCertificate({ commonName: 'someone else', altNames: ['127.0.0.1'] });
  const { witness, registered } = await runLink(controller.url, { kind: 'fingerprint', fingerprint: other.fingerprint256 }, 1_500);
  assert.equal(registered, false);
  assert.ok(witness.length > 0 && witness.every((w) => w === null), 'every attempt failed: the shell falls back to the TCP witness');
  assert.deepEqual(controller.seen, [], 'no request reached the controller');
});

test('a CA file trusts the controller whose chain ends at it, and not another', async (t) => {
  const controller = await httpsController(t);
  const dir = mkdtempSync(join(tmpdir(), 'twinrec-link-ca-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'controller.pem'), controller.pair.certPem);
  const trusted = await runLink(controller.url, serverTrustOf(controller.url, { caFile: join(dir, 'controller.pem') }, 'controller'), 10_000);
  assert.equal(trusted.registered, true);

  const other = await createSelfSignedCertificate({ commonName: 'another ca', altNames: ['127.0.0.1'] });
  writeFileSync(join(dir, 'other.pem'), other.certPem);
  const before = controller.seen.length;
  const refused = await runLink(controller.url, serverTrustOf(controller.url, { caFile: join(dir, 'other.pem') }, 'controller'), 1_500);
  assert.equal(refused.registered, false);
  assert.equal(controller.seen.length, before, 'no request reached the controller');
});

test('an https controller without a trust setting is refused before anything is sent', () => {
  assert.throws(() => startControllerLink({ urls: ['https://127.0.0.1:1'], secret, registration: () => registration, reportIntervalMs: () => 20, timeoutMs: 2_000, witnessWindowMs: () => 2_750, status: () => ({}) as NodeStatus, events: new EventQueue(10), onWitness: () => undefined, onPolicy: () => undefined, log: pino({ level: 'silent' }) }), /is https: say how to trust it/);
});
