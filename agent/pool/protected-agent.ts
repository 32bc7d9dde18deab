// `twinrec agent` with `pool.role: protected`: a failover pool's protected recording server
// (issue 17). No peer, no heartbeats, no decision core: it holds its serving endpoint under the
// pool's epochs (protected-service.ts), stops its recorder when a standby fences it, serves again
// on the controller's resume order (the local API's pool routes), pushes its RecorderConfig.xml to
// the controller, and reports its status (with `poolProtected`) as a pair's node does. A resume
// may carry a failback sync (failback-sync.ts): what the standby recorded meanwhile comes back
// into its storage, and its progress goes into `poolProtected.failbackSync`. Started by agent.ts.
import type { Logger } from 'pino';
import type { NodeStatus } from '../../contracts/controller-v1.js';
import type { PoolProtectedConfig } from '../config/agent-config.js';
import { withCameraNames } from '../health/camera-names.js';
import { takesCameraIds } from '../health/recorder-probe.js';
import type { RunningAgent } from '../shell/agent.js';
import { startCameraList } from '../shell/background-reads.js';
import { startPoolAgentApi } from '../shell/local-api.js';
import type { ServiceStatus } from '../shell/ports.js';
import { startPoolObservation, startPoolReports } from '../shell/loops.js';
import { wirePoolProtected } from '../shell/wiring.js';
import { startConfigPush } from './protected-config-push.js';
import { protectedRoutes } from './protected-routes.js';
import { protectedNodeStatus } from './protected-status.js';

/** Bound on a step still running when the agent stops (its state is durable either way). */
const closeStepWaitMs = 5_000;
/** The service manager is asked this often: a dead recorder is the controller's `serviceDown` trigger, and a hot standby waits on it. */
const serviceCheckIntervalMs = 250;
/** After its recorder is seen down while serving, the agent reports every urgentReportIntervalMs for at most this long (then at its pace again, bounded). */
const urgentReportsMsMax = 10_000;

/**
 * Starts a protected recording server's agent: its wiring (its state loaded: fenced stays
 * fenced), the observation loops, the camera list, the local API with the pool routes, the
 * controller link and the RecorderConfig.xml push.
 *
 * @example
 *   const agent = await startPoolProtectedAgent(loadAgentFile('agent.yaml') as PoolProtectedConfig, log);
 *   agent.status().poolProtected?.state // 'serving'
 */
export async function startPoolProtectedAgent(config: PoolProtectedConfig, log: Logger): Promise<RunningAgent> {
  const w = await wirePoolProtected(config, log);
  // Since when the recorder is seen not running while this server serves (null: it runs, or the server does not serve).
  let downWhileServingSinceMs: number | null = null;
  const onService = (service: ServiceStatus): void => {
    w.guard.observeService(service);
    const down = service !== 'running' && w.guard.status().state === 'serving';
    downWhileServingSinceMs = down ? (downWhileServingSinceMs ?? w.nowMs()) : null;
  };
  const loops = startPoolObservation({ nowMs: w.nowMs, probeIntervalMs: w.timing.probeIntervalMs, probe: () => w.probe.probe(), closeProbe: () => w.probe.close(), service: w.service, onService, serviceCheckIntervalMs });
  // Reports go out quickly while the recorder is down and the server still serves: the controller fails it over on them.
  const urgent = (): boolean => downWhileServingSinceMs !== null && w.nowMs() - downWhileServingSinceMs < urgentReportsMsMax;
  let controllerReachable = false;
  const cameraList = startCameraList(config, w.password, log);
  // The probe asks the recorder about exactly the cameras the Management Server lists for it (none until the first read).
  if (cameraList !== null && takesCameraIds(w.probe)) w.probe.readCameraIdsFrom(() => cameraList.cameraIds());
  const status = (): NodeStatus => {
    const seen = loops.observed();
    const names = config.cameraNames.enabled && cameraList !== null ? cameraList.latest() : new Map();
    return protectedNodeStatus({
      clusterName: config.cluster.name,
      nodeName: config.node.id,
      poolProtected: { ...w.guard.status(), failbackSync: w.failback.status() },
      health: seen.health,
      cameras: withCameraNames(seen.cameras.slice(0, 4096), names),
      storages: seen.storages,
      service: seen.service,
      controllerReachable,
      uptimeSeconds: Math.round((w.nowMs() - w.startedAtMs) / 1000),
      startedAt: new Date(w.startedAtWallMs).toISOString(),
    });
  };
  const closeAll = async (): Promise<void> => {
    await loops.close();
    await cameraList?.close();
    await w.guard.close(closeStepWaitMs);
    await w.failback.close();
  };
  const api = await startPoolAgentApi({ listen: config.api.listen, secret: w.secret, status, pool: protectedRoutes({ guard: w.guard, failback: w.failback, secret: w.secret }), tls: w.apiTls, log }).catch(async (err: unknown) => {
    await closeAll();
    throw err;
  });
  const apiUrl = config.api.advertisedUrl ?? api.url;
  let push: ReturnType<typeof startConfigPush> | null = null;
  const link = startPoolReports(w, apiUrl, status, () => push?.wake(), urgent);
  if (link === null) log.warn('pool protected server without a controller (agent.yaml controller): nothing reports it, nothing pushes its RecorderConfig.xml, and only a resume sent to its API makes a fenced server serve again');
  else push = startConfigPush({ configPath: config.recorder.recorderConfigPath, registered: () => link.registered(), send: (path, body, timeoutMs) => link.send(path, body, timeoutMs), checkIntervalMs: config.pool.recorderConfigCheckIntervalMs, log });
  const reachable = setInterval(() => {
    controllerReachable = link?.connected() ?? false;
  }, 250);
  const guarded = w.guard.status();
  w.emit({ kind: 'agent.started', severity: 'info', message: `pool protected server agent started (${guarded.state} under epoch ${guarded.epoch})`, data: { epoch: guarded.epoch, state: guarded.state } });
  return {
    apiUrl,
    apiFingerprint: w.apiTls?.fingerprint256 ?? null,
    heartbeatPort: null,
    status,
    close: async () => {
      clearInterval(reachable);
      await Promise.all([link?.close(), push?.close(), api.close()]);
      // A step under way is cut short at its end, as by a crash: the durable state says which.
      await closeAll();
    },
  };
}
