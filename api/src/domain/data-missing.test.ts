import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeStatus } from '../../../contracts/controller-v1.js';
import { DataMissingTracker } from './data-missing.js';
import { NodeStatusCache } from './node-status.js';

/** Only the fields the tracker reads. */
const status = (o: { state?: NodeStatus['state']; healthy?: boolean; service?: NodeStatus['service']; idle?: boolean } = {}): NodeStatus =>
  ({ state: o.state ?? 'SECOND', healthy: o.healthy ?? true, service: o.service ?? 'running', cameras: [{ deviceId: 'c', enabled: true, recording: o.idle !== true }] }) as unknown as NodeStatus;

function setup() {
  const clock = { ms: 0 };
  const statuses = new NodeStatusCache({ staleAfterMs: 100, nowMs: () => clock.ms });
  const tracker = new DataMissingTracker(statuses, { nowMs: () => clock.ms });
  return { clock, statuses, observe: () => tracker.observe('c', ['a', 'b']) };
}

describe('DataMissingTracker', () => {
  test('a cluster nobody reported for is never flagged; a peer that never reports is, after the start-up grace', () => {
    const { clock, observe } = setup();
    clock.ms = 1_000;
    assert.equal(observe(), false, 'not monitored');
    const fresh = setup();
    fresh.statuses.record('c', 'a', status({ state: 'PRIM' }));
    assert.equal(fresh.observe(), false, 'b may still be starting');
    fresh.clock.ms = 101;
    fresh.statuses.record('c', 'a', status({ state: 'ALONE' }));
    assert.equal(fresh.observe(), true);
  });

  test('a node down is remembered until the cluster is seen whole; an idle camera counts only while it lasts', () => {
    const { clock, statuses, observe } = setup();
    statuses.record('c', 'a', status({ state: 'PRIM' }));
    statuses.record('c', 'b', status());
    assert.equal(observe(), false);
    statuses.record('c', 'b', status({ idle: true }));
    assert.equal(observe(), true);
    statuses.record('c', 'b', status());
    assert.equal(observe(), false);

    clock.ms = 150;
    statuses.record('c', 'a', status({ state: 'ALONE' }));
    assert.equal(observe(), true, 'b silent');
    statuses.record('c', 'b', status({ healthy: false }));
    assert.equal(observe(), true, 'b back, not healthy yet');
    statuses.record('c', 'b', status({ service: 'starting' }));
    assert.equal(observe(), true);
    statuses.record('c', 'b', status());
    assert.equal(observe(), false, 'whole');
    statuses.record('c', 'b', status({ state: 'WAIT' }));
    assert.equal(observe(), true);
  });
});
