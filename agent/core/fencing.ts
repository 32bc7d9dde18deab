// The serving endpoint's fencing rule, pure and in one place: the relay enforces it
// (agent/endpoint/relay-state.ts) and the simulation models the endpoint with it. A claim wins
// only with a higher epoch (or repeats the current one exactly); a release only counts from
// the holder of the current epoch, and the epoch never goes back.

/** What a fenced endpoint holds: the highest epoch ever accepted, and where it points. */
export interface Fence<Target extends { readonly nodeId: string }> {
  /** Highest epoch ever accepted; never decreases. */
  readonly epoch: number;
  /** Where new connections go; null while nobody serves. */
  readonly target: Target | null;
}

export type FenceOutcome =
  | { readonly accepted: true }
  /** Someone holds a higher (or the same) epoch: the claimant must step down. */
  | { readonly accepted: false; readonly currentEpoch: number };

/**
 * A claim of `epoch` for `target`; `sameTarget` says when a claim repeats the holder's exactly.
 *
 * @example
 *   claimFence({ epoch: 2, target: a }, 3, b, sameNode) // → { fence: { epoch: 3, target: b }, outcome: { accepted: true } }
 *   claimFence({ epoch: 3, target: b }, 2, a, sameNode) // → outcome: { accepted: false, currentEpoch: 3 }
 */
export function claimFence<T extends { readonly nodeId: string }>(fence: Fence<T>, epoch: number, target: T, sameTarget: (a: T, b: T) => boolean): { fence: Fence<T>; outcome: FenceOutcome } {
  if (epoch > fence.epoch) return { fence: { epoch, target }, outcome: { accepted: true } };
  const repeat = epoch === fence.epoch && fence.target !== null && sameTarget(fence.target, target);
  return repeat ? { fence, outcome: { accepted: true } } : { fence, outcome: { accepted: false, currentEpoch: fence.epoch } };
}

/**
 * A release of `epoch` by `nodeId`: it clears the target only if that node holds that epoch.
 *
 * @example
 *   releaseFence({ epoch: 4, target: a }, 4, 'a') // → { epoch: 4, target: null }
 *   releaseFence({ epoch: 4, target: a }, 3, 'a') // → unchanged: an older epoch releases nothing
 */
export function releaseFence<T extends { readonly nodeId: string }>(fence: Fence<T>, epoch: number, nodeId: string): Fence<T> {
  return fence.target !== null && fence.epoch === epoch && fence.target.nodeId === nodeId ? { epoch: fence.epoch, target: null } : fence;
}
