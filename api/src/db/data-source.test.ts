import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseUrlError, dataSourceOptions, dialectOf } from './data-source.js';
import { isUnavailableError, isUniqueViolation } from './errors.js';

const base = { dataDir: join(tmpdir(), 'twinrec-ds-test'), connectTimeoutMs: 1_000, queryTimeoutMs: 2_000 };

describe('dataSourceOptions', () => {
  test('no URL means embedded SQLite in the data folder', () => {
    const options = dataSourceOptions(base);
    assert.equal(options.type, 'better-sqlite3');
    assert.equal(options.database, join(base.dataDir, 'twinrec.sqlite'));
  });

  test('a SQL Server URL maps host, port, database, TLS flags and timeouts; the password flag wins', () => {
    const options = dataSourceOptions({ ...base, url: 'mssql://sa:url%40pw@sql.example:14330/twin%20rec?encrypt=true&trustServerCertificate=true', password: 'from-config' });
    assert.equal(options.type, 'mssql');
    if (options.type !== 'mssql') return;
    assert.equal(options.host, 'sql.example');
    assert.equal(options.port, 14330);
    assert.equal(options.database, 'twin rec');
    assert.equal(options.password, 'from-config');
    assert.equal(options.options?.trustServerCertificate, true);
    assert.equal(options.requestTimeout, 2_000);
  });

  test('a PostgreSQL URL decodes its password and bounds connections and queries', () => {
    const options = dataSourceOptions({ ...base, url: 'postgresql://app:p%3Ass@db:6543/twinrec' });
    assert.equal(options.type, 'postgres');
    if (options.type !== 'postgres') return;
    assert.equal(options.password, 'p:ss');
    assert.equal(options.port, 6543);
    assert.equal((options.extra as { query_timeout: number }).query_timeout, 2_000);
  });

  test('other schemes are refused without echoing the password', () => {
    assert.throws(() => dialectOf('oracle://scott:tiger@db/x'), (e: Error) => e instanceof DatabaseUrlError && !e.message.includes('tiger'));
    assert.throws(() => dataSourceOptions({ ...base, url: 'sqlite:' }), DatabaseUrlError);
  });
});

describe('driver error classification', () => {
  test('connection failures are "unavailable", constraint violations are not', () => {
    assert.equal(isUnavailableError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })), true);
    assert.equal(isUnavailableError(Object.assign(new Error('x'), { driverError: { code: '57P01' } })), true);
    assert.equal(isUnavailableError(Object.assign(new Error('Failed to connect'), { name: 'ConnectionError' })), true);
    assert.equal(isUnavailableError(Object.assign(new Error('dup'), { code: '23505' })), false);
    assert.equal(isUniqueViolation(Object.assign(new Error('dup'), { driverError: { code: '23505' } })), true);
    assert.equal(isUniqueViolation(Object.assign(new Error('UNIQUE constraint failed'), { driverError: { code: 'SQLITE_CONSTRAINT_UNIQUE' } })), true);
    assert.equal(isUniqueViolation(Object.assign(new Error('Violation of UNIQUE KEY'), { driverError: { number: 2627 } })), true);
    assert.equal(isUniqueViolation(new Error('other')), false);
  });
});
