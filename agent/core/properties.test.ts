// Property-based tests of the decision core over random schedules (the properties are in
// properties.fixtures.ts, which `npm run bench -- schedules` runs 10,000 times each), and the fixed
// schedules they once failed on. Each failing case is shrunk by fast-check and replays from its
// seed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { asProperty, capOverrides, checkFailoverCap, coreProperties, policyOf, runsFrom } from './properties.fixtures.js';
import { simulate, type Schedule, type SimPolicy } from './simulation.js';

const runs = runsFrom('TWINREC_PROPERTY_RUNS', process.env.TWINREC_PROPERTY_RUNS, 150);

describe('decision core properties', () => {
  for (const p of coreProperties) {
    test(p.name, () => {
      fc.assert(asProperty(p), { numRuns: p.heavy ? Math.max(20, Math.floor(runs / 3)) : runs });
    });
  }

  // Counterexamples the cap property found (both with 10,000 runs), replayed as they were shrunk.
  const capCases: { name: string; schedule: Schedule }[] = [
    {
      // A claim decided on a heartbeat at 18,000 ms was recorded at the previous tick
      // (17,950 ms), so a third failover at 47,950 ms fell just outside the window.
      name: 'isolations twice, then the recorder down, within 30 s',
      schedule: {
        seed: 0, durationMs: 90_000, lossPercent: 0, duplicatePercent: 0, delayMsMax: 0, witness: 'tcp',
        faults: [
          { kind: 'unhealthy', node: 0, fromMs: 43_501, toMs: 47_751 },
          { kind: 'isolate', node: 0, fromMs: 39_977, toMs: 45_251 },
          { kind: 'isolate', node: 0, fromMs: 13_933, toMs: 17_801 },
        ],
      },
    },
    {
      // Issue 14 (fast-check seed -415656217, after 358 runs): both recorders down at the start,
      // handovers both ways, then node-a isolated for 30 s and node-b for half a second.
      name: 'both recorders down at the start, then both nodes isolated',
      schedule: {
        seed: 0, durationMs: 90_000, lossPercent: 0, duplicatePercent: 0, delayMsMax: 0, witness: 'controller',
        faults: [
          { kind: 'unhealthy', node: 0, fromMs: 0, toMs: 2_001 },
          { kind: 'isolate', node: 1, fromMs: 5_001, toMs: 5_501 },
          { kind: 'isolate', node: 0, fromMs: 2_508, toMs: 32_201 },
          { kind: 'unhealthy', node: 1, fromMs: 1, toMs: 2_251 },
        ],
      },
    },
  ];
  for (const { name, schedule } of capCases) {
    test(`the cap counts a failover at the time it happened: ${name}`, () => {
      const result = checkFailoverCap(schedule);
      // The schedule still drives a node to the cap, so the check above is at its boundary.
      const { failoverCapCount: countMax, failoverCapWindowMs: windowMs } = capOverrides;
      const atCap = result.failoversMs.some((times) => times.some((t) => times.filter((u) => u <= t && t - u < windowMs).length === countMax));
      assert.ok(atCap, `a node fails over ${countMax} times within ${windowMs} ms: ${JSON.stringify(result.failoversMs)}`);
      assert.deepEqual(result.violations, []);
    });
  }

  test('the danger the merge prevents is real: a fast standby that does not know its peer heartbeats slowly fails over on it', () => {
    // node-a serves and heartbeats every 1 s; node-b declares a peer dead after 800 ms.
    const policies: SimPolicy[] = [
      { atMs: 0, node: 0, version: 2, settings: policyOf('slow') },
      { atMs: 0, node: 1, version: 1, settings: policyOf('fast') },
    ];
    const schedule: Schedule = { seed: 7, durationMs: 30_000, lossPercent: 0, duplicatePercent: 0, delayMsMax: 20, witness: 'tcp', faults: [], policies };
    const blind = simulate({ ...schedule, legacyNodes: [0, 1] });
    assert.ok(blind.failoversMs[1].length > 0, 'without the advertised timing, node-b fails over on a live peer');
    const merged = simulate(schedule);
    assert.deepEqual(merged.failoversMs, [[], []]);
    assert.deepEqual(merged.violations, []);
  });

  test('a run count from the environment is a whole number from 1 up, else a clear error', () => {
    assert.equal(runsFrom('X_RUNS', undefined, 150), 150);
    assert.equal(runsFrom('X_RUNS', ' ', 150), 150);
    assert.equal(runsFrom('X_RUNS', '10000', 150), 10_000);
    for (const bad of ['0', '-3', '1.5', 'ten', '1e12']) assert.throws(() => runsFrom('X_RUNS', bad, 150), /X_RUNS must be a whole number from 1 to 10000000/);
  });
});
