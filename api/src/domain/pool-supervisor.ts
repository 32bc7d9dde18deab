// The pool supervisor's pure core (issue 17 §2–§6): one sweep over a failover pool (a cluster of
// mode `pool`) turns what the controller knows now into what it should do next. The shell
// (agent-link/pool-supervisor-service.ts) reads the inputs, persists `states`, carries out
// `leaseMoves` with standby-leases.ts, sends `orders` to agents (agent-link/pool-orders.ts) and
// stores `events`; it runs every second on the controller holding the `pool-allocation` lease.
//
// The sweep is a reconciler: every order follows from the leases (SQL, the arbiter) and the
// standbys' reports, so a lost compare-and-set, a lost answer or another controller taking the
// job over only repeats an order the agent answers as done (takeover and release are idempotent
// on the agent, pool-v1.ts):
// - a lease taking-over P@e whose standby does not report P@e: send the takeover; its standby
//   reports serving P@e: lease → serving; reports failed P@e (or the takeover outlasts
//   takeoverTimeoutMs): give up (lease → free, the standby cools down, P waits again);
// - a standby reporting P@e (taking over, serving, failed) that no lease gives P@e: release;
// - a server a standby held, once no lease holds it and that standby no longer reports it:
//   resume it under the pool's next epoch (taken by the shell), until it reports serving at it.
// Operator commands (start, stop, finish failback) are lease moves made by the routes with the
// same compare-and-set; the sweep sees them in the leases and follows up.
//
// Failback sync: with `sync` (the policy's failbackRecordings, or the stop command's) the lease
// stays `syncing-back` after the release. The resume order then carries the failback sync (the
// standby, the cameras it recorded, the failover window from the takeover's start to the
// release), and the protected server's agent pulls those recordings back over the backfill
// transfer and reports the progress (poolProtected.failbackSync). Its report of the sync done
// frees the lease (`pool.failback-synced`); a failed sync is said once
// (`pool.failback-sync-failed`) and the standby stays held until an operator's finish-failback.
import type { PoolFailbackSyncStatus, PoolReleaseRequest, PoolStandbyStatus, PoolTakeoverRequest } from '../../../contracts/pool-v1.js';
import type { PoolSettings } from '../../../contracts/cluster-policy-v1.js';
import type { EventSeverity } from '../model/vocabulary.js';
import { allocate, camerasTakenOver, type PoolCamera, type StandbySelection } from './pool-allocation.js';
import { protectedInitial, stepProtected, type PoolTrigger, type PoolTriggerSettings, type ProtectedObservation, type ProtectedState } from './pool-failures.js';
import type { LeaseState } from './standby-leases.js';

/** A takeover that has not reached serving by then is given up (the agent's own steps are bounded well below). */
export const takeoverTimeoutMs = 5 * 60_000;
/** A standby whose takeover failed is not chosen again for this long (its trouble may be its own). */
export const standbyCooldownMs = 60_000;
/** The failback sync's window is widened by this on each side, for the clocks of the controller and the recorders. */
export const failbackClockMarginMs = 30_000;

export type FailbackRecordings = PoolSettings['failbackRecordings'];

/** The policy's pool section as pool-failures.ts reads it. */
export function triggerSettingsOf(pool: PoolSettings): PoolTriggerSettings {
  return { disconnectedSecondsMin: pool.triggers.disconnectedSeconds, serviceDown: pool.triggers.serviceDown, storage: pool.triggers.storage, failover: pool.failover, stop: pool.stopFailover, holdDownSeconds: pool.holdDownSeconds };
}

/** A protected recording server with what a takeover of it needs. */
export interface SupervisedServer {
  readonly nodeId: string;
  readonly name: string;
  readonly primaryGroupId: string | null;
  readonly secondaryGroupId: string | null;
  readonly hotStandbyNodeId: string | null;
  readonly selection: StandbySelection;
  /** pool_server.shared_address: the endpoint a takeover claims; null: none registered yet. */
  readonly sharedAddress: string | null;
  /** Its RecorderConfig.xml as last pushed (pool_recorder_config); null: none yet. */
  readonly recorderConfig: PoolTakeoverRequest['recorderConfig'] | null;
  /** Its cameras with their failover levels (a camera without a level row is `full`). */
  readonly cameras: readonly PoolCamera[];
}

/** A standby of the pool and what its agent last reported. */
export interface SupervisedStandby {
  readonly nodeId: string;
  readonly cameraCapacity: number;
  /** Its agent's last report is fresh. */
  readonly reachable: boolean;
  /** The report's `pool` (null: none, e.g. an agent not in pool standby mode). */
  readonly pool: Pick<PoolStandbyStatus, 'state' | 'protectedNodeId' | 'epoch' | 'error'> | null;
}

/** A standby lease as read (standby_lease), with when it entered its state. */
export interface LeaseView {
  readonly standbyNodeId: string;
  readonly protectedNodeId: string | null;
  readonly epoch: number;
  readonly state: LeaseState;
  readonly version: number;
  readonly sinceMs: number;
}

export interface ServerObservation extends ProtectedObservation {
  /** The epoch it reports serving under (its agent serves its endpoint), else null. */
  readonly servingEpoch: number | null;
  /** Its agent's failback sync as last reported (poolProtected.failbackSync); absent or null: none. */
  readonly failbackSync?: PoolFailbackSyncStatus | null;
}

/** The failback sync the supervisor follows for a server, from the failover's stop (with sync) until its lease leaves `syncing-back`. */
export interface FailbackFollowed {
  readonly standbyNodeId: string;
  /** The failover window: the takeover's start, and the release as first seen done (null until then). */
  readonly fromMs: number;
  readonly toMs: number | null;
  /** The cameras the standby recorded (`full`, as taken over): the server's own report lists none while it restarts. */
  readonly cameraIds?: readonly string[];
  /** What the last event said: once each. */
  readonly said: 'synced' | 'failed' | null;
}

/** What the supervisor keeps per protected server (pool_server_state, serializeSupervisorState), so that another controller goes on from it. */
export interface SupervisorState {
  readonly health: ProtectedState;
  /** The standby holding its endpoint as last seen, whether it reached serving, and when its lease began (the failover window's start; absent in states stored before). */
  readonly served: { readonly standbyNodeId: string; readonly epoch: number; readonly serving: boolean; readonly fromMs?: number; readonly cameraIds?: readonly string[] } | null;
  /** A stop the sweep decided, repeated until the lease leaves: `give-up` after a failed takeover. */
  readonly stop: FailbackRecordings | 'give-up' | null;
  /** A standby held its endpoint: once it gave it back, the server is ordered to resume under resumeEpoch (taken once, from the pool's counter). */
  readonly resume: { readonly standbyNodeId: string; readonly resumeEpoch: number | null } | null;
  /** Why it waits for a standby, as said in the last failover-waiting event; null when not waiting. */
  readonly waiting: string | null;
  /** The failback sync followed; null: none (absent in states stored before). */
  readonly failback?: FailbackFollowed | null;
}

export const supervisorInitial: SupervisorState = { health: protectedInitial, served: null, stop: null, resume: null, waiting: null, failback: null };

export interface SweepInput {
  readonly nowMs: number;
  readonly settings: PoolTriggerSettings;
  readonly failbackRecordings: FailbackRecordings;
  readonly servers: readonly SupervisedServer[];
  /** Each failover group's standbys, in the group's order. */
  readonly groups: ReadonlyMap<string, readonly string[]>;
  readonly standbys: readonly SupervisedStandby[];
  readonly leases: readonly LeaseView[];
  /** By protected server; a missing one never reported. */
  readonly observations: ReadonlyMap<string, ServerObservation>;
  /** By protected server; a missing one starts at supervisorInitial. */
  readonly states: ReadonlyMap<string, SupervisorState>;
  /** Standbys not to be chosen until the time given (ms). */
  readonly cooldowns: ReadonlyMap<string, number>;
}

export type LeaseMove =
  | { readonly kind: 'acquire'; readonly standbyNodeId: string; readonly protectedNodeId: string; readonly expectedVersion: number }
  | { readonly kind: 'move'; readonly standbyNodeId: string; readonly expectedVersion: number; readonly to: LeaseState }
  /** Take the pool's next epoch for this server's resume (withResumeEpoch stores it). */
  | { readonly kind: 'resume-epoch'; readonly protectedNodeId: string };

export type PoolOrder =
  | { readonly kind: 'takeover'; readonly standbyNodeId: string; readonly request: PoolTakeoverRequest }
  | { readonly kind: 'release'; readonly standbyNodeId: string; readonly request: PoolReleaseRequest }
  /** `failbackSync`: what the resume carries for the sync (the shell adds the standby's agent URL, its pin and the policy's bandwidth); null: none. */
  | { readonly kind: 'resume'; readonly protectedNodeId: string; readonly epoch: number; readonly failbackSync: FailbackOrder | null };

/** The pure part of a resume's failback sync (contracts/pool-v1.ts PoolFailbackSync). */
export interface FailbackOrder {
  readonly standbyNodeId: string;
  readonly cameraIds: readonly string[];
  readonly fromMs: number;
  readonly toMs: number;
}

export interface PoolEvent {
  readonly kind: string;
  readonly severity: EventSeverity;
  /** The protected server it is about. */
  readonly nodeId: string;
  readonly message: string;
  readonly data: Record<string, unknown>;
}

export interface SweepOutput {
  /** Every server's state; the shell writes those that changed. */
  readonly states: Map<string, SupervisorState>;
  readonly leaseMoves: LeaseMove[];
  readonly orders: PoolOrder[];
  readonly events: PoolEvent[];
  readonly cooldowns: Map<string, number>;
}

/** The state once the shell took a resume epoch for it. */
export function withResumeEpoch(state: SupervisorState, epoch: number): SupervisorState {
  return state.resume === null || state.resume.resumeEpoch !== null ? state : { ...state, resume: { ...state.resume, resumeEpoch: epoch } };
}

const holds = (l: LeaseView): boolean => l.state === 'taking-over' || l.state === 'serving';
/** A standby's report shows it holds (or is stuck holding) this server's identity at this epoch. */
const reportsHolding = (s: SupervisedStandby | undefined): s is SupervisedStandby & { pool: NonNullable<SupervisedStandby['pool']> } =>
  s !== undefined && s.reachable && s.pool !== null && s.pool.protectedNodeId !== null && (s.pool.state === 'taking-over' || s.pool.state === 'serving' || s.pool.state === 'failed');

/**
 * One sweep of a pool.
 *
 * @example
 *   // rs-1 silent for longer than disconnectedSeconds, fo-1 free in its group
 *   sweep(input).leaseMoves // [{ kind: 'acquire', standbyNodeId: 'fo-1', protectedNodeId: 'rs-1', expectedVersion: 1 }]
 *   // next sweep, the lease taking-over rs-1 at epoch 2:
 *   sweep(input).orders // [{ kind: 'takeover', standbyNodeId: 'fo-1', request: { protectedNodeId: 'rs-1', epoch: 2, … } }]
 */
export function sweep(input: SweepInput): SweepOutput {
  const { nowMs } = input;
  const standbys = new Map(input.standbys.map((s) => [s.nodeId, s]));
  const leaseOf = new Map(input.leases.map((l) => [l.standbyNodeId, l]));
  const holding = new Map(input.leases.filter((l) => holds(l) && l.protectedNodeId !== null).map((l) => [l.protectedNodeId as string, l]));
  const syncing = new Map(input.leases.filter((l) => l.state === 'syncing-back' && l.protectedNodeId !== null).map((l) => [l.protectedNodeId as string, l]));
  const cooldowns = new Map([...input.cooldowns].filter(([, untilMs]) => untilMs > nowMs));
  const out: SweepOutput = { states: new Map(), leaseMoves: [], orders: [], events: [], cooldowns };
  const say = (server: SupervisedServer, kind: string, severity: EventSeverity, message: string, data: Record<string, unknown> = {}): void => {
    out.events.push({ kind, severity, nodeId: server.nodeId, message: message.slice(0, 2048), data });
  };
  const failures: { protectedNodeId: string; failedAtMs: number }[] = [];

  for (const server of input.servers) {
    let st = input.states.get(server.nodeId) ?? supervisorInitial;
    const lease = holding.get(server.nodeId);
    const standby = lease === undefined ? undefined : standbys.get(lease.standbyNodeId);

    // A lease that holds it, seen for the first time: a failover started (by this sweep or by command).
    if (lease !== undefined && (st.served?.standbyNodeId !== lease.standbyNodeId || st.served.epoch !== lease.epoch)) {
      const capacity = standby?.cameraCapacity ?? 0;
      const { taken, leftOut } = camerasTakenOver(server.cameras, capacity);
      say(server, 'pool.failover-started', 'warning', `${server.name}: failing over to standby ${lease.standbyNodeId} under epoch ${lease.epoch} (${taken.length} camera(s))`, { standbyNodeId: lease.standbyNodeId, epoch: lease.epoch, cameras: taken.length });
      if (leftOut.length > 0) say(server, 'pool.cameras-left-out', 'warning', `${server.name}: ${leftOut.length} camera(s) beyond the standby's capacity of ${capacity} are not taken over: ${leftOut.map((c) => c.name).join(', ')}`, { standbyNodeId: lease.standbyNodeId, capacity, cameras: leftOut.map((c) => ({ deviceId: c.deviceId, name: c.name, level: c.level })) });
      // A failover an operator started on a server not (yet) counted as failed: it counts as failed from now.
      const health: ProtectedState = st.health.kind === 'protected' || st.health.kind === 'troubled' ? { kind: 'failed', trigger: st.health.kind === 'troubled' ? st.health.trigger : 'disconnected', sinceMs: nowMs } : st.health;
      const cameraIds = taken.filter((c) => c.level === 'full').map((c) => c.deviceId);
      st = { health, served: { standbyNodeId: lease.standbyNodeId, epoch: lease.epoch, serving: false, fromMs: lease.sinceMs, cameraIds }, stop: null, resume: { standbyNodeId: lease.standbyNodeId, resumeEpoch: null }, waiting: null, failback: st.failback ?? null };
    }
    // No lease holds it any more: the failover ended (stopped, given up, or by command).
    if (lease === undefined && st.served !== null) {
      const { standbyNodeId, epoch, serving } = st.served;
      if (st.stop === 'give-up') {
        // It waits for another standby; its own recorder resumes only if that standby claimed its endpoint.
        st = { ...st, served: null, stop: null, resume: serving ? st.resume : null };
      } else {
        const sync = syncing.get(server.nodeId)?.standbyNodeId === standbyNodeId;
        say(server, 'pool.failover-stopped', 'info', sync
          ? `${server.name}: failover stopped; standby ${standbyNodeId} gives its identity back and stays held until what it recorded meanwhile is synced back to ${server.name}`
          : `${server.name}: failover stopped; standby ${standbyNodeId} gives its identity back, what it recorded meanwhile is discarded`,
          { standbyNodeId, epoch, recordings: sync ? 'sync' : 'discard' });
        const failback: FailbackFollowed | null = sync ? { standbyNodeId, fromMs: st.served.fromMs ?? 0, toMs: null, ...(st.served.cameraIds === undefined ? {} : { cameraIds: st.served.cameraIds }), said: null } : null;
        st = { ...st, health: protectedInitial, served: null, stop: null, failback };
      }
    }

    // Its recorder is stopped on purpose while a standby holds (or has not yet given back) its
    // endpoint, so its service and its storages (which the recorder reports) say nothing then:
    // only its agent's reports count. Once resumed, a recorder or storage still in trouble fails
    // it over again.
    const seen = input.observations.get(server.nodeId) ?? { lastReportAtMs: null, recorderRunning: false, storageOk: false, servingEpoch: null };
    const observation = lease !== undefined || st.resume !== null ? { ...seen, recorderRunning: true, storageOk: true } : seen;
    const step = stepProtected(st.health, observation, input.settings, nowMs);
    st = { ...st, health: step.state };
    for (const action of step.actions) {
      if (action.kind === 'failover-needed') say(server, 'pool.failover-needed', 'warning', `${server.name}: failed (${action.trigger}); failover is manual: start it`, { trigger: action.trigger });
      if (action.kind === 'recovered') say(server, 'pool.recovered', 'info', `${server.name}: healthy for the hold-down; stop its failover when ready`, {});
      if (action.kind === 'stop-failover' && lease !== undefined && st.stop === null) st = { ...st, stop: input.failbackRecordings };
    }

    if (lease !== undefined) {
      const r = standby?.reachable === true ? standby.pool : null;
      const reportsThis = r !== null && r.protectedNodeId === server.nodeId && r.epoch === lease.epoch;
      if (st.stop === null && reportsThis && r.state === 'failed') {
        say(server, 'pool.takeover-failed', 'error', `${server.name}: standby ${lease.standbyNodeId} failed to take over${r.error === null ? '' : ` at ${r.error.step}: ${r.error.reason}`}; it is released and the server waits for another standby`, { standbyNodeId: lease.standbyNodeId, epoch: lease.epoch, error: r.error });
        st = { ...st, stop: 'give-up' };
        cooldowns.set(lease.standbyNodeId, nowMs + standbyCooldownMs);
      } else if (st.stop === null && lease.state === 'taking-over' && nowMs - lease.sinceMs > takeoverTimeoutMs) {
        say(server, 'pool.takeover-failed', 'error', `${server.name}: standby ${lease.standbyNodeId} did not take over within ${takeoverTimeoutMs / 1000} s; it is released and the server waits for another standby`, { standbyNodeId: lease.standbyNodeId, epoch: lease.epoch, error: null });
        st = { ...st, stop: 'give-up' };
        cooldowns.set(lease.standbyNodeId, nowMs + standbyCooldownMs);
      }
      if (st.stop !== null) {
        const to: LeaseState = st.stop === 'sync' && lease.state === 'serving' ? 'syncing-back' : 'free';
        out.leaseMoves.push({ kind: 'move', standbyNodeId: lease.standbyNodeId, expectedVersion: lease.version, to });
      } else if (lease.state === 'taking-over') {
        if (reportsThis && r.state === 'serving') out.leaseMoves.push({ kind: 'move', standbyNodeId: lease.standbyNodeId, expectedVersion: lease.version, to: 'serving' });
        else if (!reportsThis) {
          const order = takeoverOrder(server, lease, standby?.cameraCapacity ?? 0);
          if (order !== null) out.orders.push({ kind: 'takeover', standbyNodeId: lease.standbyNodeId, request: order });
        }
      } else if (st.served !== null && !st.served.serving) {
        say(server, 'pool.failover-completed', 'info', `${server.name}: standby ${lease.standbyNodeId} records its cameras and holds its endpoint under epoch ${lease.epoch}`, { standbyNodeId: lease.standbyNodeId, epoch: lease.epoch });
        st = { ...st, served: { ...st.served, serving: true } };
      }
    } else if (st.resume !== null) {
      // Resumed only once the standby reports that it gave the identity and endpoint back.
      const holder = standbys.get(st.resume.standbyNodeId);
      const givenBack = holder !== undefined && holder.reachable && holder.pool !== null && !(reportsHolding(holder) && holder.pool.protectedNodeId === server.nodeId) && holder.pool.state !== 'releasing';
      if (givenBack) {
        const { resumeEpoch } = st.resume;
        // The failover window ends where the standby is first seen to have given the identity back.
        if (st.failback !== undefined && st.failback !== null && st.failback.toMs === null) st = { ...st, failback: { ...st.failback, toMs: nowMs } };
        if (resumeEpoch === null) out.leaseMoves.push({ kind: 'resume-epoch', protectedNodeId: server.nodeId });
        else if (seen.servingEpoch !== null && seen.servingEpoch >= resumeEpoch) {
          say(server, 'pool.resumed', 'info', `${server.name}: serves its cameras again under epoch ${seen.servingEpoch}`, { epoch: seen.servingEpoch });
          st = { ...st, resume: null };
        } else out.orders.push({ kind: 'resume', protectedNodeId: server.nodeId, epoch: resumeEpoch, failbackSync: failbackOrder(server, st.failback ?? null, syncing.get(server.nodeId), standbys) });
      }
    }
    st = followFailback(server, st, syncing.get(server.nodeId), seen, out, say);

    // Failed, nobody holds it: it needs a standby (automatically, or an operator starts it).
    if (st.health.kind === 'failed' && lease === undefined && input.settings.failover === 'automatic') {
      const blocked = syncing.has(server.nodeId) ? 'failback-pending' : server.recorderConfig === null ? 'no-recorder-config' : server.sharedAddress === null ? 'no-shared-address' : null;
      if (blocked !== null) st = waitFor(server, st, blocked, say);
      else failures.push({ protectedNodeId: server.nodeId, failedAtMs: st.health.sinceMs });
    } else if (st.health.kind !== 'failed' || lease !== undefined) st = { ...st, waiting: null };
    out.states.set(server.nodeId, st);
  }

  // Standbys that report holding what no lease gives them: release.
  for (const s of input.standbys) {
    if (!reportsHolding(s)) continue;
    const l = leaseOf.get(s.nodeId);
    if (l !== undefined && holds(l) && l.protectedNodeId === s.pool.protectedNodeId && l.epoch === s.pool.epoch) continue;
    out.orders.push({ kind: 'release', standbyNodeId: s.nodeId, request: { protectedNodeId: s.pool.protectedNodeId as string, epoch: Math.max(1, s.pool.epoch) } });
  }

  // Choose standbys for the failures, oldest first.
  if (failures.length > 0) {
    const pool = {
      protectedServers: input.servers.map((s) => ({ nodeId: s.nodeId, primaryGroupId: s.primaryGroupId, secondaryGroupId: s.secondaryGroupId, hotStandbyNodeId: s.hotStandbyNodeId, selection: s.selection, cameraCount: s.cameras.filter((c) => c.level !== 'none').length })),
      groups: input.groups,
      standbys: input.standbys.map((s) => {
        const l = leaseOf.get(s.nodeId);
        const available = l !== undefined && l.state === 'free' && s.reachable && s.pool?.state === 'free' && !cooldowns.has(s.nodeId);
        return { nodeId: s.nodeId, cameraCapacity: s.cameraCapacity, available, servingNodeId: l?.protectedNodeId ?? null };
      }),
    };
    const servers = new Map(input.servers.map((s) => [s.nodeId, s]));
    for (const a of allocate(pool, failures)) {
      const server = servers.get(a.protectedNodeId);
      const st = out.states.get(a.protectedNodeId);
      if (server === undefined || st === undefined) continue;
      if (a.kind === 'take-over') {
        const l = leaseOf.get(a.standbyNodeId);
        if (l !== undefined) out.leaseMoves.push({ kind: 'acquire', standbyNodeId: a.standbyNodeId, protectedNodeId: a.protectedNodeId, expectedVersion: l.version });
      } else out.states.set(a.protectedNodeId, waitFor(server, st, a.reason, say));
    }
  }
  return out;
}

const waitingWords: Readonly<Record<string, string>> = {
  'no-standby-free': 'no standby of its groups is free',
  'no-failover-group': 'it has no failover group and no hot standby',
  'unknown-server': 'it is not a protected server of the pool',
  'failback-pending': 'its last standby still holds what it recorded for the failback sync (finish failback first)',
  'no-recorder-config': 'its RecorderConfig.xml never reached the controller',
  'no-shared-address': 'it registered no shared address',
};

/** The server waits for a standby; said once per reason. */
function waitFor(server: SupervisedServer, st: SupervisorState, reason: string, say: (server: SupervisedServer, kind: string, severity: EventSeverity, message: string, data?: Record<string, unknown>) => void): SupervisorState {
  if (st.waiting === reason) return st;
  say(server, 'pool.failover-waiting', 'error', `${server.name}: failed and waits for a standby: ${waitingWords[reason] ?? reason}`, { reason });
  return { ...st, waiting: reason };
}

/** The resume's failback sync: the `full` cameras the standby took over, and the window; null without a sync to run. */
function failbackOrder(server: SupervisedServer, failback: FailbackFollowed | null, syncingLease: LeaseView | undefined, standbys: ReadonlyMap<string, SupervisedStandby>): FailbackOrder | null {
  if (failback === null || failback.toMs === null || syncingLease?.standbyNodeId !== failback.standbyNodeId) return null;
  // As taken over; a state stored before that was kept: what it would take over now.
  const cameraIds = failback.cameraIds ?? camerasTakenOver(server.cameras, standbys.get(failback.standbyNodeId)?.cameraCapacity ?? 0).taken.filter((c) => c.level === 'full').map((c) => c.deviceId);
  return { standbyNodeId: failback.standbyNodeId, cameraIds: [...cameraIds], ...failbackWindow(failback.fromMs, failback.toMs) };
}

/** The window is the controller's clock, the blocks carry the recorders': the margin takes their skew (the standby recorded these cameras only while it served). */
function failbackWindow(fromMs: number, toMs: number): { fromMs: number; toMs: number } {
  return { fromMs: Math.max(0, fromMs - failbackClockMarginMs), toMs: toMs + failbackClockMarginMs };
}

/**
 * The failback sync once the server resumed: its agent's report of it done frees the standby
 * (`pool.failback-synced`, said once, the move repeated until the lease left); failed is said
 * once and the standby stays held for an operator's finish-failback. Followed until no lease
 * holds the standby for it any more.
 */
function followFailback(server: SupervisedServer, st: SupervisorState, syncingLease: LeaseView | undefined, seen: ServerObservation, out: SweepOutput, say: (server: SupervisedServer, kind: string, severity: EventSeverity, message: string, data?: Record<string, unknown>) => void): SupervisorState {
  const failback = st.failback ?? null;
  if (failback === null) return st;
  if (syncingLease?.standbyNodeId !== failback.standbyNodeId) return st.resume === null ? { ...st, failback: null } : st;
  const reported = seen.failbackSync ?? null;
  if (st.resume !== null || failback.toMs === null || reported === null || reported.standbyNodeId !== failback.standbyNodeId) return st;
  const ordered = failbackWindow(failback.fromMs, failback.toMs);
  if (reported.fromMs !== ordered.fromMs || reported.toMs !== ordered.toMs) return st;
  if (reported.state === 'done') {
    if (failback.said !== 'synced') {
      const seconds = reported.finishedAt === null ? null : Math.max(0, Math.round((Date.parse(reported.finishedAt) - Date.parse(reported.startedAt)) / 1000));
      say(server, 'pool.failback-synced', 'info', `${server.name}: what standby ${failback.standbyNodeId} recorded during the failover is back (${reported.blocksDone} blocks, ${reported.bytesDone} bytes${seconds === null ? '' : ` in ${seconds} s`}); the standby returns to its group`, { standbyNodeId: failback.standbyNodeId, bytes: reported.bytesDone, blocks: reported.blocksDone, seconds, fromMs: ordered.fromMs, toMs: ordered.toMs });
    }
    out.leaseMoves.push({ kind: 'move', standbyNodeId: syncingLease.standbyNodeId, expectedVersion: syncingLease.version, to: 'free' });
    return { ...st, failback: { ...failback, said: 'synced' } };
  }
  if (reported.state === 'failed' && failback.said === null) {
    say(server, 'pool.failback-sync-failed', 'error', `${server.name}: the failback sync from standby ${failback.standbyNodeId} failed: ${reported.error ?? 'no reason given'}; the standby stays held with what it recorded until failback is finished`, { standbyNodeId: failback.standbyNodeId, reason: reported.error, bytesDone: reported.bytesDone, bytesTotal: reported.bytesTotal });
    return { ...st, failback: { ...failback, said: 'failed' } };
  }
  return st;
}

function takeoverOrder(server: SupervisedServer, lease: LeaseView, capacity: number): PoolTakeoverRequest | null {
  if (server.recorderConfig === null || server.sharedAddress === null) return null;
  const { taken } = camerasTakenOver(server.cameras, capacity);
  return {
    protectedNodeId: server.nodeId,
    protectedName: server.name,
    epoch: lease.epoch,
    sharedAddress: server.sharedAddress,
    recorderConfig: server.recorderConfig,
    cameras: taken.map((c) => ({ deviceId: c.deviceId, level: c.level === 'live-only' ? 'live-only' : 'full' })),
  };
}

/**
 * The state as pool_server_state stores it: the ProtectedState's own fields at the top (what the
 * pool view reads, domain/pool-view.ts), the supervisor's beside them.
 */
export function serializeSupervisorState(st: SupervisorState): string {
  const { health, ...rest } = st;
  return JSON.stringify({ ...health, ...rest });
}

/** Reads a persisted state; anything unreadable starts over (the server's health is observed again within seconds). */
export function parseSupervisorState(text: string): SupervisorState {
  try {
    const value = JSON.parse(text) as Record<string, unknown> | null;
    if (typeof value !== 'object' || value === null || typeof value['kind'] !== 'string') return supervisorInitial;
    const { served = null, stop = null, resume = null, waiting = null, failback = null, ...health } = value;
    return { health: health as unknown as ProtectedState, served, stop, resume, waiting, failback } as SupervisorState;
  } catch {
    return supervisorInitial;
  }
}

export type { PoolTrigger };
