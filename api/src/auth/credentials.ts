// Session ids and API tokens: 32 random bytes each. The database keeps only their SHA-256, so
// a copy of it (a backup, a read-only leak) lets no one in. Lookups go by that digest; the
// secret an attacker controls is hashed before it reaches an index, so lookup timing tells
// nothing about stored values.
import { createHash, randomBytes } from 'node:crypto';

/** API tokens start with this, so that they are recognisable in a leak scanner and in logs. */
export const apiTokenPrefix = 'trk_';

const secretPattern = /^[A-Za-z0-9_-]{43}$/;
const apiTokenPattern = /^trk_[A-Za-z0-9_-]{43}$/;

/** A new session id (the cookie's value): 32 random bytes, base64url. */
export function newSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A new API token: `trk_` and 32 random bytes, base64url.
 *
 * @example
 *   newApiToken() // 'trk_J0v5…' (47 characters)
 */
export function newApiToken(): string {
  return `${apiTokenPrefix}${randomBytes(32).toString('base64url')}`;
}

/** What is stored for a session id or token: its SHA-256, hex. */
export function digestOf(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** True for text shaped like a session id; anything else is refused before a lookup. */
export function isSessionSecret(text: string): boolean {
  return secretPattern.test(text);
}

/** True for text shaped like an API token. */
export function isApiToken(text: string): boolean {
  return apiTokenPattern.test(text);
}
