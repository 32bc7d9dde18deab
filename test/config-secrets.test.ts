// Secrets in the controller's configuration never reach the terminal, as an operator runs the
// commands: `twinrec config print` masks every password in db.url, and a configuration error
// names the key and its source but not a secret's value, whether it came from a flag, the
// environment or a file.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTwinrecToEnd } from './helpers/process.js';

const dir = mkdtempSync(join(tmpdir(), 'twinrec-config-secrets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('configuration secrets', () => {
  test('config print masks the user-information password and password parameters of db.url', async () => {
    const url = 'postgres://app:userinfo-pw@db.example:5432/twinrec?sslmode=require&password=query-pw&sslpassword=ssl-pw';
    for (const [args, env] of [[['--db', url], {}], [[], { TWINREC_DB_URL: url }]] as const) {
      const printed = await runTwinrecToEnd(['config', 'print', '--json', ...args], { env });
      assert.equal(printed.code, 0, printed.stderr);
      const effective = JSON.parse(printed.stdout) as { db: { url: string } };
      assert.equal(effective.db.url, 'postgres://app:********@db.example:5432/twinrec?sslmode=require&password=********&sslpassword=********');
      assert.doesNotMatch(printed.stdout + printed.stderr, /userinfo-pw|query-pw|ssl-pw/);
    }
  });

  test('a bad db.url from a flag, the environment or a file is refused without its passwords', async () => {
    const url = 'oracle://scott:tiger-pw@db.example/orcl?password=lion-pw';
    const file = join(dir, 'bad-url.yaml');
    writeFileSync(file, `db:\n  url: "${url}"\n`);
    for (const [args, env] of [[['--db', url], {}], [[], { TWINREC_DB_URL: url }], [['--config', file], {}]] as const) {
      const run = await runTwinrecToEnd(['serve', '--port', '0', '--data-dir', join(dir, 'data'), ...args], { env });
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, /db\.url: expected sqlite:PATH, postgres:\/\/… or mssql:\/\/…, got "oracle:\/\/scott:\*\*\*\*\*\*\*\*@db\.example\/orcl\?password=\*\*\*\*\*\*\*\*"/);
      assert.doesNotMatch(run.stdout + run.stderr, /tiger-pw|lion-pw/);
    }
  });

  test('a too-short auth.adminPassword or a bad db.password, from the environment or a file, is named but not shown', async () => {
    const file = join(dir, 'bad-secrets.json');
    writeFileSync(file, JSON.stringify({ auth: { adminPassword: 'file-pw-1' }, db: { password: 7654321012 } }));
    const fromFile = await runTwinrecToEnd(['serve', '--config', file]);
    const fromEnv = await runTwinrecToEnd(['serve'], { env: { TWINREC_AUTH_ADMIN_PASSWORD: 'env-pw-1' } });
    for (const run of [fromFile, fromEnv]) {
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /auth\.adminPassword: .*\(a secret value, not shown\)/);
    }
    assert.match(fromFile.stderr, /db\.password: .*\(a secret value, not shown\) \(from .*bad-secrets\.json\)/);
    assert.match(fromEnv.stderr, /\(from TWINREC_AUTH_ADMIN_PASSWORD\)/);
    assert.doesNotMatch(fromFile.stderr + fromEnv.stderr, /file-pw-1|env-pw-1|7654321012/);
  });
});
