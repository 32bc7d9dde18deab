import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MjpegParser, PART_TRAILER, partHeader } from './mjpeg.js';
import { ConnectionRules } from './connection-rules.js';

function part(timeMs: number, body: Buffer): Buffer {
  return Buffer.concat([partHeader(timeMs, body.length), body, PART_TRAILER]);
}

describe('MJPEG stream', () => {
  it('parses frames split at any byte', () => {
    const stream = Buffer.concat([part(1000, Buffer.from('first')), part(1100, Buffer.alloc(3000, 7)), part(1200, Buffer.from('third'))]);
    for (const step of [1, 7, 100, stream.length]) {
      const parser = new MjpegParser();
      const frames = [];
      for (let i = 0; i < stream.length; i += step) frames.push(...parser.push(stream.subarray(i, i + step)));
      assert.deepEqual(
        frames.map((f) => f.timeMs),
        [1000, 1100, 1200],
      );
      assert.equal(frames[1]?.bytes.length, 3000);
      assert.equal(frames[2]?.bytes.toString(), 'third');
    }
  });

  it('rejects a stream without the boundary, without a frame time, or with an oversized header', () => {
    assert.throws(() => new MjpegParser().push(Buffer.from('garbage\r\n\r\n')), /expected boundary/);
    assert.throws(() => new MjpegParser().push(Buffer.from('--twinreclabframe\r\nContent-Length: 3\r\n\r\n')), /X-Frame-Time/);
    assert.throws(() => new MjpegParser({ maxHeaderBytes: 16, maxFrameBytes: 100 }).push(Buffer.alloc(64, 65)), /too long/);
  });
});

describe('connection rules', () => {
  it('refuses one recorder for one camera or for all, and lifts refusals', () => {
    const rules = new ConnectionRules();
    rules.refuse('cam-1', 'rec-a');
    assert.equal(rules.isRefused('cam-1', 'rec-a'), true);
    assert.equal(rules.isRefused('cam-1', 'rec-b'), false);
    assert.equal(rules.isRefused('cam-2', 'rec-a'), false);
    rules.refuse('*', 'rec-b');
    assert.equal(rules.isRefused('cam-9', 'rec-b'), true);
    rules.allow('*', 'rec-b');
    assert.equal(rules.isRefused('cam-9', 'rec-b'), false);
    rules.allow('cam-1', 'rec-a');
    assert.deepEqual(rules.list(), []);
  });
});
