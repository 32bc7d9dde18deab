// Runs `twinrec …` as a real child process from source, collects its output, and stops it by PID.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { after } from 'node:test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface TwinrecProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line matching, or rejects after timeoutMs. */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or signal name), or rejects after timeoutMs. */
  exited(timeoutMs?: number): Promise<number | string>;
  /** Sends a signal to the PID; SIGKILL if it has not exited within timeoutMs. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
}

/**
 * What must be stopped when this process is told to stop (SIGINT, SIGTERM, SIGHUP): a test or
 * benchmark ended by a signal still stops every process it started, by PID. Returns the
 * function that takes the cleanup back once it has run normally.
 */
export function stopOnSignal(cleanup: () => Promise<unknown>): () => void {
  if (signalCleanups.size === 0) for (const signal of stopSignals) process.once(signal, onStopSignal);
  signalCleanups.add(cleanup);
  return () => {
    signalCleanups.delete(cleanup);
    if (signalCleanups.size === 0) for (const signal of stopSignals) process.off(signal, onStopSignal);
  };
}

const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const signalCleanups = new Set<() => Promise<unknown>>();
/** Bound on the cleanups after a signal: what has not stopped by then is left to SIGKILL by its owner's own bound. */
const signalCleanupMsMax = 60_000;

function onStopSignal(signal: NodeJS.Signals): void {
  const cleanups = [...signalCleanups];
  signalCleanups.clear();
  const bound = new Promise<void>((resolve) => setTimeout(resolve, signalCleanupMsMax).unref());
  void Promise.race([Promise.allSettled(cleanups.map((c) => c())), bound]).then(() => process.exit(128 + constants.signals[signal]));
}

export function runTwinrec(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): TwinrecProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'cli', 'main.ts'), ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...cleanEnv(), ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exit = new Promise<number | string>((resolve) => child.once('close', (code, signal) => resolve(code ?? signal ?? -1)));
  const pid = child.pid;
  if (pid === undefined) throw new Error('twinrec did not start');
  const forget = stopOnSignal(() => stop('SIGTERM', 15_000));
  void exit.then(forget);

  const exited = (timeoutMs = 30_000): Promise<number | string> => withTimeout(exit, timeoutMs, `twinrec ${args.join(' ')} to exit`);
  return {
    child,
    pid,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLine: (match, timeoutMs = 30_000) =>
      withTimeout(
        new Promise<string>((resolve, reject) => {
          const check = (): boolean => {
            const line = out.split('\n').find((l) => l !== '' && match(l));
            if (line !== undefined) resolve(line);
            return line !== undefined;
          };
          if (check()) return;
          child.stdout.on('data', check);
          void exit.then((code) => reject(new Error(`twinrec exited (${code}) before the expected line; stderr:\n${err.slice(-2000)}`)));
        }),
        timeoutMs,
        'an expected stdout line',
      ),
    stop,
  };

  async function stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<number | string> {
    if (child.exitCode !== null || child.signalCode !== null) return exit;
    process.kill(pid as number, signal);
    try {
      return await exited(timeoutMs);
    } catch {
      process.kill(pid as number, 'SIGKILL');
      return exit;
    }
  }
}

/** Runs a command to completion and returns its code and output. */
export async function runTwinrecToEnd(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}) {
  const proc = runTwinrec(args, options);
  proc.child.stdin.end();
  try {
    const code = await proc.exited(options.timeoutMs ?? 60_000);
    return { code, stdout: proc.stdout(), stderr: proc.stderr() };
  } finally {
    await proc.stop('SIGKILL', 1_000);
  }
}

/** The test's environment without TWINREC_* settings that would leak into the child. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TWINREC_') || k === 'TWINREC_TEST_PG_URL'));
}

export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The scratch of one test file: temp folders and twinrec processes, all stopped (by PID) and
 * removed when the file's tests end. Call it at the top level of a test file.
 *
 * @example
 *   const { tempDir, running } = testScratch('twinrec-serve-');
 *   running.push(runTwinrec(['serve', '--data-dir', tempDir()]));
 */
export function testScratch(prefix: string): { tempDir: () => string; running: TwinrecProcess[] } {
  const dirs: string[] = [];
  const running: TwinrecProcess[] = [];
  after(async () => {
    for (const proc of running) await proc.stop('SIGKILL', 2_000);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  return { tempDir, running };
}
