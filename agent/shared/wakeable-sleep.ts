// A sleep that can be cut short: the agent's loops wait between rounds, and a change (a config
// file written, a stop, a new event to report) should not wait for the rest of the interval.
export class WakeableSleep {
  private readonly sleepers = new Set<() => void>();

  /** Resolves after `ms`, or sooner at wakeAll(). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  /** Ends every sleep under way now. */
  wakeAll(): void {
    for (const done of [...this.sleepers]) done();
  }
}
