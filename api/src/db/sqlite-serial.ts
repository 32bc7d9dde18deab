// One SQLite transaction at a time, and no statement inside someone else's transaction.
//
// TypeORM's better-sqlite3 driver runs the whole process on ONE connection: every
// createQueryRunner() returns the same query runner. So, without this module:
//   - a dataSource.transaction() started while another is open does not wait: the runner is
//     already "in a transaction", so it becomes a SAVEPOINT inside the other caller's
//     transaction, and when that caller rolls back, the second caller's "committed" writes
//     vanish with it;
//   - a standalone statement (repository insert, find, raw query) issued while a transaction is
//     open runs inside it: it reads uncommitted rows and its writes share the other caller's fate.
//
// The cure is a gate: an async mutex whose holder is an async context (AsyncLocalStorage).
//   - dataSource.transaction() (and save/remove/softRemove/recover, which open a transaction of
//     their own) takes the gate for its whole duration and runs its callback inside the hold;
//   - every statement of the shared query runner passes the gate: statements of the holder's own
//     async context (its callback, and anything it awaits) go straight through, so nested
//     transactions and repository calls inside the callback work as before; statements from any
//     other context wait until the hold ends, then take the gate for themselves;
//   - starting a transaction on the runner outside a hold (a query builder's useTransaction, an
//     entity manager other than dataSource.manager) is refused: it could not be kept apart;
//   - a hold that ends with the connection still in a transaction (a bug) has it rolled back, so
//     the next caller never inherits it.
// Waiting is bounded: after waitTimeoutMs the waiter fails with SqliteBusyError, whose code
// SQLITE_BUSY maps to 503 "database unavailable" like a busy database file would.
//
// A hold must not await work of another context that itself needs the database (a promise made
// before the transaction began, say): that work waits for the hold, so both end at the timeout.
//
// PostgreSQL and SQL Server need none of this: their query runners each own a pooled connection.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** A wait for the SQLite gate that ran out of time. Its code makes isUnavailableError() true (503). */
export class SqliteBusyError extends Error {
  readonly code = 'SQLITE_BUSY';
  constructor(what: string, waitedMs: number) {
    super(`database busy: ${what} waited ${waitedMs} ms for another transaction to end`);
    this.name = 'SqliteBusyError';
  }
}

/** A transaction started on the shared SQLite runner outside the gate: it would mix with other callers'. */
export class UnserialisedTransactionError extends Error {
  constructor() {
    super('SQLite transaction started outside dataSource.transaction(); use dataSource.transaction() (or dataSource.manager) so that it runs alone');
    this.name = 'UnserialisedTransactionError';
  }
}

/** One turn at the gate; compared by identity. */
interface Hold {
  readonly what: string;
}

interface Waiter {
  readonly hold: Hold;
  readonly grant: () => void;
}

/**
 * An async mutex that remembers which async context holds it, so that the holder's own nested
 * calls pass (re-entrant) while every other context queues, first come first served.
 */
export class SerialGate {
  private readonly scope = new AsyncLocalStorage<Hold>();
  private holder: Hold | null = null;
  private readonly waiting: Waiter[] = [];

  constructor(
    /** Longest wait for the gate before failing with SqliteBusyError. */
    private readonly waitTimeoutMs: number,
    /** Runs synchronously at the end of every hold, before the next waiter gets the gate. */
    private readonly onHoldEnd: (hold: Hold) => void = () => {},
  ) {}

  /** True when the calling async context holds the gate now (a context left over from an ended hold does not). */
  holds(): boolean {
    const hold = this.scope.getStore();
    return hold !== undefined && hold === this.holder;
  }

  /** Whether someone holds the gate, and how many wait for it (for tests and diagnostics). */
  get state(): { readonly held: boolean; readonly waiting: number } {
    return { held: this.holder !== null, waiting: this.waiting.length };
  }

  /**
   * Runs work holding the gate: at once when this context already holds it, else after every
   * earlier holder and waiter. Rejects with SqliteBusyError when the wait exceeds the timeout.
   */
  async run<T>(what: string, work: () => Promise<T>): Promise<T> {
    if (this.holds()) return work();
    const hold: Hold = { what };
    await this.acquire(hold);
    try {
      return await this.scope.run(hold, work);
    } finally {
      this.release(hold);
    }
  }

  private acquire(hold: Hold): Promise<void> {
    if (this.holder === null && this.waiting.length === 0) {
      this.holder = hold;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(new SqliteBusyError(hold.what, this.waitTimeoutMs));
      }, this.waitTimeoutMs);
      const waiter: Waiter = {
        hold,
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiting.push(waiter);
    });
  }

  private release(hold: Hold): void {
    try {
      this.onHoldEnd(hold);
    } finally {
      this.holder = null;
      // Hand over directly, so that nobody arriving meanwhile can jump the queue.
      const next = this.waiting.shift();
      if (next !== undefined) {
        this.holder = next.hold;
        next.grant();
      }
    }
  }
}

/** The parts of TypeORM's (better-sqlite3) query runner this module touches. */
interface SharedRunner {
  query: (...args: unknown[]) => Promise<unknown>;
  startTransaction: (...args: unknown[]) => Promise<void>;
  isTransactionActive: boolean;
  transactionDepth: number;
}

/** EntityManager methods that run as one transaction of their own: they take the gate for their whole duration. */
const managerMethodsHoldingTheGate = ['transaction', 'save', 'remove', 'softRemove', 'recover'] as const;

export interface SqliteSerialOptions {
  /** Longest wait for another transaction to end; the database's busy timeout (db.queryTimeoutMs) fits. */
  readonly waitTimeoutMs: number;
  /** Told when a hold ended with a transaction still open (it has been rolled back). */
  readonly onLeftOpen?: (what: string) => void;
}

/**
 * Makes an initialised better-sqlite3 DataSource safe for concurrent callers (see the top of
 * this file). Call once, after migrations, before anyone else uses the data source.
 *
 * @returns the gate, for tests and diagnostics.
 * @throws Error when the driver does not share one query runner (a TypeORM change to look at).
 */
export function installSqliteSerial(source: DataSource, options: SqliteSerialOptions): SerialGate {
  if (source.options.type !== 'better-sqlite3') throw new Error(`installSqliteSerial: a better-sqlite3 data source expected, got ${source.options.type}`);
  const shared: QueryRunner = source.createQueryRunner();
  if (source.createQueryRunner() !== shared) throw new Error('installSqliteSerial: the better-sqlite3 driver no longer shares one query runner; review sqlite-serial.ts');
  const runner = shared as unknown as SharedRunner;
  const connection = (source.driver as unknown as { databaseConnection: { inTransaction: boolean; exec(sql: string): unknown } }).databaseConnection;

  const gate = new SerialGate(options.waitTimeoutMs, (hold) => {
    if (!runner.isTransactionActive && !connection.inTransaction) return;
    // The work ended without COMMIT or ROLLBACK (or a failed ROLLBACK left TypeORM's state
    // behind): never hand an open transaction to the next caller.
    try {
      if (connection.inTransaction) connection.exec('ROLLBACK');
    } finally {
      runner.isTransactionActive = false;
      runner.transactionDepth = 0;
      options.onLeftOpen?.(hold.what);
    }
  });

  const query = runner.query.bind(runner);
  runner.query = (...args: unknown[]) => (gate.holds() ? query(...args) : gate.run('statement', () => query(...args)));

  const startTransaction = runner.startTransaction.bind(runner);
  runner.startTransaction = (...args: unknown[]) => (gate.holds() ? startTransaction(...args) : Promise.reject(new UnserialisedTransactionError()));

  // dataSource.transaction() and repositories from dataSource.getRepository() call these on
  // dataSource.manager; own properties shadow the prototype's for this data source only.
  const manager = source.manager as unknown as Record<(typeof managerMethodsHoldingTheGate)[number], (...args: unknown[]) => Promise<unknown>>;
  for (const name of managerMethodsHoldingTheGate) {
    const method = manager[name].bind(source.manager as EntityManager);
    manager[name] = (...args: unknown[]) => gate.run(name, () => method(...args));
  }
  return gate;
}
