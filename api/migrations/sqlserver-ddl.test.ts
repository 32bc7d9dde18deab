// The SQL Server DDL of the migrations: checked in, kept fresh, and parsed by Microsoft's T-SQL
// parser (ScriptDom), since no SQL Server runs where twinrec is built (api/src/db/sqlserver-ddl.ts).
// Node status sharing's hand-written statements (api/src/domain/status-share.ts) are parsed too.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { captureSqlServerDdl, sqlServerDdlText } from '../src/db/sqlserver-ddl.js';
import { migrations } from './index.js';
import { mssqlSql } from '../src/domain/status-share.js';

const run = promisify(execFile);
const checkedIn = fileURLToPath(new URL('./sqlserver.sql', import.meta.url));
const parserProject = fileURLToPath(new URL('../../scripts/tsql-parse/TsqlParse.csproj', import.meta.url));

interface ParseResult {
  readonly statements: number;
  readonly statementTypes: readonly string[];
  readonly errors: readonly { readonly line: number; readonly column: number; readonly message: string }[];
}

describe('SQL Server DDL of the migrations', () => {
  let work = '';
  let parserDll = '';

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'twinrec-tsql-'));
    const out = join(work, 'bin');
    await run('dotnet', ['build', parserProject, '-c', 'Release', '--nologo', '-v', 'quiet', '-o', out], { timeout: 280_000, env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' } });
    parserDll = join(out, 'TsqlParse.dll');
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  async function parse(path: string): Promise<{ code: number; result: ParseResult }> {
    try {
      const { stdout } = await run('dotnet', [parserDll, path], { timeout: 60_000 });
      return { code: 0, result: JSON.parse(stdout) as ParseResult };
    } catch (err) {
      const failed = err as { code?: number; stdout?: string };
      if (typeof failed.code !== 'number' || failed.stdout === undefined) throw err;
      return { code: failed.code, result: JSON.parse(failed.stdout) as ParseResult };
    }
  }

  test('the checked-in file is what the migrations produce now (else: npm run db:sqlserver-ddl)', async () => {
    const captured = await captureSqlServerDdl();
    assert.deepEqual(captured.map((m) => m.name), migrations.map((M) => new M().name ?? M.name));
    for (const m of captured) assert.ok(m.statements.length > 0, `${m.name} produced no SQL`);
    assert.equal(readFileSync(checkedIn, 'utf8'), sqlServerDdlText(captured), 'api/migrations/sqlserver.sql is stale: run npm run db:sqlserver-ddl and review the difference');
  });

  test('SQL Server 2022 parses every statement, and each is the kind the migration meant', async () => {
    const captured = await captureSqlServerDdl();
    const { code, result } = await parse(checkedIn);
    assert.deepEqual(result.errors, []);
    assert.equal(code, 0);
    const expected = captured.flatMap((m) => m.statements);
    assert.equal(result.statements, expected.length);
    expected.forEach((sql, i) => {
      const kind = result.statementTypes[i] ?? '';
      if (/^CREATE TABLE/.test(sql)) assert.equal(kind, 'CreateTableStatement', sql);
      else if (/^CREATE (UNIQUE )?INDEX/.test(sql)) assert.equal(kind, 'CreateIndexStatement', sql);
      else if (/^ALTER TABLE \S+ ADD /.test(sql)) assert.equal(kind, 'AlterTableAddTableElementStatement', sql);
      else if (/^ALTER TABLE \S+ ALTER COLUMN/.test(sql)) assert.equal(kind, 'AlterTableAlterColumnStatement', sql);
      else assert.match(kind, /Statement$/, sql);
    });
  });

  test("node status sharing's statements parse, each the kind it is meant to be", async () => {
    const row = (nodeId: string) => ({ nodeId, clusterId: 'c', controllerId: 'ctl-a', status: '{}', bytes: 2, statusVersion: 'ctl-a#1', contentKey: 'k', reportIntervalMs: 1_000, backdateMs: 5 });
    const statements = [mssqlSql.upsert([row('n1'), row('n2')]).text, mssqlSql.stamp([row('n1'), row('n2')], 'ctl-a').text, mssqlSql.meta('ctl-a', { dbMs: 5, nodeId: '' }, 100)[0], mssqlSql.statuses(['n1', 'n2'])[0]];
    const path = join(work, 'status-share.sql');
    writeFileSync(path, statements.map((sql) => `${sql.trim().replace(/;$/, '')};\nGO\n`).join(''));
    const { code, result } = await parse(path);
    assert.deepEqual(result.errors, []);
    assert.equal(code, 0);
    assert.deepEqual(result.statementTypes, ['MergeStatement', 'UpdateStatement', 'SelectStatement', 'SelectStatement']);
  });

  test('a syntax error in the DDL is caught, with its line', async () => {
    const text = readFileSync(checkedIn, 'utf8');
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('CREATE TABLE'));
    lines[at] = (lines[at] as string).replace(' NOT NULL', ' NOT NULL,,');
    const broken = join(work, 'broken.sql');
    writeFileSync(broken, lines.join('\n'));
    const { code, result } = await parse(broken);
    assert.equal(code, 1);
    assert.ok(result.errors.some((e) => e.line === at + 1), JSON.stringify(result.errors));
  });

  test('MySQL quoting, which SQL Server does not read, is refused', async () => {
    const mysql = join(work, 'mysql.sql');
    writeFileSync(mysql, 'CREATE TABLE `cluster` (`id` int NOT NULL);\nGO\n');
    const { code } = await parse(mysql);
    assert.equal(code, 1);
  });
});
