// `twinrec agent`: the imperative shell around the decision core. wiring.ts builds the ports
// and the CoreDriver, loops.ts runs what feeds the core, node-status.ts says how the node is;
// this file starts them in order, serves the local API and closes it all again.
import { agentSupportSnapshot } from '../support/snapshot.js';
import type { Logger } from 'pino';
import type { NodeStatus } from '../../contracts/controller-v1.js';
import { isServing } from '../core/decide.js';
import { readFileSync } from 'node:fs';
import { parseRecorderConfig } from '../../recorder-config-sync/index.js';
import { protectedConfigOf, type AgentConfig, type PoolProtectedConfig, type PoolStandbyConfig } from '../config/agent-config.js';
import { startConfigSource } from '../config-sync/source.js';
import { startLocalApi } from './local-api.js';
import { startBackgroundReads, type BackgroundReads } from './background-reads.js';
import { startLoops, startReports } from './loops.js';
import { nodeStatus } from './node-status.js';
import { sameStoragePath } from '../storage/report.js';
import { backfillSourceRouter } from '../backfill/source-routes.js';
import { wireAgent, type AgentWiring } from './wiring.js';
import { startPoolStandbyAgent } from '../pool/standby-agent.js';
import { startPoolProtectedAgent } from '../pool/protected-agent.js';
import { readPoolRole, type PoolRole } from '../pool/pool-role.js';
import { webServerPortOf } from '../pool/standby-service.js';

export { agentVersion } from './wiring.js';

export interface RunningAgent {
  readonly apiUrl: string;
  /** The API certificate's SHA-256 fingerprint; null over plain HTTP. */
  readonly apiFingerprint: string | null;
  /** The UDP heartbeat port; null for a pool agent, which has no peer. */
  readonly heartbeatPort: number | null;
  status(): NodeStatus;
  close(): Promise<void>;
}

/**
 * Starts the agent: wiring, the loops, the local API, the controller link, config sync and the
 * background reads, in that order; a failure part-way leaves the process to exit.
 *
 * @example
 *   const agent = await startAgent(loadAgentConfig('agent.yaml'), log);
 *   agent.status().state // 'WAIT', then 'PRIM' or 'SECOND'
 *   await agent.close();
 */
export async function startAgent(config: AgentConfig | PoolStandbyConfig | PoolProtectedConfig, log: Logger): Promise<RunningAgent> {
  // A failover pool's agents (agent.yaml `pool`): a standby or a protected server, without a peer or a decision core.
  if (config.pool !== undefined) return config.pool.role === 'standby' ? startPoolStandby(config as PoolStandbyConfig, log) : startPoolProtectedAgent(config as PoolProtectedConfig, log);
  const w = await wireAgent(config, log);
  const loops = startLoops(w);
  let reads: BackgroundReads | null = null;
  const status = (): NodeStatus => nodeStatus({ wiring: w, observed: loops.observed, reads: () => reads });
  // The peer pulls the blocks it lacks from this node's storage (contracts/backfill-v1.ts).
  const backfillSource = w.backfillStorage === null ? null : backfillSourceRouter({ storage: w.backfillStorage, nodeId: config.node.id, faultInjection: config.testing.faultInjection, log });
  const api = await startLocalApi({
    listen: config.api.listen,
    secret: w.secret,
    driver: w.driver,
    status,
    emit: w.emit,
    faultInjection: config.testing.faultInjection,
    setDrop: (drop) => w.transport.setDrop(drop),
    configTarget: () => w.configTarget,
    backfillSource: () => backfillSource,
    backfill: () => w.backfill,
    tls: w.apiTls,
    supportSnapshot: () => agentSupportSnapshot({ config, status, policy: () => ({ version: w.policy.version, settings: w.policy.settings }), logFile: config.log.file?.path ?? null }),
    log,
  });
  const apiUrl = config.api.advertisedUrl ?? api.url;
  const link = startReports(w, loops, apiUrl, status);
  // Config sync, source side: push this node's RecorderConfig.xml to the peer. The peer answers
  // once its apply is done: a real recorder may take minutes to stop and start.
  const configSource =
    config.configSync.role === 'source' && config.recorder.recorderConfigPath !== undefined
      ? startConfigSource({ configPath: config.recorder.recorderConfigPath, peerAgentUrl: config.peer.agentUrl, secret: w.secret, nodeId: config.node.id, log, emit: w.emit, requestTimeoutMs: 300_000, peerFingerprint: w.peerFingerprint })
      : null;
  followServing(w);
  // Started last, once nothing else can fail the start: they own timers.
  reads = startBackgroundReads(w);
  const storageRoot = config.storage?.root;
  w.backfill?.start(() => {
    const seen = storageRoot === undefined ? undefined : loops.observed().storages.find((storage) => sameStoragePath(storage.path, storageRoot));
    return seen === undefined ? null : { available: seen.available, freeSpaceBytes: seen.freeSpaceBytes };
  });
  const policyVersion = w.policy.version;
  const runs = policyVersion === 0 ? "agent.yaml's bootstrap policy" : `cluster policy version ${policyVersion}`;
  w.emit({ kind: 'agent.started', severity: 'info', message: `agent started (${runs}: ${w.policy.profile} profile, boot ${w.policy.boot})`, data: { epoch: w.persistedEpoch, state: w.driver.state.state, policyVersion } });

  return {
    apiUrl,
    apiFingerprint: w.apiTls?.fingerprint256 ?? null,
    heartbeatPort: w.transport.port,
    status,
    close: async () => {
      loops.stop();
      await Promise.all([link?.close(), configSource?.close(), api.close()]);
      await loops.close();
      await reads?.close();
      await w.backfill?.close();
      await w.driver.close();
      await w.transport.close();
    },
  };
}

/**
 * A pool standby, or the protected server it became by replacing one (agent/pool/pool-role.ts):
 * the role file wins over agent.yaml. A replacement switches in-process: the standby agent is
 * closed (API, loops, link) and the protected server's started on the same API port; the
 * returned agent follows whichever runs.
 */
async function startPoolStandby(config: PoolStandbyConfig, log: Logger): Promise<RunningAgent> {
  const asProtected = (role: PoolRole, apiPort?: number): Promise<RunningAgent> => {
    const webServerPort = webServerPortOf(parseRecorderConfig(readFileSync(config.recorder.recorderConfigPath)));
    return startPoolProtectedAgent(protectedConfigOf(config, role, { webServerPort, ...(apiPort === undefined ? {} : { apiPort }) }), log);
  };
  const role = readPoolRole(config.stateDir);
  if (role !== null) {
    log.warn({ replacedNodeId: role.replacedNodeId, sharedAddress: role.sharedAddress, switchedAt: role.switchedAt }, `agent.yaml still says pool.role: standby, but this agent replaced ${role.replacedName} (${role.sharedAddress}) and is its pool's protected server: ${config.stateDir}/pool-role.json wins (agent/README.md: make it permanent in agent.yaml)`);
    return asProtected(role);
  }
  let current: RunningAgent;
  let switching: Promise<void> | null = null;
  let closed = false;
  const onRoleSwitched = (switched: PoolRole): void => {
    if (closed || switching !== null) return;
    const standby = current;
    const apiPort = Number(new URL(standby.apiUrl).port) || undefined;
    switching = (async () => {
      await standby.close();
      if (closed) return;
      try {
        current = await asProtected(switched, apiPort);
        log.info({ api: current.apiUrl, sharedAddress: switched.sharedAddress }, `pool standby switched in-process to ${switched.replacedName}'s protected server`);
      } catch (err) {
        // Nothing runs now; the role file is durable: a restart starts as the protected server.
        log.fatal({ err: (err as Error).message }, 'the protected server could not start after the role switch; the agent stops (started again, it starts as the protected server)');
        process.exitCode = 1;
        process.kill(process.pid, 'SIGTERM');
      }
    })();
  };
  current = await startPoolStandbyAgent(config, log, onRoleSwitched);
  return {
    get apiUrl() {
      return current.apiUrl;
    },
    get apiFingerprint() {
      return current.apiFingerprint;
    },
    heartbeatPort: null,
    status: () => current.status(),
    close: async () => {
      closed = true;
      await switching;
      await current.close();
    },
  };
}

/** A node that stops serving applies the config sync that waited for it (config sync's target side). */
function followServing(w: AgentWiring): void {
  const target = w.configTarget;
  if (target === null) return;
  let wasServing = isServing(w.driver.state.state);
  w.driver.onChange((s) => {
    const serving = isServing(s.state);
    if (serving === wasServing) return;
    wasServing = serving;
    void target.onServingChanged(serving).catch((err: unknown) => w.log.error({ err: (err as Error).message }, 'config sync after a switch failed'));
  });
}
