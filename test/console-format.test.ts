// The web console's pure helpers (web/src/lib): how numbers, states and mismatches read, and
// how the event log merges history with the live stream. Run under Node; the rest of the
// console is tested in a real browser (test/console.test.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mergeEvents, streamReopenDelayMs, streamReopenMaxMs, streamReopenMinMs } from '../web/src/lib/events.js';
import { describeMismatch, formatBytes, formatPercent, formatPing, formatSpan, formatUptime, stateTone } from '../web/src/lib/format.js';

describe('console formatting', () => {
  test('uptime reads like the Server Cloning panel', () => {
    assert.equal(formatUptime(60), '0 days, 0 hours, 1 minute');
    assert.equal(formatUptime(86_400 + 20 * 3_600 + 31 * 60 + 59), '1 day, 20 hours, 31 minutes');
    assert.equal(formatUptime(null), '—');
    assert.equal(formatUptime(-1), '—');
  });

  test('spans read as days and hh:mm:ss', () => {
    assert.equal(formatSpan(14 * 3_600 + 14 * 60 + 34), '0 days, 14:14:34');
    assert.equal(formatSpan(2 * 86_400 + 5), '2 days, 00:00:05');
    assert.equal(formatSpan(0), '0 days, 00:00:00');
    assert.equal(formatSpan(undefined), '—');
  });

  test('ping, sizes and percentages', () => {
    assert.equal(formatPing({ avgMs: 13.2, maxMs: 16.4 }), '13 avg., 16 max.');
    assert.equal(formatPing({ avgMs: 0.43, maxMs: 2.5 }), '0.4 avg., 2.5 max.');
    assert.equal(formatPing(null), '—');
    assert.equal(formatBytes(4_450e9), '4,450 GB');
    assert.equal(formatBytes(250e12), '250 TB');
    assert.equal(formatBytes(10_000), '10 KB');
    assert.equal(formatBytes(12), '12 B');
    assert.equal(formatPercent(99.6), '100 %');
    assert.equal(formatPercent(null), '—');
  });

  test("SafeKit's colours: available, transient, stopped", () => {
    assert.deepEqual(['PRIM', 'SECOND', 'ALONE', 'WAIT', 'STOP', null].map(stateTone), ['ok', 'ok', 'ok', 'transient', 'down', 'unknown']);
  });

  test('a mismatch says what differs on which node', () => {
    assert.equal(describeMismatch({ setting: 'fpsRequested', values: { 'rec-b': 15, 'rec-a': 25 } }), 'Frame rate: rec-a 25, rec-b 15');
    assert.equal(describeMismatch({ setting: 'present', values: { 'rec-a': true, 'rec-b': false } }), 'Present: rec-a yes, rec-b no');
    assert.equal(describeMismatch({ setting: 'videoFormat', values: { 'rec-a': 'H.264', 'rec-b': null } }), 'Codec: rec-a H.264, rec-b —');
  });

  test('the event log is newest first, once per id, bounded', () => {
    const event = (id: string, time: string) => ({ id, cursor: `${time}_${id}` });
    const history = [event('b', '2026-01-01T00:00:02.000Z'), event('a', '2026-01-01T00:00:01.000Z')];
    const merged = mergeEvents(history, [event('c', '2026-01-01T00:00:03.000Z'), event('b', '2026-01-01T00:00:02.000Z')]);
    assert.deepEqual(merged.map((e) => e.id), ['c', 'b', 'a']);
    const many = Array.from({ length: 300 }, (_, i) => event(`e${i}`, new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString()));
    const bounded = mergeEvents([], many, 200);
    assert.equal(bounded.length, 200);
    assert.equal(bounded[0]?.id, 'e299');
  });
  test('a refused event stream is reopened after a delay that doubles up to a cap, spread over its upper half', () => {
    const low = () => 0;
    const high = () => 0.999_999;
    assert.deepEqual([0, 1, 2, 3, 4].map((n) => streamReopenDelayMs(n, high)), [1_000, 2_000, 4_000, 8_000, 16_000]);
    assert.deepEqual([0, 1, 2, 3, 4].map((n) => streamReopenDelayMs(n, low)), [500, 1_000, 2_000, 4_000, 8_000]);
    for (const attempt of [5, 6, 10, 50, 1_000, Number.MAX_SAFE_INTEGER]) {
      assert.equal(streamReopenDelayMs(attempt, high), streamReopenMaxMs, `attempt ${attempt}: capped`);
      assert.equal(streamReopenDelayMs(attempt, low), streamReopenMaxMs / 2);
    }
    // Any attempt, any random draw: within [min/2, max], never NaN.
    for (const attempt of [-1, 0, 0.5, 3, 7, Number.NaN]) {
      for (const draw of [0, 0.25, 0.5, 0.75, 1, -5, 5, Number.NaN]) {
        const delay = streamReopenDelayMs(attempt, () => draw);
        assert.ok(delay >= streamReopenMinMs / 2 && delay <= streamReopenMaxMs, `attempt ${attempt}, draw ${draw}: ${delay}`);
      }
    }
    // Without a random source it still stays within the attempt's bounds.
    const d = streamReopenDelayMs(2);
    assert.ok(d >= 2_000 && d <= 4_000);
  });
});
