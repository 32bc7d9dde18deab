import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { encodeIndexRecord, sha256Hex } from '../media-store/format.js';
import { blockPath, indexPath } from '../media-store/layout.js';
import { gridFrameTimes, historyBlock, writeHistory } from './backfill-history.js';
import { waitFor } from '../lab/testing/harness.js';
import { FillWatch } from './fill-watch.js';
import { framesInWindow, missingFrames } from './storage-frames.js';

const cameraId = '1e100000-0000-4000-8000-000000000001';
const T = 1_700_000_000_000;

/** A placeholder [startMs, endMs], then a fill of `times` inside it, as backfill appends them. */
function placeholderAndFill(root: string, startMs: number, endMs: number, times: number[]): void {
  appendFileSync(indexPath(root, cameraId), encodeIndexRecord({ op: 'placeholder', startMs, endMs, fps: 10 }));
  fill(root, times);
}

function fill(root: string, times: number[]): void {
  const bytes = historyBlock(10, times, 200);
  writeFileSync(blockPath(root, cameraId, times[0] as number), bytes);
  appendFileSync(indexPath(root, cameraId), encodeIndexRecord({ op: 'fill', startMs: times[0] as number, endMs: times.at(-1) as number, fps: 10, frameCount: times.length, bytes: bytes.length, sha256: sha256Hex(bytes) }));
}

describe('frames in a window', () => {
  const root = mkdtempSync(join(tmpdir(), 'twinrec-bench-frames-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('tells recorded from filled frames, counts pending placeholder time, and finds the gaps against the grid', async () => {
    // Recorded [T, T+2000), then a placeholder [T+2000, T+3999] of which [T+2000, T+2900] is filled.
    await writeHistory(root, [cameraId], { fps: 10, blockDurationMs: 2_000, frameBytes: 200, blocksPerCamera: 1, endMs: T + 2_000 });
    placeholderAndFill(root, T + 2_000, T + 3_999, gridFrameTimes(T + 2_000, T + 2_900, 10));
    const held = await framesInWindow(root, cameraId, T + 1_000, T + 3_500);
    assert.equal(held.recorded.size, 10, 'T+1000..T+1900');
    assert.equal(held.filled.size, 10, 'T+2000..T+2900');
    assert.equal(held.placeholderMs, 3_500 - 2_901 + 1, 'what is still pending, cut to the window');
    const lacking = missingFrames(gridFrameTimes(T + 1_000, T + 3_500, 10), [held.recorded, held.filled]);
    assert.deepEqual(lacking, { missing: 6, gaps: [{ fromMs: T + 3_000, frames: 6 }] });
  });

  it('refuses a block file that does not match its index record', async () => {
    writeFileSync(blockPath(root, cameraId, T), historyBlock(10, gridFrameTimes(T, T + 1_900, 10), 200));
    await assert.rejects(framesInWindow(root, cameraId, T, T + 500), /SHA-256 as indexed/);
  });
});

describe('FillWatch', () => {
  const root = mkdtempSync(join(tmpdir(), 'twinrec-bench-fillwatch-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('sees the fill records appended after it started, each once, with when it saw them', async () => {
    await writeHistory(root, [cameraId], { fps: 10, blockDurationMs: 2_000, frameBytes: 200, blocksPerCamera: 1, endMs: T + 2_000 });
    placeholderAndFill(root, T + 2_000, T + 5_999, [T + 2_000, T + 2_100]);
    const watch = await FillWatch.start(root, [cameraId], 5);
    const beforeMs = Date.now();
    fill(root, [T + 3_000, T + 3_100, T + 3_200]);
    // The first fill is seen before the second exists (however loaded the machine: no fixed sleep).
    await waitFor('the first fill seen', () => (watch.fills.length === 1 ? true : undefined), 10_000, 5);
    const secondWrittenMs = Date.now();
    fill(root, [T + 4_000]);
    await waitFor('the second fill seen', () => (watch.fills.length === 2 ? true : undefined), 10_000, 5);
    await watch.stop();
    assert.deepEqual(watch.fills.map((f) => f.startMs), [T + 3_000, T + 4_000], 'the fill before the start is not counted');
    assert.ok(watch.fills.every((f) => f.seenAtMs >= beforeMs && f.bytes > 0));
    assert.ok((watch.fills[0]?.seenAtMs as number) <= secondWrittenMs && (watch.fills[1]?.seenAtMs as number) >= secondWrittenMs, 'each seen when it appeared, not at the end');
  });
});
