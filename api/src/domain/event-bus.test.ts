import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventRow } from '../db/entities/index.js';
import { EventBus, type EventOrigin } from './event-bus.js';

const event = (id: string): EventRow => ({ id, time: new Date(0), clusterId: null, nodeId: null, kind: 'node.state-changed', severity: 'info', message: id, data: {} });

describe('EventBus', () => {
  test('hands each event out once, whichever way it comes first, with its origin', () => {
    const bus = new EventBus();
    const got: Array<[string, EventOrigin]> = [];
    bus.subscribe((row, origin) => got.push([row.id, origin]));
    bus.publish([event('e1'), event('e2')]);
    bus.publish([event('e2'), event('e3')], 'shared');
    bus.publish([event('e1')], 'shared');
    assert.deepEqual(got, [['e1', 'local'], ['e2', 'local'], ['e3', 'shared']]);
    assert.equal(bus.published('e3'), true);
    assert.equal(bus.published('e4'), false);
  });

  test('skip records events as handed out without handing them out', () => {
    const bus = new EventBus();
    const got: string[] = [];
    bus.subscribe((row) => got.push(row.id));
    bus.skip(['e1']);
    bus.publish([event('e1'), event('e2')], 'shared');
    assert.deepEqual(got, ['e2']);
  });

  test('remembers at most recentIdsMax ids, the newest', () => {
    const bus = new EventBus(() => {}, 10, 2);
    const got: string[] = [];
    bus.subscribe((row) => got.push(row.id));
    bus.publish([event('e1'), event('e2'), event('e3')]);
    assert.equal(bus.published('e1'), false);
    bus.publish([event('e1'), event('e3')]);
    assert.deepEqual(got, ['e1', 'e2', 'e3', 'e1']);
  });

  test('a listener that throws harms no other', () => {
    const errors: unknown[] = [];
    const bus = new EventBus((err) => errors.push(err));
    const got: string[] = [];
    bus.subscribe(() => {
      throw new Error('boom');
    });
    bus.subscribe((row) => got.push(row.id));
    bus.publish([event('e1')]);
    assert.deepEqual(got, ['e1']);
    assert.equal(errors.length, 1);
  });
});
