// The backfill planner: which placeholders to create while the recorder is stopped, which
// pieces of the peer's blocks to copy into them (newest first), and which placeholders can
// never be filled. Pure: index entries in, plans out; time is an input.
//
// Placeholders and pieces are cut along frame spans (intervals.ts): a gap starts right after
// this node's last frame and ends right before its next one, so whatever frame the peer holds
// in between lies inside it, whatever the spacing of frame times. What is worth doing is
// judged in coverage, as the audit measures: a placeholder whose pieces could not reduce the
// audit's missing time (a leftover beside a piece whose first or last frame lay inside the
// asked range) is void, and never a task.
import type { BlockContent } from '../../media-store/format.js';
import { auditSets, checkEntries, pendingOf, type StoredEntry, type UnindexedRange } from './audit.js';
import { clipFrom, coverageOf, entryCoverage, frameSpansOf, hullsWithin, intersects, normalize, subtract, union, type Interval } from './intervals.js';

/** A placeholder to create. Index ranges are INCLUSIVE: [startMs, endMs], with an fps. */
export interface PlaceholderRange {
  readonly startMs: number;
  readonly endMs: number;
  readonly fps: number;
}

export interface PlaceholderPlanInput {
  /** This node's index entries, sorted. */
  readonly own: readonly StoredEntry[];
  /** Frames on disk not indexed yet: the recorder indexes them when it opens the storage, so no placeholder may cover them. */
  readonly ownUnindexed: readonly UnindexedRange[];
  /** The peer's recorded and filled entries, sorted. */
  readonly peer: readonly StoredEntry[];
  readonly retentionStartMs: number;
  /**
   * The recorder is about to start: also reserve from the end of this node's newest entry (or
   * unindexed range) to tailEndMs, which the peer records meanwhile and seals later. When this
   * node holds nothing, from the start of the peer's oldest entry within retention. null: no tail.
   */
  readonly tailEndMs: number | null;
  /** The frame rate of placeholders no peer entry gives one for (the tail). */
  readonly fps: number;
}

function checkTime(value: unknown, what: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new RangeError(`backfill: ${what} must be an integer number of ms, got ${String(value)}`);
}

/** Index of the last entry starting before `timeMs` (-1 if none). */
function lastStartingBefore(entries: readonly StoredEntry[], timeMs: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((entries[mid] as StoredEntry).startMs < timeMs) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The frame rate of the last peer entry with frames in `interval`, else `fps`. */
function fpsAt(peer: readonly StoredEntry[], interval: Interval, fps: number): number {
  const entry = peer[lastStartingBefore(peer, interval.endMs)];
  return entry !== undefined && entry.endMs >= interval.startMs ? entry.fps : fps;
}

/** Where the tail starts: right after this node's newest data, else at the peer's oldest entry within retention; null: no tail. */
function tailStartMs(own: readonly StoredEntry[], ownUnindexed: readonly UnindexedRange[], peer: readonly StoredEntry[], retentionStartMs: number): number | null {
  let newestMs: number | null = null;
  for (const range of [...own, ...ownUnindexed]) if (newestMs === null || range.endMs > newestMs) newestMs = range.endMs;
  if (newestMs !== null) return newestMs + 1;
  const within = peer.find((entry) => entry.endMs >= retentionStartMs);
  return within === undefined ? null : within.startMs;
}

/**
 * The placeholders to create while the recorder is stopped: every gap in which the peer holds
 * frames this node lacks (from right after this node's last frame before it to right before
 * its next, cut down to the first and last instant a peer frame can lie at), plus the tail,
 * within retention, merged, never overlapping an own entry or unindexed range. Creating them
 * and planning again gives [].
 *
 * @example
 *   // Crashed after the frame at 4.9 s; the peer holds 0..9.9 s and 10..19.9 s (10 fps); the recorder starts at 25 s.
 *   planPlaceholders({ own: [recorded 0..4_900], ownUnindexed: [], peer: [0..9_900, 10_000..19_900], retentionStartMs: 0, tailEndMs: 25_000, fps: 10 })
 *   // [{ startMs: 4_901, endMs: 25_000, fps: 10 }]
 */
export function planPlaceholders(input: PlaceholderPlanInput): PlaceholderRange[] {
  const { peer, peerCoverage, missing } = auditSets(input);
  if (input.tailEndMs !== null) checkTime(input.tailEndMs, 'tailEndMs');
  if (typeof input.fps !== 'number' || !Number.isFinite(input.fps) || input.fps <= 0) throw new RangeError(`backfill: fps must be a positive number, got ${String(input.fps)}`);
  const retentionStartMs = input.retentionStartMs;
  const blocked = union(frameSpansOf(input.own), frameSpansOf(input.ownUnindexed));
  const unreserved = subtract(missing, coverageOf(pendingOf(input.own)));
  // Gaps between this node's frames (and placeholders) where the peer has coverage; only those
  // with unreserved missing time are worth a placeholder, cut to the peer's frame spans.
  const gaps = clipFrom(subtract(peerCoverage, blocked), retentionStartMs).filter((gap) => intersects(unreserved, gap));
  const reserve = hullsWithin(gaps, frameSpansOf(peer));
  let tail: Interval[] = [];
  if (input.tailEndMs !== null) {
    const startMs = tailStartMs(input.own, input.ownUnindexed, peer, retentionStartMs);
    if (startMs !== null) tail = clipFrom(normalize([{ startMs, endMs: input.tailEndMs + 1 }]), retentionStartMs);
  }
  return subtract(union(reserve, tail), blocked).map((interval) => ({ startMs: interval.startMs, endMs: interval.endMs - 1, fps: fpsAt(peer, interval, input.fps) }));
}

/** A piece of one peer block to copy into a pending placeholder. */
export interface FillTask {
  readonly cameraId: string;
  /** The peer entry's startMs (how the peer names the block). */
  readonly peerBlockStartMs: number;
  /** Inclusive frame-time bounds of the piece: max(peer start, placeholder start, retention start) .. min(peer end, placeholder end). */
  readonly fromMs: number;
  readonly toMs: number;
  /** The piece is the whole peer block: then its bytes must have sha256 === peerSha256. */
  readonly whole: boolean;
  readonly peerSha256: string;
  /** The peer block's bytes, scaled by the piece's share of the block's coverage (whole: exact). */
  readonly bytesEstimate: number;
  /** `${cameraId}/${peerBlockStartMs}/${fromMs}`: stable, for the resumable cursor. */
  readonly key: string;
}

export interface FillPlanInput {
  readonly cameraId: string;
  /** This node's index entries, sorted. */
  readonly own: readonly StoredEntry[];
  /** The peer's recorded and filled entries, sorted. */
  readonly peer: readonly StoredEntry[];
  readonly retentionStartMs: number;
  /** Keys of tasks already done (the cursor): never planned again. */
  readonly done?: ReadonlySet<string>;
}

/** One peer entry's part of one pending placeholder, within retention (inclusive bounds). */
interface Piece {
  readonly placeholder: StoredEntry;
  readonly peer: StoredEntry;
  readonly fromMs: number;
  readonly toMs: number;
}

/** Every non-empty piece of `placeholders` by `peer` entries (both sorted and disjoint), in time order. */
function piecesOf(placeholders: readonly StoredEntry[], peer: readonly StoredEntry[], retentionStartMs: number): Piece[] {
  const out: Piece[] = [];
  let j = 0;
  for (const placeholder of placeholders) {
    // Peer entries ending before this placeholder end before every later one too.
    while (j < peer.length && (peer[j] as StoredEntry).endMs < placeholder.startMs) j += 1;
    for (let k = j; k < peer.length && (peer[k] as StoredEntry).startMs <= placeholder.endMs; k += 1) {
      const entry = peer[k] as StoredEntry;
      const fromMs = Math.max(entry.startMs, placeholder.startMs, retentionStartMs);
      const toMs = Math.min(entry.endMs, placeholder.endMs);
      if (fromMs <= toMs) out.push({ placeholder, peer: entry, fromMs, toMs });
    }
  }
  return out;
}

/** True if copying the piece could reduce the missing time: the most its frames could show meets it. */
function worthCopying(piece: Piece, missing: readonly Interval[]): boolean {
  return intersects(missing, entryCoverage({ startMs: piece.fromMs, endMs: piece.toMs, fps: piece.peer.fps }));
}

/** Newest first: by toMs, then fromMs, descending; then by cameraId, so that the order is total. */
function newestFirst(a: FillTask, b: FillTask): number {
  return b.toMs - a.toMs || b.fromMs - a.fromMs || (a.cameraId < b.cameraId ? -1 : a.cameraId > b.cameraId ? 1 : 0);
}

function taskOf(cameraId: string, piece: Piece): FillTask {
  const { peer, fromMs, toMs } = piece;
  const whole = fromMs === peer.startMs && toMs === peer.endMs;
  const block = entryCoverage(peer);
  const part = entryCoverage({ startMs: fromMs, endMs: toMs, fps: peer.fps });
  const bytesEstimate = whole ? peer.bytes : Math.min(peer.bytes, Math.ceil((peer.bytes * (part.endMs - part.startMs)) / (block.endMs - block.startMs)));
  return { cameraId, peerBlockStartMs: peer.startMs, fromMs, toMs, whole, peerSha256: peer.sha256 as string, bytesEstimate, key: `${cameraId}/${peer.startMs}/${fromMs}` };
}

/**
 * The pieces of the peer's blocks to copy into this node's pending placeholders, newest first:
 * one per peer entry and placeholder they share (within retention), never into recorded or
 * filled time, leaving out tasks in `done` and pieces that could not reduce the missing time.
 *
 * @example
 *   // A placeholder 4_901..19_900; the peer holds 0..9_900 and 10_000..19_900 (10 fps).
 *   planFills({ cameraId: 'c1', own, peer, retentionStartMs: 0 })
 *   // [{ peerBlockStartMs: 10_000, fromMs: 10_000, toMs: 19_900, whole: true, key: 'c1/10000/10000', … },
 *   //  { peerBlockStartMs: 0, fromMs: 4_901, toMs: 9_900, whole: false, key: 'c1/0/4901', … }]
 */
export function planFills(input: FillPlanInput): FillTask[] {
  const { peer, missing } = auditSets({ own: input.own, ownUnindexed: [], peer: input.peer, retentionStartMs: input.retentionStartMs });
  const done = input.done ?? new Set<string>();
  const tasks: FillTask[] = [];
  for (const piece of piecesOf(pendingOf(input.own), peer, input.retentionStartMs)) {
    if (!worthCopying(piece, missing)) continue;
    const task = taskOf(input.cameraId, piece);
    if (!done.has(task.key)) tasks.push(task);
  }
  return tasks.sort(newestFirst);
}

/**
 * At most `max` tasks across cameras, newest first. Each list must be newest first (as
 * planFills returns it).
 *
 * @example mergeNewestFirst([planFills(c1), planFills(c2)], 64)
 */
export function mergeNewestFirst(perCamera: readonly (readonly FillTask[])[], max: number): FillTask[] {
  if (!Number.isSafeInteger(max) || max < 0) throw new RangeError(`backfill: max must be a count, got ${String(max)}`);
  // A binary heap of the cameras' next tasks, newest on top: max · log(cameras) steps.
  const next = perCamera.map(() => 0);
  const headOf = (c: number): FillTask => (perCamera[c] as readonly FillTask[])[next[c] as number] as FillTask;
  const before = (x: number, y: number): boolean => newestFirst(headOf(x), headOf(y)) < 0;
  const heap = perCamera.flatMap((tasks, c) => (tasks.length > 0 ? [c] : []));
  const swap = (i: number, j: number): void => {
    [heap[i], heap[j]] = [heap[j] as number, heap[i] as number];
  };
  const siftDown = (from: number): void => {
    for (let i = from; ; ) {
      const left = 2 * i + 1;
      let top = i;
      if (left < heap.length && before(heap[left] as number, heap[top] as number)) top = left;
      if (left + 1 < heap.length && before(heap[left + 1] as number, heap[top] as number)) top = left + 1;
      if (top === i) return;
      swap(i, top);
      i = top;
    }
  };
  for (let i = (heap.length >>> 1) - 1; i >= 0; i -= 1) siftDown(i);
  const out: FillTask[] = [];
  while (out.length < max && heap.length > 0) {
    const c = heap[0] as number;
    out.push(headOf(c));
    next[c] = (next[c] as number) + 1;
    if ((next[c] as number) >= (perCamera[c] as readonly FillTask[]).length) {
      swap(0, heap.length - 1);
      heap.pop();
    }
    siftDown(0);
  }
  return out;
}

export interface VoidPlanInput {
  /** This node's index entries, sorted. */
  readonly own: readonly StoredEntry[];
  /** The peer's recorded and filled entries, sorted. */
  readonly peer: readonly StoredEntry[];
  /** The last frame time of the peer's newest sealed entry for this camera; null: none known. */
  readonly peerSealedEndMs: number | null;
  readonly retentionStartMs: number;
}

/**
 * Pending placeholders that can never be filled, by startMs (for `delete` records): entirely
 * older than the peer's newest sealed frame, and no piece of them worth copying — gaps
 * between the peer's blocks, time the peer did not record either, or the leftovers of a fill
 * beside its first or last frame. Placeholders entirely older than retention are left to
 * retention.
 *
 * @example
 *   // Placeholder 0..29_900; the peer holds 0..9_900 and 20_000..29_900, both copied since.
 *   planVoidPlaceholders({ own, peer, peerSealedEndMs: 29_900, retentionStartMs: 0 }) // [9_901]
 */
export function planVoidPlaceholders(input: VoidPlanInput): number[] {
  const { peer, missing } = auditSets({ own: input.own, ownUnindexed: [], peer: input.peer, retentionStartMs: input.retentionStartMs });
  if (input.peerSealedEndMs === null) return [];
  checkTime(input.peerSealedEndMs, 'peerSealedEndMs');
  const sealedEndMs = input.peerSealedEndMs;
  const candidates = pendingOf(input.own).filter((placeholder) => placeholder.endMs >= input.retentionStartMs && placeholder.endMs < sealedEndMs);
  const worth = new Set<StoredEntry>();
  for (const piece of piecesOf(candidates, peer, input.retentionStartMs)) if (worthCopying(piece, missing)) worth.add(piece.placeholder);
  return candidates.filter((placeholder) => !worth.has(placeholder)).map((placeholder) => placeholder.startMs);
}

/** A `fill` record: the first and last frame of a block copied from the peer, its size and SHA-256. */
export type FillRecord = BlockContent;

/**
 * `own` after a fill, by the index's rule: the fill must lie inside one pending placeholder
 * [a, b], which becomes placeholder [a, c-1] (if c > a), filled [c, d], placeholder [d+1, b]
 * (if d < b). The same fill again changes nothing; anything else throws.
 *
 * @example applyFill([placeholder 0..999], { startMs: 100, endMs: 899, … }) // [placeholder 0..99, filled 100..899, placeholder 900..999]
 */
export function applyFill(own: readonly StoredEntry[], fill: FillRecord): StoredEntry[] {
  checkEntries(own, 'own');
  checkEntries([{ state: 'filled', ...fill }], 'fill');
  const at = lastStartingBefore(own, fill.startMs + 1);
  const entry = own[at];
  if (entry !== undefined && entry.state === 'filled' && entry.startMs === fill.startMs && entry.endMs === fill.endMs && entry.sha256 === fill.sha256) return [...own];
  if (entry === undefined || entry.state !== 'placeholder' || entry.endMs < fill.endMs) {
    throw new RangeError(`backfill: fill ${fill.startMs}..${fill.endMs} does not lie inside one pending placeholder`);
  }
  const pieces: StoredEntry[] = [];
  if (fill.startMs > entry.startMs) pieces.push({ ...entry, endMs: fill.startMs - 1 });
  pieces.push({ state: 'filled', ...fill });
  if (fill.endMs < entry.endMs) pieces.push({ ...entry, startMs: fill.endMs + 1 });
  return [...own.slice(0, at), ...pieces, ...own.slice(at + 1)];
}
