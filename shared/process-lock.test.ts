import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLockFile, isProcessAlive, LockHeldError, releaseLockFile } from './process-lock.js';

const dir = mkdtempSync(join(tmpdir(), 'twinrec-lock-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('a free lock is taken, held by this process, and released', async () => {
  const path = join(dir, 'free.lock');
  await acquireLockFile(path);
  assert.equal((JSON.parse(readFileSync(path, 'utf8')) as { pid: number }).pid, process.pid);
  await acquireLockFile(path);
  await releaseLockFile(path);
  assert.equal(existsSync(path), false);
});

test('a live holder refuses; a dead one\'s lock is taken over; release leaves another holder\'s lock alone', async () => {
  const path = join(dir, 'held.lock');
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  try {
    assert.ok(holder.pid !== undefined && isProcessAlive(holder.pid));
    writeFileSync(path, JSON.stringify({ pid: holder.pid }));
    await assert.rejects(acquireLockFile(path), (err: unknown) => err instanceof LockHeldError && err.holderPid === holder.pid);
    await releaseLockFile(path);
    assert.equal(existsSync(path), true, 'not ours to remove');
  } finally {
    holder.kill('SIGKILL');
    await once(holder, 'exit');
  }
  assert.equal(isProcessAlive(holder.pid), false);
  await acquireLockFile(path);
  assert.equal((JSON.parse(readFileSync(path, 'utf8')) as { pid: number }).pid, process.pid);
  await releaseLockFile(path);
});
