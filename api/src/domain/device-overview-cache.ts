// The Device Overview's shell: loads clusters, nodes and camera_pair names from SQL, builds the
// overview from the node status cache (device-overview.ts; the camera names agents read from
// the Management Server come with their reports), and keeps the result for a second
// in node-cache, keyed by cluster id (and `*` for all clusters). A request then only slices an
// array that is already sorted (or answers a page kept as text), whatever the number of cameras;
// concurrent misses of one key share a single build, and while it runs the previous overview is
// served, however old, so that no request waits for a rebuild but the first of its key. The
// site-wide rebuild runs in slices and makes every order before it is served (CameraScope.prepare),
// so that neither the reports nor the requests wait behind a sort of the site. A rebuild keeps the
// rows of every cluster whose reports say nothing new (clusterCamerasReusing), and the whole
// overview, orders and all, when no cluster's changed; a query for one cluster reads that
// cluster's rows, not the site's (bench/scale.bench.ts: 25,000 cameras).
import NodeCache from 'node-cache';
import { In } from 'typeorm';
import { defaultSliceMs, Pace, type PaceShare } from '../../../shared/pace.js';
import type { Database } from '../db/database.js';
import { CameraPairEntity, ClusterEntity, NodeEntity, type ClusterRow, type NodeRow } from '../db/entities/index.js';
import { CameraScope, clusterCamerasReusing, rowsReplacing, type CameraEntry, type CameraQuery, type ClusterCamerasBuilt } from './device-overview.js';
import type { CameraPage } from '../model/camera.js';
import { notFound } from './errors.js';
import type { NodeStatusCache } from './node-status.js';

/** Agents report every second, so an overview a second old is as good as a fresh one. */
export const deviceOverviewTtlSeconds = 1;
/** Key of the overview across all clusters. */
const allClustersKey = '*';
/**
 * The Device Overview's build gets at least this share of the time under load, in slices of at
 * most 10 ms: requests no longer wait for it (the last overview is served meanwhile), so a slice
 * need not be long, but a thousand reports a second must not starve it either.
 */
const overviewBuildShare: PaceShare = { workShareMin: 0.2, sliceMsMax: 10 };
/** Camera pair names change only when an administrator edits them: read them at most this often. */
export const cameraNamesTtlMs = 30_000;
/** Camera names read per query: a bound on one IN list (SQL Server takes 2100 parameters). */
const idsPerQuery = 500;
/** The names of a cluster without camera_pair rows: one shared map, so that reuse sees the same names. */
const noNames: ReadonlyMap<string, string> = new Map();

export interface DeviceOverviewOptions {
  /** Seconds a built overview is served (node-cache stdTTL). */
  readonly ttlSeconds?: number;
}

export class DeviceOverviewService {
  private readonly cache: NodeCache;
  private readonly building = new Map<string, Promise<CameraScope>>();
  /** The last overview built per key, served (however old) while the next is built. Bounded like the cache: one per cluster, plus `*`. */
  private readonly previous = new Map<string, CameraScope>();
  /**
   * Each cluster's last rows and the scope made of them, reused by the next build while nothing
   * they are made of changed (clusterCamerasReusing). One per cluster; deleted ones are dropped.
   */
  private readonly built = new Map<string, { readonly rows: ClusterCamerasBuilt; readonly scope: CameraScope }>();
  /** The last overview of every cluster, and the clusters it was made of (in order): served again while none changed. */
  private lastAll: { readonly scope: CameraScope; readonly parts: readonly ClusterCamerasBuilt[] } | null = null;
  /** The last camera names read for every cluster (buildAll); a single-cluster build reads its own. */
  private names: { readonly byCluster: ReadonlyMap<string, ReadonlyMap<string, string>>; readonly clusterIds: ReadonlySet<string>; readonly readAtMs: number } | null = null;

  constructor(
    private readonly db: Database,
    private readonly statuses: NodeStatusCache,
    options: DeviceOverviewOptions = {},
  ) {
    // No clones: readers only read, and a clone of 10,000 cameras per request would cost more than the build.
    this.cache = new NodeCache({ stdTTL: options.ttlSeconds ?? deviceOverviewTtlSeconds, checkperiod: 60, useClones: false });
  }

  /** The cameras of one cluster; 404 when it does not exist. */
  async cluster(clusterId: string, query: Omit<CameraQuery, 'clusterId'>): Promise<CameraPage> {
    const scope = await this.scope(clusterId, () => this.buildCluster(clusterId));
    return scope.page({ ...query, clusterId: undefined });
  }

  /** As cluster(), as JSON in UTF-8 (see CameraScope.pageBytes). */
  async clusterJson(clusterId: string, query: Omit<CameraQuery, 'clusterId'>): Promise<Buffer> {
    const scope = await this.scope(clusterId, () => this.buildCluster(clusterId));
    return scope.pageBytes({ ...query, clusterId: undefined });
  }

  /** As all(), as JSON in UTF-8. */
  async allJson(query: CameraQuery): Promise<Buffer> {
    const scope = await this.scope(allClustersKey, () => this.buildAll());
    return scope.pageBytes(query);
  }

  /** The cameras of every cluster; `clusterId` narrows to one (an unknown one gives an empty page). */
  async all(query: CameraQuery): Promise<CameraPage> {
    const scope = await this.scope(allClustersKey, () => this.buildAll());
    return scope.page(query);
  }

  /** Stops node-cache's expiry timer. */
  close(): void {
    this.cache.close();
  }

  private async scope(key: string, build: () => Promise<CameraScope>): Promise<CameraScope> {
    const cached = this.cache.get<CameraScope>(key);
    if (cached !== undefined) return cached;
    let pending = this.building.get(key);
    if (pending === undefined) {
      pending = build()
        .then((scope) => {
          this.store(key, scope);
          return scope;
        })
        .catch((err: unknown) => {
          // A cluster deleted, or the database gone: nothing old is served in its stead.
          this.previous.delete(key);
          throw err;
        })
        .finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    const previous = this.previous.get(key);
    if (previous !== undefined) {
      // Whoever waits on the build handles its failure; this request does not.
      pending.catch(() => {});
      return previous;
    }
    return pending;
  }

  private store(key: string, scope: CameraScope): void {
    this.cache.set(key, scope);
    this.previous.set(key, scope);
  }

  private async buildCluster(clusterId: string): Promise<CameraScope> {
    const m = this.db.dataSource.manager;
    const cluster = await m.findOneBy(ClusterEntity, { id: clusterId });
    if (cluster === null) throw notFound('cluster', clusterId);
    const nodes = await m.find(NodeEntity, { where: { clusterId } });
    const names = await this.cameraNames([clusterId]);
    return this.clusterScope(cluster, nodes, names);
  }

  /** Every cluster, each also cached under its own key, so that the per-cluster overview is warm too. */
  private async buildAll(): Promise<CameraScope> {
    const m = this.db.dataSource.manager;
    const clusters = await m.find(ClusterEntity);
    const nodes = await m.find(NodeEntity);
    const names = await this.cameraNames(clusters.map((c) => c.id));
    // Thousands of cameras are built in slices, letting reports and requests in between, so that
    // a rebuild never holds the event loop for more than a few milliseconds; but with a share of
    // the time, so that a thousand reports a second cannot starve it (the overview served would
    // grow old).
    const pace = new Pace(undefined, defaultSliceMs, overviewBuildShare);
    // Deleted clusters' overviews are not kept for serving stale, nor their rows for reuse.
    const known = new Set(clusters.map((c) => c.id));
    for (const key of this.previous.keys()) if (key !== allClustersKey && !known.has(key)) this.previous.delete(key);
    for (const key of this.built.keys()) if (!known.has(key)) this.built.delete(key);
    // Grouped once: filtering every node for every cluster was 500,000 steps at 500 pairs.
    const nodesOf = new Map<string, NodeRow[]>();
    for (const n of nodes) {
      const list = nodesOf.get(n.clusterId);
      if (list === undefined) nodesOf.set(n.clusterId, [n]);
      else list.push(n);
    }
    const byCluster = new Map<string, CameraScope>();
    const parts: ClusterCamerasBuilt[] = [];
    for (const cluster of clusters) {
      const scope = this.clusterScope(cluster, nodesOf.get(cluster.id) ?? [], names);
      this.store(cluster.id, scope);
      byCluster.set(cluster.id, scope);
      parts.push((this.built.get(cluster.id) as { rows: ClusterCamerasBuilt }).rows);
      if (pace.due()) await pace.turn();
    }
    // Nothing changed anywhere: the last overview, its orders and filtered lists, stays.
    const last = this.lastAll;
    if (last !== null && last.parts.length === parts.length && parts.every((p, i) => p === last.parts[i])) return last.scope;
    const entries: CameraEntry[] = [];
    for (const p of parts) for (const entry of p.entries) entries.push(entry);
    const scope = new CameraScope(entries, byCluster, last?.scope ?? null, last === null ? null : replacedSince(last.parts, parts));
    await pace.run(scope.prepare());
    this.lastAll = { scope, parts };
    return scope;
  }

  /** A cluster's scope: the last one while its rows are reused. */
  private clusterScope(cluster: ClusterRow, nodes: readonly NodeRow[], names: ReadonlyMap<string, ReadonlyMap<string, string>>): CameraScope {
    const last = this.built.get(cluster.id) ?? null;
    const rows = clusterCamerasReusing({ cluster, nodes, names: names.get(cluster.id) ?? noNames, statuses: this.statuses }, last?.rows ?? null);
    if (last !== null && rows === last.rows) return last.scope;
    const scope = new CameraScope(rows.entries, null, last?.scope ?? null);
    this.built.set(cluster.id, { rows, scope });
    return scope;
  }

  /**
   * camera_pair names by cluster, then by lower-case camera id; read again after
   * cameraNamesTtlMs, not on every build (tens of milliseconds for 10,000 rows).
   */
  private async cameraNames(clusterIds: readonly string[]): Promise<ReadonlyMap<string, ReadonlyMap<string, string>>> {
    const known = this.names;
    if (known !== null && performance.now() - known.readAtMs < cameraNamesTtlMs && clusterIds.every((id) => known.clusterIds.has(id))) return known.byCluster;
    const readAtMs = performance.now();
    const byCluster = await this.readCameraNames(clusterIds);
    // Only a read of every cluster is kept: a single cluster's must not evict it.
    if (clusterIds.length >= (known?.clusterIds.size ?? 0)) this.names = { byCluster, clusterIds: new Set(clusterIds), readAtMs };
    return byCluster;
  }

  private async readCameraNames(clusterIds: readonly string[]): Promise<Map<string, Map<string, string>>> {
    const byCluster = new Map<string, Map<string, string>>();
    const repo = this.db.dataSource.getRepository(CameraPairEntity);
    for (let i = 0; i < clusterIds.length; i += idsPerQuery) {
      const rows = await repo.find({ select: { clusterId: true, cameraId: true, name: true }, where: { clusterId: In(clusterIds.slice(i, i + idsPerQuery)) } });
      for (const row of rows) {
        let names = byCluster.get(row.clusterId);
        if (names === undefined) byCluster.set(row.clusterId, (names = new Map()));
        names.set(row.cameraId.toLowerCase(), row.name);
      }
    }
    return byCluster;
  }
}

/**
 * How the rows of the last overview (`last`, by cluster) became `next`: the rows of every cluster
 * rebuilt since mapped to their successors (rowsReplacing); null when the clusters are not the
 * same, or a cluster's cameras or names changed (the next overview's orders are then made anew).
 */
function replacedSince(last: readonly ClusterCamerasBuilt[], next: readonly ClusterCamerasBuilt[]): Map<CameraEntry, CameraEntry> | null {
  if (last.length !== next.length) return null;
  const replaced = new Map<CameraEntry, CameraEntry>();
  for (let i = 0; i < next.length; i += 1) {
    const [was, now] = [last[i] as ClusterCamerasBuilt, next[i] as ClusterCamerasBuilt];
    if (was === now) continue;
    if (was.cluster.id !== now.cluster.id) return null;
    const rows = rowsReplacing(was.entries, now.entries);
    if (rows === null) return null;
    for (const [old, e] of rows) replaced.set(old, e);
  }
  return replaced;
}
