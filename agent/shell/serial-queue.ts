// Runs async jobs one at a time, in order: claims and releases of one node must reach the
// endpoint in the order the core decided them. Bounded: a queue that grows past its limit
// means the endpoint is stuck, and the oldest jobs are dropped (newer ones supersede them).
export class SerialQueue {
  private readonly jobs: Array<() => Promise<void>> = [];
  private running: Promise<void> | null = null;

  constructor(private readonly maxJobs = 64) {}

  push(job: () => Promise<void>): void {
    this.jobs.push(job);
    if (this.jobs.length > this.maxJobs) this.jobs.shift();
    if (this.running === null) this.running = this.drain();
  }

  /** Resolves when every queued job has run. */
  async idle(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  private async drain(): Promise<void> {
    for (let job = this.jobs.shift(); job !== undefined; job = this.jobs.shift()) {
      try {
        await job();
      } catch {
        // jobs handle their own errors; a throw here must not stop the queue
      }
    }
    this.running = null;
  }
}
