import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { keyIdOf, SecretsKeyError } from './secret-box.js';
import { formatSecretsKey, readSecretsKeyFile, writeSecretsKeyFile } from './secrets-key.js';

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'twinrec-key-'));
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('secrets key file', () => {
  test('missing: a new key in memory only; written 0600 in one line; read back the same', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'sub', 'secrets.key');
      const fresh = readSecretsKeyFile(path);
      assert.equal(fresh.onDisk, false);
      assert.equal(fresh.key.length, 32);
      assert.throws(() => statSync(path), /ENOENT/, 'nothing is written by reading');
      assert.deepEqual(await writeSecretsKeyFile(path, fresh.key), { key: fresh.key, written: true });
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.match(readFileSync(path, 'utf8'), /^twinrec-secrets-key v1 [A-Za-z0-9+/]{43}=\n$/);
      const again = readSecretsKeyFile(path);
      assert.equal(again.onDisk, true);
      assert.equal(keyIdOf(again.key), keyIdOf(fresh.key));
    });
  });

  test('an existing key file is never overwritten: the writer gets the key that is there', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'secrets.key');
      const first = randomBytes(32);
      await writeSecretsKeyFile(path, first);
      const second = await writeSecretsKeyFile(path, randomBytes(32));
      assert.equal(second.written, false);
      assert.ok(second.key.equals(first));
      assert.equal(readFileSync(path, 'utf8'), formatSecretsKey(first));
    });
  });

  test('a key file open to others is tightened to 0600; a damaged one is refused, not replaced', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'secrets.key');
      await writeSecretsKeyFile(path, randomBytes(32));
      chmodSync(path, 0o644);
      assert.equal(readSecretsKeyFile(path).tightenedFromMode, 0o644);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      writeFileSync(path, 'twinrec-secrets-key v1 tooshort\n');
      assert.throws(() => readSecretsKeyFile(path), (e: Error) => e instanceof SecretsKeyError && /not a twinrec key file/.test(e.message));
      assert.equal(readFileSync(path, 'utf8'), 'twinrec-secrets-key v1 tooshort\n');
      assert.throws(() => readSecretsKeyFile(dir), /not a regular file/);
    });
  });
});
