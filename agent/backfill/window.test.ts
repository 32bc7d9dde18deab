import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inWindow } from './backfill-service.js';

const at = (hours: number, minutes: number): Date => new Date(2026, 11, 6, hours, minutes);

test('the daily backfill window: start inclusive, end exclusive, in the host\'s local time', () => {
  const night = { startMinute: 22 * 60, endMinute: 6 * 60 };
  assert.equal(inWindow(night, at(23, 30)), true);
  assert.equal(inWindow(night, at(2, 0)), true, 'past midnight');
  assert.equal(inWindow(night, at(6, 0)), false, 'the end is exclusive');
  assert.equal(inWindow(night, at(12, 0)), false);
  assert.equal(inWindow(night, at(22, 0)), true, 'the start is inclusive');
  const lunch = { startMinute: 12 * 60, endMinute: 13 * 60 + 30 };
  assert.equal(inWindow(lunch, at(12, 45)), true);
  assert.equal(inWindow(lunch, at(13, 30)), false);
  assert.equal(inWindow(lunch, at(11, 59)), false);
});
