import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateSigningKey, keyRingFromJwks, verifyToken } from '../shared/jwt.js';
import { handleTokenRequest } from './idp.js';

const key = generateSigningKey();
const settings = { issuer: 'http://ms/IDP', username: 'admin', password: 'correct horse', tokenLifetimeSeconds: 60 };
const form = { grant_type: 'password', username: 'admin', password: 'correct horse', client_id: 'GrantValidatorClient' };

describe('IDP', () => {
  it('issues a bearer token for the right password that recorders verify with the JWKS until it expires', () => {
    const now = 1_800_000_000_000;
    const result = handleTokenRequest(form, settings, key, now);
    assert.ok(result.ok);
    assert.equal(result.body.token_type, 'Bearer');
    assert.equal(result.body.expires_in, 60);
    const ring = keyRingFromJwks({ keys: [key.publicJwk] });
    const verdict = verifyToken(result.body.access_token, ring, now + 1000);
    assert.ok(verdict.ok);
    assert.equal(verdict.claims.name, 'admin');
    assert.deepEqual(verifyToken(result.body.access_token, ring, now + 66_000), { ok: false, reason: 'expired' });
    const other = keyRingFromJwks({ keys: [generateSigningKey().publicJwk] });
    assert.deepEqual(verifyToken(result.body.access_token, other, now), { ok: false, reason: 'unknown-key' });
    const [h, p, s] = result.body.access_token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p ?? '', 'base64url').toString()), exp: 9e9 })).toString('base64url')}.${s}`;
    assert.deepEqual(verifyToken(forged, ring, now), { ok: false, reason: 'bad-signature' });
    assert.deepEqual(verifyToken('x.y', ring, now), { ok: false, reason: 'malformed' });
  });

  it('refuses wrong credentials, other grants and other clients with OAuth errors', () => {
    const refuse = (f: Record<string, string>): string => {
      const result = handleTokenRequest(f, settings, key, 0);
      assert.equal(result.ok, false);
      return result.ok ? '' : result.body.error;
    };
    assert.equal(refuse({ ...form, password: 'wrong' }), 'invalid_grant');
    assert.equal(refuse({ ...form, username: 'root' }), 'invalid_grant');
    assert.equal(refuse({ ...form, grant_type: 'client_credentials' }), 'unsupported_grant_type');
    assert.equal(refuse({ ...form, client_id: 'other' }), 'invalid_client');
  });
});
