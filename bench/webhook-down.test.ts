import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deadReceiver, webhookCountersOf } from './webhook-down.js';

test('the counters are read from a Prometheus exposition; a counter not yet incremented is 0', () => {
  const metrics = [
    '# HELP twinrec_webhook_deliveries_total Webhook delivery attempts by outcome',
    '# TYPE twinrec_webhook_deliveries_total counter',
    'twinrec_webhook_deliveries_total{outcome="failed"} 17',
    'twinrec_webhook_deliveries_total{outcome="dropped"} 3',
    '# TYPE twinrec_webhook_queue_depth gauge',
    'twinrec_webhook_queue_depth 5',
    'twinrec_webhook_queue_depth_other 9',
  ].join('\n');
  assert.deepEqual(webhookCountersOf(metrics), { delivered: 0, failed: 17, dropped: 3, queueDepth: 5 });
});

test('metrics without the webhook gauge are refused, not read as zeros', () => {
  assert.throws(() => webhookCountersOf('twinrec_up 1\n'), /twinrec_webhook_queue_depth/);
});

test('the refused receiver refuses the connection', async () => {
  const receiver = await deadReceiver('refused');
  try {
    await assert.rejects(fetch(receiver.url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(5_000) }), (err: Error) => (err.cause as { code?: string } | undefined)?.code === 'ECONNREFUSED');
  } finally {
    await receiver.close();
  }
});

test('the hanging receiver accepts the connection and never answers', async () => {
  const receiver = await deadReceiver('hanging');
  try {
    await assert.rejects(fetch(receiver.url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(500) }), { name: 'TimeoutError' });
    assert.equal(receiver.accepted(), 1);
  } finally {
    await receiver.close();
  }
});
