// The failback sync on a protected recording server (issue 17 §6): a resume that carries
// `failbackSync` (contracts/pool-v1.ts) brings back what the released standby recorded of this
// server's cameras during the failover window. It is the pair's backfill job
// (agent/backfill/backfill-service.ts) with the standby's agent as the peer, seen through
// failback-window.ts's `windowedPeer`: placeholders while the recorder is still stopped (the
// resume's start-recorder step calls `prepareRecorderStart` first), then, the recorder running,
// the blocks fetched in the background, checksummed, within the order's bandwidth, resumable
// from the cursor. The job and its phase are kept in `<stateDir>/pool-failback-sync.json` (temp
// file, fsync, rename) so that a restarted agent goes on: the cursor (`pool-failback-cursor.json`)
// and the storage's index say what is already here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { blockBytesMax } from '../../contracts/backfill-v1.js';
import { poolFailbackSyncSchema, type PoolFailbackSync, type PoolFailbackSyncStatus } from '../../contracts/pool-v1.js';
import { isLoopbackHost } from '../../shared/tls/loopback.js';
import { BackfillService } from '../backfill/backfill-service.js';
import { emptyCursor, saveCursor } from '../backfill/cursor-store.js';
import { BackfillPeerClient } from '../backfill/peer-client.js';
import type { CoreEvent } from '../core/decide.js';
import { WakeableSleep } from '../shared/wakeable-sleep.js';
import type { RecorderService } from '../shell/ports.js';
import { RecorderHold } from '../shell/recorder-hold.js';
import { writeFileDurably } from '../store/durable-file.js';
import { LabFormatBackfill } from '../storage/lab-format-backfill.js';
import { failbackSyncStateOf, windowedPeer } from './failback-window.js';

export const failbackSyncFile = 'pool-failback-sync.json';
export const failbackCursorFile = 'pool-failback-cursor.json';
/** How often the backfill job's progress is read into the sync's status. */
const watchIntervalMs = 1_000;
/** Bound on one request to the standby's agent (a block may crawl through the bandwidth budget). */
const requestTimeoutMs = 60_000;

export interface FailbackSyncOptions {
  readonly stateDir: string;
  /** agent.yaml `storage`: where the window is filled; null: no sync can run (each order fails, saying so). */
  readonly storage: { readonly root: string; readonly retainMinutes: number } | null;
  /** The cluster secret: the standby's backfill source checks it as a pair's does. */
  readonly secret: string;
  /** agent.yaml api.tls.insecurePlainHttp: the secret may go to an http standby beyond loopback. */
  readonly insecurePlainHttp: boolean;
  readonly service: RecorderService;
  readonly emit: (event: CoreEvent) => void;
  readonly log: Logger;
  readonly wallMs?: () => number;
}

type Phase = 'placing' | 'running' | 'done' | 'failed';

interface Job {
  readonly order: PoolFailbackSync;
  readonly phase: Phase;
  readonly startedAtMs: number;
  readonly finishedAtMs: number | null;
  readonly error: string | null;
  /** The progress as last read (kept when done: the job is closed then). */
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly blocksDone: number;
  readonly blocksTotal: number;
}

/**
 * @example
 *   const sync = new FailbackSync({ stateDir, storage: { root, retainMinutes: 1440 }, secret, insecurePlainHttp: false, service, emit, log });
 *   sync.order(resume.failbackSync);   // with an accepted resume
 *   await sync.prepareRecorderStart(); // the resume's start-recorder step, before the start
 *   sync.status()?.state               // 'running', then 'done'
 */
export class FailbackSync {
  private readonly wallMs: () => number;
  private readonly path: string;
  private readonly cursorPath: string;
  private job: Job | null;
  private backfill: BackfillService | null = null;
  private watching: Promise<void> | null = null;
  private readonly sleeper = new WakeableSleep();
  private closed = false;
  /** The job being replaced, closing: a new one starts only after it ended. */
  private closing: Promise<void> = Promise.resolve();

  constructor(private readonly o: FailbackSyncOptions) {
    this.wallMs = o.wallMs ?? Date.now;
    this.path = join(o.stateDir, failbackSyncFile);
    this.cursorPath = join(o.stateDir, failbackCursorFile);
    this.job = loadJob(this.path, o.log);
  }

  /**
   * After a restart: a job that was filling goes on; one still placing waits for the resume's
   * start-recorder step, unless the recorder already serves (placed or not, it fills what it can).
   */
  resumeAfterRestart(serving: boolean): void {
    const job = this.job;
    if (job === null || this.closed) return;
    if (job.phase === 'running' || (job.phase === 'placing' && serving)) {
      if (job.phase === 'placing') saveCursor(this.cursorPath, emptyCursor);
      this.save({ ...job, phase: 'running' });
      this.startFilling();
    }
  }

  /** A resume's failback sync, taken with the resume (a repeat of the current one changes nothing). */
  order(order: PoolFailbackSync): void {
    const current = this.job;
    if (current !== null && sameWindow(current.order, order)) return;
    this.closing = this.stopFilling();
    const refusal = this.refusal(order);
    this.save({ order, phase: refusal === null ? 'placing' : 'failed', startedAtMs: this.wallMs(), finishedAtMs: null, error: refusal, bytesDone: 0, bytesTotal: 0, blocksDone: 0, blocksTotal: 0 });
    const window = `${new Date(order.fromMs).toISOString()} – ${new Date(order.toMs).toISOString()}`;
    if (refusal !== null) this.o.emit({ kind: 'pool.failback-sync-failed', severity: 'error', message: `the failback sync from standby ${order.standbyNodeId} cannot run: ${refusal}`, data: { standbyNodeId: order.standbyNodeId, reason: refusal } });
    else this.o.emit({ kind: 'pool.failback-sync-ordered', severity: 'info', message: `failback sync ordered: ${order.cameraIds.length} camera(s) recorded by standby ${order.standbyNodeId}, ${window}`, data: { standbyNodeId: order.standbyNodeId, cameras: order.cameraIds.length, fromMs: order.fromMs, toMs: order.toMs } });
  }

  /** The resume's start-recorder step, the recorder still stopped: placeholders for the window, then filling once it runs. Never throws. */
  async prepareRecorderStart(): Promise<void> {
    await this.closing;
    const job = this.job;
    if (job === null || job.phase !== 'placing' || this.closed) return;
    // A new job starts from an empty cursor (the previous job's closed and saved its own by now).
    saveCursor(this.cursorPath, emptyCursor);
    const backfill = this.backfillFor(job.order);
    // Bounded by the job itself (30 s), and never failing the start: recording comes first.
    await backfill.prepareRecorderStart();
    this.save({ ...job, phase: 'running' });
    this.startFilling();
  }

  status(): PoolFailbackSyncStatus | null {
    const job = this.job;
    if (job === null) return null;
    const iso = (ms: number): string => new Date(ms).toISOString();
    const { state, error } = job.phase === 'running' && this.backfill !== null ? failbackSyncStateOf(this.backfill.status()) : { state: job.phase, error: job.error };
    return { standbyNodeId: job.order.standbyNodeId, state, bytesDone: job.bytesDone, bytesTotal: job.bytesTotal, blocksDone: job.blocksDone, blocksTotal: job.blocksTotal, fromMs: job.order.fromMs, toMs: job.order.toMs, startedAt: iso(job.startedAtMs), finishedAt: job.finishedAtMs === null ? null : iso(job.finishedAtMs), error: error?.slice(0, 1024) ?? null };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stopFilling();
    await this.closing;
  }

  // ---------------------------------------------------------------------------------------------

  /** Why an order cannot run here; null when it can. */
  private refusal(order: PoolFailbackSync): string | null {
    if (this.o.storage === null) return 'this agent has no storage section (agent.yaml storage): nowhere to fill the failover window';
    const url = new URL(order.agentUrl);
    if (url.protocol === 'https:' && order.certificateFingerprint === null) return "the standby's agent is https and the controller sent no certificate fingerprint to pin: the cluster secret is not sent unpinned";
    if (url.protocol === 'http:' && !this.o.insecurePlainHttp && !isLoopbackHost(url.hostname.replace(/^\[|\]$/g, ''))) return "the standby's agent is plain http beyond loopback: the cluster secret would cross the network in clear (api.tls.insecurePlainHttp accepts it)";
    return null;
  }

  private backfillFor(order: PoolFailbackSync): BackfillService {
    if (this.backfill !== null) return this.backfill;
    const storage = this.o.storage as NonNullable<FailbackSyncOptions['storage']>;
    const peer = new BackfillPeerClient({ baseUrl: order.agentUrl, secret: this.o.secret, timeoutMs: requestTimeoutMs, blockBytesMax, peerFingerprint: () => order.certificateFingerprint });
    this.backfill = new BackfillService({
      storage: new LabFormatBackfill({ root: storage.root }),
      peer: windowedPeer(peer, order),
      cursorPath: this.cursorPath,
      retainMinutes: storage.retainMinutes,
      // Filling always runs (the pool policy chose sync), within the order's budget, at any hour.
      settings: () => ({ mode: 'enabled', bandwidthMbps: order.bandwidthMbps, transfersMax: order.transfersMax, window: null }),
      // Never stops this recorder for a placeholder window: it serves, and nobody serves for it meanwhile.
      isServing: () => true,
      peerServesHealthy: () => false,
      service: this.o.service,
      recorderHold: new RecorderHold(),
      dataComplete: () => {},
      // A released cold standby stopped recording these cameras: nothing would fill a tail. A hot
      // one records on, and holds the seconds this recorder takes to start.
      tailPlaceholders: order.standbyRecordsOn === true,
      emit: this.o.emit,
      log: this.o.log.child({ failbackSync: order.standbyNodeId }),
      wallMs: this.wallMs,
    });
    return this.backfill;
  }

  private startFilling(): void {
    const job = this.job;
    if (job === null || this.watching !== null || this.closed) return;
    const backfill = this.backfillFor(job.order);
    backfill.start(() => null);
    this.watching = this.watch(backfill);
  }

  /** Reads the job's progress every second until it is done (then closes it) or the sync stops. */
  private async watch(backfill: BackfillService): Promise<void> {
    while (!this.closed && this.backfill === backfill) {
      const job = this.job;
      if (job === null || job.phase !== 'running') return;
      const status = backfill.status();
      const progress = { bytesDone: status.bytesDone, bytesTotal: status.bytesTotal, blocksDone: status.blocksDone, blocksTotal: status.blocksTotal };
      if (failbackSyncStateOf(status).state === 'done') {
        this.save({ ...job, ...progress, phase: 'done', finishedAtMs: this.wallMs(), error: null });
        this.o.emit({ kind: 'pool.failback-sync-done', severity: 'info', message: `failback sync from standby ${job.order.standbyNodeId} done: ${status.blocksDone} blocks, ${status.bytesDone} bytes`, data: { standbyNodeId: job.order.standbyNodeId, ...progress, seconds: Math.round((this.wallMs() - job.startedAtMs) / 1000) } });
        this.backfill = null;
        await backfill.close();
        return;
      }
      this.job = { ...job, ...progress };
      await this.sleeper.sleep(watchIntervalMs);
    }
  }

  /** Ends the running job's background work (its cursor saved); the job record stays. */
  private async stopFilling(): Promise<void> {
    const backfill = this.backfill;
    const watching = this.watching;
    this.backfill = null;
    this.watching = null;
    this.sleeper.wakeAll();
    await backfill?.close();
    await watching;
  }

  private save(job: Job): void {
    this.job = job;
    writeFileDurably(this.path, `${JSON.stringify({ version: 1, job })}\n`, 0o600);
  }
}

const sameWindow = (a: PoolFailbackSync, b: PoolFailbackSync): boolean => a.standbyNodeId === b.standbyNodeId && a.fromMs === b.fromMs && a.toMs === b.toMs;

const count = z.number().int().min(0);
const jobFileSchema = z
  .object({
    version: z.literal(1),
    job: z
      .object({
        order: poolFailbackSyncSchema,
        phase: z.enum(['placing', 'running', 'done', 'failed']),
        startedAtMs: z.number().min(0),
        finishedAtMs: z.number().min(0).nullable(),
        error: z.string().max(4096).nullable(),
        bytesDone: count,
        bytesTotal: count,
        blocksDone: count,
        blocksTotal: count,
      })
      .strict(),
  })
  .strict();

/** The persisted job; a missing file is none. An unreadable one is logged and dropped: the controller then sees no sync, and an operator's finish-failback frees the standby. */
function loadJob(path: string, log: Logger): Job | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn({ path, err: (err as Error).message }, 'the failback sync state cannot be read; none is resumed');
    return null;
  }
  try {
    return jobFileSchema.parse(JSON.parse(text)).job;
  } catch {
    log.warn({ path }, 'the failback sync state is not valid; none is resumed');
    return null;
  }
}
