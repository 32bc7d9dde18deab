// What a cluster is doing now, as the console shows it: the nodes from SQL joined with their
// agents' latest reports from the status cache. Only fresh reports (within
// agents.staleAfterMs) decide who serves; older ones are shown as last known.
import type { NodeStatus } from '../../../contracts/controller-v1.js';
import type { ClusterRow, NodeRow } from '../db/entities/index.js';
import type { NodeStatusCache } from './node-status.js';
import type { ClusterState, NodeLiveState } from '../model/cluster.js';
import type { NodeLastReported } from '../model/node.js';
import type { HaStatus } from '../model/vocabulary.js';

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

export function describeClusterState(cluster: ClusterRow, nodes: readonly NodeRow[], statuses: NodeStatusCache, switchInProgress: boolean): ClusterState {
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
export function nodeLiveView(nodeId: string, statuses: NodeStatusCache): NodeLastReported {
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

function nodeStateView(node: NodeRow, statuses: NodeStatusCache): NodeLiveState {
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
