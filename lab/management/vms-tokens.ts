import { createHash, randomUUID } from 'node:crypto';

/**
 * The VMS tokens of the lab's management server: what ServerCommandServiceOAuth.svc `Login`
 * issues and what its recording servers accept (xprotect-integration.md 0a, 3.1). Pure apart
 * from the random GUID in each token; time comes in as `nowMs`.
 *
 * - A token looks like `TOKEN#<guid>#<host>//ServerConnector#`, as in public captures of a real
 *   Login answer and of ImageServer `connectiontoken`s.
 * - It lives `ttlMs` (XProtect's default is 4 h: `TimeToLive` 14400000000 µs in a public
 *   capture; MilestonePSTools `Get-VmsToken.md`: "expire after 4 h by default").
 * - Login with a still-valid `currentToken` of the same `instanceId` renews it: a NEW token
 *   string with a new lifetime **(choice)**. Milestone's samples always take the token the
 *   latest Login returned (ServerCommandWrapper `BasicConnection.Login` keeps `_loginInfo`, and
 *   TcpVideoViewer sends the refreshed token to the ImageServer with `connectupdate`), so a
 *   client written like them works whether or not a real server keeps the string; a client that
 *   kept the old string would not, here. The renewed token stays valid until its own expiry, so
 *   open sessions are not cut by a renewal.
 * - A `currentToken` that is unknown, expired or another instance's is refused **(choice)**;
 *   Login with an empty one is a fresh login (Milestone's OauthLoginFlow renews that way).
 * - Tokens are held in memory: a restarted management server has forgotten them **(choice)**, and
 *   clients log in again when a recorder refuses theirs.
 */

export const VMS_TOKEN_PATTERN = /^TOKEN#[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}#[^#\s]{1,255}\/\/ServerConnector#$/;

/** XProtect's default VMS token lifetime. */
export const DEFAULT_VMS_TOKEN_TTL_MS = 4 * 3_600_000;

export interface LoginInfo {
  readonly token: string;
  readonly registrationTimeMs: number;
  readonly timeToLiveMs: number;
}

export type LoginResult = { readonly ok: true; readonly info: LoginInfo; readonly renewed: boolean } | { readonly ok: false; readonly reason: string };

export type TokenLookup = { readonly valid: true; readonly expiresAtMs: number } | { readonly valid: false; readonly reason: 'unknown' | 'expired' };

interface IssuedToken {
  readonly instanceId: string;
  /** The IDP subject the token was issued to. */
  readonly subject: string;
  readonly expiresAtMs: number;
}

export interface VmsTokenCounts {
  /** Tokens issued since start, renewals included. */
  readonly issuedTotal: number;
  /** Of those, renewals (Login with a valid currentToken). */
  readonly renewedTotal: number;
  /** Tokens held now (not yet expired or evicted). */
  readonly held: number;
}

/** Tokens are held by their SHA-256, so a lookup never compares the secret itself. */
const keyOf = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export class VmsTokenStore {
  private readonly tokens = new Map<string, IssuedToken>();
  private issuedTotal = 0;
  private renewedTotal = 0;

  /**
   * @param host the host name in issued tokens (a real server writes its machine name)
   * @param ttlMs each token's lifetime
   * @param tokensMax bound on tokens held; the oldest goes first
   */
  constructor(
    private readonly host: string,
    readonly ttlMs: number,
    private readonly tokensMax = 10_000,
  ) {
    if (!(Number.isInteger(ttlMs) && ttlMs >= 1_000)) throw new RangeError('the VMS token lifetime must be at least 1 s');
    if (!/^[^#\s/]{1,255}$/.test(host)) throw new RangeError(`not a host name for a VMS token: ${JSON.stringify(host.slice(0, 60))}`);
  }

  /** Login(instanceId, currentToken) of an authenticated IDP subject. */
  login(instanceId: string, currentToken: string, subject: string, nowMs: number): LoginResult {
    this.prune(nowMs);
    const current = currentToken.trim();
    let renewed = false;
    if (current !== '') {
      const held = this.tokens.get(keyOf(current));
      if (held === undefined || held.expiresAtMs <= nowMs) return { ok: false, reason: 'currentToken is unknown or expired' };
      if (held.instanceId !== instanceId || held.subject !== subject) return { ok: false, reason: 'currentToken belongs to another login' };
      renewed = true;
    }
    const token = `TOKEN#${randomUUID()}#${this.host}//ServerConnector#`;
    this.tokens.set(keyOf(token), { instanceId, subject, expiresAtMs: nowMs + this.ttlMs });
    this.issuedTotal += 1;
    if (renewed) this.renewedTotal += 1;
    while (this.tokens.size > this.tokensMax) {
      const oldest = this.tokens.keys().next();
      if (oldest.done === true) break;
      this.tokens.delete(oldest.value);
    }
    return { ok: true, renewed, info: { token, registrationTimeMs: nowMs, timeToLiveMs: this.ttlMs } };
  }

  /** Whether a recording server may accept `token` now, and until when. */
  lookup(token: string, nowMs: number): TokenLookup {
    const held = this.tokens.get(keyOf(token.trim()));
    if (held === undefined) return { valid: false, reason: 'unknown' };
    if (held.expiresAtMs <= nowMs) return { valid: false, reason: 'expired' };
    return { valid: true, expiresAtMs: held.expiresAtMs };
  }

  counts(nowMs: number): VmsTokenCounts {
    this.prune(nowMs);
    return { issuedTotal: this.issuedTotal, renewedTotal: this.renewedTotal, held: this.tokens.size };
  }

  /** Forgets tokens expired for a minute (until then a lookup says "expired", not "unknown"). */
  private prune(nowMs: number): void {
    for (const [key, held] of this.tokens) if (held.expiresAtMs + 60_000 <= nowMs) this.tokens.delete(key);
  }
}
