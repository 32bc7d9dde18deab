// The backfill bench's profiler, for processes the lab starts (agents, recorders) whose command
// line the bench does not write: `node --cpu-prof` is refused in NODE_OPTIONS, `--import` is not.
// With BACKFILL_BENCH_CPU_PROF set, the bench runs every lab process with
// NODE_OPTIONS="--import <this file>" and TWINREC_BENCH_CPU_PROF_DIR; this starts V8's sampling
// profiler at once and, on each SIGUSR2, writes the profile so far as
// <dir>/<pid>-<n>.cpuprofile and starts a new one, so the bench cuts out exactly its fill; beside
// it <pid>-<n>.gc.json, the garbage collections of that while (count and pause by kind, and how
// many external memory forced).
// Plain JavaScript: it loads before tsx does. Without the variable it does nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';

const dir = process.env.TWINREC_BENCH_CPU_PROF_DIR;
if (dir !== undefined && dir !== '') {
  mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  let cut = 0;
  const kinds = { [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor', [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major', [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb' };
  let gc = {};
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = kinds[entry.detail?.kind] ?? 'other';
      const sum = (gc[kind] ??= { count: 0, pauseMs: 0, externalMemory: 0 });
      sum.count += 1;
      sum.pauseMs += entry.duration;
      if ((entry.detail?.flags & constants.NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY) !== 0) sum.externalMemory += 1;
    }
  }).observe({ entryTypes: ['gc'] });
  const start = () => {
    session.post('Profiler.enable');
    session.post('Profiler.setSamplingInterval', { interval: 1000 });
    session.post('Profiler.start');
  };
  // An in-process session answers synchronously: this works in an 'exit' handler too.
  const write = () =>
    session.post('Profiler.stop', (err, result) => {
      if (err === null && result !== undefined) writeFileSync(join(dir, `${process.pid}-${cut}.cpuprofile`), JSON.stringify(result.profile));
      writeFileSync(join(dir, `${process.pid}-${cut}.gc.json`), JSON.stringify(gc));
      gc = {};
      cut += 1;
    });
  start();
  process.on('SIGUSR2', () => {
    write();
    start();
  });
  process.once('exit', write);
}
