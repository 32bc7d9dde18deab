import { createHash, type Hash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../shared/log.js';
import { maxGapMs, type TimeRange } from '../sequences.js';
import { CameraIndex, entryRecords, type IndexEntry } from '../../../media-store/camera-index.js';
import {
  BLOCK_HEADER_BYTES,
  blockFileName,
  blockHeader,
  decodeBlock,
  decodeIndex,
  encodeFrameRecord,
  encodeIndexRecord,
  parseBlockFileName,
  sha256Hex,
  type BlockContent,
  type IndexRecord,
} from '../../../media-store/format.js';
import { BLOCKS_DIR, CAMERAS_DIR, INDEX_FILE, isCameraDirName, STORAGE_FORMAT, STORAGE_MARKER } from '../../../media-store/layout.js';
import { acquireLock, releaseLock } from './lock.js';
import { planRetention, type RetentionCandidate } from './retention.js';

export { STORAGE_FORMAT, STORAGE_MARKER };

/** Tuning of a storage. Every queue is bounded by one of these. */
export interface StorageOptions {
  /** Blocks cover at most one slot of this length, aligned to the Unix epoch. */
  readonly blockDurationMs: number;
  /** How often queued frames are written (the writer runs at its own pace and batches). */
  readonly flushIntervalMs: number;
  /** Frames waiting to be written, in bytes over all cameras; beyond it frames are dropped (overflow). */
  readonly maxQueueBytes: number;
  /** How often retention runs and the index is re-read for records other processes appended. */
  readonly maintenanceIntervalMs: number;
  /** How long ErrorOverflow / ErrorWritingGop stay set after the last dropped or failed frame. */
  readonly errorHoldMs: number;
  /** fsync block files and the index when a block is sealed. */
  readonly fsync: boolean;
  readonly retainMs: number;
  readonly maxBytes: number;
}

export const defaultStorageOptions: StorageOptions = {
  blockDurationMs: 10_000,
  flushIntervalMs: 100,
  maxQueueBytes: 16 * 1024 * 1024,
  maintenanceIntervalMs: 1_000,
  errorHoldMs: 1_500,
  fsync: true,
  retainMs: 24 * 60 * 60 * 1000,
  maxBytes: 1024 * 1024 * 1024,
};

/**
 * Simulated storage faults. offline: the volume is gone; full: no space left; slow: writes
 * proceed at `throughputBytesPerSecond`, so a fast enough feed overflows.
 */
export type StorageFault = { readonly mode: 'online' } | { readonly mode: 'offline' } | { readonly mode: 'full' } | { readonly mode: 'slow'; readonly throughputBytesPerSecond: number };

export interface StoredFrame {
  readonly timeMs: number;
  readonly bytes: Buffer;
}

export interface FrameLookup {
  readonly frame: StoredFrame;
  /** Time of the previous stored frame, or the frame's own time if there is none. */
  readonly prevMs: number;
  /** Time of the next stored frame, or the frame's own time if there is none. */
  readonly nextMs: number;
}

export type OfferOutcome = 'queued' | 'overflow' | 'unavailable' | 'stale';

interface OpenBlock {
  readonly startMs: number;
  readonly slotEndMs: number;
  readonly fps: number;
  readonly path: string;
  readonly handle: FileHandle;
  readonly hash: Hash;
  lastMs: number;
  frameCount: number;
  /** Bytes written to the file plus bytes pending. */
  bytes: number;
  pending: Buffer[];
}

class CameraStore {
  readonly index = new CameraIndex();
  fps = 0;
  queue: StoredFrame[] = [];
  open: OpenBlock | null = null;
  /** Time of the last frame accepted into the queue, or held by a recorded or filled entry. */
  lastTimeMs = -1;
  /** Cuts decided at live frames (applied in memory) and not yet appended to index.log. */
  pendingCuts: IndexRecord[] = [];
  indexReadOffset = 0;
  lastOverflowMs = Number.NEGATIVE_INFINITY;
  lastWriteErrorMs = Number.NEGATIVE_INFINITY;
  framesWritten = 0;
  framesDropped = 0;

  constructor(
    readonly cameraId: string,
    readonly dir: string,
    readonly indexHandle: FileHandle,
  ) {}

  get blocksDir(): string {
    return join(this.dir, BLOCKS_DIR);
  }
}

const MAX_CAMERAS = 4096;
const DECODED_CACHE_ENTRIES = 16;

/**
 * The recorder's media storage: per-camera blocks of at most one slot, an append-only index
 * per camera with a checksum per record, retention by age and size, overflow when writes fall
 * behind, placeholders filled by others, and crash safety (a reopened storage truncates torn
 * index tails and indexes block files that were written but not yet indexed).
 */
export class Storage {
  private readonly cameras = new Map<string, CameraStore>();
  private chain: Promise<unknown> = Promise.resolve();
  private queuedBytes = 0;
  private faultState: StorageFault = { mode: 'online' };
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private closed = false;
  private stopping = false;
  private readonly decoded = new Map<string, { size: number; frames: StoredFrame[] }>();
  /** True while the storage is being repaired on open (DbRepairInProgress). */
  repairing = false;
  framesWrittenTotal = 0;

  private constructor(
    readonly root: string,
    private options: StorageOptions,
    private readonly log: Logger,
  ) {}

  /** Sets retention from the storage configuration the management server sent. */
  setRetention(retainMs: number, maxBytes: number): void {
    if (!(retainMs > 0) || !(maxBytes > 0)) throw new Error('retention limits must be positive');
    this.options = { ...this.options, retainMs, maxBytes };
  }

  get retention(): { retainMs: number; maxBytes: number } {
    return { retainMs: this.options.retainMs, maxBytes: this.options.maxBytes };
  }

  /** Opens (creating if needed) a storage folder, takes its lock and repairs it. */
  static async open(root: string, options: StorageOptions, log: Logger): Promise<Storage> {
    await mkdir(join(root, CAMERAS_DIR), { recursive: true });
    await checkMarker(root);
    await acquireLock(root);
    const storage = new Storage(root, options, log);
    storage.repairing = true;
    try {
      for (const name of await readdir(join(root, CAMERAS_DIR))) {
        if (isCameraDirName(name)) await storage.loadCamera(name);
      }
    } finally {
      storage.repairing = false;
    }
    storage.loop(options.flushIntervalMs, () => storage.flushAll(false));
    storage.loop(options.maintenanceIntervalMs, () => storage.maintenance());
    return storage;
  }

  get fault(): StorageFault {
    return this.faultState;
  }

  /** Runs `task` every `intervalMs` after the previous run finished, so runs never pile up. */
  private loop(intervalMs: number, task: () => Promise<void>): void {
    const id = this.timers.size;
    const tick = (): void => {
      this.run(task)
        .catch(() => undefined)
        .finally(() => {
          if (!this.closed && !this.stopping) this.timers.set(id, setTimeout(tick, intervalMs));
        });
    };
    this.timers.set(id, setTimeout(tick, intervalMs));
  }

  /** Runs storage work one task at a time, so writes, seals and retention never interleave. */
  private run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.chain.then(task, task);
    this.chain = next.catch((err: unknown) => this.log.error({ err }, 'storage task failed'));
    return next;
  }

  /** Makes sure a camera has a folder and index; `fps` sets the gap tolerance of its blocks. */
  async configureCamera(cameraId: string, fps: number): Promise<void> {
    const store = this.cameras.get(cameraId) ?? (await this.run(() => this.loadCamera(cameraId)));
    store.fps = fps;
  }

  private async loadCamera(cameraId: string): Promise<CameraStore> {
    const existing = this.cameras.get(cameraId);
    if (existing !== undefined) return existing;
    if (!isCameraDirName(cameraId)) throw new Error(`bad camera id ${cameraId}`);
    if (this.cameras.size >= MAX_CAMERAS) throw new Error('too many cameras in storage');
    const dir = join(this.root, CAMERAS_DIR, cameraId);
    await mkdir(join(dir, BLOCKS_DIR), { recursive: true });
    const indexPath = join(dir, INDEX_FILE);
    const index = new CameraIndex();
    const deleted = new Set<number>();
    let indexBytes: Buffer;
    try {
      indexBytes = await readFile(indexPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      indexBytes = Buffer.alloc(0);
    }
    const decoded = decodeIndex(indexBytes);
    if (!decoded.clean) {
      this.log.warn({ cameraId, validBytes: decoded.validBytes, fileBytes: indexBytes.length }, 'index has a torn or corrupt tail; truncating');
      await truncate(indexPath, decoded.validBytes).catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      });
    }
    for (const record of decoded.records) {
      const outcome = index.apply(record);
      if (typeof outcome === 'object') this.log.warn({ cameraId, reason: outcome.rejected }, 'index record ignored');
      if (record.op === 'delete') deleted.add(record.startMs);
    }
    const handle = await open(indexPath, 'a', 0o644);
    const store = new CameraStore(cameraId, dir, handle);
    // Finish what a crash interrupted: deletions, and block files never indexed.
    for (const name of await readdir(store.blocksDir)) {
      const path = join(store.blocksDir, name);
      if (name.endsWith('.tmp')) {
        await rm(path, { force: true });
        continue;
      }
      const startMs = parseBlockFileName(name);
      if (startMs === null) continue;
      const entry = index.get(startMs);
      // A fill's file whose record never came (the backfill writer died between the two): its
      // placeholder may start earlier, since fills split placeholders.
      const pending = entry ?? index.containing(startMs);
      if (entry === undefined && deleted.has(startMs)) {
        await rm(path, { force: true });
      } else if (pending === undefined || pending.state === 'placeholder') {
        await this.recoverBlockFile(store, index, path, startMs, pending);
      }
    }
    // Pending placeholders do not count: a live frame inside one is recorded (offer cuts it).
    for (const entry of index.entries) {
      if (entry.state !== 'placeholder') store.lastTimeMs = Math.max(store.lastTimeMs, entry.endMs);
    }
    await this.compactIfNeeded(store, index, decoded.records.length);
    // A filled entry is its placeholder and its fill: a lone fill would be refused.
    for (const entry of index.entries) for (const record of entryRecords(entry)) store.index.apply(record);
    store.indexReadOffset = (await handle.stat()).size;
    this.cameras.set(cameraId, store);
    return store;
  }

  /** Indexes a block file found on disk without an index record (written before a crash). */
  private async recoverBlockFile(store: CameraStore, index: CameraIndex, path: string, startMs: number, placeholder: IndexEntry | undefined): Promise<void> {
    const bytes = await readFile(path);
    const block = decodeBlock(bytes);
    const first = block.frames[0];
    const last = block.frames[block.frames.length - 1];
    if (first === undefined || last === undefined || first.timeMs !== startMs) {
      this.log.warn({ cameraId: store.cameraId, path }, 'block file without a usable frame; removing');
      await rm(path, { force: true });
      return;
    }
    const kept = bytes.subarray(0, block.validBytes);
    if (!block.clean) await truncate(path, block.validBytes);
    const content: BlockContent = { startMs, endMs: last.timeMs, fps: block.fps, frameCount: block.frames.length, bytes: kept.length, sha256: sha256Hex(kept) };
    let record: IndexRecord;
    if (placeholder !== undefined) {
      // The index says whether it fits its placeholder (fills split placeholders: inside one).
      if (!block.clean || typeof index.check({ op: 'fill', ...content }) === 'object') {
        await rm(path, { force: true });
        return;
      }
      record = { op: 'fill', ...content };
    } else {
      record = { op: 'block', ...content };
    }
    const outcome = index.apply(record);
    if (typeof outcome === 'object') {
      this.log.warn({ cameraId: store.cameraId, reason: outcome.rejected }, 'recovered block does not fit the index; removing');
      await rm(path, { force: true });
      return;
    }
    await store.indexHandle.write(encodeIndexRecord(record));
    if (this.options.fsync) await store.indexHandle.datasync();
    this.log.warn({ cameraId: store.cameraId, startMs, frames: content.frameCount, truncatedBytes: bytes.length - kept.length }, 'recovered a block that was written but not indexed');
  }

  /** Rewrites an index that holds many dead records (retention deletions) as one record per entry. */
  private async compactIfNeeded(store: CameraStore, index: CameraIndex, recordCount: number): Promise<void> {
    if (recordCount <= 2 * index.entries.length + 1000) return;
    const path = join(store.dir, INDEX_FILE);
    const temp = `${path}.tmp`;
    await writeFile(temp, index.entries.flatMap((entry) => entryRecords(entry).map(encodeIndexRecord)).join(''));
    const handle = await open(temp, 'r+');
    await handle.sync();
    await handle.close();
    await rename(temp, path);
    this.log.info({ cameraId: store.cameraId, records: recordCount, entries: index.entries.length }, 'index compacted');
    // The append handle still points at the old file; reopen it.
    await store.indexHandle.close();
    (store as { indexHandle: FileHandle }).indexHandle = await open(path, 'a', 0o644);
  }

  /**
   * Offers a frame for writing. It is dropped if the storage is unavailable (offline, full),
   * if the write queue is full (overflow), or if it is not newer than the last frame.
   */
  offer(cameraId: string, frame: StoredFrame): OfferOutcome {
    const store = this.cameras.get(cameraId);
    if (store === undefined || store.fps === 0) throw new Error(`camera ${cameraId} is not configured in storage`);
    const nowMs = Date.now();
    if (frame.timeMs <= store.lastTimeMs) return 'stale';
    // Content a backfill already put there (the peer's identical frames).
    const holding = store.index.containing(frame.timeMs);
    if (holding !== undefined && holding.state !== 'placeholder') return 'stale';
    if (this.closed || this.faultState.mode === 'offline' || this.faultState.mode === 'full') {
      store.lastWriteErrorMs = nowMs;
      store.framesDropped += 1;
      return 'unavailable';
    }
    if (this.queuedBytes + frame.bytes.length > this.options.maxQueueBytes) {
      store.lastOverflowMs = nowMs;
      store.framesDropped += 1;
      return 'overflow';
    }
    // A placeholder reaching this frame (the tail the agent reserved up to a moment it expected
    // the recorder to start by) gives way: what arrives live is recorded here, not left to the peer.
    const cut: IndexRecord = { op: 'cut', startMs: frame.timeMs };
    if (store.index.apply(cut) === 'applied') store.pendingCuts.push(cut);
    store.queue.push(frame);
    store.lastTimeMs = frame.timeMs;
    this.queuedBytes += frame.bytes.length;
    return 'queued';
  }

  /** Error flags of a camera as status reports them. */
  health(cameraId: string, nowMs: number): { overflow: boolean; writeError: boolean } {
    const store = this.cameras.get(cameraId);
    if (store === undefined) return { overflow: false, writeError: false };
    const unavailable = this.faultState.mode === 'offline' || this.faultState.mode === 'full';
    return {
      overflow: nowMs - store.lastOverflowMs < this.options.errorHoldMs,
      writeError: unavailable || nowMs - store.lastWriteErrorMs < this.options.errorHoldMs,
    };
  }

  /** Applies a fault. Frames already accepted are written and blocks sealed first, so the fault starts cleanly. */
  async setFault(fault: StorageFault): Promise<void> {
    if (fault.mode === 'slow' && !(fault.throughputBytesPerSecond > 0)) throw new Error('slow storage needs throughputBytesPerSecond > 0');
    await this.run(async () => {
      if (fault.mode === 'offline' || fault.mode === 'full') {
        this.faultState = { mode: 'online' };
        await this.flushAll(true);
      }
      this.faultState = fault;
      this.log.warn({ fault }, 'storage fault set');
    });
  }

  private async flushAll(sealEverything: boolean): Promise<void> {
    if (this.faultState.mode === 'offline' || this.faultState.mode === 'full') return;
    const nowMs = Date.now();
    for (const store of this.cameras.values()) {
      try {
        await this.flushCamera(store, nowMs, sealEverything);
      } catch (err) {
        store.lastWriteErrorMs = Date.now();
        this.log.error({ err, cameraId: store.cameraId }, 'write failed; abandoning the open block (it is recovered on the next open)');
        await this.abandonOpenBlock(store);
      }
    }
  }

  private async flushCamera(store: CameraStore, nowMs: number, sealEverything: boolean): Promise<void> {
    if (store.pendingCuts.length > 0) {
      // Before the frames they admit reach a block file, so the index on disk admits their blocks.
      const cuts = store.pendingCuts;
      store.pendingCuts = [];
      await store.indexHandle.write(cuts.map(encodeIndexRecord).join(''));
      if (this.options.fsync) await store.indexHandle.datasync();
    }
    // Slow storage writes at most half a second's worth per camera per pass; the rest waits
    // in the queue, which is how a storage that cannot keep up ends in overflow.
    const fault = this.faultState;
    let frames = store.queue;
    if (fault.mode === 'slow') {
      let taken = 0;
      let budget = fault.throughputBytesPerSecond / 2;
      while (taken < frames.length && (taken === 0 || budget > 0)) {
        budget -= (frames[taken] as StoredFrame).bytes.length;
        taken += 1;
      }
      store.queue = frames.slice(taken);
      frames = frames.slice(0, taken);
    } else {
      store.queue = [];
    }
    for (const frame of frames) {
      this.queuedBytes -= frame.bytes.length;
      const open = store.open;
      if (open !== null && (frame.timeMs >= open.slotEndMs || frame.timeMs - open.lastMs > maxGapMs(open.fps))) await this.seal(store);
      const block = store.open ?? (await this.openBlock(store, frame.timeMs));
      const record = encodeFrameRecord(frame.timeMs, frame.bytes);
      block.pending.push(record);
      block.hash.update(record);
      block.bytes += record.length;
      block.lastMs = frame.timeMs;
      block.frameCount += 1;
      store.framesWritten += 1;
      this.framesWrittenTotal += 1;
    }
    const open = store.open;
    if (open !== null && open.pending.length > 0) {
      const data = Buffer.concat(open.pending);
      open.pending = [];
      await open.handle.write(data);
      if (fault.mode === 'slow') {
        const delayMs = Math.min(5_000, (data.length / fault.throughputBytesPerSecond) * 1000);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
    if (open !== null && (sealEverything || nowMs >= open.slotEndMs + this.options.flushIntervalMs * 5)) await this.seal(store);
  }

  private async openBlock(store: CameraStore, startMs: number): Promise<OpenBlock> {
    const path = join(store.blocksDir, blockFileName(startMs));
    // Never over an existing file: a backfill fill may have linked one at this name.
    const handle = await open(path, 'wx', 0o644);
    const header = blockHeader(store.fps);
    const hash = createHash('sha256').update(header);
    const slotEndMs = (Math.floor(startMs / this.options.blockDurationMs) + 1) * this.options.blockDurationMs;
    const block: OpenBlock = { startMs, slotEndMs, fps: store.fps, path, handle, hash, lastMs: startMs, frameCount: 0, bytes: BLOCK_HEADER_BYTES, pending: [header] };
    store.open = block;
    return block;
  }

  /** Writes what is pending, syncs the block, then appends and syncs its index record. */
  private async seal(store: CameraStore): Promise<void> {
    const block = store.open;
    if (block === null) return;
    if (block.pending.length > 0) {
      await block.handle.write(Buffer.concat(block.pending));
      block.pending = [];
    }
    if (this.options.fsync) await block.handle.sync();
    await block.handle.close();
    store.open = null;
    if (block.frameCount === 0) {
      await rm(block.path, { force: true });
      return;
    }
    const record: IndexRecord = { op: 'block', startMs: block.startMs, endMs: block.lastMs, fps: block.fps, frameCount: block.frameCount, bytes: block.bytes, sha256: block.hash.digest('hex') };
    await this.appendRecord(store, record);
  }

  private async abandonOpenBlock(store: CameraStore): Promise<void> {
    const block = store.open;
    store.open = null;
    if (block !== null) await block.handle.close().catch(() => undefined);
  }

  private async appendRecord(store: CameraStore, record: IndexRecord): Promise<void> {
    const outcome = store.index.apply(record);
    if (typeof outcome === 'object') throw new Error(`index rejected own record: ${outcome.rejected}`);
    await store.indexHandle.write(encodeIndexRecord(record));
    if (this.options.fsync) await store.indexHandle.datasync();
  }

  private async maintenance(): Promise<void> {
    if (this.closed) return;
    await this.followIndexes();
    if (this.faultState.mode !== 'offline') await this.applyRetention();
  }

  /** Applies records that other processes appended (placeholders, fills) since the last look. */
  private async followIndexes(): Promise<void> {
    for (const name of await readdir(join(this.root, CAMERAS_DIR))) {
      if (isCameraDirName(name) && !this.cameras.has(name)) await this.loadCamera(name);
    }
    for (const store of this.cameras.values()) {
      const size = (await store.indexHandle.stat()).size;
      if (size <= store.indexReadOffset) continue;
      const length = Math.min(size - store.indexReadOffset, 4 * 1024 * 1024);
      const buffer = Buffer.alloc(length);
      const reader = await open(join(store.dir, INDEX_FILE), 'r');
      try {
        await reader.read(buffer, 0, length, store.indexReadOffset);
      } finally {
        await reader.close();
      }
      const decoded = decodeIndex(buffer);
      for (const record of decoded.records) {
        const outcome = store.index.apply(record);
        if (outcome === 'applied') this.log.info({ cameraId: store.cameraId, op: record.op, startMs: record.startMs }, 'index record from another process applied');
        if (typeof outcome === 'object') this.log.warn({ cameraId: store.cameraId, reason: outcome.rejected }, 'index record from another process ignored');
      }
      store.indexReadOffset += decoded.validBytes;
    }
  }

  private async applyRetention(): Promise<void> {
    const candidates: RetentionCandidate[] = [];
    let reservedBytes = 0;
    for (const store of this.cameras.values()) {
      for (const entry of store.index.entries) candidates.push({ cameraId: store.cameraId, startMs: entry.startMs, endMs: entry.endMs, bytes: entry.bytes });
      reservedBytes += store.open?.bytes ?? 0;
    }
    const plan = planRetention(candidates, Date.now(), { retainMs: this.options.retainMs, maxBytes: this.options.maxBytes }, reservedBytes);
    for (const victim of plan.slice(0, 10_000)) {
      const store = this.cameras.get(victim.cameraId);
      if (store === undefined) continue;
      await this.appendRecord(store, { op: 'delete', startMs: victim.startMs });
      await rm(join(store.blocksDir, blockFileName(victim.startMs)), { force: true });
      this.forgetDecoded(store.cameraId, victim.startMs);
    }
    if (plan.length > 0) this.log.info({ blocks: plan.length }, 'retention deleted blocks');
  }

  /** Recorded time ranges of a camera: indexed blocks with content, plus the block being written. */
  ranges(cameraId: string): TimeRange[] {
    const store = this.cameras.get(cameraId);
    if (store === undefined) return [];
    const ranges: TimeRange[] = store.index.entries.filter((entry) => entry.state !== 'placeholder').map((entry) => ({ startMs: entry.startMs, endMs: entry.endMs, fps: entry.fps }));
    const open = store.open;
    if (open !== null && open.frameCount > 0) ranges.push({ startMs: open.startMs, endMs: open.lastMs, fps: open.fps });
    return ranges;
  }

  /** Index entries of a camera (including placeholders). */
  entries(cameraId: string): readonly IndexEntry[] {
    return this.cameras.get(cameraId)?.index.entries ?? [];
  }

  usedBytes(cameraId: string): number {
    const store = this.cameras.get(cameraId);
    if (store === undefined) return 0;
    return store.index.entries.reduce((sum, entry) => sum + entry.bytes, 0) + (store.open?.bytes ?? 0);
  }

  counters(cameraId: string): { framesWritten: number; framesDropped: number } {
    const store = this.cameras.get(cameraId);
    return { framesWritten: store?.framesWritten ?? 0, framesDropped: store?.framesDropped ?? 0 };
  }

  /**
   * The stored frame at `timeMs`: the last frame at or before it within a recorded range; in a
   * gap or before the first frame, the next frame after it; past the end, the last frame.
   */
  async frameAt(cameraId: string, timeMs: number): Promise<FrameLookup | null> {
    const ranges = this.ranges(cameraId);
    if (ranges.length === 0) return null;
    // The range holding the frame shown at timeMs: the last one starting at or before it, if
    // timeMs is no later than one frame gap after its last frame; else the next range.
    let at = -1;
    for (let i = ranges.length - 1; i >= 0; i -= 1) {
      const range = ranges[i] as TimeRange;
      if (range.startMs <= timeMs) {
        if (timeMs - range.endMs <= maxGapMs(range.fps)) at = i;
        break;
      }
    }
    if (at < 0) at = ranges.findIndex((range) => range.startMs > timeMs);
    if (at < 0) at = ranges.length - 1;
    const range = ranges[at] as TimeRange;
    const frames = await this.framesOf(cameraId, range.startMs);
    if (frames.length === 0) return null;
    let i = frames.length - 1;
    while (i > 0 && (frames[i] as StoredFrame).timeMs > timeMs) i -= 1;
    const frame = frames[i] as StoredFrame;
    const prevMs = i > 0 ? (frames[i - 1] as StoredFrame).timeMs : (ranges[at - 1]?.endMs ?? frame.timeMs);
    const nextMs = i < frames.length - 1 ? (frames[i + 1] as StoredFrame).timeMs : (ranges[at + 1]?.startMs ?? frame.timeMs);
    return { frame, prevMs, nextMs };
  }

  /** Every frame of the block starting at `startMs` (for the open block, those written so far). */
  async framesOf(cameraId: string, startMs: number): Promise<StoredFrame[]> {
    const store = this.cameras.get(cameraId);
    if (store === undefined) return [];
    const path = join(store.blocksDir, blockFileName(startMs));
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      return [];
    }
    const key = `${cameraId}/${startMs}`;
    const cached = this.decoded.get(key);
    if (cached !== undefined && cached.size === size) return cached.frames;
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch {
      return [];
    }
    const block = decodeBlock(bytes);
    const frames = block.frames.map((frame) => ({ timeMs: frame.timeMs, bytes: bytes.subarray(frame.offset, frame.offset + frame.length) }));
    if (this.decoded.size >= DECODED_CACHE_ENTRIES) this.decoded.delete(this.decoded.keys().next().value as string);
    this.decoded.set(key, { size, frames });
    return frames;
  }

  private forgetDecoded(cameraId: string, startMs: number): void {
    this.decoded.delete(`${cameraId}/${startMs}`);
  }

  /** Writes everything queued, seals open blocks, stops the timers and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.stopping = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.run(async () => {
      if (this.faultState.mode === 'online' || this.faultState.mode === 'slow') {
        this.faultState = { mode: 'online' };
        await this.flushAll(true);
      }
      this.closed = true;
      for (const store of this.cameras.values()) {
        await this.abandonOpenBlock(store);
        await store.indexHandle.close();
      }
    });
    await releaseLock(this.root);
  }
}

async function checkMarker(root: string): Promise<void> {
  const path = join(root, STORAGE_MARKER);
  try {
    const marker = JSON.parse(await readFile(path, 'utf8')) as { format?: unknown; version?: unknown };
    if (marker.format !== STORAGE_FORMAT.format || marker.version !== STORAGE_FORMAT.version) {
      throw new Error(`${root} holds ${String(marker.format)} version ${String(marker.version)}, not ${STORAGE_FORMAT.format} ${STORAGE_FORMAT.version}`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await writeFile(path, `${JSON.stringify(STORAGE_FORMAT)}\n`);
  }
}
