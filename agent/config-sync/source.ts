// The primary's side of config sync: watches this node's RecorderConfig.xml and pushes its
// exact bytes to the peer agent (`PUT /api/v1/recorder-config`) on start, on every change and
// every `resendEveryMs`, so that a secondary that was down or restored from a backup catches
// up. A failed push is retried with capped, jittered exponential backoff until it is
// delivered, a newer file supersedes it, or the source is closed; a push the peer refuses as
// bad (4xx) is not sent again until the file changes.
import type { Logger } from 'pino';
import { parseRecorderConfig, readConfigFile, RecorderConfigError, watchConfigFile, type ConfigWatcher } from '../../recorder-config-sync/index.js';
import { classifyPushStatus, defaultRetryPolicy, maxPushBytes, retryDelayMs, shouldReportPush, type PushReport, type RetryPolicy } from './decide.js';
import { configSyncEvent, type ConfigSyncSeverity, type EmitConfigSyncEvent } from './events.js';
import { recorderConfigPushResultSchema, type RecorderConfigPush, type RecorderConfigPushResult } from '../../contracts/agent-api-v1.js';
import { WakeableSleep } from '../shared/wakeable-sleep.js';
import { pinnedFetch } from '../../shared/tls/pinned-fetch.js';

export interface ConfigSourceOptions {
  /** This node's RecorderConfig.xml. */
  readonly configPath: string;
  /** The peer agent's local API, e.g. `http://rec-b:8443`. */
  readonly peerAgentUrl: string;
  /** The cluster secret, sent as a Bearer token; never logged. */
  readonly secret: string;
  /** This node's id, sent as `from`. */
  readonly nodeId: string;
  readonly log: Logger;
  readonly emit: EmitConfigSyncEvent;
  /** Push the file again this often even when it did not change. Default 60 s. */
  readonly resendEveryMs?: number;
  /** Bound on one push, answer included. The peer answers after stopping, writing and starting its recorder. Default 10 s. */
  readonly requestTimeoutMs?: number;
  /** Backoff between retries. Default 500 ms doubling to 30 s. */
  readonly retry?: RetryPolicy;
  /** The watcher's debounce and stat poll (recorder-config-sync's defaults: 200 ms, 2 s). */
  readonly watch?: { readonly debounceMs?: number; readonly pollIntervalMs?: number; readonly fsWatch?: boolean };
  /** Randomness for the jitter (tests). Default Math.random. */
  readonly random?: () => number;
  /**
   * The peer API certificate's SHA-256 fingerprint, asked for on each push to an https peer
   * (agent.yaml's pin, else the peer's last heartbeat's); null: not known yet, nothing is sent
   * and the push is retried.
   */
  readonly peerFingerprint?: () => string | null;
}

export interface ConfigSource {
  /**
   * Reads the file now and pushes it at once (cutting short a backoff wait, and even if the
   * peer refused these bytes before). Resolves when that attempt ends, whatever its result:
   * results are reported as events, and failures are retried in the background.
   */
  pushNow(): Promise<void>;
  /** Stops watching, resending and retrying; aborts a push in flight. Idempotent. */
  close(): Promise<void>;
}

/** One version of the file, as read. */
interface Version {
  readonly sha256: string;
  readonly bytes: Buffer;
}

type PushResult =
  | { readonly kind: 'delivered'; readonly answer: RecorderConfigPushResult }
  | { readonly kind: 'rejected'; readonly status: number; readonly detail: string }
  | { readonly kind: 'retry'; readonly cause: 'unreachable' | 'refused'; readonly detail: string };

/** Why a push failed; a new cause starts a new streak, and so a new event. */
type FailureCause = 'local-config' | 'unreachable' | 'refused' | 'rejected';

/** Bound on the answer read from the peer (a result or a problem document). */
const maxAnswerBytes = 64 * 1024;

/**
 * Starts pushing this node's RecorderConfig.xml to the peer agent.
 *
 * @example
 *   const source = startConfigSource({ configPath, peerAgentUrl: 'http://rec-b:8443', secret, nodeId: 'rec-a', log, emit });
 *   // …
 *   await source.close();
 */
export function startConfigSource(options: ConfigSourceOptions): ConfigSource {
  const { configPath, secret, nodeId, log, emit } = options;
  const resendEveryMs = options.resendEveryMs ?? 60_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const retry = options.retry ?? defaultRetryPolicy;
  const random = options.random ?? Math.random;
  const pushUrl = recorderConfigUrl(options.peerAgentUrl);
  if (!(resendEveryMs >= 100 && requestTimeoutMs >= 1 && retry.baseMs >= 1 && retry.maxMs >= retry.baseMs)) {
    throw new RangeError('config sync source: resendEveryMs ≥ 100, requestTimeoutMs ≥ 1 and 1 ≤ retry.baseMs ≤ retry.maxMs');
  }

  let closed = false;
  /** The newest version read from disk. */
  let latest: Version | null = null;
  /** `latest` still has to be pushed. */
  let due = false;
  /** The peer refused these bytes (4xx): not sent again until the file changes or pushNow. */
  let rejectedSha256: string | null = null;
  /** Backoff step of the version being retried; back to 0 on success or a new version. */
  let attempt = 0;
  let lastReport: PushReport | null = null;
  /** The cause of the current failure streak, or null when the last push succeeded. */
  let failing: FailureCause | null = null;
  let attemptsStarted = 0;
  let attemptsEnded = 0;
  const waiters: Array<{ readonly until: number; readonly resolve: () => void }> = [];
  let loop: Promise<void> | null = null;
  const sleeper = new WakeableSleep();
  let inFlight: AbortController | null = null;

  const reportFailure = (cause: FailureCause, severity: ConfigSyncSeverity, message: string, data: Record<string, unknown>): void => {
    if (closed) return;
    if (failing !== cause) {
      emit(configSyncEvent('config-sync.push-failed', severity, message, { peer: pushUrl, cause, ...data }));
      log.warn({ peer: pushUrl, cause, ...data }, `config sync: ${message}`);
    } else {
      log.debug({ peer: pushUrl, cause, ...data }, `config sync: ${message} (again)`);
    }
    failing = cause;
  };

  /** Reads the file (bounded) and checks it; null when it cannot be pushed (reported). */
  const readVersion = async (): Promise<Version | null> => {
    try {
      const snapshot = await readConfigFile(configPath, { maxBytes: maxPushBytes });
      parseRecorderConfig(snapshot.bytes); // the peer would refuse it: say so here, where it can be fixed
      return { sha256: snapshot.sha256, bytes: snapshot.bytes };
    } catch (err) {
      const code = err instanceof RecorderConfigError ? err.code : 'io';
      reportFailure('local-config', 'error', `this node's RecorderConfig.xml cannot be pushed: ${errorText(err)}`, { code });
      return null;
    }
  };

  /** Makes `version` the one to push; `urgent` cuts a backoff wait short. */
  const offer = (version: Version, urgent: boolean): void => {
    if (closed) return;
    if (version.sha256 !== latest?.sha256) {
      latest = version;
      attempt = 0;
      urgent = true; // a newer file supersedes the one being retried
    }
    if (version.sha256 === rejectedSha256) {
      log.debug({ sha256: version.sha256 }, 'config sync: not pushing bytes the peer refused before');
      return;
    }
    due = true;
    if (loop === null) {
      loop = run().finally(() => {
        loop = null;
        releaseWaiters(Number.POSITIVE_INFINITY);
      });
    } else if (urgent) {
      sleeper.wakeAll();
    }
  };

  const refresh = async (urgent: boolean): Promise<void> => {
    const version = await readVersion();
    if (version !== null) offer(version, urgent);
  };

  /** Pushes `latest` until it is delivered, refused, superseded or the source closes. */
  const run = async (): Promise<void> => {
    while (!closed && due && latest !== null) {
      const version = latest;
      due = false;
      if (version.sha256 === rejectedSha256) continue;
      attemptsStarted += 1;
      const result = await pushOnce(version);
      attemptsEnded += 1;
      releaseWaiters(attemptsEnded);
      if (closed) return;
      if (result.kind === 'delivered') {
        delivered(version, result.answer);
        continue; // `due` again if a newer file or a resend came in meanwhile
      }
      if (result.kind === 'rejected') {
        rejectedSha256 = version.sha256;
        reportFailure('rejected', 'error', `the peer refused this node's RecorderConfig.xml (HTTP ${result.status}): ${result.detail}; not sent again until it changes`, { sha256: version.sha256, status: result.status });
        continue;
      }
      reportFailure(result.cause, 'warning', `pushing the RecorderConfig.xml to the peer failed: ${result.detail}; retrying`, { sha256: version.sha256 });
      due = true;
      if (latest.sha256 === version.sha256) await sleep(retryDelayMs(attempt++, retry, random)); // else: push the newer file at once
    }
  };

  const delivered = (version: Version, answer: RecorderConfigPushResult): void => {
    if (failing !== null) log.info({ peer: pushUrl }, 'config sync: pushing works again');
    failing = null;
    attempt = 0;
    const report: PushReport = { sha256: version.sha256, outcome: answer.outcome };
    if (shouldReportPush(lastReport, report)) {
      emit(configSyncEvent('config-sync.pushed', 'info', `pushed the RecorderConfig.xml to the peer: ${answer.outcome} (${answer.changes} shared change(s))`, {
        peer: pushUrl, sha256: version.sha256, outcome: answer.outcome, changes: answer.changes,
      }));
    }
    lastReport = report;
    log.debug({ peer: pushUrl, sha256: version.sha256, outcome: answer.outcome }, 'config sync: pushed');
  };

  const pushOnce = async (version: Version): Promise<PushResult> => {
    const controller = new AbortController();
    inFlight = controller;
    const body: RecorderConfigPush = { xml: version.bytes.toString('base64'), sha256: version.sha256, from: nodeId };
    const pin = pushUrl.startsWith('https:') ? (options.peerFingerprint?.() ?? null) : null;
    if (pushUrl.startsWith('https:') && pin === null) return { kind: 'retry', cause: 'unreachable', detail: "the peer's API certificate is not known yet (no pin in agent.yaml, no heartbeat from the peer that carries it): the cluster secret is not sent unpinned" };
    try {
      const res = await pinnedFetch(pushUrl, pin, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify(body),
        signal: AbortSignal.any([controller.signal, AbortSignal.timeout(requestTimeoutMs)]),
      });
      const text = await readBounded(res, maxAnswerBytes);
      const kind = classifyPushStatus(res.status);
      if (kind === 'rejected') return { kind, status: res.status, detail: problemDetail(text) };
      if (kind === 'retry') return { kind, cause: 'refused', detail: `HTTP ${res.status}: ${problemDetail(text)}` };
      const answer = recorderConfigPushResultSchema.safeParse(parseJson(text));
      if (!answer.success) return { kind: 'retry', cause: 'refused', detail: 'the peer answered 200 without a valid result' };
      if (answer.data.sha256 !== version.sha256) return { kind: 'retry', cause: 'refused', detail: `the peer answered about ${answer.data.sha256}, not ${version.sha256}` };
      return { kind: 'delivered', answer: answer.data };
    } catch (err) {
      return { kind: 'retry', cause: 'unreachable', detail: fetchErrorText(err, requestTimeoutMs) };
    } finally {
      inFlight = null;
    }
  };

  const sleep = (ms: number): Promise<void> => sleeper.sleep(ms);

  const releaseWaiters = (ended: number): void => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const waiter = waiters[i];
      if (waiter !== undefined && waiter.until <= ended) {
        waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  };

  const watcher: ConfigWatcher = watchConfigFile(configPath, {
    onChange: () => void refresh(true),
    onError: (err) => log.warn({ err: err.message }, 'config sync: watching RecorderConfig.xml'),
    debounceMs: options.watch?.debounceMs,
    pollIntervalMs: options.watch?.pollIntervalMs,
    fsWatch: options.watch?.fsWatch,
    maxBytes: maxPushBytes,
  });
  let resending = false;
  const resendTimer = setInterval(() => {
    if (resending || closed) return;
    resending = true;
    void refresh(false).finally(() => {
      resending = false;
    });
  }, resendEveryMs);
  void refresh(true);
  log.info({ peer: pushUrl, configPath }, 'config sync: pushing RecorderConfig.xml to the peer');

  return {
    async pushNow() {
      if (closed) return;
      const version = await readVersion();
      if (version === null || closed) return;
      rejectedSha256 = null;
      const done = new Promise<void>((resolve) => waiters.push({ until: attemptsStarted + 1, resolve }));
      offer(version, true);
      await done;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(resendTimer);
      sleeper.wakeAll();
      inFlight?.abort();
      await watcher.close();
      await loop;
      releaseWaiters(Number.POSITIVE_INFINITY);
    },
  };
}

/** `{peerAgentUrl}/api/v1/recorder-config`, keeping a path prefix the peer URL may have. */
function recorderConfigUrl(peerAgentUrl: string): string {
  const url = new URL(peerAgentUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError(`peerAgentUrl must be http or https: ${url.protocol}`);
  if (url.username !== '' || url.password !== '') throw new RangeError('peerAgentUrl must not carry credentials; the cluster secret is sent as a Bearer token');
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/recorder-config`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** Reads at most `maxBytes` of an answer; the rest is cancelled. */
async function readBounded(res: Response, maxBytes: number): Promise<string> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The `detail` (or `title`) of a problem document, else the start of the text. */
function problemDetail(text: string): string {
  const body = parseJson(text) as { detail?: unknown; title?: unknown } | null;
  const detail = typeof body?.detail === 'string' ? body.detail : typeof body?.title === 'string' ? body.title : text;
  return detail.slice(0, 300) || '(no detail)';
}

function fetchErrorText(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'aborted';
  }
  const cause = err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const why = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return `${errorText(err)}${why === '' ? '' : ` (${why})`}`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
