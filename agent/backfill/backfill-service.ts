// The backfill job, the imperative shell around the pure gap audit and planner (audit.ts,
// plan.ts): seed 000's "Step 3: Backfilling". Before the recorder starts it creates
// placeholders for what the peer holds and this node lacks (and for the time until the recorder
// records again); then, in the background, it pulls the peer's blocks over the agent API
// (contracts/backfill-v1.ts), newest first, within the policy's bandwidth, transfers and daily
// window, checks each block's frames as it arrives and its SHA-256 over the file as written and
// read back (which covers the transfer too), and fills the placeholders.
// Every pass audits again, so the storage's index is the truth and a restart of either agent
// continues where it stopped. It also tells the decision core whether this node is complete:
// an automatic failback to it waits for that (invariant 9 of ARCHITECTURE.md).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { defaultBackfillSettings, type BackfillSettings } from '../../contracts/cluster-policy-v1.js';
import { backfillGapsPerCameraMax, type BackfillState, type BackfillStatus } from '../../contracts/controller-v1.js';
import type { CoreEvent } from '../core/decide.js';
import { WakeableSleep } from '../shared/wakeable-sleep.js';
import type { ServiceStatus } from '../shell/ports.js';
import type { RecorderHold } from '../shell/recorder-hold.js';
import type { BackfillStorage, StoredEntry } from '../storage/storage-adapter.js';
import { auditCamera, summarizeAudit, type CameraAudit } from './audit.js';
import { loadCursor, saveCursor, saveCursorInBackground, doneKeysMax, type BackfillCursor } from './cursor-store.js';
import { measureMs, subtract, type Interval } from './intervals.js';
import { mergeNewestFirst, planFills, planPlaceholders, planVoidPlaceholders, type FillTask } from './plan.js';
import { TokenBucket } from './token-bucket.js';

/** What the service needs of the peer agent's backfill API (peer-client.ts). */
export interface BackfillPeer {
  listCameras(): Promise<{ cameraIds: readonly string[]; truncated: boolean }>;
  /** The peer's recorded and filled entries of a camera; sealedEndMs: its newest frame indexed (null: none). */
  allEntries(cameraId: string, entriesMax: number): Promise<{ readonly entries: readonly Omit<StoredEntry, 'state'>[]; readonly sealedEndMs: number | null; readonly truncated: boolean }>;
  /**
   * The block's bytes with the source's SHA-256 of them, their frames as the source says; with
   * `hashOnArrival: false` neither the digest nor the frames' CRCs are checked yet (the storage's
   * fill checks the digest over the file it reads back).
   */
  fetchBlock(request: { cameraId: string; peerBlockStartMs: number; fromMs: number; toMs: number; hashOnArrival: false }): Promise<FetchedPeerBlock>;
}

/** A block as the peer sent it; `release` gives its buffer back once written (peer-client.ts FetchedBlock). */
export interface FetchedPeerBlock {
  readonly bytes: Buffer;
  readonly sha256: string;
  readonly release?: () => void;
}

export interface BackfillServiceOptions {
  readonly storage: BackfillStorage;
  readonly peer: BackfillPeer;
  readonly cursorPath: string;
  /** This node's own retention: nothing older is missing or filled. */
  readonly retainMinutes: number;
  /** The cluster policy's backfill settings now. */
  readonly settings: () => BackfillSettings | null;
  readonly isServing: () => boolean;
  /** The peer serves and is healthy (its heartbeats say so now): only then may a standby stop its recorder for a moment. */
  readonly peerServesHealthy: () => boolean;
  readonly service: { start(): Promise<void>; stop(): Promise<void>; status(): Promise<ServiceStatus> };
  readonly recorderHold: RecorderHold;
  /** Tells the decision core whether this node is complete. */
  readonly dataComplete: (complete: boolean) => void;
  readonly emit: (event: CoreEvent) => void;
  readonly log: Logger;
  readonly wallMs?: () => number;
  readonly camerasMax?: number;
  /**
   * Placeholders up to the recorder's first frame for cameras the peer records now (default
   * true: a pair's peer records on). A failback sync's source (a released pool standby)
   * recorded the cameras until just before: nothing would ever fill such a tail.
   */
  readonly tailPlaceholders?: boolean;
}

/**
 * Time the recorder may take from its start command to its first frame, covered by the tail
 * placeholder. A frame that comes earlier is recorded all the same: the recorder cuts the tail at
 * its first live frame (index op `cut`), so the tail never costs a frame if the peer fails
 * meanwhile. A real Recording Server takes seconds to start; what a slower start leaves
 * uncovered waits for the next stop.
 */
const startAllowanceMs = 10_000;
/** Longest wait after placeholders for the recorder to open its storage before filling anyway. */
const fillsHeldMsMax = 60_000;
/** The whole placeholder step before a start; the recorder starts without placeholders beyond it. */
const placeholderStepMsMax = 30_000;
/** A camera's peer entries read per audit (a day of 10-s blocks is 8,640). */
const peerEntriesPerCameraMax = 200_000;
/** Tolerance of "complete": one block (seed-style 10-s blocks) of a gap no placeholder covers. */
const blockToleranceMs = 10_000;
/** Pieces planned per pass before the next audit. */
const tasksPerPassMax = 512;
/** A piece is tried this often (transit or write checksum failures) before it is given up until a start command. */
const attemptsPerPieceMax = 5;
/**
 * Missing time with no placeholder (in one camera) that makes a standby stop its recorder for a
 * moment to place them. Less (the frame or few by which two recorders started apart) is shown
 * but not worth a stop.
 */
const windowUncoveredMsMin = 2_000;
/** A placeholder window (stop, placeholders, start) on a standby whose recorder was started by hand, at most this often. */
const placeholderWindowIntervalMs = 10 * 60_000;
/** Peer's newest block must be this recent for a tail placeholder: the peer records the camera now. */
const peerRecordingRecentMs = 60_000;
const auditIntervalMs = { busy: 1_000, idle: 5_000 } as const;
/** How long a placeholder may wait for the peer to index blocks for it before it counts as void. */
const peerSealWaitMsMax = 5 * 60_000;
const retryMs = { first: 1_000, max: 30_000 } as const;
const progressEventIntervalMs = 10_000;
/** Keep this much free beyond a block before writing (the recorder needs room too). */
const freeSpaceReserveBytes = 256 * 1024 * 1024;
const rateWindowMs = 10_000;

/** The recorder's view of a storage (GetRecordingStorageStatus). */
export interface StorageState {
  readonly available: boolean;
  readonly freeSpaceBytes: number;
}

type CameraView = { readonly cameraId: string; readonly own: readonly StoredEntry[]; readonly peer: readonly StoredEntry[]; readonly peerSealedEndMs: number | null; readonly audit: CameraAudit };

/**
 * @example
 *   const backfill = new BackfillService({ storage, peer, cursorPath, retainMinutes: 1440, … });
 *   await backfill.prepareRecorderStart(); // placeholders, while the recorder is stopped
 *   backfill.start();                        // the background job
 */
export class BackfillService {
  private readonly wallMs: () => number;
  private readonly sleeper = new WakeableSleep();
  private cursor: BackfillCursor;
  private closed = false;
  private running: Promise<void> | null = null;
  private state: BackfillState = 'idle';
  private reason: string | null = null;
  private audits: readonly CameraView[] = [];
  private auditedAtMs: number | null = null;
  private pendingTasks: readonly FillTask[] = [];
  private bytesPlanned = 0;
  private readonly attempts = new Map<string, number>();
  private readonly givenUp = new Set<string>();
  private readonly doneKeys: Set<string>;
  private readonly completions: { atMs: number; bytes: number }[] = [];
  private bucket: TokenBucket | null = null;
  private failures = 0;
  private lastProgressEventMs = 0;
  private lastWindowMs = -Infinity;
  private reported = new Set<string>();
  private complete: boolean | null = null;
  private storageState: () => StorageState | null = () => null;
  /** After placeholders, no fill until the recorder has opened its storage (its open removes temp files and indexes stray blocks) or this time passed. */
  private fillsHeldUntilMs: number | null = null;

  constructor(private readonly o: BackfillServiceOptions) {
    this.wallMs = o.wallMs ?? Date.now;
    const loaded = loadCursor(o.cursorPath);
    if (loaded.problem !== null) o.log.warn({ problem: loaded.problem }, 'backfill cursor unusable; the storage index says what is filled');
    this.cursor = loaded.cursor;
    this.doneKeys = new Set(this.cursor.job?.doneKeys ?? []);
  }

  private get settings(): BackfillSettings {
    return this.o.settings() ?? defaultBackfillSettings;
  }

  private get retentionStartMs(): number {
    return this.wallMs() - this.o.retainMinutes * 60_000;
  }

  /**
   * Runs while the recorder is stopped, just before the agent starts it: placeholders for what
   * the peer holds and this node lacks, and for the time until the recorder records again.
   * Never throws and never takes longer than placeholderStepMsMax: recording comes first.
   */
  async prepareRecorderStart(): Promise<void> {
    if (this.settings.mode === 'disabled' || this.closed) return;
    this.fillsHeldUntilMs = this.wallMs() + fillsHeldMsMax;
    const step = this.createPlaceholders(startAllowanceMs);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), placeholderStepMsMax);
    });
    try {
      const outcome = await Promise.race([step, timeout]);
      if (outcome === 'timeout') this.warnOnce('placeholder-timeout', 'backfill.placeholders-failed', `placeholders took over ${placeholderStepMsMax / 1000} s: starting the recorder; the rest waits for the next stop`, {});
    } catch (err) {
      this.o.emit({ kind: 'backfill.placeholders-failed', severity: 'warning', message: `no placeholders before the recorder start: ${(err as Error).message}`, data: { reason: (err as Error).message } });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Starts the background job; `storageState` is the recorder's own view of the storage
   * backfill writes to (from the health probe): unavailable or full pauses filling.
   */
  start(storageState: () => StorageState | null): void {
    if (this.running !== null) return;
    this.storageState = storageState;
    this.running = this.loop();
  }

  /** An operator's command (relayed by the controller or given on the local API). */
  command(command: 'backfill-start' | 'backfill-pause' | 'backfill-resume'): { ok: true; result: string } | { ok: false; reason: 'backfill-disabled' } {
    if (command === 'backfill-start') {
      if (this.settings.mode === 'disabled') return { ok: false, reason: 'backfill-disabled' };
      this.givenUp.clear();
      this.attempts.clear();
      this.persist({ ...this.cursor, startRequested: true, operatorPaused: false });
    } else {
      this.persist({ ...this.cursor, operatorPaused: command === 'backfill-pause' });
      if (command === 'backfill-pause') this.o.emit({ kind: 'backfill.paused', severity: 'info', message: 'backfill paused by an operator', data: { reason: 'operator' } });
    }
    this.sleeper.wakeAll();
    return { ok: true, result: command === 'backfill-start' ? 'backfill starting' : command === 'backfill-pause' ? 'backfill paused' : 'backfill resumed' };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.sleeper.wakeAll();
    await this.running;
    await this.backgroundSave;
    this.saveProgress(true);
  }

  /** The node status's `backfill`. */
  status(): BackfillStatus {
    const summary = summarizeAudit(this.audits.map((view) => view.audit));
    const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
    const job = this.cursor.job;
    const rate = this.rateBytesPerSecond();
    const bytesDone = job?.bytesDone ?? 0;
    const bytesTotal = Math.max(bytesDone, bytesDone + this.bytesPlanned);
    const blocksDone = job?.blocksDone ?? 0;
    return {
      mode: this.settings.mode,
      state: this.state,
      reason: this.reason,
      auditedAt: iso(this.auditedAtMs),
      retentionMinutes: this.o.retainMinutes,
      completeSinceAt: iso(summary.missingMs === 0 ? this.retentionStartMs : summary.completeSinceMs),
      missingSeconds: summary.missingMs / 1000,
      dataComplete: this.complete ?? summary.missingMs === 0,
      placeholderSeconds: summary.placeholderMs / 1000,
      camerasAffected: summary.camerasAffected,
      cameras: summary.cameras.slice(0, 4096).map((camera) => ({
        deviceId: camera.cameraId,
        missingSeconds: camera.missingMs / 1000,
        placeholderSeconds: camera.placeholderMs / 1000,
        completeUntilAt: iso(camera.completeUntilMs),
        completeSinceAt: iso(camera.completeSinceMs),
        gaps: camera.missing.slice(-backfillGapsPerCameraMax).reverse().map((gap) => ({ startAt: new Date(gap.startMs).toISOString(), endAt: new Date(gap.endMs).toISOString() })),
      })),
      bytesDone,
      bytesTotal,
      blocksDone,
      blocksTotal: blocksDone + this.pendingTasks.length,
      rateBytesPerSecond: rate,
      etaSeconds: rate > 0 && bytesTotal > bytesDone ? (bytesTotal - bytesDone) / rate : this.pendingTasks.length === 0 ? 0 : null,
      startedAt: job === null ? null : new Date(job.startedAtWallMs).toISOString(),
    };
  }

  // ---------------------------------------------------------------------------------------------

  private async loop(): Promise<void> {
    while (!this.closed) {
      let delayMs: number;
      try {
        delayMs = await this.pass();
        this.failures = 0;
      } catch (err) {
        this.failures += 1;
        delayMs = backoffMs(this.failures);
        const message = (err as Error).message;
        if (isPeerUnavailable(err)) {
          this.setState('waiting-for-peer', `the peer's agent does not answer (${message})`);
        } else {
          this.setState('failed', message);
          this.warnOnce(`failed:${message}`, 'backfill.failed', `backfill pass failed: ${message}`, { reason: message }, 'error');
        }
        this.o.log.warn({ err: message, retryInMs: delayMs }, 'backfill pass failed');
      }
      if (this.closed) break;
      await this.sleeper.sleep(delayMs);
    }
  }

  /** One audit, then what it calls for; returns the time until the next pass. */
  private async pass(): Promise<number> {
    const views = await this.audit();
    this.audits = views;
    this.auditedAtMs = this.wallMs();
    // Disabled: backfill only measures; it writes nothing to the storage.
    if (this.settings.mode !== 'disabled') await this.removeVoidPlaceholders(views);

    const settings = this.settings;
    const tasks = this.plan(views);
    this.pendingTasks = tasks;
    this.bytesPlanned = tasks.reduce((sum, task) => sum + task.bytesEstimate, 0);
    const uncovered = Math.max(0, ...views.map((view) => view.audit.missingMs - view.audit.placeholderMs));
    const pendingPlaceholderMs = views.reduce((sum, view) => sum + measureMs(pendingPlaceholders(view, this.retentionStartMs)), 0);
    // Blocks given up (checks failed five times) are still missing: no failback over them.
    const complete = tasks.length === 0 && this.givenUp.size === 0 && pendingPlaceholderMs === 0 && uncovered <= blockToleranceMs;
    // "Complete" is said after the job's completion event (finishIfDone), so that a failback,
    // which waits for it, never comes before that event.
    if (!complete) this.setComplete(false);

    // Only holes after the node's first recording are worth a stop: before it (a pair whose
    // recorders started apart, a node that joined later) the history waits for its next stop.
    const holes = Math.max(0, ...views.map(holeMs));
    // A window stopped the recorder and placed placeholders: this audit is out of date, look again.
    if (holes >= windowUncoveredMsMin && (await this.placeholdersBlocked(holes))) return auditIntervalMs.busy;
    if (tasks.length === 0) return this.finishIfDone(views, pendingPlaceholderMs, complete);

    const hold = await this.holdReason(settings);
    if (hold !== null) {
      this.setState(hold.state, hold.reason);
      if (hold.state === 'paused') this.warnOnce(`paused:${hold.reason}`, 'backfill.paused', `backfill paused: ${hold.reason}`, { reason: hold.reason }, 'info');
      // Waiting for the recorder to open its storage is a matter of a second or two: look again soon.
      return hold.state === 'planning' ? auditIntervalMs.busy : auditIntervalMs.idle;
    }
    this.forget('paused:');
    await this.transfer(tasks, settings);
    return 0;
  }

  private async audit(): Promise<CameraView[]> {
    if (this.state === 'idle' || this.state === 'done') this.setState('planning', null);
    const camerasMax = this.o.camerasMax ?? 4096;
    const [own, peer] = await Promise.all([this.o.storage.listCameras(camerasMax), this.o.peer.listCameras()]);
    const cameraIds = [...new Set([...own.cameraIds, ...peer.cameraIds])].sort().slice(0, camerasMax);
    const retentionStartMs = this.retentionStartMs;
    const views: CameraView[] = [];
    for (const cameraId of cameraIds) {
      if (this.closed) break;
      const [ownEntries, peerEntries] = await Promise.all([this.o.storage.readEntries(cameraId), this.o.peer.allEntries(cameraId, peerEntriesPerCameraMax)]);
      const peerStored: StoredEntry[] = peerEntries.entries.map((entry) => ({ ...entry, state: 'recorded' }));
      const audit = auditCamera({ cameraId, own: ownEntries, ownUnindexed: [], peer: peerStored, retentionStartMs });
      views.push({ cameraId, own: ownEntries, peer: peerStored, peerSealedEndMs: peerEntries.sealedEndMs, audit });
    }
    return views;
  }

  private plan(views: readonly CameraView[]): FillTask[] {
    const retentionStartMs = this.retentionStartMs;
    const perCamera = views.map((view) => planFills({ cameraId: view.cameraId, own: view.own, peer: view.peer, retentionStartMs, done: this.doneKeys }).filter((task) => !this.givenUp.has(task.key)));
    return mergeNewestFirst(perCamera, tasksPerPassMax);
  }

  /** Placeholders the peer can never fill (between its blocks, or time it did not record either) go, so "complete" can be reached. */
  private async removeVoidPlaceholders(views: readonly CameraView[]): Promise<void> {
    for (const view of views) {
      // A peer that records a camera indexes its blocks within a block's time; one that has not
      // for this long stopped recording it, and what it never indexed will not come.
      const peerSealedEndMs = Math.max(view.peerSealedEndMs ?? 0, this.wallMs() - peerSealWaitMsMax);
      const voids = planVoidPlaceholders({ own: view.own, peer: view.peer, peerSealedEndMs, retentionStartMs: this.retentionStartMs });
      for (const startMs of voids.slice(0, 1000)) await this.o.storage.deletePlaceholder(view.cameraId, startMs);
    }
  }

  private async holdReason(settings: BackfillSettings): Promise<{ state: BackfillState; reason: string } | null> {
    if (settings.mode === 'disabled') return { state: 'idle', reason: 'backfill is disabled by the cluster policy' };
    if (this.fillsHeldUntilMs !== null) {
      if (this.wallMs() < this.fillsHeldUntilMs && !(await this.o.storage.recorderHoldsStorage())) return { state: 'planning', reason: 'waiting for the recorder to open its storage' };
      this.fillsHeldUntilMs = null;
    }
    if (this.cursor.operatorPaused) return { state: 'paused', reason: 'paused by an operator' };
    if (settings.mode === 'placeholders' && !this.cursor.startRequested) return { state: 'idle', reason: 'placeholders mode: filling waits for a start command' };
    if (settings.window !== null && !inWindow(settings.window, new Date(this.wallMs()))) return { state: 'paused', reason: `outside the daily backfill window (${minutes(settings.window.startMinute)}–${minutes(settings.window.endMinute)})` };
    const storage = this.storageState();
    if (storage !== null && !storage.available) return { state: 'paused', reason: 'the recording storage is unavailable' };
    if (storage !== null && storage.freeSpaceBytes < freeSpaceReserveBytes) return { state: 'paused', reason: 'the recording storage is full' };
    return null;
  }

  private finishIfDone(views: readonly CameraView[], pendingPlaceholderMs: number, complete: boolean): number {
    const missing = views.some((view) => view.audit.missingMs > 0);
    // Placeholders the peer has not sealed blocks for yet (the tail up to the recorder's start):
    // the job is not over until they are filled or found void.
    if (pendingPlaceholderMs > 0 && !missing) {
      if (this.cursor.job !== null && this.cursor.job.finishedAtWallMs === null) this.setState('running', `waiting for the peer to index its newest blocks (${(pendingPlaceholderMs / 1000).toFixed(1)} s of placeholders left)`);
      return auditIntervalMs.busy;
    }
    const uncoveredMs = views.reduce((sum, view) => sum + Math.max(0, view.audit.missingMs - view.audit.placeholderMs), 0);
    const job = this.cursor.job;
    // Complete is the node's word to its peer (failback waits for it): the job ends with it, even
    // with a remnant within one block that only the recorder's next stop could fill.
    if (job !== null && job.finishedAtWallMs === null && complete) {
      const remnant = missing ? `; ${(uncoveredMs / 1000).toFixed(1)} s (within one block per camera) wait for the recorder's next stop` : '';
      this.o.emit({ kind: 'backfill.completed', severity: 'info', message: `backfill complete: ${job.blocksDone} blocks, ${formatBytes(job.bytesDone)} copied${remnant}`, data: { jobId: job.id, blocks: job.blocksDone, bytes: job.bytesDone, seconds: Math.round((this.wallMs() - job.startedAtWallMs) / 1000) } });
      this.doneKeys.clear();
      this.persist({ ...this.cursor, startRequested: false, job: { ...job, finishedAtWallMs: this.wallMs(), doneKeys: [] } });
      this.reported.clear();
    }
    if (complete) this.setComplete(true);
    if (this.givenUp.size > 0) {
      this.setState('failed', `${this.givenUp.size} blocks failed their checks; a start command tries them again`);
    } else if (missing) {
      // Filling needs a placeholder, and placeholders need the recorder stopped: say what waits for that.
      const waiting = `${(uncoveredMs / 1000).toFixed(1)} s the peer holds wait for the next stop of this recorder (placeholders are only placed while it is stopped)`;
      if (complete) this.setState('done', waiting);
      else this.setState('idle', waiting);
    } else {
      this.setState('done', null);
    }
    return auditIntervalMs.idle;
  }

  /**
   * Copies the planned pieces, `transfersMax` at a time within the bandwidth budget. Each of the
   * `transfersMax` workers fetches its next block while its last one is written: the write,
   * fsyncs and read-back of a block take longer than its transfer and mostly wait on the disk, so
   * without the overlap the transfers sat idle for most of a block's time. At most `transfersMax`
   * transfers and `transfersMax` writes at once (twice as many blocks in memory).
   */
  private async transfer(tasks: readonly FillTask[], settings: BackfillSettings): Promise<void> {
    if (this.cursor.job === null || this.cursor.job.finishedAtWallMs !== null) {
      const job = { id: randomUUID(), startedAtWallMs: this.wallMs(), bytesDone: 0, blocksDone: 0, finishedAtWallMs: null, doneKeys: [] };
      this.persist({ ...this.cursor, job });
      const missingMs = this.audits.reduce((sum, view) => sum + view.audit.missingMs, 0);
      this.o.emit({ kind: 'backfill.planned', severity: 'info', message: `backfill planned: ${Math.round(missingMs / 1000)} s missing in ${this.audits.filter((view) => view.audit.missingMs > 0).length} cameras, ${tasks.length}${tasks.length === tasksPerPassMax ? '+' : ''} blocks`, data: { jobId: job.id, missingSeconds: missingMs / 1000, blocks: tasks.length, bytes: this.bytesPlanned } });
      this.o.emit({ kind: 'backfill.started', severity: 'info', message: `backfill started from ${this.o.storage.root}'s peer`, data: { jobId: job.id } });
    }
    this.setState('running', null);
    const rate = (settings.bandwidthMbps * 1_000_000) / 8;
    if (this.bucket === null) this.bucket = new TokenBucket(rate, performance.now());
    else if (this.bucket.capacityBytes !== rate) this.bucket.setRate(rate, performance.now());
    const queue = [...tasks];
    let stop: Error | null = null;
    const failed = (task: FillTask, err: unknown): void => {
      if (isPeerUnavailable(err) || isStorageFull(err)) stop ??= err as Error;
      else this.pieceFailed(task, err as Error);
    };
    const worker = async (): Promise<void> => {
      let writing: Promise<void> = Promise.resolve();
      while (queue.length > 0 && stop === null && !this.closed && !this.cursor.operatorPaused) {
        const task = queue.shift() as FillTask;
        let block: FetchedPeerBlock | null;
        try {
          block = await this.fetch(task);
        } catch (err) {
          failed(task, err);
          continue;
        }
        await writing;
        if (block === null) continue;
        if (stop !== null) {
          block.release?.();
          break;
        }
        const fetched = block;
        writing = this.fill(task, fetched).catch((err: unknown) => failed(task, err));
      }
      await writing;
    };
    await Promise.all(Array.from({ length: Math.min(settings.transfersMax, queue.length) }, worker));
    this.saveProgress(true);
    if (stop !== null) {
      if (isStorageFull(stop)) {
        this.setState('paused', 'the recording storage is full');
        this.warnOnce('paused:storage-full', 'backfill.paused', 'backfill paused: the recording storage is full', { reason: 'storage-full' }, 'warning');
        return;
      }
      throw stop;
    }
  }

  /** The task's block from the peer, once the bandwidth budget allows it; null if the job closed meanwhile. */
  private async fetch(task: FillTask): Promise<FetchedPeerBlock | null> {
    const bucket = this.bucket as TokenBucket;
    for (let waits = 0; waits < 10_000; waits += 1) {
      const waitMs = bucket.take(task.bytesEstimate, performance.now());
      if (waitMs === 0) break;
      await this.sleeper.sleep(Math.min(waitMs, 1_000));
      if (this.closed) return null;
    }
    // One SHA-256 pass on this side: fill hashes the block file as it reads back after writing
    // and matches it with the source's own digest of the block, which checks the transfer, the
    // write and every frame's CRC at once (bytes damaged on the way fail there and are never
    // named nor indexed); fetchBlock and fill only walk the frame records for their times.
    return this.o.peer.fetchBlock({ cameraId: task.cameraId, peerBlockStartMs: task.peerBlockStartMs, fromMs: task.fromMs, toMs: task.toMs, hashOnArrival: false });
  }

  /** Writes a fetched block into its placeholder (and releases it), then counts it done. */
  private async fill(task: FillTask, block: FetchedPeerBlock): Promise<void> {
    const bytes = block.bytes.length;
    try {
      if (task.whole && block.sha256 !== task.peerSha256) throw new Error(`block ${task.key} is not the one the peer's index names`);
      await this.o.storage.fill(task.cameraId, block.bytes, block.sha256, { checkFrameCrcs: false });
    } finally {
      // fill is done with the bytes (written and read back, or refused): the buffer serves the next block.
      block.release?.();
    }
    this.doneKeys.add(task.key);
    this.completions.push({ atMs: performance.now(), bytes });
    const job = this.cursor.job;
    if (job !== null) this.cursor = { ...this.cursor, job: { ...job, bytesDone: job.bytesDone + bytes, blocksDone: job.blocksDone + 1 } };
    this.bytesPlanned = Math.max(0, this.bytesPlanned - task.bytesEstimate);
    this.pendingTasks = this.pendingTasks.filter((pending) => pending.key !== task.key);
    this.saveProgress(false);
    this.progressEvent();
  }

  private pieceFailed(task: FillTask, err: Error): void {
    const attempts = (this.attempts.get(task.key) ?? 0) + 1;
    this.attempts.set(task.key, attempts);
    const givingUp = attempts >= attemptsPerPieceMax || err.name === 'PeerBlockCorruptError';
    if (givingUp) this.givenUp.add(task.key);
    this.o.emit({
      kind: givingUp ? 'backfill.block-failed' : 'backfill.block-rejected',
      severity: givingUp ? 'error' : 'warning',
      message: `block ${task.key} ${givingUp ? 'given up' : 'rejected, tried again'} (${err.name}: ${err.message})`,
      data: { key: task.key, cameraId: task.cameraId, attempt: attempts, error: err.name },
    });
  }

  /** The recorder runs, yet data is missing where no placeholder is: placeholders need it stopped. True when a window (stop, placeholders, start) ran. */
  private async placeholdersBlocked(uncoveredMs: number): Promise<boolean> {
    if (this.settings.mode === 'disabled') return false;
    if (!(await this.o.storage.recorderHoldsStorage())) return false;
    this.warnOnce('blocked', 'backfill.placeholders-blocked', `${(uncoveredMs / 1000).toFixed(1)} s the peer holds are missing with no placeholder, and the recorder is running: it started before the agent could place them (start it through twinrec, not by hand)`, { uncoveredSeconds: uncoveredMs / 1000 });
    // A standby can stop its recorder for a moment: the peer serves and records meanwhile.
    if (this.o.isServing() || !this.o.peerServesHealthy() || this.wallMs() - this.lastWindowMs < placeholderWindowIntervalMs) return false;
    this.lastWindowMs = this.wallMs();
    this.setState('planning', 'placing placeholders during a short stop of the recorder');
    await this.o.recorderHold.around(async () => {
      this.o.emit({ kind: 'backfill.placeholder-window', severity: 'warning', message: 'stopping this standby recorder for a moment to place placeholders', data: {} });
      await this.o.service.stop();
      try {
        this.fillsHeldUntilMs = this.wallMs() + fillsHeldMsMax;
        await this.createPlaceholders(startAllowanceMs);
      } finally {
        await this.o.service.start();
      }
    });
    this.forget('blocked');
    return true;
  }

  /** Placeholders for every camera; each tail ends `tailMs` after its own creation (the recorder starts right after the last). */
  private async createPlaceholders(tailMs: number): Promise<void> {
    if (await this.o.storage.recorderHoldsStorage()) throw new Error('the recorder holds its storage');
    const camerasMax = this.o.camerasMax ?? 4096;
    const [own, peer] = await Promise.all([this.o.storage.listCameras(camerasMax), this.o.peer.listCameras()]);
    const cameraIds = [...new Set([...own.cameraIds, ...peer.cameraIds])].sort().slice(0, camerasMax);
    const retentionStartMs = this.retentionStartMs;
    let cameras = 0;
    let ranges = 0;
    let reservedMs = 0;
    for (const cameraId of cameraIds) {
      if (this.closed) return;
      const [ownEntries, ownUnindexed, peerEntries] = await Promise.all([this.o.storage.readEntries(cameraId), this.o.storage.unindexedRanges(cameraId), this.o.peer.allEntries(cameraId, peerEntriesPerCameraMax)]);
      const peerStored: StoredEntry[] = peerEntries.entries.map((entry) => ({ ...entry, state: 'recorded' }));
      const newestPeer = peerStored[peerStored.length - 1];
      const newestOwn = ownEntries[ownEntries.length - 1];
      // A tail only for a camera the peer records now: otherwise nothing would ever fill it.
      const recordingNow = this.o.tailPlaceholders !== false && newestPeer !== undefined && this.wallMs() - newestPeer.endMs < peerRecordingRecentMs;
      const fps = newestPeer?.fps ?? newestOwn?.fps;
      if (fps === undefined) continue;
      const planned = planPlaceholders({ own: ownEntries, ownUnindexed, peer: peerStored, retentionStartMs, tailEndMs: recordingNow ? this.wallMs() + tailMs : null, fps });
      if (planned.length === 0) continue;
      await this.o.storage.createPlaceholders(cameraId, planned);
      cameras += 1;
      ranges += planned.length;
      reservedMs += planned.reduce((sum, range) => sum + (range.endMs - range.startMs + 1), 0);
    }
    if (ranges > 0) {
      // The node lacks what the placeholders reserve: say so now, not at the next audit, or the
      // peer could fail back to it once its recorder is healthy for the hold-down.
      this.setComplete(false);
      this.o.emit({ kind: 'backfill.placeholders-created', severity: 'info', message: `placeholders for ${Math.round(reservedMs / 1000)} s in ${cameras} cameras, before the recorder starts`, data: { cameras, ranges, seconds: reservedMs / 1000 } });
    }
    this.sleeper.wakeAll();
  }

  private setComplete(complete: boolean): void {
    if (complete === this.complete) return;
    this.complete = complete;
    this.o.dataComplete(complete);
  }

  private setState(state: BackfillState, reason: string | null): void {
    this.state = state;
    this.reason = reason;
  }

  private progressEvent(): void {
    const now = performance.now();
    if (now - this.lastProgressEventMs < progressEventIntervalMs) return;
    this.lastProgressEventMs = now;
    const s = this.status();
    const percent = s.bytesTotal === 0 ? 100 : Math.floor((s.bytesDone / s.bytesTotal) * 100);
    this.o.emit({ kind: 'backfill.progress', severity: 'info', message: `backfill ${percent} %: ${s.blocksDone} of ${s.blocksTotal} blocks, ${formatBytes(s.rateBytesPerSecond)}/s${s.etaSeconds === null ? '' : `, about ${Math.ceil(s.etaSeconds)} s left`}`, data: { percent, bytesDone: s.bytesDone, bytesTotal: s.bytesTotal, blocksDone: s.blocksDone, blocksTotal: s.blocksTotal, rateBytesPerSecond: s.rateBytesPerSecond, etaSeconds: s.etaSeconds } });
  }

  private rateBytesPerSecond(): number {
    const now = performance.now();
    while (this.completions.length > 0 && now - (this.completions[0] as { atMs: number }).atMs > rateWindowMs) this.completions.shift();
    if (this.completions.length === 0) return 0;
    const bytes = this.completions.reduce((sum, c) => sum + c.bytes, 0);
    const spanMs = Math.max(1_000, now - (this.completions[0] as { atMs: number }).atMs);
    return Math.round((bytes / spanMs) * 1000);
  }

  private lastSaveMs = 0;
  /** Bumped by every synchronous save: a background save started before it is not renamed into place. */
  private saveGeneration = 0;
  private backgroundSave: Promise<void> | null = null;
  private backgroundSaveAgain = false;

  /**
   * The cursor after each block, at most every 250 ms and in the background (the index guards
   * the rest); at once and synchronously when `now`.
   */
  private saveProgress(now: boolean): void {
    const t = performance.now();
    if (!now && t - this.lastSaveMs < 250) return;
    this.lastSaveMs = t;
    const job = this.cursor.job;
    const cursor = job === null ? this.cursor : { ...this.cursor, job: { ...job, doneKeys: [...this.doneKeys].slice(-doneKeysMax) } };
    if (now) return this.persist(cursor);
    this.cursor = cursor;
    this.saveInBackground();
  }

  /** Saves `this.cursor` off the event loop, one save at a time; a request meanwhile saves the newest cursor after it. */
  private saveInBackground(): void {
    if (this.backgroundSave !== null) {
      this.backgroundSaveAgain = true;
      return;
    }
    const generation = this.saveGeneration;
    this.backgroundSave = saveCursorInBackground(this.o.cursorPath, this.cursor, () => generation === this.saveGeneration)
      .then(
        () => undefined,
        (err: unknown) => this.o.log.error({ err: (err as Error).message }, 'could not save the backfill cursor'),
      )
      .finally(() => {
        this.backgroundSave = null;
        if (!this.backgroundSaveAgain || this.closed) return;
        this.backgroundSaveAgain = false;
        this.saveInBackground();
      });
  }

  private persist(cursor: BackfillCursor): void {
    this.cursor = cursor;
    this.saveGeneration += 1;
    try {
      saveCursor(this.o.cursorPath, cursor);
    } catch (err) {
      this.o.log.error({ err: (err as Error).message }, 'could not save the backfill cursor');
    }
  }

  private warnOnce(key: string, kind: string, message: string, data: Record<string, unknown>, severity: CoreEvent['severity'] = 'warning'): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.o.emit({ kind, severity, message, data });
  }

  private forget(prefix: string): void {
    for (const key of [...this.reported]) if (key.startsWith(prefix)) this.reported.delete(key);
  }
}

/** Missing time with no placeholder after the node's own first recording of the camera. */
function holeMs(view: CameraView): number {
  const content = view.own.filter((entry) => entry.state !== 'placeholder');
  const first = content[0];
  const newest = content[content.length - 1];
  if (first === undefined || newest === undefined) return 0;
  const uncovered = subtract(view.audit.missing, view.audit.placeholders);
  // Between this node's own recordings only: missing time after its newest entry is, as a rule,
  // the peer's block sealed a moment before this recorder seals its own (its open block covers
  // it); counting it would stop a healthy standby for nothing.
  return measureMs(uncovered.filter((gap) => gap.startMs > first.startMs && gap.endMs <= newest.startMs));
}

/** Own pending placeholders within retention, as intervals. */
function pendingPlaceholders(view: CameraView, retentionStartMs: number): Interval[] {
  return view.own.filter((entry) => entry.state === 'placeholder' && entry.endMs >= retentionStartMs).map((entry) => ({ startMs: entry.startMs, endMs: entry.endMs + 1 }));
}

function isPeerUnavailable(err: unknown): boolean {
  return err instanceof Error && err.name === 'PeerUnavailableError';
}

function isStorageFull(err: unknown): boolean {
  return err instanceof Error && err.name === 'StorageFullError';
}

/** 1 s, 2 s, 4 s … up to 30 s, with ±25 % jitter. */
function backoffMs(failures: number): number {
  const base = Math.min(retryMs.max, retryMs.first * 2 ** Math.min(10, failures - 1));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

export function inWindow(window: { readonly startMinute: number; readonly endMinute: number }, at: Date): boolean {
  const minute = at.getHours() * 60 + at.getMinutes();
  return window.startMinute < window.endMinute ? minute >= window.startMinute && minute < window.endMinute : minute >= window.startMinute || minute < window.endMinute;
}

function minutes(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;
}
