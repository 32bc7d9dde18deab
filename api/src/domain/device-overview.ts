// The Device Overview: one row per camera, with the columns XProtect administrators know from
// server-cloning consoles (Connected, Disconnected, Overflow, Mismatched, Pair Name), built
// from the agents' latest reports in the node status cache and nothing else: no recorder is
// asked per request. Pure: device-overview-cache.ts loads the rows and caches the result.
import type { NodeStatus } from '../../../contracts/controller-v1.js';
import type { ClusterRow, NodeRow } from '../db/entities/index.js';
import { auditOf } from './data-missing.js';
import { haStatusOf, roleIn, servingViewOf, type ServingView } from './serving-view.js';
import type { CameraStatus, NodeStatusCache } from './node-status.js';
import { clonedPairName, mismatchSettings, type Camera, type CameraMismatch, type CameraNode, type CameraPage, type MismatchSetting, type SettingValue } from '../model/camera.js';
import type { NodeRef } from '../model/fields.js';
import type { HaStatus } from '../model/vocabulary.js';
import { runToEnd } from '../../../shared/pace.js';

/** `status`: problems first (disconnected or not recording, then overflow, then mismatched). */
export const cameraSorts = ['name', '-name', 'cluster', 'status'] as const;
export type CameraSort = (typeof cameraSorts)[number];

/** Largest page of the overview; the whole overview of a site can be 10,000 cameras. */
export const cameraPageLimitMax = 1000;

/** A camera with what filtering and sorting need, computed once per cache fill. */
export interface CameraEntry {
  readonly view: Camera;
  /** Lower-case name and id, for `q`. */
  readonly search: string;
  /** 0 disconnected or not recording, 1 overflow, 2 mismatched, 3 fine. */
  readonly statusRank: number;
  /** naturalKey() of the camera's and the cluster's names, so that sorting compares plain strings. */
  readonly nameKey: string;
  readonly clusterKey: string;
  /** The camera in its cluster (cluster id, then camera id): the same row from one build to the next. */
  readonly key: string;
}

export interface ClusterCamerasInput {
  readonly cluster: Pick<ClusterRow, 'id' | 'name' | 'mode'>;
  readonly nodes: readonly NodeRow[];
  /** Camera names from the camera_pair table, by lower-case camera id; they win over the names agents report. */
  readonly names: ReadonlyMap<string, string>;
  readonly statuses: NodeStatusCache;
}

interface NodeCameras {
  readonly node: NodeRow;
  readonly fresh: boolean;
  readonly serving: boolean;
  readonly epoch: number;
  readonly haStatus: HaStatus;
  readonly cameras: ReadonlyMap<string, CameraStatus>;
  /** Seconds each camera lacks of what the peer holds (its agent's gap audit), by device id; null without an audit. */
  readonly missing: ReadonlyMap<string, number> | null;
}

/**
 * Every camera any node of the cluster lists in its last report, in no particular order.
 *
 * @example
 *   buildClusterCameras({ cluster, nodes, names: new Map(), statuses })
 *   // [{ view: { cameraId: 'cam-1', connected: true, mismatched: false, … }, search: 'cam-1\ncam-1', statusRank: 3 }]
 */
export function buildClusterCameras(input: ClusterCamerasInput): CameraEntry[] {
  const { cluster, statuses } = input;
  const cloned = cluster.mode === 'cloning';
  const sorted = [...input.nodes].sort((a, b) => a.name.localeCompare(b.name));
  const view = servingViewOf(sorted.map((n) => n.id), statuses, cluster.mode);
  const nodes = sorted.map((node) => nodeCameras(node, statuses, view, cluster.mode === 'pool'));
  const servingId = cloned ? view.servingNodeId : null;
  const deviceIds = new Set<string>();
  for (const n of nodes) for (const id of n.cameras.keys()) deviceIds.add(id);

  const entries: CameraEntry[] = [];
  const clusterKey = naturalKey(cluster.name);
  for (const cameraId of deviceIds) {
    // A pool's nodes record different cameras; a cloned pair's both record every one.
    const holders = cloned ? nodes : nodes.filter((n) => n.cameras.has(cameraId));
    const serving = cloned ? servingId : poolServingNode(holders, cameraId);
    entries.push(cameraEntry(cluster, clusterKey, cameraId, cameraNameOf(cameraId, input.names.get(cameraId.toLowerCase()), holders, serving), holders, serving, cloned));
  }
  return entries;
}

/** What one cluster's rows were built from, with the rows: enough to tell whether the next build would make the same. */
export interface ClusterCamerasBuilt {
  readonly cluster: Pick<ClusterRow, 'id' | 'name' | 'mode'>;
  readonly names: ReadonlyMap<string, string>;
  readonly nodes: readonly NodeInputs[];
  readonly entries: readonly CameraEntry[];
}

/** What a node contributes to its cluster's rows. */
interface NodeInputs {
  readonly nodeId: string;
  readonly nodeName: string;
  readonly role: string;
  readonly status: NodeStatus | undefined;
  /** Its cache entry's lastCameras (node-status.ts), compared by identity while its report lists none: what a stopped pool server's rows show. */
  readonly lastCameras: readonly CameraStatus[] | undefined;
}

/**
 * The cluster's rows: `previous` itself when nothing they are made of changed since it was built
 * (the cluster's name and mode, its nodes, their roles and what their reports say about the
 * cameras), else built anew. Agents report every second and most reports repeat the last, so a
 * site-wide rebuild then costs a comparison per camera instead of a new row.
 */
export function clusterCamerasReusing(input: ClusterCamerasInput, previous: ClusterCamerasBuilt | null): ClusterCamerasBuilt {
  const { cluster, statuses } = input;
  const sorted = [...input.nodes].sort((a, b) => a.name.localeCompare(b.name));
  const view = servingViewOf(sorted.map((n) => n.id), statuses, cluster.mode);
  const nodes = sorted.map((n): NodeInputs => {
    const entry = statuses.get(n.id);
    return { nodeId: n.id, nodeName: n.name, role: roleIn(view, n.id), status: entry?.status, lastCameras: entry?.lastCameras };
  });
  if (previous !== null && sameClusterInputs(previous, cluster, input.names, nodes)) return previous;
  return { cluster: { id: cluster.id, name: cluster.name, mode: cluster.mode }, names: input.names, nodes, entries: buildClusterCameras(input) };
}

function sameClusterInputs(previous: ClusterCamerasBuilt, cluster: ClusterCamerasInput['cluster'], names: ReadonlyMap<string, string>, nodes: readonly NodeInputs[]): boolean {
  const was = previous.cluster;
  if (was.id !== cluster.id || was.name !== cluster.name || was.mode !== cluster.mode || previous.names !== names || previous.nodes.length !== nodes.length) return false;
  return nodes.every((n, i) => {
    const p = previous.nodes[i] as NodeInputs;
    return p.nodeId === n.nodeId && p.nodeName === n.nodeName && p.role === n.role && sameCameraReport(p.status, n.status) && (n.status === undefined || n.status.cameras.length > 0 || p.lastCameras === n.lastCameras);
  });
}

/**
 * Whether two reports of a node say the same about everything the overview shows: serving and
 * epoch, every camera's fields, and the gap audit's figures per camera.
 *
 * @example sameCameraReport(status, { ...status, uptimeSeconds: 43 }) // true
 */
export function sameCameraReport(a: NodeStatus | undefined, b: NodeStatus | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  // The service too: a pool server whose recorder stopped shows its last known cameras (nodeCameras).
  if (a.serving !== b.serving || a.epoch !== b.epoch || a.service !== b.service || a.cameras.length !== b.cameras.length) return false;
  for (let i = 0; i < a.cameras.length; i += 1) if (!sameCamera(a.cameras[i] as CameraStatus, b.cameras[i] as CameraStatus)) return false;
  const [x, y] = [auditOf(a), auditOf(b)];
  if (x === null || y === null) return x === y;
  if (x.cameras.length !== y.cameras.length) return false;
  return x.cameras.every((c, i) => c.deviceId === y.cameras[i]?.deviceId && c.missingSeconds === y.cameras[i]?.missingSeconds);
}

/**
 * Field by field: every field of a camera's status (contracts/controller-v1.ts), so that none that
 * a row shows is missed. The agent link takes a camera that repeats its last report by it too
 * (report-body.ts).
 */
export function sameCamera(a: CameraStatus, b: CameraStatus): boolean {
  // The agent link hands on the object it took before for a camera whose report repeats it (report-body.ts).
  if (a === b) return true;
  return (
    a.deviceId === b.deviceId &&
    a.enabled === b.enabled &&
    a.started === b.started &&
    a.recording === b.recording &&
    a.errorNoConnection === b.errorNoConnection &&
    a.errorOverflow === b.errorOverflow &&
    a.error === b.error &&
    a.fps === b.fps &&
    a.fpsRequested === b.fpsRequested &&
    a.resolution === b.resolution &&
    a.videoFormat === b.videoFormat &&
    a.usedSpaceBytes === b.usedSpaceBytes &&
    a.name === b.name
  );
}

/**
 * A camera's name: the camera_pair name when there is one, else the name a node reported (its
 * agent reads it from the Management Server): the Serving node's first, then in node-name
 * order; else the camera id.
 */
function cameraNameOf(cameraId: string, pairName: string | undefined, holders: readonly NodeCameras[], servingNodeId: string | null): string {
  if (pairName !== undefined && pairName !== '') return pairName;
  let reported: string | null = null;
  for (const n of holders) {
    const name = n.cameras.get(cameraId)?.name;
    if (typeof name !== 'string' || name === '') continue;
    if (n.node.id === servingNodeId) return name;
    reported ??= name;
  }
  return reported ?? cameraId;
}

function nodeCameras(node: NodeRow, statuses: NodeStatusCache, view: ServingView, pool: boolean): NodeCameras {
  const entry = statuses.get(node.id);
  const status = entry?.status;
  const role = roleIn(view, node.id);
  const cameras = new Map<string, CameraStatus>();
  for (const camera of status?.cameras ?? []) cameras.set(camera.deviceId, camera);
  // A pool's protected server whose recorder is down reports no camera: its last known ones stay, not recording.
  if (pool && node.role === 'primary' && status !== undefined && status.cameras.length === 0 && status.service !== 'running') for (const camera of entry?.lastCameras ?? none) cameras.set(camera.deviceId, notRecordingCamera(camera));
  return { node, fresh: role !== 'unknown', serving: role === 'serving', epoch: status?.epoch ?? -1, haStatus: haStatusOf(role), cameras, missing: missingByCamera(status) };
}

/** A camera as a stopped recorder has it: neither started nor recording, its settings as last reported. */
function notRecordingCamera(c: CameraStatus): CameraStatus {
  return { deviceId: c.deviceId, enabled: c.enabled, started: false, recording: false, errorNoConnection: false, errorOverflow: false, error: false, fps: null, fpsRequested: c.fpsRequested, resolution: c.resolution, videoFormat: c.videoFormat, usedSpaceBytes: c.usedSpaceBytes, name: c.name ?? null };
}

/** Indexed once per node and rebuild, so that each camera row looks its figure up instead of scanning the audit. */
function missingByCamera(status: NodeStatus | undefined): ReadonlyMap<string, number> | null {
  const audit = auditOf(status);
  if (audit === null) return null;
  const missing = new Map<string, number>();
  for (const camera of audit.cameras) missing.set(camera.deviceId, camera.missingSeconds);
  return missing;
}

/** In a pool, the serving node that has the camera, the highest epoch first. */
function poolServingNode(holders: readonly NodeCameras[], cameraId: string): string | null {
  let best: NodeCameras | null = null;
  for (const n of holders) if (n.serving && n.cameras.has(cameraId) && (best === null || n.epoch > best.epoch)) best = n;
  return best?.node.id ?? null;
}

/** Shared by every camera without one: views are only read (so frozen), and 10,000 empty arrays a second add up. */
const none = Object.freeze([]) as never[];

function cameraEntry(cluster: ClusterCamerasInput['cluster'], clusterKey: string, cameraId: string, name: string, holders: readonly NodeCameras[], servingNodeId: string | null, cloned: boolean): CameraEntry {
  // One pass over the nodes (two in a pair): this runs for every camera on every rebuild.
  const nodes: CameraNode[] = [];
  let disconnectedOn: NodeRef[] | null = null;
  let overflowOn: NodeRef[] | null = null;
  let connected = false;
  let recording = false;
  let disabledWhereServed = false;
  for (const n of holders) {
    const camera = n.cameras.get(cameraId);
    const view = cameraNodeView(n, cameraId, camera);
    nodes.push(view);
    if (n.fresh && camera?.errorNoConnection === true) (disconnectedOn ??= []).push(refOf(n));
    if (n.fresh && camera?.errorOverflow === true) (overflowOn ??= []).push(refOf(n));
    // The Serving node decides; without one, any fresh node that has the camera does.
    const decides = servingNodeId !== null ? n.node.id === servingNodeId : n.fresh && camera !== undefined;
    if (!decides) continue;
    connected ||= view.connected === true;
    recording ||= view.recording === true;
    disabledWhereServed ||= view.enabled === false;
  }
  // A camera switched off where it is served is not expected to record.
  const notRecording = !recording && !disabledWhereServed;
  const mismatches = cloned ? mismatchesOf(nodes) : none;
  const disconnected = disconnectedOn !== null;
  const overflow = overflowOn !== null;
  const mismatched = mismatches.length > 0;
  const view: Camera = {
    cameraId,
    name,
    clusterId: cluster.id,
    clusterName: cluster.name,
    pairName: cloned ? clonedPairName : null,
    servingNodeId,
    connected,
    disconnected,
    disconnectedOn: disconnectedOn ?? none,
    overflow,
    overflowOn: overflowOn ?? none,
    recording,
    mismatched,
    mismatches,
    problem: disconnected || overflow || mismatched || notRecording,
    nodes,
  };
  const statusRank = disconnected || notRecording ? 0 : overflow ? 1 : mismatched ? 2 : 3;
  return { view, search: `${name}\n${cameraId}`.toLowerCase(), statusRank, nameKey: naturalKey(name), clusterKey, key: `${cluster.id}\n${cameraId}` };
}

function refOf(n: NodeCameras): NodeRef {
  return { nodeId: n.node.id, nodeName: n.node.name };
}

function cameraNodeView(n: NodeCameras, cameraId: string, camera: CameraStatus | undefined): CameraNode {
  // Literals with every field, not spreads: one object shape for all, which V8 builds fast (10,000 cameras a second).
  if (camera === undefined) {
    return { nodeId: n.node.id, nodeName: n.node.name, haStatus: n.haStatus, fresh: n.fresh, reported: false, enabled: null, recording: null, connected: null, overflow: null, fps: null, fpsRequested: null, resolution: null, videoFormat: null, missingSeconds: missingOf(n, cameraId) };
  }
  return {
    nodeId: n.node.id,
    nodeName: n.node.name,
    haStatus: n.haStatus,
    fresh: n.fresh,
    reported: true,
    enabled: camera.enabled,
    recording: camera.recording,
    connected: (camera.started || camera.recording) && !camera.errorNoConnection,
    overflow: camera.errorOverflow,
    fps: camera.fps,
    fpsRequested: camera.fpsRequested,
    resolution: camera.resolution,
    videoFormat: camera.videoFormat,
    missingSeconds: missingOf(n, cameraId),
  };
}

/** A camera missing from a node's audit lacks nothing there. */
function missingOf(n: NodeCameras, cameraId: string): number | null {
  return n.missing === null ? null : (n.missing.get(cameraId) ?? 0);
}

/** The field of a node's view each setting compares. */
const settingFields: Readonly<Record<MismatchSetting, keyof CameraNode>> = {
  present: 'reported',
  enabled: 'enabled',
  recording: 'recording',
  fpsRequested: 'fpsRequested',
  resolution: 'resolution',
  videoFormat: 'videoFormat',
};

/**
 * Whether a node's view counts for a setting: fresh, and having the camera (for all but
 * presence). Recording and the stream's settings are compared only where the camera is
 * connected: a node that cannot reach a camera neither records it nor knows its stream, and
 * that is shown as Disconnected, not also as a mismatch.
 */
function comparable(n: CameraNode, setting: MismatchSetting): boolean {
  if (!n.fresh) return false;
  if (setting === 'present') return true;
  if (!n.reported) return false;
  return setting === 'enabled' || n.connected === true;
}

/** What differs between fresh nodes: presence among all of them, the settings among those that have the camera. */
function mismatchesOf(nodes: readonly CameraNode[]): CameraMismatch[] {
  let found: CameraMismatch[] | null = null;
  for (const setting of mismatchSettings) {
    const field = settingFields[setting];
    let first: CameraNode | null = null;
    let differs = false;
    for (const n of nodes) {
      if (!comparable(n, setting)) continue;
      if (first === null) first = n;
      else if (n[field] !== first[field]) differs = true;
    }
    if (!differs) continue;
    const among = nodes.filter((n) => comparable(n, setting));
    (found ??= []).push({ setting, values: Object.fromEntries(among.map((n) => [n.nodeName, n[field] as SettingValue])) });
  }
  return found ?? none;
}

export interface CameraQuery {
  readonly problemsOnly: boolean;
  /** Case-insensitive text the name or the id contains. */
  readonly q: string | undefined;
  /** Only this cluster's cameras (the global overview's filter). */
  readonly clusterId: string | undefined;
  readonly sort: CameraSort;
  readonly limit: number;
  readonly offset: number;
}

/** Filtered camera lists kept per built overview. */
const filteredListsKept = 32;
/**
 * Pages kept, over all scopes (a site-wide one and one per cluster, each with its pages), and the
 * bytes they may hold together: a page of 1,000 cameras is about 600 KB.
 */
const pagesKept = 256;
const pageBytesKept = 32 * 1024 * 1024;
/** Items a stepped computation (CameraScope.prepare) handles between two yields. */
const itemsPerStep = 2_048;

/**
 * Byte pages by key, the most recently used last; beyond `countMax` pages or `bytesMax` bytes
 * the least recently used go. Pages of scopes no longer served are never asked again and go first.
 */
export class KeptPages {
  private readonly pages = new Map<string, Buffer>();
  private bytes = 0;

  constructor(
    private readonly countMax: number,
    private readonly bytesMax: number,
  ) {}

  get(key: string): Buffer | undefined {
    const page = this.pages.get(key);
    if (page === undefined) return undefined;
    this.pages.delete(key);
    this.pages.set(key, page);
    return page;
  }

  set(key: string, page: Buffer): void {
    if (page.length > this.bytesMax) return;
    this.delete(key);
    while (this.pages.size > 0 && (this.pages.size >= this.countMax || this.bytes + page.length > this.bytesMax)) this.delete(this.pages.keys().next().value as string);
    this.pages.set(key, page);
    this.bytes += page.length;
  }

  /** Pages and bytes held. */
  get size(): { readonly pages: number; readonly bytes: number } {
    return { pages: this.pages.size, bytes: this.bytes };
  }

  private delete(key: string): void {
    const page = this.pages.get(key);
    if (page === undefined) return;
    this.pages.delete(key);
    this.bytes -= page.length;
  }
}

const keptPages = new KeptPages(pagesKept, pageBytesKept);
let scopesMade = 0;

/**
 * Each camera's JSON, made on first use. Kept as long as its row is: a row that a rebuild reuses
 * (clusterCamerasReusing) keeps its JSON too.
 */
const jsonOfEntry = new WeakMap<CameraEntry, string>();

/**
 * The cameras of one cluster, or of all: sorted once per sort key, on first use or ahead of it
 * (prepare), so that a request only filters and slices; and the pages asked for, kept as sent.
 */
export class CameraScope {
  private readonly orders = new Map<CameraSort, readonly CameraEntry[]>();
  private readonly problemOrders = new Map<CameraSort, readonly CameraEntry[]>();
  /** Filtered lists by query (see matching()); at most filteredListsKept. */
  private readonly filtered = new Map<string, readonly CameraEntry[]>();
  /** Tells this scope's pages from others' in keptPages. */
  private readonly id = (scopesMade += 1);

  /** The name order of the scope this one follows, until this one's is made from it (then dropped). */
  private previousNames: readonly CameraEntry[] | null;
  /** Its cluster order, while `replaced` can make this one's from it. */
  private previousClusters: readonly CameraEntry[] | null;

  /**
   * @param byCluster each cluster's own scope, when this one spans several: a query for one
   *   cluster then reads that cluster's cameras, never every camera of the site.
   * @param previous the scope this one replaces: while the same cameras keep the same names,
   *   its name order gives this one's in one pass instead of a sort.
   * @param replaced how `previous`'s rows became these (rowsReplacing of every cluster rebuilt
   *   since; the others' rows are the same objects): then its orders are mapped, not looked up by key.
   */
  constructor(
    readonly entries: readonly CameraEntry[],
    private readonly byCluster: ReadonlyMap<string, CameraScope> | null = null,
    previous: CameraScope | null = null,
    private replaced: ReadonlyMap<CameraEntry, CameraEntry> | null = null,
  ) {
    // Only the orders are kept, not the scope: scopes must not chain.
    this.previousNames = previous?.orders.get('name') ?? null;
    this.previousClusters = replaced === null ? null : (previous?.orders.get('cluster') ?? null);
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * Makes every order and problem list now, as a stepped computation (run it with Pace.run): a
   * scope of the whole site is prepared while the last one is still served, so that no request
   * sorts or filters 25,000 cameras. Filtered lists (`q`) are still made on first use.
   */
  *prepare(): Generator<void, void, undefined> {
    if (!this.orders.has('name')) {
      const previous = this.previousNames;
      this.previousNames = null;
      const derived = previous === null ? null : this.replaced !== null && previous.length === this.entries.length ? yield* mappedSteps(previous, this.replaced) : yield* nameOrderSteps(previous, this.entries);
      this.orders.set('name', derived ?? [...this.entries].sort(byName));
      yield;
    }
    const clusters = this.previousClusters;
    this.previousClusters = null;
    if (clusters !== null && this.replaced !== null && clusters.length === this.entries.length && !this.orders.has('cluster')) this.orders.set('cluster', yield* mappedSteps(clusters, this.replaced));
    this.replaced = null;
    for (const sort of cameraSorts) {
      this.ordered(sort);
      yield;
      this.problems(sort);
      yield;
    }
  }

  ordered(sort: CameraSort): readonly CameraEntry[] {
    let order = this.orders.get(sort);
    if (order === undefined) {
      order = this.sortBy(sort);
      this.orders.set(sort, order);
    }
    return order;
  }

  /** The cameras with a problem, in the given order: the console's default view, kept ready. */
  problems(sort: CameraSort): readonly CameraEntry[] {
    let order = this.problemOrders.get(sort);
    if (order === undefined) {
      order = this.ordered(sort).filter((e) => e.view.problem);
      this.problemOrders.set(sort, order);
    }
    return order;
  }

  page(query: CameraQuery): CameraPage {
    const { entries, ...rest } = this.select(query);
    return { items: entries.map((e) => e.view), ...rest };
  }

  /**
   * The same page as JSON text. Each camera is serialised once per built overview and reused
   * by every request until the next build: under polling, JSON.stringify of the same views
   * was the largest cost of a request.
   */
  pageJson(query: CameraQuery): string {
    return this.pageBytes(query).toString('utf8');
  }

  /**
   * pageJson as UTF-8 bytes, as sent. Consoles poll the same pages, so each page's bytes are
   * kept while its scope is served (a bounded number of pages, over all scopes: keptPages): a page
   * asked again costs no encoding.
   */
  pageBytes(query: CameraQuery): Buffer {
    if (query.clusterId !== undefined && this.byCluster !== null) {
      return this.byCluster.get(query.clusterId)?.pageBytes({ ...query, clusterId: undefined }) ?? Buffer.from(emptyPageJson(query));
    }
    const key = `${this.id}|${String(query.problemsOnly)}|${query.sort}|${query.clusterId ?? ''}|${query.limit}|${query.offset}|${query.q ?? ''}`;
    const kept = keptPages.get(key);
    if (kept !== undefined) return kept;
    const { entries, total, limit, offset } = this.select(query);
    const items = entries.map((e) => {
      let json = jsonOfEntry.get(e);
      if (json === undefined) {
        json = JSON.stringify(e.view);
        jsonOfEntry.set(e, json);
      }
      return json;
    });
    const page = Buffer.from(`{"items":[${items.join(',')}],"total":${total},"limit":${limit},"offset":${offset}}`);
    keptPages.set(key, page);
    return page;
  }

  private select(query: CameraQuery): { entries: readonly CameraEntry[]; total: number; limit: number; offset: number } {
    const matching = this.matching(query);
    return { entries: matching.slice(query.offset, query.offset + query.limit), total: matching.length, limit: query.limit, offset: query.offset };
  }

  /**
   * Every camera a query's filters let through, in its order. Consoles poll the same few views
   * many times while one overview is served, so filtered lists are kept with the overview
   * (a bounded number of them, the oldest dropped first).
   */
  private matching(query: CameraQuery): readonly CameraEntry[] {
    if (query.clusterId !== undefined && this.byCluster !== null) {
      // An unknown cluster has no cameras here.
      return this.byCluster.get(query.clusterId)?.matching({ ...query, clusterId: undefined }) ?? [];
    }
    const needle = query.q === undefined || query.q === '' ? undefined : query.q.toLowerCase();
    const order = query.problemsOnly ? this.problems(query.sort) : this.ordered(query.sort);
    if (needle === undefined && query.clusterId === undefined) return order;
    const key = `${String(query.problemsOnly)}|${query.sort}|${query.clusterId ?? ''}|${needle ?? ''}`;
    const known = this.filtered.get(key);
    if (known !== undefined) return known;
    const found = order.filter((entry) => (query.clusterId === undefined || entry.view.clusterId === query.clusterId) && (needle === undefined || entry.search.includes(needle)));
    if (this.filtered.size >= filteredListsKept) this.filtered.delete(this.filtered.keys().next().value as string);
    this.filtered.set(key, found);
    return found;
  }

  private sortBy(sort: CameraSort): readonly CameraEntry[] {
    if (sort === 'name') {
      const previous = this.previousNames;
      this.previousNames = null;
      return (previous === null ? null : nameOrderFrom(previous, this.entries)) ?? [...this.entries].sort(byName);
    }
    const names = this.ordered('name');
    if (sort === '-name') return [...names].reverse();
    if (sort === 'cluster') return clusterOrderOf(names);
    // Four ranks: one pass into buckets keeps the name order within each, without a sort.
    const byRank: CameraEntry[][] = [[], [], [], []];
    for (const e of names) (byRank[e.statusRank] as CameraEntry[]).push(e);
    return byRank.flat();
  }
}

/** The JSON of a page without cameras (a cluster the scope does not hold). */
function emptyPageJson(query: CameraQuery): string {
  return `{"items":[],"total":0,"limit":${query.limit},"offset":${query.offset}}`;
}

/**
 * The name order regrouped by cluster (cluster name, then id), name order kept within each: a
 * sort of the clusters, not of every camera.
 */
function clusterOrderOf(names: readonly CameraEntry[]): CameraEntry[] {
  const groups = new Map<string, CameraEntry[]>();
  for (const e of names) {
    const group = groups.get(e.view.clusterId);
    if (group === undefined) groups.set(e.view.clusterId, [e]);
    else group.push(e);
  }
  const ordered = [...groups.values()].sort((a, b) => ordinal((a[0] as CameraEntry).clusterKey, (b[0] as CameraEntry).clusterKey) || ordinal((a[0] as CameraEntry).view.clusterId, (b[0] as CameraEntry).view.clusterId));
  return ordered.flat();
}

/**
 * A string whose plain (code unit) order is the order an operator reads names in: case and
 * accents ignored, and digit runs compared as numbers, so "Camera 9" comes before "Camera 10".
 * Made once per camera per build; sorting 10,000 cameras by these keys takes a few
 * milliseconds, where a locale-aware comparison took tens and held up every request meanwhile.
 *
 * @example
 *   naturalKey('Café 10') // 'cafe 0000000010'
 */
export function naturalKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\d+/g, (digits) => (digits.length >= naturalKeyDigits ? digits : digits.padStart(naturalKeyDigits, '0')));
}
/** Digit runs are padded to this width; longer ones (serial numbers) compare as text. */
const naturalKeyDigits = 10;

/**
 * `entries` in name order, from `previous` (the name order of the rows they replace): one pass,
 * when they are the same cameras (by key) under the same names, else null (then they are sorted).
 * A rebuild changes the status of a few cameras, rarely a name, so this is the usual case.
 *
 * @example nameOrderFrom(lastScope.ordered('name'), rebuilt) // rebuilt in name order, or null
 */
export function nameOrderFrom(previous: readonly CameraEntry[], entries: readonly CameraEntry[]): CameraEntry[] | null {
  return runToEnd(nameOrderSteps(previous, entries));
}

/**
 * For the rows of one cluster rebuilt (`next`) from `last`: each old row and its successor, when
 * they are the same cameras under the same names (so every order made of the old rows holds for
 * the new ones); null when a camera came, went or was renamed (then the orders are made anew).
 *
 * @example rowsReplacing(lastRows.entries, rebuilt.entries) // Map { oldRow → newRow, … }, or null
 */
export function rowsReplacing(last: readonly CameraEntry[], next: readonly CameraEntry[]): Map<CameraEntry, CameraEntry> | null {
  if (last.length !== next.length) return null;
  const byKey = new Map<string, CameraEntry>();
  for (const e of next) byKey.set(e.key, e);
  if (byKey.size !== next.length) return null;
  const replaced = new Map<CameraEntry, CameraEntry>();
  for (const old of last) {
    const e = byKey.get(old.key);
    if (e === undefined || e.nameKey !== old.nameKey || e.clusterKey !== old.clusterKey) return null;
    replaced.set(old, e);
  }
  return replaced;
}

/** An order of the previous rows with each replaced row in its successor's place, yielding every itemsPerStep. */
function* mappedSteps(order: readonly CameraEntry[], replaced: ReadonlyMap<CameraEntry, CameraEntry>): Generator<void, CameraEntry[], undefined> {
  const mapped: CameraEntry[] = new Array<CameraEntry>(order.length);
  for (let i = 0; i < order.length; i += 1) {
    const e = order[i] as CameraEntry;
    mapped[i] = replaced.get(e) ?? e;
    if (i % itemsPerStep === itemsPerStep - 1) yield;
  }
  return mapped;
}

/** nameOrderFrom as a stepped computation, yielding every itemsPerStep cameras. */
function* nameOrderSteps(previous: readonly CameraEntry[], entries: readonly CameraEntry[]): Generator<void, CameraEntry[] | null, undefined> {
  if (previous.length !== entries.length) return null;
  const byKey = new Map<string, CameraEntry>();
  for (let i = 0; i < entries.length; i += 1) {
    const e = entries[i] as CameraEntry;
    byKey.set(e.key, e);
    if (i % itemsPerStep === itemsPerStep - 1) yield;
  }
  if (byKey.size !== entries.length) return null;
  const order: CameraEntry[] = [];
  for (let i = 0; i < previous.length; i += 1) {
    const p = previous[i] as CameraEntry;
    const e = byKey.get(p.key);
    if (e === undefined || e.nameKey !== p.nameKey || e.clusterKey !== p.clusterKey) return null;
    order.push(e);
    if (i % itemsPerStep === itemsPerStep - 1) yield;
  }
  return order;
}

/** By name, then cluster, then id: a total order, so that pages never overlap. */
function byName(a: CameraEntry, b: CameraEntry): number {
  return ordinal(a.nameKey, b.nameKey) || ordinal(a.clusterKey, b.clusterKey) || ordinal(a.view.cameraId, b.view.cameraId) || ordinal(a.view.clusterId, b.view.clusterId);
}

function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
