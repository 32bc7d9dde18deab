// Builds the agent from agent.yaml, before anything runs: reads its secrets, maps the failover
// section to the core's config (the bootstrap policy), loads the persisted epoch and the stored
// cluster policy into the core's initial state, and makes the adapters behind the ports (epoch
// store, serving endpoint, recorder service and probe, UDP heartbeats, event queue, config
// sync's target side) with the CoreDriver between them. Of all this only the UDP socket is
// opened; agent.ts starts what runs. A failover pool's standby (agent.yaml `pool`) is built by
// wirePoolStandby instead: no peer, no core, the standby service (agent/pool/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { defaultCloneRules, parseRecorderConfig, parseRulesFile, withOverrides, type CloneRules } from '../../recorder-config-sync/index.js';
import type { FailoverProfile } from '../../contracts/cluster-policy-v1.js';
import { coreConfig, profiles, type CoreConfig } from '../core/config.js';
import { initialState, isServing, peerReachable, type CoreEvent } from '../core/decide.js';
import { AgentConfigError, readSecretFile, type AgentConfig, type ControllerConfig, type PoolEndpointConfig, type PoolProtectedConfig, type PoolStandbyConfig } from '../config/agent-config.js';
import { createConfigTarget, type ConfigTarget } from '../config-sync/target.js';
import { CommandEndpoint } from '../endpoint/command-endpoint.js';
import { RelayEndpoint } from '../endpoint/relay-client.js';
import type { ServingEndpoint, ServingTarget } from '../endpoint/serving-endpoint.js';
import { bridgeRecorderProbe } from '../health/bridge-recorder-probe.js';
import { soapRecorderProbe } from '../health/recorder-probe.js';
import { managementServerUrlOf, type VmsBridge } from '../../shared/vms-bridge/bridge.js';
import { loadEdgeBridge } from '../../shared/vms-bridge/edge-bridge.js';
import { createRecorderService } from '../platform/index.js';
import { ClusterPolicyKeeper } from '../policy/cluster-policy.js';
import { fileClusterPolicyStore, policyFileName } from '../policy/policy-store.js';
import { fileEpochStore } from '../store/epoch-store.js';
import { openUdpPeer, type UdpPeer } from '../transport/udp-peer.js';
import { CoreDriver } from './driver.js';
import { loadApiCertificate } from './api-tls.js';
import type { CertificatePair } from '../../shared/tls/certificate.js';
import { EventQueue } from './event-queue.js';
import { serverTrustOf, type ServerTrust } from '../../shared/tls/server-trust.js';
import type { ControllerTrust } from './controller-link-trust.js';
import type { RecorderProbe, RecorderService } from './ports.js';
import { RecorderHold } from './recorder-hold.js';
import { BackfillService } from '../backfill/backfill-service.js';
import { cursorFileName } from '../backfill/cursor-store.js';
import { BackfillPeerClient } from '../backfill/peer-client.js';
import { blockBytesMax } from '../../contracts/backfill-v1.js';
import { LabFormatBackfill } from '../storage/lab-format-backfill.js';
import { FailbackSync } from '../pool/failback-sync.js';
import { recorderIdOf } from '../config/recorder-id.js';
import { probeAskingFor, startStandbyService, webServerPortOf, type StandbyRecorderProbe, type StandbyService, type StandbyServiceOptions } from '../pool/standby-service.js';
import type { Assignment } from '../pool/standby.js';
import { startProtectedService, type ProtectedService } from '../pool/protected-service.js';

export const agentVersion = '0.1.0';
/** Bound on each request Twinrec.Bridge makes for the agent (IDP, configuration API, status SOAP). */
const edgeRequestTimeoutMs = 10_000;

/** How often the loops and the controller link run: agent.yaml's probe and controller keys, else the failover profile's. */
export interface AgentTiming {
  readonly probeIntervalMs: number;
  readonly reportIntervalMs: number;
}

/** The agent's ports and adapters, built and connected; nothing but the UDP socket is open yet. */
export interface AgentWiring {
  readonly config: AgentConfig;
  readonly log: Logger;
  readonly secret: string;
  /** The recorder account's IDP password (the health probe and the camera names). */
  readonly password: string;
  /** The core's config from agent.yaml: identity, local constants, and the bootstrap policy (version 0). */
  readonly core: CoreConfig;
  /** The loops' timing now: it follows the failover profile of the policy in force. */
  readonly timing: () => AgentTiming;
  /** The cluster policy: the stored one or the bootstrap default, then each newer one from the controller. */
  readonly policy: ClusterPolicyKeeper;
  /** The epoch persisted by the last run, for the start event. */
  readonly persistedEpoch: number;
  /** When the agent started: wall clock for `startedAt`, monotonic for the uptime (a clock stepped back must not make it negative). */
  readonly startedAtWallMs: number;
  readonly startedAtMs: number;
  /** Monotonic ms: the core's time base. */
  readonly nowMs: () => number;
  readonly events: EventQueue;
  readonly emit: (event: CoreEvent) => void;
  readonly service: RecorderService;
  readonly probe: RecorderProbe;
  readonly transport: UdpPeer;
  readonly driver: CoreDriver;
  readonly recorderHold: RecorderHold;
  readonly configTarget: ConfigTarget | null;
  /** The storage as backfill reads and writes it (with a `storage` section): the job's target and the peer's source. */
  readonly backfillStorage: LabFormatBackfill | null;
  /** Backfill from the peer (with a `storage` section); its background job starts with the agent. */
  readonly backfill: BackfillService | null;
  /** The API's certificate (null: plain HTTP): its fingerprint goes to the controller and in every heartbeat. */
  readonly apiTls: CertificatePair | null;
  /** How the controllers' https certificates are trusted (agent.yaml controller.fingerprint(s)/caFile/systemTrust); null: plain http only, or no controller. */
  readonly controllerTrust: ControllerTrust | null;
  /** The peer API's certificate fingerprint to pin: agent.yaml's, else its last heartbeat's; null: not known. */
  readonly peerFingerprint: () => string | null;
}

/**
 * Maps agent.yaml to the decision core's config: identity, profile, and the failover section's
 * overrides (hold-down, cap, recording share, restart budget, timings). Its policy part is only
 * the bootstrap default, until the first cluster policy arrives (agent/policy/).
 *
 * @example
 *   coreConfigOf(loadAgentConfig('agent.yaml')).peerTimeoutMs // 2750 with the conservative profile
 */
export function coreConfigOf(config: AgentConfig): CoreConfig {
  const f = config.failover;
  return coreConfig({ nodeId: config.node.id, peerId: config.peer.id, clusterId: config.cluster.name, rank: config.node.rank, preferredNodeId: f.preferredNodeId }, f.profile, {
    failbackPolicy: f.failbackPolicy,
    failbackHoldDownMs: f.failbackHoldDownSeconds * 1000,
    failoverCapCount: f.capCount,
    failoverCapWindowMs: f.capWindowMinutes * 60_000,
    recordingShareMin: f.recordingShareMin,
    recorderRestartCount: f.restartRecorder,
    ...(f.peerTimeoutMs === undefined ? {} : { peerTimeoutMs: f.peerTimeoutMs }),
    ...(f.unhealthyGraceMs === undefined ? {} : { unhealthyGraceMs: f.unhealthyGraceMs }),
  });
}

/** The cluster secret and the recorder's password (its file, or TWINREC_AGENT_RECORDER_PASSWORD), read before anything opens. */
function readSecrets(config: Pick<AgentConfig | PoolStandbyConfig | PoolProtectedConfig, 'cluster' | 'recorder'>): { secret: string; password: string } {
  const secret = readSecretFile(config.cluster.secretFile, 'cluster.secretFile', 16);
  const password = config.recorder.passwordFile !== undefined ? readSecretFile(config.recorder.passwordFile, 'recorder.passwordFile', 1) : (process.env.TWINREC_AGENT_RECORDER_PASSWORD ?? '');
  return { secret, password };
}

/**
 * Builds and connects the ports; a bad file fails the start before anything is opened.
 *
 * @example
 *   const wiring = await wireAgent(loadAgentConfig('agent.yaml'), log);
 *   const loops = startLoops(wiring);
 */
export async function wireAgent(config: AgentConfig, log: Logger): Promise<AgentWiring> {
  const { secret, password } = readSecrets(config);
  // Read every file before opening anything, so a bad one fails the start with nothing left running.
  const cloneRules = config.configSync.rulesFile === undefined ? null : loadCloneRules(config.configSync.rulesFile);
  const apiTls = await loadApiCertificate(config, log);
  const controllerTrust = config.controller === undefined ? null : controllerTrustOf(config.controller);
  const recorderTrust = trustOf(config.recorder.webServerUrl, config.recorder, 'recorder');
  const nowMs = (): number => performance.now();
  const startedAtWallMs = Date.now();
  const startedAtMs = nowMs();
  const core = coreConfigOf(config);
  const store = fileEpochStore(join(config.stateDir, 'agent-state.json'));
  const persisted = store.load();

  const events = new EventQueue(config.controller?.maxQueuedEvents ?? 10_000);
  const emit = (event: CoreEvent): void => {
    events.push(event);
    const level = event.severity === 'info' ? 'info' : event.severity === 'warning' ? 'warn' : 'error';
    log[level]({ event: event.kind, ...event.data }, event.message);
  };
  const policy = ClusterPolicyKeeper.open({
    store: fileClusterPolicyStore(join(config.stateDir, policyFileName)),
    bootstrap: { config: core, boot: config.failover.boot, profile: config.failover.profile },
    // The driver exists before the first answer from the controller can arrive.
    feed: (input) => driver.feed(input),
    emit,
    log,
  });
  const timing = (): AgentTiming => timingOf(config, policy.profile);
  // The probe's timeout is fixed when the probe is made: the profile in force at start.
  const probeTimeoutMs = config.probe.timeoutMs ?? (policy.profile === 'fast' ? 300 : 750);

  // Failover times are kept as wall-clock times; the core counts in monotonic ms.
  const wallToCore = (wall: number): number => nowMs() - (Date.now() - wall);
  // With a storage adapter, backfill's audit says whether this node holds what its peer does: until
  // its first audit it is not known, and a peer must not fail back to it on a guess (a host back
  // from an outage whose recorder started with Windows, before any placeholder).
  const initial = { ...initialState({ epoch: persisted.epoch, stopped: persisted.stopped, failoversMs: persisted.failoversWallMs.map(wallToCore), preference: persisted.preference }, nowMs(), policy.boot, config.failover.preferredNodeId, policy.inForce), dataComplete: config.storage === undefined };
  const target = servingTargetOf(config);
  const endpoint = servingEndpointOf(config, secret);
  const service = createRecorderService({ ...config.service, timeoutMs: 60_000 } as Parameters<typeof createRecorderService>[0]);
  // The probe's VMS token is its own (the probe makes and closes it; recorder-token.ts): the
  // camera list has an IDP token of its own, so that a token the REST API rejects never costs
  // the 4 Hz probe its token.
  const probe = recorderProbeOf(config, { password, timeoutMs: probeTimeoutMs, trust: recorderTrust, log });
  const transport = await openUdpPeer({
    listenHost: config.heartbeat.listen.host,
    listenPort: config.heartbeat.listen.port,
    peerHost: config.peer.heartbeat.host,
    peerPort: config.peer.heartbeat.port,
    clusterId: config.cluster.name,
    nodeId: config.node.id,
    peerId: config.peer.id,
    secret,
    apiFingerprint: apiTls?.fingerprint256 ?? null,
    log,
  });
  const pinnedPeer = config.peer.agentFingerprint ?? null;
  const peerFingerprint = (): string | null => pinnedPeer ?? transport.peerApiFingerprint();
  // The driver exists by the time any hold is taken (holds come from loops started later).
  const recorderHold = new RecorderHold((held) => driver.feed({ kind: 'recorder-held', held }));
  const backfillStorage = config.storage === undefined ? null : new LabFormatBackfill({ root: config.storage.root });
  const backfill =
    config.storage === undefined || backfillStorage === null
      ? null
      : new BackfillService({
          storage: backfillStorage,
          peer: new BackfillPeerClient({ baseUrl: config.peer.agentUrl, secret, timeoutMs: 60_000, blockBytesMax, peerFingerprint }),
          cursorPath: join(config.stateDir, cursorFileName),
          retainMinutes: config.storage.retainMinutes,
          settings: () => policy.settings?.backfill ?? null,
          isServing: () => isServing(driver.state.state),
          peerServesHealthy: () => {
            const peer = driver.state.peer;
            return peer !== null && peer.serving && peer.healthy && peerReachable(driver.effectiveConfig, driver.state);
          },
          service,
          recorderHold,
          dataComplete: (complete) => driver.feed({ kind: 'data-complete', complete }),
          emit,
          log,
        });
  // Every start of the recorder the agent makes (restart, start command, config sync) comes
  // after backfill's placeholders, while the recorder is still stopped (seed 000, Step 3).
  const startRecorder = async (): Promise<void> => {
    await backfill?.prepareRecorderStart();
    await service.start();
  };
  const driver = new CoreDriver(core, initial, {
    store,
    endpoint,
    target,
    send: (m) => transport.send(m),
    startRecorder,
    stopRecorder: () => service.stop(),
    emit,
    nowMs,
    wallMs: Date.now,
    log,
  });
  transport.onHeartbeat((message) => driver.feed({ kind: 'heartbeat', message }));

  // Config sync, target side: the clone is applied while the recorder is stopped (and held, so supervision leaves it).
  const configTarget =
    config.configSync.role === 'target' && config.recorder.recorderConfigPath !== undefined
      ? createConfigTarget({ configPath: config.recorder.recorderConfigPath, nodeId: config.node.id, service: { ...service, start: startRecorder }, holdRecorder: (work) => recorderHold.around(work), ...(cloneRules === null ? {} : { rules: cloneRules }), isServing: () => isServing(driver.state.state), emit, log })
      : null;
  return { config, log, secret, password, core, timing, policy, persistedEpoch: persisted.epoch, startedAtWallMs, startedAtMs, nowMs, events, emit, service, probe, transport, driver, recorderHold, configTarget, backfillStorage, backfill, apiTls, peerFingerprint, controllerTrust };
}

/**
 * The recorder health probe of `vms.bridge`: native, the SOAP probe; edge, device status and the
 * camera list through Twinrec.Bridge, storages through the SOAP probe (bridge-recorder-probe.ts).
 * The edge bridge is loaded here, so that a missing part fails the start.
 */
function recorderProbeOf(config: AgentConfig, o: { readonly password: string; readonly timeoutMs: number; readonly trust: ServerTrust | null; readonly log: Logger }): RecorderProbe {
  const r = config.recorder;
  const soap = (cameraIds?: () => readonly string[]): RecorderProbe => soapRecorderProbe({ webServerUrl: r.webServerUrl, tokenUrl: r.tokenUrl, username: r.username, password: o.password, timeoutMs: o.timeoutMs, trust: o.trust, soapVersion: r.soapVersion, log: o.log, ...(cameraIds === undefined ? {} : { cameraIds }) });
  if (config.vms.bridge === 'native') return soap();
  const managementServerUrl = managementServerUrlOf(r.tokenUrl);
  const recorderId = recorderIdOf(config);
  // agent-config.ts refuses edge without these; checked again so that the types say so.
  if (managementServerUrl === null || recorderId === null) throw new AgentConfigError('vms.bridge edge needs recorder.tokenUrl ending in /IDP/connect/token and recorder.recorderId or recorder.recorderConfigPath');
  let bridge: VmsBridge;
  try {
    bridge = loadEdgeBridge({ connection: { managementServerUrl, username: r.username, password: o.password, requestTimeoutMs: edgeRequestTimeoutMs }, assemblyFile: config.vms.bridgeAssembly });
  } catch (err) {
    throw new AgentConfigError((err as Error).message);
  }
  o.log.info({ managementServerUrl }, 'recorder probe: device status and camera list through the edge bridge (Twinrec.Bridge); storages through the recorder\'s SOAP service');
  // Asked about no camera, the SOAP probe reports the storages only.
  return bridgeRecorderProbe({ bridge, webServerUrl: r.webServerUrl, recorderId, storages: soap(() => []), timeoutMs: o.timeoutMs, cameraListEveryMs: config.cameraNames.refreshIntervalMs, log: o.log });
}

/** A trust setting's CA file is read at start, so that a bad one fails the start. */
function trustOf(url: string, settings: Parameters<typeof serverTrustOf>[1], what: string): ServerTrust | null {
  try {
    return serverTrustOf(url, settings, what);
  } catch (err) {
    throw new AgentConfigError((err as Error).message);
  }
}

/** The trust of every https controller listed: its fingerprints (any may match), else its CA file or the system's CAs; null when none is https. */
function controllerTrustOf(c: ControllerConfig): ControllerTrust | null {
  const https = c.urls.find((url) => url.startsWith('https:'));
  if (https === undefined) return null;
  if (c.fingerprints.length > 0) return { kind: 'fingerprints', fingerprints: c.fingerprints };
  return trustOf(https, c, 'controller');
}

/** The loops' timing: agent.yaml's keys where set, else the profile's (the policy's, once one arrived). */
function timingOf(config: AgentConfig, profile: FailoverProfile): AgentTiming {
  return { probeIntervalMs: config.probe.intervalMs ?? profiles[profile].heartbeatIntervalMs, reportIntervalMs: config.controller?.reportIntervalMs ?? (profile === 'fast' ? 500 : 1_000) };
}

/** Where the relay or the command points clients when this node serves: its recorder's web server. */
function servingTargetOf(config: AgentConfig): ServingTarget {
  const web = new URL(config.recorder.webServerUrl);
  return { nodeId: config.node.id, host: web.hostname.replace(/^\[|\]$/g, ''), port: Number(web.port || (web.protocol === 'https:' ? 443 : 80)) };
}

function servingEndpointOf(config: AgentConfig, secret: string): ServingEndpoint {
  return endpointOf(config.servingEndpoint, secret, config.cluster.name);
}

function endpointOf(e: AgentConfig['servingEndpoint'] | PoolEndpointConfig | PoolProtectedConfig['pool']['endpoint'], secret: string, clusterId: string): ServingEndpoint {
  return e.kind === 'relay'
    ? new RelayEndpoint(e.controlUrl, secret, e.timeoutMs, e.fingerprint ?? null)
    : new CommandEndpoint({ command: e.command[0] as string, args: e.command.slice(1), timeoutMs: e.timeoutMs, clusterId });
}

/** The cluster's clone rule overrides on top of the defaults; errors name the file. */
function loadCloneRules(file: string, key = 'configSync.rulesFile'): CloneRules {
  try {
    return withOverrides(defaultCloneRules, parseRulesFile(readFileSync(file, 'utf8'), file));
  } catch (err) {
    throw new AgentConfigError(`${key}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? `${file} not found` : (err as Error).message}`);
  }
}

/** What every pool agent (standby or protected server) is built from: its secrets, transports, events and service adapter. */
export interface PoolAgentWiring {
  readonly config: PoolStandbyConfig | PoolProtectedConfig;
  readonly log: Logger;
  readonly secret: string;
  /** The recorder account's IDP password (the health probe, the camera list). */
  readonly password: string;
  readonly apiTls: CertificatePair | null;
  readonly controllerTrust: ControllerTrust | null;
  /** How the recorder's https web server is trusted; null: plain http. */
  readonly recorderTrust: ServerTrust | null;
  readonly events: EventQueue;
  readonly emit: (event: CoreEvent) => void;
  readonly service: RecorderService;
  readonly timing: AgentTiming;
  readonly startedAtWallMs: number;
  readonly startedAtMs: number;
  readonly nowMs: () => number;
}

/** A pool standby's pieces (agent.yaml `pool.role: standby`), built and connected: nothing is open yet but its state is loaded. */
export interface PoolStandbyWiring extends PoolAgentWiring {
  readonly config: PoolStandbyConfig;
  /** The takeover and release of protected servers, ordered through the local API's pool routes. */
  readonly standby: StandbyService;
  /** The recorder as the node status sees it: asked about the cameras of the takeover, at the port its RecorderConfig.xml names now. */
  readonly statusProbe: StandbyRecorderProbe & { close(): Promise<void> };
  /** The takeover's wait-healthy probe, its own (the status loop must not change which cameras it asks about). */
  readonly takeoverProbe: { close(): Promise<void> };
  /** The recorder's web server port now (RecorderConfig.xml webserver/port: the protected server's while it serves one). */
  readonly webServerPort: () => number;
}

/** The pieces every pool agent shares, read and built before anything opens: a bad file fails the start. */
async function wirePoolAgent<C extends PoolStandbyConfig | PoolProtectedConfig>(config: C, log: Logger): Promise<PoolAgentWiring & { readonly config: C }> {
  const { secret, password } = readSecrets(config);
  const apiTls = await loadApiCertificate(config, log);
  const controllerTrust = config.controller === undefined ? null : controllerTrustOf(config.controller);
  const recorderTrust = trustOf(config.recorder.webServerUrl, config.recorder, 'recorder');
  const nowMs = (): number => performance.now();
  const startedAtWallMs = Date.now();
  const startedAtMs = nowMs();
  const events = new EventQueue(config.controller?.maxQueuedEvents ?? 10_000);
  const emit = (event: CoreEvent): void => {
    events.push(event);
    const level = event.severity === 'info' ? 'info' : event.severity === 'warning' ? 'warn' : 'error';
    log[level]({ event: event.kind, ...event.data }, event.message);
  };
  const timing: AgentTiming = { probeIntervalMs: config.probe.intervalMs ?? 1_000, reportIntervalMs: config.controller?.reportIntervalMs ?? 1_000 };
  const service = createRecorderService({ ...config.service, timeoutMs: 60_000 } as Parameters<typeof createRecorderService>[0]);
  return { config, log, secret, password, apiTls, controllerTrust, recorderTrust, events, emit, service, timing, startedAtWallMs, startedAtMs, nowMs };
}

/**
 * Builds a pool standby (issue 17, agent/pool/): the recorder's service adapter, a SOAP probe
 * per use that follows the port the recorder runs on, the serving endpoint of each protected
 * server's shared address (pool.endpoints), and the standby service with its state loaded from
 * `<stateDir>/pool-standby.json` (a restart resumes or fails what ran). A bad file fails the start.
 *
 * @example
 *   const w = await wirePoolStandby(loadAgentFile('agent.yaml') as PoolStandbyConfig, log);
 *   w.standby.status().state // 'free'
 */
export async function wirePoolStandby(config: PoolStandbyConfig, log: Logger, onRoleSwitched?: StandbyServiceOptions['onRoleSwitched']): Promise<PoolStandbyWiring> {
  const rules = config.pool.rulesFile === undefined ? undefined : loadCloneRules(config.pool.rulesFile, 'pool.rulesFile');
  const base = await wirePoolAgent(config, log);
  const { secret, password, recorderTrust, service } = base;
  const web = new URL(config.recorder.webServerUrl);
  const configuredPort = Number(web.port || (web.protocol === 'https:' ? 443 : 80));
  const configPath = config.recorder.recorderConfigPath;
  // The port the recorder answers on follows its file: the protected server's while it serves one (webserver/port is shared).
  const webServerPort = (): number => {
    try {
      return webServerPortOf(parseRecorderConfig(readFileSync(configPath)));
    } catch {
      return configuredPort;
    }
  };
  const r = config.recorder;
  const probeTimeoutMs = config.probe.timeoutMs ?? 2_000;
  const soapAt = (cameraIds: () => readonly string[], port: number): RecorderProbe => {
    const url = new URL(r.webServerUrl);
    url.port = String(port);
    return soapRecorderProbe({ webServerUrl: url.toString(), tokenUrl: r.tokenUrl, username: r.username, password, timeoutMs: probeTimeoutMs, trust: recorderTrust, soapVersion: r.soapVersion, log, cameraIds });
  };
  const takeoverProbe = probeAskingFor(soapAt);
  const statusProbe = probeAskingFor(soapAt);
  const endpoints = new Map(config.pool.endpoints.map((e) => [e.sharedAddress.toLowerCase(), endpointOf(e, secret, config.cluster.name)]));
  const standby = startStandbyService({
    nodeId: config.node.id,
    servingHost: web.hostname.replace(/^\[|\]$/g, ''),
    ...(rules === undefined ? {} : { rules }),
    configPath,
    stateDir: config.stateDir,
    service,
    probe: takeoverProbe,
    endpointFor: (assignment) => endpoints.get(assignment.sharedAddress.toLowerCase()) ?? unknownEndpoint(assignment),
    endpointKnown: (sharedAddress) => endpoints.has(sharedAddress.toLowerCase()),
    ...(onRoleSwitched === undefined ? {} : { onRoleSwitched }),
    stopTimeoutMs: config.pool.stopTimeoutMs,
    startTimeoutMs: config.pool.startTimeoutMs,
    healthyTimeoutMs: config.pool.healthyTimeoutMs,
    log,
    emit: base.emit,
  });
  return { ...base, standby, statusProbe, takeoverProbe, webServerPort };
}

/** A protected recording server's pieces (agent.yaml `pool.role: protected`): its state loaded, its endpoint watched. */
export interface PoolProtectedWiring extends PoolAgentWiring {
  readonly config: PoolProtectedConfig;
  /** Its serving endpoint under the pool's epochs, its recorder stopped while fenced, resumed by the controller's order. */
  readonly guard: ProtectedService;
  /** Its recorder's health probe, asked about the cameras of its camera list (startPoolCameraList). */
  readonly probe: RecorderProbe;
  /** The failback sync a resume may carry: placeholders before the resume's recorder start, then filling from the standby. */
  readonly failback: FailbackSync;
}

/**
 * Builds a protected recording server of a pool (issue 17, agent/pool/protected*.ts): the
 * recorder's service adapter and SOAP probe, its serving endpoint (pool.endpoint), and the
 * protected service with its state loaded from `<stateDir>/pool-protected.json`, which starts
 * claiming the endpoint (or, fenced, stops the recorder) at once. A bad file fails the start.
 *
 * @example
 *   const w = await wirePoolProtected(loadAgentFile('agent.yaml') as PoolProtectedConfig, log);
 *   w.guard.status().state // 'serving'
 */
export async function wirePoolProtected(config: PoolProtectedConfig, log: Logger): Promise<PoolProtectedWiring> {
  const base = await wirePoolAgent(config, log);
  const r = config.recorder;
  const probe = soapRecorderProbe({ webServerUrl: r.webServerUrl, tokenUrl: r.tokenUrl, username: r.username, password: base.password, timeoutMs: config.probe.timeoutMs ?? 2_000, trust: base.recorderTrust, soapVersion: r.soapVersion, log });
  const web = new URL(r.webServerUrl);
  const failback = new FailbackSync({
    stateDir: config.stateDir,
    storage: config.storage === undefined ? null : { root: config.storage.root, retainMinutes: config.storage.retainMinutes },
    secret: base.secret,
    insecurePlainHttp: config.api.tls.insecurePlainHttp,
    service: base.service,
    emit: base.emit,
    log,
  });
  const guard = startProtectedService({
    target: { nodeId: config.node.id, host: web.hostname.replace(/^\[|\]$/g, ''), port: Number(web.port || (web.protocol === 'https:' ? 443 : 80)) },
    endpoint: endpointOf(config.pool.endpoint, base.secret, config.cluster.name),
    service: base.service,
    stateDir: config.stateDir,
    log,
    emit: base.emit,
    claimIntervalMs: config.pool.claimIntervalMs,
    stopTimeoutMs: config.pool.stopTimeoutMs,
    startTimeoutMs: config.pool.startTimeoutMs,
    beforeRecorderStart: () => failback.prepareRecorderStart(),
  });
  failback.resumeAfterRestart(guard.status().state === 'serving');
  return { ...base, guard, probe, failback };
}

/** A shared address agent.yaml does not list: nothing can be claimed there, so nothing needs releasing. */
function unknownEndpoint(assignment: Assignment): ServingEndpoint {
  return {
    claim: () => Promise.reject(new Error(`no serving endpoint for ${assignment.sharedAddress} in agent.yaml pool.endpoints`)),
    release: () => Promise.resolve(),
  };
}
