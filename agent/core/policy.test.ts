// The cluster policy in the decision core: a policy is an input, so a change applies without a
// restart and replays in the simulation; timing, hold-down and triggers follow it; maintenance
// and the preferred node change like their commands do; two nodes on different versions act
// on the more conservative timing of both.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPolicySettings, profileTimings, type ClusterPolicySettings } from '../../contracts/cluster-policy-v1.js';
import type { HeartbeatBody } from '../../contracts/peer-v1.js';
import { coreConfig, profiles, type TriggerKind } from './config.js';
import { effectiveConfig, initialState, policyVersion, step, type Action, type CoreState, type Input } from './decide.js';
import { bootstrapPolicy, changedPolicyKeys, corePolicyOf, mergedTiming, type AdvertisedPolicy } from './policy.js';
import { simTickMs, simulate, type Schedule, type SimPolicy } from './simulation.js';

const base: Schedule = { seed: 1, durationMs: 20_000, lossPercent: 0, duplicatePercent: 0, delayMsMax: 20, witness: 'controller', faults: [] };
const servingAt = (r: ReturnType<typeof simulate>, atMs: number) => r.observations.find((o) => o.atMs >= atMs) as (typeof r.observations)[number];

interface Changes {
  readonly profile?: ClusterPolicySettings['failover']['profile'];
  readonly heartbeatIntervalMs?: number;
  readonly peerTimeoutMs?: number;
  readonly holdDownSeconds?: number;
  readonly preferredNode?: string | null;
  readonly maintenance?: boolean;
  readonly triggers?: Partial<ClusterPolicySettings['triggers']>;
}

/** The default policy, with the simulation's preferred node (node-a, as its agent.yaml has it) and `changes`. */
function settings(changes: Changes = {}): ClusterPolicySettings {
  const d = defaultPolicySettings;
  return {
    ...d,
    preferredNode: changes.preferredNode === undefined ? 'node-a' : changes.preferredNode,
    failback: { ...d.failback, holdDownSeconds: changes.holdDownSeconds ?? d.failback.holdDownSeconds },
    failover: { ...d.failover, profile: changes.profile ?? d.failover.profile, heartbeatIntervalMs: changes.heartbeatIntervalMs ?? null, peerTimeoutMs: changes.peerTimeoutMs ?? null },
    triggers: { ...d.triggers, ...changes.triggers },
    maintenance: changes.maintenance ?? false,
  };
}

/** The same policy offered to both nodes at `atMs`. */
const toBoth = (atMs: number, version: number, s: ClusterPolicySettings): SimPolicy[] => [0, 1].map((node) => ({ atMs, node: node as 0 | 1, version, settings: s }));

const config = (rank: 0 | 1 = 1, overrides: Parameters<typeof coreConfig>[2] = {}) =>
  coreConfig({ nodeId: rank === 0 ? 'a' : 'b', peerId: rank === 0 ? 'b' : 'a', clusterId: 'c', rank, preferredNodeId: 'a' }, 'conservative', overrides);
const policyInput = (version: number, changes: Changes = {}): Input => ({ kind: 'policy', version, policy: corePolicyOf({ ...settings(changes), preferredNode: changes.preferredNode === undefined ? 'a' : changes.preferredNode }) });
const heartbeatFrom = (from: string, changes: Partial<HeartbeatBody> = {}): HeartbeatBody => ({
  v: 1, kind: 'heartbeat', clusterId: 'c', from, state: 'PRIM', epoch: 2, serving: true, healthy: true, handoverTo: null,
  maintenance: { on: false, version: 0 }, preference: { nodeId: 'a', version: 0 }, ...changes,
});
const events = (actions: readonly Action[], kind: string) => actions.flatMap((x) => (x.kind === 'event' && x.event.kind === kind ? [x.event] : []));
/** Feeds inputs in order; returns the state and every action. */
function run(cfg: ReturnType<typeof config>, s: CoreState, inputs: readonly Input[]): { state: CoreState; actions: Action[] } {
  const actions: Action[] = [];
  for (const input of inputs) {
    const out = step(cfg, s, input);
    s = out.state;
    actions.push(...out.actions);
  }
  return { state: s, actions };
}

describe('cluster policy in the decision core', () => {
  test('the profiles are the contract\'s timing, and the default policy is the core\'s default config', () => {
    for (const profile of ['conservative', 'fast'] as const) {
      const { heartbeatIntervalMs, peerTimeoutMs, unhealthyGraceMs } = profiles[profile];
      assert.deepEqual({ heartbeatIntervalMs, peerTimeoutMs, unhealthyGraceMs }, profileTimings[profile]);
    }
    assert.deepEqual(corePolicyOf(settings()), bootstrapPolicy(coreConfig({ nodeId: 'node-a', peerId: 'node-b', clusterId: 'c', rank: 0, preferredNodeId: 'node-a' })));
    assert.deepEqual(corePolicyOf(settings({ profile: 'fast', peerTimeoutMs: 1_500 })).peerTimeoutMs, 1_500);
  });

  test('a policy input changes the timing without a restart; heartbeats advertise the node\'s own version and timing', () => {
    const cfg = config();
    const started = initialState({ epoch: 0, stopped: false, failoversMs: [] }, 0, 'keep', 'a');
    const out = run(cfg, started, [{ kind: 'tick', nowMs: 100 }, policyInput(4, { profile: 'fast', holdDownSeconds: 60 })]);
    assert.equal(policyVersion(out.state), 4);
    assert.deepEqual(events(out.actions, 'policy.applied').map((e) => e.data), [{ version: 4, previousVersion: 0, changed: ['heartbeatIntervalMs', 'peerTimeoutMs', 'witnessTimeoutMs', 'unhealthyGraceMs', 'handoverTimeoutMs', 'failbackHoldDownMs'] }]);
    const { peerTimeoutMs, heartbeatIntervalMs, failbackHoldDownMs } = effectiveConfig(cfg, out.state);
    assert.deepEqual({ peerTimeoutMs, heartbeatIntervalMs, failbackHoldDownMs }, { peerTimeoutMs: 800, heartbeatIntervalMs: 100, failbackHoldDownMs: 60_000 });
    const sent = run(cfg, out.state, [{ kind: 'tick', nowMs: 400 }]).actions.find((x) => x.kind === 'send');
    assert.deepEqual(sent?.kind === 'send' ? sent.message.policy : null, { version: 4, heartbeatIntervalMs: 100, peerTimeoutMs: 800, failbackHoldDownMs: 60_000 });
    // The same version again, or an older one, changes nothing.
    for (const again of [policyInput(4), policyInput(3, { profile: 'conservative' })]) {
      const replay = step(cfg, out.state, again);
      assert.equal(replay.state.policy, out.state.policy);
      assert.deepEqual(events(replay.actions, 'policy.applied'), []);
    }
  });

  test('a policy naming a node outside the pair as preferred is refused, and the one in force stays', () => {
    const cfg = config();
    const s = initialState({ epoch: 0, stopped: false, failoversMs: [] }, 0, 'keep', 'a');
    const out = step(cfg, s, policyInput(2, { preferredNode: 'rs-c', profile: 'fast' }));
    assert.equal(out.state.policy, null);
    assert.equal(effectiveConfig(cfg, out.state).peerTimeoutMs, 2_750);
    assert.deepEqual(events(out.actions, 'policy.rejected').map((e) => e.data.reason), ['preferred node rs-c is neither b nor a']);
  });

  test('a faster policy makes a dead peer detected sooner, without a restart', () => {
    const faults: Schedule['faults'] = [{ kind: 'crash', node: 0, atMs: 6_000, restartAtMs: null }];
    const fast = simulate({ ...base, faults, policies: toBoth(1_000, 1, settings({ profile: 'fast' })) });
    const bootstrap = simulate({ ...base, faults });
    const byMs = 6_000 + 800 + 500 + 2 * simTickMs;
    assert.equal(servingAt(fast, byMs).relay.pointsTo, 1, 'fast: the standby serves within the fast timeout');
    assert.equal(servingAt(fast, byMs).states[1], 'ALONE');
    assert.equal(servingAt(bootstrap, byMs).relay.pointsTo, 0, 'conservative: still waiting out 2.75 s');
    assert.deepEqual(fast.violations, []);
  });

  test('the hold-down follows the policy; a restarted node runs the policy it stored', () => {
    const faults: Schedule['faults'] = [{ kind: 'crash', node: 0, atMs: 3_000, restartAtMs: 8_000 }];
    // agent.yaml's hold-down is 300 s: no failback within the run.
    const held = simulate({ ...base, durationMs: 30_000, faults });
    assert.equal(servingAt(held, 29_000).relay.pointsTo, 1);
    const r = simulate({ ...base, durationMs: 30_000, faults, policies: toBoth(1_000, 1, settings({ holdDownSeconds: 5 })) });
    assert.deepEqual(servingAt(r, 8_000).policyVersions, [1, 1], 'node a restarted with the policy it stored');
    assert.equal(servingAt(r, 12_000).relay.pointsTo, 1, 'not before the hold-down');
    assert.equal(servingAt(r, 20_000).relay.pointsTo, 0, 'failback after the policy\'s 5 s hold-down');
    assert.deepEqual(r.violations, []);
  });

  for (const kind of ['serviceDown', 'storageUnavailable', 'recordingShare'] as const satisfies readonly TriggerKind[]) {
    test(`a disabled ${kind} trigger never moves the Serving role; enabled, it does`, () => {
      const faults: Schedule['faults'] = [{ kind: 'unhealthy', node: 0, fromMs: 5_000, toMs: 60_000, trouble: kind }];
      const off = simulate({ ...base, faults, policies: toBoth(0, 1, settings({ triggers: { [kind]: { ...defaultPolicySettings.triggers[kind], enabled: false } } })) });
      for (const o of off.observations.filter((o) => o.atMs >= 3_000)) assert.equal(o.relay.pointsTo, 0, `${o.atMs} ms`);
      assert.deepEqual(servingAt(off, 19_000).states, ['PRIM', 'SECOND'], 'the troubled node still counts as healthy to its peer');
      assert.deepEqual(off.failoversMs, [[], []]);
      const on = simulate({ ...base, faults, policies: toBoth(0, 1, settings()) });
      assert.equal(servingAt(on, 19_000).relay.pointsTo, 1);
      assert.equal(on.failoversMs[0].length, 1);
    });
  }

  test('each trigger waits out its own grace; null is the profile\'s', () => {
    const handoverMs = (trouble: TriggerKind): number => {
      const graces = { serviceDown: { enabled: true, graceMs: null }, storageUnavailable: { enabled: true, graceMs: 6_000 }, recordingShare: { enabled: true, minPercent: 50, graceMs: 0 } };
      const r = simulate({ ...base, faults: [{ kind: 'unhealthy', node: 0, fromMs: 5_000, toMs: 60_000, trouble }], policies: toBoth(0, 1, settings({ triggers: graces })) });
      return r.actions.find((x) => x.action.kind === 'event' && x.action.event.kind === 'failover.local-health')?.atMs ?? -1;
    };
    // The probe sees the trouble at 5 s; the core's clock is then at its last tick.
    const within = (atMs: number, graceMs: number): boolean => atMs >= 5_000 - simTickMs + graceMs && atMs <= 5_000 + graceMs + simTickMs;
    assert.ok(within(handoverMs('serviceDown'), profileTimings.conservative.unhealthyGraceMs), `serviceDown: ${handoverMs('serviceDown')} ms`);
    assert.ok(within(handoverMs('storageUnavailable'), 6_000), `storageUnavailable: ${handoverMs('storageUnavailable')} ms`);
    assert.ok(within(handoverMs('recordingShare'), 0), `recordingShare: ${handoverMs('recordingShare')} ms`);
  });

  test('a recorder that answers only now and then does not restart the grace of the trouble it shows when it answers', () => {
    const cfg = config();
    let s = initialState({ epoch: 0, stopped: false, failoversMs: [] }, 0, 'keep', 'a');
    const storageFailed = { recorderUp: true, storageOk: false, recordingShare: 1 };
    const silent = { recorderUp: false, storageOk: false, recordingShare: 0 };
    for (let t = 250; t <= 3_000; t += 250) s = run(cfg, s, [{ kind: 'tick', nowMs: t }, { kind: 'health', health: t % 500 === 0 ? silent : storageFailed }]).state;
    assert.equal(s.troubleSinceMs.storageUnavailable, 250, 'unknown while silent, not cleared');
    assert.equal(s.troubleSinceMs.serviceDown, 3_000, 'cleared each time it answers');
    s = run(cfg, s, [{ kind: 'health', health: { recorderUp: true, storageOk: true, recordingShare: 1 } }]).state;
    assert.deepEqual(s.troubleSinceMs, { serviceDown: null, storageUnavailable: null, recordingShare: null });
  });

  test('maintenance set by a new policy version spreads to the peer like the command does', () => {
    // Only node a hears from the controller; node b learns maintenance from a's heartbeats.
    const r = simulate({ ...base, faults: [{ kind: 'crash', node: 0, atMs: 8_000, restartAtMs: null }], policies: [{ atMs: 4_000, node: 0, version: 1, settings: settings({ maintenance: true }) }] });
    for (const o of r.observations.filter((o) => o.atMs >= 8_000)) assert.notEqual(o.relay.pointsTo, 1, `${o.atMs} ms: no failover in maintenance`);
    assert.ok(r.actions.some((x) => x.node === 1 && x.action.kind === 'event' && x.action.event.kind === 'failover.suspended'));
    assert.deepEqual(servingAt(r, 19_000).policyVersions, [null, 0], 'b never got the policy, only its maintenance');
  });

  test('a new version that leaves maintenance as it was never overrides the operator; one that changes it does', () => {
    const cfg = config();
    let s = initialState({ epoch: 0, stopped: false, failoversMs: [] }, 0, 'keep', 'a');
    const maintenance = (): CoreState['maintenance'] => s.maintenance;
    s = run(cfg, s, [{ kind: 'command', command: 'maintenance-on' }, policyInput(1, { maintenance: false, holdDownSeconds: 10 })]).state;
    assert.deepEqual(maintenance(), { on: true, version: 1 }, 'v1 keeps maintenance off, as agent.yaml had it: the operator\'s on stays');
    s = run(cfg, s, [policyInput(2, { maintenance: true })]).state;
    assert.deepEqual(maintenance(), { on: true, version: 2 });
    const off = run(cfg, s, [policyInput(3, { maintenance: false })]);
    s = off.state;
    assert.deepEqual(maintenance(), { on: false, version: 3 });
    assert.deepEqual(events(off.actions, 'maintenance.off').map((e) => e.data), [{ policyVersion: 3 }]);
    s = run(cfg, s, [{ kind: 'command', command: 'maintenance-on' }, policyInput(4, { maintenance: false, profile: 'fast' })]).state;
    assert.deepEqual(maintenance(), { on: true, version: 4 });
  });

  test('a version the peer already runs does not make its maintenance or preference change again', () => {
    const cfg = config();
    let s = initialState({ epoch: 0, stopped: false, failoversMs: [] }, 0, 'keep', 'a');
    const peerRuns: AdvertisedPolicy = { version: 2, heartbeatIntervalMs: 250, peerTimeoutMs: 2_750, failbackHoldDownMs: 300_000 };
    // a applied version 2 (maintenance on, b preferred) and its heartbeat brought both; then b's operator turned maintenance off.
    s = run(cfg, s, [{ kind: 'heartbeat', message: heartbeatFrom('a', { maintenance: { on: true, version: 3 }, preference: { nodeId: 'b', version: 1 }, policy: peerRuns } ) }, { kind: 'command', command: 'maintenance-off' }]).state;
    assert.deepEqual(s.maintenance, { on: false, version: 4 });
    const out = run(cfg, s, [policyInput(2, { maintenance: true, preferredNode: 'b' })]);
    assert.equal(policyVersion(out.state), 2);
    assert.deepEqual(out.state.maintenance, { on: false, version: 4 }, 'the operator\'s later command stands');
    assert.deepEqual(out.state.preference, { nodeId: 'b', version: 1 });
    assert.ok(!out.actions.some((x) => x.kind === 'persist'));
  });

  test('the preferred node: a policy that changes it wins over older swaps, a later swap over the policy, and a version that leaves it alone leaves a swap alone', () => {
    const policies: SimPolicy[] = [
      ...toBoth(2_000, 1, settings({ holdDownSeconds: 5 })),
      // A swap at 8 s makes node-b preferred. Version 2 changes only the hold-down: the swap stands.
      ...toBoth(15_000, 2, settings({ holdDownSeconds: 6 })),
      // A swap back at 22 s makes node-a preferred. Version 3 changes the preferred node to node-b:
      // only node a hears of it at first; node b learns it from a's heartbeats.
      { atMs: 30_000, node: 0, version: 3, settings: settings({ holdDownSeconds: 6, preferredNode: 'node-b' }) },
      { atMs: 44_000, node: 1, version: 3, settings: settings({ holdDownSeconds: 6, preferredNode: 'node-b' }) },
    ];
    const commands: Schedule['commands'] = [
      { atMs: 8_000, node: 0, command: 'swap' },
      { atMs: 22_000, node: 1, command: 'swap' },
      // A swap after version 3 wins over it.
      { atMs: 48_000, node: 1, command: 'swap' },
    ];
    const r = simulate({ ...base, durationMs: 60_000, policies, commands });
    assert.equal(servingAt(r, 7_000).relay.pointsTo, 0);
    assert.equal(servingAt(r, 14_000).relay.pointsTo, 1, 'the swap made node-b preferred');
    assert.equal(servingAt(r, 21_000).relay.pointsTo, 1, 'version 2 left the swap alone');
    assert.equal(servingAt(r, 29_000).relay.pointsTo, 0, 'the swap back made node-a preferred');
    // node-b has been a healthy standby for longer than the hold-down: failback at once.
    assert.equal(servingAt(r, 31_000).relay.pointsTo, 1, 'version 3 made node-b preferred: failback to it');
    assert.equal(servingAt(r, 47_000).relay.pointsTo, 1);
    assert.equal(servingAt(r, 59_000).relay.pointsTo, 0, 'the later swap stands');
    assert.deepEqual(servingAt(r, 59_000).policyVersions, [3, 3]);
    // The preference each node persisted first after version 3 reached node a.
    const firstPersisted = (n: 0 | 1) => r.actions.find((x) => x.node === n && x.atMs >= 30_000 && x.action.kind === 'persist')?.action;
    assert.deepEqual([firstPersisted(0), firstPersisted(1)].map((a) => (a?.kind === 'persist' ? a.preference : null)), [{ nodeId: 'node-b', version: 3 }, { nodeId: 'node-b', version: 3 }], 'a applies it one version above the swaps, b takes it from a');
    assert.ok(!r.actions.some((x) => x.node === 1 && x.atMs >= 44_000 && x.atMs < 45_000 && x.action.kind === 'persist'), 'b, which got version 3 from a already, does not make it again');
    assert.deepEqual(r.violations, []);
  });

  test('at start, a stored policy holds as set: its maintenance and preferred node, unless a swap or policy change was persisted', () => {
    const stored = { version: 5, policy: corePolicyOf(settings({ maintenance: true, preferredNode: 'b' })) };
    const s = initialState({ epoch: 2, stopped: false, failoversMs: [] }, 0, 'keep', 'a', stored);
    assert.deepEqual([policyVersion(s), s.maintenance, s.preference], [5, { on: true, version: 0 }, { nodeId: 'b', version: 0 }]);
    const swapped = initialState({ epoch: 2, stopped: false, failoversMs: [], preference: { nodeId: 'a', version: 3 } }, 0, 'keep', 'a', stored);
    assert.deepEqual(swapped.preference, { nodeId: 'a', version: 3 });
  });
});

describe('conservative timing while the two nodes run different policy versions', () => {
  const own = config(0, { heartbeatIntervalMs: 100, peerTimeoutMs: 800, failbackHoldDownMs: 10_000 });
  const slow: AdvertisedPolicy = { version: 2, heartbeatIntervalMs: 1_000, peerTimeoutMs: 5_000, failbackHoldDownMs: 5_000 };

  test('the longer peer timeout, the shorter heartbeat interval, the longer hold-down; as is at equal versions', () => {
    const merged = mergedTiming(own, 1, slow);
    assert.deepEqual([merged.peerTimeoutMs, merged.heartbeatIntervalMs, merged.failbackHoldDownMs], [5_000, 100, 10_000]);
    assert.equal(mergedTiming(own, 2, slow), own, 'equal versions: the same policy on both');
    assert.equal(mergedTiming(own, 1, null), own, 'a peer that does not say');
    assert.equal(mergedTiming(own, 0, { ...slow, version: 0 }).peerTimeoutMs, 5_000, 'both on their agent.yaml (version 0), which may differ: merged');
  });

  test('in the simulation, each node acts on the merge until both run the same version, then on the policy as is', () => {
    const fast = settings({ profile: 'fast' });
    const slowSettings = settings({ heartbeatIntervalMs: 1_000, peerTimeoutMs: 5_000 });
    const apart = simulate({ ...base, policies: [{ atMs: 0, node: 0, version: 1, settings: fast }, { atMs: 0, node: 1, version: 2, settings: slowSettings }] });
    const timing = (c: ReturnType<typeof simulate>['effectiveConfigs'][number]) => [c?.heartbeatIntervalMs, c?.peerTimeoutMs];
    assert.deepEqual(apart.effectiveConfigs.map(timing), [[100, 5_000], [100, 5_000]]);
    assert.deepEqual(apart.failoversMs, [[], []]);
    const agreed = simulate({ ...base, policies: [{ atMs: 0, node: 0, version: 1, settings: fast }, { atMs: 0, node: 1, version: 2, settings: slowSettings }, { atMs: 10_000, node: 0, version: 2, settings: slowSettings }] });
    assert.deepEqual(agreed.effectiveConfigs.map(timing), [[1_000, 5_000], [1_000, 5_000]]);
    assert.deepEqual(changedPolicyKeys(corePolicyOf(fast), corePolicyOf(slowSettings)), ['heartbeatIntervalMs', 'peerTimeoutMs', 'witnessTimeoutMs', 'unhealthyGraceMs', 'handoverTimeoutMs']);
    assert.deepEqual(agreed.failoversMs, [[], []]);
  });
});
