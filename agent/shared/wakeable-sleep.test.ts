import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WakeableSleep } from './wakeable-sleep.js';

test('a sleep ends at its time, or at once when woken; every sleeper wakes', async () => {
  const s = new WakeableSleep();
  let ended = 0;
  const a = s.sleep(60_000).then(() => (ended += 1));
  const b = s.sleep(60_000).then(() => (ended += 1));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(ended, 0);
  s.wakeAll();
  await Promise.all([a, b]);
  assert.equal(ended, 2);
  await s.sleep(1);
  s.wakeAll(); // nothing sleeping: nothing happens
});
