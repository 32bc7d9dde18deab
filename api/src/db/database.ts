// The controller's handle on its SQL database. It connects in the background with capped
// exponential backoff, applies migrations, probes health on an interval, and tells the HTTP
// layer whether it may serve reads and writes. The process never exits because the database
// is down: /readyz says 503 and writes fail with a 503 problem until it is back. On SQLite,
// whose one connection every caller shares, transactions take turns (sqlite-serial.ts).
// Before anyone may use it, its cluster secrets are checked against the secrets key (and those
// from before encryption sealed): a key that does not open them stops the controller for good.
import type { DataSource } from 'typeorm';
import { MigrationExecutor } from 'typeorm';
import type { Logger } from 'pino';
import { checkStoredSecrets, installSecretsKey, sealPlainSecrets, unreadableSecretsMessage } from './cluster-secrets.js';
import { logTightened, secureDataDir } from './data-dir.js';
import { createDataSource, dialectOf, defaultSqliteUrl, type DatabaseDialect, type DatabaseSettings } from './data-source.js';
import { keyIdOf, SecretsKeyError } from './secret-box.js';
import { defaultSecretsKeyFile, readSecretsKeyFile, writeSecretsKeyFile, type SecretsKeyFile } from './secrets-key.js';
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
  /** The key file of the cluster secrets (encryption.keyFile); default `<dataDir>/secrets.key`. */
  readonly secretsKeyFile?: string | undefined;
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
  private keyFile: SecretsKeyFile | null = null;
  private secretsReady = false;
  private uninstallKey: (() => void) | null = null;
  /** Set when the database cannot be used safely at all (the secrets key does not fit it). */
  private failure: SecretsKeyError | null = null;
  /** The first attempt is over: a failure now is told to onFatal (before, start() throws it). */
  private started = false;

  /**
   * @param onFatal told once when the database turns out unusable for good (a secrets key that
   *   does not open the stored cluster secrets, found on a connection after the first).
   */
  constructor(
    private readonly options: DatabaseOptions,
    private readonly log: Logger,
    private readonly onHealth: (up: boolean) => void = () => {},
    private readonly onFatal: (err: Error) => void = () => {},
  ) {
    this.dialect = dialectOf(options.url ?? defaultSqliteUrl(options.dataDir));
  }

  /**
   * Secures the data folder, reads the secrets key, makes the first connection attempt, then
   * keeps trying (and probing) in the background.
   *
   * @throws SecretsKeyError when the key file is unreadable, or does not open the stored secrets.
   */
  async start(): Promise<void> {
    logTightened(this.log, secureDataDir(this.options.dataDir));
    const keyFile = readSecretsKeyFile(this.options.secretsKeyFile ?? defaultSecretsKeyFile(this.options.dataDir));
    if (keyFile.tightenedFromMode !== null) logTightened(this.log, [{ path: keyFile.path, fromMode: keyFile.tightenedFromMode, toMode: 0o600 }]);
    this.keyFile = keyFile;
    await this.connectOnce();
    this.started = true;
    if (this.failure !== null) throw this.failure;
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
      if (this.pendingMigrations === 0) await this.prepareSecrets(source);
      this.setHealth(this.pendingMigrations === 0 ? { status: 'ready' } : { status: 'unavailable', lastError: `${this.pendingMigrations} migrations pending` });
    } catch (err) {
      if (err instanceof SecretsKeyError) await this.fail(err);
      else this.setHealth({ status: 'unavailable', lastError: describe(err) });
    }
    return this.health.status === 'ready';
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.connecting?.catch(() => {});
    if (this.source?.isInitialized === true) await this.source.destroy();
    this.uninstallKey?.();
    this.health = { status: 'closed' };
  }

  /**
   * Checks the stored cluster secrets against the key, writes a new key file (only now, once
   * nothing sealed with another key is there), makes the key the one secrets are sealed with,
   * and seals those from before encryption. Once per Database; before anyone uses the source.
   */
  private async prepareSecrets(source: DataSource): Promise<void> {
    if (this.secretsReady) return;
    let keyFile = this.keyFile;
    if (keyFile === null) throw new SecretsKeyError('the secrets key was not read: start() first');
    // Twice at most: when another process wrote the key file first, check against its key.
    for (let round = 0; round < 2; round++) {
      const check = await checkStoredSecrets(source, keyFile.key);
      if (check.unreadable.length > 0) throw new SecretsKeyError(unreadableSecretsMessage(check, keyFile));
      if (keyFile.onDisk) {
        this.keyFile = keyFile;
        if (this.uninstallKey === null) this.uninstallKey = installSecretsKey(keyFile.key);
        const sealed = await sealPlainSecrets(source, keyFile.key, check.plainIds);
        if (sealed > 0) this.log.info({ clusters: sealed, keyId: keyIdOf(keyFile.key) }, 'cluster secrets stored in plain text (from before encryption) are now encrypted');
        this.secretsReady = true;
        return;
      }
      const path: string = keyFile.path;
      const written: { key: Buffer; written: boolean } = await writeSecretsKeyFile(path, keyFile.key).catch((err: unknown) => {
        throw new SecretsKeyError(`secrets key file ${path}: cannot be written (${describe(err)})`);
      });
      if (written.written) this.log.info({ path: keyFile.path, keyId: keyIdOf(keyFile.key) }, 'secrets key file created (mode 0600): back it up with the database');
      keyFile = { ...keyFile, key: written.key, onDisk: true };
    }
    throw new SecretsKeyError(`secrets key file ${keyFile.path}: could not be settled`);
  }

  /** The database cannot be used with this key: stop for good and say why. */
  private async fail(err: SecretsKeyError): Promise<void> {
    if (this.failure !== null) return;
    this.failure = err;
    if (this.timer !== null) clearTimeout(this.timer);
    const source = this.source;
    this.source = null;
    if (source?.isInitialized === true) await source.destroy().catch(() => {});
    this.setHealth({ status: 'unavailable', lastError: err.message });
    this.log.fatal({ err: err.message }, 'the secrets key does not fit the database');
    if (this.started) this.onFatal(err);
  }

  private schedule(): void {
    if (this.closed || this.failure !== null) return;
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
    const source = createDataSource(this.options, (tightened) => logTightened(this.log, tightened));
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
      if (this.pendingMigrations === 0) await this.prepareSecrets(source);
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
      if (err instanceof SecretsKeyError) {
        await this.fail(err);
        return;
      }
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
