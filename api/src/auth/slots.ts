// A small counting semaphore with a bounded wait queue: at most `concurrentMax` jobs run at
// once, at most `queuedMax` more wait in arrival order, and a job beyond that is refused at once
// (the error of `full`) rather than piling up.

export class Slots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly concurrentMax: number,
    readonly queuedMax: number,
    private readonly full: () => Error,
  ) {
    if (!(Number.isInteger(concurrentMax) && concurrentMax >= 1 && Number.isInteger(queuedMax) && queuedMax >= 0)) throw new RangeError('slots: concurrentMax >= 1, queuedMax >= 0');
  }

  /** Jobs running, and waiting. */
  get load(): { readonly running: number; readonly queued: number } {
    return { running: this.active, queued: this.waiting.length };
  }

  /**
   * Runs `job` in a slot, after waiting for one if need be.
   *
   * @throws the error of `full` (without running `job`) when every slot is taken and the queue is full.
   */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.active < this.concurrentMax) {
      this.active += 1;
    } else {
      if (this.waiting.length >= this.queuedMax) throw this.full();
      // The slot is handed over by release(): `active` stays as it is.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      return await job();
    } finally {
      this.release();
    }
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.active -= 1;
  }
}
