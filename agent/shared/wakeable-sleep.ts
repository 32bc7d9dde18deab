// A sleep that can be cut short: the agent's loops wait between rounds, and a change (a config
// file written, a stop, a new event to report) should not wait for the rest of the interval.
// A wake that comes while nobody sleeps (the loop is mid-round) is kept for the next sleep:
// the round may have looked before the change, and dropping the wake would make the change
// wait a whole interval (a backfill audit that missed new placeholders, seen in CI).
export class WakeableSleep {
  private readonly sleepers = new Set<() => void>();
  private wokenWhileAwake = false;

  /** Resolves after `ms`, or sooner at wakeAll(); at once if a wake came since the last sleep. */
  sleep(ms: number): Promise<void> {
    if (this.wokenWhileAwake) {
      this.wokenWhileAwake = false;
      return Promise.resolve();
    }
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

  /** Ends every sleep under way now; with none under way, the next sleep ends at once. */
  wakeAll(): void {
    if (this.sleepers.size === 0) {
      this.wokenWhileAwake = true;
      return;
    }
    for (const done of [...this.sleepers]) done();
  }
}
