import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ServingSpanRow } from '../db/entities/index.js';
import { closeIfSilent, observeServing, utcDayOf, type ServingObservation } from './serving-spans.js';

const silenceMsMax = 3_000;
const base = { clusterId: 'c', nodeId: 'n' } as const;
const ids = (): (() => string) => {
  let next = 0;
  return () => `span-${++next}`;
};

/** Feeds reports in order; returns every span written last (closed ones and the one still open). */
function run(reports: ReadonlyArray<Pick<ServingObservation, 'serving' | 'epoch' | 'atMs'>>): ServingSpanRow[] {
  const newId = ids();
  const spans = new Map<string, ServingSpanRow>();
  let open: ServingSpanRow | null = null;
  for (const r of reports) {
    const change = observeServing(open, { ...base, ...r }, newId, silenceMsMax);
    for (const c of change.closed) spans.set(c.id, c);
    open = change.open;
    if (open !== null) spans.set(open.id, open);
  }
  return [...spans.values()].sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
}

test('a node serving, then not: one closed span from its first serving report to its last', () => {
  const t = Date.UTC(2026, 11, 6, 10, 0, 0);
  const spans = run([
    { serving: true, epoch: 3, atMs: t },
    { serving: true, epoch: 3, atMs: t + 500 },
    { serving: true, epoch: 3, atMs: t + 1_000 },
    { serving: false, epoch: 3, atMs: t + 1_500 },
  ]);
  assert.deepEqual(spans.map((s) => [s.startAt.getTime() - t, s.endAt.getTime() - t, s.durationMs, s.state, s.epoch, s.day]), [[0, 1_000, 1_000, 'closed', 3, '2026-12-06']]);
});

test('a new epoch or a silence longer than the bound starts a new span; the silence is not counted', () => {
  const t = Date.UTC(2026, 11, 6, 10, 0, 0);
  const spans = run([
    { serving: true, epoch: 3, atMs: t },
    { serving: true, epoch: 3, atMs: t + 1_000 },
    { serving: true, epoch: 4, atMs: t + 1_500 },
    { serving: true, epoch: 4, atMs: t + 2_000 },
    { serving: true, epoch: 4, atMs: t + 2_000 + silenceMsMax + 1 },
  ]);
  assert.deepEqual(spans.map((s) => [s.startAt.getTime() - t, s.durationMs, s.state]), [[0, 1_000, 'closed'], [1_500, 500, 'closed'], [2_000 + silenceMsMax + 1, 0, 'open']]);
});

test('serving through midnight UTC: split there, each day gets its part', () => {
  const midnight = Date.UTC(2026, 11, 7);
  const spans = run([
    { serving: true, epoch: 1, atMs: midnight - 400 },
    { serving: true, epoch: 1, atMs: midnight + 100 },
    { serving: true, epoch: 1, atMs: midnight + 600 },
  ]);
  assert.deepEqual(spans.map((s) => [s.day, s.durationMs, s.state]), [['2026-12-06', 400, 'closed'], ['2026-12-07', 600, 'open']]);
});

test('a silent node\'s open span closes at its last report; a report out of order changes nothing', () => {
  const t = Date.UTC(2026, 11, 6, 10);
  const [open] = run([{ serving: true, epoch: 1, atMs: t }, { serving: true, epoch: 1, atMs: t + 700 }]);
  assert.ok(open !== undefined);
  assert.equal(closeIfSilent(open, t + 700 + silenceMsMax, silenceMsMax), null, 'not silent yet');
  assert.deepEqual(closeIfSilent(open, t + 700 + silenceMsMax + 1, silenceMsMax), { ...open, state: 'closed' });
  assert.deepEqual(observeServing(open, { ...base, serving: false, epoch: 1, atMs: t + 100 }, ids(), silenceMsMax), { open, closed: [] });
});

test('properties: spans never overlap, lie within one UTC day, and add up to the confirmed serving time', () => {
  const report = fc.record({ gapMs: fc.integer({ min: 0, max: 5_000 }), serving: fc.boolean(), epoch: fc.integer({ min: 1, max: 3 }) });
  fc.assert(
    fc.property(fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }), fc.array(report, { maxLength: 80 }), (startMs, steps) => {
      let atMs = startMs;
      const reports = steps.map((s) => ({ serving: s.serving, epoch: s.epoch, atMs: (atMs += s.gapMs) }));
      const spans = run(reports);
      // Confirmed serving: between two consecutive reports that both say serving under one epoch, no further apart than the bound.
      let expectedMs = 0;
      for (let i = 1; i < reports.length; i++) {
        const [a, b] = [reports[i - 1], reports[i]];
        if (a !== undefined && b !== undefined && a.serving && b.serving && a.epoch === b.epoch && b.atMs - a.atMs <= silenceMsMax) expectedMs += b.atMs - a.atMs;
      }
      assert.equal(spans.reduce((sum, s) => sum + s.durationMs, 0), expectedMs);
      for (const [i, s] of spans.entries()) {
        assert.ok(s.durationMs >= 0);
        assert.equal(s.day, utcDayOf(s.startAt.getTime()));
        assert.ok(s.endAt.getTime() <= Date.parse(`${s.day}T00:00:00Z`) + 86_400_000, 'within its day');
        const next = spans[i + 1];
        if (next !== undefined) assert.ok(s.endAt.getTime() <= next.startAt.getTime(), 'no overlap');
      }
      assert.ok(spans.filter((s) => s.state === 'open').length <= 1);
    }),
  );
});
