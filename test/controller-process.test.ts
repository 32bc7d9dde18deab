// `twinrec serve` as a real process: the listening line, persistence across a restart,
// graceful shutdown with a request in flight, and configuration errors.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { adminAuthHeader, testAdminPassword } from './helpers/auth.js';
import { runTwinrec, runTwinrecToEnd, testScratch, type TwinrecProcess } from './helpers/process.js';

const { tempDir, running } = testScratch('twinrec-serve-');

async function serve(dataDir: string, extra: string[] = []): Promise<{ proc: TwinrecProcess; url: string }> {
  const proc = runTwinrec(['serve', '--port', '0', '--data-dir', dataDir, '--log-format', 'json', ...extra], { env: { TWINREC_AUTH_ADMIN_PASSWORD: testAdminPassword } });
  running.push(proc);
  const line = await proc.waitForLine((l) => l.startsWith('{'));
  const parsed = JSON.parse(line) as { event: string; url: string };
  assert.deepEqual(Object.keys(parsed), ['event', 'url']);
  assert.equal(parsed.event, 'listening');
  assert.match(parsed.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  return { proc, url: parsed.url };
}

const cluster = {
  name: 'Restart',
  mode: 'cloning',
  sharedAddress: 'restart-rs:7563',
  nodes: [
    { name: 'rs-a', role: 'primary', hostName: 'rs-a' },
    { name: 'rs-b', role: 'secondary', hostName: 'rs-b' },
  ],
};

describe('twinrec serve', () => {
  test('prints one listening line, keeps a two-node cluster across a restart, and exits 0 on SIGTERM', async () => {
    const dataDir = tempDir();
    const first = await serve(dataDir);
    assert.equal((await fetch(`${first.url}/readyz`)).status, 200);
    const auth = await adminAuthHeader(first.url, testAdminPassword);
    const created = await fetch(`${first.url}/api/v1/clusters`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(cluster) });
    assert.equal(created.status, 201);
    const id = ((await created.json()) as { id: string }).id;
    assert.equal(await first.proc.stop('SIGTERM'), 0);
    assert.equal(first.proc.stdout().trim().split('\n').length, 1, 'stdout holds only the listening line');
    assert.match(first.proc.stderr(), /"msg":"POST \/api\/v1\/clusters 201 \d+ms"/, 'one JSON log line per request on stderr');

    const second = await serve(dataDir);
    const again = await fetch(`${second.url}/api/v1/clusters/${id}`, { headers: auth });
    assert.equal(again.status, 200, 'the token still works after the restart');
    const body = (await again.json()) as { name: string; nodes: { name: string }[] };
    assert.equal(body.name, 'Restart');
    assert.deepEqual(body.nodes.map((n) => n.name), ['rs-a', 'rs-b']);
    assert.equal(await second.proc.stop('SIGINT'), 0);
  });

  test('SIGTERM lets an in-flight request finish before exiting 0', async () => {
    const { proc, url } = await serve(tempDir());
    const auth = await adminAuthHeader(url, testAdminPassword);
    const body = JSON.stringify({ ...cluster, name: 'InFlight' });
    const { hostname, port } = new URL(url);
    const response = new Promise<number>((resolve, reject) => {
      const req = httpRequest({ hostname, port, path: '/api/v1/clusters', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...auth } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      // Half the body now, SIGTERM, then the rest: the request is in flight during shutdown.
      req.write(body.slice(0, 20));
      setTimeout(() => {
        process.kill(proc.pid, 'SIGTERM');
        setTimeout(() => req.end(body.slice(20)), 300);
      }, 200);
    });
    assert.equal(await response, 201);
    assert.equal(await proc.exited(), 0);
  });

  test('a bad flag, environment variable or config key exits non-zero and names it', async () => {
    const badEnv = await runTwinrecToEnd(['serve', '--data-dir', tempDir()], { env: { TWINREC_HTTP_PORT: 'eighty' } });
    assert.equal(badEnv.code, 2);
    assert.match(badEnv.stderr, /http\.port: expected an integer, got "eighty" \(from TWINREC_HTTP_PORT\)/);

    const badFlag = await runTwinrecToEnd(['serve', '--port', '70000']);
    assert.notEqual(badFlag.code, 0);
    assert.match(badFlag.stderr, /--port.*0 to 65535/);

    const dir = tempDir();
    const file = join(dir, 'controller.yaml');
    writeFileSync(file, 'http:\n  port: 0\n  colour: blue\nlog:\n  level: loud\n');
    const badFile = await runTwinrecToEnd(['serve', '--config', file]);
    assert.equal(badFile.code, 2);
    assert.match(badFile.stderr, /http\.colour: unknown key \(from .*controller\.yaml\)/);
    assert.match(badFile.stderr, /log\.level: .*got "loud"/);

    const badDb = await runTwinrecToEnd(['serve', '--port', '0', '--db', 'oracle://x']);
    assert.notEqual(badDb.code, 0);
    assert.match(badDb.stderr, /db\.url: expected sqlite:PATH, postgres:\/\/… or mssql:\/\/…/);
  });

  test('the port flag beats the environment, which beats the config file', async () => {
    const dir = tempDir();
    const file = join(dir, 'controller.json');
    writeFileSync(file, JSON.stringify({ http: { port: 1111, host: '127.0.0.1' }, log: { level: 'warn' }, db: { password: 'file-secret' } }));
    const printed = await runTwinrecToEnd(['config', 'print', '--json', '--config', file, '--port', '3333', '--db', 'postgres://app:url-secret@db.example/twinrec'], { env: { TWINREC_HTTP_PORT: '2222', TWINREC_LOG_LEVEL: 'debug', TWINREC_AUTH_ADMIN_PASSWORD: 'env-secret-admin-pw' } });
    assert.equal(printed.code, 0, printed.stderr);
    const effective = JSON.parse(printed.stdout) as { http: { port: number }; log: { level: string }; db: { url: string; password: string }; auth: { adminPassword: string } };
    assert.equal(effective.http.port, 3333);
    assert.equal(effective.log.level, 'debug');
    assert.equal(effective.db.password, '********');
    assert.equal(effective.db.url, 'postgres://app:********@db.example/twinrec');
    assert.equal(effective.auth.adminPassword, '********');
    assert.doesNotMatch(printed.stdout, /secret/);
  });

  test('every command explains its flags with examples', async () => {
    for (const args of [['--help'], ['serve', '--help'], ['migrate', '--help'], ['migrate', 'up', '--help'], ['migrate', 'down', '--help'], ['migrate', 'status', '--help'], ['config', 'print', '--help']]) {
      const result = await runTwinrecToEnd(args);
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stdout, /Examples:/, args.join(' '));
    }
    const serveHelp = (await runTwinrecToEnd(['serve', '--help'])).stdout;
    for (const flag of ['--host', '--port', '--data-dir', '--db', '--config', '--log-level']) assert.ok(serveHelp.includes(flag), flag);
  });
  test('writes its log to a rotating file as well when log.file is set, rotated at the size, without secrets', async () => {
    const dataDir = tempDir();
    const logDir = join(tempDir(), 'logs');
    const proc = runTwinrec(['serve', '--port', '0', '--data-dir', dataDir, '--log-format', 'json'], {
      env: { TWINREC_AUTH_ADMIN_PASSWORD: testAdminPassword, TWINREC_LOG_FILE_PATH: join(logDir, 'controller.log'), TWINREC_LOG_FILE_SIZE_MAX_MB: '0.005', TWINREC_LOG_FILE_FILES_MAX: '2' },
    });
    running.push(proc);
    const { url } = JSON.parse(await proc.waitForLine((l) => l.startsWith('{'))) as { url: string };
    const auth = await adminAuthHeader(url, testAdminPassword);
    // About 150 bytes of log per request: 100 requests make three files' worth of 5 KB.
    for (let i = 0; i < 100; i += 1) assert.equal((await fetch(`${url}/api/v1/clusters`, { headers: auth })).status, 200);
    assert.equal(await proc.stop('SIGTERM'), 0);
    const files = readdirSync(logDir).filter((name) => /^controller\.\d+\.log$/.test(name));
    assert.ok(files.length >= 2, `rotated at 5 KB: ${files.join(', ')}`);
    assert.ok(files.length <= 3, `at most filesMax (2) besides the current one: ${files.join(', ')}`);
    const lines = files.flatMap((name) => readFileSync(join(logDir, name), 'utf8').split('\n').filter((l) => l !== ''));
    assert.ok(lines.filter((l) => /"msg":"GET \/api\/v1\/clusters 200 \d+ms"/.test(l)).length >= 10, 'request lines are in the files');
    for (const line of lines) JSON.parse(line);
    const text = files.map((name) => readFileSync(join(logDir, name), 'utf8')).join('');
    assert.ok(!text.includes(testAdminPassword), 'the admin password is not logged');
    assert.ok(!text.includes(auth.authorization.replace(/^Bearer /, '')), 'the token is not logged');
    for (const name of files) assert.equal(statSync(join(logDir, name)).mode & 0o777, 0o600, name);
  });
});
