// The protected recording server's shell (issue 17): carries out the steps its core
// (protected.ts) asks for, one at a time, each bounded; claims the serving endpoint again every
// claimIntervalMs while serving (the watch: how a standby's claim above it is noticed); takes the
// service manager's view of the recorder (a fenced recorder seen running is stopped again); and
// persists the core's state durably after every transition (`<stateDir>/pool-protected.json`,
// temp file, fsync, rename), so that a restarted agent stays fenced, or resumes what it was resuming.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { poolProtectedStates, type PoolProtectedStatus } from '../../contracts/pool-v1.js';
import type { CoreEvent } from '../core/decide.js';
import type { ServingEndpoint, ServingTarget } from '../endpoint/serving-endpoint.js';
import { describeIssues } from '../shared/describe-issues.js';
import { WakeableSleep } from '../shared/wakeable-sleep.js';
import type { RecorderService, ServiceStatus } from '../shell/ports.js';
import { writeFileDurably } from '../store/durable-file.js';
import { initialProtectedState, protectedStatus, stepProtected, watchesEndpoint, type ProtectedAnswer, type ProtectedInput, type ProtectedState, type ProtectedStep } from './protected.js';
import { bounded, stopRecorderAndWait } from './recorder-steps.js';

export interface ProtectedServiceOptions {
  /** Where the endpoint points while this server serves: its own recorder's web server, under its node id. */
  readonly target: ServingTarget;
  /** Its serving endpoint (agent.yaml pool.endpoint). */
  readonly endpoint: ServingEndpoint;
  readonly service: RecorderService;
  /** `pool-protected.json` goes here. */
  readonly stateDir: string;
  readonly log: Logger;
  /** Events for the controller (the agent's event queue). */
  readonly emit: (event: CoreEvent) => void;
  /** Between two claims while serving. Default 1 s. */
  readonly claimIntervalMs?: number;
  /** Bound on stopping the recorder, until its service reads `stopped`. Default 120 s. */
  readonly stopTimeoutMs?: number;
  /** Bound on starting it. Default 120 s. */
  readonly startTimeoutMs?: number;
  /** Bound on one claim of the endpoint. Default 10 s. */
  readonly endpointTimeoutMs?: number;
  /** Bound on one status call of the service manager. Default 10 s. */
  readonly statusTimeoutMs?: number;
  /** Wall clock in ms (tests). */
  readonly nowMs?: () => number;
  /** Runs in the resume's start-recorder step, the recorder still stopped, before the start: the failback sync's placeholders (failback-sync.ts). Must not throw. */
  readonly beforeRecorderStart?: () => Promise<void>;
}

/** The answer to a resume: the core's, and the status after it. */
export interface ProtectedOrderResult {
  readonly answer: ProtectedAnswer;
  readonly status: PoolProtectedStatus;
}

export interface ProtectedService {
  /** A resume order (already checked against `poolResumeRequestSchema`). */
  resume(epoch: number): ProtectedOrderResult;
  status(): PoolProtectedStatus;
  /** What the service manager says of the recorder now (the observation loop reads it): a fenced recorder seen running is stopped again. */
  observeService(status: ServiceStatus): void;
  /** Resolves when no step runs (tests, shutdown). Bounded by `timeoutMs`; false when a step still runs. */
  idle(timeoutMs: number): Promise<boolean>;
  /** Stops the watch, and the steps at the running one's end without taking its result (as a crash would). Resolves like `idle`. */
  close(timeoutMs: number): Promise<boolean>;
}

/** The state file's name in `stateDir`. */
export const protectedStateFile = 'pool-protected.json';

/**
 * Loads the protected server's state (a fenced server stays fenced and stops its recorder; a
 * resume cut short claims again), starts the watch, and returns the service the local API's
 * resume route and the observation loop drive.
 *
 * @example
 *   const guard = startProtectedService({ target: { nodeId: 'rs-1', host: '10.0.0.11', port: 7563 }, endpoint, service, stateDir, log, emit });
 *   guard.resume(3);   // { answer: { accepted: true, repeat: false }, status: { state: 'resuming', epoch: 3, … } }
 */
export function startProtectedService(options: ProtectedServiceOptions): ProtectedService {
  const { service, log } = options;
  const nowMs = options.nowMs ?? Date.now;
  const claimIntervalMs = options.claimIntervalMs ?? 1_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 120_000;
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const endpointTimeoutMs = options.endpointTimeoutMs ?? 10_000;
  const statusTimeoutMs = options.statusTimeoutMs ?? 10_000;
  const statePath = join(options.stateDir, protectedStateFile);

  let state = loadState(statePath, nowMs());
  let runner: Promise<void> | null = null;
  let closing = false;
  const sleeper = new WakeableSleep();

  const save = (): void => saveProtectedState(options.stateDir, state);

  const feed = (input: ProtectedInput): { answer: ProtectedAnswer | null; run: ProtectedStep | null } => {
    const before = state;
    const result = stepProtected(state, input);
    state = result.state;
    if (state !== before) {
      save();
      announce(before, state, input);
    }
    if (result.run !== null) runFrom(result.run);
    return { answer: result.answer, run: result.run };
  };

  /** The events and log lines of a transition: fenced, stopped again, resumed, a resume failed. */
  const announce = (before: ProtectedState, after: ProtectedState, input: ProtectedInput): void => {
    const data = { epoch: after.epoch, fencedByEpoch: after.fencedByEpoch, state: after.phase };
    if (after.phase === 'fenced' && before.phase !== 'fenced') {
      options.emit({ kind: 'pool.protected-fenced', severity: 'warning', message: `the serving endpoint holds epoch ${after.fencedByEpoch ?? '?'}, above this server's ${after.epoch}: a standby serves its identity; the recorder is stopped and stays stopped until the controller resumes it`, data });
    } else if (after.phase === 'fenced' && input.kind === 'service' && after.running !== null && before.running === null) {
      options.emit({ kind: 'pool.protected-restopped', severity: 'warning', message: `the recorder was ${input.status} while fenced (a standby serves this identity under epoch ${after.fencedByEpoch ?? '?'}); stopping it again`, data });
    } else if (after.phase === 'serving' && before.phase === 'resuming') {
      options.emit({ kind: 'pool.protected-resumed', severity: 'info', message: `serving again under epoch ${after.epoch}: the endpoint is claimed and the recorder started`, data });
    } else if (after.phase === 'failed' && before.phase !== 'failed') {
      options.emit({ kind: 'pool.protected-resume-failed', severity: 'error', message: `the resume under epoch ${after.epoch} failed at ${after.error?.step ?? '?'}: ${after.error?.reason ?? ''}`.slice(0, 2048), data: { ...data, error: after.error } });
    }
    if (after.phase !== before.phase) log.info({ state: after.phase, epoch: after.epoch, fencedByEpoch: after.fencedByEpoch, error: after.error }, `pool protected server: ${after.phase}`);
  };

  /** Runs the step and every one the core asks for after it; at most one such chain exists. */
  const runFrom = (first: ProtectedStep): void => {
    const chain = async (): Promise<void> => {
      let step: ProtectedStep | null = first;
      // Cleared in the same turn as the last feed: a step asked for right after is never taken for this chain's.
      try {
        while (step !== null) {
          const epoch = state.epoch;
          let input: ProtectedInput;
          try {
            const refusedBy = await runStep(step, epoch);
            input = refusedBy === null ? { kind: 'step-done', atMs: nowMs(), step } : { kind: 'claim-refused', atMs: nowMs(), epoch, currentEpoch: refusedBy };
          } catch (err) {
            const reason = describe(err);
            if (!closing) log.warn({ step, err: reason }, 'pool protected server: step failed');
            input = { kind: 'step-failed', atMs: nowMs(), step, reason: reason.slice(0, 1024) };
          }
          // Stopping: the result is not taken, so the state on disk says the step was cut short.
          if (closing) return;
          step = feed(input).run;
        }
      } finally {
        runner = null;
      }
    };
    // feed() starts a new chain only when the core asks for a step; inside a chain, feed() returns it to the loop instead.
    if (runner !== null || closing) return;
    runner = chain().catch((err: unknown) => log.error({ err: describe(err) }, 'pool protected server: the state could not be saved; steps stopped'));
  };

  /** Carries a step out; a claim refused answers the epoch the endpoint holds, anything else null. */
  const runStep = async (step: ProtectedStep, epoch: number): Promise<number | null> => {
    switch (step) {
      case 'persist-epoch':
        save();
        return null;
      case 'claim-endpoint': {
        const outcome = await bounded(options.endpoint.claim(epoch, options.target), endpointTimeoutMs, 'claiming the serving endpoint');
        return outcome.accepted ? null : outcome.currentEpoch;
      }
      case 'start-recorder':
        await options.beforeRecorderStart?.();
        await bounded(service.start(), startTimeoutMs, 'starting the recorder');
        return null;
      case 'stop-recorder':
        await stopRecorder();
        return null;
    }
  };

  /** Stops the recorder and waits until its service reads `stopped`. */
  const stopRecorder = (): Promise<void> => stopRecorderAndWait(service, { stopTimeoutMs, statusTimeoutMs, nowMs, closing: () => closing });

  /** The watch: while serving, claims the endpoint again under its epoch; a refusal fences (an unreachable endpoint does not). */
  const watch = async (): Promise<void> => {
    let failing = false;
    while (!closing) {
      if (watchesEndpoint(state) && runner === null) {
        const epoch = state.epoch;
        try {
          const outcome = await bounded(options.endpoint.claim(epoch, options.target), endpointTimeoutMs, 'claiming the serving endpoint');
          if (failing) log.info({ epoch }, 'pool protected server: the serving endpoint answers again');
          failing = false;
          if (!outcome.accepted && !closing) feed({ kind: 'claim-refused', atMs: nowMs(), epoch, currentEpoch: outcome.currentEpoch });
        } catch (err) {
          // Nobody can be told to serve through an endpoint nobody reaches: this server keeps serving, and says so once.
          if (!failing) log.warn({ epoch, err: describe(err) }, 'pool protected server: the serving endpoint does not answer its claim; serving on');
          failing = true;
        }
      }
      await sleeper.sleep(claimIntervalMs);
    }
  };

  async function idle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (runner !== null) {
      if (Date.now() >= deadline) return false;
      await Promise.race([runner, new Promise((resolve) => setTimeout(resolve, Math.min(100, Math.max(1, deadline - Date.now()))))]);
    }
    return true;
  }

  feed({ kind: 'started', atMs: nowMs() });
  log.info({ state: state.phase, epoch: state.epoch, fencedByEpoch: state.fencedByEpoch }, 'pool protected server: state loaded');
  const watching = watch();

  return {
    resume(epoch) {
      const { answer } = feed({ kind: 'resume', atMs: nowMs(), epoch });
      if (answer === null) throw new Error('the core answered no order');
      return { answer, status: protectedStatus(state) };
    },
    status: () => protectedStatus(state),
    observeService(status) {
      if (!closing) feed({ kind: 'service', atMs: nowMs(), status });
    },
    idle,
    async close(timeoutMs) {
      closing = true;
      sleeper.wakeAll();
      const done = await idle(timeoutMs);
      await watching;
      return done;
    },
  };
}

/** Writes the protected server's state durably (temp file, fsync, rename): also how a replacing standby's switch writes its first one. */
export function saveProtectedState(stateDir: string, state: ProtectedState): void {
  writeFileDurably(join(stateDir, protectedStateFile), `${JSON.stringify({ version: 1, state })}\n`, 0o600);
}

const stepSchema = z.enum(['persist-epoch', 'claim-endpoint', 'start-recorder', 'stop-recorder']);
const epochSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const stateFileSchema = z.object({
  version: z.literal(1),
  state: z.object({
    phase: z.enum(poolProtectedStates),
    epoch: epochSchema,
    epochSeenMax: epochSchema,
    fencedByEpoch: epochSchema.nullable(),
    running: z.object({ step: stepSchema, of: z.enum(['resume', 'fence']) }).strict().nullable(),
    remaining: z.array(stepSchema).max(8),
    sinceMs: z.number().min(0),
    error: z.object({ step: stepSchema, reason: z.string().max(1024) }).strict().nullable(),
  }).strict(),
}).strict();

/** The persisted state; a missing file is a server that never resumed. An unreadable one throws: guessing could serve beside a standby. */
function loadState(path: string, atMs: number): ProtectedState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return initialProtectedState(atMs);
    throw new Error(`the pool protected server's state ${path} cannot be read (${(err as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`the pool protected server's state ${path} is not valid JSON; restore it from a backup`);
  }
  const parsed = stateFileSchema.safeParse(value);
  if (!parsed.success) throw new Error(`the pool protected server's state ${path} is not valid (${describeIssues(parsed.error.issues)})`);
  return parsed.data.state;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
