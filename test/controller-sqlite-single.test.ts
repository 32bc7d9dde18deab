// SQLite is the single-controller embedded default (issue 19): a second `twinrec serve` on the
// same SQLite file is refused with a clear message and exit 2, the first one serving on; a
// controller killed with SIGKILL leaves a lock the next one takes over. Real processes.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { testAdminPassword } from './helpers/auth.js';
import { runTwinrec, runTwinrecToEnd, testScratch, type TwinrecProcess } from './helpers/process.js';

const scratch = testScratch('twinrec-sqlite-single-');
const env = { TWINREC_AUTH_ADMIN_PASSWORD: testAdminPassword };

async function serve(args: string[]): Promise<{ proc: TwinrecProcess; url: string }> {
  const proc = runTwinrec(['serve', '--port', '0', '--log-level', 'warn', ...args], { env });
  scratch.running.push(proc);
  const line = await proc.waitForLine((l) => l.includes('"listening"'), 60_000);
  return { proc, url: (JSON.parse(line) as { url: string }).url };
}

test('a second controller on one SQLite file is refused; the first serves on; a killed one\'s lock is taken over', { timeout: 240_000 }, async () => {
  const dataDir = scratch.tempDir();
  const first = await serve(['--data-dir', dataDir]);

  const second = await runTwinrecToEnd(['serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], { env, timeoutMs: 60_000 });
  assert.equal(second.code, 2, second.stderr);
  assert.match(second.stderr, new RegExp(`another controller \\(process ${first.proc.pid}\\) uses the SQLite database ${join(dataDir, 'twinrec.sqlite').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.match(second.stderr, /PostgreSQL or SQL Server/);
  // The same file named from another data folder is the same database.
  const elsewhere = await runTwinrecToEnd(['serve', '--port', '0', '--data-dir', scratch.tempDir(), '--db', `sqlite:${join(dataDir, 'twinrec.sqlite')}`, '--log-level', 'warn'], { env, timeoutMs: 60_000 });
  assert.equal(elsewhere.code, 2, elsewhere.stderr);
  assert.equal((await fetch(`${first.url}/readyz`)).status, 200, 'the first controller serves on');

  // Killed without a chance to clean up: its lock names a process that is gone.
  await first.proc.stop('SIGKILL');
  const third = await serve(['--data-dir', dataDir]);
  assert.equal((await fetch(`${third.url}/readyz`)).status, 200, 'the next controller takes the file over');
  // A clean stop releases it at once.
  assert.equal(await third.proc.stop('SIGTERM', 30_000), 0);
  const fourth = await serve(['--data-dir', dataDir]);
  await fourth.proc.stop('SIGTERM', 30_000);
});
