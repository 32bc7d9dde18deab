import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loginGate, LoginThrottle, retryAfterSeconds, type LoginLimits } from './login-throttle.js';

const limits: LoginLimits = { failuresPerAccountMax: 3, failuresPerAddressMax: 5, failureWindowMs: 60_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('loginGate (the policy)', () => {
  test('below both limits a login may be tried', () => {
    assert.deepEqual(loginGate(null, null, limits), { allowed: true });
    assert.deepEqual(loginGate({ failures: 2, msBeforeReset: 10_000 }, { failures: 4, msBeforeReset: 10_000 }, limits), { allowed: true });
  });

  test('at the account limit the account is locked until its count resets', () => {
    assert.deepEqual(loginGate({ failures: 3, msBeforeReset: 42_000 }, null, limits), { allowed: false, scope: 'account', retryAfterMs: 42_000 });
  });

  test('at the address limit the address is refused, whatever the account', () => {
    assert.deepEqual(loginGate(null, { failures: 5, msBeforeReset: 7_500 }, limits), { allowed: false, scope: 'address', retryAfterMs: 7_500 });
  });

  test('when both are locked, the caller waits for the later one', () => {
    assert.deepEqual(loginGate({ failures: 9, msBeforeReset: 1_000 }, { failures: 9, msBeforeReset: 30_000 }, limits), { allowed: false, scope: 'address', retryAfterMs: 30_000 });
    assert.deepEqual(loginGate({ failures: 9, msBeforeReset: 31_000 }, { failures: 9, msBeforeReset: 30_000 }, limits), { allowed: false, scope: 'account', retryAfterMs: 31_000 });
  });

  test('a count whose window has passed does not lock', () => {
    assert.deepEqual(loginGate({ failures: 3, msBeforeReset: 0 }, null, limits), { allowed: true });
  });

  test('Retry-After is whole seconds, rounded up, at least 1', () => {
    assert.deepEqual([1, 999, 1_000, 1_001, 42_000].map(retryAfterSeconds), [1, 1, 1, 2, 42]);
  });
});

describe('LoginThrottle (in memory)', () => {
  test('three failures lock the account for the window; other accounts are not affected', async () => {
    const throttle = new LoginThrottle(limits);
    for (let i = 0; i < 2; i += 1) assert.equal((await throttle.failed('alice', '10.0.0.1')).allowed, true);
    const locked = await throttle.failed('Alice', '10.0.0.2');
    assert.equal(locked.allowed, false);
    assert.ok(!locked.allowed && locked.scope === 'account' && locked.retryAfterMs > 59_000 && locked.retryAfterMs <= 60_000);
    assert.equal((await throttle.check('alice', '10.0.0.9')).allowed, false, 'locked from any address, whatever the case');
    assert.equal((await throttle.check('bob', '10.0.0.1')).allowed, true);
  });

  test('a success clears the account count but not the address count', async () => {
    const throttle = new LoginThrottle(limits);
    await throttle.failed('carol', '10.0.0.3');
    await throttle.failed('carol', '10.0.0.3');
    await throttle.succeeded('carol');
    await throttle.failed('carol', '10.0.0.3');
    await throttle.failed('carol', '10.0.0.3');
    assert.equal((await throttle.check('carol', '10.0.0.4')).allowed, true, 'only two since the success');
    const gate = await throttle.failed('dave', '10.0.0.3');
    assert.ok(!gate.allowed && gate.scope === 'address', 'five failures from one address refuse it');
    assert.equal((await throttle.check('erin', '10.0.0.3')).allowed, false);
    assert.equal((await throttle.check('erin', '10.0.0.5')).allowed, true);
  });

  test('the lock ends when the window has passed', async () => {
    const throttle = new LoginThrottle({ failuresPerAccountMax: 1, failuresPerAddressMax: 10, failureWindowMs: 300 });
    assert.equal((await throttle.failed('frank', '10.0.0.6')).allowed, false);
    await sleep(400);
    assert.equal((await throttle.check('frank', '10.0.0.6')).allowed, true);
  });

  test('limits must be positive', () => {
    assert.throws(() => new LoginThrottle({ ...limits, failuresPerAccountMax: 0 }), RangeError);
  });
});
