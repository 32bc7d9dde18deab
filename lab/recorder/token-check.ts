import type { KeyObject } from 'node:crypto';
import { keyRingFromJwks, tokenKeyId, verifyToken } from '../shared/jwt.js';

export type TokenVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: 'missing' | 'invalid' | 'expired' | 'not-loaded' };

/**
 * Checks the tokens clients present (SOAP `token`, ImageServer `connectiontoken`) against the
 * IDP's public keys, which the recorder fetched with its configuration. A token signed with a
 * key the recorder does not know asks for a key refresh (at most every `refreshMinIntervalMs`).
 */
export class TokenChecker {
  private keys = new Map<string, KeyObject>();
  private lastRefreshRequestMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly requestKeyRefresh: () => void,
    private readonly refreshMinIntervalMs = 10_000,
  ) {}

  setJwks(jwks: unknown): void {
    this.keys = keyRingFromJwks(jwks);
  }

  check(token: string | undefined, nowMs: number): TokenVerdict {
    if (token === undefined || token.trim().length === 0) return { ok: false, reason: 'missing' };
    if (this.keys.size === 0) return { ok: false, reason: 'not-loaded' };
    const verdict = verifyToken(token.trim(), this.keys, nowMs);
    if (verdict.ok) return { ok: true };
    if (verdict.reason === 'unknown-key') {
      const kid = tokenKeyId(token.trim());
      if (kid !== null && nowMs - this.lastRefreshRequestMs > this.refreshMinIntervalMs) {
        this.lastRefreshRequestMs = nowMs;
        this.requestKeyRefresh();
      }
    }
    return { ok: false, reason: verdict.reason === 'expired' ? 'expired' : 'invalid' };
  }
}
