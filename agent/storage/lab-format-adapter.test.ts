// The lab-format adapter against real storage folders written with the media-store codec:
// block files and index records, placeholders, fills, deletes, torn and corrupt tails.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockHeader, encodeFrameRecord, encodeIndexRecord, sha256Hex, type IndexRecord } from '../../media-store/format.js';
import { blockPath, blocksDir, indexPath, STORAGE_FORMAT, STORAGE_MARKER } from '../../media-store/layout.js';
import { CameraIndex } from '../../media-store/camera-index.js';
import { LabFormatAdapter } from './lab-format-adapter.js';
import { Pace } from '../../shared/pace.js';
import { storageSpans } from './spans.js';

const CAM1 = '1e100000-0000-4000-8000-000000000001';
const CAM2 = '1e100000-0000-4000-8000-000000000002';
const BASE = 1_700_000_000_000;
const roots: string[] = [];
after(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

async function newStorage(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'twinrec-adapter-'));
  roots.push(root);
  await writeFile(join(root, STORAGE_MARKER), `${JSON.stringify(STORAGE_FORMAT)}\n`);
  return root;
}

/** Writes a block file of `frames` frames at 10 fps from `startMs` and returns its index record. */
async function writeBlock(root: string, cameraId: string, startMs: number, frames = 10, op: 'block' | 'fill' = 'block'): Promise<IndexRecord> {
  await mkdir(blocksDir(root, cameraId), { recursive: true });
  const times = Array.from({ length: frames }, (_, k) => startMs + k * 100);
  const bytes = Buffer.concat([blockHeader(10), ...times.map((t) => encodeFrameRecord(t, Buffer.from(`frame ${t}`)))]);
  await writeFile(blockPath(root, cameraId, startMs), bytes);
  return { op, startMs, endMs: times[times.length - 1] as number, fps: 10, frameCount: frames, bytes: bytes.length, sha256: sha256Hex(bytes) };
}

/** Counts the turns a concurrent task gets on the event loop (one per setImmediate round) until stopped. */
function concurrentTurns(): { stop: () => number } {
  let turns = 0;
  let running = true;
  const spin = (): void => {
    turns += 1;
    if (running) setImmediate(spin);
  };
  setImmediate(spin);
  return {
    stop: () => {
      running = false;
      return turns;
    },
  };
}

async function appendRecords(root: string, cameraId: string, records: IndexRecord[]): Promise<void> {
  await mkdir(blocksDir(root, cameraId), { recursive: true });
  await appendFile(indexPath(root, cameraId), records.map(encodeIndexRecord).join(''));
}

describe('lab-format storage adapter', () => {
  it('returns recorded blocks, filled placeholders as recorded, pending placeholders apart, and honours deletes', async () => {
    const root = await newStorage();
    const b0 = await writeBlock(root, CAM1, BASE);
    const b1 = await writeBlock(root, CAM1, BASE + 1_000);
    const b3 = await writeBlock(root, CAM1, BASE + 3_000);
    const filled = await writeBlock(root, CAM1, BASE + 2_000, 10, 'fill');
    await appendRecords(root, CAM1, [
      b0,
      b1,
      b3,
      { op: 'placeholder', startMs: BASE + 2_000, endMs: BASE + 2_900, fps: 10 },
      { op: 'placeholder', startMs: BASE + 5_000, endMs: BASE + 5_900, fps: 10 },
      filled,
      { op: 'delete', startMs: BASE },
    ]);
    const adapter = new LabFormatAdapter({ root });
    const cam = await adapter.readCamera(CAM1);
    assert.deepEqual(
      cam.recorded.map((r) => [r.startMs - BASE, r.endMs - BASE, r.fps]),
      [
        [1_000, 1_900, 10],
        [2_000, 2_900, 10],
        [3_000, 3_900, 10],
      ],
    );
    assert.deepEqual(
      cam.placeholders.map((r) => [r.startMs - BASE, r.endMs - BASE]),
      [[5_000, 5_900]],
    );
    assert.equal(cam.truncated, false);
  });

  it('leaves out a torn tail (a record being appended) and keeps everything before it', async () => {
    const root = await newStorage();
    const records = [await writeBlock(root, CAM1, BASE), await writeBlock(root, CAM1, BASE + 1_000)];
    await appendRecords(root, CAM1, records);
    const next = encodeIndexRecord(await writeBlock(root, CAM1, BASE + 2_000));
    await appendFile(indexPath(root, CAM1), next.slice(0, next.length - 7));
    const cam = await new LabFormatAdapter({ root }).readCamera(CAM1);
    assert.deepEqual(
      cam.recorded.map((r) => r.startMs - BASE),
      [0, 1_000],
    );
    assert.equal(cam.truncated, false);
    // Once the writer finishes the line, the next read sees it.
    await appendFile(indexPath(root, CAM1), next.slice(next.length - 7));
    assert.equal((await new LabFormatAdapter({ root }).readCamera(CAM1)).recorded.length, 3);
  });

  it('stops at a corrupt line, as the recorder does on open', async () => {
    const root = await newStorage();
    await appendRecords(root, CAM1, [await writeBlock(root, CAM1, BASE)]);
    await appendFile(indexPath(root, CAM1), encodeIndexRecord(await writeBlock(root, CAM1, BASE + 1_000)).replace('"frameCount":10', '"frameCount":11'));
    await appendRecords(root, CAM1, [await writeBlock(root, CAM1, BASE + 2_000)]);
    assert.deepEqual(
      (await new LabFormatAdapter({ root }).readCamera(CAM1)).recorded.map((r) => r.startMs - BASE),
      [0],
    );
  });

  it('reads a long index in chunks, with records split across chunk edges, and bounds how much it reads', async () => {
    const root = await newStorage();
    const records: IndexRecord[] = [];
    for (let k = 0; k < 60; k += 1) records.push({ op: 'block', startMs: BASE + k * 1_000, endMs: BASE + k * 1_000 + 900, fps: 10, frameCount: 10, bytes: 200, sha256: 'ab'.repeat(32) });
    await appendRecords(root, CAM1, records);
    const whole = await new LabFormatAdapter({ root, chunkBytes: 1024 }).readCamera(CAM1);
    assert.equal(whole.recorded.length, 60);
    assert.equal(whole.truncated, false);
    const lineBytes = encodeIndexRecord(records[0] as IndexRecord).length;
    // The bound keeps the newest lines: the one it cuts is left out.
    const bounded = await new LabFormatAdapter({ root, chunkBytes: 1024, maxIndexBytes: lineBytes * 10 + 5 }).readCamera(CAM1);
    assert.deepEqual(
      bounded.recorded.map((r) => (r.startMs - BASE) / 1_000),
      [50, 51, 52, 53, 54, 55, 56, 57, 58, 59],
    );
    assert.equal(bounded.truncated, true);
  });

  it('of an index over the bound, reads the newest part, from its first whole line, so that the newest time keeps moving', async () => {
    const root = await newStorage();
    const record = (k: number): IndexRecord => ({ op: 'block', startMs: BASE + k * 1_000, endMs: BASE + k * 1_000 + 900, fps: 10, frameCount: 10, bytes: 200, sha256: 'ab'.repeat(32) });
    const lineBytes = encodeIndexRecord(record(0)).length;
    // Old placeholders, filled later: the fill is inside the window, its placeholder is not.
    await appendRecords(root, CAM1, [{ op: 'placeholder', startMs: BASE - 10_000, endMs: BASE - 9_100, fps: 10 }]);
    await appendRecords(root, CAM1, Array.from({ length: 100 }, (_, k) => record(k)));
    await appendRecords(root, CAM1, [{ op: 'fill', startMs: BASE - 10_000, endMs: BASE - 9_100, fps: 10, frameCount: 10, bytes: 200, sha256: 'cd'.repeat(32) }]);
    const fillBytes = encodeIndexRecord({ op: 'fill', startMs: BASE - 10_000, endMs: BASE - 9_100, fps: 10, frameCount: 10, bytes: 200, sha256: 'cd'.repeat(32) }).length;
    // Exactly the last 20 block lines and the fill: the window starts at a line's first byte, which is kept.
    for (const chunkBytes of [1024, 4096, 1024 * 1024]) {
      const adapter = new LabFormatAdapter({ root, chunkBytes, maxIndexBytes: lineBytes * 20 + fillBytes });
      const cam = await adapter.readCamera(CAM1);
      assert.equal(cam.truncated, true);
      assert.deepEqual(
        cam.recorded.map((r) => (r.startMs - BASE) / 1_000),
        [-10, ...Array.from({ length: 20 }, (_, k) => 80 + k)],
        `chunks of ${chunkBytes} bytes`,
      );
    }
    // One byte less: the window starts inside a line, which is left out.
    const cut = await new LabFormatAdapter({ root, chunkBytes: 1024, maxIndexBytes: lineBytes * 20 + fillBytes - 1 }).readCamera(CAM1);
    assert.equal(cut.recorded[1]?.startMs, BASE + 81_000);
    // The recorder goes on recording: the newest time moves with it, the bound as it was.
    await appendRecords(root, CAM1, [record(100), record(101), { op: 'delete', startMs: BASE + 80_000 }]);
    const later = await new LabFormatAdapter({ root, chunkBytes: 1024, maxIndexBytes: lineBytes * 20 + fillBytes }).readCamera(CAM1);
    assert.equal(later.recorded.at(-1)?.startMs, BASE + 101_000);
    assert.equal(later.truncated, true);
    // An index whose every line is longer than the window: nothing whole to read.
    const tiny = await new LabFormatAdapter({ root, chunkBytes: 1024, maxIndexBytes: 10 }).readCamera(CAM1);
    assert.deepEqual([tiny.recorded.length, tiny.truncated], [0, true]);
  });

  it('reads a long index in slices, giving the event loop turns, with the same result as applying it record by record', async () => {
    const root = await newStorage();
    // 60,000 blocks, and retention deleting the oldest as it goes: 100,000 records, ~19 MB.
    const records: IndexRecord[] = [];
    for (let k = 0; k < 60_000; k += 1) {
      records.push({ op: 'block', startMs: BASE + k * 1_000, endMs: BASE + k * 1_000 + 900, fps: 10, frameCount: 10, bytes: 200, sha256: 'ab'.repeat(32) });
      if (k >= 20_000) records.push({ op: 'delete', startMs: BASE + (k - 20_000) * 1_000 });
    }
    await appendRecords(root, CAM1, records);
    const expected = new CameraIndex();
    for (const record of records) expected.apply(record);

    // One read of the whole file: without slices, all of it would be decoded and applied in one go.
    const adapter = new LabFormatAdapter({ root, chunkBytes: 64 * 1024 * 1024 });
    const spinner = concurrentTurns();
    const pace = new Pace(undefined, 1);
    const cam = await adapter.readCamera(CAM1, pace);
    const turns = spinner.stop();
    assert.deepEqual(
      cam.recorded,
      expected.entries.map((e) => ({ startMs: e.startMs, endMs: e.endMs, fps: e.fps })),
    );
    assert.equal(cam.recorded.length, 20_000);
    assert.ok(pace.turns >= 10, `slices: ${pace.turns}`);
    assert.ok(turns >= pace.turns, `a concurrent task ran ${turns} times`);
  });

  it('stops reading when its signal aborts', async () => {
    const root = await newStorage();
    const records: IndexRecord[] = Array.from({ length: 30_000 }, (_, k) => ({ op: 'block', startMs: BASE + k * 1_000, endMs: BASE + k * 1_000 + 900, fps: 10, frameCount: 10, bytes: 200, sha256: 'ab'.repeat(32) }));
    await appendRecords(root, CAM1, records);
    const controller = new AbortController();
    const pace = new Pace(controller.signal, 0);
    const reading = new LabFormatAdapter({ root, chunkBytes: 64 * 1024 }).readCamera(CAM1, pace);
    setImmediate(() => controller.abort(new Error('agent closing')));
    await assert.rejects(reading, /agent closing/);
    const aborted = new AbortController();
    aborted.abort(new Error('already closed'));
    await assert.rejects(new LabFormatAdapter({ root }).readCamera(CAM1, new Pace(aborted.signal)), /already closed/);
  });

  it('a camera folder without an index has no ranges', async () => {
    const root = await newStorage();
    await mkdir(blocksDir(root, CAM2), { recursive: true });
    assert.deepEqual(await new LabFormatAdapter({ root }).readCamera(CAM2), { cameraId: CAM2, recorded: [], placeholders: [], truncated: false });
  });

  it('lists camera folders only, sorted and bounded; refuses a folder that is not a lab-format storage', async () => {
    const root = await newStorage();
    const adapter = new LabFormatAdapter({ root });
    assert.deepEqual(await adapter.listCameras(10), { cameraIds: [], truncated: false }, 'no cameras/ yet');
    await appendRecords(root, CAM2, []);
    await appendRecords(root, CAM1, []);
    await writeFile(join(root, 'cameras', 'notes.txt'), 'x');
    await mkdir(join(root, 'cameras', 'NOT-A-GUID'));
    assert.deepEqual(await adapter.listCameras(10), { cameraIds: [CAM1, CAM2], truncated: false });
    const one = await adapter.listCameras(1);
    assert.equal(one.cameraIds.length, 1);
    assert.equal(one.truncated, true);

    const empty = await mkdtemp(join(tmpdir(), 'twinrec-adapter-'));
    roots.push(empty);
    await assert.rejects(new LabFormatAdapter({ root: empty }).listCameras(10), /not a lab-format storage/);
    await writeFile(join(empty, STORAGE_MARKER), '{"format":"something-else","version":1}');
    await assert.rejects(new LabFormatAdapter({ root: empty }).listCameras(10), /something-else/);
    await assert.rejects(new LabFormatAdapter({ root: join(empty, 'missing') }).listCameras(10), /not a lab-format storage/);
  });

  it('feeds the span math: recordings, a gap, and placeholders on another camera', async () => {
    const root = await newStorage();
    await appendRecords(root, CAM1, [await writeBlock(root, CAM1, BASE), await writeBlock(root, CAM1, BASE + 1_000), await writeBlock(root, CAM1, BASE + 3_000)]);
    await appendRecords(root, CAM2, [await writeBlock(root, CAM2, BASE), { op: 'placeholder', startMs: BASE + 1_000, endMs: BASE + 1_900, fps: 10 }]);
    const adapter = new LabFormatAdapter({ root });
    const { cameraIds } = await adapter.listCameras(10);
    const cameras = [];
    for (const id of cameraIds) cameras.push(await adapter.readCamera(id));
    const spans = storageSpans(cameras);
    assert.deepEqual(spans.cameraData, { oldestMs: BASE, newestMs: BASE + 4_000, spanMs: 4_000, coveredMs: 3_000, coveragePercent: 75 });
    assert.deepEqual(spans.placeholderData, { oldestMs: BASE + 1_000, newestMs: BASE + 2_000, spanMs: 1_000, coveredMs: 1_000, sharePercent: 20 });
  });
});
