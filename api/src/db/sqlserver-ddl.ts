// The SQL that the migrations run on SQL Server, captured without a SQL Server: no SQL Server can
// run on the machines that build twinrec, so its DDL is recorded here, checked in
// (api/migrations/sqlserver.sql), kept fresh by a test and parsed there by Microsoft's own
// T-SQL parser (ScriptDom, scripts/tsql-parse). A schema change is then visible in review and a
// syntax error is caught before a customer's SQL Server sees it.
//
// TypeORM can keep a query runner's SQL in memory instead of executing it (enableSqlMemory). Two
// gaps are filled here: the schema API reads a table's current shape from the database before
// altering it (getCachedTable), which comes from the tables this capture created; and raw
// `queryRunner.query` calls are recorded too, answering reads with no rows.
import { DataSource, type MigrationInterface, type QueryRunner, type Table } from 'typeorm';
import { Query } from 'typeorm/driver/Query.js';
import { migrations } from '../../migrations/index.js';

/** One migration's statements, in the order SQL Server would run them. */
export interface CapturedMigration {
  readonly name: string;
  readonly statements: readonly string[];
}

type CapturingRunner = QueryRunner & {
  loadTables(names: readonly (string | Table)[]): Promise<Table[]>;
  getTablePath(target: string | Table): string;
};

/** Runs every migration's `up` against a SQL Server query runner that records instead of executing. */
export async function captureSqlServerDdl(): Promise<CapturedMigration[]> {
  // Never connected: the driver only builds SQL. The options are those the controller uses (data-source.ts).
  const dataSource = new DataSource({ type: 'mssql', host: '127.0.0.1', database: 'twinrec', options: { encrypt: true, trustServerCertificate: false } });
  const runner = dataSource.driver.createQueryRunner('master') as CapturingRunner;
  const created = new Map<string, Table>();
  const createTable = runner.createTable.bind(runner);
  runner.createTable = async (table, ifNotExist, createForeignKeys, createIndices) => {
    await createTable(table, ifNotExist, createForeignKeys, createIndices);
    created.set(runner.getTablePath(table), table.clone());
  };
  const dropTable = runner.dropTable.bind(runner);
  runner.dropTable = async (target, ...rest) => {
    await dropTable(target, ...rest);
    created.delete(runner.getTablePath(target));
  };
  runner.loadTables = (names) => Promise.resolve(names.map((name) => created.get(runner.getTablePath(name))).filter((t): t is Table => t !== undefined).map((t) => t.clone()));
  // Raw queries join the schema API's statements in the order they were made.
  runner.query = ((query: string) => {
    runner.getMemorySql().upQueries.push(new Query(query));
    return Promise.resolve([]);
  }) as QueryRunner['query'];

  const captured: CapturedMigration[] = [];
  for (const Migration of migrations) {
    const migration: MigrationInterface = new Migration();
    runner.enableSqlMemory();
    await migration.up(runner);
    const statements = runner.getMemorySql().upQueries.map((q) => q.query);
    runner.disableSqlMemory();
    // Tables altered through the schema API keep their new shape for the next migration.
    for (const table of (runner as unknown as { loadedTables: Table[] }).loadedTables) created.set(runner.getTablePath(table), table.clone());
    captured.push({ name: migration.name ?? Migration.name, statements });
  }
  return captured;
}

/** The checked-in file's text: each migration under a comment, statements separated by GO. */
export function sqlServerDdlText(captured: readonly CapturedMigration[]): string {
  const header = [
    '-- The SQL that twinrec\'s migrations (api/migrations) run on SQL Server, captured by',
    '-- api/src/db/sqlserver-ddl.ts without a SQL Server. Regenerate: npm run db:sqlserver-ddl',
    '-- (a test fails while this file is stale, and parses it with Microsoft\'s T-SQL parser).',
    '-- It records what the schema API would send; it has not been run on a SQL Server here.',
    '',
  ];
  const body = captured.flatMap((m) => [`-- ${m.name}`, ...m.statements.flatMap((s) => [`${s.trim()};`, 'GO']), '']);
  return [...header, ...body].join('\n');
}
