import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeStatus } from '../../../contracts/controller-v1.js';
import { NodeStatusCache, nextReportIntervalMs, silenceLimitMs } from './node-status.js';
import { haStatusOf, roleIn, servingView, servingViewOf, type ServingClaim } from './serving-view.js';

/** Only the fields the view reads. */
const status = (state: NodeStatus['state'], epoch: number): NodeStatus => ({ state, serving: state === 'PRIM' || state === 'ALONE', epoch }) as unknown as NodeStatus;

/** A cache on a fake monotonic clock, with the default agents.staleAfterMs of 10 s. */
function cacheAt(staleAfterMs = 10_000) {
  const clock = { ms: 5_000 };
  const cache = new NodeStatusCache({ staleAfterMs, nowMs: () => clock.ms, wallClock: () => new Date(clock.ms) });
  /** Reports `times` times, `everyMs` apart, ending now. */
  const reports = (nodeId: string, s: NodeStatus, times: number, everyMs: number) => {
    for (let i = 0; i < times; i += 1) {
      if (i > 0) clock.ms += everyMs;
      cache.record('c', nodeId, s);
    }
  };
  return { cache, clock, reports };
}

const claim = (nodeId: string, epoch: number, claimsServing = true, reachable = true): ServingClaim => ({ nodeId, epoch, claimsServing, reachable });

describe('the Serving view', () => {
  test('of two claimants the higher epoch serves; the lower one is stepping down, not serving, and no conflict', () => {
    // Measured after kill -9 of the Serving recorder: the old node still PRIM at epoch 2, the new one ALONE at epoch 3.
    const view = servingView([claim('old', 2), claim('new', 3)]);
    assert.equal(view.servingNodeId, 'new');
    assert.equal(view.epoch, 3);
    assert.equal(view.conflict, false);
    assert.equal(roleIn(view, 'old'), 'stepping-down');
    assert.equal(roleIn(view, 'new'), 'serving');
    assert.deepEqual([haStatusOf(roleIn(view, 'old')), haStatusOf(roleIn(view, 'new'))], ['Standby', 'Serving'], 'never two Serving nodes');
  });

  test('a conflict is two claims of the same epoch: both are shown serving, the first by id is named', () => {
    const view = servingView([claim('b', 4), claim('a', 4), claim('c', 4, false)]);
    assert.equal(view.conflict, true);
    assert.equal(view.servingNodeId, 'a');
    assert.deepEqual(['a', 'b', 'c'].map((id) => roleIn(view, id)), ['serving', 'serving', 'standby']);
  });

  test('unreachable nodes count for nothing; nobody claiming means no Serving node', () => {
    const view = servingView([claim('dead', 9, true, false), claim('alive', 3, false)]);
    assert.deepEqual([view.servingNodeId, view.epoch, view.conflict], [null, null, false]);
    assert.deepEqual([roleIn(view, 'dead'), roleIn(view, 'alive'), roleIn(view, 'other')], ['unknown', 'standby', 'unknown']);
    assert.equal(haStatusOf('unknown'), 'Unknown');
    assert.equal(servingView([claim('dead', 9, true, false), claim('new', 3)]).servingNodeId, 'new', 'a silent node at a higher epoch does not fence the one that took over');
  });

  test('in a pool every reachable claimant serves its own recording server; the highest epoch names the cluster\'s', () => {
    const view = servingView([claim('rs-1', 2), claim('rs-2', 5), claim('fo-1', 1, false)], 'pool');
    assert.deepEqual(['rs-1', 'rs-2', 'fo-1'].map((id) => roleIn(view, id)), ['serving', 'serving', 'standby']);
    assert.deepEqual([view.servingNodeId, view.conflict], ['rs-2', false]);
  });
});

describe('reachability by report intervals', () => {
  test('a node reporting every second is unreachable once silent for more than 3 s, not 10 s', () => {
    const { cache, clock, reports } = cacheAt();
    reports('a', status('PRIM', 2), 5, 1_000);
    assert.equal(cache.get('a')?.reportIntervalMs, 1_000);
    assert.equal(cache.silenceLimitMs('a'), 3_000);
    clock.ms += 3_000;
    assert.equal(cache.isFresh('a'), true);
    clock.ms += 1;
    assert.equal(cache.isFresh('a'), false);
    assert.equal(cache.fresh('a'), undefined);
    // Its agent is not yet lost: node.agent-lost waits for agents.staleAfterMs.
    assert.equal(cache.isSilent('a'), false);
    assert.deepEqual(cache.newlySilent(), []);
    clock.ms += 7_000;
    assert.equal(cache.isSilent('a'), true);
    assert.deepEqual(cache.newlySilent().map((e) => e.nodeId), ['a']);
  });

  test('host death: the dead node drops out within a few report intervals, and the one that took over serves alone', () => {
    const { cache, clock } = cacheAt();
    for (let i = 0; i < 4; i += 1) {
      clock.ms += 500;
      cache.record('c', 'a', status('PRIM', 2));
      clock.ms += 500;
      cache.record('c', 'b', status('SECOND', 2));
    }
    // a dies (agent and recorder together) just after its last report: b takes over at epoch 3 about 2.75 s later and reports every second.
    let sinceDeathMs = 500;
    const views: string[] = [];
    for (const [state, epoch] of [['SECOND', 2], ['ALONE', 3], ['ALONE', 3], ['ALONE', 3]] as const) {
      clock.ms += 1_000;
      sinceDeathMs += 1_000;
      cache.record('c', 'b', status(state, epoch));
      const view = servingViewOf(['a', 'b'], cache, 'cloning');
      views.push(`${sinceDeathMs}: ${roleIn(view, 'a')}/${roleIn(view, 'b')}`);
      assert.ok(!(roleIn(view, 'a') === 'serving' && roleIn(view, 'b') === 'serving'), 'never two Serving nodes');
    }
    assert.deepEqual(views, ['1500: serving/standby', '2500: stepping-down/serving', '3500: unknown/serving', '4500: unknown/serving']);
  });

  test('the silence allowed is at least 2.5 s, however fast the reports come, and at most agents.staleAfterMs', () => {
    const burst = cacheAt();
    burst.reports('a', status('SECOND', 1), 5, 10);
    assert.equal(burst.cache.silenceLimitMs('a'), 2_500);
    burst.clock.ms += 2_500;
    assert.equal(burst.cache.isFresh('a'), true);
    burst.clock.ms += 1;
    assert.equal(burst.cache.isFresh('a'), false);

    const slow = cacheAt(4_000);
    slow.reports('a', status('SECOND', 1), 3, 2_000);
    assert.equal(slow.cache.silenceLimitMs('a'), 4_000, 'staleAfterMs comes first');

    const once = cacheAt();
    once.reports('a', status('SECOND', 1), 1, 0);
    assert.equal(once.cache.get('a')?.reportIntervalMs, null);
    assert.equal(once.cache.silenceLimitMs('a'), 10_000, 'one report: its pace is unknown, so agents.staleAfterMs');
    assert.equal(once.cache.silenceLimitMs('never-reported'), 10_000);
  });

  test('the interval is smoothed, and an outage longer than staleAfterMs does not count as a pace', () => {
    assert.equal(nextReportIntervalMs(null, null, 10_000), null);
    assert.equal(nextReportIntervalMs(null, 1_000, 10_000), 1_000);
    assert.equal(nextReportIntervalMs(1_000, 1_400, 10_000), 1_100);
    assert.equal(nextReportIntervalMs(1_000, 60_000, 10_000), 1_000);
    assert.equal(silenceLimitMs(1_000, 10_000), 3_000);
    assert.equal(silenceLimitMs(100, 10_000), 2_500);
    assert.equal(silenceLimitMs(null, 10_000), 10_000);
    assert.equal(silenceLimitMs(1_000, 2_000), 2_000);

    const { cache, clock, reports } = cacheAt();
    reports('a', status('SECOND', 1), 4, 1_000);
    clock.ms += 30_000;
    cache.record('c', 'a', status('SECOND', 1));
    assert.equal(cache.get('a')?.reportIntervalMs, 1_000, 'back after 30 s: still a one-second reporter');
    clock.ms += 1_000;
    cache.record('c', 'a', status('SECOND', 1));
    clock.ms += 3_001;
    assert.equal(cache.isFresh('a'), false);
  });
});
