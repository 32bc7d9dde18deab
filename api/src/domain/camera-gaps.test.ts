import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BackfillStatus } from '../../../contracts/controller-v1.js';
import type { CameraGapRow } from '../db/entities/index.js';
import { reconcileGaps } from './camera-gaps.js';

const node = { clusterId: 'c', nodeId: 'n' } as const;
const t0 = Date.UTC(2026, 11, 6, 10);
const at = (s: number): string => new Date(t0 + s * 1_000).toISOString();
const ids = (): (() => string) => {
  let next = 0;
  return () => `gap-${++next}`;
};
type Audit = Pick<BackfillStatus, 'auditedAt' | 'retentionMinutes' | 'cameras' | 'camerasAffected'>;

function audit(auditedAtS: number, cameras: Record<string, Array<[number, number]>>, overrides: Partial<Audit> = {}): Audit {
  const list = Object.entries(cameras).filter(([, gaps]) => gaps.length > 0);
  return {
    auditedAt: at(auditedAtS),
    retentionMinutes: 60,
    camerasAffected: list.length,
    cameras: list.map(([deviceId, gaps]) => ({ deviceId, missingSeconds: 0, placeholderSeconds: 0, completeUntilAt: null, completeSinceAt: null, gaps: gaps.map(([a, b]) => ({ startAt: at(a), endAt: at(b) })) })),
    ...overrides,
  };
}

/** Applies audits in order as the recorder does; returns every gap row, by camera then start. */
function apply(audits: readonly Audit[]): CameraGapRow[] {
  const rows = new Map<string, CameraGapRow>();
  const newId = ids();
  for (const a of audits) {
    const { inserted, updated } = reconcileGaps([...rows.values()].filter((r) => r.state === 'open'), a, node, newId);
    for (const r of [...inserted, ...updated]) rows.set(r.id, r);
  }
  return [...rows.values()].sort((a, b) => a.deviceId.localeCompare(b.deviceId) || a.startAt.getTime() - b.startAt.getTime());
}

const view = (rows: readonly CameraGapRow[]) => rows.map((r) => [r.deviceId, (r.startAt.getTime() - t0) / 1_000, (r.endAt.getTime() - t0) / 1_000, r.gapSeconds, r.missingSeconds, r.state, r.resolvedAt === null ? null : (r.resolvedAt.getTime() - t0) / 1_000]);

test('a gap is recorded once, shrinks as backfill fills it, and is filled when an audit no longer lists it', () => {
  const rows = apply([
    audit(40, { 'cam-1': [[0, 30]], 'cam-2': [[5, 10]] }),
    audit(50, { 'cam-1': [[20, 30]], 'cam-2': [[5, 10]] }),
    audit(60, { 'cam-2': [[5, 10]] }),
  ]);
  assert.deepEqual(view(rows), [
    ['cam-1', 0, 30, 30, 0, 'filled', 60],
    ['cam-2', 5, 10, 5, 5, 'open', null],
  ]);
});

test('a gap that grows (the recorder held for placeholders) widens its row; a new gap later gets a row of its own', () => {
  const rows = apply([
    audit(20, { 'cam-1': [[0, 10]] }),
    audit(30, { 'cam-1': [[0, 20]] }),
    audit(40, { 'cam-1': [[0, 20], [35, 38]] }),
  ]);
  assert.deepEqual(view(rows), [
    ['cam-1', 0, 20, 20, 20, 'open', null],
    ['cam-1', 35, 38, 3, 3, 'open', null],
  ]);
});

test('a gap that fell out of the node\'s retention is expired, not filled', () => {
  const rows = apply([audit(40, { 'cam-1': [[0, 30]] }), audit(30 + 3_600 + 1, {})]);
  assert.deepEqual(view(rows), [['cam-1', 0, 30, 30, 30, 'expired', 3_631]]);
});

test('a list cut short leaves what it may have left out: cameras beyond the list, and gaps older than a full camera\'s oldest', () => {
  const many = Array.from({ length: 32 }, (_, i): [number, number] => [100 + i * 10, 105 + i * 10]);
  const rows = apply([
    audit(20, { 'cam-1': [[0, 10]], 'cam-2': [[0, 10]] }),
    // cam-2 not listed, but the audit says two cameras are affected: maybe cut, not filled.
    audit(30, { 'cam-1': [[0, 10]] }, { camerasAffected: 2 }),
    // cam-1's 32 newest gaps all start after [0, 10): the older one may be cut off.
    audit(500, { 'cam-1': many, 'cam-2': [[0, 10]] }),
  ]);
  const old = rows.filter((r) => r.startAt.getTime() === t0);
  assert.deepEqual(old.map((r) => [r.deviceId, r.state]), [['cam-1', 'open'], ['cam-2', 'open']]);
});

test('an audit without a time (none finished yet) changes nothing', () => {
  assert.deepEqual(reconcileGaps([], { ...audit(0, { 'cam-1': [[0, 1]] }), auditedAt: null }, node, ids()), { inserted: [], updated: [] });
});

test('property: after each complete audit, the open rows hold exactly what it lists, and what it resolved it does not list', () => {
  const gap = fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 20 })).map(([s, l]): [number, number] => [s * 30, s * 30 + l]);
  const oneAudit = fc.dictionary(fc.constantFrom('cam-1', 'cam-2', 'cam-3'), fc.uniqueArray(gap, { selector: ([s]) => s, maxLength: 5 }));
  fc.assert(
    fc.property(fc.array(oneAudit, { minLength: 1, maxLength: 8 }), (audits) => {
      const list = audits.map((cams, i) => audit(2_000 + i * 10, cams));
      const rows = apply(list);
      const last = list.at(-1) as Audit;
      const listedSeconds = last.cameras.reduce((sum, c) => sum + c.gaps.reduce((s, g) => s + (Date.parse(g.endAt) - Date.parse(g.startAt)) / 1_000, 0), 0);
      const openSeconds = rows.filter((r) => r.state === 'open').reduce((sum, r) => sum + r.missingSeconds, 0);
      assert.equal(Math.round(openSeconds * 1_000), Math.round(listedSeconds * 1_000));
      // Resolved by the last audit (an earlier one may have been filled and lost again since: a new row then).
      for (const r of rows.filter((x) => x.state !== 'open' && x.resolvedAt?.toISOString() === last.auditedAt)) {
        const camera = last.cameras.find((c) => c.deviceId === r.deviceId);
        assert.ok(!(camera?.gaps ?? []).some((g) => Date.parse(g.startAt) < r.endAt.getTime() && r.startAt.getTime() < Date.parse(g.endAt)), 'a resolved row overlaps nothing the last audit lists');
      }
      for (const r of rows) assert.ok(r.missingSeconds <= r.gapSeconds + 1e-9 || r.state === 'expired');
    }),
  );
});
