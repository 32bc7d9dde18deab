import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clipFrom, contains, coverageOf, entryCoverage, frameSpan, frameSpansOf, hullsWithin, intersect, intersects, measureMs, normalize, subtract, union, type Interval } from './intervals.js';

const iv = (startMs: number, endMs: number): Interval => ({ startMs, endMs });

describe('interval sets', () => {
  it('normalize sorts and merges overlapping and touching intervals, and drops empty ones', () => {
    assert.deepEqual(normalize([iv(50, 60), iv(0, 10), iv(10, 20), iv(15, 30), iv(40, 40)]), [iv(0, 30), iv(50, 60)]);
  });

  it('union merges two sets, touching intervals included', () => {
    assert.deepEqual(union([iv(0, 10), iv(30, 40)], [iv(10, 20), iv(35, 50), iv(60, 70)]), [iv(0, 20), iv(30, 50), iv(60, 70)]);
    assert.deepEqual(union([], [iv(1, 2)]), [iv(1, 2)]);
  });

  it('subtract cuts holes, trims edges and removes what is covered', () => {
    assert.deepEqual(subtract([iv(0, 100)], [iv(40, 60)]), [iv(0, 40), iv(60, 100)]);
    assert.deepEqual(subtract([iv(0, 100)], [iv(-10, 10), iv(90, 200)]), [iv(10, 90)]);
    assert.deepEqual(subtract([iv(0, 100)], [iv(0, 100)]), []);
    assert.deepEqual(subtract([iv(0, 10), iv(20, 30), iv(40, 50)], [iv(5, 45)]), [iv(0, 5), iv(45, 50)]);
    assert.deepEqual(subtract([iv(0, 10)], [iv(10, 20)]), [iv(0, 10)], 'a touching interval takes nothing');
    assert.deepEqual(subtract([iv(0, 10), iv(20, 30)], []), [iv(0, 10), iv(20, 30)]);
  });

  it('subtract keeps a cut that reaches past one interval for the next', () => {
    assert.deepEqual(subtract([iv(0, 10), iv(20, 30)], [iv(5, 25)]), [iv(0, 5), iv(25, 30)]);
  });

  it('intersect keeps the common time', () => {
    assert.deepEqual(intersect([iv(0, 50), iv(60, 100)], [iv(40, 70), iv(90, 95)]), [iv(40, 50), iv(60, 70), iv(90, 95)]);
    assert.deepEqual(intersect([iv(0, 10)], [iv(10, 20)]), []);
  });

  it('clipFrom drops what ends before the time and trims what straddles it', () => {
    assert.deepEqual(clipFrom([iv(0, 10), iv(20, 30), iv(40, 50)], 25), [iv(25, 30), iv(40, 50)]);
    assert.deepEqual(clipFrom([iv(0, 10)], 10), []);
    assert.deepEqual(clipFrom([iv(0, 10)], -5), [iv(0, 10)]);
  });

  it('measureMs adds the lengths', () => {
    assert.equal(measureMs([iv(0, 10), iv(20, 25)]), 15);
    assert.equal(measureMs([]), 0);
  });

  it('contains: the interval lies within one interval of the set', () => {
    const set = [iv(0, 10), iv(20, 30)];
    assert.equal(contains(set, iv(0, 10)), true);
    assert.equal(contains(set, iv(21, 29)), true);
    assert.equal(contains(set, iv(5, 25)), false, 'across a gap');
    assert.equal(contains(set, iv(30, 31)), false);
    assert.equal(contains(set, iv(15, 15)), true, 'an empty interval');
    assert.equal(contains([], iv(0, 1)), false);
  });

  it('intersects: some of the interval lies in the set', () => {
    const set = [iv(0, 10), iv(20, 30)];
    assert.equal(intersects(set, iv(9, 12)), true);
    assert.equal(intersects(set, iv(10, 20)), false);
    assert.equal(intersects(set, iv(29, 100)), true);
    assert.equal(intersects(set, iv(5, 5)), false);
  });

  it('hullsWithin shrinks each interval to the hull of its part in the other set', () => {
    assert.deepEqual(hullsWithin([iv(0, 100), iv(200, 300), iv(400, 500)], [iv(10, 20), iv(50, 60), iv(250, 260), iv(600, 700)]), [iv(10, 60), iv(250, 260)]);
    assert.deepEqual(hullsWithin([iv(0, 100)], [iv(-50, 150)]), [iv(0, 100)]);
  });
});

describe('coverage and frame spans of stored ranges', () => {
  it('coverage lasts one frame interval past the last frame, rounded up to whole ms', () => {
    assert.deepEqual(entryCoverage({ startMs: 0, endMs: 9_900, fps: 10 }), iv(0, 10_000));
    assert.deepEqual(entryCoverage({ startMs: 0, endMs: 9_966, fps: 30 }), iv(0, 10_000));
    assert.deepEqual(entryCoverage({ startMs: 500, endMs: 500, fps: 1 }), iv(500, 1_500));
  });

  it('at 30 fps (frames 33 or 34 ms apart) back-to-back blocks leave no sliver', () => {
    const frame = (n: number): number => Math.floor((n * 1000) / 30);
    const blocks = [0, 300, 600].map((n) => ({ startMs: frame(n), endMs: frame(n + 299), fps: 30 }));
    assert.deepEqual(coverageOf(blocks), [iv(0, 30_000)]);
  });

  it('a frame span holds the frame instants only', () => {
    assert.deepEqual(frameSpan({ startMs: 100, endMs: 200 }), iv(100, 201));
    assert.deepEqual(frameSpansOf([{ startMs: 0, endMs: 9 }, { startMs: 10, endMs: 20 }, { startMs: 30, endMs: 30 }]), [iv(0, 21), iv(30, 31)]);
  });
});
