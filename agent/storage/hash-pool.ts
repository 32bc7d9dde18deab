// SHA-256 of block-sized buffers on worker threads, off the agent's event loop. A backfill
// target's read-back hash (lab-format-backfill.ts checkReadBack) was about half of its main
// thread's CPU; on that one thread it ran in series with the socket reads, writes and index
// appends of every other block. Here it runs on a second core while the event loop carries on
// with the next transfer. The CPU per byte is the same (one pass, OpenSSL's): this buys
// parallelism, not fewer cycles.
// A buffer on shared memory (buffer-pool.ts lends such) is hashed where it lies: the job carries
// the SharedArrayBuffer, not a copy. Anything else, small buffers (not worth the hand-off), jobs
// beyond the queue's bound and jobs of a worker that failed or timed out are hashed on the
// calling thread: the answer is the same, only where it is computed differs.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { sha256Hex } from '../../media-store/format.js';

export interface HashPoolOptions {
  /** Worker threads at most (made when first needed). Default: one fewer than the cores, 1 to 2. */
  readonly workersMax?: number;
  /** Jobs in the workers at once, at most; more are hashed on the calling thread. */
  readonly jobsMax?: number;
  /** A job not answered within this is hashed on the calling thread, and its worker replaced. */
  readonly jobTimeoutMs?: number;
  /** A worker idle this long ends (an idle agent holds no thread). */
  readonly idleMsMax?: number;
  /** Buffers shorter than this are hashed on the calling thread. */
  readonly bytesMin?: number;
}

/** How the jobs went: for tests and the bench. */
export interface HashPoolStats {
  readonly inWorkers: number;
  readonly onCaller: number;
  readonly workerFailures: number;
}

// CommonJS run with `eval`: no file to resolve from source or the build, and no loader (tsx) to start.
const workerSource = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
parentPort.on('message', (job) => {
  let sha256 = null;
  try {
    sha256 = createHash('sha256').update(new Uint8Array(job.memory, job.offset, job.length)).digest('hex');
  } catch {}
  parentPort.postMessage({ id: job.id, sha256 });
});
`;

const defaultJobsMax = 64;
const defaultJobTimeoutMs = 30_000;
const defaultIdleMsMax = 30_000;
const defaultBytesMin = 256 * 1024;
/** Workers that failed (an error, an exit, a timeout) before the pool hashes everything on the calling thread. */
const workerFailuresMax = 8;

interface Job {
  readonly id: number;
  readonly bytes: Buffer;
  readonly resolve: (sha256: string) => void;
  readonly timer: NodeJS.Timeout;
}

interface PoolWorker {
  readonly worker: Worker;
  readonly jobs: Map<number, Job>;
  idleTimer: NodeJS.Timeout | null;
}

/**
 * @example
 *   const pool = new HashPool();
 *   const hex = await pool.sha256Hex(bufferPool.take(10_000_000)); // hashed on a worker thread
 */
export class HashPool {
  private readonly workersMax: number;
  private readonly jobsMax: number;
  private readonly jobTimeoutMs: number;
  private readonly idleMsMax: number;
  private readonly bytesMin: number;
  private readonly workers: PoolWorker[] = [];
  private nextId = 1;
  private jobs = 0;
  private failures = 0;
  private counts = { inWorkers: 0, onCaller: 0 };

  constructor(options: HashPoolOptions = {}) {
    this.workersMax = Math.max(0, options.workersMax ?? Math.min(2, Math.max(1, availableParallelism() - 1)));
    this.jobsMax = Math.max(1, options.jobsMax ?? defaultJobsMax);
    this.jobTimeoutMs = Math.max(1, options.jobTimeoutMs ?? defaultJobTimeoutMs);
    this.idleMsMax = Math.max(1, options.idleMsMax ?? defaultIdleMsMax);
    this.bytesMin = Math.max(0, options.bytesMin ?? defaultBytesMin);
  }

  get stats(): HashPoolStats {
    return { ...this.counts, workerFailures: this.failures };
  }

  /** Worker threads running now. */
  get workerCount(): number {
    return this.workers.length;
  }

  /** The SHA-256 of `bytes` (lower-case hex); `bytes` must stay unchanged until it resolves. */
  sha256Hex(bytes: Buffer): Promise<string> {
    const worker = bytes.buffer instanceof SharedArrayBuffer && bytes.length >= this.bytesMin && this.jobs < this.jobsMax ? this.pick() : null;
    if (worker === null) return Promise.resolve(this.onCaller(bytes));
    return new Promise((resolve) => {
      const id = this.nextId++;
      const timer = setTimeout(() => this.failed(worker, new Error(`no answer within ${this.jobTimeoutMs} ms`)), this.jobTimeoutMs);
      worker.jobs.set(id, { id, bytes, resolve, timer });
      this.jobs += 1;
      if (worker.idleTimer !== null) clearTimeout(worker.idleTimer);
      worker.idleTimer = null;
      // Held while it has jobs: a process waiting for a hash does not exit; an idle one may.
      worker.worker.ref();
      worker.worker.postMessage({ id, memory: bytes.buffer, offset: bytes.byteOffset, length: bytes.length });
    });
  }

  /** Ends every worker; jobs in them are hashed on the calling thread. */
  async close(): Promise<void> {
    await Promise.all([...this.workers].map((w) => this.retire(w)));
  }

  private onCaller(bytes: Buffer): string {
    this.counts.onCaller += 1;
    return sha256Hex(bytes);
  }

  /** The worker with the fewest jobs, a new one if all have some and there is room; null when the pool has given up on workers. */
  private pick(): PoolWorker | null {
    if (this.failures >= workerFailuresMax || this.workersMax === 0) return null;
    let best: PoolWorker | null = null;
    for (const w of this.workers) if (best === null || w.jobs.size < best.jobs.size) best = w;
    if (best !== null && (best.jobs.size === 0 || this.workers.length >= this.workersMax)) return best;
    return this.spawn();
  }

  private spawn(): PoolWorker {
    // No execArgv: the agent's own (tsx, a profiler) would load into every worker for nothing.
    const worker = new Worker(workerSource, { eval: true, execArgv: [], stdout: false, stderr: false });
    const entry: PoolWorker = { worker, jobs: new Map(), idleTimer: null };
    worker.unref();
    worker.on('message', (answer: { id: number; sha256: string | null }) => {
      const job = entry.jobs.get(answer.id);
      if (job === undefined) return;
      this.settle(entry, job, answer.sha256 ?? this.onCaller(job.bytes), answer.sha256 !== null);
    });
    worker.on('error', (err) => this.failed(entry, err));
    worker.on('exit', () => this.failed(entry, new Error('the hashing worker exited')));
    this.workers.push(entry);
    return entry;
  }

  private settle(entry: PoolWorker, job: Job, sha256: string, inWorker: boolean): void {
    clearTimeout(job.timer);
    entry.jobs.delete(job.id);
    this.jobs -= 1;
    if (inWorker) this.counts.inWorkers += 1;
    job.resolve(sha256);
    if (entry.jobs.size === 0 && this.workers.includes(entry)) {
      entry.worker.unref();
      entry.idleTimer = setTimeout(() => void this.retire(entry), this.idleMsMax).unref();
    }
  }

  /** A worker that erred, exited or timed out: out of the pool, its jobs hashed here. */
  private failed(entry: PoolWorker, _err: Error): void {
    if (!this.workers.includes(entry)) return;
    this.failures += 1;
    void this.retire(entry);
  }

  private async retire(entry: PoolWorker): Promise<void> {
    const at = this.workers.indexOf(entry);
    if (at === -1) return;
    this.workers.splice(at, 1);
    if (entry.idleTimer !== null) clearTimeout(entry.idleTimer);
    for (const job of [...entry.jobs.values()]) this.settle(entry, job, this.onCaller(job.bytes), false);
    await entry.worker.terminate().catch(() => undefined);
  }
}

let shared: HashPool | null = null;

/** The process's one pool: every storage of an agent shares its threads. */
export function sharedHashPool(): HashPool {
  shared ??= new HashPool();
  return shared;
}
