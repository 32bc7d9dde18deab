// CPU time of other processes (user + system), from Linux's /proc/<pid>/stat: what a benchmark
// reads before and after a phase to say which process spent the time. Elsewhere it reports
// nothing rather than guessing.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';

let ticksPerSecond: number | null = null;

function clockTicksPerSecond(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5_000 }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * CPU seconds (user + system) the process has used so far; null if it is gone or this is not Linux.
 *
 * @example cpuSeconds(process.pid) // 1.42
 */
export function cpuSeconds(pid: number): number | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after the command name (which may hold spaces), from field 3 on: utime is field 14, stime 15.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return (utime + stime) / clockTicksPerSecond();
}

/**
 * Gives every thread of a process the niceness `nice` (Linux keeps one per thread; threads made
 * later inherit their creator's). Elsewhere only the process's main thread is reniced.
 *
 * @example reniceAll(child.pid, 10)
 */
export function reniceAll(pid: number, nice: number): void {
  let threads: number[];
  try {
    threads = readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    threads = [pid];
  }
  for (const tid of threads) {
    try {
      setPriority(tid, nice);
    } catch {
      // A thread that ended meanwhile.
    }
  }
}
