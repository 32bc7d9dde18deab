import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Slots } from './slots.js';

class Full extends Error {}

/** A job that runs until released. */
function gate(): { job: () => Promise<string>; open: () => void; started: () => boolean } {
  let open = () => {};
  let started = false;
  const done = new Promise<void>((resolve) => (open = resolve));
  return {
    job: async () => {
      started = true;
      await done;
      return 'done';
    },
    open: () => open(),
    started: () => started,
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Slots', () => {
  test('at most concurrentMax run, queuedMax wait in order, the rest are refused at once', async () => {
    const slots = new Slots(2, 2, () => new Full('full'));
    const jobs = Array.from({ length: 4 }, gate);
    const runs = jobs.map((j) => slots.run(j.job));
    await tick();
    assert.deepEqual(jobs.map((j) => j.started()), [true, true, false, false]);
    assert.deepEqual(slots.load, { running: 2, queued: 2 });
    let ranRefused = false;
    await assert.rejects(
      slots.run(async () => {
        ranRefused = true;
      }),
      Full,
    );
    assert.equal(ranRefused, false);
    jobs[1]?.open();
    await tick();
    assert.deepEqual(jobs.map((j) => j.started()), [true, true, true, false], 'the first waiting job takes the freed slot');
    for (const j of jobs) j.open();
    assert.deepEqual(await Promise.all(runs), ['done', 'done', 'done', 'done']);
    assert.deepEqual(slots.load, { running: 0, queued: 0 });
  });

  test('a failing job frees its slot', async () => {
    const slots = new Slots(1, 0, () => new Full('full'));
    await assert.rejects(slots.run(() => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await slots.run(async () => 7), 7);
  });

  test('bounds are checked', () => {
    assert.throws(() => new Slots(0, 1, () => new Full()), RangeError);
    assert.throws(() => new Slots(1, -1, () => new Full()), RangeError);
  });
});
