// Who is calling: the account behind a request's session cookie or API token, and what the
// request may do.
import type { CredentialKind, UserRef } from '../model/account.js';
import type { Role } from '../model/vocabulary.js';

export interface Identity {
  readonly accountId: string;
  readonly username: string;
  /** The account's role. */
  readonly accountRole: Role;
  /** What this request may do: the account's role, bounded by the token's for token callers. */
  readonly role: Role;
  readonly via: CredentialKind;
  /** The session's or the token's id (never its secret). */
  readonly credentialId: string;
  /** When the session or token ends; null for a token without an end. */
  readonly expiresAt: Date | null;
}

/**
 * What a focus belongs to: the session, or the token for token callers.
 *
 * @example
 *   holderOf({ via: 'token', credentialId: '5f0c…' }) // 'token:5f0c…'
 */
export function holderOf(identity: Pick<Identity, 'via' | 'credentialId'>): string {
  return `${identity.via}:${identity.credentialId}`;
}

export function userRefOf(identity: Identity): UserRef {
  return { id: identity.accountId, username: identity.username, role: identity.accountRole };
}
