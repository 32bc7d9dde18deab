// Properties of the gap audit and the planner over random recordings of one camera.
//
// A world is a camera on its frame grid (frame n at floor(n * 1000 / fps)) recorded by two
// nodes: each holds some runs of its frames, as blocks that end at a 10-s-like slot boundary or
// at a missing frame (as the lab's recorder writes them), the peer's recorded or filled, this
// node's recorded (or filled, where a block is a whole copy of the peer's), its newest block
// possibly not indexed yet (a crash), plus pending placeholders shaped as the index makes them:
// from a frame, or right after one of its own frames, to a frame, or right before one of its
// own frames. The test knows every frame, so it checks plans against the frames themselves.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { auditCamera, type StoredEntry, type UnindexedRange } from './audit.js';
import { clipFrom, contains, hullsWithin, intersect, intersects, normalize, subtract, union, type Interval } from './intervals.js';
import { applyFill, mergeNewestFirst, planFills, planPlaceholders, planVoidPlaceholders, type FillTask } from './plan.js';

const runs = Number(process.env.TWINREC_PROPERTY_RUNS ?? 200);

interface World {
  readonly fps: number;
  readonly peer: readonly StoredEntry[];
  /** Frame times of each peer entry, by its startMs. */
  readonly peerFrames: ReadonlyMap<number, readonly number[]>;
  /** Index entries: content and placeholders, sorted. */
  readonly own: readonly StoredEntry[];
  readonly ownUnindexed: readonly UnindexedRange[];
  /** Frame times this node holds (indexed or not). */
  readonly ownFrames: ReadonlySet<number>;
  readonly retentionStartMs: number;
  /** Frames in the first frame interval of retention may be left to retention (the audit counts what older frames show there as held). */
  readonly retentionEdgeMs: number;
  readonly tailEndMs: number | null;
}

/** Runs of present/absent frames, alternating, as a mask of `count` frames. */
function mask(lengths: readonly number[], firstOn: boolean, count: number): boolean[] {
  const out: boolean[] = [];
  let on = firstOn;
  for (const length of lengths) {
    for (let k = 0; k < length && out.length < count; k += 1) out.push(on);
    on = !on;
  }
  while (out.length < count) out.push(false);
  return out;
}

/** Blocks of consecutive present frames [first, last] (frame indexes), ending at a slot boundary or a missing frame. */
function blocksOf(present: readonly boolean[], firstIndex: number, slotFrames: number): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  present.forEach((on, i) => {
    if (start >= 0 && (!on || (firstIndex + i) % slotFrames === 0)) {
      out.push([start, i - 1]);
      start = -1;
    }
    if (on && start < 0) start = i;
  });
  if (start >= 0) out.push([start, present.length - 1]);
  return out;
}

const runLengths = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 });
/** Where something lies among the frames: a share of them (in percent), less a few frames. */
const frameAt = (count: number, percent: number): number => Math.floor((count * percent) / 100) - 3;
const share = fc.integer({ min: 0, max: 106 });
const placeholderSpec = fc.record({ at: share, length: fc.integer({ min: 0, max: 80 }), afterOwn: fc.boolean(), beforeOwn: fc.boolean() });

const worlds = (withTail: boolean): fc.Arbitrary<World> =>
  fc
    .record({
      fps: fc.constantFrom(1, 5, 10, 25, 30),
      firstIndex: fc.integer({ min: 0, max: 100_000 }),
      count: fc.integer({ min: 5, max: 160 }),
      slotFrames: fc.integer({ min: 3, max: 40 }),
      peerRuns: runLengths,
      peerFirstOn: fc.boolean(),
      peerFilled: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
      ownRuns: runLengths,
      ownFirstOn: fc.boolean(),
      ownFilled: fc.boolean(),
      crashed: fc.boolean(),
      placeholders: fc.array(placeholderSpec, { maxLength: 5 }),
      retention: fc.option(fc.record({ at: share, offsetMs: fc.integer({ min: 0, max: 999 }) }), { nil: null }),
      tail: fc.option(fc.record({ at: fc.integer({ min: 0, max: 120 }), offsetMs: fc.integer({ min: 0, max: 999 }) }), { nil: null }),
    })
    .map((draw): World => {
      const { fps, firstIndex, count } = draw;
      const timeOf = (i: number): number => Math.floor(((firstIndex + i) * 1000) / fps);
      const frameMs = Math.ceil(1000 / fps);
      const entry = (state: StoredEntry['state'], [first, last]: [number, number], tag: string): StoredEntry => ({ state, startMs: timeOf(first), endMs: timeOf(last), fps, frameCount: last - first + 1, bytes: (last - first + 1) * 1_000, sha256: state === 'placeholder' ? null : `${tag}-${first}-${last}` });

      const peerBlocks = blocksOf(mask(draw.peerRuns, draw.peerFirstOn, count), firstIndex, draw.slotFrames);
      const peer = peerBlocks.map((block, k) => entry(draw.peerFilled[k % draw.peerFilled.length] === true ? 'filled' : 'recorded', block, 'peer'));
      const peerFrames = new Map(peerBlocks.map(([first, last]) => [timeOf(first), Array.from({ length: last - first + 1 }, (_, k) => timeOf(first + k))]));

      const ownPresent = mask(draw.ownRuns, draw.ownFirstOn, count);
      const ownBlocks = blocksOf(ownPresent, firstIndex, draw.slotFrames);
      const isPeerBlock = (block: [number, number]): boolean => peerBlocks.some(([first, last]) => first === block[0] && last === block[1]);
      const content = ownBlocks.map((block) => entry(draw.ownFilled && isPeerBlock(block) ? 'filled' : 'recorded', block, 'own'));
      const open = draw.crashed ? content.pop() : undefined;
      const ownUnindexed = open === undefined ? [] : [{ startMs: open.startMs, endMs: open.endMs, fps }];
      const ownAt = (i: number): boolean => ownPresent[i] === true;

      const taken: { startMs: number; endMs: number }[] = [...content, ...ownUnindexed];
      const placeholders: StoredEntry[] = [];
      for (const spec of draw.placeholders) {
        const a = frameAt(count, spec.at);
        const b = a + spec.length;
        const startMs = spec.afterOwn && ownAt(a - 1) ? timeOf(a - 1) + 1 : timeOf(a);
        const endMs = spec.beforeOwn && ownAt(b + 1) ? timeOf(b + 1) - 1 : timeOf(b);
        if (startMs > endMs || taken.some((e) => e.startMs <= endMs && startMs <= e.endMs)) continue;
        const made: StoredEntry = { state: 'placeholder', startMs, endMs, fps, frameCount: 0, bytes: 0, sha256: null };
        taken.push(made);
        placeholders.push(made);
      }
      const retentionStartMs = draw.retention === null ? timeOf(-10) : timeOf(frameAt(count, draw.retention.at)) + draw.retention.offsetMs;
      return {
        fps,
        peer,
        peerFrames,
        own: [...content, ...placeholders].sort((x, y) => x.startMs - y.startMs),
        ownUnindexed,
        ownFrames: new Set(ownPresent.flatMap((on, i) => (on ? [timeOf(i)] : []))),
        retentionStartMs,
        retentionEdgeMs: retentionStartMs - 1 + frameMs,
        tailEndMs: withTail && draw.tail !== null ? timeOf(frameAt(count, draw.tail.at)) + draw.tail.offsetMs : null,
      };
    });

const inside = (ranges: readonly { startMs: number; endMs: number }[], timeMs: number): boolean => ranges.some((r) => r.startMs <= timeMs && timeMs <= r.endMs);
const pending = (own: readonly StoredEntry[]): StoredEntry[] => own.filter((e) => e.state === 'placeholder');
const content = (own: readonly StoredEntry[]): StoredEntry[] => own.filter((e) => e.state !== 'placeholder');
const sorted = (entries: readonly StoredEntry[]): StoredEntry[] => [...entries].sort((x, y) => x.startMs - y.startMs);

/** Peer frames within retention this node lacks (those in the first frame interval of retention may be left out). */
function missingFrames(world: World, own: readonly StoredEntry[] = world.own): number[] {
  const held = content(own);
  const out: number[] = [];
  for (const frames of world.peerFrames.values()) for (const t of frames) if (t >= world.retentionEdgeMs && !world.ownFrames.has(t) && !inside(held, t)) out.push(t);
  return out;
}

/** The world after planning placeholders (no tail) and creating them; the recorder then indexed its open block. */
function reserved(world: World): StoredEntry[] {
  const ranges = planPlaceholders({ ...world, tailEndMs: null, fps: world.fps });
  const made = ranges.map((r): StoredEntry => ({ state: 'placeholder', startMs: r.startMs, endMs: r.endMs, fps: r.fps, frameCount: 0, bytes: 0, sha256: null }));
  const indexed = world.ownUnindexed.map((r): StoredEntry => ({ state: 'recorded', ...r, frameCount: 1, bytes: 1, sha256: 'open' }));
  return sorted([...world.own, ...made, ...indexed]);
}

/** The fill a task gives: frames = the piece itself, or the peer's actual frames within it. */
function fillOf(world: World, task: FillTask, actual: boolean) {
  let startMs = task.fromMs;
  let endMs = task.toMs;
  if (actual) {
    const frames = (world.peerFrames.get(task.peerBlockStartMs) ?? []).filter((t) => task.fromMs <= t && t <= task.toMs);
    assert.ok(frames.length > 0, `task ${task.key} holds no peer frame`);
    startMs = frames[0] as number;
    endMs = frames[frames.length - 1] as number;
  }
  return { startMs, endMs, fps: world.fps, frameCount: 1, bytes: 1, sha256: `copy-${task.key}` };
}

function fillAll(world: World, own: readonly StoredEntry[], tasks: readonly FillTask[], actual: boolean): StoredEntry[] {
  let out = [...own];
  for (const task of tasks) out = applyFill(out, fillOf(world, task, actual));
  return out;
}

const peerSealedEndMs = (world: World): number | null => world.peer[world.peer.length - 1]?.endMs ?? null;

describe('backfill planner properties', () => {
  it('interval sets agree with the same sets as bitmaps', () => {
    const set = fc.array(fc.record({ startMs: fc.integer({ min: 0, max: 60 }), length: fc.integer({ min: 0, max: 15 }) }), { maxLength: 6 }).map((list) => normalize(list.map((x) => ({ startMs: x.startMs, endMs: x.startMs + x.length }))));
    const bits = (s: readonly Interval[]): boolean[] => Array.from({ length: 80 }, (_, t) => s.some((x) => x.startMs <= t && t < x.endMs));
    const isNormalized = (s: readonly Interval[]): boolean => s.every((x, k) => x.startMs < x.endMs && (k === 0 || (s[k - 1] as Interval).endMs < x.startMs));
    fc.assert(
      fc.property(set, set, fc.integer({ min: -5, max: 85 }), fc.integer({ min: 0, max: 20 }), (a, b, at, length) => {
        const [x, y] = [bits(a), bits(b)];
        for (const [result, expected] of [
          [union(a, b), x.map((v, t) => v || y[t] === true)],
          [subtract(a, b), x.map((v, t) => v && y[t] !== true)],
          [intersect(a, b), x.map((v, t) => v && y[t] === true)],
          [clipFrom(a, at), x.map((v, t) => v && t >= at)],
        ] as const) {
          assert.ok(isNormalized(result));
          assert.deepEqual(bits(result), expected);
        }
        const probe = { startMs: at, endMs: at + length };
        const probed = x.slice(Math.max(0, at), Math.max(0, at + length));
        assert.equal(contains(a, probe), length === 0 || (at >= 0 && probed.length === length && probed.every(Boolean)));
        assert.equal(intersects(a, probe), probed.some(Boolean));
        const hulls = hullsWithin(a, b);
        assert.ok(isNormalized(hulls));
        for (const h of hulls) assert.ok(a.some((i) => i.startMs <= h.startMs && h.endMs <= i.endMs) && intersects(b, { startMs: h.startMs, endMs: h.startMs + 1 }) && intersects(b, { startMs: h.endMs - 1, endMs: h.endMs }));
      }),
      { numRuns: runs },
    );
  });

  it('merging cameras newest first gives the newest `max` tasks of all, in order', () => {
    const task = (cameraId: string, fromMs: number, toMs: number): FillTask => ({ cameraId, peerBlockStartMs: fromMs, fromMs, toMs, whole: true, peerSha256: 's', bytesEstimate: 1, key: `${cameraId}/${fromMs}/${fromMs}` });
    const newest = (a: FillTask, b: FillTask): number => b.toMs - a.toMs || b.fromMs - a.fromMs || (a.cameraId < b.cameraId ? -1 : a.cameraId > b.cameraId ? 1 : 0);
    const camera = fc.uniqueArray(fc.integer({ min: 0, max: 50 }), { maxLength: 12 });
    fc.assert(
      fc.property(fc.array(camera, { maxLength: 8 }), fc.integer({ min: 0, max: 60 }), (starts, max) => {
        const perCamera = starts.map((list, c) => list.map((fromMs) => task(`cam${c}`, fromMs, fromMs + (fromMs % 3))).sort(newest));
        assert.deepEqual(mergeNewestFirst(perCamera, max), perCamera.flat().sort(newest).slice(0, max));
      }),
      { numRuns: runs },
    );
  });

  it('placeholders never overlap own entries, reserve every missing frame, and planning again gives []', () => {
    fc.assert(
      fc.property(worlds(true), (world) => {
        const ranges = planPlaceholders({ ...world, fps: world.fps });
        ranges.forEach((r, k) => {
          assert.ok(r.startMs <= r.endMs && r.startMs >= world.retentionStartMs, `placeholder ${r.startMs}..${r.endMs} within retention`);
          assert.ok(k === 0 || (ranges[k - 1] as { endMs: number }).endMs + 1 < r.startMs, 'sorted, apart');
          for (const e of [...world.own, ...world.ownUnindexed]) assert.ok(r.endMs < e.startMs || e.endMs < r.startMs, `placeholder ${r.startMs}..${r.endMs} overlaps own ${e.startMs}..${e.endMs}`);
        });
        const own = sorted([...world.own, ...ranges.map((r): StoredEntry => ({ state: 'placeholder', ...r, frameCount: 0, bytes: 0, sha256: null }))]);
        for (const t of missingFrames(world)) assert.ok(inside(pending(own), t), `missing frame ${t} reserved`);
        if (world.tailEndMs === null) {
          const lacking = [...world.peerFrames.values()].flat().filter((t) => t >= world.retentionStartMs && !world.ownFrames.has(t));
          for (const r of ranges) assert.ok(lacking.some((t) => r.startMs <= t && t <= r.endMs), `placeholder ${r.startMs}..${r.endMs} holds a frame to copy`);
        }
        if (world.tailEndMs !== null && world.tailEndMs >= world.retentionStartMs && (world.own.length > 0 || world.ownUnindexed.length > 0)) {
          const newestMs = Math.max(...[...world.own, ...world.ownUnindexed].map((e) => e.endMs));
          for (const t of [newestMs + 1, world.tailEndMs]) if (t > newestMs && t <= world.tailEndMs && t >= world.retentionStartMs) assert.ok(inside(pending(own), t), `tail ${t} reserved`);
        }
        assert.deepEqual(planPlaceholders({ ...world, own, fps: world.fps }), [], 'idempotent');
        const audit = auditCamera({ cameraId: 'c', ...world, own });
        if (world.tailEndMs === null) assert.equal(audit.placeholderMs, audit.missingMs, 'all missing time is reserved');
      }),
      { numRuns: runs },
    );
  });

  it('fills copy exactly the missing frames inside placeholders, into placeholders only, newest first', () => {
    fc.assert(
      fc.property(worlds(false), (world) => {
        const own = reserved(world);
        const tasks = planFills({ cameraId: 'c', own, peer: world.peer, retentionStartMs: world.retentionStartMs });
        const copied = new Map<number, string>();
        tasks.forEach((task, k) => {
          const peer = world.peer.find((e) => e.startMs === task.peerBlockStartMs);
          assert.ok(peer !== undefined && task.peerSha256 === peer.sha256);
          assert.ok(peer.startMs <= task.fromMs && task.fromMs <= task.toMs && task.toMs <= peer.endMs, 'inside its peer block');
          assert.ok(task.fromMs >= world.retentionStartMs, 'within retention');
          assert.equal(pending(own).filter((p) => p.startMs <= task.fromMs && task.toMs <= p.endMs).length, 1, 'inside one pending placeholder');
          assert.ok(!content(own).some((e) => e.startMs <= task.toMs && task.fromMs <= e.endMs), 'never into recorded or filled time');
          assert.equal(task.whole, task.fromMs === peer.startMs && task.toMs === peer.endMs);
          assert.ok(task.whole ? task.bytesEstimate === peer.bytes : task.bytesEstimate <= peer.bytes);
          assert.equal(task.key, `c/${task.peerBlockStartMs}/${task.fromMs}`);
          const previous = tasks[k - 1];
          assert.ok(previous === undefined || previous.toMs > task.toMs || (previous.toMs === task.toMs && previous.fromMs > task.fromMs), 'newest first');
          const frames = (world.peerFrames.get(peer.startMs) ?? []).filter((t) => task.fromMs <= t && t <= task.toMs);
          assert.ok(frames.length > 0, `task ${task.key} holds a peer frame`);
          for (const t of frames) {
            assert.ok(!copied.has(t), `frame ${t} copied twice`);
            copied.set(t, task.key);
          }
        });
        const expected = missingFrames(world, own).filter((t) => inside(pending(own), t));
        for (const t of expected) assert.ok(copied.has(t), `missing frame ${t} in a placeholder is copied`);
        for (const t of copied.keys()) assert.ok(inside(pending(own), t) && !world.ownFrames.has(t) && t >= world.retentionStartMs, `copied frame ${t} is missing and reserved`);
      }),
      { numRuns: runs },
    );
  });

  it('after every fill and deleting the void placeholders nothing is missing, nothing is pending, nothing is planned', () => {
    fc.assert(
      fc.property(worlds(false), fc.boolean(), (world, actual) => {
        let own = reserved(world);
        own = fillAll(world, own, planFills({ cameraId: 'c', own, peer: world.peer, retentionStartMs: world.retentionStartMs }), actual);
        const sealedEndMs = peerSealedEndMs(world);
        const voids = new Set(planVoidPlaceholders({ own, peer: world.peer, peerSealedEndMs: sealedEndMs, retentionStartMs: world.retentionStartMs }));
        own = own.filter((e) => !(e.state === 'placeholder' && voids.has(e.startMs)));
        const audit = auditCamera({ cameraId: 'c', own, ownUnindexed: [], peer: world.peer, retentionStartMs: world.retentionStartMs });
        assert.equal(audit.missingMs, 0, `missing ${JSON.stringify(audit.missing)}`);
        assert.deepEqual(missingFrames(world, own), []);
        for (const p of pending(own)) assert.ok(p.endMs < world.retentionStartMs || sealedEndMs === null || p.endMs >= sealedEndMs, `placeholder ${p.startMs}..${p.endMs} left pending`);
        assert.deepEqual(planFills({ cameraId: 'c', own, peer: world.peer, retentionStartMs: world.retentionStartMs }), []);
        assert.deepEqual(planVoidPlaceholders({ own, peer: world.peer, peerSealedEndMs: sealedEndMs, retentionStartMs: world.retentionStartMs }), []);
        assert.deepEqual(planPlaceholders({ own, ownUnindexed: [], peer: world.peer, retentionStartMs: world.retentionStartMs, tailEndMs: null, fps: world.fps }), []);
      }),
      { numRuns: runs },
    );
  });

  it('re-planning after any part of the tasks is done gives exactly the rest (idempotent), and void placeholders never hold a missing frame', () => {
    fc.assert(
      fc.property(worlds(false), fc.nat(), fc.boolean(), fc.array(fc.boolean(), { maxLength: 20 }), (world, cut, actual, doneBits) => {
        const own = reserved(world);
        const input = { cameraId: 'c', peer: world.peer, retentionStartMs: world.retentionStartMs };
        const tasks = planFills({ ...input, own });
        const k = tasks.length === 0 ? 0 : cut % (tasks.length + 1);
        const after = fillAll(world, own, tasks.slice(0, k), actual);
        const done = new Set(tasks.filter((_, i) => doneBits[i] === true).map((t) => t.key));
        const rest = tasks.slice(k).filter((t) => !done.has(t.key));
        const again = planFills({ ...input, own: after, done });
        const framesOf = (t: FillTask): number[] => (world.peerFrames.get(t.peerBlockStartMs) ?? []).filter((f) => t.fromMs <= f && f <= t.toMs);
        // Frames in the first frame interval of retention may be left to retention: once a fill
        // covers the time after such a frame, its task may go.
        const beyondEdge = (t: FillTask): boolean => framesOf(t).some((f) => f >= world.retentionEdgeMs);
        // With actual frames, a fill whose last frame came before the piece's end leaves a
        // leftover; while an older placeholder still lacks the frame just before it, a task for
        // the leftover may be planned: it holds no peer frame (the peer answers none is in range).
        const holdsFrames = (t: FillTask): boolean => framesOf(t).length > 0;
        assert.deepEqual(again.filter(beyondEdge), rest.filter(beyondEdge));
        assert.deepEqual(
          again.filter(holdsFrames),
          rest.filter((t) => again.some((x) => x.key === t.key)),
          'nothing else with frames',
        );
        if (!actual) assert.ok(again.every(holdsFrames));
        const lacking = missingFrames(world, after);
        for (const start of planVoidPlaceholders({ own: after, peer: world.peer, peerSealedEndMs: peerSealedEndMs(world), retentionStartMs: world.retentionStartMs })) {
          const p = after.find((e) => e.state === 'placeholder' && e.startMs === start);
          assert.ok(p !== undefined, `void ${start} is a pending placeholder`);
          for (const t of lacking) assert.ok(t < p.startMs || t > p.endMs, `void placeholder ${p.startMs}..${p.endMs} holds missing frame ${t}`);
        }
      }),
      { numRuns: runs },
    );
  });
});
