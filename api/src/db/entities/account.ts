import { EntitySchema } from 'typeorm';
import type { Role } from '../../model/vocabulary.js';

/** Someone who signs in to the console or owns API tokens. */
export interface AccountRow {
  id: string;
  /** Lower case, unique. */
  username: string;
  role: Role;
  /** scrypt, PHC string format, with its salt and parameters (auth/password.ts). Never returned by the API. */
  passwordHash: string;
  passwordChangedAt: Date;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export const AccountEntity = new EntitySchema<AccountRow>({
  name: 'Account',
  tableName: 'account',
  columns: {
    id: { type: String, length: 36, primary: true },
    username: { type: String, length: 64 },
    role: { type: String, length: 16 },
    passwordHash: { type: String, length: 255, name: 'password_hash' },
    passwordChangedAt: { type: Date, name: 'password_changed_at' },
    lastLoginAt: { type: Date, nullable: true, name: 'last_login_at' },
    createdAt: { type: Date, createDate: true, name: 'created_at' },
    updatedAt: { type: Date, updateDate: true, name: 'updated_at' },
    version: { type: 'int', version: true },
  },
  indices: [{ name: 'UQ_account_username', columns: ['username'], unique: true }],
});
