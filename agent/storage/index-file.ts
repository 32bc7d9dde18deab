// Reading a lab-format storage folder without the recorder's lock, shared by the read-only
// adapter (lab-format-adapter.ts) and the backfill writer (lab-format-backfill.ts): the marker
// check, and an index.log read chunk by chunk in slices of a few milliseconds (pace.ts), so that
// a long index never holds up the agent's event loop for long. Index records are appended with
// one write() each and a compaction replaces the file by a rename, so a reader sees whole
// records, at worst a torn last line, which it leaves for the next read.
import { readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeIndex, MAX_INDEX_LINE_BYTES, type IndexRecord } from '../../media-store/format.js';
import { STORAGE_FORMAT, STORAGE_MARKER } from '../../media-store/layout.js';
import type { Pace } from '../../shared/pace.js';

/** Index bytes decoded at once (a few hundred lines): well within a slice. */
const decodeSliceBytes = 64 * 1024;
/** Records applied between two looks at the clock. */
export const recordsPerClockRead = 256;
const markerMaxBytes = 4096;

/**
 * Throws unless `root` holds the lab-format marker of this version, so a wrong storage folder
 * is reported instead of being read as an empty storage (or written into).
 */
export async function checkStorageMarker(root: string): Promise<void> {
  const path = join(root, STORAGE_MARKER);
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).slice(0, markerMaxBytes);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${root} is not a lab-format storage (no ${STORAGE_MARKER})` : `cannot read ${path} (${code ?? 'error'})`);
  }
  let marker: { format?: unknown; version?: unknown } = {};
  try {
    marker = JSON.parse(text) as typeof marker;
  } catch {
    // Reported below like any other mismatch.
  }
  if (marker.format !== STORAGE_FORMAT.format || marker.version !== STORAGE_FORMAT.version) {
    throw new Error(`${root} holds ${String(marker.format)} version ${String(marker.version)}, not ${STORAGE_FORMAT.format} ${STORAGE_FORMAT.version}`);
  }
}

export interface IndexBytesRead {
  /**
   * File offset just after the last whole, checked record read: where the next read of the
   * same file goes on (it only grows, by appends). Meaningless while `resync` found no line start.
   */
  readonly offset: number;
  /** Why reading stopped: `end` (every byte up to `toOffset` used), `incomplete` (a torn or growing last line), `corrupt` (nothing after `offset` can be trusted). */
  readonly stop: 'end' | 'incomplete' | 'corrupt';
}

export interface IndexBytesOptions {
  readonly chunkBytes: number;
  readonly pace: Pace;
  /** `fromOffset` may fall inside a line: records start after the first newline (a bounded read of a long index's newest part). */
  readonly resync: boolean;
  /** Called with each record, in file order. */
  readonly apply: (record: IndexRecord) => void;
}

/**
 * Reads index.log bytes [fromOffset, toOffset) of an open file chunk by chunk and hands each
 * whole, checked record to `apply`, with turns of the event loop between slices; stops at a
 * corrupt line, as the recorder does on open. Throws once the pace's signal aborts.
 */
export async function applyIndexBytes(handle: FileHandle, fromOffset: number, toOffset: number, options: IndexBytesOptions): Promise<IndexBytesRead> {
  const { chunkBytes, pace, apply } = options;
  let position = fromOffset;
  let resyncing = options.resync;
  let pending = Buffer.alloc(0);
  while (position < toOffset) {
    pace.signal?.throwIfAborted();
    const chunk = Buffer.alloc(Math.min(chunkBytes, toOffset - position));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    pace.resumed();
    if (bytesRead === 0) break;
    position += bytesRead;
    let bytes = pending.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([pending, chunk.subarray(0, bytesRead)]);
    if (resyncing) {
      // The line the window cuts is left out: records start after the first newline.
      const newline = bytes.indexOf(0x0a);
      if (newline < 0) {
        if (bytes.length > MAX_INDEX_LINE_BYTES) return { offset: fromOffset, stop: 'corrupt' };
        pending = Buffer.from(bytes);
        continue;
      }
      bytes = bytes.subarray(newline + 1);
      resyncing = false;
    }
    const bytesStart = position - bytes.length;
    const applied = await applyRecords(bytes, apply, pace);
    if (applied.corrupt) return { offset: bytesStart + applied.used, stop: 'corrupt' };
    pending = Buffer.from(bytes.subarray(applied.used));
    if (pace.due()) await pace.turn();
  }
  if (resyncing) return { offset: fromOffset, stop: pending.length > 0 ? 'incomplete' : 'end' };
  return { offset: position - pending.length, stop: pending.length > 0 ? 'incomplete' : 'end' };
}

/**
 * Decodes and applies the whole lines of `bytes`, a slice of lines at a time with turns of the
 * event loop in between; returns how many bytes were used (the rest is a line to complete
 * with the next chunk, or a corrupt line).
 */
async function applyRecords(bytes: Buffer, apply: (record: IndexRecord) => void, pace: Pace): Promise<{ used: number; corrupt: boolean }> {
  let offset = 0;
  while (offset < bytes.length) {
    const newline = offset + decodeSliceBytes < bytes.length ? bytes.indexOf(0x0a, offset + decodeSliceBytes) : -1;
    const cut = newline < 0 ? bytes.length : newline + 1;
    const decoded = decodeIndex(bytes.subarray(offset, cut));
    const records = decoded.records;
    for (let k = 0; k < records.length; k += 1) {
      apply(records[k] as IndexRecord);
      if (k % recordsPerClockRead === recordsPerClockRead - 1 && pace.due()) await pace.turn();
    }
    offset += decoded.validBytes;
    if (decoded.stop === 'corrupt') return { used: offset, corrupt: true };
    if (decoded.stop === 'incomplete') break;
    if (pace.due()) await pace.turn();
  }
  return { used: offset, corrupt: false };
}
