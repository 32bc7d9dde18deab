// The lab-format backfill storage against real storage folders written with the media-store
// codec: placeholders under a live or dead recorder lock, split fills, refused fills that leave
// nothing behind, checked block reads, crash leftovers, and the index followed as others append.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockFileName, blockHeader, decodeIndex, encodeFrameRecord, encodeIndexRecord, sha256Hex, sliceBlock, type IndexRecord } from '../../media-store/format.js';
import { blockPath, blocksDir, indexPath, STORAGE_FORMAT, STORAGE_MARKER } from '../../media-store/layout.js';
import { BufferPool, directIoWorksIn, isPageAligned, pageBytes } from './buffer-pool.js';
import { HashPool } from './hash-pool.js';
import { LabFormatBackfill } from './lab-format-backfill.js';
import { BlockCorruptError, BlockExistsError, BlockNotFoundError, ChecksumMismatchError, InvalidBlockError, NotAPlaceholderError, PlaceholderConflictError, RecorderRunningError, StorageFullError, type StoredEntry } from './storage-adapter.js';

const CAM = '1e100000-0000-4000-8000-0000000000b1';
const CAM2 = '1e100000-0000-4000-8000-0000000000b2';
const BASE = 1_700_000_000_000;
const roots: string[] = [];
after(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

async function newStorage(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'twinrec-backfill-'));
  roots.push(root);
  await writeFile(join(root, STORAGE_MARKER), `${JSON.stringify(STORAGE_FORMAT)}\n`);
  return root;
}

/** A block file of `frames` frames at 10 fps from `startMs`, as a recorder writes it. */
function blockBytes(startMs: number, frames = 10): Buffer {
  const times = Array.from({ length: frames }, (_, k) => startMs + k * 100);
  return Buffer.concat([blockHeader(10), ...times.map((t) => encodeFrameRecord(t, Buffer.from(`frame ${t} `.repeat(8))))]);
}

function blockRecord(op: 'block' | 'fill', bytes: Buffer, startMs: number, frames = 10): IndexRecord {
  return { op, startMs, endMs: startMs + (frames - 1) * 100, fps: 10, frameCount: frames, bytes: bytes.length, sha256: sha256Hex(bytes) };
}

async function appendRecords(root: string, cameraId: string, records: IndexRecord[]): Promise<void> {
  await mkdir(blocksDir(root, cameraId), { recursive: true });
  await appendFile(indexPath(root, cameraId), records.map(encodeIndexRecord).join(''));
}

/** A block recorded by the recorder: its file and its index record. */
async function recordBlock(root: string, cameraId: string, startMs: number, frames = 10): Promise<Buffer> {
  const bytes = blockBytes(startMs, frames);
  await mkdir(blocksDir(root, cameraId), { recursive: true });
  await writeFile(blockPath(root, cameraId, startMs), bytes);
  await appendRecords(root, cameraId, [blockRecord('block', bytes, startMs, frames)]);
  return bytes;
}

const shape = (entries: readonly StoredEntry[]) => entries.map((e) => [e.state, e.startMs - BASE, e.endMs - BASE]);
const files = async (root: string, cameraId = CAM): Promise<string[]> => (await readdir(blocksDir(root, cameraId))).sort();
const indexText = async (root: string, cameraId = CAM): Promise<string> => readFile(indexPath(root, cameraId), 'utf8').catch(() => '');

/** The pid of a process that has exited (spawned here and waited for). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  assert.ok(child.pid !== undefined);
  return child.pid;
}

describe('lab-format backfill storage', () => {
  it('creates placeholders only while no live recorder holds the storage', async () => {
    const root = await newStorage();
    const storage = new LabFormatBackfill({ root });
    const ranges = [{ startMs: BASE, endMs: BASE + 9_900, fps: 10 }];
    assert.equal(await storage.recorderHoldsStorage(), false, 'no lock');

    await writeFile(join(root, 'recorder.lock'), JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
    assert.equal(await storage.recorderHoldsStorage(), true, 'a live pid');
    await assert.rejects(storage.createPlaceholders(CAM, ranges), RecorderRunningError);
    assert.equal(existsSync(indexPath(root, CAM)), false, 'nothing written');

    await writeFile(join(root, 'recorder.lock'), JSON.stringify({ pid: await deadPid(), since: new Date().toISOString() }));
    assert.equal(await storage.recorderHoldsStorage(), false, 'a dead pid (a crashed recorder)');
    await writeFile(join(root, 'recorder.lock'), '{"pid":');
    assert.equal(await storage.recorderHoldsStorage(), false, 'a garbled lock');
    assert.equal(await storage.createPlaceholders(CAM, ranges), 1);
    assert.deepEqual(shape(await storage.readEntries(CAM)), [['placeholder', 0, 9_900]]);
  });

  it('creates camera folders, skips placeholders already there, and refuses overlaps before writing anything', async () => {
    const root = await newStorage();
    const storage = new LabFormatBackfill({ root });
    await recordBlock(root, CAM2, BASE + 20_000);
    // A camera without a folder yet: created, with its index and blocks/.
    assert.equal(await storage.createPlaceholders(CAM, [{ startMs: BASE + 10_000, endMs: BASE + 19_900, fps: 10 }, { startMs: BASE, endMs: BASE + 9_900, fps: 25 }]), 2);
    assert.deepEqual(await files(root), []);
    assert.deepEqual(shape(await storage.readEntries(CAM)), [
      ['placeholder', 0, 9_900],
      ['placeholder', 10_000, 19_900],
    ]);
    assert.equal((await storage.readEntries(CAM))[0]?.fps, 25);
    assert.deepEqual((await storage.listCameras(10)).cameraIds, [CAM, CAM2]);
    // The same again (a retried plan), and one new one.
    assert.equal(await storage.createPlaceholders(CAM, [{ startMs: BASE, endMs: BASE + 9_900, fps: 25 }, { startMs: BASE + 30_000, endMs: BASE + 30_900, fps: 10 }]), 1);
    assert.equal(await storage.createPlaceholders(CAM, [{ startMs: BASE, endMs: BASE + 9_900, fps: 25 }]), 0);

    const before = await indexText(root, CAM2);
    const refusals: Array<[string, { startMs: number; endMs: number; fps: number }[]]> = [
      ['overlaps a recorded block', [{ startMs: BASE + 20_500, endMs: BASE + 35_000, fps: 10 }]],
      ['touches its last frame', [{ startMs: BASE + 20_900, endMs: BASE + 21_000, fps: 10 }]],
      ['covers it', [{ startMs: BASE + 10_000, endMs: BASE + 30_000, fps: 10 }]],
      ['overlaps another new one', [{ startMs: BASE, endMs: BASE + 1_000, fps: 10 }, { startMs: BASE + 500, endMs: BASE + 1_500, fps: 10 }]],
      ['the first is fine, the second is not: neither is written', [{ startMs: BASE, endMs: BASE + 1_000, fps: 10 }, { startMs: BASE + 20_500, endMs: BASE + 22_000, fps: 10 }]],
    ];
    for (const [why, ranges] of refusals) await assert.rejects(storage.createPlaceholders(CAM2, ranges), PlaceholderConflictError, why);
    assert.equal(await indexText(root, CAM2), before);
    await assert.rejects(storage.createPlaceholders(CAM2, [{ startMs: BASE + 1_000, endMs: BASE, fps: 10 }]), /ends .* before it starts/);
    await assert.rejects(storage.createPlaceholders(CAM2, [{ startMs: BASE, endMs: BASE + 1_000, fps: 0 }]), /fps/);
    await assert.rejects(storage.createPlaceholders('../../etc', [{ startMs: BASE, endMs: BASE + 1_000, fps: 10 }]), /bad camera id/);
    assert.equal(await indexText(root, CAM2), before);
  });

  it('refuses a placeholder over a block file the index does not list yet (the recorder indexes it on its next open)', async () => {
    const root = await newStorage();
    const storage = new LabFormatBackfill({ root });
    await recordBlock(root, CAM, BASE);
    await writeFile(blockPath(root, CAM, BASE + 5_000), blockBytes(BASE + 5_000, 5));
    await assert.rejects(storage.createPlaceholders(CAM, [{ startMs: BASE + 1_000, endMs: BASE + 5_000, fps: 10 }]), PlaceholderConflictError);
    assert.equal(await storage.createPlaceholders(CAM, [{ startMs: BASE + 1_000, endMs: BASE + 4_999, fps: 10 }, { startMs: BASE + 5_401, endMs: BASE + 9_000, fps: 10 }]), 2);
  });

  it('fills placeholders with whole blocks and slices, splitting them; the same fill again is a duplicate', async () => {
    const root = await newStorage();
    const storage = new LabFormatBackfill({ root });
    await recordBlock(root, CAM, BASE);
    assert.equal(await storage.createPlaceholders(CAM, [{ startMs: BASE + 1_000, endMs: BASE + 39_900, fps: 10 }]), 1);
    // The peer's blocks: [10 s, 11 s), [20 s, 21 s) and [30 s, 31 s), 10 frames each.
    const peer = [10_000, 20_000, 30_000].map((t) => blockBytes(BASE + t));
    const [b10, b20, b30] = peer as [Buffer, Buffer, Buffer];

    assert.equal(await storage.fill(CAM, b20, sha256Hex(b20)), 'applied');
    assert.equal(await storage.fill(CAM, b20, sha256Hex(b20)), 'duplicate');
    // Frames 10.5 s to 10.9 s of a block (the node held the first half already, say).
    const half = sliceBlock(b10, BASE + 10_500, BASE + 10_900);
    assert.ok(half !== null);
    assert.equal(await storage.fill(CAM, half, sha256Hex(half)), 'applied');
    // Two fills at once into what is left: one at a time, both land.
    const head = sliceBlock(b30, BASE + 30_000, BASE + 30_400) as Buffer;
    const tail = sliceBlock(b30, BASE + 30_500, BASE + 30_900) as Buffer;
    assert.deepEqual(await Promise.all([storage.fill(CAM, tail, sha256Hex(tail)), storage.fill(CAM, head, sha256Hex(head))]), ['applied', 'applied']);

    assert.deepEqual(shape(await storage.readEntries(CAM)), [
      ['recorded', 0, 900],
      ['placeholder', 1_000, 10_499],
      ['filled', 10_500, 10_900],
      ['placeholder', 10_901, 19_999],
      ['filled', 20_000, 20_900],
      ['placeholder', 20_901, 29_999],
      ['filled', 30_000, 30_400],
      // Between the two halves' frames: pending until filled or deleted (the peer has no frame there).
      ['placeholder', 30_401, 30_499],
      ['filled', 30_500, 30_900],
      ['placeholder', 30_901, 39_900],
    ]);
    // Block files named by their first frame, byte for byte what was sent, and no temporary file left.
    assert.deepEqual(await files(root), [BASE, BASE + 10_500, BASE + 20_000, BASE + 30_000, BASE + 30_500].map(blockFileName));
    assert.deepEqual((await storage.readBlock(CAM, BASE + 20_000)).bytes, b20);
    assert.deepEqual((await storage.readBlock(CAM, BASE + 10_500)).bytes, half);
    // The index as the recorder reads it: one record per change, every one valid.
    const records = decodeIndex(await readFile(indexPath(root, CAM)));
    assert.equal(records.clean, true);
    assert.deepEqual(
      records.records.map((r) => r.op),
      ['block', 'placeholder', 'fill', 'fill', 'fill', 'fill'],
    );
    // A fresh reader (another agent process, say) sees the same.
    assert.deepEqual(await new LabFormatBackfill({ root }).readEntries(CAM), await storage.readEntries(CAM));
  });

  it('refuses a fill whose bytes do not match the expected SHA-256, or are not a whole block, and leaves no file', async () => {
    const root = await newStorage();
    const storage = new LabFormatBackfill({ root });
    await storage.createPlaceholders(CAM, [{ startMs: BASE, endMs: BASE + 9_900, fps: 10 }]);
    const bytes = blockBytes(BASE);
    const flipped = Buffer.from(bytes);
    flipped.writeUInt8((flipped.at(-1) ?? 0) ^ 1, flipped.length - 1);
    const index = await indexText(root);
    // Checked once, over the file as it reads back: the error still says the bytes given were wrong, not the disk.
    await assert.rejects(storage.fill(CAM, flipped, sha256Hex(bytes)), (err: unknown) => err instanceof ChecksumMismatchError && /block bytes have SHA-256 [0-9a-f]{64}, not/.test(err.message), 'corrupted in transit');
    const torn = bytes.subarray(0, bytes.length - 3);
    await assert.rejects(storage.fill(CAM, torn, sha256Hex(torn)), InvalidBlockError, 'a torn block, whatever its checksum');
    await assert.rejects(storage.fill(CAM, bytes, 'AB'.repeat(32)), /64 lower-case hex/);
    assert.deepEqual(await files(root), []);
    assert.equal(await indexText(root), index);
    assert.equal(await storage.fill(CAM, bytes, sha256Hex(bytes)), 'applied');
  });

  it('fills without checking frame CRCs when told to (the digest covers them), yet never writes bytes that differ from the digest', async () => {
    const root = await newStorage();
    const storage = new LabFormatBackfill({ root });
    await storage.createPlaceholders(CAM, [{ startMs: BASE, endMs: BASE + 29_900, fps: 10 }]);
    const bytes = blockBytes(BASE);
    const index = await indexText(root);
    // The caller's claim is not taken for the bytes on disk: what reads back must hash to the digest.
    const flipped = Buffer.from(bytes);
    flipped.writeUInt8((flipped.at(-1) ?? 0) ^ 1, flipped.length - 1);
    await assert.rejects(storage.fill(CAM, flipped, sha256Hex(bytes), { checkFrameCrcs: false }), ChecksumMismatchError, 'the read-back catches it');
    const torn = bytes.subarray(0, bytes.length - 3);
    await assert.rejects(storage.fill(CAM, torn, sha256Hex(torn), { checkFrameCrcs: false }), InvalidBlockError, 'frame headers are still read');
    await assert.rejects(storage.fill(CAM, blockHeader(10), sha256Hex(blockHeader(10)), { checkFrameCrcs: false }), InvalidBlockError, 'no frame');
    assert.deepEqual(await files(root), [], 'no block file, nor a temporary one');
    assert.equal(await indexText(root), index);

    assert.equal(await storage.fill(CAM, bytes, sha256Hex(bytes), { checkFrameCrcs: false }), 'applied');
    assert.equal(await storage.fill(CAM, bytes, sha256Hex(bytes), { checkFrameCrcs: false }), 'duplicate');
    const slice = sliceBlock(blockBytes(BASE + 20_000), BASE + 20_300, BASE + 20_600) as Buffer;
    assert.equal(await storage.fill(CAM, slice, sha256Hex(slice), { checkFrameCrcs: false }), 'applied');
    assert.deepEqual((await storage.readBlock(CAM, BASE)).bytes, bytes);
    assert.deepEqual(
      (await storage.readEntries(CAM)).filter((e) => e.state === 'filled'),
      [
        { state: 'filled', startMs: BASE, endMs: BASE + 900, fps: 10, frameCount: 10, bytes: bytes.length, sha256: sha256Hex(bytes) },
        { state: 'filled', startMs: BASE + 20_300, endMs: BASE + 20_600, fps: 10, frameCount: 4, bytes: slice.length, sha256: sha256Hex(slice) },
      ],
    );
  });

  it('indexes a block without checking its frame CRCs exactly as one it checks them of (property: random blocks, whole or cut)', async () => {
    const block = fc
      .record({
        fps: fc.integer({ min: 1, max: 1000 }),
        frames: fc.array(fc.record({ gapMs: fc.integer({ min: 1, max: 2_000 }), payloadBytes: fc.integer({ min: 0, max: 300 }) }), { minLength: 1, maxLength: 12 }),
        cutBytes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 })),
      })
      .map(({ fps, frames, cutBytes }) => {
        let timeMs = BASE;
        const records = frames.map(({ gapMs, payloadBytes }) => encodeFrameRecord((timeMs += gapMs), Buffer.alloc(payloadBytes, gapMs % 251)));
        const whole = Buffer.concat([blockHeader(fps), ...records]);
        return whole.subarray(0, Math.max(0, whole.length - cutBytes));
      });
    const outcome = async (storage: LabFormatBackfill, bytes: Buffer, framesChecked: boolean): Promise<unknown> => {
      try {
        await storage.fill(CAM, bytes, sha256Hex(bytes), { checkFrameCrcs: !framesChecked });
        return (await storage.readEntries(CAM)).filter((e) => e.state === 'filled');
      } catch (err) {
        return (err as Error).name;
      }
    };
    await fc.assert(
      fc.asyncProperty(block, async (bytes) => {
        const [checked, verified] = [new LabFormatBackfill({ root: await newStorage() }), new LabFormatBackfill({ root: await newStorage() })];
        for (const storage of [checked, verified]) await storage.createPlaceholders(CAM, [{ startMs: BASE, endMs: BASE + 100_000, fps: 10 }]);
        assert.deepEqual(await outcome(verified, bytes, true), await outcome(checked, bytes, false));
      }),
      { numRuns: Number(process.env.TWINREC_PROPERTY_RUNS ?? 40) },
    );
  });

  it('never replaces an existing block file; the same bytes left by an attempt that stopped before its record are taken', async () => {
    const root = await newStorage();
    const storage = new LabFormatBackfill({ root });
    await storage.createPlaceholders(CAM, [{ startMs: BASE, endMs: BASE + 19_900, fps: 10 }]);
    const bytes = blockBytes(BASE);
    await writeFile(blockPath(root, CAM, BASE), 'not the block');
    const index = await indexText(root);
    await assert.rejects(storage.fill(CAM, bytes, sha256Hex(bytes)), BlockExistsError);
    assert.equal(await readFile(blockPath(root, CAM, BASE), 'utf8'), 'not the block');
    assert.deepEqual(await files(root), [blockFileName(BASE)], 'no temporary file left');
    assert.equal(await indexText(root), index);

    const next = blockBytes(BASE + 10_000);
    await writeFile(blockPath(root, CAM, BASE + 10_000), next);
    assert.equal(await storage.fill(CAM, next, sha256Hex(next)), 'applied');
    assert.equal((await storage.readEntries(CAM)).find((e) => e.startMs === BASE + 10_000)?.state, 'filled');
  });

  it('refuses a fill outside a pending placeholder: over recorded data, across a placeholder edge, or where there is none', async () => {
    const root = await newStorage();
    const storage = new LabFormatBackfill({ root });
    const recorded = await recordBlock(root, CAM, BASE);
    await storage.createPlaceholders(CAM, [{ startMs: BASE + 1_000, endMs: BASE + 1_500, fps: 10 }]);
    const index = await indexText(root);
    const crossing = blockBytes(BASE + 1_000, 10);
    const nowhere = blockBytes(BASE + 50_000);
    const other = blockBytes(BASE + 1, 5);
    await assert.rejects(storage.fill(CAM, recorded, sha256Hex(recorded)), NotAPlaceholderError, 'recorded data is never filled');
    await assert.rejects(storage.fill(CAM, other, sha256Hex(other)), NotAPlaceholderError, 'inside recorded data');
    await assert.rejects(storage.fill(CAM, crossing, sha256Hex(crossing)), NotAPlaceholderError, 'crosses the placeholder end');
    await assert.rejects(storage.fill(CAM, nowhere, sha256Hex(nowhere)), NotAPlaceholderError, 'no placeholder');
    await assert.rejects(storage.fill(CAM2, nowhere, sha256Hex(nowhere)), NotAPlaceholderError, 'a camera without an index');
    assert.deepEqual(await files(root), [blockFileName(BASE)]);
    assert.equal(await indexText(root), index);
  });

  it('reports a full disk as StorageFullError and leaves nothing behind', { skip: !existsSync('/dev/full') && 'needs /dev/full' }, async () => {
    const root = await newStorage();
    const storage = new LabFormatBackfill({ root });
    await storage.createPlaceholders(CAM, [{ startMs: BASE, endMs: BASE + 9_900, fps: 10 }]);
    const bytes = blockBytes(BASE);
    // The temporary file is a link to /dev/full, whose every write fails with ENOSPC.
    await symlink('/dev/full', `${blockPath(root, CAM, BASE)}.tmp`);
    const index = await indexText(root);
    assert.equal(storage.directIoInUse, true, 'on until a direct write is refused');
    await assert.rejects(storage.fill(CAM, bytes, sha256Hex(bytes)), (err: unknown) => err instanceof StorageFullError && err.name === 'StorageFullError');
    assert.equal(storage.directIoInUse, false, '/dev/full (or a file system without direct I/O) refuses O_DIRECT: the write went through the page cache, and so do the next');
    assert.deepEqual(await files(root), []);
    assert.equal(await indexText(root), index);
    assert.equal(await storage.fill(CAM, bytes, sha256Hex(bytes)), 'applied', 'once space is there');
    assert.ok((await readFile(blockPath(root, CAM, BASE))).equals(bytes));
  });

  it('reads recorded and filled blocks checked against the index', async () => {
    const root = await newStorage();
    const storage = new LabFormatBackfill({ root });
    const recorded = await recordBlock(root, CAM, BASE);
    await recordBlock(root, CAM, BASE + 1_000);
    await storage.createPlaceholders(CAM, [{ startMs: BASE + 2_000, endMs: BASE + 9_900, fps: 10 }]);
    assert.deepEqual((await storage.readBlock(CAM, BASE)).bytes, recorded);
    await assert.rejects(storage.readBlock(CAM, BASE + 2_000), BlockNotFoundError, 'a placeholder has no block');
    await assert.rejects(storage.readBlock(CAM, BASE + 500), BlockNotFoundError, 'no block starts there');
    // One flipped bit on disk, same size: the checksum tells.
    const flipped = Buffer.from(recorded);
    flipped.writeUInt8((flipped.at(40) ?? 0) ^ 4, 40);
    await writeFile(blockPath(root, CAM, BASE), flipped);
    await assert.rejects(storage.readBlock(CAM, BASE), (err: unknown) => err instanceof BlockCorruptError && err.name === 'BlockCorruptError');
    await writeFile(blockPath(root, CAM, BASE + 1_000), 'short');
    await assert.rejects(storage.readBlock(CAM, BASE + 1_000), BlockCorruptError, 'truncated');
    await rm(blockPath(root, CAM, BASE + 1_000));
    await assert.rejects(storage.readBlock(CAM, BASE + 1_000), BlockCorruptError, 'missing while indexed');
    // Removed by retention (the delete record comes first): gone, not corrupt.
    await appendRecords(root, CAM, [{ op: 'delete', startMs: BASE + 1_000 }]);
    await assert.rejects(storage.readBlock(CAM, BASE + 1_000), BlockNotFoundError);
  });

  it('reads and fills megabyte blocks through reused buffers: every read and every read-back sees its own bytes, hashed on a worker thread', async () => {
    const source = await newStorage();
    const target = await newStorage();
    const reader = new LabFormatBackfill({ root: source });
    const hashPool = new HashPool({ workersMax: 1 });
    after(() => hashPool.close());
    const writer = new LabFormatBackfill({ root: target, hashPool });
    /** 1 s of 10 frames of 100 kB of random bytes: a block large enough to be pooled. */
    const big = (startMs: number): Buffer => Buffer.concat([blockHeader(10), ...Array.from({ length: 10 }, (_, k) => encodeFrameRecord(startMs + k * 100, randomBytes(100_000)))]);
    const starts = [BASE, BASE + 1_000, BASE + 2_000];
    const written = new Map<number, Buffer>();
    for (const startMs of starts) {
      const bytes = big(startMs);
      written.set(startMs, bytes);
      await mkdir(blocksDir(source, CAM), { recursive: true });
      await writeFile(blockPath(source, CAM, startMs), bytes);
      await appendRecords(source, CAM, [blockRecord('block', bytes, startMs)]);
    }
    await writer.createPlaceholders(CAM, [{ startMs: BASE, endMs: BASE + 2_900, fps: 10 }]);
    // A digest the bytes do not have is refused by the worker's hash as by the caller's: nothing named.
    const wrong = await reader.readBlock(CAM, BASE);
    await assert.rejects(writer.fill(CAM, wrong.bytes, sha256Hex(written.get(BASE + 1_000) as Buffer)), ChecksumMismatchError);
    wrong.release?.();
    assert.deepEqual(await files(target), []);
    const first = await reader.readBlock(CAM, BASE);
    assert.ok(first.bytes.equals(written.get(BASE) as Buffer));
    const firstMemory = first.bytes.buffer;
    assert.equal(await writer.fill(CAM, first.bytes, sha256Hex(first.bytes)), 'applied');
    first.release?.();
    const second = await reader.readBlock(CAM, BASE + 1_000);
    assert.equal(second.bytes.buffer, firstMemory, 'the released buffer is read into again');
    assert.ok(second.bytes.equals(written.get(BASE + 1_000) as Buffer));
    const third = await reader.readBlock(CAM, BASE + 2_000);
    assert.notEqual(third.bytes.buffer, second.bytes.buffer, 'a buffer still held is never read into');
    assert.equal(await writer.fill(CAM, third.bytes, sha256Hex(third.bytes), { checkFrameCrcs: false }), 'applied');
    assert.equal(await writer.fill(CAM, second.bytes, sha256Hex(second.bytes), { checkFrameCrcs: false }), 'applied');
    assert.ok(second.bytes.equals(written.get(BASE + 1_000) as Buffer), 'a fill leaves the bytes it was given as they were');
    for (const startMs of starts) {
      assert.ok((await readFile(blockPath(target, CAM, startMs))).equals(written.get(startMs) as Buffer));
      const back = await writer.readBlock(CAM, startMs);
      assert.ok(back.bytes.equals(written.get(startMs) as Buffer));
      back.release?.();
    }
    assert.deepEqual(shape((await writer.readEntries(CAM)).filter((e) => e.state === 'filled')), starts.map((startMs) => ['filled', startMs - BASE, startMs - BASE + 900]));
    assert.deepEqual(hashPool.stats, { inWorkers: 4, onCaller: 0, workerFailures: 0 }, 'every read-back (the refused one too) hashed on the worker');
  });

  it('writes and reads back fills with O_DIRECT: a pooled buffer as it is, any other through a page-aligned copy, with or without a partial last page', async () => {
    /** A block of `frames` frames of `payloadBytes` random bytes at 10 fps from `startMs`. */
    const random = (startMs: number, frames: number, payloadBytes: number): Buffer => Buffer.concat([blockHeader(10), ...Array.from({ length: frames }, (_, k) => encodeFrameRecord(startMs + k * 100, randomBytes(payloadBytes)))]);
    const pooled = new BufferPool().take(1_000_156);
    random(BASE, 10, 100_000).copy(pooled);
    const blocks = [
      { startMs: BASE, bytes: pooled },
      // 16 + 2 × (14 + 4074) bytes: exactly two pages, no partial one.
      { startMs: BASE + 1_000, bytes: random(BASE + 1_000, 2, 4_074) },
      // Under a page: all of it is the partial last page.
      { startMs: BASE + 2_000, bytes: blockBytes(BASE + 2_000) },
      // Not from a pool: written through a page-aligned copy.
      { startMs: BASE + 3_000, bytes: random(BASE + 3_000, 10, 50_000) },
    ];
    assert.ok(isPageAligned(pooled) && pooled.length % pageBytes !== 0, 'the pooled block: page-aligned, with a partial last page');
    assert.equal((blocks[1] as { bytes: Buffer }).bytes.length, 2 * pageBytes);
    assert.ok(!isPageAligned((blocks[3] as { bytes: Buffer }).bytes));
    for (const directIo of [true, false]) {
      const root = await newStorage();
      const storage = new LabFormatBackfill({ root, directIo });
      await storage.createPlaceholders(CAM, [{ startMs: BASE, endMs: BASE + 3_900, fps: 10 }]);
      for (const { bytes } of blocks) assert.equal(await storage.fill(CAM, bytes, sha256Hex(bytes), { checkFrameCrcs: false }), 'applied');
      // On where asked and the file system takes it (a tmpfs does not: the storage falls back at its first write).
      assert.equal(storage.directIoInUse, directIo && (await directIoWorksIn(root)), 'direct I/O stays on (nothing was refused), or off as asked');
      assert.deepEqual(await files(root), blocks.map((b) => blockFileName(b.startMs)), 'every block named, no temporary file left');
      for (const { startMs, bytes } of blocks) assert.ok((await readFile(blockPath(root, CAM, startMs))).equals(bytes), `block ${startMs - BASE} byte for byte, ${directIo ? 'direct' : 'buffered'}`);
      // Bytes damaged on their way in are found by the read-back hash either way, and leave nothing.
      const next = random(BASE + 5_000, 10, 100_000);
      await storage.createPlaceholders(CAM, [{ startMs: BASE + 5_000, endMs: BASE + 5_900, fps: 10 }]);
      const damaged = Buffer.from(next);
      damaged.writeUInt8((damaged.at(500_000) ?? 0) ^ 1, 500_000);
      await assert.rejects(storage.fill(CAM, damaged, sha256Hex(next), { checkFrameCrcs: false }), ChecksumMismatchError);
      assert.deepEqual(await files(root), blocks.map((b) => blockFileName(b.startMs)));
      assert.equal(await storage.fill(CAM, next, sha256Hex(next), { checkFrameCrcs: false }), 'applied');
    }
  });

  it('finds the valid frames of block files the index does not list (a crashed recorder\'s open block), as the recorder will index them', async () => {
    const root = await newStorage();
    const storage = new LabFormatBackfill({ root });
    await recordBlock(root, CAM, BASE);
    // The open block when the recorder died: three whole frames and half of a fourth.
    const open = blockBytes(BASE + 1_000, 4);
    await writeFile(blockPath(root, CAM, BASE + 1_000), open.subarray(0, open.length - 30));
    // What the recorder removes on open instead: a block whose deletion a crash interrupted,
    // a file without a whole frame, a fill's leftover inside a placeholder, a temporary file.
    await recordBlock(root, CAM, BASE + 5_000);
    await appendRecords(root, CAM, [{ op: 'delete', startMs: BASE + 5_000 }]);
    await writeFile(blockPath(root, CAM, BASE + 6_000), blockHeader(10));
    await appendRecords(root, CAM, [{ op: 'placeholder', startMs: BASE + 7_000, endMs: BASE + 8_900, fps: 10 }]);
    await writeFile(blockPath(root, CAM, BASE + 7_500), blockBytes(BASE + 7_500, 3));
    await writeFile(`${blockPath(root, CAM, BASE + 9_000)}.tmp`, blockBytes(BASE + 9_000));
    assert.deepEqual(await storage.unindexedRanges(CAM), [{ startMs: BASE + 1_000, endMs: BASE + 1_200, fps: 10 }]);
    assert.deepEqual(await storage.unindexedRanges(CAM2), [], 'a camera without a folder');
    // Once the recorder has indexed it, it is an entry like any other.
    const whole = open.subarray(0, open.length - (14 + 160));
    await writeFile(blockPath(root, CAM, BASE + 1_000), whole);
    await appendRecords(root, CAM, [blockRecord('block', whole, BASE + 1_000, 3)]);
    assert.deepEqual(await storage.unindexedRanges(CAM), []);
  });

  it('deletes pending placeholders, never recorded or filled data', async () => {
    const root = await newStorage();
    const storage = new LabFormatBackfill({ root });
    await recordBlock(root, CAM, BASE);
    await storage.createPlaceholders(CAM, [{ startMs: BASE + 1_000, endMs: BASE + 9_900, fps: 10 }]);
    const piece = blockBytes(BASE + 3_000, 5);
    await storage.fill(CAM, piece, sha256Hex(piece));
    await assert.rejects(storage.deletePlaceholder(CAM, BASE), NotAPlaceholderError);
    await assert.rejects(storage.deletePlaceholder(CAM, BASE + 3_000), NotAPlaceholderError);
    const index = await indexText(root);
    await storage.deletePlaceholder(CAM, BASE + 3_401);
    await storage.deletePlaceholder(CAM, BASE + 3_401);
    await storage.deletePlaceholder(CAM, BASE + 12_345);
    assert.equal((await indexText(root)).length > index.length, true);
    assert.deepEqual(shape(await storage.readEntries(CAM)), [
      ['recorded', 0, 900],
      ['placeholder', 1_000, 2_999],
      ['filled', 3_000, 3_400],
    ]);
    assert.deepEqual((await storage.readBlock(CAM, BASE)).bytes, blockBytes(BASE));
  });

  it('follows the index as others append to it, and reads it anew once the recorder compacts it (a new file)', async () => {
    const root = await newStorage();
    const storage = new LabFormatBackfill({ root, chunkBytes: 1024 });
    for (let k = 0; k < 50; k += 1) await recordBlock(root, CAM, BASE + k * 1_000);
    assert.equal((await storage.readEntries(CAM)).length, 50);
    // The recorder goes on: retention, a new block, and a record still being written.
    await appendRecords(root, CAM, [{ op: 'delete', startMs: BASE }]);
    await recordBlock(root, CAM, BASE + 50_000);
    const torn = encodeIndexRecord({ op: 'delete', startMs: BASE + 1_000 });
    await appendFile(indexPath(root, CAM), torn.slice(0, 20));
    const entries = await storage.readEntries(CAM);
    assert.deepEqual([entries.length, entries[0]?.startMs, entries.at(-1)?.startMs], [50, BASE + 1_000, BASE + 50_000]);
    await appendFile(indexPath(root, CAM), torn.slice(20));
    assert.equal((await storage.readEntries(CAM))[0]?.startMs, BASE + 2_000, 'the torn record, once whole');
    // A compaction: the index replaced by a shorter file with one record per entry.
    const compacted = (await storage.readEntries(CAM)).slice(10).map((e): IndexRecord => ({ op: 'block', startMs: e.startMs, endMs: e.endMs, fps: e.fps, frameCount: e.frameCount, bytes: e.bytes, sha256: e.sha256 ?? '' }));
    await writeFile(`${indexPath(root, CAM)}.tmp`, compacted.map(encodeIndexRecord).join(''));
    await rename(`${indexPath(root, CAM)}.tmp`, indexPath(root, CAM));
    assert.deepEqual(
      (await storage.readEntries(CAM)).map((e) => e.startMs),
      compacted.map((r) => r.startMs),
    );
    // Compacted again, then grown past the length read before it was looked at: still told
    // apart from the file it replaced (which it does not continue).
    const before = (await stat(indexPath(root, CAM))).size;
    await writeFile(`${indexPath(root, CAM)}.tmp`, compacted.slice(5).map(encodeIndexRecord).join(''));
    await rename(`${indexPath(root, CAM)}.tmp`, indexPath(root, CAM));
    for (let k = 51; (await stat(indexPath(root, CAM))).size < before + 100; k += 1) await recordBlock(root, CAM, BASE + k * 1_000);
    const fresh = await new LabFormatBackfill({ root }).readEntries(CAM);
    assert.equal(fresh[0]?.startMs, compacted[5]?.startMs);
    assert.deepEqual(await storage.readEntries(CAM), fresh);
  });

  it('cuts a torn index tail left by a crash before appending while the recorder is stopped, so records never glue onto it', async () => {
    const root = await newStorage();
    const storage = new LabFormatBackfill({ root });
    await recordBlock(root, CAM, BASE);
    await appendFile(indexPath(root, CAM), '{"op":"block","startMs":17');
    assert.equal(await storage.createPlaceholders(CAM, [{ startMs: BASE + 1_000, endMs: BASE + 9_900, fps: 10 }]), 1);
    const decoded = decodeIndex(await readFile(indexPath(root, CAM)));
    assert.equal(decoded.clean, true);
    assert.deepEqual(
      decoded.records.map((r) => r.op),
      ['block', 'placeholder'],
    );
    // A corrupt record in the middle: the recorder truncates there on open, so nothing is appended after it.
    await appendFile(indexPath(root, CAM), 'garbage that is not a record\n');
    await assert.rejects(storage.deletePlaceholder(CAM, BASE + 1_000), /corrupt record/);
  });

  it('says how much space is free', async () => {
    const root = await newStorage();
    const free = await new LabFormatBackfill({ root }).freeBytes();
    assert.ok(Number.isSafeInteger(free) && free > 0, String(free));
    assert.ok((await stat(root)).isDirectory());
  });
});
