// Storage spans, the figures the Management Client plug-in shows per storage ("Camera data:
// 0 days, 14:14:34, 100 %", "Placeholder data: 0 days, 00:00:00, 0 %"), computed from the
// ranges a storage adapter enumerates. Pure: ranges in, numbers out.
//
// Time model: a range's frames are instants (first..last frame time), and each frame lasts one
// frame interval, so a range covers [first frame, last frame + one frame interval). Blocks
// recorded back to back then touch exactly, a missing frame leaves a gap of its own length,
// and a span's length is exactly newest - oldest.
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

/** Sorts and merges intervals: the result is sorted, with no two overlapping or touching. */
export function normalize(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.endMs > i.startMs).sort((a, b) => a.startMs - b.startMs);
  const out: Interval[] = [];
  for (const next of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && next.startMs <= last.endMs) {
      if (next.endMs > last.endMs) out[out.length - 1] = { startMs: last.startMs, endMs: next.endMs };
    } else {
      out.push(next);
    }
  }
  return out;
}

/** The union of ranges as normalized intervals. */
export function unionOfRanges(ranges: readonly MediaRange[]): Interval[] {
  return normalize(ranges.map(rangeInterval));
}

/** The union of two normalized lists, in one pass. */
export function mergeUnions(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const fromA = j >= b.length || (i < a.length && (a[i] as Interval).startMs <= (b[j] as Interval).startMs);
    const next = fromA ? (a[i++] as Interval) : (b[j++] as Interval);
    const last = out[out.length - 1];
    if (last !== undefined && next.startMs <= last.endMs) {
      if (next.endMs > last.endMs) out[out.length - 1] = { startMs: last.startMs, endMs: next.endMs };
    } else {
      out.push(next);
    }
  }
  return out;
}

/** Total length of normalized intervals. */
export function measureMs(intervals: readonly Interval[]): number {
  let total = 0;
  for (const i of intervals) total += i.endMs - i.startMs;
  return total;
}

/**
 * At most `max` intervals: closes the smallest gaps first, so the first start and the last end
 * stay exact and coverage is overstated by as little as possible.
 */
export function capIntervals(intervals: readonly Interval[], max: number): { intervals: Interval[]; capped: boolean } {
  const keep = Math.max(1, Math.floor(max));
  if (intervals.length <= keep) return { intervals: [...intervals], capped: false };
  // Keep the (keep - 1) largest gaps; ties broken by position so the result is deterministic.
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

/** A union over the bound is coarsened to three quarters of it, so the sort in capIntervals runs rarely, not once per camera. */
function bounded(union: Interval[], max: number): { intervals: Interval[]; capped: boolean } {
  return union.length <= max ? { intervals: union, capped: false } : capIntervals(union, Math.max(1, Math.floor((max * 3) / 4)));
}

/** Adds one camera's ranges to the totals. */
export function addCamera(totals: SpanTotals, camera: CameraRanges, limits: SpanLimits = defaultSpanLimits): SpanTotals {
  const recorded = unionOfRanges(camera.recorded);
  const placeholders = unionOfRanges(camera.placeholders);
  const recordedUnion = bounded(mergeUnions(totals.recorded, recorded), limits.maxIntervals);
  const placeholderUnion = bounded(mergeUnions(totals.placeholders, placeholders), limits.maxIntervals);
  return {
    cameraCount: totals.cameraCount + 1,
    truncated: totals.truncated || camera.truncated || recordedUnion.capped || placeholderUnion.capped,
    recorded: recordedUnion.intervals,
    placeholders: placeholderUnion.intervals,
    recordedCameraMs: totals.recordedCameraMs + measureMs(recorded),
    placeholderCameraMs: totals.placeholderCameraMs + measureMs(placeholders),
  };
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
