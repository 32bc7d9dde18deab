// The pool standby's takeover core (issue 17), pure in the decision core's shape: explicit
// inputs (the controller's takeover and release orders, the result of each step the shell ran,
// a restart) → the next state, the answer to an order, and the one step to run next. No I/O,
// no clock reads: the shell (standby-service.ts) carries the steps out, one at a time, and
// persists the state after every transition.
//
// Safety, as a pair's core has it: a takeover is taken only with an epoch above every epoch this
// standby persisted (the controller's SQL lease hands them out), the epoch is made durable
// before anything else happens, and a standby serves one protected server at a time.
//
// A hot standby (the `hot-standby` order) runs one protected server's identity while free: its
// steps never touch the endpoint nor the epoch, so only a takeover (with an epoch) claims. A
// takeover of that server with the configuration the recorder runs skips the stop, clone, start
// and wait; its release only gives the endpoint back.
//
// Replacement (`become-protected`): a free, idle, cold standby stops its recorder, takes the
// replaced server's identity and switches its role for good (`switch-role`: the shell persists
// it and restarts the agent as a protected server's); the standby serving that server under the
// order's epoch only switches its role, serving on. After the switch this core is done.
import type { PoolCamera, PoolHotState, PoolHotStatus, PoolRefusalReason, PoolStandbyState, PoolStandbyStatus } from '../../contracts/pool-v1.js';

/** What the shell can be asked to do; each is idempotent, so a step re-run after a restart does no harm. */
export type StandbyStep =
  | 'persist-epoch'
  | 'stop-recorder'
  | 'apply-config'
  | 'start-recorder'
  | 'wait-healthy'
  | 'claim-endpoint'
  | 'release-endpoint'
  | 'restore-config'
  /** Persists the role switch (the protected server's state and the role file): the last step of a replacement. */
  | 'switch-role';

/** A takeover: stop, take the protected server's identity (clone), start, wait until it records, point the endpoint here. */
export const takeoverSteps: readonly StandbyStep[] = ['persist-epoch', 'stop-recorder', 'apply-config', 'start-recorder', 'wait-healthy', 'claim-endpoint'];
/** A new epoch for the server already served with the same configuration: only fence with it. */
export const refenceSteps: readonly StandbyStep[] = ['persist-epoch', 'claim-endpoint'];
/** A release: give the endpoint back, then return to the standby's own identity. */
export const releaseSteps: readonly StandbyStep[] = ['release-endpoint', 'stop-recorder', 'restore-config', 'start-recorder'];
/** The release of a hot standby's own server: the recorder keeps running its identity, hot. */
export const hotReleaseSteps: readonly StandbyStep[] = ['release-endpoint'];
/** A hot standby made ready: its recorder runs the protected server's cloned identity and records its cameras (no endpoint, no epoch). */
export const hotPrepareSteps: readonly StandbyStep[] = ['stop-recorder', 'apply-config', 'start-recorder', 'wait-healthy'];
/** A hot standby made cold again: its own configuration back, byte for byte. */
export const hotRestoreSteps: readonly StandbyStep[] = ['stop-recorder', 'restore-config', 'start-recorder'];
/** A free standby replacing a protected server: stopped, the identity taken (its recorder stays stopped: it starts fenced), the role switched. */
export const becomeProtectedSteps: readonly StandbyStep[] = ['stop-recorder', 'apply-config', 'switch-role'];
/** The standby serving the replaced server: it runs the identity and holds the endpoint already. */
export const becomeServingSteps: readonly StandbyStep[] = ['switch-role'];

/** The protected server this standby takes over, as the controller ordered it (the configuration's bytes stay with the shell). */
export interface Assignment {
  readonly protectedNodeId: string;
  readonly protectedName: string;
  readonly epoch: number;
  readonly sharedAddress: string;
  /** SHA-256 of the protected server's RecorderConfig.xml. */
  readonly configSha256: string;
  readonly cameras: readonly PoolCamera[];
}

/** What a hot standby keeps ready: a takeover order without the epoch (the configuration's bytes stay with the shell). */
export type HotAssignment = Omit<Assignment, 'epoch'>;

export interface HotStandby {
  readonly assignment: HotAssignment;
  /** ready: the recorder runs `assignment`'s identity, healthy; preparing, restoring: on the way (also while a takeover of another server keeps it from it); failed: a step failed. */
  readonly state: PoolHotState;
  readonly error: { readonly step: StandbyStep; readonly reason: string } | null;
  /** Ordered cold again: once its steps (or a release's) restored the own configuration, the hot standby is gone. */
  readonly leaving: boolean;
}

/** The sequences the shell runs: a takeover, a release, a hot standby's prepare (`hot`) or restore (`cold`), a replacement (`become`). */
export type StandbySequence = 'takeover' | 'release' | 'hot' | 'cold' | 'become';

/** A replacement as ordered (the configuration's bytes stay with the shell). */
export interface RoleSwitchOrder {
  readonly replacedNodeId: string;
  readonly replacedName: string;
  readonly sharedAddress: string;
  readonly configSha256: string;
  /** The serving lease's epoch: fenced below it (a free standby), or serving on under it (the serving standby). */
  readonly epoch: number;
}

export interface RoleSwitch extends RoleSwitchOrder {
  /** The standby serves the replaced server under `epoch`: it switches serving. */
  readonly serving: boolean;
  /** `switch-role` is done: the shell restarts the agent as a protected server's. */
  readonly done: boolean;
}

export interface StandbyState {
  readonly phase: PoolStandbyState;
  /** The highest epoch this standby accepted; never decreases. The shell persists it before acting (`persist-epoch`). */
  readonly epochMax: number;
  /** The server taken over (or being taken over, released, or failed); null exactly when free. */
  readonly assignment: Assignment | null;
  /** The step the shell carries out now, and the sequence it belongs to; null: none. */
  readonly running: { readonly step: StandbyStep; readonly of: StandbySequence } | null;
  /** The steps after `running`, in order. */
  readonly remaining: readonly StandbyStep[];
  /** Wall-clock ms when `phase` was entered. */
  readonly sinceMs: number;
  readonly error: { readonly step: StandbyStep; readonly reason: string } | null;
  /** The last release carried to its end: its retry is answered as done. */
  readonly released: { readonly protectedNodeId: string; readonly epoch: number } | null;
  /** The hot standby assignment; null: a cold standby. Kept through takeovers and releases. */
  readonly hot: HotStandby | null;
  /** A replacement under way (or failed, or done); null: none. Absent in states written before replacements. */
  readonly switching?: RoleSwitch | null;
}

export type StandbyInput =
  | { readonly kind: 'takeover'; readonly atMs: number; readonly order: Assignment }
  | { readonly kind: 'release'; readonly atMs: number; readonly protectedNodeId: string; readonly epoch: number }
  /** Hot for `assignment`'s server, or (null) cold again. */
  | { readonly kind: 'hot-standby'; readonly atMs: number; readonly assignment: HotAssignment | null }
  /** Replace `order.replacedNodeId` for good: become the pool's protected server with its identity. */
  | { readonly kind: 'become-protected'; readonly atMs: number; readonly order: RoleSwitchOrder }
  | { readonly kind: 'step-done'; readonly atMs: number; readonly step: StandbyStep }
  | { readonly kind: 'step-failed'; readonly atMs: number; readonly step: StandbyStep; readonly reason: string }
  /** The agent started with this state loaded: a step that was running did not finish. */
  | { readonly kind: 'restarted'; readonly atMs: number };

/** The answer to an order; null for the shell's own inputs. `repeat`: the same order was taken before, nothing new starts. */
export type StandbyAnswer =
  | { readonly accepted: true; readonly repeat: boolean }
  | { readonly accepted: false; readonly reason: PoolRefusalReason; readonly detail: string };

export interface StandbyStepResult {
  readonly state: StandbyState;
  readonly answer: StandbyAnswer | null;
  /** The step to run now (at most one; the shell feeds its result back), or null. */
  readonly run: StandbyStep | null;
}

/** A standby that never took anything over. */
export function initialStandbyState(atMs: number, epochMax = 0): StandbyState {
  return { phase: 'free', epochMax, assignment: null, running: null, remaining: [], sinceMs: atMs, error: null, released: null, hot: null, switching: null };
}

/**
 * One input in, the next state out.
 *
 * @example
 *   let r = stepStandby(initialStandbyState(0), { kind: 'takeover', atMs: 1, order });   // run: 'persist-epoch'
 *   r = stepStandby(r.state, { kind: 'step-done', atMs: 2, step: 'persist-epoch' });   // run: 'stop-recorder'
 */
export function stepStandby(state: StandbyState, input: StandbyInput): StandbyStepResult {
  switch (input.kind) {
    case 'takeover':
      return takeover(state, input.order, input.atMs);
    case 'release':
      return release(state, input.protectedNodeId, input.epoch, input.atMs);
    case 'hot-standby':
      return hotStandby(state, input.assignment);
    case 'become-protected':
      return becomeProtected(state, input.order, input.atMs);
    case 'step-done':
      return stepEnded(state, input.step, null, input.atMs);
    case 'step-failed':
      return stepEnded(state, input.step, input.reason, input.atMs);
    case 'restarted':
      return restarted(state, input.atMs);
  }
}

/** The status the standby shows (`GET /api/v1/pool`). */
export function standbyStatus(state: StandbyState): PoolStandbyStatus {
  return {
    state: state.phase,
    protectedNodeId: state.assignment?.protectedNodeId ?? state.switching?.replacedNodeId ?? null,
    epoch: state.assignment?.epoch ?? state.switching?.epoch ?? state.epochMax,
    since: new Date(state.sinceMs).toISOString(),
    error: state.error,
    hot: hotStatus(state.hot),
  };
}

function hotStatus(hot: HotStandby | null): PoolHotStatus | null {
  return hot === null ? null : { protectedNodeId: hot.assignment.protectedNodeId, configSha256: hot.assignment.configSha256, state: hot.state, error: hot.error };
}

/** The recorder runs `order`'s server with `order`'s configuration already, healthy: a takeover only fences and claims. */
function hotFor(state: StandbyState, order: HotAssignment): boolean {
  const hot = state.hot;
  return hot !== null && !hot.leaving && hot.state === 'ready' && hot.assignment.protectedNodeId === order.protectedNodeId && hot.assignment.configSha256 === order.configSha256;
}

function takeover(state: StandbyState, order: Assignment, atMs: number): StandbyStepResult {
  if ((state.switching ?? null) !== null) return refused(state, 'busy', switchingDetail(state));
  const current = state.assignment;
  if (current !== null && current.protectedNodeId === order.protectedNodeId && current.epoch === order.epoch) {
    return unchanged(state, { accepted: true, repeat: true });
  }
  if (order.epoch <= state.epochMax) {
    return refused(state, 'epoch-fenced', `epoch ${order.epoch} is not above ${state.epochMax}, the highest this standby accepted`);
  }
  if (current === null) {
    if (state.running !== null) {
      // A hot standby's step runs: it ends first (a stop or start is not cut short), then the takeover runs in full.
      const hot = state.hot === null ? null : { ...state.hot, state: notReady(state.hot) };
      return { state: { ...state, phase: 'taking-over', epochMax: order.epoch, assignment: order, remaining: takeoverSteps, sinceMs: atMs, error: null, hot }, answer: { accepted: true, repeat: false }, run: null };
    }
    return begin(state, order, 'taking-over', hotFor(state, order) ? refenceSteps : takeoverSteps, 'takeover', atMs);
  }
  if (current.protectedNodeId !== order.protectedNodeId) {
    return refused(state, 'busy', `this standby ${state.phase === 'failed' ? 'failed taking over' : 'serves'} ${current.protectedName} (epoch ${current.epoch}); release it first`);
  }
  // The same server under a newer lease.
  if (state.running !== null || state.phase === 'releasing') {
    return refused(state, 'busy', `a ${state.phase === 'releasing' ? 'release' : 'takeover'} of ${current.protectedName} is in progress; retry when it ends`);
  }
  const steps = (state.phase === 'serving' && current.configSha256 === order.configSha256) || hotFor(state, order) ? refenceSteps : takeoverSteps;
  return begin(state, order, 'taking-over', steps, 'takeover', atMs);
}

function release(state: StandbyState, protectedNodeId: string, epoch: number, atMs: number): StandbyStepResult {
  if ((state.switching ?? null) !== null) return refused(state, 'busy', switchingDetail(state));
  const current = state.assignment;
  if (current === null) {
    const repeat = state.released !== null && state.released.protectedNodeId === protectedNodeId && state.released.epoch === epoch;
    return repeat ? unchanged(state, { accepted: true, repeat: true }) : refused(state, 'not-assigned', 'this standby serves no protected server');
  }
  if (current.protectedNodeId !== protectedNodeId) return refused(state, 'not-assigned', `this standby serves ${current.protectedName}, not ${protectedNodeId}`);
  if (epoch < current.epoch) return refused(state, 'epoch-fenced', `epoch ${epoch} is below ${current.epoch}, the takeover's`);
  if (epoch > current.epoch) return refused(state, 'not-assigned', `this standby took ${current.protectedName} over under epoch ${current.epoch}, not ${epoch}`);
  if (state.phase === 'releasing') return unchanged(state, { accepted: true, repeat: true });
  if (state.running !== null) {
    // A takeover step is running: it ends first, then the release runs whatever it did.
    return { state: { ...state, phase: 'releasing', remaining: releaseStepsFor(state, current), sinceMs: atMs, error: null }, answer: { accepted: true, repeat: false }, run: null };
  }
  return begin(state, current, 'releasing', releaseStepsFor(state, current), 'release', atMs);
}

/** A hot standby's own server, run as ordered: only the endpoint goes back; otherwise the own identity comes back too. */
function releaseStepsFor(state: StandbyState, current: Assignment): readonly StandbyStep[] {
  return hotFor(state, current) ? hotReleaseSteps : releaseSteps;
}

function hotStandby(state: StandbyState, assignment: HotAssignment | null): StandbyStepResult {
  if ((state.switching ?? null) !== null) return refused(state, 'busy', switchingDetail(state));
  const hot = state.hot;
  const idle = state.phase === 'free' && state.running === null;
  if (assignment === null) {
    if (hot === null || (hot.leaving && hot.state === 'restoring')) return unchanged(state, { accepted: true, repeat: true });
    if (!idle) return refused(state, 'busy', busyDetail(state));
    return beginHot(state, { ...hot, state: 'restoring', error: null, leaving: true }, 'cold', { accepted: true, repeat: false });
  }
  const same = hot !== null && !hot.leaving && hot.assignment.protectedNodeId === assignment.protectedNodeId && hot.assignment.configSha256 === assignment.configSha256;
  if (same && (hot.state === 'ready' || (hot.state === 'preparing' && !idle))) {
    // Nothing to run; the cameras and names may have changed with the same file.
    return unchanged({ ...state, hot: { ...hot, assignment } }, { accepted: true, repeat: true });
  }
  if (!idle) return refused(state, 'busy', busyDetail(state));
  return beginHot(state, { assignment, state: 'preparing', error: null, leaving: false }, 'hot', { accepted: true, repeat: false });
}

/**
 * Replacement: a free, idle, cold standby takes the identity and switches fenced; the standby
 * serving that server under that epoch switches serving. The same order again is a repeat,
 * unless it failed (then it runs again).
 */
function becomeProtected(state: StandbyState, order: RoleSwitchOrder, atMs: number): StandbyStepResult {
  const switching = state.switching ?? null;
  if (switching !== null) {
    const same = switching.replacedNodeId === order.replacedNodeId && switching.epoch === order.epoch && switching.configSha256 === order.configSha256;
    if (!same) return refused(state, 'busy', switchingDetail(state));
    const failed = state.running === null && !switching.done && state.error !== null;
    if (!failed) return unchanged(state, { accepted: true, repeat: true });
    return beginSwitch({ ...state, error: null }, switching, atMs);
  }
  const current = state.assignment;
  if (current !== null && current.protectedNodeId === order.replacedNodeId && state.phase === 'serving') {
    if (current.epoch !== order.epoch) return refused(state, 'not-assigned', `this standby serves ${current.protectedName} under epoch ${current.epoch}, not ${order.epoch}`);
    if (state.running !== null) return refused(state, 'busy', busyDetail(state));
    return beginSwitch(state, { ...order, serving: true, done: false }, atMs);
  }
  if (state.phase !== 'free' || state.running !== null) return refused(state, 'busy', `${busyDetail(state)}; a standby replaces a protected server only when free or serving it`);
  if (state.hot !== null) return refused(state, 'busy', `this standby is the hot standby of ${state.hot.assignment.protectedName}: make it cold first`);
  return beginSwitch(state, { ...order, serving: false, done: false }, atMs);
}

function beginSwitch(state: StandbyState, switching: RoleSwitch, atMs: number): StandbyStepResult {
  const [first, ...rest] = switching.serving ? becomeServingSteps : becomeProtectedSteps;
  if (first === undefined) throw new Error('a sequence needs a step');
  // The serving standby stays `serving` while it switches: its recorder runs and its endpoint is held throughout.
  const phase = switching.serving ? 'serving' : 'becoming-protected';
  return { state: { ...state, phase, switching, running: { step: first, of: 'become' }, remaining: rest, sinceMs: phase === state.phase ? state.sinceMs : atMs, error: null }, answer: { accepted: true, repeat: false }, run: first };
}

function switchingDetail(state: StandbyState): string {
  const s = state.switching;
  return s === undefined || s === null ? 'no replacement' : `this standby replaces ${s.replacedName} (epoch ${s.epoch})${s.done ? ' and is a protected server now' : ''}`;
}

function busyDetail(state: StandbyState): string {
  if (state.assignment !== null) return `this standby ${state.phase === 'failed' ? 'failed taking over' : state.phase === 'serving' ? 'serves' : state.phase === 'releasing' ? 'releases' : 'takes over'} ${state.assignment.protectedName} (epoch ${state.assignment.epoch}); a hot standby order waits until it is free`;
  return `this standby's hot standby steps run (${state.hot?.state ?? 'none'}${state.hot === null ? '' : `, ${state.hot.assignment.protectedName}`}); retry when they end`;
}

function stepEnded(state: StandbyState, step: StandbyStep, failure: string | null, atMs: number): StandbyStepResult {
  const running = state.running;
  if (running === null || running.step !== step) return unchanged(state, null); // stale: not the step running
  if (running.of === 'hot' || running.of === 'cold') return hotStepEnded(state, running.of, step, failure);
  if (running.of === 'become') return switchStepEnded(state, step, failure, atMs);
  // A takeover step overtaken by a release: its outcome does not matter, the release follows.
  const overtaken = running.of === 'takeover' && state.phase === 'releasing';
  if (failure !== null && !overtaken) {
    return { state: { ...state, phase: 'failed', running: null, remaining: [], sinceMs: atMs, error: { step, reason: failure } }, answer: null, run: null };
  }
  const [next, ...rest] = state.remaining;
  if (next !== undefined) {
    const of = state.phase === 'releasing' ? 'release' : 'takeover';
    return { state: { ...state, running: { step: next, of }, remaining: rest }, answer: null, run: next };
  }
  if (state.phase === 'releasing') {
    const released = state.assignment === null ? state.released : { protectedNodeId: state.assignment.protectedNodeId, epoch: state.assignment.epoch };
    return afterRelease({ ...state, phase: 'free', assignment: null, running: null, remaining: [], sinceMs: atMs, error: null, released });
  }
  // Serving: a full takeover of the hot standby's own server with its configuration leaves the recorder running it, healthy.
  const hot = state.hot;
  const nowHot = hot !== null && !hot.leaving && state.assignment !== null && hot.assignment.protectedNodeId === state.assignment.protectedNodeId && hot.assignment.configSha256 === state.assignment.configSha256;
  return { state: { ...state, phase: 'serving', running: null, remaining: [], sinceMs: atMs, error: null, hot: nowHot ? { ...hot, state: 'ready', error: null } : hot }, answer: null, run: null };
}

/**
 * A replacement's step ended. A failure: a free standby is `failed` (its recorder is stopped, it
 * may run the identity already), the serving one serves on with the error; the same order again
 * retries. The last step done: the switch is made, the shell restarts the agent in its new role.
 */
function switchStepEnded(state: StandbyState, step: StandbyStep, failure: string | null, atMs: number): StandbyStepResult {
  const switching = state.switching ?? null;
  if (switching === null) throw new Error('a replacement step without a replacement');
  if (failure !== null) {
    const phase = switching.serving ? 'serving' : 'failed';
    return { state: { ...state, phase, running: null, remaining: [], sinceMs: phase === state.phase ? state.sinceMs : atMs, error: { step, reason: failure } }, answer: null, run: null };
  }
  const [next, ...rest] = state.remaining;
  if (next !== undefined) return { state: { ...state, running: { step: next, of: 'become' }, remaining: rest }, answer: null, run: next };
  return { state: { ...state, running: null, remaining: [], switching: { ...switching, done: true } }, answer: null, run: null };
}

/**
 * Free again: a hot standby still ready stays so (only the endpoint went back); one the takeover
 * kept from its identity is prepared again at once (its file is on disk); one ordered cold is gone
 * (the release restored the own configuration).
 */
function afterRelease(state: StandbyState): StandbyStepResult {
  const hot = state.hot;
  if (hot === null || hot.state === 'ready') return unchanged(state, null);
  if (hot.leaving) return unchanged({ ...state, hot: null }, null);
  return beginHot(state, { ...hot, state: 'preparing' }, 'hot', null);
}

/** A hot standby's step ended. A takeover or release waiting behind it runs next, whatever the step's outcome. */
function hotStepEnded(state: StandbyState, of: 'hot' | 'cold', step: StandbyStep, failure: string | null): StandbyStepResult {
  const hot = state.hot;
  if (hot === null) throw new Error('a hot standby step without a hot standby');
  const after: HotStandby = failure === null ? hot : { ...hot, state: 'failed', error: { step, reason: failure } };
  const [next, ...rest] = state.remaining;
  if (state.phase !== 'free') {
    if (next === undefined) throw new Error('an order waits behind a hot standby step without its steps');
    return { state: { ...state, hot: after, running: { step: next, of: state.phase === 'releasing' ? 'release' : 'takeover' }, remaining: rest }, answer: null, run: next };
  }
  if (failure !== null) return { state: { ...state, hot: after, running: null, remaining: [] }, answer: null, run: null };
  if (next !== undefined) return { state: { ...state, running: { step: next, of }, remaining: rest }, answer: null, run: next };
  return { state: { ...state, running: null, remaining: [], hot: of === 'hot' ? { ...hot, state: 'ready', error: null } : null }, answer: null, run: null };
}

/** A hot standby that the recorder no longer runs as ordered: prepared again when the standby is free. */
function notReady(hot: HotStandby): PoolHotState {
  return hot.state === 'ready' ? 'preparing' : hot.state;
}

function beginHot(state: StandbyState, hot: HotStandby, of: 'hot' | 'cold', answer: StandbyAnswer | null): StandbyStepResult {
  const [first, ...rest] = of === 'hot' ? hotPrepareSteps : hotRestoreSteps;
  if (first === undefined) throw new Error('a sequence needs a step');
  return { state: { ...state, hot, running: { step: first, of }, remaining: rest }, answer, run: first };
}

function restarted(state: StandbyState, atMs: number): StandbyStepResult {
  if (state.running === null) return unchanged(state, null);
  if (state.running.of === 'become') {
    // Cut short: the replaced server's file was in memory only; the controller's order, sent again, runs it again.
    return switchStepEnded(state, state.running.step, 'the agent restarted while this step ran; the replacement order, sent again, runs it again', atMs);
  }
  if (state.phase === 'releasing' && state.assignment !== null) return begin(state, state.assignment, 'releasing', releaseStepsFor(state, state.assignment), 'release', atMs);
  const { of } = state.running;
  // A hot standby's prepare or restore cut short runs again from its first step (each is idempotent; the file it clones is on disk).
  if (state.phase === 'free' && state.hot !== null && (of === 'hot' || of === 'cold')) return beginHot(state, { ...state.hot, state: of === 'hot' ? 'preparing' : 'restoring' }, of, null);
  const reason = `the agent restarted while this step ran; release, or take over again with a new epoch`;
  return { state: { ...state, phase: 'failed', running: null, remaining: [], sinceMs: atMs, error: { step: state.running.step, reason } }, answer: null, run: null };
}

function begin(state: StandbyState, assignment: Assignment | null, phase: 'taking-over' | 'releasing', steps: readonly StandbyStep[], of: 'takeover' | 'release', atMs: number): StandbyStepResult {
  const [first, ...rest] = steps;
  if (first === undefined || assignment === null) throw new Error('a sequence needs a step and an assignment');
  const epochMax = Math.max(state.epochMax, assignment.epoch);
  // Steps that stop the recorder or change its file leave a hot standby not ready (only the fast ones keep it).
  const keepsHot = steps === refenceSteps || steps === hotReleaseSteps;
  const hot = state.hot === null || keepsHot ? state.hot : { ...state.hot, state: notReady(state.hot) };
  return {
    state: { ...state, phase, epochMax, assignment, running: { step: first, of }, remaining: rest, sinceMs: atMs, error: null, hot },
    answer: { accepted: true, repeat: false },
    run: first,
  };
}

function unchanged(state: StandbyState, answer: StandbyAnswer | null): StandbyStepResult {
  return { state, answer, run: null };
}

function refused(state: StandbyState, reason: PoolRefusalReason, detail: string): StandbyStepResult {
  return { state, answer: { accepted: false, reason, detail }, run: null };
}
