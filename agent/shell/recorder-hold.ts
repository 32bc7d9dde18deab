// The agent's own holds on the recorder: while config sync applies a clone, the recorder is
// stopped on purpose, and supervision must not report that stop to the core as one "on its own".

/** Counts the holds under way; `held` while there is at least one. */
export class RecorderHold {
  private holders = 0;

  get held(): boolean {
    return this.holders > 0;
  }

  /**
   * @example
   *   await hold.around(async () => { await service.stop(); write(); await service.start(); });
   */
  async around<T>(work: () => Promise<T>): Promise<T> {
    this.holders += 1;
    try {
      return await work();
    } finally {
      this.holders -= 1;
    }
  }
}
