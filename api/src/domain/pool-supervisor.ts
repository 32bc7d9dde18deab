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
//
// Hot standbys (pool-v1.ts): a server's hot standby that is free (lease and report) and does not
// report `hot` for that server and its RecorderConfig.xml's SHA-256 is ordered to become so
// (hot-standby); a hot one that failed is said once per failure (`pool.hot-standby-failed`) and
// ordered again after a backoff; a standby reporting `hot` for a server whose hot standby it is
// no longer is ordered back to cold (assignment null). A takeover of a hot standby is the same
// order as any: the agent takes its fast path when its hot state matches.
//
// Replacement (issue 17 §7): the replace command makes the replacing standby's node this pool's
// protected server (the identity's rows, and this state, moved to it) and sets `roleSwitch`: its
// agent, a standby's still, is ordered to become the protected server (become-protected, retried
// with backoff; a failure said once per failure, `pool.replacement-failed`) until it reports
// `poolProtected` (`pool.replacement-completed`). Meanwhile its health is not stepped, no failover
// starts for it and it is not resumed: a replacement by another standby than the serving one is
// a failed-over server whose failback starts only once its agent serves its role (fenced, its
// recorder stopped). The standby serving the identity still reports the replaced node's id:
// `replacedNodeIds` makes that report stand for this server.
//
// Controller outage (issue 17 §5): while no controller runs, no new failover starts and running
// takeovers go on. The first sweep after a pool went unsupervised for longer than the bound says
// so (`pool.controller-returned`): for how long, the takeovers that went on, the servers waiting.
//
// The sweep reads RecorderConfig.xml by its SHA-256 only: the shell reads the file when it sends
// an order that carries it (takeover, hot-standby).
import type { NodeStatus } from '../../../contracts/controller-v1.js';
import { poolCamerasMax } from '../../../contracts/pool-v1.js';
import type { PoolBecomeProtectedRequest, PoolFailbackSyncStatus, PoolHotAssignment, PoolHotStatus, PoolReleaseRequest, PoolStandbyStatus, PoolTakeoverRequest } from '../../../contracts/pool-v1.js';
import { failbackStallMinutesDefault, type PoolSettings } from '../../../contracts/cluster-policy-v1.js';
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
/**
 * After a resume, the server's recorder is starting and its agent's reports (probed every second)
 * may still say it is down: its service and storage count only from its first report of the
 * recorder running, or once this passed. Without it, `serviceDown.seconds: 0` failed a resumed
 * server over again at once (seen in the pool bench).
 */
export const resumeStartGraceMs = 30_000;
/** A failback sync's progress is kept in the state at most this often (each change is a write). */
export const failbackProgressKeptMs = 60_000;
/** A pool no controller swept for longer than this (or the shell's bound, if longer) gets `pool.controller-returned`. */
export const unsupervisedMsMin = 10_000;
/** A hot standby that failed to get ready is ordered again after this, doubling per failure up to hotRetryMsMax (spread per standby). */
export const hotRetryMsMin = 5_000;
export const hotRetryMsMax = 5 * 60_000;
/** After a hot standby is ordered again, its report shows the new attempt within this (agents report every second). */
export const hotReportLagMs = 3_000;

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
  /** Its RecorderConfig.xml as last pushed (pool_recorder_config), by its SHA-256; null: none yet. */
  readonly recorderConfig: RecorderConfigRef | null;
  /** Its cameras with their failover levels (a camera without a level row is `full`). */
  readonly cameras: readonly PoolCamera[];
  /** The device ids its agent's latest report lists (none while its recorder is down); absent: not known apart from `cameras`. */
  readonly reportedCameraIds?: readonly string[];
  /** Camera names by lower-case device id (camera_pair): those of the cameras it is known to have while its report lists none; absent: named by id. */
  readonly cameraNames?: ReadonlyMap<string, string>;
}

/** A RecorderConfig.xml named by its SHA-256: the shell reads the file (pool_recorder_config) only to send it. */
export interface RecorderConfigRef {
  readonly sha256: string;
}

/** An order's request as the sweep makes it: the RecorderConfig.xml by reference, the shell puts the file in. */
export type WithConfigRef<T extends { recorderConfig: unknown }> = Omit<T, 'recorderConfig'> & { readonly recorderConfig: RecorderConfigRef };
export type TakeoverOrderRequest = WithConfigRef<PoolTakeoverRequest>;
export type HotAssignmentOrder = WithConfigRef<PoolHotAssignment>;
export type BecomeProtectedOrderRequest = WithConfigRef<PoolBecomeProtectedRequest>;

/** A standby of the pool and what its agent last reported. */
export interface SupervisedStandby {
  readonly nodeId: string;
  /** Its node's name, for events. */
  readonly name?: string;
  readonly cameraCapacity: number;
  /** Its agent's last report is fresh. */
  readonly reachable: boolean;
  /** The report's `pool` (null: none, e.g. an agent not in pool standby mode); `hot` absent from agents without hot standbys. */
  readonly pool: (Pick<PoolStandbyStatus, 'state' | 'protectedNodeId' | 'epoch' | 'error'> & { readonly hot?: PoolHotStatus | null | undefined }) | null;
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
  /** What its agent reports being: a protected server's (`poolProtected`), or still a standby's (`pool`: a replacement not switched yet); absent or null: not known. */
  readonly agentRole?: 'protected' | 'standby' | null;
  /** A standby's report of it (agentRole `standby`): its state and step error; absent or null otherwise. */
  readonly standbyReport?: Pick<PoolStandbyStatus, 'state' | 'error'> | null;
}

/** A replacement whose agent has not switched its role yet (become-protected ordered until it reports `poolProtected`). */
export interface RoleSwitchFollowed {
  readonly replacedNodeId: string;
  readonly replacedName: string;
  readonly sharedAddress: string;
  /** The replaced server's RecorderConfig.xml, on record under this server now. */
  readonly configSha256: string;
  /** The serving lease's epoch at the replacement. */
  readonly epoch: number;
  /** Failures said, failed now, and not ordered again before retryAtMs: as a hot standby's (HotFollowed). */
  readonly failures: number;
  readonly failed: boolean;
  readonly retryAtMs: number;
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
  /** The sync's bytes done as last changed, and since when (absent: no report of it yet; the stall counts from toMs). */
  readonly progress?: { readonly bytesDone: number; readonly sinceMs: number } | null;
  /** `pool.failback-sync-stalled` was said for the stall going on (progress again clears it). */
  readonly stalled?: boolean;
}

/** A server's hot standby as the supervisor follows it: failures said once each, retried after a backoff. */
export interface HotFollowed {
  readonly standbyNodeId: string;
  /** The configuration it was ordered to run: another one starts the count again. */
  readonly configSha256: string;
  /** Failures since it was last ready. */
  readonly failures: number;
  /** A failure was seen and said, and the standby still reports it. */
  readonly failed: boolean;
  /** Failed: not ordered again before this (ms); else a failure reported before this is the one already said (ordered again, its report not caught up yet). */
  readonly retryAtMs: number;
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
  /** Its hot standby followed; null: none (absent in states stored before). */
  readonly hot?: HotFollowed | null;
  /** When it resumed (ms), until its report first shows the recorder running (or resumeStartGraceMs passed); null otherwise. */
  readonly starting?: number | null;
  /**
   * The device ids its agent last reported, kept: a report made while the recorder is down lists
   * none, and that is when a takeover needs them (what the standby records, what the failback
   * sync brings back). Without it, a dead recorder was taken over with no camera and its
   * failover recordings were never synced back (found by the lab test under load).
   */
  readonly knownCameraIds?: readonly string[] | null;
  /** A replacement not switched yet; absent or null: none. */
  readonly roleSwitch?: RoleSwitchFollowed | null;
  /** The protected servers it replaced (node ids gone): a standby holding their identity still reports their id. */
  readonly replacedNodeIds?: readonly string[] | null;
}

export const supervisorInitial: SupervisorState = { health: protectedInitial, served: null, stop: null, resume: null, waiting: null, failback: null, hot: null, starting: null, knownCameraIds: null };

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
  /** When a controller last swept this pool (ms, from the database, so any controller's sweep counts); null: never. */
  readonly lastSupervisedMs?: number | null;
  /** A gap longer than this (and unsupervisedMsMin) since lastSupervisedMs is a controller outage. */
  readonly unsupervisedMsMax?: number;
  /** The policy's pool.failbackStallMinutes: a failback sync without progress for this long is said stalled; absent: the default. */
  readonly failbackStallMinutes?: number;
}

export type LeaseMove =
  | { readonly kind: 'acquire'; readonly standbyNodeId: string; readonly protectedNodeId: string; readonly expectedVersion: number }
  | { readonly kind: 'move'; readonly standbyNodeId: string; readonly expectedVersion: number; readonly to: LeaseState }
  /** Take the pool's next epoch for this server's resume (withResumeEpoch stores it). */
  | { readonly kind: 'resume-epoch'; readonly protectedNodeId: string };

export type PoolOrder =
  | { readonly kind: 'takeover'; readonly standbyNodeId: string; readonly request: TakeoverOrderRequest }
  /** Make it the hot standby of `assignment`'s server, or (null) a cold standby again. */
  | { readonly kind: 'hot-standby'; readonly standbyNodeId: string; readonly assignment: HotAssignmentOrder | null }
  | { readonly kind: 'release'; readonly standbyNodeId: string; readonly request: PoolReleaseRequest }
  /** A replacement: the node's agent (a standby's) becomes this protected server. */
  | { readonly kind: 'become-protected'; readonly nodeId: string; readonly request: BecomeProtectedOrderRequest }
  /** `failbackSync`: what the resume carries for the sync (the shell adds the standby's agent URL, its pin and the policy's bandwidth); null: none. */
  | { readonly kind: 'resume'; readonly protectedNodeId: string; readonly epoch: number; readonly failbackSync: FailbackOrder | null };

/** The pure part of a resume's failback sync (contracts/pool-v1.ts PoolFailbackSync). */
export interface FailbackOrder {
  readonly standbyNodeId: string;
  readonly cameraIds: readonly string[];
  readonly fromMs: number;
  readonly toMs: number;
  /** The standby is the server's hot standby: it records the cameras on after its release. */
  readonly standbyRecordsOn: boolean;
}

export interface PoolEvent {
  readonly kind: string;
  readonly severity: EventSeverity;
  /** The protected server it is about; null: the pool as a whole. */
  readonly nodeId: string | null;
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
export function sweep(given: SweepInput): SweepOutput {
  // Each server with the cameras it is known to have, whatever its latest report lists.
  const input: SweepInput = { ...given, servers: given.servers.map((s) => withKnownCameras(s, given.states.get(s.nodeId) ?? supervisorInitial)) };
  const { nowMs } = input;
  const standbys = new Map(input.standbys.map((s) => [s.nodeId, s]));
  const leaseOf = new Map(input.leases.map((l) => [l.standbyNodeId, l]));
  const holding = new Map(input.leases.filter((l) => holds(l) && l.protectedNodeId !== null).map((l) => [l.protectedNodeId as string, l]));
  const syncing = new Map(input.leases.filter((l) => l.state === 'syncing-back' && l.protectedNodeId !== null).map((l) => [l.protectedNodeId as string, l]));
  const cooldowns = new Map([...input.cooldowns].filter(([, untilMs]) => untilMs > nowMs));
  const out: SweepOutput = { states: new Map(), leaseMoves: [], orders: [], events: [], cooldowns };
  const say: Say = (server, kind, severity, message, data = {}) => {
    out.events.push({ kind, severity, nodeId: server.nodeId, message: message.slice(0, 2048), data });
  };
  const failures: { protectedNodeId: string; failedAtMs: number }[] = [];
  // A replaced server's id, as a standby holding its identity still reports it, stands for the server that replaced it.
  const replacedBy = new Map<string, string>();
  for (const server of input.servers) for (const id of input.states.get(server.nodeId)?.replacedNodeIds ?? []) replacedBy.set(id, server.nodeId);
  const isServer = (server: SupervisedServer, reportedId: string | null): boolean => reportedId !== null && (reportedId === server.nodeId || replacedBy.get(reportedId) === server.nodeId);

  for (const server of input.servers) {
    let st = input.states.get(server.nodeId) ?? supervisorInitial;
    const reported = server.reportedCameraIds ?? [];
    if (reported.length > 0 && !sameIds(reported, st.knownCameraIds ?? null)) st = { ...st, knownCameraIds: [...reported].slice(0, poolCamerasMax) };
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
      st = { ...st, health, served: { standbyNodeId: lease.standbyNodeId, epoch: lease.epoch, serving: false, fromMs: lease.sinceMs, cameraIds }, stop: null, resume: { standbyNodeId: lease.standbyNodeId, resumeEpoch: null }, waiting: null, failback: st.failback ?? null, hot: st.hot ?? null, starting: null };
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
    if ((st.roleSwitch ?? null) !== null) st = followRoleSwitch(server, st, seen, nowMs, out, say);
    // Until its agent serves its role, its reports are a standby's: its health waits (it neither fails over nor fails back).
    const switching = (st.roleSwitch ?? null) !== null;
    const starting = st.starting ?? null;
    if (starting !== null && (seen.recorderRunning || nowMs - starting >= resumeStartGraceMs)) st = { ...st, starting: null };
    const masked = lease !== undefined || st.resume !== null || (st.starting ?? null) !== null;
    const observation = masked ? { ...seen, recorderRunning: true, storageOk: true } : seen;
    const step = switching ? { state: st.health, actions: [] } : stepProtected(st.health, observation, input.settings, nowMs);
    st = { ...st, health: step.state };
    for (const action of step.actions) {
      if (action.kind === 'failover-needed') say(server, 'pool.failover-needed', 'warning', `${server.name}: failed (${action.trigger}); failover is manual: start it`, { trigger: action.trigger });
      if (action.kind === 'recovered') say(server, 'pool.recovered', 'info', `${server.name}: healthy for the hold-down; stop its failover when ready`, {});
      if (action.kind === 'stop-failover' && lease !== undefined && st.stop === null) st = { ...st, stop: input.failbackRecordings };
    }

    if (lease !== undefined) {
      const r = standby?.reachable === true ? standby.pool : null;
      const reportsThis = r !== null && isServer(server, r.protectedNodeId) && r.epoch === lease.epoch;
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
    } else if (st.resume !== null && !switching) {
      // Resumed only once the standby reports that it gave the identity and endpoint back.
      const holder = standbys.get(st.resume.standbyNodeId);
      const givenBack = holder !== undefined && holder.reachable && holder.pool !== null && !(reportsHolding(holder) && isServer(server, holder.pool.protectedNodeId)) && holder.pool.state !== 'releasing';
      if (givenBack) {
        const { resumeEpoch } = st.resume;
        // The failover window ends where the standby is first seen to have given the identity back.
        if (st.failback !== undefined && st.failback !== null && st.failback.toMs === null) st = { ...st, failback: { ...st.failback, toMs: nowMs } };
        if (resumeEpoch === null) out.leaseMoves.push({ kind: 'resume-epoch', protectedNodeId: server.nodeId });
        else if (seen.servingEpoch !== null && seen.servingEpoch >= resumeEpoch) {
          say(server, 'pool.resumed', 'info', `${server.name}: serves its cameras again under epoch ${seen.servingEpoch}`, { epoch: seen.servingEpoch });
          st = { ...st, resume: null, starting: seen.recorderRunning ? null : nowMs };
        } else out.orders.push({ kind: 'resume', protectedNodeId: server.nodeId, epoch: resumeEpoch, failbackSync: failbackOrder(server, st.failback ?? null, syncing.get(server.nodeId), standbys) });
      }
    }
    st = followFailback(server, st, syncing.get(server.nodeId), seen, { nowMs, stallMs: (input.failbackStallMinutes ?? failbackStallMinutesDefault) * 60_000 }, out, say);

    // Failed, nobody holds it: it needs a standby (automatically, or an operator starts it).
    if (st.health.kind === 'failed' && lease === undefined && !switching && input.settings.failover === 'automatic') {
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
    if (l !== undefined && holds(l) && l.epoch === s.pool.epoch && (l.protectedNodeId === s.pool.protectedNodeId || (s.pool.protectedNodeId !== null && replacedBy.get(s.pool.protectedNodeId) === l.protectedNodeId))) continue;
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

  followHotStandbys(input, standbys, leaseOf, out, say);
  const returned = controllerReturned(input, holding, syncing, out.states);
  if (returned !== null) out.events.push(returned);
  return out;
}

/** The server with the cameras it was last reported to have added (`full`, named as camera_pair names them, else by id) to those it has now: a report made while its recorder is down lists none. */
function withKnownCameras(server: SupervisedServer, st: SupervisorState): SupervisedServer {
  const known = (server.reportedCameraIds?.length ?? 0) > 0 ? [] : (st.knownCameraIds ?? []);
  if (known.length === 0) return server;
  const have = new Set(server.cameras.map((c) => c.deviceId));
  const added = known.filter((id) => !have.has(id)).map((id) => ({ deviceId: id, name: server.cameraNames?.get(id) ?? id, level: 'full' as const }));
  return added.length === 0 ? server : { ...server, cameras: [...server.cameras, ...added].slice(0, poolCamerasMax) };
}

const sameIds = (a: readonly string[], b: readonly string[] | null): boolean => b !== null && a.length === b.length && a.every((id, i) => id === b[i]);

/** The delay before a hot standby that failed `failures` times is ordered again: doubling, spread per standby so that a pool's standbys do not retry in step. */
export function hotRetryDelayMs(failures: number, standbyNodeId: string): number {
  const base = Math.min(hotRetryMsMax, hotRetryMsMin * 2 ** Math.min(Math.max(0, failures - 1), 16));
  let hash = 0;
  for (const ch of `${standbyNodeId}:${failures}`) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return Math.round(base / 2 + ((hash % 1000) / 1000) * (base / 2));
}

/**
 * A replacement not switched yet: its agent reporting `poolProtected` ends it
 * (`pool.replacement-completed`); while it reports a standby's status it is ordered to become
 * the protected server; a failure it reports (failed, or a `switch-role` error while serving) is
 * said once (`pool.replacement-failed`) and ordered again after a backoff, as a hot standby's.
 */
function followRoleSwitch(server: SupervisedServer, st: SupervisorState, seen: ServerObservation, nowMs: number, out: SweepOutput, say: Say): SupervisorState {
  const rs = st.roleSwitch ?? null;
  if (rs === null) return st;
  if (seen.agentRole === 'protected') {
    say(server, 'pool.replacement-completed', 'info', `${server.name}: its agent is this pool's protected server now, with the identity of ${rs.replacedName}, which it replaced`, { replacedNodeId: rs.replacedNodeId, epoch: rs.epoch });
    return { ...st, roleSwitch: null };
  }
  if (seen.agentRole !== 'standby') return st;
  const report = seen.standbyReport ?? null;
  const failedNow = report !== null && (report.state === 'failed' || report.error?.step === 'switch-role');
  let next = rs;
  if (failedNow && !rs.failed && nowMs >= rs.retryAtMs) {
    const failures = rs.failures + 1;
    const retryMs = hotRetryDelayMs(failures, server.nodeId);
    const where = report.error === null ? '' : ` at ${report.error.step}: ${report.error.reason}`;
    say(server, 'pool.replacement-failed', 'error', `${server.name}: its agent failed to become the protected server replacing ${rs.replacedName}${where}; ordered again in ${Math.round(retryMs / 1000)} s`, { replacedNodeId: rs.replacedNodeId, error: report.error, failures });
    next = { ...rs, failures, failed: true, retryAtMs: nowMs + retryMs };
  }
  if (!failedNow || nowMs >= next.retryAtMs) {
    out.orders.push({ kind: 'become-protected', nodeId: server.nodeId, request: { replacedNodeId: rs.replacedNodeId, replacedName: rs.replacedName, sharedAddress: rs.sharedAddress, recorderConfig: { sha256: rs.configSha256 }, epoch: rs.epoch } });
    // Ordered again: a failure its report still shows for hotReportLagMs is the one already said.
    if (failedNow) next = { ...next, failed: false, retryAtMs: nowMs + hotReportLagMs };
  }
  return next === rs ? st : { ...st, roleSwitch: next };
}

/**
 * Hot standbys: each server's, free and not running the server's configuration (or failed, once
 * its backoff passed), is ordered to; one that fails is said once per failure; a standby running
 * a server whose hot standby it is no longer goes back to cold. Not while a lease holds it or this
 * sweep gives it a failed server.
 */
function followHotStandbys(input: SweepInput, standbys: ReadonlyMap<string, SupervisedStandby>, leaseOf: ReadonlyMap<string, LeaseView>, out: SweepOutput, say: Say): void {
  const { nowMs } = input;
  const acquired = new Set(out.leaseMoves.flatMap((m) => (m.kind === 'acquire' ? [m.standbyNodeId] : [])));
  const freeNow = (s: SupervisedStandby | undefined): s is SupervisedStandby & { pool: NonNullable<SupervisedStandby['pool']> } =>
    s !== undefined && s.reachable && s.pool !== null && s.pool.state === 'free' && leaseOf.get(s.nodeId)?.state === 'free' && !acquired.has(s.nodeId);
  const hotOf = new Map<string, string>();
  for (const server of input.servers) {
    const st = out.states.get(server.nodeId) ?? supervisorInitial;
    const standbyNodeId = server.hotStandbyNodeId;
    if (standbyNodeId !== null) hotOf.set(standbyNodeId, server.nodeId);
    if (standbyNodeId === null || server.recorderConfig === null) {
      if ((st.hot ?? null) !== null) out.states.set(server.nodeId, { ...st, hot: null });
      continue;
    }
    const { sha256 } = server.recorderConfig;
    const before = st.hot ?? null;
    let hot: HotFollowed = before !== null && before.standbyNodeId === standbyNodeId && before.configSha256 === sha256 ? before : { standbyNodeId, configSha256: sha256, failures: 0, failed: false, retryAtMs: 0 };
    const standby = standbys.get(standbyNodeId);
    const reported = standby?.reachable === true ? (standby.pool?.hot ?? null) : null;
    const matches = reported !== null && reported.protectedNodeId === server.nodeId && reported.configSha256 === sha256;
    if (matches && reported.state === 'failed' && !hot.failed && nowMs >= hot.retryAtMs) {
      const failures = hot.failures + 1;
      const retryMs = hotRetryDelayMs(failures, standbyNodeId);
      const where = reported.error === null ? '' : ` at ${reported.error.step}: ${reported.error.reason}`;
      say(server, 'pool.hot-standby-failed', 'warning', `${server.name}: hot standby ${standby?.name ?? standbyNodeId} failed to get ready${where}; ordered again in ${Math.round(retryMs / 1000)} s (a takeover by it meanwhile is a cold one)`, { standbyNodeId, configSha256: sha256, error: reported.error, failures });
      hot = { ...hot, failures, failed: true, retryAtMs: nowMs + retryMs };
    } else if (matches && reported.state !== 'failed') hot = { ...hot, failed: false, ...(reported.state === 'ready' ? { failures: 0, retryAtMs: 0 } : {}) };
    const due = !matches || (reported.state === 'failed' && nowMs >= hot.retryAtMs);
    if (due && freeNow(standby) && server.sharedAddress !== null) {
      out.orders.push({ kind: 'hot-standby', standbyNodeId, assignment: assignmentOf(server, server.sharedAddress, server.recorderConfig, standby.cameraCapacity) });
      // A retry is a new attempt: a failure reported once the agent's report caught up with it is another one (its `preparing` may pass between two reports).
      if (matches) hot = { ...hot, failed: false, retryAtMs: nowMs + hotReportLagMs };
    }
    if (serializeHot(hot) !== serializeHot(before)) out.states.set(server.nodeId, { ...st, hot });
  }
  for (const s of input.standbys) {
    const hot = s.pool?.hot ?? null;
    if (hot === null || hot.state === 'restoring' || hotOf.get(s.nodeId) === hot.protectedNodeId || !freeNow(s)) continue;
    out.orders.push({ kind: 'hot-standby', standbyNodeId: s.nodeId, assignment: null });
  }
}

const serializeHot = (hot: HotFollowed | null): string => JSON.stringify(hot);

/**
 * `pool.controller-returned`, once, on the first sweep after no controller swept the pool for
 * longer than the bound: for how long, the takeovers that went on meanwhile (leases holding a
 * server: their standbys ran on their own), and the servers failed now without a standby.
 */
function controllerReturned(input: SweepInput, holding: ReadonlyMap<string, LeaseView>, syncing: ReadonlyMap<string, LeaseView>, states: ReadonlyMap<string, SupervisorState>): PoolEvent | null {
  const last = input.lastSupervisedMs ?? null;
  const boundMs = Math.max(unsupervisedMsMin, input.unsupervisedMsMax ?? 0);
  if (last === null || input.nowMs - last <= boundMs) return null;
  const seconds = Math.round((input.nowMs - last) / 1000);
  const servers = new Map(input.servers.map((s) => [s.nodeId, s]));
  const standbyName = new Map(input.standbys.map((s) => [s.nodeId, s.name ?? s.nodeId]));
  const nameOf = (nodeId: string): string => servers.get(nodeId)?.name ?? nodeId;
  const takeovers = [...holding.values(), ...syncing.values()]
    .map((l) => ({ standbyNodeId: l.standbyNodeId, standbyName: standbyName.get(l.standbyNodeId) ?? l.standbyNodeId, protectedNodeId: l.protectedNodeId as string, protectedName: nameOf(l.protectedNodeId as string), epoch: l.epoch, state: l.state }))
    .sort((a, b) => a.protectedName.localeCompare(b.protectedName));
  const waiting = input.servers
    .filter((s) => !holding.has(s.nodeId) && states.get(s.nodeId)?.health.kind === 'failed')
    .map((s) => {
      const health = states.get(s.nodeId)?.health as Extract<ProtectedState, { kind: 'failed' }>;
      return { nodeId: s.nodeId, name: s.name, trigger: health.trigger, failedSince: new Date(health.sinceMs).toISOString() };
    });
  const went = takeovers.length === 0 ? 'no takeover was running' : `${takeovers.length === 1 ? 'this takeover' : `these ${takeovers.length} takeovers`} went on: ${takeovers.map((t) => `${t.standbyName} ${t.state} ${t.protectedName} (epoch ${t.epoch})`).join(', ')}`;
  const wait = waiting.length === 0 ? 'no server waits for a standby' : `failed and waiting for a standby now: ${waiting.map((w) => w.name).join(', ')}`;
  return {
    kind: 'pool.controller-returned',
    severity: waiting.length === 0 ? 'info' : 'warning',
    nodeId: null,
    message: `a controller supervises the pool again after ${seconds} s without one (no new failover could start meanwhile); ${went}; ${wait}`.slice(0, 2048),
    data: { unsupervisedSeconds: seconds, takeovers, waiting },
  };
}

type Say = (server: SupervisedServer, kind: string, severity: EventSeverity, message: string, data?: Record<string, unknown>) => void;

const waitingWords: Readonly<Record<string, string>> = {
  'no-standby-free': 'no standby of its groups is free',
  'no-failover-group': 'it has no failover group and no hot standby',
  'unknown-server': 'it is not a protected server of the pool',
  'failback-pending': 'its last standby still holds what it recorded for the failback sync (finish failback first)',
  'no-recorder-config': 'its RecorderConfig.xml never reached the controller',
  'no-shared-address': 'it registered no shared address',
};

/** The server waits for a standby; said once per reason. */
function waitFor(server: SupervisedServer, st: SupervisorState, reason: string, say: Say): SupervisorState {
  if (st.waiting === reason) return st;
  say(server, 'pool.failover-waiting', 'error', `${server.name}: failed and waits for a standby: ${waitingWords[reason] ?? reason}`, { reason });
  return { ...st, waiting: reason };
}

/** The resume's failback sync: the `full` cameras the standby took over, and the window; null without a sync to run. */
function failbackOrder(server: SupervisedServer, failback: FailbackFollowed | null, syncingLease: LeaseView | undefined, standbys: ReadonlyMap<string, SupervisedStandby>): FailbackOrder | null {
  if (failback === null || failback.toMs === null || syncingLease?.standbyNodeId !== failback.standbyNodeId) return null;
  // As taken over; a state stored before that was kept: what it would take over now.
  const cameraIds = failback.cameraIds ?? camerasTakenOver(server.cameras, standbys.get(failback.standbyNodeId)?.cameraCapacity ?? 0).taken.filter((c) => c.level === 'full').map((c) => c.deviceId);
  return { standbyNodeId: failback.standbyNodeId, cameraIds: [...cameraIds], ...failbackWindow(failback.fromMs, failback.toMs), standbyRecordsOn: server.hotStandbyNodeId === failback.standbyNodeId };
}

/** The window is the controller's clock, the blocks carry the recorders': the margin takes their skew (the standby recorded these cameras only while it served). */
function failbackWindow(fromMs: number, toMs: number): { fromMs: number; toMs: number } {
  return { fromMs: Math.max(0, fromMs - failbackClockMarginMs), toMs: toMs + failbackClockMarginMs };
}

/**
 * The failback sync once the server resumed: its agent's report of it done frees the standby
 * (`pool.failback-synced`, said once, the move repeated until the lease left); failed is said
 * once and the standby stays held for an operator's finish-failback. A sync whose bytes done do
 * not change for stallMs (counted from the release while no report of it came) is said stalled
 * once (`pool.failback-sync-stalled`): a standby gone for good would hold its lease silently;
 * progress again clears it. Followed until no lease holds the standby for it any more.
 */
function followFailback(server: SupervisedServer, st: SupervisorState, syncingLease: LeaseView | undefined, seen: ServerObservation, time: { readonly nowMs: number; readonly stallMs: number }, out: SweepOutput, say: Say): SupervisorState {
  const failback = st.failback ?? null;
  if (failback === null) return st;
  if (syncingLease?.standbyNodeId !== failback.standbyNodeId) return st.resume === null ? { ...st, failback: null } : st;
  if (failback.toMs === null) return st;
  const ordered = failbackWindow(failback.fromMs, failback.toMs);
  const given = seen.failbackSync ?? null;
  const reported = st.resume === null && given !== null && given.standbyNodeId === failback.standbyNodeId && given.fromMs === ordered.fromMs && given.toMs === ordered.toMs ? given : null;
  if (reported === null || (reported.state !== 'done' && reported.state !== 'failed')) {
    const stalled = failbackStall(server, failback, reported, ordered, time, say);
    return stalled === failback ? st : { ...st, failback: stalled };
  }
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

/** followFailback's stall rule: the failback as followed next (the same object when nothing changed). */
function failbackStall(server: SupervisedServer, failback: FailbackFollowed, reported: PoolFailbackSyncStatus | null, window: { fromMs: number; toMs: number }, time: { readonly nowMs: number; readonly stallMs: number }, say: Say): FailbackFollowed {
  const progress = failback.progress ?? null;
  if (reported !== null && reported.bytesDone !== progress?.bytesDone) {
    // Progress kept at most once a minute (the state is written when it changes): a stall is said up to a minute late, never early.
    if (progress !== null && failback.stalled !== true && time.nowMs - progress.sinceMs < failbackProgressKeptMs) return failback;
    return { ...failback, progress: { bytesDone: reported.bytesDone, sinceMs: time.nowMs }, stalled: false };
  }
  const sinceMs = progress?.sinceMs ?? (failback.toMs as number);
  if (failback.stalled === true || time.nowMs - sinceMs < time.stallMs) return failback;
  const minutes = Math.round((time.nowMs - sinceMs) / 60_000);
  const period = `${new Date(window.fromMs).toISOString()} to ${new Date(window.toMs).toISOString()}`;
  const done = reported === null ? 'its agent reports no sync of it' : `${reported.bytesDone} of ${reported.bytesTotal} bytes synced, ${reported.state}`;
  say(server, 'pool.failback-sync-stalled', 'warning', `${server.name}: the failback sync from standby ${failback.standbyNodeId} made no progress for ${minutes} min (${done}); what it recorded from ${period} is still only on the standby, which stays held: finish failback frees it and discards that`, { standbyNodeId: failback.standbyNodeId, fromMs: window.fromMs, toMs: window.toMs, bytesDone: reported?.bytesDone ?? null, bytesTotal: reported?.bytesTotal ?? null, state: reported?.state ?? null, stalledMinutes: minutes });
  return { ...failback, stalled: true };
}

function takeoverOrder(server: SupervisedServer, lease: LeaseView, capacity: number): TakeoverOrderRequest | null {
  if (server.recorderConfig === null || server.sharedAddress === null) return null;
  return { ...assignmentOf(server, server.sharedAddress, server.recorderConfig, capacity), epoch: lease.epoch };
}

/** What a standby takes of the server, hot or on takeover: its identity, endpoint and the cameras within its capacity (`none` never). */
function assignmentOf(server: SupervisedServer, sharedAddress: string, recorderConfig: RecorderConfigRef, capacity: number): HotAssignmentOrder {
  const { taken } = camerasTakenOver(server.cameras, capacity);
  return {
    protectedNodeId: server.nodeId,
    protectedName: server.name,
    sharedAddress,
    recorderConfig: { sha256: recorderConfig.sha256 },
    cameras: taken.map((c) => ({ deviceId: c.deviceId, level: c.level === 'live-only' ? 'live-only' : 'full' })),
  };
}

/**
 * The supervisor state a replacing node starts with: the replaced server's (its failover as it
 * was, its cameras known), the role switch to order, and the replaced id as an alias. Replaced by
 * another standby than the serving one (`served`), it is a failed-over server from now (failed,
 * its hold-down counted once its agent switched); the serving standby serves on (protected).
 *
 * @example replacementState(stateOfRs1, { nodeId: rs1, name: 'rs-1', sharedAddress, configSha256, lease: servingLease, served: true, nowMs }).roleSwitch?.epoch   // the lease's epoch
 */
export function replacementState(replaced: SupervisorState, r: { readonly nodeId: string; readonly name: string; readonly sharedAddress: string; readonly configSha256: string; readonly lease: LeaseView; readonly served: boolean; readonly nowMs: number }): SupervisorState {
  const roleSwitch: RoleSwitchFollowed = { replacedNodeId: r.nodeId, replacedName: r.name, sharedAddress: r.sharedAddress, configSha256: r.configSha256, epoch: r.lease.epoch, failures: 0, failed: false, retryAtMs: 0 };
  const replacedNodeIds = [...(replaced.replacedNodeIds ?? []), r.nodeId].slice(-8);
  const base = { ...supervisorInitial, knownCameraIds: replaced.knownCameraIds ?? null, roleSwitch, replacedNodeIds };
  if (!r.served) return base;
  const trigger = 'trigger' in replaced.health ? replaced.health.trigger : 'disconnected';
  const { standbyNodeId, epoch, sinceMs } = r.lease;
  return {
    ...replaced,
    ...base,
    health: { kind: 'failed', trigger, sinceMs: r.nowMs },
    served: replaced.served?.standbyNodeId === standbyNodeId && replaced.served.epoch === epoch ? replaced.served : { standbyNodeId, epoch, serving: true, fromMs: sinceMs },
    resume: { standbyNodeId, resumeEpoch: null },
    stop: null,
    failback: null,
    hot: null,
    starting: null,
  };
}

/**
 * What of an agent's report the pool supervisor acts on, as a string that changes when that does
 * (a protected server's recorder, storage, serving epoch and failback sync; a standby's state,
 * takeover and hot state); null for an agent not in a pool. The shell sweeps soon after it changes.
 *
 * @example poolReportSignal({ …, poolProtected: { state: 'serving', … }, health: { recorderUp: false, … } }) // 'protected:down:ok:…'
 */
export function poolReportSignal(status: Pick<NodeStatus, 'health' | 'service' | 'serving' | 'epoch' | 'pool' | 'poolProtected'>): string | null {
  if (status.poolProtected !== undefined) {
    const recorder = status.health.recorderUp && status.service === 'running' ? 'up' : 'down';
    return `protected:${recorder}:${status.health.storageOk ? 'ok' : 'bad'}:${status.serving ? status.epoch : '-'}:${status.poolProtected.state}:${status.poolProtected.failbackSync?.state ?? '-'}`;
  }
  if (status.pool !== undefined) {
    const { state, protectedNodeId, epoch, hot } = status.pool;
    return `standby:${state}:${protectedNodeId ?? '-'}:${epoch}:${hot === null || hot === undefined ? '-' : `${hot.protectedNodeId}:${hot.configSha256}:${hot.state}`}`;
  }
  return null;
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
    const { served = null, stop = null, resume = null, waiting = null, failback = null, hot = null, starting = null, knownCameraIds = null, roleSwitch = null, replacedNodeIds = null, ...health } = value;
    // A replacement's fields only where set: states stored without them read back unchanged.
    const replacement = { ...(roleSwitch === null ? {} : { roleSwitch }), ...(replacedNodeIds === null ? {} : { replacedNodeIds }) };
    return { health: health as unknown as ProtectedState, served, stop, resume, waiting, failback, hot, starting, knownCameraIds, ...replacement } as SupervisorState;
  } catch {
    return supervisorInitial;
  }
}

export type { PoolTrigger };
