import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { blockFileName, blockHeader, decodeIndex, encodeFrameRecord, encodeIndexRecord, sha256Hex, sliceBlock } from '../../../media-store/format.js';
import { createPlaceholder, fillPlaceholder, readBlockFile, readCameraIndex } from './placeholders.js';
import { defaultStorageOptions, Storage, STORAGE_FORMAT, STORAGE_MARKER, type StorageOptions } from './storage.js';
import { mergeSequences } from '../sequences.js';

const log = pino({ level: 'silent' });
const CAMERA = '0b7c5e7a-1d2e-4f00-9abc-0123456789ab';
const BASE = 1_800_000_000_000;
const options: StorageOptions = { ...defaultStorageOptions, blockDurationMs: 1000, flushIntervalMs: 20, maintenanceIntervalMs: 50, errorHoldMs: 200 };
const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'twinrec-storage-test-'));
  dirs.push(dir);
  return dir;
}

function payload(timeMs: number): Buffer {
  return Buffer.from(`frame ${timeMs} `.repeat(20));
}

async function openWith(dir: string, overrides: Partial<StorageOptions> = {}): Promise<Storage> {
  const storage = await Storage.open(dir, { ...options, ...overrides }, log);
  await storage.configureCamera(CAMERA, 10);
  return storage;
}

function offerRange(storage: Storage, fromIndex: number, toIndex: number, skip: number[] = []): void {
  for (let n = fromIndex; n <= toIndex; n += 1) {
    if (skip.includes(n)) continue;
    const timeMs = BASE + n * 100;
    assert.equal(storage.offer(CAMERA, { timeMs, bytes: payload(timeMs) }), 'queued');
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('storage', () => {
  it('writes blocks of at most one slot, indexes them with checksums, and reopens to the same index', async () => {
    const dir = await tempDir();
    const storage = await openWith(dir);
    offerRange(storage, 0, 25);
    await storage.close();
    const reopened = await openWith(dir);
    const entries = reopened.entries(CAMERA);
    assert.deepEqual(
      entries.map((e) => [e.startMs - BASE, e.endMs - BASE, e.frameCount]),
      [
        [0, 900, 10],
        [1000, 1900, 10],
        [2000, 2500, 6],
      ],
    );
    for (const entry of entries) assert.equal(sha256Hex(await readBlockFile(dir, CAMERA, entry.startMs)), entry.sha256);
    assert.deepEqual(mergeSequences(reopened.ranges(CAMERA)), [{ beginMs: BASE, endMs: BASE + 2500 }]);
    const found = await reopened.frameAt(CAMERA, BASE + 1234);
    assert.equal(found?.frame.timeMs, BASE + 1200);
    assert.deepEqual(found?.frame.bytes, payload(BASE + 1200));
    assert.equal(found?.prevMs, BASE + 1100);
    assert.equal(found?.nextMs, BASE + 1300);
    const boundary = await reopened.frameAt(CAMERA, BASE + 950);
    assert.equal(boundary?.frame.timeMs, BASE + 900);
    assert.equal(boundary?.nextMs, BASE + 1000, 'next crosses into the following block');
    assert.equal(reopened.offer(CAMERA, { timeMs: BASE + 2500, bytes: payload(0) }), 'stale');
    await reopened.close();
  });

  it('starts a new block at a missing frame, which shows as a gap between sequences', async () => {
    const dir = await tempDir();
    const storage = await openWith(dir);
    offerRange(storage, 0, 8, [4]);
    await storage.close();
    const reopened = await openWith(dir);
    assert.deepEqual(mergeSequences(reopened.ranges(CAMERA)), [
      { beginMs: BASE, endMs: BASE + 300 },
      { beginMs: BASE + 500, endMs: BASE + 800 },
    ]);
    await reopened.close();
  });

  it('repairs on open: truncates a torn index tail and indexes a block written before a crash', async () => {
    const dir = await tempDir();
    const cameraDir = join(dir, 'cameras', CAMERA);
    await mkdir(join(cameraDir, 'blocks'), { recursive: true });
    await writeFile(join(dir, STORAGE_MARKER), JSON.stringify(STORAGE_FORMAT));
    const blockBytes = (from: number, to: number): Buffer => {
      const parts = [blockHeader(10)];
      for (let n = from; n <= to; n += 1) parts.push(encodeFrameRecord(BASE + n * 100, payload(BASE + n * 100)));
      return Buffer.concat(parts);
    };
    const sealed = blockBytes(0, 9);
    await writeFile(join(cameraDir, 'blocks', blockFileName(BASE)), sealed);
    const goodRecord = encodeIndexRecord({ op: 'block', startMs: BASE, endMs: BASE + 900, fps: 10, frameCount: 10, bytes: sealed.length, sha256: sha256Hex(sealed) });
    await writeFile(join(cameraDir, 'index.log'), `${goodRecord}{"op":"block","startMs":18000`);
    // The block being written when the process died: three whole frames and half of a fourth.
    const open = blockBytes(10, 13);
    await writeFile(join(cameraDir, 'blocks', blockFileName(BASE + 1000)), open.subarray(0, open.length - 100));
    await writeFile(join(cameraDir, 'blocks', `${blockFileName(BASE + 5000)}.tmp`), 'leftover');
    await writeFile(join(dir, 'recorder.lock'), JSON.stringify({ pid: 2 ** 22 + 12345 }));

    const storage = await openWith(dir);
    assert.deepEqual(
      storage.entries(CAMERA).map((e) => [e.startMs - BASE, e.endMs - BASE, e.frameCount]),
      [
        [0, 900, 10],
        [1000, 1200, 3],
      ],
    );
    const index = decodeIndex(await readFile(join(cameraDir, 'index.log')));
    assert.equal(index.clean, true, 'torn tail truncated');
    assert.equal(index.records.length, 2);
    assert.deepEqual(await readdir(join(cameraDir, 'blocks')), [blockFileName(BASE), blockFileName(BASE + 1000)]);
    assert.equal((await stat(join(cameraDir, 'blocks', blockFileName(BASE + 1000)))).size, storage.entries(CAMERA)[1]?.bytes);
    assert.equal(JSON.parse(await readFile(join(dir, 'recorder.lock'), 'utf8')).pid, process.pid, 'stale lock taken over');
    await storage.close();
  });

  it('refuses a storage locked by a live process', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'recorder.lock'), JSON.stringify({ pid: process.ppid }));
    await assert.rejects(Storage.open(dir, options, log), /in use by process/);
  });

  it('drops frames beyond the write queue (overflow) and reports it until it clears', async () => {
    const dir = await tempDir();
    const storage = await openWith(dir, { maxQueueBytes: 2000 });
    const outcomes = [];
    for (let n = 0; n < 20; n += 1) outcomes.push(storage.offer(CAMERA, { timeMs: BASE + n * 100, bytes: payload(n) }));
    assert.ok(outcomes.includes('overflow'));
    assert.equal(storage.health(CAMERA, Date.now()).overflow, true);
    await until('overflow clears', () => !storage.health(CAMERA, Date.now()).overflow);
    await storage.close();
  });

  it('offline and full storage refuse frames with a write error; recording resumes when lifted', async () => {
    const dir = await tempDir();
    const storage = await openWith(dir);
    offerRange(storage, 0, 4);
    await storage.setFault({ mode: 'offline' });
    assert.equal(storage.entries(CAMERA).length, 1, 'accepted frames were sealed first');
    assert.equal(storage.offer(CAMERA, { timeMs: BASE + 500, bytes: payload(5) }), 'unavailable');
    assert.equal(storage.health(CAMERA, Date.now()).writeError, true);
    await storage.setFault({ mode: 'full' });
    assert.equal(storage.offer(CAMERA, { timeMs: BASE + 600, bytes: payload(6) }), 'unavailable');
    await storage.setFault({ mode: 'online' });
    await until('write error clears', () => !storage.health(CAMERA, Date.now()).writeError);
    assert.equal(storage.offer(CAMERA, { timeMs: BASE + 700, bytes: payload(7) }), 'queued');
    await storage.close();
  });

  it('applies retention by size: the oldest blocks go, with delete records first', async () => {
    const dir = await tempDir();
    const storage = await openWith(dir);
    offerRange(storage, 0, 39);
    await until('four blocks sealed', () => storage.entries(CAMERA).length >= 3);
    const blockBytes = storage.entries(CAMERA)[0]?.bytes ?? 0;
    storage.setRetention(24 * 3_600_000, blockBytes * 2 + 10);
    await until('retention ran', () => storage.entries(CAMERA).every((e) => e.startMs >= BASE + 2000));
    // The delete record is written before the block file is removed: wait for the file too.
    const oldBlocks = async () => (await readdir(join(dir, 'cameras', CAMERA, 'blocks'))).filter((name) => name < blockFileName(BASE + 2000));
    await until('old block files removed', async () => (await oldBlocks()).length === 0);
    assert.deepEqual(await oldBlocks(), []);
    const ops = decodeIndex(await readFile(join(dir, 'cameras', CAMERA, 'index.log'))).records.map((r) => r.op);
    assert.ok(ops.filter((op) => op === 'delete').length >= 2);
    await storage.close();
  });

  it('creates placeholders only while stopped; a running storage picks up fills appended by another process', async () => {
    const peer = await tempDir();
    const peerStorage = await openWith(peer);
    offerRange(peerStorage, 0, 29);
    await peerStorage.close();
    const peerBlock = (await readCameraIndex(peer, CAMERA)).get(BASE + 1000);
    assert.ok(peerBlock !== undefined);

    const dir = await tempDir();
    const storage = await openWith(dir);
    offerRange(storage, 0, 9);
    offerRange(storage, 20, 29);
    await assert.rejects(createPlaceholder(dir, CAMERA, { startMs: BASE + 1000, endMs: BASE + 1900, fps: 10 }), /while the recorder is stopped/);
    await storage.close();

    await createPlaceholder(dir, CAMERA, { startMs: peerBlock.startMs, endMs: peerBlock.endMs, fps: 10 });
    await assert.rejects(createPlaceholder(dir, CAMERA, { startMs: BASE + 500, endMs: BASE + 1500, fps: 10 }), /overlaps/);
    const running = await openWith(dir);
    assert.equal(running.entries(CAMERA).find((e) => e.startMs === BASE + 1000)?.state, 'placeholder');
    assert.equal(mergeSequences(running.ranges(CAMERA)).length, 2, 'a placeholder is not a recording');

    const bytes = await readBlockFile(peer, CAMERA, BASE + 1000);
    await assert.rejects(fillPlaceholder(dir, CAMERA, bytes.subarray(0, bytes.length - 1)), /decode completely/);
    // A piece of the peer's block first: the placeholder is split, the rest stays pending.
    const tail = sliceBlock(bytes, BASE + 1500, BASE + 1900);
    assert.ok(tail !== null);
    assert.equal(await fillPlaceholder(dir, CAMERA, tail), 'applied');
    assert.equal(await fillPlaceholder(dir, CAMERA, tail), 'duplicate');
    await until('split fill applied', () => running.entries(CAMERA).find((e) => e.startMs === BASE + 1500)?.state === 'filled');
    assert.deepEqual(
      running.entries(CAMERA).map((e) => [e.state, e.startMs - BASE, e.endMs - BASE]),
      [
        ['recorded', 0, 900],
        ['placeholder', 1000, 1499],
        ['filled', 1500, 1900],
        ['recorded', 2000, 2900],
      ],
    );
    await assert.rejects(fillPlaceholder(dir, CAMERA, bytes), /crosses the end/, 'the whole block no longer fits what is pending');
    // A file already at a block's name is never replaced.
    const head = sliceBlock(bytes, BASE + 1000, BASE + 1400);
    assert.ok(head !== null);
    const squatter = join(dir, 'cameras', CAMERA, 'blocks', blockFileName(BASE + 1000));
    await writeFile(squatter, 'not yours');
    await assert.rejects(fillPlaceholder(dir, CAMERA, head), /already exists/);
    assert.equal(await readFile(squatter, 'utf8'), 'not yours');
    assert.deepEqual(await readdir(join(dir, 'cameras', CAMERA, 'blocks')), [blockFileName(BASE), blockFileName(BASE + 1000), blockFileName(BASE + 1500), blockFileName(BASE + 2000)], 'no temp file left');
    await rm(squatter);
    assert.equal(await fillPlaceholder(dir, CAMERA, head), 'applied');
    await until('fill applied', () => running.entries(CAMERA).find((e) => e.startMs === BASE + 1000)?.state === 'filled');
    assert.deepEqual(mergeSequences(running.ranges(CAMERA)), [{ beginMs: BASE, endMs: BASE + 2900 }]);
    assert.deepEqual((await running.frameAt(CAMERA, BASE + 1500))?.frame.bytes, payload(BASE + 1500));
    await running.close();
  });

  it('records a live frame inside a placeholder reserved into the future: the placeholder is cut there', async () => {
    const dir = await tempDir();
    const first = await openWith(dir);
    offerRange(first, 0, 9);
    await first.close();
    // The agent reserved the time until it expected the recorder to record again (a tail).
    await createPlaceholder(dir, CAMERA, { startMs: BASE + 901, endMs: BASE + 9_999, fps: 10 });
    const running = await openWith(dir);
    offerRange(running, 30, 45);
    await until('the block after the cut indexed', () => running.entries(CAMERA).some((e) => e.state === 'recorded' && e.startMs === BASE + 3000));
    assert.deepEqual(
      running.entries(CAMERA).map((e) => [e.state, e.startMs - BASE, e.endMs - BASE]),
      [
        ['recorded', 0, 900],
        ['placeholder', 901, 2999],
        ['recorded', 3000, 3900],
      ],
    );
    await running.close();
    const reopened = await openWith(dir);
    assert.deepEqual(reopened.entries(CAMERA).map((e) => [e.state, e.startMs - BASE, e.endMs - BASE]), [
      ['recorded', 0, 900],
      ['placeholder', 901, 2999],
      ['recorded', 3000, 3900],
      ['recorded', 4000, 4500],
    ], 'the index on disk says the same');
    const ops = decodeIndex(await readFile(join(dir, 'cameras', CAMERA, 'index.log'))).records.map((r) => r.op);
    assert.ok(ops.indexOf('cut') < ops.lastIndexOf('block'), `the cut is on disk before the blocks it admits: ${ops.join(',')}`);
    await reopened.close();
  });
});
