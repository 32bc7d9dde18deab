// Operator commands on a failover pool's protected recording server (issue 17): manual failover,
// stop failover, finish failback, replace. Each is one compare-and-set on a standby lease
// (standby-leases.ts), audited; the pool supervisor sees the lease within a second and orders
// the takeover, the release or the resume (pool-supervisor.ts). A command the lease's state does
// not allow is refused with 409 `pool-failover-not-possible` and a `reason`.
import type { Logger } from 'pino';
import { IsNull } from 'typeorm';
import type { Database } from '../db/database.js';
import {
  AuditEntryEntity,
  ClusterEntity,
  FailoverGroupMemberEntity,
  NodeEntity,
  PoolCameraLevelEntity,
  PoolRecorderConfigEntity,
  PoolServerEntity,
  PoolServerStateEntity,
  PoolStandbyEntity,
  StandbyLeaseEntity,
} from '../db/entities/index.js';
import { auditRow, type Actor } from '../domain/audit.js';
import { settingsOfRow } from '../domain/cluster-policy-rules.js';
import { conflict, notFound, type DomainError } from '../domain/errors.js';
import type { NodeStatusCache } from '../domain/node-status.js';
import { allocate } from '../domain/pool-allocation.js';
import { parseSupervisorState, replacementState, serializeSupervisorState, supervisorInitial, type LeaseView } from '../domain/pool-supervisor.js';
import { acquireLease, moveLease } from '../domain/standby-leases.js';
import type { FailoverReplaceRequest, FailoverStartRequest, FailoverStopRequest, PoolCommandRefusal, PoolFailover } from '../model/pool-commands.js';
import { auditedCommand } from './command-relay.js';
import { loadPool, type LoadedPool } from './pool-supervisor-service.js';

const refused = (reason: PoolCommandRefusal, detail: string): DomainError => conflict('pool-failover-not-possible', detail, { reason });

export class PoolCommandService {
  constructor(
    private readonly db: Database,
    private readonly statuses: NodeStatusCache,
    private readonly log: Logger,
  ) {}

  /** Manual failover: gives a free standby to the server (taking-over); the supervisor orders the takeover. */
  start(clusterId: string, nodeId: string, request: FailoverStartRequest, actor: Actor): Promise<PoolFailover> {
    return auditedCommand(this.db, this.log, actor, 'pool.failover-start', clusterId, async (audit) => {
      const { pool, server } = await this.load(clusterId, nodeId);
      const held = pool.leases.find((l) => l.protectedNodeId === nodeId);
      if (held?.state === 'syncing-back') throw refused('failback-pending', `standby ${held.standbyNodeId} still holds what it recorded for ${server.name}: finish failback first`);
      if (held !== undefined) throw refused('already-failed-over', `${server.name} is already failed over to standby ${held.standbyNodeId}`);
      const config = pool.servers.find((s) => s.nodeId === nodeId);
      if (config?.recorderConfig === null) throw refused('no-recorder-config', `${server.name}'s RecorderConfig.xml never reached the controller: a standby cannot take its identity`);
      if (config?.sharedAddress === null) throw refused('no-shared-address', `${server.name} registered no shared address for a standby to claim`);
      const stateRow = await this.db.dataSource.manager.findOneBy(PoolServerStateEntity, { nodeId });
      const health = stateRow === null ? 'protected' : parseSupervisorState(stateRow.state).health.kind;
      if (health === 'protected') throw refused('server-healthy', `${server.name} is healthy: a failover starts only for a server in trouble or failed`);
      const standby = this.choose(pool, nodeId, request.standbyNodeId);
      const outcome = await acquireLease(this.db.dataSource.manager, { standbyNodeId: standby.standbyNodeId, protectedNodeId: nodeId, expectedVersion: standby.version });
      if (!outcome.ok) throw outcome.reason === 'server-served' ? refused('already-failed-over', `${server.name} was given a standby meanwhile`) : refused('standby-not-free', `standby ${standby.standbyNodeId} was taken meanwhile (${outcome.reason})`);
      audit.details = { nodeId, standbyNodeId: outcome.lease.standbyNodeId, epoch: outcome.lease.epoch };
      return view(outcome.lease);
    });
  }

  /** Stop failover: the lease leaves serving (syncing-back with `sync`, free with `discard`); the supervisor releases the standby and resumes the server. */
  stop(clusterId: string, nodeId: string, request: FailoverStopRequest, actor: Actor): Promise<PoolFailover> {
    return auditedCommand(this.db, this.log, actor, 'pool.failover-stop', clusterId, async (audit) => {
      const { pool, server } = await this.load(clusterId, nodeId);
      const held = pool.leases.find((l) => l.protectedNodeId === nodeId && (l.state === 'taking-over' || l.state === 'serving'));
      if (held === undefined) throw refused('not-failed-over', `${server.name} is not failed over`);
      const recordings = request.recordings ?? settingsOfRow(pool.cluster).pool.failbackRecordings;
      // A takeover that has not served yet recorded nothing to sync: it is freed.
      const to = recordings === 'sync' && held.state === 'serving' ? 'syncing-back' : 'free';
      const outcome = await moveLease(this.db.dataSource.manager, { standbyNodeId: held.standbyNodeId, expectedVersion: held.version, to });
      if (!outcome.ok) throw refused('changed', `the failover of ${server.name} changed meanwhile (${outcome.reason}): look again`);
      audit.details = { nodeId, standbyNodeId: held.standbyNodeId, epoch: held.epoch, recordings };
      return view(outcome.lease, held.standbyNodeId, nodeId);
    });
  }

  /**
   * Finish failback: the standby held for the failback sync returns to its group. The sync is
   * not built yet: an operator runs this after copying the recordings back or to discard them.
   */
  finishFailback(clusterId: string, nodeId: string, actor: Actor): Promise<PoolFailover> {
    return auditedCommand(this.db, this.log, actor, 'pool.failback-finish', clusterId, async (audit) => {
      const { pool, server } = await this.load(clusterId, nodeId);
      const held = pool.leases.find((l) => l.protectedNodeId === nodeId && l.state === 'syncing-back');
      if (held === undefined) throw refused('no-failback-pending', `no standby holds recordings of ${server.name} for a failback`);
      const outcome = await moveLease(this.db.dataSource.manager, { standbyNodeId: held.standbyNodeId, expectedVersion: held.version, to: 'free' });
      if (!outcome.ok) throw refused('changed', `the failback of ${server.name} changed meanwhile (${outcome.reason}): look again`);
      audit.details = { nodeId, standbyNodeId: held.standbyNodeId, epoch: held.epoch };
      return view(outcome.lease, held.standbyNodeId, nodeId);
    });
  }

  /**
   * Replace (seed 003): the server is replaced for good by the standby serving it, or by another
   * free standby (`standbyNodeId`). The replacing standby leaves the standbys (its lease, group
   * and pool_standby row) and becomes the protected server with the server's settings, camera
   * levels, RecorderConfig.xml and supervisor state; the old node is deleted. One transaction,
   * compare-and-set on the serving lease (and the other standby's). The supervisor then orders the
   * replacing node's agent to become the protected server (its role switch, pool-supervisor.ts):
   * the serving standby serves on; another standby starts fenced, and the pool's failback (the
   * serving standby's lease now serving it) brings the failover window's recordings to it.
   */
  replace(clusterId: string, nodeId: string, request: FailoverReplaceRequest, actor: Actor): Promise<PoolFailover> {
    return auditedCommand(this.db, this.log, actor, 'pool.replace', clusterId, async (audit) => {
      const { pool, server } = await this.load(clusterId, nodeId);
      const held = pool.leases.find((l) => l.protectedNodeId === nodeId && l.state === 'serving');
      if (held === undefined) throw refused('not-failed-over', `no standby serves ${server.name}: start its failover first, then replace it`);
      const supervised = pool.servers.find((s) => s.nodeId === nodeId);
      // The replacing node's agent is ordered to take this identity and endpoint.
      if (supervised?.recorderConfig === null || supervised === undefined) throw refused('no-recorder-config', `${server.name}'s RecorderConfig.xml is not on record: the replacing standby could not take its identity`);
      if (supervised.sharedAddress === null) throw refused('no-shared-address', `${server.name} registered no shared address for its replacement to serve`);
      const other = request.standbyNodeId !== undefined && request.standbyNodeId !== held.standbyNodeId ? this.freeForReplacement(pool, request.standbyNodeId, server.name) : null;
      const replacingId = other?.standbyNodeId ?? held.standbyNodeId;
      const now = new Date();
      await this.db.dataSource.transaction(async (m) => {
        if (other === null) {
          // Closed by compare-and-set: a lease that moved meanwhile refuses the replacement.
          const closed = await m.delete(StandbyLeaseEntity, { standbyNodeId: replacingId, version: held.version, protectedNodeId: nodeId, state: 'serving' });
          if ((closed.affected ?? 0) !== 1) throw refused('changed', `the failover of ${server.name} changed meanwhile: look again`);
        } else {
          // The serving lease now serves the replacing node (same epoch, still serving); the other standby's lease closes, both by compare-and-set.
          const moved = await m.createQueryBuilder().update(StandbyLeaseEntity).set({ protectedNodeId: replacingId, version: () => 'version + 1', updatedAt: now })
            .where('standby_node_id = :standbyNodeId AND version = :version AND protected_node_id = :nodeId AND state = :state', { standbyNodeId: held.standbyNodeId, version: held.version, nodeId, state: 'serving' }).execute();
          if ((moved.affected ?? 0) !== 1) throw refused('changed', `the failover of ${server.name} changed meanwhile: look again`);
          const closed = await m.delete(StandbyLeaseEntity, { standbyNodeId: replacingId, version: other.version, state: 'free', protectedNodeId: IsNull() });
          if ((closed.affected ?? 0) !== 1) throw refused('standby-not-free', `standby ${replacingId} was taken meanwhile: look again`);
        }
        const settings = await m.findOneBy(PoolServerEntity, { nodeId });
        await m.delete(PoolServerEntity, { nodeId });
        if (settings !== null) await m.insert(PoolServerEntity, { ...settings, nodeId: replacingId, hotStandbyNodeId: settings.hotStandbyNodeId === replacingId ? null : settings.hotStandbyNodeId, version: 1, updatedAt: now });
        await m.delete(PoolStandbyEntity, { nodeId: replacingId });
        await m.delete(FailoverGroupMemberEntity, { standbyNodeId: replacingId });
        for (const level of await m.findBy(PoolCameraLevelEntity, { nodeId })) await m.insert(PoolCameraLevelEntity, { ...level, nodeId: replacingId });
        await m.delete(PoolCameraLevelEntity, { nodeId });
        const config = await m.findOneBy(PoolRecorderConfigEntity, { nodeId });
        if (config !== null) await m.insert(PoolRecorderConfigEntity, { ...config, nodeId: replacingId });
        await m.delete(PoolRecorderConfigEntity, { nodeId });
        const stateRow = await m.findOneBy(PoolServerStateEntity, { nodeId });
        await m.delete(PoolServerStateEntity, { nodeId });
        const state = replacementState(stateRow === null ? supervisorInitial : parseSupervisorState(stateRow.state), { nodeId, name: server.name, sharedAddress: supervised.sharedAddress as string, configSha256: supervised.recorderConfig?.sha256 as string, lease: held, served: other !== null, nowMs: now.getTime() });
        await m.delete(PoolServerStateEntity, { nodeId: replacingId });
        await m.insert(PoolServerStateEntity, { nodeId: replacingId, clusterId, state: serializeSupervisorState(state), updatedAt: now });
        // The identity's recorder id goes with it: the replacing agent registers and pushes that file.
        const replaced = pool.nodes.find((n) => n.id === nodeId);
        await m.update(NodeEntity, { id: replacingId }, { role: 'primary', recorderId: config?.recorderId ?? replaced?.recorderId ?? null, updatedAt: now });
        await m.delete(NodeEntity, { id: nodeId });
        await m.insert(AuditEntryEntity, auditRow(actor, 'node.delete', `cluster/${clusterId}/node/${nodeId}`, 'success', { replacedBy: replacingId }));
      });
      audit.details = { nodeId, replacedBy: replacingId, standbyNodeId: held.standbyNodeId, epoch: held.epoch, via: other === null ? 'serving-standby' : 'another-standby' };
      return { protectedNodeId: nodeId, standbyNodeId: replacingId, lease: 'closed', epoch: held.epoch };
    });
  }

  /** Another standby for a replacement: free (lease and report), reachable, and nobody's hot standby. */
  private freeForReplacement(pool: LoadedPool, standbyNodeId: string, serverName: string): LeaseView {
    if (!pool.standbys.some((s) => s.nodeId === standbyNodeId)) throw conflict('pool-role-mismatch', `node ${standbyNodeId} is not a standby of this pool`);
    const hotOf = pool.servers.find((s) => s.hotStandbyNodeId === standbyNodeId);
    if (hotOf !== undefined) throw refused('standby-not-free', `standby ${standbyNodeId} is the hot standby of ${hotOf.name}: unassign it there first, then replace ${serverName} with it`);
    const lease = pool.leases.find((l) => l.standbyNodeId === standbyNodeId);
    if (lease === undefined || !isFree(pool, standbyNodeId)) throw refused('standby-not-free', `standby ${standbyNodeId} is not free (its lease, or its agent's last report): ${serverName} is replaced only by the standby serving it or a free one`);
    if ((pool.standbys.find((s) => s.nodeId === standbyNodeId)?.pool?.hot ?? null) !== null) throw refused('standby-not-free', `standby ${standbyNodeId} still runs a hot standby's identity: wait until it is cold`);
    return lease;
  }

  private async load(clusterId: string, nodeId: string): Promise<{ pool: LoadedPool; server: { id: string; name: string } }> {
    const pool = await loadPool(this.db.dataSource.manager, this.statuses, clusterId);
    if (pool === null) {
      if ((await this.db.dataSource.manager.countBy(ClusterEntity, { id: clusterId })) === 0) throw notFound('cluster', clusterId);
      throw conflict('cluster-not-pool', `cluster ${clusterId} is not a failover pool`);
    }
    const node = pool.nodes.find((n) => n.id === nodeId);
    if (node === undefined) throw notFound('node', nodeId);
    if (node.role !== 'primary') throw conflict('pool-role-mismatch', `${node.name} is not a protected recording server of the pool (its role is ${node.role})`);
    return { pool, server: { id: node.id, name: node.name } };
  }

  /** The standby asked for (free and reporting free), or the one the pool's rules choose. */
  private choose(pool: LoadedPool, nodeId: string, standbyNodeId: string | undefined): LeaseView {
    const free = (id: string): boolean => isFree(pool, id);
    let chosen: string | null = null;
    if (standbyNodeId !== undefined) {
      if (!pool.standbys.some((s) => s.nodeId === standbyNodeId)) throw conflict('pool-role-mismatch', `node ${standbyNodeId} is not a standby of this pool`);
      if (!free(standbyNodeId)) throw refused('standby-not-free', `standby ${standbyNodeId} is not free (its lease, or its agent's last report)`);
      chosen = standbyNodeId;
    } else {
      const protectedServers = pool.servers.map((s) => ({ nodeId: s.nodeId, primaryGroupId: s.primaryGroupId, secondaryGroupId: s.secondaryGroupId, hotStandbyNodeId: s.hotStandbyNodeId, selection: s.selection, cameraCount: s.cameras.filter((c) => c.level !== 'none').length }));
      const standbys = pool.standbys.map((s) => ({ nodeId: s.nodeId, cameraCapacity: s.cameraCapacity, available: free(s.nodeId), servingNodeId: pool.leases.find((l) => l.standbyNodeId === s.nodeId)?.protectedNodeId ?? null }));
      const [decision] = allocate({ protectedServers, groups: pool.groups, standbys }, [{ protectedNodeId: nodeId, failedAtMs: 0 }]);
      if (decision?.kind === 'take-over') chosen = decision.standbyNodeId;
      else throw refused('no-standby-free', `no standby is free for this server (${decision?.reason ?? 'none'})`);
    }
    const lease = pool.leases.find((l) => l.standbyNodeId === chosen);
    if (lease === undefined) throw refused('standby-not-free', `standby ${chosen} has no lease yet`);
    return lease;
  }
}

/** A standby whose lease is free, whose agent's report is fresh and says free. */
function isFree(pool: LoadedPool, standbyNodeId: string): boolean {
  const lease = pool.leases.find((l) => l.standbyNodeId === standbyNodeId);
  const standby = pool.standbys.find((s) => s.nodeId === standbyNodeId);
  return lease?.state === 'free' && standby?.reachable === true && standby.pool?.state === 'free';
}

function view(lease: { standbyNodeId: string; protectedNodeId: string | null; state: PoolFailover['lease']; epoch: number }, standbyNodeId = lease.standbyNodeId, protectedNodeId = lease.protectedNodeId ?? ''): PoolFailover {
  return { protectedNodeId, standbyNodeId, lease: lease.state, epoch: lease.epoch };
}
