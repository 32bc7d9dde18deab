// Migrations up, down and status through the CLI, and every entity written and read back,
// on SQLite and (when TWINREC_TEST_PG_URL is set) PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource } from '../api/src/db/data-source.js';
import { AuditEntryEntity, CameraPairEntity, ClusterEntity, EventEntity, NodeEntity } from '../api/src/db/entities/index.js';
import { backends } from './helpers/postgres.js';
import { runTwinrecToEnd } from './helpers/process.js';

const tables = ['cluster', 'node', 'camera_pair', 'event', 'audit_entry'];

for (const backend of backends) {
  describe(`migrations on ${backend.name}`, () => {
    let dataDir: string;
    let dbUrl: string;
    let drop: () => Promise<void>;

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'twinrec-migrate-'));
      const db = await backend.create();
      dbUrl = db.url ?? `sqlite:${join(dataDir, 'twinrec.sqlite')}`;
      drop = db.drop;
    });
    after(async () => {
      await drop?.();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const cli = async (...args: string[]) => {
      const result = await runTwinrecToEnd(['migrate', ...args, '--json', '--db', dbUrl]);
      assert.equal(result.code, 0, result.stderr);
      return JSON.parse(result.stdout) as Record<string, unknown>;
    };

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
      assert.deepEqual(await cli('status'), { migrations: [{ name: 'InitialSchema1763800000000', applied: false }], pending: 1 });
      assert.deepEqual(await cli('up'), { applied: ['InitialSchema1763800000000'] });
      assert.deepEqual((await cli('status')).pending, 0);
      assert.deepEqual(await existingTables(), tables);
      assert.deepEqual(await cli('up'), { applied: [] });

      assert.deepEqual(await cli('down'), { reverted: ['InitialSchema1763800000000'] });
      assert.deepEqual(await existingTables(), []);
      assert.deepEqual((await cli('status')).pending, 1);
      assert.deepEqual(await cli('down'), { reverted: [] });
      assert.deepEqual(await cli('up'), { applied: ['InitialSchema1763800000000'] });
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
          await m.save(NodeEntity, { id: nodeId, clusterId, name: 'rt-a', role: 'primary', hostName: 'rt-a', addresses: ['10.1.1.1', 'rt-a.example'], agentUrl: null, recorderId: randomUUID() });
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
        const event = await source.getRepository(EventEntity).findOneByOrFail({ clusterId });
        assert.equal(event.time.toISOString(), time.toISOString());
        assert.deepEqual(event.data, { epoch: 7, reason: 'peer heartbeats missing' });
        const audit = await source.getRepository(AuditEntryEntity).findOneByOrFail({ target: `cluster/${clusterId}` });
        assert.equal(audit.outcome, 'success');

        await source.getRepository(ClusterEntity).delete({ id: clusterId });
        assert.equal(await source.getRepository(NodeEntity).countBy({ clusterId }), 0, 'nodes cascade');
        assert.equal(await source.getRepository(CameraPairEntity).countBy({ clusterId }), 0, 'camera pairs cascade');
        assert.equal(await source.getRepository(EventEntity).countBy({ clusterId }), 1, 'events are history and stay');

        await assert.rejects(source.getRepository(NodeEntity).insert({ id: randomUUID(), clusterId: randomUUID(), name: 'orphan', role: 'primary', hostName: 'o', addresses: [], agentUrl: null, recorderId: null, version: 1 }), 'a node needs an existing cluster');
      } finally {
        await source.destroy();
      }
    });
  });
}
