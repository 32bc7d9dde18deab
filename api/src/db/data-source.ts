// Chooses the SQL dialect from a URL and builds the TypeORM DataSource for it.
// sqlite:PATH (embedded default), postgres://…, mssql://…
import { resolve } from 'node:path';
import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { maskUrlSecrets } from '../config/url-mask.js';
import { secureSqliteFiles, type Tightened } from './data-dir.js';
import { entities } from './entities/index.js';

export type DatabaseDialect = 'sqlite' | 'postgres' | 'mssql';

export interface DatabaseSettings {
  /** `sqlite:PATH`, `postgres://…` or `mssql://…`; undefined means SQLite in dataDir. */
  readonly url?: string | undefined;
  readonly password?: string | undefined;
  readonly dataDir: string;
  readonly connectTimeoutMs: number;
  readonly queryTimeoutMs: number;
}

export class DatabaseUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUrlError';
  }
}

/** `sqlite:` URL for the embedded database in a data folder. */
export function defaultSqliteUrl(dataDir: string): string {
  return `sqlite:${resolve(dataDir, 'twinrec.sqlite')}`;
}

/** Which dialect a database URL selects. */
export function dialectOf(url: string): DatabaseDialect {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgres';
  if (/^(mssql|sqlserver):\/\//i.test(url)) return 'mssql';
  throw new DatabaseUrlError(`db.url: expected sqlite:PATH, postgres://… or mssql://…, got ${JSON.stringify(maskUrlSecrets(url))}`);
}

/** TypeORM options for a database URL. Never logs or returns the password elsewhere. */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  const url = settings.url ?? defaultSqliteUrl(settings.dataDir);
  const common = { entities, migrations, migrationsRun: false, synchronize: false, logging: false } as const;
  const dialect = dialectOf(url);
  if (dialect === 'sqlite') {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new DatabaseUrlError('db.url: sqlite: needs a file path, e.g. sqlite:./data/twinrec.sqlite');
    const database = path === ':memory:' ? path : resolve(path);
    // WAL lets /readyz and reads proceed during writes; busy timeout bounds lock waits.
    return { ...common, type: 'better-sqlite3', database, enableWAL: true, timeout: settings.queryTimeoutMs };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseUrlError('db.url: not a valid URL');
  }
  const password = settings.password ?? (parsed.password === '' ? undefined : decodeURIComponent(parsed.password));
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (dialect === 'postgres') {
    postgresTimestampsInUtc();
    return {
      ...common,
      type: 'postgres',
      host: parsed.hostname,
      port: parsed.port === '' ? 5432 : Number(parsed.port),
      username: decodeURIComponent(parsed.username),
      ...(password !== undefined ? { password } : {}),
      database,
      connectTimeoutMS: settings.connectTimeoutMs,
      poolSize: 10,
      extra: {
        connectionTimeoutMillis: settings.connectTimeoutMs,
        query_timeout: settings.queryTimeoutMs,
        statement_timeout: settings.queryTimeoutMs,
        idleTimeoutMillis: 30_000,
        // now() and casts read `timestamp` columns as UTC too (the reporting views, the shared status).
        options: '-c TimeZone=UTC',
      },
    };
  }
  const flag = (name: string): boolean | undefined => {
    const value = parsed.searchParams.get(name);
    return value === null ? undefined : value === 'true';
  };
  return {
    ...common,
    type: 'mssql',
    host: parsed.hostname,
    port: parsed.port === '' ? 1433 : Number(parsed.port),
    username: decodeURIComponent(parsed.username),
    ...(password !== undefined ? { password } : {}),
    database,
    connectionTimeout: settings.connectTimeoutMs,
    requestTimeout: settings.queryTimeoutMs,
    options: { encrypt: flag('encrypt') ?? true, trustServerCertificate: flag('trustServerCertificate') ?? false },
    pool: { max: 10, min: 0, idleTimeoutMillis: 30_000 },
  };
}

/**
 * PostgreSQL's time columns are `timestamp` without a zone (one migration for three dialects),
 * and node-postgres writes and reads them in the process's local time zone: two controllers on
 * one database in different zones would read each other's times, lease expiries included, hours
 * apart. So every Date goes in and comes out as UTC, as SQLite (TypeORM) and SQL Server (mssql's
 * useUTC) already do. Global to the pg module, which only the controller's database uses.
 */
function postgresTimestampsInUtc(): void {
  pg.defaults.parseInputDatesAsUTC = true;
  pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (text: string) => new Date(`${text.replace(' ', 'T')}Z`));
}

/**
 * The DataSource for a database URL. For SQLite it first makes the database file 0600 (and its
 * folder 0700) when missing, and tightens existing ones (data-dir.ts), telling `onTightened`.
 */
export function createDataSource(settings: DatabaseSettings, onTightened: (tightened: readonly Tightened[]) => void = () => {}): DataSource {
  const options = dataSourceOptions(settings);
  if (options.type === 'better-sqlite3' && options.database !== ':memory:') {
    const tightened = secureSqliteFiles(options.database);
    if (tightened.length > 0) onTightened(tightened);
  }
  return new DataSource(options);
}
