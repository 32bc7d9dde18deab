// Which controller the agent talks to, of the ones agent.yaml lists (controllers sharing one
// database, issue 19). Pure: the link feeds it each outcome and does what it says. One
// controller at a time, the first that answers; a failed request moves on to the next in order,
// at once, so that a Serving node's reports keep being acknowledged within its window; once
// every controller failed in a row the link waits (the report pace, or the registration's
// backoff with jitter) before the next round. It never moves while its controller answers:
// after moving away from the first URL it comes back to it only through the rotation, so two
// answering controllers never take turns.

/** The registration's backoff after a round in which every controller failed: 500 ms, doubling, up to 30 s, ±25 % jitter. */
export const registerBackoffMsMin = 500;
export const registerBackoffMsMax = 30_000;
const jitterShare = 0.25;

export interface RotationState {
  /** The index, in agent.yaml's order, of the controller in use. */
  readonly index: number;
  /** Failed requests since the last answer, over every controller. */
  readonly failedInRow: number;
  /** The registration's next backoff, before jitter. */
  readonly backoffMs: number;
}

export interface Failure {
  /** Controllers listed (1 to 8). */
  readonly count: number;
  readonly phase: 'register' | 'report';
  /** False when another controller would answer the same (the request itself was refused): stay. */
  readonly rotate: boolean;
  /** A uniform random number in [0, 1), for the jitter. */
  readonly random: number;
}

export interface FailureStep {
  readonly state: RotationState;
  /** The controller the next request goes to, when it is another one. */
  readonly movedTo: number | null;
  /**
   * Before the next request: 0, at once (another controller is still untried in this round);
   * `pace`, the report interval as usual; else the registration's backoff in ms.
   */
  readonly wait: number | 'pace';
  /** Every controller failed since the last answer: the outage the link logs once. */
  readonly allFailed: boolean;
  /** Still the first round of this outage: a move worth one log line (later rounds move silently). */
  readonly firstRound: boolean;
}

export const initialRotation: RotationState = { index: 0, failedInRow: 0, backoffMs: registerBackoffMsMin };

/**
 * The controller to use after a request that failed.
 *
 * @example
 *   afterFailure(initialRotation, { count: 2, phase: 'report', rotate: true, random: 0.5 })
 *   // { state: { index: 1, failedInRow: 1, … }, movedTo: 1, wait: 0, allFailed: false, firstRound: true }
 */
export function afterFailure(s: RotationState, f: Failure): FailureStep {
  if (!Number.isInteger(f.count) || f.count < 1) throw new RangeError(`controllers listed: ${f.count}`);
  const failedInRow = s.failedInRow + 1;
  const firstRound = failedInRow <= f.count;
  const moves = f.rotate && f.count > 1;
  const index = moves ? (s.index + 1) % f.count : s.index;
  // A round ends once as many requests failed as there are controllers, or on a refusal every controller would repeat.
  const roundOver = !moves || failedInRow % f.count === 0;
  const allFailed = failedInRow >= f.count || !moves;
  if (!roundOver) return { state: { ...s, index, failedInRow }, movedTo: index, wait: 0, allFailed, firstRound };
  if (f.phase === 'report') return { state: { ...s, index, failedInRow }, movedTo: moves ? index : null, wait: 'pace', allFailed, firstRound };
  const jitter = 1 - jitterShare + f.random * 2 * jitterShare;
  return { state: { index, failedInRow, backoffMs: Math.min(registerBackoffMsMax, s.backoffMs * 2) }, movedTo: moves ? index : null, wait: Math.round(s.backoffMs * jitter), allFailed, firstRound };
}

/** An answer: stay with this controller, and start the next outage's backoff afresh. */
export function afterAnswer(s: RotationState): RotationState {
  return s.failedInRow === 0 && s.backoffMs === registerBackoffMsMin ? s : { index: s.index, failedInRow: 0, backoffMs: registerBackoffMsMin };
}
