// The relay's fencing rule, as a pure function: a claim wins only with a higher epoch (or
// repeats the current one exactly); a release only counts from the holder of the epoch.
import type { ClaimOutcome, ServingTarget } from './serving-endpoint.js';

export interface RelayState {
  /** Highest epoch ever accepted; never decreases. */
  readonly epoch: number;
  /** Where new connections go; null while nobody serves. */
  readonly target: ServingTarget | null;
}

export const emptyRelay: RelayState = { epoch: 0, target: null };

/**
 * @example
 *   claimRelay(emptyRelay, 2, { nodeId: 'a', host: '127.0.0.1', port: 7563 })
 *   // → { state: { epoch: 2, target: {…a} }, outcome: { accepted: true } }
 */
export function claimRelay(state: RelayState, epoch: number, target: ServingTarget): { state: RelayState; outcome: ClaimOutcome } {
  if (epoch > state.epoch) return { state: { epoch, target }, outcome: { accepted: true } };
  const same = epoch === state.epoch && state.target !== null && state.target.nodeId === target.nodeId && state.target.host === target.host && state.target.port === target.port;
  return same ? { state, outcome: { accepted: true } } : { state, outcome: { accepted: false, currentEpoch: state.epoch } };
}

export function releaseRelay(state: RelayState, epoch: number, nodeId: string): RelayState {
  return state.target !== null && state.epoch === epoch && state.target.nodeId === nodeId ? { epoch: state.epoch, target: null } : state;
}
