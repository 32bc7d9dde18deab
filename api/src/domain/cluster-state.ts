// What a cluster is doing now, as the console shows it: the nodes from SQL joined with their
// agents' latest reports from the status cache. Only fresh reports (within
// agents.staleAfterMs) decide who serves; older ones are shown as last known.
import type { NodeStatus } from '../../../contracts/controller-v1.js';
import type { ClusterRow, NodeRow } from '../db/entities/index.js';
import type { NodeStatusCache } from './node-status.js';
import type { HaStatus, NodeRole } from '../model/vocabulary.js';

export interface NodeStateView {
  nodeId: string;
  name: string;
  role: NodeRole;
  hostName: string;
  agentUrl: string | null;
  webServerUri: string | null;
  /** Its agent reported within agents.staleAfterMs. */
  reachable: boolean;
  lastReportAt: string | null;
  state: NodeStatus['state'] | null;
  /** A fresh report says it serves. */
  serving: boolean;
  haStatus: HaStatus;
  epoch: number | null;
  healthy: boolean | null;
  ping: { avgMs: number | null; maxMs: number | null; lastMs: number | null } | null;
  uptimeSeconds: number | null;
  service: NodeStatus['service'] | null;
  problem: string | null;
}

export interface ClusterStateView {
  clusterId: string;
  name: string;
  sharedAddress: string;
  servingNodeId: string | null;
  /** Two fresh nodes both say they serve; servingNodeId is the one with the higher epoch. */
  conflict: boolean;
  maintenance: boolean;
  switchInProgress: boolean;
  nodes: NodeStateView[];
}

export interface ServingNode {
  readonly nodeId: string;
  readonly epoch: number;
  /** Another fresh node also says it serves (with a lower or equal epoch). */
  readonly conflict: boolean;
}

/**
 * The node that serves: a fresh report with `serving: true`; of two, the higher epoch.
 *
 * @example
 *   servingNodeOf(['a', 'b'], cache) // { nodeId: 'b', epoch: 7, conflict: false }
 */
export function servingNodeOf(nodeIds: readonly string[], statuses: NodeStatusCache): ServingNode | null {
  const claims = nodeIds
    .map((nodeId) => ({ nodeId, status: statuses.fresh(nodeId)?.status }))
    .filter((c): c is { nodeId: string; status: NodeStatus } => c.status?.serving === true)
    .sort((a, b) => b.status.epoch - a.status.epoch || a.nodeId.localeCompare(b.nodeId));
  const first = claims[0];
  return first === undefined ? null : { nodeId: first.nodeId, epoch: first.status.epoch, conflict: claims.length > 1 };
}

export function describeClusterState(cluster: ClusterRow, nodes: readonly NodeRow[], statuses: NodeStatusCache, switchInProgress: boolean): ClusterStateView {
  const ordered = [...nodes].sort((a, b) => a.name.localeCompare(b.name));
  const serving = servingNodeOf(ordered.map((n) => n.id), statuses);
  // Maintenance is cluster-wide and spreads through heartbeats: the serving node's word first.
  const fresh = ordered.map((n) => statuses.fresh(n.id)?.status).filter((s): s is NodeStatus => s !== undefined);
  const maintenance = serving !== null ? statuses.fresh(serving.nodeId)?.status.maintenance === true : fresh.some((s) => s.maintenance);
  return {
    clusterId: cluster.id,
    name: cluster.name,
    sharedAddress: cluster.sharedAddress,
    servingNodeId: serving?.nodeId ?? null,
    conflict: serving?.conflict ?? false,
    maintenance,
    switchInProgress,
    nodes: ordered.map((node) => nodeStateView(node, statuses)),
  };
}

/**
 * How the console shows a node: `Serving` when a fresh report says it serves, `Standby` when
 * a fresh report says it does not, `Unknown` without a fresh report.
 */
export function haStatusOf(fresh: boolean, serving: boolean): HaStatus {
  return !fresh ? 'Unknown' : serving ? 'Serving' : 'Standby';
}

/** What the cluster list shows of a node besides its configuration. */
export interface NodeLiveView {
  haStatus: HaStatus;
  /** SafeKit state, last reported (fresh or not); null before the first report. */
  state: NodeStatus['state'] | null;
  uptimeSeconds: number | null;
  ping: { avgMs: number | null; maxMs: number | null } | null;
  /** Storages in the last report; null before the first report. */
  storageCount: number | null;
}

export function nodeLiveView(nodeId: string, statuses: NodeStatusCache): NodeLiveView {
  const status = statuses.get(nodeId)?.status;
  const fresh = statuses.isFresh(nodeId);
  return {
    haStatus: haStatusOf(fresh, fresh && status?.serving === true),
    state: status?.state ?? null,
    uptimeSeconds: status?.uptimeSeconds ?? null,
    ping: status === undefined ? null : { avgMs: status.ping.avgMs, maxMs: status.ping.maxMs },
    storageCount: status?.storages.length ?? null,
  };
}

function nodeStateView(node: NodeRow, statuses: NodeStatusCache): NodeStateView {
  const cached = statuses.get(node.id);
  const reachable = statuses.isFresh(node.id);
  const status = cached?.status;
  const serving = reachable && status?.serving === true;
  return {
    nodeId: node.id,
    name: node.name,
    role: node.role,
    hostName: node.hostName,
    agentUrl: node.agentUrl,
    webServerUri: node.webServerUri,
    reachable,
    lastReportAt: cached?.receivedAt.toISOString() ?? null,
    state: status?.state ?? null,
    serving,
    haStatus: haStatusOf(reachable, serving),
    epoch: status?.epoch ?? null,
    healthy: status?.healthy ?? null,
    ping: status === undefined ? null : { avgMs: status.ping.avgMs, maxMs: status.ping.maxMs, lastMs: status.ping.lastMs },
    uptimeSeconds: status?.uptimeSeconds ?? null,
    service: status?.service ?? null,
    problem: status?.health.problem ?? null,
  };
}
