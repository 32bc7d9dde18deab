// The cache both token sources share (idp-token.ts, vms-token.ts): one token for one user of
// tokens, renewed in the background before it ends, at most one request at a time, a back-off
// after a failed request (1 s, 2 s, 4 s … up to 30 s) so that no caller makes us hit a server at
// 4 Hz, and a token a server rejects replaced at most every few seconds.
import type { Logger } from 'pino';
import { abortable, RequestFailure, requestFailureReason } from '../shared/request-failure.js';

/** A token a server granted: its lifetime counts from `obtainedAtMs` (monotonic, performance.now()). */
export interface TokenGrant {
  readonly value: string;
  readonly obtainedAtMs: number;
  readonly lifetimeMs: number;
}

export interface TokenCacheOptions {
  /** For the log: 'IDP token', 'VMS token'. */
  readonly kind: string;
  /** Gets a token; `current` is the cached one while it is still valid (a renewal may use it), else null. */
  readonly request: (signal: AbortSignal, current: string | null) => Promise<TokenGrant>;
  /** Bound on one request. */
  readonly requestTimeoutMs: number;
  /** What callers see when there is no token: the last failure's (redacted) reason, worded. */
  readonly failureMessage: (reason: string) => string;
  /** What the source does after a server rejected its token, for the log ("requesting a new one"). */
  readonly replacement: string;
  /** Makes a failure reason safe to log and show (no password, no token). */
  readonly redact: (reason: string, maxLength: number) => string;
  /** Spread each back-off ±25 %, so that many clients of one server do not retry in step. */
  readonly jitter: boolean;
  readonly log: Logger;
}

/** Renew this long before expiry (or at half the lifetime if that is earlier). */
const renewMarginMs = 60_000;
const retryMinMs = 1_000;
const retryMaxMs = 30_000;
/** A token a server rejects is replaced at most this often (a server that rejects every token must not make us request one at 4 Hz). */
const replaceOnFaultMinIntervalMs = 5_000;

interface CachedToken {
  readonly value: string;
  readonly obtainedAtMs: number;
  readonly renewAtMs: number;
  readonly expiresAtMs: number;
}

const monotonicMs = (): number => performance.now();

export class TokenCache {
  private readonly closing = new AbortController();
  private token: CachedToken | null = null;
  private inFlight: Promise<void> | null = null;
  private failure: { readonly reason: string; readonly retryAtMs: number; readonly count: number } | null = null;
  private lastReplacedOnFaultMs = Number.NEGATIVE_INFINITY;
  /** The token before the current one, still in some caller's hands: redacted too. */
  private previous: string | null = null;

  constructor(private readonly options: TokenCacheOptions) {
    if (!(options.requestTimeoutMs > 0)) throw new RangeError('requestTimeoutMs must be positive');
  }

  /** No token yet and a request for one in flight. */
  waiting(): boolean {
    return this.token === null && this.inFlight !== null;
  }

  /** A token valid now: the cached one (renewed in the background near its end), or a new one. */
  async valid(signal: AbortSignal): Promise<string> {
    const nowMs = monotonicMs();
    const cached = this.token;
    const mayRequest = this.failure === null || nowMs >= this.failure.retryAtMs;
    if (cached !== null && nowMs < cached.expiresAtMs) {
      // A failed renewal keeps the token until it expires (e.g. the server is down for a while).
      if (nowMs >= cached.renewAtMs && mayRequest) void this.request();
      return cached.value;
    }
    this.forget();
    if (!mayRequest && this.inFlight === null) throw new RequestFailure(this.options.failureMessage(this.failure?.reason ?? 'unknown'));
    await abortable(this.request(), signal);
    const fresh = this.token as CachedToken | null;
    if (fresh === null) throw new RequestFailure(this.options.failureMessage(this.failure?.reason ?? 'unknown'));
    return fresh.value;
  }

  /** Whether to retry after a server (`by`) rejected `rejected`; drops it if so, at most every few seconds. */
  dropRejected(rejected: string, by: string): boolean {
    // Already replaced (by a parallel call): retry with the new one.
    if (this.token === null || this.token.value !== rejected) return true;
    const nowMs = monotonicMs();
    if (nowMs - this.lastReplacedOnFaultMs < replaceOnFaultMinIntervalMs) return false;
    this.lastReplacedOnFaultMs = nowMs;
    this.forget();
    this.options.log.info(`${by} rejected the ${this.options.kind}; ${this.options.replacement}`);
    return true;
  }

  /** The tokens a reason must never show: the current one and the one before it. */
  secrets(): string[] {
    return [this.token?.value, this.previous].filter((value): value is string => value !== undefined && value !== null);
  }

  /** Aborts a request in flight; later calls of `valid` fail. */
  async close(): Promise<void> {
    this.closing.abort(new RequestFailure('closed'));
    await this.inFlight?.catch(() => undefined);
  }

  private forget(): void {
    if (this.token !== null) this.previous = this.token.value;
    this.token = null;
  }

  /** Starts a request unless one is running; settles (never rejects) when it ends. */
  private request(): Promise<void> {
    if (this.inFlight === null) {
      const signal = AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.options.requestTimeoutMs)]);
      const held = this.token;
      const current = held !== null && monotonicMs() < held.expiresAtMs ? held.value : null;
      this.inFlight = this.options
        .request(signal, current)
        .then(
          (grant) => {
            if (this.token !== null && this.token.value !== grant.value) this.previous = this.token.value;
            const { obtainedAtMs, lifetimeMs } = grant;
            this.token = { value: grant.value, obtainedAtMs, renewAtMs: obtainedAtMs + lifetimeMs - Math.min(renewMarginMs, lifetimeMs / 2), expiresAtMs: obtainedAtMs + lifetimeMs };
            this.failure = null;
            this.options.log.debug({ expiresInMs: Math.round(lifetimeMs) }, `${this.options.kind} obtained`);
          },
          (err: unknown) => {
            const reason = this.options.redact(requestFailureReason(err, this.options.requestTimeoutMs), 200);
            const count = (this.failure?.count ?? 0) + 1;
            if (this.failure?.reason !== reason) this.options.log.warn({ reason }, `${this.options.kind} request failed`);
            const backoffMs = Math.min(retryMaxMs, retryMinMs * 2 ** Math.min(count - 1, 10));
            this.failure = { reason, count, retryAtMs: monotonicMs() + backoffMs * (this.options.jitter ? 0.75 + Math.random() / 2 : 1) };
          },
        )
        .finally(() => {
          this.inFlight = null;
        });
    }
    return this.inFlight;
  }
}
