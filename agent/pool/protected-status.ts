// A protected recording server's node status (contracts/controller-v1.ts NodeStatus) from what its
// agent saw last: its own state (pool-v1.ts, carried as `poolProtected` for the controller's pool
// triggers), the recorder's health and service. Serving is ALONE (serving, no peer); fenced is
// STOP (its recorder stopped on purpose: a standby serves its identity); a resume under way is
// WAIT; a failed resume is STOP. Pure.
import type { NodeStatus } from '../../contracts/controller-v1.js';
import type { PoolProtectedState, PoolProtectedStatus } from '../../contracts/pool-v1.js';
import type { NodeState } from '../../contracts/peer-v1.js';
import { poolNodeStatus, type PoolNodeObserved } from './standby-status.js';

const stateOf: Readonly<Record<PoolProtectedState, NodeState>> = { serving: 'ALONE', fenced: 'STOP', resuming: 'WAIT', failed: 'STOP' };

/**
 * @example
 *   protectedNodeStatus({ …, poolProtected: { state: 'fenced', epoch: 1, fencedByEpoch: 2, … } }).state   // 'STOP', serving: false
 */
export function protectedNodeStatus(i: PoolNodeObserved & { readonly poolProtected: PoolProtectedStatus }): NodeStatus {
  const p = i.poolProtected;
  const h = i.health.health;
  return {
    ...poolNodeStatus(i, {
      state: stateOf[p.state],
      serving: p.state === 'serving',
      epoch: p.epoch,
      // Healthy as a pair's node: its recorder answers with its storages available and records; never while fenced or failed.
      healthy: p.state === 'serving' && h.recorderUp && h.storageOk && h.recordingShare >= 1,
      error: p.error,
    }),
    poolProtected: p,
  };
}
