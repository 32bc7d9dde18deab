import { createPublicKey, createPrivateKey, generateKeyPairSync, createHash, sign, verify, type KeyObject, type JsonWebKey } from 'node:crypto';

/**
 * Bearer tokens as the lab's IDP issues them: JWTs signed with RS256, whose public keys are
 * published as a JWKS, so a recorder can check a token without calling the management server
 * (and keeps doing so while it is down). Only what the lab needs: no other algorithms.
 */

export const MAX_TOKEN_CHARS = 8192;

export interface TokenClaims {
  readonly iss: string;
  readonly aud: string;
  readonly sub: string;
  readonly name: string;
  readonly client_id: string;
  readonly scope: readonly string[];
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly jti: string;
}

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: JsonWebKey & { kid: string; alg: 'RS256'; use: 'sig' };
}

/** Creates a fresh RSA signing key. */
export function generateSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return signingKeyFrom(privateKey);
}

/** Loads a signing key from PKCS#8 PEM. */
export function signingKeyFromPem(pem: string): SigningKey {
  return signingKeyFrom(createPrivateKey(pem));
}

function signingKeyFrom(privateKey: KeyObject): SigningKey {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const kid = createHash('sha256').update(`${jwk.n ?? ''}.${jwk.e ?? ''}`).digest('base64url').slice(0, 16);
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
}

export function privateKeyPem(key: SigningKey): string {
  return key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Signs claims into a compact JWT. */
export function signToken(claims: TokenClaims, key: SigningKey): string {
  const data = `${b64json({ alg: 'RS256', typ: 'JWT', kid: key.kid })}.${b64json(claims)}`;
  const signature = sign('sha256', Buffer.from(data, 'ascii'), key.privateKey).toString('base64url');
  return `${data}.${signature}`;
}

export type VerifyResult = { readonly ok: true; readonly claims: TokenClaims } | { readonly ok: false; readonly reason: 'malformed' | 'unknown-key' | 'bad-signature' | 'expired' | 'not-yet-valid' };

/** Public keys by key id, as read from a JWKS document. */
export type KeyRing = ReadonlyMap<string, KeyObject>;

export function keyRingFromJwks(jwks: unknown): Map<string, KeyObject> {
  const ring = new Map<string, KeyObject>();
  const keys = (jwks as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) throw new Error('JWKS has no keys array');
  for (const jwk of keys.slice(0, 16) as Array<JsonWebKey & { kid?: string }>) {
    if (typeof jwk.kid !== 'string' || jwk.kty !== 'RSA') continue;
    ring.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
  }
  return ring;
}

/**
 * Checks a token's signature and validity period. `skewSeconds` tolerates small clock
 * differences between the issuer and the checker.
 */
export function verifyToken(token: string, keys: KeyRing, nowMs: number, skewSeconds = 5): VerifyResult {
  if (token.length === 0 || token.length > MAX_TOKEN_CHARS) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  let header: { alg?: unknown; kid?: unknown };
  let claims: TokenClaims;
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as { alg?: unknown; kid?: unknown };
    claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (header.alg !== 'RS256' || typeof header.kid !== 'string') return { ok: false, reason: 'malformed' };
  const key = keys.get(header.kid);
  if (key === undefined) return { ok: false, reason: 'unknown-key' };
  const valid = verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`, 'ascii'), key, Buffer.from(signaturePart, 'base64url'));
  if (!valid) return { ok: false, reason: 'bad-signature' };
  if (typeof claims.exp !== 'number' || typeof claims.nbf !== 'number') return { ok: false, reason: 'malformed' };
  const nowSeconds = nowMs / 1000;
  if (claims.exp <= nowSeconds - skewSeconds) return { ok: false, reason: 'expired' };
  if (claims.nbf > nowSeconds + skewSeconds) return { ok: false, reason: 'not-yet-valid' };
  return { ok: true, claims };
}

/** The key id a token names, without checking anything else (to decide whether to refresh a JWKS). */
export function tokenKeyId(token: string): string | null {
  if (token.length > MAX_TOKEN_CHARS) return null;
  const headerPart = token.split('.')[0] ?? '';
  try {
    const header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as { kid?: unknown };
    return typeof header.kid === 'string' ? header.kid : null;
  } catch {
    return null;
  }
}
