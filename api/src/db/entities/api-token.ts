import { EntitySchema } from 'typeorm';
import type { Role } from '../../model/vocabulary.js';

/** A Bearer token for tools. Shown once at creation; only its SHA-256 is stored. */
export interface ApiTokenRow {
  id: string;
  accountId: string;
  name: string;
  /** At most its owner's role; what it may do is the lower of the two at each request. */
  role: Role;
  secretHash: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

export const ApiTokenEntity = new EntitySchema<ApiTokenRow>({
  name: 'ApiToken',
  tableName: 'api_token',
  columns: {
    id: { type: String, length: 36, primary: true },
    accountId: { type: String, length: 36, name: 'account_id' },
    name: { type: String, length: 64 },
    role: { type: String, length: 16 },
    secretHash: { type: String, length: 64, name: 'secret_hash' },
    createdAt: { type: Date, name: 'created_at' },
    expiresAt: { type: Date, nullable: true, name: 'expires_at' },
    lastUsedAt: { type: Date, nullable: true, name: 'last_used_at' },
  },
  indices: [
    { name: 'UQ_api_token_secret_hash', columns: ['secretHash'], unique: true },
    { name: 'IDX_api_token_account', columns: ['accountId'] },
  ],
});
