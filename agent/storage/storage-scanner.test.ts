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
});
