// autocannon's CLI as a separate process against one URL: the load of a benchmark comes from
// outside the controller's event loop. Returns autocannon's JSON summary.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { reniceAll } from './proc-cpu.js';
import { stopOnSignal } from '../test/helpers/process.js';

export interface AutocannonResult {
  readonly latency: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly requests: { readonly average: number; readonly total: number };
  readonly errors: number;
  readonly non2xx: number;
}

export function autocannon(url: string, headers: Readonly<Record<string, string>>, o: { connections: number; durationS: number; /** Niceness of the autocannon process (0: as this one). */ nice?: number }): Promise<AutocannonResult> {
  const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const args = [cli, '-j', '-c', String(o.connections), '-d', String(o.durationS), ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]), url];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    if (o.nice !== undefined && o.nice > 0 && child.pid !== undefined) reniceAll(child.pid, o.nice);
    const forget = stopOnSignal(async () => void (child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL')));
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), (o.durationS + 60) * 1000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      forget();
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      try {
        resolve(JSON.parse(out) as AutocannonResult);
      } catch (err) {
        reject(err as Error);
      }
    });
  });
}
