import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * The lab's on-disk media format (documented in lab/README.md, "Storage (on-disk format)").
 * Pure encoding and decoding; no file I/O here. The lab recorder writes it and twinrec's agent
 * reads it (its lab-format storage adapter), so it lives outside both.
 *
 * Block file `blocks/<startMs padded to 15 digits>.blk`:
 *   header  16 bytes: ASCII "TRLBLK01", u16 BE fps, 6 zero bytes
 *   records one per frame, in time order:
 *           u32 BE payload length | u48 BE frame time (ms since the Unix epoch)
 *           | u32 BE CRC-32 of (the 6 time bytes + payload) | payload (the JPEG)
 *
 * Index file `index.log`: one record per line, `<JSON> <CRC-32 of the JSON as 8 hex digits>\n`,
 * appended only. Decoding stops at the first line that is incomplete or fails its checksum
 * (a torn tail after a crash), which the opener then truncates.
 */

export const BLOCK_MAGIC = Buffer.from('TRLBLK01', 'ascii');
export const BLOCK_HEADER_BYTES = 16;
export const FRAME_RECORD_OVERHEAD_BYTES = 14;
/** Largest frame payload accepted anywhere in storage. */
export const MAX_FRAME_BYTES = 8 * 1024 * 1024;
/** Largest index line accepted; longer lines are treated as corruption. */
export const MAX_INDEX_LINE_BYTES = 4096;

export function blockHeader(fps: number): Buffer {
  if (!Number.isInteger(fps) || fps < 1 || fps > 1000) throw new Error(`bad fps ${fps}`);
  const header = Buffer.alloc(BLOCK_HEADER_BYTES, 0);
  BLOCK_MAGIC.copy(header, 0);
  header.writeUInt16BE(fps, 8);
  return header;
}

export function encodeFrameRecord(timeMs: number, payload: Buffer): Buffer {
  if (!Number.isSafeInteger(timeMs) || timeMs < 0 || timeMs >= 2 ** 48) throw new Error(`bad frame time ${timeMs}`);
  if (payload.length > MAX_FRAME_BYTES) throw new Error(`frame of ${payload.length} bytes is over the limit`);
  const head = Buffer.alloc(FRAME_RECORD_OVERHEAD_BYTES);
  head.writeUInt32BE(payload.length, 0);
  head.writeUIntBE(timeMs, 4, 6);
  head.writeUInt32BE(crc32(payload, crc32(head.subarray(4, 10))), 10);
  return Buffer.concat([head, payload]);
}

export interface DecodedFrame {
  readonly timeMs: number;
  /** Offset of the payload in the block file. */
  readonly offset: number;
  readonly length: number;
}

export interface DecodedBlock {
  readonly fps: number;
  readonly frames: DecodedFrame[];
  /** Bytes from the start that hold a valid header and whole, checked records. */
  readonly validBytes: number;
  /** False if bytes after `validBytes` were cut off or corrupt. */
  readonly clean: boolean;
}

/**
 * Decodes a block file's bytes. Never throws on bad content: it reports how much is valid,
 * so a torn tail can be truncated. Frame times must increase strictly.
 */
export function decodeBlock(bytes: Buffer): DecodedBlock {
  if (bytes.length < BLOCK_HEADER_BYTES || !bytes.subarray(0, 8).equals(BLOCK_MAGIC)) {
    return { fps: 0, frames: [], validBytes: 0, clean: false };
  }
  const fps = bytes.readUInt16BE(8);
  const frames: DecodedFrame[] = [];
  let offset = BLOCK_HEADER_BYTES;
  let lastTimeMs = -1;
  while (offset + FRAME_RECORD_OVERHEAD_BYTES <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const timeMs = bytes.readUIntBE(offset + 4, 6);
    const end = offset + FRAME_RECORD_OVERHEAD_BYTES + length;
    if (length > MAX_FRAME_BYTES || end > bytes.length || timeMs <= lastTimeMs) break;
    const payload = bytes.subarray(offset + FRAME_RECORD_OVERHEAD_BYTES, end);
    if (crc32(payload, crc32(bytes.subarray(offset + 4, offset + 10))) !== bytes.readUInt32BE(offset + 10)) break;
    frames.push({ timeMs, offset: offset + FRAME_RECORD_OVERHEAD_BYTES, length });
    lastTimeMs = timeMs;
    offset = end;
  }
  return { fps, frames, validBytes: offset, clean: offset === bytes.length };
}

/**
 * A block holding exactly the frames of `bytes` (a block file) with fromMs <= time <= toMs, with
 * the same header and byte-identical frame records: what a backfill copies when the target
 * already holds part of a block. The original bytes when the range holds every frame (so a
 * whole block keeps its SHA-256); null when no frame is in range or the block does not decode
 * cleanly (a block with a torn or corrupt tail is not copied).
 *
 * @example sliceBlock(blockFileBytes, 1_700_000_004_000, Number.MAX_SAFE_INTEGER) // the frames from 4 s on
 */
export function sliceBlock(bytes: Buffer, fromMs: number, toMs: number): Buffer | null {
  const block = decodeBlock(bytes);
  if (!block.clean || block.fps < 1 || block.fps > 1000) return null;
  const frames = block.frames.filter((frame) => fromMs <= frame.timeMs && frame.timeMs <= toMs);
  if (frames.length === 0) return null;
  if (frames.length === block.frames.length) return bytes;
  return Buffer.concat([blockHeader(block.fps), ...frames.map((frame) => encodeFrameRecord(frame.timeMs, bytes.subarray(frame.offset, frame.offset + frame.length)))]);
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** File name of a block: its start time padded so that names sort by time. */
export function blockFileName(startMs: number): string {
  return `${String(startMs).padStart(15, '0')}.blk`;
}

export function parseBlockFileName(name: string): number | null {
  const match = /^(\d{15})\.blk$/.exec(name);
  return match === null ? null : Number(match[1]);
}

/** What a block record says about a block's content. */
export interface BlockContent {
  /** Time of the first frame (ms since the Unix epoch). */
  readonly startMs: number;
  /** Time of the last frame (inclusive). */
  readonly endMs: number;
  readonly fps: number;
  readonly frameCount: number;
  /** Size of the block file. */
  readonly bytes: number;
  /** SHA-256 of the whole block file, lower-case hex. */
  readonly sha256: string;
}

export type IndexRecord =
  /** A block written by the recorder and complete on disk. */
  | ({ readonly op: 'block' } & BlockContent)
  /** A time range whose content is known to exist elsewhere and is pending (backfill). */
  | { readonly op: 'placeholder'; readonly startMs: number; readonly endMs: number; readonly fps: number }
  /** The content of a placeholder, now on disk. */
  | ({ readonly op: 'fill' } & BlockContent)
  /** A block removed by retention; written before the file is deleted. */
  | { readonly op: 'delete'; readonly startMs: number }
  /**
   * A running recorder records live from `startMs` on: pending placeholder time at or after it
   * is released (a placeholder holding `startMs` ends at startMs - 1, later ones go). A
   * placeholder reserved up to a moment in the future must never make a recorder drop what it
   * receives live.
   */
  | { readonly op: 'cut'; readonly startMs: number };

export function encodeIndexRecord(record: IndexRecord): string {
  const json = JSON.stringify(record);
  const checksum = crc32(Buffer.from(json, 'utf8')).toString(16).padStart(8, '0');
  return `${json} ${checksum}\n`;
}

export interface DecodedIndex {
  readonly records: IndexRecord[];
  /** Bytes from the start that hold whole, checked records. */
  readonly validBytes: number;
  readonly clean: boolean;
  /**
   * Why decoding stopped: `end` (all bytes decoded), `incomplete` (the rest is the start of a
   * line without its newline: a torn tail, or a line a reader of chunks will complete with
   * the next chunk) or `corrupt` (a whole line that is too long, fails its checksum or is not a
   * record: nothing after it can be trusted).
   */
  readonly stop: 'end' | 'incomplete' | 'corrupt';
}

function isIndexRecord(value: unknown): value is IndexRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const int = (key: string): boolean => Number.isSafeInteger(record[key]) && (record[key] as number) >= 0;
  switch (record.op) {
    case 'block':
    case 'fill':
      return int('startMs') && int('endMs') && int('fps') && int('frameCount') && int('bytes') && typeof record.sha256 === 'string' && (record.endMs as number) >= (record.startMs as number);
    case 'placeholder':
      return int('startMs') && int('endMs') && int('fps') && (record.endMs as number) >= (record.startMs as number);
    case 'delete':
    case 'cut':
      return int('startMs');
    default:
      return false;
  }
}

/** Decodes index bytes up to the first incomplete or corrupt line. */
export function decodeIndex(bytes: Buffer): DecodedIndex {
  const records: IndexRecord[] = [];
  let offset = 0;
  let stop: DecodedIndex['stop'] = 'end';
  while (offset < bytes.length) {
    const newline = bytes.indexOf(0x0a, offset);
    if (newline < 0) {
      stop = bytes.length - offset > MAX_INDEX_LINE_BYTES ? 'corrupt' : 'incomplete';
      break;
    }
    const record = newline - offset > MAX_INDEX_LINE_BYTES ? null : decodeIndexLine(bytes.subarray(offset, newline).toString('utf8'));
    if (record === null) {
      stop = 'corrupt';
      break;
    }
    records.push(record);
    offset = newline + 1;
  }
  return { records, validBytes: offset, clean: offset === bytes.length, stop };
}

/** One line without its newline: the record, or null if its checksum fails or it is not a record. */
function decodeIndexLine(line: string): IndexRecord | null {
  const space = line.lastIndexOf(' ');
  if (space < 0) return null;
  const json = line.slice(0, space);
  const checksum = line.slice(space + 1);
  if (crc32(Buffer.from(json, 'utf8')).toString(16).padStart(8, '0') !== checksum) return null;
  let record: unknown;
  try {
    record = JSON.parse(json);
  } catch {
    return null;
  }
  return isIndexRecord(record) ? record : null;
}
