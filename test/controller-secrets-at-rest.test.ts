// Secrets at rest, against `twinrec serve` as a real process: the data folder 0700 and its
// files 0600 (the WAL too), the cluster secret encrypted in SQLite and PostgreSQL and read back
// after a restart, plain-text secrets from before sealed at start, and a missing or wrong key
// file refusing the start with nothing changed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { formatSecretsKey } from '../api/src/db/secrets-key.js';
import { registration, secretFor } from './helpers/agent-reports.js';
import { createPostgresDatabase, postgresUrl } from './helpers/postgres.js';
import { runTwinrec, runTwinrecToEnd, testScratch, type TwinrecProcess } from './helpers/process.js';

const { tempDir, running } = testScratch('twinrec-secrets-');

// Registration may claim a cluster only with trust on first use; these tests are about what is stored.
const env = { TWINREC_AGENTS_TRUST_ON_FIRST_USE: 'true', TWINREC_AUTH_ADMIN_PASSWORD: 'secrets-at-rest-admin' };

async function serve(args: string[]): Promise<{ proc: TwinrecProcess; url: string }> {
  const proc = runTwinrec(['serve', '--port', '0', '--log-format', 'json', ...args], { env });
  running.push(proc);
  const line = await proc.waitForLine((l) => l.includes('"listening"'), 60_000);
  return { proc, url: (JSON.parse(line) as { url: string }).url };
}

async function register(url: string, cluster: string, secret: string): Promise<number> {
  const response = await fetch(`${url}/api/v1/agent/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify(registration(cluster, `${cluster}-a`, `${cluster}-b`, 0)),
  });
  await response.arrayBuffer();
  return response.status;
}

const modeOf = (path: string): number => statSync(path).mode & 0o777;

function storedSqliteSecret(database: string, cluster: string): string | null {
  const db = new Sqlite(database, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT agent_secret AS secret FROM cluster WHERE name = ?').get(cluster) as { secret: string | null } | undefined;
    return row?.secret ?? null;
  } finally {
    db.close();
  }
}

describe('secrets at rest on SQLite (twinrec serve)', () => {
  const root = tempDir();
  const dataDir = join(root, 'data');
  const database = join(dataDir, 'twinrec.sqlite');
  const keyFile = join(dataDir, 'secrets.key');
  const secret = secretFor('AtRest');

  test('the data folder is 0700, the database, its WAL and the key file 0600; the secret is in none of them', async () => {
    mkdirSync(dataDir, { mode: 0o755 });
    const { proc, url } = await serve(['--data-dir', dataDir]);
    assert.equal(modeOf(dataDir), 0o700, 'an existing open data folder is tightened');
    assert.equal(await register(url, 'AtRest', secret), 200);
    for (const file of [database, `${database}-wal`, `${database}-shm`, keyFile]) {
      assert.ok(existsSync(file), `${file} exists while the controller runs`);
      assert.equal(modeOf(file), 0o600, file);
    }
    const needle = Buffer.from(secret, 'utf8');
    for (const file of [database, `${database}-wal`]) assert.equal(readFileSync(file).indexOf(needle), -1, `the secret's bytes are not in ${file}`);
    assert.equal(await proc.stop('SIGTERM'), 0);
    assert.match(proc.stderr(), /tightened permissions/, 'the controller said it tightened the folder');
    assert.equal(readFileSync(database).indexOf(needle), -1, 'nor in the database after the WAL is checkpointed');
    assert.match(storedSqliteSecret(database, 'AtRest') ?? '', /^enc:v1:[0-9a-f]{16}:/);
  });

  test('after a restart the agent still authenticates, and a wrong secret does not', async () => {
    const { proc, url } = await serve(['--data-dir', dataDir]);
    assert.equal(await register(url, 'AtRest', secret), 200);
    assert.equal(await register(url, 'AtRest', secretFor('AtRest')), 401);
    assert.equal(await proc.stop('SIGTERM'), 0);
  });

  test('a missing or a wrong key file refuses the start, exit 1, with nothing changed', async () => {
    const stored = storedSqliteSecret(database, 'AtRest');
    renameSync(keyFile, `${keyFile}.bak`);
    const missing = await runTwinrecToEnd(['serve', '--port', '0', '--data-dir', dataDir, '--log-format', 'json'], { env });
    assert.equal(missing.code, 1, missing.stderr);
    assert.match(missing.stderr, /encrypted cluster secret\(s\).*the key file .*secrets\.key does not exist.*Restore the key file/s);
    assert.equal(existsSync(keyFile), false, 'no new key file was made');

    writeFileSync(keyFile, formatSecretsKey(randomBytes(32)), { mode: 0o600 });
    const wrong = await runTwinrecToEnd(['serve', '--port', '0', '--data-dir', dataDir, '--log-format', 'json'], { env });
    assert.equal(wrong.code, 1, wrong.stderr);
    assert.match(wrong.stderr, /holds key [0-9a-f]{16}, which does not open them/);
    assert.equal(storedSqliteSecret(database, 'AtRest'), stored, 'the stored secret is as it was');

    renameSync(`${keyFile}.bak`, keyFile);
    const { proc, url } = await serve(['--data-dir', dataDir]);
    assert.equal(await register(url, 'AtRest', secret), 200, 'the right key file back: the agent authenticates');
    assert.equal(await proc.stop('SIGTERM'), 0);
  });

  test('a secret stored in plain text before encryption is sealed at start and still authenticates', async () => {
    const plain = secretFor('Legacy');
    const { proc, url } = await serve(['--data-dir', dataDir]);
    assert.equal(await register(url, 'Legacy', plain), 200);
    assert.equal(await proc.stop('SIGTERM'), 0);
    const db = new Sqlite(database);
    db.prepare('UPDATE cluster SET agent_secret = ? WHERE name = ?').run(plain, 'Legacy');
    db.close();

    const again = await serve(['--data-dir', dataDir]);
    assert.match(storedSqliteSecret(database, 'Legacy') ?? '', /^enc:v1:/);
    assert.equal(await register(again.url, 'Legacy', plain), 200);
    assert.equal(await again.proc.stop('SIGTERM'), 0);
    assert.match(again.proc.stderr(), /cluster secrets stored in plain text \(from before encryption\) are now encrypted/);
    assert.ok(!again.proc.stderr().includes(plain), 'the log carries no value');
  });
});

// PostgreSQL when TWINREC_TEST_PG_URL names a server (as every database suite does).
for (const baseUrl of postgresUrl === undefined ? [] : [postgresUrl]) describe('secrets at rest on PostgreSQL (twinrec serve)', () => {
  test('the secret is stored encrypted, the key file sits in the data folder, and a restart reads it back', async () => {
    const pgDb = await createPostgresDatabase(baseUrl);
    try {
      const dataDir = join(tempDir(), 'data');
      const secret = secretFor('Remote');
      const first = await serve(['--data-dir', dataDir, '--db', pgDb.url]);
      assert.equal(await register(first.url, 'Remote', secret), 200);
      assert.equal(await first.proc.stop('SIGTERM'), 0);
      assert.equal(modeOf(join(dataDir, 'secrets.key')), 0o600);
      assert.equal(modeOf(dataDir), 0o700);
      const client = new pg.Client({ connectionString: pgDb.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ agent_secret: string }>('SELECT agent_secret FROM cluster WHERE name = $1', ['Remote']);
        assert.match(rows[0]?.agent_secret ?? '', /^enc:v1:[0-9a-f]{16}:/);
        assert.ok(!(rows[0]?.agent_secret ?? '').includes(secret));
      } finally {
        await client.end();
      }
      const second = await serve(['--data-dir', dataDir, '--db', pgDb.url]);
      assert.equal(await register(second.url, 'Remote', secret), 200);
      assert.equal(await register(second.url, 'Remote', secretFor('Remote')), 401);
      assert.equal(await second.proc.stop('SIGTERM'), 0);
    } finally {
      await pgDb.drop();
    }
  });
});
