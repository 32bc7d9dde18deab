import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeStatusSchema, reportRequestSchema } from '../../contracts/controller-v1.js';
import type { PoolStandbyStatus } from '../../contracts/pool-v1.js';
import { toLocalHealth } from '../health/local-health.js';
import { standbyNodeStatus, type StandbyStatusInput } from './standby-status.js';

const protectedNodeId = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';
const storage = { storageId: 'st-1', name: 'Local default', path: '/media', available: true, usedSpaceBytes: 10, freeSpaceBytes: 1000 };
const camera = (deviceId: string, recording: boolean) => ({ deviceId, enabled: true, started: true, recording, errorNoConnection: false, errorOverflow: false, error: false, fps: 10, fpsRequested: 10, resolution: null, videoFormat: null, usedSpaceBytes: null });
const cameras = [camera('c0ffee00-0000-4000-8000-000000000001', true), camera('c0ffee00-0000-4000-8000-000000000002', true)];

function input(pool: PoolStandbyStatus, over: Partial<StandbyStatusInput> = {}): StandbyStatusInput {
  return {
    clusterName: 'pool-1',
    nodeName: 'standby-1',
    pool,
    health: toLocalHealth({ reachable: true, cameras, storages: [storage] }),
    cameras,
    storages: [storage],
    service: 'running',
    controllerReachable: true,
    uptimeSeconds: 12,
    startedAt: '2026-12-07T04:00:00.000Z',
    ...over,
  };
}
const since = '2026-12-07T04:00:01.000Z';
const free: PoolStandbyStatus = { state: 'free', protectedNodeId: null, epoch: 4, since, error: null };
const serving: PoolStandbyStatus = { state: 'serving', protectedNodeId, epoch: 5, since, error: null };

test('each standby state maps to the node state the controller reads, and serving only while it serves', () => {
  const cases: Array<[PoolStandbyStatus, string, boolean]> = [
    [free, 'SECOND', false],
    [{ ...serving, state: 'taking-over' }, 'WAIT', false],
    [serving, 'ALONE', true],
    [{ ...serving, state: 'releasing' }, 'WAIT', false],
    [{ ...serving, state: 'failed', error: { step: 'wait-healthy', reason: 'not healthy after 60000 ms' } }, 'STOP', false],
  ];
  for (const [pool, state, isServing] of cases) {
    const status = standbyNodeStatus(input(pool));
    assert.deepEqual({ state: status.state, serving: status.serving, epoch: status.epoch }, { state, serving: isServing, epoch: pool.epoch }, pool.state);
    assert.deepEqual(status.pool, pool, 'the standby status travels as is');
  }
});

test('the status is a valid report body for the controller, with pool, and one without pool still is (older agents, pairs)', () => {
  const status = standbyNodeStatus(input(serving));
  assert.deepEqual(nodeStatusSchema.parse(status), status);
  const report = { clusterId: '1b2c3d4e-5f60-4718-9a0b-1c2d3e4f5a6b', nodeId: '2c3d4e5f-6071-4829-8a1b-2c3d4e5f6a7b', status, events: [], witnessWindowMs: 3_000 };
  assert.ok(reportRequestSchema.safeParse(report).success);
  const { pool: _pool, ...withoutPool } = status;
  assert.ok(nodeStatusSchema.safeParse(withoutPool).success);
  assert.equal(nodeStatusSchema.safeParse({ ...status, pool: { ...serving, state: 'lost' } }).success, false, 'the pool field is checked, not passed through');
});

test('health: a failed step is the problem and unhealthy; a serving standby missing a camera is unhealthy; no peer, no ping', () => {
  const failed = standbyNodeStatus(input({ ...serving, state: 'failed', error: { step: 'apply-config', reason: 'compare-and-swap lost' } }));
  assert.equal(failed.healthy, false);
  assert.equal(failed.health.problem, 'apply-config: compare-and-swap lost');
  const partial = [camera('c0ffee00-0000-4000-8000-000000000001', true), camera('c0ffee00-0000-4000-8000-000000000002', false)];
  const missing = standbyNodeStatus(input(serving, { cameras: partial, health: toLocalHealth({ reachable: true, cameras: partial, storages: [storage] }) }));
  assert.equal(missing.healthy, false);
  assert.equal(missing.health.camerasRecording, 1);
  assert.equal(standbyNodeStatus(input(serving)).healthy, true);
  const down = standbyNodeStatus(input(free, { health: toLocalHealth({ reachable: false, reason: 'connection refused' }), service: 'stopped' }));
  assert.deepEqual({ healthy: down.healthy, problem: down.health.problem, service: down.service }, { healthy: false, problem: 'connection refused', service: 'stopped' });
  assert.deepEqual(down.peer, { name: 'standby-1', state: null, lastHeardAgoMs: null, reachable: false });
  assert.deepEqual(down.ping, { avgMs: null, maxMs: null, lastMs: null });
});

test('a hot standby is still a free standby (SECOND); ready, it records its server\'s cameras to be healthy; a failed hot step is the problem', () => {
  const configSha256 = 'a'.repeat(64);
  const ready: PoolStandbyStatus = { ...free, hot: { protectedNodeId, configSha256, state: 'ready', error: null } };
  const status = standbyNodeStatus(input(ready));
  assert.deepEqual({ state: status.state, serving: status.serving, healthy: status.healthy, problem: status.health.problem }, { state: 'SECOND', serving: false, healthy: true, problem: null });
  assert.deepEqual(nodeStatusSchema.parse(status), status, 'hot travels in the report');
  const partial = [camera('c0ffee00-0000-4000-8000-000000000001', true), camera('c0ffee00-0000-4000-8000-000000000002', false)];
  assert.equal(standbyNodeStatus(input(ready, { cameras: partial, health: toLocalHealth({ reachable: true, cameras: partial, storages: [storage] }) })).healthy, false, 'a ready hot standby missing a camera');
  const preparing = standbyNodeStatus(input({ ...free, hot: { protectedNodeId, configSha256, state: 'preparing', error: null } }, { cameras: partial, health: toLocalHealth({ reachable: true, cameras: partial, storages: [storage] }) }));
  assert.equal(preparing.healthy, true, 'not yet recording while it prepares');
  const failed = standbyNodeStatus(input({ ...free, hot: { protectedNodeId, configSha256, state: 'failed', error: { step: 'wait-healthy', reason: 'not healthy after 60000 ms' } } }));
  assert.deepEqual({ state: failed.state, healthy: failed.healthy, problem: failed.health.problem }, { state: 'SECOND', healthy: true, problem: 'hot standby wait-healthy: not healthy after 60000 ms' });
  const both = standbyNodeStatus(input({ ...serving, state: 'failed', error: { step: 'claim-endpoint', reason: 'refused' }, hot: { protectedNodeId, configSha256, state: 'failed', error: { step: 'apply-config', reason: 'x' } } }));
  assert.equal(both.health.problem, 'claim-endpoint: refused', 'the standby\'s own error first');
});
