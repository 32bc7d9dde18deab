// The loops that feed the decision core, each ended by stop(): ticks of monotonic time, the
// recorder's health probe, the service manager's view of the recorder (the core decides
// whether to start it again), the witness (the controller's answer to each report, else the
// TCP address) and the reports to the controller. They observe and feed; they decide nothing.
import type { NodeStatus, RegisterRequest } from '../../contracts/controller-v1.js';
import { toLocalHealth, type LocalHealthSummary } from '../health/local-health.js';
import { reportIntervalMsFor, witnessUrgent } from '../core/witness.js';
import { WakeableSleep } from '../shared/wakeable-sleep.js';
import { tcpWitness } from '../witness/tcp-witness.js';
import { startControllerLink, type ControllerLink } from './controller-link.js';
import type { CameraStatus, ServiceStatus, StorageStatus, WitnessAnswer } from './ports.js';
import { agentVersion, type AgentWiring } from './wiring.js';
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
