import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EmittedFrames, type FrameRun } from './emitted-frames.js';

const camera = '11111111-2222-4333-8444-555555555555';

function expand(runs: readonly FrameRun[]): number[] {
  return runs.flatMap((run) => Array.from({ length: run.last - run.first + 1 }, (_, i) => run.first + i));
}

describe('EmittedFrames', () => {
  it('keeps a steady stream as one run, and a skip or reconnect as a new one', () => {
    const emitted = new EmittedFrames();
    for (let n = 100; n <= 199; n += 1) emitted.record(camera, 'recorder-1a', n);
    for (let n = 205; n <= 210; n += 1) emitted.record(camera, 'recorder-1a', n);
    for (let n = 150; n <= 160; n += 1) emitted.record(camera, 'recorder-1b', n);
    assert.deepEqual(emitted.query(camera, 0, 1_000), [
      { recorder: 'recorder-1a', runs: [{ first: 100, last: 199 }, { first: 205, last: 210 }], completeFromIndex: null },
      { recorder: 'recorder-1b', runs: [{ first: 150, last: 160 }], completeFromIndex: null },
    ]);
    assert.deepEqual(emitted.query(camera, 190, 206)[0]?.runs, [{ first: 190, last: 199 }, { first: 205, last: 206 }], 'clipped to the window');
    assert.deepEqual(emitted.query('99999999-2222-4333-8444-555555555555', 0, 1_000), [], 'a camera nothing was sent of');
  });

  it('holds exactly the frame numbers recorded, in any order, duplicates included (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 400 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (indexes, a, b) => {
        const emitted = new EmittedFrames();
        for (const n of indexes) emitted.record(camera, 'r', n);
        const [from, to] = a <= b ? [a, b] : [b, a];
        const runs = emitted.query(camera, from, to)[0]?.runs ?? [];
        const want = [...new Set(indexes)].filter((n) => n >= from && n <= to).sort((x, y) => x - y);
        assert.deepEqual(expand(runs), want);
        // Runs are sorted, disjoint and never adjacent (adjacent ones are merged).
        for (let i = 1; i < runs.length; i += 1) assert.ok((runs[i] as FrameRun).first > (runs[i - 1] as FrameRun).last + 1);
      }),
      { numRuns: 300 },
    );
  });

  it('forgets the oldest runs beyond its bound and says from which frame the list is complete', () => {
    const emitted = new EmittedFrames({ runsPerRecorderMax: 3, recordersPerCameraMax: 4 });
    for (const n of [10, 20, 30, 40, 41, 50]) emitted.record(camera, 'r', n);
    const [only] = emitted.query(camera, 0, 100);
    assert.deepEqual(only?.runs, [{ first: 30, last: 30 }, { first: 40, last: 41 }, { first: 50, last: 50 }]);
    assert.equal(only?.completeFromIndex, 21);
  });

  it('keeps at most recordersPerCameraMax recorder names, forgetting the one written to least recently', () => {
    const emitted = new EmittedFrames({ runsPerRecorderMax: 10, recordersPerCameraMax: 2 });
    emitted.record(camera, 'a', 1);
    emitted.record(camera, 'b', 1);
    emitted.record(camera, 'a', 2);
    emitted.record(camera, 'c', 2);
    assert.deepEqual(emitted.query(camera, 0, 10).map((e) => e.recorder), ['a', 'c']);
  });

  it('refuses a frame number that is not a non-negative integer, and limits below 1', () => {
    const emitted = new EmittedFrames();
    assert.throws(() => emitted.record(camera, 'r', -1), /non-negative integer/);
    assert.throws(() => emitted.record(camera, 'r', 1.5), /non-negative integer/);
    assert.throws(() => new EmittedFrames({ runsPerRecorderMax: 0, recordersPerCameraMax: 1 }), /at least 1/);
  });
});
