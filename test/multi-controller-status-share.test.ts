// The sharing services of issue 19 in one process against a real PostgreSQL database (the server
// TWINREC_TEST_PG_URL names): two "controllers" (each its own Database, NodeStatusCache and
// StatusShare) on one database; the LISTEN connection surviving its backend's end. The whole
// controllers are test/multi-controller-status.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Database } from '../api/src/db/database.js';
import { NodeStatusCache } from '../api/src/domain/node-status.js';
import { StatusShare } from '../api/src/domain/status-share.js';
import { ShareListener, notifyPostgres } from '../api/src/domain/status-share-listener.js';
import { waitFor } from '../lab/testing/harness.js';
import { nodeStatus } from './helpers/agent-reports.js';
import { cameraStatus } from '../contracts/controller-v1.fixtures.js';
import { createPostgresDatabase, postgresUrl, type TestDatabase } from './helpers/postgres.js';

const silent = pino({ level: 'silent' });
const clusterId = '00000000-0000-4000-8000-000000000001';
const nodeId = '00000000-0000-4000-8000-00000000000a';

if (postgresUrl !== undefined) {
  describe('sharing services on PostgreSQL', { timeout: 120_000 }, () => {
    let pg: TestDatabase;
    let dir: string;
    const dbs: Database[] = [];

    const open = async (name: string): Promise<Database> => {
      const db = new Database({ url: pg.url, dataDir: join(dir, name), secretsKeyFile: join(dir, 'secrets.key'), connectTimeoutMs: 5_000, queryTimeoutMs: 10_000, healthIntervalMs: 60_000, migrateOnStart: true }, silent);
      await db.start();
      dbs.push(db);
      return db;
    };

    before(async () => {
      pg = await createPostgresDatabase(postgresUrl as string);
      dir = mkdtempSync(join(tmpdir(), 'twinrec-share-'));
    });

    after(async () => {
      for (const db of dbs) await db.close();
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('a report on one controller is fresh on the other, keeps its interval, and the newest report wins the row', async () => {
      const [dbA, dbB] = [await open('a'), await open('b')];
      const [cacheA, cacheB] = [new NodeStatusCache({ staleAfterMs: 10_000 }), new NodeStatusCache({ staleAfterMs: 10_000 })];
      const shareA = new StatusShare({ db: dbA, statuses: cacheA, controllerId: 'ctl-a', log: silent, pollIntervalMs: 100 });
      const shareB = new StatusShare({ db: dbB, statuses: cacheB, controllerId: 'ctl-b', log: silent, pollIntervalMs: 100 });
      shareA.start();
      shareB.start();
      try {
        cacheA.record(clusterId, nodeId, nodeStatus('c', 'n1', 'n2', { state: 'WAIT' }));
        await new Promise((resolve) => setTimeout(resolve, 300));
        cacheA.record(clusterId, nodeId, nodeStatus('c', 'n1', 'n2', { state: 'PRIM' }));
        await waitFor('B to take the report A received', async () => (cacheB.get(nodeId)?.status.state === 'PRIM' ? true : undefined), 5_000, 20);
        assert.equal(cacheB.isFresh(nodeId), true);
        assert.equal(cacheB.get(nodeId)?.reportIntervalMs, Math.round(cacheA.get(nodeId)?.reportIntervalMs ?? -1), "B keeps the report interval A saw");
        assert.ok((cacheB.ageMs(nodeId) ?? Infinity) < 2_000, `age on B ${String(cacheB.ageMs(nodeId))} ms`);
        // The agent moves on to B: B's newer report must not be overwritten by A's (older) one.
        cacheB.record(clusterId, nodeId, nodeStatus('c', 'n1', 'n2', { state: 'ALONE' }));
        await shareB.flush();
        await waitFor('A to take the report B received', async () => (cacheA.get(nodeId)?.status.state === 'ALONE' ? true : undefined), 5_000, 20);
        const rows = (await dbA.dataSource.query('SELECT controller_id AS "controllerId", status FROM node_status_share WHERE node_id = $1', [nodeId])) as Array<{ controllerId: string; status: string }>;
        assert.equal(rows[0]?.controllerId, 'ctl-b');
        assert.equal((JSON.parse(rows[0]?.status ?? '{}') as { state?: string }).state, 'ALONE');
        // A shared report is not A's to share again: its row stays B's.
        await shareA.flush();
        const again = (await dbA.dataSource.query('SELECT controller_id AS "controllerId" FROM node_status_share WHERE node_id = $1', [nodeId])) as Array<{ controllerId: string }>;
        assert.equal(again[0]?.controllerId, 'ctl-b');
      } finally {
        await shareA.close();
        await shareB.close();
      }
    });

    test('a report that differs only in its statistics moves the stamp alone; a change, due statistics and an older controller\'s write go whole', async () => {
      const [dbA, dbB] = [await open('stats-a'), await open('stats-b')];
      const [cacheA, cacheB] = [new NodeStatusCache({ staleAfterMs: 10_000 }), new NodeStatusCache({ staleAfterMs: 10_000 })];
      const statisticsIntervalMs = 3_000;
      // Flushed by hand only (a long interval): each step below is one flush.
      const shareA = new StatusShare({ db: dbA, statuses: cacheA, controllerId: 'ctl-a', log: silent, flushIntervalMs: 600_000, pollIntervalMs: 100, statisticsIntervalMs });
      const shareB = new StatusShare({ db: dbB, statuses: cacheB, controllerId: 'ctl-b', log: silent, flushIntervalMs: 600_000, pollIntervalMs: 100, statisticsIntervalMs });
      const node = '00000000-0000-4000-8000-00000000000b';
      const rowOf = async (): Promise<{ controllerId: string; statusVersion: string | null; uptimeSeconds: number; state: string; reportedAtMs: number }> => {
        const rows = (await dbA.dataSource.query('SELECT controller_id AS "controllerId", status_version AS "statusVersion", status, (EXTRACT(EPOCH FROM reported_at) * 1000)::float8 AS "reportedAtMs" FROM node_status_share WHERE node_id = $1', [node])) as Array<{ controllerId: string; statusVersion: string | null; status: string; reportedAtMs: number }>;
        const row = rows[0];
        assert.ok(row !== undefined, 'the node has a row');
        const status = JSON.parse(row.status) as { uptimeSeconds: number; state: string };
        return { controllerId: row.controllerId, statusVersion: row.statusVersion, uptimeSeconds: status.uptimeSeconds, state: status.state, reportedAtMs: Number(row.reportedAtMs) };
      };
      const report = (o: { state?: 'PRIM' | 'SECOND'; uptimeSeconds: number; fps?: number }) =>
        nodeStatus('c', 'n1', 'n2', { state: o.state ?? 'PRIM', uptimeSeconds: o.uptimeSeconds, cameras: [cameraStatus('cam-1', { fps: o.fps ?? 25 })] });
      shareA.start();
      shareB.start();
      try {
        cacheA.record(clusterId, node, report({ uptimeSeconds: 100 }));
        await shareA.flush();
        const first = await rowOf();
        assert.match(first.statusVersion ?? '', /^ctl-a#\d+$/, 'a whole write names its version');
        const taken = await waitFor('B to take the first report', async () => cacheB.get(node), 5_000, 20);
        assert.equal(taken.status.uptimeSeconds, 100);

        // Statistics only: the row's stamp moves, its status and version stay; B keeps the status it holds and sees the node alive anew.
        await new Promise((resolve) => setTimeout(resolve, 50));
        cacheA.record(clusterId, node, report({ uptimeSeconds: 101, fps: 24.5 }));
        await shareA.flush();
        const stamped = await rowOf();
        assert.deepEqual([stamped.statusVersion, stamped.uptimeSeconds, stamped.controllerId], [first.statusVersion, 100, 'ctl-a'], 'status and version unchanged');
        assert.ok(stamped.reportedAtMs > first.reportedAtMs, `the stamp moved (${first.reportedAtMs} → ${stamped.reportedAtMs})`);
        const refreshed = await waitFor('B to take the new stamp', async () => {
          const entry = cacheB.get(node);
          return entry !== undefined && entry.receivedAtMs > taken.receivedAtMs ? entry : undefined;
        }, 5_000, 20);
        assert.equal(refreshed.status, taken.status, 'B did not read the status again: the very object it held');

        // A change goes whole at once, with a new version.
        cacheA.record(clusterId, node, report({ state: 'SECOND', uptimeSeconds: 102 }));
        await shareA.flush();
        const changed = await rowOf();
        assert.equal(changed.state, 'SECOND');
        assert.notEqual(changed.statusVersion, first.statusVersion);
        await waitFor('B to take the change', async () => (cacheB.get(node)?.status.state === 'SECOND' ? true : undefined), 5_000, 20);

        // Statistics are written once they are statisticsIntervalMs old, with no other change.
        cacheA.record(clusterId, node, report({ state: 'SECOND', uptimeSeconds: 103 }));
        await shareA.flush();
        assert.equal((await rowOf()).uptimeSeconds, 102, 'not due yet');
        await new Promise((resolve) => setTimeout(resolve, statisticsIntervalMs));
        cacheA.record(clusterId, node, report({ state: 'SECOND', uptimeSeconds: 107 }));
        await shareA.flush();
        assert.equal((await rowOf()).uptimeSeconds, 107, 'due: written whole');
        await waitFor('B to take the statistics', async () => (cacheB.get(node)?.status.uptimeSeconds === 107 ? true : undefined), 5_000, 20);

        // A controller from before status_version rewrites status and stamp, not the version: B reads it, twice over.
        for (const [state, uptimeSeconds] of [['WAIT', 200], ['ALONE', 201]] as const) {
          const status = JSON.stringify(nodeStatus('c', 'n1', 'n2', { state, uptimeSeconds }));
          await dbA.dataSource.query("UPDATE node_status_share SET controller_id = 'ctl-old', status = $2, reported_at = date_trunc('milliseconds', clock_timestamp() AT TIME ZONE 'UTC') WHERE node_id = $1", [node, status]);
          await notifyPostgres(dbA, 'twinrec_status', 'ctl-old');
          await waitFor(`B to take the older controller's ${state}`, async () => (cacheB.get(node)?.status.state === state ? true : undefined), 5_000, 20);
        }
        // A's next report, statistics only, finds the row another controller's: it goes whole.
        cacheA.record(clusterId, node, report({ state: 'SECOND', uptimeSeconds: 108 }));
        await shareA.flush();
        const back = await rowOf();
        assert.deepEqual([back.controllerId, back.state, back.uptimeSeconds], ['ctl-a', 'SECOND', 108]);
        await waitFor("B to take A's status again", async () => (cacheB.get(node)?.status.uptimeSeconds === 108 ? true : undefined), 5_000, 20);
      } finally {
        await shareA.close();
        await shareB.close();
      }
    });

    test('the LISTEN connection comes back after its backend is ended, and notifications reach it again', async () => {
      const db = await open('listener');
      const got: string[] = [];
      let connected = 0;
      const listener = new ShareListener({ db, log: silent, channels: { twinrec_status: (payload) => got.push(payload) }, onConnected: () => (connected += 1) });
      listener.start();
      try {
        await waitFor('the listener to connect', async () => (connected === 1 ? true : undefined), 10_000, 20);
        await notifyPostgres(db, 'twinrec_status', 'first');
        await waitFor('the first notification', async () => (got.includes('first') ? true : undefined), 5_000, 20);
        const ended = (await db.dataSource.query("SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN twinrec_status' AND pid <> pg_backend_pid()")) as Array<{ ended: boolean }>;
        assert.deepEqual(ended.map((r) => r.ended), [true], 'the listening backend was found and ended');
        await waitFor('the listener to connect again', async () => (connected === 2 ? true : undefined), 15_000, 20);
        await notifyPostgres(db, 'twinrec_status', 'second');
        await waitFor('a notification after the reconnection', async () => (got.includes('second') ? true : undefined), 5_000, 20);
      } finally {
        await listener.close();
      }
    });
  });
}
