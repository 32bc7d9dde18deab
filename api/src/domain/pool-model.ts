// A failover pool's model over REST (issue 17): failover groups and their sequences, each
// protected recording server's failover settings, each standby's camera capacity, per-camera
// failover levels, and the pool at a glance. The shell around pool-model-rules.ts (what may be
// set) and pool-view.ts (what is shown). Every change is one transaction with its audit entry;
// it first locks its cluster's row (SQLite transactions take turns anyway), so that two changes
// of one pool, whose rules span tables (a standby in a group is no hot standby), see each other.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import type { Database } from '../db/database.js';
import {
  AuditEntryEntity,
  ClusterEntity,
  FailoverGroupEntity,
  FailoverGroupMemberEntity,
  NodeEntity,
  PoolCameraLevelEntity,
  PoolRecorderConfigEntity,
  PoolServerEntity,
  PoolServerStateEntity,
  PoolEpochEntity,
  PoolStandbyEntity,
  PoolSupervisionEntity,
  StandbyLeaseEntity,
  type AuditDetails,
  type ClusterRow,
  type FailoverGroupMemberRow,
  type FailoverGroupRow,
  type NodeRow,
  type PoolServerRow,
} from '../db/entities/index.js';
import { isUniqueViolation } from '../db/errors.js';
import type {
  CameraFailoverLevels,
  CameraFailoverLevelsUpdate,
  FailoverGroup,
  FailoverGroupCreate,
  FailoverGroupStandbys,
  FailoverGroupUpdate,
  Pool,
  PoolStandby,
  PoolStandbyUpdate,
  ProtectedServer,
  ProtectedServerFailoverUpdate,
} from '../model/pool.js';
import { failoverGroupsMax } from '../model/pool.js';
import { poolCamerasMax } from '../../../contracts/pool-v1.js';
import { auditRow, type Actor } from './audit.js';
import { settingsOfRow } from './cluster-policy-rules.js';
import { checkIfMatch, etagOf, loadCluster, retryOnRace } from './cluster-rows.js';
import { conflict, DomainError, notFound, problem, validationFailed } from './errors.js';
import type { NodeStatusCache } from './node-status.js';
import { checkFailoverSettings, checkGroupStandbys, duplicatesIn, serversUsingGroup, type PoolMembers, type PoolRuleViolation } from './pool-model-rules.js';
import { cameraLevelsView, failoverGroupView, leaseHoldsServer, poolView } from './pool-view.js';

/** Rows written per statement: well under SQL Server's 2,100 parameters. */
const rowsPerStatementMax = 200;

/** The pool of one cluster, read inside a change's transaction. */
interface PoolRead extends PoolMembers {
  readonly cluster: ClusterRow;
  readonly nodes: NodeRow[];
  readonly groups: FailoverGroupRow[];
  readonly members: FailoverGroupMemberRow[];
  readonly servers: PoolServerRow[];
}

export class PoolModelService {
  constructor(
    private readonly db: Database,
    private readonly statuses: NodeStatusCache,
  ) {}

  /** The pool at a glance. */
  async get(clusterId: string): Promise<Pool> {
    return this.db.dataSource.transaction(async (m) => this.view(m, await this.read(m, clusterId, false)));
  }

  async getGroup(clusterId: string, groupId: string): Promise<FailoverGroup> {
    return this.db.dataSource.transaction(async (m) => {
      const pool = await this.read(m, clusterId, false);
      return this.groupView(m, pool, loadGroup(pool, groupId));
    });
  }

  async createGroup(clusterId: string, input: FailoverGroupCreate, actor: Actor): Promise<FailoverGroup> {
    return this.mutate(actor, 'failover-group.create', `cluster/${clusterId}/failover-group/${input.name}`, async (m) => {
      const pool = await this.read(m, clusterId, true);
      if (pool.groups.length >= failoverGroupsMax) throw problem('failover-group-invalid', `a pool holds at most ${failoverGroupsMax} failover groups`);
      refuseTakenName(pool, input.name, null);
      const now = new Date();
      const row: FailoverGroupRow = { id: randomUUID(), clusterId, name: input.name, createdAt: now, updatedAt: now, version: 1 };
      await m.insert(FailoverGroupEntity, row);
      return { target: groupTarget(clusterId, row.id), result: await this.groupView(m, pool, await m.findOneByOrFail(FailoverGroupEntity, { id: row.id })), details: { name: input.name } };
    });
  }

  async updateGroup(clusterId: string, groupId: string, input: FailoverGroupUpdate, ifMatch: string | undefined, actor: Actor): Promise<FailoverGroup> {
    return this.mutate(actor, 'failover-group.update', groupTarget(clusterId, groupId), async (m) => {
      const pool = await this.read(m, clusterId, true);
      const group = loadGroup(pool, groupId);
      checkIfMatch(ifMatch, etagOf(group.version));
      if (input.version !== undefined && input.version !== group.version) {
        throw problem('failover-group-version-conflict', `failover group ${group.name} is at version ${group.version}, not ${input.version}: read it again`, { version: group.version });
      }
      if (input.name === group.name) return { target: groupTarget(clusterId, groupId), result: await this.groupView(m, pool, group), audit: false };
      refuseTakenName(pool, input.name, groupId);
      await m.update(FailoverGroupEntity, { id: groupId }, { name: input.name });
      return { target: groupTarget(clusterId, groupId), result: await this.groupView(m, pool, await m.findOneByOrFail(FailoverGroupEntity, { id: groupId })), details: { from: group.name, to: input.name } };
    });
  }

  async deleteGroup(clusterId: string, groupId: string, ifMatch: string | undefined, actor: Actor): Promise<void> {
    await this.mutate(actor, 'failover-group.delete', groupTarget(clusterId, groupId), async (m) => {
      const pool = await this.read(m, clusterId, true);
      const group = loadGroup(pool, groupId);
      checkIfMatch(ifMatch, etagOf(group.version));
      const users = serversUsingGroup(pool.servers, groupId);
      if (users.length > 0) {
        const names = users.map((id) => pool.nodes.find((n) => n.id === id)?.name ?? id);
        throw problem('failover-group-in-use', `failover group ${group.name} is the primary or secondary group of ${names.join(', ')}: change their failover settings first`, { protectedNodeIds: users });
      }
      await m.delete(FailoverGroupMemberEntity, { groupId });
      await m.delete(FailoverGroupEntity, { id: groupId });
      return { target: groupTarget(clusterId, groupId), result: undefined, details: { name: group.name } };
    });
  }

  /** Sets a group's whole sequence: assigns, removes and reorders its standbys at once. */
  async setGroupStandbys(clusterId: string, groupId: string, input: FailoverGroupStandbys, actor: Actor): Promise<FailoverGroup> {
    return this.mutate(actor, 'failover-group.standbys-set', groupTarget(clusterId, groupId), async (m) => {
      const pool = await this.read(m, clusterId, true);
      const group = loadGroup(pool, groupId);
      refuse(checkGroupStandbys(pool, groupId, input.standbyNodeIds));
      const before = pool.members.filter((mb) => mb.groupId === groupId).sort((a, b) => a.position - b.position).map((mb) => mb.standbyNodeId);
      if (sameList(before, input.standbyNodeIds)) return { target: groupTarget(clusterId, groupId), result: await this.groupView(m, pool, group), audit: false };
      await m.delete(FailoverGroupMemberEntity, { groupId });
      for (const chunk of chunks(input.standbyNodeIds.map((standbyNodeId, position) => ({ standbyNodeId, groupId, position })))) await m.insert(FailoverGroupMemberEntity, chunk);
      // The group's version covers its sequence: a client holding the old one sees it changed.
      await m.update(FailoverGroupEntity, { id: groupId }, { updatedAt: new Date() });
      const saved = await m.findOneByOrFail(FailoverGroupEntity, { id: groupId });
      return { target: groupTarget(clusterId, groupId), result: await this.groupView(m, pool, saved), details: { from: before, to: [...input.standbyNodeIds] } };
    });
  }

  /** A protected server's failover settings; while it is failed over only with `confirm: true` (they apply at its next failover). */
  async setFailover(clusterId: string, nodeId: string, input: ProtectedServerFailoverUpdate, actor: Actor): Promise<ProtectedServer> {
    return this.mutate(actor, 'node.failover-set', nodeTarget(clusterId, nodeId), async (m) => {
      const pool = await this.read(m, clusterId, true);
      if (!pool.nodes.some((n) => n.id === nodeId)) throw notFound('node', nodeId);
      const { confirm, ...settings } = input;
      refuse(checkFailoverSettings(pool, nodeId, settings));
      const current = pool.servers.find((s) => s.nodeId === nodeId);
      const before = { primaryGroupId: current?.primaryGroupId ?? null, secondaryGroupId: current?.secondaryGroupId ?? null, hotStandbyNodeId: current?.hotStandbyNodeId ?? null, standbySelection: current?.standbySelection ?? 'sequence' };
      const changed = (Object.keys(before) as (keyof typeof before)[]).filter((k) => before[k] !== settings[k]);
      const result = async (): Promise<ProtectedServer> => serverOf(await this.view(m, await this.read(m, clusterId, false)), nodeId);
      if (changed.length === 0) return { target: nodeTarget(clusterId, nodeId), result: await result(), audit: false };
      const confirmed = await requireConfirmation(m, pool, nodeId, confirm);
      if (current === undefined) await m.insert(PoolServerEntity, { nodeId, clusterId, ...settings, sharedAddress: null, updatedAt: new Date(), version: 1 });
      else await m.update(PoolServerEntity, { nodeId }, settings);
      return { target: nodeTarget(clusterId, nodeId), result: await result(), details: { changed, ...settings, ...confirmed } };
    });
  }

  /** A standby's camera capacity. */
  async setStandby(clusterId: string, nodeId: string, input: PoolStandbyUpdate, actor: Actor): Promise<PoolStandby> {
    return this.mutate(actor, 'node.standby-set', nodeTarget(clusterId, nodeId), async (m) => {
      const pool = await this.read(m, clusterId, true);
      nodeOfRole(pool, nodeId, 'failover');
      const current = await m.findOneBy(PoolStandbyEntity, { nodeId });
      const result = async (): Promise<PoolStandby> => standbyOf(await this.view(m, await this.read(m, clusterId, false)), nodeId);
      if (current?.cameraCapacity === input.cameraCapacity) return { target: nodeTarget(clusterId, nodeId), result: await result(), audit: false };
      if (current === null) await m.insert(PoolStandbyEntity, { nodeId, clusterId, cameraCapacity: input.cameraCapacity, updatedAt: new Date() });
      else await m.update(PoolStandbyEntity, { nodeId }, { cameraCapacity: input.cameraCapacity });
      return { target: nodeTarget(clusterId, nodeId), result: await result(), details: { from: current?.cameraCapacity ?? null, to: input.cameraCapacity } };
    });
  }

  /** A protected server's cameras as its agent last reported them, with their failover levels. */
  async cameraLevels(clusterId: string, nodeId: string): Promise<CameraFailoverLevels> {
    return this.db.dataSource.transaction(async (m) => this.levelsView(m, nodeOfRole(await this.read(m, clusterId, false), nodeId, 'primary')));
  }

  /** Sets some cameras' failover levels (`full`, the default, removes a stored one); while failed over only with `confirm: true`. */
  async setCameraLevels(clusterId: string, nodeId: string, input: CameraFailoverLevelsUpdate, actor: Actor): Promise<CameraFailoverLevels> {
    return this.mutate(actor, 'node.camera-levels-set', nodeTarget(clusterId, nodeId), async (m) => {
      const pool = await this.read(m, clusterId, true);
      const node = nodeOfRole(pool, nodeId, 'primary');
      refuse(duplicatesIn(input.cameras.map((c) => c.deviceId), '/body/cameras/deviceId'));
      const stored = new Map((await m.find(PoolCameraLevelEntity, { where: { nodeId } })).map((r) => [r.deviceId, r.level]));
      const changes = input.cameras.filter((c) => (stored.get(c.deviceId) ?? 'full') !== c.level);
      if (changes.length === 0) return { target: nodeTarget(clusterId, nodeId), result: await this.levelsView(m, node), audit: false };
      const storedAfter = stored.size + changes.filter((c) => c.level !== 'full' && !stored.has(c.deviceId)).length - changes.filter((c) => c.level === 'full').length;
      if (storedAfter > poolCamerasMax) {
        throw validationFailed([{ path: '/body/cameras', message: `a protected server keeps at most ${poolCamerasMax} camera levels other than full: set cameras no longer reported back to full first` }]);
      }
      const confirmed = await requireConfirmation(m, pool, nodeId, input.confirm);
      const now = new Date();
      for (const chunk of chunks(changes.filter((c) => stored.has(c.deviceId)).map((c) => c.deviceId))) await m.delete(PoolCameraLevelEntity, { nodeId, deviceId: In(chunk) });
      const kept = changes.filter((c) => c.level !== 'full').map((c) => ({ nodeId, deviceId: c.deviceId, level: c.level, updatedAt: now }));
      for (const chunk of chunks(kept)) await m.insert(PoolCameraLevelEntity, chunk);
      const count = (level: string): number => changes.filter((c) => c.level === level).length;
      return { target: nodeTarget(clusterId, nodeId), result: await this.levelsView(m, node), details: { changed: changes.length, full: count('full'), liveOnly: count('live-only'), none: count('none'), ...confirmed } };
    });
  }

  /** The cluster, which must be a pool, with its nodes, groups, members and protected servers' settings; its row locked for a change. */
  private async read(m: EntityManager, clusterId: string, forChange: boolean): Promise<PoolRead> {
    if (forChange && this.db.dialect !== 'sqlite') await m.createQueryBuilder(ClusterEntity, 'c').setLock('pessimistic_write').where('c.id = :clusterId', { clusterId }).getOne();
    const cluster = await loadCluster(m, clusterId);
    if (cluster.mode !== 'pool') throw problem('cluster-not-pool', `cluster ${cluster.name} is a cloned pair: failover groups, standbys and failover levels belong to failover pools (mode \`pool\`)`, { clusterId });
    const nodes = await m.find(NodeEntity, { where: { clusterId } });
    const groups = await m.find(FailoverGroupEntity, { where: { clusterId } });
    const members = groups.length === 0 ? [] : await m.find(FailoverGroupMemberEntity, { where: { groupId: In(groups.map((g) => g.id)) } });
    const servers = await m.find(PoolServerEntity, { where: { clusterId } });
    return { cluster, nodes, groups, members, servers };
  }

  private async view(m: EntityManager, pool: PoolRead): Promise<Pool> {
    const clusterId = pool.cluster.id;
    const recorderConfigs = await m.createQueryBuilder(PoolRecorderConfigEntity, 'r').select(['r.nodeId', 'r.sha256', 'r.receivedAt']).where('r.clusterId = :clusterId', { clusterId }).getMany();
    return poolView({
      clusterId,
      nodes: pool.nodes,
      groups: pool.groups,
      members: pool.members,
      servers: pool.servers,
      standbys: await m.find(PoolStandbyEntity, { where: { clusterId } }),
      states: await m.find(PoolServerStateEntity, { where: { clusterId } }),
      leases: await m.find(StandbyLeaseEntity, { where: { clusterId } }),
      recorderConfigs,
      failover: settingsOfRow(pool.cluster).pool.failover,
      reachable: (nodeId) => this.statuses.isFresh(nodeId),
      failbackSync: (nodeId) => this.statuses.get(nodeId)?.status.poolProtected?.failbackSync ?? null,
      hotStatus: (nodeId) => this.statuses.get(nodeId)?.status.pool?.hot ?? null,
    });
  }

  private async groupView(m: EntityManager, pool: PoolRead, group: FailoverGroupRow): Promise<FailoverGroup> {
    const members = await m.find(FailoverGroupMemberEntity, { where: { groupId: group.id } });
    return failoverGroupView(group, members, (id) => pool.nodes.find((n) => n.id === id)?.name);
  }

  private async levelsView(m: EntityManager, node: NodeRow): Promise<CameraFailoverLevels> {
    const cached = this.statuses.get(node.id);
    return cameraLevelsView(node.id, cached?.receivedAt ?? null, cached?.status.cameras ?? [], await m.find(PoolCameraLevelEntity, { where: { nodeId: node.id } }));
  }

  /**
   * Runs a change in one transaction with its audit entry (unless it changed nothing), again
   * when it lost an insert race (a standby's agent registering meanwhile). A refused change is
   * audited too, in its own transaction, unless the database itself is the problem.
   */
  private async mutate<T>(actor: Actor, action: string, targetOnFailure: string, work: (m: EntityManager) => Promise<{ target: string; result: T; details?: AuditDetails; audit?: false }>): Promise<T> {
    const source = this.db.dataSource;
    try {
      return await retryOnRace(
        () =>
          source.transaction(async (m) => {
            const { target, result, details, audit } = await work(m);
            if (audit !== false) await m.insert(AuditEntryEntity, auditRow(actor, action, target, 'success', details ?? null));
            return result;
          }),
        isUniqueViolation,
      );
    } catch (err) {
      const mapped = isUniqueViolation(err) && action.startsWith('failover-group.') ? conflict('failover-group-name-taken', 'a failover group with this name already exists in the pool') : err;
      if (mapped instanceof DomainError) await source.getRepository(AuditEntryEntity).insert(auditRow(actor, action, targetOnFailure, 'failure')).catch(() => {});
      throw mapped;
    }
  }
}

const groupTarget = (clusterId: string, groupId: string): string => `cluster/${clusterId}/failover-group/${groupId}`;
const nodeTarget = (clusterId: string, nodeId: string): string => `cluster/${clusterId}/node/${nodeId}`;

function refuse(violation: PoolRuleViolation | null): void {
  if (violation === null) return;
  if (violation.type === 'validation-failed') throw validationFailed((violation.extensions?.errors as { path: string; message: string }[] | undefined) ?? []);
  throw problem(violation.type, violation.detail, { ...violation.extensions });
}

function loadGroup(pool: PoolRead, groupId: string): FailoverGroupRow {
  const group = pool.groups.find((g) => g.id === groupId);
  if (group === undefined) throw notFound('failover group', groupId);
  return group;
}

function refuseTakenName(pool: PoolRead, name: string, exceptGroupId: string | null): void {
  if (pool.groups.some((g) => g.name === name && g.id !== exceptGroupId)) throw problem('failover-group-name-taken', `a failover group named ${JSON.stringify(name)} already exists in the pool`, { name });
}

/** The node, a node of this pool with `role` (404 when it is not in the cluster at all). */
function nodeOfRole(pool: PoolRead, nodeId: string, role: 'primary' | 'failover'): NodeRow {
  const node = pool.nodes.find((n) => n.id === nodeId);
  if (node === undefined) throw notFound('node', nodeId);
  const what = role === 'primary' ? 'a protected recording server (role `primary`)' : 'a standby (role `failover`)';
  if (node.role !== role) throw problem('pool-role-mismatch', `${node.name} has role \`${node.role}\`: it is not ${what}`, { nodeId, role: node.role });
  return node;
}

/**
 * While a standby's lease holds the protected server (taking it over, serving it, syncing
 * back), a change of its failover settings applies at its next failover only: refused unless
 * confirmed (seed 003 warns and asks). Returns what the audit entry says of it.
 */
async function requireConfirmation(m: EntityManager, pool: PoolRead, nodeId: string, confirmed: boolean | undefined): Promise<AuditDetails> {
  const lease = (await m.find(StandbyLeaseEntity, { where: { protectedNodeId: nodeId } })).find(leaseHoldsServer);
  if (lease === undefined) return {};
  const name = (id: string): string => pool.nodes.find((n) => n.id === id)?.name ?? id;
  if (confirmed !== true) {
    throw problem(
      'pool-failed-over-confirm',
      `${name(nodeId)} is failed over: standby ${name(lease.standbyNodeId)} ${lease.state === 'syncing-back' ? 'syncs its recordings back to it' : 'serves it'}. The change applies at its next failover, not to this one; send "confirm": true to make it`,
      { standby: { nodeId: lease.standbyNodeId, nodeName: name(lease.standbyNodeId) }, leaseState: lease.state },
    );
  }
  return { confirmedWhileFailedOver: true, standbyNodeId: lease.standbyNodeId };
}

function serverOf(pool: Pool, nodeId: string): ProtectedServer {
  const server = pool.protectedServers.find((s) => s.nodeId === nodeId);
  if (server === undefined) throw notFound('protected server', nodeId);
  return server;
}

function standbyOf(pool: Pool, nodeId: string): PoolStandby {
  const standby = pool.standbys.find((s) => s.nodeId === nodeId);
  if (standby === undefined) throw notFound('standby', nodeId);
  return standby;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += rowsPerStatementMax) out.push(items.slice(i, i + rowsPerStatementMax));
  return out;
}

/**
 * Refuses (409 `pool-node-in-failover`) to delete a node a standby lease holds: a protected
 * server failed over (or syncing back), or the standby doing it. Its identity runs on the standby
 * and its endpoint is fenced: stop the failover (and finish the failback) first.
 */
export async function refuseDeletingInFailover(m: EntityManager, node: Pick<NodeRow, 'id' | 'name'>): Promise<void> {
  const lease = (await m.find(StandbyLeaseEntity, { where: [{ protectedNodeId: node.id }, { standbyNodeId: node.id }] })).find(leaseHoldsServer);
  if (lease === undefined) return;
  const other = lease.standbyNodeId === node.id ? (lease.protectedNodeId as string) : lease.standbyNodeId;
  const otherName = (await m.findOne(NodeEntity, { select: { name: true }, where: { id: other } }))?.name ?? other;
  const what = lease.standbyNodeId === node.id ? `standby ${node.name} ${lease.state === 'syncing-back' ? 'holds what it recorded for' : 'takes over'} ${otherName}` : `${node.name} is failed over: standby ${otherName} ${lease.state === 'syncing-back' ? 'holds what it recorded for it' : 'runs its identity'}`;
  throw problem('pool-node-in-failover', `${what} (lease ${lease.state}, epoch ${lease.epoch}): stop the failover and finish the failback before deleting it`, { standby: { nodeId: lease.standbyNodeId, nodeName: lease.standbyNodeId === node.id ? node.name : otherName }, leaseState: lease.state });
}

/**
 * Deletes what a pool keeps of a node being deleted (in the caller's transaction): its failover
 * settings, camera levels, RecorderConfig.xml and supervisor state as a protected server; its
 * capacity, group place and lease as a standby, and any server's hot-standby assignment of it.
 */
export async function deletePoolRowsOfNode(m: EntityManager, nodeId: string): Promise<void> {
  const member = await m.findOneBy(FailoverGroupMemberEntity, { standbyNodeId: nodeId });
  if (member !== null) {
    await m.delete(FailoverGroupMemberEntity, { standbyNodeId: nodeId });
    // The group's sequence changed: its version moves on.
    await m.update(FailoverGroupEntity, { id: member.groupId }, { updatedAt: new Date() });
  }
  await m.update(PoolServerEntity, { hotStandbyNodeId: nodeId }, { hotStandbyNodeId: null });
  for (const entity of [PoolServerEntity, PoolStandbyEntity, PoolCameraLevelEntity, PoolRecorderConfigEntity, PoolServerStateEntity]) await m.delete(entity, { nodeId });
  await m.delete(StandbyLeaseEntity, { standbyNodeId: nodeId });
}

/** Deletes every pool row of a cluster being deleted (in the caller's transaction), before its nodes go. */
export async function deletePoolRowsOfCluster(m: EntityManager, clusterId: string): Promise<void> {
  const groups = await m.find(FailoverGroupEntity, { where: { clusterId }, select: { id: true } });
  for (const chunk of chunks(groups.map((g) => g.id))) await m.delete(FailoverGroupMemberEntity, { groupId: In(chunk) });
  await m.delete(FailoverGroupEntity, { clusterId });
  const nodeIds = (await m.find(NodeEntity, { where: { clusterId }, select: { id: true } })).map((n) => n.id);
  for (const chunk of chunks(nodeIds)) await m.delete(PoolCameraLevelEntity, { nodeId: In(chunk) });
  for (const entity of [PoolServerEntity, PoolStandbyEntity, PoolRecorderConfigEntity, PoolServerStateEntity, StandbyLeaseEntity, PoolEpochEntity, PoolSupervisionEntity]) await m.delete(entity, { clusterId });
}
