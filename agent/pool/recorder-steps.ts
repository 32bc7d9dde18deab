// The recorder steps both pool agents take (the standby's takeover and release, the protected
// server's fence): each bounded by a timeout, a stop waited out until the service manager reads
// `stopped`. Shared so that the two services stop a recorder the same way.
import type { RecorderService } from '../shell/ports.js';

/** Resolves like `promise`, or rejects after `timeoutMs` saying what took too long. */
export async function bounded<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface StopOptions {
  readonly stopTimeoutMs: number;
  /** Bound on one status call of the service manager. */
  readonly statusTimeoutMs: number;
  readonly nowMs: () => number;
  /** True once the agent stops: the wait ends at its next turn. */
  readonly closing: () => boolean;
  /** Why a stop that does not end matters, for the error ('its configuration is not written'). */
  readonly consequence?: string;
}

/**
 * Stops the recorder and waits until its service reads `stopped` (polled every 200 ms, within
 * `stopTimeoutMs`); throws otherwise.
 *
 * @example await stopRecorderAndWait(service, { stopTimeoutMs: 120_000, statusTimeoutMs: 10_000, nowMs: Date.now, closing: () => false });
 */
export async function stopRecorderAndWait(service: RecorderService, o: StopOptions): Promise<void> {
  const deadline = o.nowMs() + o.stopTimeoutMs;
  await bounded(service.stop(), o.stopTimeoutMs, 'stopping the recorder');
  for (;;) {
    const status = await bounded(service.status(), o.statusTimeoutMs, 'asking the recorder service for its status').catch(() => 'unknown');
    if (status === 'stopped') return;
    if (o.nowMs() >= deadline) throw new Error(`the recorder service reads "${status}" ${o.stopTimeoutMs} ms after the stop${o.consequence === undefined ? '' : `; ${o.consequence}`}`);
    if (o.closing()) throw new Error('the agent stops');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
