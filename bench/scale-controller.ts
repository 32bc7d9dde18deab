// The controller of the scale bench: `twinrec serve` from source as its own process, like
// test/helpers/process.ts's runTwinrec, but with Node options of its own (`--cpu-prof` is not
// allowed in NODE_OPTIONS). Stopped by its PID, on signals too.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { repoRoot, stopOnSignal } from '../test/helpers/process.js';

export interface ServeProcess {
  readonly pid: number;
  readonly url: string;
  /** SIGTERM (a graceful stop, which writes a CPU profile), SIGKILL after timeoutMs. */
  stop(timeoutMs?: number): Promise<void>;
}

export async function startServe(o: { dataDir: string; env: NodeJS.ProcessEnv; nodeArgs: readonly string[] }): Promise<ServeProcess> {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TWINREC_'))), ...o.env };
  const child = spawn(process.execPath, [...o.nodeArgs, '--import', 'tsx', join(repoRoot, 'cli', 'main.ts'), 'serve', '--port', '0', '--data-dir', o.dataDir, '--log-level', 'warn'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('twinrec serve did not start');
  const exited = once(child, 'exit');
  const stop = async (timeoutMs = 30_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(pid, 'SIGTERM');
    const timer = setTimeout(() => process.kill(pid, 'SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  };
  const forget = stopOnSignal(stop);
  void exited.then(forget);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    // Warnings only (--log-level warn); the tail is kept for a failed start, and shown as it comes.
    stderr = (stderr + chunk).slice(-4000);
    process.stderr.write(chunk);
  });
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('twinrec serve did not listen within 120 s')), 120_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout = (stdout + chunk).slice(-64_000);
      const line = stdout.split('\n').find((l) => l.includes('"listening"'));
      if (line === undefined) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`twinrec serve exited before listening:\n${stderr}`));
    });
  }).catch(async (err: unknown) => {
    await stop(5_000);
    throw err;
  });
  // Later output is not kept (the serve process would fill a pipe nobody reads otherwise).
  child.stdout.resume();
  return { pid, url, stop };
}
