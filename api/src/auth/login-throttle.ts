// Login rate limits: failed logins are counted per account and per client address in memory
// (rate-limiter-flexible); once either count reaches its limit within the window, logins for
// that account, or from that address, are refused without checking the password until the
// window has passed. A success clears the account's count, not the address's, so that a
// guesser who owns one account cannot reset the count of another.
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { problem, type DomainError } from '../domain/errors.js';

export interface LoginLimits {
  /** Failures for one account name, from anywhere, before it is locked for the window. */
  readonly failuresPerAccountMax: number;
  /** Failures from one address, for any names, before it is refused for the window. */
  readonly failuresPerAddressMax: number;
  readonly failureWindowMs: number;
}

/** Failures counted for one key, and how long until the count is forgotten. */
export interface FailureCount {
  readonly failures: number;
  readonly msBeforeReset: number;
}

export type LoginGate = { readonly allowed: true } | { readonly allowed: false; readonly scope: 'account' | 'address'; readonly retryAfterMs: number };

/**
 * Whether a login may be tried, from the failures counted so far. Pure: the policy in one place.
 *
 * @example
 *   loginGate({ failures: 5, msBeforeReset: 60_000 }, null, limits) // { allowed: false, scope: 'account', retryAfterMs: 60000 }
 */
export function loginGate(account: FailureCount | null, address: FailureCount | null, limits: LoginLimits): LoginGate {
  const blocked = [
    { scope: 'account' as const, count: account, max: limits.failuresPerAccountMax },
    { scope: 'address' as const, count: address, max: limits.failuresPerAddressMax },
  ].filter((b) => b.count !== null && b.count.failures >= b.max && b.count.msBeforeReset > 0);
  if (blocked.length === 0) return { allowed: true };
  // Both may block: the caller has to wait for the later one.
  const longest = blocked.reduce((a, b) => ((b.count?.msBeforeReset ?? 0) > (a.count?.msBeforeReset ?? 0) ? b : a));
  return { allowed: false, scope: longest.scope, retryAfterMs: Math.max(1, Math.ceil(longest.count?.msBeforeReset ?? 0)) };
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

/** Account names are at most 64 characters; a longer one is cut so that keys stay bounded. */
const keyLengthMax = 128;

export class LoginThrottle {
  private readonly accounts: RateLimiterMemory;
  private readonly addresses: RateLimiterMemory;
  private readonly windowSeconds: number;

  constructor(private readonly limits: LoginLimits) {
    if (!(limits.failuresPerAccountMax >= 1 && limits.failuresPerAddressMax >= 1 && limits.failureWindowMs >= 1)) throw new RangeError('login limits must be positive');
    // rate-limiter-flexible counts in (fractional) seconds.
    this.windowSeconds = limits.failureWindowMs / 1000;
    this.accounts = new RateLimiterMemory({ keyPrefix: 'account', points: limits.failuresPerAccountMax, duration: this.windowSeconds });
    this.addresses = new RateLimiterMemory({ keyPrefix: 'address', points: limits.failuresPerAddressMax, duration: this.windowSeconds });
  }

  /** Whether a login for this name from this address may be tried now. */
  async check(username: string, address: string): Promise<LoginGate> {
    const [account, from] = await Promise.all([this.accounts.get(accountKey(username)), this.addresses.get(addressKey(address))]);
    return loginGate(countOf(account), countOf(from), this.limits);
  }

  /** Counts a failed login; at the limit, the key is locked for a whole window from now. */
  async failed(username: string, address: string): Promise<LoginGate> {
    await Promise.all([this.count(this.accounts, accountKey(username), this.limits.failuresPerAccountMax), this.count(this.addresses, addressKey(address), this.limits.failuresPerAddressMax)]);
    return this.check(username, address);
  }

  /** A successful login forgets the account's failures. */
  async succeeded(username: string): Promise<void> {
    await this.accounts.delete(accountKey(username));
  }

  private async count(limiter: RateLimiterMemory, key: string, max: number): Promise<void> {
    const res = await limiter.penalty(key, 1);
    if (res.consumedPoints >= max) await limiter.block(key, this.windowSeconds);
  }
}

function countOf(res: { consumedPoints: number; msBeforeNext: number } | null): FailureCount | null {
  return res === null ? null : { failures: res.consumedPoints, msBeforeReset: res.msBeforeNext };
}

function accountKey(username: string): string {
  return username.toLowerCase().slice(0, keyLengthMax);
}

function addressKey(address: string): string {
  return address.slice(0, keyLengthMax);
}
