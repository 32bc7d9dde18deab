// Interval sets for the gap audit and the backfill planner: half-open [startMs, endMs)
// intervals kept sorted, disjoint and non-adjacent ("normalized"). Every operation on two sets
// is one linear merge; inputs must be normalized (normalize() makes any list so).
//
// A stored range (first..last frame time, both inclusive) is seen two ways:
// - its coverage, [first, last + one frame interval): the time its frames show. The gap audit
//   measures in coverage, as the storage spans do, so back-to-back blocks touch.
// - its frame span, [first, last + 1): the instants at which its frames lie. Placeholders and
//   fills are cut along frame spans, because index ranges are inclusive frame times and a
//   frame interval may be 33 or 34 ms (frame n at floor(n * 1000 / fps)), so a coverage edge
//   can pass a frame the range does not hold.
//
// The set basics (type, normalize, union, measure, a range's coverage) are the storage spans'
// (../storage/spans.ts), so that the audit and the spans a node reports measure alike.
import { measureMs, mergeUnions, normalize, rangeInterval, type Interval } from '../storage/spans.js';
import type { MediaRange } from '../storage/storage-adapter.js';

export { measureMs, normalize, type Interval };

/**
 * Time in `a` or in `b`.
 *
 * @example union([{ startMs: 0, endMs: 10 }], [{ startMs: 10, endMs: 20 }]) // [{ startMs: 0, endMs: 20 }]
 */
export function union(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  return mergeUnions(a, b);
}

/**
 * Time in `a` and not in `b`.
 *
 * @example subtract([{ startMs: 0, endMs: 100 }], [{ startMs: 40, endMs: 60 }]) // [{ startMs: 0, endMs: 40 }, { startMs: 60, endMs: 100 }]
 */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const x of a) {
    // b's intervals ending before x cannot touch any later interval of a either.
    while (j < b.length && (b[j] as Interval).endMs <= x.startMs) j += 1;
    let startMs = x.startMs;
    for (let k = j; k < b.length && startMs < x.endMs; k += 1) {
      const cut = b[k] as Interval;
      if (cut.startMs >= x.endMs) break;
      if (cut.startMs > startMs) out.push({ startMs, endMs: cut.startMs });
      startMs = Math.max(startMs, cut.endMs);
    }
    if (startMs < x.endMs) out.push({ startMs, endMs: x.endMs });
  }
  return out;
}

/**
 * Time in both `a` and `b`.
 *
 * @example intersect([{ startMs: 0, endMs: 50 }], [{ startMs: 40, endMs: 90 }]) // [{ startMs: 40, endMs: 50 }]
 */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Interval;
    const y = b[j] as Interval;
    const startMs = Math.max(x.startMs, y.startMs);
    const endMs = Math.min(x.endMs, y.endMs);
    if (startMs < endMs) out.push({ startMs, endMs });
    if (x.endMs < y.endMs) i += 1;
    else j += 1;
  }
  return out;
}

/** Index of the first interval of `set` ending after `timeMs` (set.length if none). */
function firstEndingAfter(set: readonly Interval[], timeMs: number): number {
  let lo = 0;
  let hi = set.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((set[mid] as Interval).endMs <= timeMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The part of `set` at or after `fromMs`.
 *
 * @example clipFrom([{ startMs: 0, endMs: 50 }, { startMs: 60, endMs: 90 }], 40) // [{ startMs: 40, endMs: 50 }, { startMs: 60, endMs: 90 }]
 */
export function clipFrom(set: readonly Interval[], fromMs: number): Interval[] {
  const out = set.slice(firstEndingAfter(set, fromMs));
  const first = out[0];
  if (first !== undefined && first.startMs < fromMs) out[0] = { startMs: fromMs, endMs: first.endMs };
  return out;
}

/**
 * True if all of `interval` lies in `set` (an empty interval always does).
 *
 * @example contains([{ startMs: 0, endMs: 50 }], { startMs: 10, endMs: 50 }) // true
 */
export function contains(set: readonly Interval[], interval: Interval): boolean {
  if (interval.endMs <= interval.startMs) return true;
  const x = set[firstEndingAfter(set, interval.startMs)];
  // Normalized sets have no touching intervals, so one interval must hold it all.
  return x !== undefined && x.startMs <= interval.startMs && interval.endMs <= x.endMs;
}

/**
 * True if some of `interval` lies in `set`.
 *
 * @example intersects([{ startMs: 0, endMs: 50 }], { startMs: 50, endMs: 60 }) // false
 */
export function intersects(set: readonly Interval[], interval: Interval): boolean {
  if (interval.endMs <= interval.startMs) return false;
  const x = set[firstEndingAfter(set, interval.startMs)];
  return x !== undefined && x.startMs < interval.endMs;
}

/**
 * Each interval of `set` shrunk to the hull of its part in `within`; those with no part in it
 * are dropped. The planner uses it to cut a gap down to the first and last instant at which
 * the peer can hold a frame.
 *
 * @example hullsWithin([{ startMs: 0, endMs: 100 }], [{ startMs: 10, endMs: 20 }, { startMs: 50, endMs: 60 }]) // [{ startMs: 10, endMs: 60 }]
 */
export function hullsWithin(set: readonly Interval[], within: readonly Interval[]): Interval[] {
  const parts = intersect(set, within);
  const out: Interval[] = [];
  let k = 0;
  for (const x of set) {
    let first: Interval | undefined;
    let last: Interval | undefined;
    // Every part lies inside exactly one interval of `set`, in order.
    while (k < parts.length && (parts[k] as Interval).startMs < x.endMs) {
      last = parts[k] as Interval;
      first ??= last;
      k += 1;
    }
    if (first !== undefined && last !== undefined) out.push({ startMs: first.startMs, endMs: last.endMs });
  }
  return out;
}

/**
 * The time a stored range's frames show: [first frame, last frame + one frame interval), the
 * frame interval rounded up to whole ms (`Math.ceil(1000 / fps)`).
 *
 * @example entryCoverage({ startMs: 0, endMs: 9_966, fps: 30 }) // { startMs: 0, endMs: 10_000 }
 */
export function entryCoverage(range: MediaRange): Interval {
  return rangeInterval(range);
}

/**
 * The instants at which a stored range's frames lie: [first frame, last frame + 1).
 *
 * @example frameSpan({ startMs: 0, endMs: 9_966, fps: 30 }) // { startMs: 0, endMs: 9_967 }
 */
export function frameSpan(range: { readonly startMs: number; readonly endMs: number }): Interval {
  return { startMs: range.startMs, endMs: range.endMs + 1 };
}

/** The union of the ranges' coverage, normalized. */
export function coverageOf(ranges: readonly MediaRange[]): Interval[] {
  return normalize(ranges.map(entryCoverage));
}

/** The union of the ranges' frame spans, normalized. */
export function frameSpansOf(ranges: readonly { readonly startMs: number; readonly endMs: number }[]): Interval[] {
  return normalize(ranges.map(frameSpan));
}
