// When a webhook delivery is tried again: the shared exponential backoff with jitter
// (../domain/delivery-queue.ts) under the webhooks' own bounds. Pure.
import { retryDelayMs } from '../domain/delivery-queue.js';

export interface RetryBounds {
  /** Attempts in all, the first included. */
  readonly attemptsMax: number;
  readonly delayMsBase: number;
  readonly delayMsMax: number;
}

/** Defaults: 6 attempts, 1 s doubling to at most 60 s (about a minute of retrying, at most 2). */
export const defaultRetryBounds: RetryBounds = { attemptsMax: 6, delayMsBase: 1_000, delayMsMax: 60_000 };

/**
 * The wait after failed attempt `attempt` (1, 2, …), or null when it was the last one.
 *
 * @example
 *   nextRetryMs(1, defaultRetryBounds, () => 0.999) // ≈ 1000
 *   nextRetryMs(6, defaultRetryBounds, Math.random) // null: dropped
 */
export function nextRetryMs(attempt: number, bounds: RetryBounds, random: () => number): number | null {
  if (attempt >= bounds.attemptsMax) return null;
  return retryDelayMs(attempt, random, bounds.delayMsBase, bounds.delayMsMax);
}

/** Every wait of a delivery that never succeeds (one fewer than the attempts): for docs and tests. */
export function retrySchedule(bounds: RetryBounds, random: () => number): number[] {
  const waits: number[] = [];
  for (let attempt = 1; attempt < bounds.attemptsMax; attempt += 1) waits.push(nextRetryMs(attempt, bounds, random) as number);
  return waits;
}
