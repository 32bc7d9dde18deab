/**
 * Exponential back-off with a cap: the delay before retry number `attempt` (0-based).
 * Pure, so callers decide how to wait; jitter is left out to keep the lab deterministic.
 *
 * @example backoffMs(0, 250, 2000) === 250; backoffMs(5, 250, 2000) === 2000
 */
export function backoffMs(attempt: number, minMs: number, maxMs: number): number {
  const exponent = Math.min(Math.max(0, attempt), 20);
  return Math.min(maxMs, minMs * 2 ** exponent);
}

/** Resolves after `ms`, or early (without rejecting) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
