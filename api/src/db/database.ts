// The controller's handle on its SQL database. It connects in the background with capped
// exponential backoff, applies migrations, probes health on an interval, and tells the HTTP
// layer whether it may serve reads and writes. The process never exits because the database
// is down: /readyz says 503 and writes fail with a 503 problem until it is back. On SQLite,
// whose one connection every caller shares, transactions take turns (sqlite-serial.ts).
import type { DataSource } from 'typeorm';
import { MigrationExecutor } from 'typeorm';
import type { Logger } from 'pino';
import { createDataSource, dialectOf, defaultSqliteUrl, type DatabaseDialect, type DatabaseSettings } from './data-source.js';
import { installSqliteSerial } from './sqlite-serial.js';

export class DatabaseUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`database unavailable: ${reason}`);
    this.name = 'DatabaseUnavailableError';
  }
}

export type DatabaseHealth =
  | { readonly status: 'connecting'; readonly lastError: string | null }
  | { readonly status: 'ready' }
  | { readonly status: 'unavailable'; readonly lastError: string }
  | { readonly status: 'closed' };

export interface DatabaseOptions extends DatabaseSettings {
  readonly healthIntervalMs: number;
  readonly migrateOnStart: boolean;
}

/** Backoff between connection attempts: 0.5 s doubling to a 30 s cap. */
const reconnectDelayMsMin = 500;
const reconnectDelayMsMax = 30_000;

export class Database {
  readonly dialect: DatabaseDialect;
  private source: DataSource | null = null;
  private health: DatabaseHealth = { status: 'connecting', lastError: null };
  private pendingMigrations = -1;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private connecting: Promise<void> | null = null;
  private attempt = 0;

  constructor(
    private readonly options: DatabaseOptions,
    private readonly log: Logger,
    private readonly onHealth: (up: boolean) => void = () => {},
  ) {
    this.dialect = dialectOf(options.url ?? defaultSqliteUrl(options.dataDir));
  }

  /** Makes the first connection attempt, then keeps trying (and probing) in the background. */
  async start(): Promise<void> {
    await this.connectOnce();
    this.schedule();
  }

  get state(): DatabaseHealth {
    return this.health;
  }

  /** The open DataSource, or DatabaseUnavailableError when there is none yet. */
  get dataSource(): DataSource {
    if (this.source === null || !this.source.isInitialized || this.health.status === 'connecting') {
      throw new DatabaseUnavailableError(this.health.status === 'connecting' ? (this.health.lastError ?? 'still connecting') : this.health.status);
    }
    return this.source;
  }

  /** Number of migrations not yet applied; -1 while unknown. */
  get migrationsPending(): number {
    return this.pendingMigrations;
  }

  /**
   * Answers whether the database is reachable now and fully migrated, within the connect
   * timeout. Used by /readyz; also refreshes the health seen by /metrics.
   */
  async probe(): Promise<boolean> {
    if (this.source === null || !this.source.isInitialized) return false;
    const source = this.source;
    try {
      await withTimeout(source.query('SELECT 1'), this.options.connectTimeoutMs, 'health query');
      if (this.pendingMigrations !== 0) this.pendingMigrations = await this.countPending(source);
      this.setHealth(this.pendingMigrations === 0 ? { status: 'ready' } : { status: 'unavailable', lastError: `${this.pendingMigrations} migrations pending` });
    } catch (err) {
      this.setHealth({ status: 'unavailable', lastError: describe(err) });
    }
    return this.health.status === 'ready';
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.connecting?.catch(() => {});
    if (this.source?.isInitialized === true) await this.source.destroy();
    this.health = { status: 'closed' };
  }

  private schedule(): void {
    if (this.closed) return;
    const delayMs =
      this.source?.isInitialized === true
        ? this.options.healthIntervalMs
        : Math.min(reconnectDelayMsMax, reconnectDelayMsMin * 2 ** Math.min(this.attempt, 16)) * (0.75 + Math.random() * 0.5);
    this.timer = setTimeout(() => {
      const step = this.source?.isInitialized === true ? this.probe().then(() => undefined) : this.connectOnce();
      void step.finally(() => this.schedule());
    }, delayMs);
    this.timer.unref();
  }

  private connectOnce(): Promise<void> {
    this.connecting ??= this.tryConnect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async tryConnect(): Promise<void> {
    this.attempt += 1;
    const source = createDataSource(this.options);
    try {
      await withTimeout(source.initialize(), this.options.connectTimeoutMs * 2, 'connect');
      if (this.options.migrateOnStart) {
        const applied = await source.runMigrations({ transaction: 'each' });
        for (const migration of applied) this.log.info({ migration: migration.name }, 'migration applied');
      }
      // SQLite: one shared connection, so transactions must take turns (see sqlite-serial.ts).
      // Installed after the migrations, which run their own transactions, and before anyone
      // else can reach the data source.
      if (this.dialect === 'sqlite') {
        installSqliteSerial(source, {
          waitTimeoutMs: this.options.queryTimeoutMs,
          onLeftOpen: (what) => this.log.error({ what }, 'a database transaction was left open; rolled back'),
        });
      }
      this.pendingMigrations = await this.countPending(source);
      if (this.closed) {
        await source.destroy();
        return;
      }
      this.source = source;
      this.attempt = 0;
      this.setHealth(this.pendingMigrations === 0 ? { status: 'ready' } : { status: 'unavailable', lastError: `${this.pendingMigrations} migrations pending` });
      this.log.info({ dialect: this.dialect, migrationsPending: this.pendingMigrations }, 'database connected');
    } catch (err) {
      if (source.isInitialized) await source.destroy().catch(() => {});
      const lastError = describe(err);
      this.setHealth({ status: 'connecting', lastError });
      this.log.warn({ dialect: this.dialect, attempt: this.attempt, err: lastError }, 'database connection failed; retrying with backoff');
    }
  }

  private async countPending(source: DataSource): Promise<number> {
    const executor = new MigrationExecutor(source);
    return (await executor.getPendingMigrations()).length;
  }

  private setHealth(next: DatabaseHealth): void {
    const wasUp = this.health.status === 'ready';
    this.health = next;
    const up = next.status === 'ready';
    if (wasUp !== up) this.log[up ? 'info' : 'warn']({ health: next }, up ? 'database ready' : 'database not ready');
    this.onHealth(up);
  }
}

/** A short, secret-free description of a driver error. */
export function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return `${typeof code === 'string' ? `${code}: ` : ''}${err.message}`.slice(0, 300);
  }
  return String(err).slice(0, 300);
}

export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
