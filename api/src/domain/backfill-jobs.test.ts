import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BackfillJobRow } from '../db/entities/index.js';
import { jobProgressWriteMsMin, observeBackfill } from './backfill-jobs.js';

const node = { clusterId: 'c', nodeId: 'n' } as const;
const t0 = Date.UTC(2026, 11, 6, 10);
const ids = (): (() => string) => {
  let next = 0;
  return () => `job-${++next}`;
};
const status = (startedAtS: number | null, state: string, bytesDone: number, missingSeconds: number) =>
  ({ startedAt: startedAtS === null ? null : new Date(t0 + startedAtS * 1_000).toISOString(), state, reason: state === 'paused' ? 'paused by admin' : null, missingSeconds, camerasAffected: 2, bytesDone, bytesTotal: 1_000_000 }) as const;

/** Reports at the given seconds; returns every job as last written, and how many writes there were. */
function run(reports: ReadonlyArray<[number, ReturnType<typeof status> | null]>): { jobs: BackfillJobRow[]; writes: number } {
  const rows = new Map<string, BackfillJobRow>();
  let latest: BackfillJobRow | null = null;
  let writes = 0;
  const newId = ids();
  for (const [atS, s] of reports) {
    const change = observeBackfill(latest, s === null ? null : { ...s, state: s.state as never }, node, t0 + atS * 1_000, newId);
    latest = change.latest;
    writes += change.writes.length;
    for (const w of change.writes) rows.set(w.id, w);
  }
  return { jobs: [...rows.values()], writes };
}

const summary = (jobs: readonly BackfillJobRow[]) => jobs.map((j) => [j.id, j.state, j.missingSecondsAtStart, j.missingSeconds, j.bytesDone, j.endedAt === null ? null : (j.endedAt.getTime() - t0) / 1_000]);

test('a job from its start to done: one row, progress written at most every few seconds, the end at once', () => {
  const reports: Array<[number, ReturnType<typeof status> | null]> = [[0, status(null, 'idle', 0, 0)]];
  for (let s = 1; s <= 20; s++) reports.push([s, status(1, 'running', s * 10_000, 20 - s)]);
  reports.push([21, status(1, 'done', 1_000_000, 0)], [22, status(1, 'done', 1_000_000, 0)]);
  const { jobs, writes } = run(reports);
  assert.deepEqual(summary(jobs), [['job-1', 'done', 19, 0, 1_000_000, 21]]);
  assert.ok(writes <= 2 + Math.ceil(20_000 / jobProgressWriteMsMin), `${writes} writes for 22 reports`);
});

test('a pause is written at once; a new job supersedes an unfinished one; failed ends it', () => {
  const { jobs } = run([
    [0, status(0, 'running', 100, 10)],
    [1, status(0, 'paused', 100, 10)],
    [2, status(2, 'running', 0, 8)],
    [3, status(2, 'failed', 50, 8)],
  ]);
  assert.deepEqual(summary(jobs), [['job-1', 'superseded', 10, 10, 100, 2], ['job-2', 'failed', 8, 8, 50, 3]]);
});

test('no backfill status (no storage adapter, an older agent) records nothing', () => {
  assert.deepEqual(run([[0, null], [1, status(null, 'idle', 0, 0)]]), { jobs: [], writes: 0 });
});
