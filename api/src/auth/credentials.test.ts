import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { digestOf, isApiToken, isSessionSecret, newApiToken, newSessionSecret } from './credentials.js';

describe('credentials', () => {
  test('session ids and tokens are 32 random bytes, tokens prefixed trk_', () => {
    const sessions = new Set(Array.from({ length: 100 }, newSessionSecret));
    const tokens = new Set(Array.from({ length: 100 }, newApiToken));
    assert.equal(sessions.size, 100);
    assert.equal(tokens.size, 100);
    for (const s of sessions) assert.ok(isSessionSecret(s) && Buffer.from(s, 'base64url').length === 32);
    for (const t of tokens) assert.ok(isApiToken(t) && Buffer.from(t.slice(4), 'base64url').length === 32);
  });

  test('only well-formed values pass the shape checks', () => {
    const token = newApiToken();
    assert.equal(isApiToken(token.slice(4)), false);
    assert.equal(isApiToken(`${token}x`), false);
    assert.equal(isApiToken('trk_' + '!'.repeat(43)), false);
    assert.equal(isSessionSecret(token), false);
    assert.equal(isSessionSecret(''), false);
  });

  test('the stored digest is the SHA-256 in hex, never the secret itself', () => {
    assert.equal(digestOf('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const token = newApiToken();
    assert.match(digestOf(token), /^[0-9a-f]{64}$/);
    assert.ok(!digestOf(token).includes(token.slice(4, 12)));
  });
});
