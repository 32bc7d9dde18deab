import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BackfillStatus, NodeStatus } from '../../../contracts/controller-v1.js';
import { auditOf, auditVerdict, DataMissingTracker } from './data-missing.js';
import { NodeStatusCache } from './node-status.js';

/** A finished gap audit that finds `missingSeconds` missing (the fields the tracker reads, and a few more). */
const audit = (missingSeconds: number, o: Partial<BackfillStatus> = {}): BackfillStatus =>
  ({ mode: 'enabled', state: missingSeconds > 0 ? 'running' : 'done', reason: null, auditedAt: '2026-11-22T10:00:00.000Z', missingSeconds, cameras: [], ...o }) as unknown as BackfillStatus;

/** Only the fields the tracker reads. */
const status = (o: { state?: NodeStatus['state']; healthy?: boolean; service?: NodeStatus['service']; idle?: boolean; backfill?: BackfillStatus | null } = {}): NodeStatus =>
  ({ state: o.state ?? 'SECOND', healthy: o.healthy ?? true, service: o.service ?? 'running', cameras: [{ deviceId: 'c', enabled: true, recording: o.idle !== true }], ...(o.backfill !== undefined ? { backfill: o.backfill } : {}) }) as unknown as NodeStatus;

function setup() {
  const clock = { ms: 0 };
  const statuses = new NodeStatusCache({ staleAfterMs: 100, nowMs: () => clock.ms });
  const tracker = new DataMissingTracker(statuses, { nowMs: () => clock.ms });
  return { clock, statuses, observe: () => tracker.observe('c', ['a', 'b']), missing: () => tracker.observe('c', ['a', 'b']).missing };
}

describe('DataMissingTracker, measured: every node reports a finished gap audit', () => {
  test('missing exactly when some node lacks data, whatever state, health or silence; the seconds are summed', () => {
    const { clock, statuses, observe } = setup();
    statuses.record('c', 'a', status({ state: 'PRIM', backfill: audit(0) }));
    statuses.record('c', 'b', status({ backfill: audit(0) }));
    assert.deepEqual(observe(), { missing: false, missingSeconds: 0, basis: 'audit' });
    statuses.record('c', 'b', status({ backfill: audit(4.5) }));
    assert.deepEqual(observe(), { missing: true, missingSeconds: 4.5, basis: 'audit' });
    statuses.record('c', 'a', status({ state: 'PRIM', backfill: audit(1) }));
    assert.deepEqual(observe(), { missing: true, missingSeconds: 5.5, basis: 'audit' });

    // What the heuristic would flag does not count: the audits measured what is missing.
    statuses.record('c', 'a', status({ state: 'ALONE', idle: true, backfill: audit(0) }));
    statuses.record('c', 'b', status({ state: 'STOP', service: 'stopped', healthy: false, backfill: audit(0) }));
    assert.deepEqual(observe(), { missing: false, missingSeconds: 0, basis: 'audit' });
    // A silent node counts with its last report.
    clock.ms = 1_000;
    statuses.record('c', 'a', status({ state: 'ALONE', backfill: audit(0) }));
    assert.equal(observe().basis, 'audit');
    assert.equal(observe().missing, false);
    statuses.record('c', 'a', status({ state: 'ALONE', backfill: audit(2) }));
    assert.deepEqual(observe(), { missing: true, missingSeconds: 2, basis: 'audit' });
  });

  test('property: with every node audited, missing is "some node lacks data" and the seconds are the sum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ missingSeconds: fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 1e6, noNaN: true })), down: fc.boolean(), idle: fc.boolean() }), { minLength: 1, maxLength: 4 }),
        (nodes) => {
          const statuses = new NodeStatusCache({ staleAfterMs: 100, nowMs: () => 0 });
          const ids = nodes.map((_, i) => `n${i}`);
          nodes.forEach((n, i) => statuses.record('c', `n${i}`, status({ state: n.down ? 'STOP' : 'SECOND', idle: n.idle, backfill: audit(n.missingSeconds) })));
          const seen = new DataMissingTracker(statuses, { nowMs: () => 0 }).observe('c', ids);
          assert.equal(seen.basis, 'audit');
          assert.equal(seen.missing, nodes.some((n) => n.missingSeconds > 0));
          assert.ok(Math.abs((seen.missingSeconds ?? -1) - nodes.reduce((sum, n) => sum + n.missingSeconds, 0)) < 1e-6);
        },
      ),
    );
  });
});

describe('DataMissingTracker, falling back to the heuristic: some node has no finished audit', () => {
  test('no status, a null one (no storage adapter) and one before its first audit are no audit', () => {
    assert.equal(auditOf(undefined), null);
    assert.equal(auditOf(status()), null);
    assert.equal(auditOf(status({ backfill: null })), null);
    assert.equal(auditOf(status({ backfill: audit(0, { auditedAt: null }) })), null);
    assert.equal(auditOf(status({ backfill: audit(3) }))?.missingSeconds, 3);
    assert.deepEqual(auditVerdict([]), { decided: false, missing: false, missingSeconds: null });
    assert.deepEqual(auditVerdict([null, null]), { decided: false, missing: false, missingSeconds: null });
  });

  test('one node audited, its peer not: the heuristic decides, a measured lack flags too, the known seconds are given', () => {
    const { statuses, observe } = setup();
    statuses.record('c', 'a', status({ state: 'PRIM', backfill: audit(0) }));
    statuses.record('c', 'b', status({ backfill: audit(0, { auditedAt: null }) }));
    assert.deepEqual(observe(), { missing: false, missingSeconds: 0, basis: 'heuristic' }, 'whole');
    statuses.record('c', 'b', status({ idle: true, backfill: null }));
    assert.deepEqual(observe(), { missing: true, missingSeconds: 0, basis: 'heuristic' }, 'b does not record');
    statuses.record('c', 'b', status());
    statuses.record('c', 'a', status({ state: 'PRIM', backfill: audit(7) }));
    assert.deepEqual(observe(), { missing: true, missingSeconds: 7, basis: 'heuristic' }, 'a says it lacks data');
  });

  test('a cluster nobody reported for is never flagged; a peer that never reports is, after the start-up grace', () => {
    const { clock, missing } = setup();
    clock.ms = 1_000;
    assert.equal(missing(), false, 'not monitored');
    const fresh = setup();
    fresh.statuses.record('c', 'a', status({ state: 'PRIM', backfill: audit(0) }));
    assert.deepEqual(fresh.observe(), { missing: false, missingSeconds: 0, basis: 'heuristic' }, 'b may still be starting');
    fresh.clock.ms = 101;
    fresh.statuses.record('c', 'a', status({ state: 'ALONE', backfill: audit(0) }));
    assert.equal(fresh.missing(), true, 'b never reported: what it lacks is not measured');
  });

  test('a node down is remembered until the cluster is seen whole; an idle camera counts only while it lasts', () => {
    const { clock, statuses, missing } = setup();
    statuses.record('c', 'a', status({ state: 'PRIM' }));
    statuses.record('c', 'b', status());
    assert.equal(missing(), false);
    statuses.record('c', 'b', status({ idle: true }));
    assert.equal(missing(), true);
    statuses.record('c', 'b', status());
    assert.equal(missing(), false);

    clock.ms = 150;
    statuses.record('c', 'a', status({ state: 'ALONE' }));
    assert.equal(missing(), true, 'b silent');
    statuses.record('c', 'b', status({ healthy: false }));
    assert.equal(missing(), true, 'b back, not healthy yet');
    statuses.record('c', 'b', status({ service: 'starting' }));
    assert.equal(missing(), true);
    statuses.record('c', 'b', status());
    assert.equal(missing(), false, 'whole');
    statuses.record('c', 'b', status({ state: 'WAIT' }));
    assert.equal(missing(), true);
  });

  test('the heuristic remembers a down node while the audits decide, for when they stop deciding', () => {
    const { statuses, observe } = setup();
    statuses.record('c', 'a', status({ state: 'ALONE', backfill: audit(0) }));
    statuses.record('c', 'b', status({ state: 'STOP', service: 'stopped', backfill: audit(0) }));
    assert.equal(observe().missing, false, 'measured: nothing missing yet');
    // b's agent restarts and reports before its first audit: the heuristic knows b was down.
    statuses.record('c', 'b', status({ backfill: audit(0, { auditedAt: null }) }));
    statuses.record('c', 'a', status({ state: 'PRIM', idle: false, backfill: audit(0) }));
    assert.deepEqual(observe(), { missing: false, missingSeconds: 0, basis: 'heuristic' }, 'seen whole now: cleared');
    statuses.record('c', 'b', status({ state: 'STOP', service: 'stopped', backfill: audit(0) }));
    observe();
    statuses.record('c', 'b', status({ healthy: false, backfill: audit(0, { auditedAt: null }) }));
    assert.deepEqual(observe(), { missing: true, missingSeconds: 0, basis: 'heuristic' }, 'b was down since last whole');
  });
});
