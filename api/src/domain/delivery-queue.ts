// A bounded queue of notifications waiting to go out, and when to try again: shared by the
// generic events for XProtect's Event Server (api/src/xprotect-events) and the webhooks
// (api/src/webhooks). Pure: no timers, no sockets; their senders own those. The defaults are
// the generic events'; webhooks pass their own bounds.

/** Queue bound: beyond it the oldest waiting event is dropped (and counted). */
export const deliveryQueueMax = 256;

/** Retry bounds: the first retry after about retryDelayMsBase, doubling to retryDelayMsMax, at most deliveryAttemptsMax attempts in all (about 75 s of retrying). */
export const retryDelayMsBase = 500;
export const retryDelayMsMax = 15_000;
export const deliveryAttemptsMax = 10;

/**
 * The wait before attempt `attempt + 1`, after `attempt` failed ones (1, 2, …): exponential from
 * retryDelayMsBase, capped at retryDelayMsMax, with jitter (between half and all of it) so that
 * several controllers or restarts do not retry in step. `random` is in [0, 1).
 *
 * @example
 *   retryDelayMs(1, () => 0.999) // ≈ 500
 *   retryDelayMs(3, () => 0)     // 1000 (half of 2000)
 *   retryDelayMs(30, () => 0.5)  // 11250 (capped at 15000, then jittered)
 */
export function retryDelayMs(attempt: number, random: () => number, baseMs = retryDelayMsBase, maxMs = retryDelayMsMax): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling * (0.5 + r * 0.5));
}

/**
 * A FIFO with a fixed bound that drops its oldest entry to take a new one.
 *
 * @example
 *   const queue = new DeliveryQueue<string>(2);
 *   queue.push('a'); queue.push('b');
 *   queue.push('c') // 'a' (dropped); the queue holds b, c
 */
export class DeliveryQueue<T> {
  private readonly items: T[] = [];

  constructor(readonly capacity = deliveryQueueMax) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`queue capacity must be a positive integer, not ${capacity}`);
  }

  /** Adds an item; returns the item dropped to make room, or undefined. */
  push(item: T): T | undefined {
    this.items.push(item);
    return this.items.length > this.capacity ? this.items.shift() : undefined;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  shift(): T | undefined {
    return this.items.shift();
  }

  /** Empties the queue; returns what it held. */
  clear(): T[] {
    return this.items.splice(0, this.items.length);
  }

  get size(): number {
    return this.items.length;
  }
}
