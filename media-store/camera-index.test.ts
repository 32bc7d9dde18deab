import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
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
});
