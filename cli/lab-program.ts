// The lab (an XProtect stand-in) is its own program, lab/main.ts. The product's CLI never
// loads it: `twinrec lab …` and the demo run it as a child process, exactly as a user would,
// so nothing outside lab/, test/ and bench/ imports lab/.
import { spawn, type StdioOptions } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The lab's entry, beside this file's folder: lab/main.ts from source (tsx), dist/lab/main.js from the build. */
export function labProgram(): { command: string; args: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { command: process.execPath, args: ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('../lab/main.ts', here))] };
  return { command: process.execPath, args: [fileURLToPath(new URL('../lab/main.js', here))] };
}

const forwardedSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface LabRun {
  /** The child's exit code; a child ended by a signal gives 128 + its number, as a shell does. */
  readonly exitCode: number;
  /** Its standard output, when `captureStdout` was asked for. */
  readonly stdout: string;
}

/**
 * Runs `lab <args>` in the lab's program and waits for it. Signals this process receives
 * (SIGINT, SIGTERM, SIGHUP) are passed on to the child by its PID, so it ends by its own
 * shutdown path; standard error always goes to ours.
 *
 * @example const { exitCode } = await runLab(['status', '--dir', dir]);
 */
export async function runLab(args: readonly string[], options: { captureStdout?: boolean; stdoutBytesMax?: number } = {}): Promise<LabRun> {
  const program = labProgram();
  const stdio: StdioOptions = ['inherit', options.captureStdout === true ? 'pipe' : 'inherit', 'inherit'];
  const child = spawn(program.command, [...program.args, 'lab', ...args], { stdio });
  const forward = (signal: NodeJS.Signals): void => {
    if (child.pid !== undefined && child.exitCode === null) child.kill(signal);
  };
  for (const signal of forwardedSignals) process.on(signal, forward);
  const chunks: Buffer[] = [];
  let bytes = 0;
  const bytesMax = options.stdoutBytesMax ?? 16 * 1024 * 1024;
  child.stdout?.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes <= bytesMax) chunks.push(chunk);
  });
  try {
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal])));
    });
    if (bytes > bytesMax) throw new Error(`the lab printed more than ${bytesMax} bytes`);
    return { exitCode, stdout: Buffer.concat(chunks).toString('utf8') };
  } finally {
    for (const signal of forwardedSignals) process.off(signal, forward);
  }
}

