// The health probe of the local recording server, through its own SOAP status service
// (RecorderStatusService2 on the web server port, 7563 by default), with an IDP token from
// the management server, exactly as any XProtect client reads device status.
//
// It runs every 250 ms, so it is kept light: hand-built SOAP 1.1 envelopes over fetch (keep-alive
// connections), answers read with the product's XML reader (shared/xml.ts), a token cached for
// most of its lifetime (idp-token.ts), and the per-camera statistics (fps, resolution) fetched at most every
// `statisticsEveryMs`.
import type { Logger } from 'pino';
import type { CameraStatus, RecorderHealth, RecorderProbe, StorageStatus } from '../shell/ports.js';
import { readXml } from '../../shared/xml.js';
import { fetchTrusting, type ServerTrust } from '../../shared/tls/server-trust.js';
import { readBoundedOrFail, RequestFailure, requestFailureReason } from '../shared/request-failure.js';
import { recorderTokenSource } from './recorder-token.js';
import type { TokenSource } from './token-source.js';

export const recorderStatusNamespace = 'http://videoos.net/2/XProtectCSRecorderStatus2';
export const recorderStatusServicePath = 'RecorderStatusService/RecorderStatusService2.asmx';
/** The device id a recorder reports while it has not loaded its device configuration. */
export const unloadedDeviceId = '00000000-0000-0000-0000-000000000000';

export interface SoapRecorderProbeOptions {
  /** The recorder's web server, e.g. http://127.0.0.1:7563/ (RecorderInfo.WebServerUri); https:// when it runs encrypted. */
  readonly webServerUrl: string;
  /**
   * How an https web server is trusted: its certificate's fingerprint, or the CA that issued it
   * (agent.yaml recorder.fingerprint / caFile). A recorder showing another certificate is
   * unreachable for the probe, and never gets the token. Null or absent: plain http:// only.
   */
  readonly trust?: ServerTrust | null;
  /** The IDP token endpoint, e.g. http://ms/IDP/connect/token. */
  readonly tokenUrl: string;
  readonly username: string;
  readonly password: string;
  /** Bound on one whole probe, token included. */
  readonly timeoutMs: number;
  /** GetVideoDeviceStatistics at most this often; in between the last values are reused. Default 2000. */
  readonly statisticsEveryMs?: number;
  /** A token source to use (tests); without it the probe makes its own (and closes it), as the agent has it. */
  readonly tokens?: TokenSource;
  readonly log: Logger;
}

const defaultStatisticsEveryMs = 2_000;
const maxAnswerBytes = 16 * 1024 * 1024;
const maxReasonLength = 200;

// ---------------------------------------------------------------------------------------------
// Parsing (pure): SOAP envelopes to the ports' types. Tolerant of namespace prefixes, of
// missing optional elements and of empty arrays written as `<X/>`.

/** A SOAP fault as the recorder writes it (soap:Server, detail ErrorNumber/SubErrorNumber). */
export interface SoapFaultInfo {
  readonly message: string;
  readonly errorNumber: number | null;
  readonly subErrorNumber: number | null;
}

export type SoapAnswer = { readonly kind: 'result'; readonly result: unknown } | { readonly kind: 'fault'; readonly fault: SoapFaultInfo };

export class UnparseableAnswerError extends Error {
  override readonly name = 'UnparseableAnswerError';
}

type XmlNode = Record<string, unknown>;

const isNode = (value: unknown): value is XmlNode => typeof value === 'object' && value !== null && !Array.isArray(value);

function child(node: unknown, name: string): unknown {
  return isNode(node) ? node[name] : undefined;
}

function children(node: unknown, name: string): XmlNode[] {
  const value = child(node, name);
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.filter(isNode);
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** xs:boolean; anything else (or missing) is false, the cautious reading of a health flag. */
function bool(value: unknown): boolean {
  const t = text(value)?.trim().toLowerCase();
  return t === 'true' || t === '1';
}

function nonNegative(value: unknown): number | null {
  const t = text(value)?.trim();
  if (t === undefined || t === null || t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

function guid(value: unknown, what: string): string {
  const t = text(value)?.trim().replace(/^\{|\}$/g, '').toLowerCase() ?? '';
  if (t === '' || t.length > 64) throw new UnparseableAnswerError(`${what} without a valid id`);
  return t;
}

function firstNumber(value: unknown): number | null {
  const n = Number(text(value));
  return text(value) !== null && Number.isInteger(n) ? n : null;
}

/**
 * The result element of `<operation>Response`, or the fault. Throws UnparseableAnswerError when
 * the text is not a SOAP envelope answering `operation`.
 */
export function parseSoapAnswer(xml: string, operation: string): SoapAnswer {
  let document: unknown;
  try {
    // Values stay strings (a GUID like "1e100000-…" must not become a number); a repeated
    // element is an array and a single one a value, which children() below reads alike.
    document = readXml(xml, { stripPrefixes: true });
  } catch (err) {
    throw new UnparseableAnswerError(`not XML (${(err as Error).message.slice(0, 80)})`);
  }
  const body = child(child(document, 'Envelope'), 'Body');
  if (!isNode(body)) throw new UnparseableAnswerError('no SOAP envelope');
  const fault = child(body, 'Fault');
  if (fault !== undefined) {
    // SOAP 1.1 (faultstring, detail) or 1.2 (Reason/Text, Detail).
    const message = text(child(fault, 'faultstring')) ?? text(child(child(fault, 'Reason'), 'Text')) ?? 'no fault text';
    const detail = child(fault, 'detail') ?? child(fault, 'Detail');
    return { kind: 'fault', fault: { message, errorNumber: firstNumber(child(detail, 'ErrorNumber')), subErrorNumber: firstNumber(child(detail, 'SubErrorNumber')) } };
  }
  const response = child(body, `${operation}Response`);
  if (response === undefined) throw new UnparseableAnswerError(`no ${operation}Response`);
  return { kind: 'result', result: child(response, `${operation}Result`) };
}

/** The recorder's answer for a missing (sub-error 1) or invalid/expired (2) token. */
export function isTokenFault(fault: SoapFaultInfo): boolean {
  if (fault.errorNumber === 40000 && (fault.subErrorNumber === 1 || fault.subErrorNumber === 2)) return true;
  return /token/i.test(fault.message) && /invalid|expired|no token/i.test(fault.message);
}

/** CameraDeviceStatus flags, without the statistics. */
export type DeviceStatusEntry = Pick<CameraStatus, 'deviceId' | 'enabled' | 'started' | 'recording' | 'errorNoConnection' | 'errorOverflow' | 'error'>;

/** GetCurrentDeviceStatusResult (a Status) → its cameras. */
export function readDeviceStatuses(result: unknown): DeviceStatusEntry[] {
  return children(child(result, 'CameraDeviceStatusArray'), 'CameraDeviceStatus').map((s) => ({
    deviceId: guid(s.DeviceId, 'CameraDeviceStatus'),
    enabled: bool(s.Enabled),
    started: bool(s.Started),
    recording: bool(s.Recording),
    errorNoConnection: bool(s.ErrorNoConnection),
    errorOverflow: bool(s.ErrorOverflow),
    error: bool(s.Error),
  }));
}

export type CameraStatistics = Pick<CameraStatus, 'fps' | 'fpsRequested' | 'resolution' | 'videoFormat' | 'usedSpaceBytes'>;

const noStatistics: CameraStatistics = { fps: null, fpsRequested: null, resolution: null, videoFormat: null, usedSpaceBytes: null };

/** GetVideoDeviceStatisticsResult → per camera id, the recording stream's figures. */
export function readVideoStatistics(result: unknown): Map<string, CameraStatistics> {
  const byDevice = new Map<string, CameraStatistics>();
  for (const device of children(result, 'VideoDeviceStatistics')) {
    const streams = children(child(device, 'VideoStreamStatisticsArray'), 'VideoStreamStatistics');
    const stream = streams.find((s) => bool(s.RecordingStream)) ?? streams[0];
    const width = nonNegative(child(stream?.ImageResolution, 'Width'));
    const height = nonNegative(child(stream?.ImageResolution, 'Height'));
    const format = text(stream?.VideoFormat)?.trim() ?? '';
    byDevice.set(guid(device.DeviceId, 'VideoDeviceStatistics'), {
      fps: nonNegative(stream?.FPS),
      fpsRequested: nonNegative(stream?.FPSRequested),
      resolution: width !== null && height !== null && width > 0 && height > 0 ? `${width}x${height}` : null,
      videoFormat: format === '' ? null : format.slice(0, 32),
      usedSpaceBytes: nonNegative(device.UsedSpaceInBytes),
    });
  }
  return byDevice;
}

/** GetRecordingStorageStatusResult (ArrayOfStorageStatus) → storages. */
export function readStorageStatuses(result: unknown): StorageStatus[] {
  return children(result, 'StorageStatus').map((s) => ({
    storageId: guid(s.StorageId, 'StorageStatus'),
    name: (text(s.Name) ?? '').slice(0, 255),
    path: (text(s.Path) ?? '').slice(0, 1024),
    available: bool(s.Available),
    usedSpaceBytes: nonNegative(s.UsedSpaceInBytes) ?? 0,
    freeSpaceBytes: nonNegative(s.FreeSpaceInBytes) ?? 0,
  }));
}

/** Joins device status with the last statistics; all-zero ids (configuration not loaded) are left out. */
export function toCameras(devices: readonly DeviceStatusEntry[], statistics: ReadonlyMap<string, CameraStatistics>): CameraStatus[] {
  return devices
    .filter((d) => d.deviceId !== unloadedDeviceId)
    .map((d) => {
      const s = statistics.get(d.deviceId) ?? noStatistics;
      return {
        deviceId: d.deviceId,
        enabled: d.enabled,
        started: d.started,
        recording: d.recording,
        errorNoConnection: d.errorNoConnection,
        errorOverflow: d.errorOverflow,
        error: d.error,
        fps: s.fps,
        fpsRequested: s.fpsRequested,
        resolution: s.resolution,
        videoFormat: s.videoFormat,
        usedSpaceBytes: s.usedSpaceBytes,
      };
    });
}

function xmlEscape(value: string): string {
  return value.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** A SOAP 1.1 document/literal wrapped request: `<operation xmlns=ns><token/>…</operation>`. */
export function soapEnvelope(operation: string, token: string, innerXml: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
    `<${operation} xmlns="${recorderStatusNamespace}"><token>${xmlEscape(token)}</token>${innerXml}</${operation}>` +
    '</soap:Body></soap:Envelope>'
  );
}

// ---------------------------------------------------------------------------------------------
// I/O

class SoapFaultError extends RequestFailure {
  override readonly name = 'SoapFaultError';
  constructor(readonly fault: SoapFaultInfo) {
    super(`SOAP fault: ${fault.message}`);
  }
}

const monotonicMs = (): number => performance.now();

class SoapRecorderProbe implements RecorderProbe {
  private readonly serviceUrl: string;
  private readonly statisticsEveryMs: number;
  private readonly tokens: TokenSource;
  /** The token source is the probe's own (closed with it), not one it was given. */
  private readonly ownsTokens: boolean;
  private readonly closing = new AbortController();
  private readonly inFlight = new Set<AbortController>();
  private statistics: ReadonlyMap<string, CameraStatistics> = new Map();
  private statisticsRequestedAtMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: SoapRecorderProbeOptions) {
    if (!(options.timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
    if (new URL(options.webServerUrl).protocol === 'https:' && (options.trust ?? null) === null) throw new RangeError(`the recorder's web server ${options.webServerUrl} is https: say how to trust it (a fingerprint, a CA file or the system's CAs)`);
    const base = options.webServerUrl.endsWith('/') ? options.webServerUrl : `${options.webServerUrl}/`;
    this.serviceUrl = new URL(recorderStatusServicePath, base).toString();
    this.statisticsEveryMs = options.statisticsEveryMs ?? defaultStatisticsEveryMs;
    this.ownsTokens = options.tokens === undefined;
    this.tokens = options.tokens ?? recorderTokenSource(options);
  }

  async probe(): Promise<RecorderHealth> {
    if (this.closing.signal.aborted) return { reachable: false, reason: 'probe closed' };
    const controller = new AbortController();
    this.inFlight.add(controller);
    let timer: NodeJS.Timeout | undefined;
    // The deadline holds whatever the I/O does: the race answers at timeoutMs at the latest.
    const deadline = new Promise<RecorderHealth>((resolve) => {
      timer = setTimeout(() => resolve({ reachable: false, reason: this.timeoutReason() }), this.options.timeoutMs);
    });
    try {
      const health = await Promise.race([this.probeOnce(controller.signal).catch((err: unknown) => this.failed(err, controller.signal)), deadline]);
      return health.reachable ? health : { reachable: false, reason: this.tokens.redact(health.reason, maxReasonLength) };
    } finally {
      clearTimeout(timer);
      controller.abort(new RequestFailure('probe finished'));
      this.inFlight.delete(controller);
    }
  }

  async close(): Promise<void> {
    const closed = new RequestFailure('probe closed');
    this.closing.abort(closed);
    for (const controller of this.inFlight) controller.abort(closed);
    if (this.ownsTokens) await this.tokens.close();
  }

  private timeoutReason(): string {
    return `timed out after ${this.options.timeoutMs} ms${this.tokens.waiting() ? ' waiting for a token' : ''}`;
  }

  private failed(err: unknown, signal: AbortSignal): RecorderHealth {
    if (signal.aborted && signal.reason instanceof RequestFailure) return { reachable: false, reason: signal.reason.reason };
    if (err instanceof UnparseableAnswerError) return { reachable: false, reason: `unparseable answer: ${err.message}` };
    return { reachable: false, reason: requestFailureReason(err, this.options.timeoutMs) };
  }

  private async probeOnce(signal: AbortSignal): Promise<RecorderHealth> {
    const nowMs = monotonicMs();
    const wantStatistics = nowMs - this.statisticsRequestedAtMs >= this.statisticsEveryMs;
    if (wantStatistics) this.statisticsRequestedAtMs = nowMs;
    const [devices, storages, statistics] = await Promise.all([
      this.call('GetCurrentDeviceStatus', '<deviceIds />', signal).then(readDeviceStatuses),
      this.call('GetRecordingStorageStatus', '', signal).then(readStorageStatuses),
      // Statistics only enrich the answer: when they fail, the last ones are kept.
      wantStatistics
        ? this.call('GetVideoDeviceStatistics', '<deviceIds />', signal).then(readVideoStatistics, (err: unknown) => {
            if (!signal.aborted) this.options.log.debug({ reason: this.tokens.redact(requestFailureReason(err, this.options.timeoutMs), maxReasonLength) }, 'GetVideoDeviceStatistics failed');
            return null;
          })
        : Promise.resolve(null),
    ]);
    if (statistics !== null) this.statistics = statistics;
    if (devices.length > 0 && devices.every((d) => d.deviceId === unloadedDeviceId)) return { reachable: false, reason: 'configuration not loaded' };
    return { reachable: true, cameras: toCameras(devices, this.statistics), storages };
  }

  /** One operation; a token the recorder rejects is replaced once and the call retried once. */
  private async call(operation: string, innerXml: string, signal: AbortSignal): Promise<unknown> {
    const token = await this.tokens.valid(signal);
    try {
      return await this.soap(operation, token, innerXml, signal);
    } catch (err) {
      if (!(err instanceof SoapFaultError) || !isTokenFault(err.fault) || !this.tokens.dropRejected(token, 'the recorder')) throw err;
      return await this.soap(operation, await this.tokens.valid(signal), innerXml, signal);
    }
  }

  private async soap(operation: string, token: string, innerXml: string, signal: AbortSignal): Promise<unknown> {
    let answer: SoapAnswer;
    let status: number;
    try {
      const res = await fetchTrusting(this.serviceUrl, this.options.trust ?? null, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${recorderStatusNamespace}/${operation}"` },
        body: soapEnvelope(operation, token, innerXml),
        signal,
      });
      status = res.status;
      const xml = await readBoundedOrFail(res, maxAnswerBytes);
      try {
        answer = parseSoapAnswer(xml, operation);
      } catch (err) {
        // A SOAP fault comes with HTTP 500; any other non-200 without an envelope is an HTTP error.
        if (status !== 200) throw new RequestFailure(`HTTP ${status}`);
        throw err;
      }
    } catch (err) {
      if (err instanceof RequestFailure || err instanceof UnparseableAnswerError) throw err;
      throw new RequestFailure(requestFailureReason(err, this.options.timeoutMs));
    }
    if (answer.kind === 'fault') throw new SoapFaultError(answer.fault);
    if (status !== 200) throw new RequestFailure(`HTTP ${status}`);
    return answer.result;
  }
}

/**
 * The RecorderProbe of a real (or lab) XProtect recording server.
 *
 * @example
 *   const probe = soapRecorderProbe({ webServerUrl: 'http://127.0.0.1:7563/', tokenUrl: 'http://ms/IDP/connect/token', username, password, timeoutMs: 750, log });
 *   const health = await probe.probe(); // { reachable: true, cameras: [...], storages: [...] }
 */
export function soapRecorderProbe(options: SoapRecorderProbeOptions): RecorderProbe {
  return new SoapRecorderProbe(options);
}
