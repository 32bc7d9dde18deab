// What a lab recorder's storage holds, read from disk (media-store's format), for tests that
// compare two nodes' storages frame by frame.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CameraIndex } from '../../media-store/camera-index.js';
import { decodeBlock, decodeIndex } from '../../media-store/format.js';
import { blockPath, indexPath } from '../../media-store/layout.js';

/** Every frame a storage holds for a camera in [fromMs, toMs]: time → SHA-256 of the JPEG. */
export function framesOnDisk(storageDir: string, cameraId: string, fromMs: number, toMs: number): Map<number, string> {
  const index = new CameraIndex();
  for (const record of decodeIndex(readFileSync(indexPath(storageDir, cameraId))).records) index.apply(record);
  const frames = new Map<number, string>();
  for (const entry of index.entries) {
    if (entry.state === 'placeholder' || entry.endMs < fromMs || entry.startMs > toMs) continue;
    const bytes = readFileSync(blockPath(storageDir, cameraId, entry.startMs));
    const block = decodeBlock(bytes);
    assert.ok(block.clean, `block ${entry.startMs} of ${cameraId} decodes cleanly`);
    for (const frame of block.frames) {
      if (frame.timeMs < fromMs || frame.timeMs > toMs) continue;
      frames.set(frame.timeMs, createHash('sha256').update(bytes.subarray(frame.offset, frame.offset + frame.length)).digest('hex'));
    }
  }
  return frames;
}

/** Lines of index.log that are `fill` records, by start time: a block copied twice would show twice. */
export function fillRecords(storageDir: string, cameraId: string): number[] {
  return decodeIndex(readFileSync(indexPath(storageDir, cameraId)))
    .records.filter((record) => record.op === 'fill')
    .map((record) => record.startMs);
}
