import { createCipheriv, createHash } from 'node:crypto';
import type { CameraSpec } from './camera.js';

/**
 * Deterministic camera frames.
 *
 * A frame's bytes are a pure function of (camera id, frame time, camera settings), with frame
 * times on the camera's fps grid: frame n is at floor(n * 1000 / fps) ms since the Unix epoch.
 * Two recorders that receive the same camera therefore store byte-identical frames.
 *
 * Every frame is a valid baseline JPEG: a uniformly grey image at the camera's resolution (its
 * scan data is a constant pattern), preceded by COM (comment) segments that carry a readable
 * header and pseudo-random filler (AES-128-CTR keyed by SHA-256 of camera id and time) up to
 * the size the bit rate asks for.
 */

/** Time in ms of frame number `index` on a `fps` grid. */
export function frameTimeMs(index: number, fps: number): number {
  return Math.floor((index * 1000) / fps);
}

/** Number of the last frame at or before `timeMs`. */
export function frameIndexAtOrBefore(timeMs: number, fps: number): number {
  let index = Math.floor((timeMs * fps) / 1000);
  // Guard against rounding at grid points.
  while (frameTimeMs(index, fps) > timeMs) index -= 1;
  while (frameTimeMs(index + 1, fps) <= timeMs) index += 1;
  return index;
}

/** True if `timeMs` is exactly a frame time of the grid. */
export function isOnGrid(timeMs: number, fps: number): boolean {
  return frameTimeMs(frameIndexAtOrBefore(timeMs, fps), fps) === timeMs;
}

const COM_MAX_PAYLOAD = 65_533;

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head[0] = 0xff;
  head[1] = marker;
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/**
 * The part of the JPEG after the COM segments, for one resolution: quantisation table, frame
 * header, two one-symbol Huffman tables and a scan in which every 8x8 block has DC difference 0
 * (code '0') and end-of-block (code '0'), i.e. a uniform grey picture. Two bits per block.
 */
function grayJpegTail(width: number, height: number): Buffer {
  const dqt = segment(0xdb, Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)]));
  const sof = segment(0xc0, Buffer.from([8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]));
  const oneSymbolTable = (tableClassAndId: number): Buffer => {
    const counts = Buffer.alloc(16, 0);
    counts[0] = 1; // one code of length 1 ('0') ...
    return segment(0xc4, Buffer.concat([Buffer.from([tableClassAndId]), counts, Buffer.from([0x00])])); // ... for symbol 0
  };
  const dhtDc = oneSymbolTable(0x00);
  const dhtAc = oneSymbolTable(0x10);
  const sos = segment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0]));
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const scanBits = blocks * 2;
  const scan = Buffer.alloc(Math.ceil(scanBits / 8), 0);
  const padBits = scan.length * 8 - scanBits;
  if (padBits > 0) scan[scan.length - 1] = (1 << padBits) - 1; // pad with 1-bits, as the standard requires
  return Buffer.concat([dqt, sof, dhtDc, dhtAc, sos, scan, Buffer.from([0xff, 0xd9])]);
}

const tailCache = new Map<string, Buffer>();
function cachedTail(width: number, height: number): Buffer {
  const key = `${width}x${height}`;
  let tail = tailCache.get(key);
  if (tail === undefined) {
    tail = grayJpegTail(width, height);
    if (tailCache.size > 64) tailCache.clear();
    tailCache.set(key, tail);
  }
  return tail;
}

/** Smallest frame the camera can produce: SOI + one COM with the header + the grey image. */
const HEADER_BYTES_MAX = 160;

/** Target size of one frame in bytes, from the bit rate. */
export function frameSizeBytes(camera: Pick<CameraSpec, 'bitrateBps' | 'fps' | 'width' | 'height'>): number {
  const fromBitrate = Math.round(camera.bitrateBps / 8 / camera.fps);
  const minimum = 2 + 4 + HEADER_BYTES_MAX + cachedTail(camera.width, camera.height).length;
  return Math.max(minimum, fromBitrate);
}

const ZEROES = Buffer.alloc(1 << 16, 0);

function filler(cameraId: string, timeMs: number, length: number): Buffer {
  const key = createHash('sha256').update(`twinrec-lab-frame|${cameraId}|${timeMs}`).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16, 0));
  const parts: Buffer[] = [];
  let remaining = length;
  while (remaining > 0) {
    const n = Math.min(remaining, ZEROES.length);
    parts.push(cipher.update(ZEROES.subarray(0, n)));
    remaining -= n;
  }
  parts.push(cipher.final());
  return Buffer.concat(parts, length);
}

/**
 * The bytes of the frame at `timeMs` (which must be on the camera's grid).
 *
 * @example frameBytes(camera, frameTimeMs(42, camera.fps)).subarray(0, 2) // <ff d8>
 */
export function frameBytes(camera: CameraSpec, timeMs: number): Buffer {
  if (!isOnGrid(timeMs, camera.fps)) throw new Error(`frame time ${timeMs} is not on the ${camera.fps} fps grid`);
  const tail = cachedTail(camera.width, camera.height);
  const header = Buffer.from(`twinrec-lab frame camera=${camera.id} time=${timeMs}\n`, 'latin1');
  const size = frameSizeBytes(camera);
  // Bytes left for COM segments (each adds a 4-byte marker+length).
  let comBudget = size - 2 - tail.length;
  const segments: Buffer[] = [Buffer.from([0xff, 0xd8])];
  const fillerBytes = filler(camera.id, timeMs, Math.max(0, comBudget));
  let fillerOffset = 0;
  let first = true;
  while (comBudget > 4) {
    const payloadLength = Math.min(COM_MAX_PAYLOAD, comBudget - 4);
    let payload: Buffer;
    if (first) {
      const rest = Math.max(0, payloadLength - header.length);
      payload = Buffer.concat([header.subarray(0, payloadLength), fillerBytes.subarray(fillerOffset, fillerOffset + rest)]);
      fillerOffset += rest;
      first = false;
    } else {
      payload = fillerBytes.subarray(fillerOffset, fillerOffset + payloadLength);
      fillerOffset += payloadLength;
    }
    segments.push(segment(0xfe, payload));
    comBudget -= payload.length + 4;
  }
  segments.push(tail);
  return Buffer.concat(segments);
}
