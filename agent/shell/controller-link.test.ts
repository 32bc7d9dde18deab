// The controller link against a stand-in controller: the policy in its answers goes to
// onPolicy as it came, and one the agent would refuse never costs it the witness answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { defaultPolicySettings } from '../../contracts/cluster-policy-v1.js';
import type { NodeStatus } from '../../contracts/controller-v1.js';
import { startControllerLink, type ControllerLinkOptions } from './controller-link.js';
import { EventQueue } from './event-queue.js';
import { ids, registration } from './controller-link.fixtures.js';
import type { WitnessAnswer } from './ports.js';

/** The link's options for the stand-in controller `server`: reporting every 20 ms, logging nothing; `o` overrides. */
function linkTo(server: Server, o: Partial<ControllerLinkOptions> = {}): ControllerLinkOptions {
  return {
    urls: [`http://127.0.0.1:${(server.address() as AddressInfo).port}`],
    secret: 'a-cluster-secret-of-some-length',
    registration: () => registration,
    reportIntervalMs: () => 20,
    timeoutMs: 2_000,
    witnessWindowMs: () => 2_750,
    status: () => ({}) as NodeStatus,
    events: new EventQueue(10),
    onWitness: () => undefined,
    onPolicy: () => undefined,
    log: pino({ level: 'silent' }),
    ...o,
  };
}


test('the policy in the register and report answers goes to onPolicy unvalidated; the witness answer does not depend on it', async (t) => {
  const valid = { version: 2, settings: defaultPolicySettings };
  const invalid = { version: 3, settings: { nonsense: true } };
  const windows: number[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/v1/agent/register') return void res.end(JSON.stringify({ ...ids, policy: valid }));
      windows.push((JSON.parse(body) as { witnessWindowMs: number }).witnessWindowMs);
      res.end(JSON.stringify({ eventsStored: 0, peer: { alive: true, lastReportAgoMs: 100 }, policy: invalid }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const policies: [unknown, string][] = [];
  const witness: (WitnessAnswer | null)[] = [];
  let windowMs = 2_750;
  const link = startControllerLink({
    urls: [`http://127.0.0.1:${(server.address() as AddressInfo).port}`],
    secret: 'a-cluster-secret-of-some-length',
    registration: () => registration,
    reportIntervalMs: () => 20,
    timeoutMs: 2_000,
    witnessWindowMs: () => windowMs,
    status: () => ({}) as NodeStatus,
    events: new EventQueue(10),
    onWitness: (answer) => void witness.push(answer),
    onPolicy: (policy, source) => {
      policies.push([policy, source]);
      windowMs = 5_000;
    },
    log: pino({ level: 'silent' }),
  });
  const deadline = Date.now() + 5_000;
  while (witness.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await link.close();
  assert.deepEqual(policies.slice(0, 2), [[valid, 'register'], [invalid, 'report']]);
  // An answer without the peer's report (an older controller): peerReport null.
  assert.deepEqual(witness.slice(0, 2).map((w) => ({ ...w, sentAtMs: typeof w?.sentAtMs })), [0, 1].map(() => ({ reachable: true, peerAlive: true, peerReport: null, sentAtMs: 'number' })));
  assert.equal(link.registered()?.nodeId, ids.nodeId);
  assert.deepEqual(windows.slice(0, 2), [5_000, 5_000], 'the witness window is read on every report: the peer timeout in force');
});

test('the witness is asked at once when woken, and at the urgent pace while urgent; at the report interval otherwise', async (t) => {
  let reports = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/v1/agent/register') return void res.end(JSON.stringify(ids));
      reports += 1;
      res.end(JSON.stringify({ eventsStored: 0, peer: { alive: false, lastReportAgoMs: 5_000 } }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  let urgent = false;
  const link = startControllerLink(
    linkTo(server, {
      // An hour: any report after the first comes from wake() or urgency.
      reportIntervalMs: () => 3_600_000,
      urgent: () => urgent,
    }),
  );
  t.after(() => link.close());
  const until = async (what: string, done: () => boolean): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${reports} reports)`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  await until('the first report', () => reports === 1);
  urgent = true;
  link.wake();
  await until('urgent reports', () => reports >= 4);
  urgent = false;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const settled = reports;
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(reports, settled, 'back at the report interval once no longer urgent');
});

// Fails if the witness answer loses what the core's isolation rule rests on: the send time of
// the report it answers (no later than the send), and what the peer said in its last report.
test('the witness answer carries the send time of the report it answers and the peer\'s last report', async (t) => {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/v1/agent/register') return void res.end(JSON.stringify(ids));
      setTimeout(() => res.end(JSON.stringify({ eventsStored: 0, peer: { alive: true, lastReportAgoMs: 100, state: 'WAIT', serving: false, epoch: 4, uptimeSeconds: 60 } })), 30);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const witness: { answer: WitnessAnswer | null; atMs: number }[] = [];
  const startedMs = performance.now();
  const link = startControllerLink(linkTo(server, { onWitness: (answer) => void witness.push({ answer, atMs: performance.now() }) }));
  const deadline = Date.now() + 5_000;
  while (witness.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await link.close();
  const [first, second] = witness;
  assert.deepEqual(first?.answer?.peerReport, { state: 'WAIT', serving: false, epoch: 4, upMs: 60_100 });
  const sent = [first?.answer?.sentAtMs, second?.answer?.sentAtMs];
  assert.ok(sent.every((ms) => ms !== undefined && ms >= startedMs), `sent after the link started (${sent.join(', ')})`);
  // The server answers 30 ms after a report arrives: each send time is at least that before its answer.
  assert.ok((first?.atMs ?? 0) - (sent[0] ?? Infinity) >= 30 && (second?.atMs ?? 0) - (sent[1] ?? Infinity) >= 30, 'the send time, not the answer\'s');
  assert.ok((sent[1] ?? 0) >= (first?.atMs ?? Infinity), 'one report at a time');
});

// A replaced protected server's agent that comes back is refused 409 at registration: it must back
// off (the registration's backoff with jitter), never spin, and log why.
test('a registration refused 409 is retried with a growing backoff, and the log names the problem and its detail', async (t) => {
  const registrations: number[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/api/v1/agent/register') {
        registrations.push(performance.now());
        if (registrations.length <= 3) {
          res.statusCode = 409;
          res.setHeader('content-type', 'application/problem+json');
          return void res.end(JSON.stringify({ type: 'urn:twinrec:problem:pool-shared-address-taken', title: 'taken', status: 409, detail: 'RS-2 serves 127.0.0.1:7601 in this pool' }));
        }
        res.setHeader('content-type', 'application/json');
        return void res.end(JSON.stringify(ids));
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ eventsStored: 0, peer: { alive: true, lastReportAgoMs: 100 } }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const lines: string[] = [];
  const link = startControllerLink(linkTo(server, { log: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }) }));
  t.after(() => link.close());
  const deadline = Date.now() + 15_000;
  while (link.registered() === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(link.registered()?.nodeId, ids.nodeId, 'registered once the controller takes it');
  assert.equal(registrations.length, 4, 'three refusals, then the one taken: no spinning');
  const gaps = registrations.slice(1).map((at, i) => at - (registrations[i] as number));
  // 500 ms, then 1 s, then 2 s, each ±25 %: every wait is at least the last one's floor.
  assert.ok(gaps.every((gap, i) => gap >= 375 * 2 ** i), `backoff: ${gaps.map(Math.round).join(', ')} ms`);
  const refused = lines.map((line) => JSON.parse(line) as { msg: string; err?: string }).find((l) => l.msg.startsWith('controller registration failed'));
  assert.equal(refused?.err, 'HTTP 409 pool-shared-address-taken: RS-2 serves 127.0.0.1:7601 in this pool');
});
