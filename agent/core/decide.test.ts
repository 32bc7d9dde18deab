// Scenario tests of the decision core, driven through the deterministic simulation.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { coreConfig } from './config.js';
import { initialState, nextEpoch, step } from './decide.js';
import { simulate, type Schedule } from './simulation.js';

const base: Schedule = { seed: 1, durationMs: 20_000, lossPercent: 0, duplicatePercent: 0, delayMsMax: 20, witness: 'controller', faults: [] };
const servingAt = (r: ReturnType<typeof simulate>, atMs: number) => r.observations.find((o) => o.atMs >= atMs) as (typeof r.observations)[number];

describe('decision core', () => {
  test('epochs of the two ranks never collide', () => {
    for (let e = 0; e < 50; e += 1) {
      assert.equal(nextEpoch(e, 0) % 2, 0);
      assert.equal(nextEpoch(e, 1) % 2, 1);
      assert.ok(nextEpoch(e, 0) > e && nextEpoch(e, 1) > e);
    }
  });

  test('two healthy nodes settle with the preferred node as PRIM and the other as SECOND', () => {
    const r = simulate(base);
    const end = servingAt(r, 5_000);
    assert.deepEqual(end.states, ['PRIM', 'SECOND']);
    assert.equal(end.relay.pointsTo, 0);
    assert.deepEqual(r.violations, []);
    assert.deepEqual(r.failoversMs, [[], []]);
  });

  test('the standby takes over within the timeout when the serving node dies, and the relay follows', () => {
    const r = simulate({ ...base, faults: [{ kind: 'crash', node: 0, atMs: 5_000, restartAtMs: null }] });
    const deadline = 5_000 + r.configs[1].peerTimeoutMs + 500 + 100;
    const after = servingAt(r, deadline);
    assert.equal(after.states[1], 'ALONE');
    assert.equal(after.relay.pointsTo, 1);
    assert.equal(r.failoversMs[1].length, 1);
    assert.ok((r.failoversMs[1][0] as number) - 5_000 <= r.configs[1].peerTimeoutMs + 500 + 100);
  });

  test('a returning preferred node becomes standby, and the Serving role fails back only after the hold-down', () => {
    const r = simulate({ ...base, durationMs: 30_000, faults: [{ kind: 'crash', node: 0, atMs: 3_000, restartAtMs: 8_000 }], overrides: { failbackHoldDownMs: 10_000 } });
    assert.deepEqual(servingAt(r, 12_000).states, ['SECOND', 'PRIM']);
    assert.equal(servingAt(r, 12_000).relay.pointsTo, 1);
    assert.equal(servingAt(r, 29_000).relay.pointsTo, 0, 'failback after the hold-down');
    assert.deepEqual(servingAt(r, 29_000).states, ['PRIM', 'SECOND']);
    assert.deepEqual(r.violations, []);
  });

  test('heartbeats partitioned while the controller sees both: nobody fails over', () => {
    const r = simulate({ ...base, faults: [{ kind: 'partition', fromMs: 4_000, toMs: 15_000 }] });
    for (const o of r.observations.filter((o) => o.atMs >= 3_000)) assert.equal(o.relay.pointsTo, 0);
    assert.deepEqual(r.failoversMs, [[], []]);
  });

  test('a node cut off from both its peer and the witness stops serving (WAIT)', () => {
    const r = simulate({ ...base, faults: [{ kind: 'isolate', node: 0, fromMs: 5_000, toMs: 30_000 }], durationMs: 20_000 });
    const later = servingAt(r, 15_000);
    assert.equal(later.states[0], 'WAIT');
    assert.equal(later.states[1], 'ALONE');
    assert.equal(later.relay.pointsTo, 1);
    assert.deepEqual(r.violations, []);
  });

  test('at boot, silence is waited out quietly; node.isolated is raised once only when it outlasts the peer timeout', () => {
    const config = coreConfig({ nodeId: 'a', peerId: 'b', clusterId: 'c', rank: 0, preferredNodeId: null });
    let a = initialState({ epoch: 0, stopped: false, failoversMs: [] }, 0, 'keep');
    a = step(config, a, { kind: 'health', health: { recorderUp: true, storageOk: true, recordingShare: 1 } }).state;
    const isolatedEvents: number[] = [];
    for (let nowMs = 100; nowMs <= config.peerTimeoutMs * 3; nowMs += 100) {
      const out = step(config, a, { kind: 'tick', nowMs });
      a = out.state;
      assert.equal(a.state, 'WAIT', `never serving without peer or witness (${nowMs} ms)`);
      for (const x of out.actions) if (x.kind === 'event' && x.event.kind === 'node.isolated') isolatedEvents.push(nowMs);
    }
    assert.equal(isolatedEvents.length, 1, 'raised once');
    assert.ok((isolatedEvents[0] as number) >= config.peerTimeoutMs, `not before the peer timeout (${isolatedEvents[0]} ms)`);
  });

  test('a serving node whose recorder fails hands over to a healthy standby', () => {
    const r = simulate({ ...base, faults: [{ kind: 'unhealthy', node: 0, fromMs: 5_000, toMs: 60_000 }] });
    assert.equal(servingAt(r, 5_000 + r.configs[0].unhealthyGraceMs + 1_000).relay.pointsTo, 1);
    assert.equal(r.failoversMs[0].length, 1);
  });

  test('after the cap of automatic failovers, failover is suspended', () => {
    const faults: Schedule['faults'] = [
      { kind: 'crash', node: 0, atMs: 3_000, restartAtMs: 6_000 },
      { kind: 'crash', node: 1, atMs: 10_000, restartAtMs: 13_000 },
      { kind: 'crash', node: 0, atMs: 17_000, restartAtMs: null },
    ];
    const r = simulate({ ...base, durationMs: 30_000, faults, overrides: { failoverCapCount: 1, failoverCapWindowMs: 60_000, failbackHoldDownMs: 1_000_000 } });
    assert.equal(r.failoversMs[0].length + r.failoversMs[1].length <= 2, true);
    assert.ok(r.failoversMs.every((f) => f.length <= 1));
  });

  test('switch releases first and the peer claims; a switch without a ready peer is refused', () => {
    const config = (rank: 0 | 1) => coreConfig({ nodeId: rank === 0 ? 'a' : 'b', peerId: rank === 0 ? 'b' : 'a', clusterId: 'c', rank, preferredNodeId: null });
    let a = initialState({ epoch: 0, stopped: false, failoversMs: [] }, 0, 'keep');
    a = step(config(0), a, { kind: 'health', health: { recorderUp: true, storageOk: true, recordingShare: 1 } }).state;
    a = step(config(0), a, { kind: 'witness', reachable: true, peerAlive: false }).state;
    const claimed = step(config(0), a, { kind: 'tick', nowMs: 3_000 });
    assert.deepEqual(claimed.actions.filter((x) => x.kind === 'persist' || x.kind === 'claim').map((x) => x.kind), ['persist', 'claim'], 'the epoch is persisted before the claim');
    a = claimed.state;
    assert.equal(a.state, 'ALONE');
    const refused = step(config(0), a, { kind: 'command', command: 'switch' });
    assert.deepEqual(refused.actions.find((x) => x.kind === 'command-result'), { kind: 'command-result', command: 'switch', ok: false, reason: 'peer-not-ready' });
    const hb = { v: 1 as const, kind: 'heartbeat' as const, clusterId: 'c', from: 'b', seq: 1, echoSeq: -1, echoHeldMs: 0, state: 'SECOND' as const, epoch: 0, serving: false, healthy: true, handoverTo: null, maintenance: { on: false, version: 0 }, preference: { nodeId: null, version: 0 } };
    a = step(config(0), a, { kind: 'heartbeat', message: hb }).state;
    assert.equal(a.state, 'PRIM');
    const switched = step(config(0), a, { kind: 'command', command: 'switch' });
    assert.equal(switched.actions[0]?.kind, 'release');
    const sent = switched.actions.find((x) => x.kind === 'send');
    assert.equal(sent?.kind === 'send' ? sent.message.handoverTo : undefined, 'b');
    assert.equal(switched.state.state, 'SECOND');
  });

  test('maintenance suspends automatic failover', () => {
    const r = simulate({ ...base, faults: [{ kind: 'crash', node: 0, atMs: 5_000, restartAtMs: null }], overrides: {} });
    assert.equal(servingAt(r, 19_000).relay.pointsTo, 1);
    // Same schedule, but the standby was told maintenance-on first: drive it directly.
    const config = coreConfig({ nodeId: 'b', peerId: 'a', clusterId: 'c', rank: 1, preferredNodeId: 'a' });
    let b = initialState({ epoch: 0, stopped: false, failoversMs: [] }, 0, 'keep', 'a');
    b = step(config, b, { kind: 'health', health: { recorderUp: true, storageOk: true, recordingShare: 1 } }).state;
    b = step(config, b, { kind: 'command', command: 'maintenance-on' }).state;
    const serving = { v: 1 as const, kind: 'heartbeat' as const, clusterId: 'c', from: 'a', seq: 1, echoSeq: -1, echoHeldMs: 0, state: 'ALONE' as const, epoch: 2, serving: true, healthy: true, handoverTo: null, maintenance: { on: false, version: 0 }, preference: { nodeId: null, version: 0 } };
    b = step(config, b, { kind: 'heartbeat', message: serving }).state;
    assert.equal(b.state, 'SECOND');
    b = step(config, b, { kind: 'tick', nowMs: 10_000 }).state;
    const later = step(config, b, { kind: 'witness', reachable: true, peerAlive: false });
    assert.equal(later.state.state, 'WAIT', 'not serving: failover is suspended');
    assert.ok(!later.actions.some((x) => x.kind === 'claim'));
    assert.ok(later.actions.some((x) => x.kind === 'event' && x.event.kind === 'failover.suspended'));
  });

  test('swap moves Serving to the peer and makes it the preferred node, so failback does not undo it', () => {
    const cfg = (rank: 0 | 1) => coreConfig({ nodeId: rank === 0 ? 'a' : 'b', peerId: rank === 0 ? 'b' : 'a', clusterId: 'c', rank, preferredNodeId: 'a' }, 'conservative', { failbackHoldDownMs: 10_000 });
    const configs = [cfg(0), cfg(1)] as const;
    const nodes = [initialState({ epoch: 0, stopped: false, failoversMs: [] }, 0, 'keep', 'a'), initialState({ epoch: 0, stopped: false, failoversMs: [] }, 0, 'keep', 'a')];
    const healthy = { recorderUp: true, storageOk: true, recordingShare: 1 };
    let seq = 0;
    const run = (n: 0 | 1, input: Parameters<typeof step>[2]): ReturnType<typeof step>['actions'] => {
      const out = step(configs[n], nodes[n] as ReturnType<typeof initialState>, input);
      nodes[n] = out.state;
      // Deliver heartbeats to the peer at once (a perfect network).
      for (const a of out.actions) if (a.kind === 'send') run(n === 0 ? 1 : 0, { kind: 'heartbeat', message: { ...a.message, seq: seq++, echoSeq: -1, echoHeldMs: 0 } });
      return out.actions;
    };
    run(0, { kind: 'health', health: healthy });
    run(1, { kind: 'health', health: healthy });
    for (let t = 250; t <= 4_000; t += 250) for (const n of [0, 1] as const) run(n, { kind: 'tick', nowMs: t });
    assert.deepEqual([nodes[0]?.state, nodes[1]?.state], ['PRIM', 'SECOND']);
    const swapped = run(0, { kind: 'command', command: 'swap' });
    assert.deepEqual(swapped.find((a) => a.kind === 'command-result'), { kind: 'command-result', command: 'swap', ok: true, reason: 'swapping' });
    assert.ok(swapped.some((a) => a.kind === 'persist' && a.preference.nodeId === 'b'), 'the new preference is persisted');
    for (let t = 4_250; t <= 30_000; t += 250) for (const n of [0, 1] as const) run(n, { kind: 'tick', nowMs: t });
    // Long past the failback hold-down: b still serves, because b is now the preferred node on both sides.
    assert.deepEqual([nodes[0]?.state, nodes[1]?.state], ['SECOND', 'PRIM']);
    assert.equal(nodes[1]?.preference.nodeId, 'b');
    assert.equal(nodes[0]?.preference.nodeId, 'b');
    // A switch (not a swap) back to a: now b, the preferred node, wins it back after the hold-down.
    run(1, { kind: 'command', command: 'switch' });
    for (let t = 30_250; t <= 33_000; t += 250) for (const n of [0, 1] as const) run(n, { kind: 'tick', nowMs: t });
    assert.deepEqual([nodes[0]?.state, nodes[1]?.state], ['PRIM', 'SECOND']);
    for (let t = 33_250; t <= 50_000; t += 250) for (const n of [0, 1] as const) run(n, { kind: 'tick', nowMs: t });
    assert.deepEqual([nodes[0]?.state, nodes[1]?.state], ['SECOND', 'PRIM'], 'failback to the preferred node after the hold-down');
  });

  test('a second switch while one is in progress is refused', () => {
    const config = coreConfig({ nodeId: 'a', peerId: 'b', clusterId: 'c', rank: 0, preferredNodeId: null });
    let a = initialState({ epoch: 0, stopped: false, failoversMs: [] }, 0, 'keep');
    a = step(config, a, { kind: 'health', health: { recorderUp: true, storageOk: true, recordingShare: 1 } }).state;
    a = step(config, a, { kind: 'witness', reachable: true, peerAlive: false }).state;
    a = step(config, a, { kind: 'tick', nowMs: 3_000 }).state;
    const hb = { v: 1 as const, kind: 'heartbeat' as const, clusterId: 'c', from: 'b', seq: 1, echoSeq: -1, echoHeldMs: 0, state: 'SECOND' as const, epoch: 0, serving: false, healthy: true, handoverTo: null, maintenance: { on: false, version: 0 }, preference: { nodeId: null, version: 0 } };
    a = step(config, a, { kind: 'heartbeat', message: hb }).state;
    a = step(config, a, { kind: 'command', command: 'switch' }).state;
    const again = step(config, a, { kind: 'command', command: 'switch' });
    assert.deepEqual(again.actions.find((x) => x.kind === 'command-result'), { kind: 'command-result', command: 'switch', ok: false, reason: 'not-serving' });
  });

  test('a Serving node whose recorder fails after the cap is reached keeps the role and says so once', () => {
    const config = coreConfig({ nodeId: 'a', peerId: 'b', clusterId: 'c', rank: 0, preferredNodeId: null }, 'conservative', { failoverCapCount: 1 });
    let a = initialState({ epoch: 0, stopped: false, failoversMs: [0] }, 0, 'keep');
    a = step(config, a, { kind: 'health', health: { recorderUp: true, storageOk: true, recordingShare: 1 } }).state;
    a = step(config, a, { kind: 'witness', reachable: true, peerAlive: false }).state;
    a = step(config, a, { kind: 'tick', nowMs: 3_000 }).state;
    const hb = { v: 1 as const, kind: 'heartbeat' as const, clusterId: 'c', from: 'b', seq: 1, echoSeq: -1, echoHeldMs: 0, state: 'SECOND' as const, epoch: 0, serving: false, healthy: true, handoverTo: null, maintenance: { on: false, version: 0 }, preference: { nodeId: null, version: 0 } };
    a = step(config, a, { kind: 'heartbeat', message: hb }).state;
    assert.equal(a.state, 'PRIM');
    a = step(config, a, { kind: 'health', health: { recorderUp: false, storageOk: true, recordingShare: 0 } }).state;
    const events: string[] = [];
    for (let t = 3_250; t <= 10_000; t += 250) {
      const heard = step(config, a, { kind: 'heartbeat', message: { ...hb, seq: t } });
      const ticked = step(config, heard.state, { kind: 'tick', nowMs: t });
      a = ticked.state;
      for (const x of [...heard.actions, ...ticked.actions]) {
        if (x.kind === 'event') events.push(x.event.kind);
        assert.ok(x.kind !== 'release', 'no handover beyond the cap');
      }
    }
    assert.equal(a.state, 'PRIM');
    assert.deepEqual(events.filter((k) => k === 'failover.capped'), ['failover.capped']);
  });
});
