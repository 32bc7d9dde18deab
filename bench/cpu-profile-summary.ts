// Where a process spent its time, from the .cpuprofile V8 writes under `node --cpu-prof`: self
// time by function (name, file and line), largest first. The bench prints it after a profiled
// run; `node --import tsx bench/cpu-profile-summary.ts <file.cpuprofile> [top]` prints one file.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parts of a .cpuprofile (Chrome DevTools Profiler.Profile) read here. */
export interface CpuProfile {
  readonly nodes: ReadonlyArray<{ readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number } }>;
  readonly samples: readonly number[];
  /** Microseconds since the previous sample, one per sample. */
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface SelfTime {
  /** `name file:line`, the line 1-based; `(program)`, `(garbage collector)` and `(idle)` as V8 names them. */
  readonly where: string;
  readonly selfMs: number;
  /** Of all sampled time, idle included. */
  readonly share: number;
}

/**
 * Self time by function, largest first, at most `top` of them.
 *
 * @example summarizeProfile(profile, 3) // [{ where: 'parse node_modules/zod/…/types.js:720', selfMs: 812.4, share: 0.09 }, …]
 */
export function summarizeProfile(profile: CpuProfile, top: number): SelfTime[] {
  if (profile.samples.length !== profile.timeDeltas.length) throw new Error(`a profile needs one time delta per sample: ${profile.samples.length} samples, ${profile.timeDeltas.length} deltas`);
  const whereById = new Map<number, string>();
  for (const node of profile.nodes) whereById.set(node.id, whereOf(node.callFrame));
  const microsByWhere = new Map<string, number>();
  let totalMicros = 0;
  // The delta before sample i+1 is the time spent where sample i was taken.
  for (let i = 0; i < profile.samples.length; i += 1) {
    const micros = Math.max(0, profile.timeDeltas[i + 1] ?? 0);
    const where = whereById.get(profile.samples[i] as number) ?? '(unknown)';
    microsByWhere.set(where, (microsByWhere.get(where) ?? 0) + micros);
    totalMicros += micros;
  }
  return [...microsByWhere]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, micros]) => ({ where, selfMs: Math.round(micros / 100) / 10, share: totalMicros === 0 ? 0 : micros / totalMicros }));
}

/** Busy share of the profile: what was not `(idle)`. */
export function busyShare(profile: CpuProfile): number {
  const idle = summarizeProfile(profile, Number.MAX_SAFE_INTEGER).find((s) => s.where === '(idle)')?.share ?? 0;
  return 1 - idle;
}

function whereOf(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  if (frame.url === '') return name;
  return `${name} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

/** A file URL from the repository or node_modules, shortened to what identifies it. */
function shortUrl(url: string): string {
  const path = url.startsWith('file://') ? url.slice('file://'.length) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + 1);
  for (const root of ['/api/', '/shared/', '/contracts/', '/agent/', '/cli/']) {
    const at = path.indexOf(root);
    if (at >= 0) return path.slice(at + 1);
  }
  return path.startsWith('node:') ? path : basename(path);
}

/** Lines as the bench prints them. */
export function formatSelfTimes(rows: readonly SelfTime[]): string[] {
  return rows.map((r) => `${(r.share * 100).toFixed(1).padStart(5)} %  ${String(r.selfMs.toFixed(0)).padStart(7)} ms  ${r.where}`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (file === undefined) {
    console.error('usage: node --import tsx bench/cpu-profile-summary.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  console.log(`busy ${(busyShare(profile) * 100).toFixed(1)} % of ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s`);
  for (const line of formatSelfTimes(summarizeProfile(profile, Number(process.argv[3] ?? 30)))) console.log(line);
}
