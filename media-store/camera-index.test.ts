import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CameraIndex, entryRecords } from './camera-index.js';
import type { IndexRecord } from './format.js';

const block = (startMs: number, endMs: number, sha = `sha-${startMs}`): IndexRecord => ({ op: 'block', startMs, endMs, fps: 10, frameCount: (endMs - startMs) / 100 + 1, bytes: 100, sha256: sha });

describe('camera index', () => {
  it('keeps blocks sorted, rejects overlaps and is idempotent', () => {
    const index = new CameraIndex();
    assert.equal(index.apply(block(2000, 2900)), 'applied');
    assert.equal(index.apply(block(1000, 1900)), 'applied');
    assert.equal(index.apply(block(1000, 1900)), 'duplicate');
    assert.ok(typeof index.apply(block(1000, 1900, 'other')) === 'object');
    assert.ok(typeof index.apply(block(1500, 2100)) === 'object', 'overlap');
    assert.ok(typeof index.apply(block(2900, 3500)) === 'object', 'touching the last frame is an overlap');
    assert.deepEqual(
      index.entries.map((e) => e.startMs),
      [1000, 2000],
    );
    assert.equal(index.containing(1950), undefined);
    assert.equal(index.containing(2500)?.startMs, 2000);
    assert.equal(index.after(1500)?.startMs, 2000);
    assert.equal(index.before(2000)?.startMs, 1000);
  });

  const placeholder = (startMs: number, endMs: number, fps = 10): IndexRecord => ({ op: 'placeholder', startMs, endMs, fps });
  const fill = (startMs: number, endMs: number, sha = `fill-${startMs}`): IndexRecord => ({ op: 'fill', startMs, endMs, fps: 10, frameCount: (endMs - startMs) / 100 + 1, bytes: 100, sha256: sha });
  const shape = (index: CameraIndex) => index.entries.map((e) => [e.state, e.startMs, e.endMs, e.fps]);

  it('a fill of exactly a placeholder replaces it; the same fill again is a duplicate, other content is refused', () => {
    const index = new CameraIndex();
    assert.equal(index.apply(placeholder(5000, 5900)), 'applied');
    assert.equal(index.get(5000)?.state, 'placeholder');
    assert.equal(index.apply(fill(5000, 5900)), 'applied');
    assert.deepEqual(shape(index), [['filled', 5000, 5900, 10]]);
    assert.equal(index.get(5000)?.sha256, 'fill-5000');
    assert.equal(index.apply(fill(5000, 5900)), 'duplicate');
    assert.ok(typeof index.apply(fill(5000, 5900, 'other')) === 'object', 'other content at a filled time');
    assert.ok(typeof index.apply(fill(5000, 5500, 'other')) === 'object', 'a shorter fill at a filled time');
    assert.equal(index.apply({ op: 'delete', startMs: 5000 }), 'applied');
    assert.equal(index.apply({ op: 'delete', startMs: 5000 }), 'duplicate');
    assert.equal(index.entries.length, 0);
  });

  it('a cut releases pending time from its instant on, keeps content, and commutes with fills before it', () => {
    const records = [block(0, 900), placeholder(1000, 9999), fill(1000, 1900), fill(5000, 5900)];
    const cut: IndexRecord = { op: 'cut', startMs: 3000 };
    const apply = (list: IndexRecord[]): CameraIndex => {
      const index = new CameraIndex();
      for (const record of list) assert.notEqual(typeof index.apply(record), 'object', JSON.stringify(record));
      return index;
    };
    const cutLast = apply([...records, cut]);
    assert.deepEqual(shape(cutLast), [
      ['recorded', 0, 900, 10],
      ['filled', 1000, 1900, 10],
      ['placeholder', 1900 + 1, 2999, 10],
      ['filled', 5000, 5900, 10],
    ], 'the pending piece holding 3000 ends at 2999, the one after 5900 goes, the fill after the cut stays');
    assert.equal(cutLast.apply(cut), 'duplicate', 'nothing pending from 3000 on any more');
    // A fill before the cut instant gives the same index whether it lands before or after the cut.
    const fillFirst = apply([block(0, 900), placeholder(1000, 9999), fill(1000, 1900), cut]);
    const cutFirst = apply([block(0, 900), placeholder(1000, 9999), cut, fill(1000, 1900)]);
    assert.deepEqual(shape(fillFirst), shape(cutFirst));
    assert.equal(apply([block(0, 900)]).apply(cut), 'duplicate', 'nothing pending: nothing to cut');
  });

  it('a fill inside a placeholder splits it: the parts before and after stay pending, with its fps', () => {
    const index = new CameraIndex();
    index.apply(placeholder(10_000, 19_900, 5));
    // Right part left: the fill starts where the placeholder does.
    assert.equal(index.apply(fill(10_000, 10_900)), 'applied');
    assert.deepEqual(shape(index), [
      ['filled', 10_000, 10_900, 10],
      ['placeholder', 10_901, 19_900, 5],
    ]);
    // Left part left: the fill ends where the placeholder does.
    assert.equal(index.apply(fill(19_000, 19_900)), 'applied');
    // Both parts left.
    assert.equal(index.apply(fill(14_000, 14_900)), 'applied');
    assert.deepEqual(shape(index), [
      ['filled', 10_000, 10_900, 10],
      ['placeholder', 10_901, 13_999, 5],
      ['filled', 14_000, 14_900, 10],
      ['placeholder', 14_901, 18_999, 5],
      ['filled', 19_000, 19_900, 10],
    ]);
    // Applying any of them again changes nothing (a reader re-reads what a writer appended).
    for (const again of [fill(10_000, 10_900), fill(19_000, 19_900), fill(14_000, 14_900)]) assert.equal(index.apply(again), 'duplicate');
    assert.equal(index.entries.length, 5);
    assert.equal(index.containing(12_000)?.state, 'placeholder');
    assert.equal(index.containing(14_500)?.sha256, 'fill-14000');
    // A fill exactly filling what is left between two fills.
    assert.equal(index.apply(fill(10_901, 13_999)), 'applied');
    assert.deepEqual(index.entries.map((e) => e.state), ['filled', 'filled', 'filled', 'placeholder', 'filled']);
  });

  it('refuses a fill crossing a placeholder\'s edge, outside every placeholder, or over recorded data', () => {
    const index = new CameraIndex();
    index.apply(block(0, 900));
    index.apply(placeholder(1000, 1900));
    index.apply(placeholder(2000, 2900));
    const refused = (record: IndexRecord, why: string): void => assert.ok(typeof index.apply(record) === 'object', why);
    refused(fill(1500, 2100), 'crosses the end into the next placeholder');
    refused(fill(1500, 1950), 'crosses the end into nothing');
    refused(fill(900, 1200), 'starts before the placeholder (on recorded data)');
    refused(fill(950, 1200), 'starts before the placeholder (between entries)');
    refused(fill(0, 900), 'recorded data is never filled');
    refused(fill(500, 600), 'inside recorded data');
    refused(fill(3000, 3500), 'after everything');
    const before = shape(index);
    assert.deepEqual(before, [
      ['recorded', 0, 900, 10],
      ['placeholder', 1000, 1900, 10],
      ['placeholder', 2000, 2900, 10],
    ]);
    // A split piece is a placeholder like any other: a fill crossing out of it is refused too.
    assert.equal(index.apply(fill(1200, 1300)), 'applied');
    refused(fill(1100, 1250), 'crosses into the filled piece');
    refused(fill(1250, 1400), 'starts in the filled piece');
  });

  it('deletes a remainder of a split placeholder at its start time, and can fill it again after a new placeholder', () => {
    const index = new CameraIndex();
    index.apply(placeholder(1000, 4900));
    index.apply(fill(2000, 2900));
    assert.equal(index.apply({ op: 'delete', startMs: 2901 }), 'applied', 'the right remainder');
    assert.equal(index.apply({ op: 'delete', startMs: 1000 }), 'applied', 'the left remainder');
    assert.deepEqual(shape(index), [['filled', 2000, 2900, 10]]);
    assert.ok(typeof index.apply(fill(3000, 3900)) === 'object', 'nothing pending there any more');
    assert.equal(index.apply(placeholder(3000, 3900)), 'applied');
    assert.equal(index.apply(fill(3000, 3900)), 'applied');
    assert.deepEqual(index.entries.map((e) => e.state), ['filled', 'filled']);
  });

  it('check says what apply would do, and changes nothing', () => {
    const index = new CameraIndex();
    index.apply(placeholder(1000, 4900));
    const records: IndexRecord[] = [fill(2000, 2900), fill(1000, 4900), fill(4000, 5000), block(6000, 6900), placeholder(1000, 4900), placeholder(5000, 5900), { op: 'delete', startMs: 1000 }, { op: 'delete', startMs: 7000 }];
    for (const record of records) {
      const before = shape(index);
      const checked = index.check(record);
      assert.deepEqual(shape(index), before, 'check changed the index');
      const copy = new CameraIndex();
      for (const entry of index.entries) for (const again of entryRecords(entry)) copy.apply(again);
      assert.deepEqual(copy.apply(record), checked, JSON.stringify(record));
    }
  });

  it('entryRecords recreate every entry, filled ones too (a fill needs its placeholder)', () => {
    const index = new CameraIndex();
    index.apply(block(0, 900));
    index.apply(placeholder(1000, 4900, 25));
    index.apply(fill(2000, 2900));
    const copy = new CameraIndex();
    for (const entry of index.entries) for (const record of entryRecords(entry)) assert.equal(copy.apply(record), 'applied', JSON.stringify(record));
    assert.deepEqual(copy.entries, index.entries);
  });

  it('lazy deletes (a scan) and splices (the recorder) give the same outcomes, entries and answers, and entries never overlap', () => {
    // Records on a coarse grid, so that blocks, placeholders, fills and deletes meet often.
    const at = fc.integer({ min: 0, max: 40 }).map((k) => k * 100);
    const len = fc.integer({ min: 0, max: 3 }).map((k) => k * 100 + 50);
    const recordArb: fc.Arbitrary<IndexRecord> = fc.oneof(
      fc.tuple(at, len, fc.constantFrom('a', 'b')).map(([startMs, l, sha]): IndexRecord => ({ op: 'block', startMs, endMs: startMs + l, fps: 10, frameCount: 1, bytes: 1, sha256: sha })),
      fc.tuple(at, len).map(([startMs, l]): IndexRecord => ({ op: 'placeholder', startMs, endMs: startMs + l, fps: 10 })),
      fc.tuple(at, len).map(([startMs, l]): IndexRecord => ({ op: 'fill', startMs, endMs: startMs + l, fps: 10, frameCount: 1, bytes: 1, sha256: 'f' })),
      // Fills on a finer grid: pieces inside placeholders, splitting them, and crossing their edges.
      fc.tuple(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 0, max: 4 })).map(([k, l]): IndexRecord => ({ op: 'fill', startMs: k * 50 + 1, endMs: k * 50 + 1 + l * 50, fps: 10, frameCount: 1, bytes: 1, sha256: `f${l}` })),
      at.map((startMs): IndexRecord => ({ op: 'delete', startMs })),
      at.map((startMs): IndexRecord => ({ op: 'delete', startMs })),
    );
    const answers = (index: CameraIndex, t: number) => [index.get(t), index.containing(t), index.after(t), index.before(t), index.overlaps(t, t + 120), index.overlaps(t, t + 120, t)];
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 120 }), fc.array(fc.integer({ min: -100, max: 4_500 }), { minLength: 1, maxLength: 8 }), (records, probes) => {
        const eager = new CameraIndex();
        const lazy = new CameraIndex({ lazyDeletes: true });
        for (const record of records) {
          assert.deepEqual(lazy.apply(record), eager.apply(record), JSON.stringify(record));
          // Entries stay sorted and disjoint, whatever was split or deleted.
          const entries = eager.entries;
          for (let k = 1; k < entries.length; k += 1) assert.ok((entries[k - 1]?.endMs ?? 0) < (entries[k]?.startMs ?? 0), `overlap after ${JSON.stringify(record)}`);
          // Asked while tombstones are still in place.
          for (const t of probes) assert.deepEqual(answers(lazy, t), answers(eager, t), `at ${t}`);
        }
        assert.deepEqual(lazy.entries, eager.entries);
      }),
      { numRuns: Number(process.env.TWINREC_PROPERTY_RUNS ?? 150) },
    );
  });

  it('lazy deletes: many deletes (swept in bulk) and re-inserts at deleted times', () => {
    const eager = new CameraIndex();
    const lazy = new CameraIndex({ lazyDeletes: true });
    const apply = (record: IndexRecord): void => assert.deepEqual(lazy.apply(record), eager.apply(record));
    // Retention as the recorder does it: oldest first, while new blocks arrive; now and then a block comes back at a deleted time.
    for (let k = 0; k < 20_000; k += 1) {
      apply(block(k * 1_000, k * 1_000 + 900));
      if (k >= 3_000) apply({ op: 'delete', startMs: (k - 3_000) * 1_000 });
      if (k % 997 === 0 && k >= 3_000) apply(block((k - 3_000) * 1_000, (k - 3_000) * 1_000 + 900, 'again'));
    }
    assert.equal(lazy.entries.length, eager.entries.length);
    assert.deepEqual(lazy.entries, eager.entries);
    assert.equal(lazy.containing(19_999_500)?.startMs, 19_999_000);
    assert.equal(lazy.before(17_000_000)?.startMs, eager.before(17_000_000)?.startMs);
    assert.ok(lazy.entries.length > 3_000 && lazy.entries.length < 3_100, `${lazy.entries.length} entries`);
  });
});
