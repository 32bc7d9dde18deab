import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secureDataDir, secureSqliteFiles } from './data-dir.js';

const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('data folder and database file modes', () => {
  test('a new data folder is 0700, an open one is tightened and reported, a private one left alone', () => {
    const root = mkdtempSync(join(tmpdir(), 'twinrec-datadir-'));
    const previous = process.umask(0o022);
    try {
      const fresh = join(root, 'a', 'data');
      assert.deepEqual(secureDataDir(fresh), []);
      assert.equal(modeOf(fresh), 0o700);
      const open = join(root, 'open');
      mkdirSync(open, { mode: 0o755 });
      assert.deepEqual(secureDataDir(open), [{ path: open, fromMode: 0o755, toMode: 0o700 }]);
      assert.equal(modeOf(open), 0o700);
      assert.deepEqual(secureDataDir(open), []);
    } finally {
      process.umask(previous);
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('the database file is made 0600 before SQLite opens it; existing files and companions are tightened', () => {
    const root = mkdtempSync(join(tmpdir(), 'twinrec-datadir-'));
    const previous = process.umask(0o022);
    try {
      const database = join(root, 'db', 'twinrec.sqlite');
      assert.deepEqual(secureSqliteFiles(database), []);
      assert.equal(modeOf(database), 0o600);
      assert.equal(modeOf(join(root, 'db')), 0o700);
      writeFileSync(`${database}-wal`, '');
      chmodSync(`${database}-wal`, 0o644);
      chmodSync(database, 0o640);
      assert.deepEqual(secureSqliteFiles(database).map((t) => [t.path, t.fromMode]), [[database, 0o640], [`${database}-wal`, 0o644]]);
      assert.equal(modeOf(database), 0o600);
      assert.equal(modeOf(`${database}-wal`), 0o600);
    } finally {
      process.umask(previous);
      rmSync(root, { recursive: true, force: true });
    }
  });
});
