// The hashing pool: worker threads give the same digests as the calling thread, and every
// fallback (not shared memory, small, over the bound, a worker that fails) still answers right.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { sha256Hex } from '../../media-store/format.js';
import { BufferPool } from './buffer-pool.js';
import { HashPool } from './hash-pool.js';

const MiB = 1024 * 1024;

function randomShared(bytes: number): Buffer {
  const buffer = new BufferPool().take(bytes);
  randomFillSync(buffer);
  return buffer;
}

describe('HashPool', () => {
  it('hashes buffers on shared memory in a worker thread, as the calling thread would', async () => {
    const pool = new HashPool({ workersMax: 2 });
    try {
      const blocks = Array.from({ length: 6 }, (_, i) => randomShared(MiB + i * 4099));
      assert.ok(blocks.every((b) => b.buffer instanceof SharedArrayBuffer), 'the buffer pool lends shared memory');
      // A view that does not start at the memory's first byte, too.
      const view = blocks[0]?.subarray(4097, MiB - 3) as Buffer;
      const digests = await Promise.all([...blocks, view].map((b) => pool.sha256Hex(b)));
      assert.deepEqual(digests, [...blocks, view].map(sha256Hex));
      assert.equal(pool.stats.inWorkers, 7);
      assert.equal(pool.stats.onCaller, 0);
      assert.ok(pool.workerCount >= 1 && pool.workerCount <= 2, `${pool.workerCount} workers`);
    } finally {
      await pool.close();
    }
    assert.equal(pool.workerCount, 0);
  });

  it('hashes on the calling thread what a worker cannot see or is not worth it: ordinary and small buffers', async () => {
    const pool = new HashPool({ workersMax: 1, bytesMin: 64 * 1024 });
    try {
      const ordinary = randomFillSync(Buffer.alloc(2 * MiB));
      const small = randomShared(1024);
      assert.equal(await pool.sha256Hex(ordinary), sha256Hex(ordinary));
      assert.equal(await pool.sha256Hex(small), sha256Hex(small));
      assert.deepEqual(pool.stats, { inWorkers: 0, onCaller: 2, workerFailures: 0 });
      assert.equal(pool.workerCount, 0, 'no thread made for them');
    } finally {
      await pool.close();
    }
  });

  it('hashes jobs beyond its bound on the calling thread', async () => {
    const pool = new HashPool({ workersMax: 1, jobsMax: 2 });
    try {
      const blocks = Array.from({ length: 5 }, () => randomShared(MiB));
      const digests = await Promise.all(blocks.map((b) => pool.sha256Hex(b)));
      assert.deepEqual(digests, blocks.map(sha256Hex));
      assert.deepEqual(pool.stats, { inWorkers: 2, onCaller: 3, workerFailures: 0 });
    } finally {
      await pool.close();
    }
  });

  it('answers the jobs of a worker that does not answer in time on the calling thread, and replaces it', async () => {
    // 1 ms is far less than a thread takes to start, let alone to hash 32 MiB.
    const pool = new HashPool({ workersMax: 1, jobTimeoutMs: 1 });
    try {
      const block = randomShared(32 * MiB);
      assert.equal(await pool.sha256Hex(block), sha256Hex(block));
      assert.equal(pool.stats.onCaller, 1);
      assert.equal(pool.stats.workerFailures, 1);
      assert.equal(pool.workerCount, 0, 'the worker that timed out is gone');
    } finally {
      await pool.close();
    }
  });

  it('ends an idle worker', async () => {
    const pool = new HashPool({ workersMax: 1, idleMsMax: 20 });
    try {
      const block = randomShared(MiB);
      assert.equal(await pool.sha256Hex(block), sha256Hex(block));
      for (let i = 0; i < 500 && pool.workerCount > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(pool.workerCount, 0);
    } finally {
      await pool.close();
    }
  });
});
