import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { backdateMs, controllerIdLengthMax, controllerInstanceId, nextCursorDbMs, rowsToTake, upsertBatchSize, type SharedStatusMeta } from './status-share-rules.js';

const row = (nodeId: string, o: Partial<SharedStatusMeta> = {}): SharedStatusMeta => ({ nodeId, clusterId: 'c', controllerId: 'B', reportIntervalMs: 1_000, reportedAtDbMs: 50_000, ageMs: 100, ...o });

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
