import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { camerasNotReceivedByAll, type EmittedAnswer } from './hub-emitted.js';

describe('hub emitted frames', () => {
  const answer = (runsB: Array<{ firstMs: number; lastMs: number; frames: number }>): EmittedAnswer => ({
    truncated: false,
    cameras: [
      {
        cameraId: 'c1',
        fps: 10,
        recorders: [
          { recorder: 'a', completeFromMs: null, runs: [{ firstMs: 1_000, lastMs: 2_000, frames: 11 }] },
          { recorder: 'b', completeFromMs: null, runs: runsB },
        ],
      },
    ],
  });

  it('says which cameras a recorder missed frames of within the window', () => {
    assert.deepEqual(camerasNotReceivedByAll(answer([{ firstMs: 1_000, lastMs: 2_000, frames: 11 }]), ['c1'], ['a', 'b'], 1_000, 2_000), []);
    assert.deepEqual(camerasNotReceivedByAll(answer([{ firstMs: 1_300, lastMs: 2_000, frames: 8 }]), ['c1'], ['a', 'b'], 1_000, 2_000), ['c1'], 'b connected late');
    assert.deepEqual(camerasNotReceivedByAll(answer([{ firstMs: 1_000, lastMs: 1_400, frames: 5 }, { firstMs: 1_600, lastMs: 2_000, frames: 5 }]), ['c1'], ['a', 'b'], 1_000, 2_000), ['c1'], 'a frame skipped');
    assert.deepEqual(camerasNotReceivedByAll(answer([]), ['c1'], ['a'], 1_000, 2_000), [], 'only the recorders asked about count');
    assert.deepEqual(camerasNotReceivedByAll(answer([]), ['c2'], ['a'], 1_000, 2_000), ['c2'], 'a camera the hub does not list');
  });
});
