import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { CameraChurn, seededRandom } from './scale-churn.js';

const site = { pairs: 100, camerasPerPair: 10, dropsPerSecond: 2.5, downSecondsMin: 3, downSecondsMax: 6, seed: 7 };

describe('CameraChurn', () => {
  test('drops the asked number per second on average, and every camera returns within its down time', () => {
    const churn = new CameraChurn(site);
    const downSince = new Map<string, number>();
    let drops = 0;
    for (let second = 1; second <= 40; second += 1) {
      const { dropped, returned } = churn.step(second);
      for (const at of returned) {
        const key = `${at.pair}:${at.camera}`;
        const since = downSince.get(key);
        assert.ok(since !== undefined, `${key} returned without having dropped`);
        assert.ok(second - since >= site.downSecondsMin && second - since <= site.downSecondsMax, `${key} was down ${second - since} s`);
        downSince.delete(key);
        // It may drop again in the same second.
        assert.equal(churn.isDown(at.pair, at.camera), dropped.some((d) => d.pair === at.pair && d.camera === at.camera));
      }
      for (const at of dropped) {
        const key = `${at.pair}:${at.camera}`;
        assert.ok(!downSince.has(key), `${key} dropped twice`);
        assert.ok(at.pair >= 0 && at.pair < site.pairs && at.camera >= 0 && at.camera < site.camerasPerPair);
        downSince.set(key, second);
        assert.equal(churn.isDown(at.pair, at.camera), true);
      }
      drops += dropped.length;
    }
    assert.equal(drops, 100, '2.5 per second over 40 s');
    assert.equal(churn.downCount, downSince.size);
  });

  test('the same seed gives the same churn and failovers', () => {
    const run = () => {
      const churn = new CameraChurn(site);
      return Array.from({ length: 10 }, (_, i) => ({ ...churn.step(i + 1), failover: churn.nextFailover() }));
    };
    assert.deepEqual(run(), run());
  });

  test('never holds more than 5 % of the site down, however many drops are asked', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 500 }), (pairs, camerasPerPair, dropsPerSecond) => {
        const churn = new CameraChurn({ pairs, camerasPerPair, dropsPerSecond, downSecondsMin: 50, downSecondsMax: 60, seed: 1 });
        for (let s = 1; s <= 5; s += 1) churn.step(s);
        assert.ok(churn.downCount <= Math.max(1, Math.floor(pairs * camerasPerPair * 0.05)));
      }),
    );
  });

  test('refuses a site without cameras and a return before it drops', () => {
    assert.throws(() => new CameraChurn({ ...site, pairs: 0 }), RangeError);
    assert.throws(() => new CameraChurn({ ...site, downSecondsMin: 0 }), RangeError);
    assert.throws(() => new CameraChurn({ ...site, downSecondsMax: 2 }), RangeError);
  });

  test('seededRandom stays in [0, 1)', () => {
    const next = seededRandom(42);
    for (let i = 0; i < 10_000; i += 1) {
      const x = next();
      assert.ok(x >= 0 && x < 1);
    }
  });
});
