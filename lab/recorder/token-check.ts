export type TokenVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: 'missing' | 'invalid' | 'expired' | 'not-loaded' };

/** What the management server says of a token: valid until when, or not valid (null: it could not be asked). */
export type TokenLookupAnswer = { readonly valid: true; readonly expiresAtMs: number } | { readonly valid: false };

export interface TokenCheckOptions {
  /** Tokens remembered at most (the oldest answer goes first). */
  readonly cacheEntriesMax: number;
  /** How long a "not valid" answer, or a failed lookup, is remembered: a client retrying at 4 Hz asks once. */
  readonly negativeCacheMs: number;
}

export const defaultTokenCheckOptions: TokenCheckOptions = { cacheEntriesMax: 4096, negativeCacheMs: 1_000 };

/**
 * `TOKEN#<guid>#<host>//ServerConnector#`, the VMS token of ServerCommandService Login (public
 * captures of a Login answer and of ImageServer `connectiontoken`s; xprotect-integration.md 0a).
 */
const VMS_TOKEN_SHAPE = /^TOKEN#[0-9a-fA-F-]{36}#[^#\s]{1,255}\/\/ServerConnector#$/;

type CacheEntry = { readonly valid: true; readonly expiresAtMs: number } | { readonly valid: false; readonly forgetAtMs: number };

/**
 * Checks the tokens clients present (SOAP `token`, ImageServer `connectiontoken`): only VMS
 * tokens its management server issued and that have not expired. An IDP access token (a JWT) is
 * "Token invalid" (SubErrorNumber 2), as a real recorder answers it (public capture,
 * xprotect-integration.md 0a). The recorder asks its management server (`lookup`) and caches a
 * valid answer until the token's expiry, so that it keeps accepting the tokens it has seen
 * while the management server is down; a token it has not seen cannot be checked then, and is
 * refused.
 */
export class TokenChecker {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<TokenLookupAnswer | null>>();

  constructor(
    private readonly lookup: (token: string) => Promise<TokenLookupAnswer>,
    private readonly options: TokenCheckOptions = defaultTokenCheckOptions,
  ) {}

  async check(token: string | undefined, nowMs: () => number): Promise<TokenVerdict> {
    const value = token?.trim() ?? '';
    if (value.length === 0) return { ok: false, reason: 'missing' };
    if (!VMS_TOKEN_SHAPE.test(value)) return { ok: false, reason: 'invalid' };
    const cached = this.cache.get(value);
    if (cached !== undefined) {
      if (cached.valid && nowMs() < cached.expiresAtMs) return { ok: true };
      if (!cached.valid && nowMs() < cached.forgetAtMs) return { ok: false, reason: 'invalid' };
      // A valid answer past its expiry is asked again: a renewal may have extended it.
    }
    const answer = await this.ask(value);
    const now = nowMs();
    if (answer !== null && answer.valid && now < answer.expiresAtMs) {
      this.remember(value, { valid: true, expiresAtMs: answer.expiresAtMs });
      return { ok: true };
    }
    this.remember(value, { valid: false, forgetAtMs: now + this.options.negativeCacheMs });
    return { ok: false, reason: cached?.valid === true ? 'expired' : 'invalid' };
  }

  /** One lookup per token at a time; a failed lookup (management server down) is null. */
  private ask(token: string): Promise<TokenLookupAnswer | null> {
    let pending = this.inFlight.get(token);
    if (pending === undefined) {
      pending = this.lookup(token)
        .catch(() => null)
        .finally(() => this.inFlight.delete(token));
      this.inFlight.set(token, pending);
    }
    return pending;
  }

  private remember(token: string, entry: CacheEntry): void {
    this.cache.delete(token);
    this.cache.set(token, entry);
    while (this.cache.size > this.options.cacheEntriesMax) {
      const oldest = this.cache.keys().next();
      if (oldest.done === true) break;
      this.cache.delete(oldest.value);
    }
  }
}
