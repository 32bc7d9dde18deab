import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { roles } from '../model/vocabulary.js';
import { isRole, lowerRole, roleAtLeast } from './roles.js';

describe('roles', () => {
  test('viewer < operator < admin, and every role includes itself', () => {
    const allowed = roles.flatMap((role) => roles.filter((required) => roleAtLeast(role, required)).map((required) => `${role}>=${required}`));
    assert.deepEqual(allowed, ['viewer>=viewer', 'operator>=viewer', 'operator>=operator', 'admin>=viewer', 'admin>=operator', 'admin>=admin']);
  });

  test('lowerRole is the weaker of the two, in either order', () => {
    for (const a of roles) {
      for (const b of roles) {
        const lower = lowerRole(a, b);
        assert.equal(lower, lowerRole(b, a));
        assert.ok(roleAtLeast(a, lower) && roleAtLeast(b, lower));
        assert.ok(lower === a || lower === b);
      }
    }
    assert.equal(lowerRole('admin', 'viewer'), 'viewer');
  });

  test('isRole accepts only the three roles', () => {
    assert.deepEqual(['viewer', 'operator', 'admin', 'Admin', 'root', '', null, 1].map(isRole), [true, true, true, false, false, false, false, false]);
  });
});
