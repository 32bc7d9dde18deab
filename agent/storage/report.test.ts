import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storageSpansSchema } from '../../contracts/controller-v1.js';
import type { StorageStatus } from '../shell/ports.js';
import { sameStoragePath, spansWire, withSpans } from './report.js';
import { storageSpans } from './spans.js';
import type { StorageScan } from './storage-scanner.js';

const BASE = Date.UTC(2026, 10, 22, 10, 0, 0);
const scan: StorageScan = {
  root: '/data/recorder-1a/storage',
  scannedAtMs: BASE + 60_000,
  durationMs: 12,
  spans: storageSpans([
    { cameraId: 'c1', recorded: [{ startMs: BASE, endMs: BASE + 9_900, fps: 10 }], placeholders: [{ startMs: BASE + 20_000, endMs: BASE + 20_900, fps: 10 }], truncated: false },
    { cameraId: 'c2', recorded: [{ startMs: BASE + 10_000, endMs: BASE + 14_900, fps: 10 }], placeholders: [], truncated: false },
  ]),
};
const storage = (path: string): StorageStatus => ({ storageId: 'st-1', name: 'Local default', path, available: true, usedSpaceBytes: 10, freeSpaceBytes: 90 });

describe('storage spans on the wire', () => {
  it('in seconds and ISO times, valid for the protocol schema', () => {
    const wire = spansWire(scan);
    assert.deepEqual(wire, {
      scannedAt: '2026-11-22T10:01:00.000Z',
      cameraCount: 2,
      truncated: false,
      cameraData: { oldestAt: '2026-11-22T10:00:00.000Z', newestAt: '2026-11-22T10:00:15.000Z', spanSeconds: 15, coveredSeconds: 15, coveragePercent: 100 },
      placeholderData: { oldestAt: '2026-11-22T10:00:20.000Z', newestAt: '2026-11-22T10:00:21.000Z', spanSeconds: 1, coveredSeconds: 1, sharePercent: 6.25 },
    });
    assert.deepEqual(storageSpansSchema.parse(wire), wire);
    const empty = spansWire({ ...scan, spans: storageSpans([]) });
    assert.equal(empty.cameraData.oldestAt, null);
    assert.deepEqual(storageSpansSchema.parse(empty), empty);
  });

  it('go on the storage whose path is the scanned folder, and null elsewhere or before a scan', () => {
    const [matched, other] = withSpans([storage('/data/recorder-1a/storage/'), storage('/data/elsewhere')], scan);
    assert.equal(matched?.spans?.cameraCount, 2);
    assert.equal(matched?.usedSpaceBytes, 10, 'the recorder says the rest');
    assert.equal(other?.spans, null);
    assert.equal(withSpans([storage('/data/recorder-1a/storage')], null)[0]?.spans, null);
  });

  it('paths compare as folders: separators, trailing slashes, dot segments, Windows case', () => {
    assert.equal(sameStoragePath('C:\\MediaDatabase\\', 'c:/mediadatabase'), true);
    assert.equal(sameStoragePath('D:\\Storage 111', 'D:/Storage 111/'), true);
    assert.equal(sameStoragePath('\\\\nas\\share\\media', '//NAS/share/media'), true);
    assert.equal(sameStoragePath('/data/a/../storage/.', '/data/storage'), true);
    assert.equal(sameStoragePath('/data/Storage', '/data/storage'), false, 'POSIX paths are case-sensitive');
    assert.equal(sameStoragePath('C:\\Media', 'C:\\MediaDatabase'), false);
    assert.equal(sameStoragePath('C:\\', 'c:/'), true);
  });
});
