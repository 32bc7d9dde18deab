import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CameraRanges, MediaRange } from './storage-adapter.js';
import { Pace } from '../../shared/pace.js';
import { addCamera, capIntervals, defaultSpanLimits, emptyTotals, foldCamera, frameDurationMs, measureMs, mergeUnions, normalize, percentOf, spansOf, storageSpans, unionOfRanges, type Interval } from './spans.js';

const runs = Number(process.env.TWINREC_PROPERTY_RUNS ?? 150);
const camera = (cameraId: string, recorded: MediaRange[], placeholders: MediaRange[] = []): CameraRanges => ({ cameraId, recorded, placeholders, truncated: false });
/** A 10 s block at 10 fps: frames at start, start+100, …, start+9900. */
const block = (startMs: number, fps = 10): MediaRange => ({ startMs, endMs: startMs + 10_000 - 1000 / fps, fps });

describe('storage spans', () => {
  it('an empty storage has no data: zero seconds, zero percent (as "0 days, 00:00:00, 0 %")', () => {
    const spans = storageSpans([]);
    assert.deepEqual(spans.cameraData, { oldestMs: null, newestMs: null, spanMs: 0, coveredMs: 0, coveragePercent: 0 });
    assert.deepEqual(spans.placeholderData, { oldestMs: null, newestMs: null, spanMs: 0, coveredMs: 0, sharePercent: 0 });
    assert.equal(spans.cameraCount, 0);
    assert.equal(spans.truncated, false);
  });

  it('back-to-back blocks cover their whole span: 100 %', () => {
    const spans = storageSpans([camera('c1', [block(0), block(10_000), block(20_000)])]);
    assert.deepEqual(spans.cameraData, { oldestMs: 0, newestMs: 30_000, spanMs: 30_000, coveredMs: 30_000, coveragePercent: 100 });
  });

  it('at 30 fps (frame times 33 or 34 ms apart) back-to-back blocks still touch', () => {
    const at30 = (startMs: number): MediaRange => ({ startMs, endMs: startMs + Math.floor((299 * 1000) / 30), fps: 30 });
    const spans = storageSpans([camera('c1', [at30(0), at30(10_000)])]);
    assert.equal(spans.cameraData.coveragePercent, 100);
    assert.equal(spans.cameraData.newestMs, 9_966 + 10_000 + 34);
  });

  it('the union over cameras: a gap counts only where no camera recorded', () => {
    // c1 records 0..20 s, c2 records 10..40 s, nobody 40..50 s, c1 again 50..60 s.
    const spans = storageSpans([camera('c1', [block(0), block(10_000), block(50_000)]), camera('c2', [block(10_000), block(20_000), block(30_000)])]);
    assert.equal(spans.cameraData.oldestMs, 0);
    assert.equal(spans.cameraData.newestMs, 60_000);
    assert.equal(spans.cameraData.spanMs, 60_000);
    assert.equal(spans.cameraData.coveredMs, 50_000);
    assert.equal(spans.cameraData.coveragePercent, 83.33);
    assert.equal(spans.cameraCount, 2);
  });

  it('a missing frame is a gap of one frame interval, and never shows as 100 %', () => {
    const spans = storageSpans([camera('c1', [{ startMs: 0, endMs: 4_900, fps: 10 }, { startMs: 5_100, endMs: 999_900, fps: 10 }])]);
    assert.equal(spans.cameraData.coveredMs, spans.cameraData.spanMs - 100);
    assert.equal(spans.cameraData.coveragePercent, 99.99);
  });

  it('placeholders: their own span, and their share of the data counted per camera', () => {
    // Both cameras recorded 0..30 s; the node was down 30..40 s and has placeholders there for c1 only.
    const spans = storageSpans([camera('c1', [block(0), block(10_000), block(20_000)], [block(30_000)]), camera('c2', [block(0), block(10_000), block(20_000)])]);
    assert.deepEqual(spans.placeholderData, { oldestMs: 30_000, newestMs: 40_000, spanMs: 10_000, coveredMs: 10_000, sharePercent: 14.29 });
    assert.equal(spans.cameraData.coveragePercent, 100, 'placeholders are not camera data');
    assert.equal(spans.cameraData.newestMs, 30_000);
  });

  it('a truncated camera marks the spans truncated', () => {
    assert.equal(storageSpans([{ ...camera('c1', [block(0)]), truncated: true }]).truncated, true);
  });

  it('a union over the interval bound is coarsened, keeps its ends, and says so', () => {
    const gappy = Array.from({ length: 50 }, (_, k) => ({ startMs: k * 1_000, endMs: k * 1_000 + 500 - 1, fps: 1000 }));
    const spans = storageSpans([camera('c1', gappy)], { maxIntervals: 10 });
    assert.equal(spans.truncated, true);
    assert.equal(spans.cameraData.oldestMs, 0);
    assert.equal(spans.cameraData.newestMs, 49_500);
    assert.ok(spans.cameraData.coveredMs >= 25_000, 'coarsening only adds coverage');
  });

  it('frame durations: rounded up, at least 1 ms, at most a minute', () => {
    assert.equal(frameDurationMs(10), 100);
    assert.equal(frameDurationMs(30), 34);
    assert.equal(frameDurationMs(0), 1);
    assert.equal(frameDurationMs(Number.NaN), 1);
    assert.equal(frameDurationMs(5_000), 1);
    assert.equal(frameDurationMs(0.001), 60_000);
  });

  it('percentages: two decimals, a partial share never shows as 0 or 100', () => {
    assert.equal(percentOf(1, 3), 33.33);
    assert.equal(percentOf(1, 1_000_000), 0.01);
    assert.equal(percentOf(999_999, 1_000_000), 99.99);
    assert.equal(percentOf(5, 5), 100);
    assert.equal(percentOf(0, 5), 0);
    assert.equal(percentOf(5, 0), 0);
  });
});

// Properties, against a brute-force model: with fps 1000 every frame lasts 1 ms, so a range
// [s, e] covers the integer milliseconds s..e, which a set can count.
const rangeArb = fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 40 })).map(([startMs, length]): MediaRange => ({ startMs, endMs: startMs + length, fps: 1000 }));
const cameraArb = fc.record({ recorded: fc.array(rangeArb, { maxLength: 8 }), placeholders: fc.array(rangeArb, { maxLength: 4 }) });
const camerasArb = fc.array(cameraArb, { maxLength: 6 }).map((cams) => cams.map((c, k) => camera(`c${k}`, c.recorded, c.placeholders)));

function cells(ranges: readonly MediaRange[]): Set<number> {
  const set = new Set<number>();
  for (const r of ranges) for (let t = r.startMs; t <= r.endMs; t += 1) set.add(t);
  return set;
}

describe('storage spans (properties)', () => {
  it('match a brute-force count of covered milliseconds', () => {
    fc.assert(
      fc.property(camerasArb, (cams) => {
        const spans = storageSpans(cams);
        const recorded = cells(cams.flatMap((c) => c.recorded));
        const pending = cells(cams.flatMap((c) => c.placeholders));
        assert.equal(spans.cameraData.coveredMs, recorded.size);
        assert.equal(spans.placeholderData.coveredMs, pending.size);
        if (recorded.size === 0) {
          assert.equal(spans.cameraData.oldestMs, null);
        } else {
          assert.equal(spans.cameraData.oldestMs, Math.min(...recorded));
          assert.equal(spans.cameraData.newestMs, Math.max(...recorded) + 1);
        }
        const perCameraRecorded = cams.reduce((sum, c) => sum + cells(c.recorded).size, 0);
        const perCameraPending = cams.reduce((sum, c) => sum + cells(c.placeholders).size, 0);
        assert.equal(spans.placeholderData.sharePercent, percentOf(perCameraPending, perCameraRecorded + perCameraPending));
      }),
      { numRuns: runs },
    );
  });

  it('covered never exceeds the span; 100 % exactly when the span has no gap', () => {
    fc.assert(
      fc.property(camerasArb, (cams) => {
        const { cameraData } = storageSpans(cams);
        assert.ok(cameraData.coveredMs <= cameraData.spanMs);
        assert.ok(cameraData.coveragePercent >= 0 && cameraData.coveragePercent <= 100);
        assert.equal(cameraData.coveragePercent === 100, cameraData.spanMs > 0 && cameraData.coveredMs === cameraData.spanMs);
        assert.equal(cameraData.coveragePercent > 0, cameraData.coveredMs > 0);
      }),
      { numRuns: runs },
    );
  });

  it('do not depend on the order of cameras or of ranges', () => {
    fc.assert(
      fc.property(camerasArb, fc.integer(), (cams, seed) => {
        const shuffled = [...cams].reverse().map((c) => ({ ...c, recorded: [...c.recorded].sort((a, b) => ((a.startMs * 31 + seed) % 97) - ((b.startMs * 31 + seed) % 97)) }));
        assert.deepEqual(storageSpans(shuffled), storageSpans(cams));
      }),
      { numRuns: runs },
    );
  });

  const intervalsArb = fc.array(rangeArb, { maxLength: 30 }).map(unionOfRanges);

  it('mergeUnions is the union of both lists', () => {
    fc.assert(
      fc.property(intervalsArb, intervalsArb, (a, b) => {
        assert.deepEqual(mergeUnions(a, b), normalize([...a, ...b]));
      }),
      { numRuns: runs },
    );
  });

  it('capIntervals keeps at most the bound, covers everything it was given, and keeps both ends', () => {
    fc.assert(
      fc.property(intervalsArb, fc.integer({ min: 1, max: 10 }), (list, max) => {
        const { intervals, capped } = capIntervals(list, max);
        assert.ok(intervals.length <= Math.max(max, 0) || list.length === 0);
        assert.equal(capped, list.length > max);
        assert.deepEqual(normalize([...intervals, ...list]), normalize(intervals), 'a superset');
        assert.equal(intervals[0]?.startMs, list[0]?.startMs);
        assert.equal(intervals.at(-1)?.endMs, list.at(-1)?.endMs);
        assert.ok(measureMs(intervals) >= measureMs(list));
      }),
      { numRuns: runs },
    );
  });
});

/** capIntervals as first written (a sort of every gap), for comparison. */
function capBySort(intervals: readonly Interval[], max: number): { intervals: Interval[]; capped: boolean } {
  const keep = Math.max(1, Math.floor(max));
  if (intervals.length <= keep) return { intervals: [...intervals], capped: false };
  const gaps = intervals.slice(1).map((next, k) => ({ k, size: next.startMs - (intervals[k] as Interval).endMs }));
  gaps.sort((x, y) => y.size - x.size || x.k - y.k);
  const kept = new Set(gaps.slice(0, keep - 1).map((g) => g.k));
  const out: Interval[] = [];
  let start = (intervals[0] as Interval).startMs;
  for (let k = 0; k < intervals.length; k += 1) {
    if (k === intervals.length - 1 || kept.has(k)) {
      out.push({ startMs: start, endMs: (intervals[k] as Interval).endMs });
      if (k + 1 < intervals.length) start = (intervals[k + 1] as Interval).startMs;
    }
  }
  return { intervals: out, capped: true };
}

describe('storage spans in slices', () => {
  it('capIntervals closes exactly the gaps a full sort would (smallest first, ties by position)', () => {
    // Gap sizes from a small set, so that ties are common.
    const listArb = fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.constantFrom(1, 2, 3, 7)), { maxLength: 60 }).map((parts) => {
      const list: Interval[] = [];
      let at = 0;
      for (const [length, gap] of parts) {
        list.push({ startMs: at, endMs: at + length });
        at += length + gap;
      }
      return list;
    });
    fc.assert(
      fc.property(listArb, fc.integer({ min: 1, max: 70 }), (list, max) => {
        assert.deepEqual(capIntervals(list, max), capBySort(list, max));
      }),
      { numRuns: runs * 2 },
    );
  });

  it('foldCamera gives what addCamera gives, and yields to the event loop on a large camera', async () => {
    // A quarter of a million 1 s blocks, every other one after a gap: over the interval bound.
    const ranges: MediaRange[] = [];
    for (let k = 0; k < 250_000; k += 1) ranges.push({ startMs: k * 1_000 + (k % 2 === 0 ? 500 : 0), endMs: k * 1_000 + 900, fps: 10 });
    const big = camera('c1', ranges, [block(300_000_000)]);
    const small = camera('c2', [block(0), block(10_000)]);
    let spins = 0;
    let spinning = true;
    const spin = (): void => {
      spins += 1;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const pace = new Pace(undefined, 1);
    let sliced = await foldCamera(emptyTotals, small, defaultSpanLimits, pace);
    sliced = await foldCamera(sliced, big, defaultSpanLimits, pace);
    spinning = false;
    const direct = addCamera(addCamera(emptyTotals, small), big);
    assert.deepEqual(sliced, direct);
    assert.equal(spansOf(sliced).truncated, true, 'coarsened to the bound');
    assert.ok(pace.turns >= 5, `turns: ${pace.turns}`);
    assert.ok(spins >= pace.turns, `the event loop ran between slices (${spins} turns of a concurrent task)`);
  });

  it('foldCamera stops when its signal aborts', async () => {
    const ranges: MediaRange[] = Array.from({ length: 200_000 }, (_, k) => ({ startMs: k * 1_000, endMs: k * 1_000 + 400, fps: 10 }));
    const controller = new AbortController();
    const pace = new Pace(controller.signal, 0);
    const folding = foldCamera(emptyTotals, camera('c1', ranges), defaultSpanLimits, pace);
    setImmediate(() => controller.abort(new Error('closing')));
    await assert.rejects(folding, /closing/);
  });
});

describe('interval helpers', () => {
  it('normalize merges touching and overlapping intervals and drops empty ones', () => {
    const list: Interval[] = [
      { startMs: 10, endMs: 20 },
      { startMs: 0, endMs: 10 },
      { startMs: 15, endMs: 18 },
      { startMs: 30, endMs: 30 },
      { startMs: 40, endMs: 45 },
    ];
    assert.deepEqual(normalize(list), [
      { startMs: 0, endMs: 20 },
      { startMs: 40, endMs: 45 },
    ]);
  });
});
