import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultRetryBounds, nextRetryMs, retrySchedule } from './retry.js';

test('the retry schedule doubles from the base to the cap, with jitter, and ends after the last attempt', () => {
  assert.deepEqual(retrySchedule(defaultRetryBounds, () => 1), [1_000, 2_000, 4_000, 8_000, 16_000]);
  assert.deepEqual(retrySchedule(defaultRetryBounds, () => 0), [500, 1_000, 2_000, 4_000, 8_000]);
  assert.deepEqual(retrySchedule({ attemptsMax: 4, delayMsBase: 100, delayMsMax: 250 }, () => 1), [100, 200, 250]);
  assert.equal(nextRetryMs(defaultRetryBounds.attemptsMax, defaultRetryBounds, () => 1), null);
  assert.equal(nextRetryMs(1, { ...defaultRetryBounds, attemptsMax: 1 }, () => 1), null, 'one attempt: no retry');
  // The whole retrying of one delivery is bounded.
  const totalMs = retrySchedule({ attemptsMax: 20, delayMsBase: 600_000, delayMsMax: 3_600_000 }, () => 1).reduce((a, b) => a + b, 0);
  assert.ok(totalMs <= 19 * 3_600_000);
});
