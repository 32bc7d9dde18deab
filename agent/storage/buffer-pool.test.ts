// The buffer pool: exact lengths, reuse of what was given back, and every bound.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BufferPool } from './buffer-pool.js';

const MiB = 1024 * 1024;

describe('BufferPool', () => {
  it('lends a buffer of exactly the length asked for, and lends it again once given back', () => {
    const pool = new BufferPool();
    const first = pool.take(10_001_416);
    assert.equal(first.length, 10_001_416);
    first.fill(7);
    pool.give(first);
    assert.equal(pool.heldBytes, 10 * MiB, 'kept in whole MiB');
    const second = pool.take(9_999_000);
    assert.equal(second.length, 9_999_000);
    assert.equal(second.buffer, first.buffer, 'the same memory, reused');
    assert.equal(pool.heldBytes, 0);
    const third = pool.take(9_999_000);
    assert.notEqual(third.buffer, first.buffer, 'a lent buffer is never lent twice');
    pool.clear();
  });

  it('lends the smallest free buffer that fits, and a new one when none does', () => {
    const pool = new BufferPool();
    const small = pool.take(2 * MiB);
    const large = pool.take(8 * MiB);
    pool.give(large);
    pool.give(small);
    assert.equal(pool.take(MiB + 1).buffer, small.buffer);
    const bigger = pool.take(9 * MiB);
    assert.notEqual(bigger.buffer, large.buffer, 'too small to serve 9 MiB');
    assert.equal(pool.take(3 * MiB).buffer, large.buffer);
    pool.clear();
  });

  it('ignores a buffer given back twice, small buffers, and what is over its bound', () => {
    const pool = new BufferPool({ freeBytesMax: 4 * MiB });
    const a = pool.take(3 * MiB);
    pool.give(a);
    pool.give(a);
    assert.equal(pool.heldBytes, 3 * MiB, 'given back once');
    const b = pool.take(2 * MiB);
    assert.equal(b.buffer, a.buffer);
    const c = pool.take(2 * MiB);
    pool.give(b);
    pool.give(c);
    assert.equal(pool.heldBytes, 3 * MiB, 'the second would go over 4 MiB: dropped');
    const tiny = pool.take(1000);
    assert.equal(tiny.length, 1000);
    pool.give(tiny);
    assert.equal(pool.heldBytes, 3 * MiB, 'small buffers are not kept');
    pool.give(Buffer.alloc(5 * MiB).subarray(MiB));
    assert.equal(pool.heldBytes, 3 * MiB, 'a view into the middle of memory is not kept');
    assert.throws(() => pool.take(-1), RangeError);
    pool.clear();
    assert.equal(pool.heldBytes, 0);
  });

  it('drops its free buffers once idle', async () => {
    const pool = new BufferPool({ idleMsMax: 50 });
    pool.give(pool.take(2 * MiB));
    assert.equal(pool.heldBytes, 2 * MiB);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(pool.heldBytes, 0);
  });
});
