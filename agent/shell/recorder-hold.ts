// The agent's own holds on the recorder: while config sync applies a clone, or backfill places
// placeholders, the recorder is stopped on purpose. Supervision must not report that stop to
// the core as one "on its own", and the core must know of it: a node whose recorder is held
// stopped is no standby to hand the Serving role to (the lab once lost a second on both nodes
// that way: the Serving node's storage filled up during a standby's placeholder window).

/** Counts the holds under way; `held` while there is at least one. */
export class RecorderHold {
  private holders = 0;

  /** `onChange` hears the first hold taken and the last released. */
  constructor(private readonly onChange: (held: boolean) => void = () => {}) {}

  get held(): boolean {
    return this.holders > 0;
  }

  /**
   * @example
   *   await hold.around(async () => { await service.stop(); write(); await service.start(); });
   */
  async around<T>(work: () => Promise<T>): Promise<T> {
    this.holders += 1;
    if (this.holders === 1) this.onChange(true);
    try {
      return await work();
    } finally {
      this.holders -= 1;
      if (this.holders === 0) this.onChange(false);
    }
  }
}
