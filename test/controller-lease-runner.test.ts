// The lease runner (api/src/domain/controller-leases.ts) on a real database, SQLite always and
// PostgreSQL when configured: two runners compete for the same rows; one holds each lease; a
// runner that stops hands its leases over at once (epoch + 1); one cut off from its database
// stops acting before its lease can expire there.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pino from 'pino';
import { Database } from '../api/src/db/database.js';
import { ControllerLeaseEntity } from '../api/src/db/entities/controller-share.js';
import { leaseNames, type LeaseLostReason, type LeaseName } from '../api/src/domain/controller-lease-rules.js';
import { ControllerLeases, databaseNow, type LeasedJob } from '../api/src/domain/controller-leases.js';
import { backends } from './helpers/postgres.js';

const silent = pino({ level: 'silent' });
const ttlMs = 1_500;
const renewIntervalMs = 400;

/** The three singleton jobs of one controller, recording what they are told. */
function jobsOf(): { jobs: LeasedJob[]; running: Set<LeaseName>; told: { name: LeaseName; change: 'gained' | LeaseLostReason; atMs: number }[] } {
  const running = new Set<LeaseName>();
  const told: { name: LeaseName; change: 'gained' | LeaseLostReason; atMs: number }[] = [];
  const jobs = leaseNames.map(
    (name): LeasedJob => ({
      name,
      gained: () => {
        assert.equal(running.has(name), false, `${name}: gained twice without a loss`);
        running.add(name);
        told.push({ name, change: 'gained', atMs: Date.now() });
      },
      lost: (reason) => {
        assert.equal(running.delete(name), true, `${name}: lost without holding it`);
        told.push({ name, change: reason, atMs: Date.now() });
      },
    }),
  );
  return { jobs, running, told };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

for (const backend of backends) {
  describe(`controller leases on ${backend.name}`, () => {
    const dirs: string[] = [];
    const opened: Database[] = [];
    after(async () => {
      for (const db of opened) await db.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    /** A fresh database, opened twice: one connection (pool) per controller, as two processes would have. */
    async function twoDatabases(): Promise<[Database, Database]> {
      const created = await backend.create();
      after(() => created.drop());
      const dir = mkdtempSync(join(tmpdir(), 'twinrec-lease-runner-'));
      dirs.push(dir);
      const open = async (): Promise<Database> => {
        const db = new Database({ url: created.url, dataDir: dir, secretsKeyFile: join(dir, 'secrets.key'), connectTimeoutMs: 5_000, queryTimeoutMs: 5_000, healthIntervalMs: 60_000, migrateOnStart: true }, silent);
        await db.start();
        opened.push(db);
        return db;
      };
      return [await open(), await open()];
    }

    test('one of two controllers holds each lease; stopping hands them to the other at once, epoch + 1', async () => {
      const [dbA, dbB] = await twoDatabases();
      const a = jobsOf();
      const b = jobsOf();
      const runnerA = new ControllerLeases(dbA, a.jobs, { controllerId: 'ctl-a', ttlMs: 60_000, renewIntervalMs: 5_000, log: silent });
      const runnerB = new ControllerLeases(dbB, b.jobs, { controllerId: 'ctl-b', ttlMs: 60_000, renewIntervalMs: 100, log: silent });
      try {
        await runnerA.start();
        await runnerB.start();
        assert.deepEqual([...a.running].sort(), [...leaseNames].sort(), 'the first controller holds every lease');
        assert.deepEqual([...b.running], [], 'the second waits');
        for (const view of await runnerB.view()) assert.deepEqual({ holder: view.holder, epoch: view.epoch, heldHere: view.heldHere }, { holder: 'ctl-a', epoch: 1, heldHere: false });
        // Rounds of the second, for a while: a running lease (TTL 60 s) is never taken.
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert.deepEqual([...b.running], []);

        // A stopping controller releases: the other takes over at its next round, long before the 60 s TTL.
        await runnerA.stop();
        assert.deepEqual(a.running, new Set(), 'every job told it lost its lease');
        assert.ok(a.told.filter((t) => t.change !== 'gained').every((t) => t.change === 'released'));
        await until('the second controller to hold every lease', () => b.running.size === leaseNames.length, 10_000);
        for (const view of await runnerB.view()) assert.deepEqual({ holder: view.holder, epoch: view.epoch, heldHere: view.heldHere }, { holder: 'ctl-b', epoch: 2, heldHere: true });
      } finally {
        await runnerA.stop();
        await runnerB.stop();
      }
    });

    test('a controller cut off from its database stops acting before its lease can expire there, and another takes it only after', async () => {
      const [dbA, dbB] = await twoDatabases();
      const a = jobsOf();
      const b = jobsOf();
      const runnerA = new ControllerLeases(dbA, a.jobs, { controllerId: 'ctl-a', ttlMs, renewIntervalMs, log: silent });
      const runnerB = new ControllerLeases(dbB, b.jobs, { controllerId: 'ctl-b', ttlMs, renewIntervalMs, log: silent });
      try {
        await runnerA.start();
        assert.equal(a.running.size, leaseNames.length);
        // A holds; its database goes away (closed under it: every query fails at once, as with a refused connection).
        const rowsBefore = await dbB.dataSource.manager.find(ControllerLeaseEntity);
        const lastExpiryMs = Math.max(...rowsBefore.map((r) => r.expiresAt.getTime()));
        await dbA.close();
        await until('A to give its leases up', () => a.running.size === 0, ttlMs * 2);
        const lostAt = a.told.filter((t) => t.change === 'renew-overdue');
        assert.equal(lostAt.length, leaseNames.length, `lost as overdue: ${JSON.stringify(a.told)}`);
        // Renewals went on until the cut, so the rows expire no earlier than read before it; by the database's clock (same host).
        const rowsAfterCut = await dbB.dataSource.manager.find(ControllerLeaseEntity);
        const expiryMs = Math.max(lastExpiryMs, ...rowsAfterCut.map((r) => r.expiresAt.getTime()));
        const dbNowMs = (await databaseNow(dbB.dataSource.manager, dbB.dialect)).getTime();
        const skewMs = dbNowMs - Date.now();
        for (const t of lostAt) assert.ok(t.atMs + skewMs < expiryMs, `stopped at ${t.atMs + skewMs}, before the lease expired at ${expiryMs}`);
        await runnerB.start();
        await until('B to take every lease once expired', () => b.running.size === leaseNames.length, ttlMs * 4);
        const gainedAt = b.told.filter((t) => t.change === 'gained');
        for (const t of gainedAt) assert.ok(t.atMs + skewMs >= Math.min(...rowsAfterCut.map((r) => r.expiresAt.getTime())), 'taken only once expired');
        for (const view of await runnerB.view()) assert.equal(view.epoch, 2);
      } finally {
        await runnerA.stop();
        await runnerB.stop();
      }
    });
  });
}
