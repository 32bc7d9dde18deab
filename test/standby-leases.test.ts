// Standby leases of a failover pool (issue 17) on a real database: on PostgreSQL two controllers
// (two connection pools on one database), on SQLite one controller's concurrent requests (SQLite
// is the single-controller default: its one connection with the controller's transaction gate),
// and retried requests, race to give standbys to failed protected servers; the database's
// compare-and-set must let exactly one win each time, and every takeover fences above the last.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../api/src/db/data-source.js';
import { installSqliteSerial } from '../api/src/db/sqlite-serial.js';
import { StandbyLeaseEntity } from '../api/src/db/entities/index.js';
import { acquireLease, ensureLease, leaseStep, moveLease, nextPoolEpoch } from '../api/src/domain/standby-leases.js';
import { backends } from './helpers/postgres.js';
import { runTwinrecToEnd } from './helpers/process.js';

for (const backend of backends) {
  describe(`standby leases on ${backend.name}`, () => {
    let dataDir: string;
    let drop: () => Promise<void>;
    /** Two controllers on one database. */
    let one: DataSource;
    let two: DataSource;
    const cluster = randomUUID();

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'twinrec-leases-'));
      const db = await backend.create();
      drop = db.drop;
      const url = db.url ?? `sqlite:${join(dataDir, 'twinrec.sqlite')}`;
      const migrated = await runTwinrecToEnd(['migrate', 'up', '--json', '--db', url]);
      assert.equal(migrated.code, 0, migrated.stderr);
      one = createDataSource({ url, dataDir, connectTimeoutMs: 5_000, queryTimeoutMs: 10_000 });
      await one.initialize();
      if (backend.name === 'sqlite') {
        installSqliteSerial(one, { waitTimeoutMs: 10_000 });
        two = one;
      } else {
        two = createDataSource({ url, dataDir, connectTimeoutMs: 5_000, queryTimeoutMs: 10_000 });
        await two.initialize();
      }
    });
    after(async () => {
      await one?.destroy();
      if (two !== one) await two?.destroy();
      await drop?.();
      rmSync(dataDir, { recursive: true, force: true });
    });

    test('a lease is made once, free, whoever sees the standby first', async () => {
      const standby = randomUUID();
      const leases = await Promise.all([ensureLease(one.manager, standby, cluster), ensureLease(two.manager, standby, cluster), ensureLease(one.manager, standby, cluster)]);
      assert.deepEqual(leases.map((l) => [l.state, l.epoch, l.version, l.protectedNodeId]), leases.map(() => ['free', 0, 1, null]));
      assert.equal(await one.getRepository(StandbyLeaseEntity).countBy({ standbyNodeId: standby }), 1);
    });

    test('two controllers, twenty attempts at one standby for different servers: exactly one wins, the epoch rises once', async () => {
      const standby = randomUUID();
      const lease = await ensureLease(one.manager, standby, cluster);
      const servers = Array.from({ length: 20 }, () => randomUUID());
      const outcomes = await Promise.all(servers.map((protectedNodeId, i) => acquireLease((i % 2 === 0 ? one : two).manager, { standbyNodeId: standby, protectedNodeId, expectedVersion: lease.version })));
      const won = outcomes.filter((o) => o.ok);
      assert.equal(won.length, 1, JSON.stringify(outcomes.map((o) => (o.ok ? 'ok' : o.reason))));
      assert.ok(outcomes.filter((o) => !o.ok).every((o) => !o.ok && o.reason === 'standby-taken'));
      const stored = await two.getRepository(StandbyLeaseEntity).findOneByOrFail({ standbyNodeId: standby });
      assert.deepEqual([stored.state, stored.version], ['taking-over', 2]);
      assert.ok(stored.epoch >= 2, 'takeovers start at epoch 2');
      assert.equal(stored.protectedNodeId, won[0]?.ok === true ? won[0].lease.protectedNodeId : 'none');
    });

    test('one server, ten standbys offered by two controllers at once: it gets exactly one', async () => {
      const server = randomUUID();
      const standbys = await Promise.all(Array.from({ length: 10 }, () => ensureLease(one.manager, randomUUID(), cluster)));
      const outcomes = await Promise.all(standbys.map((l, i) => acquireLease((i % 2 === 0 ? one : two).manager, { standbyNodeId: l.standbyNodeId, protectedNodeId: server, expectedVersion: l.version })));
      assert.equal(outcomes.filter((o) => o.ok).length, 1, JSON.stringify(outcomes.map((o) => (o.ok ? 'ok' : o.reason))));
      assert.ok(outcomes.filter((o) => !o.ok).every((o) => !o.ok && o.reason === 'server-served'));
      assert.equal(await one.getRepository(StandbyLeaseEntity).countBy({ protectedNodeId: server }), 1);
    });

    test('a retried assignment answers with the lease it made; a stale version is refused; the lease moves only as allowed and frees the standby', async () => {
      const server = randomUUID();
      const lease = await ensureLease(one.manager, randomUUID(), cluster);
      const first = await acquireLease(one.manager, { standbyNodeId: lease.standbyNodeId, protectedNodeId: server, expectedVersion: lease.version });
      const retry = await acquireLease(two.manager, { standbyNodeId: lease.standbyNodeId, protectedNodeId: server, expectedVersion: lease.version });
      assert.ok(first.ok && retry.ok);
      assert.deepEqual([retry.lease.epoch, retry.lease.version], [first.lease.epoch, first.lease.version], 'the retry changed nothing');

      assert.deepEqual(await moveLease(two.manager, { standbyNodeId: lease.standbyNodeId, expectedVersion: lease.version, to: 'serving' }).then((o) => (o.ok ? 'ok' : o.reason)), 'stale');
      assert.deepEqual(await moveLease(two.manager, { standbyNodeId: lease.standbyNodeId, expectedVersion: first.lease.version, to: 'syncing-back' }).then((o) => (o.ok ? 'ok' : o.reason)), 'bad-move');
      const serving = await moveLease(one.manager, { standbyNodeId: lease.standbyNodeId, expectedVersion: first.lease.version, to: 'serving' });
      assert.ok(serving.ok);
      // Both controllers try to start the failback sync from the same version: one does.
      const racing = await Promise.all([one, two].map((ds) => moveLease(ds.manager, { standbyNodeId: lease.standbyNodeId, expectedVersion: serving.lease.version, to: 'syncing-back' })));
      assert.deepEqual(racing.map((o) => o.ok).sort(), [false, true]);
      const syncing = racing.find((o) => o.ok);
      assert.ok(syncing?.ok);
      const freed = await moveLease(one.manager, { standbyNodeId: lease.standbyNodeId, expectedVersion: syncing.lease.version, to: 'free' });
      assert.ok(freed.ok);
      assert.deepEqual([freed.lease.state, freed.lease.protectedNodeId, freed.lease.epoch], ['free', null, first.lease.epoch], 'free again; the epoch stays');
      const again = await acquireLease(two.manager, { standbyNodeId: lease.standbyNodeId, protectedNodeId: randomUUID(), expectedVersion: freed.lease.version });
      assert.ok(again.ok && again.lease.epoch > first.lease.epoch, 'the next takeover fences above the last');
    });

    test('every takeover of a pool fences above every epoch the pool gave before, whichever standby: concurrent ones get distinct epochs', async () => {
      const pool = randomUUID();
      const leases = await Promise.all(Array.from({ length: 12 }, () => ensureLease(one.manager, randomUUID(), pool)));
      const outcomes = await Promise.all(leases.map((l, i) => acquireLease((i % 2 === 0 ? one : two).manager, { standbyNodeId: l.standbyNodeId, protectedNodeId: randomUUID(), expectedVersion: l.version })));
      const epochs = outcomes.map((o) => (o.ok ? o.lease.epoch : -1));
      assert.ok(epochs.every((e) => e >= 2), JSON.stringify(outcomes.map((o) => (o.ok ? 'ok' : o.reason))));
      // The counter starts at 1 (a protected server that never resumed holds its endpoint at 1): takeovers from 2.
      assert.deepEqual([...epochs].sort((a, b) => a - b), Array.from({ length: 12 }, (_, i) => i + 2), 'one epoch each, 2 to 13');
      // A server's endpoint taken over by one standby, then (after failback) by another: the second fences above the first.
      const server = randomUUID();
      const [a, b] = await Promise.all([ensureLease(one.manager, randomUUID(), pool), ensureLease(one.manager, randomUUID(), pool)]);
      assert.ok(a !== undefined && b !== undefined);
      const byA = await acquireLease(one.manager, { standbyNodeId: a.standbyNodeId, protectedNodeId: server, expectedVersion: a.version });
      assert.ok(byA.ok);
      const freedA = await moveLease(one.manager, { standbyNodeId: a.standbyNodeId, expectedVersion: byA.lease.version, to: 'free' });
      assert.ok(freedA.ok);
      const byB = await acquireLease(two.manager, { standbyNodeId: b.standbyNodeId, protectedNodeId: server, expectedVersion: b.version });
      assert.ok(byB.ok && byB.lease.epoch > byA.lease.epoch, `${byB.ok ? byB.lease.epoch : byB.reason} above ${byA.lease.epoch}`);
      // The server resumes above the standby that held it; the next takeover above that resume.
      const resume = await nextPoolEpoch(two.manager, pool);
      assert.ok(resume > byB.lease.epoch);
      const freedB = await moveLease(one.manager, { standbyNodeId: b.standbyNodeId, expectedVersion: byB.lease.version, to: 'free' });
      assert.ok(freedB.ok);
      const byA2 = await acquireLease(one.manager, { standbyNodeId: a.standbyNodeId, protectedNodeId: server, expectedVersion: freedA.lease.version });
      assert.ok(byA2.ok && byA2.lease.epoch > resume);
      assert.equal(await nextPoolEpoch(one.manager, randomUUID()), 2, 'a new pool: its first resume or takeover is 2');
    });
  });
}

test('the lease moves', () => {
  assert.deepEqual([leaseStep('free', 'taking-over'), leaseStep('free', 'serving'), leaseStep('serving', 'syncing-back'), leaseStep('syncing-back', 'serving'), leaseStep('taking-over', 'free')], [true, false, true, false, true]);
});
