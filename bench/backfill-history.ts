// Synthetic recording history for the backfill benchmark: blocks of random frames written into a
// lab storage as another process may (lab/README.md, "Storage (on-disk format)"): each block
// file is written whole and fsynced before its `block` record is appended to index.log with one
// write() (O_APPEND), so the running recorder and the agents follow it as if it had recorded it.
// The pure half (slots and frame times on the camera grid, the block bytes) is tested beside it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { BLOCK_HEADER_BYTES, blockHeader, encodeFrameRecord, encodeIndexRecord, FRAME_RECORD_OVERHEAD_BYTES, sha256Hex } from '../media-store/format.js';
import { blockPath, blocksDir, indexPath } from '../media-store/layout.js';

/** Frames in one window or block, at most: a bound on every loop over the grid. */
const gridFramesMax = 10_000_000;
/** History blocks per camera, at most (a day of 10-s blocks is 8,640). */
const blocksPerCameraMax = 100_000;

/**
 * The frame times a camera at `fps` shows within [fromMs, toMs]: floor(n × 1000 / fps) for
 * whole n, as the lab's camera hub stamps them.
 *
 * @example gridFrameTimes(1_000, 1_250, 10) // [1000, 1100, 1200]
 */
export function gridFrameTimes(fromMs: number, toMs: number, fps: number): number[] {
  assert.ok(Number.isInteger(fps) && fps >= 1 && fps <= 1000, `fps ${fps} is a whole number from 1 to 1000`);
  assert.ok(Number.isSafeInteger(fromMs) && Number.isSafeInteger(toMs) && fromMs >= 0, `window ${fromMs}..${toMs} is whole milliseconds`);
  // n × 1000 must stay exact in a double: frame times are far below this (48 bits of ms).
  assert.ok(toMs * fps <= Number.MAX_SAFE_INTEGER, `window end ${toMs} is beyond the grid's exact range at ${fps} fps`);
  if (toMs < fromMs) return [];
  assert.ok(((toMs - fromMs) * fps) / 1000 <= gridFramesMax, `window ${fromMs}..${toMs} holds over ${gridFramesMax} frames`);
  const times: number[] = [];
  // The first n may land a frame before fromMs (floor); the filter keeps the window exact.
  for (let n = Math.floor((fromMs * fps) / 1000); Math.floor((n * 1000) / fps) <= toMs; n += 1) {
    const timeMs = Math.floor((n * 1000) / fps);
    if (timeMs >= fromMs) times.push(timeMs);
  }
  return times;
}

/** One history block: a slot of the block grid and the frame times in it. */
export interface HistorySlot {
  /** The slot's start, aligned to the Unix epoch (the block's name is its first frame's time). */
  readonly slotStartMs: number;
  readonly frameTimesMs: readonly number[];
}

/**
 * `count` whole slots of `blockDurationMs` (aligned to the epoch) ending at or before `endMs`,
 * oldest first, each holding every grid frame of its slot.
 *
 * @example historySlots(60_000, 10_000, 2, 10).map((s) => s.slotStartMs) // [40000, 50000]
 */
export function historySlots(endMs: number, blockDurationMs: number, count: number, fps: number): HistorySlot[] {
  assert.ok(Number.isInteger(blockDurationMs) && blockDurationMs >= 500, `block duration ${blockDurationMs} ms is at least 500 ms`);
  assert.ok(Number.isInteger(count) && count >= 1 && count <= blocksPerCameraMax, `slot count ${count} is from 1 to ${blocksPerCameraMax}`);
  const lastEndMs = Math.floor(endMs / blockDurationMs) * blockDurationMs;
  const firstStartMs = lastEndMs - count * blockDurationMs;
  assert.ok(firstStartMs >= 0, `${count} slots of ${blockDurationMs} ms do not fit before ${endMs}`);
  return Array.from({ length: count }, (_, i) => {
    const slotStartMs = firstStartMs + i * blockDurationMs;
    return { slotStartMs, frameTimesMs: gridFrameTimes(slotStartMs, slotStartMs + blockDurationMs - 1, fps) };
  });
}

/** Bytes of a block file of `frames` frames of `frameBytes` each. */
export function blockFileBytes(frames: number, frameBytes: number): number {
  return BLOCK_HEADER_BYTES + frames * (FRAME_RECORD_OVERHEAD_BYTES + frameBytes);
}

/**
 * A block file holding one frame of `frameBytes` random bytes at each of `frameTimesMs`
 * (random: nothing on the way may compress or deduplicate it).
 *
 * @example decodeBlock(historyBlock(10, [0, 100], 1_000)).frames.length // 2
 */
export function historyBlock(fps: number, frameTimesMs: readonly number[], frameBytes: number, random: (bytes: number) => Buffer = randomBytes): Buffer {
  assert.ok(frameTimesMs.length >= 1, 'a block holds at least one frame');
  assert.ok(Number.isInteger(frameBytes) && frameBytes >= 1, `frame size ${frameBytes} is at least 1 byte`);
  const payloads = random(frameTimesMs.length * frameBytes);
  const records = frameTimesMs.map((timeMs, i) => encodeFrameRecord(timeMs, payloads.subarray(i * frameBytes, (i + 1) * frameBytes)));
  return Buffer.concat([blockHeader(fps), ...records]);
}

export interface HistoryOptions {
  readonly fps: number;
  readonly blockDurationMs: number;
  readonly frameBytes: number;
  readonly blocksPerCamera: number;
  /** The history ends at or before this time (slot aligned). */
  readonly endMs: number;
}

export interface WrittenHistory {
  /** Every block file written, by camera. */
  readonly files: ReadonlyMap<string, readonly string[]>;
  readonly bytes: number;
  readonly blocks: number;
  /** First and last frame time of the history, over all cameras. */
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * Writes the same span of history for each camera into the storage at `root`: per block, the file
 * (created exclusively, never replacing one; fsynced), then its `block` record appended with one
 * write to index.log and synced, as the recorder seals its own blocks.
 */
export async function writeHistory(root: string, cameraIds: readonly string[], o: HistoryOptions): Promise<WrittenHistory> {
  const slots = historySlots(o.endMs, o.blockDurationMs, o.blocksPerCamera, o.fps);
  const files = new Map<string, string[]>();
  let bytes = 0;
  for (const cameraId of cameraIds) {
    await mkdir(blocksDir(root, cameraId), { recursive: true });
    const written: string[] = [];
    for (const slot of slots) {
      const block = historyBlock(o.fps, slot.frameTimesMs, o.frameBytes);
      const startMs = slot.frameTimesMs[0] as number;
      const path = blockPath(root, cameraId, startMs);
      const file = await open(path, 'wx', 0o644);
      try {
        await file.write(block);
        await file.sync();
      } finally {
        await file.close();
      }
      const record = encodeIndexRecord({ op: 'block', startMs, endMs: slot.frameTimesMs.at(-1) as number, fps: o.fps, frameCount: slot.frameTimesMs.length, bytes: block.length, sha256: sha256Hex(block) });
      const index = await open(indexPath(root, cameraId), 'a', 0o644);
      try {
        const { bytesWritten } = await index.write(record);
        assert.equal(bytesWritten, Buffer.byteLength(record), 'an index record goes in one write');
        await index.datasync();
      } finally {
        await index.close();
      }
      written.push(path);
      bytes += block.length;
    }
    files.set(cameraId, written);
  }
  const first = slots[0] as HistorySlot;
  const last = slots.at(-1) as HistorySlot;
  return { files, bytes, blocks: slots.length * cameraIds.length, fromMs: first.frameTimesMs[0] as number, toMs: last.frameTimesMs.at(-1) as number };
}
