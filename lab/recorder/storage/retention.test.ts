import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planRetention } from './retention.js';

describe('retention planning', () => {
  const blocks = [
    { cameraId: 'a', startMs: 0, endMs: 999, bytes: 100 },
    { cameraId: 'b', startMs: 0, endMs: 999, bytes: 100 },
    { cameraId: 'a', startMs: 1000, endMs: 1999, bytes: 100 },
    { cameraId: 'a', startMs: 2000, endMs: 2999, bytes: 100 },
  ];

  it('deletes what ended before the retention time', () => {
    const plan = planRetention(blocks, 2500, { retainMs: 1000, maxBytes: 1e9 });
    assert.deepEqual(
      plan.map((b) => `${b.cameraId}@${b.startMs}`),
      ['a@0', 'b@0'],
    );
  });

  it('deletes the oldest blocks until the total fits the maximum size, counting blocks being written', () => {
    assert.deepEqual(
      planRetention(blocks, 3000, { retainMs: 1e9, maxBytes: 250 }).map((b) => `${b.cameraId}@${b.startMs}`),
      ['a@0', 'b@0'],
    );
    assert.deepEqual(
      planRetention(blocks, 3000, { retainMs: 1e9, maxBytes: 250 }, 100).map((b) => `${b.cameraId}@${b.startMs}`),
      ['a@0', 'b@0', 'a@1000'],
    );
    assert.deepEqual(planRetention(blocks, 3000, { retainMs: 1e9, maxBytes: 1e9 }), []);
  });
});
