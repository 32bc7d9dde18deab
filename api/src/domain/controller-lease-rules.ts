// The pure rules of the controllers' singleton leases (issue 19): which compare-and-set a
// controller tries on a lease row, and until when it may act on a lease it holds. Time comes in
// two kinds and they never mix: the database's clock (`dbNow`, read from the database) decides
// whether a row has expired, so that controllers never compare their own wall clocks; the
// controller's monotonic clock (`…Ms` from performance.now()) bounds how long it keeps acting
// after its last successful renewal. The shell is controller-leases.ts.

/** The singleton jobs that run on one controller at a time. */
export const leaseNames = ['agent-sweep', 'webhooks', 'generic-events', 'pool-allocation'] as const;
export type LeaseName = (typeof leaseNames)[number];

/** A lease row as read from the database (controller_lease). */
export interface LeaseRowView {
  readonly holder: string;
  readonly epoch: number;
  readonly expiresAt: Date;
}

/**
 * What to try on a lease, all by the database's clock `dbNow`:
 * - `insert`: no row yet (epoch 1); another controller inserting first is a normal outcome;
 * - `renew`: ours already (expired or not: nobody took it meanwhile), same epoch;
 * - `take`: another holder's lease has expired: epoch + 1, conditional on that holder, epoch
 *   and expiry still being what was read (a late renewal by the holder wins over the take);
 * - `wait`: another holder's lease runs.
 */
export type LeaseStep =
  | { readonly action: 'insert'; readonly epoch: number }
  | { readonly action: 'renew'; readonly epoch: number }
  | { readonly action: 'take'; readonly epoch: number; readonly from: LeaseRowView }
  | { readonly action: 'wait'; readonly holder: string; readonly epoch: number };

export function leaseStep(row: LeaseRowView | null, me: string, dbNow: Date): LeaseStep {
  if (row === null) return { action: 'insert', epoch: 1 };
  if (row.holder === me) return { action: 'renew', epoch: row.epoch };
  if (row.expiresAt.getTime() <= dbNow.getTime()) return { action: 'take', epoch: row.epoch + 1, from: row };
  return { action: 'wait', holder: row.holder, epoch: row.epoch };
}

/**
 * What a controller stops acting early by, before its lease can expire in the database: a fifth
 * of the TTL (2 s of 10 s), for timers that fire late and clocks that run at slightly different
 * rates. A renewal's expiry is the database's time when it was read plus the TTL, and that read
 * happened after `sentAtMs`, so the lease cannot expire elsewhere before sentAtMs + ttlMs.
 */
export function leaseMarginMs(ttlMs: number): number {
  return Math.ceil(ttlMs / 5);
}

/** Until when (monotonic ms) a lease renewed by a round sent at `sentAtMs` may be acted on. */
export function safeUntilMs(sentAtMs: number, ttlMs: number): number {
  return sentAtMs + ttlMs - leaseMarginMs(ttlMs);
}

/** The renewal interval when none is configured: a third of the TTL, so that two renewals may fail before the margin is reached. */
export function defaultRenewIntervalMs(ttlMs: number): number {
  return Math.max(1, Math.floor(ttlMs / 3));
}

/**
 * Checks a TTL and renewal interval: a renewal must come well before the holder has to stop
 * acting (ttl − margin), with room for one retry. Returns a message, or null when they fit.
 */
export function leaseTimingProblem(ttlMs: number, renewIntervalMs: number): string | null {
  if (!(ttlMs > 0) || !(renewIntervalMs > 0)) return 'the lease TTL and renewal interval must be positive';
  if (renewIntervalMs * 2 > ttlMs - leaseMarginMs(ttlMs)) return `the lease renewal interval (${renewIntervalMs} ms) must be at most half of the TTL less its margin (${Math.floor((ttlMs - leaseMarginMs(ttlMs)) / 2)} ms for a TTL of ${ttlMs} ms)`;
  return null;
}

/** Why a controller stopped acting on a lease. */
export type LeaseLostReason =
  /** The conditional update changed no row: another controller took it, or its row changed under us. */
  | 'renew-refused'
  /** The row names another holder or another epoch than the one we hold. */
  | 'other-holder'
  /** No successful renewal for longer than is safe (the database unreachable or slow). */
  | 'renew-overdue'
  /** The controller is stopping and hands it over. */
  | 'released';

/** A lease this controller acts on. */
export interface HeldLease {
  readonly epoch: number;
  /** Monotonic ms after which it must stop acting unless renewed. */
  readonly safeUntilMs: number;
}

/** What one round's outcome for one lease means for the controller's view of it. */
export type HeldChange =
  | { readonly change: 'gained'; readonly held: HeldLease }
  | { readonly change: 'kept'; readonly held: HeldLease }
  | { readonly change: 'lost'; readonly reason: LeaseLostReason }
  | { readonly change: 'none' };

/**
 * Whether a row read while holding a lease shows it is no longer ours (another holder, another
 * epoch): the controller stops acting before it tries anything else on it.
 */
export function rowDisowns(before: HeldLease | null, row: LeaseRowView | null, me: string): boolean {
  return before !== null && (row === null || row.holder !== me || row.epoch !== before.epoch);
}

/**
 * The outcome of a round (`won`: the insert or update went through under `epoch`; otherwise the
 * row is someone else's) applied to what was held before. A success that arrives after the safe
 * time it would give (a round that hung) does not count: the next round renews again.
 */
export function heldAfter(before: HeldLease | null, outcome: { readonly won: boolean; readonly epoch: number; readonly refused: boolean }, sentAtMs: number, nowMs: number, ttlMs: number): HeldChange {
  if (outcome.won) {
    const held: HeldLease = { epoch: outcome.epoch, safeUntilMs: safeUntilMs(sentAtMs, ttlMs) };
    if (held.safeUntilMs <= nowMs) return before === null ? { change: 'none' } : { change: 'lost', reason: 'renew-overdue' };
    return before === null ? { change: 'gained', held } : { change: 'kept', held };
  }
  if (before === null) return { change: 'none' };
  return { change: 'lost', reason: outcome.refused ? 'renew-refused' : 'other-holder' };
}

/** Leases held past their safe time at `nowMs`: to be given up at once. */
export function overdueLeases<K>(held: ReadonlyMap<K, HeldLease>, nowMs: number): K[] {
  const overdue: K[] = [];
  for (const [name, lease] of held) if (lease.safeUntilMs <= nowMs) overdue.push(name);
  return overdue;
}

/** The earliest safe time among held leases (when the watchdog must look again), or null. */
export function nextDeadlineMs(held: ReadonlyMap<unknown, HeldLease>): number | null {
  let earliest: number | null = null;
  for (const lease of held.values()) if (earliest === null || lease.safeUntilMs < earliest) earliest = lease.safeUntilMs;
  return earliest;
}
