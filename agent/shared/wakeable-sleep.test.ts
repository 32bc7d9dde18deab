import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WakeableSleep } from './wakeable-sleep.js';

const settled = async <T>(p: Promise<T>): Promise<boolean> => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

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
});

test('a wake while nobody sleeps ends the next sleep at once, and only that one', async () => {
  const s = new WakeableSleep();
  s.wakeAll(); // the loop is mid-round: the change must not wait a whole interval
  assert.equal(await settled(s.sleep(60_000)), true, 'the next sleep ends at once');
  const later = s.sleep(60_000);
  assert.equal(await settled(later), false, 'the wake is spent: the sleep after it waits');
  s.wakeAll();
  assert.equal(await settled(later), true);
  // Waking sleepers leaves nothing pending.
  assert.equal(await settled(s.sleep(60_000).then(() => undefined)), false);
  s.wakeAll();
});
