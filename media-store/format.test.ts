import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { blockFileName, blockHeader, decodeBlock, decodeIndex, encodeFrameRecord, encodeIndexRecord, MAX_INDEX_LINE_BYTES, parseBlockFileName, sha256Hex, sliceBlock, type IndexRecord } from './format.js';

function block(frames: Array<[number, string]>): Buffer {
  return Buffer.concat([blockHeader(10), ...frames.map(([t, text]) => encodeFrameRecord(t, Buffer.from(text)))]);
}

describe('block format', () => {
  it('round-trips frames', () => {
    const bytes = block([
      [1000, 'a'],
      [1100, 'bb'],
      [1200, 'ccc'],
    ]);
    const decoded = decodeBlock(bytes);
    assert.equal(decoded.clean, true);
    assert.equal(decoded.fps, 10);
    assert.deepEqual(
      decoded.frames.map((f) => [f.timeMs, bytes.subarray(f.offset, f.offset + f.length).toString()]),
      [
        [1000, 'a'],
        [1100, 'bb'],
        [1200, 'ccc'],
      ],
    );
  });

  it('stops at a torn or corrupt record and reports the valid length', () => {
    const whole = block([
      [1000, 'aaaa'],
      [1100, 'bbbb'],
    ]);
    const torn = whole.subarray(0, whole.length - 2);
    const decoded = decodeBlock(torn);
    assert.equal(decoded.clean, false);
    assert.equal(decoded.frames.length, 1);
    assert.equal(decoded.validBytes, 16 + 14 + 4);
    const corrupt = Buffer.from(whole);
    corrupt.writeUInt8((corrupt.at(-1) ?? 0) ^ 0xff, corrupt.length - 1);
    assert.equal(decodeBlock(corrupt).frames.length, 1);
    const backwards = block([
      [1000, 'a'],
      [900, 'b'],
    ]);
    assert.equal(decodeBlock(backwards).frames.length, 1, 'times must increase');
    assert.equal(decodeBlock(Buffer.from('not a block')).validBytes, 0);
  });

  it('names block files so that they sort by time', () => {
    assert.equal(blockFileName(1_700_000_000_000), '001700000000000.blk');
    assert.equal(parseBlockFileName('001700000000000.blk'), 1_700_000_000_000);
    assert.equal(parseBlockFileName('x.blk'), null);
  });
});

describe('block slices', () => {
  const whole = block([
    [1000, 'a'],
    [1100, 'bb'],
    [1200, 'ccc'],
    [1300, 'dddd'],
  ]);
  const framesOf = (bytes: Buffer): Array<[number, string]> => decodeBlock(bytes).frames.map((f) => [f.timeMs, bytes.subarray(f.offset, f.offset + f.length).toString()]);

  it('holds exactly the frames in range, as a clean block with the same fps and byte-identical records', () => {
    const slice = sliceBlock(whole, 1100, 1200);
    assert.ok(slice !== null);
    assert.equal(decodeBlock(slice).clean, true);
    assert.equal(decodeBlock(slice).fps, 10);
    assert.deepEqual(framesOf(slice), [
      [1100, 'bb'],
      [1200, 'ccc'],
    ]);
    // The records are the original ones: a slice of a slice, or of the tail, is a suffix of the file.
    assert.deepEqual(sliceBlock(whole, 1150, 5000), Buffer.concat([blockHeader(10), whole.subarray(whole.length - (14 + 3) - (14 + 4))]));
    assert.deepEqual(framesOf(sliceBlock(whole, 0, 1000) ?? Buffer.alloc(0)), [[1000, 'a']]);
  });

  it('returns the original bytes when every frame is in range, so a whole block keeps its SHA-256', () => {
    const slice = sliceBlock(whole, 1000, 1300);
    assert.equal(slice, whole);
    assert.equal(sha256Hex(sliceBlock(whole, 0, Number.MAX_SAFE_INTEGER) ?? Buffer.alloc(0)), sha256Hex(whole));
    assert.notEqual(sha256Hex(sliceBlock(whole, 1000, 1299) ?? Buffer.alloc(0)), sha256Hex(whole));
  });

  it('is null when no frame is in range or the block is torn or corrupt', () => {
    assert.equal(sliceBlock(whole, 1010, 1090), null, 'between two frames');
    assert.equal(sliceBlock(whole, 1400, 2000), null);
    assert.equal(sliceBlock(whole, 1300, 1000), null, 'empty range');
    assert.equal(sliceBlock(whole.subarray(0, whole.length - 1), 1000, 1100), null, 'torn tail');
    const corrupt = Buffer.from(whole);
    corrupt.writeUInt8((corrupt.at(-1) ?? 0) ^ 0xff, corrupt.length - 1);
    assert.equal(sliceBlock(corrupt, 1000, 1100), null, 'corrupt last record');
    assert.equal(sliceBlock(Buffer.from('not a block at all'), 0, 5000), null);
  });
});

describe('index format', () => {
  const records: IndexRecord[] = [
    { op: 'block', startMs: 1000, endMs: 1900, fps: 10, frameCount: 10, bytes: 500, sha256: 'ab' },
    { op: 'placeholder', startMs: 2000, endMs: 2900, fps: 10 },
    { op: 'delete', startMs: 1000 },
  ];

  it('round-trips records, one checked line each', () => {
    const bytes = Buffer.from(records.map(encodeIndexRecord).join(''));
    const decoded = decodeIndex(bytes);
    assert.equal(decoded.clean, true);
    assert.deepEqual(decoded.records, records);
  });

  it('stops at a torn tail or a line whose checksum fails', () => {
    const text = records.map(encodeIndexRecord).join('');
    const torn = decodeIndex(Buffer.from(text.slice(0, text.length - 5)));
    assert.equal(torn.records.length, 2);
    assert.equal(torn.clean, false);
    assert.equal(torn.validBytes, Buffer.byteLength(encodeIndexRecord(records[0] as IndexRecord) + encodeIndexRecord(records[1] as IndexRecord)));
    const tampered = text.replace('"frameCount":10', '"frameCount":11');
    assert.equal(decodeIndex(Buffer.from(tampered)).records.length, 0);
  });

  it('says why it stopped, so a reader of chunks can tell a line cut by the chunk from corruption', () => {
    const text = records.map(encodeIndexRecord).join('');
    assert.equal(decodeIndex(Buffer.from(text)).stop, 'end');
    assert.equal(decodeIndex(Buffer.from(text.slice(0, text.length - 5))).stop, 'incomplete');
    assert.equal(decodeIndex(Buffer.from(text.replace('"frameCount":10', '"frameCount":11'))).stop, 'corrupt');
    assert.equal(decodeIndex(Buffer.from('x'.repeat(MAX_INDEX_LINE_BYTES + 1))).stop, 'corrupt', 'no newline within the longest line');
    assert.equal(decodeIndex(Buffer.from('{"op":"delete","startMs":1} 00000000\n')).stop, 'corrupt');
  });
});
