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
