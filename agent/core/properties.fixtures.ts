// The decision core's properties over random schedules (simulation.ts), described once: lost,
// delayed, duplicated and reordered heartbeats, crashes, restarts, partitions, isolation, local
// health faults, recorders that stop on their own, switches and policy changes. Each property is
// an arbitrary and a check that throws an AssertionError when a draw breaks it.
// `properties.test.ts` runs each TWINREC_PROPERTY_RUNS times (150), `npm run bench -- schedules`
// SCHEDULES_BENCH_RUNS times (10,000). Test-only: it imports fast-check, a dev dependency.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultPolicySettings, type ClusterPolicySettings } from '../../contracts/cluster-policy-v1.js';
import { triggerKinds, type TriggerKind } from './config.js';
import type { Action } from './decide.js';
import { corePolicyOf } from './policy.js';
import { reportIntervalMs, reportTimeoutMs, simTickMs, simulate, witnessIntervalMs, type Fault, type Schedule, type SimPolicy, type SimResult } from './simulation.js';

/** One property of the core: what holds, over which draws, and the check of one draw. */
export interface CoreProperty<T> {
  /** What holds, as the test names it. */
  readonly name: string;
  /** Long schedules with many faults: the test suite gives these a third of its runs. */
  readonly heavy: boolean;
  readonly arbitrary: fc.Arbitrary<T>;
  /** Throws an AssertionError when `value` breaks the property; paste a shrunk counterexample here to replay it. */
  check(value: T): void;
}

/**
 * The property as fast-check runs it, for fc.assert (tests) or fc.check (the bench).
 *
 * @example
 *   fc.assert(asProperty(failoverCap), { numRuns: 150 })
 */
export function asProperty<T>(p: CoreProperty<T>): fc.IPropertyWithHooks<[T]> {
  return fc.property(p.arbitrary, (value) => p.check(value));
}

/** Upper bound of a run count from the environment: 10,000 schedules take minutes; this is a typo guard. */
const runsMax = 10_000_000;

/**
 * A run count from an environment variable: a whole number from 1 to 10,000,000, else a clear error.
 *
 * @example
 *   runsFrom('TWINREC_PROPERTY_RUNS', process.env.TWINREC_PROPERTY_RUNS, 150) // 150 when unset
 */
export function runsFrom(variable: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const runs = Number(value);
  if (!Number.isInteger(runs) || runs < 1 || runs > runsMax) throw new Error(`${variable} must be a whole number from 1 to ${runsMax}, got ${JSON.stringify(value)}`);
  return runs;
}

const node = fc.constantFrom<0 | 1>(0, 1);
const anySeed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const anyWitness = fc.constantFrom<'controller' | 'tcp'>('controller', 'tcp');
const span = (durationMs: number) =>
  fc.tuple(fc.integer({ min: 0, max: durationMs }), fc.integer({ min: 100, max: durationMs / 2 })).map(([fromMs, lengthMs]) => ({ fromMs, toMs: fromMs + lengthMs }));

const recorderCrash = (durationMs: number): fc.Arbitrary<Fault> => fc.tuple(node, fc.integer({ min: 0, max: durationMs })).map(([n, atMs]) => ({ kind: 'recorder-crash' as const, node: n, atMs }));

const fault = (durationMs: number): fc.Arbitrary<Fault> =>
  fc.oneof(
    fc.tuple(node, fc.integer({ min: 0, max: durationMs }), fc.option(fc.integer({ min: 200, max: durationMs / 2 }), { nil: null })).map(([n, atMs, down]) => ({ kind: 'crash' as const, node: n, atMs, restartAtMs: down === null ? null : atMs + down })),
    span(durationMs).map((s) => ({ kind: 'partition' as const, ...s })),
    fc.tuple(node, span(durationMs)).map(([n, s]) => ({ kind: 'isolate' as const, node: n, ...s })),
    fc.tuple(node, span(durationMs)).map(([n, s]) => ({ kind: 'unhealthy' as const, node: n, ...s })),
    recorderCrash(durationMs),
  );

/** Any network and up to 6 faults of any kind over `durationMs`. */
const chaos = (durationMs: number): fc.Arbitrary<Schedule> =>
  fc.record({
    seed: anySeed,
    durationMs: fc.constant(durationMs),
    lossPercent: fc.integer({ min: 0, max: 60 }),
    duplicatePercent: fc.integer({ min: 0, max: 30 }),
    delayMsMax: fc.integer({ min: 0, max: 1_500 }),
    witness: anyWitness,
    faults: fc.array(fault(durationMs), { maxLength: 6 }),
  });

/** Policies with the timings that matter here: the two profiles, and slow ones (exactly 3 heartbeats per timeout, a WAN). */
export const timings = {
  fast: { profile: 'fast', heartbeatIntervalMs: null, peerTimeoutMs: null },
  conservative: { profile: 'conservative', heartbeatIntervalMs: null, peerTimeoutMs: null },
  slow: { profile: 'conservative', heartbeatIntervalMs: 1_000, peerTimeoutMs: 3_000 },
  wan: { profile: 'conservative', heartbeatIntervalMs: 2_000, peerTimeoutMs: 10_000 },
} as const;
const anyTiming = fc.constantFrom(...(Object.keys(timings) as (keyof typeof timings)[]));

/** A cluster policy preferring node-a with automatic failback, the given timing, hold-down and triggers. */
export const policyOf = (timing: keyof typeof timings, holdDownSeconds = 300, triggers: Partial<ClusterPolicySettings['triggers']> = {}): ClusterPolicySettings => ({
  ...defaultPolicySettings,
  preferredNode: 'node-a',
  failback: { policy: 'automatic', holdDownSeconds },
  failover: { ...defaultPolicySettings.failover, ...timings[timing] },
  triggers: { ...defaultPolicySettings.triggers, ...triggers },
});

export const neverTwoServing: CoreProperty<Schedule> = {
  name: 'never two Serving nodes with the same epoch, and the relay only points at the node serving its epoch',
  heavy: false,
  arbitrary: chaos(40_000),
  check(schedule) {
    const result = simulate(schedule);
    assert.deepEqual(result.violations, []);
    // Relay epochs only ever grow.
    for (let i = 1; i < result.observations.length; i += 1) {
      assert.ok((result.observations[i]?.relay.epoch ?? 0) >= (result.observations[i - 1]?.relay.epoch ?? 0));
    }
  },
};

export const survivorServes: CoreProperty<{ seed: number; crashAtMs: number; delayMsMax: number; lossPercent: number; witness: 'controller' | 'tcp'; fast: boolean }> = {
  name: 'a healthy node whose peer dies serves within the timeout, and the relay points at it',
  heavy: false,
  arbitrary: fc.record({
    seed: anySeed,
    crashAtMs: fc.integer({ min: 6_000, max: 20_000 }),
    delayMsMax: fc.integer({ min: 0, max: 200 }),
    lossPercent: fc.integer({ min: 0, max: 30 }),
    witness: anyWitness,
    fast: fc.boolean(),
  }),
  check({ seed, crashAtMs, delayMsMax, lossPercent, witness, fast }) {
    const overrides = fast ? { heartbeatIntervalMs: 100, peerTimeoutMs: 800, unhealthyGraceMs: 1_000, handoverTimeoutMs: 1_500 } : {};
    // The first 5 s settle; the serving node (whichever it is) then dies for good.
    const probe = simulate({ seed, durationMs: crashAtMs, lossPercent, duplicatePercent: 0, delayMsMax, witness, faults: [], overrides });
    const serving = probe.observations[probe.observations.length - 1]?.relay.pointsTo;
    assert.ok(serving !== null && serving !== undefined, 'someone serves before the crash');
    const survivor = (1 - serving) as 0 | 1;
    const result = simulate({ seed, durationMs: crashAtMs + 10_000, lossPercent, duplicatePercent: 0, delayMsMax, witness, faults: [{ kind: 'crash', node: serving, atMs: crashAtMs, restartAtMs: null }], overrides });
    const timeoutMs = result.configs[survivor].peerTimeoutMs;
    // Detection needs the timeout; the controller witness may vouch for the dead peer until its next poll.
    const deadline = crashAtMs + timeoutMs + witnessIntervalMs + 2 * simTickMs;
    const at = result.observations.find((o) => o.atMs >= deadline);
    assert.equal(at?.relay.pointsTo, survivor, `relay points at the survivor by ${deadline} ms`);
    assert.ok(at?.states[survivor] === 'ALONE');
    assert.deepEqual(result.violations, []);
  },
};

export const noFailoverWhileHealthy: CoreProperty<{ seed: number; delayMsMax: number; duplicatePercent: number; lossPercent: number }> = {
  name: 'no failover while both nodes are healthy and heartbeats flow',
  heavy: false,
  arbitrary: fc.record({
    seed: anySeed,
    delayMsMax: fc.integer({ min: 0, max: 500 }),
    duplicatePercent: fc.integer({ min: 0, max: 50 }),
    lossPercent: fc.integer({ min: 0, max: 25 }),
  }),
  check({ seed, delayMsMax, duplicatePercent, lossPercent }) {
    const result = simulate({ seed, durationMs: 60_000, lossPercent, duplicatePercent, delayMsMax, witness: 'controller', faults: [] });
    assert.deepEqual(result.failoversMs, [[], []]);
    const settled = result.observations.filter((o) => o.atMs >= 5_000);
    const holders = new Set(settled.map((o) => o.relay.pointsTo));
    assert.deepEqual([...holders], [0], 'the preferred node serves throughout');
  },
};

const restartCountMax = 2;
const restartWindowMs = 20_000;
export const recorderRestartBudget: CoreProperty<{ schedule: Schedule; crashes: Fault[] }> = {
  name: 'a recorder that stops on its own is started again at most recorderRestartCount times within any window',
  heavy: true,
  arbitrary: fc.record({ schedule: chaos(60_000), crashes: fc.array(recorderCrash(60_000), { maxLength: 12 }) }),
  check({ schedule, crashes }) {
    // The budget is kept in memory for one run of the agent (as the shell kept it before): agent crashes are left out.
    const faults = [...schedule.faults.filter((f) => f.kind !== 'crash'), ...crashes];
    const result = simulate({ ...schedule, faults, overrides: { recorderRestartCount: restartCountMax, recorderRestartWindowMs: restartWindowMs } });
    for (const n of [0, 1] as const) {
      const restarts = result.actions.filter((x) => x.node === n && x.action.kind === 'start-recorder' && x.action.reason === 'restart');
      for (const r of restarts) {
        const inWindow = restarts.filter((u) => u.atMs <= r.atMs && r.atMs - u.atMs <= restartWindowMs).length;
        assert.ok(inWindow <= restartCountMax, `node ${n}: ${inWindow} restarts within ${restartWindowMs} ms ending at ${r.atMs} ms`);
        const attempt = (r.action as Extract<Action, { kind: 'start-recorder'; reason: 'restart' }>).attempt;
        assert.ok(attempt >= inWindow && attempt <= restartCountMax, `node ${n}: attempt ${attempt} at ${r.atMs} ms`);
      }
    }
    assert.deepEqual(result.violations, []);
  },
};

type SwitchStep = { gapMs: number; node: 0 | 1; command: 'switch' | 'swap' };
export const switchAnnouncesEpoch: CoreProperty<[[number, number, number, 'controller' | 'tcp'], SwitchStep[]]> = {
  name: 'an accepted switch or swap announces the epoch the peer then claims',
  heavy: false,
  // Commands seconds apart, as operators give them: a switch back given before the old node
  // has heard the new one serve meets its stale handoverTo and is taken back at once.
  arbitrary: fc.tuple(
    fc.tuple(anySeed, fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 30 }), anyWitness),
    fc.array(fc.record({ gapMs: fc.integer({ min: 3_000, max: 12_000 }), node, command: fc.constantFrom<'switch' | 'swap'>('switch', 'swap') }), { minLength: 1, maxLength: 4 }),
  ),
  check([[seed, delayMsMax, duplicatePercent, witness], given]) {
    let atMs = 2_000;
    const commands = given.map(({ gapMs, node: n, command }) => ({ atMs: (atMs += gapMs), node: n, command }));
    const result = simulate({ seed, durationMs: 60_000, lossPercent: 0, duplicatePercent, delayMsMax, witness, faults: [], commands });
    for (const r of result.actions) {
      if (r.action.kind !== 'command-result' || !r.action.ok || r.action.handover === null) continue;
      const peer = (1 - r.node) as 0 | 1;
      const claim = result.actions.find((x) => x.node === peer && x.atMs >= r.atMs && x.action.kind === 'claim');
      assert.ok(claim !== undefined && claim.action.kind === 'claim', `${r.action.command} at ${r.atMs} ms: the peer claims`);
      assert.equal(claim.action.epoch, r.action.handover.expectedEpoch, `${r.action.command} at ${r.atMs} ms: the announced epoch`);
    }
    assert.deepEqual(result.violations, []);
  },
};

/** The cap the cap property and its regression cases run with; failback after 5 s lets the role move often. */
export const capOverrides = { failoverCapCount: 2, failoverCapWindowMs: 30_000, failbackHoldDownMs: 5_000 } as const;

/**
 * Simulates `schedule` under capOverrides and asserts that no node has more than
 * failoverCapCount automatic failovers within any window; returns the run.
 *
 * @example
 *   checkFailoverCap({ seed: 0, durationMs: 90_000, lossPercent: 0, duplicatePercent: 0, delayMsMax: 0, witness: 'tcp', faults: [] })
 */
export function checkFailoverCap(schedule: Schedule): SimResult {
  const result = simulate({ ...schedule, overrides: capOverrides });
  const { failoverCapCount: countMax, failoverCapWindowMs: windowMs } = capOverrides;
  // In the simulation's time base, which is the core's: each core is ticked to t before any input at t.
  result.failoversMs.forEach((times, n) => {
    for (const t of times) {
      const inWindow = times.filter((u) => u <= t && t - u < windowMs).length;
      assert.ok(inWindow <= countMax, `node ${n}: ${inWindow} failovers within ${windowMs} ms ending at ${t} ms (all: ${JSON.stringify(times)})`);
    }
  });
  return result;
}

export const failoverCap: CoreProperty<Schedule> = {
  name: 'no node fails over more often than the cap allows within the window',
  heavy: true,
  arbitrary: chaos(90_000),
  check(schedule) {
    checkFailoverCap(schedule);
  },
};

export const legacyNeighbour: CoreProperty<{ seed: number; legacy: 0 | 1; delayMsMax: number; witness: 'controller' | 'tcp'; timing: keyof typeof timings }> = {
  name: 'next to an agent from before the cluster policy, a node stops advertising its policy, so neither fails over on the other',
  heavy: true,
  arbitrary: fc.record({ seed: anySeed, legacy: node, delayMsMax: fc.integer({ min: 0, max: 200 }), witness: anyWitness, timing: anyTiming }),
  check({ seed, legacy, delayMsMax, witness, timing }) {
    const other = (1 - legacy) as 0 | 1;
    const policies: SimPolicy[] = [{ atMs: 0, node: other, version: 1, settings: policyOf(timing) }];
    // The old agent runs agent.yaml's timing; the new one gets the same from the controller (else nothing could keep them apart).
    const { maintenance: _maintenance, ...yaml } = corePolicyOf(policyOf(timing));
    const result = simulate({ seed, durationMs: 30_000, lossPercent: 0, duplicatePercent: 0, delayMsMax, witness, faults: [], policies, legacyNodes: [legacy], overrides: yaml });
    assert.deepEqual(result.failoversMs, [[], []]);
    assert.deepEqual(result.violations, []);
    for (const o of result.observations.filter((o) => o.atMs >= 5_000)) assert.equal(o.relay.pointsTo, 0, `${o.atMs} ms`);
  },
};

type VersionChange = {
  seed: number;
  delayMsMax: number;
  duplicatePercent: number;
  witness: 'controller' | 'tcp';
  first: 0 | 1;
  from: keyof typeof timings;
  to: keyof typeof timings;
  holdDownSeconds: number;
  lateMs: number;
  changeMs: number;
  gapMs: number;
};
export const policyVersionsConverge: CoreProperty<VersionChange> = {
  name: 'two nodes on different policy versions under a steady heartbeat never fail over, and converge once both run the same version',
  heavy: false,
  arbitrary: fc.record({
    seed: anySeed,
    delayMsMax: fc.integer({ min: 0, max: 200 }),
    duplicatePercent: fc.integer({ min: 0, max: 30 }),
    witness: anyWitness,
    first: node,
    from: anyTiming,
    to: anyTiming,
    holdDownSeconds: fc.integer({ min: 0, max: 30 }),
    // When the late node gets version 1, when the first node gets version 2, and how much later the other one does.
    lateMs: fc.integer({ min: 0, max: 15_000 }),
    changeMs: fc.integer({ min: 1_000, max: 25_000 }),
    gapMs: fc.integer({ min: 0, max: 20_000 }),
  }),
  check({ seed, delayMsMax, duplicatePercent, witness, first, from, to, holdDownSeconds, lateMs, changeMs, gapMs }) {
    const other = (1 - first) as 0 | 1;
    const policies: SimPolicy[] = [
      { atMs: 0, node: first, version: 1, settings: policyOf(from, holdDownSeconds) },
      { atMs: lateMs, node: other, version: 1, settings: policyOf(from, holdDownSeconds) },
      { atMs: changeMs, node: first, version: 2, settings: policyOf(to, holdDownSeconds + 1) },
      { atMs: changeMs + gapMs, node: other, version: 2, settings: policyOf(to, holdDownSeconds + 1) },
    ];
    const result = simulate({ seed, durationMs: 60_000, lossPercent: 0, duplicatePercent, delayMsMax, witness, faults: [], policies });
    assert.deepEqual(result.failoversMs, [[], []]);
    assert.deepEqual(result.violations, []);
    for (const o of result.observations.filter((o) => o.atMs >= 5_000)) assert.equal(o.relay.pointsTo, 0, `${o.atMs} ms: the preferred node serves throughout`);
    const end = result.observations[result.observations.length - 1];
    assert.deepEqual(end?.policyVersions, [2, 2]);
    const policy = corePolicyOf(policyOf(to, holdDownSeconds + 1));
    for (const c of result.effectiveConfigs) {
      assert.deepEqual([c?.heartbeatIntervalMs, c?.peerTimeoutMs, c?.failbackHoldDownMs], [policy.heartbeatIntervalMs, policy.peerTimeoutMs, policy.failbackHoldDownMs], 'both act on the policy as is');
    }
  },
};

const troubleFault = (kinds: readonly TriggerKind[]): fc.Arbitrary<Fault> =>
  fc.tuple(node, span(40_000), fc.constantFrom(...kinds)).map(([n, s, trouble]) => ({ kind: 'unhealthy' as const, node: n, ...s, trouble }));
type TriggersOff = { r: { seed: number; delayMsMax: number; lossPercent: number; witness: 'controller' | 'tcp'; off: TriggerKind[]; graceMs: number | null }; faults: Fault[] };
export const disabledTriggerHolds: CoreProperty<TriggersOff> = {
  name: 'local trouble of a kind whose trigger is off never moves the Serving role',
  heavy: true,
  arbitrary: fc
    .record({
      seed: anySeed,
      delayMsMax: fc.integer({ min: 0, max: 300 }),
      lossPercent: fc.integer({ min: 0, max: 20 }),
      witness: anyWitness,
      off: fc.subarray([...triggerKinds], { minLength: 1 }),
      graceMs: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: null }),
    })
    .chain((r) => fc.record({ r: fc.constant(r), faults: fc.array(troubleFault(r.off), { minLength: 1, maxLength: 6 }) })),
  check({ r, faults }) {
    const trigger = (kind: TriggerKind) => ({ enabled: !r.off.includes(kind), graceMs: r.graceMs });
    const settings = policyOf('conservative', 300, { serviceDown: trigger('serviceDown'), storageUnavailable: trigger('storageUnavailable'), recordingShare: { ...trigger('recordingShare'), minPercent: 50 } });
    const result = simulate({ seed: r.seed, durationMs: 40_000, lossPercent: r.lossPercent, duplicatePercent: 0, delayMsMax: r.delayMsMax, witness: r.witness, faults, policies: [0, 1].map((n) => ({ atMs: 0, node: n as 0 | 1, version: 1, settings })) });
    assert.ok(!result.actions.some((x) => x.action.kind === 'event' && x.action.event.kind === 'failover.local-health'), 'no handover for local trouble');
    assert.deepEqual(result.failoversMs, [[], []]);
    assert.deepEqual(result.violations, []);
  },
};

/** The fast profile's timings, as the properties' `fast` draws use them. */
export const fastOverrides = { heartbeatIntervalMs: 100, peerTimeoutMs: 800, unhealthyGraceMs: 1_000, handoverTimeoutMs: 1_500, witnessTimeoutMs: 3_000 } as const;

/** The network faults that cut a node off from its peer, the controller, or both; and crashes. */
const cutFault = (durationMs: number): fc.Arbitrary<Fault> =>
  fc.oneof(
    span(durationMs).map((s) => ({ kind: 'partition' as const, ...s })),
    fc.tuple(node, span(durationMs)).map(([n, s]) => ({ kind: 'isolate' as const, node: n, ...s })),
    fc.tuple(node, span(durationMs)).map(([n, s]) => ({ kind: 'answers-lost' as const, node: n, ...s })),
    fc.tuple(node, fc.integer({ min: 0, max: durationMs }), fc.option(fc.integer({ min: 200, max: durationMs / 2 }), { nil: null })).map(([n, atMs, down]) => ({ kind: 'crash' as const, node: n, atMs, restartAtMs: down === null ? null : atMs + down })),
  );

type AtOnce = { seed: number; fast: boolean; delayMsMax: number; reportDelayMsMax: number; duplicatePercent: number; faults: Fault[] };
export const neverTwoServingAtOnce: CoreProperty<AtOnce> = {
  name: 'with the controller as witness, never two nodes serving at once, whatever cuts them off from each other or from the controller',
  heavy: false,
  // The timing assumptions the rule rests on (agent/README.md, "The rules the core follows"):
  // monotonic clocks on each host; a heartbeat on its way at most one heartbeat interval; a
  // report or its answer on its way at most 100 ms (each way). Loss is left out: a heartbeat
  // lost is a silence one node sees and the other does not, the fencing's case.
  arbitrary: fc.record({
    seed: anySeed,
    fast: fc.boolean(),
    delayMsMax: fc.integer({ min: 0, max: 100 }),
    reportDelayMsMax: fc.integer({ min: 0, max: 100 }),
    duplicatePercent: fc.integer({ min: 0, max: 30 }),
    faults: fc.array(cutFault(40_000), { minLength: 1, maxLength: 5 }),
  }),
  check({ seed, fast, delayMsMax, reportDelayMsMax, duplicatePercent, faults }) {
    const result = simulate({ seed, durationMs: 40_000, lossPercent: 0, duplicatePercent, delayMsMax, reportDelayMsMax, witness: 'controller', faults, overrides: fast ? fastOverrides : {} });
    assert.deepEqual(result.overlapsMs.slice(0, 5), [], 'ticks at which both nodes said they serve');
    assert.deepEqual(result.violations, []);
  },
};

type LinkCut = { seed: number; fast: boolean; delayMsMax: number; reportDelayMsMax: number; fromMs: number; lengthMs: number; starved: { node: 0 | 1; afterMs: number; lengthMs: number }[] };
export const linkPartitionServes: CoreProperty<LinkCut> = {
  name: 'the heartbeat link cut while both nodes reach the controller: someone serves within a bound, even after a node lost answers and gave the role up',
  heavy: false,
  arbitrary: fc.record({
    seed: anySeed,
    fast: fc.boolean(),
    delayMsMax: fc.integer({ min: 0, max: 100 }),
    reportDelayMsMax: fc.integer({ min: 0, max: 100 }),
    fromMs: fc.integer({ min: 5_000, max: 10_000 }),
    lengthMs: fc.integer({ min: 25_000, max: 40_000 }),
    // A starved host: its reports arrive, its answers do not (the link times out), for a while, early in the cut.
    starved: fc.array(fc.record({ node, afterMs: fc.integer({ min: 0, max: 8_000 }), lengthMs: fc.integer({ min: 100, max: 4_000 }) }), { maxLength: 3 }),
  }),
  check({ seed, fast, delayMsMax, reportDelayMsMax, fromMs, lengthMs, starved }) {
    const toMs = fromMs + lengthMs;
    const faults: Fault[] = [{ kind: 'partition', fromMs, toMs }, ...starved.map((x) => ({ kind: 'answers-lost' as const, node: x.node, fromMs: fromMs + x.afterMs, toMs: fromMs + x.afterMs + x.lengthMs }))];
    const result = simulate({ seed, durationMs: toMs + 5_000, lossPercent: 0, duplicatePercent: 0, delayMsMax, reportDelayMsMax, witness: 'controller', faults, overrides: fast ? fastOverrides : {} });
    const { peerTimeoutMs } = result.configs[0];
    // Once the last answer is through: a release (or the isolation hold-off, one peer timeout), the
    // released node's next report (after the link's timeout, at worst), the standby's next ask.
    const boundMs = 2 * peerTimeoutMs + reportTimeoutMs + 2 * reportIntervalMs;
    const settledMs = Math.max(fromMs, ...faults.map((f) => ('toMs' in f && f.kind === 'answers-lost' ? f.toMs : fromMs))) + boundMs;
    const nobody = result.observations.filter((o) => o.atMs >= settledMs && o.atMs < toMs && o.servingEpochs.every((e) => e === null)).map((o) => o.atMs);
    // (While both lose their answers, nobody may serve: neither can tell that the other is not serving.)
    assert.deepEqual(nobody.slice(0, 5), [], `someone serves from ${settledMs} ms until the link is back at ${toMs} ms`);
    assert.deepEqual(result.overlapsMs.slice(0, 5), [], 'ticks at which both nodes said they serve');
    assert.deepEqual(result.violations, []);
  },
};

/** Every property, in the order the test runs them. */
export const coreProperties: readonly CoreProperty<unknown>[] = [
  neverTwoServing,
  neverTwoServingAtOnce,
  linkPartitionServes,
  survivorServes,
  noFailoverWhileHealthy,
  recorderRestartBudget,
  switchAnnouncesEpoch,
  failoverCap,
  legacyNeighbour,
  policyVersionsConverge,
  disabledTriggerHolds,
];
