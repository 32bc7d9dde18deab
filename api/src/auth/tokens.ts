// API tokens for tools: created by any signed-in account for itself, with at most its own
// role, shown once; listed and revoked by their owner, or by an admin for everyone.
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import type { Database } from '../db/database.js';
import { AccountEntity, ApiTokenEntity, AuditEntryEntity, type ApiTokenRow } from '../db/entities/index.js';
import { auditRow, type Actor } from '../domain/audit.js';
import { notFound, problem, validationFailed } from '../domain/errors.js';
import type { Token, TokenCreate, TokenCreated } from '../model/account.js';
import { digestOf, newApiToken } from './credentials.js';
import type { Identity } from './identity.js';
import { IdentityCache } from './identity-cache.js';
import { deleteTokens } from './revoke.js';
import { lowerRole, roleAtLeast } from './roles.js';

/** Most tokens listed in one answer. */
export const tokenListMax = 1_000;

const iso = (d: Date | null): string | null => (d === null ? null : (d instanceof Date ? d : new Date(d)).toISOString());

function tokenView(row: ApiTokenRow, username: string): Token {
  return { id: row.id, name: row.name, role: row.role, userId: row.accountId, username, createdAt: iso(row.createdAt) as string, expiresAt: iso(row.expiresAt), lastUsedAt: iso(row.lastUsedAt) };
}

export class TokenService {
  constructor(
    private readonly db: Database,
    /** Cleared when a token is revoked (see identity-cache.ts). */
    private readonly identities: IdentityCache = new IdentityCache(),
  ) {}

  /** The caller's tokens; an admin's list holds every account's. */
  async list(identity: Identity): Promise<Token[]> {
    const source = this.db.dataSource;
    const rows = await source.getRepository(ApiTokenEntity).find({ where: identity.role === 'admin' ? {} : { accountId: identity.accountId }, order: { createdAt: 'DESC', id: 'ASC' }, take: tokenListMax });
    const ids = [...new Set(rows.map((r) => r.accountId))];
    const accounts = ids.length === 0 ? [] : await source.getRepository(AccountEntity).find({ select: { id: true, username: true }, where: { id: In(ids) } });
    const names = new Map(accounts.map((a) => [a.id, a.username]));
    return rows.map((r) => tokenView(r, names.get(r.accountId) ?? ''));
  }

  /**
   * A new token for the caller's account; its secret is in the answer and nowhere else.
   *
   * A caller signed in with a token that ends cannot make one that outlives it: its new token
   * needs an `expiresAt`, no later than its own.
   *
   * @throws DomainError `forbidden` for a role above the caller's; `validation-failed` for an end in the past,
   *   or, for a token caller, no end or one after the caller's own token's.
   */
  async create(identity: Identity, input: TokenCreate, actor: Actor): Promise<TokenCreated> {
    const role = input.role ?? identity.role;
    if (!roleAtLeast(identity.role, role)) throw problem('forbidden', `A ${identity.role} cannot make a token with the ${role} role`, { role: identity.role, requiredRole: role });
    const expiresAt = input.expiresAt === undefined ? null : new Date(input.expiresAt);
    if (expiresAt !== null && expiresAt.getTime() <= Date.now()) throw validationFailed([{ path: '/body/expiresAt', message: 'must be in the future' }]);
    const ceiling = identity.via === 'token' ? identity.expiresAt : null;
    if (ceiling !== null && (expiresAt === null || expiresAt.getTime() > ceiling.getTime())) {
      throw validationFailed([{ path: '/body/expiresAt', message: `must be given and no later than ${ceiling.toISOString()}, when the token making it ends` }]);
    }
    const token = newApiToken();
    const row: ApiTokenRow = { id: randomUUID(), accountId: identity.accountId, name: input.name, role, secretHash: digestOf(token), createdAt: new Date(), expiresAt, lastUsedAt: null };
    await this.db.dataSource.transaction(async (m) => {
      await m.insert(ApiTokenEntity, row);
      await m.insert(AuditEntryEntity, auditRow(actor, 'token.create', `account/${identity.username}/token/${row.id}`, 'success'));
    });
    return { ...tokenView(row, identity.username), lastUsedAt: null, token };
  }

  /**
   * Revokes a token of the caller's (any token, for an admin); someone else's is a 404, as if it
   * did not exist.
   *
   * @throws DomainError `forbidden` for a token that may do more than the caller (an operator's
   *   viewer token revoking the account's admin token): what a token may do is its role bounded by
   *   its owner's, and a caller revokes only what it could have made.
   */
  async remove(identity: Identity, tokenId: string, actor: Actor): Promise<void> {
    const source = this.db.dataSource;
    const row = await source.getRepository(ApiTokenEntity).findOneBy({ id: tokenId });
    if (row === null || (row.accountId !== identity.accountId && identity.role !== 'admin')) {
      await source.getRepository(AuditEntryEntity).insert(auditRow(actor, 'token.delete', `token/${tokenId}`, 'failure')).catch(() => {});
      throw notFound('token', tokenId);
    }
    const owner = await source.getRepository(AccountEntity).findOneBy({ id: row.accountId });
    const targetRole = owner === null ? row.role : lowerRole(row.role, owner.role);
    if (!roleAtLeast(identity.role, targetRole)) {
      await source.getRepository(AuditEntryEntity).insert(auditRow(actor, 'token.delete', `account/${owner?.username ?? row.accountId}/token/${row.id}`, 'denied')).catch(() => {});
      throw problem('forbidden', `This ${identity.via} has the ${identity.role} role; the token may act as ${targetRole}: revoke it with at least that role`, { role: identity.role, requiredRole: targetRole });
    }
    await source.transaction(async (m) => {
      await deleteTokens(m, [row.id]);
      await m.insert(AuditEntryEntity, auditRow(actor, 'token.delete', `account/${owner?.username ?? row.accountId}/token/${row.id}`, 'success'));
    });
    this.identities.clear();
  }
}
