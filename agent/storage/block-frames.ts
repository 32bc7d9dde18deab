// A block file's frames from their record headers alone (media-store/format.ts): what backfill
// reads of a block whose every byte is checked by SHA-256 anyway, so that the CRC-32 of each
// payload, which that digest covers, is not computed as well.
import { BLOCK_HEADER_BYTES, BLOCK_MAGIC, FRAME_RECORD_OVERHEAD_BYTES, MAX_FRAME_BYTES } from '../../media-store/format.js';

/** A block's frames as the index records them. */
export interface FrameSpan {
  readonly startMs: number;
  readonly endMs: number;
  readonly fps: number;
  readonly frameCount: number;
}

/**
 * The span of a whole block file, walking its frame records as `decodeBlock` does but without
 * the CRC-32 of each payload. Null unless the records fill the bytes exactly, with at least one
 * frame, strictly increasing times and an fps of 1 to 1000: a torn, cut or misframed block.
 *
 * @example blockFrameSpan(blockFileBytes) // { startMs: 1_700_000_000_000, endMs: 1_700_000_009_900, fps: 10, frameCount: 100 }
 */
export function blockFrameSpan(bytes: Buffer): FrameSpan | null {
  if (bytes.length < BLOCK_HEADER_BYTES || !bytes.subarray(0, BLOCK_MAGIC.length).equals(BLOCK_MAGIC)) return null;
  const fps = bytes.readUInt16BE(BLOCK_MAGIC.length);
  let offset = BLOCK_HEADER_BYTES;
  let startMs = -1;
  let endMs = -1;
  let frameCount = 0;
  // Bounded: each record moves the offset forward by at least its header.
  while (offset + FRAME_RECORD_OVERHEAD_BYTES <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const timeMs = bytes.readUIntBE(offset + 4, 6);
    const end = offset + FRAME_RECORD_OVERHEAD_BYTES + length;
    if (length > MAX_FRAME_BYTES || end > bytes.length || timeMs <= endMs) return null;
    if (frameCount === 0) startMs = timeMs;
    endMs = timeMs;
    frameCount += 1;
    offset = end;
  }
  if (offset !== bytes.length || frameCount === 0 || fps < 1 || fps > 1000) return null;
  return { startMs, endMs, fps, frameCount };
}
