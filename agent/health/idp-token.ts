// An IDP token of the agent (OAuth 2 password grant at the Management Server's Identity
// Provider, client GrantValidatorClient, as XProtect clients log in). Each user of tokens has a
// source of its own: the recorder probe (SOAP, 4 Hz) and the camera names (REST, once a
// minute), so that a token one server rejects (and drops) never leaves the other without one.
// It is cached for most of its lifetime, renewed in the background before it ends, and after a
// failed request the next one waits 1 s, 2 s, 4 s … up to 30 s, so that no caller makes us hit
// the IDP at 4 Hz (token-cache.ts).
import type { Logger } from 'pino';
import { readBoundedOrFail, RequestFailure } from '../shared/request-failure.js';
import { TokenCache, type TokenGrant } from './token-cache.js';
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
const maxTokenAnswerBytes = 64 * 1024;

const monotonicMs = (): number => performance.now();

/**
 * A cached IDP token for one user of tokens (calls from it may overlap).
 *
 * @example
 *   const tokens = new IdpTokenSource({ tokenUrl: 'http://ms/IDP/connect/token', username, password, requestTimeoutMs: 10_000, log });
 *   const token = await tokens.valid(signal); // throws RequestFailure('token request failed: connection refused')
 */
export class IdpTokenSource implements TokenSource {
  private readonly cache: TokenCache;

  constructor(private readonly options: IdpTokenOptions) {
    this.cache = new TokenCache({
      kind: 'IDP token',
      request: (signal) => this.fetchToken(signal),
      requestTimeoutMs: options.requestTimeoutMs,
      failureMessage: (reason) => `token request failed: ${reason}`,
      replacement: 'requesting a new one',
      redact: (reason, maxLength) => this.redact(reason, maxLength),
      jitter: false,
      log: options.log,
    });
  }

  /** No token yet and a request for one in flight (for a caller's timeout message). */
  waiting(): boolean {
    return this.cache.waiting();
  }

  /** A token valid now: the cached one (renewed in the background near its end), or a new one. */
  valid(signal: AbortSignal): Promise<string> {
    return this.cache.valid(signal);
  }

  /**
   * Whether to retry after a server (`by`, for the log) rejected `rejected`; drops it from the
   * cache if so, at most every few seconds.
   */
  dropRejected(rejected: string, by: string): boolean {
    return this.cache.dropRejected(rejected, by);
  }

  /** Defence in depth: no reason ever carries the password or a token, whatever a server echoes. */
  redact(reason: string, maxLength: number): string {
    let safe = reason;
    for (const secret of [this.options.password, ...this.cache.secrets()]) {
      if (secret.length >= 4) safe = safe.split(secret).join('***');
    }
    return safe.length > maxLength ? `${safe.slice(0, maxLength - 1)}…` : safe;
  }

  /** Aborts a token request in flight; later calls of `valid` fail. */
  close(): Promise<void> {
    return this.cache.close();
  }

  /** OAuth 2 password grant at the IDP (client GrantValidatorClient, as XProtect clients use). */
  private async fetchToken(signal: AbortSignal): Promise<TokenGrant> {
    const { username, password, tokenUrl } = this.options;
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
    return { value: body.access_token, obtainedAtMs, lifetimeMs };
  }
}
