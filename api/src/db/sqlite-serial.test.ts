import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { DataSource, type Logger as TypeormLogger } from 'typeorm';
import { auditRow } from '../domain/audit.js';
import { createDataSource } from './data-source.js';
import { Database } from './database.js';
import { AuditEntryEntity } from './entities/index.js';
import { isUnavailableError } from './errors.js';
import { installSqliteSerial, SerialGate, SqliteBusyError, UnserialisedTransactionError } from './sqlite-serial.js';

const audit = (action: string) => auditRow({ name: 'test', address: null }, action, 'test/serial', 'success');

/** Every SQL statement the data source executes, in order (after the gate). */
function recordSql(source: DataSource): string[] {
  const sql: string[] = [];
  const logger: TypeormLogger = { logQuery: (query) => void sql.push(query), logQueryError: () => {}, logQuerySlow: () => {}, logSchemaBuild: () => {}, logMigration: () => {}, log: () => {} };
  source.setOptions({ logging: true, logger });
  return sql;
}

/** BEGIN … COMMIT/ROLLBACK must alternate: no transaction starts inside another, no savepoint at all. */
function assertTransactionsTookTurns(sql: readonly string[]): void {
  const control = sql.filter((q) => /^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/i.test(q));
  assert.ok(!control.some((q) => /SAVEPOINT/i.test(q)), `no savepoint expected: ${control.join(', ')}`);
  control.forEach((q, i) => assert.match(q, i % 2 === 0 ? /^BEGIN/ : /^(COMMIT|ROLLBACK)/, `statement ${i} of ${control.join(', ')}`));
}

describe('SerialGate', () => {
  test('holders take turns first come first served; the holder passes again at once', async () => {
    const gate = new SerialGate(1_000);
    const order: string[] = [];
    const first = gate.run('first', async () => {
      order.push('first:start');
      await sleep(20);
      // Re-entrant: the holder's own nested call does not wait for itself.
      await gate.run('first-nested', async () => void order.push('first:nested'));
      order.push('first:end');
    });
    const second = gate.run('second', async () => void order.push('second'));
    const third = gate.run('third', async () => void order.push('third'));
    assert.deepEqual(gate.state, { held: true, waiting: 2 });
    await Promise.all([first, second, third]);
    assert.deepEqual(order, ['first:start', 'first:nested', 'first:end', 'second', 'third']);
    assert.deepEqual(gate.state, { held: false, waiting: 0 });
  });

  test('work left running after its hold ended does not pass as the holder', async () => {
    const gate = new SerialGate(1_000);
    let straggler: Promise<void> | undefined;
    await gate.run('first', async () => {
      straggler = (async () => {
        await sleep(20);
        assert.equal(gate.holds(), false, 'the hold ended meanwhile');
        await gate.run('straggler', async () => assert.equal(gate.holds(), true));
      })();
    });
    await straggler;
  });

  test('a wait longer than the timeout fails with a busy error mapped to "unavailable"; the queue moves on', async () => {
    const gate = new SerialGate(50);
    const holding = gate.run('long', () => sleep(150));
    const late = gate.run('late', async () => 'never');
    const err = await late.then(() => null, (e: unknown) => e);
    assert.ok(err instanceof SqliteBusyError);
    assert.match(err.message, /late waited 50 ms/);
    assert.equal(isUnavailableError(err), true);
    assert.deepEqual(gate.state, { held: true, waiting: 0 });
    await holding;
    assert.equal(await gate.run('after', async () => 'ran'), 'ran');
  });

  test('a failing holder releases the gate', async () => {
    const gate = new SerialGate(1_000);
    await assert.rejects(gate.run('fails', async () => Promise.reject(new Error('boom'))), /boom/);
    assert.deepEqual(gate.state, { held: false, waiting: 0 });
  });
});

describe('installSqliteSerial on a real SQLite database', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'twinrec-serial-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function openSource(name: string, waitTimeoutMs: number, onLeftOpen?: (what: string) => void): Promise<{ source: DataSource; gate: SerialGate }> {
    const source = createDataSource({ url: `sqlite:${join(dir, `${name}.sqlite`)}`, dataDir: dir, connectTimeoutMs: 2_000, queryTimeoutMs: 2_000 });
    await source.initialize();
    await source.runMigrations({ transaction: 'each' });
    return { source, gate: installSqliteSerial(source, { waitTimeoutMs, ...(onLeftOpen !== undefined ? { onLeftOpen } : {}) }) };
  }

  test('through Database: a rollback keeps the writes of a concurrent transaction, a standalone insert and a save', async () => {
    const db = new Database({ dataDir: join(dir, 'db'), connectTimeoutMs: 2_000, queryTimeoutMs: 5_000, healthIntervalMs: 60_000, migrateOnStart: true }, pino({ level: 'silent' }));
    await db.start();
    try {
      const source = db.dataSource;
      const sql = recordSql(source);
      const repo = source.getRepository(AuditEntryEntity);
      // The reviewer's case: one caller's transaction is refused and rolls back while others write.
      const refused = source.transaction(async (m) => {
        await m.insert(AuditEntryEntity, audit('a.refused'));
        await sleep(40);
        throw new Error('refused');
      });
      await sleep(5);
      const other = source.transaction(async (m) => {
        await m.insert(AuditEntryEntity, audit('b.first'));
        await sleep(5);
        await m.insert(AuditEntryEntity, audit('b.second'));
      });
      const standalone = repo.insert(audit('c.standalone'));
      const saved = repo.save(audit('d.saved'));
      const dirtyRead = repo.countBy({ action: 'a.refused' });
      await assert.rejects(refused, /refused/);
      await Promise.all([other, standalone, saved]);
      const actions = (await repo.find()).map((a) => a.action).filter((a) => /^[a-d]\./.test(a)).sort();
      assert.deepEqual(actions, ['b.first', 'b.second', 'c.standalone', 'd.saved'], 'the other callers’ writes survive the rollback');
      assert.equal(await dirtyRead, 0, 'a standalone read does not see another caller’s uncommitted row');
      assertTransactionsTookTurns(sql);
    } finally {
      await db.close();
    }
  });

  test('many concurrent transactions, half of them failing, keep exactly the committed ones', async () => {
    const { source } = await openSource('many', 5_000);
    try {
      const sql = recordSql(source);
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) =>
          source.transaction(async (m) => {
            await m.insert(AuditEntryEntity, audit(`many.${i}`));
            await sleep(i % 3);
            if (i % 2 === 1) throw new Error(`refused ${i}`);
          }),
        ),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 15);
      const kept = (await source.getRepository(AuditEntryEntity).find()).map((a) => a.action).filter((a) => a.startsWith('many.'));
      assert.deepEqual(kept.sort(), Array.from({ length: 15 }, (_, i) => `many.${i * 2}`).sort());
      assertTransactionsTookTurns(sql);
    } finally {
      await source.destroy();
    }
  });

  test('inside its own transaction a caller still nests savepoints and uses the data source directly', async () => {
    const { source } = await openSource('nested', 2_000);
    try {
      await source.transaction(async (m) => {
        await m
          .transaction(async (inner) => {
            await inner.insert(AuditEntryEntity, audit('nested.inner'));
            throw new Error('inner refused');
          })
          .catch(() => {});
        // Not through m: the same caller, so it joins its own transaction instead of waiting for it.
        await source.getRepository(AuditEntryEntity).insert(audit('nested.direct'));
        await source.transaction((again) => again.insert(AuditEntryEntity, audit('nested.again')));
      });
      const actions = (await source.getRepository(AuditEntryEntity).find()).map((a) => a.action).sort();
      assert.deepEqual(actions, ['nested.again', 'nested.direct']);
    } finally {
      await source.destroy();
    }
  });

  test('a statement that waits longer than the timeout fails as "database unavailable"', async () => {
    const { source } = await openSource('timeout', 50);
    try {
      const long = source.transaction(async (m) => {
        await m.insert(AuditEntryEntity, audit('long'));
        await sleep(200);
      });
      await sleep(5);
      const err = await source.getRepository(AuditEntryEntity).count().then(() => null, (e: unknown) => e);
      assert.ok(err instanceof SqliteBusyError, String(err));
      assert.equal(isUnavailableError(err), true);
      await long;
      assert.equal(await source.getRepository(AuditEntryEntity).count(), 1);
    } finally {
      await source.destroy();
    }
  });

  test('a transaction outside the gate is refused; one left open is rolled back before the next caller', async () => {
    const leftOpen: string[] = [];
    const { source, gate } = await openSource('misuse', 2_000, (what) => leftOpen.push(what));
    try {
      await assert.rejects(source.createEntityManager().transaction((m) => m.insert(AuditEntryEntity, audit('outside'))), UnserialisedTransactionError);
      await gate.run('leaky', async () => {
        const runner = source.createQueryRunner();
        await runner.startTransaction();
        await runner.manager.insert(AuditEntryEntity, audit('leaked'));
      });
      assert.deepEqual(leftOpen, ['leaky']);
      const sql = recordSql(source);
      await source.transaction((m) => m.insert(AuditEntryEntity, audit('after')));
      assertTransactionsTookTurns(sql);
      const actions = (await source.getRepository(AuditEntryEntity).find()).map((a) => a.action);
      assert.deepEqual(actions, ['after']);
    } finally {
      await source.destroy();
    }
  });

  test('only a better-sqlite3 data source is accepted', () => {
    const pg = new DataSource({ type: 'postgres', host: '127.0.0.1' });
    assert.throws(() => installSqliteSerial(pg, { waitTimeoutMs: 1_000 }), /better-sqlite3 data source expected/);
  });
});
