// `npm run bench -- schedules`: every property of the decision core (agent/core/properties.fixtures.ts)
// over SCHEDULES_BENCH_RUNS (10,000) random schedules each, far more than `npm test` affords.
// Prints per property the schedules run, the wall time, and "held" or the failing fast-check
// seed and path with the shrunk counterexample as JSON, to paste into a regression test (the
// property's `check` replays it). SCHEDULES_BENCH_SEED (an integer) gives every property that
// fast-check seed, to replay a run. Exits 1 when any property fails. CPU only: run it niced.
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { asProperty, coreProperties, runsFrom } from '../agent/core/properties.fixtures.js';

/** An assertion's message can quote whole runs: enough to read, bounded. */
const errorCharsMax = 4_000;

const runs = runsFrom('SCHEDULES_BENCH_RUNS', process.env.SCHEDULES_BENCH_RUNS, 10_000);
const seed = seedFrom(process.env.SCHEDULES_BENCH_SEED);
console.log(`schedules: ${coreProperties.length} properties of the decision core, ${runs} schedules each (SCHEDULES_BENCH_RUNS)${seed === null ? '' : `, seed ${seed}`}`);

let failed = 0;
const startedMs = performance.now();
for (const p of coreProperties) {
  const start = performance.now();
  // fc.check reports a failure (shrunk, with its seed) instead of throwing it.
  const details = fc.check(asProperty(p), { numRuns: runs, ...(seed === null ? {} : { seed }) });
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  if (!details.failed) {
    console.log(`  held    ${String(details.numRuns).padStart(6)} schedules  ${seconds.padStart(6)} s  ${p.name}`);
    continue;
  }
  failed += 1;
  console.log(`  FAILED  ${String(details.numRuns).padStart(6)} schedules  ${seconds.padStart(6)} s  ${p.name}`);
  console.log(`    seed ${details.seed}, path "${details.counterexamplePath ?? ''}", ${details.numShrinks} shrinks (replay: fc.assert(asProperty(property), { seed, path }))`);
  console.log(`    counterexample: ${JSON.stringify(details.counterexample?.[0])}`);
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  console.log(`    ${error.length > errorCharsMax ? `${error.slice(0, errorCharsMax)}…` : error}`.replaceAll('\n', '\n    '));
}
const totalSeconds = ((performance.now() - startedMs) / 1000).toFixed(1);
console.log(failed === 0 ? `  every property held (${totalSeconds} s)` : `  ${failed} of ${coreProperties.length} properties failed (${totalSeconds} s)`);
if (failed > 0) process.exitCode = 1;

/** A fast-check seed (a 32-bit integer, as the bench prints them), or null for a fresh one. */
function seedFrom(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const seed = Number(value);
  if (!Number.isInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 32) throw new Error(`SCHEDULES_BENCH_SEED must be a 32-bit integer, got ${JSON.stringify(value)}`);
  return seed;
}
