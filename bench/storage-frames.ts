// What a lab storage holds of a camera within a time window, frame by frame: read from its
// index (media-store/) and the block files the window touches, so a benchmark can count the
// frames a recorder dropped against the camera grid. Only blocks that intersect the window are
// read, so a storage with gigabytes of older history costs nothing here.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { CameraIndex } from '../media-store/camera-index.js';
import { decodeBlock, decodeIndex, sha256Hex } from '../media-store/format.js';
import { blockPath, indexPath } from '../media-store/layout.js';

/** Blocks of one camera read for one window, at most. */
const windowBlocksMax = 100_000;

export interface WindowFrames {
  /** Frame times in blocks this storage's recorder wrote. */
  readonly recorded: ReadonlySet<number>;
  /** Frame times in placeholders filled by backfill. */
  readonly filled: ReadonlySet<number>;
  /** Milliseconds of the window still covered by pending placeholders. */
  readonly placeholderMs: number;
}

/**
 * The frames the storage at `root` holds for `cameraId` with fromMs <= time <= toMs. Each block
 * read must decode cleanly and match its index record (size, frame count, SHA-256).
 */
export async function framesInWindow(root: string, cameraId: string, fromMs: number, toMs: number): Promise<WindowFrames> {
  const decoded = decodeIndex(await readFile(indexPath(root, cameraId)));
  const index = new CameraIndex({ lazyDeletes: true });
  for (const record of decoded.records) index.apply(record);
  const touching = index.entries.filter((entry) => entry.endMs >= fromMs && entry.startMs <= toMs);
  assert.ok(touching.length <= windowBlocksMax, `${touching.length} blocks of ${cameraId} in one window`);
  const recorded = new Set<number>();
  const filled = new Set<number>();
  let placeholderMs = 0;
  for (const entry of touching) {
    if (entry.state === 'placeholder') {
      placeholderMs += Math.min(entry.endMs, toMs) - Math.max(entry.startMs, fromMs) + 1;
      continue;
    }
    const bytes = await readFile(blockPath(root, cameraId, entry.startMs));
    const block = decodeBlock(bytes);
    const where = `block ${entry.startMs} of camera ${cameraId} in ${root}`;
    assert.ok(block.clean && bytes.length === entry.bytes && block.frames.length === entry.frameCount, `${where} decodes cleanly and matches its index record`);
    assert.equal(sha256Hex(bytes), entry.sha256, `${where}: SHA-256 as indexed`);
    const into = entry.state === 'filled' ? filled : recorded;
    for (const frame of block.frames) if (frame.timeMs >= fromMs && frame.timeMs <= toMs) into.add(frame.timeMs);
  }
  return { recorded, filled, placeholderMs };
}

/** A run of consecutive grid frames a storage lacks. */
export interface FrameGap {
  readonly fromMs: number;
  readonly frames: number;
}

/**
 * The grid frames `expected` (sorted) that are in none of `present`, as counted gaps.
 *
 * @example missingFrames([0, 100, 200, 300], [new Set([0, 300])]) // { missing: 2, gaps: [{ fromMs: 100, frames: 2 }] }
 */
export function missingFrames(expected: readonly number[], present: readonly ReadonlySet<number>[]): { missing: number; gaps: FrameGap[] } {
  const gaps: FrameGap[] = [];
  let missing = 0;
  let open: { fromMs: number; frames: number } | null = null;
  for (const timeMs of expected) {
    if (present.some((set) => set.has(timeMs))) {
      open = null;
      continue;
    }
    missing += 1;
    if (open === null) {
      open = { fromMs: timeMs, frames: 0 };
      gaps.push(open);
    }
    open.frames += 1;
  }
  return { missing, gaps };
}
