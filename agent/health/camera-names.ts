// This recorder's cameras as the Management Server lists them: their ids, which the health
// probe passes to GetCurrentDeviceStatus and GetVideoDeviceStatistics (Milestone's own cmdlets
// always pass explicit ids; xprotect-integration.md 0a), and their names (what an XProtect
// administrator sees in the Management Client's "Name" column), so that the Device Overview
// shows names rather than GUIDs. The recorder's own status service only knows device ids.
//
// Read from the configuration REST API (API Gateway) with an IDP token of its own (not the
// recorder probe's: a 401 here must never make the 4 Hz failover probe fetch a new token), the way
// any XProtect integration reads it: the recording server's hardware
// (`GET /api/rest/v1/recordingServers/{id}/hardware?disabled`), then each hardware's cameras
// (`GET /api/rest/v1/hardware/{id}/cameras?disabled`); lists come as `{"array": [...]}`.
// `?disabled` includes disabled items, which the recorder reports too. The list changes rarely,
// so it is read once a minute (not per report), and a failed read keeps the last good list.
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { CameraStatus } from '../shell/ports.js';
import { readBoundedOrFail, RequestFailure, requestFailureReason } from '../shared/request-failure.js';
import { IdpTokenSource, tokenRequestTimeoutMinMs } from './idp-token.js';

/** What the Management Server calls one camera. */
export interface CameraName {
  /** The camera's `name` (else `displayName`), at most {@link cameraNameMaxLength} characters. */
  readonly name: string;
  readonly hardwareId: string;
  /** The parent hardware's name, when it has one. */
  readonly hardwareName: string | null;
}

/** Camera names by lower-case camera id (the device id the recorder reports). */
export type CameraNames = ReadonlyMap<string, CameraName>;

/** As long as the controller takes (controller-v1.ts cameraStatusSchema). */
export const cameraNameMaxLength = 255;
/** Per answer: a recorder's hardware list is a few hundred items of a few hundred bytes. */
const maxAnswerBytes = 8 * 1024 * 1024;
/** Requests in flight during one refresh: quick for the agent, light on the Management Server. */
const requestsInFlightMax = 4;
/** After a failed refresh, retry in 5 s, 10 s, 20 s … up to max(refresh interval, 5 min). */
const retryMinMs = 5_000;
const retryCapMinMs = 300_000;
const maxReasonLength = 200;

// ---------------------------------------------------------------------------------------------
// Parsing (pure)

/** The answer is not the API Gateway's list envelope. */
export class RestAnswerError extends Error {
  override readonly name = 'RestAnswerError';
}

type RestItem = Readonly<Record<string, unknown>>;

const isItem = (value: unknown): value is RestItem => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A GUID as the recorder reports device ids: lower case, without braces; null when it is not an id. */
export function normalizeId(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const id = value.trim().replace(/^\{|\}$/g, '').toLowerCase();
  return id === '' || id.length > 64 ? null : id;
}

/** An item's `name`, else its `displayName`: trimmed, bounded; null when it has neither. */
export function resourceName(item: RestItem): string | null {
  for (const field of ['name', 'displayName']) {
    const value = item[field];
    if (typeof value !== 'string') continue;
    const name = value.trim();
    if (name !== '') return name.length > cameraNameMaxLength ? name.slice(0, cameraNameMaxLength) : name;
  }
  return null;
}

/** A list answer `{"array": [...]}`: its items with an id, at most `max`, and whether more were left out. */
export function readRestList(body: unknown, max: number): { readonly items: ReadonlyArray<RestItem & { readonly id: string }>; readonly truncated: boolean } {
  const array = isItem(body) ? body.array : undefined;
  if (!Array.isArray(array)) throw new RestAnswerError('not a list answer (no "array")');
  const items: Array<RestItem & { readonly id: string }> = [];
  for (const entry of array) {
    if (items.length >= max) return { items, truncated: true };
    const id = isItem(entry) ? normalizeId(entry.id) : null;
    if (id !== null) items.push({ ...(entry as RestItem), id });
  }
  return { items, truncated: false };
}

/** One hardware's cameras (`GET /hardware/{id}/cameras`): every id, and the names of those that have one. */
export function readHardwareCameras(body: unknown, hardware: { readonly id: string; readonly name: string | null }, max: number): { readonly ids: string[]; readonly names: Array<[string, CameraName]>; readonly truncated: boolean } {
  const { items, truncated } = readRestList(body, max);
  const names: Array<[string, CameraName]> = [];
  for (const camera of items) {
    const name = resourceName(camera);
    if (name !== null) names.push([camera.id, { name, hardwareId: hardware.id, hardwareName: hardware.name }]);
  }
  return { ids: items.map((camera) => camera.id), names, truncated };
}

/** The recorder's cameras with the names known for them (null: no name known). */
export function withCameraNames(cameras: readonly CameraStatus[], names: CameraNames): CameraStatus[] {
  return cameras.map((camera) => ({ ...camera, name: names.get(camera.deviceId.toLowerCase())?.name ?? null }));
}

/**
 * The configuration REST API's base when not configured: on the IDP's host, where the API
 * Gateway is normally installed (the Management Server).
 *
 * @example
 *   defaultRestUrl('http://ms.example/IDP/connect/token')   // 'http://ms.example/api/rest/v1'
 */
export function defaultRestUrl(tokenUrl: string): string {
  return new URL('/api/rest/v1', tokenUrl).toString();
}

/** Time to the next refresh: the interval after a success, a doubling back-off after failures. */
export function nextRefreshDelayMs(consecutiveFailures: number, refreshIntervalMs: number): number {
  if (consecutiveFailures <= 0) return refreshIntervalMs;
  const capMs = Math.max(refreshIntervalMs, retryCapMinMs);
  return Math.min(capMs, retryMinMs * 2 ** Math.min(consecutiveFailures - 1, 16));
}

// ---------------------------------------------------------------------------------------------
// I/O

export interface CameraNamesFetch {
  /** The configuration REST API's base, e.g. http://ms.example/api/rest/v1. */
  readonly restUrl: string;
  readonly recorderId: string;
  readonly tokens: IdpTokenSource;
  /** Most cameras (and most hardware) read. */
  readonly maxCameras: number;
  /** The time bound `signal` enforces, for the reason given when it is hit. */
  readonly timeoutMs: number;
}

export interface CameraNamesResult {
  /** Every camera's id (lower case, sorted), named or not. */
  readonly ids: readonly string[];
  readonly names: CameraNames;
  readonly hardwareCount: number;
  /** A bound left some hardware or cameras out. */
  readonly truncated: boolean;
}

/**
 * Reads the names of one recording server's cameras: its hardware, then each hardware's cameras,
 * a few requests at a time. Throws RequestFailure (a safe reason) or RestAnswerError.
 */
export async function fetchCameraNames(o: CameraNamesFetch, signal: AbortSignal): Promise<CameraNamesResult> {
  const base = o.restUrl.endsWith('/') ? o.restUrl : `${o.restUrl}/`;
  // The first failed request ends the others: the read has failed, and the next one must not overlap them.
  const failed = new AbortController();
  const requestSignal = AbortSignal.any([signal, failed.signal]);
  const get = (path: string): Promise<unknown> => getJson(new URL(path, base).toString(), o, requestSignal);
  const recorder = encodeURIComponent(o.recorderId);
  const hardwareList = readRestList(await get(`recordingServers/${recorder}/hardware?disabled`), o.maxCameras);
  const hardware = hardwareList.items.map((item) => ({ id: item.id, name: resourceName(item) }));
  const ids = new Set<string>();
  const names = new Map<string, CameraName>();
  let truncated = hardwareList.truncated;
  let next = 0;
  // Bounded: each worker takes the next hardware until none is left or the camera bound is hit.
  const worker = async (): Promise<void> => {
    try {
      while (next < hardware.length && ids.size < o.maxCameras) {
        const item = hardware[next] as (typeof hardware)[number];
        next += 1;
        const cameras = readHardwareCameras(await get(`hardware/${encodeURIComponent(item.id)}/cameras?disabled`), item, o.maxCameras);
        truncated ||= cameras.truncated;
        for (const id of cameras.ids) {
          if (ids.size >= o.maxCameras) {
            truncated = true;
            break;
          }
          ids.add(id);
        }
        for (const [id, name] of cameras.names) if (ids.has(id)) names.set(id, name);
      }
    } catch (err) {
      failed.abort(err);
      throw err;
    }
    if (next < hardware.length) truncated = true;
  };
  await Promise.all(Array.from({ length: Math.min(requestsInFlightMax, hardware.length) }, worker));
  // Sorted: the workers finish in any order, and the probe's requests should not change with it.
  return { ids: [...ids].sort(), names, hardwareCount: hardware.length, truncated };
}

/** GET with the bearer token; a token the server rejects (401) is replaced once and the request retried once. */
async function getJson(url: string, o: CameraNamesFetch, signal: AbortSignal): Promise<unknown> {
  const token = await o.tokens.valid(signal);
  const first = await request(url, token, o.timeoutMs, signal);
  if (first.status !== 401 || !o.tokens.dropRejected(token, 'the management server')) return answer(first, url);
  return answer(await request(url, await o.tokens.valid(signal), o.timeoutMs, signal), url);
}

async function request(url: string, token: string, timeoutMs: number, signal: AbortSignal): Promise<{ readonly status: number; readonly text: string }> {
  try {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal });
    return { status: res.status, text: await readBoundedOrFail(res, maxAnswerBytes) };
  } catch (err) {
    if (err instanceof RequestFailure) throw err;
    throw new RequestFailure(requestFailureReason(err, timeoutMs));
  }
}

function answer(res: { readonly status: number; readonly text: string }, url: string): unknown {
  // The path names the resource (never a secret); the query string is left out.
  const what = new URL(url).pathname.replace(/^.*\/api\/rest\/v1\//i, '');
  if (res.status !== 200) throw new RequestFailure(`GET ${what}: HTTP ${res.status}`);
  try {
    return JSON.parse(res.text) as unknown;
  } catch {
    throw new RestAnswerError(`GET ${what}: not JSON`);
  }
}

/** Where and as whom camera names get their IDP token (the agent's recorder account). */
export interface CameraNamesIdp {
  /** The IDP token endpoint, e.g. http://ms/IDP/connect/token. */
  readonly tokenUrl: string;
  readonly username: string;
  readonly password: string;
}

export interface CameraNamesOptions {
  readonly restUrl: string;
  /** This recording server's id (RecorderConfig.xml recorder/id); read before each refresh. */
  readonly recorderId: () => Promise<string>;
  /**
   * The account the names are read with. The names get a token source of their own, closed with
   * them: a token the REST API rejects is dropped there, never from the recorder probe's source.
   */
  readonly idp: CameraNamesIdp;
  /** Time from the end of one successful refresh to the start of the next. */
  readonly refreshIntervalMs: number;
  /** Bound on one whole refresh (token, hardware list and every hardware's cameras). */
  readonly timeoutMs: number;
  readonly maxCameras: number;
  readonly log: Logger;
}

export interface CameraNameSource {
  /** The last names read successfully (empty before the first success). */
  latest(): CameraNames;
  /** Every camera id of the last successful read (at most maxCameras); null before the first success. */
  cameraIds(): readonly string[] | null;
  close(): Promise<void>;
}

/**
 * Reads the camera list (ids and names) now, then every `refreshIntervalMs`; after a failure,
 * again with back-off, keeping the last good list meanwhile.
 *
 * @example
 *   const names = startCameraNames({ restUrl: 'http://ms/api/rest/v1', recorderId: async () => id, idp: { tokenUrl, username, password }, refreshIntervalMs: 60_000, timeoutMs: 30_000, maxCameras: 4096, log });
 *   names.cameraIds()                          // ['0f3f1857-…', '5821bfb1-…'], or null before the first read
 *   withCameraNames(cameras, names.latest())   // [{ deviceId: '…', name: 'Front door', … }]
 */
export function startCameraNames(o: CameraNamesOptions): CameraNameSource {
  const tokens = new IdpTokenSource({ ...o.idp, requestTimeoutMs: Math.max(o.timeoutMs, tokenRequestTimeoutMinMs), log: o.log });
  let latest: CameraNames = new Map();
  let latestIds: readonly string[] | null = null;
  let failures = 0;
  let lastReason: string | null = null;
  let warnedTruncated = false;
  const closing = new AbortController();
  // Ends early when closing.
  const sleep = (ms: number): Promise<void> => delay(ms, undefined, { signal: closing.signal }).catch(() => undefined);

  const refresh = async (): Promise<void> => {
    const startedMs = performance.now();
    const signal = AbortSignal.any([closing.signal, AbortSignal.timeout(o.timeoutMs)]);
    try {
      const recorderId = await o.recorderId().catch((err: unknown) => {
        throw new RequestFailure(`no recorder id: ${(err as Error).message}`);
      });
      const result = await fetchCameraNames({ restUrl: o.restUrl, recorderId, tokens, maxCameras: o.maxCameras, timeoutMs: o.timeoutMs }, signal);
      latest = result.names;
      if (latestIds === null) o.log.info({ cameras: result.ids.length }, "camera list: read this recorder's cameras from the management server");
      latestIds = result.ids;
      if (failures > 0) o.log.info({ cameras: result.ids.length }, 'camera list: reading from the management server works again');
      else o.log.debug({ cameras: result.ids.length, named: result.names.size, hardware: result.hardwareCount, durationMs: Math.round(performance.now() - startedMs) }, 'camera list read');
      if (result.truncated && !warnedTruncated) o.log.warn({ maxCameras: o.maxCameras }, 'camera list: the recording server has more hardware or cameras than cameraNames.maxCameras; the rest are neither probed nor named');
      warnedTruncated ||= result.truncated;
      failures = 0;
      lastReason = null;
    } catch (err) {
      if (closing.signal.aborted) return;
      failures += 1;
      const reason = tokens.redact(requestFailureReason(err instanceof RestAnswerError ? new RequestFailure(err.message) : err, o.timeoutMs), maxReasonLength);
      // Once per kind of outage; the last good names stay.
      if (reason !== lastReason) o.log.warn({ reason, keptCameras: latestIds?.length ?? null }, latestIds === null ? "camera list: cannot read it from the management server; the recorder's cameras are not probed until it can" : 'camera list: cannot read it from the management server; keeping the last one');
      lastReason = reason;
    }
  };

  const running = (async () => {
    while (!closing.signal.aborted) {
      await refresh();
      if (!closing.signal.aborted) await sleep(nextRefreshDelayMs(failures, o.refreshIntervalMs));
    }
  })();

  return {
    latest: () => latest,
    cameraIds: () => latestIds,
    close: async () => {
      closing.abort(new RequestFailure('closed'));
      await running;
      await tokens.close();
    },
  };
}
