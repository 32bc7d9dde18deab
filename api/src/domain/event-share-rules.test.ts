import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { eventsNoticePayloads, inCursorOrder, readEventsNotice } from './event-share-rules.js';

describe('eventsNoticePayloads and readEventsNotice', () => {
  test('announce every id, in order, in payloads within the byte bound', () => {
    const ids = Array.from({ length: 1_000 }, () => randomUUID());
    const payloads = eventsNoticePayloads('ctl-1-42-abcdef01', ids, 7_900);
    assert.ok(payloads.length > 1);
    for (const payload of payloads) assert.ok(Buffer.byteLength(payload) <= 7_900);
    const read = payloads.map((p) => readEventsNotice(p));
    assert.ok(read.every((n) => n?.controllerId === 'ctl-1-42-abcdef01'));
    assert.deepEqual(read.flatMap((n) => n?.eventIds ?? []), ids);
  });

  test('hold whatever ids and bounds, and lose none that fits', () => {
    fc.assert(
      fc.property(fc.array(fc.uuid(), { maxLength: 300 }), fc.integer({ min: 60, max: 2_000 }), (ids, bytesMax) => {
        const payloads = eventsNoticePayloads('A', ids, bytesMax);
        for (const payload of payloads) assert.ok(Buffer.byteLength(payload) <= bytesMax);
        assert.deepEqual(payloads.flatMap((p) => readEventsNotice(p)?.eventIds ?? []), ids);
      }),
    );
  });

  test('nothing for no ids; an id that fits no payload is left to the poll', () => {
    assert.deepEqual(eventsNoticePayloads('A', [], 7_900), []);
    assert.deepEqual(eventsNoticePayloads('A', ['x'.repeat(100)], 50), []);
  });

  test('another program’s payload on the channel is not a notice; odd ids are dropped', () => {
    assert.equal(readEventsNotice('hello'), null);
    assert.equal(readEventsNotice('{"c":1,"e":[]}'), null);
    assert.equal(readEventsNotice('{"c":"A"}'), null);
    assert.deepEqual(readEventsNotice('{"c":"A","e":["ok-1",7,"has space","x\'; DROP"]}'), { controllerId: 'A', eventIds: ['ok-1'] });
  });
});

describe('inCursorOrder', () => {
  test('orders by time, then id, as stream cursors do', () => {
    const t = new Date('2026-12-01T00:00:00Z');
    const later = new Date(t.getTime() + 1);
    const rows = [{ id: 'b', time: t }, { id: 'c', time: later }, { id: 'a', time: t }];
    assert.deepEqual(inCursorOrder(rows).map((r) => r.id), ['a', 'b', 'c']);
  });
});
