// The storage adapter for the lab's on-disk format (media-store/, lab/README.md "Storage
// (on-disk format)"), read-only. It reads what a running recorder writes, without the lock:
// index records are appended with one write() each and a compaction replaces the file by a
// rename, so a reader sees whole records, at worst a torn last line, which it leaves out (the
// next scan sees it whole).
import { opendir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { CameraIndex } from '../../media-store/camera-index.js';
import { decodeIndex } from '../../media-store/format.js';
import { camerasDir, indexPath, isCameraDirName, STORAGE_FORMAT, STORAGE_MARKER } from '../../media-store/layout.js';
import type { CameraRanges, MediaRange, StorageAdapter } from './storage-adapter.js';

export interface LabFormatAdapterOptions {
  /** The storage folder (the recorder's `--storage`, holding LAB-STORAGE.json). */
  readonly root: string;
  /** Most bytes of one camera's index read per scan; a longer index is read up to here and reported truncated. */
  readonly maxIndexBytes?: number;
  /** Bytes read at a time; the event loop gets a turn between chunks. */
  readonly chunkBytes?: number;
}

export const defaultMaxIndexBytes = 64 * 1024 * 1024;
const defaultChunkBytes = 1024 * 1024;
/** Entries of cameras/ looked at before giving up on finding more camera folders (junk is skipped, but not forever). */
const dirEntriesPerCameraMax = 4;
const markerMaxBytes = 4096;

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
    await this.checkMarker();
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

  async readCamera(cameraId: string): Promise<CameraRanges> {
    const index = new CameraIndex();
    const truncated = await this.applyIndexFile(cameraId, index);
    const recorded: MediaRange[] = [];
    const placeholders: MediaRange[] = [];
    for (const entry of index.entries) {
      const range = { startMs: entry.startMs, endMs: entry.endMs, fps: entry.fps };
      if (entry.state === 'placeholder') placeholders.push(range);
      else recorded.push(range);
    }
    return { cameraId, recorded, placeholders, truncated };
  }

  /**
   * Applies the camera's index records, read chunk by chunk, to `index`. Stops at a torn tail
   * or a corrupt line (as the recorder does on open) and at `maxIndexBytes`. Returns true if
   * that bound cut it short.
   */
  private async applyIndexFile(cameraId: string, index: CameraIndex): Promise<boolean> {
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
      const end = Math.min(size, this.maxIndexBytes);
      let position = 0;
      let pending = Buffer.alloc(0);
      while (position < end) {
        const chunk = Buffer.alloc(Math.min(this.chunkBytes, end - position));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        const bytes = pending.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([pending, chunk.subarray(0, bytesRead)]);
        const decoded = decodeIndex(bytes);
        for (const record of decoded.records) index.apply(record);
        if (decoded.stop === 'corrupt') return false;
        pending = Buffer.from(bytes.subarray(decoded.validBytes));
        await yieldToEventLoop();
      }
      return size > this.maxIndexBytes;
    } finally {
      await handle.close();
    }
  }

  private async checkMarker(): Promise<void> {
    const path = join(this.root, STORAGE_MARKER);
    let text: string;
    try {
      text = (await readFile(path, 'utf8')).slice(0, markerMaxBytes);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(code === 'ENOENT' ? `${this.root} is not a lab-format storage (no ${STORAGE_MARKER})` : `cannot read ${path} (${code ?? 'error'})`);
    }
    let marker: { format?: unknown; version?: unknown } = {};
    try {
      marker = JSON.parse(text) as typeof marker;
    } catch {
      // Reported below like any other mismatch.
    }
    if (marker.format !== STORAGE_FORMAT.format || marker.version !== STORAGE_FORMAT.version) {
      throw new Error(`${this.root} holds ${String(marker.format)} version ${String(marker.version)}, not ${STORAGE_FORMAT.format} ${STORAGE_FORMAT.version}`);
    }
  }
}
