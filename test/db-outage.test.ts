// When the database goes away the controller stays up: /readyz says 503, reads and writes
// fail with a 503 problem, nothing is half-written, and it recovers by itself.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestController } from './helpers/controller.js';
import { createPostgresDatabase, postgresUrl } from './helpers/postgres.js';
import { runTwinrec, type TwinrecProcess } from './helpers/process.js';
import { closedPort } from '../shared/testing/ports.js';
import { startTcpProxy } from './helpers/tcp-proxy.js';

const cluster = (name: string) => ({ name, mode: 'pool', sharedAddress: `${name.toLowerCase()}.example` });


async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < 1000; attempt += 1) {
    if (await check()) return;
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

describe('database outage', () => {
  const procs: TwinrecProcess[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const proc of procs) await proc.stop('SIGKILL', 2_000);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('a controller whose database is unreachable at start still serves: 503 problems, live /healthz, exit 0 on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'twinrec-outage-'));
    dirs.push(dataDir);
    const port = await closedPort();
    const proc = runTwinrec(['serve', '--port', '0', '--data-dir', dataDir, '--db', `postgres://twinrec:pw@127.0.0.1:${port}/twinrec`, '--log-format', 'json']);
    procs.push(proc);
    const { url } = JSON.parse(await proc.waitForLine((l) => l.startsWith('{'))) as { url: string };

    await request(url).get('/healthz').expect(200);
    const ready = await request(url).get('/readyz').expect(503);
    assert.equal(ready.body.status, 'not-ready');
    assert.equal(ready.body.database.reachable, false);
    // A tool's token cannot be checked either: 503 (try again), not 401 (which would sign it out).
    const token = { authorization: `Bearer trk_${'A'.repeat(43)}` };
    for (const res of [await request(url).post('/api/v1/clusters').set(token).send(cluster('Down')), await request(url).get('/api/v1/clusters').set(token)]) {
      assert.equal(res.status, 503);
      assert.equal(res.body.type, 'urn:twinrec:problem:database-unavailable');
      assert.equal(res.headers['retry-after'], '5');
    }
    assert.match((await request(url).get('/metrics').expect(200)).text, /^twinrec_db_up 0$/m);
    assert.doesNotMatch(proc.stderr(), /:pw@/, 'the database password is never logged');
    assert.equal(proc.child.exitCode, null, 'still running');
    assert.equal(await proc.stop('SIGTERM'), 0);
  });

  const pgUrl = postgresUrl;
  if (pgUrl !== undefined) {
    test('PostgreSQL cut off and restored: 503 while away, nothing half-written, recovery without a restart', async () => {
      const db = await createPostgresDatabase(pgUrl);
      const target = new URL(db.url);
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
      const viaProxy = new URL(db.url);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      const controller = await startTestController({ dbUrl: viaProxy.toString(), healthIntervalMs: 250 });
      try {
        const api = () => request.agent(controller.url).set(controller.authHeader);
        await api().get('/readyz').expect(200);
        await api().post('/api/v1/clusters').send(cluster('Before')).expect(201);

        await proxy.cut();
        await api().get('/readyz').expect(503);
        const write = await api().post('/api/v1/clusters').send(cluster('During')).expect(503);
        assert.equal(write.body.type, 'urn:twinrec:problem:database-unavailable');
        await api().get('/healthz').expect(200);

        await proxy.restore();
        await eventually(async () => (await api().get('/readyz')).status === 200, 30_000, '/readyz to recover');
        const names = (await api().get('/api/v1/clusters').expect(200)).body.items.map((c: { name: string }) => c.name);
        assert.deepEqual(names, ['Before'], 'the write refused during the outage left nothing behind');
        await api().post('/api/v1/clusters').send(cluster('After')).expect(201);
      } finally {
        await controller.close();
        await proxy.close();
        await db.drop();
      }
    });
  }
});
