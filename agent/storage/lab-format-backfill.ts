// The backfill side of the lab's on-disk format (media-store/, lab/README.md "Storage (on-disk
// format)", "Placeholders and backfill"): the source reads index entries and checked blocks, the
// target creates placeholders while the recorder is stopped and fills them at any time. Every
// change is one record appended with one write() to index.log opened with O_APPEND, which a
// running recorder applies within a second; a block file is written whole under a temporary
// name and linked to its name (never replacing a file) before its record is appended.
//
// Each camera's index is kept in memory and followed by reading only what was appended since
// (the file only grows, or is replaced whole by the recorder's compaction), so that a backfill
// of thousands of blocks does not re-read the index for each of them.
import { isProcessAlive } from '../../shared/process-lock.js';
import { syncFolder } from '../../shared/sync-folder.js';
import { constants } from 'node:fs';
import { link, mkdir, open, opendir, rm, statfs, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { CameraIndex } from '../../media-store/camera-index.js';
import { decodeBlock, encodeIndexRecord, parseBlockFileName, sha256Hex, type IndexRecord } from '../../media-store/format.js';
import { blockPath, blocksDir, cameraDir, camerasDir, indexPath } from '../../media-store/layout.js';
import { Pace } from '../../shared/pace.js';
import { blockFrameSpan, type FrameSpan } from './block-frames.js';
import { BufferPool, isPageAligned, pageAlignedMemoryMade, pageBytes } from './buffer-pool.js';
import { sharedHashPool, type HashPool } from './hash-pool.js';
import { applyIndexBytes, checkStorageMarker } from './index-file.js';
import { LabFormatAdapter } from './lab-format-adapter.js';
import {
  BackfillStorageError,
  BlockCorruptError,
  BlockExistsError,
  BlockNotFoundError,
  ChecksumMismatchError,
  InvalidBlockError,
  NotAPlaceholderError,
  PlaceholderConflictError,
  RecorderRunningError,
  StorageFullError,
  type BackfillStorage,
  type CheckedBlock,
  type FillOptions,
  type MediaRange,
  type ReadBlockOptions,
  type StoredEntry,
} from './storage-adapter.js';

export interface LabFormatBackfillOptions {
  /** The storage folder (the recorder's `--storage`, holding LAB-STORAGE.json). */
  readonly root: string;
  /** Largest index.log read; a longer one is refused (backfill needs every entry, not the newest part). */
  readonly indexBytesMax?: number;
  /** Largest block file read or written. */
  readonly blockBytesMax?: number;
  /** Cameras whose index is kept in memory (least recently used first out). */
  readonly indexesCachedMax?: number;
  /** Index bytes read at a time. */
  readonly chunkBytes?: number;
  /**
   * Write and read back filled blocks with O_DIRECT (default true; off by itself where the
   * platform or the file system refuses it). False: through the page cache, as the recorder writes.
   */
  readonly directIo?: boolean;
  /** Where a written block's read-back is hashed (default: the process's pool of worker threads). */
  readonly hashPool?: HashPool;
}

/** The recorder's lock file (lab/recorder/storage/lock.ts): `{"pid":…,"since":…}`. */
const lockFileName = 'recorder.lock';
const lockBytesMax = 4096;
const defaultIndexBytesMax = 256 * 1024 * 1024;
const defaultBlockBytesMax = 256 * 1024 * 1024;
const defaultIndexesCachedMax = 64;
const defaultChunkBytes = 1024 * 1024;
/** Placeholders one call may append (a day of 1-s gaps is 86,400). */
const placeholdersPerCallMax = 100_000;
/** Entries of a blocks folder looked at for files the index does not list. */
const blockDirEntriesMax = 1_000_000;
/** Block files the index does not list, at most: a crash leaves one per camera; many more is a storage to repair, not to backfill. */
const unindexedFilesMax = 1_000;
/** Bytes before a cached index's read offset compared again on the next read: a file replaced by one of at least that size shows here. */
const tailCheckBytes = 64;
const maxFrameTimeMs = 2 ** 48 - 1;
const sha256Pattern = /^[0-9a-f]{64}$/;

/** A camera's index as read so far: `offset` bytes of the file whose identity is dev/ino. */
interface CachedIndex {
  readonly dev: number;
  readonly ino: number;
  readonly index: CameraIndex;
  offset: number;
  /** The bytes just before `offset`, to tell the same file grown from another one. */
  tail: Buffer;
  /** How the last read ended: `incomplete` is a torn (or still growing) last line, `corrupt` a bad record. */
  stop: 'end' | 'incomplete' | 'corrupt';
}

export class LabFormatBackfill implements BackfillStorage {
  readonly root: string;
  private readonly indexBytesMax: number;
  private readonly blockBytesMax: number;
  private readonly indexesCachedMax: number;
  private readonly chunkBytes: number;
  /** Filled blocks go to the disk with O_DIRECT: until the file system refuses it (EINVAL), then never again. */
  private directIo: boolean;
  private readonly reader: LabFormatAdapter;
  /** Buffers for blocks read (sent to the peer, then given back) and written blocks read back. */
  private readonly buffers = new BufferPool();
  private readonly hashes: HashPool;
  private readonly cache = new Map<string, CachedIndex>();
  /** Per camera, the tail of its queue of reads and writes: one at a time, so a check and its append are never interleaved. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(options: LabFormatBackfillOptions) {
    this.root = options.root;
    this.indexBytesMax = Math.max(1, options.indexBytesMax ?? defaultIndexBytesMax);
    this.blockBytesMax = Math.max(1, options.blockBytesMax ?? defaultBlockBytesMax);
    this.indexesCachedMax = Math.max(1, options.indexesCachedMax ?? defaultIndexesCachedMax);
    this.chunkBytes = Math.max(1024, options.chunkBytes ?? defaultChunkBytes);
    // Not where the platform has no O_DIRECT (Windows), nor without page-aligned buffers to use it with.
    this.directIo = (options.directIo ?? true) && typeof constants.O_DIRECT === 'number' && pageAlignedMemoryMade;
    this.reader = new LabFormatAdapter({ root: this.root });
    this.hashes = options.hashPool ?? sharedHashPool();
  }

  /** Whether fills go to the disk with O_DIRECT now: false when turned off, or once the file system refused it. */
  get directIoInUse(): boolean {
    return this.directIo;
  }

  listCameras(max: number): Promise<{ cameraIds: string[]; truncated: boolean }> {
    return this.reader.listCameras(max);
  }

  async readEntries(cameraId: string, pace: Pace = new Pace()): Promise<readonly StoredEntry[]> {
    checkCameraId(this.root, cameraId);
    return this.serially(cameraId, async () => (await this.current(cameraId, pace)).index.entries.slice());
  }

  async unindexedRanges(cameraId: string): Promise<readonly MediaRange[]> {
    checkCameraId(this.root, cameraId);
    return this.serially(cameraId, async () => this.unindexed(cameraId, await this.current(cameraId, new Pace())));
  }

  async readBlock(cameraId: string, startMs: number, options: ReadBlockOptions = {}): Promise<CheckedBlock> {
    checkCameraId(this.root, cameraId);
    checkTime(startMs, 'startMs');
    const entry = await this.serially(cameraId, async () => (await this.current(cameraId, new Pace())).index.get(startMs));
    if (entry === undefined || entry.state === 'placeholder' || entry.sha256 === null) throw new BlockNotFoundError(`camera ${cameraId} has no recorded or filled block at ${startMs}`);
    const bytes = await this.readBlockFile(cameraId, startMs, entry.bytes);
    if (bytes === null) {
      // Retention may have removed it since the index was read: then it is gone, not corrupt.
      const now = await this.serially(cameraId, async () => (await this.current(cameraId, new Pace())).index.get(startMs));
      if (now?.sha256 !== entry.sha256) throw new BlockNotFoundError(`block ${startMs} of camera ${cameraId} was removed`);
      throw new BlockCorruptError(`block file ${blockPath(this.root, cameraId, startMs)} is missing or not ${entry.bytes} bytes as indexed`);
    }
    if (options.hashed !== false && sha256Hex(bytes) !== entry.sha256) {
      this.buffers.give(bytes);
      throw new BlockCorruptError(`block file ${blockPath(this.root, cameraId, startMs)} does not match its index record (SHA-256)`);
    }
    let given = false;
    const release = (): void => {
      if (given) return;
      given = true;
      this.buffers.give(bytes);
    };
    return { bytes, entry, release };
  }

  async recorderHoldsStorage(): Promise<boolean> {
    let text: string;
    try {
      const handle = await open(join(this.root, lockFileName), 'r');
      try {
        const buffer = Buffer.alloc(lockBytesMax);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        text = buffer.subarray(0, bytesRead).toString('utf8');
      } finally {
        await handle.close();
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    // As the recorder itself reads it (lock.ts): a garbled lock, or one without a pid, holds nothing.
    let pid: unknown;
    try {
      pid = (JSON.parse(text) as { pid?: unknown }).pid;
    } catch {
      return false;
    }
    return typeof pid === 'number' && isProcessAlive(pid);
  }

  async createPlaceholders(cameraId: string, ranges: readonly MediaRange[]): Promise<number> {
    checkCameraId(this.root, cameraId);
    if (ranges.length > placeholdersPerCallMax) throw new RangeError(`${ranges.length} placeholders in one call, over ${placeholdersPerCallMax}`);
    ranges.forEach(checkRange);
    await checkStorageMarker(this.root);
    const sorted = [...ranges].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
    return this.serially(cameraId, async () => {
      if (await this.recorderHoldsStorage()) throw new RecorderRunningError(`placeholders are created only while the recorder is stopped; a live process holds ${this.root}`);
      const cached = await this.current(cameraId, new Pace());
      const unindexed = await this.unindexed(cameraId, cached);
      const records: IndexRecord[] = [];
      let previous: MediaRange | null = null;
      for (const range of sorted) {
        if (previous !== null && previous.startMs === range.startMs && previous.endMs === range.endMs) continue;
        if (previous !== null && range.startMs <= previous.endMs) throw new PlaceholderConflictError(`placeholders ${previous.startMs}..${previous.endMs} and ${range.startMs}..${range.endMs} overlap`);
        previous = range;
        const record: IndexRecord = { op: 'placeholder', startMs: range.startMs, endMs: range.endMs, fps: range.fps };
        const outcome = cached.index.check(record);
        if (outcome === 'duplicate') continue;
        if (outcome !== 'applied') throw new PlaceholderConflictError(outcome.rejected);
        const crash = unindexed.find((block) => block.startMs <= range.endMs && range.startMs <= block.endMs);
        if (crash !== undefined) throw new PlaceholderConflictError(`placeholder ${range.startMs}..${range.endMs} overlaps block file ${crash.startMs}..${crash.endMs}, which the recorder indexes on its next open`);
        records.push(record);
      }
      if (records.length === 0) return 0;
      await this.makeCameraFolders(cameraId);
      await this.append(cameraId, cached, records, false);
      return records.length;
    });
  }

  async fill(cameraId: string, blockBytes: Buffer, expectedSha256: string, options: FillOptions = {}): Promise<'applied' | 'duplicate'> {
    checkCameraId(this.root, cameraId);
    if (!Buffer.isBuffer(blockBytes)) throw new TypeError('blockBytes must be a Buffer');
    if (!sha256Pattern.test(expectedSha256)) throw new TypeError('expectedSha256 must be 64 lower-case hex digits');
    if (blockBytes.length > this.blockBytesMax) throw new InvalidBlockError(`block of ${blockBytes.length} bytes is over the ${this.blockBytesMax} accepted`);
    // Hashing is the largest CPU cost of a fill: it is done once, over the file as it reads back
    // (writeBlockFile), which equals the bytes given when the write went right, so that one pass
    // checks both them and the disk (and, for a source's own digest, every frame's CRC too).
    const span = options.checkFrameCrcs === false ? blockFrameSpan(blockBytes) : decodedSpan(blockBytes);
    if (span === null) {
      // Bytes that are not the digest's are that first (damaged in transit), whatever they decode to.
      const actual = sha256Hex(blockBytes);
      if (actual !== expectedSha256) throw new ChecksumMismatchError(`block bytes have SHA-256 ${actual}, not ${expectedSha256}`);
      throw new InvalidBlockError(`the ${blockBytes.length} block bytes are not a whole block file (a torn or corrupt frame record, or no frame)`);
    }
    const sha256 = expectedSha256;
    const record: IndexRecord = { op: 'fill', startMs: span.startMs, endMs: span.endMs, fps: span.fps, frameCount: span.frameCount, bytes: blockBytes.length, sha256 };
    return this.serially(cameraId, async () => {
      const cached = await this.current(cameraId, new Pace());
      const outcome = cached.index.check(record);
      if (outcome === 'duplicate') return 'duplicate';
      if (outcome !== 'applied') throw new NotAPlaceholderError(outcome.rejected);
      const created = await this.writeBlockFile(cameraId, record.startMs, blockBytes, sha256);
      try {
        // Checked again after the write: a recorder that started meanwhile may have cut the
        // placeholder at its first live frame, and a fill record it would ignore must never be
        // appended (nor the block taken as filled). Under load a write takes hundreds of ms.
        const now = await this.current(cameraId, new Pace());
        const again = now.index.check(record);
        if (again !== 'applied') throw new NotAPlaceholderError(again === 'duplicate' ? `block ${record.startMs} of camera ${cameraId} was filled meanwhile` : again.rejected);
        await this.append(cameraId, now, [record], true);
      } catch (err) {
        // A record that reached the file is applied by every reader: its block must stay (so it
        // stays when that cannot be told, too; unindexed, it is taken by the next attempt).
        const written = await this.current(cameraId, new Pace()).then(
          (now) => now.index.get(record.startMs)?.sha256 === sha256,
          () => true,
        );
        if (created && !written) await rm(blockPath(this.root, cameraId, record.startMs), { force: true });
        throw err;
      }
      return 'applied';
    });
  }

  async deletePlaceholder(cameraId: string, startMs: number): Promise<void> {
    checkCameraId(this.root, cameraId);
    checkTime(startMs, 'startMs');
    await this.serially(cameraId, async () => {
      const cached = await this.current(cameraId, new Pace());
      const entry = cached.index.get(startMs);
      if (entry === undefined) return;
      if (entry.state !== 'placeholder') throw new NotAPlaceholderError(`${entry.state} data at ${startMs} of camera ${cameraId} is never deleted by backfill`);
      await this.append(cameraId, cached, [{ op: 'delete', startMs }], true);
    });
  }

  async freeBytes(): Promise<number> {
    const stats = await statfs(this.root);
    return stats.bavail * stats.bsize;
  }

  /** Runs `task` after every earlier task of the camera has finished, so a check and the append it allows are never interleaved with another. */
  private serially<T>(cameraId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(cameraId) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(cameraId, tail);
    void tail.then(() => {
      if (this.queues.get(cameraId) === tail) this.queues.delete(cameraId);
    });
    return result;
  }

  /**
   * The camera's index as the file holds it now: the cached one, brought up to date with what
   * was appended since, or read anew if the file was replaced (a compaction) or is not cached.
   */
  private async current(cameraId: string, pace: Pace): Promise<CachedIndex> {
    let handle: FileHandle;
    try {
      handle = await open(indexPath(this.root, cameraId), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.cache.delete(cameraId);
      return { dev: -1, ino: -1, index: new CameraIndex(), offset: 0, tail: Buffer.alloc(0), stop: 'end' };
    }
    try {
      const stat = await handle.stat();
      let cached = this.cache.get(cameraId);
      this.cache.delete(cameraId);
      if (cached !== undefined && !(await isSameFileGrown(handle, stat, cached))) cached = undefined;
      if (stat.size > this.indexBytesMax) throw new Error(`index of camera ${cameraId} is ${stat.size} bytes, over the ${this.indexBytesMax} this agent reads`);
      // Deletes (retention) are most of a long index's records: tombstones, not a splice each.
      cached ??= { dev: stat.dev, ino: stat.ino, index: new CameraIndex({ lazyDeletes: true }), offset: 0, tail: Buffer.alloc(0), stop: 'end' };
      if (stat.size > cached.offset) {
        const index = cached.index;
        const read = await applyIndexBytes(handle, cached.offset, stat.size, { chunkBytes: this.chunkBytes, pace, resync: false, apply: (record) => index.apply(record) });
        cached.offset = read.offset;
        cached.stop = read.stop;
        cached.tail = await readAt(handle, Math.max(0, read.offset - tailCheckBytes), Math.min(tailCheckBytes, read.offset));
      } else {
        cached.stop = 'end';
      }
      if (this.cache.size >= this.indexesCachedMax) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(cameraId, cached);
      return cached;
    } finally {
      await handle.close();
    }
  }

  /**
   * Appends records to the camera's index, one write. A torn last line (a writer that died
   * mid-record) is cut off first while no recorder runs, as the recorder does on open, so the
   * records never glue onto it; a corrupt record refuses every append (the recorder truncates
   * there on its next open, which would drop anything after it).
   */
  private async append(cameraId: string, cached: CachedIndex, records: readonly IndexRecord[], recorderMayRun: boolean): Promise<void> {
    const path = indexPath(this.root, cameraId);
    if (cached.stop === 'corrupt') throw new Error(`index of camera ${cameraId} has a corrupt record at byte ${cached.offset}; the recorder repairs it on its next open`);
    if (cached.stop === 'incomplete' && !(recorderMayRun && (await this.recorderHoldsStorage()))) {
      await truncate(path, cached.offset);
      cached.stop = 'end';
    }
    const isNew = cached.ino === -1;
    await appendIndexLines(path, records.map(encodeIndexRecord).join(''));
    if (isNew) await syncFolder(cameraDir(this.root, cameraId));
  }

  /** Creates cameras/<id>/blocks/ if missing, durably (the folders' names too). */
  private async makeCameraFolders(cameraId: string): Promise<void> {
    const created = await mkdir(blocksDir(this.root, cameraId), { recursive: true }).catch((err: unknown) => {
      throw storageError(err);
    });
    if (created === undefined) return;
    for (const folder of [this.root, camerasDir(this.root), cameraDir(this.root, cameraId)]) await syncFolder(folder);
  }

  /**
   * Writes a block file whole under its name, or throws and leaves nothing: `<name>.blk.tmp`,
   * fsync and, meanwhile, read back and check its SHA-256 against `sha256` (the only hash of a
   * fill: bytes given that do not hash to it fail here too), link to the name (refused if a file
   * has it), unlink the temporary name, fsync the folder. The read-back comes before the link
   * (the file is the same either way: a link names the same inode) so that bytes that do not
   * read back as `sha256` never have a block's name, even for a moment. A file already there
   * with exactly these bytes (an earlier attempt that stopped before its record) is taken as
   * written. Returns true if this call made it.
   *
   * The temporary file is written and read back with O_DIRECT where the file system takes it:
   * the bytes go from the block's buffer to the disk and back into another without a copy into
   * the page cache, and the read-back checks what the disk holds, not the cache. Measured on the
   * bench's 2-core VM, copying 1 GB into new page-cache folios cost the agent 2 to 3 CPU seconds
   * in the kernel (a 10-MB write gets large folios, whose memory the VM's balloon had handed
   * back to the host: a host fault per page on first touch), over half of its CPU for a
   * backfill; direct I/O of the same blocks, 0.1 s.
   */
  private async writeBlockFile(cameraId: string, startMs: number, bytes: Buffer, sha256: string): Promise<boolean> {
    if (!this.directIo) return this.writeBlockFileVia(cameraId, startMs, bytes, sha256, false);
    try {
      return await this.writeBlockFileVia(cameraId, startMs, bytes, sha256, true);
    } catch (err) {
      // A direct write or read refused (an alignment this disk does not take): nothing was
      // named, the temporary file is gone; this and every later block go through the page cache.
      if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
      this.directIo = false;
      return this.writeBlockFileVia(cameraId, startMs, bytes, sha256, false);
    }
  }

  private async writeBlockFileVia(cameraId: string, startMs: number, bytes: Buffer, sha256: string, directAsked: boolean): Promise<boolean> {
    const path = blockPath(this.root, cameraId, startMs);
    const temp = `${path}.tmp`;
    let created = false;
    let tempLeft = true;
    try {
      let direct = directAsked;
      const openTemp = async (): Promise<FileHandle> => {
        const flags = constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC | (direct ? constants.O_DIRECT : 0);
        return open(temp, flags, 0o644).catch((err: unknown) => {
          // A file system without O_DIRECT refuses the open itself.
          if (!direct || (err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
          direct = false;
          this.directIo = false;
          return openTemp();
        });
      };
      // The folder is there but for a camera's first fill: made only when the open says it is missing.
      const handle = await openTemp().catch(async (err: unknown) => {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        await mkdir(blocksDir(this.root, cameraId), { recursive: true });
        return openTemp();
      });
      try {
        if (direct) await this.writeDirect(handle, temp, bytes);
        else await writeWhole(handle, bytes);
        await syncAndCheck(handle, this.checkReadBack(handle, bytes, sha256, temp, direct));
      } finally {
        await handle.close();
      }
      try {
        // Unlike rename(), link() never replaces what has the name: recorded data stays as it is.
        await link(temp, path);
        created = true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const existing = await this.readBlockFile(cameraId, startMs, bytes.length);
        const same = existing !== null && sha256Hex(existing) === sha256;
        if (existing !== null) this.buffers.give(existing);
        if (!same) throw new BlockExistsError(`block file ${path} already exists with other content; it is never replaced`);
      }
      // The temporary name goes before the folder's fsync, which then makes both changes durable.
      // Before the record that lists the block: an index record never outlives its file's name
      // in a power loss, whatever order the file system commits metadata in.
      await unlinkIfThere(temp);
      tempLeft = false;
      await syncFolder(blocksDir(this.root, cameraId));
      return created;
    } catch (err) {
      if (created) await rm(path, { force: true });
      throw storageError(err);
    } finally {
      if (tempLeft) await unlinkIfThere(temp);
    }
  }

  /**
   * Writes `bytes` at the start of the file open with O_DIRECT: its whole pages straight from
   * the buffer (from a page-aligned copy if it is not page-aligned memory of a pool), and the
   * last partial page, if any, through the page cache on a second handle (a direct write is
   * whole pages; that page lies beyond every byte written directly, and the direct read-back
   * writes it out first).
   */
  private async writeDirect(handle: FileHandle, path: string, bytes: Buffer): Promise<void> {
    const pages = bytes.length - (bytes.length % pageBytes);
    const copy = isPageAligned(bytes) ? null : this.buffers.take(pages);
    try {
      if (copy !== null) bytes.copy(copy, 0, 0, pages);
      await writeWhole(handle, (copy ?? bytes).subarray(0, pages));
    } finally {
      if (copy !== null) this.buffers.give(copy);
    }
    if (pages === bytes.length) return;
    const tail = await open(path, 'r+');
    try {
      await writeWhole(tail, bytes.subarray(pages), pages);
    } finally {
      await tail.close();
    }
  }

  /**
   * A block file's bytes if it has exactly `bytes` bytes (the size its index record says), in a
   * buffer of the pool (give it back once done); null if it is missing or of another size.
   */
  private async readBlockFile(cameraId: string, startMs: number, bytes: number): Promise<Buffer | null> {
    if (bytes > this.blockBytesMax) throw new BlockCorruptError(`block ${startMs} of camera ${cameraId} is indexed as ${bytes} bytes, over the ${this.blockBytesMax} read`);
    let handle: FileHandle;
    try {
      handle = await open(blockPath(this.root, cameraId, startMs), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      if ((await handle.stat()).size !== bytes) return null;
      const buffer = this.buffers.take(bytes);
      const read = await readInto(handle, buffer).catch((err: unknown) => {
        this.buffers.give(buffer);
        throw err;
      });
      if (read === bytes) return buffer;
      this.buffers.give(buffer);
      return null;
    } finally {
      await handle.close();
    }
  }

  /**
   * Reads the open file whole into a buffer of the pool (one read, not a round trip to the
   * thread pool per chunk) and throws `ChecksumMismatchError` unless it holds exactly as many
   * bytes as `written` and they hash to `sha256`. Only when they do not is it compared with
   * `written`, to say which went wrong: the bytes given, or their way to the disk. A `direct`
   * handle (O_DIRECT) is read in whole pages, in one read: a short one is the file's end.
   */
  private async checkReadBack(handle: FileHandle, written: Buffer, sha256: string, path: string, direct: boolean): Promise<void> {
    // One byte more than written: a longer file shows as one.
    const wanted = direct ? Math.ceil((written.length + 1) / pageBytes) * pageBytes : written.length + 1;
    const buffer = this.buffers.take(wanted);
    try {
      // One read, as a rule: a regular file reads short only at its end.
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      const read = direct || bytesRead === written.length || bytesRead === buffer.length ? bytesRead : bytesRead + (await readInto(handle, buffer.subarray(bytesRead), bytesRead));
      const back = buffer.subarray(0, read);
      // On a worker thread: the event loop meanwhile carries on with other blocks' transfers.
      const actual = read === written.length ? await this.hashes.sha256Hex(back) : null;
      if (actual === sha256) return;
      if (actual !== null && back.equals(written)) throw new ChecksumMismatchError(`block bytes have SHA-256 ${actual}, not ${sha256}`);
      throw new ChecksumMismatchError(`block file ${path} does not read back as written`);
    } finally {
      this.buffers.give(buffer);
    }
  }

  /**
   * Block files the recorder would index on its next open (storage.ts, loadCamera): no index
   * entry at their start, no delete record for it (a retention the crash interrupted: the file
   * goes), outside every entry (else the recorder removes it: a fill that stopped before its
   * record, refilled later) and with valid frames from their start on.
   */
  private async unindexed(cameraId: string, cached: CachedIndex): Promise<MediaRange[]> {
    const index = cached.index;
    const candidates: number[] = [];
    let dir;
    try {
      dir = await opendir(blocksDir(this.root, cameraId));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    let seen = 0;
    try {
      for await (const dirent of dir) {
        if ((seen += 1) > blockDirEntriesMax) throw new Error(`blocks folder of camera ${cameraId} holds over ${blockDirEntriesMax} entries`);
        const startMs = parseBlockFileName(dirent.name);
        if (startMs === null || index.get(startMs) !== undefined || index.containing(startMs) !== undefined) continue;
        if (candidates.push(startMs) > unindexedFilesMax) throw new Error(`camera ${cameraId} has over ${unindexedFilesMax} block files its index does not list`);
      }
    } finally {
      // Leaving the loop early closes the directory already; closing twice throws.
      await dir.close().catch(() => undefined);
    }
    if (candidates.length === 0) return [];
    const deleted = await this.deletedStarts(cameraId, cached, new Set(candidates));
    const ranges: MediaRange[] = [];
    for (const startMs of candidates.sort((a, b) => a - b)) {
      if (deleted.has(startMs)) continue;
      const range = await this.validFrames(cameraId, startMs);
      if (range !== null && !index.overlaps(range.startMs, range.endMs)) ranges.push(range);
    }
    return ranges;
  }

  /** Which of `starts` a delete record names, reading the index up to what the cache has read. */
  private async deletedStarts(cameraId: string, cached: CachedIndex, starts: ReadonlySet<number>): Promise<Set<number>> {
    const deleted = new Set<number>();
    if (cached.offset === 0) return deleted;
    const handle = await open(indexPath(this.root, cameraId), 'r');
    try {
      const apply = (record: IndexRecord): void => {
        if (record.op === 'delete' && starts.has(record.startMs)) deleted.add(record.startMs);
      };
      await applyIndexBytes(handle, 0, cached.offset, { chunkBytes: this.chunkBytes, pace: new Pace(), resync: false, apply });
    } finally {
      await handle.close();
    }
    return deleted;
  }

  /** The range of a block file's valid frames (up to a torn or corrupt record), if its first frame is at its start. */
  private async validFrames(cameraId: string, startMs: number): Promise<MediaRange | null> {
    let bytes: Buffer;
    try {
      const handle = await open(blockPath(this.root, cameraId, startMs), 'r');
      try {
        bytes = await readAt(handle, 0, Math.min((await handle.stat()).size, this.blockBytesMax));
      } finally {
        await handle.close();
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const block = decodeBlock(bytes);
    const first = block.frames[0];
    const last = block.frames[block.frames.length - 1];
    if (first === undefined || last === undefined || first.timeMs !== startMs) return null;
    return { startMs, endMs: last.timeMs, fps: block.fps };
  }
}

/**
 * True if the open index file is the cached one, grown or not: same file id, at least as long,
 * and the same bytes just before the cached offset (a replaced file reusing the id shows there).
 */
async function isSameFileGrown(handle: FileHandle, stat: { dev: number; ino: number; size: number }, cached: CachedIndex): Promise<boolean> {
  if (stat.dev !== cached.dev || stat.ino !== cached.ino || stat.size < cached.offset) return false;
  const tail = await readAt(handle, cached.offset - cached.tail.length, cached.tail.length);
  return tail.equals(cached.tail);
}

/** Removes a file's name; nothing there is fine. */
async function unlinkIfThere(path: string): Promise<void> {
  await unlink(path).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  });
}

/**
 * Writes `bytes` at the file's byte `position` (its start by default) in as few write() calls
 * as the kernel allows (one, as a rule). Each call is a round trip through libuv's thread pool
 * (4 threads), where the fsyncs of other fills hold threads for tens of ms: in the backfill
 * bench fs.writeFile's 512-KiB pieces,
 * each queued behind them, took 86 to 133 ms per 10-MB block and 0.6 s of the event loop per
 * 2 GB (the hand-offs to the pool), one write 34 to 50 ms; the kernel CPU of the two did not
 * differ beyond the noise of a shared 2-core machine.
 */
async function writeWhole(handle: FileHandle, bytes: Buffer, position = 0): Promise<void> {
  let written = 0;
  // Bounded: each round writes at least one byte or throws.
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, position + written);
    if (bytesWritten === 0) throw new StorageFullError(`no byte written at ${position + written} of ${position + bytes.length}`);
    written += bytesWritten;
  }
}

/**
 * fsyncs the open file while `check` (a read-back of it) runs; throws the fsync's error first,
 * else the check's, once both have ended (neither is left running on the handle).
 */
async function syncAndCheck(handle: FileHandle, check: Promise<void>): Promise<void> {
  const [synced, checked] = await Promise.allSettled([handle.sync(), check]);
  if (synced.status === 'rejected') throw synced.reason;
  if (checked.status === 'rejected') throw checked.reason;
}

/** Reads from the file's byte `position` (its start by default) until `buffer` is full or the file ends; returns the bytes read. */
async function readInto(handle: FileHandle, buffer: Buffer, position = 0): Promise<number> {
  let filled = 0;
  // Bounded: each round reads at least one byte or stops.
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  // Not zeroed: only the bytes read are returned (a block is megabytes; zeroing it is wasted work).
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  // Bounded: each round reads at least one byte or stops.
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** The span of a whole block file, decoded with every frame's CRC-32 checked; null unless it decodes cleanly with at least one frame. */
function decodedSpan(bytes: Buffer): FrameSpan | null {
  const block = decodeBlock(bytes);
  const first = block.frames[0];
  const last = block.frames[block.frames.length - 1];
  if (!block.clean || first === undefined || last === undefined || block.fps < 1 || block.fps > 1000) return null;
  return { startMs: first.timeMs, endMs: last.timeMs, fps: block.fps, frameCount: block.frames.length };
}

/**
 * Appends `text` with one write() on index.log opened with O_APPEND, then syncs its data. A
 * short write (the disk filled up mid-record) is taken back off the end, so that the next
 * record does not glue onto a partial one and make a corrupt line.
 */
async function appendIndexLines(path: string, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  try {
    const handle = await open(path, 'a+', 0o644);
    try {
      const { bytesWritten } = await handle.write(bytes, 0, bytes.length, null);
      if (bytesWritten < bytes.length) {
        await takeBackShortAppend(handle, bytes.subarray(0, bytesWritten));
        throw new StorageFullError(`${path}: ${bytesWritten} of ${bytes.length} bytes written`);
      }
      await handle.datasync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw storageError(err);
  }
}

async function takeBackShortAppend(handle: FileHandle, written: Buffer): Promise<void> {
  if (written.length === 0) return;
  const size = (await handle.stat()).size;
  // Only if nothing was appended after it (another writer's record is never cut).
  if ((await readAt(handle, size - written.length, written.length)).equals(written)) await handle.truncate(size - written.length);
}

/** ENOSPC and EDQUOT as `StorageFullError` (backfill pauses until space is freed); other errors as they are. */
function storageError(err: unknown): unknown {
  if (err instanceof BackfillStorageError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StorageFullError(`no space left for backfill (${code}): ${(err as Error).message}`, { cause: err });
  return err;
}

function checkCameraId(root: string, cameraId: string): void {
  // Throws on anything that is not a canonical camera GUID, so no id can point outside the storage.
  cameraDir(root, cameraId);
}

function checkTime(timeMs: number, name: string): void {
  if (!Number.isSafeInteger(timeMs) || timeMs < 0 || timeMs > maxFrameTimeMs) throw new RangeError(`${name} must be a frame time in ms since the Unix epoch, not ${String(timeMs)}`);
}

function checkRange(range: MediaRange, at: number): void {
  checkTime(range.startMs, `placeholder ${at} startMs`);
  checkTime(range.endMs, `placeholder ${at} endMs`);
  if (range.endMs < range.startMs) throw new RangeError(`placeholder ${at} ends (${range.endMs}) before it starts (${range.startMs})`);
  if (!Number.isInteger(range.fps) || range.fps < 1 || range.fps > 1000) throw new RangeError(`placeholder ${at} has fps ${String(range.fps)}, not 1 to 1000`);
}
