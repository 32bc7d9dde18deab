// Pure rules about which nodes a cluster may hold. No I/O: the service feeds in the current
// nodes and the proposed change, and gets back either nothing or the violated rule.
import type { ProblemType } from '../model/problem-types.js';
import { roleLimits, type ClusterMode, type NodeRole } from '../model/vocabulary.js';

export interface NodeShape {
  readonly id: string;
  readonly name: string;
  readonly role: NodeRole;
  readonly recorderId: string | null;
}

export interface RuleViolation {
  readonly type: ProblemType;
  readonly detail: string;
}

/**
 * Checks a cluster's complete set of nodes after a proposed change.
 *
 * @example
 *   checkNodes('cloning', [{ id: 'a', name: 'rec-a', role: 'primary', recorderId: 'R' },
 *                          { id: 'b', name: 'rec-b', role: 'primary', recorderId: 'R' }])
 *   // → { type: 'role-conflict', detail: 'a cloning cluster holds at most 1 primary node …' }
 */
export function checkNodes(mode: ClusterMode, nodes: readonly NodeShape[]): RuleViolation | null {
  const names = new Set<string>();
  for (const node of nodes) {
    const key = node.name.toLowerCase();
    if (names.has(key)) return { type: 'node-name-taken', detail: `a node named ${JSON.stringify(node.name)} already exists in this cluster` };
    names.add(key);
  }
  const limits = roleLimits[mode];
  const counts = new Map<NodeRole, number>();
  for (const node of nodes) counts.set(node.role, (counts.get(node.role) ?? 0) + 1);
  for (const [role, count] of counts) {
    const limit = limits[role];
    if (limit === undefined) {
      const allowed = Object.keys(limits).join(' and ');
      return { type: 'role-conflict', detail: `a ${mode} cluster has no ${role} nodes; its roles are ${allowed}` };
    }
    if (count > limit) return { type: 'role-conflict', detail: `a ${mode} cluster holds at most ${limit} ${role} node${limit === 1 ? '' : 's'}` };
  }
  if (mode === 'cloning') {
    // Server cloning: both nodes run with one RecorderConfig.xml identity.
    const ids = new Set(nodes.map((n) => n.recorderId?.toLowerCase()).filter((id): id is string => id !== undefined));
    if (ids.size > 1) return { type: 'recorder-identity-mismatch', detail: `the nodes of a cloned pair must share one recorder id; found ${[...ids].join(', ')}` };
  }
  return null;
}

/** The preferred node, if set, must belong to the cluster. */
export function checkPreferredNode(preferredNodeId: string | null, nodes: readonly Pick<NodeShape, 'id'>[]): RuleViolation | null {
  if (preferredNodeId === null || nodes.some((n) => n.id === preferredNodeId)) return null;
  return { type: 'preferred-node-invalid', detail: `node ${preferredNodeId} is not a node of this cluster` };
}
