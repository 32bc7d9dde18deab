import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DeliveryQueue, deliveryAttemptsMax, retryDelayMs, retryDelayMsBase, retryDelayMsMax } from './delivery-queue.js';

test('the queue keeps at most its capacity and drops the oldest', () => {
  const queue = new DeliveryQueue<number>(3);
  const dropped = [1, 2, 3, 4, 5].map((n) => queue.push(n));
  assert.deepEqual(dropped, [undefined, undefined, undefined, 1, 2]);
  assert.equal(queue.size, 3);
  assert.equal(queue.shift(), 3);
  assert.deepEqual(queue.clear(), [4, 5]);
  assert.throws(() => new DeliveryQueue(0), RangeError);
});

test('retry delays grow exponentially within [half, all] of the ceiling, never past the cap', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
      const ceiling = Math.min(retryDelayMsMax, retryDelayMsBase * 2 ** Math.min(attempt - 1, 30));
      const delay = retryDelayMs(attempt, () => r);
      assert.ok(delay >= Math.floor(ceiling / 2) && delay <= ceiling, `${attempt}: ${delay} of ${ceiling}`);
    }),
  );
  assert.equal(retryDelayMs(1, () => 1), retryDelayMsBase);
  assert.equal(retryDelayMs(2, () => 1), retryDelayMsBase * 2);
  // The whole retrying of one event is bounded: at most the sum of every ceiling.
  let totalMs = 0;
  for (let attempt = 1; attempt < deliveryAttemptsMax; attempt += 1) totalMs += retryDelayMs(attempt, () => 1);
  assert.ok(totalMs <= 120_000, `${totalMs} ms of retries at most`);
});
