// Login rate limits, in memory. Failed logins are counted three ways within a window:
//
// - per account and client address: at the limit that address may not try the account again
//   for a whole window (the lock a guesser runs into);
// - per account over all addresses, with a higher bar: past it, only addresses that have not
//   failed for the account within the window may still try it, so that no single address (and
//   no group of addresses, short of one fresh address per attempt) can keep guessing, while the
//   owner, signing in from an address of their own, is not locked out by someone else's guesses;
// - per address over all accounts: at the limit the address is refused for a whole window.
//
// A login reserves a failure on all three before its password is checked (LoginThrottle.reserve)
// and gives it back if the password was right, so that a burst of parallel attempts is counted
// as it arrives: no more than the limit can be checked, however many are sent at once. A success
// also forgets the failures of that account from that address, not the account's elsewhere and
// not the address's, so that a guesser who owns one account cannot reset the count of another.
// Addresses are counted by IPv4 address, and by /64 prefix for IPv6 (one host usually has all
// of a /64).
import { isIPv4, isIPv6 } from 'node:net';
import { problem, type DomainError } from '../domain/errors.js';

export interface LoginLimits {
  /** Failures for one account from one address before that address is locked out of it for the window. */
  readonly failuresPerAccountMax: number;
  /**
   * Failures for one account from all addresses together before addresses that failed for it
   * are refused too (addresses without a failure for it may still try). Default: ten times
   * failuresPerAccountMax.
   */
  readonly failuresPerAccountTotalMax?: number;
  /** Failures from one address, for any names, before it is refused for the window. */
  readonly failuresPerAddressMax: number;
  readonly failureWindowMs: number;
}

/** Failures counted for one key (checks under way included), and how long until the count is forgotten. */
export interface FailureCount {
  readonly failures: number;
  readonly msBeforeReset: number;
}

/** What the three counts of a login attempt are. */
export interface LoginCounts {
  /** This account from this address. */
  readonly pair: FailureCount | null;
  /** This account from anywhere. */
  readonly account: FailureCount | null;
  /** This address, for any account. */
  readonly address: FailureCount | null;
}

export type LoginGate = { readonly allowed: true } | { readonly allowed: false; readonly scope: 'account' | 'address'; readonly retryAfterMs: number };

/**
 * Whether a login may be tried, from the failures counted so far. Pure: the policy in one place.
 *
 * @example
 *   loginGate({ pair: { failures: 5, msBeforeReset: 60_000 }, account: null, address: null }, limits)
 *   // { allowed: false, scope: 'account', retryAfterMs: 60000 }
 */
export function loginGate(counts: LoginCounts, limits: LoginLimits): LoginGate {
  const live = (c: FailureCount | null): number => (c !== null && c.msBeforeReset > 0 ? c.failures : 0);
  const blocked: Array<{ scope: 'account' | 'address'; count: FailureCount }> = [];
  if (live(counts.pair) >= limits.failuresPerAccountMax) blocked.push({ scope: 'account', count: counts.pair as FailureCount });
  // Over the account's total, only an address that has failed for it is refused.
  if (live(counts.account) >= totalMaxOf(limits) && live(counts.pair) > 0) blocked.push({ scope: 'account', count: counts.account as FailureCount });
  if (live(counts.address) >= limits.failuresPerAddressMax) blocked.push({ scope: 'address', count: counts.address as FailureCount });
  if (blocked.length === 0) return { allowed: true };
  // Several may block: the caller has to wait for the latest one.
  const longest = blocked.reduce((a, b) => (b.count.msBeforeReset > a.count.msBeforeReset ? b : a));
  return { allowed: false, scope: longest.scope, retryAfterMs: Math.max(1, Math.ceil(longest.count.msBeforeReset)) };
}

/** Seconds for a Retry-After header: whole seconds, at least 1. */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}

/** The 429 problem for a refused login, with `retryAfterSeconds` (also sent as Retry-After). */
export function loginRateLimited(gate: Extract<LoginGate, { allowed: false }>): DomainError {
  const seconds = retryAfterSeconds(gate.retryAfterMs);
  return problem('login-rate-limited', `Too many failed logins ${gate.scope === 'account' ? 'for this account' : 'from this address'}; try again in ${seconds} s`, { retryAfterSeconds: seconds });
}

/** What failures for an account are counted under once a name is known to be its (a login, a password change). */
export function accountThrottleKey(accountId: string): string {
  return `account:${accountId}`;
}

/** What failures for a name that is no account's are counted under. */
export function nameThrottleKey(name: string): string {
  return `name:${name}`;
}

/** A login whose failure is counted already, until it is settled (once; later calls do nothing). */
export interface LoginAttempt {
  /** The password was wrong: the failure stays counted. Answers whether the next attempt would be allowed. */
  failed(): LoginGate;
  /** The password was right: the failure is given back, and this address's failures for the account are forgotten. */
  succeeded(): void;
  /** No password was checked (too busy, an error): the failure is given back. */
  cancel(): void;
}

export type LoginReservation = Extract<LoginGate, { allowed: false }> | { readonly allowed: true; readonly attempt: LoginAttempt };

/** Account names are at most 64 characters, ids 36; a longer key is cut so that keys stay bounded. */
const keyLengthMax = 128;
/** Keys kept per count before the oldest idle ones are forgotten (a flood of names cannot grow memory without bound). */
const keysMax = 100_000;

export class LoginThrottle {
  private readonly pairs: FailureWindow;
  private readonly accounts: FailureWindow;
  private readonly addresses: FailureWindow;

  constructor(
    private readonly limits: LoginLimits,
    now: () => number = Date.now,
  ) {
    const totalMax = totalMaxOf(limits);
    if (!(limits.failuresPerAccountMax >= 1 && limits.failuresPerAddressMax >= 1 && totalMax >= 1 && limits.failureWindowMs >= 1)) throw new RangeError('login limits must be positive');
    this.pairs = new FailureWindow(limits.failureWindowMs, now);
    this.accounts = new FailureWindow(limits.failureWindowMs, now);
    this.addresses = new FailureWindow(limits.failureWindowMs, now);
  }

  /**
   * Reserves a failure for a login of this account from this address before its password is
   * checked, or refuses it. Synchronous, so that parallel attempts are counted one by one.
   * `account` is the account's id once the name is known to be one, else the name.
   */
  reserve(account: string, address: string): LoginReservation {
    const keys = keysOf(account, address);
    const gate = this.gate(keys);
    if (!gate.allowed) return gate;
    this.begin(keys);
    let settled = false;
    const settle = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      this.end(keys, outcome);
    };
    return {
      allowed: true,
      attempt: {
        failed: () => {
          settle('failed');
          return this.gate(keys);
        },
        succeeded: () => settle('succeeded'),
        cancel: () => settle('cancelled'),
      },
    };
  }

  private begin(keys: Keys): void {
    this.pairs.begin(keys.pair);
    this.accounts.begin(keys.account);
    this.addresses.begin(keys.address);
  }

  private end(keys: Keys, outcome: Outcome): void {
    const failed = outcome === 'failed';
    this.pairs.end(keys.pair, failed, this.limits.failuresPerAccountMax);
    this.accounts.end(keys.account, failed, totalMaxOf(this.limits));
    this.addresses.end(keys.address, failed, this.limits.failuresPerAddressMax);
    if (outcome === 'succeeded') this.pairs.forget(keys.pair);
  }

  private gate(keys: Keys): LoginGate {
    return loginGate({ pair: this.pairs.count(keys.pair), account: this.accounts.count(keys.account), address: this.addresses.count(keys.address) }, this.limits);
  }
}

type Outcome = 'failed' | 'succeeded' | 'cancelled';

function totalMaxOf(limits: LoginLimits): number {
  return limits.failuresPerAccountTotalMax ?? limits.failuresPerAccountMax * 10;
}

interface Keys {
  readonly pair: string;
  readonly account: string;
  readonly address: string;
}

function keysOf(account: string, address: string): Keys {
  const a = account.slice(0, keyLengthMax);
  const from = addressKey(address);
  return { pair: `${a}\n${from}`, account: a, address: from };
}

/**
 * The key an address is counted under: an IPv4 address as it is (an IPv4-mapped IPv6 address
 * too), an IPv6 address by its /64 prefix, anything else as it is (cut to a bounded length).
 *
 * @example
 *   addressKey('2001:db8:1:2:3:4:5:6') // '2001:db8:1:2::/64'
 *   addressKey('::ffff:10.0.0.1')      // '10.0.0.1'
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped !== null && isIPv4(mapped[1] as string)) return mapped[1] as string;
  const bare = address.replace(/%.*$/, '');
  if (isIPv6(bare)) {
    const groups = expandIPv6(bare);
    if (groups !== null) return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
  }
  return address.slice(0, keyLengthMax);
}

/** The eight 16-bit groups of an IPv6 address (with an embedded IPv4 tail too). */
function expandIPv6(address: string): number[] | null {
  let text = address.toLowerCase();
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (v4 !== null) {
    const [a, b, c, d] = (v4[1] as string).split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] === '' ? [] : (halves[0] as string).split(':');
  const tail = halves.length === 2 ? (halves[1] === '' ? [] : (halves[1] as string).split(':')) : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (fill < 0) return null;
  const groups = [...head, ...Array<string>(fill).fill('0'), ...tail].map((g) => Number.parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

interface Entry {
  /** Confirmed failures within the window. */
  failures: number;
  /** Attempts whose password is being checked: counted as failures until they are settled. */
  pending: number;
  resetAt: number;
}

/** Failures per key within a fixed window that starts at the key's first failure; a key at its limit is held for a whole window from its last failure. */
class FailureWindow {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  count(key: string): FailureCount | null {
    const entry = this.live(key);
    return entry === undefined ? null : { failures: entry.failures + entry.pending, msBeforeReset: entry.resetAt - this.now() };
  }

  begin(key: string): void {
    const entry = this.live(key);
    if (entry !== undefined) {
      entry.pending += 1;
      return;
    }
    if (this.entries.size >= keysMax) this.prune();
    this.entries.set(key, { failures: 0, pending: 1, resetAt: this.now() + this.windowMs });
  }

  /** Settles a pending attempt: a failure stays counted (and at `max` holds the key for a window from now). */
  end(key: string, failed: boolean, max: number): void {
    const entry = this.live(key);
    if (entry === undefined) return;
    entry.pending = Math.max(0, entry.pending - 1);
    if (failed) {
      entry.failures += 1;
      if (entry.failures >= max) entry.resetAt = this.now() + this.windowMs;
    }
    if (entry.failures === 0 && entry.pending === 0) this.entries.delete(key);
  }

  /** Forgets the confirmed failures of a key (attempts still pending stay counted). */
  forget(key: string): void {
    const entry = this.live(key);
    if (entry === undefined) return;
    entry.failures = 0;
    if (entry.pending === 0) this.entries.delete(key);
  }

  /** The key's entry with a passed window reset; undefined when it has nothing counted. */
  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const now = this.now();
    if (entry.resetAt <= now) {
      if (entry.pending === 0) {
        this.entries.delete(key);
        return undefined;
      }
      entry.failures = 0;
      entry.resetAt = now + this.windowMs;
    }
    return entry;
  }

  /** Drops entries whose window has passed, then, if still full, the oldest ones without pending attempts. */
  private prune(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.resetAt <= now && entry.pending === 0) this.entries.delete(key);
    for (const [key, entry] of this.entries) {
      if (this.entries.size < keysMax * 0.9) break;
      if (entry.pending === 0) this.entries.delete(key);
    }
  }
}
