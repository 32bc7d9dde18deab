// What a cluster is doing now, as the console shows it: the nodes from SQL joined with their
// agents' latest reports from the status cache. Only reachable nodes (node-status.ts) count in
// the Serving view (serving-view.ts); older reports are shown as last known.
import type { NodeStatus } from '../../../contracts/controller-v1.js';
import type { ClusterRow, NodeRow } from '../db/entities/index.js';
import { backfillSummaryOf } from './backfill.js';
import type { NodeStatusCache } from './node-status.js';
import { haStatusOf, roleIn, servingViewOf, type ServingView } from './serving-view.js';
import type { ClusterState, NodeLiveState } from '../model/cluster.js';
import type { NodeLastReported } from '../model/node.js';

export function describeClusterState(cluster: ClusterRow, nodes: readonly NodeRow[], statuses: NodeStatusCache, switchInProgress: boolean): ClusterState {
  const ordered = [...nodes].sort((a, b) => a.name.localeCompare(b.name));
  const view = servingViewOf(ordered.map((n) => n.id), statuses, cluster.mode);
  // Maintenance is cluster-wide and spreads through heartbeats: the serving node's word first.
  const fresh = ordered.map((n) => statuses.fresh(n.id)?.status).filter((s): s is NodeStatus => s !== undefined);
  const maintenance = view.servingNodeId !== null ? statuses.fresh(view.servingNodeId)?.status.maintenance === true : fresh.some((s) => s.maintenance);
  return {
    clusterId: cluster.id,
    name: cluster.name,
    sharedAddress: cluster.sharedAddress,
    servingNodeId: view.servingNodeId,
    conflict: view.conflict,
    maintenance,
    switchInProgress,
    policyVersion: cluster.policyVersion,
    nodes: ordered.map((node) => nodeStateView(node, statuses, view, cluster.policyVersion)),
  };
}

/** The policy version a node last reported running; null when it has not said (no report, or an older agent). */
export function reportedPolicyVersionOf(nodeId: string, statuses: NodeStatusCache): number | null {
  return statuses.get(nodeId)?.status.policyVersion ?? null;
}

/** What the cluster list shows of a node besides its configuration. */
export function nodeLiveView(nodeId: string, statuses: NodeStatusCache, view: ServingView): NodeLastReported {
  const status = statuses.get(nodeId)?.status;
  return {
    haStatus: haStatusOf(roleIn(view, nodeId)),
    state: status?.state ?? null,
    uptimeSeconds: status?.uptimeSeconds ?? null,
    ping: status === undefined ? null : { avgMs: status.ping.avgMs, maxMs: status.ping.maxMs },
    storageCount: status?.storages.length ?? null,
    backfill: backfillSummaryOf(status?.backfill ?? null),
  };
}

function nodeStateView(node: NodeRow, statuses: NodeStatusCache, view: ServingView, policyVersion: number): NodeLiveState {
  const cached = statuses.get(node.id);
  const status = cached?.status;
  const role = roleIn(view, node.id);
  const reported = reportedPolicyVersionOf(node.id, statuses);
  return {
    nodeId: node.id,
    name: node.name,
    role: node.role,
    hostName: node.hostName,
    agentUrl: node.agentUrl,
    webServerUri: node.webServerUri,
    reachable: role !== 'unknown',
    lastReportAt: cached?.receivedAt.toISOString() ?? null,
    state: status?.state ?? null,
    serving: role === 'serving',
    steppingDown: role === 'stepping-down',
    haStatus: haStatusOf(role),
    epoch: status?.epoch ?? null,
    healthy: status?.healthy ?? null,
    ping: status === undefined ? null : { avgMs: status.ping.avgMs, maxMs: status.ping.maxMs, lastMs: status.ping.lastMs },
    uptimeSeconds: status?.uptimeSeconds ?? null,
    service: status?.service ?? null,
    problem: status?.health.problem ?? null,
    policyVersion: reported,
    policyCurrent: reported === policyVersion,
  };
}
