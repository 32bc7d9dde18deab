import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredEntry } from './audit.js';
import { applyFill, mergeNewestFirst, planFills, planPlaceholders, planVoidPlaceholders, type FillTask, type PlaceholderPlanInput, type PlaceholderRange } from './plan.js';

const recorded = (startMs: number, endMs: number, fps = 10): StoredEntry => ({ state: 'recorded', startMs, endMs, fps, frameCount: 1, bytes: 10_000, sha256: `sha-${startMs}-${endMs}` });
const filled = (startMs: number, endMs: number, fps = 10): StoredEntry => ({ ...recorded(startMs, endMs, fps), state: 'filled' });
const placeholder = (startMs: number, endMs: number, fps = 10): StoredEntry => ({ state: 'placeholder', startMs, endMs, fps, frameCount: 0, bytes: 0, sha256: null });
/** The 10 s block of slot `n` at 10 fps. */
const slot = (n: number): StoredEntry => recorded(n * 10_000, n * 10_000 + 9_900);
const frame30 = (n: number): number => Math.floor((n * 1000) / 30);

const placeholders = (input: Partial<PlaceholderPlanInput>): PlaceholderRange[] => planPlaceholders({ own: [], ownUnindexed: [], peer: [], retentionStartMs: 0, tailEndMs: null, fps: 10, ...input });
/** `own` with the placeholders added, sorted (as the index holds them). */
const withPlaceholders = (own: readonly StoredEntry[], ranges: readonly PlaceholderRange[]): StoredEntry[] => [...own, ...ranges.map((r) => placeholder(r.startMs, r.endMs, r.fps))].sort((a, b) => a.startMs - b.startMs);
/** The fill a task gives when the piece's first and last frames are `firstMs` and `lastMs`. */
const fillOf = (task: FillTask, firstMs = task.fromMs, lastMs = task.toMs) => ({ startMs: firstMs, endMs: lastMs, fps: 10, frameCount: 1, bytes: 1, sha256: `copy-${task.key}` });

describe('planPlaceholders', () => {
  it('reserves the gap from right after the last own frame, and the tail up to the recorder start', () => {
    const input = { own: [recorded(0, 4_900)], peer: [slot(0), slot(1)] };
    assert.deepEqual(placeholders({ ...input, tailEndMs: 25_000 }), [{ startMs: 4_901, endMs: 25_000, fps: 10 }]);
    assert.deepEqual(placeholders(input), [{ startMs: 4_901, endMs: 19_900, fps: 10 }], 'no tail: up to the peer’s last frame');
  });

  it('at 30 fps the placeholder takes the frame 33 ms after the own last one (which the coverage edge passes)', () => {
    const peer = [recorded(0, frame30(299), 30), recorded(10_000, 10_000 + frame30(299), 30)];
    const ranges = placeholders({ own: [recorded(0, frame30(1), 30)], peer });
    assert.deepEqual(ranges, [{ startMs: 34, endMs: 19_966, fps: 30 }]);
    assert.ok(ranges[0] !== undefined && ranges[0].startMs <= frame30(2), 'the first missing frame lies inside');
  });

  it('a gap between own blocks: exactly the peer blocks in it, not the slivers around them', () => {
    const ranges = placeholders({ own: [slot(0), slot(3)], peer: [slot(0), slot(1), slot(2), slot(3)] });
    assert.deepEqual(ranges, [{ startMs: 10_000, endMs: 29_900, fps: 10 }]);
  });

  it('nothing missing, nothing reserved; back-to-back own blocks leave no sliver', () => {
    assert.deepEqual(placeholders({ own: [slot(0), slot(1)], peer: [slot(0), slot(1)] }), []);
    const at30 = [recorded(0, frame30(299), 30), recorded(10_000, 10_000 + frame30(299), 30)];
    assert.deepEqual(placeholders({ own: at30, peer: at30 }), []);
  });

  it('never covers frames on disk that the index does not list yet', () => {
    const ranges = placeholders({ own: [recorded(0, 4_900)], ownUnindexed: [{ startMs: 5_000, endMs: 7_000, fps: 10 }], peer: [slot(0), slot(1)], tailEndMs: 30_000 });
    assert.deepEqual(ranges, [{ startMs: 7_001, endMs: 30_000, fps: 10 }]);
  });

  it('an unindexed range inside a gap splits the placeholder around it', () => {
    const ranges = placeholders({ own: [slot(0), slot(3)], ownUnindexed: [{ startMs: 15_000, endMs: 15_900, fps: 10 }], peer: [slot(0), slot(1), slot(2), slot(3)] });
    assert.deepEqual(ranges, [
      { startMs: 10_000, endMs: 14_999, fps: 10 },
      { startMs: 15_901, endMs: 29_900, fps: 10 },
    ]);
  });

  it('a node holding nothing reserves from the peer’s oldest entry within retention to the tail end', () => {
    assert.deepEqual(placeholders({ peer: [slot(0), slot(1)], tailEndMs: 30_000 }), [{ startMs: 0, endMs: 30_000, fps: 10 }]);
    assert.deepEqual(placeholders({ peer: [slot(0), slot(1)], tailEndMs: 30_000, retentionStartMs: 12_345 }), [{ startMs: 12_345, endMs: 30_000, fps: 10 }]);
    assert.deepEqual(placeholders({ tailEndMs: 30_000 }), [], 'nobody holds anything: no tail');
  });

  it('a shorter retention: nothing older than retentionStartMs is reserved', () => {
    const ranges = placeholders({ own: [slot(3)], peer: [slot(0), slot(1), slot(2), slot(3)], retentionStartMs: 15_000 });
    assert.deepEqual(ranges, [{ startMs: 15_000, endMs: 29_900, fps: 10 }]);
  });

  it('placeholders already there are not reserved again, and planning after creating them gives []', () => {
    const input = { own: [recorded(0, 4_900), placeholder(10_000, 14_900)], peer: [slot(0), slot(1), slot(2)], tailEndMs: 40_000 };
    const ranges = placeholders(input);
    assert.deepEqual(ranges, [
      { startMs: 4_901, endMs: 9_900, fps: 10 },
      { startMs: 14_901, endMs: 40_000, fps: 10 },
    ]);
    assert.deepEqual(placeholders({ ...input, own: withPlaceholders(input.own, ranges) }), []);
  });

  it('time the peer did not record either is not reserved (there is nothing to copy)', () => {
    const ranges = placeholders({ own: [slot(0), slot(5)], peer: [slot(0), slot(1), slot(3), slot(5)] });
    assert.deepEqual(ranges, [
      { startMs: 10_000, endMs: 19_900, fps: 10 },
      { startMs: 30_000, endMs: 39_900, fps: 10 },
    ]);
  });

  it('refuses bad input with a clear error', () => {
    assert.throws(() => placeholders({ fps: 0 }), /fps must be a positive number/);
    assert.throws(() => placeholders({ tailEndMs: Number.POSITIVE_INFINITY }), /tailEndMs/);
    assert.throws(() => placeholders({ own: [slot(1), slot(0)] }), /sorted/);
  });
});

describe('planFills', () => {
  const peer = [slot(0), slot(1)];
  const own = [recorded(0, 4_900), placeholder(4_901, 19_900)];

  it('copies into pending placeholders, newest first, whole blocks where the placeholder holds them whole', () => {
    const tasks = planFills({ cameraId: 'c1', own, peer, retentionStartMs: 0 });
    assert.deepEqual(tasks, [
      { cameraId: 'c1', peerBlockStartMs: 10_000, fromMs: 10_000, toMs: 19_900, whole: true, peerSha256: 'sha-10000-19900', bytesEstimate: 10_000, key: 'c1/10000/10000' },
      // 4.901..10 s of the block's 10 s: 50.99 % of its bytes.
      { cameraId: 'c1', peerBlockStartMs: 0, fromMs: 4_901, toMs: 9_900, whole: false, peerSha256: 'sha-0-9900', bytesEstimate: 5_099, key: 'c1/0/4901' },
    ]);
  });

  it('skips the tasks already done', () => {
    const tasks = planFills({ cameraId: 'c1', own, peer, retentionStartMs: 0, done: new Set(['c1/10000/10000']) });
    assert.deepEqual(
      tasks.map((task) => task.key),
      ['c1/0/4901'],
    );
  });

  it('never targets recorded or filled time; a peer block across two placeholders gives two tasks', () => {
    const split = [placeholder(0, 2_999), recorded(3_000, 5_900), filled(6_000, 6_900), placeholder(6_901, 9_900)];
    const tasks = planFills({ cameraId: 'c1', own: split, peer: [slot(0)], retentionStartMs: 0 });
    assert.deepEqual(
      tasks.map((task) => [task.fromMs, task.toMs, task.whole]),
      [
        [6_901, 9_900, false],
        [0, 2_999, false],
      ],
    );
  });

  it('nothing older than retention is copied', () => {
    const tasks = planFills({ cameraId: 'c1', own: [placeholder(0, 19_900)], peer, retentionStartMs: 15_050 });
    assert.deepEqual(
      tasks.map((task) => [task.peerBlockStartMs, task.fromMs, task.toMs]),
      [[10_000, 15_050, 19_900]],
    );
  });

  it('pieces where the peer holds nothing are no tasks', () => {
    assert.deepEqual(planFills({ cameraId: 'c1', own: [placeholder(0, 29_900)], peer: [slot(3)], retentionStartMs: 0 }), []);
  });

  it('after a fill whose first frame lay after fromMs, the leftover is no task but void', () => {
    // 30 fps: this node holds up to frame 1 (33 ms); the placeholder starts at 34, the peer's next frame is at 66.
    const peer30 = [recorded(0, frame30(299), 30)];
    let own30: StoredEntry[] = [recorded(0, 33, 30), placeholder(34, frame30(299), 30)];
    const [task] = planFills({ cameraId: 'c1', own: own30, peer: peer30, retentionStartMs: 0 });
    assert.ok(task !== undefined);
    assert.deepEqual([task.fromMs, task.toMs], [34, 9_966]);
    own30 = applyFill(own30, { ...fillOf(task, frame30(2), frame30(299)), fps: 30 });
    assert.deepEqual(planFills({ cameraId: 'c1', own: own30, peer: peer30, retentionStartMs: 0 }), []);
    assert.deepEqual(planVoidPlaceholders({ own: own30, peer: peer30, peerSealedEndMs: 9_966, retentionStartMs: 0 }), [34]);
  });

  it('a fill that stops at the placeholder end leaves a void leftover after its last frame', () => {
    // The tail reached 15.05 s; the recorder's first frame after it is at 15.1 s.
    let ownTail: StoredEntry[] = [recorded(0, 9_900), placeholder(9_901, 15_050), recorded(15_100, 19_900)];
    const [task] = planFills({ cameraId: 'c1', own: ownTail, peer, retentionStartMs: 0 });
    assert.ok(task !== undefined);
    assert.deepEqual([task.fromMs, task.toMs], [10_000, 15_050]);
    ownTail = applyFill(ownTail, fillOf(task, 10_000, 15_000));
    assert.deepEqual(planFills({ cameraId: 'c1', own: ownTail, peer, retentionStartMs: 0 }), []);
    assert.deepEqual(planVoidPlaceholders({ own: ownTail, peer, peerSealedEndMs: 19_900, retentionStartMs: 0 }), [9_901, 15_001]);
  });
});

describe('mergeNewestFirst', () => {
  const task = (cameraId: string, toMs: number): FillTask => ({ cameraId, peerBlockStartMs: toMs - 100, fromMs: toMs - 100, toMs, whole: true, peerSha256: 's', bytesEstimate: 1, key: `${cameraId}/${toMs - 100}/${toMs - 100}` });

  it('interleaves cameras newest first, up to max', () => {
    const merged = mergeNewestFirst(
      [
        [task('a', 900), task('a', 500), task('a', 100)],
        [task('b', 800), task('b', 700)],
        [],
      ],
      4,
    );
    assert.deepEqual(
      merged.map((t) => `${t.cameraId}${t.toMs}`),
      ['a900', 'b800', 'b700', 'a500'],
    );
    assert.equal(mergeNewestFirst([[task('a', 1)]], 10).length, 1, 'fewer than max');
    assert.deepEqual(mergeNewestFirst([[task('a', 1)]], 0), []);
  });

  it('equal times: ordered by camera, so that the order is the same every time', () => {
    assert.deepEqual(
      mergeNewestFirst([[task('b', 500)], [task('a', 500)]], 2).map((t) => t.cameraId),
      ['a', 'b'],
    );
  });

  it('refuses a max that is not a count', () => {
    assert.throws(() => mergeNewestFirst([], -1), /max must be a count/);
    assert.throws(() => mergeNewestFirst([], 1.5), /max must be a count/);
  });
});

describe('planVoidPlaceholders', () => {
  const peer = [slot(0), slot(2)];

  it('a gap between the peer’s blocks is void once the peer has sealed past it', () => {
    const own = [placeholder(0, 29_900)];
    let filledOwn = own;
    for (const task of planFills({ cameraId: 'c1', own, peer, retentionStartMs: 0 })) filledOwn = applyFill(filledOwn, fillOf(task));
    assert.deepEqual(
      filledOwn.map((e) => [e.state, e.startMs, e.endMs]),
      [
        ['filled', 0, 9_900],
        ['placeholder', 9_901, 19_999],
        ['filled', 20_000, 29_900],
      ],
    );
    assert.deepEqual(planVoidPlaceholders({ own: filledOwn, peer, peerSealedEndMs: 29_900, retentionStartMs: 0 }), [9_901]);
    assert.deepEqual(planVoidPlaceholders({ own: filledOwn, peer, peerSealedEndMs: null, retentionStartMs: 0 }), [], 'nothing known of the peer');
  });

  it('a placeholder holding a peer frame still to copy is never void', () => {
    assert.deepEqual(planVoidPlaceholders({ own: [placeholder(0, 29_900)], peer, peerSealedEndMs: 29_900, retentionStartMs: 0 }), []);
  });

  it('a placeholder newer than the peer’s newest sealed frame waits (the peer may still seal a block there)', () => {
    assert.deepEqual(planVoidPlaceholders({ own: [slot(0), placeholder(30_000, 35_000)], peer, peerSealedEndMs: 29_900, retentionStartMs: 0 }), []);
  });

  it('placeholders entirely older than retention are left to retention', () => {
    const own = [placeholder(10_000, 19_900), placeholder(20_000, 20_000), recorded(25_000, 25_000)];
    assert.deepEqual(planVoidPlaceholders({ own, peer: [slot(0), recorded(30_000, 30_000)], peerSealedEndMs: 30_000, retentionStartMs: 20_000 }), [20_000]);
  });
});

describe('applyFill', () => {
  const own = [recorded(0, 99), placeholder(100, 999), recorded(1_000, 1_100)];
  const fill = (startMs: number, endMs: number) => ({ startMs, endMs, fps: 10, frameCount: 1, bytes: 5, sha256: `f${startMs}` });
  const shape = (entries: readonly StoredEntry[]) => entries.map((e) => `${e.state[0]}${e.startMs}-${e.endMs}`);

  it('splits the placeholder around the fill', () => {
    assert.deepEqual(shape(applyFill(own, fill(300, 699))), ['r0-99', 'p100-299', 'f300-699', 'p700-999', 'r1000-1100']);
    assert.deepEqual(shape(applyFill(own, fill(100, 699))), ['r0-99', 'f100-699', 'p700-999', 'r1000-1100']);
    assert.deepEqual(shape(applyFill(own, fill(300, 999))), ['r0-99', 'p100-299', 'f300-999', 'r1000-1100']);
    assert.deepEqual(shape(applyFill(own, fill(100, 999))), ['r0-99', 'f100-999', 'r1000-1100']);
    assert.deepEqual(shape(applyFill(own, fill(101, 998))), ['r0-99', 'p100-100', 'f101-998', 'p999-999', 'r1000-1100'], '1 ms leftovers stay');
  });

  it('the same fill again changes nothing; the input is never changed', () => {
    const once = applyFill(own, fill(300, 699));
    assert.deepEqual(applyFill(once, fill(300, 699)), once);
    assert.deepEqual(shape(own), ['r0-99', 'p100-999', 'r1000-1100']);
  });

  it('refuses a fill not inside one pending placeholder', () => {
    assert.throws(() => applyFill(own, fill(50, 150)), /does not lie inside one pending placeholder/);
    assert.throws(() => applyFill(own, fill(900, 1_000)), /does not lie inside one pending placeholder/);
    assert.throws(() => applyFill(own, fill(1_000, 1_100)), /does not lie inside one pending placeholder/);
    assert.throws(() => applyFill(applyFill(own, fill(300, 699)), { ...fill(300, 699), sha256: 'other' }), /does not lie inside one pending placeholder/);
    assert.throws(() => applyFill(own, { ...fill(300, 200) }), /ends \(200\) before it starts/);
  });
});
