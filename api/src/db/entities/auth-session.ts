import { EntitySchema } from 'typeorm';

/** A console sign-in. The cookie holds a random secret; only its SHA-256 is stored. */
export interface AuthSessionRow {
  id: string;
  accountId: string;
  /** SHA-256 (hex) of the cookie's value. */
  secretHash: string;
  createdAt: Date;
  /** Absolute end: createdAt + auth.sessionTtlMs. */
  expiresAt: Date;
  /** Address the login came from. */
  address: string | null;
}

export const AuthSessionEntity = new EntitySchema<AuthSessionRow>({
  name: 'AuthSession',
  tableName: 'auth_session',
  columns: {
    id: { type: String, length: 36, primary: true },
    accountId: { type: String, length: 36, name: 'account_id' },
    secretHash: { type: String, length: 64, name: 'secret_hash' },
    createdAt: { type: Date, name: 'created_at' },
    expiresAt: { type: Date, name: 'expires_at' },
    address: { type: String, length: 64, nullable: true },
  },
  indices: [
    { name: 'UQ_auth_session_secret_hash', columns: ['secretHash'], unique: true },
    { name: 'IDX_auth_session_account', columns: ['accountId'] },
    { name: 'IDX_auth_session_expires_at', columns: ['expiresAt'] },
  ],
});
