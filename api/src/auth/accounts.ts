// Accounts: the admin created at first start, the users an admin manages, and changing one's
// own password. Every change is one transaction that also writes its audit entry. Passwords
// are hashed (scrypt, ~100 ms) before a transaction opens, never inside one: on SQLite a
// transaction holds the whole database until it ends.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Database } from '../db/database.js';
import { AccountEntity, ApiTokenEntity, AuditEntryEntity, type AccountRow } from '../db/entities/index.js';
import { isUniqueViolation } from '../db/errors.js';
import { auditRow, type Actor } from '../domain/audit.js';
import { DomainError, notFound, problem, validationFailed } from '../domain/errors.js';
import type { User, UserCreate, UserUpdate } from '../model/account.js';
import type { Identity } from './identity.js';
import { accountThrottleKey, loginRateLimited, type LoginThrottle } from './login-throttle.js';
import { generatePassword, hashPassword, verifyPassword } from './password.js';
import { IdentityCache } from './identity-cache.js';
import { deleteSessionsOfAccount, deleteTokens, deleteTokensOfAccount } from './revoke.js';

/** Most accounts listed; a controller has a handful. */
export const accountListMax = 1_000;

/** The first admin: made once, when the database holds no account. */
export type AdminBootstrap = { readonly created: false } | { readonly created: true; readonly username: string; readonly generatedPassword: string | null };

export function userView(row: AccountRow): User {
  const iso = (d: Date | null): string | null => (d === null ? null : (d instanceof Date ? d : new Date(d)).toISOString());
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    createdAt: iso(row.createdAt) as string,
    updatedAt: iso(row.updatedAt) as string,
    passwordChangedAt: iso(row.passwordChangedAt) as string,
    lastLoginAt: iso(row.lastLoginAt),
  };
}

export class AccountService {
  constructor(
    private readonly db: Database,
    private readonly throttle: LoginThrottle,
    /** Cleared after every change that may revoke a session or token (see identity-cache.ts). */
    private readonly identities: IdentityCache = new IdentityCache(),
  ) {}

  /**
   * Creates the admin account when there is no account at all, with the configured password
   * or a generated one (returned, so that the caller prints it once). Safe against a second
   * controller doing the same: the unique user name lets only one win.
   */
  async ensureAdmin(username: string, password: string | undefined): Promise<AdminBootstrap> {
    const repo = this.db.dataSource.getRepository(AccountEntity);
    if ((await repo.count({ take: 1 })) > 0) return { created: false };
    const chosen = password ?? generatePassword();
    const passwordHash = await hashPassword(chosen);
    const now = new Date();
    try {
      await this.db.dataSource.transaction(async (m) => {
        await m.insert(AccountEntity, { id: randomUUID(), username, role: 'admin', passwordHash, passwordChangedAt: now, lastLoginAt: null, version: 1 });
        await m.insert(AuditEntryEntity, auditRow({ name: 'controller', address: null }, 'account.create', `account/${username}`, 'success'));
      });
    } catch (err) {
      if (isUniqueViolation(err)) return { created: false };
      throw err;
    }
    return { created: true, username, generatedPassword: password === undefined ? chosen : null };
  }

  async list(): Promise<User[]> {
    const rows = await this.db.dataSource.getRepository(AccountEntity).find({ order: { username: 'ASC' }, take: accountListMax });
    return rows.map(userView);
  }

  async create(input: UserCreate, actor: Actor): Promise<User> {
    const target = `account/${input.username}`;
    const passwordHash = await hashPassword(input.password);
    return this.audited(actor, 'account.create', target, async (m) => {
      const now = new Date();
      const row = { id: randomUUID(), username: input.username, role: input.role, passwordHash, passwordChangedAt: now, lastLoginAt: null, version: 1 };
      await m.insert(AccountEntity, row);
      return userView(await m.findOneByOrFail(AccountEntity, { id: row.id }));
    });
  }

  /**
   * Changes a role or sets a new password. A new password (a reset, after a forgotten or leaked
   * one) ends every session of the account and revokes every API token it has: whoever held the
   * old password may have made them.
   */
  async update(id: string, patch: UserUpdate, actor: Actor): Promise<User> {
    const current = await this.get(id);
    const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
    return this.audited(actor, passwordHash !== undefined ? 'account.password-reset' : 'account.update', `account/${current.username}`, async (m) => {
      const row = await m.findOneBy(AccountEntity, { id });
      if (row === null) throw notFound('user', id);
      if (patch.role !== undefined && patch.role !== 'admin' && row.role === 'admin') await this.keepAnAdmin(m, id, 'demote');
      const next: Partial<AccountRow> = { ...(patch.role !== undefined ? { role: patch.role } : {}) };
      if (passwordHash !== undefined) {
        next.passwordHash = passwordHash;
        next.passwordChangedAt = new Date();
        await deleteSessionsOfAccount(m, id);
        await deleteTokensOfAccount(m, id);
      }
      await m.save(AccountEntity, { ...row, ...next });
      return userView(await m.findOneByOrFail(AccountEntity, { id }));
    });
  }

  /** Deletes an account with its sessions and tokens. */
  async remove(id: string, actor: Actor): Promise<void> {
    const current = await this.get(id);
    await this.audited(actor, 'account.delete', `account/${current.username}`, async (m) => {
      const row = await m.findOneBy(AccountEntity, { id });
      if (row === null) throw notFound('user', id);
      if (row.role === 'admin') await this.keepAnAdmin(m, id, 'delete');
      await deleteSessionsOfAccount(m, id);
      const tokens = await m.find(ApiTokenEntity, { select: { id: true }, where: { accountId: id } });
      await deleteTokens(m, tokens.map((t) => t.id));
      await m.delete(AccountEntity, { id });
    });
  }

  /**
   * Changes the caller's own password after checking the current one, ends the caller's other
   * sessions and revokes every API token of the account, the caller's own when it signed in with
   * one: whoever held the old password may have made them. The session the change came from stays.
   * A wrong current password counts as a failed login.
   */
  async changePassword(identity: Identity, currentPassword: string, newPassword: string, address: string | null): Promise<void> {
    const actor: Actor = { name: identity.username, address };
    const target = `account/${identity.username}`;
    // Counted like a login of this account, reserved before the check so that parallel guesses cannot slip past.
    const reservation = this.throttle.reserve(accountThrottleKey(identity.accountId), address ?? 'unknown');
    if (!reservation.allowed) throw loginRateLimited(reservation);
    const row = await this.db.dataSource.getRepository(AccountEntity).findOneBy({ id: identity.accountId }).catch((err: unknown) => {
      reservation.attempt.cancel();
      throw err;
    });
    if (row === null) {
      reservation.attempt.cancel();
      throw notFound('user', identity.accountId);
    }
    let valid: boolean;
    try {
      valid = await verifyPassword(currentPassword, row.passwordHash);
    } catch (err) {
      reservation.attempt.cancel();
      throw err;
    }
    if (!valid) {
      reservation.attempt.failed();
      await this.db.dataSource.getRepository(AuditEntryEntity).insert(auditRow(actor, 'account.password-change', target, 'failure')).catch(() => {});
      throw validationFailed([{ path: '/body/currentPassword', message: 'is not the current password' }]);
    }
    reservation.attempt.succeeded();
    const passwordHash = await hashPassword(newPassword);
    await this.db.dataSource.transaction(async (m) => {
      await m.update(AccountEntity, { id: row.id }, { passwordHash, passwordChangedAt: new Date() });
      await deleteSessionsOfAccount(m, row.id, identity.via === 'session' ? identity.credentialId : undefined);
      await deleteTokensOfAccount(m, row.id);
      await m.insert(AuditEntryEntity, auditRow(actor, 'account.password-change', target, 'success'));
    });
    this.identities.clear();
  }

  private async get(id: string): Promise<AccountRow> {
    const row = await this.db.dataSource.getRepository(AccountEntity).findOneBy({ id });
    if (row === null) throw notFound('user', id);
    return row;
  }

  /**
   * Refuses to remove the last admin. The admins' rows are locked first where the database
   * can (SQLite transactions take turns anyway), so that two concurrent demotions cannot both pass.
   */
  private async keepAnAdmin(m: EntityManager, id: string, what: 'demote' | 'delete'): Promise<void> {
    const query = m.createQueryBuilder(AccountEntity, 'a').where('a.role = :role', { role: 'admin' });
    if (this.db.dialect !== 'sqlite') query.setLock('pessimistic_write');
    const admins = await query.getMany();
    if (admins.every((a) => a.id === id)) throw problem('last-admin', `This is the only admin account; make another admin before you ${what} it`);
  }

  /** Runs a change with its audit entry in one transaction; a refused change is audited as a failure. */
  private async audited<T>(actor: Actor, action: string, target: string, work: (m: EntityManager) => Promise<T>): Promise<T> {
    const source = this.db.dataSource;
    try {
      const result = await source.transaction(async (m) => {
        const result = await work(m);
        await m.insert(AuditEntryEntity, auditRow(actor, action, target, 'success'));
        return result;
      });
      // A role change, password reset or deletion must bite at the next request.
      this.identities.clear();
      return result;
    } catch (err) {
      const mapped = isUniqueViolation(err) ? problem('username-taken', `An account named ${target.slice('account/'.length)} already exists`) : err;
      if (mapped instanceof DomainError) await source.getRepository(AuditEntryEntity).insert(auditRow(actor, action, target, 'failure')).catch(() => {});
      throw mapped;
    }
  }
}
