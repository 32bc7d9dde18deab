// The buffer pool: exact lengths, reuse of what was given back, and every bound.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferPool, directIoWorksIn, isPageAligned, pageBytes } from './buffer-pool.js';

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

  it('lends page-aligned memory, which an O_DIRECT write and read use as it is', async () => {
    const pool = new BufferPool();
    for (const bytes of [0, 1000, 300 * 1024, 10_001_416]) assert.ok(isPageAligned(pool.take(bytes)), `${bytes} bytes`);
    const block = pool.take(2 * MiB);
    assert.equal(isPageAligned(block.subarray(pageBytes)), true, 'a view from a page boundary');
    assert.equal(isPageAligned(block.subarray(1)), false);
    assert.equal(isPageAligned(Buffer.alloc(2 * MiB)), false, 'memory the pool did not make');
    const dir = await mkdtemp(join(tmpdir(), 'twinrec-buffer-pool-'));
    try {
      // A file system without direct I/O (a tmpfs refuses the open or the write): only the alignment is checked there.
      if (!(await directIoWorksIn(dir))) return;
      const file = await open(join(dir, 'direct'), constants.O_RDWR | constants.O_CREAT | constants.O_DIRECT, 0o600);
      try {
        randomFillSync(block);
        assert.equal((await file.write(block, 0, block.length, 0)).bytesWritten, block.length);
        const back = pool.take(2 * MiB);
        assert.equal((await file.read(back, 0, back.length, 0)).bytesRead, back.length);
        assert.ok(back.equals(block));
      } finally {
        await file.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('drops its free buffers once idle', async () => {
    const pool = new BufferPool({ idleMsMax: 50 });
    pool.give(pool.take(2 * MiB));
    assert.equal(pool.heldBytes, 2 * MiB);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(pool.heldBytes, 0);
  });
});
