// The storage adapter for the lab's on-disk format (media-store/, lab/README.md "Storage
// (on-disk format)"), read-only. It reads what a running recorder writes, without the lock:
// index records are appended with one write() each and a compaction replaces the file by a
// rename, so a reader sees whole records, at worst a torn last line, which it leaves out (the
// next scan sees it whole). It works in slices of a few milliseconds (pace.ts), so that a camera
// with a quarter of a million index records never holds up the agent's event loop for long.
import { opendir, open } from 'node:fs/promises';
import { CameraIndex, type IndexEntry } from '../../media-store/camera-index.js';
import type { IndexRecord } from '../../media-store/format.js';
import { camerasDir, indexPath, isCameraDirName } from '../../media-store/layout.js';
import { Pace } from '../../shared/pace.js';
import { applyIndexBytes, checkStorageMarker, recordsPerClockRead } from './index-file.js';
import type { CameraRanges, MediaRange, StorageAdapter } from './storage-adapter.js';

export interface LabFormatAdapterOptions {
  /** The storage folder (the recorder's `--storage`, holding LAB-STORAGE.json). */
  readonly root: string;
  /** Most bytes of one camera's index read per scan; of a longer index the newest this many are read, and reported truncated. */
  readonly maxIndexBytes?: number;
  /** Bytes read at a time. */
  readonly chunkBytes?: number;
}

export const defaultMaxIndexBytes = 64 * 1024 * 1024;
const defaultChunkBytes = 1024 * 1024;
/** Entries of cameras/ looked at before giving up on finding more camera folders (junk is skipped, but not forever). */
const dirEntriesPerCameraMax = 4;

export class LabFormatAdapter implements StorageAdapter {
  readonly kind = 'lab-format' as const;
  readonly root: string;
  private readonly maxIndexBytes: number;
  private readonly chunkBytes: number;

  constructor(options: LabFormatAdapterOptions) {
    this.root = options.root;
    this.maxIndexBytes = Math.max(1, options.maxIndexBytes ?? defaultMaxIndexBytes);
    this.chunkBytes = Math.max(1024, Math.min(options.chunkBytes ?? defaultChunkBytes, this.maxIndexBytes));
  }

  /**
   * The first `max` camera folders in id order (so a bounded scan always reads the same ones).
   * Throws if the folder is not a lab-format storage (no marker, or another format), so a wrong
   * `storage.root` is reported instead of showing an empty storage.
   */
  async listCameras(max: number): Promise<{ cameraIds: string[]; truncated: boolean }> {
    await checkStorageMarker(this.root);
    const limit = Math.max(0, Math.floor(max));
    const entriesMax = (limit + 1) * dirEntriesPerCameraMax + 1000;
    const found: string[] = [];
    let seen = 0;
    let dir;
    try {
      dir = await opendir(camerasDir(this.root));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { cameraIds: [], truncated: false };
      throw err;
    }
    try {
      for await (const entry of dir) {
        seen += 1;
        if (entry.isDirectory() && isCameraDirName(entry.name)) found.push(entry.name);
        if (seen >= entriesMax) break;
      }
    } finally {
      // Breaking out of the loop closes the directory already; closing twice throws.
      await dir.close().catch(() => undefined);
    }
    found.sort();
    return { cameraIds: found.slice(0, limit), truncated: found.length > limit || seen >= entriesMax };
  }

  async readCamera(cameraId: string, pace: Pace = new Pace()): Promise<CameraRanges> {
    // Deletes (retention) are most of a long index's records: tombstones, not a splice each.
    const index = new CameraIndex({ lazyDeletes: true });
    const truncated = await this.applyIndexFile(cameraId, index, pace);
    const recorded: MediaRange[] = [];
    const placeholders: MediaRange[] = [];
    const entries = index.entries;
    for (let k = 0; k < entries.length; k += 1) {
      const entry = entries[k] as IndexEntry;
      const range = { startMs: entry.startMs, endMs: entry.endMs, fps: entry.fps };
      if (entry.state === 'placeholder') placeholders.push(range);
      else recorded.push(range);
      if (k % recordsPerClockRead === 0 && pace.due()) await pace.turn();
    }
    return { cameraId, recorded, placeholders, truncated };
  }

  /**
   * Applies the camera's index records, read chunk by chunk, to `index`. Stops at a torn tail
   * or a corrupt line (as the recorder does on open). An index longer than `maxIndexBytes` is
   * read from where its newest `maxIndexBytes` begin (at the first whole line there), so that
   * the newest data is always seen; returns true then (the older part was left out).
   */
  private async applyIndexFile(cameraId: string, index: CameraIndex, pace: Pace): Promise<boolean> {
    let handle;
    try {
      handle = await open(indexPath(this.root, cameraId), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    try {
      // Only what is there now: records appended meanwhile wait for the next scan.
      const size = (await handle.stat()).size;
      const tail = size > this.maxIndexBytes;
      const apply = (record: IndexRecord): void => {
        const outcome = index.apply(record);
        // A fill whose placeholder lies before the window read: its content is on disk all the same.
        if (tail && record.op === 'fill' && typeof outcome === 'object' && index.get(record.startMs) === undefined) index.apply({ ...record, op: 'block' });
      };
      // From the byte before the window: if that is a newline, the window starts with a whole line.
      await applyIndexBytes(handle, tail ? size - this.maxIndexBytes - 1 : 0, size, { chunkBytes: this.chunkBytes, pace, resync: tail, apply });
      return tail;
    } finally {
      await handle.close();
    }
  }
}
