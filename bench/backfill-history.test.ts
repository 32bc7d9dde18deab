import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { CameraIndex } from '../media-store/camera-index.js';
import { decodeBlock, decodeIndex, sha256Hex } from '../media-store/format.js';
import { blockPath, indexPath } from '../media-store/layout.js';
import { blockFileBytes, gridFrameTimes, historyBlock, historySlots, writeHistory } from './backfill-history.js';

describe('grid frame times', () => {
  it('are floor(n × 1000 / fps) within the window, both ends included', () => {
    assert.deepEqual(gridFrameTimes(1_000, 1_300, 10), [1_000, 1_100, 1_200, 1_300]);
    assert.deepEqual(gridFrameTimes(1_001, 1_299, 10), [1_100, 1_200]);
    assert.deepEqual(gridFrameTimes(0, 100, 30), [0, 33, 66, 100]);
    assert.deepEqual(gridFrameTimes(5, 4, 10), []);
  });

  it('hold exactly fps frames per second, strictly increasing, for any fps and window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 4_000_000_000 }), (fps, startS) => {
        const fromMs = startS * 1000;
        const times = gridFrameTimes(fromMs, fromMs + 999, fps);
        assert.equal(times.length, fps);
        for (let i = 1; i < times.length; i += 1) assert.ok((times[i] as number) > (times[i - 1] as number));
        assert.ok(times.every((t) => t >= fromMs && t <= fromMs + 999));
      }),
    );
  });
});

describe('history slots', () => {
  it('are whole slots aligned to the epoch, oldest first, ending at or before the end', () => {
    const slots = historySlots(65_432, 10_000, 3, 10);
    assert.deepEqual(slots.map((s) => s.slotStartMs), [30_000, 40_000, 50_000]);
    assert.equal(slots[2]?.frameTimesMs.length, 100);
    assert.equal(slots[2]?.frameTimesMs.at(-1), 59_900);
  });

  it('refuse what does not fit', () => {
    assert.throws(() => historySlots(10_000, 10_000, 2, 10), /do not fit/);
    assert.throws(() => historySlots(10_000, 10_000, 0, 10), /slot count/);
  });
});

describe('history blocks', () => {
  it('decode cleanly with the frame times asked for, at the size blockFileBytes says', () => {
    const times = [1_000, 1_100, 1_200];
    const bytes = historyBlock(10, times, 500);
    const block = decodeBlock(bytes);
    assert.ok(block.clean);
    assert.equal(block.fps, 10);
    assert.deepEqual(block.frames.map((f) => f.timeMs), times);
    assert.equal(bytes.length, blockFileBytes(times.length, 500));
  });

  it('hold random payloads: two blocks of the same times differ', () => {
    assert.notEqual(sha256Hex(historyBlock(10, [0, 100], 1_000)), sha256Hex(historyBlock(10, [0, 100], 1_000)));
  });
});

describe('writeHistory', () => {
  const root = mkdtempSync(join(tmpdir(), 'twinrec-bench-history-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const cameraIds = ['1e100000-0000-4000-8000-000000000001', '1e100000-0000-4000-8000-000000000002'];

  it("writes each camera's blocks and indexes them as recorded blocks whose records match the files", async () => {
    const written = await writeHistory(root, cameraIds, { fps: 10, blockDurationMs: 2_000, frameBytes: 1_000, blocksPerCamera: 3, endMs: 1_700_000_001_234 });
    assert.equal(written.blocks, 6);
    assert.equal(written.fromMs, 1_699_999_994_000);
    assert.equal(written.toMs, 1_699_999_999_900);
    let bytes = 0;
    for (const cameraId of cameraIds) {
      const decoded = decodeIndex(readFileSync(indexPath(root, cameraId)));
      assert.ok(decoded.clean);
      const index = new CameraIndex();
      for (const record of decoded.records) assert.equal(index.apply(record), 'applied');
      assert.deepEqual(index.entries.map((e) => e.state), ['recorded', 'recorded', 'recorded']);
      for (const entry of index.entries) {
        const file = readFileSync(blockPath(root, cameraId, entry.startMs));
        assert.equal(sha256Hex(file), entry.sha256);
        assert.equal(file.length, entry.bytes);
        assert.equal(decodeBlock(file).frames.length, entry.frameCount);
        assert.equal(entry.frameCount, 20);
        bytes += file.length;
      }
      assert.equal(written.files.get(cameraId)?.length, 3);
    }
    assert.equal(written.bytes, bytes);
  });

  it('never replaces a block file that exists', async () => {
    await assert.rejects(writeHistory(root, cameraIds, { fps: 10, blockDurationMs: 2_000, frameBytes: 1_000, blocksPerCamera: 1, endMs: 1_700_000_001_234 }), /EEXIST/);
  });
});
