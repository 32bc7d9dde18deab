// Ending sessions and tokens together with their focus rows, which have no foreign key to
// them (see the accounts migration), inside the caller's transaction.
import { In, type EntityManager } from 'typeorm';
import { ApiTokenEntity, AuthSessionEntity, FocusEntity } from '../db/entities/index.js';
import type { CredentialKind } from '../model/account.js';
import { holderOf } from './identity.js';

/** Ends sessions by id, with their focus. */
export async function deleteSessions(m: EntityManager, ids: readonly string[]): Promise<void> {
  await deleteFocusOf(m, 'session', ids);
  if (ids.length > 0) await m.delete(AuthSessionEntity, { id: In([...ids]) });
}

/** Revokes tokens by id, with their focus. */
export async function deleteTokens(m: EntityManager, ids: readonly string[]): Promise<void> {
  await deleteFocusOf(m, 'token', ids);
  if (ids.length > 0) await m.delete(ApiTokenEntity, { id: In([...ids]) });
}

/** Revokes every API token of an account (a password change or reset), with their focus. */
export async function deleteTokensOfAccount(m: EntityManager, accountId: string): Promise<number> {
  const tokens = await m.find(ApiTokenEntity, { select: { id: true }, where: { accountId } });
  // In bounded batches, like the focus rows: SQL Server takes at most 2100 parameters per statement.
  for (let i = 0; i < tokens.length; i += 500) await deleteTokens(m, tokens.slice(i, i + 500).map((t) => t.id));
  return tokens.length;
}

/** Ends every session of an account (a password change or reset), keeping `keepSessionId` when given. */
export async function deleteSessionsOfAccount(m: EntityManager, accountId: string, keepSessionId?: string): Promise<void> {
  const sessions = await m.find(AuthSessionEntity, { select: { id: true }, where: { accountId } });
  await deleteSessions(m, sessions.map((s) => s.id).filter((id) => id !== keepSessionId));
}

async function deleteFocusOf(m: EntityManager, via: CredentialKind, ids: readonly string[]): Promise<void> {
  // Bounded IN lists: SQL Server takes at most 2100 parameters per statement.
  for (let i = 0; i < ids.length; i += 500) {
    await m.delete(FocusEntity, { holder: In(ids.slice(i, i + 500).map((credentialId) => holderOf({ via, credentialId }))) });
  }
}
