// The dispatcher with a real event bus and a real receiver on 127.0.0.1 that refuses (500): a
// controller that loses the webhooks lease drops what waits, counted, and delivers nothing more
// until it holds the lease again.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { EventRow } from '../db/entities/index.js';
import { EventBus } from '../domain/event-bus.js';
import { WebhookDispatcher } from './dispatcher.js';
import { createWebhookMetrics } from './metrics.js';
import { sendWebhook } from './sender.js';
import { until } from '../../../shared/testing/until.js';

const servers: Server[] = [];
after(() => Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))));

/** A receiver that answers `status` and records the event id of every request. */
async function receiver(status: number): Promise<{ url: string; eventIds: string[] }> {
  const eventIds: string[] = [];
  const server = createServer((req, res) => {
    eventIds.push(String(req.headers['x-twinrec-event-id']));
    req.resume();
    req.on('end', () => {
      res.statusCode = status;
      res.end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, eventIds };
}

const row = (): EventRow => ({ id: randomUUID(), time: new Date(), clusterId: null, nodeId: null, kind: 'failover.claiming', severity: 'warning', message: 'took over', data: {} });

test('losing the webhooks lease drops what waits for a retry, counted as dropped; held again, only new events go out', async () => {
  const refusing = await receiver(500);
  const bus = new EventBus();
  const registry = new Registry();
  const dispatcher = new WebhookDispatcher({
    bus,
    send: sendWebhook,
    names: () => Promise.resolve({ cluster: null, nodes: new Map() }),
    record: () => Promise.resolve(),
    metrics: createWebhookMetrics(registry),
    log: pino({ level: 'silent' }),
    userAgent: 'twinrec/test',
    timeoutMs: 2_000,
    retry: { attemptsMax: 5, delayMsBase: 60_000, delayMsMax: 60_000 },
  });
  const target = { id: 'w1', name: 'hook', url: refusing.url, secret: 's'.repeat(32), enabled: true, filter: { eventKinds: ['*'], severityMin: 'info' as const, clusterId: null } };
  dispatcher.replaceAll([target]);
  dispatcher.start();
  const first = [row(), row()];
  bus.publish(first);
  // Each tried once, refused (the answer taken: counted as failed), and now waiting a minute for its retry.
  const failed = async (): Promise<boolean> => /^twinrec_webhook_deliveries_total\{outcome="failed"\} 2$/m.test(await registry.metrics());
  for (const deadline = Date.now() + 10_000; !(await failed()); ) {
    if (Date.now() > deadline) throw new Error('timed out waiting for both refusals');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.equal(refusing.eventIds.length, 2);
  assert.equal(dispatcher.depth, 2);
  dispatcher.standDown('lease renew-overdue');
  assert.equal(dispatcher.depth, 0);
  const metrics = await registry.metrics();
  assert.match(metrics, /^twinrec_webhook_deliveries_total\{outcome="dropped"\} 2$/m);
  assert.match(metrics, /^twinrec_webhook_queue_depth 0$/m);
  // Not listening: another controller delivers what is stored now.
  bus.publish([row()]);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(refusing.eventIds.length, 2);

  const accepting = await receiver(204);
  dispatcher.apply('w1', { ...target, url: accepting.url });
  dispatcher.start();
  const later = row();
  bus.publish([later]);
  await until(() => accepting.eventIds.length === 1);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(accepting.eventIds, [later.id], 'the dropped deliveries are not sent after all');
  dispatcher.stop();
});
