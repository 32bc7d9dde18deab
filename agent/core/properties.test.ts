// Property-based tests of the decision core over random schedules: lost, delayed,
// duplicated and reordered heartbeats, crashes, restarts, partitions, isolation, local
// health faults, recorders that stop on their own, and switches. Each failing case is shrunk
// by fast-check and replays from its seed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultPolicySettings, type ClusterPolicySettings } from '../../contracts/cluster-policy-v1.js';
import { triggerKinds, type TriggerKind } from './config.js';
import type { Action } from './decide.js';
import { corePolicyOf } from './policy.js';
import { simTickMs, simulate, witnessIntervalMs, type Fault, type Schedule, type SimPolicy } from './simulation.js';

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

const runs = Number(process.env.TWINREC_PROPERTY_RUNS ?? 150);

/** Policies with the timings that matter here: the two profiles, and slow ones (exactly 3 heartbeats per timeout, a WAN). */
const timings = {
  fast: { profile: 'fast', heartbeatIntervalMs: null, peerTimeoutMs: null },
  conservative: { profile: 'conservative', heartbeatIntervalMs: null, peerTimeoutMs: null },
  slow: { profile: 'conservative', heartbeatIntervalMs: 1_000, peerTimeoutMs: 3_000 },
  wan: { profile: 'conservative', heartbeatIntervalMs: 2_000, peerTimeoutMs: 10_000 },
} as const;
const anyTiming = fc.constantFrom(...(Object.keys(timings) as (keyof typeof timings)[]));
const policyOf = (timing: keyof typeof timings, holdDownSeconds = 300, triggers: Partial<ClusterPolicySettings['triggers']> = {}): ClusterPolicySettings => ({
  ...defaultPolicySettings,
  preferredNode: 'node-a',
  failback: { policy: 'automatic', holdDownSeconds },
  failover: { ...defaultPolicySettings.failover, ...timings[timing] },
  triggers: { ...defaultPolicySettings.triggers, ...triggers },
});

/** Asserts `property` over `numRuns` random draws of `arbitrary`; a failing draw is shrunk and replays from its seed. */
const holds = <T>(arbitrary: fc.Arbitrary<T>, property: (value: T) => void, numRuns = runs): void => fc.assert(fc.property(arbitrary, property), { numRuns });

describe('decision core properties', () => {
  test('never two Serving nodes with the same epoch, and the relay only points at the node serving its epoch', () => {
    holds(chaos(40_000), (schedule) => {
      const result = simulate(schedule);
      assert.deepEqual(result.violations, []);
      // Relay epochs only ever grow.
      for (let i = 1; i < result.observations.length; i += 1) {
        assert.ok((result.observations[i]?.relay.epoch ?? 0) >= (result.observations[i - 1]?.relay.epoch ?? 0));
      }
    });
  });

  test('a healthy node whose peer dies serves within the timeout, and the relay points at it', () => {
    holds(
      fc.record({
        seed: anySeed,
        crashAtMs: fc.integer({ min: 6_000, max: 20_000 }),
        delayMsMax: fc.integer({ min: 0, max: 200 }),
        lossPercent: fc.integer({ min: 0, max: 30 }),
        witness: anyWitness,
        fast: fc.boolean(),
      }),
      ({ seed, crashAtMs, delayMsMax, lossPercent, witness, fast }) => {
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
    );
  });

  test('no failover while both nodes are healthy and heartbeats flow', () => {
    holds(
      fc.record({
        seed: anySeed,
        delayMsMax: fc.integer({ min: 0, max: 500 }),
        duplicatePercent: fc.integer({ min: 0, max: 50 }),
        lossPercent: fc.integer({ min: 0, max: 25 }),
      }),
      ({ seed, delayMsMax, duplicatePercent, lossPercent }) => {
        const result = simulate({ seed, durationMs: 60_000, lossPercent, duplicatePercent, delayMsMax, witness: 'controller', faults: [] });
        assert.deepEqual(result.failoversMs, [[], []]);
        const settled = result.observations.filter((o) => o.atMs >= 5_000);
        const holders = new Set(settled.map((o) => o.relay.pointsTo));
        assert.deepEqual([...holders], [0], 'the preferred node serves throughout');
      },
    );
  });

  test('a recorder that stops on its own is started again at most recorderRestartCount times within any window', () => {
    const countMax = 2;
    const windowMs = 20_000;
    const schedules = fc.record({ schedule: chaos(60_000), crashes: fc.array(recorderCrash(60_000), { maxLength: 12 }) });
    holds(schedules, ({ schedule, crashes }) => {
      // The budget is kept in memory for one run of the agent (as the shell kept it before): agent crashes are left out.
      const faults = [...schedule.faults.filter((f) => f.kind !== 'crash'), ...crashes];
      const result = simulate({ ...schedule, faults, overrides: { recorderRestartCount: countMax, recorderRestartWindowMs: windowMs } });
      for (const n of [0, 1] as const) {
        const restarts = result.actions.filter((x) => x.node === n && x.action.kind === 'start-recorder' && x.action.reason === 'restart');
        for (const r of restarts) {
          const inWindow = restarts.filter((u) => u.atMs <= r.atMs && r.atMs - u.atMs <= windowMs).length;
          assert.ok(inWindow <= countMax, `node ${n}: ${inWindow} restarts within ${windowMs} ms ending at ${r.atMs} ms`);
          const attempt = (r.action as Extract<Action, { kind: 'start-recorder'; reason: 'restart' }>).attempt;
          assert.ok(attempt >= inWindow && attempt <= countMax, `node ${n}: attempt ${attempt} at ${r.atMs} ms`);
        }
      }
      assert.deepEqual(result.violations, []);
    }, Math.max(20, Math.floor(runs / 3)));
  });

  test('an accepted switch or swap announces the epoch the peer then claims', () => {
    // Commands seconds apart, as operators give them: a switch back given before the old node
    // has heard the new one serve meets its stale handoverTo and is taken back at once.
    const steps = fc.array(fc.record({ gapMs: fc.integer({ min: 3_000, max: 12_000 }), node, command: fc.constantFrom<'switch' | 'swap'>('switch', 'swap') }), { minLength: 1, maxLength: 4 });
    const network = fc.tuple(anySeed, fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 30 }), anyWitness);
    holds(fc.tuple(network, steps), ([[seed, delayMsMax, duplicatePercent, witness], given]) => {
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
    });
  });

  test('no node fails over more often than the cap allows within the window', () => {
    const capCount = 2;
    const windowMs = 30_000;
    holds(chaos(90_000), (schedule) => {
      const result = simulate({ ...schedule, overrides: { failoverCapCount: capCount, failoverCapWindowMs: windowMs, failbackHoldDownMs: 5_000 } });
      for (const times of result.failoversMs) {
        for (const t of times) {
          const inWindow = times.filter((u) => u <= t && t - u < windowMs).length;
          assert.ok(inWindow <= capCount, `${inWindow} failovers within ${windowMs} ms ending at ${t} ms`);
        }
      }
    }, Math.max(20, Math.floor(runs / 3)));
  });

  test('the cap counts a failover at the time it happened: isolations twice, then the recorder down, within 30 s', () => {
    // Found by the property above: a claim decided on a heartbeat at 18,000 ms was recorded at the
    // previous tick (17,950 ms), so a third failover at 47,950 ms fell just outside the window.
    const schedule: Schedule = {
      seed: 0, durationMs: 90_000, lossPercent: 0, duplicatePercent: 0, delayMsMax: 0, witness: 'tcp',
      faults: [
        { kind: 'unhealthy', node: 0, fromMs: 43_501, toMs: 47_751 },
        { kind: 'isolate', node: 0, fromMs: 39_977, toMs: 45_251 },
        { kind: 'isolate', node: 0, fromMs: 13_933, toMs: 17_801 },
      ],
    };
    const result = simulate({ ...schedule, overrides: { failoverCapCount: 2, failoverCapWindowMs: 30_000, failbackHoldDownMs: 5_000 } });
    const times = result.failoversMs[0];
    assert.ok(times.length >= 1, `node-a failed over ${JSON.stringify(times)}`);
    for (const t of times) assert.ok(times.filter((u) => u <= t && t - u < 30_000).length <= 2, `node-a failovers at ${JSON.stringify(times)}`);
  });

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

  test('next to an agent from before the cluster policy, a node stops advertising its policy, so neither fails over on the other', () => {
    holds(fc.record({ seed: anySeed, legacy: node, delayMsMax: fc.integer({ min: 0, max: 200 }), witness: anyWitness, timing: anyTiming }), ({ seed, legacy, delayMsMax, witness, timing }) => {
      const other = (1 - legacy) as 0 | 1;
      const policies: SimPolicy[] = [{ atMs: 0, node: other, version: 1, settings: policyOf(timing) }];
      // The old agent runs agent.yaml's timing; the new one gets the same from the controller (else nothing could keep them apart).
      const { maintenance: _maintenance, ...yaml } = corePolicyOf(policyOf(timing));
      const result = simulate({ seed, durationMs: 30_000, lossPercent: 0, duplicatePercent: 0, delayMsMax, witness, faults: [], policies, legacyNodes: [legacy], overrides: yaml });
      assert.deepEqual(result.failoversMs, [[], []]);
      assert.deepEqual(result.violations, []);
      for (const o of result.observations.filter((o) => o.atMs >= 5_000)) assert.equal(o.relay.pointsTo, 0, `${o.atMs} ms`);
    }, Math.max(20, Math.floor(runs / 3)));
  });

  test('two nodes on different policy versions under a steady heartbeat never fail over, and converge once both run the same version', () => {
    const schedules = fc.record({
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
    });
    holds(schedules, ({ seed, delayMsMax, duplicatePercent, witness, first, from, to, holdDownSeconds, lateMs, changeMs, gapMs }) => {
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
    });
  });

  test('local trouble of a kind whose trigger is off never moves the Serving role', () => {
    const troubleFault = (kinds: readonly TriggerKind[]): fc.Arbitrary<Fault> =>
      fc.tuple(node, span(40_000), fc.constantFrom(...kinds)).map(([n, s, trouble]) => ({ kind: 'unhealthy' as const, node: n, ...s, trouble }));
    const schedules = fc
      .record({
        seed: anySeed,
        delayMsMax: fc.integer({ min: 0, max: 300 }),
        lossPercent: fc.integer({ min: 0, max: 20 }),
        witness: anyWitness,
        off: fc.subarray([...triggerKinds], { minLength: 1 }),
        graceMs: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: null }),
      })
      .chain((r) => fc.record({ r: fc.constant(r), faults: fc.array(troubleFault(r.off), { minLength: 1, maxLength: 6 }) }));
    holds(schedules, ({ r, faults }) => {
      const trigger = (kind: TriggerKind) => ({ enabled: !r.off.includes(kind), graceMs: r.graceMs });
      const settings = policyOf('conservative', 300, { serviceDown: trigger('serviceDown'), storageUnavailable: trigger('storageUnavailable'), recordingShare: { ...trigger('recordingShare'), minPercent: 50 } });
      const result = simulate({ seed: r.seed, durationMs: 40_000, lossPercent: r.lossPercent, duplicatePercent: 0, delayMsMax: r.delayMsMax, witness: r.witness, faults, policies: [0, 1].map((n) => ({ atMs: 0, node: n as 0 | 1, version: 1, settings })) });
      assert.ok(!result.actions.some((x) => x.action.kind === 'event' && x.action.event.kind === 'failover.local-health'), 'no handover for local trouble');
      assert.deepEqual(result.failoversMs, [[], []]);
      assert.deepEqual(result.violations, []);
    }, Math.max(20, Math.floor(runs / 3)));
  });
});
