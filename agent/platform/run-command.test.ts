import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CommandError, runCommand } from './run-command.js';

const node = process.execPath;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

describe('runCommand', () => {
  it('returns the exit code and both outputs', async () => {
    const result = await runCommand(node, ['-e', 'process.stdout.write("out"); process.stderr.write("err"); process.exit(3)'], { timeoutMs: 10_000 });
    assert.deepEqual(result, { exitCode: 3, stdout: 'out', stderr: 'err' });
  });

  it('passes arguments without a shell', async () => {
    const tricky = '"; echo injected; $(whoami) `id` *';
    const result = await runCommand(node, ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', tricky, 'two words'], { timeoutMs: 10_000 });
    assert.equal(result.exitCode, 0);
    assert.deepEqual(JSON.parse(result.stdout), [tricky, 'two words']);
  });

  it('reports a signal as 128 + its number', async () => {
    const result = await runCommand(node, ['-e', 'process.kill(process.pid, "SIGTERM"); setTimeout(() => {}, 5000)'], { timeoutMs: 10_000 });
    assert.equal(result.exitCode, 128 + 15);
  });

  it('keeps at most maxOutputBytes of each output and still waits for the exit', async () => {
    const result = await runCommand(node, ['-e', 'process.stdout.write("x".repeat(200000)); process.stderr.write("y".repeat(50)); process.exitCode = 0'], { timeoutMs: 10_000, maxOutputBytes: 1000 });
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, 'x'.repeat(1000));
    assert.equal(result.stderr, 'y'.repeat(50));
  });

  it('bounds the output to 64 KB by default', async () => {
    const result = await runCommand(node, ['-e', 'process.stdout.write("z".repeat(300000))'], { timeoutMs: 10_000 });
    assert.equal(result.stdout.length, 64 * 1024);
  });

  it('kills the command and its children on timeout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'twinrec-run-command-'));
    try {
      // The command starts a child of its own, writes both pids to a file, then hangs.
      const pidFile = join(dir, 'pids.json');
      const script = [
        'const { spawn } = require("node:child_process");',
        'const c = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });',
        `require("node:fs").writeFileSync(${JSON.stringify(pidFile)}, JSON.stringify([process.pid, c.pid]));`,
        'setInterval(() => {}, 1000);',
      ].join('\n');
      await assert.rejects(runCommand(node, ['-e', script], { timeoutMs: 1_000 }), (err: unknown) => {
        assert.ok(err instanceof CommandError);
        assert.match(err.message, /timed out after 1000 ms/);
        return true;
      });
      const pids = JSON.parse(await readFile(pidFile, 'utf8')) as number[];
      assert.equal(pids.length, 2);
      for (const pid of pids) assert.ok(await waitGone(pid, 5_000), `pid ${pid} still alive`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects when the file cannot be run', async () => {
    await assert.rejects(runCommand('/nonexistent/twinrec-no-such-tool', [], { timeoutMs: 5_000 }), /cannot run \/nonexistent\/twinrec-no-such-tool/);
  });

  it('returns the answer of a command that exited while its child keeps the pipes open', async () => {
    const script = 'require("node:child_process").spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "inherit" }).unref(); process.stdout.write("done")';
    const result = await runCommand(node, ['-e', script], { timeoutMs: 1_500 });
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, 'done');
  });
});
