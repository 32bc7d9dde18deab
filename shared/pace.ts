// Long synchronous work (the agent folding a storage's indexes, the controller rebuilding the
// Device Overview) cut into slices of a few milliseconds, with a turn of the event loop between
// them, so that heartbeats, probes and requests are never held up by more than a slice; and
// stopped between slices when its signal aborts (the process is closing).
//
// Under load a turn of the event loop can take far longer than a slice (the controller taking a
// thousand reports a second): work that must still finish (the Device Overview, which every
// request past its staleness waits for) can ask for a share of the time, and its slices then
// grow with the turns, up to a bound.
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** A slice runs this long before the event loop gets a turn. */
export const defaultSliceMs = 4;

export interface PaceShare {
  /** The share of the time (0 < share < 1) the work gets at least, whatever a turn costs. */
  readonly workShareMin: number;
  /** A slice never runs longer than this, however long the turns: what the event loop may be held up by. */
  readonly sliceMsMax: number;
}

/**
 * The slice that gives the work `workShareMin` of the time after a turn of `turnMs`: slice /
 * (slice + turn) = share, so slice = turn × share / (1 − share); never below `sliceMs`, never
 * above `sliceMsMax`.
 *
 * @example sliceMsAfterTurn(60, 4, { workShareMin: 0.25, sliceMsMax: 50 }) // 20
 */
export function sliceMsAfterTurn(turnMs: number, sliceMs: number, share: PaceShare): number {
  return Math.min(share.sliceMsMax, Math.max(sliceMs, (turnMs * share.workShareMin) / (1 - share.workShareMin)));
}

/**
 * The pace of one piece of background work. Call `due()` every few hundred items (it reads the
 * clock) and `await turn()` when it says so; `run()` does both for a stepped computation.
 *
 * @example
 *   const pace = new Pace(signal);
 *   for (const item of items) {
 *     work(item);
 *     if (pace.due()) await pace.turn(); // throws signal.reason once aborted
 *   }
 */
export class Pace {
  private sliceStartMs = performance.now();
  private turnsTaken = 0;
  private sliceMsNow: number;

  constructor(
    readonly signal?: AbortSignal,
    private readonly sliceMs = defaultSliceMs,
    private readonly share?: PaceShare,
  ) {
    if (share !== undefined && !(share.workShareMin > 0 && share.workShareMin < 1 && share.sliceMsMax >= sliceMs)) throw new RangeError('workShareMin must be between 0 and 1, and sliceMsMax at least the slice');
    this.sliceMsNow = sliceMs;
  }

  /** How long the current slice runs: `sliceMs`, or longer after long turns when a share was asked for. */
  get currentSliceMs(): number {
    return this.sliceMsNow;
  }

  /** Turns given to the event loop so far. */
  get turns(): number {
    return this.turnsTaken;
  }

  /** True once the current slice has run its time. */
  due(): boolean {
    return performance.now() - this.sliceStartMs >= this.sliceMsNow;
  }

  /** Gives the event loop a turn and starts a new slice; throws the signal's reason once it has aborted. */
  async turn(): Promise<void> {
    this.signal?.throwIfAborted();
    const turnStartMs = performance.now();
    await nextTurn();
    this.turnsTaken += 1;
    this.signal?.throwIfAborted();
    this.sliceStartMs = performance.now();
    if (this.share !== undefined) this.sliceMsNow = sliceMsAfterTurn(this.sliceStartMs - turnStartMs, this.sliceMs, this.share);
  }

  /** A turn if the slice is used up; the abort check either way (between cameras, chunks). */
  async check(): Promise<void> {
    if (this.due()) await this.turn();
    else this.signal?.throwIfAborted();
  }

  /** After an await that gave the event loop its turn anyway (a file read): a new slice. */
  resumed(): void {
    this.sliceStartMs = performance.now();
  }

  /** Runs a stepped computation (a generator that yields every few hundred items) in slices. */
  async run<T>(steps: Generator<void, T, undefined>): Promise<T> {
    for (;;) {
      const next = steps.next();
      if (next.done === true) return next.value;
      if (this.due()) await this.turn();
    }
  }
}

/** Runs a stepped computation to its end at once (for callers that want the result now). */
export function runToEnd<T>(steps: Generator<void, T, undefined>): T {
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}
