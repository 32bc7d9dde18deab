import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventRow } from '../db/entities/index.js';
import { cursorOf, eventMatches, kindFilterOf, parseCursor, severitiesFrom } from './events.js';

const id = '0b7c4c1e-8a8f-4e8e-9a51-6f0e2f3d4c5b';
const row = (o: Partial<EventRow> = {}): EventRow => ({ id, time: new Date('2026-11-22T10:11:12.345Z'), clusterId: 'c', nodeId: 'n', kind: 'failover.started', severity: 'warning', message: '', data: {}, ...o });

describe('event cursors and filters', () => {
  test('a cursor is time and id, and round-trips; anything else is not one', () => {
    const cursor = cursorOf(row());
    assert.equal(cursor, `2026-11-22T10:11:12.345Z_${id}`);
    assert.deepEqual(parseCursor(cursor), { time: new Date('2026-11-22T10:11:12.345Z'), id });
    for (const bad of ['', id, `2026-11-22T10:11:12Z_${id}`, `2026-02-30T10:11:12.345Z_${id}`, `2026-11-22T10:11:12.345Z_${id}x`, `2026-11-22T10:11:12.345Z-${id}`]) assert.equal(parseCursor(bad), null, bad);
  });

  test('kind: exact, prefix or any; severity: this and above; since inclusive, until exclusive', () => {
    assert.deepEqual(kindFilterOf('failover.*'), { prefix: 'failover.' });
    assert.deepEqual(kindFilterOf('failover.started'), { exact: 'failover.started' });
    assert.equal(kindFilterOf('*'), undefined);
    assert.deepEqual(severitiesFrom('error'), ['error', 'critical']);
    const matches = (filter: Parameters<typeof eventMatches>[1]) => eventMatches(row(), filter);
    assert.equal(matches({ kind: { prefix: 'failover.' }, severityMin: 'warning', clusterId: 'c', nodeId: 'n' }), true);
    assert.equal(matches({ kind: { prefix: 'Failover.' } }), false);
    assert.equal(matches({ kind: { exact: 'failover' } }), false);
    assert.equal(matches({ severityMin: 'error' }), false);
    assert.equal(matches({ since: new Date('2026-11-22T10:11:12.345Z'), until: new Date('2026-11-22T10:11:12.346Z') }), true);
    assert.equal(matches({ until: new Date('2026-11-22T10:11:12.345Z') }), false);
    assert.equal(matches({ nodeId: 'other' }), false);
  });
});
