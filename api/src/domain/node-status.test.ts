import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeStatus } from '../../../contracts/controller-v1.js';
import { NodeStatusCache } from './node-status.js';

/** Only the fields the cache reads; the rest of a NodeStatus does not matter here. */
const status = (state: NodeStatus['state'], cameras: string[] = []): NodeStatus =>
  ({ state, serving: state === 'PRIM', cameras: cameras.map((deviceId) => ({ deviceId })), storages: [] }) as unknown as NodeStatus;

function cacheAt(options: { staleAfterMs?: number; maxNodes?: number } = {}) {
  const clock = { ms: 1_000 };
  const cache = new NodeStatusCache({ staleAfterMs: options.staleAfterMs ?? 100, maxNodes: options.maxNodes, nowMs: () => clock.ms, wallClock: () => new Date(clock.ms) });
  return { cache, clock };
}

describe('NodeStatusCache', () => {
  test('a report is fresh for staleAfterMs, by the monotonic clock, and returns the one it replaces', () => {
    const { cache, clock } = cacheAt();
    assert.equal(cache.record('c', 'n1', status('WAIT')), null);
    assert.equal(cache.isFresh('n1'), true);
    clock.ms += 100;
    assert.equal(cache.isFresh('n1'), true);
    assert.equal(cache.ageMs('n1'), 100);
    clock.ms += 1;
    assert.equal(cache.isFresh('n1'), false);
    assert.equal(cache.fresh('n1'), undefined);
    assert.equal(cache.reportedWithin('n1', 500), true);
    assert.equal(cache.record('c', 'n1', status('PRIM', ['cam-1']))?.status.state, 'WAIT');
    assert.equal(cache.isFresh('n1'), true);
    assert.deepEqual(cache.cameras('n1').map((c) => c.deviceId), ['cam-1']);
    assert.deepEqual(cache.cameras('unknown'), []);
    assert.equal(cache.ageMs('unknown'), null);
    assert.equal(cache.isFresh('unknown'), false);
  });

  test('when full, the node silent longest is dropped', () => {
    const { cache, clock } = cacheAt({ maxNodes: 3 });
    for (const id of ['a', 'b', 'c']) {
      cache.record('c', id, status('SECOND'));
      clock.ms += 1;
    }
    cache.record('c', 'a', status('SECOND'));
    cache.record('c', 'd', status('SECOND'));
    assert.equal(cache.size, 3);
    assert.equal(cache.get('b'), undefined, 'b reported longest ago');
    assert.ok(cache.get('a') && cache.get('c') && cache.get('d'));
  });

  test('a silent node is reported once until it reports again', () => {
    const { cache, clock } = cacheAt();
    cache.record('c', 'a', status('PRIM'));
    clock.ms += 50;
    cache.record('c', 'b', status('SECOND'));
    assert.deepEqual(cache.newlySilent(), []);
    clock.ms += 60;
    assert.deepEqual(cache.newlySilent().map((e) => e.nodeId), ['a']);
    cache.markLost('a');
    assert.equal(cache.isLost('a'), true);
    assert.deepEqual(cache.newlySilent(), []);
    clock.ms += 100;
    assert.deepEqual(cache.newlySilent().map((e) => e.nodeId), ['b']);
    cache.record('c', 'a', status('PRIM'));
    cache.clearLost('a');
    assert.equal(cache.isLost('a'), false);
    cache.forget('b');
    assert.deepEqual(cache.newlySilent(), []);
    assert.throws(() => new NodeStatusCache({ staleAfterMs: 0 }), RangeError);
  });
});

describe('NodeStatusCache.recordShared (a report another controller received)', () => {
  test('is as fresh as its age says, keeps the shared report interval, and goes stale as it would where it was received', () => {
    const { cache, clock } = cacheAt({ staleAfterMs: 10_000 });
    assert.equal(cache.recordShared('c', 'n1', status('PRIM'), 400, 1_000), true);
    assert.equal(cache.ageMs('n1'), 400);
    assert.equal(cache.get('n1')?.reportIntervalMs, 1_000);
    assert.equal(cache.get('n1')?.receivedAt.getTime(), clock.ms - 400);
    // 3 report intervals of silence, counted from when the other controller received it.
    clock.ms += 2_600;
    assert.equal(cache.isFresh('n1'), true);
    clock.ms += 1;
    assert.equal(cache.isFresh('n1'), false);
  });

  test('is taken only when newer than what the cache holds, and is never told to the record listener', () => {
    const { cache, clock } = cacheAt({ staleAfterMs: 10_000 });
    const told: string[] = [];
    cache.observeRecords((nodeId) => told.push(nodeId));
    cache.record('c', 'n1', status('PRIM'));
    clock.ms += 300;
    // Received elsewhere 500 ms ago: older than the local report 300 ms ago.
    assert.equal(cache.recordShared('c', 'n1', status('WAIT'), 500, 1_000), false);
    assert.equal(cache.get('n1')?.status.state, 'PRIM');
    assert.equal(cache.recordShared('c', 'n1', status('SECOND'), 100, 1_000), true);
    assert.equal(cache.get('n1')?.status.state, 'SECOND');
    assert.deepEqual(told, ['n1']);
    // The same row seen again (an overlapping poll) is not newer.
    assert.equal(cache.recordShared('c', 'n1', status('SECOND'), 100, 1_000), false);
    assert.throws(() => cache.recordShared('c', 'n1', status('SECOND'), -1, null), /ageMs/);
  });

  test('ends an announced silence: the node reports again, through another controller', () => {
    const { cache, clock } = cacheAt({ staleAfterMs: 100 });
    cache.record('c', 'n1', status('PRIM'));
    clock.ms += 200;
    assert.deepEqual(cache.newlySilent().map((e) => e.nodeId), ['n1']);
    cache.markLost('n1');
    assert.equal(cache.recordShared('c', 'n1', status('PRIM'), 10, null), true);
    assert.equal(cache.isLost('n1'), false);
    assert.equal(cache.isFresh('n1'), true);
  });
});

test('lastCameras is the last camera list a node reported with any, the same array, here or shared; forgotten with the node', () => {
  const cache = new NodeStatusCache({ staleAfterMs: 10_000, nowMs: () => 0 });
  const cameras = [{ deviceId: 'cam-1' }] as unknown as NodeStatus['cameras'];
  const withCameras = (list: NodeStatus['cameras']) => ({ cameras: list }) as unknown as NodeStatus;
  assert.equal(cache.record('c', 'n', withCameras(cameras)), null);
  assert.equal(cache.get('n')?.lastCameras, cameras);
  cache.record('c', 'n', withCameras([]));
  assert.equal(cache.get('n')?.lastCameras, cameras, 'kept while it lists none');
  cache.recordShared('c', 'n', withCameras([]), 0, null);
  assert.equal(cache.get('n')?.lastCameras, cameras, 'kept through a shared report');
  const other = [{ deviceId: 'cam-2' }] as unknown as NodeStatus['cameras'];
  cache.record('c', 'n', withCameras(other));
  assert.equal(cache.get('n')?.lastCameras, other);
  cache.forget('n');
  cache.record('c', 'n', withCameras([]));
  assert.deepEqual(cache.get('n')?.lastCameras, [], 'nothing from before it was forgotten');
});
