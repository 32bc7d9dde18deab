import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { readJson, sendJson, sendProblem } from '../shared/http.js';
import type { Logger } from '../shared/log.js';
import type { CameraSpec } from './camera.js';
import { ALL_CAMERAS, ConnectionRules } from './connection-rules.js';
import { EmittedFrames } from './emitted-frames.js';
import { frameBytes, frameIndexAtOrBefore, frameTimeMs } from './frames.js';
import { MJPEG_CONTENT_TYPE, PART_TRAILER, partHeader } from './mjpeg.js';

/** Tuning of the hub; every queue and wait is bounded by one of these. */
export interface HubOptions {
  readonly host: string;
  readonly port: number;
  /** How often the hub wakes up to send due frames. */
  readonly tickMs: number;
  /** Bytes a connection may have queued before the hub skips frames for it (a slow recorder loses frames, as with a real camera). */
  readonly maxBufferedBytes: number;
  /** A connection that stays over `maxBufferedBytes` this long is closed. */
  readonly stallTimeoutMs: number;
  /** Most frames sent at once to one connection to catch up after a late tick. */
  readonly maxCatchUpFrames: number;
}

export const defaultHubOptions: Omit<HubOptions, 'host' | 'port'> = { tickMs: 10, maxBufferedBytes: 2 * 1024 * 1024, stallTimeoutMs: 15_000, maxCatchUpFrames: 50 };

interface Subscriber {
  readonly cameraId: string;
  readonly recorder: string;
  readonly res: ServerResponse;
  readonly sinceMs: number;
  /** Next frame number to send; null until the first tick. */
  nextIndex: number | null;
  framesSent: number;
  framesSkipped: number;
  stalledSinceMs: number | null;
}

const connectionRequestSchema = z.object({
  cameraId: z.string().min(1).max(64),
  recorder: z.string().min(1).max(200),
  action: z.enum(['drop', 'refuse', 'allow']),
});

/** Longest window one emitted-frames query may ask for. */
const EMITTED_WINDOW_MS_MAX = 24 * 60 * 60 * 1000;
/** Most runs in one emitted-frames answer; beyond it the answer says `truncated`. */
const EMITTED_RUNS_PER_ANSWER_MAX = 200_000;

const emittedQuerySchema = z
  .object({
    fromMs: z.coerce.number().int().min(0),
    toMs: z.coerce.number().int().min(0),
    cameraId: z.string().regex(/^[0-9a-f-]{36}$/).optional(),
  })
  .strict()
  .refine((q) => q.fromMs <= q.toMs && q.toMs - q.fromMs <= EMITTED_WINDOW_MS_MAX, { message: `need fromMs <= toMs and a window of at most ${EMITTED_WINDOW_MS_MAX} ms` });

/**
 * The camera hub: serves every camera of a catalog as an MJPEG stream, one TCP connection per
 * camera per recorder, and lets the lab drop or refuse one recorder's connection to one camera.
 */
export class CameraHub {
  private readonly cameras = new Map<string, CameraSpec>();
  private readonly subscribers = new Set<Subscriber>();
  private readonly rules = new ConnectionRules();
  private readonly server: Server;
  private ticker: NodeJS.Timeout | null = null;
  private readonly frameCache = new Map<string, { index: number; bytes: Buffer }>();
  /** Every frame written to a recorder's connection, for frame accounting (GET /lab/emitted). */
  private readonly emitted = new EmittedFrames();

  constructor(
    cameras: readonly CameraSpec[],
    private readonly options: HubOptions,
    private readonly log: Logger,
  ) {
    for (const camera of cameras) this.cameras.set(camera.id, camera);
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        this.log.warn({ err }, 'request failed');
        if (!res.headersSent) sendProblem(res, 500, 'Internal error');
        else res.destroy();
      });
    });
    this.server.keepAliveTimeout = 5_000;
    this.server.maxConnections = 4096;
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.ticker = setInterval(() => this.tick(Date.now()), this.options.tickMs);
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (this.ticker !== null) clearInterval(this.ticker);
    for (const sub of this.subscribers) sub.res.destroy();
    this.subscribers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://hub');
    const stream = /^\/mjpg\/([0-9a-fA-F-]{36})\/video\.mjpg$/.exec(url.pathname);
    if (stream !== null && req.method === 'GET') {
      this.openStream(req, res, (stream[1] ?? '').toLowerCase(), url.searchParams.get('recorder') ?? `${req.socket.remoteAddress ?? 'unknown'}`);
      return;
    }
    if (url.pathname === '/cameras' && req.method === 'GET') {
      sendJson(res, 200, { cameras: [...this.cameras.values()] });
      return;
    }
    if (url.pathname === '/lab/emitted' && req.method === 'GET') {
      this.sendEmitted(url, res);
      return;
    }
    if (url.pathname === '/lab/connections' && req.method === 'GET') {
      sendJson(res, 200, { refused: this.rules.list(), connections: this.connectionList() });
      return;
    }
    if (url.pathname === '/lab/connections' && req.method === 'POST') {
      const parsed = connectionRequestSchema.safeParse(await readJson(req));
      if (!parsed.success) {
        sendProblem(res, 400, 'Bad connection rule', parsed.error.message);
        return;
      }
      const { cameraId, recorder, action } = parsed.data;
      if (cameraId !== ALL_CAMERAS && !this.cameras.has(cameraId)) {
        sendProblem(res, 404, 'Unknown camera', cameraId);
        return;
      }
      const dropped = this.apply(cameraId, recorder, action);
      sendJson(res, 200, { cameraId, recorder, action, droppedConnections: dropped, refused: this.rules.list() });
      return;
    }
    sendProblem(res, 404, 'Not found');
  }

  /** Applies a fault; returns how many open connections were cut. */
  apply(cameraId: string, recorder: string, action: 'drop' | 'refuse' | 'allow'): number {
    this.log.info({ cameraId, recorder, action }, 'connection rule');
    if (action === 'allow') {
      this.rules.allow(cameraId, recorder);
      return 0;
    }
    if (action === 'refuse') this.rules.refuse(cameraId, recorder);
    let dropped = 0;
    for (const sub of [...this.subscribers]) {
      if (sub.recorder === recorder && (cameraId === ALL_CAMERAS || sub.cameraId === cameraId)) {
        this.subscribers.delete(sub);
        sub.res.socket?.resetAndDestroy();
        dropped += 1;
      }
    }
    return dropped;
  }

  private openStream(req: IncomingMessage, res: ServerResponse, cameraId: string, recorder: string): void {
    if (!this.cameras.has(cameraId)) {
      sendProblem(res, 404, 'Unknown camera', cameraId);
      return;
    }
    if (this.rules.isRefused(cameraId, recorder)) {
      this.log.info({ cameraId, recorder }, 'connection refused by rule');
      req.socket.resetAndDestroy();
      return;
    }
    res.writeHead(200, { 'content-type': MJPEG_CONTENT_TYPE, 'cache-control': 'no-store', connection: 'close' });
    const sub: Subscriber = { cameraId, recorder, res, sinceMs: Date.now(), nextIndex: null, framesSent: 0, framesSkipped: 0, stalledSinceMs: null };
    this.subscribers.add(sub);
    const remove = (): void => {
      if (!this.subscribers.delete(sub)) return;
      this.log.info({ cameraId, recorder, framesSent: sub.framesSent, framesSkipped: sub.framesSkipped }, 'stream closed');
    };
    res.on('close', remove);
    res.on('error', remove);
    this.log.info({ cameraId, recorder }, 'stream opened');
  }

  private frame(camera: CameraSpec, index: number): Buffer {
    const cached = this.frameCache.get(camera.id);
    if (cached !== undefined && cached.index === index) return cached.bytes;
    const bytes = frameBytes(camera, frameTimeMs(index, camera.fps));
    this.frameCache.set(camera.id, { index, bytes });
    return bytes;
  }

  /** Sends every due frame to every connection; runs at its own pace, not per event. */
  tick(nowMs: number): void {
    for (const sub of this.subscribers) {
      const camera = this.cameras.get(sub.cameraId);
      if (camera === undefined) continue;
      const lastDue = frameIndexAtOrBefore(nowMs, camera.fps);
      if (sub.nextIndex === null) sub.nextIndex = lastDue;
      if (lastDue - sub.nextIndex + 1 > this.options.maxCatchUpFrames) {
        sub.framesSkipped += lastDue - this.options.maxCatchUpFrames + 1 - sub.nextIndex;
        sub.nextIndex = lastDue - this.options.maxCatchUpFrames + 1;
      }
      if (sub.res.writableLength > this.options.maxBufferedBytes) {
        sub.stalledSinceMs ??= nowMs;
        if (nowMs - sub.stalledSinceMs > this.options.stallTimeoutMs) {
          this.log.warn({ cameraId: sub.cameraId, recorder: sub.recorder }, 'connection stalled; closing');
          sub.res.destroy();
          continue;
        }
        if (lastDue >= sub.nextIndex) {
          sub.framesSkipped += lastDue - sub.nextIndex + 1;
          sub.nextIndex = lastDue + 1;
        }
        continue;
      }
      sub.stalledSinceMs = null;
      for (let index = sub.nextIndex; index <= lastDue; index += 1) {
        const bytes = this.frame(camera, index);
        sub.res.write(partHeader(frameTimeMs(index, camera.fps), bytes.length));
        sub.res.write(bytes);
        sub.res.write(PART_TRAILER);
        sub.framesSent += 1;
        this.emitted.record(sub.cameraId, sub.recorder, index);
      }
      sub.nextIndex = Math.max(sub.nextIndex, lastDue + 1);
    }
  }

  /**
   * GET /lab/emitted?fromMs=&toMs=[&cameraId=]: per camera and recorder, the runs of frames
   * with fromMs <= time <= toMs that the hub wrote to that recorder's connection (frames
   * skipped for a slow connection or after a late tick are not in them).
   */
  private sendEmitted(url: URL, res: ServerResponse): void {
    const parsed = emittedQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success) {
      sendProblem(res, 400, 'Bad emitted-frames query', parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
      return;
    }
    const { fromMs, toMs, cameraId } = parsed.data;
    if (cameraId !== undefined && !this.cameras.has(cameraId)) {
      sendProblem(res, 404, 'Unknown camera', cameraId);
      return;
    }
    let runsLeft = EMITTED_RUNS_PER_ANSWER_MAX;
    let truncated = false;
    const cameras = (cameraId === undefined ? [...this.cameras.values()] : [this.cameras.get(cameraId) as CameraSpec]).map((camera) => {
      const fromIndex = frameIndexAtOrBefore(fromMs - 1, camera.fps) + 1;
      const toIndex = frameIndexAtOrBefore(toMs, camera.fps);
      const recorders = this.emitted.query(camera.id, fromIndex, toIndex).map((e) => {
        const runs = e.runs.slice(0, Math.max(0, runsLeft));
        if (runs.length < e.runs.length) truncated = true;
        runsLeft -= runs.length;
        return {
          recorder: e.recorder,
          completeFromMs: e.completeFromIndex === null ? null : frameTimeMs(e.completeFromIndex, camera.fps),
          runs: runs.map((run) => ({ firstMs: frameTimeMs(run.first, camera.fps), lastMs: frameTimeMs(run.last, camera.fps), frames: run.last - run.first + 1 })),
        };
      });
      return { cameraId: camera.id, fps: camera.fps, recorders };
    });
    sendJson(res, 200, { fromMs, toMs, truncated, cameras });
  }

  private connectionList(): Array<Record<string, unknown>> {
    return [...this.subscribers].map((sub) => ({
      cameraId: sub.cameraId,
      recorder: sub.recorder,
      since: new Date(sub.sinceMs).toISOString(),
      framesSent: sub.framesSent,
      framesSkipped: sub.framesSkipped,
    }));
  }
}
