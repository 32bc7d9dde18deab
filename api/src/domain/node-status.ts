// The latest status each node's agent reported, with when it arrived. Reports come every
// second or so and only the latest matters, so they live in memory, not in SQL: the cache is
// what the cluster state, the witness answer and (later) the Device Overview read.
//
// A plain Map rather than node-cache: node-cache refuses new keys once maxKeys is reached and
// clones every value on read (a status holds up to 4096 cameras), while here a full cache
// should drop the node that has been silent longest, and readers only read.
import type { NodeStatus } from '../../../contracts/controller-v1.js';

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
}

export interface NodeStatusCacheOptions {
  /** A node is fresh while its last report is at most this old. */
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
 *   cache.isFresh(nodeId)   // true for the next 10 s
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
    this.entries.delete(nodeId);
    this.entries.set(nodeId, { nodeId, clusterId, status, receivedAtMs: this.nowMs(), receivedAt: this.wallClock() });
    while (this.entries.size > this.maxNodes) {
      const oldest = this.entries.keys().next().value as string;
      this.forget(oldest);
    }
    return previous;
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

  /** True when the node reported within agents.staleAfterMs. */
  isFresh(nodeId: string): boolean {
    return this.reportedWithin(nodeId, this.staleAfterMs);
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

  /** Nodes that were fresh once, are stale now, and whose silence was not yet announced. */
  newlySilent(): CachedNodeStatus[] {
    const silent: CachedNodeStatus[] = [];
    for (const entry of this.entries.values()) {
      // Oldest report first: once a node is fresh, every later one is too.
      if (this.isFresh(entry.nodeId)) break;
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

  /** Drops a node (deleted, or evicted). */
  forget(nodeId: string): void {
    this.entries.delete(nodeId);
    this.lost.delete(nodeId);
  }

  get size(): number {
    return this.entries.size;
  }
}
