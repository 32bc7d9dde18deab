// A throwaway PostgreSQL database per test file, created in the server named by
// TWINREC_TEST_PG_URL (set by .ci/run) and dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const postgresUrl: string | undefined = process.env.TWINREC_TEST_PG_URL || undefined;

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

export async function createPostgresDatabase(baseUrl: string): Promise<TestDatabase> {
  const name = `twinrec_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5_000 });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The database backends every DB suite runs against: SQLite always, PostgreSQL when configured. */
export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  /** A fresh, empty database URL (undefined = SQLite in the data dir) and its cleanup. */
  create(): Promise<{ url: string | undefined; drop(): Promise<void> }>;
}

export const backends: Backend[] = [
  { name: 'sqlite', create: async () => ({ url: undefined, drop: async () => {} }) },
  ...(postgresUrl !== undefined ? [{ name: 'postgres' as const, create: () => createPostgresDatabase(postgresUrl) }] : []),
];
