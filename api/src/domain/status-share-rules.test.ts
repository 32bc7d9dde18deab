import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cameraStatus, nodeStatus } from '../../../contracts/controller-v1.fixtures.js';
import { backdateMs, controllerIdLengthMax, controllerInstanceId, heldVersionCurrent, nextCursorDbMs, rowsToTake, shareWriteOf, statusContentKey, upsertBatchSize, type SharedStatusMeta } from './status-share-rules.js';

const row = (nodeId: string, o: Partial<SharedStatusMeta> = {}): SharedStatusMeta => ({ nodeId, clusterId: 'c', controllerId: 'B', statusVersion: null, reportIntervalMs: 1_000, reportedAtDbMs: 50_000, ageMs: 100, ...o });

describe('controllerInstanceId', () => {
  test('names the host and the process, and differs at every start', () => {
    assert.equal(controllerInstanceId('rec-ctl-1', 4242, 'a1b2c3d4-0000-4000-8000-000000000000'), 'rec-ctl-1-4242-a1b2c3d4');
    assert.notEqual(controllerInstanceId('h', 1), controllerInstanceId('h', 1));
  });

  test('fits the controller_id column whatever the host name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: 1, max: 4_194_304 }), (host, pid) => {
        const id = controllerInstanceId(host, pid);
        assert.ok(id.length <= controllerIdLengthMax, id);
        assert.match(id, /^[A-Za-z0-9._-]+-\d+-[0-9a-f]{8}$/);
      }),
    );
  });
});

describe('rowsToTake', () => {
  const none = (): undefined => undefined;

  test("takes other controllers' rows for nodes the cache does not hold, never its own", () => {
    assert.deepEqual(rowsToTake([row('n1'), row('n2', { controllerId: 'A' })], 'A', 1_000, none, new Map(), 10_000), ['n1']);
  });

  test('takes a row only when it was received after what the cache holds, on the local clock', () => {
    // Now 10_000 locally; received elsewhere 100 ms ago, so at 9_900.
    assert.deepEqual(rowsToTake([row('n1')], 'A', 10_000, () => ({ receivedAtMs: 9_899 }), new Map(), 10_000), ['n1']);
    assert.deepEqual(rowsToTake([row('n1')], 'A', 10_000, () => ({ receivedAtMs: 9_900 }), new Map(), 10_000), []);
  });

  test('skips a row version taken before (an overlapping poll reads it again), and rows older than ageMsMax', () => {
    assert.deepEqual(rowsToTake([row('n1', { reportedAtDbMs: 50_000 })], 'A', 10_000, none, new Map([['n1', 50_000]]), 10_000), []);
    assert.deepEqual(rowsToTake([row('n1', { reportedAtDbMs: 50_001 })], 'A', 10_000, none, new Map([['n1', 50_000]]), 10_000), ['n1']);
    assert.deepEqual(rowsToTake([row('n1', { ageMs: 10_001 })], 'A', 20_000, none, new Map(), 10_000), []);
  });

  test('names each node once', () => {
    assert.deepEqual(rowsToTake([row('n1'), row('n1', { reportedAtDbMs: 50_001 })], 'A', 1_000, none, new Map(), 10_000), ['n1']);
  });
});

describe('nextCursorDbMs', () => {
  test('moves to the newest row version and never back', () => {
    assert.equal(nextCursorDbMs(10_000, [{ reportedAtDbMs: 14_000 }, { reportedAtDbMs: 12_000 }]), 14_000);
    assert.equal(nextCursorDbMs(10_000, [{ reportedAtDbMs: 9_000 }]), 10_000);
    assert.equal(nextCursorDbMs(10_000, []), 10_000);
  });
});

describe('upsertBatchSize', () => {
  test('bounds rows and bytes, but always takes the first', () => {
    assert.equal(upsertBatchSize([100, 200, 300], 10, 350), 2);
    assert.equal(upsertBatchSize([100, 200, 300], 1, 10_000), 1);
    assert.equal(upsertBatchSize([5_000_000], 10, 1_000), 1);
    assert.equal(upsertBatchSize([], 10, 1_000), 0);
  });

  test('never exceeds either bound beyond the first row', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1_000 }), { maxLength: 50 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 5_000 }), (bytes, rowsMax, bytesMax) => {
        const n = upsertBatchSize(bytes, rowsMax, bytesMax);
        assert.ok(n <= rowsMax && n <= bytes.length);
        if (bytes.length > 0) assert.ok(n >= 1);
        if (n > 1) assert.ok(bytes.slice(0, n).reduce((a, b) => a + b, 0) <= bytesMax);
      }),
    );
  });
});

describe('backdateMs', () => {
  test("is the report's age at the flush, at most backdateMsMax", () => {
    assert.equal(backdateMs(180.4, 500), 180);
    assert.equal(backdateMs(4_000, 500), 500);
    assert.equal(backdateMs(-3, 500), 0);
  });
});

describe('statusContentKey', () => {
  const base = nodeStatus('c', 'n1', 'n2', { state: 'PRIM', cameras: [cameraStatus('cam-1'), cameraStatus('cam-2')] });
  const storage = base.storages[0] as (typeof base.storages)[number];
  const backfill = {
    mode: 'enabled' as const, state: 'running' as const, reason: null, auditedAt: '2026-12-07T10:00:00.000Z', retentionMinutes: 1440, completeSinceAt: '2026-12-06T10:00:00.000Z',
    missingSeconds: 4, dataComplete: false, placeholderSeconds: 4, camerasAffected: 1,
    cameras: [{ deviceId: 'cam-1', missingSeconds: 4, placeholderSeconds: 4, completeUntilAt: '2026-12-07T09:00:00.000Z', completeSinceAt: '2026-12-07T09:00:04.000Z', gaps: [{ startAt: '2026-12-07T09:00:00.000Z', endAt: '2026-12-07T09:00:04.000Z' }] }],
    bytesDone: 0, bytesTotal: 10_000, blocksDone: 0, blocksTotal: 6, rateBytesPerSecond: 0, etaSeconds: null, startedAt: '2026-12-07T10:00:00.000Z',
  };
  const withBackfill = { ...base, backfill };
  const spans = { scannedAt: '2026-12-07T10:00:00.000Z', cameraCount: 2, truncated: false, cameraData: { oldestAt: null, newestAt: null, spanSeconds: 0, coveredSeconds: 0, coveragePercent: 0 }, placeholderData: { oldestAt: null, newestAt: null, spanSeconds: 0, coveredSeconds: 0, sharePercent: 0 } };

  test('the statistics of a report (frame rates, used space, ping, uptime, spans) leave it unchanged', () => {
    const later = {
      ...base,
      ping: { avgMs: 9, maxMs: 20, lastMs: 7 },
      uptimeSeconds: base.uptimeSeconds + 1,
      peer: { ...base.peer, lastHeardAgoMs: 250 },
      cameras: base.cameras.map((camera) => ({ ...camera, fps: 24.6, usedSpaceBytes: 99_999 })),
      storages: [{ ...storage, usedSpaceBytes: 11, freeSpaceBytes: 999, spans }],
    };
    assert.equal(statusContentKey(later), statusContentKey(base));
    const running = { ...withBackfill, backfill: { ...backfill, auditedAt: '2026-12-07T10:00:05.000Z', completeSinceAt: '2026-12-06T10:00:05.000Z', bytesDone: 5_000, blocksDone: 3, rateBytesPerSecond: 1e6, etaSeconds: 4 } };
    assert.equal(statusContentKey(running), statusContentKey(withBackfill), 'the backfill\'s clocks and progress counters');
  });

  test('anything else a report says changes it: state, serving, epoch, health, a camera, a storage, the backfill', () => {
    const key = statusContentKey(base);
    const changes = [
      { ...base, state: 'SECOND' as const, serving: false },
      { ...base, epoch: base.epoch + 1 },
      { ...base, health: { ...base.health, problem: 'recorder down' } },
      { ...base, peer: { ...base.peer, reachable: false } },
      { ...base, maintenance: true },
      { ...base, cameras: base.cameras.map((camera, i) => (i === 1 ? { ...camera, recording: false } : camera)) },
      { ...base, cameras: base.cameras.map((camera, i) => (i === 0 ? { ...camera, fpsRequested: 12 } : camera)) },
      { ...base, cameras: base.cameras.slice(1) },
      { ...base, storages: [{ ...storage, available: false }] },
      { ...base, configSyncPending: true },
      withBackfill,
    ];
    for (const changed of changes) assert.notEqual(statusContentKey(changed), key, JSON.stringify(changed).slice(0, 200));
    const backfillChanges = [{ ...backfill, state: 'done' as const }, { ...backfill, missingSeconds: 2, dataComplete: true }, { ...backfill, placeholderSeconds: 0 }, { ...backfill, cameras: [] }];
    for (const changed of backfillChanges) assert.notEqual(statusContentKey({ ...base, backfill: changed }), statusContentKey(withBackfill), JSON.stringify(changed).slice(0, 200));
  });
});

describe('shareWriteOf', () => {
  test('the whole status first, on a change, and when the statistics are due; otherwise only the stamp', () => {
    assert.equal(shareWriteOf(undefined, 'k', 0, 10_000), 'status', 'nothing written yet');
    assert.equal(shareWriteOf({ contentKey: 'k', writtenAtMs: 1_000 }, 'k', 10_999, 10_000), 'stamp');
    assert.equal(shareWriteOf({ contentKey: 'k', writtenAtMs: 1_000 }, 'k', 11_000, 10_000), 'status', 'statistics due');
    assert.equal(shareWriteOf({ contentKey: 'k', writtenAtMs: 1_000 }, 'j', 1_001, 10_000), 'status', 'content changed');
  });
});

describe('heldVersionCurrent', () => {
  test("only the version held, in a row its writer's version names", () => {
    assert.equal(heldVersionCurrent('B#7', 'B', 'B#7'), true);
    assert.equal(heldVersionCurrent('B#8', 'B', 'B#7'), false, 'a newer status');
    assert.equal(heldVersionCurrent('B#7', 'B', undefined), false, 'none held');
    assert.equal(heldVersionCurrent(null, 'B', 'B#7'), false, 'a row of an older controller');
    assert.equal(heldVersionCurrent('B#7', 'C', 'B#7'), false, 'an older controller C rewrote the status and left the version');
    assert.equal(heldVersionCurrent('B-1#7', 'B', 'B-1#7'), false, 'a prefix of another id is not the writer');
  });
});
