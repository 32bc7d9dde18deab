// The latest status each node's agent reported, with when it arrived. Reports come every
// second or so and only the latest matters, so they live in memory, not in SQL: the cache is
// what the cluster state, the witness answer and the Device Overview read.
//
// Freshness: a node is reachable (its report fresh) until its silence exceeds
// reportIntervalsSilentMax of its own report intervals, as seen from their arrival times, but
// at least reportSilenceMsMin, and at most agents.staleAfterMs (which alone counts while the
// interval is unknown, after a node's first report). An agent reporting every second is thus
// unreachable 3 s after its last report instead of 10 s: a dead host stops looking alive
// about when its peer takes over. `node.agent-lost` keeps agents.staleAfterMs, so that a
// short hiccup is not recorded as a lost agent.
//
// A plain Map rather than node-cache: node-cache refuses new keys once maxKeys is reached and
// clones every value on read (a status holds up to 4096 cameras), while here a full cache
// should drop the node that has been silent longest, and readers only read.
import type { NodeStatus } from '../../../contracts/controller-v1.js';
import { reportIntervalsSilentMax, reportSilenceMsMin } from '../model/vocabulary.js';

export type CameraStatus = NodeStatus['cameras'][number];
export type StorageStatus = NodeStatus['storages'][number];
export type StorageSpans = NonNullable<StorageStatus['spans']>;

/** One node's latest report. */
export interface CachedNodeStatus {
  readonly nodeId: string;
  readonly clusterId: string;
  readonly status: NodeStatus;
  /** Monotonic receive time (ms, `performance.now()` scale): ages and freshness use this. */
  readonly receivedAtMs: number;
  /** Wall-clock receive time, for display only. */
  readonly receivedAt: Date;
  /** The node's report interval as seen from arrivals (smoothed), or null before its second report. */
  readonly reportIntervalMs: number | null;
  /**
   * The last camera list it reported that had any (this report's when it has some): a pool's
   * protected server whose recorder is down reports none, and the Device Overview still shows
   * them (device-overview.ts). The same array as that report's: no copy, bounded as the cache is.
   */
  readonly lastCameras: readonly CameraStatus[];
}

/** The list reported when it has any, else the one kept; none when neither has (a status made without cameras, as some callers' are). */
function lastCamerasOf(status: NodeStatus, previous: CachedNodeStatus | undefined | null): readonly CameraStatus[] {
  const reported = status.cameras as readonly CameraStatus[] | undefined;
  if (reported !== undefined && reported.length > 0) return reported;
  return previous?.lastCameras ?? reported ?? [];
}

/** Weight of the newest gap in the smoothed report interval: about the last four reports count. */
const intervalSmoothing = 0.25;

/**
 * The report interval after one more report arrived `gapMs` after the previous one: smoothed,
 * so that one late report does not make a node look slow. A gap beyond staleAfterMs is an
 * outage, not a pace, and leaves the interval as it was.
 *
 * @example nextReportIntervalMs(1_000, 1_400, 10_000) // 1_100
 */
export function nextReportIntervalMs(intervalMs: number | null, gapMs: number | null, staleAfterMs: number): number | null {
  if (gapMs === null || gapMs > staleAfterMs) return intervalMs;
  return intervalMs === null ? gapMs : intervalMs + (gapMs - intervalMs) * intervalSmoothing;
}

/**
 * How long a node may stay silent and still count as reachable: reportIntervalsSilentMax of its
 * report intervals, at least reportSilenceMsMin, at most staleAfterMs (all of it while the
 * interval is unknown).
 *
 * @example silenceLimitMs(1_000, 10_000) // 3_000
 * @example silenceLimitMs(100, 10_000)   // 2_500
 * @example silenceLimitMs(null, 10_000)  // 10_000
 */
export function silenceLimitMs(reportIntervalMs: number | null, staleAfterMs: number): number {
  if (reportIntervalMs === null) return staleAfterMs;
  return Math.min(staleAfterMs, Math.max(reportSilenceMsMin, reportIntervalsSilentMax * reportIntervalMs));
}

export interface NodeStatusCacheOptions {
  /** A node is fresh at most this long after its last report, and stays so this long while its report interval is unknown; its agent counts as lost beyond. */
  readonly staleAfterMs: number;
  /** Most nodes kept; when full, the node silent longest is dropped. */
  readonly maxNodes?: number;
  /** Monotonic clock in ms; injectable for tests. */
  readonly nowMs?: () => number;
  /** Wall clock; injectable for tests. */
  readonly wallClock?: () => Date;
}

export const nodeStatusCacheMaxNodes = 10_000;

/**
 * Latest NodeStatus per node id.
 *
 * @example
 *   const cache = new NodeStatusCache({ staleAfterMs: 10_000 });
 *   cache.record(clusterId, nodeId, status);
 *   cache.isFresh(nodeId)   // true for the next 10 s; once it reports every second, for 3 s after each report
 *   cache.cameras(nodeId)   // status.cameras
 */
export class NodeStatusCache {
  readonly staleAfterMs: number;
  private readonly maxNodes: number;
  private readonly nowMs: () => number;
  private readonly wallClock: () => Date;
  /** In order of the last report, oldest first (a report moves its node to the end). */
  private readonly entries = new Map<string, CachedNodeStatus>();
  /** Nodes whose silence has been announced (`node.agent-lost`) and not yet ended. */
  private readonly lost = new Set<string>();
  /** Told of every report this controller received itself (record), never of shared ones (status-share.ts). */
  private onRecord: ((nodeId: string) => void) | null = null;
  /** Told of every report taken, here or shared (watch). */
  private readonly watchers = new Set<(entry: CachedNodeStatus) => void>();

  constructor(options: NodeStatusCacheOptions) {
    if (!(options.staleAfterMs > 0)) throw new RangeError('staleAfterMs must be positive');
    this.staleAfterMs = options.staleAfterMs;
    this.maxNodes = options.maxNodes ?? nodeStatusCacheMaxNodes;
    this.nowMs = options.nowMs ?? (() => performance.now());
    this.wallClock = options.wallClock ?? (() => new Date());
  }

  /** Stores a report and returns the one it replaces (null for a node's first report). */
  record(clusterId: string, nodeId: string, status: NodeStatus): CachedNodeStatus | null {
    const previous = this.entries.get(nodeId) ?? null;
    const receivedAtMs = this.nowMs();
    const reportIntervalMs = nextReportIntervalMs(previous?.reportIntervalMs ?? null, previous === null ? null : receivedAtMs - previous.receivedAtMs, this.staleAfterMs);
    this.entries.delete(nodeId);
    const entry: CachedNodeStatus = { nodeId, clusterId, status, receivedAtMs, receivedAt: this.wallClock(), reportIntervalMs, lastCameras: lastCamerasOf(status, previous) };
    this.entries.set(nodeId, entry);
    this.evictBeyondMax();
    this.onRecord?.(nodeId);
    for (const watcher of this.watchers) watcher(entry);
    return previous;
  }

  /**
   * Stores a report another controller received (status-share.ts): it arrived there `ageMs`
   * ago, by the database's clock, so that freshness is the same on every controller whatever
   * their clocks; its report interval is that controller's. Taken only when newer than what the
   * cache holds, and told to no record listener: the events and records of a report are the
   * receiving controller's. Ends an announced silence, since the node reports again. Returns
   * whether it was taken.
   */
  recordShared(clusterId: string, nodeId: string, status: NodeStatus, ageMs: number, reportIntervalMs: number | null): boolean {
    if (!(ageMs >= 0)) throw new RangeError(`ageMs must be a non-negative number, got ${ageMs}`);
    const receivedAtMs = this.nowMs() - ageMs;
    const previous = this.entries.get(nodeId);
    if (previous !== undefined && previous.receivedAtMs >= receivedAtMs) return false;
    this.entries.delete(nodeId);
    const entry: CachedNodeStatus = { nodeId, clusterId, status, receivedAtMs, receivedAt: new Date(this.wallClock().getTime() - ageMs), reportIntervalMs, lastCameras: lastCamerasOf(status, previous) };
    this.entries.set(nodeId, entry);
    this.lost.delete(nodeId);
    this.evictBeyondMax();
    for (const watcher of this.watchers) watcher(entry);
    return true;
  }

  /** Tells `listener` (synchronously; it must not throw) of every report taken, received here or shared; returns how to stop. */
  watch(listener: (entry: CachedNodeStatus) => void): () => void {
    this.watchers.add(listener);
    return () => void this.watchers.delete(listener);
  }

  /** Sets the one listener told of each report recorded here (record), e.g. to share it; null removes it. */
  observeRecords(listener: ((nodeId: string) => void) | null): void {
    this.onRecord = listener;
  }

  private evictBeyondMax(): void {
    while (this.entries.size > this.maxNodes) {
      const oldest = this.entries.keys().next().value as string;
      this.forget(oldest);
    }
  }

  get(nodeId: string): CachedNodeStatus | undefined {
    return this.entries.get(nodeId);
  }

  /** Milliseconds since the node's last report, or null if it has not reported. */
  ageMs(nodeId: string): number | null {
    const entry = this.entries.get(nodeId);
    return entry === undefined ? null : Math.max(0, this.nowMs() - entry.receivedAtMs);
  }

  /** True when the node reported within `windowMs`. */
  reportedWithin(nodeId: string, windowMs: number): boolean {
    const age = this.ageMs(nodeId);
    return age !== null && age <= windowMs;
  }

  /** How long the node may stay silent and still be fresh (silenceLimitMs); staleAfterMs for a node not heard of. */
  silenceLimitMs(nodeId: string): number {
    return silenceLimitMs(this.entries.get(nodeId)?.reportIntervalMs ?? null, this.staleAfterMs);
  }

  /** True when the node is reachable: silent for no longer than its silence limit (see the top of this file). */
  isFresh(nodeId: string): boolean {
    return this.reportedWithin(nodeId, this.silenceLimitMs(nodeId));
  }

  /** True when the node reported once and not within agents.staleAfterMs: its agent counts as lost. */
  isSilent(nodeId: string): boolean {
    return this.entries.has(nodeId) && !this.reportedWithin(nodeId, this.staleAfterMs);
  }

  /** The node's status if it is fresh, else undefined. */
  fresh(nodeId: string): CachedNodeStatus | undefined {
    return this.isFresh(nodeId) ? this.entries.get(nodeId) : undefined;
  }

  /** Cameras from the node's latest report (empty if it has not reported). */
  cameras(nodeId: string): readonly CameraStatus[] {
    return this.entries.get(nodeId)?.status.cameras ?? [];
  }

  /** Storages from the node's latest report (empty if it has not reported). */
  storages(nodeId: string): readonly StorageStatus[] {
    return this.entries.get(nodeId)?.status.storages ?? [];
  }

  /** Nodes silent for agents.staleAfterMs (isSilent) whose silence was not yet announced. */
  newlySilent(): CachedNodeStatus[] {
    const silent: CachedNodeStatus[] = [];
    for (const entry of this.entries.values()) {
      // Oldest report first: once a node reported within staleAfterMs, every later one did too.
      if (!this.isSilent(entry.nodeId)) break;
      if (!this.lost.has(entry.nodeId)) silent.push(entry);
    }
    return silent;
  }

  /** Records that the node's silence has been announced. */
  markLost(nodeId: string): void {
    if (this.entries.has(nodeId)) this.lost.add(nodeId);
  }

  /** True while the node's silence is announced and it has not reported since. */
  isLost(nodeId: string): boolean {
    return this.lost.has(nodeId);
  }

  /** Ends an announced silence (the node reported again). */
  clearLost(nodeId: string): void {
    this.lost.delete(nodeId);
  }

  /** Every node's latest report, the oldest report first (for metrics; at most maxNodes). */
  all(): IterableIterator<CachedNodeStatus> {
    return this.entries.values();
  }

  /** Drops a node (deleted, or evicted). */
  forget(nodeId: string): void {
    this.entries.delete(nodeId);
    this.lost.delete(nodeId);
  }

  get size(): number {
    return this.entries.size;
  }
}
