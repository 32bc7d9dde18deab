import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Identity } from './identity.js';
import { IdentityCache } from './identity-cache.js';

const identity = (expiresAt: Date | null = null): Identity => ({ accountId: 'a1', username: 'alice', accountRole: 'operator', role: 'operator', via: 'token', credentialId: 't1', expiresAt });

test('an identity is served until its time to live ends', () => {
  let now = 1_000;
  const cache = new IdentityCache(5_000, 10, () => now);
  cache.set('d1', identity(), cache.generation);
  assert.equal(cache.get('d1')?.username, 'alice');
  now += 4_999;
  assert.ok(cache.get('d1'));
  now += 1;
  assert.equal(cache.get('d1'), undefined);
});

test('never past the credential\'s own expiry', () => {
  let now = 1_000;
  const cache = new IdentityCache(5_000, 10, () => now);
  cache.set('d1', identity(new Date(2_000)), cache.generation);
  now = 1_999;
  assert.ok(cache.get('d1'));
  now = 2_000;
  assert.equal(cache.get('d1'), undefined);
  cache.set('d2', identity(new Date(500)), cache.generation);
  assert.equal(cache.get('d2'), undefined, 'an expired credential is not kept at all');
});

test('clear() forgets everything, and a lookup begun before it cannot store what it read', () => {
  const cache = new IdentityCache(5_000, 10, () => 0);
  cache.set('d1', identity(), cache.generation);
  const before = cache.generation;
  cache.clear();
  assert.equal(cache.get('d1'), undefined);
  cache.set('d2', identity(), before);
  assert.equal(cache.get('d2'), undefined);
  cache.set('d2', identity(), cache.generation);
  assert.ok(cache.get('d2'));
});

test('bounded: the oldest entry makes room', () => {
  const cache = new IdentityCache(5_000, 3, () => 0);
  for (const d of ['d1', 'd2', 'd3', 'd4']) cache.set(d, identity(), cache.generation);
  assert.equal(cache.size, 3);
  assert.equal(cache.get('d1'), undefined);
  assert.ok(cache.get('d4'));
});
