// `twinrec agent`: the imperative shell around the decision core. It wires the ports (UDP
// heartbeats, the SOAP health probe, the platform's service manager, the serving endpoint,
// the witness, the epoch store, the controller link, config sync, the storage scanner and the
// camera names) to a CoreDriver, runs the timers that feed it, and serves the local API.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCloneRules, parseRecorderConfig, parseRulesFile, readConfigFile, withOverrides, type CloneRules } from '../../recorder-config-sync/index.js';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { coreConfig, profiles, type CoreConfig } from '../core/config.js';
import { failoverAllowed, initialState, isServing, type CoreEvent, type CoreState } from '../core/decide.js';
import type { AgentConfig } from '../config/agent-config.js';
import { AgentConfigError, readSecretFile } from '../config/agent-config.js';
import { CommandEndpoint } from '../endpoint/command-endpoint.js';
import { RelayEndpoint } from '../endpoint/relay-client.js';
import type { ServingEndpoint, ServingTarget } from '../endpoint/serving-endpoint.js';
import { defaultRestUrl, startCameraNames, withCameraNames, type CameraNames, type CameraNameSource } from '../health/camera-names.js';
import { soapRecorderProbe } from '../health/recorder-probe.js';
import { toLocalHealth } from '../health/local-health.js';
import { createRecorderService } from '../platform/index.js';
import { LabFormatAdapter } from '../storage/lab-format-adapter.js';
import { withSpans } from '../storage/report.js';
import { startStorageScanner, type StorageScanner } from '../storage/storage-scanner.js';
import type { NodeStatus, RegisterRequest } from '../../contracts/controller-v1.js';
import { fileEpochStore } from '../store/epoch-store.js';
import { openUdpPeer } from '../transport/udp-peer.js';
import { tcpWitness } from '../witness/tcp-witness.js';
import { startConfigSource } from '../config-sync/source.js';
import { createConfigTarget } from '../config-sync/target.js';
import { startControllerLink, type ControllerLink } from './controller-link.js';
import { CoreDriver } from './driver.js';
import { EventQueue } from './event-queue.js';
import { startLocalApi } from './local-api.js';
import type { CameraStatus, RecorderHealth, ServiceStatus, StorageStatus, WitnessAnswer } from './ports.js';
import { WakeableSleep } from '../shared/wakeable-sleep.js';

export const agentVersion = '0.1.0';

export interface RunningAgent {
  readonly apiUrl: string;
  readonly heartbeatPort: number;
  status(): NodeStatus;
  close(): Promise<void>;
}

/** The restart budget window for a recorder that stopped on its own. */
const restartWindowMs = 10 * 60_000;
const serviceCheckIntervalMs = 1_000;
const tickIntervalMs = 25;
const noCameraNames: CameraNames = new Map();

export async function startAgent(config: AgentConfig, log: Logger): Promise<RunningAgent> {
  const secret = readSecretFile(config.cluster.secretFile, 'cluster.secretFile', 16);
  const password = config.recorder.passwordFile !== undefined ? readSecretFile(config.recorder.passwordFile, 'recorder.passwordFile', 1) : (process.env.TWINREC_AGENT_RECORDER_PASSWORD ?? '');
  // Read every file before opening anything, so a bad one fails the start with nothing left running.
  const cloneRules = config.configSync.rulesFile === undefined ? null : loadCloneRules(config.configSync.rulesFile);
  const nowMs = (): number => performance.now();
  const startedAtWall = Date.now();

  const core: CoreConfig = coreConfig(
    { nodeId: config.node.id, peerId: config.peer.id, clusterId: config.cluster.name, rank: config.node.rank, preferredNodeId: config.failover.preferredNodeId },
    config.failover.profile,
    {
      failbackPolicy: config.failover.failbackPolicy,
      failbackHoldDownMs: config.failover.failbackHoldDownSeconds * 1000,
      failoverCapCount: config.failover.capCount,
      failoverCapWindowMs: config.failover.capWindowMinutes * 60_000,
      recordingShareMin: config.failover.recordingShareMin,
      ...(config.failover.peerTimeoutMs === undefined ? {} : { peerTimeoutMs: config.failover.peerTimeoutMs }),
      ...(config.failover.unhealthyGraceMs === undefined ? {} : { unhealthyGraceMs: config.failover.unhealthyGraceMs }),
    },
  );
  const probeIntervalMs = config.probe.intervalMs ?? profiles[config.failover.profile].heartbeatIntervalMs;
  const probeTimeoutMs = config.probe.timeoutMs ?? (config.failover.profile === 'fast' ? 300 : 750);
  const reportIntervalMs = config.controller?.reportIntervalMs ?? (config.failover.profile === 'fast' ? 500 : 1_000);

  const store = fileEpochStore(join(config.stateDir, 'agent-state.json'));
  const persisted = store.load();
  const wallToCore = (wall: number): number => nowMs() - (Date.now() - wall);
  const initial: CoreState = initialState(
    { epoch: persisted.epoch, stopped: persisted.stopped, failoversMs: persisted.failoversWallMs.map(wallToCore), preference: persisted.preference },
    nowMs(),
    config.failover.boot,
    config.failover.preferredNodeId,
  );

  const events = new EventQueue(config.controller?.maxQueuedEvents ?? 10_000);
  const emit = (event: CoreEvent): void => {
    events.push(event);
    const level = event.severity === 'info' ? 'info' : event.severity === 'warning' ? 'warn' : 'error';
    log[level]({ event: event.kind, ...event.data }, event.message);
  };

  const web = new URL(config.recorder.webServerUrl);
  const target: ServingTarget = { nodeId: config.node.id, host: web.hostname.replace(/^\[|\]$/g, ''), port: Number(web.port || (web.protocol === 'https:' ? 443 : 80)) };
  const endpoint: ServingEndpoint =
    config.servingEndpoint.kind === 'relay'
      ? new RelayEndpoint(config.servingEndpoint.controlUrl, secret, config.servingEndpoint.timeoutMs)
      : new CommandEndpoint({ command: config.servingEndpoint.command[0] as string, args: config.servingEndpoint.command.slice(1), timeoutMs: config.servingEndpoint.timeoutMs, clusterId: config.cluster.name });
  const service = createRecorderService({ ...config.service, timeoutMs: 60_000 } as Parameters<typeof createRecorderService>[0]);
  // The probe's IDP token is its own (the probe makes and closes it): the camera names have
  // another, so that a token the REST API rejects never costs the 4 Hz probe its token.
  const probe = soapRecorderProbe({ webServerUrl: config.recorder.webServerUrl, tokenUrl: config.recorder.tokenUrl, username: config.recorder.username, password, timeoutMs: probeTimeoutMs, log });

  /** Storage spans, once started below: the agent reads the storage folder itself, every refresh interval. */
  let storageScanner: StorageScanner | null = null;
  /** Camera names from the Management Server, once started below. */
  let cameraNames: CameraNameSource | null = null;

  const transport = await openUdpPeer({
    listenHost: config.heartbeat.listen.host,
    listenPort: config.heartbeat.listen.port,
    peerHost: config.peer.heartbeat.host,
    peerPort: config.peer.heartbeat.port,
    clusterId: config.cluster.name,
    nodeId: config.node.id,
    peerId: config.peer.id,
    secret,
    log,
  });

  /** Set while the agent itself stops the recorder (command, config sync), so supervision does not restart it. */
  let recorderHeldDown = 0;
  const driver = new CoreDriver(core, initial, {
    store,
    endpoint,
    target,
    send: (m) => transport.send(m),
    startRecorder: () => service.start(),
    stopRecorder: () => service.stop(),
    emit,
    nowMs,
    wallMs: Date.now,
    log,
  });
  transport.onHeartbeat((message) => driver.feed({ kind: 'heartbeat', message }));

  // Health: the recorder's own SOAP status, every probe interval.
  let lastHealth: RecorderHealth = { reachable: false, reason: 'not probed yet' };
  let lastLocal = toLocalHealth(lastHealth);
  let cameras: readonly CameraStatus[] = [];
  let storages: readonly StorageStatus[] = [];
  let serviceStatus: ServiceStatus = 'unknown';
  let stopping = false;
  const loops: Promise<void>[] = [];
  const sleeper = new WakeableSleep();
  const sleep = (ms: number): Promise<void> => sleeper.sleep(ms);

  loops.push(
    (async () => {
      while (!stopping) {
        const started = nowMs();
        lastHealth = await probe.probe();
        if (stopping) break;
        if (lastHealth.reachable) {
          cameras = lastHealth.cameras;
          storages = lastHealth.storages;
        }
        lastLocal = toLocalHealth(lastHealth);
        driver.feed({ kind: 'health', health: lastLocal.health });
        await sleep(Math.max(0, probeIntervalMs - (nowMs() - started)));
      }
    })(),
  );

  // Supervision: a recorder that stopped on its own is started again, within a budget.
  const restarts: number[] = [];
  loops.push(
    (async () => {
      while (!stopping) {
        serviceStatus = await service.status().catch((): ServiceStatus => 'unknown');
        const s = driver.state;
        // A Serving node with a ready standby hands over first (clients move in seconds) and
        // restarts its recorder after; without a standby, restarting in place is the fastest way back.
        const standbyReady = s.peer !== null && nowMs() - s.peer.lastHeardMs <= core.peerTimeoutMs && s.peer.state === 'SECOND' && s.peer.healthy;
        const handOverFirst = isServing(s.state) && standbyReady && !s.maintenance.on && failoverAllowed(core, s);
        if (!stopping && serviceStatus === 'stopped' && s.state !== 'STOP' && recorderHeldDown === 0 && !handOverFirst) {
          const now = Date.now();
          while (restarts.length > 0 && now - (restarts[0] as number) > restartWindowMs) restarts.shift();
          if (restarts.length < config.failover.restartRecorder) {
            restarts.push(now);
            emit({ kind: 'recorder.restarting', severity: 'warning', message: 'the recording server stopped on its own: starting it again', data: { attempt: restarts.length } });
            await service.start().catch((err: unknown) => emit({ kind: 'recorder.restart-failed', severity: 'error', message: `could not start the recording server: ${(err as Error).message}`, data: {} }));
          } else if (restarts.length === config.failover.restartRecorder) {
            restarts.push(now);
            emit({ kind: 'recorder.restart-exhausted', severity: 'critical', message: `the recording server stopped ${config.failover.restartRecorder} times in 10 minutes: not starting it again`, data: {} });
          }
        }
        await sleep(serviceCheckIntervalMs);
      }
    })(),
  );

  // Witness: the controller's answer to each report; the TCP address when it cannot be asked.
  const tcp = config.witness.address === undefined ? null : tcpWitness({ host: config.witness.address.host, port: config.witness.address.port, timeoutMs: config.witness.timeoutMs });
  let witnessKind: 'controller' | 'tcp' = config.controller === undefined ? 'tcp' : 'controller';
  let witnessReachable = false;
  const feedWitness = (answer: WitnessAnswer): void => {
    witnessReachable = answer.reachable;
    driver.feed({ kind: 'witness', reachable: answer.reachable, peerAlive: answer.peerAlive });
  };
  let tcpChecking = false;
  const checkTcp = (): void => {
    if (tcp === null) {
      feedWitness({ reachable: false, peerAlive: null });
      return;
    }
    if (tcpChecking) return;
    tcpChecking = true;
    void tcp.check().then((answer) => {
      tcpChecking = false;
      if (!stopping) feedWitness(answer);
    });
  };

  // Config sync, target side (before the API, which hands it pushes): the clone is applied while the recorder is stopped.
  const holdRecorder = async <T>(work: () => Promise<T>): Promise<T> => {
    recorderHeldDown += 1;
    try {
      return await work();
    } finally {
      recorderHeldDown -= 1;
    }
  };
  const configTarget =
    config.configSync.role === 'target' && config.recorder.recorderConfigPath !== undefined
      ? createConfigTarget({
          configPath: config.recorder.recorderConfigPath,
          nodeId: config.node.id,
          service,
          holdRecorder,
          ...(cloneRules === null ? {} : { rules: cloneRules }),
          isServing: () => isServing(driver.state.state),
          emit,
          log,
        })
      : null;
  let link: ControllerLink | null = null;
  const api = await startLocalApi({
    listen: config.api.listen,
    secret,
    driver,
    peerId: config.peer.id,
    rank: config.node.rank,
    status: buildStatus,
    emit,
    faultInjection: config.testing.faultInjection,
    setDrop: (drop) => transport.setDrop(drop),
    configTarget: () => configTarget,
    log,
  });
  const apiUrl = config.api.advertisedUrl ?? api.url;

  if (config.controller !== undefined) {
    const registration: RegisterRequest = {
      cluster: { name: config.cluster.name, sharedAddress: config.cluster.sharedAddress },
      node: { name: config.node.id, peerName: config.peer.id, rank: config.node.rank, hostName: config.node.hostName, agentUrl: apiUrl, recorderId: config.recorder.recorderId, webServerUri: config.recorder.webServerUrl },
      agentVersion,
    };
    link = startControllerLink({
      url: config.controller.url,
      secret,
      registration,
      reportIntervalMs,
      timeoutMs: config.controller.timeoutMs,
      witnessWindowMs: core.peerTimeoutMs,
      status: buildStatus,
      events,
      onWitness: (answer) => {
        if (answer !== null) {
          witnessKind = 'controller';
          feedWitness(answer);
        } else {
          witnessKind = 'tcp';
          checkTcp();
        }
      },
      log,
    });
  } else {
    loops.push(
      (async () => {
        while (!stopping) {
          checkTcp();
          await sleep(reportIntervalMs);
        }
      })(),
    );
  }

  // Config sync, source side: push this node's RecorderConfig.xml to the peer.
  const configSource =
    config.configSync.role === 'source' && config.recorder.recorderConfigPath !== undefined
      ? // The peer answers once its apply is done: a real recorder may take minutes to stop and start.
        await startConfigSource({ configPath: config.recorder.recorderConfigPath, peerAgentUrl: config.peer.agentUrl, secret, nodeId: config.node.id, log, emit, requestTimeoutMs: 300_000 })
      : null;
  let wasServing = isServing(driver.state.state);
  driver.onChange((s) => {
    const serving = isServing(s.state);
    if (serving !== wasServing) {
      wasServing = serving;
      if (configTarget !== null) void configTarget.onServingChanged(serving).catch((err: unknown) => log.error({ err: (err as Error).message }, 'config sync after a switch failed'));
    }
  });

  // Started last, once nothing else can fail the start: it owns a timer.
  if (config.storage !== undefined) {
    storageScanner = startStorageScanner({ adapter: new LabFormatAdapter({ root: config.storage.root }), intervalMs: config.storage.refreshIntervalMs, maxCameras: config.storage.maxCameras, log });
  }
  if (config.cameraNames.enabled) {
    const recorderId = recorderIdOf(config);
    if (recorderId === null) log.warn('camera names: set recorder.recorderId or recorder.recorderConfigPath to read them from the management server; cameras are shown by id');
    else cameraNames = startCameraNames({ restUrl: config.cameraNames.restUrl ?? defaultRestUrl(config.recorder.tokenUrl), recorderId, idp: { tokenUrl: config.recorder.tokenUrl, username: config.recorder.username, password }, refreshIntervalMs: config.cameraNames.refreshIntervalMs, timeoutMs: config.cameraNames.timeoutMs, maxCameras: config.cameraNames.maxCameras, log });
  }

  const tick = setInterval(() => driver.feed({ kind: 'tick', nowMs: nowMs() }), tickIntervalMs);

  function buildStatus(): NodeStatus {
    const s = driver.state;
    const now = nowMs();
    const peerHeardAgo = s.peer === null ? null : Math.max(0, Math.round(now - s.peer.lastHeardMs));
    const ping = transport.stats();
    return {
      clusterName: config.cluster.name,
      nodeName: config.node.id,
      state: s.state,
      serving: isServing(s.state),
      epoch: s.servingEpoch ?? s.epoch,
      healthy: s.unhealthySinceMs === null,
      health: { ...lastLocal.health, camerasTotal: lastLocal.camerasTotal, camerasRecording: lastLocal.camerasRecording, problem: lastLocal.problem?.slice(0, 512) ?? null },
      service: serviceStatus,
      peer: { name: config.peer.id, state: s.peer?.state ?? null, lastHeardAgoMs: peerHeardAgo, reachable: peerHeardAgo !== null && peerHeardAgo <= core.peerTimeoutMs },
      ping: { avgMs: ping.avgMs, maxMs: ping.maxMs, lastMs: ping.lastMs },
      maintenance: s.maintenance.on,
      witness: { kind: witnessKind, reachable: witnessReachable },
      uptimeSeconds: Math.round((Date.now() - startedAtWall) / 1000),
      startedAt: new Date(startedAtWall).toISOString(),
      configSyncPending: configTarget?.pending() != null,
      cameras: withCameraNames(cameras.slice(0, 4096), cameraNames?.latest() ?? noCameraNames),
      storages: withSpans(storages.slice(0, 64), storageScanner?.latest() ?? null),
    };
  }

  emit({ kind: 'agent.started', severity: 'info', message: `agent started (${config.failover.profile} profile, boot ${config.failover.boot})`, data: { epoch: persisted.epoch, state: driver.state.state } });

  return {
    apiUrl,
    heartbeatPort: transport.port,
    status: buildStatus,
    close: async () => {
      stopping = true;
      clearInterval(tick);
      sleeper.wakeAll();
      await Promise.all([link?.close(), configSource?.close(), api.close()]);
      await probe.close();
      await storageScanner?.close();
      await cameraNames?.close();
      await Promise.all(loops);
      await driver.close();
      await transport.close();
    },
  };
}

/**
 * This recording server's id, for the Management Server: configured, or RecorderConfig.xml's
 * recorder/id read before each use (config sync may replace the file); null when neither is set.
 */
function recorderIdOf(config: AgentConfig): (() => Promise<string>) | null {
  const { recorderId, recorderConfigPath } = config.recorder;
  if (recorderId !== null) return () => Promise.resolve(recorderId.toLowerCase());
  if (recorderConfigPath === undefined) return null;
  return async () => parseRecorderConfig((await readConfigFile(recorderConfigPath)).bytes).info.recorderId.replace(/^\{|\}$/g, '').toLowerCase();
}

/** The cluster's clone rule overrides on top of the defaults; errors name the file. */
function loadCloneRules(file: string): CloneRules {
  try {
    return withOverrides(defaultCloneRules, parseRulesFile(readFileSync(file, 'utf8'), file));
  } catch (err) {
    throw new AgentConfigError(`configSync.rulesFile: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? `${file} not found` : (err as Error).message}`);
  }
}
