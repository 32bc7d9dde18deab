// The rules of a failover pool's model (issue 17), pure: which standbys a failover group may
// hold, which groups and hot standby a protected recording server may name. The shell
// (pool-model.ts) reads the pool, asks these, and writes only what they let through.
//
// - A failover group holds standbys (`failover` nodes) of its pool, each once; a standby is in
//   one group at most and is not a hot standby.
// - A protected server (`primary` node) names groups of its pool: a secondary one only with a
//   primary one, and another one. Its hot standby is a standby of its pool, in no group, and
//   the hot standby of no other server.
import type { ProblemType } from '../model/problem-types.js';
import type { NodeRole } from '../model/vocabulary.js';

export interface PoolMembers {
  readonly nodes: readonly { readonly id: string; readonly name: string; readonly role: NodeRole }[];
  readonly groups: readonly { readonly id: string; readonly name: string }[];
  readonly members: readonly { readonly standbyNodeId: string; readonly groupId: string }[];
  readonly servers: readonly { readonly nodeId: string; readonly primaryGroupId: string | null; readonly secondaryGroupId: string | null; readonly hotStandbyNodeId: string | null }[];
}

/** Why a change is refused: a problem type with its detail and the fields it adds. */
export interface PoolRuleViolation {
  readonly type: ProblemType;
  readonly detail: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** `validation-failed` for the ids a list holds twice, at `path/<index>` of the second. */
export function duplicatesIn(ids: readonly string[], path: string): PoolRuleViolation | null {
  const seen = new Set<string>();
  const errors: { path: string; message: string }[] = [];
  ids.forEach((id, i) => {
    if (seen.has(id)) errors.push({ path: `${path}/${i}`, message: `${id} is listed twice` });
    seen.add(id);
  });
  return errors.length === 0 ? null : { type: 'validation-failed', detail: errors.map((e) => `${e.path} ${e.message}`).join('; '), extensions: { errors } };
}

/** A node of the pool with this role, or the violation saying it is not one. */
function nodeWithRole(pool: PoolMembers, nodeId: string, role: 'primary' | 'failover'): PoolRuleViolation | null {
  const node = pool.nodes.find((n) => n.id === nodeId);
  const what = role === 'primary' ? 'a protected recording server (role `primary`)' : 'a standby (role `failover`)';
  if (node === undefined) return { type: 'pool-role-mismatch', detail: `node ${nodeId} is not a node of this pool, so not ${what}`, extensions: { nodeId } };
  if (node.role !== role) return { type: 'pool-role-mismatch', detail: `${node.name} has role \`${node.role}\`: it is not ${what}`, extensions: { nodeId, role: node.role } };
  return null;
}

const nameOf = (pool: PoolMembers, nodeId: string): string => pool.nodes.find((n) => n.id === nodeId)?.name ?? nodeId;

/**
 * Whether `groupId`'s sequence may become `standbyNodeIds`.
 *
 * @example checkGroupStandbys(pool, 'g1', ['fo-1', 'fo-1']) // { type: 'validation-failed', … }
 */
export function checkGroupStandbys(pool: PoolMembers, groupId: string, standbyNodeIds: readonly string[]): PoolRuleViolation | null {
  const twice = duplicatesIn(standbyNodeIds, '/body/standbyNodeIds');
  if (twice !== null) return twice;
  for (const id of standbyNodeIds) {
    const notStandby = nodeWithRole(pool, id, 'failover');
    if (notStandby !== null) return notStandby;
    const other = pool.members.find((m) => m.standbyNodeId === id && m.groupId !== groupId);
    if (other !== undefined) {
      const groupName = pool.groups.find((g) => g.id === other.groupId)?.name ?? other.groupId;
      return { type: 'standby-in-other-group', detail: `${nameOf(pool, id)} is in failover group ${groupName}: remove it there first`, extensions: { nodeId: id, groupId: other.groupId } };
    }
    const hot = pool.servers.find((s) => s.hotStandbyNodeId === id);
    if (hot !== undefined) {
      return { type: 'standby-is-hot-standby', detail: `${nameOf(pool, id)} is the hot standby of ${nameOf(pool, hot.nodeId)}: a hot standby is in no failover group`, extensions: { nodeId: id, protectedNodeId: hot.nodeId } };
    }
  }
  return null;
}

export interface FailoverSettings {
  readonly primaryGroupId: string | null;
  readonly secondaryGroupId: string | null;
  readonly hotStandbyNodeId: string | null;
}

/**
 * Whether protected server `nodeId` may have these failover settings.
 *
 * @example checkFailoverSettings(pool, 'rs-1', { primaryGroupId: 'g1', secondaryGroupId: 'g1', hotStandbyNodeId: null }) // { type: 'failover-group-invalid', … }
 */
export function checkFailoverSettings(pool: PoolMembers, nodeId: string, settings: FailoverSettings): PoolRuleViolation | null {
  const notProtected = nodeWithRole(pool, nodeId, 'primary');
  if (notProtected !== null) return notProtected;
  const { primaryGroupId, secondaryGroupId, hotStandbyNodeId } = settings;
  for (const [field, groupId] of [['primaryGroupId', primaryGroupId], ['secondaryGroupId', secondaryGroupId]] as const) {
    if (groupId !== null && !pool.groups.some((g) => g.id === groupId)) return { type: 'failover-group-invalid', detail: `${field} ${groupId} is not a failover group of this pool`, extensions: { groupId } };
  }
  if (secondaryGroupId !== null && primaryGroupId === null) return { type: 'failover-group-invalid', detail: 'a secondary failover group is used only when the primary group is busy: set a primary group first' };
  if (secondaryGroupId !== null && secondaryGroupId === primaryGroupId) return { type: 'failover-group-invalid', detail: 'the secondary failover group must be another group than the primary one', extensions: { groupId: secondaryGroupId } };
  if (hotStandbyNodeId === null) return null;
  const notStandby = nodeWithRole(pool, hotStandbyNodeId, 'failover');
  if (notStandby !== null) return notStandby;
  const member = pool.members.find((m) => m.standbyNodeId === hotStandbyNodeId);
  if (member !== undefined) {
    const groupName = pool.groups.find((g) => g.id === member.groupId)?.name ?? member.groupId;
    return { type: 'hot-standby-in-group', detail: `${nameOf(pool, hotStandbyNodeId)} is in failover group ${groupName}; a hot standby is in no group: remove it there first`, extensions: { nodeId: hotStandbyNodeId, groupId: member.groupId } };
  }
  const other = pool.servers.find((s) => s.hotStandbyNodeId === hotStandbyNodeId && s.nodeId !== nodeId);
  if (other !== undefined) {
    return { type: 'hot-standby-taken', detail: `${nameOf(pool, hotStandbyNodeId)} is already the hot standby of ${nameOf(pool, other.nodeId)}`, extensions: { nodeId: hotStandbyNodeId, protectedNodeId: other.nodeId } };
  }
  return null;
}

/**
 * The protected servers that name a failover group as their primary or secondary group: a
 * group in use cannot be deleted.
 *
 * @example serversUsingGroup([{ nodeId: 'rs-1', primaryGroupId: 'g1', secondaryGroupId: null, hotStandbyNodeId: null }], 'g1') // ['rs-1']
 */
export function serversUsingGroup(servers: PoolMembers['servers'], groupId: string): string[] {
  return servers.filter((s) => s.primaryGroupId === groupId || s.secondaryGroupId === groupId).map((s) => s.nodeId);
}
