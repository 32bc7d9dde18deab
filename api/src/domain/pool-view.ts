// A failover pool at a glance (GET …/pool) and a protected server's per-camera failover levels
// (GET …/camera-levels), derived from the pool's rows, the standby leases, the supervisor's
// state per protected server (pool-failures.ts ProtectedState, stored as JSON) and the agents'
// last reports (with a protected server's failback sync progress). Pure: the shell (pool-model.ts) reads the rows and passes them in.
import { z } from 'zod';
import type { FailoverGroupMemberRow, FailoverGroupRow, PoolCameraLevelRow, PoolServerRow, PoolStandbyRow, StandbyLeaseRow } from '../db/entities/index.js';
import type { NodeRef } from '../model/fields.js';
import type { PoolFailbackSyncStatus, PoolHotStatus } from '../../../contracts/pool-v1.js';
import { poolTriggers, type CameraFailoverLevels, type leaseStates, type standbySelections, type FailoverGroup, type Pool, type PoolHotStandby, type PoolStandby, type ProtectedServer, type ProtectedServerFailbackSync, type ProtectedServerFailoverState } from '../model/pool.js';
import type { FailoverLevel, NodeRole } from '../model/vocabulary.js';
import type { StandbySelection } from './pool-allocation.js';
import type { PoolTrigger, ProtectedState } from './pool-failures.js';
import type { LeaseState } from './standby-leases.js';

// The API's enums are the domain's, written once more in the model (the lowest layer): kept equal here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type PoolEnumsAgree = [Holds<Same<(typeof standbySelections)[number], StandbySelection>>, Holds<Same<(typeof poolTriggers)[number], PoolTrigger>>, Holds<Same<(typeof leaseStates)[number], LeaseState>>];

const ms = z.number().finite();
const trigger = z.enum(poolTriggers);

/** pool_server_state.state as the supervisor writes it (pool-failures.ts ProtectedState). */
const protectedStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('protected') }),
  z.object({ kind: z.literal('troubled'), trigger, sinceMs: ms }),
  z.object({ kind: z.literal('failed'), trigger, sinceMs: ms }),
  z.object({ kind: z.literal('recovering'), trigger, failedSinceMs: ms, healthySinceMs: ms }),
  z.object({ kind: z.literal('recovered'), trigger, failedSinceMs: ms }),
]);

/**
 * A stored ProtectedState, or null when the text is not one (then the server shows as its
 * lease says, else protected: a state this controller cannot read must not invent a failure).
 *
 * @example parseProtectedState('{"kind":"failed","trigger":"disconnected","sinceMs":1}') // { kind: 'failed', … }
 */
export function parseProtectedState(text: string): ProtectedState | null {
  try {
    const parsed = protectedStateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A lease that names a protected server: it is failed over (or syncing back) until the lease is free. */
export type LeaseOfServer = Pick<StandbyLeaseRow, 'standbyNodeId' | 'protectedNodeId' | 'state' | 'epoch' | 'updatedAt'>;

/** Whether a lease holds its protected server: taking it over, serving it or syncing back to it. */
export const leaseHoldsServer = (lease: Pick<StandbyLeaseRow, 'state' | 'protectedNodeId'>): boolean => lease.protectedNodeId !== null && lease.state !== 'free';

const isoOfMs = (value: number): string => new Date(value).toISOString();
const iso = (date: Date | string): string => (date instanceof Date ? date : new Date(date)).toISOString();

/**
 * A protected server's failover state: its lease first (a standby takes it over, serves it or
 * syncs back), then the supervisor's state (failed without a standby: waiting, or waiting for an
 * operator when the pool's failover is manual).
 *
 * @example failoverStateOf({ kind: 'failed', trigger: 'storage', sinceMs: 0 }, null, 'manual', () => '')
 *   // { state: 'failover-needed', trigger: 'storage', since: '1970-01-01T00:00:00.000Z', standby: null }
 */
export function failoverStateOf(state: ProtectedState | null, lease: LeaseOfServer | null, failover: 'automatic' | 'manual', nameOf: (nodeId: string) => string, reportedSync: PoolFailbackSyncStatus | null = null): ProtectedServerFailoverState {
  const failedSinceMs = state === null ? null : state.kind === 'failed' ? state.sinceMs : state.kind === 'recovering' || state.kind === 'recovered' ? state.failedSinceMs : null;
  const failedTrigger = state === null || state.kind === 'protected' || state.kind === 'troubled' ? null : state.trigger;
  if (lease !== null && leaseHoldsServer(lease)) {
    const standby = { nodeId: lease.standbyNodeId, nodeName: nameOf(lease.standbyNodeId) };
    if (lease.state === 'syncing-back') {
      // Only a sync from this standby: a report of an earlier one says nothing of this.
      const sync = reportedSync !== null && reportedSync.standbyNodeId === lease.standbyNodeId ? failbackSyncView(reportedSync) : null;
      return { state: 'failback-sync', trigger: failedTrigger, since: iso(lease.updatedAt), standby, sync };
    }
    const since = failedSinceMs === null ? iso(lease.updatedAt) : isoOfMs(failedSinceMs);
    return { state: state?.kind === 'recovered' ? 'recovered' : 'failed-over', trigger: failedTrigger, since, standby, sync: null };
  }
  if (state === null || failedSinceMs === null) return { state: 'protected', trigger: null, since: null, standby: null, sync: null };
  if (state.kind === 'recovered') return { state: 'recovered', trigger: failedTrigger, since: isoOfMs(failedSinceMs), standby: null, sync: null };
  return { state: failover === 'manual' ? 'failover-needed' : 'waiting', trigger: failedTrigger, since: isoOfMs(failedSinceMs), standby: null, sync: null };
}

/**
 * The failback sync as the pool view shows it: percent of the bytes planned, and the failover
 * window as the period still only on the standby until the sync is done.
 *
 * @example failbackSyncView({ state: 'running', bytesDone: 250, bytesTotal: 1000, fromMs: 0, toMs: 60_000, … }).percent // 25
 */
export function failbackSyncView(sync: PoolFailbackSyncStatus): ProtectedServerFailbackSync {
  const done = sync.state === 'done';
  const percent = done ? 100 : sync.bytesTotal === 0 ? 0 : Math.min(99, Math.floor((sync.bytesDone / sync.bytesTotal) * 100));
  return {
    state: sync.state,
    percent,
    bytesDone: sync.bytesDone,
    bytesTotal: sync.bytesTotal,
    blocksDone: sync.blocksDone,
    blocksTotal: sync.blocksTotal,
    onlyOnStandbyFrom: done ? null : isoOfMs(sync.fromMs),
    onlyOnStandbyUntil: done ? null : isoOfMs(sync.toMs),
    error: sync.error,
  };
}

export interface PoolRows {
  readonly clusterId: string;
  readonly nodes: readonly { readonly id: string; readonly name: string; readonly role: NodeRole }[];
  readonly groups: readonly FailoverGroupRow[];
  readonly members: readonly FailoverGroupMemberRow[];
  readonly servers: readonly PoolServerRow[];
  readonly standbys: readonly PoolStandbyRow[];
  /** pool_server_state: each protected server's stored state, as JSON text. */
  readonly states: readonly { readonly nodeId: string; readonly state: string }[];
  readonly leases: readonly LeaseOfServer[];
  /** pool_recorder_config without the file. */
  readonly recorderConfigs: readonly { readonly nodeId: string; readonly sha256: string; readonly receivedAt: Date | string }[];
  /** The cluster policy's `pool.failover`. */
  readonly failover: 'automatic' | 'manual';
  /** Whether the node's agent reports (fresh). */
  readonly reachable: (nodeId: string) => boolean;
  /** The failback sync a protected server's agent last reported (poolProtected.failbackSync); absent: none known. */
  readonly failbackSync?: (nodeId: string) => PoolFailbackSyncStatus | null;
  /** The hot state a standby's agent last reported (pool.hot); absent: none known. */
  readonly hotStatus?: (nodeId: string) => PoolHotStatus | null;
}

/**
 * A standby's readiness as a hot standby: the state its agent reports when that is for the server
 * it is assigned to, with that server's current RecorderConfig.xml; `cold` when it is assigned and
 * runs anything else; as reported when it runs a server's identity it is no longer assigned to;
 * null when neither.
 *
 * @example hotStandbyView({ nodeId: 'rs1', nodeName: 'RS-1' }, 'ab…', null, ref) // { protectedServer: RS-1, state: 'cold', configSha256: null, error: null }
 */
export function hotStandbyView(assignedTo: NodeRef | null, currentSha256: string | null, reported: PoolHotStatus | null, ref: (nodeId: string) => NodeRef): PoolHotStandby | null {
  if (assignedTo === null) return reported === null ? null : { protectedServer: ref(reported.protectedNodeId), state: reported.state, configSha256: reported.configSha256, error: reported.error };
  const current = reported !== null && reported.protectedNodeId === assignedTo.nodeId && reported.configSha256 === currentSha256;
  if (!current) return { protectedServer: assignedTo, state: 'cold', configSha256: reported?.protectedNodeId === assignedTo.nodeId ? reported.configSha256 : null, error: null };
  return { protectedServer: assignedTo, state: reported.state, configSha256: reported.configSha256, error: reported.error };
}

const byName = <T extends { readonly name: string }>(a: T, b: T): number => a.name.localeCompare(b.name);

/** A failover group with its standbys in the group's order (members whose node is gone left out). */
export function failoverGroupView(group: FailoverGroupRow, members: readonly FailoverGroupMemberRow[], nameOf: (nodeId: string) => string | undefined): FailoverGroup {
  const standbys = members
    .filter((m) => m.groupId === group.id)
    .sort((a, b) => a.position - b.position)
    .flatMap((m): NodeRef[] => {
      const nodeName = nameOf(m.standbyNodeId);
      return nodeName === undefined ? [] : [{ nodeId: m.standbyNodeId, nodeName }];
    });
  return { id: group.id, clusterId: group.clusterId, name: group.name, standbys, createdAt: iso(group.createdAt), updatedAt: iso(group.updatedAt), version: group.version };
}

/** The pool at a glance: each protected server with its settings and failover state, the groups with their sequences, each standby with its assignment and lease. */
export function poolView(rows: PoolRows): Pool {
  const names = new Map(rows.nodes.map((n) => [n.id, n.name]));
  const nameOf = (id: string): string => names.get(id) ?? id;
  const servers = new Map(rows.servers.map((s) => [s.nodeId, s]));
  const states = new Map(rows.states.map((s) => [s.nodeId, s.state]));
  const configs = new Map(rows.recorderConfigs.map((c) => [c.nodeId, c]));
  const leaseByServer = new Map(rows.leases.filter(leaseHoldsServer).map((l) => [l.protectedNodeId as string, l]));
  const leaseByStandby = new Map(rows.leases.map((l) => [l.standbyNodeId, l]));
  const groupOf = new Map(rows.members.map((m) => [m.standbyNodeId, m.groupId]));
  const hotStandbyOf = new Map(rows.servers.filter((s) => s.hotStandbyNodeId !== null).map((s) => [s.hotStandbyNodeId as string, s.nodeId]));
  const capacities = new Map(rows.standbys.map((s) => [s.nodeId, s.cameraCapacity]));
  const ref = (nodeId: string): NodeRef => ({ nodeId, nodeName: nameOf(nodeId) });

  const protectedServers = rows.nodes
    .filter((n) => n.role === 'primary')
    .sort(byName)
    .map((n): ProtectedServer => {
      const server = servers.get(n.id);
      const stateText = states.get(n.id);
      const config = configs.get(n.id);
      return {
        nodeId: n.id,
        name: n.name,
        reachable: rows.reachable(n.id),
        settings: {
          primaryGroupId: server?.primaryGroupId ?? null,
          secondaryGroupId: server?.secondaryGroupId ?? null,
          hotStandbyNodeId: server?.hotStandbyNodeId ?? null,
          standbySelection: (server?.standbySelection ?? 'sequence') as StandbySelection,
          sharedAddress: server?.sharedAddress ?? null,
        },
        failover: failoverStateOf(stateText === undefined ? null : parseProtectedState(stateText), leaseByServer.get(n.id) ?? null, rows.failover, nameOf, rows.failbackSync?.(n.id) ?? null),
        recorderConfig: config === undefined ? null : { sha256: config.sha256, receivedAt: iso(config.receivedAt) },
      };
    });

  const standbys = rows.nodes
    .filter((n) => n.role === 'failover')
    .sort(byName)
    .map((n): PoolStandby => {
      const lease = leaseByStandby.get(n.id);
      const hotFor = hotStandbyOf.get(n.id);
      const hotForRef = hotFor === undefined ? null : ref(hotFor);
      return {
        nodeId: n.id,
        name: n.name,
        reachable: rows.reachable(n.id),
        cameraCapacity: capacities.get(n.id) ?? null,
        failoverGroupId: groupOf.get(n.id) ?? null,
        hotStandbyFor: hotForRef,
        hot: hotStandbyView(hotForRef, hotFor === undefined ? null : (configs.get(hotFor)?.sha256 ?? null), rows.hotStatus?.(n.id) ?? null, ref),
        lease: { state: lease?.state ?? 'free', epoch: lease?.epoch ?? 0 },
        serving: lease !== undefined && leaseHoldsServer(lease) ? ref(lease.protectedNodeId as string) : null,
      };
    });

  const failoverGroups = [...rows.groups].sort(byName).map((g) => failoverGroupView(g, rows.members, (id) => names.get(id)));
  return { clusterId: rows.clusterId, protectedServers, failoverGroups, standbys };
}

/** One camera of the agent's last report: its device id and the name the agent knows. */
export interface ReportedCamera {
  readonly deviceId: string;
  readonly name?: string | null | undefined;
}

/**
 * A protected server's cameras with their failover levels: each camera its agent last reported
 * (by name, then id), `full` unless a level is stored; then the levels stored for cameras no
 * longer reported (by id), so that an admin sees and can clear them. Device ids compare in
 * lower case, as the levels are stored.
 *
 * @example cameraLevelsView('n1', null, [{ deviceId: 'c1', name: 'Gate' }], [])
 *   // { nodeId: 'n1', reportedAt: null, cameras: [{ deviceId: 'c1', name: 'Gate', level: 'full', reported: true }] }
 */
export function cameraLevelsView(nodeId: string, reportedAt: Date | null, reported: readonly ReportedCamera[], stored: readonly Pick<PoolCameraLevelRow, 'deviceId' | 'level'>[]): CameraFailoverLevels {
  const levels = new Map<string, FailoverLevel>(stored.map((s) => [s.deviceId, s.level]));
  const seen = new Set<string>();
  const cameras: CameraFailoverLevels['cameras'] = [];
  for (const camera of reported) {
    const deviceId = camera.deviceId.toLowerCase();
    if (seen.has(deviceId)) continue;
    seen.add(deviceId);
    cameras.push({ deviceId, name: camera.name ?? null, level: levels.get(deviceId) ?? 'full', reported: true });
  }
  cameras.sort((a, b) => (a.name ?? a.deviceId).localeCompare(b.name ?? b.deviceId) || (a.deviceId < b.deviceId ? -1 : 1));
  const gone = stored.filter((s) => !seen.has(s.deviceId)).sort((a, b) => (a.deviceId < b.deviceId ? -1 : 1));
  for (const s of gone) cameras.push({ deviceId: s.deviceId, name: null, level: s.level, reported: false });
  return { nodeId, reportedAt: reportedAt === null ? null : reportedAt.toISOString(), cameras };
}
