import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { cameraStatus, nodeStatus } from '../../../contracts/controller-v1.fixtures.js';
import { Database } from '../db/database.js';
import { ClusterEntity, NodeEntity } from '../db/entities/index.js';
import { DeviceOverviewService } from './device-overview-cache.js';
import type { CameraQuery } from './device-overview.js';
import { NodeStatusCache } from './node-status.js';

const query: CameraQuery = { problemsOnly: false, q: undefined, clusterId: undefined, sort: 'name', limit: 100, offset: 0 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DeviceOverviewService (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twinrec-overview-cache-'));
  const db = new Database({ dataDir: dir, connectTimeoutMs: 5_000, queryTimeoutMs: 10_000, healthIntervalMs: 60_000, migrateOnStart: true }, pino({ level: 'silent' }));
  const clusterId = randomUUID();
  const [a, b] = [randomUUID(), randomUUID()];

  before(async () => {
    await db.start();
    const now = new Date();
    await db.dataSource.getRepository(ClusterEntity).insert({ id: clusterId, name: 'Harbour', mode: 'cloning', sharedAddress: 'harbour-rs.example:7563', preferredNodeId: null, failbackPolicy: 'automatic', failbackHoldDownSeconds: 60, policyVersion: 1, policySettings: null, policyUpdatedAt: null, description: '', createdAt: now, updatedAt: now, version: 1 });
    const node = (id: string, name: string, role: 'primary' | 'secondary') => ({ id, clusterId, name, role, hostName: `${name.toLowerCase()}.example`, addresses: [], agentUrl: null, agentCertificateFingerprint: null, recorderId: null, webServerUri: null, createdAt: now, updatedAt: now, version: 1 });
    await db.dataSource.getRepository(NodeEntity).insert([node(a, 'Harbour-A', 'primary'), node(b, 'Harbour-B', 'secondary')]);
  });
  after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a request past the cache time gets the last overview at once while the next is built; the one after gets the new', async () => {
    const statuses = new NodeStatusCache({ staleAfterMs: 60_000 });
    // The cache time in seconds: 50 ms here, so that a few polls cross it.
    const overview = new DeviceOverviewService(db, statuses, { ttlSeconds: 0.05 });
    try {
      const report = (down: boolean) => {
        const cameras = [cameraStatus('cam-1', { errorNoConnection: down, recording: !down })];
        statuses.record(clusterId, a, nodeStatus('Harbour', 'Harbour-A', 'Harbour-B', { state: 'PRIM', cameras }));
        statuses.record(clusterId, b, nodeStatus('Harbour', 'Harbour-B', 'Harbour-A', { cameras }));
      };
      const disconnected = async () => (JSON.parse((await overview.allJson(query)).toString('utf8')) as { items: Array<{ disconnected: boolean }> }).items.map((c) => c.disconnected);
      report(false);
      assert.deepEqual(await disconnected(), [false], 'the first request waits for the first build');
      report(true);
      await sleep(120);
      assert.deepEqual(await disconnected(), [false], 'past the cache time: the last overview, not a wait for the next');
      let seen: boolean[] = [];
      for (let i = 0; i < 100 && seen[0] !== true; i += 1) {
        await sleep(20);
        seen = await disconnected();
      }
      assert.deepEqual(seen, [true], 'the rebuilt overview is served once it is made');
      // A cluster's own overview, through the same rows.
      assert.equal((JSON.parse((await overview.clusterJson(clusterId, query)).toString('utf8')) as { total: number }).total, 1);
    } finally {
      overview.close();
    }
  });
});
