import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { accountFrames, framesOfRuns, gridFrames, nearestFault, type CameraWindow } from './frame-accounting.js';

const set = (...times: number[]): Set<number> => new Set(times);

describe('frame accounting', () => {
  it('tells apart frames on both nodes, on one node, emitted but stored nowhere, and never emitted', () => {
    const camera: CameraWindow = {
      cameraId: 'cam-1',
      expectedMs: [0, 100, 200, 300, 400],
      emittedMs: new Map([
        ['rec-a', set(0, 100, 200)],
        ['rec-b', set(0, 100, 300)],
      ]),
      storedMs: new Map([
        ['rec-a', set(0, 100)],
        ['rec-b', set(0)],
      ]),
    };
    const result = accountFrames([camera]);
    assert.equal(result.expected, 5);
    assert.equal(result.onBothNodes, 1, 'frame 0');
    assert.equal(result.onOneNodeOnly, 1, 'frame 100, on rec-a only');
    assert.deepEqual(result.shortfallByNode.get('rec-b'), { frames: 1, notEmittedToIt: 0 }, 'rec-b was sent 100 and did not store it');
    assert.deepEqual(result.shortfallByNode.get('rec-a'), { frames: 0, notEmittedToIt: 0 });
    assert.equal(result.emittedNotStored, 2, 'frames 200 (sent to rec-a) and 300 (sent to rec-b)');
    assert.equal(result.neverEmitted, 1, 'frame 400');
    assert.equal(result.lost, 3);
    assert.equal(result.camerasWithLoss, 1);
    assert.equal(result.offGrid, 0);
    assert.equal(accountFrames([{ ...camera, storedMs: new Map([['rec-a', set(0, 150)], ['rec-b', set(0)]]) }]).offGrid, 1, 'a frame stored at 150 ms is off the 10 fps grid');
    assert.deepEqual(result.losses, [
      { cameraId: 'cam-1', fromMs: 200, toMs: 200, frames: 1, kind: 'emitted-not-stored', emittedTo: ['rec-a'] },
      { cameraId: 'cam-1', fromMs: 300, toMs: 300, frames: 1, kind: 'emitted-not-stored', emittedTo: ['rec-b'] },
      { cameraId: 'cam-1', fromMs: 400, toMs: 400, frames: 1, kind: 'never-emitted', emittedTo: [] },
    ]);
  });

  it('lists consecutive lost frames of one kind as one run, and at most lossesListedMax runs', () => {
    const camera = (cameraId: string): CameraWindow => ({
      cameraId,
      expectedMs: [0, 100, 200, 300, 400, 500],
      emittedMs: new Map([['rec-a', set(100, 200, 300)]]),
      storedMs: new Map([['rec-a', set(0, 500)], ['rec-b', set()]]),
    });
    const result = accountFrames([camera('c1'), camera('c2')], 2);
    assert.equal(result.lost, 8);
    assert.deepEqual(result.losses, [
      { cameraId: 'c1', fromMs: 100, toMs: 300, frames: 3, kind: 'emitted-not-stored', emittedTo: ['rec-a'] },
      { cameraId: 'c1', fromMs: 400, toMs: 400, frames: 1, kind: 'never-emitted', emittedTo: [] },
    ]);
    assert.throws(() => accountFrames([], -1), /non-negative integer/);
  });

  it('adds up: every expected frame is in exactly one class, and the list is bounded (property)', () => {
    const times = fc.uniqueArray(fc.integer({ min: 0, max: 40 }).map((n) => n * 100), { maxLength: 41 });
    fc.assert(
      fc.property(fc.array(fc.tuple(times, times, times, times), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 5 }), (cams, listMax) => {
        const windows: CameraWindow[] = cams.map(([ea, eb, sa, sb], i) => ({
          cameraId: `cam-${i}`,
          expectedMs: Array.from({ length: 41 }, (_, n) => n * 100),
          emittedMs: new Map([['a', new Set(ea)], ['b', new Set(eb)]]),
          storedMs: new Map([['a', new Set(sa)], ['b', new Set(sb)]]),
        }));
        const r = accountFrames(windows, listMax);
        assert.equal(r.onBothNodes + r.onOneNodeOnly + r.neverEmitted + r.emittedNotStored, r.expected);
        const shortfall = [...r.shortfallByNode.values()].reduce((sum, s) => sum + s.frames, 0);
        assert.equal(shortfall, r.onOneNodeOnly, 'with two nodes each one-node frame is one node short');
        assert.ok(r.losses.length <= listMax && (r.lost === 0 || listMax === 0 || r.losses.length > 0));
        assert.ok(r.losses.reduce((sum, l) => sum + l.frames, 0) <= r.lost);
      }),
      { numRuns: 200 },
    );
  });

  it('finds the nearest fault with a signed offset', () => {
    const faults = [{ atMs: 1_000, label: 'kill 1' }, { atMs: 3_000, label: 'kill 2' }];
    assert.deepEqual(nearestFault(1_500, faults), { label: 'kill 1', offsetMs: 500 });
    assert.deepEqual(nearestFault(2_900, faults), { label: 'kill 2', offsetMs: -100 });
    assert.equal(nearestFault(0, []), null);
  });

  it('expands emitted runs and grids on the camera grid, also when 1000 is not a multiple of fps', () => {
    assert.deepEqual(gridFrames(1_000, 1_300, 10), [1_000, 1_100, 1_200, 1_300]);
    assert.deepEqual(gridFrames(1_001, 1_299, 10), [1_100, 1_200]);
    assert.deepEqual(gridFrames(0, 1_000, 7), [0, 142, 285, 428, 571, 714, 857, 1_000]);
    assert.deepEqual([...framesOfRuns([{ firstMs: 142, frames: 3 }, { firstMs: 857, frames: 2 }], 7)], [142, 285, 428, 857, 1_000]);
  });
});
