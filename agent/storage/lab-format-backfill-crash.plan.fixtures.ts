// The blocks lab-format-backfill-crash.test.ts fills (the same in the test and in its filling
// process): two cameras, 24 blocks each of 10 frames at 10 fps, about 1 MB each, frame bytes
// from a fixed seed so that both processes make identical blocks.
import { createHash } from 'node:crypto';
import { blockHeader, encodeFrameRecord, sha256Hex } from '../../media-store/format.js';

export const crashCameraIds = ['1e100000-0000-4000-8000-0000000000c1', '1e100000-0000-4000-8000-0000000000c2'] as const;
export const crashBaseMs = 1_700_000_000_000;
export const crashBlocksPerCamera = 24;
const blockMs = 1_000;
const frameBytes = 100_000;

export interface CrashBlock {
  readonly cameraId: string;
  readonly startMs: number;
  readonly bytes: Buffer;
  readonly sha256: string;
}

/** Deterministic bytes: SHA-256 in counter mode over the seed. */
function seeded(seed: string, bytes: number): Buffer {
  const out = Buffer.allocUnsafe(bytes);
  for (let at = 0, i = 0; at < bytes; at += 32, i += 1) createHash('sha256').update(`${seed}/${i}`).digest().copy(out, at);
  return out;
}

/** Every block, interleaved across cameras, oldest first. */
export function crashPlan(): CrashBlock[] {
  const blocks: CrashBlock[] = [];
  for (let b = 0; b < crashBlocksPerCamera; b += 1) {
    for (const cameraId of crashCameraIds) {
      const startMs = crashBaseMs + b * blockMs;
      const frames = Array.from({ length: 10 }, (_, k) => encodeFrameRecord(startMs + k * 100, seeded(`${cameraId}/${startMs}/${k}`, frameBytes)));
      const bytes = Buffer.concat([blockHeader(10), ...frames]);
      blocks.push({ cameraId, startMs, bytes, sha256: sha256Hex(bytes) });
    }
  }
  return blocks;
}

/** The placeholder each camera's blocks fill. */
export const crashPlaceholder = { startMs: crashBaseMs, endMs: crashBaseMs + crashBlocksPerCamera * blockMs - 1, fps: 10 } as const;
