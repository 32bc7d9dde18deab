// BACKFILL_BENCH_CPU_PROF=<folder> (or 1: a folder in the lab's): the backfill bench profiles the
// lab's processes (bench/backfill-cpu-prof.mjs, loaded through NODE_OPTIONS by every process the
// lab starts) and prints the busiest functions of its agents and recorders during the fill.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { busyShare, formatSelfTimes, summarizeProfile, type CpuProfile } from './cpu-profile-summary.js';

const preload = fileURLToPath(new URL('./backfill-cpu-prof.mjs', import.meta.url));

/**
 * Profiles every process started from now on with this environment (the lab's, through
 * `lab up`): returns the folder the profiles go to, or null when BACKFILL_BENCH_CPU_PROF is unset.
 */
export function enableLabProfiling(): string | null {
  const asked = process.env.BACKFILL_BENCH_CPU_PROF;
  if (asked === undefined || asked === '' || asked === '0') return null;
  const dir = asked === '1' ? mkdtempSync(join(tmpdir(), 'twinrec-backfill-prof-')) : resolve(asked);
  process.env.TWINREC_BENCH_CPU_PROF_DIR = dir;
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import ${JSON.stringify(preload)}`.trim();
  return dir;
}

/** Profile files written so far. */
export function profileFiles(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir).filter((name) => name.endsWith('.cpuprofile')));
  } catch {
    return new Set();
  }
}

/** Asks each process to write its profile so far and start a new one (SIGUSR2; a process gone is skipped). */
export function cutProfiles(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGUSR2');
    } catch {
      // gone
    }
  }
}

/** Garbage collections by kind over a profile's while (bench/backfill-cpu-prof.mjs). */
export type GcTally = Record<string, { count: number; pauseMs: number; externalMemory: number }>;

/**
 * After a cut: each pid's profile and collections written since `before` (waiting up to
 * `timeoutMs` for them).
 */
export async function newProfiles(dir: string, pids: readonly number[], before: ReadonlySet<string>, timeoutMs = 10_000): Promise<Map<number, { profile: CpuProfile; gc: GcTally }>> {
  const found = new Map<number, { profile: CpuProfile; gc: GcTally }>();
  const deadline = Date.now() + timeoutMs;
  while (found.size < pids.length && Date.now() < deadline) {
    for (const name of profileFiles(dir)) {
      if (before.has(name)) continue;
      const pid = Number(name.split('-')[0]);
      if (!pids.includes(pid) || found.has(pid)) continue;
      try {
        const profile = JSON.parse(readFileSync(join(dir, name), 'utf8')) as CpuProfile;
        const gc = JSON.parse(readFileSync(join(dir, name.replace(/\.cpuprofile$/, '.gc.json')), 'utf8')) as GcTally;
        found.set(pid, { profile, gc });
      } catch {
        // still being written: the next round reads it
      }
    }
    if (found.size < pids.length) await new Promise((r) => setTimeout(r, 200));
  }
  return found;
}

/** Lines for one process's profile: its busy share, its collections and top functions (idle left out). */
export function profileLines(profile: CpuProfile, gc: GcTally, top: number): string[] {
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  const rows = summarizeProfile(profile, top + 1).filter((row) => row.where !== '(idle)').slice(0, top);
  const collections = Object.entries(gc).map(([kind, t]) => `${t.count} ${kind} (${t.pauseMs.toFixed(0)} ms${t.externalMemory > 0 ? `, ${t.externalMemory} for external memory` : ''})`);
  return [`busy ${(busyShare(profile) * 100).toFixed(0)} % of ${seconds.toFixed(1)} s (main thread); collections: ${collections.join(', ') || 'none'}`, ...formatSelfTimes(rows)];
}
