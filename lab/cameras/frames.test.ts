import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { frameBytes, frameIndexAtOrBefore, frameSizeBytes, frameTimeMs, isOnGrid } from './frames.js';
import type { CameraSpec } from './camera.js';

const camera: CameraSpec = { id: '11111111-2222-4333-8444-555555555555', name: 'c', fps: 10, width: 640, height: 360, codec: 'JPEG', bitrateBps: 256_000 };

describe('frames', () => {
  it('puts frame times on the fps grid, also when 1000 is not a multiple of fps', () => {
    assert.equal(frameTimeMs(17_000_000_000, 10), 1_700_000_000_000);
    for (const fps of [1, 7, 10, 25, 30]) {
      for (const t of [1_700_000_000_000, 1_700_000_000_001, 1_700_000_000_033, 1_700_000_000_999]) {
        const n = frameIndexAtOrBefore(t, fps);
        assert.ok(frameTimeMs(n, fps) <= t && frameTimeMs(n + 1, fps) > t, `${fps} fps at ${t}`);
      }
    }
    assert.equal(isOnGrid(1_700_000_000_100, 10), true);
    assert.equal(isOnGrid(1_700_000_000_150, 10), false);
  });

  it('is a pure function of camera id and time: same inputs, same bytes; other camera or time, other bytes', () => {
    const t = frameTimeMs(17_000_000_123, 10);
    assert.deepEqual(frameBytes(camera, t), frameBytes({ ...camera }, t));
    assert.notDeepEqual(frameBytes(camera, t), frameBytes(camera, t + 100));
    assert.notDeepEqual(frameBytes(camera, t), frameBytes({ ...camera, id: '11111111-2222-4333-8444-555555555556' }, t));
    assert.throws(() => frameBytes(camera, t + 1), /not on the 10 fps grid/);
  });

  it('is a JPEG of the size the bit rate asks for, carrying camera and time in a comment', () => {
    const t = frameTimeMs(17_000_000_000, 10);
    const bytes = frameBytes(camera, t);
    assert.equal(bytes.length, 3200);
    assert.equal(bytes.length, frameSizeBytes(camera));
    assert.deepEqual(bytes.subarray(0, 2), Buffer.from([0xff, 0xd8]));
    assert.deepEqual(bytes.subarray(-2), Buffer.from([0xff, 0xd9]));
    assert.deepEqual(bytes.subarray(2, 4), Buffer.from([0xff, 0xfe]));
    assert.ok(bytes.includes(Buffer.from(`camera=${camera.id} time=${t}`)));
    // A frame too large for one comment segment still parses as a chain of segments up to the image.
    const big = frameBytes({ ...camera, bitrateBps: 8_000_000 }, t);
    assert.equal(big.length, 100_000);
    let offset = 2;
    while (big[offset + 1] === 0xfe) offset += 2 + big.readUInt16BE(offset + 2);
    assert.equal(big[offset + 1], 0xdb, 'quantisation table follows the comments');
  });

  it('never goes below a valid JPEG when the bit rate is tiny', () => {
    const tiny = { ...camera, bitrateBps: 1000 };
    const bytes = frameBytes(tiny, frameTimeMs(5, 10));
    assert.equal(bytes.length, frameSizeBytes(tiny));
    assert.ok(bytes.length > 900);
  });
});
