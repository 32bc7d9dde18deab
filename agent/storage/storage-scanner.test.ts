// The scanner over a real lab-format folder: it scans at once, then on its interval, picks up
// what the writer appended meanwhile, keeps the last result while the folder is unreadable,
// and stops when closed.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { encodeIndexRecord, type IndexRecord } from '../../media-store/format.js';
import { blocksDir, indexPath, STORAGE_FORMAT, STORAGE_MARKER } from '../../media-store/layout.js';
import { LabFormatAdapter } from './lab-format-adapter.js';
import { Pace } from '../../shared/pace.js';
import type { StorageAdapter } from './storage-adapter.js';
import { scanStorage, startStorageScanner, type StorageScan } from './storage-scanner.js';

const CAM = '1e100000-0000-4000-8000-000000000001';
const CAM2 = '1e100000-0000-4000-8000-000000000002';
const BASE = 1_700_000_000_000;
const log = pino({ level: 'silent' });
const roots: string[] = [];
after(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

const block = (startMs: number): IndexRecord => ({ op: 'block', startMs, endMs: startMs + 900, fps: 10, frameCount: 10, bytes: 200, sha256: 'ab'.repeat(32) });

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('storage scanner', () => {
  it('scans at once, then every interval, and follows what was appended', async () => {
    const root = await mkdtemp(join(tmpdir(), 'twinrec-scanner-'));
    roots.push(root);
    await writeFile(join(root, STORAGE_MARKER), JSON.stringify(STORAGE_FORMAT));
    await mkdir(blocksDir(root, CAM), { recursive: true });
    await appendFile(indexPath(root, CAM), encodeIndexRecord(block(BASE)));
    const scanner = startStorageScanner({ adapter: new LabFormatAdapter({ root }), intervalMs: 50, maxCameras: 10, log, wallMs: () => BASE + 5_000 });
    try {
      const first = await waitFor('the first scan', () => scanner.latest() ?? undefined);
      assert.equal(first.root, root);
      assert.equal(first.scannedAtMs, BASE + 5_000);
      assert.equal(first.spans.cameraData.spanMs, 1_000);
      await appendFile(indexPath(root, CAM), encodeIndexRecord(block(BASE + 1_000)) + encodeIndexRecord({ op: 'placeholder', startMs: BASE + 2_000, endMs: BASE + 2_900, fps: 10 }));
      const grown = await waitFor('a scan that sees the new block', () => {
        const scan = scanner.latest();
        return scan !== null && scan.spans.cameraData.spanMs === 2_000 ? scan : undefined;
      });
      assert.equal(grown.spans.placeholderData.coveredMs, 1_000);
      // The storage goes away: the last result stays.
      await rename(root, `${root}-gone`);
      roots.push(`${root}-gone`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal((scanner.latest() as StorageScan).spans.cameraData.spanMs, 2_000);
    } finally {
      await scanner.close();
    }
  });

  it('leaves out a camera it cannot read, says so, and still yields the others; bounds the cameras read', async () => {
    const root = await mkdtemp(join(tmpdir(), 'twinrec-scanner-'));
    roots.push(root);
    await writeFile(join(root, STORAGE_MARKER), JSON.stringify(STORAGE_FORMAT));
    await mkdir(blocksDir(root, CAM), { recursive: true });
    await appendFile(indexPath(root, CAM), encodeIndexRecord(block(BASE)));
    // A second camera whose index is a folder: reading it fails (EISDIR).
    await mkdir(indexPath(root, CAM2), { recursive: true });
    const adapter = new LabFormatAdapter({ root });
    const spans = await scanStorage(adapter, { maxCameras: 10, maxIntervals: 100 }, log);
    assert.equal(spans.cameraCount, 1);
    assert.equal(spans.truncated, true);
    assert.equal(spans.cameraData.coveredMs, 1_000);
    const capped = await scanStorage(adapter, { maxCameras: 1, maxIntervals: 100 }, log);
    assert.equal(capped.cameraCount, 1);
    assert.equal(capped.truncated, true, 'cameras beyond maxCameras');
    assert.equal(capped.cameraData.coveredMs, 1_000, 'the first camera in id order');
  });

  it('a scan of large indexes gives the event loop turns throughout, and close() stops it between slices', async () => {
    const root = await mkdtemp(join(tmpdir(), 'twinrec-scanner-'));
    roots.push(root);
    await writeFile(join(root, STORAGE_MARKER), JSON.stringify(STORAGE_FORMAT));
    // Four cameras of 40,000 blocks each (~7.5 MB of index each), every other block after a gap.
    const cameras = [1, 2, 3, 4].map((n) => `1e100000-0000-4000-8000-00000000000${n}`);
    const lines: string[] = [];
    for (let k = 0; k < 40_000; k += 1) lines.push(encodeIndexRecord({ ...block(BASE + k * 1_000), startMs: BASE + k * 1_000 + (k % 2) * 100 }));
    const text = lines.join('');
    for (const id of cameras) {
      await mkdir(blocksDir(root, id), { recursive: true });
      await writeFile(indexPath(root, id), text);
    }
    /** The adapter, counting the cameras it was asked to read. */
    const reads: string[] = [];
    let readStarted: () => void = () => undefined;
    const inner = new LabFormatAdapter({ root, chunkBytes: 64 * 1024 * 1024 });
    const adapter: StorageAdapter = {
      kind: inner.kind,
      root,
      listCameras: (max) => inner.listCameras(max),
      readCamera: (id, pace) => {
        reads.push(id);
        readStarted();
        return inner.readCamera(id, pace);
      },
    };

    // A whole scan: a concurrent task keeps getting turns, many per camera.
    let turns = 0;
    let spinning = true;
    const spin = (): void => {
      turns += 1;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const spans = await scanStorage(adapter, { maxCameras: 10, maxIntervals: 100_000 }, log, new Pace(undefined, 1));
    spinning = false;
    assert.equal(spans.cameraCount, 4);
    assert.equal(spans.cameraData.newestMs, BASE + 39_999_000 + 1_000);
    assert.ok(turns >= 4 * 10, `a concurrent task got ${turns} turns during the scan`);

    // The scanner, closed while it reads the first camera: the scan ends there, and no result is kept.
    reads.length = 0;
    const firstRead = new Promise<void>((resolve) => (readStarted = resolve));
    const scanner = startStorageScanner({ adapter, intervalMs: 60_000, maxCameras: 10, log });
    await firstRead;
    await scanner.close();
    assert.equal(reads.length, 1, 'no camera is read after close()');
    assert.equal(scanner.latest(), null);
  });
});
