import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { agentSecretColumnLength } from './entities/cluster.js';
import { isSealed, keyIdOf, openSecret, sealedKeyId, sealedLengthMax, sealSecret, SecretsKeyError } from './secret-box.js';

const purpose = 'cluster.agent_secret';
const key = randomBytes(32);

describe('secret-box', () => {
  test('a sealed secret opens to the same text, and names its key, for any well-formed secret of 1 to 256 characters', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 256, unit: 'grapheme' }).filter((s) => s.length <= 256), (plain) => {
        const sealed = sealSecret(plain, key, purpose);
        assert.ok(isSealed(sealed));
        assert.equal(sealedKeyId(sealed), keyIdOf(key));
        assert.ok(!sealed.includes(plain) || plain.length < 8, 'the secret is not in the sealed text');
        assert.equal(openSecret(sealed, key, purpose), plain);
      }),
      { numRuns: 300 },
    );
  });

  test('sealing twice gives different text (a fresh IV), so stored secrets cannot be compared', () => {
    assert.notEqual(sealSecret('s3cret-0123456789', key, purpose), sealSecret('s3cret-0123456789', key, purpose));
  });

  test('the longest secret sealed fits the agent_secret column', () => {
    assert.ok(sealedLengthMax(256) <= agentSecretColumnLength, `${sealedLengthMax(256)} ≤ ${agentSecretColumnLength}`);
    for (const plain of ['x'.repeat(256), '€'.repeat(256), '😀'.repeat(128)]) {
      const sealed = sealSecret(plain, key, purpose);
      assert.ok(sealed.length <= sealedLengthMax(256), `${sealed.length} ≤ ${sealedLengthMax(256)}`);
    }
  });

  test('another key, another purpose, or a changed byte do not open it, and say so', () => {
    const sealed = sealSecret('s3cret-0123456789', key, purpose);
    const other = randomBytes(32);
    assert.throws(() => openSecret(sealed, other, purpose), (e: Error) => e instanceof SecretsKeyError && e.message.includes(keyIdOf(key)) && e.message.includes(keyIdOf(other)));
    assert.throws(() => openSecret(sealed, key, 'node.other'), SecretsKeyError);
    const payloadStart = 'enc:v1:'.length + 17;
    const flipped = sealed.slice(0, payloadStart + 20) + (sealed[payloadStart + 20] === 'A' ? 'B' : 'A') + sealed.slice(payloadStart + 21);
    assert.throws(() => openSecret(flipped, key, purpose), /integrity check/);
    assert.throws(() => openSecret('plain-text-secret', key, purpose), /not a sealed secret/);
    assert.throws(() => openSecret(`enc:v1:${keyIdOf(key)}:AAAA`, key, purpose), /too short/);
  });

  test('a key of the wrong size, and a secret that would not read back the same, are refused', () => {
    assert.throws(() => sealSecret('s3cret-0123456789', randomBytes(16), purpose), /32 bytes/);
    assert.throws(() => sealSecret('lone \ud800 surrogate', key, purpose), /lone surrogate/);
  });
});
