// A pool standby's node status (contracts/controller-v1.ts NodeStatus) from what its agent saw
// last: the standby's own state (pool-v1.ts, carried as `pool`), the recorder's health and
// service. The pair's notions map onto it so that the controller's views read it as they read a
// pair's node: serving the protected server is ALONE (serving, no peer), free is SECOND (ready
// to take over; also a hot standby, ready or not), a takeover, release or replacement under way is WAIT, a
// failed step is STOP. It has no peer: `peer` names the node itself, never reachable, and there
// are no heartbeats (no ping). Pure.
import type { NodeStatus } from '../../contracts/controller-v1.js';
import type { PoolStandbyState, PoolStandbyStatus } from '../../contracts/pool-v1.js';
import type { NodeState } from '../../contracts/peer-v1.js';
import type { LocalHealthSummary } from '../health/local-health.js';
import type { CameraStatus, ServiceStatus, StorageStatus } from '../shell/ports.js';

const stateOf: Readonly<Record<PoolStandbyState, NodeState>> = { free: 'SECOND', 'taking-over': 'WAIT', serving: 'ALONE', releasing: 'WAIT', 'becoming-protected': 'WAIT', failed: 'STOP' };

/** What a pool agent (standby or protected server) saw last, for its node status. */
export interface PoolNodeObserved {
  readonly clusterName: string;
  readonly nodeName: string;
  readonly health: LocalHealthSummary;
  readonly cameras: readonly CameraStatus[];
  readonly storages: readonly StorageStatus[];
  readonly service: ServiceStatus;
  /** The controller answered the last report. */
  readonly controllerReachable: boolean;
  readonly uptimeSeconds: number;
  readonly startedAt: string;
}

export interface StandbyStatusInput extends PoolNodeObserved {
  readonly pool: PoolStandbyStatus;
}

/**
 * @example
 *   standbyNodeStatus({ …, pool: { state: 'serving', protectedNodeId, epoch: 7, … } }).state   // 'ALONE', serving: true, epoch: 7
 */
export function standbyNodeStatus(i: StandbyStatusInput): NodeStatus {
  const serving = i.pool.state === 'serving';
  const hot = i.pool.hot ?? null;
  const h = i.health.health;
  // A hot standby that failed can still take over in full (it is free): its error is the problem, not a failure of the node.
  const hotError = hot?.state === 'failed' && hot.error !== null ? { step: `hot standby ${hot.error.step}`, reason: hot.error.reason } : null;
  return {
    ...poolNodeStatus(i, {
      state: stateOf[i.pool.state],
      serving,
      epoch: i.pool.epoch,
      // Healthy: its recorder answers with its storages available, and a standby that serves (or is a ready hot standby) records what it was ordered to.
      healthy: h.recorderUp && h.storageOk && i.pool.state !== 'failed' && ((!serving && hot?.state !== 'ready') || h.recordingShare >= 1),
      error: i.pool.error ?? hotError,
    }),
    pool: i.pool,
  };
}

/**
 * The node status of a pool agent, which has no peer: `peer` names the node itself, never
 * reachable, there are no heartbeats (no ping), and it runs no cluster policy (version 0: the
 * pair's failover settings do not apply to it). `own` is what its role says; a step's error
 * takes the place of the probe's problem.
 */
export function poolNodeStatus(i: PoolNodeObserved, own: { readonly state: NodeState; readonly serving: boolean; readonly epoch: number; readonly healthy: boolean; readonly error: { readonly step: string; readonly reason: string } | null }): NodeStatus {
  const h = i.health;
  return {
    clusterName: i.clusterName,
    nodeName: i.nodeName,
    state: own.state,
    serving: own.serving,
    epoch: own.epoch,
    healthy: own.healthy,
    health: { ...h.health, camerasTotal: h.camerasTotal, camerasRecording: h.camerasRecording, problem: (own.error === null ? h.problem : `${own.error.step}: ${own.error.reason}`)?.slice(0, 512) ?? null },
    service: i.service,
    peer: { name: i.nodeName, state: null, lastHeardAgoMs: null, reachable: false },
    ping: { avgMs: null, maxMs: null, lastMs: null },
    maintenance: false,
    witness: { kind: 'controller', reachable: i.controllerReachable },
    uptimeSeconds: i.uptimeSeconds,
    startedAt: i.startedAt,
    configSyncPending: false,
    policyVersion: 0,
    cameras: i.cameras.slice(0, 4096),
    storages: i.storages.slice(0, 64),
    backfill: null,
  };
}
