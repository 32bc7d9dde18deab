// The pool supervisor's shell (issue 17): on the controller holding the `pool-allocation` lease,
// every second, for each failover pool (a cluster of mode `pool`): read the pool's model, the
// standby leases, the agents' reports and the persisted per-server states; run the pure sweep
// (domain/pool-supervisor.ts); persist the states and store the events in one transaction
// (so that another controller goes on from them without repeating an event); make the lease
// moves (standby-leases.ts, compare-and-set); send the orders (pool-orders.ts), each bounded by
// a timeout and repeated with backoff and jitter while the sweep still asks for it.
//
// Besides the every-second sweep, a sweep runs soon (sweepSoonDelayMs, coalesced, at most one
// per sweepSpacingMsMin) when an agent's report changes what the sweep acts on (a protected
// server's recorder or storage in trouble, a standby's takeover or hot state), and after a sweep
// whose lease moves landed (its orders follow at once): a `serviceDown.seconds: 0` policy fails
// over within about one report. The time of each sweep is kept per pool (pool_supervision), so
// that the sweep after an outage says how long no controller supervised the pool.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { In, type EntityManager, type QueryDeepPartialEntity } from 'typeorm';
import { poolCamerasMax, type PoolBecomeProtectedRequest, type PoolHotStandbyRequest, type PoolResumeRequest, type PoolTakeoverRequest } from '../../../contracts/pool-v1.js';
import type { Database } from '../db/database.js';
import { describe } from '../db/database.js';
import {
  CameraPairEntity,
  ClusterEntity,
  EventEntity,
  FailoverGroupMemberEntity,
  NodeEntity,
  PoolCameraLevelEntity,
  PoolRecorderConfigEntity,
  PoolServerEntity,
  PoolServerStateEntity,
  PoolStandbyEntity,
  PoolSupervisionEntity,
  StandbyLeaseEntity,
  type ClusterRow,
  type EventRow,
  type NodeRow,
  type StandbyLeaseRow,
} from '../db/entities/index.js';
import type { LeasedJob } from '../domain/controller-leases.js';
import { settingsOfRow } from '../domain/cluster-policy-rules.js';
import type { EventBus } from '../domain/event-bus.js';
import type { NodeStatusCache } from '../domain/node-status.js';
import { standbySelections, type PoolCamera, type StandbySelection } from '../domain/pool-allocation.js';
import { parseSupervisorState, poolReportSignal, serializeSupervisorState, sweep, triggerSettingsOf, withResumeEpoch, type LeaseView, type PoolOrder, type RecorderConfigRef, type ServerObservation, type SupervisedServer, type SupervisedStandby, type SupervisorState } from '../domain/pool-supervisor.js';
import { acquireLease, ensureLease, moveLease, nextPoolEpoch } from '../domain/standby-leases.js';
import { clusterWithSecret } from './agent-link.js';
import { sendBecomeProtected, sendHotStandby, sendRelease, sendResume, sendTakeover, type PoolOrderOutcome, type PoolOrderTarget } from './pool-orders.js';

/** Pools swept per round; more wait for the next round (in the order of their ids). */
export const poolsPerSweepMax = 64;
/** Orders in flight at once, over all pools. */
export const ordersInFlightMax = 64;
/** After an order was taken, the same one is not sent again for this long (the agent's report catches up meanwhile). */
const resendAfterTakenMs = 5_000;
const retryDelayMsMin = 1_000;
const retryDelayMsMax = 30_000;
/** A report that changes what the sweep acts on is swept this soon (coalesced with others in the meantime). */
export const sweepSoonDelayMs = 50;
/** Sweeps start at least this far apart, however many reports change. */
export const sweepSpacingMsMin = 100;
/** pool_supervision is written at most this often per pool (the outage bound is 10 s or more). */
const supervisionWriteMs = 2_000;
/** Report signals kept (one per pool agent); beyond, they start over (a few extra sweeps). */
const signalsMax = 10_000;

export interface PoolSupervisorOptions {
  readonly sweepIntervalMs?: number;
  /** Each order's timeout (a takeover answers at once: the agent works after its 202). */
  readonly orderTimeoutMs: number;
  /** The controller leases' TTL: a pool unswept for 3 of them (at least unsupervisedMsMin) was unsupervised, not handed over. */
  readonly leaseTtlMs?: number;
}

interface Retry {
  attempts: number;
  nextAtMs: number;
}

export class PoolSupervisorService {
  private timer: NodeJS.Timeout | null = null;
  private soonTimer: NodeJS.Timeout | null = null;
  /** The pools a soon sweep sweeps (those whose agents' reports changed, or whose leases moved); null: every pool. */
  private soonPools: Set<string> | null = new Set();
  private lastSweepStartMs = Number.NEGATIVE_INFINITY;
  private sweeping: Promise<void> | null = null;
  private held = false;
  private unwatch: (() => void) | null = null;
  /** Per pool agent, what of its last report the sweep acts on (poolReportSignal). */
  private readonly signals = new Map<string, string>();
  /** Per pool, standbys cooling down after a failed takeover (kept in memory: another controller may try one once more). */
  private readonly cooldowns = new Map<string, Map<string, number>>();
  /** Per order (kind, node, epoch): when it may be sent again. Pruned to the orders the last sweeps asked for. */
  private readonly retries = new Map<string, Retry>();
  private readonly inFlight = new Set<string>();

  readonly lease: LeasedJob = {
    name: 'pool-allocation',
    gained: () => this.start(),
    lost: () => this.stop(),
  };

  constructor(
    private readonly db: Database,
    private readonly statuses: NodeStatusCache,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly options: PoolSupervisorOptions,
  ) {}

  start(): void {
    this.held = true;
    if (this.timer !== null) return;
    // One sweep at a time: a slow database makes sweeps less frequent, never concurrent.
    this.timer = setInterval(() => this.runSweep(false), this.options.sweepIntervalMs ?? 1_000);
    this.timer.unref();
    this.unwatch = this.statuses.watch((entry) => {
      const signal = poolReportSignal(entry.status);
      if (signal === null || this.signals.get(entry.nodeId) === signal) return;
      if (this.signals.size >= signalsMax) this.signals.clear();
      this.signals.set(entry.nodeId, signal);
      this.sweepSoon(entry.clusterId);
    });
  }

  /** Stops sweeping at once (the lease is lost or the controller stops); orders in flight end by their timeouts. */
  stop(): void {
    this.held = false;
    if (this.timer !== null) clearInterval(this.timer);
    if (this.soonTimer !== null) clearTimeout(this.soonTimer);
    this.timer = null;
    this.soonTimer = null;
    this.soonPools = new Set();
    this.unwatch?.();
    this.unwatch = null;
    this.signals.clear();
    this.cooldowns.clear();
    this.retries.clear();
  }

  /** A sweep of the pool within sweepSoonDelayMs (or sweepSpacingMsMin after the last one began); one pending at most, of every pool asked for meanwhile. */
  sweepSoon(clusterId: string): void {
    if (!this.held) return;
    if (this.soonPools !== null) this.soonPools.add(clusterId);
    if (this.soonPools !== null && this.soonPools.size > poolsPerSweepMax) this.soonPools = null;
    if (this.soonTimer !== null || this.sweeping !== null) return;
    this.scheduleSoon();
  }

  private scheduleSoon(): void {
    const delayMs = Math.max(sweepSoonDelayMs, this.lastSweepStartMs + sweepSpacingMsMin - performance.now());
    this.soonTimer = setTimeout(() => {
      this.soonTimer = null;
      this.runSweep(true);
    }, delayMs);
    this.soonTimer.unref();
  }

  /** Starts a sweep unless one runs (a soon one asked for meanwhile runs after it): of every pool, or (soon) of the pools asked for. */
  private runSweep(soon: boolean): void {
    if (this.sweeping !== null) return;
    const only = soon ? this.soonPools : null;
    if (only !== null && only.size === 0) return;
    if (soon) this.soonPools = new Set();
    this.lastSweepStartMs = performance.now();
    this.sweeping = this.sweepOnce(only).finally(() => {
      this.sweeping = null;
      if (this.held && this.soonTimer === null && (this.soonPools === null || this.soonPools.size > 0)) this.scheduleSoon();
    });
  }

  /** One round over the pools (or those of `only`); never rejects. */
  async sweepOnce(only: ReadonlySet<string> | null = null): Promise<void> {
    try {
      const where = only === null ? { mode: 'pool' as const } : { mode: 'pool' as const, id: In([...only]) };
      const pools = await this.db.dataSource.getRepository(ClusterEntity).find({ select: { id: true }, where, order: { id: 'ASC' }, take: poolsPerSweepMax });
      const asked = new Set<string>();
      for (const { id } of pools) {
        if (!this.held) return;
        try {
          for (const key of await this.sweepPool(id)) asked.add(key);
        } catch (err) {
          this.log.warn({ clusterId: id, err: describe(err) }, 'pool sweep failed; the next one tries again');
        }
      }
      // Only a round over every pool knows which orders no sweep asks for any more.
      if (only === null) for (const key of this.retries.keys()) if (!asked.has(key)) this.retries.delete(key);
    } catch (err) {
      this.log.warn({ err: describe(err) }, 'pool sweep failed; the next one tries again');
    }
  }

  /** Sweeps one pool; returns the keys of the orders it asked for. */
  private async sweepPool(clusterId: string): Promise<string[]> {
    const m = this.db.dataSource.manager;
    const loaded = await loadPool(m, this.statuses, clusterId);
    if (loaded === null) return [];
    const { cluster, nodes, servers, standbys, groups, leases, observations, nowMs } = loaded;
    const [stateRows, supervision] = await Promise.all([m.find(PoolServerStateEntity, { where: { clusterId } }), m.findOneBy(PoolSupervisionEntity, { clusterId })]);
    const stored = new Map(stateRows.map((r) => [r.nodeId, r.state]));
    const states = new Map<string, SupervisorState>([...stored].map(([nodeId, text]) => [nodeId, parseSupervisorState(text)]));
    const pool = settingsOfRow(cluster).pool;
    const lastSupervisedMs = supervision?.supervisedAt.getTime() ?? null;
    const out = sweep({ nowMs, settings: triggerSettingsOf(pool), failbackRecordings: pool.failbackRecordings, servers, groups, standbys, leases, observations, states, cooldowns: this.cooldowns.get(clusterId) ?? new Map(), lastSupervisedMs, unsupervisedMsMax: 3 * (this.options.leaseTtlMs ?? 0), failbackStallMinutes: pool.failbackStallMinutes });
    this.cooldowns.set(clusterId, out.cooldowns);
    if (!this.held) return [];

    // A resume's epoch first, so that it is persisted with the state before any order carries it.
    let moved = false;
    for (const move of out.leaseMoves) {
      if (move.kind !== 'resume-epoch') continue;
      const st = out.states.get(move.protectedNodeId);
      if (st !== undefined) out.states.set(move.protectedNodeId, withResumeEpoch(st, await nextPoolEpoch(m, clusterId)));
      moved = true;
    }
    const changed = [...out.states].filter(([nodeId, st]) => stored.get(nodeId) !== serializeSupervisorState(st));
    const events: EventRow[] = out.events.map((e) => ({ id: randomUUID(), time: new Date(), clusterId, nodeId: e.nodeId, kind: e.kind, severity: e.severity, message: e.message, data: e.data }));
    // Written with the events, so that the controller-returned event is stored once whoever sweeps next.
    const supervisedDue = lastSupervisedMs === null || nowMs - lastSupervisedMs >= supervisionWriteMs || nowMs < lastSupervisedMs;
    if (changed.length > 0 || events.length > 0 || supervisedDue) {
      await this.db.dataSource.transaction(async (t) => {
        for (const [nodeId, st] of changed) await t.save(PoolServerStateEntity, { nodeId, clusterId, state: serializeSupervisorState(st), updatedAt: new Date() });
        // TypeORM's deep-partial type cannot express `data`'s open record; the rows are complete EventRows.
        if (events.length > 0) await t.insert(EventEntity, events as QueryDeepPartialEntity<EventRow>[]);
        if (supervisedDue) await t.save(PoolSupervisionEntity, { clusterId, supervisedAt: new Date(nowMs) });
      });
      this.bus.publish(events);
      for (const e of events) this.log.info({ clusterId, nodeId: e.nodeId, kind: e.kind }, e.message);
    }

    for (const move of out.leaseMoves) {
      if (!this.held) return [];
      if (move.kind === 'resume-epoch') continue;
      const outcome = move.kind === 'acquire' ? await acquireLease(m, move) : await moveLease(m, move);
      // A lost compare-and-set is normal (a command or another sweep moved it first): the next sweep reads again.
      if (!outcome.ok) this.log.debug({ clusterId, move, reason: outcome.reason }, 'standby lease not moved');
      else moved = true;
    }
    // What follows a lease move (the takeover order, the release, the resume) goes out at once, not a second later.
    if (moved) this.sweepSoon(clusterId);

    const keys: string[] = [];
    for (const order of out.orders) {
      const key = orderKey(order);
      keys.push(key);
      this.dispatch(cluster, nodes, order, key);
    }
    return keys;
  }

  /** Sends an order unless it is in flight or waits for its retry time; never rejects. */
  private dispatch(cluster: ClusterRow, nodes: readonly NodeRow[], order: PoolOrder, key: string): void {
    const nowMs = performance.now();
    const retry = this.retries.get(key);
    if (this.inFlight.has(key) || this.inFlight.size >= ordersInFlightMax || (retry !== undefined && retry.nextAtMs > nowMs)) return;
    const nodeId = order.kind === 'resume' ? order.protectedNodeId : order.kind === 'become-protected' ? order.nodeId : order.standbyNodeId;
    const node = nodes.find((n) => n.id === nodeId);
    const target = node === undefined ? null : targetOf(cluster, node, this.options.orderTimeoutMs);
    const attempts = (retry?.attempts ?? 0) + 1;
    const later = (taken: boolean): void => {
      // Exponential with full jitter in its upper half, so that controllers and pools do not retry in step.
      const base = Math.min(retryDelayMsMax, retryDelayMsMin * 2 ** Math.min(attempts - 1, 10));
      this.retries.set(key, { attempts: taken ? 0 : attempts, nextAtMs: performance.now() + (taken ? resendAfterTakenMs : base / 2 + Math.random() * (base / 2)) });
    };
    if (target === null) {
      if (attempts === 1) this.log.warn({ clusterId: cluster.id, nodeId, order: order.kind }, `pool ${order.kind} cannot be sent: the node has no agent URL, or no agent of the pool registered the cluster secret`);
      later(false);
      return;
    }
    this.inFlight.add(key);
    void this.send(cluster, nodes, order, target)
      .then((outcome) => {
        later(outcome.kind === 'done');
        const fields = { clusterId: cluster.id, nodeId, order: order.kind, attempts };
        if (outcome.kind === 'done') this.log.info({ ...fields, state: outcome.status.state }, `pool ${order.kind} taken by ${node?.name ?? nodeId}`);
        else this.log.warn({ ...fields, outcome: outcome.kind }, `pool ${order.kind} to ${node?.name ?? nodeId} not taken: ${outcome.detail}`);
      })
      .catch((err: unknown) => {
        later(false);
        this.log.warn({ clusterId: cluster.id, nodeId, order: order.kind, err: describe(err) }, `pool ${order.kind} to ${node?.name ?? nodeId} not sent`);
      })
      .finally(() => this.inFlight.delete(key));
  }

  /** Sends an order; a takeover, hot-standby or become-protected order with the RecorderConfig.xml read now (the sweep reads only its SHA-256). */
  private async send(cluster: ClusterRow, nodes: readonly NodeRow[], order: PoolOrder, target: PoolOrderTarget): Promise<PoolOrderOutcome<{ state: string }>> {
    const m = this.db.dataSource.manager;
    const changed = { kind: 'unreachable', detail: 'the RecorderConfig.xml changed since the sweep (the next one sends the new one)' } as const;
    switch (order.kind) {
      case 'release':
        return sendRelease(target, order.request);
      case 'resume':
        return sendResume(target, resumeRequest(cluster, nodes, order, this.log));
      case 'takeover': {
        const recorderConfig = await recorderConfigOf(m, order.request.protectedNodeId, order.request.recorderConfig);
        return recorderConfig === null ? changed : sendTakeover(target, { ...order.request, recorderConfig } satisfies PoolTakeoverRequest);
      }
      case 'become-protected': {
        // The replaced server's file is on record under the replacing node since the replacement.
        const recorderConfig = await recorderConfigOf(m, order.nodeId, order.request.recorderConfig);
        return recorderConfig === null ? changed : sendBecomeProtected(target, { ...order.request, recorderConfig } satisfies PoolBecomeProtectedRequest);
      }
      case 'hot-standby': {
        const { assignment } = order;
        if (assignment === null) return sendHotStandby(target, { assignment: null });
        const recorderConfig = await recorderConfigOf(m, assignment.protectedNodeId, assignment.recorderConfig);
        return recorderConfig === null ? changed : sendHotStandby(target, { assignment: { ...assignment, recorderConfig } } satisfies PoolHotStandbyRequest);
      }
    }
  }
}

/** A protected server's RecorderConfig.xml as on record, if it is still the one named (its SHA-256); null otherwise. */
async function recorderConfigOf(m: EntityManager, nodeId: string, ref: RecorderConfigRef): Promise<PoolTakeoverRequest['recorderConfig'] | null> {
  const row = await m.findOne(PoolRecorderConfigEntity, { select: { xml: true, sha256: true }, where: { nodeId, sha256: ref.sha256 } });
  return row === null ? null : { xml: row.xml, sha256: row.sha256 };
}

/** A pool as the sweep and the operator commands read it. */
export interface LoadedPool {
  readonly cluster: ClusterRow;
  readonly nodes: NodeRow[];
  readonly servers: SupervisedServer[];
  readonly standbys: SupervisedStandby[];
  readonly groups: Map<string, string[]>;
  /** Every standby's lease (made free the first time the standby is seen). */
  readonly leases: LeaseView[];
  readonly observations: Map<string, ServerObservation>;
  readonly nowMs: number;
}

/** Reads a pool's model, its leases and its agents' last reports; null when the cluster is gone or not a pool. */
export async function loadPool(m: EntityManager, statuses: NodeStatusCache, clusterId: string): Promise<LoadedPool | null> {
  const cluster = await clusterWithSecret(m, { id: clusterId });
  if (cluster === null || cluster.mode !== 'pool') return null;
  const nodes = await m.find(NodeEntity, { where: { clusterId } });
  const protectedNodes = nodes.filter((n) => n.role === 'primary');
  const standbyNodes = nodes.filter((n) => n.role === 'failover');
  const [poolServers, poolStandbys, members, levels, configs, cameraNames] = await Promise.all([
    m.find(PoolServerEntity, { where: { clusterId } }),
    m.find(PoolStandbyEntity, { where: { clusterId } }),
    standbyNodes.length === 0 ? [] : m.find(FailoverGroupMemberEntity, { where: { standbyNodeId: In(standbyNodes.map((n) => n.id)) }, order: { position: 'ASC' } }),
    protectedNodes.length === 0 ? [] : m.find(PoolCameraLevelEntity, { where: { nodeId: In(protectedNodes.map((n) => n.id)) } }),
    // The files (up to 8 MiB each) only when an order carries one (recorderConfigOf).
    m.find(PoolRecorderConfigEntity, { select: { nodeId: true, sha256: true }, where: { clusterId } }),
    m.find(CameraPairEntity, { select: { cameraId: true, name: true }, where: { clusterId } }),
  ]);
  const readLeases = (ids: readonly string[]): Promise<StandbyLeaseRow[]> => (ids.length === 0 ? Promise.resolve([]) : m.find(StandbyLeaseEntity, { where: { standbyNodeId: In([...ids]) } }));
  const leaseRows = await readLeases(standbyNodes.map((n) => n.id));
  // A standby's lease is made the first time it is seen, once.
  const leaseless = standbyNodes.filter((n) => !leaseRows.some((l) => l.standbyNodeId === n.id));
  for (const s of leaseless) leaseRows.push(await ensureLease(m, s.id, clusterId));

  const nowMs = Date.now();
  const groups = new Map<string, string[]>();
  for (const member of members) groups.set(member.groupId, [...(groups.get(member.groupId) ?? []), member.standbyNodeId]);
  // By lower-case id, as agents report device ids and the overview looks names up.
  const names = new Map(cameraNames.map((c) => [c.cameraId.toLowerCase(), c.name]));
  const servers: SupervisedServer[] = protectedNodes.map((node) => {
    const row = poolServers.find((p) => p.nodeId === node.id);
    const config = configs.find((c) => c.nodeId === node.id);
    return {
      nodeId: node.id,
      name: node.name,
      primaryGroupId: row?.primaryGroupId ?? null,
      secondaryGroupId: row?.secondaryGroupId ?? null,
      hotStandbyNodeId: row?.hotStandbyNodeId ?? null,
      selection: (standbySelections as readonly string[]).includes(row?.standbySelection ?? '') ? (row?.standbySelection as StandbySelection) : 'sequence',
      sharedAddress: row?.sharedAddress ?? null,
      recorderConfig: config === undefined ? null : { sha256: config.sha256 },
      cameras: camerasOf(statuses, node.id, levels.filter((l) => l.nodeId === node.id), names),
      reportedCameraIds: statuses.cameras(node.id).slice(0, poolCamerasMax).map((c) => c.deviceId.toLowerCase()),
      // For the cameras it is known to have while its report lists none (a dead recorder): the sweep adds them.
      cameraNames: names,
    };
  });
  const standbys: SupervisedStandby[] = standbyNodes.map((node) => ({
    nodeId: node.id,
    name: node.name,
    // A standby that registered no capacity takes every camera.
    cameraCapacity: poolStandbys.find((s) => s.nodeId === node.id)?.cameraCapacity ?? poolCamerasMax,
    reachable: statuses.isFresh(node.id),
    pool: statuses.get(node.id)?.status.pool ?? null,
  }));
  const observations = new Map<string, ServerObservation>();
  for (const node of protectedNodes) {
    const cached = statuses.get(node.id);
    const ageMs = statuses.ageMs(node.id);
    if (cached === undefined || ageMs === null) continue;
    const { status } = cached;
    // A replacing standby reports a standby's status until its agent switched its role.
    const agentRole = status.poolProtected !== undefined ? 'protected' : status.pool !== undefined ? 'standby' : null;
    const standbyReport = status.pool === undefined ? null : { state: status.pool.state, error: status.pool.error };
    observations.set(node.id, { lastReportAtMs: nowMs - ageMs, recorderRunning: status.health.recorderUp && status.service === 'running', storageOk: status.health.storageOk, servingEpoch: status.serving ? status.epoch : null, failbackSync: status.poolProtected?.failbackSync ?? null, agentRole, standbyReport });
  }
  const leases = leaseRows.map((l) => ({ standbyNodeId: l.standbyNodeId, protectedNodeId: l.protectedNodeId, epoch: l.epoch, state: l.state, version: l.version, sinceMs: l.updatedAt.getTime() }));
  return { cluster, nodes, servers, standbys, groups, leases, observations, nowMs };
}

/** The server's cameras: those with a level row and those its agent reports, `full` unless set. */
function camerasOf(statuses: NodeStatusCache, nodeId: string, levels: readonly { deviceId: string; level: PoolCamera['level'] }[], names: ReadonlyMap<string, string>): PoolCamera[] {
  const byId = new Map<string, PoolCamera['level']>(levels.map((l) => [l.deviceId.toLowerCase(), l.level]));
  for (const c of statuses.cameras(nodeId)) if (!byId.has(c.deviceId.toLowerCase())) byId.set(c.deviceId.toLowerCase(), 'full');
  return [...byId].slice(0, poolCamerasMax).map(([deviceId, level]) => ({ deviceId, name: names.get(deviceId) ?? deviceId, level }));
}

/**
 * A resume as sent: with its failback sync, the standby's agent as the controller reaches it
 * (its registered URL and pinned certificate) and the policy's backfill budget. A standby
 * without an agent URL cannot be synced from: the server resumes all the same (recording
 * first) and the standby stays held until an operator finishes the failback.
 */
function resumeRequest(cluster: ClusterRow, nodes: readonly NodeRow[], order: Extract<PoolOrder, { kind: 'resume' }>, log: Logger): PoolResumeRequest {
  const sync = order.failbackSync;
  if (sync === null) return { epoch: order.epoch };
  const standby = nodes.find((n) => n.id === sync.standbyNodeId);
  if (standby?.agentUrl === null || standby?.agentUrl === undefined) {
    log.warn({ clusterId: cluster.id, nodeId: order.protectedNodeId, standbyNodeId: sync.standbyNodeId }, 'the failback sync cannot be ordered: the standby has no agent URL; the server resumes without it');
    return { epoch: order.epoch };
  }
  const { bandwidthMbps, transfersMax } = settingsOfRow(cluster).backfill;
  return { epoch: order.epoch, failbackSync: { standbyNodeId: sync.standbyNodeId, agentUrl: standby.agentUrl, certificateFingerprint: standby.agentCertificateFingerprint, cameraIds: [...sync.cameraIds], fromMs: sync.fromMs, toMs: sync.toMs, bandwidthMbps, transfersMax, ...(sync.standbyRecordsOn ? { standbyRecordsOn: true } : {}) } };
}

function orderKey(order: PoolOrder): string {
  switch (order.kind) {
    case 'resume':
      return `resume:${order.protectedNodeId}:${order.epoch}`;
    case 'hot-standby':
      return `hot-standby:${order.standbyNodeId}:${order.assignment === null ? 'cold' : `${order.assignment.protectedNodeId}:${order.assignment.recorderConfig.sha256}`}`;
    case 'become-protected':
      return `become-protected:${order.nodeId}:${order.request.replacedNodeId}:${order.request.epoch}`;
    default:
      return `${order.kind}:${order.standbyNodeId}:${order.request.protectedNodeId}:${order.request.epoch}`;
  }
}

function targetOf(cluster: ClusterRow, node: NodeRow, timeoutMs: number): PoolOrderTarget | null {
  const secret = cluster.agentSecret;
  if (node.agentUrl === null || secret === null || secret === undefined || secret === '') return null;
  return { agentUrl: node.agentUrl, certificateFingerprint: node.agentCertificateFingerprint, secret, timeoutMs };
}
