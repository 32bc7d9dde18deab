// An IDP token of the agent (OAuth 2 password grant at the Management Server's Identity
// Provider, client GrantValidatorClient, as XProtect clients log in). Each user of tokens has a
// source of its own: the recorder probe (SOAP, 4 Hz) and the camera names (REST, once a
// minute), so that a token one server rejects (and drops) never leaves the other without one.
// It is cached for most of its lifetime, renewed in the background before it ends, and after a
// failed request the next one waits 1 s, 2 s, 4 s … up to 30 s, so that no caller makes us hit
// the IDP at 4 Hz.
import type { Logger } from 'pino';
import { abortable, readBoundedOrFail, RequestFailure, requestFailureReason } from '../shared/request-failure.js';
import type { TokenSource } from './token-source.js';

export interface IdpTokenOptions {
  /** The IDP token endpoint, e.g. http://ms/IDP/connect/token. */
  readonly tokenUrl: string;
  readonly username: string;
  readonly password: string;
  /** Bound on one token request. */
  readonly requestTimeoutMs: number;
  readonly log: Logger;
}

/** A token request is not bound by a caller's (short) timeout: an IDP may take seconds. */
export const tokenRequestTimeoutMinMs = 10_000;
/** Lifetime assumed when the IDP does not say (`expires_in` missing). */
const defaultTokenLifetimeMs = 300_000;
/** Renew this long before expiry (or at half the lifetime if that is earlier). */
const tokenRenewMarginMs = 60_000;
/** After a failed token request, wait 1 s, 2 s, 4 s … up to 30 s before the next one. */
const tokenRetryMinMs = 1_000;
const tokenRetryMaxMs = 30_000;
/**
 * A token a server rejects is replaced at most this often: a recorder that rejects every token
 * (configuration not loaded yet, another IDP) must not make us hit the IDP at 4 Hz.
 */
const tokenReplaceOnFaultMinIntervalMs = 5_000;
const maxTokenAnswerBytes = 64 * 1024;

interface CachedToken {
  readonly value: string;
  readonly obtainedAtMs: number;
  readonly renewAtMs: number;
  readonly expiresAtMs: number;
}

const monotonicMs = (): number => performance.now();

/**
 * A cached IDP token for one user of tokens (calls from it may overlap).
 *
 * @example
 *   const tokens = new IdpTokenSource({ tokenUrl: 'http://ms/IDP/connect/token', username, password, requestTimeoutMs: 10_000, log });
 *   const token = await tokens.valid(signal); // throws RequestFailure('token request failed: connection refused')
 */
export class IdpTokenSource implements TokenSource {
  private readonly closing = new AbortController();
  private token: CachedToken | null = null;
  private tokenRequest: Promise<void> | null = null;
  private tokenFailure: { readonly reason: string; readonly retryAtMs: number; readonly count: number } | null = null;
  private lastTokenReplacedOnFaultMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: IdpTokenOptions) {
    if (!(options.requestTimeoutMs > 0)) throw new RangeError('requestTimeoutMs must be positive');
  }

  /** No token yet and a request for one in flight (for a caller's timeout message). */
  waiting(): boolean {
    return this.token === null && this.tokenRequest !== null;
  }

  /** A token valid now: the cached one (renewed in the background near its end), or a new one. */
  async valid(signal: AbortSignal): Promise<string> {
    const nowMs = monotonicMs();
    const cached = this.token;
    const mayRequest = this.tokenFailure === null || nowMs >= this.tokenFailure.retryAtMs;
    if (cached !== null && nowMs < cached.expiresAtMs) {
      // Renewal failures keep the old token until it expires (e.g. management server down).
      if (nowMs >= cached.renewAtMs && mayRequest) void this.requestToken();
      return cached.value;
    }
    this.token = null;
    if (!mayRequest && this.tokenRequest === null) throw new RequestFailure(`token request failed: ${this.tokenFailure?.reason ?? 'unknown'}`);
    await abortable(this.requestToken(), signal);
    const fresh = this.token as CachedToken | null;
    if (fresh === null) throw new RequestFailure(`token request failed: ${this.tokenFailure?.reason ?? 'unknown'}`);
    return fresh.value;
  }

  /**
   * Whether to retry after a server (`by`, for the log) rejected `rejected`; drops it from the
   * cache if so, at most every few seconds.
   */
  dropRejected(rejected: string, by: string): boolean {
    // Already replaced (by a parallel call): retry with the new one.
    if (this.token === null || this.token.value !== rejected) return true;
    const nowMs = monotonicMs();
    if (nowMs - this.lastTokenReplacedOnFaultMs < tokenReplaceOnFaultMinIntervalMs) return false;
    this.lastTokenReplacedOnFaultMs = nowMs;
    this.token = null;
    this.options.log.info(`${by} rejected the IDP token; requesting a new one`);
    return true;
  }

  /** Defence in depth: no reason ever carries the password or a token, whatever a server echoes. */
  redact(reason: string, maxLength: number): string {
    let safe = reason;
    for (const secret of [this.options.password, this.token?.value]) {
      if (secret !== undefined && secret.length >= 4) safe = safe.split(secret).join('***');
    }
    return safe.length > maxLength ? `${safe.slice(0, maxLength - 1)}…` : safe;
  }

  /** Aborts a token request in flight; later calls of `valid` fail. */
  async close(): Promise<void> {
    this.closing.abort(new RequestFailure('closed'));
    await this.tokenRequest?.catch(() => undefined);
  }

  /** Starts a token request unless one is running; settles (never rejects) when it ends. */
  private requestToken(): Promise<void> {
    if (this.tokenRequest === null) {
      this.tokenRequest = this.fetchToken()
        .then(
          (token) => {
            this.token = token;
            this.tokenFailure = null;
            this.options.log.debug({ expiresInMs: Math.round(token.expiresAtMs - token.obtainedAtMs) }, 'IDP token obtained');
          },
          (err: unknown) => {
            const reason = this.redact(requestFailureReason(err, this.options.requestTimeoutMs), 200);
            const count = (this.tokenFailure?.count ?? 0) + 1;
            if (this.tokenFailure?.reason !== reason) this.options.log.warn({ reason }, 'IDP token request failed');
            this.tokenFailure = { reason, count, retryAtMs: monotonicMs() + Math.min(tokenRetryMaxMs, tokenRetryMinMs * 2 ** Math.min(count - 1, 10)) };
          },
        )
        .finally(() => {
          this.tokenRequest = null;
        });
    }
    return this.tokenRequest;
  }

  /** OAuth 2 password grant at the IDP (client GrantValidatorClient, as XProtect clients use). */
  private async fetchToken(): Promise<CachedToken> {
    const { username, password, tokenUrl } = this.options;
    const signal = AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.options.requestTimeoutMs)]);
    const res = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'password', username, password, client_id: 'GrantValidatorClient' }).toString(),
      signal,
    });
    const obtainedAtMs = monotonicMs();
    let body: { access_token?: unknown; expires_in?: unknown; error?: unknown } = {};
    try {
      body = JSON.parse(await readBoundedOrFail(res, maxTokenAnswerBytes)) as typeof body;
    } catch (err) {
      if (err instanceof RequestFailure) throw err;
      // Not JSON: the status says enough.
    }
    if (res.status !== 200 || typeof body.access_token !== 'string' || body.access_token === '') {
      // OAuth error codes are short ASCII words (invalid_grant); anything else is not shown.
      const code = typeof body.error === 'string' && /^[\w.-]{1,64}$/.test(body.error) ? body.error : `HTTP ${res.status}`;
      throw new RequestFailure(res.status === 200 ? 'no access_token in the answer' : code);
    }
    const expiresInS = Number(body.expires_in);
    const lifetimeMs = Number.isFinite(expiresInS) && expiresInS > 0 ? expiresInS * 1000 : defaultTokenLifetimeMs;
    return {
      value: body.access_token,
      obtainedAtMs,
      renewAtMs: obtainedAtMs + lifetimeMs - Math.min(tokenRenewMarginMs, lifetimeMs / 2),
      expiresAtMs: obtainedAtMs + lifetimeMs,
    };
  }
}
