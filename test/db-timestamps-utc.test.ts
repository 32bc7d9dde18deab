// PostgreSQL's time columns hold UTC whatever the controller's time zone (data-source.ts): two
// controllers on one database in different zones read the same instants (lease expiries,
// shared status, events). Each side runs in its own process with its own TZ, as two hosts would.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createPostgresDatabase, postgresUrl, type TestDatabase } from './helpers/postgres.js';

const run = promisify(execFile);
const dataSourceModule = fileURLToPath(new URL('../api/src/db/data-source.ts', import.meta.url));

/** Runs `body` (an async function of `ds`, the controller's DataSource) in a process whose TZ is `tz`; returns what it prints. */
async function inZone(tz: string, url: string, body: string): Promise<string> {
  const script = `
    import { createDataSource } from ${JSON.stringify(dataSourceModule)};
    const ds = createDataSource({ url: ${JSON.stringify(url)}, dataDir: '/nonexistent', connectTimeoutMs: 5000, queryTimeoutMs: 5000 });
    await ds.initialize();
    try { process.stdout.write(String(await (${body})(ds))); } finally { await ds.destroy(); }`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, TZ: tz }, timeout: 60_000 });
  return stdout;
}

if (postgresUrl !== undefined) {
  describe('PostgreSQL time columns across time zones', { timeout: 120_000 }, () => {
    let db: TestDatabase;
    const instant = '2026-12-07T04:30:15.250Z';

    before(async () => {
      db = await createPostgresDatabase(postgresUrl as string);
      await inZone('UTC', db.url, 'async (ds) => (await ds.runMigrations()).length');
    });
    after(async () => {
      await db?.drop();
    });

    test('written in Tokyo, read in Los Angeles: the same instant, stored as UTC; now() compares in UTC', async () => {
      await inZone('Asia/Tokyo', db.url, `async (ds) => ds.getRepository('ControllerLease').insert({ name: 'agent-sweep', holder: 'tokyo', epoch: 1, expiresAt: new Date(${JSON.stringify(instant)}), updatedAt: new Date(${JSON.stringify(instant)}) })`);
      const read = await inZone('America/Los_Angeles', db.url, `async (ds) => (await ds.getRepository('ControllerLease').findOneByOrFail({ name: 'agent-sweep' })).expiresAt.toISOString()`);
      assert.equal(read, instant);
      // What the column holds, as SQL sees it: the UTC wall time, whoever wrote it.
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ t: string }>(`SELECT to_char(expires_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS t FROM controller_lease`);
        assert.equal(rows[0]?.t, instant);
      } finally {
        await client.end();
      }
      // A controller's session compares stored times with now() in UTC: a time written a moment ago is in the last minute.
      const fresh = await inZone('Pacific/Kiritimati', db.url, `async (ds) => { await ds.query("UPDATE controller_lease SET updated_at = $1", [new Date()]); const [r] = await ds.query("SELECT (now() - updated_at) < interval '1 minute' AND (now() - updated_at) > interval '-1 minute' AS ok FROM controller_lease"); return r.ok; }`);
      assert.equal(fresh, 'true');
    });
  });
}
