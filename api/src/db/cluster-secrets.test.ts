import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { agentSecretPurpose, installSecretsKey, openedSecretsMax, sealedColumnTransformer } from './cluster-secrets.js';
import { sealSecret, SecretsKeyError } from './secret-box.js';

describe('sealedColumnTransformer', () => {
  const transformer = sealedColumnTransformer(agentSecretPurpose, 'a cluster secret');

  test('opens a sealed value each time it is read, and refuses it again once its key is unloaded', () => {
    const key = randomBytes(32);
    const uninstall = installSecretsKey(key);
    const sealed = transformer.to('s3cret-of-the-pair-0001') as string;
    try {
      for (let i = 0; i < 3; i += 1) assert.equal(transformer.from(sealed), 's3cret-of-the-pair-0001');
    } finally {
      uninstall();
    }
    assert.throws(() => transformer.from(sealed), SecretsKeyError, 'a value read before is not opened without its key');
  });

  test('a value sealed for another purpose does not open, however often the same text was opened for its own', () => {
    const key = randomBytes(32);
    const uninstall = installSecretsKey(key);
    try {
      const sealed = sealSecret('s3cret-of-the-pair-0002', key, 'webhook.secret');
      assert.equal(sealedColumnTransformer('webhook.secret', 'a webhook secret').from(sealed), 's3cret-of-the-pair-0002');
      assert.throws(() => transformer.from(sealed), SecretsKeyError);
    } finally {
      uninstall();
    }
  });

  test('opens every value right beyond the number it keeps opened', () => {
    const key = randomBytes(32);
    const uninstall = installSecretsKey(key);
    try {
      const count = openedSecretsMax + 50;
      const sealed = Array.from({ length: count }, (_, i) => sealSecret(`s3cret-number-${String(i).padStart(6, '0')}`, key, agentSecretPurpose));
      for (const round of [1, 2]) {
        for (let i = 0; i < count; i += 997) assert.equal(transformer.from(sealed[i]), `s3cret-number-${String(i).padStart(6, '0')}`, `round ${round}, value ${i}`);
      }
      for (const [i, value] of sealed.entries()) assert.equal(transformer.from(value), `s3cret-number-${String(i).padStart(6, '0')}`);
      assert.equal(transformer.from(sealed[0]), 's3cret-number-000000', 'an early value, dropped from those kept, opens again');
    } finally {
      uninstall();
    }
  });
});
