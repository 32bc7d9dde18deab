// Runs a service manager's command line tool (systemctl, sc.exe) the way the agent must: no
// shell (so a unit or service name is never interpreted), its own process group (so a
// timeout also ends whatever it started), a hard timeout and bounded output.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export interface RunCommandOptions {
  /** The command is killed (its whole process group, SIGKILL) after this long. */
  readonly timeoutMs: number;
  /** Bytes kept from each of stdout and stderr; the rest is read and discarded. Default 64 KB. */
  readonly maxOutputBytes?: number;
}

export interface CommandResult {
  /** The exit code; 128 + the signal number when a signal ended the command (as a shell reports it). */
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export class CommandError extends Error {
  override readonly name = 'CommandError';
}

const defaultMaxOutputBytes = 64 * 1024;
/** After the timeout's SIGKILL, how long to wait for the exit before rejecting anyway. */
const killGraceMs = 2_000;

/** Keeps the first `maxBytes` bytes written to a stream; later chunks are dropped. */
class BoundedOutput {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  add(chunk: Buffer): void {
    const room = this.maxBytes - this.bytes;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.bytes += kept.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const number = signal === null ? undefined : constants.signals[signal];
  return 128 + (number ?? 0);
}

function commandLine(file: string, args: readonly string[]): string {
  return [file, ...args].join(' ').slice(0, 200);
}

function killGroup(pid: number | undefined, fallback: () => void): void {
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    fallback();
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    fallback();
  }
}

/**
 * Runs `file` with `args` (no shell) and resolves with its exit code and output, whatever the
 * exit code. Rejects with a CommandError if it cannot be started or outlives `timeoutMs`
 * (then its process group has been sent SIGKILL).
 *
 * @example
 *   const { exitCode, stdout } = await runCommand('systemctl', ['show', '--property=ActiveState', '--value', 'xprotect-recorder.service'], { timeoutMs: 5_000 });
 */
export function runCommand(file: string, args: readonly string[], options: RunCommandOptions): Promise<CommandResult> {
  const { timeoutMs } = options;
  const maxOutputBytes = options.maxOutputBytes ?? defaultMaxOutputBytes;
  if (!(timeoutMs > 0)) return Promise.reject(new RangeError('timeoutMs must be positive'));
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group on POSIX, so the timeout can kill everything it started.
      detached: process.platform !== 'win32',
      windowsHide: true,
      shell: false,
    });
    const stdout = new BoundedOutput(maxOutputBytes);
    const stderr = new BoundedOutput(maxOutputBytes);
    child.stdout.on('data', (chunk: Buffer) => stdout.add(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.add(chunk));

    let settled = false;
    let killed = false;
    let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let graceTimer: NodeJS.Timeout | undefined;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      outcome();
    };
    const succeed = (code: number | null, signal: NodeJS.Signals | null): void =>
      finish(() => resolve({ exitCode: exitCodeOf(code, signal), stdout: stdout.text(), stderr: stderr.text() }));
    const timedOut = (): void => finish(() => reject(new CommandError(`${commandLine(file, args)} timed out after ${timeoutMs} ms and was killed`)));

    const timer = setTimeout(() => {
      killed = true;
      killGroup(child.pid, () => child.kill('SIGKILL'));
      child.stdout.destroy();
      child.stderr.destroy();
      // The command itself had exited and something it started kept the pipes open: its answer stands.
      if (exited !== null) {
        succeed(exited.code, exited.signal);
        return;
      }
      graceTimer = setTimeout(timedOut, killGraceMs);
    }, timeoutMs);

    child.once('error', (err) => {
      // Spawn failures (ENOENT, EACCES): no process was started, nothing to kill.
      finish(() => reject(new CommandError(`cannot run ${file}: ${err.message}`)));
    });
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      if (killed) timedOut();
    });
    // 'close' comes after the exit and after both pipes are drained.
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => (killed ? timedOut() : succeed(code, signal)));
  });
}
