import { EventEmitter } from 'node:events';
import { get, type ClientRequest } from 'node:http';
import { MjpegParser, type StreamFrame } from '../cameras/mjpeg.js';
import { backoffMs } from '../shared/backoff.js';
import type { Logger } from '../shared/log.js';
import type { CameraConfig } from './device-config.js';

export interface FeedOptions {
  readonly connectTimeoutMs: number;
  /** A stream that delivers no frame for this long is dropped and reconnected. */
  readonly idleTimeoutMs: number;
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
}

export const defaultFeedOptions: FeedOptions = { connectTimeoutMs: 5_000, idleTimeoutMs: 5_000, retryMinMs: 200, retryMaxMs: 2_000 };

export interface FeedEvents {
  frame: [StreamFrame];
  state: [boolean];
}

/**
 * One camera's stream into the recorder: a single HTTP connection to the camera (one per
 * camera, as with unicast), reconnected with back-off when it fails. Emits `frame` for every
 * frame and `state` when the connection comes or goes.
 */
export class CameraFeed extends EventEmitter<FeedEvents> {
  private request: ClientRequest | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private stopped = true;
  connected = false;
  /** True once a connection attempt failed or a stream broke, until the next frame arrives. */
  failed = false;

  constructor(
    readonly camera: CameraConfig,
    private readonly recorderName: string,
    private readonly options: FeedOptions,
    private readonly log: Logger,
  ) {
    super();
    this.setMaxListeners(100);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.request?.destroy();
    this.request = null;
    this.setConnected(false);
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    this.emit('state', connected);
  }

  private connect(): void {
    if (this.stopped) return;
    const url = new URL(this.camera.streamUrl);
    url.searchParams.set('recorder', this.recorderName);
    const req = get(url, { agent: false, timeout: this.options.connectTimeoutMs });
    this.request = req;
    const parser = new MjpegParser();
    let ended = false;
    const fail = (reason: string, err?: unknown): void => {
      if (ended) return;
      ended = true;
      req.destroy();
      if (this.request === req) this.request = null;
      if (this.idleTimer !== null) clearTimeout(this.idleTimer);
      this.failed = true;
      this.setConnected(false);
      if (this.stopped) return;
      const delayMs = backoffMs(this.attempt, this.options.retryMinMs, this.options.retryMaxMs);
      this.attempt += 1;
      this.log.info({ cameraId: this.camera.id, reason, err: err instanceof Error ? err.message : undefined, retryInMs: delayMs }, 'camera stream lost');
      this.retryTimer = setTimeout(() => this.connect(), delayMs);
    };
    const armIdle = (): void => {
      if (this.idleTimer !== null) clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => fail('no frame'), this.options.idleTimeoutMs);
    };
    req.on('timeout', () => fail('connect timeout'));
    req.on('error', (err) => fail('connection error', err));
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        fail(`camera answered ${res.statusCode ?? 0}`);
        return;
      }
      req.setTimeout(0);
      armIdle();
      res.on('data', (chunk: Buffer) => {
        let frames: StreamFrame[];
        try {
          frames = parser.push(chunk);
        } catch (err) {
          fail('malformed stream', err);
          return;
        }
        if (frames.length === 0) return;
        armIdle();
        this.attempt = 0;
        this.failed = false;
        this.setConnected(true);
        for (const frame of frames) this.emit('frame', frame);
      });
      res.on('end', () => fail('stream ended'));
      res.on('error', (err) => fail('stream error', err));
      res.on('close', () => fail('stream closed'));
    });
  }
}
