// Storage spans, the figures the Management Client plug-in shows per storage ("Camera data:
// 0 days, 14:14:34, 100 %", "Placeholder data: 0 days, 00:00:00, 0 %"), computed from the
// ranges a storage adapter enumerates. Pure: ranges in, numbers out (foldCamera only gives the
// event loop turns while it works).
//
// Time model: a range's frames are instants (first..last frame time), and each frame lasts one
// frame interval, so a range covers [first frame, last frame + one frame interval). Blocks
// recorded back to back then touch exactly, a missing frame leaves a gap of its own length,
// and a span's length is exactly newest - oldest.
import { runToEnd, type Pace } from '../../shared/pace.js';
import type { CameraRanges, MediaRange } from './storage-adapter.js';

/** A half-open time interval [startMs, endMs), ms since the Unix epoch. */
export interface Interval {
  readonly startMs: number;
  readonly endMs: number;
}

/** Where some data lies in time, and how much of that time it fills. */
export interface DataSpan {
  /** Start of the oldest data; null when there is none. */
  readonly oldestMs: number | null;
  /** End of the newest data (the newest frame's time plus its frame interval); null when there is none. */
  readonly newestMs: number | null;
  /** newestMs - oldestMs (0 when there is no data). */
  readonly spanMs: number;
  /** Time within the span that some camera's data covers (the union over cameras). */
  readonly coveredMs: number;
}

export interface StorageSpans {
  /** Cameras whose ranges went in. */
  readonly cameraCount: number;
  /** True if a bound left something out or coarsened it (cameras, index length, intervals kept). */
  readonly truncated: boolean;
  /** Recorded data (recorded here, or filled placeholders). */
  readonly cameraData: DataSpan & {
    /** coveredMs / spanMs, in percent: 100 when no camera-independent gap exists in the span. */
    readonly coveragePercent: number;
  };
  /** Placeholders still pending. */
  readonly placeholderData: DataSpan & {
    /**
     * The share of the storage's data, counted per camera, that is placeholder: pending
     * camera-time / (recorded + pending camera-time), in percent. 0 when backfill is done.
     */
    readonly sharePercent: number;
  };
}

export interface SpanLimits {
  /** Most intervals kept per union; beyond it the smallest gaps are closed (and `truncated` set). */
  readonly maxIntervals: number;
}

export const defaultSpanLimits: SpanLimits = { maxIntervals: 100_000 };

/** A frame lasts at most this long, whatever a (broken) frame rate says. */
const frameMsMax = 60_000;

/** How long one frame lasts at `fps`, in whole ms (rounded up, so back-to-back frames touch). */
export function frameDurationMs(fps: number): number {
  if (!(fps > 0) || !Number.isFinite(fps)) return 1;
  return Math.min(frameMsMax, Math.max(1, Math.ceil(1000 / fps)));
}

/** The time a range covers: [first frame, last frame + one frame interval). */
export function rangeInterval(range: MediaRange): Interval {
  return { startMs: range.startMs, endMs: Math.max(range.startMs, range.endMs) + frameDurationMs(range.fps) };
}

/**
 * The computations below are stepped: generators that yield every {@link stepItems} items, so
 * that a scan can run them in slices (Pace.run) while the exported functions run them at once
 * (runToEnd). Each is linear in its input, but for a sort of input that is not sorted already
 * (ranges from a storage adapter are).
 */
export type Steps<T> = Generator<void, T, undefined>;

/** Items between two yields of a stepped computation. */
const stepItems = 1024;

/** Appends `next` (not starting before the last) to a sorted, merged list. */
function push(out: Interval[], next: Interval): void {
  const last = out[out.length - 1];
  if (last !== undefined && next.startMs <= last.endMs) {
    if (next.endMs > last.endMs) out[out.length - 1] = { startMs: last.startMs, endMs: next.endMs };
  } else {
    out.push(next);
  }
}

/** normalize, stepped; `map` turns each item into its interval. */
function* normalizeSteps<T>(items: readonly T[], map: (item: T) => Interval): Steps<Interval[]> {
  const intervals: Interval[] = [];
  let sorted = true;
  let lastStartMs = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < items.length; k += 1) {
    const interval = map(items[k] as T);
    if (interval.endMs > interval.startMs) {
      if (interval.startMs < lastStartMs) sorted = false;
      lastStartMs = interval.startMs;
      intervals.push(interval);
    }
    if (k % stepItems === stepItems - 1) yield;
  }
  // Stable, so the result is the same as when the input came sorted.
  if (!sorted) intervals.sort((a, b) => a.startMs - b.startMs);
  const out: Interval[] = [];
  for (let k = 0; k < intervals.length; k += 1) {
    push(out, intervals[k] as Interval);
    if (k % stepItems === stepItems - 1) yield;
  }
  return out;
}

const same = (interval: Interval): Interval => interval;

/** Sorts and merges intervals: the result is sorted, with no two overlapping or touching. */
export function normalize(intervals: readonly Interval[]): Interval[] {
  return runToEnd(normalizeSteps(intervals, same));
}

/** The union of ranges as normalized intervals. */
export function unionOfRanges(ranges: readonly MediaRange[]): Interval[] {
  return runToEnd(normalizeSteps(ranges, rangeInterval));
}

function* mergeUnionsSteps(a: readonly Interval[], b: readonly Interval[]): Steps<Interval[]> {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    const fromA = j >= b.length || (i < a.length && (a[i] as Interval).startMs <= (b[j] as Interval).startMs);
    push(out, fromA ? (a[i++] as Interval) : (b[j++] as Interval));
    n += 1;
    if (n % stepItems === 0) yield;
  }
  return out;
}

/** The union of two normalized lists, in one pass. */
export function mergeUnions(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  return runToEnd(mergeUnionsSteps(a, b));
}

function* measureSteps(intervals: readonly Interval[]): Steps<number> {
  let total = 0;
  for (let k = 0; k < intervals.length; k += 1) {
    const i = intervals[k] as Interval;
    total += i.endMs - i.startMs;
    if (k % (stepItems * 8) === stepItems * 8 - 1) yield;
  }
  return total;
}

/** Total length of normalized intervals. */
export function measureMs(intervals: readonly Interval[]): number {
  return runToEnd(measureSteps(intervals));
}

/**
 * The value that would be at `k` if `values` were sorted ascending (values is reordered).
 * Quickselect: linear on average, stepped every few thousand comparisons.
 */
function* selectSteps(values: Float64Array, k: number): Steps<number> {
  let lo = 0;
  let hi = values.length - 1;
  let work = 0;
  while (lo < hi) {
    // Median of three as the pivot, so sorted and reversed input stay linear.
    const mid = (lo + hi) >>> 1;
    const a = values[lo] as number;
    const b = values[mid] as number;
    const c = values[hi] as number;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] as number) < pivot) i += 1;
      while ((values[j] as number) > pivot) j -= 1;
      if (i <= j) {
        const t = values[i] as number;
        values[i] = values[j] as number;
        values[j] = t;
        i += 1;
        j -= 1;
      }
      work += 1;
      if (work % (stepItems * 4) === 0) yield;
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k] as number;
}

function* capIntervalsSteps(intervals: readonly Interval[], max: number): Steps<{ intervals: Interval[]; capped: boolean }> {
  const keep = Math.max(1, Math.floor(max));
  if (intervals.length <= keep) return { intervals: [...intervals], capped: false };
  // Keep the (keep - 1) largest gaps, ties broken by position (earlier first) so the result is
  // deterministic: every gap larger than the (keep - 1)-th largest, then the earliest of those equal to it.
  const gapCount = intervals.length - 1;
  const sizeOf = (k: number): number => (intervals[k + 1] as Interval).startMs - (intervals[k] as Interval).endMs;
  const keptCount = keep - 1;
  let threshold = Number.POSITIVE_INFINITY;
  let larger = 0;
  if (keptCount > 0) {
    const sizes = new Float64Array(gapCount);
    for (let k = 0; k < gapCount; k += 1) {
      sizes[k] = sizeOf(k);
      if (k % stepItems === stepItems - 1) yield;
    }
    threshold = yield* selectSteps(sizes, gapCount - keptCount);
    for (let k = 0; k < gapCount; k += 1) {
      if (sizeOf(k) > threshold) larger += 1;
      if (k % stepItems === stepItems - 1) yield;
    }
  }
  let equalLeft = keptCount - larger;
  const out: Interval[] = [];
  let start = (intervals[0] as Interval).startMs;
  for (let k = 0; k < intervals.length; k += 1) {
    let kept = false;
    if (k < gapCount && keptCount > 0) {
      const size = sizeOf(k);
      if (size > threshold) kept = true;
      else if (size === threshold && equalLeft > 0) {
        kept = true;
        equalLeft -= 1;
      }
    }
    if (k === intervals.length - 1 || kept) {
      out.push({ startMs: start, endMs: (intervals[k] as Interval).endMs });
      if (k + 1 < intervals.length) start = (intervals[k + 1] as Interval).startMs;
    }
    if (k % stepItems === stepItems - 1) yield;
  }
  return { intervals: out, capped: true };
}

/**
 * At most `max` intervals: closes the smallest gaps first, so the first start and the last end
 * stay exact and coverage is overstated by as little as possible.
 */
export function capIntervals(intervals: readonly Interval[], max: number): { intervals: Interval[]; capped: boolean } {
  return runToEnd(capIntervalsSteps(intervals, max));
}

/** part / whole in percent, two decimals; never rounds a partial share to 0 or 100. */
export function percentOf(part: number, whole: number): number {
  if (!(whole > 0) || !(part > 0)) return 0;
  if (part >= whole) return 100;
  const percent = Math.round((part / whole) * 10_000) / 100;
  return Math.min(99.99, Math.max(0.01, percent));
}

/** Running totals while cameras are added one by one, so a scan holds one camera's ranges at a time. */
export interface SpanTotals {
  readonly cameraCount: number;
  readonly truncated: boolean;
  readonly recorded: readonly Interval[];
  readonly placeholders: readonly Interval[];
  /** Sum over cameras of each camera's own recorded (resp. placeholder) time. */
  readonly recordedCameraMs: number;
  readonly placeholderCameraMs: number;
}

export const emptyTotals: SpanTotals = { cameraCount: 0, truncated: false, recorded: [], placeholders: [], recordedCameraMs: 0, placeholderCameraMs: 0 };

/** A union over the bound is coarsened to three quarters of it, so that capIntervals runs rarely, not once per camera. */
function* boundedSteps(union: Interval[], max: number): Steps<{ intervals: Interval[]; capped: boolean }> {
  return union.length <= max ? { intervals: union, capped: false } : yield* capIntervalsSteps(union, Math.max(1, Math.floor((max * 3) / 4)));
}

function* addCameraSteps(totals: SpanTotals, camera: CameraRanges, limits: SpanLimits): Steps<SpanTotals> {
  const recorded = yield* normalizeSteps(camera.recorded, rangeInterval);
  const placeholders = yield* normalizeSteps(camera.placeholders, rangeInterval);
  const recordedUnion = yield* boundedSteps(yield* mergeUnionsSteps(totals.recorded, recorded), limits.maxIntervals);
  const placeholderUnion = yield* boundedSteps(yield* mergeUnionsSteps(totals.placeholders, placeholders), limits.maxIntervals);
  return {
    cameraCount: totals.cameraCount + 1,
    truncated: totals.truncated || camera.truncated || recordedUnion.capped || placeholderUnion.capped,
    recorded: recordedUnion.intervals,
    placeholders: placeholderUnion.intervals,
    recordedCameraMs: totals.recordedCameraMs + (yield* measureSteps(recorded)),
    placeholderCameraMs: totals.placeholderCameraMs + (yield* measureSteps(placeholders)),
  };
}

/** Adds one camera's ranges to the totals. */
export function addCamera(totals: SpanTotals, camera: CameraRanges, limits: SpanLimits = defaultSpanLimits): SpanTotals {
  return runToEnd(addCameraSteps(totals, camera, limits));
}

/**
 * addCamera in slices: the event loop gets a turn whenever `pace` says (a camera with a quarter
 * of a million ranges takes far longer than one slice); throws if its signal aborts.
 */
export function foldCamera(totals: SpanTotals, camera: CameraRanges, limits: SpanLimits, pace: Pace): Promise<SpanTotals> {
  return pace.run(addCameraSteps(totals, camera, limits));
}

function dataSpan(union: readonly Interval[]): DataSpan {
  const first = union[0];
  const last = union[union.length - 1];
  if (first === undefined || last === undefined) return { oldestMs: null, newestMs: null, spanMs: 0, coveredMs: 0 };
  return { oldestMs: first.startMs, newestMs: last.endMs, spanMs: last.endMs - first.startMs, coveredMs: measureMs(union) };
}

/** The spans the totals describe. */
export function spansOf(totals: SpanTotals): StorageSpans {
  const cameraData = dataSpan(totals.recorded);
  const placeholderData = dataSpan(totals.placeholders);
  return {
    cameraCount: totals.cameraCount,
    truncated: totals.truncated,
    cameraData: { ...cameraData, coveragePercent: percentOf(cameraData.coveredMs, cameraData.spanMs) },
    placeholderData: { ...placeholderData, sharePercent: percentOf(totals.placeholderCameraMs, totals.recordedCameraMs + totals.placeholderCameraMs) },
  };
}

/**
 * The spans of a storage from every camera's ranges.
 *
 * @example
 *   storageSpans([{ cameraId: 'c1', recorded: [{ startMs: 0, endMs: 9_900, fps: 10 }], placeholders: [], truncated: false }])
 *   // cameraData: { oldestMs: 0, newestMs: 10_000, spanMs: 10_000, coveredMs: 10_000, coveragePercent: 100 }
 *   // placeholderData: { oldestMs: null, newestMs: null, spanMs: 0, coveredMs: 0, sharePercent: 0 }
 */
export function storageSpans(cameras: readonly CameraRanges[], limits: SpanLimits = defaultSpanLimits): StorageSpans {
  let totals = emptyTotals;
  for (const camera of cameras) totals = addCamera(totals, camera, limits);
  return spansOf(totals);
}
