// Cluster secrets through the entity, sealed at rest: the agent link's conditional update
// (`agentSecret: IsNull()`) and its reads still work on every backend. And the Database's
// secrets-key check when the database comes up after the controller: a key that does not open
// the stored cluster secrets is found on that later connection, and stops the Database for good
// (onFatal, no more retries), leaving the secrets as they were (PostgreSQL, whose database can
// be missing at start and created afterwards).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { IsNull } from 'typeorm';
import { Database } from '../api/src/db/database.js';
import { createDataSource } from '../api/src/db/data-source.js';
import { sealSecret } from '../api/src/db/secret-box.js';
import { agentSecretPurpose, installSecretsKey } from '../api/src/db/cluster-secrets.js';
import { ClusterEntity } from '../api/src/db/entities/index.js';
import { backends, postgresUrl } from './helpers/postgres.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function admin<T>(baseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

for (const backend of backends) {
  test(`a sealed secret is adopted only where there is none, and reads back as given (${backend.name})`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'twinrec-db-key-'));
    dirs.push(dataDir);
    const created = await backend.create();
    const source = createDataSource({ url: created.url ?? `sqlite:${join(dataDir, 'twinrec.sqlite')}`, dataDir, connectTimeoutMs: 2_000, queryTimeoutMs: 2_000 });
    const uninstall = installSecretsKey(randomBytes(32));
    await source.initialize();
    try {
      await source.runMigrations();
      const id = randomUUID();
      await source.getRepository(ClusterEntity).save({ id, name: 'Adopting', mode: 'cloning', sharedAddress: 'a:7563', preferredNodeId: null, failbackPolicy: 'manual', failbackHoldDownSeconds: 45, description: '' });
      const first = await source.manager.update(ClusterEntity, { id, agentSecret: IsNull() }, { agentSecret: 's3cret-first-0123456789' });
      const second = await source.manager.update(ClusterEntity, { id, agentSecret: IsNull() }, { agentSecret: 's3cret-second-0123456789' });
      assert.deepEqual([first.affected, second.affected], [1, 0], 'only the first adopts');
      const row = await source.getRepository(ClusterEntity).createQueryBuilder('c').addSelect('c.agentSecret').where('c.id = :id', { id }).getOneOrFail();
      assert.equal(row.agentSecret, 's3cret-first-0123456789');
      const raw = (await source.query(`SELECT agent_secret AS secret FROM cluster WHERE id = '${id}'`)) as { secret: string }[];
      assert.match(raw[0]?.secret ?? '', /^enc:v1:/);
    } finally {
      uninstall();
      await source.destroy();
      await created.drop();
    }
  });
}

for (const baseUrl of postgresUrl === undefined ? [] : [postgresUrl]) {
  describe('a secrets key that does not fit a database that comes up later', () => {
    test('stops the Database through onFatal, without retrying or changing the secret', async () => {
      const name = `twinrec_test_${randomBytes(6).toString('hex')}`;
      const url = new URL(baseUrl);
      url.pathname = `/${name}`;
      const dataDir = mkdtempSync(join(tmpdir(), 'twinrec-db-key-'));
      dirs.push(dataDir);
      const fatal: Error[] = [];
      const db = new Database(
        { url: url.toString(), dataDir, connectTimeoutMs: 1_000, queryTimeoutMs: 2_000, healthIntervalMs: 500, migrateOnStart: true },
        pino({ level: 'silent' }),
        () => {},
        (err) => fatal.push(err),
      );
      try {
        await db.start(); // the database does not exist yet: up, connecting in the background
        assert.equal(db.state.status, 'connecting');

        // The database appears, migrated, with a secret sealed under another key.
        await admin(baseUrl, (client) => client.query(`CREATE DATABASE ${name}`));
        const source = createDataSource({ url: url.toString(), dataDir, connectTimeoutMs: 2_000, queryTimeoutMs: 2_000 });
        await source.initialize();
        const sealed = sealSecret('s3cret-of-another-controller', randomBytes(32), agentSecretPurpose);
        try {
          await source.runMigrations();
          await source.query(`INSERT INTO cluster (id, name, mode, shared_address, preferred_node_id, failback_policy, failback_hold_down_seconds, description, version, policy_version, agent_secret) VALUES ('c0ffee00-0000-4000-8000-000000000001', 'Other', 'cloning', 'o:7563', NULL, 'manual', 45, '', 1, 1, $1)`, [sealed]);
        } finally {
          await source.destroy();
        }

        const deadline = Date.now() + 60_000;
        while (fatal.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(fatal.length, 1, 'onFatal was told');
        assert.match(fatal[0]?.message ?? '', /encrypted cluster secret\(s\).*the key file .*secrets\.key does not exist/s);
        assert.equal(db.state.status, 'unavailable');
        assert.throws(() => db.dataSource, 'nobody may use the database');
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        assert.equal(fatal.length, 1, 'no retry tells it again');
        const stored = await admin(url.toString(), (client) => client.query<{ agent_secret: string }>('SELECT agent_secret FROM cluster'));
        assert.equal(stored.rows[0]?.agent_secret, sealed, 'the secret is as it was');
      } finally {
        await db.close();
        await admin(baseUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      }
    });
  });
}
