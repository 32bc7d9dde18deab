// A throwaway PostgreSQL database per test file, created in the server named by
// TWINREC_TEST_PG_URL (set by .ci/run) and dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const postgresUrl: string | undefined = process.env.TWINREC_TEST_PG_URL || undefined;

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** Attempts at dropping a test database that a worker of another role still holds. */
const dropAttemptsMax = 8;

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
        // FORCE ends the test's own connections; one of another role's (an autovacuum worker on
        // the fresh database) it may not end (42501), nor may a database in use be dropped (55006):
        // such a worker finishes within moments, so try again, a bounded number of times.
        for (let attempt = 1; ; attempt += 1) {
          try {
            await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            return;
          } catch (err) {
            const code = (err as { code?: string }).code;
            if (attempt >= dropAttemptsMax || (code !== '42501' && code !== '55006')) throw err;
            await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
          }
        }
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
