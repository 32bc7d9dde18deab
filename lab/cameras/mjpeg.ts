/**
 * The camera stream protocol: Motion JPEG over HTTP (multipart/x-mixed-replace), the way IP
 * cameras have long served unicast video. Each part carries one JPEG with Content-Type and
 * Content-Length, plus the lab's `X-Frame-Time` header: the frame's time on the camera's fps
 * grid in ms since the Unix epoch (a real recorder would take the time from RTP/RTCP or on
 * arrival; the lab sends it so that both recorders of a pair store identical timestamps).
 */

export const MJPEG_BOUNDARY = 'twinreclabframe';
export const MJPEG_CONTENT_TYPE = `multipart/x-mixed-replace; boundary=${MJPEG_BOUNDARY}`;
export const FRAME_TIME_HEADER = 'X-Frame-Time';

/** Path of one camera's stream on the hub. The recorder adds `?recorder=<its name>`. */
export function streamPath(cameraId: string): string {
  return `/mjpg/${cameraId}/video.mjpg`;
}

/** The bytes that precede one frame in the stream. */
export function partHeader(timeMs: number, length: number): Buffer {
  return Buffer.from(
    `--${MJPEG_BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${length}\r\n${FRAME_TIME_HEADER}: ${timeMs}\r\n\r\n`,
    'latin1',
  );
}

export const PART_TRAILER = Buffer.from('\r\n', 'latin1');

export interface StreamFrame {
  readonly timeMs: number;
  readonly bytes: Buffer;
}

/** Limits that keep a broken or hostile stream from growing memory without bound. */
export interface MjpegLimits {
  readonly maxHeaderBytes: number;
  readonly maxFrameBytes: number;
}

export const defaultMjpegLimits: MjpegLimits = { maxHeaderBytes: 4096, maxFrameBytes: 8 * 1024 * 1024 };

const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');

/**
 * Incremental parser for the stream body. Feed it chunks; it returns the complete frames
 * found so far and keeps the remainder. Throws on a malformed stream (the caller drops the
 * connection and reconnects).
 */
export class MjpegParser {
  private buffer: Buffer = Buffer.alloc(0);
  private pending: { timeMs: number; length: number } | null = null;

  constructor(private readonly limits: MjpegLimits = defaultMjpegLimits) {}

  push(chunk: Buffer): StreamFrame[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: StreamFrame[] = [];
    // Bounded: each pass consumes a header or a frame, or stops.
    for (let guard = 0; guard < 100_000; guard += 1) {
      if (this.pending === null) {
        const end = this.buffer.indexOf(HEADER_END);
        if (end < 0) {
          if (this.buffer.length > this.limits.maxHeaderBytes) throw new Error('stream part header too long');
          break;
        }
        this.pending = parsePartHeader(this.buffer.subarray(0, end).toString('latin1'), this.limits);
        this.buffer = this.buffer.subarray(end + HEADER_END.length);
      } else {
        const needed = this.pending.length + PART_TRAILER.length;
        if (this.buffer.length < needed) break;
        frames.push({ timeMs: this.pending.timeMs, bytes: Buffer.from(this.buffer.subarray(0, this.pending.length)) });
        this.buffer = this.buffer.subarray(needed);
        this.pending = null;
      }
    }
    return frames;
  }
}

function parsePartHeader(text: string, limits: MjpegLimits): { timeMs: number; length: number } {
  const lines = text.split('\r\n').filter((line) => line.length > 0);
  if (lines[0] !== `--${MJPEG_BOUNDARY}`) throw new Error(`expected boundary, got ${JSON.stringify(lines[0]?.slice(0, 40))}`);
  let length = -1;
  let timeMs = -1;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') length = Number(value);
    if (name === FRAME_TIME_HEADER.toLowerCase()) timeMs = Number(value);
  }
  if (!Number.isSafeInteger(length) || length < 0 || length > limits.maxFrameBytes) throw new Error(`bad Content-Length ${length}`);
  if (!Number.isSafeInteger(timeMs) || timeMs < 0) throw new Error(`bad ${FRAME_TIME_HEADER} ${timeMs}`);
  return { timeMs, length };
}
