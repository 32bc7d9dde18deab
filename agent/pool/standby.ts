// The pool standby's takeover core (issue 17), pure in the decision core's shape: explicit
// inputs (the controller's takeover and release orders, the result of each step the shell ran,
// a restart) → the next state, the answer to an order, and the one step to run next. No I/O,
// no clock reads: the shell (standby-service.ts) carries the steps out, one at a time, and
// persists the state after every transition.
//
// Safety, as a pair's core has it: a takeover is taken only with an epoch above every epoch this
// standby persisted (the controller's SQL lease hands them out), the epoch is made durable
// before anything else happens, and a standby serves one protected server at a time.
import type { PoolCamera, PoolRefusalReason, PoolStandbyState, PoolStandbyStatus } from '../../contracts/pool-v1.js';

/** What the shell can be asked to do; each is idempotent, so a step re-run after a restart does no harm. */
export type StandbyStep =
  | 'persist-epoch'
  | 'stop-recorder'
  | 'apply-config'
  | 'start-recorder'
  | 'wait-healthy'
  | 'claim-endpoint'
  | 'release-endpoint'
  | 'restore-config';

/** A takeover: stop, take the protected server's identity (clone), start, wait until it records, point the endpoint here. */
export const takeoverSteps: readonly StandbyStep[] = ['persist-epoch', 'stop-recorder', 'apply-config', 'start-recorder', 'wait-healthy', 'claim-endpoint'];
/** A new epoch for the server already served with the same configuration: only fence with it. */
export const refenceSteps: readonly StandbyStep[] = ['persist-epoch', 'claim-endpoint'];
/** A release: give the endpoint back, then return to the standby's own identity. */
export const releaseSteps: readonly StandbyStep[] = ['release-endpoint', 'stop-recorder', 'restore-config', 'start-recorder'];

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

export interface StandbyState {
  readonly phase: PoolStandbyState;
  /** The highest epoch this standby accepted; never decreases. The shell persists it before acting (`persist-epoch`). */
  readonly epochMax: number;
  /** The server taken over (or being taken over, released, or failed); null exactly when free. */
  readonly assignment: Assignment | null;
  /** The step the shell carries out now, and the sequence it belongs to; null: none. */
  readonly running: { readonly step: StandbyStep; readonly of: 'takeover' | 'release' } | null;
  /** The steps after `running`, in order. */
  readonly remaining: readonly StandbyStep[];
  /** Wall-clock ms when `phase` was entered. */
  readonly sinceMs: number;
  readonly error: { readonly step: StandbyStep; readonly reason: string } | null;
  /** The last release carried to its end: its retry is answered as done. */
  readonly released: { readonly protectedNodeId: string; readonly epoch: number } | null;
}

export type StandbyInput =
  | { readonly kind: 'takeover'; readonly atMs: number; readonly order: Assignment }
  | { readonly kind: 'release'; readonly atMs: number; readonly protectedNodeId: string; readonly epoch: number }
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
  return { phase: 'free', epochMax, assignment: null, running: null, remaining: [], sinceMs: atMs, error: null, released: null };
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
    protectedNodeId: state.assignment?.protectedNodeId ?? null,
    epoch: state.assignment?.epoch ?? state.epochMax,
    since: new Date(state.sinceMs).toISOString(),
    error: state.error,
  };
}

function takeover(state: StandbyState, order: Assignment, atMs: number): StandbyStepResult {
  const current = state.assignment;
  if (current !== null && current.protectedNodeId === order.protectedNodeId && current.epoch === order.epoch) {
    return unchanged(state, { accepted: true, repeat: true });
  }
  if (order.epoch <= state.epochMax) {
    return refused(state, 'epoch-fenced', `epoch ${order.epoch} is not above ${state.epochMax}, the highest this standby accepted`);
  }
  if (current === null) return begin(state, order, 'taking-over', takeoverSteps, 'takeover', atMs);
  if (current.protectedNodeId !== order.protectedNodeId) {
    return refused(state, 'busy', `this standby ${state.phase === 'failed' ? 'failed taking over' : 'serves'} ${current.protectedName} (epoch ${current.epoch}); release it first`);
  }
  // The same server under a newer lease.
  if (state.running !== null || state.phase === 'releasing') {
    return refused(state, 'busy', `a ${state.phase === 'releasing' ? 'release' : 'takeover'} of ${current.protectedName} is in progress; retry when it ends`);
  }
  const steps = state.phase === 'serving' && current.configSha256 === order.configSha256 ? refenceSteps : takeoverSteps;
  return begin(state, order, 'taking-over', steps, 'takeover', atMs);
}

function release(state: StandbyState, protectedNodeId: string, epoch: number, atMs: number): StandbyStepResult {
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
    return { state: { ...state, phase: 'releasing', remaining: releaseSteps, sinceMs: atMs, error: null }, answer: { accepted: true, repeat: false }, run: null };
  }
  return begin(state, current, 'releasing', releaseSteps, 'release', atMs);
}

function stepEnded(state: StandbyState, step: StandbyStep, failure: string | null, atMs: number): StandbyStepResult {
  const running = state.running;
  if (running === null || running.step !== step) return unchanged(state, null); // stale: not the step running
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
    return { state: { ...state, phase: 'free', assignment: null, running: null, remaining: [], sinceMs: atMs, error: null, released }, answer: null, run: null };
  }
  return { state: { ...state, phase: 'serving', running: null, remaining: [], sinceMs: atMs, error: null }, answer: null, run: null };
}

function restarted(state: StandbyState, atMs: number): StandbyStepResult {
  if (state.running === null) return unchanged(state, null);
  if (state.phase === 'releasing') return begin(state, state.assignment, 'releasing', releaseSteps, 'release', atMs);
  const reason = `the agent restarted while this step ran; release, or take over again with a new epoch`;
  return { state: { ...state, phase: 'failed', running: null, remaining: [], sinceMs: atMs, error: { step: state.running.step, reason } }, answer: null, run: null };
}

function begin(state: StandbyState, assignment: Assignment | null, phase: 'taking-over' | 'releasing', steps: readonly StandbyStep[], of: 'takeover' | 'release', atMs: number): StandbyStepResult {
  const [first, ...rest] = steps;
  if (first === undefined || assignment === null) throw new Error('a sequence needs a step and an assignment');
  const epochMax = Math.max(state.epochMax, assignment.epoch);
  return {
    state: { ...state, phase, epochMax, assignment, running: { step: first, of }, remaining: rest, sinceMs: atMs, error: null },
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
