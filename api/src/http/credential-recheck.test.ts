// credentialRecheckOf: what an event stream learns when it asks again whether its credential
// still holds. False only when the credential is known gone; a lookup that fails (the database
// is down) rejects, so that the stream keeps going and asks again (event-streams.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import cookieParser from 'cookie-parser';
import express from 'express';
import request from 'supertest';
import type { Identity } from '../auth/identity.js';
import type { SignInService } from '../auth/sign-in.js';
import type { AuditLog } from '../domain/audit-log.js';
import type { Role } from '../model/vocabulary.js';
import { authMiddleware, credentialRecheckOf } from './auth.js';

const identity = (o: Partial<Identity> = {}): Identity => ({ accountId: 'a1', username: 'ops', accountRole: 'operator', role: 'operator', via: 'token', credentialId: 't1', expiresAt: null, ...o });

/** An app whose one protected route hands back the stream's recheck; the lookup is whatever `lookUp` does. */
async function recheckFor(lookUp: () => Promise<Identity | null>, role: Role = 'viewer'): Promise<() => Promise<boolean>> {
  const signIn = { fromToken: lookUp, fromSession: lookUp } as unknown as SignInService;
  const audit = { record: async () => undefined } as unknown as AuditLog;
  const document = { paths: { '/api/v1/events/stream': { get: { security: [{ apiToken: ['viewer'] }] } } } };
  let check: (() => Promise<boolean>) | null = null;
  const app = express();
  app.use(cookieParser(), authMiddleware({ signIn, audit, document }));
  app.get('/api/v1/events/stream', (req, res) => {
    check = credentialRecheckOf(req, role);
    res.json({});
  });
  await request(app).get('/api/v1/events/stream').set('authorization', 'Bearer trk_test').expect(200);
  assert.ok(check !== null);
  return check;
}

describe('credentialRecheckOf', () => {
  test('true while the same credential holds the role; false once it is gone, replaced, lowered or past its end', async () => {
    let now: Identity | null = identity();
    const check = await recheckFor(async () => now);
    assert.equal(await check(), true);
    now = identity({ credentialId: 't2' });
    assert.equal(await check(), false, 'another credential');
    now = null;
    assert.equal(await check(), false, 'revoked, logged out or unknown');
    now = identity({ expiresAt: new Date(Date.now() - 1_000) });
    assert.equal(await check(), false, 'the lookup says it has ended');
    const adminOnly = await recheckFor(async () => identity(), 'admin');
    assert.equal(await adminOnly(), false, 'below the role');
  });

  test('a lookup that fails is no answer: the check rejects, and answers again once the lookup works', async () => {
    let down = false;
    const check = await recheckFor(async () => {
      if (down) throw new Error('database unreachable');
      return identity();
    });
    down = true;
    await assert.rejects(check(), /database unreachable/);
    down = false;
    assert.equal(await check(), true);
  });

  test('a credential past the end it was opened with is gone, even while the lookup fails', async () => {
    let first = true;
    const check = await recheckFor(async () => {
      if (first) {
        first = false;
        return identity({ expiresAt: new Date(Date.now() + 150) });
      }
      throw new Error('database unreachable');
    });
    await assert.rejects(check());
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await check(), false);
  });
});
