import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReadyLine } from './shared/ready.js';

/**
 * How to start a lab process: the same program this code runs from. From source (tsx), that
 * is `node --import tsx lab/main.ts …`; from the build, `node dist/lab/main.js …`. lab/main.ts
 * is a small entry with only the `lab` commands, so a lab process starts fast and does not
 * load the controller.
 */
export function labEntry(): { command: string; args: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return { command: process.execPath, args: ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('./main.ts', here))] };
  }
  return { command: process.execPath, args: [fileURLToPath(new URL('./main.js', here))] };
}

/**
 * How to start a `twinrec` command that is not a lab command (`twinrec agent`, `twinrec
 * relay`): the main CLI, from source `node --import tsx cli/main.ts …`, from the build
 * `node dist/cli/main.js …`.
 */
export function twinrecEntry(): { command: string; args: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return { command: process.execPath, args: ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('../cli/main.ts', here))] };
  }
  return { command: process.execPath, args: [fileURLToPath(new URL('../cli/main.js', here))] };
}

/** Which program a planned process runs: `lab` (lab/main.ts, the default) or `twinrec` (cli/main.ts). */
export type ProcessEntry = 'lab' | 'twinrec';

export interface SpawnOptions {
  /** stderr (the process's log) is appended here. */
  readonly logPath: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly readyTimeoutMs: number;
  /** Start in a new session, so the process outlives the one that started it. */
  readonly detached?: boolean;
  /** Working directory (default: the current one). */
  readonly cwd?: string;
  /** The program to run (default 'lab'). */
  readonly entry?: ProcessEntry;
  /**
   * Run it in this network namespace: `ip netns exec <netns> node …`, which enters the namespace
   * and then execs node, so the pid is the process's own (signals and `lab down` still reach it).
   */
  readonly netns?: string;
}

/** iproute2's `ip` (in /usr/sbin, which a non-login PATH may lack). */
function ipCommand(): string {
  return ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((path) => existsSync(path)) ?? 'ip';
}

/** The command line of a process, entered into `netns` when one is given. */
export function inNetns(command: string, args: readonly string[], netns: string | undefined): { command: string; args: string[] } {
  if (netns === undefined) return { command, args: [...args] };
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(netns)) throw new Error(`not a network namespace name: ${JSON.stringify(netns)}`);
  return { command: ipCommand(), args: ['netns', 'exec', netns, command, ...args] };
}

export interface SpawnedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly ready: ReadyLine;
}

const MAX_READY_LINE_BYTES = 1024 * 1024;

function logTail(path: string): string {
  try {
    const text = readFileSync(path, 'utf8');
    return text.slice(-2000);
  } catch {
    return '';
  }
}

/**
 * Starts `twinrec <args>` (through lab/main.ts, or cli/main.ts when `entry` is 'twinrec') and
 * resolves when it prints its ready line: a JSON object with `"event":"listening"` (`component`
 * and `pid` are optional; a missing pid is the child's). If it exits first or does not become
 * ready in time, it is killed (by its pid) and the promise rejects with the end of its log.
 *
 * @example await spawnLabProcess(['lab', 'cameras', '--cameras', '2'], { logPath: 'hub.log', readyTimeoutMs: 30_000 })
 */
export function spawnLabProcess(args: readonly string[], options: SpawnOptions): Promise<SpawnedProcess> {
  const entry = options.entry === 'twinrec' ? twinrecEntry() : labEntry();
  const command = inNetns(entry.command, [...entry.args, ...args], options.netns);
  const logFd = openSync(options.logPath, 'a', 0o600);
  let child: ChildProcess;
  try {
    child = spawn(command.command, command.args, {
      stdio: ['ignore', 'pipe', logFd],
      env: { ...process.env, ...options.env },
      detached: options.detached ?? false,
      cwd: options.cwd,
    });
  } finally {
    closeSync(logFd);
  }
  return new Promise((resolve, reject) => {
    let buffer = '';
    let settled = false;
    const finish = (err: Error | null, ready?: ReadyLine): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout?.removeAllListeners('data');
      child.stdout?.destroy();
      child.removeListener('exit', onExit);
      if (err !== null) {
        if (child.pid !== undefined && child.exitCode === null) {
          try {
            process.kill(child.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
        reject(err);
        return;
      }
      resolve({ child, pid: child.pid as number, ready: ready as ReadyLine });
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      finish(new Error(`lab process exited before it was ready (code ${String(code)}, signal ${String(signal)}): ${args.slice(0, 2).join(' ')}\n${logTail(options.logPath)}`));
    const timer = setTimeout(() => finish(new Error(`lab process not ready after ${options.readyTimeoutMs} ms: ${args.slice(0, 2).join(' ')}\n${logTail(options.logPath)}`)), options.readyTimeoutMs);
    child.once('exit', onExit);
    child.once('error', (err) => finish(err));
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_READY_LINE_BYTES) {
        finish(new Error('lab process printed too much before its ready line'));
        return;
      }
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      try {
        const event = JSON.parse(buffer.slice(0, newline)) as unknown;
        if (typeof event !== 'object' || event === null || Array.isArray(event) || (event as { event?: unknown }).event !== 'listening') throw new Error(`unexpected first line ${buffer.slice(0, 200)}`);
        const pid = (event as { pid?: unknown }).pid;
        finish(null, { ...(event as Record<string, unknown>), event: 'listening', pid: typeof pid === 'number' ? pid : (child.pid as number) });
      } catch (err) {
        finish(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}
