// The loops that feed the decision core, each ended by stop(): ticks of monotonic time, the
// recorder's health probe, the service manager's view of the recorder (the core decides
// whether to start it again), the witness (the controller's answer to each report, else the
// TCP address) and the reports to the controller. They observe and feed; they decide nothing.
import type { NodeStatus, RegisterRequest, RegisterResponse } from '../../contracts/controller-v1.js';
import type { PoolRegistration } from '../../contracts/pool-v1.js';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { parseRecorderConfig } from '../../recorder-config-sync/index.js';
import { toLocalHealth, type LocalHealthSummary } from '../health/local-health.js';
import { reportIntervalMsFor, witnessUrgent } from '../core/witness.js';
import { WakeableSleep } from '../shared/wakeable-sleep.js';
import { tcpWitness } from '../witness/tcp-witness.js';
import { startControllerLink, type ControllerLink } from './controller-link.js';
import type { CameraStatus, RecorderHealth, RecorderService, ServiceStatus, StorageStatus, WitnessAnswer } from './ports.js';
import { agentVersion, type AgentWiring, type PoolAgentWiring, type PoolStandbyWiring } from './wiring.js';
import { proposedPolicyOf } from '../policy/proposed-policy.js';

// The urgency rule is the core's (core/witness.ts), which the simulation follows too.
export { witnessUrgent, witnessUrgentMsMax } from '../core/witness.js';

/** What the loops saw last, for the node status. */
export interface Observed {
  readonly health: LocalHealthSummary;
  /** From the last probe the recorder answered. */
  readonly cameras: readonly CameraStatus[];
  readonly storages: readonly StorageStatus[];
  readonly service: ServiceStatus;
  readonly witness: { readonly kind: 'controller' | 'tcp'; readonly reachable: boolean };
}

export interface AgentLoops {
  observed(): Observed;
  /** A report's answer from the controller (the witness answer); null: it could not be asked, so the TCP witness is probed. */
  onControllerAnswer(answer: WitnessAnswer | null): void;
  /** Ends every loop at its next turn; synchronous, so that nothing is fed while the rest closes. */
  stop(): void;
  /** Stops, closes the probe (cutting a probe under way short) and waits for every loop to end. */
  close(): Promise<void>;
}

const serviceCheckIntervalMs = 1_000;
const tickIntervalMs = 25;

/**
 * Starts ticks, the health probe, supervision and (without a controller) the TCP witness.
 *
 * @example
 *   const loops = startLoops(await wireAgent(config, log));
 *   loops.observed().service // 'running'
 */
export function startLoops(w: AgentWiring): AgentLoops {
  const { driver, nowMs } = w;
  let stopping = false;
  let seen: Observed = { health: toLocalHealth({ reachable: false, reason: 'not probed yet' }), cameras: [], storages: [], service: 'unknown', witness: { kind: w.config.controller === undefined ? 'tcp' : 'controller', reachable: false } };
  const sleeper = new WakeableSleep();
  const sleep = (ms: number): Promise<void> => sleeper.sleep(ms);

  const probeLoop = async (): Promise<void> => {
    while (!stopping) {
      const startedMs = nowMs();
      const health = await w.probe.probe();
      if (stopping) break;
      const local = toLocalHealth(health);
      seen = health.reachable ? { ...seen, health: local, cameras: health.cameras, storages: health.storages } : { ...seen, health: local };
      driver.feed({ kind: 'health', health: local.health });
      await sleep(Math.max(0, w.timing().probeIntervalMs - (nowMs() - startedMs)));
    }
  };

  // Supervision: the service manager says whether the recorder runs; the core decides whether
  // to start it again. A stop the agent made itself (config sync applying) is not "on its own".
  const superviseLoop = async (): Promise<void> => {
    while (!stopping) {
      const service = await w.service.status().catch((): ServiceStatus => 'unknown');
      seen = { ...seen, service };
      if (!stopping && service === 'stopped' && !w.recorderHold.held) {
        driver.feed({ kind: 'recorder-stopped-unexpectedly' });
        // Let a restart finish before looking again, so that one stop costs one attempt.
        await driver.recorderIdle();
      }
      await sleep(serviceCheckIntervalMs);
    }
  };

  const tcp = w.config.witness.address === undefined ? null : tcpWitness({ host: w.config.witness.address.host, port: w.config.witness.address.port, timeoutMs: w.config.witness.timeoutMs });
  let tcpChecking = false;
  const feedWitness = (answer: WitnessAnswer): void => {
    seen = { ...seen, witness: { kind: seen.witness.kind, reachable: answer.reachable } };
    driver.feed({ kind: 'witness', reachable: answer.reachable, peerAlive: answer.peerAlive, sentAtMs: answer.sentAtMs ?? null, peerReport: answer.peerReport ?? null });
  };
  const witnessKind = (kind: Observed['witness']['kind']): void => {
    seen = { ...seen, witness: { ...seen.witness, kind } };
  };
  const checkTcp = (): void => {
    if (tcp === null) return feedWitness({ reachable: false, peerAlive: null });
    if (tcpChecking) return;
    tcpChecking = true;
    void tcp.check().then((answer) => {
      tcpChecking = false;
      if (!stopping) feedWitness(answer);
    });
  };
  const tcpLoop = async (): Promise<void> => {
    while (!stopping) {
      checkTcp();
      await sleep(w.timing().reportIntervalMs);
    }
  };

  const running = [probeLoop(), superviseLoop(), ...(w.config.controller === undefined ? [tcpLoop()] : [])];
  const tick = setInterval(() => driver.feed({ kind: 'tick', nowMs: nowMs() }), tickIntervalMs);
  const stop = (): void => {
    stopping = true;
    clearInterval(tick);
    sleeper.wakeAll();
  };
  return {
    observed: () => seen,
    onControllerAnswer: (answer) => {
      witnessKind(answer !== null ? 'controller' : 'tcp');
      if (answer !== null) feedWitness(answer);
      else checkTcp();
    },
    stop,
    close: async () => {
      stop();
      await w.probe.close();
      await Promise.all(running);
    },
  };
}

/**
 * Registers with the controller and reports every interval; each answer is also the witness
 * answer, and carries the cluster policy the agent then takes. Null without a controller (the
 * TCP witness loop runs instead).
 *
 * @example
 *   const link = startReports(wiring, loops, api.url, status);
 */
export function startReports(w: AgentWiring, loops: AgentLoops, apiUrl: string, status: () => NodeStatus): ControllerLink | null {
  const { config } = w;
  if (config.controller === undefined) return null;
  // The core learns that the pair has a controller before any answer: from now on its peer may
  // be told this node is gone, and a Serving node must keep the controller's view of it fresh.
  w.driver.feed({ kind: 'witness', reachable: false, peerAlive: null, source: 'controller' });
  const registration: RegisterRequest = {
    cluster: { name: config.cluster.name, sharedAddress: config.cluster.sharedAddress },
    node: { name: config.node.id, peerName: config.peer.id, rank: config.node.rank, hostName: config.node.hostName, agentUrl: apiUrl, ...(w.apiTls === null ? {} : { agentCertificateFingerprint: w.apiTls.fingerprint256 }), recorderId: config.recorder.recorderId, webServerUri: config.recorder.webServerUrl },
    agentVersion,
  };
  // The policy it runs, which the controller adopts only if this registration creates the cluster.
  const withPolicy = (): RegisterRequest => {
    const proposedPolicy = w.policy.settings ?? proposedPolicyOf(config.failover);
    return { ...registration, ...(proposedPolicy === undefined ? {} : { proposedPolicy }), runningPolicyVersion: w.policy.version };
  };
  const link = startControllerLink({
    urls: config.controller.urls,
    trust: w.controllerTrust,
    secret: w.secret,
    registration: withPolicy,
    reportIntervalMs: () => reportIntervalMsFor(w.driver.effectiveConfig, w.driver.state, w.timing().reportIntervalMs),
    timeoutMs: config.controller.timeoutMs,
    witnessWindowMs: () => w.driver.effectiveConfig.peerTimeoutMs,
    status,
    events: w.events,
    onWitness: loops.onControllerAnswer,
    onPolicy: (policy, source) => void w.policy.offer(policy, source),
    urgent: () => witnessUrgent(w.driver.effectiveConfig, w.driver.state),
    log: w.log,
  });
  // The moment the peer falls silent, ask the witness rather than wait out the report interval:
  // a dead host is then detected in the peer timeout plus one round trip (issue 14, section 3).
  let wasUrgent = false;
  w.driver.onChange((s) => {
    const urgent = witnessUrgent(w.driver.effectiveConfig, s);
    if (urgent && !wasUrgent) link.wake();
    wasUrgent = urgent;
  });
  return link;
}

/** What a pool standby's loops saw last, for its node status. */
export interface PoolObserved {
  readonly health: LocalHealthSummary;
  readonly cameras: readonly CameraStatus[];
  readonly storages: readonly StorageStatus[];
  readonly service: ServiceStatus;
}

export interface PoolLoops {
  observed(): PoolObserved;
  /** Ends the loops at their next turn, closes the probe and waits for them. */
  close(): Promise<void>;
}

/** What a pool agent's observation loops read. */
export interface PoolLoopSources {
  readonly nowMs: () => number;
  readonly probeIntervalMs: number;
  /** Probes the recorder; never throws (bounded by the probe's own timeout). */
  readonly probe: () => Promise<RecorderHealth>;
  readonly closeProbe: () => Promise<void>;
  readonly service: RecorderService;
  /** Each service status read (a protected server's fenced recorder seen running is stopped again). */
  readonly onService?: (status: ServiceStatus) => void;
  /** How often the service manager is asked; default 1 s. A protected server's agent asks more often: its recorder's death is the pool's `serviceDown` trigger. */
  readonly serviceCheckIntervalMs?: number;
}

/**
 * A pool standby's observation loops: its recorder's health (asked about the cameras of the
 * takeover it runs, at the port its RecorderConfig.xml names now) and its service's state. They
 * decide nothing: the standby service runs the takeovers, the controller orders them.
 *
 * @example
 *   const loops = startPoolLoops(await wirePoolStandby(config, log));
 *   loops.observed().service // 'running'
 */
export function startPoolLoops(w: PoolStandbyWiring): PoolLoops {
  return startPoolObservation({
    nowMs: w.nowMs,
    probeIntervalMs: w.timing.probeIntervalMs,
    probe: () => w.statusProbe.probe(w.standby.assignedCameraIds(), w.webServerPort()),
    closeProbe: () => w.statusProbe.close(),
    service: w.service,
  });
}

/**
 * A pool agent's observation loops: the recorder's health every probe interval, its service's
 * state every second (handed to `onService` too). They observe; they decide nothing.
 *
 * @example
 *   const loops = startPoolObservation({ nowMs, probeIntervalMs: 1_000, probe: () => probe.probe(), closeProbe: () => probe.close(), service });
 */
export function startPoolObservation(src: PoolLoopSources): PoolLoops {
  let stopping = false;
  let seen: PoolObserved = { health: toLocalHealth({ reachable: false, reason: 'not probed yet' }), cameras: [], storages: [], service: 'unknown' };
  const sleeper = new WakeableSleep();
  const probeLoop = async (): Promise<void> => {
    while (!stopping) {
      const startedMs = src.nowMs();
      const health = await src.probe();
      if (stopping) break;
      const local = toLocalHealth(health);
      seen = health.reachable ? { ...seen, health: local, cameras: health.cameras, storages: health.storages } : { ...seen, health: local, cameras: [] };
      await sleeper.sleep(Math.max(0, src.probeIntervalMs - (src.nowMs() - startedMs)));
    }
  };
  const serviceLoop = async (): Promise<void> => {
    while (!stopping) {
      const service = await src.service.status().catch((): ServiceStatus => 'unknown');
      seen = { ...seen, service };
      if (!stopping) src.onService?.(service);
      await sleeper.sleep(src.serviceCheckIntervalMs ?? serviceCheckIntervalMs);
    }
  };
  const running = [probeLoop(), serviceLoop()];
  return {
    observed: () => seen,
    close: async () => {
      stopping = true;
      sleeper.wakeAll();
      await src.closeProbe();
      await Promise.all(running);
    },
  };
}

/**
 * A pool agent registers with the controller as what it is (`pool`: a standby with its camera
 * capacity, or a protected server with its shared address) and reports its status every
 * interval, as a pair's node does; it takes no cluster policy and asks no witness. Null without
 * a controller. peerName and rank are the pair's terms, which the schema still asks for: its own
 * name and 0, ignored for pool agents.
 */
export function startPoolReports(w: PoolAgentWiring, apiUrl: string, status: () => NodeStatus, onRegistered?: (ids: RegisterResponse) => void, urgent?: () => boolean): ControllerLink | null {
  const { config } = w;
  if (config.controller === undefined) return null;
  const pool: PoolRegistration = config.pool.role === 'standby' ? { role: 'standby', cameraCapacity: config.pool.cameraCapacity } : { role: 'protected', sharedAddress: config.pool.endpoint.sharedAddress };
  // A protected server registers its own identity, read from its file at each registration (a
  // standby's file carries another server's while it serves one: only agent.yaml's is its own).
  const recorderId = (): string | null => config.recorder.recorderId ?? (config.pool.role === 'protected' ? recorderIdInFile(config.recorder.recorderConfigPath, w.log) : null);
  const registration = (): RegisterRequest => ({
    cluster: { name: config.cluster.name, sharedAddress: config.cluster.sharedAddress },
    node: { name: config.node.id, peerName: config.node.id, rank: 0, hostName: config.node.hostName, agentUrl: apiUrl, ...(w.apiTls === null ? {} : { agentCertificateFingerprint: w.apiTls.fingerprint256 }), recorderId: recorderId(), webServerUri: config.recorder.webServerUrl },
    agentVersion,
    pool,
  });
  return startControllerLink({
    urls: config.controller.urls,
    trust: w.controllerTrust,
    secret: w.secret,
    registration,
    reportIntervalMs: () => w.timing.reportIntervalMs,
    timeoutMs: config.controller.timeoutMs,
    // It has no peer: the window only bounds the answer's `peer.alive`, which it does not read.
    witnessWindowMs: () => Math.max(100, 3 * w.timing.reportIntervalMs),
    status,
    events: w.events,
    onWitness: () => {},
    onPolicy: () => {},
    ...(onRegistered === undefined ? {} : { onRegistered }),
    ...(urgent === undefined ? {} : { urgent }),
    log: w.log,
  });
}

/** recorder/id of the RecorderConfig.xml at `path`, lower case without braces; null (logged) when it cannot be read. */
function recorderIdInFile(path: string, log: Logger): string | null {
  try {
    return parseRecorderConfig(readFileSync(path)).info.recorderId.replace(/^\{|\}$/g, '').toLowerCase();
  } catch (err) {
    log.warn({ path, err: (err as Error).message }, 'the recorder id cannot be read from RecorderConfig.xml; registering without it');
    return null;
  }
}
