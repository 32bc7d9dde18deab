import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeStatus } from '../../../contracts/controller-v1.js';
import { cameraStatus as cam } from '../../../contracts/controller-v1.fixtures.js';
import type { NodeRow } from '../db/entities/index.js';
import fc from 'fast-check';
import { runToEnd } from '../../../shared/pace.js';
import { buildClusterCameras, CameraScope, cameraSorts, clusterCamerasReusing, KeptPages, nameOrderFrom, naturalKey, rowsReplacing, sameCameraReport, type CameraQuery } from './device-overview.js';
import { NodeStatusCache, type CameraStatus } from './node-status.js';

/** Only the fields the overview reads. */
const status = (serving: boolean, cameras: CameraStatus[], epoch = 1): NodeStatus => ({ serving, epoch, state: serving ? 'PRIM' : 'SECOND', cameras, storages: [] }) as unknown as NodeStatus;
const node = (id: string, name: string): NodeRow => ({ id, name }) as NodeRow;

function pairWith(a: NodeStatus | null, b: NodeStatus | null, mode: 'cloning' | 'pool' = 'cloning') {
  const clock = { ms: 0 };
  const statuses = new NodeStatusCache({ staleAfterMs: 100, nowMs: () => clock.ms });
  if (a !== null) statuses.record('c', 'a', a);
  if (b !== null) statuses.record('c', 'b', b);
  const build = () => buildClusterCameras({ cluster: { id: 'c', name: 'Pair', mode }, nodes: [node('b', 'rec-b'), node('a', 'rec-a')], names: new Map([['cam-1', 'Front door']]), statuses });
  return { clock, statuses, build };
}

const query = (o: Partial<CameraQuery> = {}): CameraQuery => ({ problemsOnly: false, q: undefined, clusterId: undefined, sort: 'name', limit: 100, offset: 0, ...o });

describe('buildClusterCameras', () => {
  test('a stale node is shown as last known, but its errors no longer count and nothing is compared with it', () => {
    const { clock, statuses, build } = pairWith(status(true, [cam('cam-1')]), null);
    clock.ms = 50;
    statuses.record('c', 'b', status(false, [cam('cam-1', { errorOverflow: true, fpsRequested: 5 })]));
    const [fresh] = build();
    assert.deepEqual([fresh?.view.overflow, fresh?.view.disconnected, fresh?.view.mismatched], [true, false, true]);
    clock.ms = 120; // a is stale now, b is not
    const [stale] = build();
    assert.equal(stale?.view.name, 'Front door');
    assert.deepEqual(stale?.view.nodes.map((n) => [n.nodeName, n.fresh, n.haStatus, n.fpsRequested]), [['rec-a', false, 'Unknown', 25], ['rec-b', true, 'Standby', 5]]);
    assert.equal(stale?.view.servingNodeId, null);
    assert.deepEqual([stale?.view.overflow, stale?.view.mismatched], [true, false]);
    clock.ms = 500; // both stale
    const [gone] = build();
    assert.deepEqual([gone?.view.connected, gone?.view.recording, gone?.view.disconnected, gone?.view.overflow, gone?.view.problem, gone?.statusRank], [false, false, false, false, true, 0]);
  });

  test('a camera disconnected on one node is Disconnected there, not also Mismatched: its stream is compared only where connected', () => {
    const { build } = pairWith(status(true, [cam('cam-7')]), status(false, [cam('cam-7', { errorNoConnection: true, recording: false, fps: null, resolution: null, videoFormat: null })]));
    const [entry] = build();
    assert.deepEqual(entry?.view.disconnectedOn.map((n) => n.nodeName), ['rec-b']);
    assert.deepEqual([entry?.view.disconnected, entry?.view.mismatched, entry?.view.problem], [true, false, true]);
    assert.deepEqual(entry?.view.mismatches, []);
    // Connected on both, recording on one only: that is a mismatch.
    const { build: differing } = pairWith(status(true, [cam('cam-8')]), status(false, [cam('cam-8', { recording: false })]));
    assert.deepEqual(differing()[0]?.view.mismatches, [{ setting: 'recording', values: { 'rec-a': true, 'rec-b': false } }]);
  });

  test("each node's view of a camera says how many seconds of it the node lacks, from its agent's last gap audit", () => {
    const audited = (missing: Array<[string, number]>, auditedAt: string | null = '2026-11-22T10:00:00.000Z') => ({
      auditedAt,
      missingSeconds: missing.reduce((sum, [, s]) => sum + s, 0),
      cameras: missing.map(([deviceId, missingSeconds]) => ({ deviceId, missingSeconds })),
    });
    const b = { ...status(false, [cam('cam-1'), cam('cam-2')]), backfill: audited([['cam-2', 4], ['cam-3', 9]]) } as unknown as NodeStatus;
    const { build, statuses } = pairWith(status(true, [cam('cam-1'), cam('cam-2')]), b);
    const missing = () => Object.fromEntries(build().map((e) => [e.view.cameraId, e.view.nodes.map((n) => [n.nodeName, n.missingSeconds])]));
    assert.deepEqual(missing(), { 'cam-1': [['rec-a', null], ['rec-b', 0]], 'cam-2': [['rec-a', null], ['rec-b', 4]] }, 'rec-a reports no audit; a camera no gap lists lacks nothing');
    statuses.record('c', 'a', { ...status(true, [cam('cam-1')]), backfill: audited([['cam-1', 2]]) } as unknown as NodeStatus);
    statuses.record('c', 'b', { ...b, backfill: audited([['cam-2', 4]], null) } as unknown as NodeStatus);
    assert.deepEqual(missing(), { 'cam-1': [['rec-a', 2], ['rec-b', null]], 'cam-2': [['rec-a', 0], ['rec-b', null]] }, 'an audit not finished yet is none');
    assert.equal(build().find((e) => e.view.cameraId === 'cam-2')?.view.problem, true, 'unchanged: rec-a, serving, lacks cam-2');
  });

  test('a camera the Serving node lacks is not recording where it is served', () => {
    const { build } = pairWith(status(true, []), status(false, [cam('cam-9')]));
    const [entry] = build();
    assert.equal(entry?.view.servingNodeId, 'a');
    assert.deepEqual([entry?.view.recording, entry?.view.connected, entry?.view.problem], [false, false, true]);
    assert.deepEqual(entry?.view.mismatches, [{ setting: 'present', values: { 'rec-a': false, 'rec-b': true } }]);
  });

  test("a camera is named by its camera pair, else by the Serving node's report, else by the other node's, else by its id", () => {
    const { build } = pairWith(
      status(true, [cam('cam-1', { name: 'Lobby (agent)' }), cam('cam-2', { name: 'Gate' }), cam('cam-3'), cam('cam-4', { name: null })]),
      status(false, [cam('cam-1'), cam('cam-2', { name: 'Gate (old name)' }), cam('cam-3', { name: 'Yard' }), cam('cam-4', { name: '' })]),
    );
    const entries = build();
    assert.deepEqual(Object.fromEntries(entries.map((e) => [e.view.cameraId, e.view.name])), { 'cam-1': 'Front door', 'cam-2': 'Gate', 'cam-3': 'Yard', 'cam-4': 'cam-4' });
    assert.ok(entries.find((e) => e.view.cameraId === 'cam-3')?.search.includes('yard'), '`q` finds a reported name');
    // The Serving node's name wins whichever node sorts first.
    const { build: swapped } = pairWith(status(false, [cam('cam-5', { name: 'Old name' })]), status(true, [cam('cam-5', { name: 'New name' })]));
    assert.equal(swapped()[0]?.view.name, 'New name');
  });

  test('a pool compares nothing and lists only the nodes that have the camera', () => {
    const { build } = pairWith(status(true, [cam('cam-1')], 3), status(true, [cam('cam-2', { fpsRequested: 5 })], 4), 'pool');
    const views = build().map((e) => e.view).sort((x, y) => x.cameraId.localeCompare(y.cameraId));
    assert.deepEqual(views.map((v) => [v.cameraId, v.pairName, v.servingNodeId, v.mismatched, v.nodes.map((n) => n.nodeId)]), [
      ['cam-1', null, 'a', false, ['a']],
      ['cam-2', null, 'b', false, ['b']],
    ]);
  });
});

describe('a pool server whose recorder is down', () => {
  const poolNode = (id: string, name: string, role: 'primary' | 'failover'): NodeRow => ({ id, name, role }) as NodeRow;
  const reported = (serving: boolean, cameras: CameraStatus[], service: NodeStatus['service'], epoch = 1): NodeStatus => ({ ...status(serving, cameras, epoch), service }) as NodeStatus;
  function pool() {
    const statuses = new NodeStatusCache({ staleAfterMs: 10_000, nowMs: () => 0 });
    const cluster = { id: 'c', name: 'Harbour', mode: 'pool' as const };
    const input = { cluster, nodes: [poolNode('p', 'rs-1', 'primary'), poolNode('s', 'fo-1', 'failover')], names: new Map([['cam-1', 'Front door']]), statuses };
    const rows = () => new Map(buildClusterCameras(input).map((e) => [e.view.cameraId, e]));
    return { statuses, input, rows };
  }

  test('keeps its last reported cameras, not recording, while it reports none and its service is not running', () => {
    const { statuses, rows } = pool();
    statuses.record('c', 'p', reported(true, [cam('cam-1'), cam('cam-2', { fpsRequested: 12 })], 'running'));
    assert.deepEqual([...rows().values()].map((e) => [e.view.cameraId, e.view.recording, e.view.problem]), [['cam-1', true, false], ['cam-2', true, false]]);
    // The recorder stops: its agent lists no camera.
    statuses.record('c', 'p', reported(false, [], 'stopped'));
    const down = rows();
    assert.deepEqual([...down.keys()], ['cam-1', 'cam-2'], 'still shown');
    const cam2 = down.get('cam-2');
    assert.deepEqual([cam2?.view.recording, cam2?.view.connected, cam2?.view.disconnected, cam2?.view.problem, cam2?.statusRank], [false, false, false, true, 0], 'not recording: a problem, ranked first');
    assert.deepEqual(cam2?.view.nodes.map((n) => [n.nodeName, n.reported, n.recording, n.fpsRequested]), [['rs-1', true, false, 12]]);
    assert.equal(down.get('cam-1')?.view.name, 'Front door');
    // A standby takes cam-1 over: it decides that row; rs-1 still shows it not recording.
    statuses.record('c', 's', reported(true, [cam('cam-1')], 'running', 2));
    const served = rows().get('cam-1');
    assert.deepEqual([served?.view.servingNodeId, served?.view.recording, served?.view.problem], ['s', true, false]);
    assert.deepEqual(served?.view.nodes.map((n) => [n.nodeName, n.recording]), [['fo-1', true], ['rs-1', false]]);
    // Its service runs again and it still lists none (its cameras are gone): they go.
    statuses.record('c', 'p', reported(false, [], 'running'));
    assert.deepEqual([...rows().keys()], ['cam-1'], 'only the standby\'s');
  });

  test('only a protected server: a standby listing none while stopped shows nothing of what it served', () => {
    const { statuses, rows } = pool();
    statuses.record('c', 's', reported(true, [cam('cam-9')], 'running', 2));
    statuses.record('c', 's', reported(false, [], 'stopped'));
    assert.equal(rows().size, 0);
  });

  test('the rows are built again when only the service changes, or its last known cameras do', () => {
    const { statuses, input } = pool();
    statuses.record('c', 'p', reported(true, [cam('cam-1')], 'running'));
    statuses.record('c', 'p', reported(false, [], 'running'));
    const first = clusterCamerasReusing(input, null);
    assert.equal(first.entries.length, 0);
    statuses.record('c', 'p', reported(false, [], 'stopped'));
    const stopped = clusterCamerasReusing(input, first);
    assert.deepEqual(stopped.entries.map((e) => e.view.cameraId), ['cam-1']);
    statuses.record('c', 'p', reported(false, [], 'stopped'));
    assert.equal(clusterCamerasReusing(input, stopped), stopped, 'the same again: kept');
    // Within one rebuild's second: another list, then none again.
    statuses.record('c', 'p', reported(true, [cam('cam-3')], 'running'));
    statuses.record('c', 'p', reported(false, [], 'stopped'));
    assert.deepEqual(clusterCamerasReusing(input, stopped).entries.map((e) => e.view.cameraId), ['cam-3']);
  });
});

describe('CameraScope', () => {
  function scopeOf(count: number) {
    const cameras = Array.from({ length: count }, (_, i) => cam(`cam-${i}`, i % 97 === 0 ? { errorNoConnection: true } : i % 89 === 0 ? { errorOverflow: true } : {}));
    const { build } = pairWith(status(true, cameras), status(false, cameras.map((c, i) => (i % 83 === 0 ? { ...c, fpsRequested: 12 } : c))));
    return new CameraScope(build());
  }

  test('status order: disconnected or not recording, then overflow, then mismatched, then the rest, each by name', () => {
    const scope = scopeOf(300);
    const ranks = scope.ordered('status').map((e) => e.statusRank);
    assert.deepEqual(ranks, [...ranks].sort((x, y) => x - y));
    // Within a rank, by name: the status order is the name order, stably partitioned by rank.
    const names = scope.ordered('name');
    assert.deepEqual(scope.ordered('status'), [0, 1, 2, 3].flatMap((rank) => names.filter((e) => e.statusRank === rank)));
    assert.equal(scope.ordered('status').length, scope.size);
    const page = scope.page(query({ sort: 'status', problemsOnly: true, limit: 1000 }));
    assert.equal(page.total, scope.entries.filter((e) => e.view.problem).length);
    assert.ok(page.items.every((v) => v.problem));
    assert.deepEqual(scope.page(query({ sort: '-name', limit: 3 })).items.map((v) => v.name), ['Front door', 'cam-299', 'cam-298'], 'cam-1 is named; numbers in names sort as numbers');
  });

  test('a scope of several clusters answers a query for one from that cluster\'s own scope, and an unknown cluster with nothing', () => {
    const one = scopeOf(120);
    const { build } = pairWith(status(true, [cam('cam-x', { errorOverflow: true }), cam('cam-y')]), status(false, [cam('cam-x'), cam('cam-y')]));
    const other = new CameraScope(build().map((e) => ({ ...e, key: `c2\n${e.view.cameraId}`, view: { ...e.view, clusterId: 'c2' } })));
    const all = new CameraScope([...one.entries, ...other.entries], new Map([['c', one], ['c2', other]]));
    const plain = new CameraScope([...one.entries, ...other.entries]);
    for (const q of [query({ clusterId: 'c2' }), query({ clusterId: 'c', sort: 'status', problemsOnly: true, limit: 5, offset: 1 }), query({ clusterId: 'c', q: 'cam-1', sort: '-name' }), query({ clusterId: 'nope' })]) {
      assert.deepEqual(JSON.parse(all.pageJson(q)), JSON.parse(plain.pageJson(q)), JSON.stringify(q));
    }
    assert.equal(all.page(query({ clusterId: 'c2' })).total, 2);
    assert.equal(all.page(query({ clusterId: 'nope' })).total, 0);
  });

  test('pageJson sends exactly the page, also when filtered lists are served again or pushed out', () => {
    const scope = scopeOf(500);
    const queries: CameraQuery[] = [];
    // More distinct filtered queries than are kept, asked twice each: kept, evicted and rebuilt lists all answer alike.
    for (let i = 0; i < 40; i += 1) queries.push(query({ q: `cam-${i}`, sort: i % 2 === 0 ? 'name' : 'status', problemsOnly: i % 3 === 0, offset: i % 4, limit: 7 }));
    queries.push(query({ clusterId: 'c1', limit: 1000 }), query({ clusterId: 'nope' }), query({ sort: '-name', offset: 490, limit: 50 }));
    for (const round of [1, 2]) {
      for (const q of queries) assert.deepEqual(JSON.parse(scope.pageJson(q)), JSON.parse(JSON.stringify(scope.page(q))), `round ${round}: ${JSON.stringify(q)}`);
    }
    const hit = JSON.parse(scope.pageJson(query({ q: 'CAM-12', limit: 1000 }))) as { items: Array<{ name: string }>; total: number };
    assert.deepEqual(hit.items.map((c) => c.name).sort(), ['cam-12', 'cam-120', 'cam-121', 'cam-122', 'cam-123', 'cam-124', 'cam-125', 'cam-126', 'cam-127', 'cam-128', 'cam-129'].sort());
    assert.equal(hit.total, 11);
  });

  test('pages kept as bytes answer as a fresh page does, also after more pages than are kept pushed them out', () => {
    const scope = scopeOf(300);
    const queries = Array.from({ length: 300 }, (_, i) => query({ offset: i, limit: 1 + (i % 7), sort: cameraSorts[i % cameraSorts.length], problemsOnly: i % 5 === 0 }));
    for (const round of [1, 2, 3]) {
      for (const q of queries) assert.deepEqual(JSON.parse(scope.pageBytes(q).toString('utf8')), JSON.parse(JSON.stringify(scope.page(q))), `round ${round}: ${JSON.stringify(q)}`);
    }
    assert.equal(scope.pageBytes(queries[299] as CameraQuery), scope.pageBytes(queries[299] as CameraQuery), 'a page asked again is the bytes kept');
  });

  test('prepare makes every order and problem list a request would, from the last scope or from scratch', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 60 }), fc.boolean(), (marks, renamed) => {
        const cameras = (flip: boolean) => marks.map((m, i) => cam(`cam-${i}`, { name: renamed && flip && i === 0 ? 'Zulu' : `Cam ${m}`, errorNoConnection: (m % 3 === 0) !== flip, errorOverflow: m === 4 }));
        const scopeFrom = (flip: boolean, previous: CameraScope | null) => new CameraScope(pairWith(status(true, cameras(flip)), status(false, cameras(flip))).build(), null, previous);
        const last = scopeFrom(false, null);
        runToEnd(last.prepare());
        const next = scopeFrom(true, last);
        runToEnd(next.prepare());
        // The same rows again, now told how the last ones became them.
        const replaced = rowsReplacing(last.entries, next.entries);
        assert.equal(replaced === null, renamed, 'a renamed camera leaves nothing to map');
        const mapped = new CameraScope(next.entries, null, last, replaced);
        runToEnd(mapped.prepare());
        const fresh = new CameraScope(next.entries);
        for (const sort of cameraSorts) {
          assert.deepEqual(next.ordered(sort), fresh.ordered(sort), sort);
          assert.deepEqual(mapped.ordered(sort), fresh.ordered(sort), `mapped, ${sort}`);
          assert.deepEqual(next.problems(sort), fresh.problems(sort), `problems by ${sort}`);
        }
      }),
      { numRuns: 40 },
    );
  });

  test('cluster order: by cluster name, then id, each cluster in name order', () => {
    const base = scopeOf(40).entries;
    // Three clusters, two of them under the same name.
    const clusters = [['c1', 'Yard'], ['c2', 'harbour'], ['c3', 'Yard']] as const;
    const entries = base.map((e, i) => {
      const [id, name] = clusters[i % 3] as (typeof clusters)[number];
      return { ...e, key: `${id}\n${e.view.cameraId}`, clusterKey: naturalKey(name), view: { ...e.view, clusterId: id, clusterName: name } };
    });
    const scope = new CameraScope(entries);
    const byCluster = (id: string) => scope.ordered('name').filter((e) => e.view.clusterId === id);
    assert.deepEqual(scope.ordered('cluster'), [...byCluster('c2'), ...byCluster('c1'), ...byCluster('c3')]);
  });
});

describe('KeptPages', () => {
  test('holds at most countMax pages and bytesMax bytes, the least recently used going first', () => {
    const kept = new KeptPages(3, 10);
    const page = (n: number) => Buffer.alloc(n);
    kept.set('a', page(2));
    kept.set('b', page(2));
    kept.set('c', page(2));
    assert.ok(kept.get('a') !== undefined, 'a is used again');
    kept.set('d', page(2));
    assert.deepEqual([kept.get('a') !== undefined, kept.get('b'), kept.get('c') !== undefined, kept.get('d') !== undefined], [true, undefined, true, true], 'b was used least recently');
    kept.set('e', page(7));
    assert.deepEqual(kept.size, { pages: 2, bytes: 9 }, 'room made by bytes too');
    kept.set('huge', page(11));
    assert.equal(kept.get('huge'), undefined, 'a page larger than all the room is not kept');
    kept.set('e', page(1));
    assert.deepEqual(kept.size, { pages: 2, bytes: 3 }, 'a page set again replaces the one kept');
  });
});

describe('clusterCamerasReusing', () => {
  const names = new Map([['cam-1', 'Front door']]);
  const input = (statuses: NodeStatusCache, mode: 'cloning' | 'pool' = 'cloning', name = 'Pair') => ({ cluster: { id: 'c', name, mode }, nodes: [node('b', 'rec-b'), node('a', 'rec-a')], names, statuses });

  test('keeps the rows while new reports repeat what the overview shows, and builds them again once they differ', () => {
    const { statuses } = pairWith(status(true, [cam('cam-1'), cam('cam-2')]), status(false, [cam('cam-1'), cam('cam-2')]));
    const first = clusterCamerasReusing(input(statuses), null);
    // A new report object saying the same (only what the overview does not show differs).
    statuses.record('c', 'a', { ...status(true, [cam('cam-1'), cam('cam-2')]), uptimeSeconds: 99 } as unknown as NodeStatus);
    assert.equal(clusterCamerasReusing(input(statuses), first), first);
    statuses.record('c', 'b', status(false, [cam('cam-1'), cam('cam-2', { errorNoConnection: true })]));
    const changed = clusterCamerasReusing(input(statuses), first);
    assert.notEqual(changed, first);
    assert.deepEqual(changed.entries.map((e) => e.view), buildClusterCameras(input(statuses)).map((e) => e.view), 'rebuilt rows are what a plain build makes');
    assert.equal(changed.entries.find((e) => e.view.cameraId === 'cam-2')?.view.disconnected, true);
    // A renamed cluster, other camera names, or another mode are new rows too.
    assert.notEqual(clusterCamerasReusing(input(statuses, 'cloning', 'Renamed'), changed), changed);
    assert.notEqual(clusterCamerasReusing({ ...input(statuses), names: new Map(names) }, changed), changed);
    assert.notEqual(clusterCamerasReusing(input(statuses, 'pool'), changed), changed);
  });

  test('a node falling silent changes the rows without a new report: freshness is part of what is compared', () => {
    const { clock, statuses } = pairWith(status(true, [cam('cam-1')]), status(false, [cam('cam-1')]));
    const first = clusterCamerasReusing(input(statuses), null);
    clock.ms = 50;
    statuses.record('c', 'b', status(false, [cam('cam-1')]));
    assert.equal(clusterCamerasReusing(input(statuses), first), first, 'both still fresh');
    clock.ms = 120; // a is stale now
    const later = clusterCamerasReusing(input(statuses), first);
    assert.notEqual(later, first);
    assert.deepEqual(later.entries[0]?.view.nodes.map((n) => [n.nodeName, n.fresh]), [['rec-a', false], ['rec-b', true]]);
  });
});

describe('nameOrderFrom', () => {
  /** A pair of `count` cameras named from `names` (by index), some down as `down` says. */
  const rows = (count: number, names: (i: number) => string, down: (i: number) => boolean) => {
    const cameras = Array.from({ length: count }, (_, i) => cam(`cam-${i}`, { name: names(i), errorNoConnection: down(i) }));
    return pairWith(status(true, cameras), status(false, cameras)).build();
  };

  test('a rebuild of the same cameras under the same names takes the last name order: the order a sort gives', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('Gate', 'Yard 2', 'Yard 10', 'lobby', 'Câmera 1'), { minLength: 1, maxLength: 40 }), fc.func(fc.boolean()), fc.func(fc.boolean()), (names, before, after) => {
        const last = new CameraScope(rows(names.length, (i) => names[i] as string, (i) => before(i)));
        last.ordered('name');
        const next = new CameraScope(rows(names.length, (i) => names[i] as string, (i) => after(i)), null, last);
        const sorted = new CameraScope(next.entries).ordered('name');
        assert.deepEqual(nameOrderFrom(last.ordered('name'), next.entries), sorted);
        assert.deepEqual(next.ordered('name'), sorted);
        assert.deepEqual(next.ordered('status'), new CameraScope(next.entries).ordered('status'));
      }),
      { numRuns: 50 },
    );
  });

  test('gives nothing when a camera came, went or was renamed: then the rows are sorted', () => {
    const last = new CameraScope(rows(5, (i) => `Cam ${i}`, () => false)).ordered('name');
    assert.equal(nameOrderFrom(last, rows(6, (i) => `Cam ${i}`, () => false)), null, 'one more camera');
    assert.equal(nameOrderFrom(last, rows(4, (i) => `Cam ${i}`, () => false)), null, 'one fewer');
    assert.equal(nameOrderFrom(last, rows(5, (i) => (i === 2 ? 'Renamed' : `Cam ${i}`), () => false)), null, 'renamed');
    const before = rows(5, (i) => `Cam ${i}`, () => false);
    assert.equal(rowsReplacing(before, rows(6, (i) => `Cam ${i}`, () => false)), null, 'rowsReplacing: one more camera');
    assert.equal(rowsReplacing(before, rows(5, (i) => (i === 2 ? 'Renamed' : `Cam ${i}`), () => false)), null, 'rowsReplacing: renamed');
    assert.equal(rowsReplacing(before, rows(5, (i) => `Cam ${i}`, (i) => i === 1))?.size, 5, 'rowsReplacing: the same cameras, one of them down');
    const renamed = new CameraScope(rows(5, (i) => (i === 2 ? 'A first' : `Cam ${i}`), () => false), null, new CameraScope(rows(5, (i) => `Cam ${i}`, () => false)));
    assert.equal(renamed.ordered('name')[0]?.view.name, 'A first');
  });
});

describe('sameCameraReport', () => {
  test('tells apart reports that differ in any camera field, serving, epoch or the audit, and nothing else', () => {
    const base = status(true, [cam('cam-1', { name: 'Gate' }), cam('cam-2')]);
    assert.equal(sameCameraReport(base, { ...base, uptimeSeconds: 1, ping: null } as unknown as NodeStatus), true);
    assert.equal(sameCameraReport(undefined, undefined), true);
    assert.equal(sameCameraReport(base, undefined), false);
    const camera = cam('cam-1', { name: 'Gate' });
    const changes: Array<Partial<CameraStatus>> = [{ deviceId: 'cam-9' }, { enabled: false }, { started: false }, { recording: false }, { errorNoConnection: true }, { errorOverflow: true }, { error: true }, { fps: 12 }, { fpsRequested: 12 }, { resolution: '640x480' }, { videoFormat: 'H.265' }, { usedSpaceBytes: 1 }, { name: 'Yard' }];
    for (const change of changes) assert.equal(sameCameraReport(base, status(true, [{ ...camera, ...change }, cam('cam-2')])), false, JSON.stringify(change));
    assert.equal(sameCameraReport(base, status(false, base.cameras)), false, 'serving');
    assert.equal(sameCameraReport(base, status(true, base.cameras, 2)), false, 'epoch');
    assert.equal(sameCameraReport(base, status(true, base.cameras.slice(1))), false, 'a camera fewer');
    const audit = (missingSeconds: number, auditedAt: string | null = '2026-11-22T10:00:00.000Z') => ({ ...base, backfill: { auditedAt, cameras: [{ deviceId: 'cam-2', missingSeconds }] } }) as unknown as NodeStatus;
    assert.equal(sameCameraReport(audit(4), audit(4)), true);
    assert.equal(sameCameraReport(audit(4), audit(5)), false);
    assert.equal(sameCameraReport(base, audit(4)), false);
    assert.equal(sameCameraReport(base, audit(4, null)), true, 'an audit not finished is none');
  });
});

describe('naturalKey', () => {
  test('orders names as an operator reads them: numbers by value, case and accents ignored', () => {
    const names = ['Camera 10', 'camera 9', 'Câmera 2', 'Camera 1', 'Lobby', 'camera 100', 'Entrance'];
    assert.deepEqual([...names].sort((a, b) => (naturalKey(a) < naturalKey(b) ? -1 : naturalKey(a) > naturalKey(b) ? 1 : 0)), ['Camera 1', 'Câmera 2', 'camera 9', 'Camera 10', 'camera 100', 'Entrance', 'Lobby']);
  });
});
