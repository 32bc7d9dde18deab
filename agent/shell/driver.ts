// Drives the pure decision core: feeds it inputs one at a time and carries out the actions it
// returns, in order. Synchronous actions (persist, send) happen before feed() returns, so an
// epoch is on disk before any claim leaves. Claims and releases go through one ordered queue
// (a release must never overtake the claim before it); recorder starts and stops through
// another. Failed claims are retried with backoff while the core still serves that epoch.
// A restart of a recorder that stopped on its own that fails is reported as an event.
import type { Logger } from 'pino';
import type { CoreConfig } from '../core/config.js';
import { effectiveConfig, isServing, step, type Action, type CoreEvent, type CoreState, type Input } from '../core/decide.js';
import type { ServingEndpoint, ServingTarget } from '../endpoint/serving-endpoint.js';
import type { EpochStore, HeartbeatBody, PersistedAgentState } from './ports.js';
import { SerialQueue } from './serial-queue.js';

export interface DriverPorts {
  readonly store: EpochStore;
  readonly endpoint: ServingEndpoint;
  readonly target: ServingTarget;
  readonly send: (message: HeartbeatBody) => void;
  readonly startRecorder: () => Promise<void>;
  readonly stopRecorder: () => Promise<void>;
  readonly emit: (event: CoreEvent) => void;
  /** Monotonic ms (the core's time base) and wall-clock ms, to persist failover times across restarts. */
  readonly nowMs: () => number;
  readonly wallMs: () => number;
  readonly log: Logger;
}

const claimRetryMs = { first: 100, max: 2_000 } as const;
const releaseAttemptsMax = 5;

export class CoreDriver {
  private s: CoreState;
  private readonly endpointQueue = new SerialQueue();
  private readonly serviceQueue = new SerialQueue();
  private closed = false;
  private readonly listeners = new Set<(state: CoreState) => void>();

  constructor(
    private config: CoreConfig,
    initial: CoreState,
    private readonly ports: DriverPorts,
  ) {
    this.s = initial;
  }

  get state(): CoreState {
    return this.s;
  }

  get coreConfig(): CoreConfig {
    return this.config;
  }

  /** The config the core acts on now: the cluster policy in force, merged with the peer's timing while their versions differ. */
  get effectiveConfig(): CoreConfig {
    return effectiveConfig(this.config, this.s);
  }

  /** Called after every step with the new state (serving changes, status reports). */
  onChange(listener: (state: CoreState) => void): void {
    this.listeners.add(listener);
  }

  /** Feeds one input and carries out the resulting actions; returns them (commands read their result). */
  feed(input: Input): Action[] {
    if (this.closed) return [];
    // Every input is decided at the current time, not the last tick's: a failover recorded up to
    // one tick early would let the next one in just outside the cap's window.
    if (input.kind === 'tick') return this.apply(input);
    const ticked = this.apply({ kind: 'tick', nowMs: this.ports.nowMs() });
    return [...ticked, ...this.apply(input)];
  }

  private apply(input: Input): Action[] {
    if (this.closed) return [];
    const before = this.s;
    const { state, actions } = step(this.config, this.s, input);
    this.s = state;
    for (const action of actions) this.execute(action);
    if (state !== before) for (const listener of this.listeners) listener(state);
    return actions;
  }

  /** Resolves once the recorder starts and stops asked for so far are done (a restart is one attempt, not one per look). */
  recorderIdle(): Promise<void> {
    return this.serviceQueue.idle();
  }

  /** Stops accepting inputs and waits for claims/releases and service actions in flight. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([this.endpointQueue.idle(), this.serviceQueue.idle()]);
  }

  private execute(action: Action): void {
    const { ports } = this;
    switch (action.kind) {
      case 'persist':
        ports.store.save(this.toPersisted(action));
        return;
      case 'send':
        ports.send(action.message);
        return;
      case 'event':
        ports.emit(action.event);
        return;
      case 'claim':
        this.endpointQueue.push(() => this.claim(action.epoch));
        return;
      case 'release':
        this.endpointQueue.push(() => this.release(action.epoch));
        return;
      case 'start-recorder':
        this.serviceQueue.push(() => ports.startRecorder().catch((err: unknown) => this.startFailed(action, err)));
        return;
      case 'stop-recorder':
        this.serviceQueue.push(() => ports.stopRecorder().catch((err: unknown) => ports.log.error({ err: (err as Error).message }, 'could not stop the recorder')));
        return;
      case 'command-result':
        return; // read by the caller of feed()
    }
  }

  private startFailed(action: Extract<Action, { kind: 'start-recorder' }>, err: unknown): void {
    const message = (err as Error).message;
    if (action.reason === 'command') this.ports.log.error({ err: message }, 'could not start the recorder');
    else this.ports.emit({ kind: 'recorder.restart-failed', severity: 'error', message: `could not start the recording server: ${message}`, data: {} });
  }

  private toPersisted(action: Extract<Action, { kind: 'persist' }>): PersistedAgentState {
    // Failover times are monotonic in the core; the file keeps wall-clock times.
    const offset = this.ports.wallMs() - this.ports.nowMs();
    return { epoch: action.epoch, stopped: action.stopped, failoversWallMs: action.failoversMs.map((t) => Math.round(t + offset)), preference: action.preference };
  }

  private async claim(epoch: number): Promise<void> {
    let delayMs: number = claimRetryMs.first;
    // Keep trying while this epoch is still the one we serve: a relay that is briefly down
    // must not leave clients pointed nowhere. Bounded by the serving epoch changing.
    while (!this.closed && this.s.servingEpoch === epoch) {
      try {
        const outcome = await this.ports.endpoint.claim(epoch, this.ports.target);
        if (outcome.accepted) {
          this.ports.log.info({ epoch }, 'serving endpoint claimed');
          this.ports.emit({ kind: 'serving.endpoint-claimed', severity: 'info', message: `serving endpoint points at this node (epoch ${epoch})`, data: { epoch } });
        } else {
          this.feed({ kind: 'claim-rejected', epoch, currentEpoch: outcome.currentEpoch });
        }
        return;
      } catch (err) {
        this.ports.log.warn({ epoch, err: (err as Error).message, retryInMs: delayMs }, 'claim failed; retrying');
        await sleep(delayMs);
        delayMs = Math.min(claimRetryMs.max, delayMs * 2);
      }
    }
  }

  private async release(epoch: number): Promise<void> {
    for (let attempt = 1; attempt <= releaseAttemptsMax && !this.closed; attempt += 1) {
      try {
        await this.ports.endpoint.release(epoch, this.ports.target.nodeId);
        return;
      } catch (err) {
        // Not fatal: the next claim carries a higher epoch and fences this one anyway.
        this.ports.log.warn({ epoch, attempt, err: (err as Error).message }, 'release failed');
        if (isServing(this.s.state)) return;
        await sleep(100 * 2 ** attempt);
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
