import type { Socket } from 'node:net';
import type { StreamFrame } from '../../cameras/mjpeg.js';
import { normalizeGuid } from '../../shared/guid.js';
import type { Logger } from '../../shared/log.js';
import type { Recorder } from '../recorder.js';
import { sequencesAround } from '../sequences.js';
import { RequestFramer, alarmsResponse, imageResponse, methodResponse, parseConnectParam, parseMethodCall, type MethodCall } from './protocol.js';

export interface ImageServerLimits {
  /** Bytes queued on the socket beyond which live frames are skipped for this client. */
  readonly maxBufferedBytes: number;
  /** An idle session (no request, no live stream) is closed after this long. */
  readonly idleTimeoutMs: number;
}

export const defaultImageServerLimits: ImageServerLimits = { maxBufferedBytes: 2 * 1024 * 1024, idleTimeoutMs: 10 * 60_000 };

const CONTENT_TYPE = 'image/jpeg';
/** Requests queued on one connection; more means the client does not wait for answers. */
const MAX_PENDING_REQUESTS = 64;

/**
 * One ImageServer connection: `connect` (token checked), then `live`/`stop`, `goto`,
 * `next`/`previous` and `alarms` for the camera named in connect. Requests are handled one at
 * a time, in order.
 */
export class ImageServerSession {
  private readonly framer = new RequestFramer();
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private cameraId: string | null = null;
  private live: { requestId: string; listener: (frame: StreamFrame) => void; prevMs: number } | null = null;
  private playbackMs: number | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly recorder: Recorder,
    private readonly limits: ImageServerLimits,
    private readonly log: Logger,
  ) {
    socket.setTimeout(limits.idleTimeoutMs, () => {
      if (this.live === null) socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => this.stopLive());
  }

  private onData(chunk: Buffer): void {
    let requests: string[];
    try {
      requests = this.framer.push(chunk);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'ImageServer request rejected; closing');
      this.socket.destroy();
      return;
    }
    for (const text of requests) {
      if (this.pending >= MAX_PENDING_REQUESTS) {
        this.log.warn({ pending: this.pending }, 'ImageServer client sends faster than it reads answers; closing');
        this.socket.destroy();
        return;
      }
      this.pending += 1;
      this.chain = this.chain
        .then(() => this.handle(text))
        .catch((err: unknown) => {
          this.log.warn({ err: (err as Error).message }, 'ImageServer request failed');
          this.socket.destroy();
        })
        .finally(() => {
          this.pending -= 1;
        });
    }
  }

  private send(data: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  private async handle(text: string): Promise<void> {
    let call: MethodCall;
    try {
      call = parseMethodCall(text);
    } catch (err) {
      this.send(methodResponse('0', 'error', [['error', (err as Error).message]]));
      return;
    }
    if (call.methodName === 'connect' || call.methodName === 'connectupdate') {
      await this.connect(call);
      return;
    }
    if (this.cameraId === null) {
      this.send(methodResponse(call.requestId, call.methodName, [['error', 'Not connected']]));
      return;
    }
    switch (call.methodName) {
      case 'live':
        this.startLive(call.requestId, this.cameraId);
        return;
      case 'stop':
        this.stopLive();
        this.send(methodResponse(call.requestId, 'stop', []));
        return;
      case 'goto':
        await this.sendRecorded(call, Number(call.params.time));
        return;
      case 'next':
      case 'previous':
        await this.step(call);
        return;
      case 'alarms': {
        const centerMs = Number(call.params.centertime ?? Date.now());
        const timespanMs = Number(call.params.timespan ?? 24 * 3_600_000);
        const count = Number(call.params.numalarms ?? 16);
        const sequences = sequencesAround(this.recorder.sequences(this.cameraId), centerMs, timespanMs, Number.isFinite(count) ? count : 16);
        this.send(alarmsResponse(call.requestId, sequences));
        return;
      }
      default:
        this.send(methodResponse(call.requestId, call.methodName, [['error', 'Unsupported method']]));
    }
  }

  /** connect / connectupdate: the token must be a valid VMS token (token-check.ts), as for SOAP. */
  private async connect(call: MethodCall): Promise<void> {
    const param = parseConnectParam(call.params.connectparam ?? '');
    const update = call.methodName === 'connectupdate';
    let cameraId: string | null = null;
    try {
      cameraId = normalizeGuid(param.id ?? call.params.cameraid ?? this.cameraId ?? '');
    } catch {
      cameraId = null;
    }
    const verdict = await this.recorder.checkToken(param.token);
    let reason = '';
    if (!verdict.ok) reason = verdict.reason === 'missing' ? 'No token supplied' : 'Token invalid';
    else if (cameraId === null || this.recorder.camera(cameraId) === undefined) reason = 'Unknown camera';
    else if (update && this.cameraId !== null && cameraId !== this.cameraId) reason = 'connectupdate names another camera';
    if (reason !== '') {
      if (!update) this.cameraId = null;
      this.send(methodResponse(call.requestId, call.methodName, [['connected', 'no'], ['errorreason', reason]]));
      return;
    }
    this.cameraId = cameraId;
    this.send(methodResponse(call.requestId, call.methodName, [['connected', 'yes'], ['errorreason', '']]));
  }

  private startLive(requestId: string, cameraId: string): void {
    this.stopLive();
    const feed = this.recorder.liveFeed(cameraId);
    if (feed === undefined) {
      this.send(methodResponse(requestId, 'live', [['error', 'Camera not started']]));
      return;
    }
    const fps = this.recorder.camera(cameraId)?.fps ?? 1;
    const state = { requestId, prevMs: 0, listener: (frame: StreamFrame): void => {
      if (this.socket.writableLength > this.limits.maxBufferedBytes) return; // a slow client loses live frames
      const prevMs = state.prevMs === 0 ? frame.timeMs : state.prevMs;
      this.send(imageResponse({ requestId, currentMs: frame.timeMs, prevMs, nextMs: frame.timeMs + Math.round(1000 / fps), contentType: CONTENT_TYPE }, frame.bytes));
      state.prevMs = frame.timeMs;
    } };
    this.live = state;
    feed.on('frame', state.listener);
  }

  private stopLive(): void {
    if (this.live === null || this.cameraId === null) return;
    this.recorder.liveFeed(this.cameraId)?.off('frame', this.live.listener);
    this.live = null;
  }

  private async sendRecorded(call: MethodCall, timeMs: number): Promise<void> {
    if (!Number.isFinite(timeMs) || this.cameraId === null) {
      this.send(methodResponse(call.requestId, call.methodName, [['error', 'time missing']]));
      return;
    }
    const found = await this.recorder.frameAt(this.cameraId, timeMs);
    if (found === null) {
      this.send(methodResponse(call.requestId, call.methodName, [['error', 'No recordings']]));
      return;
    }
    this.playbackMs = found.frame.timeMs;
    this.send(imageResponse({ requestId: call.requestId, currentMs: found.frame.timeMs, nextMs: found.nextMs, prevMs: found.prevMs, contentType: CONTENT_TYPE }, found.frame.bytes));
  }

  private async step(call: MethodCall): Promise<void> {
    if (this.playbackMs === null || this.cameraId === null) {
      this.send(methodResponse(call.requestId, call.methodName, [['error', 'No playback position; send goto first']]));
      return;
    }
    const here = await this.recorder.frameAt(this.cameraId, this.playbackMs);
    if (here === null) {
      this.send(methodResponse(call.requestId, call.methodName, [['error', 'No recordings']]));
      return;
    }
    await this.sendRecorded(call, call.methodName === 'next' ? here.nextMs : here.prevMs);
  }
}
