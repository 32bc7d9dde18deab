// Where a process's CPU went during the backfill bench, by thread kind and user/kernel time, from
// Linux's /proc/<pid>/task/<tid>/stat: the main thread (JavaScript, and the kernel time of what
// it does synchronously: socket reads and writes), libuv's thread pool (file reads, writes,
// fsyncs, crypto jobs), V8's helper threads (garbage collection, compilation) and worker threads.
// A CPU profile sees only the first's JavaScript; this says where the rest is. Elsewhere it
// reports nothing.
import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds of one thread, or of a group of threads. */
export interface CpuSplit {
  readonly user: number;
  readonly system: number;
}

/** Per thread id: its name (comm) and CPU so far. */
export type ThreadTimes = ReadonlyMap<number, { readonly name: string; readonly cpu: CpuSplit }>;

/** Thread kinds, by the names Node's threads carry. */
export type ThreadKind = 'main' | 'libuv pool' | 'V8 helpers' | 'other threads';

/**
 * The kind of a thread of process `pid`: the main thread is the one whose id is the pid; newer
 * libuv names its pool threads `libuv-worker`, V8's platform `V8 DefaultWorke…` (comm is cut at
 * 15). Node 20 leaves them all `node`: then every thread but the main one is `other threads`.
 */
export function threadKind(pid: number, tid: number, name: string): ThreadKind {
  if (tid === pid) return 'main';
  if (name.startsWith('libuv-worker')) return 'libuv pool';
  if (name.startsWith('V8 ')) return 'V8 helpers';
  return 'other threads';
}

/** Each thread's name and CPU so far (user, system), from one /proc/<pid>/task/<tid>/stat text each. */
export function parseThreadStat(text: string, ticksPerSecond: number): { name: string; cpu: CpuSplit } | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  // Fields after the name from field 3 on: utime is field 14, stime 15.
  const fields = text.slice(close + 2).split(' ');
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  if (!Number.isFinite(user) || !Number.isFinite(system)) return null;
  return { name: text.slice(open + 1, close), cpu: { user: user / ticksPerSecond, system: system / ticksPerSecond } };
}

/** Every thread of the process now; empty when it is gone or this is not Linux. */
export function threadTimes(pid: number, ticksPerSecond = 100): ThreadTimes {
  const times = new Map<number, { name: string; cpu: CpuSplit }>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return times;
  }
  for (const tid of tids) {
    try {
      const parsed = parseThreadStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'), ticksPerSecond);
      if (parsed !== null) times.set(Number(tid), parsed);
    } catch {
      // a thread that ended meanwhile
    }
  }
  return times;
}

/**
 * CPU by thread kind between two readings of process `pid` (a thread started since counts from
 * zero; one that ended since is lost, its time with it: a bench's threads live as long as it).
 */
export function cpuByKind(pid: number, before: ThreadTimes, after: ThreadTimes): Map<ThreadKind, CpuSplit> {
  const kinds = new Map<ThreadKind, CpuSplit>();
  for (const [tid, now] of after) {
    const then = before.get(tid)?.cpu ?? { user: 0, system: 0 };
    const kind = threadKind(pid, tid, now.name);
    const sum = kinds.get(kind) ?? { user: 0, system: 0 };
    kinds.set(kind, { user: sum.user + Math.max(0, now.cpu.user - then.user), system: sum.system + Math.max(0, now.cpu.system - then.system) });
  }
  return kinds;
}

/** "main 1.20 u + 0.30 s, libuv pool 0.10 u + 0.50 s" per GB (`perGb` bytes as GB), kinds with any time, largest first. */
export function formatCpuByKind(kinds: ReadonlyMap<ThreadKind, CpuSplit>, gb: number): string {
  return [...kinds]
    .filter(([, cpu]) => cpu.user + cpu.system >= 0.005 * gb)
    .sort((a, b) => b[1].user + b[1].system - (a[1].user + a[1].system))
    .map(([kind, cpu]) => `${kind} ${(cpu.user / gb).toFixed(2)} u + ${(cpu.system / gb).toFixed(2)} s`)
    .join(', ');
}
