// Config sync's pure decisions: whether a sync applies now, waits for a switch or has nothing
// to do; decoding a push; the retry schedule; what a push answer means and when it is worth an
// event. No I/O and no clock reads: time and randomness come in as arguments.
import {
  parseRecorderConfig, RecorderConfigError, sha256Hex, type Change, type RecorderConfig, type UnclassifiedPath, type UnclassifiedReport,
} from '../../recorder-config-sync/index.js';
import type { ServiceStatus } from '../shell/ports.js';
import { ConfigSyncError } from './errors.js';
import type { ConfigSyncOutcome, RecorderConfigPush } from '../../contracts/agent-api-v1.js';

/**
 * The largest RecorderConfig.xml a push can carry: the push schema allows 8 MiB of base64, which
 * holds 6 MiB of bytes. Real files are tens of kilobytes.
 */
export const maxPushBytes = ((8 * 1024 * 1024) / 4) * 3;

/** A push, decoded and checked: the primary's exact bytes, parsed. */
export interface IncomingConfig {
  readonly sha256: string;
  /** The sending node's id. */
  readonly from: string;
  readonly bytes: Buffer;
  /** The primary's config, the reference `verifyClone` checks a clone against. */
  readonly config: RecorderConfig;
  /** ISO 8601. */
  readonly receivedAt: string;
}

export type SyncDecision = 'apply' | 'wait-for-switch' | 'nothing';

export interface SyncSituation {
  /** The newest config from the primary not yet applied, or null. */
  readonly pending: IncomingConfig | null;
  /** This node serves clients: stopping its recorder would interrupt them. */
  readonly localServing: boolean;
  /** The operator asked for it (`config-sync-force`). */
  readonly force: boolean;
  /** This node's file already is a clone of `pending` (no shared difference). */
  readonly inSync: boolean;
}

/**
 * Whether a sync applies now. A Serving node never stops its recorder on its own: the sync
 * waits until a switch makes it standby, unless forced.
 *
 * @example
 *   decideSync({ pending, localServing: true, force: false, inSync: false })   // 'wait-for-switch'
 */
export function decideSync(situation: SyncSituation): SyncDecision {
  if (situation.pending === null || situation.inSync) return 'nothing';
  if (situation.localServing && !situation.force) return 'wait-for-switch';
  return 'apply';
}

/**
 * Decodes and checks a push: canonical base64, the SHA-256 of the bytes, a valid
 * RecorderConfig.xml, and a sender other than this node.
 *
 * @throws ConfigSyncError `bad-base64`, `sha-mismatch`, `bad-config` or `from-self` (all 400).
 * @example
 *   const incoming = decodePush(push, { nodeId: 'rec-b', receivedAt: new Date() });
 */
export function decodePush(push: RecorderConfigPush, context: { readonly nodeId: string; readonly receivedAt: Date }): IncomingConfig {
  if (push.from === context.nodeId) {
    throw new ConfigSyncError('from-self', `the push comes from this node (${context.nodeId}): the source's peer URL points back at itself`);
  }
  const bytes = Buffer.from(push.xml, 'base64');
  // Node's decoder skips characters it does not know; only a round trip proves the text was base64.
  if (bytes.length === 0 || bytes.toString('base64') !== push.xml) {
    throw new ConfigSyncError('bad-base64', 'the pushed xml is not canonical base64');
  }
  if (bytes.length > maxPushBytes) throw new ConfigSyncError('bad-config', `the pushed file has ${bytes.length} bytes, more than ${maxPushBytes}`, 'too-large');
  const sha256 = sha256Hex(bytes);
  if (sha256 !== push.sha256) {
    throw new ConfigSyncError('sha-mismatch', `the pushed bytes have SHA-256 ${sha256}, not the announced ${push.sha256}`);
  }
  let config: RecorderConfig;
  try {
    config = parseRecorderConfig(bytes);
  } catch (err) {
    if (!(err instanceof RecorderConfigError)) throw err;
    throw new ConfigSyncError('bad-config', `the pushed RecorderConfig.xml from ${push.from} is not valid: ${err.message}`, err.code, { cause: err });
  }
  return { sha256, from: push.from, bytes, config, receivedAt: context.receivedAt.toISOString() };
}

/** The shared differences a sync copies, for events: how many, and where (bounded). */
export interface SharedChangeSummary {
  readonly count: number;
  /** The first `maxPaths` paths, e.g. `server/address`. */
  readonly paths: readonly string[];
  /** Paths left out of `paths`. */
  readonly pathsOmitted: number;
}

/** Bound on paths named in one event (an event's data is stored and sent to the controller). */
export const maxPathsPerEvent = 50;

/**
 * @example
 *   summarizeSharedChanges(clone(primary, own).changes).count === 0   // in sync
 */
export function summarizeSharedChanges(changes: readonly Change[], maxPaths = maxPathsPerEvent): SharedChangeSummary {
  const shared = changes.filter((c) => c.kind === 'shared');
  const paths = shared.slice(0, maxPaths).map((c) => c.path);
  return { count: shared.length, paths, pathsOmitted: shared.length - paths.length };
}

/** The paths of the two files no clone rule classifies, for the `config-sync.unclassified` event (bounded). */
export interface UnclassifiedSummary {
  /** Paths in either file, including those cut from `paths`. */
  readonly count: number;
  /** The first `maxPaths`, each shortened to `maxPathChars`. */
  readonly paths: readonly UnclassifiedPath[];
  readonly pathsOmitted: number;
  /** Identifies the set, so the same set is reported once. */
  readonly key: string;
}

/** Bound on one path's length in an event: element names are not bounded by the parser. */
export const maxPathChars = 200;

/**
 * @example
 *   summarizeUnclassified(unclassifiedPaths(primary, own)).count === 0   // every path classified
 */
export function summarizeUnclassified(report: UnclassifiedReport, maxPaths = maxPathsPerEvent): UnclassifiedSummary {
  const paths = report.paths.slice(0, maxPaths).map((p) => (p.path.length > maxPathChars ? { ...p, path: `${p.path.slice(0, maxPathChars - 1)}…` } : p));
  const count = report.paths.length + report.omitted;
  return { count, paths, pathsOmitted: count - paths.length, key: JSON.stringify([report.paths, report.omitted]) };
}

/** What to do with the recorder around a write, given what the service manager reports. */
export interface RecorderPlan {
  /** Stop (and wait for stopped) before writing. */
  readonly stop: boolean;
  /** Start again afterwards, whatever happened in between. */
  readonly startAfter: boolean;
}

/**
 * A recorder that runs (or might) is stopped for the write and started again; one that is
 * stopped, or being stopped by someone else, is left stopped: the sync must not start a
 * recorder the agent (or an operator) stopped on purpose.
 *
 * @example
 *   recorderPlan('running')   // { stop: true, startAfter: true }
 */
export function recorderPlan(status: ServiceStatus): RecorderPlan {
  switch (status) {
    case 'stopped': return { stop: false, startAfter: false };
    case 'stopping': return { stop: true, startAfter: false };
    case 'running':
    case 'starting':
    case 'unknown':
      return { stop: true, startAfter: true };
  }
}

export interface RetryPolicy {
  /** Delay before the first retry. */
  readonly baseMs: number;
  /** Upper bound of any delay. */
  readonly maxMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { baseMs: 500, maxMs: 30_000 };

/**
 * Capped exponential backoff with "equal jitter": half the delay is fixed, half random, so
 * retries never bunch up at zero and two sources never stay in step.
 *
 * @param attempt 0 for the first retry.
 * @param random a number in [0, 1), e.g. Math.random.
 * @example
 *   retryDelayMs(0, defaultRetryPolicy, Math.random)    // 250…500
 *   retryDelayMs(20, defaultRetryPolicy, Math.random)   // 15000…30000
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30); // 2^30 × base is past any cap
  const cappedMs = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(cappedMs / 2 + (r * cappedMs) / 2);
}

/** What an HTTP status of the target means for the source. */
export type PushStatusClass = 'delivered' | 'rejected' | 'retry';

/**
 * - 200: delivered.
 * - 400, 413, 415, 422: the target refuses these bytes; the same bytes would be refused again,
 *   so they are not resent until the file changes.
 * - anything else is retried: 401/403 (the peer's secret differs, which an operator fixes
 *   without touching the config), 404/405 (the peer runs an agent without config sync yet),
 *   409, 429, 5xx (the peer is busy, or failed to apply and may succeed later).
 *
 * @example
 *   classifyPushStatus(400)   // 'rejected'
 */
export function classifyPushStatus(status: number): PushStatusClass {
  if (status === 200) return 'delivered';
  if (status === 400 || status === 413 || status === 415 || status === 422) return 'rejected';
  return 'retry';
}

export interface PushReport {
  readonly sha256: string;
  readonly outcome: ConfigSyncOutcome;
}

/**
 * Whether a delivered push deserves a `config-sync.pushed` event. The source resends every
 * minute; an unchanged answer about an unchanged file is not news.
 * - a new file, or the first push: yes;
 * - `applied`: yes, something changed on the peer (e.g. it came back with an old file);
 * - the same outcome again, or `in-sync` right after `applied`: no;
 * - any other change of outcome (`pending` → `in-sync`): yes.
 *
 * @example
 *   shouldReportPush({ sha256: 'a', outcome: 'applied' }, { sha256: 'a', outcome: 'in-sync' })   // false
 */
export function shouldReportPush(last: PushReport | null, next: PushReport): boolean {
  if (last === null || last.sha256 !== next.sha256) return true;
  if (next.outcome === 'applied') return true;
  if (next.outcome === last.outcome) return false;
  return !(last.outcome === 'applied' && next.outcome === 'in-sync');
}
