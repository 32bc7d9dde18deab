// A pool standby's node status (contracts/controller-v1.ts NodeStatus) from what its agent saw
// last: the standby's own state (pool-v1.ts, carried as `pool`), the recorder's health and
// service. The pair's notions map onto it so that the controller's views read it as they read a
// pair's node: serving the protected server is ALONE (serving, no peer), free is SECOND (ready
// to take over), a takeover or release under way is WAIT, a failed step is STOP. It has no
// peer: `peer` names the node itself, never reachable, and there are no heartbeats (no ping). Pure.
import type { NodeStatus } from '../../contracts/controller-v1.js';
import type { PoolStandbyState, PoolStandbyStatus } from '../../contracts/pool-v1.js';
import type { NodeState } from '../../contracts/peer-v1.js';
import type { LocalHealthSummary } from '../health/local-health.js';
import type { CameraStatus, ServiceStatus, StorageStatus } from '../shell/ports.js';

const stateOf: Readonly<Record<PoolStandbyState, NodeState>> = { free: 'SECOND', 'taking-over': 'WAIT', serving: 'ALONE', releasing: 'WAIT', failed: 'STOP' };

export interface StandbyStatusInput {
  readonly clusterName: string;
  readonly nodeName: string;
  readonly pool: PoolStandbyStatus;
  readonly health: LocalHealthSummary;
  readonly cameras: readonly CameraStatus[];
  readonly storages: readonly StorageStatus[];
  readonly service: ServiceStatus;
  /** The controller answered the last report. */
  readonly controllerReachable: boolean;
  readonly uptimeSeconds: number;
  readonly startedAt: string;
}

/**
 * @example
 *   standbyNodeStatus({ …, pool: { state: 'serving', protectedNodeId, epoch: 7, … } }).state   // 'ALONE', serving: true, epoch: 7
 */
export function standbyNodeStatus(i: StandbyStatusInput): NodeStatus {
  const serving = i.pool.state === 'serving';
  const h = i.health;
  return {
    clusterName: i.clusterName,
    nodeName: i.nodeName,
    state: stateOf[i.pool.state],
    serving,
    epoch: i.pool.epoch,
    // Healthy: its recorder answers with its storages available, and a standby that serves records what it was ordered to.
    healthy: h.health.recorderUp && h.health.storageOk && i.pool.state !== 'failed' && (!serving || h.health.recordingShare >= 1),
    health: { ...h.health, camerasTotal: h.camerasTotal, camerasRecording: h.camerasRecording, problem: (i.pool.error === null ? h.problem : `${i.pool.error.step}: ${i.pool.error.reason}`)?.slice(0, 512) ?? null },
    service: i.service,
    peer: { name: i.nodeName, state: null, lastHeardAgoMs: null, reachable: false },
    ping: { avgMs: null, maxMs: null, lastMs: null },
    maintenance: false,
    witness: { kind: 'controller', reachable: i.controllerReachable },
    uptimeSeconds: i.uptimeSeconds,
    startedAt: i.startedAt,
    configSyncPending: false,
    // It runs no cluster policy: the pair's failover settings do not apply to it.
    policyVersion: 0,
    cameras: i.cameras.slice(0, 4096),
    storages: i.storages.slice(0, 64),
    backfill: null,
    pool: i.pool,
  };
}
