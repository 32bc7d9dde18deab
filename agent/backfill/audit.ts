// The gap audit: per camera, the time the peer holds and this node lacks, within this node's
// retention. Pure: index entries in, intervals and figures out; time is an input.
//
// Measured in coverage (intervals.ts): a frame of the peer's is missing exactly when some of the
// time it shows is not shown by this node's own frames, so every missing frame counts (at least
// 1 ms of it, frames being at least 2 ms apart) and back-to-back blocks leave no sliver. The one
// allowance is at retentionStartMs: what the peer's older frames show after it counts as held,
// so in the first frame interval of retention up to one frame interval may go uncounted.
import type { MediaRange, StoredEntry } from '../storage/storage-adapter.js';
import { clipFrom, coverageOf, intersect, measureMs, subtract, union, type Interval } from './intervals.js';

/** One index entry of a camera, as the storage port reads it. */
export type { StoredEntry };

/** Frames on disk that the index does not list yet (the open block of a recorder that crashed). */
export type UnindexedRange = MediaRange;

export interface CameraAuditInput {
  readonly cameraId: string;
  /** This node's index entries, sorted by startMs, never overlapping. */
  readonly own: readonly StoredEntry[];
  /** Frames on disk not indexed yet: they count as this node's data. */
  readonly ownUnindexed: readonly UnindexedRange[];
  /** The peer's recorded and filled entries, sorted (its placeholders, content it lacks too, are ignored). */
  readonly peer: readonly StoredEntry[];
  /** This node keeps nothing older: no frame before it counts as missing. */
  readonly retentionStartMs: number;
}

export interface CameraAudit {
  readonly cameraId: string;
  /** Time the peer's frames show and this node's recorded, filled or unindexed frames do not, from retentionStartMs on (sorted, merged). */
  readonly missing: readonly Interval[];
  readonly missingMs: number;
  /** The part of `missing` that pending placeholders already reserve. */
  readonly placeholders: readonly Interval[];
  readonly placeholderMs: number;
  /** Start of the oldest missing interval (the node is complete until then); null when nothing is missing. */
  readonly completeUntilMs: number | null;
  /** End of the newest missing interval (the node is complete since then); null when nothing is missing. */
  readonly completeSinceMs: number | null;
}

const isContent = (entry: StoredEntry): boolean => entry.state === 'recorded' || entry.state === 'filled';

/** Entries with content on disk (recorded or filled). */
export function contentOf(entries: readonly StoredEntry[]): StoredEntry[] {
  return entries.filter(isContent);
}

/** Pending placeholders. */
export function pendingOf(entries: readonly StoredEntry[]): StoredEntry[] {
  return entries.filter((entry) => entry.state === 'placeholder');
}

function checkTime(value: unknown, what: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new RangeError(`backfill: ${what} must be an integer number of ms, got ${String(value)}`);
}

function checkRange(range: UnindexedRange, what: string): void {
  checkTime(range.startMs, `${what}.startMs`);
  checkTime(range.endMs, `${what}.endMs`);
  if (range.endMs < range.startMs) throw new RangeError(`backfill: ${what} ends (${range.endMs}) before it starts (${range.startMs})`);
  if (typeof range.fps !== 'number' || !Number.isFinite(range.fps) || range.fps <= 0) throw new RangeError(`backfill: ${what}.fps must be a positive number, got ${String(range.fps)}`);
}

/** Throws a RangeError naming the first range that is not a valid time range with a frame rate. */
export function checkRanges(ranges: readonly UnindexedRange[], what: string): void {
  ranges.forEach((range, k) => checkRange(range, `${what}[${k}]`));
}

const states: ReadonlySet<string> = new Set(['recorded', 'placeholder', 'filled']);

/**
 * Throws a RangeError naming the first bad entry: a bad state, time, frame rate or count, an
 * entry with content but no sha256, or entries not sorted by startMs or overlapping (an index
 * never holds such; other input is a caller's bug, better stopped than planned on).
 */
export function checkEntries(entries: readonly StoredEntry[], what: string): void {
  let previous: StoredEntry | undefined;
  entries.forEach((entry, k) => {
    const name = `${what}[${k}]`;
    if (!states.has(entry.state)) throw new RangeError(`backfill: ${name}.state must be recorded, placeholder or filled, got ${String(entry.state)}`);
    checkRange(entry, name);
    if (!Number.isSafeInteger(entry.frameCount) || entry.frameCount < 0) throw new RangeError(`backfill: ${name}.frameCount must be a count, got ${String(entry.frameCount)}`);
    if (!Number.isSafeInteger(entry.bytes) || entry.bytes < 0) throw new RangeError(`backfill: ${name}.bytes must be a count, got ${String(entry.bytes)}`);
    if (isContent(entry) && typeof entry.sha256 !== 'string') throw new RangeError(`backfill: ${name} is ${entry.state} but has no sha256`);
    if (previous !== undefined && entry.startMs <= previous.endMs) {
      throw new RangeError(`backfill: ${name} (${entry.startMs}..${entry.endMs}) starts before ${what}[${k - 1}] (${previous.startMs}..${previous.endMs}) ends: entries must be sorted by startMs and must not overlap`);
    }
    previous = entry;
  });
}

/** The checked inputs of an audit, shared with the planner. */
export interface AuditSets {
  /** The peer's recorded and filled entries. */
  readonly peer: readonly StoredEntry[];
  /** The peer's coverage. */
  readonly peerCoverage: readonly Interval[];
  /** See CameraAudit.missing. */
  readonly missing: readonly Interval[];
}

/** Checks the inputs and computes what the peer holds and this node lacks (CameraAudit.missing). */
export function auditSets(input: Omit<CameraAuditInput, 'cameraId'>): AuditSets {
  checkEntries(input.own, 'own');
  checkRanges(input.ownUnindexed, 'ownUnindexed');
  checkEntries(input.peer, 'peer');
  checkTime(input.retentionStartMs, 'retentionStartMs');
  const retentionStartMs = input.retentionStartMs;
  const peer = contentOf(input.peer);
  const peerCoverage = coverageOf(peer);
  // Frames older than retention count as held (this node need not keep them), so the time
  // such a frame shows past retentionStartMs is not missing either; a frame at or after
  // retentionStartMs still shows at least its last ms.
  const olderThanRetention = peer.filter((entry) => entry.startMs < retentionStartMs).map((entry) => ({ startMs: entry.startMs, endMs: Math.min(entry.endMs, retentionStartMs - 1), fps: entry.fps }));
  const held = union(union(coverageOf(contentOf(input.own)), coverageOf(input.ownUnindexed)), coverageOf(olderThanRetention));
  return { peer, peerCoverage, missing: clipFrom(subtract(peerCoverage, held), retentionStartMs) };
}

/**
 * What one camera lacks of its peer's recordings, within retention.
 *
 * @example
 *   // This node crashed at 4.9 s and came back at 20 s; its peer recorded throughout (10 fps).
 *   auditCamera({ cameraId: 'c1', retentionStartMs: 0, ownUnindexed: [],
 *     own: [{ state: 'recorded', startMs: 0, endMs: 4_900, fps: 10, frameCount: 50, bytes: 500, sha256: 'a' }],
 *     peer: [{ state: 'recorded', startMs: 0, endMs: 9_900, fps: 10, frameCount: 100, bytes: 1000, sha256: 'b' },
 *            { state: 'recorded', startMs: 10_000, endMs: 19_900, fps: 10, frameCount: 100, bytes: 1000, sha256: 'c' }] });
 *   // missing: [{ startMs: 5_000, endMs: 20_000 }], missingMs: 15_000, completeUntilMs: 5_000, completeSinceMs: 20_000
 */
export function auditCamera(input: CameraAuditInput): CameraAudit {
  const { missing } = auditSets(input);
  const placeholders = intersect(coverageOf(pendingOf(input.own)), missing);
  return {
    cameraId: input.cameraId,
    missing,
    missingMs: measureMs(missing),
    placeholders,
    placeholderMs: measureMs(placeholders),
    completeUntilMs: missing[0]?.startMs ?? null,
    completeSinceMs: missing[missing.length - 1]?.endMs ?? null,
  };
}

/** A node's audit over its cameras. */
export interface NodeAudit {
  /** Sum over cameras (camera-time, not wall time). */
  readonly missingMs: number;
  readonly placeholderMs: number;
  /** Cameras with something missing. */
  readonly camerasAffected: number;
  /** Only the cameras with something missing, most missing first (then by cameraId). */
  readonly cameras: readonly CameraAudit[];
  /** The latest completeSinceMs of any camera: the node is complete since then; null when nothing is missing. */
  readonly completeSinceMs: number | null;
}

/**
 * The node's figures from its cameras' audits.
 *
 * @example summarizeAudit([auditCamera(c1), auditCamera(c2)]) // { missingMs, placeholderMs, camerasAffected, cameras, completeSinceMs }
 */
export function summarizeAudit(audits: readonly CameraAudit[]): NodeAudit {
  const cameras = audits.filter((audit) => audit.missingMs > 0).sort((a, b) => b.missingMs - a.missingMs || (a.cameraId < b.cameraId ? -1 : a.cameraId > b.cameraId ? 1 : 0));
  let missingMs = 0;
  let placeholderMs = 0;
  let completeSinceMs: number | null = null;
  for (const audit of cameras) {
    missingMs += audit.missingMs;
    placeholderMs += audit.placeholderMs;
    if (audit.completeSinceMs !== null && (completeSinceMs === null || audit.completeSinceMs > completeSinceMs)) completeSinceMs = audit.completeSinceMs;
  }
  return { missingMs, placeholderMs, camerasAffected: cameras.length, cameras, completeSinceMs };
}
