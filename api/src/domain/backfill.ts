// Backfill as the controller sees it: the nodes' gap audits and jobs from their agents' last
// reports (fresh or not: the last known), which nodes an operator's backfill command goes to,
// and what a node that would take over by a switch lacks. Pure: the command relay
// (agent-link/backfill-commands.ts) asks the agents and audits.
import type { BackfillStatus } from '../../../contracts/controller-v1.js';
import type { ClusterRow, NodeRow } from '../db/entities/index.js';
import type { BackfillAction, ClusterBackfill, NodeBackfillSummary } from '../model/backfill.js';
import { targetMissingCamerasMax, type TargetMissingDataFields } from '../model/problem.js';
import type { DataMissing } from './data-missing.js';
import type { NodeStatusCache } from './node-status.js';
import { roleIn, servingViewOf } from './serving-view.js';

/**
 * The figures of a node's backfill status that the cluster list shows.
 *
 * @example backfillSummaryOf(null) // null: its agent reports none
 */
export function backfillSummaryOf(status: BackfillStatus | null): NodeBackfillSummary | null {
  if (status === null) return null;
  const { mode, state, reason, missingSeconds, placeholderSeconds, camerasAffected, bytesDone, bytesTotal, etaSeconds } = status;
  return { mode, state, reason, missingSeconds, placeholderSeconds, camerasAffected, bytesDone, bytesTotal, etaSeconds };
}

/** A cluster's backfill: each node's status as last reported, with the cluster's verdict (data-missing.ts). */
export function clusterBackfillView(cluster: Pick<ClusterRow, 'id' | 'mode'>, nodes: readonly NodeRow[], statuses: NodeStatusCache, data: DataMissing): ClusterBackfill {
  const ordered = [...nodes].sort((a, b) => a.name.localeCompare(b.name));
  const view = servingViewOf(ordered.map((n) => n.id), statuses, cluster.mode);
  return {
    clusterId: cluster.id,
    dataMissing: data.missing,
    missingSeconds: data.missingSeconds,
    nodes: ordered.map((node) => {
      const cached = statuses.get(node.id);
      const role = roleIn(view, node.id);
      return { nodeId: node.id, name: node.name, serving: role === 'serving', reachable: role !== 'unknown', reportedAt: cached?.receivedAt.toISOString() ?? null, backfill: cached?.status.backfill ?? null };
    }),
  };
}

/** Whom a backfill command goes to, or why nobody. */
export type BackfillTargets = { readonly kind: 'nodes'; readonly nodes: readonly NodeRow[] } | { readonly kind: 'unknown-node'; readonly name: string } | { readonly kind: 'none' };

/**
 * The nodes a backfill command goes to: the one named; else, for `start`, those whose last
 * report says they lack data (all that report a backfill status when none does), and for
 * `pause` and `resume` all that report one. A node whose agent reports no backfill status
 * (none configured, or older) is asked only when named: it would not know the command.
 *
 * @example backfillTargets('start', nodes, statuses) // { kind: 'nodes', nodes: [the node that lacks data] }
 */
export function backfillTargets(action: BackfillAction, nodes: readonly NodeRow[], statuses: NodeStatusCache, name?: string): BackfillTargets {
  if (name !== undefined) {
    const named = nodes.find((n) => n.name === name);
    return named === undefined ? { kind: 'unknown-node', name } : { kind: 'nodes', nodes: [named] };
  }
  const withStatus = nodes.filter((n) => (statuses.get(n.id)?.status.backfill ?? null) !== null);
  const lacking = withStatus.filter((n) => (statuses.get(n.id)?.status.backfill?.missingSeconds ?? 0) > 0);
  const chosen = action === 'start' && lacking.length > 0 ? lacking : withStatus;
  return chosen.length === 0 ? { kind: 'none' } : { kind: 'nodes', nodes: [...chosen].sort((a, b) => a.name.localeCompare(b.name)) };
}

/**
 * What `node` lacks of what its peer holds, as its last report says, when it is not complete:
 * the cameras that miss most first, at most targetMissingCamerasMax of them. Null when it
 * lacks nothing, is complete within one block, or its agent reports no backfill status (nothing is known to be missing).
 *
 * @example missingDataOf(standby, statuses)?.missingSeconds // 12
 */
export function missingDataOf(node: Pick<NodeRow, 'id' | 'name'>, statuses: NodeStatusCache): TargetMissingDataFields | null {
  const backfill = statuses.get(node.id)?.status.backfill ?? null;
  // The agent judges completeness within one block (the frame or two by which two recorders
  // started apart is no reason to refuse); an older agent only says how much it lacks.
  if (backfill === null || !(backfill.missingSeconds > 0) || backfill.dataComplete === true) return null;
  const cameras = [...backfill.cameras]
    .sort((a, b) => b.missingSeconds - a.missingSeconds)
    .slice(0, targetMissingCamerasMax)
    .map((c) => ({ deviceId: c.deviceId, missingSeconds: c.missingSeconds, gaps: c.gaps }));
  return { nodeId: node.id, nodeName: node.name, missingSeconds: backfill.missingSeconds, camerasAffected: backfill.camerasAffected, cameras };
}
