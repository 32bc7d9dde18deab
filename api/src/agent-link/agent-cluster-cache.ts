// The clusters agents report for, with their secret and nodes, kept in memory: every agent
// reports every second, and reading both rows per report was a fifth of the controller's CPU
// at site scale (issue 19). What is cached is what the database said a moment ago, so:
//   - every change of a cluster or node row made through this process's TypeORM (an admin's
//     change, a secret set or replaced, a node registered or deleted, a policy renumbered) drops
//     the whole cache, at the write and again when its transaction ends, so that a report that
//     read the old row meanwhile is not kept (a TypeORM subscriber on the DataSource);
//   - another controller on the same database (or any other writer) is seen within ttlMs (each
//     entry is read again after a random part of it, so that reads do not come all at once): a
//     secret replaced there is still accepted here, and a node deleted there still reports here,
//     for at most that long;
//   - a miss is never believed from the cache: an unknown node, or a secret that does not match
//     the cached one, is looked up again before the answer is no (a node registered or a secret
//     set on another controller works at once).
// Bounded: at most entriesMax clusters (far more than a site has), the oldest dropped first.
import type { DataSource, EntitySubscriberInterface, QueryRunner } from 'typeorm';
import type { Database } from '../db/database.js';
import { ClusterEntity, NodeEntity, type ClusterRow, type NodeRow } from '../db/entities/index.js';

/** How long a cached cluster is believed without a change seen here: what another controller's change may take to count. */
export const agentClusterTtlMsDefault = 5_000;
/**
 * Each entry is believed for a random part of ttlMs, at least this share of it: the clusters
 * read together (every agent's first report after a start) would otherwise all expire together,
 * and a thousand reports would then each wait for a read of the database in the same second
 * (bursts of a tenth of a second in bench/scale.bench.ts).
 */
const ttlShareMin = 0.5;
/** Clusters kept at most. */
export const agentClusterEntriesMaxDefault = 10_000;

/** A cluster (with its agent secret) and its nodes, as read together. Shared between reports: never changed. */
export interface AgentCluster {
  readonly cluster: Readonly<ClusterRow>;
  readonly nodes: readonly Readonly<NodeRow>[];
}

export interface AgentClusterCacheOptions {
  readonly ttlMs?: number;
  readonly entriesMax?: number;
  /** Milliseconds on a monotonic clock. */
  readonly nowMs?: () => number;
}

/** A cluster with its agent secret (a column not selected by default) and its nodes, as a report needs them; null when there is none. */
export async function loadAgentCluster(source: DataSource, clusterId: string): Promise<AgentCluster | null> {
  const cluster = await source.manager.createQueryBuilder(ClusterEntity, 'c').addSelect('c.agentSecret').where('c.id = :id', { id: clusterId }).getOne();
  if (cluster === null) return null;
  return { cluster, nodes: await source.getRepository(NodeEntity).find({ where: { clusterId } }) };
}

interface Entry {
  readonly value: AgentCluster;
  /** When it is read again: at most ttlMs after it was read. */
  readonly believedUntilMs: number;
}

export class AgentClusterCache {
  /** Moves on with every change seen; a read begun under an older one is not kept. */
  private generation = 0;
  private entries = new Map<string, Entry>();
  /** Reads under way, shared by the reports that arrive meanwhile. */
  private loading = new Map<string, Promise<AgentCluster | null>>();
  private readonly watched = new WeakSet<DataSource>();
  /** Query runners that changed a cluster or node row in a transaction not yet ended. */
  private readonly touched = new WeakSet<QueryRunner>();
  private readonly ttlMs: number;
  private readonly entriesMax: number;
  private readonly nowMs: () => number;

  constructor(
    private readonly db: Database,
    options: AgentClusterCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? agentClusterTtlMsDefault;
    this.entriesMax = options.entriesMax ?? agentClusterEntriesMaxDefault;
    this.nowMs = options.nowMs ?? (() => performance.now());
    if (!(this.ttlMs >= 0) || !Number.isInteger(this.entriesMax) || this.entriesMax < 1) throw new Error(`AgentClusterCache: ttlMs must be ≥ 0 and entriesMax an integer ≥ 1 (got ${this.ttlMs}, ${this.entriesMax})`);
  }

  /** The cluster as cached, if still believed; else read (and cached). `cached` says which. */
  async get(clusterId: string): Promise<{ readonly value: AgentCluster | null; readonly cached: boolean }> {
    const source = this.sourceWatched();
    const entry = this.entries.get(clusterId);
    if (entry !== undefined && this.nowMs() < entry.believedUntilMs) return { value: entry.value, cached: true };
    return { value: await this.read(source, clusterId), cached: false };
  }

  /** The cluster as the database has it now (and cached): before a miss or a mismatch is believed. */
  async reload(clusterId: string): Promise<AgentCluster | null> {
    const source = this.sourceWatched();
    this.entries.delete(clusterId);
    return this.read(source, clusterId);
  }

  /** Forgets everything: a cluster or node row changed. */
  invalidate(): void {
    this.generation += 1;
    this.entries = new Map();
    this.loading = new Map();
  }

  /** Entries held now (for tests and bounds). */
  get size(): number {
    return this.entries.size;
  }

  private read(source: DataSource, clusterId: string): Promise<AgentCluster | null> {
    const pending = this.loading.get(clusterId);
    if (pending !== undefined) return pending;
    const generation = this.generation;
    const loading = this.loading;
    const promise = loadAgentCluster(source, clusterId)
      .then((value) => {
        // Kept only when nothing changed since the read began (a changed row could be missing from it).
        if (value !== null && generation === this.generation) this.store(clusterId, value);
        return value;
      })
      .finally(() => {
        if (loading.get(clusterId) === promise) loading.delete(clusterId);
      });
    loading.set(clusterId, promise);
    return promise;
  }

  private store(clusterId: string, value: AgentCluster): void {
    this.entries.delete(clusterId);
    if (this.entries.size >= this.entriesMax) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(clusterId, { value: freezeCluster(value), believedUntilMs: this.nowMs() + this.ttlMs * (ttlShareMin + (1 - ttlShareMin) * Math.random()) });
  }

  /** The current DataSource, with this cache listening to its writes (a reconnect makes a new one: nothing read before is kept). */
  private sourceWatched(): DataSource {
    const source = this.db.dataSource;
    if (this.watched.has(source)) return source;
    this.watched.add(source);
    source.subscribers.push(this.subscriber(source));
    this.invalidate();
    return source;
  }

  private subscriber(source: DataSource): EntitySubscriberInterface {
    // What TypeORM names these entities in its events (an EntitySchema's target is its name).
    const targets = new Set<unknown>([source.getMetadata(ClusterEntity).target, source.getMetadata(NodeEntity).target]);
    const changed = (target: unknown, runner: QueryRunner | undefined): void => {
      if (!targets.has(target)) return;
      this.invalidate();
      if (runner?.isTransactionActive === true) this.touched.add(runner);
    };
    // Again when the transaction ends (committed or not): a report may have read the old rows since the write.
    const ended = (runner: QueryRunner): void => {
      if (!this.touched.has(runner)) return;
      this.invalidate();
      if (!runner.isTransactionActive) this.touched.delete(runner);
    };
    return {
      afterInsert: (e) => changed(e.metadata.target, e.queryRunner),
      afterUpdate: (e) => changed(e.metadata.target, e.queryRunner),
      afterRemove: (e) => changed(e.metadata.target, e.queryRunner),
      afterSoftRemove: (e) => changed(e.metadata.target, e.queryRunner),
      afterRecover: (e) => changed(e.metadata.target, e.queryRunner),
      afterTransactionCommit: (e) => ended(e.queryRunner),
      afterTransactionRollback: (e) => ended(e.queryRunner),
    };
  }
}

/** Shared between concurrent reports: frozen, so that none can change what the next one sees. */
function freezeCluster(value: AgentCluster): AgentCluster {
  return Object.freeze({ cluster: Object.freeze({ ...value.cluster }), nodes: Object.freeze(value.nodes.map((n) => Object.freeze({ ...n }))) });
}
