// Signing in and recognising callers: console logins (rate-limited, audited) that open a
// session, logouts, and the lookup of a request's session cookie or API token.
import { randomUUID } from 'node:crypto';
import { LessThan } from 'typeorm';
import type { Database } from '../db/database.js';
import { AccountEntity, ApiTokenEntity, AuditEntryEntity, AuthSessionEntity, type AccountRow } from '../db/entities/index.js';
import type { AuditLog } from '../domain/audit-log.js';
import { usernamePattern } from '../model/vocabulary.js';
import { auditRow, type Actor } from '../domain/audit.js';
import { problem } from '../domain/errors.js';
import { digestOf, isApiToken, isSessionSecret, newSessionSecret } from './credentials.js';
import type { UserRef } from '../model/account.js';
import type { Identity } from './identity.js';
import { IdentityCache } from './identity-cache.js';
import { accountThrottleKey, loginRateLimited, nameThrottleKey, type LoginThrottle } from './login-throttle.js';
import { hashPassword, needsRehash, verifyPassword } from './password.js';
import { deleteSessions } from './revoke.js';
import { isRole, lowerRole } from './roles.js';

export interface SignedIn {
  readonly user: UserRef;
  /** The cookie's value; shown once, stored only as its digest. */
  readonly secret: string;
  readonly sessionId: string;
  readonly expiresAt: Date;
}

const usernameRegex = new RegExp(usernamePattern);

/** A token's last use is written at most this often, so that busy tools do not write on every request. */
const lastUsedWriteIntervalMs = 60_000;

export class SignInService {
  /** A hash to check unknown names against, so that a login takes as long whether or not the name exists. */
  private decoy: Promise<string> | null = null;

  constructor(
    private readonly db: Database,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditLog,
    private readonly sessionTtlMs: number,
    /** Shared with the account and token services, which clear it when they revoke. */
    readonly identities: IdentityCache = new IdentityCache(),
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Checks a user name and password and opens a session.
   *
   * The name is compared in lower case and must be an account name as accounts are made
   * (usernamePattern): any other is checked against a decoy hash and refused like a wrong
   * password, so that no variant of a name ('admin ', full-width letters) that a database
   * collation might take for an account is looked up, or counted apart from it. Failures are
   * counted against the account's id once the name is an account's, else against the name.
   *
   * @throws DomainError `login-rate-limited` (with retryAfterSeconds) before any password is checked when the
   *   account from this address, the account from too many addresses, or the address has too many recent
   *   failures; `login-busy` when too many passwords are being checked at once; `invalid-credentials` for a
   *   wrong name or password.
   */
  async login(username: string, password: string, address: string | null): Promise<SignedIn> {
    const name = username.toLowerCase();
    const from = address ?? 'unknown';
    const wellFormed = usernameRegex.test(name);
    const found = wellFormed ? await this.db.dataSource.getRepository(AccountEntity).findOneBy({ username: name }) : null;
    // The database may compare names loosely (SQL Server's case- and width-insensitive collations): only the very name counts.
    const account = found !== null && found.username === name ? found : null;
    const reservation = this.throttle.reserve(account !== null ? accountThrottleKey(account.id) : nameThrottleKey(name), from);
    // Refused attempts are not audited one by one: that would let a flood fill the log; the failures that led here are.
    if (!reservation.allowed) throw loginRateLimited(reservation);

    let valid: boolean;
    try {
      valid = (await verifyPassword(password, account?.passwordHash ?? (await this.decoyHash()))) && account !== null;
    } catch (err) {
      // No password was checked (too many at once): no failure either.
      reservation.attempt.cancel();
      throw err;
    }
    const actor: Actor = { name: name.slice(0, 64), address };
    if (account === null || !valid) {
      const after = reservation.attempt.failed();
      await this.audit.record(actor, 'auth.login', `account/${actor.name}`, 'failure');
      if (!after.allowed) throw loginRateLimited(after);
      throw problem('invalid-credentials', 'The user name or the password is wrong');
    }
    reservation.attempt.succeeded();

    const secret = newSessionSecret();
    const now = this.now();
    const session = { id: randomUUID(), accountId: account.id, secretHash: digestOf(secret), createdAt: now, expiresAt: new Date(now.getTime() + this.sessionTtlMs), address: address?.slice(0, 64) ?? null };
    // Parameters raised since this password was set: store it again at today's cost (or at a later login, when too busy now).
    const rehashed = needsRehash(account.passwordHash) ? await hashPassword(password).catch(() => null) : null;
    await this.db.dataSource.transaction(async (m) => {
      const expired = await m.find(AuthSessionEntity, { select: { id: true }, where: { expiresAt: LessThan(now) }, take: 500 });
      if (expired.length > 0) await deleteSessions(m, expired.map((s) => s.id));
      await m.insert(AuthSessionEntity, session);
      await m.update(AccountEntity, { id: account.id }, { lastLoginAt: now, ...(rehashed !== null ? { passwordHash: rehashed } : {}) });
      await m.insert(AuditEntryEntity, auditRow(actor, 'auth.login', `account/${account.username}`, 'success'));
    });
    return { user: { id: account.id, username: account.username, role: account.role }, secret, sessionId: session.id, expiresAt: session.expiresAt };
  }

  /** Ends the caller's session (a token caller has none: nothing changes) and audits it. */
  async logout(identity: Identity, address: string | null): Promise<void> {
    if (identity.via !== 'session') return;
    await this.db.dataSource.transaction(async (m) => {
      await deleteSessions(m, [identity.credentialId]);
      await m.insert(AuditEntryEntity, auditRow({ name: identity.username, address }, 'auth.logout', `account/${identity.username}`, 'success'));
    });
    this.identities.clear();
  }

  /** The caller behind a session cookie's value, or null for an unknown or expired session. */
  async fromSession(secret: string): Promise<Identity | null> {
    if (!isSessionSecret(secret)) return null;
    const digest = digestOf(secret);
    const known = this.identities.get(digest);
    if (known !== undefined) return known;
    const generation = this.identities.generation;
    const identity = await this.lookUpSession(digest);
    if (identity !== null) this.identities.set(digest, identity, generation);
    return identity;
  }

  private async lookUpSession(digest: string): Promise<Identity | null> {
    const source = this.db.dataSource;
    const session = await source.getRepository(AuthSessionEntity).findOneBy({ secretHash: digest });
    if (session === null) return null;
    if (session.expiresAt.getTime() <= this.now().getTime()) {
      await source.transaction((m) => deleteSessions(m, [session.id])).catch(() => {});
      return null;
    }
    const account = await source.getRepository(AccountEntity).findOneBy({ id: session.accountId });
    if (account === null || !isRole(account.role)) return null;
    return identityOf(account, { via: 'session', credentialId: session.id, expiresAt: session.expiresAt, role: account.role });
  }

  /** The caller behind an API token, or null for an unknown, expired or malformed one. */
  async fromToken(token: string): Promise<Identity | null> {
    if (!isApiToken(token)) return null;
    const digest = digestOf(token);
    const known = this.identities.get(digest);
    if (known !== undefined) return known;
    const generation = this.identities.generation;
    const identity = await this.lookUpToken(digest);
    if (identity !== null) this.identities.set(digest, identity, generation);
    return identity;
  }

  private async lookUpToken(digest: string): Promise<Identity | null> {
    const source = this.db.dataSource;
    const row = await source.getRepository(ApiTokenEntity).findOneBy({ secretHash: digest });
    const now = this.now();
    if (row === null || (row.expiresAt !== null && row.expiresAt.getTime() <= now.getTime()) || !isRole(row.role)) return null;
    const account = await source.getRepository(AccountEntity).findOneBy({ id: row.accountId });
    if (account === null || !isRole(account.role)) return null;
    if (row.lastUsedAt === null || now.getTime() - row.lastUsedAt.getTime() > lastUsedWriteIntervalMs) {
      // Bookkeeping only: a failure here must not fail the request.
      await source.getRepository(ApiTokenEntity).update({ id: row.id }, { lastUsedAt: now }).catch(() => {});
    }
    return identityOf(account, { via: 'token', credentialId: row.id, expiresAt: row.expiresAt, role: lowerRole(row.role, account.role) });
  }

  private decoyHash(): Promise<string> {
    // A failed hash (too busy) is not kept: the next login makes it again.
    this.decoy ??= hashPassword('decoy password never used').catch((err: unknown) => {
      this.decoy = null;
      throw err;
    });
    return this.decoy;
  }
}

function identityOf(account: AccountRow, credential: { via: Identity['via']; credentialId: string; expiresAt: Date | null; role: Identity['role'] }): Identity {
  return { accountId: account.id, username: account.username, accountRole: account.role, ...credential };
}
