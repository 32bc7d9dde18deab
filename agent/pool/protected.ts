// A failover pool's protected recording server, its agent's core (issue 17), pure in the decision
// core's shape: explicit inputs (the agent's start, the controller's resume orders, what the
// endpoint answered a claim, the recorder service's state, each step's result) → the next state,
// the answer to an order, and the one step to run next. No I/O, no clock reads: the shell
// (protected-service.ts) carries the steps out and persists the state after every transition.
//
// It has no twin. It holds its own serving endpoint under the pool's epochs (1 until its first
// resume, contracts/pool-v1.ts) and claims it again and again while serving; a claim refused
// because a standby holds a higher epoch fences it: its recorder is stopped and kept stopped, for
// a server the controller failed over does not run beside the standby that took its identity
// over (a hot standby records beside a server that serves, never the other way). Only a resume under an epoch above
// every epoch it saw makes it serve again. It never starts its recorder on its own otherwise: a
// recorder that stopped while serving is the controller's to act on (the pool's `serviceDown`
// trigger), and starting it could run it beside a standby taking its identity over.
import type { PoolProtectedState, PoolProtectedStatus, PoolRefusalReason } from '../../contracts/pool-v1.js';
import type { ServiceStatus } from '../shell/ports.js';

/** What the shell can be asked to do; each is idempotent, so a step re-run after a restart does no harm. */
export type ProtectedStep = 'persist-epoch' | 'claim-endpoint' | 'start-recorder' | 'stop-recorder';

/** A resume: the epoch made durable first, then the endpoint claimed under it, then the recorder started. */
export const resumeSteps: readonly ProtectedStep[] = ['persist-epoch', 'claim-endpoint', 'start-recorder'];
/** Fenced: the recorder stopped (again, whenever it is seen running). */
export const fenceSteps: readonly ProtectedStep[] = ['stop-recorder'];

export interface ProtectedState {
  readonly phase: PoolProtectedState;
  /** The epoch it holds (or held) its endpoint under: 1 until a resume; never decreases. */
  readonly epoch: number;
  /** The highest epoch it has seen anywhere (its own, a fencing claim's, a resume's): a resume must be above it. */
  readonly epochSeenMax: number;
  /** The endpoint's epoch that fenced it; null unless fenced. */
  readonly fencedByEpoch: number | null;
  /** The step the shell carries out now, and the sequence it belongs to; null: none. */
  readonly running: { readonly step: ProtectedStep; readonly of: 'resume' | 'fence' } | null;
  /** The steps after `running`, in order. */
  readonly remaining: readonly ProtectedStep[];
  /** Wall-clock ms when `phase` was entered. */
  readonly sinceMs: number;
  readonly error: { readonly step: ProtectedStep; readonly reason: string } | null;
}

export type ProtectedInput =
  /** The agent started with this state loaded (or a fresh one): a step that was running did not finish. */
  | { readonly kind: 'started'; readonly atMs: number }
  | { readonly kind: 'resume'; readonly atMs: number; readonly epoch: number }
  /** A claim under `epoch` (the watch's, or the resume's `claim-endpoint`) was refused: the endpoint holds `currentEpoch`. */
  | { readonly kind: 'claim-refused'; readonly atMs: number; readonly epoch: number; readonly currentEpoch: number }
  /** What the service manager says of the recorder now. */
  | { readonly kind: 'service'; readonly atMs: number; readonly status: ServiceStatus }
  | { readonly kind: 'step-done'; readonly atMs: number; readonly step: ProtectedStep }
  | { readonly kind: 'step-failed'; readonly atMs: number; readonly step: ProtectedStep; readonly reason: string };

/** The answer to a resume; null for every other input. `repeat`: the same resume was taken before, nothing new starts. */
export type ProtectedAnswer =
  | { readonly accepted: true; readonly repeat: boolean }
  | { readonly accepted: false; readonly reason: Extract<PoolRefusalReason, 'epoch-fenced' | 'busy'>; readonly detail: string };

export interface ProtectedStepResult {
  readonly state: ProtectedState;
  readonly answer: ProtectedAnswer | null;
  /** The step to run now (at most one; the shell feeds its result back), or null. */
  readonly run: ProtectedStep | null;
}

/** The epoch a protected server that never resumed claims its endpoint under (contracts/pool-v1.ts). */
export const firstEpoch = 1;

/** A protected server that never resumed: serving under epoch 1, until a claim says otherwise. */
export function initialProtectedState(atMs: number): ProtectedState {
  return { phase: 'serving', epoch: firstEpoch, epochSeenMax: firstEpoch, fencedByEpoch: null, running: null, remaining: [], sinceMs: atMs, error: null };
}

/**
 * The state a standby that replaced a protected server starts with (contracts/pool-v1.ts
 * become-protected): the standby that served it serves on under its takeover's `epoch`; any other
 * starts fenced by that epoch (its recorder stopped), never having held the endpoint, until the
 * controller's resume (above `epoch`) after the failback.
 *
 * @example replacementProtectedState(0, 7, false)   // { phase: 'fenced', epoch: 1, epochSeenMax: 7, fencedByEpoch: 7, … }
 */
export function replacementProtectedState(atMs: number, epoch: number, serving: boolean): ProtectedState {
  if (serving) return { phase: 'serving', epoch, epochSeenMax: epoch, fencedByEpoch: null, running: null, remaining: [], sinceMs: atMs, error: null };
  return { phase: 'fenced', epoch: firstEpoch, epochSeenMax: Math.max(firstEpoch, epoch), fencedByEpoch: epoch, running: null, remaining: [], sinceMs: atMs, error: null };
}

/** Whether the shell should claim the endpoint again now (the watch): only while serving, with no step under way. */
export function watchesEndpoint(state: ProtectedState): boolean {
  return state.phase === 'serving' && state.running === null;
}

/**
 * One input in, the next state out.
 *
 * @example
 *   let r = stepProtected(initialProtectedState(0), { kind: 'claim-refused', atMs: 1, epoch: 1, currentEpoch: 2 });   // fenced, run: 'stop-recorder'
 *   r = stepProtected(r.state, { kind: 'resume', atMs: 2, epoch: 3 });   // resuming, once the stop ends: 'persist-epoch'
 */
export function stepProtected(state: ProtectedState, input: ProtectedInput): ProtectedStepResult {
  switch (input.kind) {
    case 'started':
      return started(state, input.atMs);
    case 'resume':
      return resume(state, input.epoch, input.atMs);
    case 'claim-refused':
      return claimRefused(state, input.epoch, input.currentEpoch, input.atMs);
    case 'service':
      return serviceSeen(state, input.status);
    case 'step-done':
      return stepEnded(state, input.step, null, input.atMs);
    case 'step-failed':
      return stepEnded(state, input.step, input.reason, input.atMs);
  }
}

/** The status the agent shows (`GET /api/v1/pool`) and reports (`poolProtected`). */
export function protectedStatus(state: ProtectedState): PoolProtectedStatus {
  return { state: state.phase, epoch: state.epoch, fencedByEpoch: state.phase === 'fenced' ? state.fencedByEpoch : null, since: new Date(state.sinceMs).toISOString(), error: state.error };
}

function started(state: ProtectedState, atMs: number): ProtectedStepResult {
  // A fenced server makes sure its recorder is stopped; a resume cut short claims again under its (durable) epoch.
  if (state.phase === 'fenced') return begin({ ...state, running: null, remaining: [] }, 'fence', fenceSteps, state.sinceMs);
  if (state.phase === 'resuming') return begin({ ...state, running: null, remaining: [] }, 'resume', ['claim-endpoint', 'start-recorder'], atMs);
  // Serving: the shell's watch claims at once. Failed: waits for a resume.
  return unchanged({ ...state, running: null, remaining: [] }, null);
}

function resume(state: ProtectedState, epoch: number, atMs: number): ProtectedStepResult {
  if (epoch === state.epoch && (state.phase === 'resuming' || state.phase === 'serving') && state.fencedByEpoch === null && epoch > firstEpoch) {
    return unchanged(state, { accepted: true, repeat: true });
  }
  const above = Math.max(state.epoch, state.epochSeenMax, state.fencedByEpoch ?? 0);
  if (epoch <= above) return refused(state, 'epoch-fenced', `epoch ${epoch} is not above ${above}, the highest this protected server has seen`);
  if (state.running?.of === 'resume') return refused(state, 'busy', `a resume under epoch ${state.epoch} is in progress; retry when it ends`);
  const next: ProtectedState = { ...state, epoch, epochSeenMax: epoch, fencedByEpoch: null, error: null };
  if (state.running !== null) {
    // The fence's stop runs: it ends first (its outcome no longer matters), then the resume.
    return { state: { ...next, phase: 'resuming', remaining: resumeSteps, sinceMs: atMs }, answer: { accepted: true, repeat: false }, run: null };
  }
  return { ...begin(next, 'resume', resumeSteps, atMs), answer: { accepted: true, repeat: false } };
}

function claimRefused(state: ProtectedState, epoch: number, currentEpoch: number, atMs: number): ProtectedStepResult {
  // A refusal of an epoch this server no longer holds (a claim answered after a resume began) says nothing about the new one.
  if (epoch !== state.epoch) return unchanged(state, null);
  const epochSeenMax = Math.max(state.epochSeenMax, currentEpoch);
  if (state.phase === 'fenced') return unchanged({ ...state, epochSeenMax, fencedByEpoch: Math.max(state.fencedByEpoch ?? 0, currentEpoch) }, null);
  if (state.phase === 'failed') return unchanged({ ...state, epochSeenMax }, null);
  // Serving (the watch) or resuming (its own claim, or a watch's answer late): someone holds the endpoint; this recorder stops.
  const fenced: ProtectedState = { ...state, phase: 'fenced', epochSeenMax, fencedByEpoch: currentEpoch, running: null, remaining: [], sinceMs: atMs, error: null };
  if (state.running !== null && state.running.step !== 'claim-endpoint') {
    // A resume step still runs (not the claim): overtaken, it ends first, whatever its outcome, then the stop.
    return { state: { ...fenced, running: state.running, remaining: fenceSteps }, answer: null, run: null };
  }
  return begin(fenced, 'fence', fenceSteps, atMs);
}

function serviceSeen(state: ProtectedState, status: ServiceStatus): ProtectedStepResult {
  // Started by someone else (an operator, the service manager's recovery) while fenced: stopped again.
  if (state.phase === 'fenced' && state.running === null && (status === 'running' || status === 'starting')) return begin(state, 'fence', fenceSteps, state.sinceMs);
  return unchanged(state, null);
}

function stepEnded(state: ProtectedState, step: ProtectedStep, failure: string | null, atMs: number): ProtectedStepResult {
  const running = state.running;
  if (running === null || running.step !== step) return unchanged(state, null); // stale: not the step running
  const sequence = state.phase === 'resuming' ? 'resume' : state.phase === 'fenced' ? 'fence' : null;
  // A step overtaken by another sequence: its outcome does not matter, the new sequence follows.
  const overtaken = running.of !== sequence;
  if (failure !== null && !overtaken) {
    if (running.of === 'fence') {
      // Still fenced: the next sight of the recorder running stops it again.
      return unchanged({ ...state, running: null, remaining: [], error: { step, reason: failure } }, null);
    }
    return { state: { ...state, phase: 'failed', running: null, remaining: [], sinceMs: atMs, error: { step, reason: failure } }, answer: null, run: null };
  }
  const [next, ...rest] = state.remaining;
  if (next !== undefined && sequence !== null) return { state: { ...state, running: { step: next, of: sequence }, remaining: rest, ...(failure === null && sequence === 'fence' ? { error: null } : {}) }, answer: null, run: next };
  if (state.phase === 'resuming') return { state: { ...state, phase: 'serving', running: null, remaining: [], sinceMs: atMs, error: null }, answer: null, run: null };
  return unchanged({ ...state, running: null, remaining: [], ...(failure === null && running.of === 'fence' ? { error: null } : {}) }, null);
}

function begin(state: ProtectedState, of: 'resume' | 'fence', steps: readonly ProtectedStep[], atMs: number): ProtectedStepResult {
  const [first, ...rest] = steps;
  if (first === undefined) throw new Error('a sequence needs a step');
  const phase: PoolProtectedState = of === 'resume' ? 'resuming' : 'fenced';
  return { state: { ...state, phase, running: { step: first, of }, remaining: rest, sinceMs: phase === state.phase ? state.sinceMs : atMs }, answer: null, run: first };
}

function unchanged(state: ProtectedState, answer: ProtectedAnswer | null): ProtectedStepResult {
  return { state, answer, run: null };
}

function refused(state: ProtectedState, reason: 'epoch-fenced' | 'busy', detail: string): ProtectedStepResult {
  return { state, answer: { accepted: false, reason, detail }, run: null };
}
