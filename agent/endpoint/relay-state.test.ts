import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimRelay, emptyRelay, releaseRelay } from './relay-state.js';

const a = { nodeId: 'a', host: '127.0.0.1', port: 1001 };
const b = { nodeId: 'b', host: '127.0.0.1', port: 1002 };

test('a higher epoch wins, a lower or equal foreign one is fenced, an exact repeat is idempotent', () => {
  let s = claimRelay(emptyRelay, 2, a).state;
  assert.deepEqual(claimRelay(s, 1, b).outcome, { accepted: false, currentEpoch: 2 });
  assert.deepEqual(claimRelay(s, 2, b).outcome, { accepted: false, currentEpoch: 2 });
  assert.deepEqual(claimRelay(s, 2, a), { state: s, outcome: { accepted: true } });
  s = claimRelay(s, 3, b).state;
  assert.deepEqual(s, { epoch: 3, target: b });
});

test('only the holder of the current epoch releases; the epoch never goes back', () => {
  const s = claimRelay(emptyRelay, 4, a).state;
  assert.deepEqual(releaseRelay(s, 3, 'a'), s);
  assert.deepEqual(releaseRelay(s, 4, 'b'), s);
  const released = releaseRelay(s, 4, 'a');
  assert.deepEqual(released, { epoch: 4, target: null });
  assert.deepEqual(releaseRelay(released, 4, 'a'), released, 'idempotent');
  assert.equal(claimRelay(released, 4, a).outcome.accepted, false, 'a released epoch cannot be reclaimed');
});
