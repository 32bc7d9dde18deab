import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pace, sliceMsAfterTurn } from './pace.js';

test('the slice that gives a share of the time: turn × share / (1 − share), within its bounds', () => {
  const share = { workShareMin: 0.25, sliceMsMax: 50 };
  assert.equal(sliceMsAfterTurn(60, 4, share), 20);
  assert.equal(sliceMsAfterTurn(1, 4, share), 4, 'never below the slice');
  assert.equal(sliceMsAfterTurn(1_000, 4, share), 50, 'never above the bound');
  assert.throws(() => new Pace(undefined, 4, { workShareMin: 1, sliceMsMax: 50 }), RangeError);
  assert.throws(() => new Pace(undefined, 4, { workShareMin: 0.25, sliceMsMax: 2 }), RangeError);
});

test('under a busy event loop, work that asked for a share gets longer slices; work that did not keeps its slice', async () => {
  // Other work holding the event loop for 30 ms between turns, as a backlog of reports does.
  let busy = true;
  const hog = (): void => {
    const until = performance.now() + 30;
    while (performance.now() < until);
    if (busy) setImmediate(hog);
  };
  setImmediate(hog);
  try {
    const shared = new Pace(undefined, 4, { workShareMin: 0.25, sliceMsMax: 25 });
    const plain = new Pace(undefined, 4);
    await shared.turn();
    await plain.turn();
    // The turn took at least one 30 ms hog: a quarter of the time is at least a 10 ms slice.
    assert.ok(shared.currentSliceMs >= 10, `slice ${shared.currentSliceMs} ms after a turn of ≥ 30 ms`);
    assert.ok(shared.currentSliceMs <= 25);
    assert.equal(plain.currentSliceMs, 4);
  } finally {
    busy = false;
  }
});
