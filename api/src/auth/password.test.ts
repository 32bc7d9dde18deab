import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../domain/errors.js';
import { generatePassword, hashPassword, needsRehash, passwordWork, scryptParamsDefault, verifyPassword } from './password.js';

describe('password hashing', () => {
  test('a hash verifies its password and no other, and records its parameters and salt', async () => {
    const stored = await hashPassword('correct horse battery');
    assert.match(stored, /^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.equal(await verifyPassword('correct horse battery', stored), true);
    assert.equal(await verifyPassword('correct horse batterY', stored), false);
    assert.equal(await verifyPassword('', stored), false);
    assert.ok(!stored.includes('correct'), 'the password is not in the hash');
  });

  test('the same password hashes differently each time (random salt)', async () => {
    const [a, b] = await Promise.all([hashPassword('same password!'), hashPassword('same password!')]);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword('same password!', b), true);
  });

  test('Unicode passwords compare in one normal form', async () => {
    const composed = 'p\u00e4ssw\u00f6rd-long';
    const decomposed = 'pa\u0308sswo\u0308rd-long';
    assert.equal(await verifyPassword(decomposed, await hashPassword(composed)), true);
  });

  test('unreadable or out-of-bounds hashes never verify', async () => {
    const stored = await hashPassword('some password');
    for (const bad of ['', 'plain', stored.replace('ln=15', 'ln=30'), stored.replace('r=8', 'r=99'), stored.replace('$scrypt$', '$argon2id$'), `${stored}$extra`]) {
      assert.equal(await verifyPassword('some password', bad), false, bad);
    }
  });

  test('hashes made with other parameters still verify, and are marked for rehashing', async () => {
    const cheap = { logN: 10, r: 8, p: 1 };
    const stored = await hashPassword('upgrade me please', cheap);
    assert.equal(await verifyPassword('upgrade me please', stored), true);
    assert.equal(needsRehash(stored), true);
    assert.equal(needsRehash(stored, cheap), false);
    assert.equal(needsRehash(await hashPassword('x'.repeat(12), scryptParamsDefault)), false);
    assert.equal(needsRehash('garbage'), true);
  });

  test('generated passwords are 24 URL-safe characters and differ', () => {
    const passwords = new Set(Array.from({ length: 50 }, generatePassword));
    assert.equal(passwords.size, 50);
    for (const p of passwords) assert.match(p, /^[A-Za-z0-9_-]{24}$/);
  });

  test('at most 2 hashes run at once and 32 wait; beyond that a check is refused with login-busy, without running', async () => {
    const cheap = { logN: 4, r: 1, p: 1 };
    const stored = await hashPassword('a cheap one', cheap);
    const loads: number[] = [];
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, async () => {
        const ok = await verifyPassword('a cheap one', stored);
        loads.push(passwordWork.load.running);
        return ok;
      }),
    );
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as DomainError);
    assert.equal(refused.length, 40 - 2 - 32);
    assert.ok(refused.every((e) => e instanceof DomainError && e.type === 'login-busy' && e.status === 503 && e.extensions.retryAfterSeconds === 1));
    assert.ok(results.filter((r) => r.status === 'fulfilled').every((r) => (r as PromiseFulfilledResult<boolean>).value));
    assert.ok(Math.max(...loads) <= 2);
    assert.deepEqual(passwordWork.load, { running: 0, queued: 0 });
  });
});
