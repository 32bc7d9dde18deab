// The backfill contract's schemas: what both ends rely on (sorted, non-overlapping pages whose
// `next` always moves forward, canonical camera ids, bounded lists, strict query strings).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  backfillFaultSchema,
  blockHeadersSchema,
  blockParamsSchema,
  blockQuerySchema,
  cameraIdsMax,
  cameraListSchema,
  entriesPageMax,
  entriesPageSchema,
  entriesQuerySchema,
  frameTimeMsMax,
  type BlockEntry,
} from './backfill-v1.js';

const CAM = '1e100000-0000-4000-8000-000000000001';
const BASE = 1_700_000_000_000;
const SHA = 'ab'.repeat(32);

const entry = (startMs: number, endMs = startMs + 9_900): BlockEntry => ({ startMs, endMs, fps: 10, frameCount: 100, bytes: 123_456, sha256: SHA });
const page = (entries: BlockEntry[], next: number | null = null, sealedEndMs: number | null = entries.at(-1)?.endMs ?? null): unknown => ({ v: 1, cameraId: CAM, entries, next, sealedEndMs });
const accepts = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown): void => assert.equal(schema.safeParse(value).success, true, JSON.stringify(value).slice(0, 300));
const refuses = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown): void => assert.equal(schema.safeParse(value).success, false, JSON.stringify(value).slice(0, 300));

describe('backfill-v1 contract', () => {
  it('camera list: canonical ids, bounded, strict', () => {
    accepts(cameraListSchema, { v: 1, node: 'rs-a', cameraIds: [CAM], truncated: false });
    accepts(cameraListSchema, { v: 1, node: 'rs-a', cameraIds: [], truncated: true });
    refuses(cameraListSchema, { v: 2, node: 'rs-a', cameraIds: [CAM], truncated: false });
    refuses(cameraListSchema, { v: 1, node: 'rs-a', cameraIds: [CAM.toUpperCase()], truncated: false });
    refuses(cameraListSchema, { v: 1, node: 'rs-a', cameraIds: ['../etc'], truncated: false });
    refuses(cameraListSchema, { v: 1, node: '', cameraIds: [], truncated: false });
    refuses(cameraListSchema, { v: 1, node: 'rs-a', cameraIds: [], truncated: false, extra: 1 });
    refuses(cameraListSchema, { v: 1, node: 'rs-a', cameraIds: Array.from({ length: cameraIdsMax + 1 }, () => CAM), truncated: true });
  });

  it('entries page: accepts sorted, disjoint entries with a next that is the last start', () => {
    accepts(entriesPageSchema, page([]));
    accepts(entriesPageSchema, page([], null, BASE));
    accepts(entriesPageSchema, page([entry(BASE), entry(BASE + 10_000)]));
    accepts(entriesPageSchema, page([entry(BASE), entry(BASE + 10_000)], BASE + 10_000, BASE + 99_000));
    accepts(entriesPageSchema, page([entry(BASE, BASE)]));
  });

  it('entries page: refuses disorder, overlap, a next that does not move on, and a sealed end behind the entries', () => {
    refuses(entriesPageSchema, page([entry(BASE + 10_000), entry(BASE)]));
    refuses(entriesPageSchema, page([entry(BASE), entry(BASE)]));
    refuses(entriesPageSchema, page([entry(BASE), entry(BASE + 9_900)])); // starts on the previous end
    refuses(entriesPageSchema, page([], BASE));
    refuses(entriesPageSchema, page([entry(BASE), entry(BASE + 10_000)], BASE));
    refuses(entriesPageSchema, page([entry(BASE)], null, BASE + 100));
    refuses(entriesPageSchema, page([entry(BASE)], null, null));
    refuses(entriesPageSchema, { ...(page([entry(BASE)]) as object), cameraId: 'x' });
    refuses(entriesPageSchema, { ...(page([]) as object), v: 2 });
    refuses(entriesPageSchema, { ...(page([]) as object), more: true });
  });

  it('entries page: refuses bad entries', () => {
    const bad: Array<Partial<Record<keyof BlockEntry, unknown>>> = [
      { endMs: BASE - 1 },
      { startMs: -1 },
      { startMs: 1.5 },
      { startMs: frameTimeMsMax + 1 },
      { fps: 0 },
      { fps: 1001 },
      { frameCount: 0 },
      { bytes: 0 },
      { sha256: SHA.toUpperCase() },
      { sha256: null },
      { sha256: 'ab' },
    ];
    for (const change of bad) refuses(entriesPageSchema, page([{ ...entry(BASE), ...change } as BlockEntry], null, BASE + 9_900));
    refuses(entriesPageSchema, page([{ ...entry(BASE), state: 'recorded' } as BlockEntry]));
  });

  it('entries page: at most the page maximum', () => {
    const full = Array.from({ length: entriesPageMax }, (_, k) => entry(BASE + k * 10_000));
    accepts(entriesPageSchema, page(full, (full.at(-1) as BlockEntry).startMs));
    refuses(entriesPageSchema, page([...full, entry(BASE + entriesPageMax * 10_000)]));
  });

  it('entries page: any sorted disjoint list is accepted, and any reordering of it refused (property)', () => {
    const gapsAndLengths = fc.array(fc.tuple(fc.integer({ min: 1, max: 60_000 }), fc.integer({ min: 0, max: 60_000 })), { minLength: 2, maxLength: 40 });
    fc.assert(
      fc.property(gapsAndLengths, fc.boolean(), fc.nat(), (spans, hasNext, seed) => {
        let at = BASE;
        const entries = spans.map(([gap, length]) => {
          const e = entry(at + gap, at + gap + length);
          at = e.endMs;
          return e;
        });
        const last = entries.at(-1) as BlockEntry;
        assert.equal(entriesPageSchema.safeParse(page(entries, hasNext ? last.startMs : null)).success, true);
        // Swap two entries: no longer sorted.
        const i = seed % (entries.length - 1);
        const swapped = [...entries];
        [swapped[i], swapped[i + 1]] = [swapped[i + 1] as BlockEntry, swapped[i] as BlockEntry];
        assert.equal(entriesPageSchema.safeParse(page(swapped, null, last.endMs)).success, false);
      }),
      { numRuns: 200 },
    );
  });

  it('entries query: defaults, -1, and strict decimal numbers only', () => {
    assert.deepEqual(entriesQuerySchema.parse({}), { afterMs: -1, limit: entriesPageMax });
    assert.deepEqual(entriesQuerySchema.parse({ afterMs: '-1', limit: '1' }), { afterMs: -1, limit: 1 });
    assert.deepEqual(entriesQuerySchema.parse({ afterMs: String(BASE), limit: String(entriesPageMax) }), { afterMs: BASE, limit: entriesPageMax });
    for (const query of [{ limit: '0' }, { limit: String(entriesPageMax + 1) }, { limit: '01' }, { limit: '1e3' }, { afterMs: '-2' }, { afterMs: '1.5' }, { afterMs: ' 1' }, { afterMs: '' }, { afterMs: String(frameTimeMsMax + 1) }, { afterMs: ['1', '2'] }, { after: '1' }]) {
      refuses(entriesQuerySchema, query);
    }
  });

  it('block params and query: a canonical camera id, a frame time, and an ordered range', () => {
    assert.deepEqual(blockParamsSchema.parse({ cameraId: CAM, startMs: String(BASE) }), { cameraId: CAM, startMs: BASE });
    refuses(blockParamsSchema, { cameraId: CAM, startMs: '-1' });
    refuses(blockParamsSchema, { cameraId: `${CAM}x`, startMs: '1' });
    assert.deepEqual(blockQuerySchema.parse({}), { fromMs: 0, toMs: frameTimeMsMax });
    assert.deepEqual(blockQuerySchema.parse({ fromMs: '5', toMs: '5' }), { fromMs: 5, toMs: 5 });
    refuses(blockQuerySchema, { fromMs: '6', toMs: '5' });
    refuses(blockQuerySchema, { fromMs: '5', extra: '1' });
  });

  it('block headers: a hex SHA-256 and ordered frame times with at least one frame', () => {
    const good = { sha256: SHA, firstFrameMs: String(BASE), lastFrameMs: String(BASE + 900), frameCount: '10' };
    assert.deepEqual(blockHeadersSchema.parse(good), { sha256: SHA, firstFrameMs: BASE, lastFrameMs: BASE + 900, frameCount: 10 });
    refuses(blockHeadersSchema, { ...good, sha256: undefined });
    refuses(blockHeadersSchema, { ...good, frameCount: '0' });
    refuses(blockHeadersSchema, { ...good, frameCount: 'ten' });
    refuses(blockHeadersSchema, { ...good, lastFrameMs: String(BASE - 1) });
    refuses(blockHeadersSchema, { ...good, firstFrameMs: '-5' });
  });

  it('test fault: 0 to 1000 blocks', () => {
    accepts(backfillFaultSchema, { corruptBlocks: 0 });
    accepts(backfillFaultSchema, { corruptBlocks: 1000 });
    refuses(backfillFaultSchema, { corruptBlocks: 1001 });
    refuses(backfillFaultSchema, { corruptBlocks: -1 });
    refuses(backfillFaultSchema, { corruptBlocks: 1.5 });
    refuses(backfillFaultSchema, {});
  });
});
