// `twinrec agent` with a `pool` section: a failover pool's standby (issue 17). No peer, no
// heartbeats, no decision core: the controller orders takeovers and releases through the local
// API's pool routes, the standby service carries them out, and the agent reports its status
// (with `pool`) to the controller as a pair's node does. With a `storage` section it serves its
// storage over the backfill source routes: the failback sync pulls what it recorded while it
// served a protected server. Started by agent.ts.
import type { Logger } from 'pino';
import { backfillSourceRouter } from '../backfill/source-routes.js';
import { LabFormatBackfill } from '../storage/lab-format-backfill.js';
import type { NodeStatus } from '../../contracts/controller-v1.js';
import type { PoolStandbyConfig } from '../config/agent-config.js';
import type { RunningAgent } from '../shell/agent.js';
import { startPoolAgentApi } from '../shell/local-api.js';
import { startPoolLoops, startPoolReports } from '../shell/loops.js';
import { wirePoolStandby } from '../shell/wiring.js';
import { poolRoutes } from './pool-routes.js';
import type { StandbyServiceOptions } from './standby-service.js';
import { standbyNodeStatus } from './standby-status.js';

/** Bound on a takeover or release step still running when the agent stops (its state is durable either way). */
const closeStepWaitMs = 5_000;

/**
 * Starts a pool standby: its wiring (the standby's state loaded), the observation loops, the
 * local API with the pool routes, and the controller link. `onRoleSwitched`: a replacement made
 * this standby a protected server (agent.ts closes this agent and starts that one).
 *
 * @example
 *   const agent = await startPoolStandbyAgent(loadAgentFile('agent.yaml') as PoolStandbyConfig, log);
 *   agent.status().pool?.state // 'free'
 */
export async function startPoolStandbyAgent(config: PoolStandbyConfig, log: Logger, onRoleSwitched?: StandbyServiceOptions['onRoleSwitched']): Promise<RunningAgent> {
  const w = await wirePoolStandby(config, log, onRoleSwitched);
  const loops = startPoolLoops(w);
  let controllerReachable = false;
  const status = (): NodeStatus => {
    const seen = loops.observed();
    return standbyNodeStatus({
      clusterName: config.cluster.name,
      nodeName: config.node.id,
      pool: w.standby.status(),
      health: seen.health,
      cameras: seen.cameras,
      storages: seen.storages,
      service: seen.service,
      controllerReachable,
      uptimeSeconds: Math.round((w.nowMs() - w.startedAtMs) / 1000),
      startedAt: new Date(w.startedAtWallMs).toISOString(),
    });
  };
  // What it recorded for a protected server stays on its storage after the release: the protected server's agent pulls it back from here (the failback sync).
  const backfillSource = config.storage === undefined ? null : backfillSourceRouter({ storage: new LabFormatBackfill({ root: config.storage.root }), nodeId: config.node.id, faultInjection: false, log });
  const api = await startPoolAgentApi({ listen: config.api.listen, secret: w.secret, status, pool: poolRoutes({ standby: w.standby, secret: w.secret }), backfillSource, tls: w.apiTls, log }).catch(async (err: unknown) => {
    await loops.close();
    await w.takeoverProbe.close();
    throw err;
  });
  const apiUrl = config.api.advertisedUrl ?? api.url;
  const link = startPoolReports(w, apiUrl, status);
  if (link === null) log.warn('pool standby without a controller (agent.yaml controller): nothing reports it, and only orders sent to its API reach it');
  const reachable = setInterval(() => {
    controllerReachable = link?.connected() ?? false;
  }, 250);
  const pool = w.standby.status();
  w.emit({ kind: 'agent.started', severity: 'info', message: `pool standby agent started (${pool.state}${pool.protectedNodeId === null ? '' : `, ${pool.protectedNodeId} under epoch ${pool.epoch}`})`, data: { epoch: pool.epoch, state: pool.state, protectedNodeId: pool.protectedNodeId } });
  return {
    apiUrl,
    apiFingerprint: w.apiTls?.fingerprint256 ?? null,
    heartbeatPort: null,
    status,
    close: async () => {
      clearInterval(reachable);
      await Promise.all([link?.close(), api.close()]);
      await loops.close();
      // A step under way is cut short at its end, as by a crash: the durable state says which (a restart resumes or fails it).
      await w.standby.close(closeStepWaitMs);
      await w.takeoverProbe.close();
    },
  };
}
