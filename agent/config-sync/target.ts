// The secondary's side of config sync: a push of the primary's RecorderConfig.xml is turned
// into a clone of this node's own file (shared values from the primary, local ones kept) and
// written while the local recorder is stopped, then the recorder is started again. A Serving
// node keeps the push pending until a switch makes it standby, or an operator forces it.
//
// One operation runs at a time. A push that arrives meanwhile becomes the pending one (the
// newest wins) and is looked at as soon as the running operation ends.
import type { Logger } from 'pino';
import {
  applyRecorderConfig, clone, cloneDocuments, defaultCloneRules, encodeXml, parseRecorderConfig, readConfigFile, RecorderConfigError, sha256Hex,
  unclassifiedPaths, verifyClone, type ApplyResult, type CloneRules, type ConfigFileSnapshot,
} from '../../recorder-config-sync/index.js';
import type { RecorderService, ServiceStatus } from '../shell/ports.js';
import {
  decideSync, decodePush, recorderPlan, summarizeSharedChanges, summarizeUnclassified,
  type IncomingConfig, type RecorderPlan, type SharedChangeSummary, type UnclassifiedSummary,
} from './decide.js';
import { ConfigSyncError, type ApplyFailureCode } from './errors.js';
import { configSyncEvent, type EmitConfigSyncEvent } from './events.js';
import type { RecorderConfigPush, RecorderConfigPushResult } from '../../contracts/agent-api-v1.js';

export interface ConfigTargetOptions {
  /** This node's RecorderConfig.xml. */
  readonly configPath: string;
  /** This node's id: a push from it is refused (`from-self`). */
  readonly nodeId: string;
  /** The local recorder's service. */
  readonly service: RecorderService;
  /** Whether this node serves now. Must already be false when `onServingChanged(false)` is called. */
  readonly isServing: () => boolean;
  readonly emit: EmitConfigSyncEvent;
  readonly log: Logger;
  /** Backups of RecorderConfig.xml kept, 1…1000. Default 10. */
  readonly keepBackups?: number;
  /** Bound on stopping the recorder (XProtect waits up to `shutdownProcedure@maxTimeToWait`, 60 s by default). Default 120 s. */
  readonly stopTimeoutMs?: number;
  /** Bound on starting it again. Default 120 s. */
  readonly startTimeoutMs?: number;
  /** Bound on asking the service manager for the status. Default 10 s. */
  readonly statusTimeoutMs?: number;
  /**
   * After a failed apply, the same push against the same local file is answered with the same
   * error, without touching the recorder, for this long: the source retries every few seconds,
   * and each attempt would stop and start the recorder. A new file on either side, or a force,
   * tries again at once. Default 5 minutes.
   */
  readonly retryFailedAfterMs?: number;
  /**
   * Wraps each stop → write → start, so that the agent's recorder supervision does not start
   * the recorder in between (e.g. by holding it down). Default: runs it as is.
   */
  readonly holdRecorder?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Clone rules (with the cluster's overrides). Default: the built-in rules. */
  readonly rules?: CloneRules;
  /** Wall clock in ms (tests). */
  readonly nowMs?: () => number;
}

/** A sync waiting for this node to stop serving (or queued behind an apply in progress). */
export interface PendingConfigSync {
  readonly sha256: string;
  readonly from: string;
  /** ISO 8601. */
  readonly receivedAt: string;
}

export type ConfigSyncResult = RecorderConfigPushResult;

export interface ConfigTarget {
  /**
   * Handles a push (the body of `PUT /api/v1/recorder-config`, already checked against
   * `recorderConfigPushSchema`). Resolves once the sync is applied, found in sync, or pending.
   * @throws ConfigSyncError: `bad-base64`, `sha-mismatch`, `bad-config`, `from-self` (400:
   *   nothing was touched), `apply-failed` (500: the recorder was started again).
   */
  receive(push: RecorderConfigPush): Promise<ConfigSyncResult>;
  /** Tells the target that this node's serving state changed; `false` applies a pending sync. Never throws. */
  onServingChanged(serving: boolean): Promise<void>;
  /**
   * `config-sync-force`: applies the pending sync now, even while serving.
   * @throws ConfigSyncError `sync-not-pending`, `busy` (409) or `apply-failed` (500).
   */
  force(): Promise<ConfigSyncResult>;
  /** The pending sync, for the node status (`configSyncPending`). */
  pending(): PendingConfigSync | null;
}

/** Bound on syncs looked at in a row after an operation, so a flood of pushes cannot hold the target. */
const maxDrainRounds = 8;

/**
 * Creates the secondary's config sync target.
 *
 * @example
 *   const target = createConfigTarget({ configPath, nodeId: 'rec-b', service, isServing: () => core.serving, emit, log });
 *   // PUT /api/v1/recorder-config:
 *   const result = await target.receive(recorderConfigPushSchema.parse(body));   // { outcome: 'applied', changes: 3, sha256 }
 *   // after a switch made this node standby:
 *   await target.onServingChanged(false);
 */
export function createConfigTarget(options: ConfigTargetOptions): ConfigTarget {
  const { configPath, nodeId, service, isServing, emit, log } = options;
  const keepBackups = options.keepBackups ?? 10;
  if (!Number.isInteger(keepBackups) || keepBackups < 1 || keepBackups > 1000) throw new RangeError(`keepBackups must be 1…1000 (got ${keepBackups})`);
  const stopTimeoutMs = options.stopTimeoutMs ?? 120_000;
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const statusTimeoutMs = options.statusTimeoutMs ?? 10_000;
  const retryFailedAfterMs = options.retryFailedAfterMs ?? 300_000;
  const rules = options.rules ?? defaultCloneRules;
  const nowMs = options.nowMs ?? Date.now;
  const holdRecorder = options.holdRecorder ?? (<T>(work: () => Promise<T>): Promise<T> => work());

  /** The mutex: true from the start of an operation until its drain is done. */
  let busy = false;
  /** The pending sync: waiting for a switch, or queued behind the running operation. */
  let waiting: IncomingConfig | null = null;
  /** SHA-256 of the sync the last `config-sync.pending` event was about, so a resend is not news. */
  let pendingReported: string | null = null;
  /** Whether this node's file was last seen out of sync with the primary's; null: not known yet. */
  let outOfSync: boolean | null = null;
  /** The set of unclassified paths last reported, so the same set is not reported again; null: none. */
  let unclassifiedReported: string | null = null;
  /** The last failure, to hold off repeats of the same apply and of the same event. */
  let lastFailure: { readonly key: string; readonly atMs: number; readonly error: ConfigSyncError } | null = null;

  const exclusive = async <T>(operation: () => Promise<T>): Promise<T> => {
    busy = true;
    try {
      return await operation();
    } finally {
      await drain();
      busy = false;
    }
  };

  /** Looks at the pending sync unless this node serves; stops when one goes on waiting. */
  const drain = async (): Promise<void> => {
    for (let round = 0; round < maxDrainRounds; round++) {
      const next = waiting;
      if (next === null) return;
      waiting = null;
      try {
        const result = await settle(next, false);
        if (result.outcome === 'pending' && waiting === next) return;
      } catch (err) {
        log.debug({ err: describe(err), sha256: next.sha256 }, 'config sync: pending sync not applied');
      }
    }
  };

  /**
   * Decides and carries out one sync. Call only inside `exclusive`, with `incoming` taken out
   * of `waiting`: whatever is in `waiting` then arrived later, and is newer.
   */
  const settle = async (incoming: IncomingConfig, force: boolean): Promise<ConfigSyncResult> => {
    let own: ConfigFileSnapshot;
    let shared: SharedChangeSummary;
    let unclassified: UnclassifiedSummary;
    try {
      own = await readConfigFile(configPath);
      const ownConfig = parseRecorderConfig(own.bytes);
      shared = summarizeSharedChanges(cloneDocuments(incoming.config, ownConfig, rules).changes);
      unclassified = summarizeUnclassified(unclassifiedPaths(incoming.config, ownConfig, rules));
    } catch (err) {
      throw fail(incoming, `${incoming.sha256}:unreadable`, err, { written: false, recorderStopped: false });
    }
    reportUnclassified(incoming, unclassified);
    const decision = decideSync({ pending: incoming, localServing: isServing(), force, inSync: shared.count === 0 });
    switch (decision) {
      case 'nothing':
        reportInSync(incoming);
        return { outcome: 'in-sync', changes: 0, sha256: incoming.sha256 };
      case 'wait-for-switch':
        waiting ??= incoming; // a push that arrived meanwhile is newer and stays
        outOfSync = true;
        reportPending(incoming, shared);
        return { outcome: 'pending', changes: shared.count, sha256: incoming.sha256 };
      case 'apply':
        return await apply(incoming, own, shared, force);
    }
  };

  const apply = async (incoming: IncomingConfig, own: ConfigFileSnapshot, shared: SharedChangeSummary, force: boolean): Promise<ConfigSyncResult> => {
    const key = `${incoming.sha256}:${own.sha256}`;
    if (!force && lastFailure !== null && lastFailure.key === key && nowMs() - lastFailure.atMs < retryFailedAfterMs) {
      log.debug({ sha256: incoming.sha256 }, 'config sync: same push failed recently; not stopping the recorder again yet');
      throw lastFailure.error;
    }
    const serving = isServing();
    if (force) {
      emit(configSyncEvent('config-sync.forced', 'warning', serving
        ? 'config sync forced while this node serves: its recorder stops briefly and clients are interrupted'
        : 'config sync forced', { sha256: incoming.sha256, from: incoming.from, serving }));
    }
    emit(configSyncEvent('config-sync.started', 'info', `applying the recorder configuration of ${incoming.from}: ${shared.count} shared change(s)`, {
      sha256: incoming.sha256, from: incoming.from, changes: shared.count, forced: force,
    }));
    const { plan, written, wrote, applied, failure, startFailure } = await holdRecorder(() => stopWriteStart(incoming, shared));
    if (failure !== null) throw fail(incoming, key, failure, { written: wrote, recorderStopped: plan.stop, recorderStartFailed: startFailure !== null });
    if (startFailure !== null) throw fail(incoming, key, startFailure, { written: wrote, recorderStopped: true, recorderStartFailed: true });
    lastFailure = null;
    outOfSync = false;
    if (waiting === incoming) waiting = null;
    if (waiting === null) pendingReported = null;
    emit(configSyncEvent('config-sync.applied', 'info', `applied the recorder configuration of ${incoming.from}: ${applied.count} shared change(s)${plan.startAfter ? '; recorder started again' : ''}`, {
      sha256: incoming.sha256, from: incoming.from, changes: applied.count, paths: applied.paths, pathsOmitted: applied.pathsOmitted,
      backup: written?.backup ?? null, sha256Before: written?.sha256Before ?? null, sha256After: written?.sha256After ?? null,
      recorderRestarted: plan.startAfter, forced: force,
    }));
    log.info({ sha256: incoming.sha256, from: incoming.from, changes: applied.count, backup: written?.backup ?? null }, 'config sync: applied');
    return { outcome: 'applied', changes: applied.count, sha256: incoming.sha256 };
  };

  /** Stops the recorder, writes the clone, starts the recorder again; never throws, reports what failed. */
  const stopWriteStart = async (incoming: IncomingConfig, shared: SharedChangeSummary): Promise<WriteOutcome> => {
    const plan = recorderPlan(await statusOf());
    let written: ApplyResult | null = null;
    let applied = shared;
    let intendedSha256: string | null = null;
    let failure: unknown = null;
    let startFailure: unknown = null;
    try {
      if (plan.stop) await stopRecorder();
      // Read again: the recorder may write its own file while it shuts down.
      const current = await readConfigFile(configPath);
      const cloned = clone(incoming.bytes, current.bytes, rules);
      applied = summarizeSharedChanges(cloned.changes);
      intendedSha256 = sha256Hex(encodeXml(cloned.xml));
      written = await applyRecorderConfig({
        path: configPath,
        xml: cloned.xml,
        expectedSha256: current.sha256,
        check: (candidate) => verifyClone(incoming.config, candidate, rules),
        keepBackups,
      });
    } catch (err) {
      failure = err;
    } finally {
      // Always: after a failed apply the recorder comes back with its previous file.
      if (plan.startAfter) {
        try {
          await bounded(service.start(), startTimeoutMs, 'start-timeout', 'starting the recorder');
        } catch (err) {
          startFailure = err instanceof StepError ? err : new StepError('start-failed', `starting the recorder failed: ${describe(err)}`);
        }
      }
    }
    // A failure can come after the rename (fsync of the folder): say what is on disk, not what was meant.
    const wrote = written?.changed === true || (failure !== null && intendedSha256 !== null && (await shaOnDisk()) === intendedSha256);
    return { plan, written, wrote, applied, failure, startFailure };
  };

  const shaOnDisk = async (): Promise<string | null> => {
    try {
      return (await readConfigFile(configPath)).sha256;
    } catch {
      return null;
    }
  };

  const statusOf = async (): Promise<ServiceStatus> => {
    try {
      return await bounded(service.status(), statusTimeoutMs, 'status-timeout', 'asking the recorder service for its status');
    } catch (err) {
      log.warn({ err: describe(err) }, 'config sync: recorder status unknown; stopping it to be safe');
      return 'unknown';
    }
  };

  /** Stops the recorder and checks that the service manager reports it stopped: the file is only written then. */
  const stopRecorder = async (): Promise<void> => {
    try {
      await bounded(service.stop(), stopTimeoutMs, 'stop-timeout', 'stopping the recorder');
    } catch (err) {
      if (err instanceof StepError) throw err;
      throw new StepError('stop-failed', `stopping the recorder failed: ${describe(err)}`);
    }
    const status = await statusOf();
    if (status !== 'stopped') throw new StepError('not-stopped', `the recorder service reports "${status}" after stopping it; not writing its configuration`);
  };

  const fail = (incoming: IncomingConfig, key: string, err: unknown, data: Readonly<Record<string, unknown>>): ConfigSyncError => {
    const causeCode = causeCodeOf(err);
    const recorderDown = data['recorderStartFailed'] === true;
    const error = new ConfigSyncError('apply-failed', `config sync from ${incoming.from} failed: ${describe(err)}${recorderDown ? '; the recorder did not start again' : ''}`, causeCode, { cause: err });
    outOfSync = true;
    const repeat = lastFailure !== null && lastFailure.key === key && lastFailure.error.causeCode === causeCode && nowMs() - lastFailure.atMs < retryFailedAfterMs;
    lastFailure = { key, atMs: nowMs(), error };
    if (!repeat) {
      emit(configSyncEvent('config-sync.failed', recorderDown ? 'critical' : 'error', error.message, { sha256: incoming.sha256, from: incoming.from, code: causeCode, ...data }));
    }
    log.error({ sha256: incoming.sha256, code: causeCode, err: describe(err) }, 'config sync: failed');
    return error;
  };

  const reportInSync = (incoming: IncomingConfig): void => {
    lastFailure = null;
    if (waiting === null) pendingReported = null;
    if (outOfSync === true) {
      emit(configSyncEvent('config-sync.in-sync', 'info', `the recorder configuration is in sync with ${incoming.from}`, { sha256: incoming.sha256, from: incoming.from }));
    }
    outOfSync = false;
  };

  /** Paths neither synchronized nor known to be node-local must not pass silently; each new set is reported once. */
  const reportUnclassified = (incoming: IncomingConfig, unclassified: UnclassifiedSummary): void => {
    if (unclassified.count === 0) {
      unclassifiedReported = null;
      return;
    }
    if (unclassifiedReported === unclassified.key) return;
    unclassifiedReported = unclassified.key;
    const named = unclassified.paths.slice(0, 3).map((p) => p.path).join(', ');
    emit(configSyncEvent('config-sync.unclassified', 'warning',
      `RecorderConfig.xml holds ${unclassified.count} path(s) no clone rule classifies (${named}${unclassified.count > 3 ? ', …' : ''}): each node keeps its own, they are not synchronized; classify them in configSync.rulesFile`, {
        sha256: incoming.sha256, from: incoming.from, count: unclassified.count, paths: unclassified.paths, pathsOmitted: unclassified.pathsOmitted,
      }));
  };

  const reportPending = (incoming: IncomingConfig, shared: SharedChangeSummary): void => {
    if (pendingReported === incoming.sha256) return;
    pendingReported = incoming.sha256;
    emit(configSyncEvent('config-sync.pending', 'warning', `a recorder configuration from ${incoming.from} (${shared.count} shared change(s)) is waiting for a switch; use config-sync-force to apply now`, {
      sha256: incoming.sha256, from: incoming.from, changes: shared.count, paths: shared.paths, pathsOmitted: shared.pathsOmitted,
    }));
  };

  /** Shared differences between a push and this node's file now, for the answer to a queued push. */
  const sharedCountNow = async (incoming: IncomingConfig): Promise<number> => {
    try {
      return summarizeSharedChanges(clone(incoming.bytes, (await readConfigFile(configPath)).bytes, rules).changes).count;
    } catch {
      return 0; // only informative; the sync itself reports the problem when it runs
    }
  };

  return {
    async receive(push) {
      let incoming: IncomingConfig;
      try {
        incoming = decodePush(push, { nodeId, receivedAt: new Date(nowMs()) });
      } catch (err) {
        log.warn({ from: push.from, err: describe(err) }, 'config sync: push refused');
        throw err;
      }
      waiting = incoming; // the newest push wins over any older pending one
      if (busy) {
        log.info({ sha256: incoming.sha256, from: incoming.from }, 'config sync: push queued behind the operation in progress');
        return { outcome: 'pending', changes: await sharedCountNow(incoming), sha256: incoming.sha256 };
      }
      return exclusive(async () => {
        if (waiting === incoming) waiting = null;
        return settle(incoming, false);
      });
    },

    async onServingChanged(serving) {
      // When busy, the drain after the running operation sees the new state.
      if (serving || busy || waiting === null) return;
      await exclusive(async () => undefined);
    },

    async force() {
      if (busy) throw new ConfigSyncError('busy', 'a config sync is in progress; try again when it ends');
      const next = waiting;
      if (next === null) throw new ConfigSyncError('sync-not-pending', 'no config sync is pending');
      return exclusive(async () => {
        if (waiting === next) waiting = null;
        return settle(next, true);
      });
    },

    pending() {
      return waiting === null ? null : { sha256: waiting.sha256, from: waiting.from, receivedAt: waiting.receivedAt };
    },
  };
}

interface WriteOutcome {
  readonly plan: RecorderPlan;
  /** What applyRecorderConfig wrote, or null when it did not get that far. */
  readonly written: ApplyResult | null;
  /** The file holds the clone now (also when a step after the rename failed). */
  readonly wrote: boolean;
  /** The shared changes as cloned against the file read after the stop. */
  readonly applied: SharedChangeSummary;
  /** Why nothing was written (stop, read, clone or apply), or null. */
  readonly failure: unknown;
  /** Why the recorder did not start again, or null. */
  readonly startFailure: unknown;
}

/** A failed step of the recorder service, with its code for `config-sync.failed`. */
class StepError extends Error {
  override readonly name = 'StepError';
  constructor(readonly code: ApplyFailureCode, message: string) {
    super(message);
  }
}

function causeCodeOf(err: unknown): ApplyFailureCode {
  if (err instanceof RecorderConfigError || err instanceof StepError) return err.code;
  return 'internal';
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Resolves or rejects like `promise`, or rejects with a StepError after `timeoutMs`. */
async function bounded<T>(promise: Promise<T>, timeoutMs: number, code: ApplyFailureCode, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StepError(code, `${what} took longer than ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
