import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { blockHeader, decodeBlock, encodeFrameRecord } from '../../media-store/format.js';
import { blockFrameSpan } from './block-frames.js';

const BASE = 1_700_000_000_000;

function block(fps: number, frames: ReadonlyArray<{ gapMs: number; payloadBytes: number }>): Buffer {
  let timeMs = BASE;
  return Buffer.concat([blockHeader(fps), ...frames.map(({ gapMs, payloadBytes }) => encodeFrameRecord((timeMs += gapMs), Buffer.alloc(payloadBytes, gapMs % 251)))]);
}

describe('blockFrameSpan', () => {
  it('says what decodeBlock says of a block with sound CRCs: its span when whole, null when cut (property)', () => {
    const blocks = fc
      .record({
        fps: fc.integer({ min: 1, max: 1000 }),
        frames: fc.array(fc.record({ gapMs: fc.integer({ min: 1, max: 2_000 }), payloadBytes: fc.integer({ min: 0, max: 300 }) }), { minLength: 0, maxLength: 12 }),
        cutBytes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 })),
      })
      .map(({ fps, frames, cutBytes }) => {
        const whole = block(fps, frames);
        return whole.subarray(0, Math.max(0, whole.length - cutBytes));
      });
    fc.assert(
      fc.property(blocks, (bytes) => {
        const decoded = decodeBlock(bytes);
        const first = decoded.frames[0];
        const last = decoded.frames.at(-1);
        const expected = decoded.clean && first !== undefined && last !== undefined ? { startMs: first.timeMs, endMs: last.timeMs, fps: decoded.fps, frameCount: decoded.frames.length } : null;
        assert.deepEqual(blockFrameSpan(bytes), expected);
      }),
      { numRuns: Number(process.env.TWINREC_PROPERTY_RUNS ?? 200) },
    );
  });

  it('refuses misframed blocks: another magic, times not increasing, a length past the end, fps out of range', () => {
    const good = block(10, [{ gapMs: 100, payloadBytes: 20 }, { gapMs: 100, payloadBytes: 20 }]);
    assert.deepEqual(blockFrameSpan(good), { startMs: BASE + 100, endMs: BASE + 200, fps: 10, frameCount: 2 });
    const magic = Buffer.from(good);
    magic[0] = 0;
    assert.equal(blockFrameSpan(magic), null);
    assert.equal(blockFrameSpan(Buffer.concat([blockHeader(10), encodeFrameRecord(BASE + 200, Buffer.alloc(5)), encodeFrameRecord(BASE + 200, Buffer.alloc(5))])), null, 'the same time twice');
    const long = Buffer.from(good);
    long.writeUInt32BE(21, 16);
    assert.equal(blockFrameSpan(long), null);
    for (const fps of [0, 1001]) {
      const odd = Buffer.from(good);
      odd.writeUInt16BE(fps, 8);
      assert.equal(blockFrameSpan(odd), null, `fps ${fps}`);
    }
    assert.equal(blockFrameSpan(blockHeader(10)), null, 'no frame');
  });

  it('does not compute payload CRCs: a damaged payload walks the same (what the SHA-256 check after it is for)', () => {
    const good = block(10, [{ gapMs: 100, payloadBytes: 20 }, { gapMs: 100, payloadBytes: 20 }]);
    const damaged = Buffer.from(good);
    damaged[damaged.length - 1] = (damaged.at(-1) as number) ^ 1;
    assert.equal(decodeBlock(damaged).clean, false);
    assert.deepEqual(blockFrameSpan(damaged), blockFrameSpan(good));
  });
});
