// Migrations up, down and status through the CLI, and every entity written and read back,
// on SQLite and (when TWINREC_TEST_PG_URL is set) PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installSecretsKey } from '../api/src/db/cluster-secrets.js';
import { createDataSource } from '../api/src/db/data-source.js';
import { AccountEntity, ApiTokenEntity, AuditEntryEntity, AuthSessionEntity, BackfillJobEntity, CameraGapEntity, CameraPairEntity, ClusterEntity, EventEntity, FocusEntity, NodeEntity, ServingSpanEntity } from '../api/src/db/entities/index.js';
import { backends } from './helpers/postgres.js';
import { runTwinrecToEnd } from './helpers/process.js';

const tables = ['cluster', 'node', 'camera_pair', 'event', 'audit_entry', 'account', 'auth_session', 'api_token', 'focus', 'generic_event_settings', 'failover_record', 'webhook', 'webhook_delivery', 'serving_span', 'camera_gap', 'backfill_job', 'standby_lease', 'pool_epoch', 'controller_lease', 'node_status_share', 'failover_group', 'failover_group_member', 'pool_server', 'pool_standby', 'pool_camera_level', 'pool_recorder_config', 'pool_server_state', 'pool_supervision'];
const [initial, agentLink, accounts, clusterPolicy, agentCertificate, agentSecretSealed, genericEventSettings, failoverRecords, reportingViews, webhooks, reportingRecords, standbyLeases, controllerShare, poolModel, poolSupervision, statusVersion] = ['InitialSchema1763800000000', 'AgentLink1764000000000', 'Accounts1764200000000', 'ClusterPolicy1764400000000', 'AgentCertificate1764650000000', 'AgentSecretSealed1764700000000', 'GenericEventSettings1764900000000', 'FailoverRecords1765000000000', 'ReportingViews1765100000000', 'Webhooks1765200000000', 'ReportingRecords1765300000000', 'StandbyLeases1765400000000', 'ControllerShare1765500000000', 'PoolModel1765600000000', 'PoolSupervision1765700000000', 'StatusVersion1765800000000'];
const all = [initial, agentLink, accounts, clusterPolicy, agentCertificate, agentSecretSealed, genericEventSettings, failoverRecords, reportingViews, webhooks, reportingRecords, standbyLeases, controllerShare, poolModel, poolSupervision, statusVersion];
/** The latest first, as `down` reverts them. */
const newestFirst = (count: number): string[] => all.slice(-count).reverse();
/** The tables before the generic-event settings. */
const tablesBefore = tables.slice(0, 9);

for (const backend of backends) {
  describe(`migrations on ${backend.name}`, () => {
    let dataDir: string;
    let dbUrl: string;
    let drop: () => Promise<void>;

    // The cluster secret is sealed on write (cluster-secrets.ts): the controller installs its key; here, one of the test's.
    let uninstallKey: () => void = () => {};
    before(async () => {
      uninstallKey = installSecretsKey(randomBytes(32));
      dataDir = mkdtempSync(join(tmpdir(), 'twinrec-migrate-'));
      const db = await backend.create();
      dbUrl = db.url ?? `sqlite:${join(dataDir, 'twinrec.sqlite')}`;
      drop = db.drop;
    });
    after(async () => {
      uninstallKey();
      await drop?.();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const cli = async (...args: string[]) => {
      const result = await runTwinrecToEnd(['migrate', ...args, '--json', '--db', dbUrl]);
      assert.equal(result.code, 0, result.stderr);
      return JSON.parse(result.stdout) as Record<string, unknown>;
    };

    async function hasColumn(table: string, column: string): Promise<boolean> {
      const source = createDataSource({ url: dbUrl, dataDir, connectTimeoutMs: 5_000, queryTimeoutMs: 5_000 });
      await source.initialize();
      try {
        const runner = source.createQueryRunner();
        const found = await runner.hasColumn(table, column);
        await runner.release();
        return found;
      } finally {
        await source.destroy();
      }
    }

    async function existingTables(): Promise<string[]> {
      const source = createDataSource({ url: dbUrl, dataDir, connectTimeoutMs: 5_000, queryTimeoutMs: 5_000 });
      await source.initialize();
      try {
        const runner = source.createQueryRunner();
        const found: string[] = [];
        for (const table of tables) if (await runner.hasTable(table)) found.push(table);
        await runner.release();
        return found;
      } finally {
        await source.destroy();
      }
    }

    test('status, up, status, down, status, up', async () => {
      assert.deepEqual(await cli('status'), { migrations: all.map((name) => ({ name, applied: false })), pending: all.length });
      assert.deepEqual(await cli('up'), { applied: all });
      assert.deepEqual((await cli('status')).pending, 0);
      assert.deepEqual(await existingTables(), tables);
      assert.deepEqual(await cli('up'), { applied: [] });

      assert.equal(await hasColumn('node_status_share', 'status_version'), true);
      assert.deepEqual(await cli('down'), { reverted: [statusVersion] });
      assert.equal(await hasColumn('node_status_share', 'status_version'), false);
      assert.deepEqual(await existingTables(), tables);
      assert.deepEqual(await cli('down'), { reverted: [poolSupervision] });
      assert.deepEqual(await existingTables(), tables.slice(0, 27));
      assert.deepEqual(await cli('down'), { reverted: [poolModel] });
      assert.deepEqual(await existingTables(), tables.slice(0, 20));
      assert.deepEqual(await cli('down'), { reverted: [controllerShare] });
      assert.deepEqual(await existingTables(), tables.slice(0, 18));
      assert.deepEqual(await cli('down'), { reverted: [standbyLeases] });
      assert.deepEqual(await existingTables(), tables.slice(0, 16));
      assert.deepEqual(await cli('down'), { reverted: [reportingRecords] });
      assert.deepEqual(await existingTables(), tables.slice(0, 13));
      assert.deepEqual(await cli('down'), { reverted: [webhooks] });
      assert.deepEqual(await existingTables(), tables.slice(0, 11));
      assert.deepEqual(await cli('down'), { reverted: [reportingViews] });
      assert.deepEqual(await existingTables(), tables.slice(0, 11));
      assert.deepEqual(await cli('down'), { reverted: [failoverRecords] });
      assert.deepEqual(await existingTables(), tables.slice(0, 10));
      assert.deepEqual(await cli('down'), { reverted: [genericEventSettings] });
      assert.deepEqual(await existingTables(), tablesBefore);
      assert.deepEqual(await cli('down'), { reverted: [agentSecretSealed] });
      assert.deepEqual(await cli('down'), { reverted: [agentCertificate] });
      assert.deepEqual(await existingTables(), tablesBefore);
      assert.deepEqual(await cli('down'), { reverted: [clusterPolicy] });
      assert.deepEqual(await existingTables(), tablesBefore);
      assert.deepEqual(await cli('down'), { reverted: [accounts] });
      assert.deepEqual(await existingTables(), tables.slice(0, 5));
      assert.deepEqual(await cli('down'), { reverted: [agentLink] });
      assert.deepEqual(await existingTables(), tables.slice(0, 5));
      assert.deepEqual(await cli('down'), { reverted: [initial] });
      assert.deepEqual(await existingTables(), []);
      assert.deepEqual((await cli('status')).pending, all.length);
      assert.deepEqual(await cli('down'), { reverted: [] });
      assert.deepEqual(await cli('up'), { applied: all });
      assert.deepEqual(await cli('down', '--steps', String(all.length)), { reverted: newestFirst(all.length) });
      assert.deepEqual(await cli('up'), { applied: all });
    });

    test('every entity round-trips through the migrated schema, and deleting a cluster cascades', async () => {
      const source = createDataSource({ url: dbUrl, dataDir, connectTimeoutMs: 5_000, queryTimeoutMs: 5_000 });
      await source.initialize();
      try {
        await source.runMigrations();
        const clusterId = randomUUID();
        const nodeId = randomUUID();
        const time = new Date('2026-11-22T10:11:12.345Z');
        await source.transaction(async (m) => {
          await m.save(ClusterEntity, { id: clusterId, name: 'Round Trip', mode: 'cloning', sharedAddress: 'rt:7563', preferredNodeId: null, failbackPolicy: 'manual', failbackHoldDownSeconds: 60, description: 'Ünïcode ✓' });
          await m.save(NodeEntity, { id: nodeId, clusterId, name: 'rt-a', role: 'primary', hostName: 'rt-a', addresses: ['10.1.1.1', 'rt-a.example'], agentUrl: 'https://rt-a:8741', agentCertificateFingerprint: 'AB:'.repeat(31) + 'CD', recorderId: randomUUID(), webServerUri: `http://rt-a:7563/${'p'.repeat(1900)}` });
          await m.save(CameraPairEntity, { id: randomUUID(), clusterId, cameraId: randomUUID(), name: 'Gate 1', hardwareName: 'AXIS P1455', failoverLevel: 'live-only' });
          await m.insert(EventEntity, { id: randomUUID(), time, clusterId, nodeId, kind: 'failover.completed', severity: 'warning', message: 'rt-b is Serving', data: { epoch: 7, reason: 'peer heartbeats missing' } });
          await m.insert(AuditEntryEntity, { id: randomUUID(), time, actor: 'admin', action: 'cluster.switch', target: `cluster/${clusterId}`, outcome: 'success', address: '127.0.0.1' });
        });
        const cluster = await source.getRepository(ClusterEntity).findOneByOrFail({ id: clusterId });
        assert.equal(cluster.description, 'Ünïcode ✓');
        assert.equal(cluster.version, 1);
        assert.ok(cluster.createdAt instanceof Date);
        const node = await source.getRepository(NodeEntity).findOneByOrFail({ id: nodeId });
        assert.deepEqual(node.addresses, ['10.1.1.1', 'rt-a.example']);
        assert.equal(node.webServerUri?.length, 'http://rt-a:7563/'.length + 1900);
        assert.equal(node.agentCertificateFingerprint, 'AB:'.repeat(31) + 'CD');
        assert.equal(cluster.agentSecret, undefined, 'the secret is not loaded unless asked for');
        // The longest secret, of the widest characters: stored sealed, it must fit the column.
        const longest = '€'.repeat(256);
        await source.getRepository(ClusterEntity).update({ id: clusterId }, { agentSecret: longest });
        const withSecret = await source.getRepository(ClusterEntity).createQueryBuilder('c').addSelect('c.agentSecret').where('c.id = :id', { id: clusterId }).getOneOrFail();
        assert.equal(withSecret.agentSecret, longest);
        const stored = (await source.query(`SELECT agent_secret AS secret FROM cluster WHERE id = '${clusterId}'`)) as { secret: string }[];
        assert.match(stored[0]?.secret ?? '', /^enc:v1:[0-9a-f]{16}:/, 'stored sealed');
        assert.ok((stored[0]?.secret.length ?? 0) > 256);
        const event = await source.getRepository(EventEntity).findOneByOrFail({ clusterId });
        assert.equal(event.time.toISOString(), time.toISOString());
        assert.deepEqual(event.data, { epoch: 7, reason: 'peer heartbeats missing' });
        const audit = await source.getRepository(AuditEntryEntity).findOneByOrFail({ target: `cluster/${clusterId}` });
        assert.equal(audit.outcome, 'success');

        // Accounts, with a session, a token and a focus on the cluster.
        const accountId = randomUUID();
        const expiresAt = new Date('2026-11-22T18:11:12.345Z');
        await source.getRepository(AccountEntity).save({ id: accountId, username: 'round.trip@site', role: 'operator', passwordHash: `$scrypt$ln=15,r=8,p=1$${'s'.repeat(22)}$${'h'.repeat(43)}`, passwordChangedAt: time, lastLoginAt: null });
        await source.getRepository(AuthSessionEntity).insert({ id: randomUUID(), accountId, secretHash: 'a'.repeat(64), createdAt: time, expiresAt, address: '::ffff:127.0.0.1' });
        await source.getRepository(ApiTokenEntity).insert({ id: randomUUID(), accountId, name: 'monitoring', role: 'viewer', secretHash: 'b'.repeat(64), createdAt: time, expiresAt: null, lastUsedAt: null });
        await source.getRepository(FocusEntity).insert({ id: randomUUID(), holder: `session:${randomUUID()}`, clusterId, nodeId, createdAt: time });
        // The reporting records: decimals and bigints come back as the numbers written.
        const span = { id: randomUUID(), clusterId, nodeId, epoch: 7, day: '2026-12-06', startAt: time, endAt: new Date(time.getTime() + 86_399_999), durationMs: 86_399_999, state: 'closed' as const };
        await source.getRepository(ServingSpanEntity).insert(span);
        assert.deepEqual(await source.getRepository(ServingSpanEntity).findOneByOrFail({ id: span.id }), span);
        const gap = { id: randomUUID(), clusterId, nodeId, deviceId: 'cam-1', startAt: time, endAt: new Date(time.getTime() + 2_592_000_500), gapSeconds: 2_592_000.5, missingSeconds: 0.125, detectedAt: time, state: 'open' as const, resolvedAt: null };
        await source.getRepository(CameraGapEntity).insert(gap);
        assert.deepEqual(await source.getRepository(CameraGapEntity).findOneByOrFail({ id: gap.id }), gap);
        const job = { id: randomUUID(), clusterId, nodeId, startedAt: time, endedAt: null, state: 'running', reason: null, missingSecondsAtStart: 123_456.789, missingSeconds: 0.001, camerasAffected: 4_096, bytesDone: 2 ** 40 + 1, bytesTotal: 2 ** 52, updatedAt: time };
        await source.getRepository(BackfillJobEntity).insert(job);
        assert.deepEqual(await source.getRepository(BackfillJobEntity).findOneByOrFail({ id: job.id }), job);
        await assert.rejects(source.getRepository(BackfillJobEntity).insert({ ...job, id: randomUUID() }), 'one job per node and start');
        const account = await source.getRepository(AccountEntity).findOneByOrFail({ id: accountId });
        assert.deepEqual([account.username, account.role, account.version, account.lastLoginAt], ['round.trip@site', 'operator', 1, null]);
        assert.equal((await source.getRepository(AuthSessionEntity).findOneByOrFail({ accountId })).expiresAt.toISOString(), expiresAt.toISOString());
        await assert.rejects(source.getRepository(AccountEntity).insert({ id: randomUUID(), username: 'round.trip@site', role: 'viewer', passwordHash: 'x', passwordChangedAt: time, lastLoginAt: null, version: 1 }), 'user names are unique');
        await assert.rejects(source.getRepository(AuthSessionEntity).insert({ id: randomUUID(), accountId, secretHash: 'a'.repeat(64), createdAt: time, expiresAt, address: null }), 'session digests are unique');
        await source.getRepository(AccountEntity).delete({ id: accountId });
        assert.equal(await source.getRepository(AuthSessionEntity).countBy({ accountId }), 0, 'sessions cascade');
        assert.equal(await source.getRepository(ApiTokenEntity).countBy({ accountId }), 0, 'tokens cascade');

        await source.getRepository(ClusterEntity).delete({ id: clusterId });
        assert.equal(await source.getRepository(FocusEntity).countBy({ clusterId }), 0, 'focus cascades with its cluster');
        assert.equal(await source.getRepository(NodeEntity).countBy({ clusterId }), 0, 'nodes cascade');
        assert.equal(await source.getRepository(CameraPairEntity).countBy({ clusterId }), 0, 'camera pairs cascade');
        assert.equal(await source.getRepository(EventEntity).countBy({ clusterId }), 1, 'events are history and stay');

        await assert.rejects(source.getRepository(NodeEntity).insert({ id: randomUUID(), clusterId: randomUUID(), name: 'orphan', role: 'primary', hostName: 'o', addresses: [], agentUrl: null, recorderId: null, webServerUri: null, version: 1 }), 'a node needs an existing cluster');
      } finally {
        await source.destroy();
      }
    });

    test('the agent-link migration keeps every cluster and node when applied and when reverted', async () => {
      const clusterId = randomUUID();
      const nodeIds = [randomUUID(), randomUUID()];
      const count = async (table: 'cluster' | 'node'): Promise<number> => {
        const source = createDataSource({ url: dbUrl, dataDir, connectTimeoutMs: 5_000, queryTimeoutMs: 5_000 });
        await source.initialize();
        try {
          // Raw SQL, because the entities name columns a reverted schema lacks.
          const rows = (await source.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${table === 'cluster' ? 'id' : 'cluster_id'} = '${clusterId}'`)) as { n: number | string }[];
          return Number(rows[0]?.n);
        } finally {
          await source.destroy();
        }
      };
      const source = createDataSource({ url: dbUrl, dataDir, connectTimeoutMs: 5_000, queryTimeoutMs: 5_000 });
      await source.initialize();
      try {
        await source.runMigrations();
        // No secret: the agent-secret migration is not reverted over encrypted secrets (tested below).
        await source.getRepository(ClusterEntity).save({ id: clusterId, name: 'Kept', mode: 'cloning', sharedAddress: 'kept:7563', preferredNodeId: null, failbackPolicy: 'automatic', failbackHoldDownSeconds: 300, description: '' });
        for (const [i, id] of nodeIds.entries()) {
          await source.getRepository(NodeEntity).save({ id, clusterId, name: `kept-${i}`, role: i === 0 ? 'primary' : 'secondary', hostName: `kept-${i}`, addresses: [], agentUrl: null, recorderId: null, webServerUri: `http://kept-${i}:7563/` });
        }
      } finally {
        await source.destroy();
      }

      assert.deepEqual(await cli('down', '--steps', String(all.length - 1)), { reverted: newestFirst(all.length - 1) });
      assert.deepEqual([await count('cluster'), await count('node')], [1, 2], 'reverting keeps the rows (no cascade from the rebuilt cluster table)');
      assert.deepEqual(await cli('up'), { applied: all.slice(1) });
      assert.deepEqual([await count('cluster'), await count('node')], [1, 2], 'applying keeps the rows');

      const after = createDataSource({ url: dbUrl, dataDir, connectTimeoutMs: 5_000, queryTimeoutMs: 5_000 });
      await after.initialize();
      try {
        const nodes = await after.getRepository(NodeEntity).find({ where: { clusterId }, order: { name: 'ASC' } });
        assert.deepEqual(nodes.map((n) => [n.name, n.webServerUri]), [['kept-0', null], ['kept-1', null]], 'the new column starts empty');
        const cluster = await after.getRepository(ClusterEntity).createQueryBuilder('c').addSelect('c.agentSecret').where('c.id = :id', { id: clusterId }).getOneOrFail();
        assert.equal(cluster.agentSecret, null);
        assert.equal(cluster.name, 'Kept');
      } finally {
        await after.destroy();
      }
    });

    test('the agent-secret migration widens the column keeping its secrets, and is not reverted over encrypted ones', async () => {
      const clusterId = randomUUID();
      const query = async (sql: string): Promise<unknown> => {
        const source = createDataSource({ url: dbUrl, dataDir, connectTimeoutMs: 5_000, queryTimeoutMs: 5_000 });
        await source.initialize();
        try {
          return await source.query(sql);
        } finally {
          await source.destroy();
        }
      };
      const sinceSealed = all.slice(all.indexOf(agentSecretSealed));
      assert.deepEqual(await cli('down', '--steps', String(sinceSealed.length)), { reverted: [...sinceSealed].reverse() });
      const plain = 'p'.repeat(256);
      // Raw SQL: a secret as an earlier version stored it, in plain text.
      await query(`INSERT INTO cluster (id, name, mode, shared_address, preferred_node_id, failback_policy, failback_hold_down_seconds, description, version, policy_version, agent_secret) VALUES ('${clusterId}', 'Widened', 'cloning', 'w:7563', NULL, 'manual', 45, '', 1, 1, '${plain}')`);
      assert.deepEqual(await cli('up'), { applied: sinceSealed });
      const kept = (await query(`SELECT agent_secret AS secret FROM cluster WHERE id = '${clusterId}'`)) as { secret: string }[];
      assert.equal(kept[0]?.secret, plain, 'widening keeps the value');
      const sealed = `enc:v1:0123456789abcdef:${'A'.repeat(1100)}`;
      await query(`UPDATE cluster SET agent_secret = '${sealed}' WHERE id = '${clusterId}'`);
      const afterSealed = sinceSealed.slice(1);
      assert.deepEqual(await cli('down', '--steps', String(afterSealed.length)), { reverted: [...afterSealed].reverse() });
      const refused = await runTwinrecToEnd(['migrate', 'down', '--json', '--db', dbUrl]);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /1 cluster secret\(s\) are stored encrypted/);
      const still = (await query(`SELECT agent_secret AS secret FROM cluster WHERE id = '${clusterId}'`)) as { secret: string }[];
      assert.equal(still[0]?.secret, sealed, 'nothing was cut');
      assert.deepEqual(await cli('up'), { applied: afterSealed });
      assert.equal((await cli('status')).pending, 0);
      await query(`DELETE FROM cluster WHERE id = '${clusterId}'`);
    });
  });
}
