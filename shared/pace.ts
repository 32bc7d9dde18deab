// Long synchronous work (the agent folding a storage's indexes, the controller rebuilding the
// Device Overview) cut into slices of a few milliseconds, with a turn of the event loop between
// them, so that heartbeats, probes and requests are never held up by more than a slice; and
// stopped between slices when its signal aborts (the process is closing).
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** A slice runs this long before the event loop gets a turn. */
export const defaultSliceMs = 4;

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

  constructor(
    readonly signal?: AbortSignal,
    private readonly sliceMs = defaultSliceMs,
  ) {}

  /** Turns given to the event loop so far. */
  get turns(): number {
    return this.turnsTaken;
  }

  /** True once the current slice has run its time. */
  due(): boolean {
    return performance.now() - this.sliceStartMs >= this.sliceMs;
  }

  /** Gives the event loop a turn and starts a new slice; throws the signal's reason once it has aborted. */
  async turn(): Promise<void> {
    this.signal?.throwIfAborted();
    await nextTurn();
    this.turnsTaken += 1;
    this.signal?.throwIfAborted();
    this.sliceStartMs = performance.now();
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
