// The Serving view: which node the controller shows as Serving, from what the nodes reported.
// Epoch fencing already decides who serves (a node persists its epoch before it serves, and
// steps down at once when it sees a higher one), so the view follows the same rule instead of
// counting every claim: of the reachable nodes that say they serve, the one with the highest
// epoch is Serving; one under a lower epoch is stepping down (it has not heard of the higher
// epoch yet, or its release is under way) and is not shown as Serving; two under the same
// epoch are a conflict, the one split fencing cannot settle. Reachability is the node status
// cache's (node-status.ts): a node whose reports stopped drops out within a few report
// intervals. A failover pool's nodes serve different recording servers at once, so there every
// reachable claimant serves, and the highest epoch only names the cluster's `servingNodeId`.
// Pure: the caller passes the reports in.
import type { NodeStatusCache } from './node-status.js';
import type { ClusterMode, HaStatus } from '../model/vocabulary.js';

/** What one node's last report says, as far as the view needs it. */
export interface ServingClaim {
  readonly nodeId: string;
  /** Its report is fresh (NodeStatusCache.isFresh). */
  readonly reachable: boolean;
  /** It reported `serving: true`. */
  readonly claimsServing: boolean;
  /** The epoch it serves under, else the highest it knows. */
  readonly epoch: number;
}

/** `unknown`: not reachable; `standby`: reachable, not claiming; the rest claim to serve. */
export type ServingRole = 'serving' | 'stepping-down' | 'standby' | 'unknown';

export interface ServingView {
  /** The Serving node; of two at the highest epoch (a conflict), the first by id. */
  readonly servingNodeId: string | null;
  /** The epoch it serves under. */
  readonly epoch: number | null;
  /** Two or more reachable nodes claim to serve under the highest epoch: a split fencing cannot settle (in a pool, too). */
  readonly conflict: boolean;
  /** Each node's role; a node not passed in is `unknown`. */
  readonly roles: ReadonlyMap<string, ServingRole>;
}

/**
 * The Serving view of a cluster's nodes (a cloned pair unless `mode` says otherwise).
 *
 * @example
 *   servingView([{ nodeId: 'a', reachable: true, claimsServing: true, epoch: 2 }, { nodeId: 'b', reachable: true, claimsServing: true, epoch: 3 }])
 *   // { servingNodeId: 'b', epoch: 3, conflict: false, roles: Map { a → 'stepping-down', b → 'serving' } }
 */
export function servingView(claims: readonly ServingClaim[], mode: ClusterMode = 'cloning'): ServingView {
  let top: number | null = null;
  for (const c of claims) if (c.reachable && c.claimsServing && (top === null || c.epoch > top)) top = c.epoch;
  const roles = new Map<string, ServingRole>();
  let servingNodeId: string | null = null;
  let atTop = 0;
  for (const c of claims) {
    const fenced = mode === 'cloning' && c.epoch !== top;
    const role: ServingRole = !c.reachable ? 'unknown' : !c.claimsServing ? 'standby' : fenced ? 'stepping-down' : 'serving';
    roles.set(c.nodeId, role);
    if (role !== 'serving' || c.epoch !== top) continue;
    atTop += 1;
    if (servingNodeId === null || c.nodeId < servingNodeId) servingNodeId = c.nodeId;
  }
  return { servingNodeId, epoch: servingNodeId === null ? null : top, conflict: atTop > 1, roles };
}

/**
 * The Serving view from the nodes' latest reports in the cache.
 *
 * @example
 *   servingViewOf([nodeA, nodeB], statuses, 'cloning').servingNodeId // nodeB, when B took over under a higher epoch
 */
export function servingViewOf(nodeIds: readonly string[], statuses: NodeStatusCache, mode: ClusterMode): ServingView {
  return servingView(
    nodeIds.map((nodeId) => {
      const status = statuses.get(nodeId)?.status;
      return { nodeId, reachable: statuses.isFresh(nodeId), claimsServing: status?.serving === true, epoch: status?.epoch ?? 0 };
    }),
    mode,
  );
}

/** A node's role in the view; `unknown` for a node it does not hold. */
export function roleIn(view: ServingView, nodeId: string): ServingRole {
  return view.roles.get(nodeId) ?? 'unknown';
}

/** How the console shows a role: a node stepping down is no longer shown as Serving. */
export function haStatusOf(role: ServingRole): HaStatus {
  return role === 'serving' ? 'Serving' : role === 'unknown' ? 'Unknown' : 'Standby';
}
