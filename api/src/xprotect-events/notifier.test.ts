// The notifier with a real event bus and real TCP Event Servers on 127.0.0.1: what it sends,
// that the bus never waits for it, retries until an Event Server comes back, and its bounds.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { after, test } from 'node:test';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { EventRow } from '../db/entities/index.js';
import { DataMissingTracker } from '../domain/data-missing.js';
import { EventBus } from '../domain/event-bus.js';
import { NodeStatusCache } from '../domain/node-status.js';
import { createGenericEventMetrics } from './metrics.js';
import { GenericEventNotifier, type NotifierOptions } from './notifier.js';
import { sendGenericEvent } from './sender.js';
import { defaultGenericEventSettings, type GenericEventSettings } from './settings.js';
import { until } from '../../../shared/testing/until.js';

const clusterId = randomUUID();
const nodeA = randomUUID();
const nodeB = randomUUID();
const log = pino({ level: 'silent' });
const servers: Server[] = [];
after(() => Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))));

/** An International data source that records each message and echoes statistics; `silent` answers nothing. */
async function eventServer(port = 0, silent = false): Promise<{ port: number; messages: string[]; close(): Promise<void> }> {
  const messages: string[] = [];
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const text = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        messages.push(text);
        if (!silent) socket.write(`${messages.length},${text.length},1,twinrec\r\n`);
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function settingsFor(port: number, readTimeoutMs = 1_000): GenericEventSettings {
  const defaults = defaultGenericEventSettings();
  return { ...defaults, enabled: true, eventServer: { host: '127.0.0.1', port, format: 'international', readTimeoutMs } };
}

function notifier(overrides: Partial<NotifierOptions> = {}): { notifier: GenericEventNotifier; bus: EventBus; registry: Registry } {
  const bus = new EventBus();
  const statuses = new NodeStatusCache({ staleAfterMs: 10_000 });
  const registry = new Registry();
  const n = new GenericEventNotifier({
    bus,
    statuses,
    dataMissing: new DataMissingTracker(statuses),
    names: () => Promise.resolve({ cluster: 'pair-1', nodes: new Map([[nodeA, 'rs-a'], [nodeB, 'rs-b']]) }),
    send: sendGenericEvent,
    metrics: createGenericEventMetrics(registry),
    log,
    retryDelayMsBase: 20,
    retryDelayMsMax: 200,
    ...overrides,
  });
  n.start();
  return { notifier: n, bus, registry };
}

const failoverRow = (nodeId = nodeB): EventRow => ({ id: randomUUID(), time: new Date(), clusterId, nodeId, kind: 'failover.claiming', severity: 'warning', message: 'serving under epoch 5 (peer-dead)', data: { epoch: 5, reason: 'peer-dead' } });

test('a failover stored in the controller reaches the Event Server as its generic event; a kind turned off does not', async () => {
  const server = await eventServer();
  const { notifier: n, bus, registry } = notifier();
  const settings = settingsFor(server.port);
  n.apply({ ...settings, kinds: { ...settings.kinds, 'node-down': { enabled: false, message: 'x' } } });
  bus.publish([{ ...failoverRow(), kind: 'node.agent-lost', data: { staleAfterMs: 10_000 } }, failoverRow()]);
  await until(() => n.status().sent === 1);
  assert.deepEqual(server.messages, ['twinrec failover pair-1: rs-b serves, rs-a failed (peer-dead)']);
  assert.match(await registry.metrics(), /twinrec_xprotect_generic_events_sent_total\{kind="failover"\} 1/);
  n.stop();
});

test('nothing is sent while generic events are off', async () => {
  const server = await eventServer();
  const { notifier: n, bus } = notifier();
  n.apply({ ...settingsFor(server.port), enabled: false });
  bus.publish([failoverRow()]);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(server.messages, []);
  assert.equal(n.status().queued, 0);
  n.stop();
});

test('the bus never waits for a silent Event Server, and the event is retried until one answers', async () => {
  const silent = await eventServer(0, true);
  const { notifier: n, bus, registry } = notifier();
  n.apply(settingsFor(silent.port, 200));
  const started = performance.now();
  bus.publish([failoverRow()]);
  const publishMs = performance.now() - started;
  console.log(`bus.publish returned after ${publishMs.toFixed(2)} ms with a silent Event Server`);
  await until(() => n.status().lastError !== null);
  // The Event Server comes back on the same port: the waiting event goes out with a later retry.
  await silent.close();
  const back = await eventServer(silent.port);
  await until(() => n.status().sent === 1, 15_000);
  assert.equal(back.messages.length, 1);
  assert.match(await registry.metrics(), /twinrec_xprotect_generic_event_attempts_failed_total\{kind="failover",reason="(timeout|unreachable)"\} [1-9]/);
  assert.equal(n.status().lastError, null);
  n.stop();
});

test('retries are bounded: after the last one the event is dropped and counted', async () => {
  const gone = await eventServer();
  await gone.close();
  const { notifier: n, bus, registry } = notifier({ attemptsMax: 3 });
  n.apply(settingsFor(gone.port));
  bus.publish([failoverRow()]);
  await until(() => n.status().dropped === 1);
  assert.equal(n.status().queued, 0);
  assert.match(await registry.metrics(), /twinrec_xprotect_generic_events_dropped_total\{kind="failover",reason="retries-exhausted"\} 1/);
  assert.match(await registry.metrics(), /attempts_failed_total\{kind="failover",reason="unreachable"\} 3/);
  n.stop();
});

test('a full queue drops its oldest event, counted, and sends the newest once the Event Server is back', async () => {
  const gone = await eventServer();
  await gone.close();
  const { notifier: n, bus, registry } = notifier({ queueMax: 2, retryDelayMsBase: 200, retryDelayMsMax: 200 });
  n.apply(settingsFor(gone.port));
  for (const epoch of [1, 2, 3, 4]) bus.publish([{ ...failoverRow(), data: { epoch, reason: `r${epoch}` } }]);
  await until(() => n.status().dropped >= 2);
  assert.equal(n.status().queued, 2);
  assert.match(await registry.metrics(), /dropped_total\{kind="failover",reason="queue-full"\} 2/);
  const back = await eventServer(gone.port);
  await until(() => back.messages.length === 2, 15_000);
  assert.deepEqual(back.messages.map((m) => /\((r\d)\)/.exec(m)?.[1]), ['r3', 'r4']);
  n.stop();
});

test('a controller that loses the generic-events lease drops what waits (counted as lease-lost) and sends nothing more until it holds it again', async () => {
  // A port nothing listens on: every attempt fails, so what is published waits for its retry.
  const closed = await eventServer();
  await closed.close();
  const { notifier: n, bus, registry } = notifier({ retryDelayMsBase: 60_000, retryDelayMsMax: 60_000 });
  n.apply(settingsFor(closed.port, 200));
  bus.publish([failoverRow(), failoverRow()]);
  await until(() => n.status().queued === 2);
  n.standDown('lease renew-overdue');
  assert.equal(n.status().queued, 0);
  assert.match(await registry.metrics(), /twinrec_xprotect_generic_events_dropped_total\{kind="failover",reason="lease-lost"\} 2/);
  // Not listening: another controller sends what happens now.
  bus.publish([failoverRow()]);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(n.status().queued, 0);

  // Held again: it listens again, and what was dropped is not sent.
  const server = await eventServer();
  n.apply(settingsFor(server.port));
  n.start();
  const again = failoverRow();
  bus.publish([again]);
  await until(() => n.status().sent === 1);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(server.messages.length, 1);
  n.stop();
});
