// The health probe of the local recording server, through its own SOAP status service
// (RecorderStatusService2 on the web server port, 7563 by default), with the token the agent
// presents to its recorder (recorder-token.ts), exactly as any XProtect client reads device
// status: a node-soap client built from the WSDL the recorder serves (recorder-soap-client.ts),
// on its SOAP 1.1 or 1.2 port, asking GetCurrentDeviceStatus and GetVideoDeviceStatistics for
// the explicit camera ids the Management Server lists for this recorder, as Milestone's own
// cmdlets do (MilestonePSTools Get-VmsDeviceStatus, Get-CurrentDeviceStatus): what a recorder
// answers to an empty list is not documented (xprotect-integration.md 0a).
//
// It runs every 250 ms, so it is kept light: the client is made once and kept (made again after
// a WSDL that could not be read, with back-off, or after an answer it could not read),
// keep-alive connections, a token cached for most of its lifetime, and the per-camera
// statistics (fps, resolution) fetched at most every `statisticsEveryMs`.
import type { Logger } from 'pino';
import type { CameraStatus, RecorderHealth, RecorderProbe, StorageStatus } from '../shell/ports.js';
import type { ServerTrust } from '../../shared/tls/server-trust.js';
import { abortable, RequestFailure, requestFailureReason } from '../shared/request-failure.js';
import { createRecorderSoapClient, isTokenFault, SoapFaultError, UnparseableAnswerError, WsdlError, type RecorderSoapClient, type SoapVersion } from './recorder-soap-client.js';
import { recorderTokenSource } from './recorder-token.js';
import type { TokenSource } from './token-source.js';

export { isTokenFault, UnparseableAnswerError, type SoapFaultInfo, type SoapVersion } from './recorder-soap-client.js';

export const recorderStatusNamespace = 'http://videoos.net/2/XProtectCSRecorderStatus2';
export const recorderStatusServicePath = 'RecorderStatusService/RecorderStatusService2.asmx';
/** The service's name in its WSDL (`wsdl:service name`), whose ports are `…Soap` and `…Soap12`. */
export const recorderStatusServiceName = 'RecorderStatusService2';
/** The device id a recorder reports while it has not loaded its device configuration. */
export const unloadedDeviceId = '00000000-0000-0000-0000-000000000000';
/** Camera ids asked for in one call; beyond it the rest are left out (the lab's bound too). */
export const cameraIdsMax = 4096;

/**
 * The recorder's camera ids as the Management Server lists them (lower case); null while they
 * are not known yet (camera-names.ts reads them from the configuration REST API).
 */
export type CameraIdSource = () => readonly string[] | null;

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
  /** Bound on one whole probe, token and WSDL included. */
  readonly timeoutMs: number;
  /** The WSDL port the probe speaks (agent.yaml recorder.soapVersion). Default 1.1, what .NET proxies send. */
  readonly soapVersion?: SoapVersion;
  /** The camera ids to ask for; without it (or until it is given by `readCameraIdsFrom`) none are known. */
  readonly cameraIds?: CameraIdSource;
  /** GetVideoDeviceStatistics at most this often; in between the last values are reused. Default 2000. */
  readonly statisticsEveryMs?: number;
  /** A token source to use (tests); without it the probe makes its own (and closes it), as the agent has it. */
  readonly tokens?: TokenSource;
  readonly log: Logger;
}

/** How often the agent asks the recorder for its cameras' statistics (fps, used space) by default. */
export const defaultStatisticsEveryMs = 2_000;
const maxAnswerBytes = 16 * 1024 * 1024;
const maxReasonLength = 200;
/** Bound on reading the WSDL and building the client; a probe waits for it only until its own deadline. */
const clientCreateTimeoutMs = 10_000;

/**
 * Time before the WSDL is read again after `failures` failed reads in a row: 250 ms, 500 ms,
 * 1 s, then every 2 s, so that a recorder coming back is seen within 2 s and a stopped one
 * costs one refused connection per 2 s.
 */
export function clientRetryDelayMs(failures: number): number {
  return Math.min(2_000, 250 * 2 ** Math.max(0, Math.min(failures - 1, 8)));
}

// ---------------------------------------------------------------------------------------------
// Reading answers (pure): node-soap's objects (typed by the WSDL: booleans, numbers, strings) to
// the ports' types. Tolerant of missing optional elements, of one item where an array may be
// and of empty arrays (null).

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

/**
 * The `<operation>Result` of an `<operation>Response` as node-soap returns it.
 *
 * @throws UnparseableAnswerError when the answer is not that operation's response.
 */
export function resultOf(response: unknown, operation: string): unknown {
  // An empty `<XResponse/>` (a null result) comes as null or ''.
  if (response === null || response === '') return undefined;
  if (!isNode(response)) throw new UnparseableAnswerError(`no ${operation}Response`);
  return response[`${operation}Result`];
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

/** The `deviceIds` argument (ArrayOfGuid) as node-soap writes it: `<deviceIds><guid>…</guid>…</deviceIds>`. */
export function deviceIdsArgument(ids: readonly string[]): { readonly guid: readonly string[] } {
  return { guid: ids.slice(0, cameraIdsMax) };
}

function xmlEscape(value: string): string {
  return value.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/**
 * A SOAP 1.1 document/literal wrapped request, as a hand-written client would send it:
 * `<operation xmlns=ns><token/>…</operation>`. The probe speaks through node-soap; this stays
 * for bench/xml.bench.ts, which measures XML parsers on the recorder's answers.
 */
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

const monotonicMs = (): number => performance.now();

class SoapRecorderProbe implements RecorderProbe {
  private readonly serviceUrl: string;
  private readonly statisticsEveryMs: number;
  private readonly soapVersion: SoapVersion;
  private readonly tokens: TokenSource;
  /** The token source is the probe's own (closed with it), not one it was given. */
  private readonly ownsTokens: boolean;
  private readonly closing = new AbortController();
  private readonly inFlight = new Set<AbortController>();
  private cameraIds: CameraIdSource;
  private warnedIdsUnknown = false;
  private statistics: ReadonlyMap<string, CameraStatistics> = new Map();
  private statisticsRequestedAtMs = Number.NEGATIVE_INFINITY;
  /** The node-soap client, once made; null again after an answer it could not read. */
  private client: RecorderSoapClient | null = null;
  private creating: Promise<RecorderSoapClient> | null = null;
  private clientFailures = 0;
  private clientFailure: { readonly reason: string; readonly retryAtMs: number } | null = null;

  constructor(private readonly options: SoapRecorderProbeOptions) {
    if (!(options.timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
    if (new URL(options.webServerUrl).protocol === 'https:' && (options.trust ?? null) === null) throw new RangeError(`the recorder's web server ${options.webServerUrl} is https: say how to trust it (a fingerprint, a CA file or the system's CAs)`);
    const base = options.webServerUrl.endsWith('/') ? options.webServerUrl : `${options.webServerUrl}/`;
    this.serviceUrl = new URL(recorderStatusServicePath, base).toString();
    this.statisticsEveryMs = options.statisticsEveryMs ?? defaultStatisticsEveryMs;
    this.soapVersion = options.soapVersion ?? '1.1';
    this.cameraIds = options.cameraIds ?? (() => null);
    this.ownsTokens = options.tokens === undefined;
    this.tokens = options.tokens ?? recorderTokenSource(options);
  }

  /** Takes the camera ids from `source` from now on (the agent's camera list, started after the probe). */
  readCameraIdsFrom(source: CameraIdSource): void {
    this.cameraIds = source;
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
    await this.creating?.catch(() => undefined);
    if (this.ownsTokens) await this.tokens.close();
  }

  private timeoutReason(): string {
    const waitingFor = this.creating !== null ? " waiting for the recorder's WSDL" : this.tokens.waiting() ? ' waiting for a token' : '';
    return `timed out after ${this.options.timeoutMs} ms${waitingFor}`;
  }

  private failed(err: unknown, signal: AbortSignal): RecorderHealth {
    if (signal.aborted && signal.reason instanceof RequestFailure) return { reachable: false, reason: signal.reason.reason };
    if (err instanceof UnparseableAnswerError) return { reachable: false, reason: `unparseable answer: ${err.message}` };
    return { reachable: false, reason: requestFailureReason(err, this.options.timeoutMs) };
  }

  /** The cached client; else one made now (one at a time), unless the last attempt failed within its back-off. */
  private statusClient(signal: AbortSignal): Promise<RecorderSoapClient> {
    if (this.client !== null) return Promise.resolve(this.client);
    if (this.creating === null) {
      const failure = this.clientFailure;
      if (failure !== null && monotonicMs() < failure.retryAtMs) return Promise.reject(new RequestFailure(failure.reason));
      const createSignal = AbortSignal.any([this.closing.signal, AbortSignal.timeout(clientCreateTimeoutMs)]);
      this.creating = createRecorderSoapClient({ serviceUrl: this.serviceUrl, serviceName: recorderStatusServiceName, soapVersion: this.soapVersion, trust: this.options.trust ?? null, answerBytesMax: maxAnswerBytes }, createSignal)
        .then(
          (client) => {
            this.client = client;
            this.clientFailures = 0;
            this.clientFailure = null;
            return client;
          },
          (err: unknown) => {
            this.clientFailures += 1;
            const why = err instanceof WsdlError ? err.message : requestFailureReason(err, clientCreateTimeoutMs);
            const reason = `cannot read the recorder's WSDL: ${why}`;
            this.clientFailure = { reason, retryAtMs: monotonicMs() + clientRetryDelayMs(this.clientFailures) };
            throw new RequestFailure(reason);
          },
        )
        .finally(() => {
          this.creating = null;
        });
    }
    return abortable(this.creating, signal);
  }

  private async probeOnce(signal: AbortSignal): Promise<RecorderHealth> {
    const client = await this.statusClient(signal);
    const known = this.cameraIds();
    const ids = known === null ? null : known.slice(0, cameraIdsMax);
    if (ids === null && !this.warnedIdsUnknown) {
      this.warnedIdsUnknown = true;
      this.options.log.info("recorder probe: the recorder's camera ids are not known yet (they come from the Management Server's configuration API); reporting its storages only until then");
    }
    const nowMs = monotonicMs();
    const wantStatistics = ids !== null && ids.length > 0 && nowMs - this.statisticsRequestedAtMs >= this.statisticsEveryMs;
    if (wantStatistics) this.statisticsRequestedAtMs = nowMs;
    const [devices, storages, statistics] = await Promise.all([
      // No ids (not known yet, or a recorder without cameras): nothing to ask for.
      ids === null || ids.length === 0 ? Promise.resolve([]) : this.call(client, 'GetCurrentDeviceStatus', { deviceIds: deviceIdsArgument(ids) }, signal).then(readDeviceStatuses),
      this.call(client, 'GetRecordingStorageStatus', {}, signal).then(readStorageStatuses),
      // Statistics only enrich the answer: when they fail, the last ones are kept.
      wantStatistics
        ? this.call(client, 'GetVideoDeviceStatistics', { deviceIds: deviceIdsArgument(ids) }, signal).then(readVideoStatistics, (err: unknown) => {
            if (!signal.aborted) this.options.log.debug({ reason: this.tokens.redact(requestFailureReason(err, this.options.timeoutMs), maxReasonLength) }, 'GetVideoDeviceStatistics failed');
            return null;
          })
        : Promise.resolve(null),
    ]);
    if (statistics !== null) this.statistics = statistics;
    if (devices.length > 0 && devices.every((d) => d.deviceId === unloadedDeviceId)) return { reachable: false, reason: 'configuration not loaded' };
    return { reachable: true, cameras: toCameras(devices, this.statistics), storages };
  }

  /** One operation's result; a token the recorder rejects is replaced once and the call retried once. */
  private async call(client: RecorderSoapClient, operation: string, args: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<unknown> {
    const token = await this.tokens.valid(signal);
    try {
      return await this.callOnce(client, operation, { token, ...args }, signal);
    } catch (err) {
      if (!(err instanceof SoapFaultError) || !isTokenFault(err.fault) || !this.tokens.dropRejected(token, 'the recorder')) throw err;
      return await this.callOnce(client, operation, { token: await this.tokens.valid(signal), ...args }, signal);
    }
  }

  private async callOnce(client: RecorderSoapClient, operation: string, args: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<unknown> {
    try {
      return resultOf(await client.call(operation, args, signal), operation);
    } catch (err) {
      // An answer the client cannot read (or an HTTP error page) may mean another contract:
      // the WSDL is read again at the next probe.
      const unreadable = err instanceof UnparseableAnswerError || (err instanceof RequestFailure && !(err instanceof SoapFaultError) && /^HTTP \d+$/.test(err.reason));
      if (unreadable && this.client === client) this.client = null;
      throw err;
    }
  }
}

/** A probe that takes its camera ids from a source given after it was made. */
export interface SoapRecorderProbeHandle extends RecorderProbe {
  readCameraIdsFrom(source: CameraIdSource): void;
}

/** Whether `probe` is this module's probe (the agent's), which takes its camera ids after it is made. */
export function takesCameraIds(probe: RecorderProbe): probe is SoapRecorderProbeHandle {
  return probe instanceof SoapRecorderProbe;
}

/**
 * The RecorderProbe of a real (or lab) XProtect recording server.
 *
 * @example
 *   const probe = soapRecorderProbe({ webServerUrl: 'http://127.0.0.1:7563/', tokenUrl: 'http://ms/IDP/connect/token', username, password, timeoutMs: 750, soapVersion: '1.2', cameraIds: () => ids, log });
 *   const health = await probe.probe(); // { reachable: true, cameras: [...], storages: [...] }
 */
export function soapRecorderProbe(options: SoapRecorderProbeOptions): SoapRecorderProbeHandle {
  return new SoapRecorderProbe(options);
}
