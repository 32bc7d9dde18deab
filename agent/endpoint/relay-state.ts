// The relay's state under the serving endpoint's fencing rule (agent/core/fencing.ts): a claim
// wins only with a higher epoch (or repeats the current one exactly, same node, host and
// port); a release only counts from the holder of the epoch.
import { claimFence, releaseFence, type Fence } from '../core/fencing.js';
import type { ClaimOutcome, ServingTarget } from './serving-endpoint.js';

export type RelayState = Fence<ServingTarget>;

export const emptyRelay: RelayState = { epoch: 0, target: null };

const sameTarget = (a: ServingTarget, b: ServingTarget): boolean => a.nodeId === b.nodeId && a.host === b.host && a.port === b.port;

/**
 * @example
 *   claimRelay(emptyRelay, 2, { nodeId: 'a', host: '127.0.0.1', port: 7563 })
 *   // → { state: { epoch: 2, target: {…a} }, outcome: { accepted: true } }
 */
export function claimRelay(state: RelayState, epoch: number, target: ServingTarget): { state: RelayState; outcome: ClaimOutcome } {
  const { fence, outcome } = claimFence(state, epoch, target, sameTarget);
  return { state: fence, outcome };
}

/**
 * @example
 *   releaseRelay({ epoch: 4, target: a }, 4, 'a') // → { epoch: 4, target: null }
 */
export function releaseRelay(state: RelayState, epoch: number, nodeId: string): RelayState {
  return releaseFence(state, epoch, nodeId);
}
