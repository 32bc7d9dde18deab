import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CameraIndex } from './camera-index.js';
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

  it('fills a placeholder only with content of exactly its range, and deletes', () => {
    const index = new CameraIndex();
    assert.equal(index.apply({ op: 'placeholder', startMs: 5000, endMs: 5900, fps: 10 }), 'applied');
    assert.equal(index.get(5000)?.state, 'placeholder');
    assert.ok(typeof index.apply({ op: 'fill', startMs: 5000, endMs: 5800, fps: 10, frameCount: 9, bytes: 1, sha256: 'x' }) === 'object');
    assert.equal(index.apply({ op: 'fill', startMs: 5000, endMs: 5900, fps: 10, frameCount: 10, bytes: 1, sha256: 'x' }), 'applied');
    assert.equal(index.get(5000)?.state, 'filled');
    assert.equal(index.apply({ op: 'fill', startMs: 5000, endMs: 5900, fps: 10, frameCount: 10, bytes: 1, sha256: 'x' }), 'duplicate');
    assert.ok(typeof index.apply({ op: 'fill', startMs: 7000, endMs: 7900, fps: 10, frameCount: 10, bytes: 1, sha256: 'x' }) === 'object', 'no placeholder');
    assert.equal(index.apply({ op: 'delete', startMs: 5000 }), 'applied');
    assert.equal(index.apply({ op: 'delete', startMs: 5000 }), 'duplicate');
    assert.equal(index.entries.length, 0);
  });

  it('lazy deletes (a scan) and splices (the recorder) give the same outcomes, entries and answers', () => {
    // Records on a coarse grid, so that blocks, placeholders, fills and deletes meet often.
    const at = fc.integer({ min: 0, max: 40 }).map((k) => k * 100);
    const len = fc.integer({ min: 0, max: 3 }).map((k) => k * 100 + 50);
    const recordArb: fc.Arbitrary<IndexRecord> = fc.oneof(
      fc.tuple(at, len, fc.constantFrom('a', 'b')).map(([startMs, l, sha]): IndexRecord => ({ op: 'block', startMs, endMs: startMs + l, fps: 10, frameCount: 1, bytes: 1, sha256: sha })),
      fc.tuple(at, len).map(([startMs, l]): IndexRecord => ({ op: 'placeholder', startMs, endMs: startMs + l, fps: 10 })),
      fc.tuple(at, len).map(([startMs, l]): IndexRecord => ({ op: 'fill', startMs, endMs: startMs + l, fps: 10, frameCount: 1, bytes: 1, sha256: 'f' })),
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
