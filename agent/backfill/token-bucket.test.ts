import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from './token-bucket.js';

test('the bucket grants up to one second of the rate at once, then paces to the rate', () => {
  const bucket = new TokenBucket(1_000_000, 0);
  assert.equal(bucket.take(600_000, 0), 0);
  assert.equal(bucket.take(600_000, 0), 200);
  assert.equal(bucket.take(600_000, 200), 0);
  // Over 10 simulated seconds, the bytes granted stay within one bucket of rate × time.
  let granted = 0;
  let nowMs = 200;
  while (nowMs < 10_200) {
    const waitMs = bucket.take(250_000, nowMs);
    if (waitMs === 0) granted += 250_000;
    nowMs += Math.max(1, waitMs);
  }
  assert.ok(granted <= 10_000_000 + 1_000_000, `granted ${granted}`);
  assert.ok(granted >= 9_000_000, `granted ${granted}`);
});

test('a block larger than the bucket passes once the bucket is full, and the debt slows what follows', () => {
  const bucket = new TokenBucket(100_000, 0);
  assert.equal(bucket.take(300_000, 0), 0, 'a full bucket lets a large block through');
  const waitMs = bucket.take(50_000, 0);
  assert.ok(waitMs >= 2_000, `the debt of 200 kB costs 2 s and more, got ${waitMs}`);
});

test('a lower rate from a new policy takes effect at once', () => {
  const bucket = new TokenBucket(1_000_000, 0);
  bucket.setRate(10_000, 0);
  assert.equal(bucket.take(10_000, 0), 0);
  assert.equal(bucket.take(10_000, 0), 1_000);
  assert.throws(() => bucket.setRate(0, 0));
});
