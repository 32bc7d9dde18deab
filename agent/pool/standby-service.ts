// The pool standby's shell (issue 17): carries out the steps the core (standby.ts) asks for,
// one at a time, each bounded by a timeout, and persists the core's state durably after every
// transition, so that a restarted standby knows what it serves. The pieces are the agent's own:
// the recorder's service adapter, recorder-config-sync's clone and atomic apply (with a backup
// of the standby's own RecorderConfig.xml), the recorder health probe, and the protected
// server's serving endpoint, claimed under the lease's epoch. A hot standby's file (the
// protected server's RecorderConfig.xml it runs while free) is kept beside the state, so that a
// restarted agent can prepare it again.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  applyRecorderConfig, clone, defaultCloneRules, parseRecorderConfig, readConfigFile, readConfigFileIfExists, RecorderConfigError, sha256Hex, verifyClone,
  type CloneRules, type RecorderConfig,
} from '../../recorder-config-sync/index.js';
import { directText, findElement } from '../../recorder-config-sync/xml-document.js';
import { poolCameraLevels, poolHotStates, poolStandbyStates, type PoolBecomeProtectedRequest, type PoolHotAssignment, type PoolStandbyStatus, type PoolTakeoverRequest } from '../../contracts/pool-v1.js';
import type { CoreEvent } from '../core/decide.js';
import type { ServingEndpoint } from '../endpoint/serving-endpoint.js';
import type { CameraStatus, RecorderHealth, RecorderProbe, RecorderService } from '../shell/ports.js';
import { describeIssues } from '../shared/describe-issues.js';
import { writeFileDurably } from '../store/durable-file.js';
import { writeRoleSwitch, type PoolRole } from './pool-role.js';
import { bounded, stopRecorderAndWait } from './recorder-steps.js';
import {
  initialStandbyState, standbyStatus, stepStandby,
  type Assignment, type HotAssignment, type HotStandby, type RoleSwitch, type StandbyAnswer, type StandbyInput, type StandbySequence, type StandbyState, type StandbyStep,
} from './standby.js';

/** The recorder health probe, asked about the cameras of the takeover (a SoapRecorderProbe with a camera id source; see `probeAskingFor`). */
export interface StandbyRecorderProbe {
  /** Asks the recorder on this host at `webServerPort` (its RecorderConfig.xml's). Never throws; bounded by the probe's own timeout. */
  probe(cameraIds: readonly string[], webServerPort: number): Promise<RecorderHealth>;
}

export interface StandbyServiceOptions {
  /** This standby's node id: the serving endpoint points at it under that name. */
  readonly nodeId: string;
  /**
   * This standby's host as clients reach it: the endpoint forwards to it, at the `webserver/port`
   * of the file the recorder runs. That port is shared by default (a real standby takes the
   * protected server's port); a site whose servers differ in it makes it local in `rules`.
   */
  readonly servingHost: string;
  /** Clone rules with the site's overrides. Default: the built-in rules. */
  readonly rules?: CloneRules;
  /** This standby's RecorderConfig.xml. */
  readonly configPath: string;
  /** `pool-standby.json` (the state) and `own-RecorderConfig.xml` (the standby's own file while it serves another identity). */
  readonly stateDir: string;
  readonly service: RecorderService;
  readonly probe: StandbyRecorderProbe;
  /** The serving endpoint of a protected server (agent.yaml maps shared addresses to relay control URLs or commands). */
  readonly endpointFor: (assignment: Assignment) => ServingEndpoint;
  readonly log: Logger;
  /** The agent's event queue: `pool.hot-standby-ready`, `…-failed`, `…-removed`, `pool.role-switched`. */
  readonly emit: (event: CoreEvent) => void;
  /** Whether agent.yaml's pool.endpoints has this shared address: a replacement must have the endpoint it will serve. Default: any. */
  readonly endpointKnown?: (sharedAddress: string) => boolean;
  /** The role switch of a replacement is durable: the agent restarts as a protected server's (called once, after the step's result was taken). */
  readonly onRoleSwitched?: (role: PoolRole) => void;
  /** Bound on stopping the recorder, until its service reads `stopped` (XProtect waits up to 60 s). Default 120 s. */
  readonly stopTimeoutMs?: number;
  /** Bound on starting it. Default 120 s. */
  readonly startTimeoutMs?: number;
  /** Bound on one status call of the service manager. Default 10 s. */
  readonly statusTimeoutMs?: number;
  /** Bound on waiting until the recorder records the takeover's cameras. Default 60 s. */
  readonly healthyTimeoutMs?: number;
  /** Between two probes while waiting. Default 250 ms. */
  readonly probeIntervalMs?: number;
  /** Bound on one claim or release of the serving endpoint. Default 10 s. */
  readonly endpointTimeoutMs?: number;
  /** Backups of RecorderConfig.xml kept beside it. Default 10. */
  readonly keepBackups?: number;
  /** Wall clock in ms (tests). */
  readonly nowMs?: () => number;
}

/** The answer to a takeover or release: the core's, and the status after it. */
export interface StandbyOrderResult {
  readonly answer: StandbyAnswer;
  readonly status: PoolStandbyStatus;
}

export interface StandbyService {
  /**
   * A takeover order (already checked against `poolTakeoverRequestSchema`).
   * @throws StandbyInputError when the configuration is not the protected server's file (bad base64, SHA-256, not a RecorderConfig.xml): nothing changed.
   */
  takeover(request: PoolTakeoverRequest): StandbyOrderResult;
  release(protectedNodeId: string, epoch: number): StandbyOrderResult;
  /**
   * A hot standby order (already checked against `poolHotStandbyRequestSchema`): hot for the
   * assignment's server, or (null) cold again.
   * @throws StandbyInputError as `takeover` does: nothing changed.
   */
  hotStandby(assignment: PoolHotAssignment | null): StandbyOrderResult;
  /**
   * A replacement order (already checked against `poolBecomeProtectedRequestSchema`).
   * @throws StandbyInputError as `takeover` does, or when agent.yaml lists no endpoint for the shared address: nothing changed.
   */
  becomeProtected(request: PoolBecomeProtectedRequest): StandbyOrderResult;
  status(): PoolStandbyStatus;
  /** The device ids of the cameras of the takeover it runs (or is taking over, releasing, failed at); when free, those of the hot standby's server; else none. */
  assignedCameraIds(): readonly string[];
  /** Resolves when no step runs (tests, shutdown). Bounded by `timeoutMs`; false when a step still runs. */
  idle(timeoutMs: number): Promise<boolean>;
  /**
   * Stops at the running step's end (a wait in it ends at its next turn) without taking its
   * result, as a crash would: the state on disk resumes or fails it at the next start. Resolves
   * like `idle`.
   */
  close(timeoutMs: number): Promise<boolean>;
}

/** A takeover refused before it reached the core: the request's configuration cannot be used. */
export class StandbyInputError extends Error {
  override readonly name = 'StandbyInputError';
  constructor(message: string, readonly slug: 'configInvalid' | 'endpointUnknown' = 'configInvalid') {
    super(message);
  }
}

/** The state file's name in `stateDir`. */
export const standbyStateFile = 'pool-standby.json';
/** The standby's own RecorderConfig.xml while it runs another identity. */
export const ownConfigFile = 'own-RecorderConfig.xml';
/** The hot standby's protected server's RecorderConfig.xml, as the controller sent it (the clone is made from it). */
export const hotConfigFile = 'pool-hot-RecorderConfig.xml';

/**
 * Loads the standby's state (a restart resumes or fails what was running) and returns the
 * service the local API's pool routes drive.
 *
 * @example
 *   const standby = startStandbyService({ nodeId: 'standby-1', servingHost: '10.0.0.21', configPath, stateDir, service, probe, endpointFor, log });
 *   standby.takeover(poolTakeoverRequestSchema.parse(body));   // { answer: { accepted: true, repeat: false }, status: { state: 'taking-over', … } }
 */
export function startStandbyService(options: StandbyServiceOptions): StandbyService {
  const { configPath, stateDir, service, log } = options;
  const nowMs = options.nowMs ?? Date.now;
  const stopTimeoutMs = options.stopTimeoutMs ?? 120_000;
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const statusTimeoutMs = options.statusTimeoutMs ?? 10_000;
  const healthyTimeoutMs = options.healthyTimeoutMs ?? 60_000;
  const probeIntervalMs = options.probeIntervalMs ?? 250;
  const endpointTimeoutMs = options.endpointTimeoutMs ?? 10_000;
  const keepBackups = options.keepBackups ?? 10;
  const rules = options.rules ?? defaultCloneRules;
  const statePath = join(stateDir, standbyStateFile);
  const ownPath = join(stateDir, ownConfigFile);
  const hotPath = join(stateDir, hotConfigFile);

  let state = loadState(statePath, nowMs());
  /** The protected server's file of the current takeover: kept in memory only (a restart fails a takeover cut short). */
  let protectedConfig: DecodedConfig | null = null;
  /** The hot standby's file: on disk (`hotPath`) and here. */
  let hotConfig: DecodedConfig | null = state.hot === null ? null : loadHotConfig(hotPath, state.hot.assignment.configSha256, log);
  /** The replaced server's file of a replacement: in memory only (a restart fails a replacement cut short; the order, sent again, carries it). */
  let switchConfig: DecodedConfig | null = null;
  let runner: Promise<void> | null = null;
  let closing = false;

  const save = (): void => writeFileDurably(statePath, `${JSON.stringify({ version: 1, state })}\n`, 0o600);

  const feed = (input: StandbyInput): { answer: StandbyAnswer | null; run: StandbyStep | null } => {
    const before = state;
    const result = stepStandby(state, input);
    state = result.state;
    if (state !== before) {
      save();
      if (state.phase !== before.phase) log.info({ state: state.phase, protectedNodeId: state.assignment?.protectedNodeId ?? null, epoch: state.assignment?.epoch ?? state.epochMax, error: state.error }, `pool standby: ${state.phase}`);
      if (state.hot !== before.hot) hotChanged(before.hot, state.hot);
      if (state.switching?.done === true && before.switching?.done !== true) switched(state.switching);
    }
    if (result.run !== null) runFrom(result.run);
    return { answer: result.answer, run: result.run };
  };

  /** The hot standby's events; its file goes once it is gone. */
  const hotChanged = (before: HotStandby | null, after: HotStandby | null): void => {
    if (after === null) {
      rmSync(hotPath, { force: true });
      hotConfig = null;
      if (before !== null) options.emit({ kind: 'pool.hot-standby-removed', severity: 'info', message: `no longer the hot standby of ${before.assignment.protectedName}: runs its own configuration again`, data: { protectedNodeId: before.assignment.protectedNodeId } });
      return;
    }
    const data = { protectedNodeId: after.assignment.protectedNodeId, configSha256: after.assignment.configSha256, state: after.state };
    if (after.state === 'ready' && before?.state !== 'ready') {
      options.emit({ kind: 'pool.hot-standby-ready', severity: 'info', message: `hot standby of ${after.assignment.protectedName}: records its ${after.assignment.cameras.length} camera(s) with its identity, without its endpoint`, data });
    } else if (after.state === 'failed' && before?.state !== 'failed') {
      options.emit({ kind: 'pool.hot-standby-failed', severity: 'warning', message: `the hot standby of ${after.assignment.protectedName} failed at ${after.error?.step ?? '?'}: ${after.error?.reason ?? ''}; a takeover of it runs in full, the next hot standby order retries`.slice(0, 2048), data: { ...data, error: after.error } });
    }
  };

  /** The replacement is durable: said, and the agent restarts in its new role (after this turn: the chain ends first). */
  const switched = (switching: RoleSwitch): void => {
    const role = roleWritten;
    if (role === null) throw new Error('the role switch was not written');
    options.emit({ kind: 'pool.role-switched', severity: 'info', message: `replaced ${switching.replacedName} for good: this agent is the pool's protected server at ${switching.sharedAddress} now, ${switching.serving ? `serving on under epoch ${switching.epoch}` : `fenced below epoch ${switching.epoch} until the controller resumes it`}`, data: { replacedNodeId: switching.replacedNodeId, epoch: switching.epoch, serving: switching.serving } });
    const notify = options.onRoleSwitched;
    if (notify !== undefined) setImmediate(() => notify(role));
  };
  let roleWritten: PoolRole | null = null;

  /** Runs the step and every one the core asks for after it; at most one such chain exists (the core runs one step at a time). */
  const runFrom = (first: StandbyStep): void => {
    const chain = async (): Promise<void> => {
      let step: StandbyStep | null = first;
      while (step !== null) {
        let failure: string | null = null;
        try {
          const target = targetOf(state);
          const startedMs = nowMs();
          await runStep(step, target);
          log.info({ step, sequence: target.of, ms: Math.round(nowMs() - startedMs) }, 'pool standby: step done');
        } catch (err) {
          failure = describe(err);
          if (!closing) log.warn({ step, err: failure }, 'pool standby: step failed');
        }
        // Stopping: the result is not taken, so the state on disk says the step was cut short.
        if (closing) return;
        const at = nowMs();
        step = feed(failure === null ? { kind: 'step-done', atMs: at, step } : { kind: 'step-failed', atMs: at, step, reason: failure.slice(0, 1024) }).run;
      }
    };
    // feed() starts a new chain only when the core asks for a step; inside a chain, feed() returns it to the loop instead.
    if (runner !== null || closing) return;
    runner = chain()
      .catch((err: unknown) => log.error({ err: describe(err) }, 'pool standby: the state could not be saved; steps stopped'))
      .finally(() => {
        runner = null;
      });
  };

  const runStep = async (step: StandbyStep, target: StepTarget): Promise<void> => {
    switch (step) {
      case 'persist-epoch':
        save();
        return;
      case 'stop-recorder':
        return stopRecorder();
      case 'apply-config':
        return applyProtectedConfig(target.assignment, target.of === 'hot' ? hotConfig : target.of === 'become' ? switchConfig : protectedConfig);
      case 'start-recorder':
        await bounded(service.start(), startTimeoutMs, 'starting the recorder');
        return;
      case 'wait-healthy':
        if (!('cameras' in target.assignment)) throw new Error('a replacement waits for no camera: its recorder stays stopped');
        return waitHealthy(target.assignment, target.of);
      case 'claim-endpoint': {
        // Only a takeover claims: it carries the lease's epoch (a hot standby has none).
        if (target.of !== 'takeover' || !('epoch' in target.assignment)) throw new Error('only a takeover claims the serving endpoint');
        const assignment = target.assignment;
        const here = { nodeId: options.nodeId, host: options.servingHost, port: await webServerPortNow() };
        const outcome = await bounded(options.endpointFor(assignment).claim(assignment.epoch, here), endpointTimeoutMs, 'claiming the serving endpoint');
        if (!outcome.accepted) throw new Error(`the serving endpoint of ${assignment.protectedName} holds epoch ${outcome.currentEpoch}, not below ${assignment.epoch}`);
        return;
      }
      case 'release-endpoint': {
        if (!('epoch' in target.assignment)) throw new Error('no takeover to release');
        const assignment = target.assignment;
        await bounded(options.endpointFor(assignment).release(assignment.epoch, options.nodeId), endpointTimeoutMs, 'releasing the serving endpoint');
        return;
      }
      case 'restore-config':
        return restoreOwnConfig();
      case 'switch-role': {
        const switching = state.switching ?? null;
        if (switching === null) throw new Error('no replacement to switch for');
        roleWritten = writeRoleSwitch(stateDir, switching, Date.now());
        log.info({ replacedNodeId: switching.replacedNodeId, sharedAddress: switching.sharedAddress, epoch: switching.epoch, serving: switching.serving }, 'pool standby: the role switch is durable (pool-role.json); restarting as the protected server');
        return;
      }
    }
  };

  /** Stops the recorder and waits until its service reads `stopped`: only then is its file written. */
  const stopRecorder = (): Promise<void> => stopRecorderAndWait(service, { stopTimeoutMs, statusTimeoutMs, nowMs, closing: () => closing, consequence: 'its configuration is not written' });

  /** Keeps the standby's own file (once: a second takeover, or one from a hot standby, must not take a clone for it), then writes the clone of the protected server's. */
  const applyProtectedConfig = async (assignment: Pick<HotAssignment, 'protectedName' | 'configSha256'>, incoming: DecodedConfig | null): Promise<void> => {
    if (incoming === null || incoming.sha256 !== assignment.configSha256) {
      throw new Error('the protected server\'s RecorderConfig.xml is not held (the agent restarted); take over again with a new epoch, or send the hot standby or replacement order again');
    }
    let own = await readConfigFileIfExists(ownPath);
    const current = await readConfigFile(configPath);
    if (own === null) {
      // Written as the recorder-config-sync writes any RecorderConfig.xml: parsed first, atomic, durable.
      await applyRecorderConfig({ path: ownPath, xml: current.bytes.toString('utf8'), expectedSha256: null, keepBackups: 1 });
      own = await readConfigFile(ownPath);
      if (own.sha256 !== current.sha256) throw new Error(`the copy of the standby's own RecorderConfig.xml reads back as ${own.sha256}, not ${current.sha256}`);
    }
    const cloned = clone(incoming.bytes, own.bytes, rules);
    await applyRecorderConfig({ path: configPath, xml: cloned.xml, expectedSha256: current.sha256, check: (candidate) => verifyClone(incoming.config, candidate, rules), keepBackups });
    log.info({ protectedName: assignment.protectedName, recorderId: incoming.config.info.recorderId, changes: cloned.changes.filter((c) => c.kind === 'shared').length }, 'pool standby: runs the protected server\'s identity');
  };

  /** Writes the standby's own file back (only while the recorder is stopped: the core orders it after the stop), then forgets the copy. */
  const restoreOwnConfig = async (): Promise<void> => {
    const own = await readConfigFileIfExists(ownPath);
    if (own === null) return; // already its own (a release retried after this step)
    const ownConfig = parseRecorderConfig(own.bytes);
    const current = await readConfigFileIfExists(configPath);
    if (current?.sha256 !== own.sha256) {
      await applyRecorderConfig({
        path: configPath,
        xml: own.bytes.toString('utf8'),
        expectedSha256: current?.sha256 ?? null,
        check: (candidate) => {
          if (candidate.info.recorderId !== ownConfig.info.recorderId) throw new Error('the restored file is not the standby\'s own identity');
        },
        keepBackups,
      });
    }
    rmSync(ownPath, { force: true });
    log.info({ recorderId: ownConfig.info.recorderId }, 'pool standby: runs its own identity again');
  };

  /** Healthy: the recorder answers, records every `full` camera, and runs every `live-only` one. */
  const waitHealthy = async (assignment: HotAssignment, of: StandbySequence): Promise<void> => {
    const ids = assignment.cameras.map((c) => c.deviceId);
    const port = await webServerPortNow();
    const deadline = nowMs() + healthyTimeoutMs;
    let last = 'no answer yet';
    for (;;) {
      // A takeover (or release) waits behind a hot standby's prepare and runs in full: this wait is moot, and a failover must not wait for it.
      if (of === 'hot' && state.phase !== 'free') return;
      const health = await options.probe.probe(ids, port);
      last = health.reachable ? lacking(assignment, health.cameras) : `the recorder does not answer: ${health.reason}`;
      if (last === '') return;
      if (nowMs() >= deadline) throw new Error(`not healthy after ${healthyTimeoutMs} ms: ${last}`);
      if (closing) throw new Error('the agent stops');
      await sleep(probeIntervalMs);
    }
  };

  /** The port the recorder answers on: its file's `webserver/port`. */
  const webServerPortNow = async (): Promise<number> => webServerPortOf(parseRecorderConfig((await readConfigFile(configPath)).bytes));

  async function idle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (runner !== null) {
      if (Date.now() >= deadline) return false;
      await Promise.race([runner, sleep(Math.min(100, Math.max(1, deadline - Date.now())))]);
    }
    return true;
  }

  const restart = feed({ kind: 'restarted', atMs: nowMs() });
  if (restart.run === null && state.phase !== 'free') log.info({ state: state.phase, protectedNodeId: state.assignment?.protectedNodeId }, 'pool standby: state loaded');

  return {
    takeover(request) {
      const incoming = decodeConfig(request.recorderConfig);
      const order: Assignment = {
        protectedNodeId: request.protectedNodeId, protectedName: request.protectedName, epoch: request.epoch, sharedAddress: request.sharedAddress,
        configSha256: incoming.sha256, cameras: request.cameras,
      };
      const held = protectedConfig;
      // Held before the core runs: its first step starts at once. A refused or repeated order keeps the one held.
      protectedConfig = incoming;
      const { answer } = feed({ kind: 'takeover', atMs: nowMs(), order });
      if (answer === null) throw new Error('the core answered no order');
      if (!answer.accepted || answer.repeat) protectedConfig = held;
      return { answer, status: standbyStatus(state) };
    },
    release(protectedNodeId, epoch) {
      const { answer } = feed({ kind: 'release', atMs: nowMs(), protectedNodeId, epoch });
      if (answer === null) throw new Error('the core answered no order');
      return { answer, status: standbyStatus(state) };
    },
    hotStandby(request) {
      const incoming = request === null ? null : decodeConfig(request.recorderConfig);
      const input: StandbyInput = {
        kind: 'hot-standby',
        atMs: nowMs(),
        assignment: request === null || incoming === null ? null : { protectedNodeId: request.protectedNodeId, protectedName: request.protectedName, sharedAddress: request.sharedAddress, configSha256: incoming.sha256, cameras: request.cameras },
      };
      // The core is pure: asked first, so that the file is durable before its first step runs (or, on a repeat, when a restart found none).
      const preview = stepStandby(state, input).answer;
      if (incoming !== null && preview?.accepted === true && (!preview.repeat || hotConfig?.sha256 !== incoming.sha256)) {
        writeFileDurably(hotPath, incoming.bytes, 0o600);
        hotConfig = incoming;
      }
      const { answer } = feed(input);
      if (answer === null) throw new Error('the core answered no order');
      return { answer, status: standbyStatus(state) };
    },
    becomeProtected(request) {
      const incoming = decodeConfig(request.recorderConfig);
      if (options.endpointKnown !== undefined && !options.endpointKnown(request.sharedAddress)) throw new StandbyInputError(`agent.yaml's pool.endpoints has no serving endpoint for ${request.sharedAddress}: the replacement could not serve it`, 'endpointUnknown');
      const input: StandbyInput = { kind: 'become-protected', atMs: nowMs(), order: { replacedNodeId: request.replacedNodeId, replacedName: request.replacedName, sharedAddress: request.sharedAddress, configSha256: incoming.sha256, epoch: request.epoch } };
      // Held before the core runs (its first step starts at once); a refused order keeps the one held.
      const held = switchConfig;
      switchConfig = incoming;
      const { answer } = feed(input);
      if (answer === null) throw new Error('the core answered no order');
      if (!answer.accepted) switchConfig = held;
      return { answer, status: standbyStatus(state) };
    },
    status: () => standbyStatus(state),
    assignedCameraIds: () => (state.assignment ?? (state.hot?.leaving === false ? state.hot.assignment : null))?.cameras.map((c) => c.deviceId) ?? [],
    idle,
    close(timeoutMs) {
      closing = true;
      return idle(timeoutMs);
    },
  };
}

/**
 * A StandbyRecorderProbe from a probe that reads its camera ids from a source (the agent's
 * SoapRecorderProbe: `soapRecorderProbe({ …, cameraIds })`).
 *
 * @example
 *   const probe = probeAskingFor((cameraIds, port) => soapRecorderProbe({ webServerUrl: `http://10.0.0.21:${port}/`, tokenUrl, username, password, timeoutMs: 2_000, cameraIds, log }));
 */
export function probeAskingFor(make: (cameraIds: () => readonly string[], webServerPort: number) => RecorderProbe): StandbyRecorderProbe & { close(): Promise<void> } {
  let ids: readonly string[] = [];
  let inner: { readonly port: number; readonly probe: RecorderProbe } | null = null;
  return {
    async probe(cameraIds, webServerPort) {
      ids = cameraIds;
      if (inner?.port !== webServerPort) {
        await inner?.probe.close();
        inner = { port: webServerPort, probe: make(() => ids, webServerPort) };
      }
      return inner.probe.probe();
    },
    async close() {
      await inner?.probe.close();
      inner = null;
    },
  };
}

/**
 * The recorder's web server port (`webserver/port`), where it answers SOAP and ImageServer clients.
 *
 * @example webServerPortOf(parseRecorderConfig(bytes))   // 7563
 */
export function webServerPortOf(config: RecorderConfig): number {
  const element = findElement(config.doc.root, 'webserver/port');
  const text = element === undefined ? '' : directText(element).trim();
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new Error(`RecorderConfig.xml has no valid webserver/port (${text === '' ? 'none' : JSON.stringify(text.slice(0, 20))})`);
  return port;
}

/** What keeps the takeover's cameras from being served as ordered, in a few words; '' when nothing does. */
export function lacking(assignment: HotAssignment, cameras: readonly CameraStatus[]): string {
  const byId = new Map(cameras.map((c) => [c.deviceId.toLowerCase(), c]));
  const missing: string[] = [];
  for (const camera of assignment.cameras) {
    const status = byId.get(camera.deviceId);
    const ok = status !== undefined && (camera.level === 'full' ? status.recording : status.started && !status.errorNoConnection);
    if (!ok) missing.push(camera.deviceId);
  }
  if (missing.length === 0) return '';
  return `${missing.length} of ${assignment.cameras.length} camera(s) not served as ordered (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''})`;
}

/** A protected server's RecorderConfig.xml as the standby holds it: its bytes, their SHA-256, parsed. */
interface DecodedConfig {
  readonly sha256: string;
  readonly bytes: Buffer;
  readonly config: RecorderConfig;
}

/** What a step acts for: the takeover (or release) of `assignment`, the hot standby's prepare or restore, or a replacement. */
interface StepTarget {
  readonly of: StandbySequence;
  readonly assignment: Assignment | HotAssignment | Pick<HotAssignment, 'protectedName' | 'configSha256'>;
}

function targetOf(state: StandbyState): StepTarget {
  const of = state.running?.of ?? null;
  if (of === 'become' && state.switching !== undefined && state.switching !== null) return { of, assignment: { protectedName: state.switching.replacedName, configSha256: state.switching.configSha256 } };
  const assignment = of === 'hot' || of === 'cold' ? state.hot?.assignment : state.assignment;
  if (of === null || assignment === undefined || assignment === null) throw new Error('no assignment');
  return { of, assignment };
}

function decodeConfig(recorderConfig: PoolTakeoverRequest['recorderConfig']): DecodedConfig {
  const bytes = Buffer.from(recorderConfig.xml, 'base64');
  // Node's decoder skips characters it does not know; only a round trip proves the text was base64.
  if (bytes.length === 0 || bytes.toString('base64') !== recorderConfig.xml) throw new StandbyInputError('recorderConfig.xml is not canonical base64');
  const sha256 = sha256Hex(bytes);
  if (sha256 !== recorderConfig.sha256) throw new StandbyInputError(`recorderConfig's bytes have SHA-256 ${sha256}, not the announced ${recorderConfig.sha256}`);
  try {
    return { sha256, bytes, config: parseRecorderConfig(bytes) };
  } catch (err) {
    if (err instanceof RecorderConfigError) throw new StandbyInputError(`recorderConfig is not a valid RecorderConfig.xml: ${err.message}`);
    throw err;
  }
}

const assignmentSchema = z.object({
  protectedNodeId: z.string().min(1).max(64),
  protectedName: z.string().min(1).max(64),
  epoch: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  sharedAddress: z.string().min(1).max(261),
  configSha256: z.string().regex(/^[0-9a-f]{64}$/),
  cameras: z.array(z.object({ deviceId: z.string().min(1).max(64), level: z.enum(poolCameraLevels) }).strict()).max(4096),
}).strict();
const stepSchema = z.enum(['persist-epoch', 'stop-recorder', 'apply-config', 'start-recorder', 'wait-healthy', 'claim-endpoint', 'release-endpoint', 'restore-config', 'switch-role']);
const stepErrorSchema = z.object({ step: stepSchema, reason: z.string().max(1024) }).strict();
const stateFileSchema = z.object({
  version: z.literal(1),
  state: z.object({
    phase: z.enum(poolStandbyStates),
    epochMax: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    assignment: assignmentSchema.nullable(),
    running: z.object({ step: stepSchema, of: z.enum(['takeover', 'release', 'hot', 'cold', 'become']) }).strict().nullable(),
    remaining: z.array(stepSchema).max(16),
    sinceMs: z.number().min(0),
    error: stepErrorSchema.nullable(),
    released: z.object({ protectedNodeId: z.string().min(1).max(64), epoch: z.number().int().min(1) }).strict().nullable(),
    // Absent in files written before hot standbys.
    hot: z.object({ assignment: assignmentSchema.omit({ epoch: true }), state: z.enum(poolHotStates), error: stepErrorSchema.nullable(), leaving: z.boolean() }).strict().nullable().default(null),
    // Absent in files written before replacements.
    switching: z.object({ replacedNodeId: z.string().min(1).max(64), replacedName: z.string().min(1).max(64), sharedAddress: z.string().min(1).max(261), configSha256: z.string().regex(/^[0-9a-f]{64}$/), epoch: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), serving: z.boolean(), done: z.boolean() }).strict().nullable().default(null),
  }).strict(),
}).strict();

/**
 * The hot standby's file as the last order sent it; null (and a warning) when it is missing or
 * not what the state names: its prepare then fails, and the next order sends it again.
 */
function loadHotConfig(path: string, sha256: string, log: Logger): DecodedConfig | null {
  try {
    const bytes = readFileSync(path);
    const held = sha256Hex(bytes);
    if (held !== sha256) throw new Error(`it has SHA-256 ${held}, not ${sha256}`);
    return { sha256, bytes, config: parseRecorderConfig(bytes) };
  } catch (err) {
    log.warn({ path, err: describe(err) }, 'pool standby: the hot standby\'s RecorderConfig.xml cannot be used; the next hot standby order sends it again');
    return null;
  }
}

/** The persisted state; a missing file is a fresh standby. An unreadable one throws: guessing could reuse an epoch. */
function loadState(path: string, atMs: number): StandbyState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return initialStandbyState(atMs);
    throw new Error(`the pool standby's state ${path} cannot be read (${(err as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`the pool standby's state ${path} is not valid JSON; restore it from a backup`);
  }
  const parsed = stateFileSchema.safeParse(value);
  if (!parsed.success) throw new Error(`the pool standby's state ${path} is not valid (${describeIssues(parsed.error.issues)})`);
  return parsed.data.state;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
