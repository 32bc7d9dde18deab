import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BackfillStatus, NodeStatus } from '../../../contracts/controller-v1.js';
import type { NodeRow } from '../db/entities/index.js';
import { targetMissingCamerasMax } from '../model/problem.js';
import { backfillSummaryOf, backfillTargets, clusterBackfillView, missingDataOf } from './backfill.js';
import { NodeStatusCache } from './node-status.js';

const gap = { startAt: '2026-11-22T10:00:00.000Z', endAt: '2026-11-22T10:00:04.000Z' };
const camera = (deviceId: string, missingSeconds: number) => ({ deviceId, missingSeconds, placeholderSeconds: missingSeconds, completeUntilAt: gap.startAt, completeSinceAt: gap.endAt, gaps: [gap] });

function backfill(cameras: ReturnType<typeof camera>[], o: Partial<BackfillStatus> = {}): BackfillStatus {
  const missingSeconds = cameras.reduce((sum, c) => sum + c.missingSeconds, 0);
  return {
    mode: 'enabled', state: missingSeconds > 0 ? 'running' : 'done', reason: null, auditedAt: '2026-11-22T10:01:00.000Z', retentionMinutes: 60, completeSinceAt: gap.endAt,
    missingSeconds, placeholderSeconds: missingSeconds, camerasAffected: cameras.length, cameras, bytesDone: 10, bytesTotal: 40, blocksDone: 1, blocksTotal: 4, rateBytesPerSecond: 5, etaSeconds: 6, startedAt: gap.endAt, ...o,
  };
}

/** Only the fields these functions read. */
const status = (serving: boolean, b: BackfillStatus | null | undefined): NodeStatus => ({ serving, state: serving ? 'PRIM' : 'SECOND', epoch: 1, cameras: [], storages: [], ...(b === undefined ? {} : { backfill: b }) }) as unknown as NodeStatus;
const node = (id: string, name: string): NodeRow => ({ id, name }) as NodeRow;
const nodes = [node('b', 'rec-b'), node('a', 'rec-a')];

function cache(a: NodeStatus | null, b: NodeStatus | null): NodeStatusCache {
  const statuses = new NodeStatusCache({ staleAfterMs: 1_000, nowMs: () => 0 });
  if (a !== null) statuses.record('c', 'a', a);
  if (b !== null) statuses.record('c', 'b', b);
  return statuses;
}

describe('backfill, as the controller sees it', () => {
  test('a backfill command goes to the node named, else start to the nodes that lack data, pause and resume to every node that backfills', () => {
    const statuses = cache(status(true, backfill([])), status(false, backfill([camera('cam-1', 4)])));
    const names = (t: ReturnType<typeof backfillTargets>) => (t.kind === 'nodes' ? t.nodes.map((n) => n.name) : t.kind);
    assert.deepEqual(names(backfillTargets('start', nodes, statuses)), ['rec-b']);
    assert.deepEqual(names(backfillTargets('pause', nodes, statuses)), ['rec-a', 'rec-b']);
    assert.deepEqual(names(backfillTargets('resume', nodes, statuses)), ['rec-a', 'rec-b']);
    assert.deepEqual(names(backfillTargets('pause', nodes, statuses, 'rec-a')), ['rec-a']);
    assert.deepEqual(backfillTargets('start', nodes, statuses, 'rec-c'), { kind: 'unknown-node', name: 'rec-c' });

    const complete = cache(status(true, backfill([])), status(false, backfill([])));
    assert.deepEqual(names(backfillTargets('start', nodes, complete)), ['rec-a', 'rec-b'], 'none lacks data: every node that backfills');
    const older = cache(status(true, undefined), status(false, null));
    assert.deepEqual(backfillTargets('start', nodes, older), { kind: 'none' }, 'no agent reports a backfill status');
    assert.deepEqual(names(backfillTargets('start', nodes, older, 'rec-b')), ['rec-b'], 'named: asked all the same');
    const half = cache(status(true, undefined), status(false, backfill([])));
    assert.deepEqual(names(backfillTargets('pause', nodes, half)), ['rec-b']);
  });

  test('what a node that would take over lacks: most missing first, bounded; nothing when it lacks nothing or reports no audit', () => {
    const many = Array.from({ length: targetMissingCamerasMax + 10 }, (_, i) => camera(`cam-${i}`, i + 1));
    const statuses = cache(status(true, backfill([])), status(false, backfill(many)));
    const missing = missingDataOf(node('b', 'rec-b'), statuses);
    assert.equal(missing?.nodeName, 'rec-b');
    assert.equal(missing?.missingSeconds, many.reduce((sum, c) => sum + c.missingSeconds, 0));
    assert.equal(missing?.camerasAffected, many.length);
    assert.equal(missing?.cameras.length, targetMissingCamerasMax);
    assert.deepEqual(missing?.cameras[0], { deviceId: `cam-${many.length - 1}`, missingSeconds: many.length, gaps: [gap] });
    assert.equal(missingDataOf(node('a', 'rec-a'), statuses), null);
    assert.equal(missingDataOf(node('a', 'rec-a'), cache(status(true, null), null)), null);
    assert.equal(missingDataOf(node('x', 'rec-x'), statuses), null, 'never reported');
  });

  test("the cluster's backfill view: each node by name, serving or not, its status as reported; the list's summary of it", () => {
    const b = backfill([camera('cam-1', 4)], { reason: 'peer busy' });
    const statuses = cache(status(true, null), status(false, b));
    const view = clusterBackfillView({ id: 'c', mode: 'cloning' }, nodes, statuses, { missing: true, missingSeconds: 4, basis: 'heuristic' });
    assert.deepEqual(
      view.nodes.map((n) => [n.name, n.serving, n.reachable, n.backfill]),
      [['rec-a', true, true, null], ['rec-b', false, true, b]],
    );
    assert.deepEqual([view.clusterId, view.dataMissing, view.missingSeconds], ['c', true, 4]);
    assert.deepEqual(backfillSummaryOf(b), { mode: 'enabled', state: 'running', reason: 'peer busy', missingSeconds: 4, placeholderSeconds: 4, camerasAffected: 1, bytesDone: 10, bytesTotal: 40, etaSeconds: 6 });
    assert.equal(backfillSummaryOf(null), null);
  });
});
