import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { poolSchema, cameraFailoverLevelsSchema } from '../model/pool.js';
import { cameraLevelsView, failoverStateOf, hotStandbyView, parseProtectedState, poolView, type LeaseOfServer, type PoolRows } from './pool-view.js';

const at = new Date('2026-11-22T10:00:00.000Z');
const failedAtMs = Date.parse('2026-11-22T09:59:00.000Z');
const names: Record<string, string> = { rs1: 'RS-1', fo1: 'FO-1' };
const nameOf = (id: string): string => names[id] ?? id;
const lease = (state: LeaseOfServer['state'], protectedNodeId: string | null = 'rs1'): LeaseOfServer => ({ standbyNodeId: 'fo1', protectedNodeId, state, epoch: 3, updatedAt: at });

describe('a protected server\'s failover state', () => {
  it('is protected without a lease or a failure, and while only troubled', () => {
    assert.equal(failoverStateOf(null, null, 'automatic', nameOf).state, 'protected');
    assert.equal(failoverStateOf({ kind: 'troubled', trigger: 'storage', sinceMs: failedAtMs }, null, 'automatic', nameOf).state, 'protected');
    assert.equal(failoverStateOf({ kind: 'protected' }, lease('free', null), 'automatic', nameOf).state, 'protected');
  });

  it('is failed over while a standby takes it over or serves it, since it failed', () => {
    const failed = { kind: 'failed', trigger: 'disconnected', sinceMs: failedAtMs } as const;
    for (const state of ['taking-over', 'serving'] as const) {
      assert.deepEqual(failoverStateOf(failed, lease(state), 'automatic', nameOf), { state: 'failed-over', trigger: 'disconnected', since: '2026-11-22T09:59:00.000Z', standby: { nodeId: 'fo1', nodeName: 'FO-1' }, sync: null });
    }
    // The lease alone (the supervisor's state not written yet): since the lease moved.
    assert.deepEqual(failoverStateOf(null, lease('taking-over'), 'automatic', nameOf), { state: 'failed-over', trigger: null, since: at.toISOString(), standby: { nodeId: 'fo1', nodeName: 'FO-1' }, sync: null });
  });

  it('is in failback sync while the standby syncs back, and recovered while the stop is manual', () => {
    assert.equal(failoverStateOf({ kind: 'protected' }, lease('syncing-back'), 'automatic', nameOf).state, 'failback-sync');
    // The sync's progress as the protected server's agent reports it: the percent, and the period still only on the standby.
    const reported = { standbyNodeId: 'fo1', state: 'running', bytesDone: 333, bytesTotal: 1000, blocksDone: 3, blocksTotal: 10, fromMs: failedAtMs, toMs: failedAtMs + 60_000, startedAt: at.toISOString(), finishedAt: null, error: null } as const;
    assert.deepEqual(failoverStateOf({ kind: 'protected' }, lease('syncing-back'), 'automatic', nameOf, reported).sync, { state: 'running', percent: 33, bytesDone: 333, bytesTotal: 1000, blocksDone: 3, blocksTotal: 10, onlyOnStandbyFrom: '2026-11-22T09:59:00.000Z', onlyOnStandbyUntil: '2026-11-22T10:00:00.000Z', error: null });
    const done = failoverStateOf({ kind: 'protected' }, lease('syncing-back'), 'automatic', nameOf, { ...reported, state: 'done', bytesDone: 1000 }).sync;
    assert.deepEqual([done?.percent, done?.onlyOnStandbyFrom, done?.onlyOnStandbyUntil], [100, null, null]);
    assert.equal(failoverStateOf({ kind: 'protected' }, lease('syncing-back'), 'automatic', nameOf, { ...reported, standbyNodeId: 'fo9' }).sync, null, "another standby's sync is not this one's");
    assert.equal(failoverStateOf({ kind: 'protected' }, lease('serving'), 'automatic', nameOf, reported).sync, null);
    const recovered = failoverStateOf({ kind: 'recovered', trigger: 'service-down', failedSinceMs: failedAtMs }, lease('serving'), 'automatic', nameOf);
    assert.deepEqual([recovered.state, recovered.standby?.nodeName, recovered.trigger], ['recovered', 'FO-1', 'service-down']);
  });

  it('waits for a standby when failed without one, or for an operator when failover is manual', () => {
    const failed = { kind: 'failed', trigger: 'storage', sinceMs: failedAtMs } as const;
    assert.deepEqual(failoverStateOf(failed, null, 'automatic', nameOf), { state: 'waiting', trigger: 'storage', since: '2026-11-22T09:59:00.000Z', standby: null, sync: null });
    assert.equal(failoverStateOf(failed, null, 'manual', nameOf).state, 'failover-needed');
    assert.equal(failoverStateOf({ kind: 'recovering', trigger: 'storage', failedSinceMs: failedAtMs, healthySinceMs: failedAtMs + 1 }, null, 'automatic', nameOf).state, 'waiting');
  });

  it('reads the supervisor\'s stored state, and nothing from text that is not one', () => {
    assert.deepEqual(parseProtectedState(JSON.stringify({ kind: 'failed', trigger: 'disconnected', sinceMs: 5 })), { kind: 'failed', trigger: 'disconnected', sinceMs: 5 });
    for (const text of ['', '{', '{"kind":"failed"}', '{"kind":"exploded","trigger":"storage","sinceMs":1}', '[]']) assert.equal(parseProtectedState(text), null, text);
  });
});

describe('the pool at a glance', () => {
  const rows: PoolRows = {
    clusterId: '00000000-0000-4000-8000-000000000000',
    nodes: [
      { id: 'rs2', name: 'RS-2', role: 'primary' },
      { id: 'rs1', name: 'RS-1', role: 'primary' },
      { id: 'fo2', name: 'FO-2', role: 'failover' },
      { id: 'fo1', name: 'FO-1', role: 'failover' },
      { id: 'hot', name: 'HOT', role: 'failover' },
    ],
    groups: [{ id: 'g1', clusterId: 'c', name: 'Hall', createdAt: at, updatedAt: at, version: 2 }],
    members: [
      { standbyNodeId: 'fo1', groupId: 'g1', position: 1 },
      { standbyNodeId: 'fo2', groupId: 'g1', position: 0 },
      { standbyNodeId: 'gone', groupId: 'g1', position: 2 },
    ],
    servers: [{ nodeId: 'rs1', clusterId: 'c', primaryGroupId: 'g1', secondaryGroupId: null, hotStandbyNodeId: 'hot', standbySelection: 'capacity-closest', sharedAddress: 'rs1.example:7563', updatedAt: at, version: 1 }],
    standbys: [{ nodeId: 'fo1', clusterId: 'c', cameraCapacity: 32, updatedAt: at }],
    states: [{ nodeId: 'rs2', state: JSON.stringify({ kind: 'failed', trigger: 'disconnected', sinceMs: failedAtMs }) }],
    leases: [{ standbyNodeId: 'fo1', protectedNodeId: 'rs2', state: 'serving', epoch: 4, updatedAt: at }],
    recorderConfigs: [{ nodeId: 'rs1', sha256: 'ab'.repeat(32), receivedAt: at }],
    failover: 'automatic',
    reachable: (id) => id !== 'rs2',
    hotStatus: (id) => (id === 'hot' ? { protectedNodeId: 'rs1', configSha256: 'ab'.repeat(32), state: 'ready', error: null } : null),
  };
  const view = poolView(rows);

  it('parses with the API schema', () => {
    // The short ids of these rows as UUIDs, as the database holds them.
    const ids = ['rs1', 'rs2', 'fo1', 'fo2', 'hot', 'g1', 'c'];
    const asUuids = JSON.parse(JSON.stringify(view), (_key, value: unknown) => (typeof value === 'string' && ids.includes(value) ? `00000000-0000-4000-8000-00000000000${ids.indexOf(value)}` : value));
    assert.doesNotThrow(() => poolSchema.parse(asUuids));
  });

  it('lists protected servers by name with their settings, state and RecorderConfig.xml on record', () => {
    assert.deepEqual(view.protectedServers.map((s) => s.name), ['RS-1', 'RS-2']);
    const [rs1, rs2] = view.protectedServers;
    assert.deepEqual(rs1?.settings, { primaryGroupId: 'g1', secondaryGroupId: null, hotStandbyNodeId: 'hot', standbySelection: 'capacity-closest', sharedAddress: 'rs1.example:7563' });
    assert.deepEqual(rs1?.recorderConfig, { sha256: 'ab'.repeat(32), receivedAt: at.toISOString() });
    assert.equal(rs1?.failover.state, 'protected');
    // No settings row: none, by sequence.
    assert.deepEqual(rs2?.settings, { primaryGroupId: null, secondaryGroupId: null, hotStandbyNodeId: null, standbySelection: 'sequence', sharedAddress: null });
    assert.deepEqual([rs2?.failover.state, rs2?.failover.standby?.nodeName, rs2?.reachable, rs2?.recorderConfig], ['failed-over', 'FO-1', false, null]);
  });

  it('shows each group\'s sequence in order, without members whose node is gone', () => {
    assert.deepEqual(view.failoverGroups[0]?.standbys, [{ nodeId: 'fo2', nodeName: 'FO-2' }, { nodeId: 'fo1', nodeName: 'FO-1' }]);
  });

  it('shows each standby with its capacity, assignment, lease and whom it serves', () => {
    const byName = Object.fromEntries(view.standbys.map((s) => [s.name, s]));
    assert.deepEqual(byName['FO-1'], { nodeId: 'fo1', name: 'FO-1', reachable: true, cameraCapacity: 32, failoverGroupId: 'g1', hotStandbyFor: null, hot: null, lease: { state: 'serving', epoch: 4 }, serving: { nodeId: 'rs2', nodeName: 'RS-2' } });
    assert.deepEqual(byName.HOT, { nodeId: 'hot', name: 'HOT', reachable: true, cameraCapacity: null, failoverGroupId: null, hotStandbyFor: { nodeId: 'rs1', nodeName: 'RS-1' }, hot: { protectedServer: { nodeId: 'rs1', nodeName: 'RS-1' }, state: 'ready', configSha256: 'ab'.repeat(32), error: null }, lease: { state: 'free', epoch: 0 }, serving: null });
  });
});

describe('a hot standby\'s readiness', () => {
  const ref = (nodeId: string) => ({ nodeId, nodeName: nameOf(nodeId) });
  const rs1 = ref('rs1');
  const sha = 'ab'.repeat(32);
  const reported = (o: object = {}) => ({ protectedNodeId: 'rs1', configSha256: sha, state: 'ready' as const, error: null, ...o });

  it('is its agent\'s hot state for the server it is assigned to, with that server\'s current RecorderConfig.xml', () => {
    assert.deepEqual(hotStandbyView(rs1, sha, reported(), ref), { protectedServer: rs1, state: 'ready', configSha256: sha, error: null });
    const error = { step: 'start-recorder', reason: 'timeout' };
    assert.deepEqual(hotStandbyView(rs1, sha, reported({ state: 'failed', error }), ref), { protectedServer: rs1, state: 'failed', configSha256: sha, error });
  });

  it('is cold when assigned and running nothing, another server or an older configuration', () => {
    assert.deepEqual(hotStandbyView(rs1, sha, null, ref), { protectedServer: rs1, state: 'cold', configSha256: null, error: null });
    assert.deepEqual(hotStandbyView(rs1, sha, reported({ protectedNodeId: 'rs2' }), ref), { protectedServer: rs1, state: 'cold', configSha256: null, error: null });
    assert.deepEqual(hotStandbyView(rs1, 'cd'.repeat(32), reported(), ref), { protectedServer: rs1, state: 'cold', configSha256: sha, error: null });
  });

  it('shows an unassigned standby still running a server\'s identity as reported, and nothing for a cold one', () => {
    assert.deepEqual(hotStandbyView(null, null, reported({ state: 'restoring' }), ref), { protectedServer: rs1, state: 'restoring', configSha256: sha, error: null });
    assert.equal(hotStandbyView(null, null, null, ref), null);
  });
});

describe('camera failover levels', () => {
  const c = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

  it('lists the reported cameras by name with their level, full by default, then stored levels of cameras gone', () => {
    const view = cameraLevelsView('n1', at, [{ deviceId: c(2), name: 'Gate' }, { deviceId: c(1).toUpperCase(), name: 'Door' }, { deviceId: c(3) }], [
      { deviceId: c(1), level: 'none' },
      { deviceId: c(9), level: 'live-only' },
    ]);
    assert.deepEqual(view, {
      nodeId: 'n1',
      reportedAt: at.toISOString(),
      cameras: [
        { deviceId: c(3), name: null, level: 'full', reported: true },
        { deviceId: c(1), name: 'Door', level: 'none', reported: true },
        { deviceId: c(2), name: 'Gate', level: 'full', reported: true },
        { deviceId: c(9), name: null, level: 'live-only', reported: false },
      ],
    });
    assert.doesNotThrow(() => cameraFailoverLevelsSchema.parse({ ...view, nodeId: c(0) }));
  });

  it('lists nothing before the first report but what is stored', () => {
    assert.deepEqual(cameraLevelsView('n1', null, [], [{ deviceId: c(1), level: 'none' }]).cameras, [{ deviceId: c(1), name: null, level: 'none', reported: false }]);
  });
});
