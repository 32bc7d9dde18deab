// The controller link with two controllers (stand-ins on loopback sharing one event store, as two
// controllers share one database): it reports to the first, moves to the second when the first
// fails, does not go back while the second answers, and loses no event on the way: a report
// whose answer was lost goes again, with the same event ids. HTTPS controllers, each with its own
// self-signed certificate, are trusted by a list of fingerprints, any of which may match.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { test } from 'node:test';
import { pino } from 'pino';
import type { AgentEvent, NodeStatus } from '../../contracts/controller-v1.js';
import { createSelfSignedCertificate } from '../../shared/tls/certificate.js';
import { startControllerLink, type ControllerLink } from './controller-link.js';
import type { ControllerTrust } from './controller-link-trust.js';
import { EventQueue } from './event-queue.js';
import { ids, registration, secret } from './controller-link.fixtures.js';
import type { WitnessAnswer } from './ports.js';


/** The shared database of the stand-ins: each event stored once by its id, and every copy that arrived counted. */
class EventStore {
  readonly stored = new Map<string, string>();
  copies = 0;
  store(events: readonly AgentEvent[], by: string): void {
    for (const e of events) {
      this.copies += 1;
      if (!this.stored.has(e.id)) this.stored.set(e.id, by);
    }
  }
}

interface StandIn {
  readonly name: string;
  readonly url: string;
  readonly requests: string[];
  /** The next report's events are stored, then its connection is cut: the answer is lost. */
  loseNextAnswer(): void;
  /** Like kill -9: open connections reset, the port refuses. */
  kill(): Promise<void>;
}

async function standIn(name: string, store: EventStore, t: { after: (fn: () => Promise<void> | void) => void }, tls?: { certPem: string; keyPem: string }): Promise<StandIn> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let loseAnswer = false;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push(`${req.url ?? ''} ${req.headers.authorization === `Bearer ${secret}` ? 'with-secret' : 'without'}`);
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/v1/agent/register') return void res.end(JSON.stringify(ids));
      store.store((JSON.parse(body) as { events: AgentEvent[] }).events, name);
      if (loseAnswer) {
        loseAnswer = false;
        return void req.socket.destroy();
      }
      res.end(JSON.stringify({ eventsStored: 0, peer: { alive: true, lastReportAgoMs: 100 } }));
    });
  };
  const server: Server = tls === undefined ? createHttpServer(handler) : createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, handler);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  let alive = true;
  const kill = async (): Promise<void> => {
    if (!alive) return;
    alive = false;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  t.after(kill);
  return { name, url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, loseNextAnswer: () => void (loseAnswer = true), kill };
}

function link(urls: string[], events: EventQueue, witness: (WitnessAnswer | null)[], trust: ControllerTrust | null = null): ControllerLink {
  return startControllerLink({ urls, trust, secret, registration: () => registration, reportIntervalMs: () => 20, timeoutMs: 2_000, witnessWindowMs: () => 2_750, status: () => ({}) as NodeStatus, events, onWitness: (answer) => void witness.push(answer), onPolicy: () => undefined, log: pino({ level: 'silent' }) });
}

async function until(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const reports = (s: StandIn): number => s.requests.filter((r) => r.startsWith('/api/v1/agent/report')).length;
const event = (n: number) => ({ kind: 'test.event', severity: 'info' as const, message: `event ${n}`, data: { n } });

test('the first controller fails: reports move to the next, no event is lost, and a report whose answer was lost goes again with the same ids', async (t) => {
  const store = new EventStore();
  const a = await standIn('a', store, t);
  const b = await standIn('b', store, t);
  const events = new EventQueue(1_000);
  const witness: (WitnessAnswer | null)[] = [];
  const l = link([a.url, b.url], events, witness);
  t.after(() => l.close());
  const pushed: string[] = [];
  let n = 0;
  const pushSome = (count: number): void => {
    for (let i = 0; i < count; i += 1) pushed.push(events.push(event((n += 1))).id);
  };
  pushSome(5);
  await until('the first controller stores the first events', () => store.stored.size >= 5);
  assert.equal(l.controllerUrl(), a.url);
  assert.equal(b.requests.length, 0, 'the second controller is not asked while the first answers');

  // The first controller stores a report and its answer is lost; then it dies, with events queued around it.
  a.loseNextAnswer();
  pushSome(3);
  await until('the lost answer', () => store.copies >= 8);
  await a.kill();
  pushSome(4);
  await until('every event stored', () => pushed.every((id) => store.stored.has(id)));
  await until('the queue emptied', () => events.length === 0);
  assert.equal(l.controllerUrl(), b.url);
  assert.equal(b.requests.filter((r) => r.startsWith('/api/v1/agent/register')).length, 0, 'no new registration: the controllers share the database');
  const lost = [...store.stored].filter(([, by]) => by === 'a').map(([id]) => id).slice(5);
  assert.ok(lost.length === 3, `the events of the report whose answer was lost were stored by the first (${lost.length})`);
  assert.ok(store.copies >= pushed.length + 3, 'and sent again: stored once each, by id');
  assert.ok(witness.some((w) => w === null), 'the failed report counted as an unreachable witness (the TCP fallback is asked)');
  assert.ok(witness.at(-1)?.reachable === true, 'the second controller is the witness now');

  // The second keeps answering: the link stays with it.
  const before = reports(b);
  await until('more reports to the second', () => reports(b) >= before + 5);
  assert.equal(l.controllerUrl(), b.url);
});

test('two answering controllers never take turns; when the one in use fails the link wraps around to the first', async (t) => {
  const store = new EventStore();
  const a = await standIn('a', store, t);
  const b = await standIn('b', store, t);
  const c = await standIn('c', store, t);
  const l = link([a.url, b.url, c.url], new EventQueue(100), []);
  t.after(() => l.close());
  await until('reports to the first', () => reports(a) >= 2);
  await a.kill();
  await until('reports to the second', () => reports(b) >= 3);
  const third = reports(c);
  await until('more reports to the second', () => reports(b) >= 10);
  assert.equal(reports(c), third, 'the third is not asked while the second answers');
  await b.kill();
  // The first is dead, so from the second: the third, next in order.
  await until('reports to the third', () => reports(c) >= third + 3);
  assert.equal(l.controllerUrl(), c.url);
});

test('HTTPS controllers with their own self-signed certificates: trusted by a list of fingerprints, any of which may match; a certificate not listed gets nothing', async (t) => {
  const store = new EventStore();
  const [certA, certB, stranger] = await Promise.all(['controller a', 'controller b', 'someone else'].map((commonName) => createSelfSignedCertificate({ commonName, altNames: ['127.0.0.1'] })));
  if (certA === undefined || certB === undefined || stranger === undefined) throw new Error('no certificates');
  const a = await standIn('a', store, t, certA);
  const b = await standIn('b', store, t, certB);
  const s = await standIn('s', store, t, stranger);
  const events = new EventQueue(100);
  // Listed in the other order than the URLs: each controller is pinned to the certificate it shows, once it is a listed one.
  const l = link([s.url, a.url, b.url], events, [], { kind: 'fingerprints', fingerprints: [certA.fingerprint256, certB.fingerprint256] });
  t.after(() => l.close());
  const first = events.push(event(1)).id;
  await until('the first listed certificate\'s controller stores the event', () => store.stored.get(first) === 'a');
  assert.deepEqual(s.requests, [], 'the controller whose certificate is not listed got no request, so never the secret');
  assert.equal(a.requests[0], '/api/v1/agent/register with-secret');
  await a.kill();
  const second = events.push(event(2)).id;
  await until('the second controller stores the next event', () => store.stored.get(second) === 'b');
  assert.deepEqual(s.requests, []);
});
