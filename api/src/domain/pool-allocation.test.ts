import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allocate, camerasTakenOver, type Pool, type ProtectedServer, type Standby } from './pool-allocation.js';

const server = (nodeId: string, o: Partial<ProtectedServer> = {}): ProtectedServer => ({ nodeId, primaryGroupId: 'g1', secondaryGroupId: null, hotStandbyNodeId: null, selection: 'sequence', cameraCount: 16, ...o });
const standby = (nodeId: string, o: Partial<Standby> = {}): Standby => ({ nodeId, cameraCapacity: 64, available: true, servingNodeId: null, ...o });
const pool = (protectedServers: ProtectedServer[], groups: Record<string, string[]>, standbys: Standby[]): Pool => ({ protectedServers, groups: new Map(Object.entries(groups)), standbys });
const brief = (allocations: ReturnType<typeof allocate>) => allocations.map((a) => (a.kind === 'take-over' ? `${a.protectedNodeId}→${a.standbyNodeId} (${a.via})` : `${a.protectedNodeId} waits (${a.reason})`));

test('the first free standby in the primary group\'s order; the secondary group only when the primary is busy', () => {
  const p = pool([server('rs-1', { secondaryGroupId: 'g2' }), server('rs-2', { secondaryGroupId: 'g2' }), server('rs-3', { secondaryGroupId: 'g2' })], { g1: ['fo-b', 'fo-a'], g2: ['fo-c'] }, [standby('fo-a'), standby('fo-b', { servingNodeId: null }), standby('fo-c')]);
  assert.deepEqual(brief(allocate(p, [{ protectedNodeId: 'rs-1', failedAtMs: 1 }])), ['rs-1→fo-b (primary-group)']);
  assert.deepEqual(brief(allocate(p, [{ protectedNodeId: 'rs-1', failedAtMs: 1 }, { protectedNodeId: 'rs-2', failedAtMs: 2 }, { protectedNodeId: 'rs-3', failedAtMs: 3 }])), [
    'rs-1→fo-b (primary-group)',
    'rs-2→fo-a (primary-group)',
    'rs-3→fo-c (secondary-group)',
  ]);
});

test('a standby that is unavailable or already serves is passed over; a server already served is left out', () => {
  const p = pool([server('rs-1'), server('rs-2')], { g1: ['fo-a', 'fo-b', 'fo-c'] }, [standby('fo-a', { available: false }), standby('fo-b', { servingNodeId: 'rs-2' }), standby('fo-c')]);
  assert.deepEqual(brief(allocate(p, [{ protectedNodeId: 'rs-1', failedAtMs: 5 }, { protectedNodeId: 'rs-2', failedAtMs: 1 }])), ['rs-1→fo-c (primary-group)']);
});

test('two failures, one standby: the first to fail is taken over, the other waits', () => {
  const p = pool([server('rs-1'), server('rs-2')], { g1: ['fo-a'] }, [standby('fo-a')]);
  assert.deepEqual(brief(allocate(p, [{ protectedNodeId: 'rs-2', failedAtMs: 10 }, { protectedNodeId: 'rs-1', failedAtMs: 20 }])), ['rs-2→fo-a (primary-group)', 'rs-1 waits (no-standby-free)']);
  const none = pool([server('rs-9', { primaryGroupId: null })], {}, [standby('fo-a')]);
  assert.deepEqual(brief(allocate(none, [{ protectedNodeId: 'rs-9', failedAtMs: 1 }, { protectedNodeId: 'rs-x', failedAtMs: 2 }])), ['rs-9 waits (no-failover-group)', 'rs-x waits (unknown-server)']);
});

test('a hot standby first, when free; else the groups', () => {
  const p = pool([server('rs-1', { hotStandbyNodeId: 'hot-1' })], { g1: ['fo-a'] }, [standby('fo-a'), standby('hot-1')]);
  assert.deepEqual(brief(allocate(p, [{ protectedNodeId: 'rs-1', failedAtMs: 1 }])), ['rs-1→hot-1 (hot-standby)']);
  const busy = pool([server('rs-1', { hotStandbyNodeId: 'hot-1' })], { g1: ['fo-a'] }, [standby('fo-a'), standby('hot-1', { available: false })]);
  assert.deepEqual(brief(allocate(busy, [{ protectedNodeId: 'rs-1', failedAtMs: 1 }])), ['rs-1→fo-a (primary-group)']);
});

test('capacity-closest: the standby that holds every camera with the least to spare; else the largest; cameras beyond capacity counted', () => {
  const standbys = [standby('fo-64', { cameraCapacity: 64 }), standby('fo-24', { cameraCapacity: 24 }), standby('fo-16', { cameraCapacity: 16 }), standby('fo-20', { cameraCapacity: 20 })];
  const p = (cameraCount: number) => pool([server('rs-1', { selection: 'capacity-closest', cameraCount })], { g1: standbys.map((s) => s.nodeId) }, standbys);
  const first = (cameraCount: number) => allocate(p(cameraCount), [{ protectedNodeId: 'rs-1', failedAtMs: 1 }])[0];
  assert.deepEqual(first(18), { kind: 'take-over', protectedNodeId: 'rs-1', standbyNodeId: 'fo-20', via: 'primary-group', camerasBeyondCapacity: 0 });
  assert.deepEqual(brief([first(16)].filter((a) => a !== undefined)), ['rs-1→fo-16 (primary-group)']);
  assert.deepEqual(first(100), { kind: 'take-over', protectedNodeId: 'rs-1', standbyNodeId: 'fo-64', via: 'primary-group', camerasBeyondCapacity: 36 });
  // By sequence: the group's first, whatever its capacity.
  assert.deepEqual(brief(allocate(pool([server('rs-1', { cameraCount: 18 })], { g1: standbys.map((s) => s.nodeId) }, standbys), [{ protectedNodeId: 'rs-1', failedAtMs: 1 }])), ['rs-1→fo-64 (primary-group)']);
});

test('per-camera levels: none is never taken over, full before live only, then by name, up to the capacity', () => {
  const cams = [
    { deviceId: 'c1', name: 'Gate', level: 'live-only' as const },
    { deviceId: 'c2', name: 'Door', level: 'full' as const },
    { deviceId: 'c3', name: 'Attic', level: 'none' as const },
    { deviceId: 'c4', name: 'Bay', level: 'full' as const },
  ];
  const { taken, leftOut } = camerasTakenOver(cams, 2);
  assert.deepEqual([taken.map((c) => c.name), leftOut.map((c) => c.name)], [['Bay', 'Door'], ['Gate']]);
  assert.deepEqual(camerasTakenOver(cams, 0).taken, []);
});

test('properties: no standby twice, no server twice, only free and available standbys, and someone waits only when no allowed standby is free', () => {
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  const arbitraryPool = fc.record({ servers: fc.integer({ min: 1, max: 8 }), standbys: fc.integer({ min: 0, max: 6 }) }).chain(({ servers, standbys }) => {
    const sIds = ids('rs', servers);
    const fIds = ids('fo', standbys);
    return fc.record({
      groups: fc.record({ g1: fc.shuffledSubarray(fIds), g2: fc.shuffledSubarray(fIds) }),
      standbys: fc.tuple(...fIds.map((id) => fc.record({ nodeId: fc.constant(id), cameraCapacity: fc.integer({ min: 1, max: 64 }), available: fc.boolean(), servingNodeId: fc.option(fc.constantFrom(...sIds), { nil: null }) }))),
      servers: fc.tuple(...sIds.map((id) => fc.record({ nodeId: fc.constant(id), primaryGroupId: fc.constantFrom('g1', 'g2', null), secondaryGroupId: fc.constantFrom('g1', 'g2', null), hotStandbyNodeId: fIds.length === 0 ? fc.constant(null) : fc.option(fc.constantFrom(...fIds), { nil: null }), selection: fc.constantFrom('sequence' as const, 'capacity-closest' as const), cameraCount: fc.integer({ min: 0, max: 100 }) }))),
      failures: fc.array(fc.record({ protectedNodeId: fc.constantFrom(...sIds), failedAtMs: fc.integer({ min: 0, max: 100 }) }), { maxLength: 12 }),
    });
  });
  fc.assert(
    fc.property(arbitraryPool, ({ groups, standbys, servers, failures }) => {
      // A standby serves at most one server: keep the first lease of each server.
      const leased = new Set<string>();
      const consistent = standbys.map((s) => (s.servingNodeId !== null && !leased.has(s.servingNodeId) ? (leased.add(s.servingNodeId), s) : { ...s, servingNodeId: null }));
      const p: Pool = { protectedServers: servers, groups: new Map(Object.entries(groups)), standbys: consistent };
      const out = allocate(p, failures);
      const takes = out.filter((a) => a.kind === 'take-over');
      assert.equal(new Set(takes.map((a) => a.standbyNodeId)).size, takes.length, 'no standby twice');
      assert.equal(new Set(out.map((a) => a.protectedNodeId)).size, out.length, 'no server twice');
      for (const a of takes) {
        const s = consistent.find((x) => x.nodeId === a.standbyNodeId);
        assert.ok(s !== undefined && s.available && s.servingNodeId === null, 'a free, available standby');
        assert.ok(!leased.has(a.protectedNodeId), 'not a server already served');
      }
      const taken = new Set(takes.map((a) => a.standbyNodeId));
      for (const a of out.filter((x) => x.kind === 'wait')) {
        const srv = servers.find((x) => x.nodeId === a.protectedNodeId);
        if (srv === undefined) continue;
        const allowed = [srv.hotStandbyNodeId, ...(srv.primaryGroupId === null ? [] : groups[srv.primaryGroupId as 'g1' | 'g2']), ...(srv.secondaryGroupId === null ? [] : groups[srv.secondaryGroupId as 'g1' | 'g2'])];
        const stillFree = consistent.filter((s) => allowed.includes(s.nodeId) && s.available && s.servingNodeId === null && !taken.has(s.nodeId));
        // Only a standby taken by a later failure could be free here, and failures are served oldest first.
        for (const s of stillFree) assert.fail(`${a.protectedNodeId} waits while ${s.nodeId} is free`);
      }
    }),
    { numRuns: 500 },
  );
});
