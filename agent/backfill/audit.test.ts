import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { auditCamera, summarizeAudit, type CameraAudit, type CameraAuditInput, type StoredEntry } from './audit.js';

/** A block with frames from startMs to endMs (inclusive). */
const recorded = (startMs: number, endMs: number, fps = 10): StoredEntry => ({ state: 'recorded', startMs, endMs, fps, frameCount: 1, bytes: 1_000, sha256: `sha-${startMs}-${endMs}` });
const placeholder = (startMs: number, endMs: number, fps = 10): StoredEntry => ({ state: 'placeholder', startMs, endMs, fps, frameCount: 0, bytes: 0, sha256: null });
/** The 10 s block of slot `slot` at 10 fps: frames at slot*10 s, …, +9.9 s. */
const slot = (n: number): StoredEntry => recorded(n * 10_000, n * 10_000 + 9_900);
const audit = (input: Partial<CameraAuditInput>): CameraAudit => auditCamera({ cameraId: 'c1', own: [], ownUnindexed: [], peer: [], retentionStartMs: 0, ...input });

describe('gap audit', () => {
  it('a node holding what its peer holds misses nothing', () => {
    const result = audit({ own: [slot(0), slot(1)], peer: [slot(0), slot(1)] });
    assert.deepEqual(result, { cameraId: 'c1', missing: [], missingMs: 0, placeholders: [], placeholderMs: 0, completeUntilMs: null, completeSinceMs: null });
  });

  it('a node that crashed misses from its last frame on, a partial block at the edge counting for what it holds', () => {
    const result = audit({ own: [recorded(0, 4_900), slot(2)], peer: [slot(0), slot(1), slot(2)] });
    assert.deepEqual(result.missing, [{ startMs: 5_000, endMs: 20_000 }]);
    assert.equal(result.missingMs, 15_000);
    assert.equal(result.completeUntilMs, 5_000);
    assert.equal(result.completeSinceMs, 20_000);
  });

  it('at 30 fps a partial edge block misses the frames after its last one (frame times 33 or 34 ms apart)', () => {
    const frame = (n: number): number => Math.floor((n * 1000) / 30);
    const result = audit({ own: [recorded(0, frame(1), 30)], peer: [recorded(0, frame(299), 30)] });
    assert.deepEqual(result.missing, [{ startMs: 67, endMs: 10_000 }]);
  });

  it('one missing frame is missing time, never a rounding error', () => {
    const result = audit({ own: [recorded(0, 4_900), recorded(5_100, 9_900)], peer: [slot(0)] });
    assert.deepEqual(result.missing, [{ startMs: 5_000, endMs: 5_100 }]);
  });

  it('with nothing of its own, the node misses all its peer holds, gaps between the peer blocks excepted', () => {
    const result = audit({ peer: [recorded(0, 900), recorded(5_000, 5_900)] });
    assert.deepEqual(result.missing, [{ startMs: 0, endMs: 1_000 }, { startMs: 5_000, endMs: 6_000 }]);
    assert.equal(result.missingMs, 2_000);
    assert.equal(result.completeSinceMs, 6_000);
  });

  it('a shorter retention: nothing older than retentionStartMs is missing (the time older frames show after it neither)', () => {
    const result = audit({ own: [slot(3)], peer: [slot(0), slot(1), slot(2), slot(3)], retentionStartMs: 15_000 });
    // The frame at 14.9 s shows until 15.0 s; what the peer's frames older than retention can
    // show after it (at most one frame interval, up to 15.099 s) counts as held.
    assert.deepEqual(result.missing, [{ startMs: 15_099, endMs: 30_000 }]);
  });

  it('at the retention edge: no sliver for an older frame, but a frame within retention is missing', () => {
    // Frames at 15.0 s and 15.1 s; retention starts at 15.05 s.
    const result = audit({ own: [recorded(15_100, 19_900)], peer: [slot(1)], retentionStartMs: 15_050 });
    assert.deepEqual(result.missing, [], 'the frame at 15.0 s is older than retention');
    const lacking = audit({ own: [recorded(15_200, 19_900)], peer: [slot(1)], retentionStartMs: 15_050 });
    assert.deepEqual(lacking.missing, [{ startMs: 15_149, endMs: 15_200 }], 'the frame at 15.1 s is within it');
  });

  it('frames on disk the index does not list yet (a crash) count as the node’s own', () => {
    const result = audit({ own: [recorded(0, 4_900)], ownUnindexed: [{ startMs: 5_000, endMs: 7_900, fps: 10 }], peer: [slot(0)] });
    assert.deepEqual(result.missing, [{ startMs: 8_000, endMs: 10_000 }]);
  });

  it('filled entries count as the node’s own, placeholders do not; placeholders show what is reserved', () => {
    const own: StoredEntry[] = [recorded(0, 4_900), placeholder(4_901, 9_900), { ...slot(1), state: 'filled' }, placeholder(20_000, 24_900)];
    const result = audit({ own, peer: [slot(0), slot(1), slot(2)] });
    assert.deepEqual(result.missing, [{ startMs: 5_000, endMs: 10_000 }, { startMs: 20_000, endMs: 30_000 }]);
    assert.deepEqual(result.placeholders, [{ startMs: 5_000, endMs: 10_000 }, { startMs: 20_000, endMs: 25_000 }]);
    assert.equal(result.placeholderMs, 10_000);
    assert.equal(result.missingMs, 15_000);
  });

  it('the peer’s placeholders are not content: they are ignored', () => {
    const result = audit({ peer: [slot(0), placeholder(10_000, 19_900)] });
    assert.deepEqual(result.missing, [{ startMs: 0, endMs: 10_000 }]);
  });

  it('refuses input that is not an index: unsorted or overlapping entries, bad times, content without sha256', () => {
    assert.throws(() => audit({ own: [slot(1), slot(0)] }), /own\[1\].*sorted/);
    assert.throws(() => audit({ peer: [recorded(0, 5_000), recorded(5_000, 6_000)] }), /peer\[1\].*overlap/);
    assert.throws(() => audit({ own: [recorded(10, 5)] }), /own\[0\] ends \(5\) before it starts/);
    assert.throws(() => audit({ own: [{ ...slot(0), fps: 0 }] }), /own\[0\]\.fps/);
    assert.throws(() => audit({ peer: [{ ...slot(0), sha256: null }] }), /peer\[0\] is recorded but has no sha256/);
    assert.throws(() => audit({ retentionStartMs: Number.NaN }), /retentionStartMs/);
    assert.throws(() => audit({ ownUnindexed: [{ startMs: 0.5, endMs: 1, fps: 10 }] }), /ownUnindexed\[0\]\.startMs/);
  });
});

describe('node audit', () => {
  it('sums the cameras, lists those missing something most first, and is complete since the latest gap end', () => {
    const c1 = { ...audit({ own: [slot(0)], peer: [slot(0), slot(1)] }), cameraId: 'c1' };
    const c2 = { ...audit({ peer: [slot(0), slot(1), slot(2)] }), cameraId: 'c2' };
    const c3 = { ...audit({ own: [slot(0)], peer: [slot(0)] }), cameraId: 'c3' };
    const c4 = { ...audit({ own: [slot(1)], peer: [slot(0), slot(1)] }), cameraId: 'c0' };
    const node = summarizeAudit([c1, c2, c3, c4]);
    assert.equal(node.missingMs, 10_000 + 30_000 + 10_000);
    assert.equal(node.camerasAffected, 3);
    assert.deepEqual(
      node.cameras.map((camera) => camera.cameraId),
      ['c2', 'c0', 'c1'],
    );
    assert.equal(node.completeSinceMs, 30_000);
    assert.equal(node.placeholderMs, 0);
  });

  it('nothing missing: no cameras, complete since null', () => {
    assert.deepEqual(summarizeAudit([audit({ own: [slot(0)], peer: [slot(0)] })]), { missingMs: 0, placeholderMs: 0, camerasAffected: 0, cameras: [], completeSinceMs: null });
  });
});
