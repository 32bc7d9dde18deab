import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mergeSequences, sequencesAround, sequencesBetween } from './sequences.js';

describe('sequences', () => {
  it('merges blocks without a missing frame, and breaks at a gap', () => {
    const sequences = mergeSequences([
      { startMs: 0, endMs: 900, fps: 10 },
      { startMs: 1000, endMs: 1900, fps: 10 },
      { startMs: 2100, endMs: 2900, fps: 10 },
    ]);
    assert.deepEqual(sequences, [
      { beginMs: 0, endMs: 1900 },
      { beginMs: 2100, endMs: 2900 },
    ]);
  });

  it('selects by time window and count, and around a centre time for ImageServer alarms', () => {
    const all = [
      { beginMs: 0, endMs: 100 },
      { beginMs: 1000, endMs: 1100 },
      { beginMs: 2000, endMs: 2100 },
    ];
    assert.deepEqual(sequencesBetween(all, 50, 1000, 10), all.slice(0, 2));
    assert.deepEqual(sequencesBetween(all, 0, 5000, 1), all.slice(0, 1));
    assert.deepEqual(sequencesAround(all, 1900, 5000, 2), all.slice(1, 3));
    assert.deepEqual(sequencesAround(all, 1900, 500, 10), all.slice(2, 3));
  });
});
