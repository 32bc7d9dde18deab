import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { signatureHeader, verifySignature } from './signature.js';

test('the header is t=<seconds>,v1=<hex HMAC-SHA256 over "<t>.<body>">, a vector computed here independently', () => {
  const secret = 'whsec-test-0123456789';
  const body = '{"id":"e1","kind":"failover.claiming"}';
  const expected = createHmac('sha256', secret).update(`1765200000.${body}`).digest('hex');
  assert.equal(signatureHeader(secret, 1765200000, body), `t=1765200000,v1=${expected}`);
  // A fixed vector, so that a change of the scheme shows here too.
  assert.equal(createHmac('sha256', 'secret').update('1.{}').digest('hex'), signatureHeader('secret', 1, '{}').slice('t=1,v1='.length));
});

test('verification: the right secret and body within the tolerance only', () => {
  fc.assert(
    fc.property(fc.string({ minLength: 16, maxLength: 64 }), fc.string({ maxLength: 200 }), fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }), (secret, body, t) => {
      const header = signatureHeader(secret, t, body);
      assert.equal(verifySignature(header, secret, body, t + 10), true);
      assert.equal(verifySignature(header, `${secret}x`, body, t), false);
      assert.equal(verifySignature(header, secret, `${body} `, t), false);
      assert.equal(verifySignature(header, secret, body, t + 301), false, 'too old: a replay');
    }),
  );
  assert.equal(verifySignature('v1=abc', 's', '{}', 1), false);
  assert.equal(verifySignature('t=1,v1=zz', 's', '{}', 1), false);
});
