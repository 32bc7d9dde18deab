import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addressKey, loginGate, LoginThrottle, retryAfterSeconds, type LoginLimits, type LoginReservation } from './login-throttle.js';

const limits: LoginLimits = { failuresPerAccountMax: 3, failuresPerAccountTotalMax: 6, failuresPerAddressMax: 5, failureWindowMs: 60_000 };
const none = { pair: null, account: null, address: null };
const count = (failures: number, msBeforeReset = 10_000) => ({ failures, msBeforeReset });

/** A throttle on a clock the test moves. */
function throttleAt(l: LoginLimits = limits): { throttle: LoginThrottle; advance: (ms: number) => void } {
  let now = 1_000_000;
  return { throttle: new LoginThrottle(l, () => now), advance: (ms) => (now += ms) };
}

function attempt(reservation: LoginReservation) {
  assert.ok(reservation.allowed, `refused: ${JSON.stringify(reservation)}`);
  return reservation.attempt;
}

/** One failed login through reserve(): the gate after it. */
function fail(throttle: LoginThrottle, account: string, address: string) {
  return attempt(throttle.reserve(account, address)).failed();
}

describe('loginGate (the policy)', () => {
  test('below every limit a login may be tried', () => {
    assert.deepEqual(loginGate(none, limits), { allowed: true });
    assert.deepEqual(loginGate({ pair: count(2), account: count(5), address: count(4) }, limits), { allowed: true });
  });

  test('at the limit for the account from this address, the address is locked out of the account', () => {
    assert.deepEqual(loginGate({ ...none, pair: count(3, 42_000), account: count(3, 42_000) }, limits), { allowed: false, scope: 'account', retryAfterMs: 42_000 });
  });

  test("over the account's total, only addresses that failed for it are refused", () => {
    assert.deepEqual(loginGate({ ...none, account: count(6, 9_000) }, limits), { allowed: true }, 'a fresh address may still try');
    assert.deepEqual(loginGate({ ...none, pair: count(1, 9_000), account: count(6, 9_000) }, limits), { allowed: false, scope: 'account', retryAfterMs: 9_000 });
  });

  test('at the address limit the address is refused, whatever the account', () => {
    assert.deepEqual(loginGate({ ...none, address: count(5, 7_500) }, limits), { allowed: false, scope: 'address', retryAfterMs: 7_500 });
  });

  test('when several lock, the caller waits for the latest', () => {
    assert.deepEqual(loginGate({ pair: count(9, 1_000), account: null, address: count(9, 30_000) }, limits), { allowed: false, scope: 'address', retryAfterMs: 30_000 });
    assert.deepEqual(loginGate({ pair: count(9, 31_000), account: null, address: count(9, 30_000) }, limits), { allowed: false, scope: 'account', retryAfterMs: 31_000 });
  });

  test('a count whose window has passed does not lock', () => {
    assert.deepEqual(loginGate({ ...none, pair: count(3, 0) }, limits), { allowed: true });
  });

  test('the total defaults to ten times the per-address limit', () => {
    const { failuresPerAccountTotalMax: _, ...defaults } = limits;
    assert.equal(loginGate({ ...none, pair: count(1), account: count(29) }, defaults).allowed, true);
    assert.equal(loginGate({ ...none, pair: count(1), account: count(30) }, defaults).allowed, false);
  });

  test('Retry-After is whole seconds, rounded up, at least 1', () => {
    assert.deepEqual([1, 999, 1_000, 1_001, 42_000].map(retryAfterSeconds), [1, 1, 1, 2, 42]);
  });
});

describe('LoginThrottle (in memory)', () => {
  test('three failures from one address lock that address out of the account; another address, and other accounts, are not affected', () => {
    const { throttle } = throttleAt();
    for (let i = 0; i < 2; i += 1) assert.equal(fail(throttle, 'account:alice', '10.0.0.1').allowed, true);
    const locked = fail(throttle, 'account:alice', '10.0.0.1');
    assert.ok(!locked.allowed && locked.scope === 'account' && locked.retryAfterMs === 60_000, JSON.stringify(locked));
    assert.equal(throttle.reserve('account:alice', '10.0.0.1').allowed, false);
    assert.equal(throttle.reserve('account:bob', '10.0.0.1').allowed, true);
    const owner = attempt(throttle.reserve('account:alice', '192.0.2.7'));
    owner.succeeded();
    assert.equal(throttle.reserve('account:alice', '192.0.2.7').allowed, true, "someone else's failures do not lock the owner out");
  });

  test("five failures from address A do not refuse the right password from address B, even past the account's total", () => {
    const { throttle } = throttleAt({ failuresPerAccountMax: 5, failuresPerAccountTotalMax: 5, failuresPerAddressMax: 50, failureWindowMs: 60_000 });
    for (let i = 0; i < 5; i += 1) fail(throttle, 'account:admin', '198.51.100.1');
    assert.equal(throttle.reserve('account:admin', '198.51.100.1').allowed, false, 'A is locked out');
    const fromB = throttle.reserve('account:admin', '203.0.113.9');
    assert.equal(fromB.allowed, true, 'B is not');
  });

  test("past the account's total, a second address that failed once is refused too", () => {
    const { throttle } = throttleAt();
    for (const address of ['10.1.0.1', '10.1.0.2']) for (let i = 0; i < 3; i += 1) fail(throttle, 'account:carol', address);
    const third = '10.1.0.3';
    assert.equal(fail(throttle, 'account:carol', third).allowed, false, 'total 7 > 6 and this address has failed');
    assert.equal(throttle.reserve('account:carol', '10.1.0.4').allowed, true, 'an address without a failure may try');
  });

  test('a burst is counted as it arrives: no more than the limit is checked however many are sent at once', () => {
    const { throttle } = throttleAt();
    const burst = Array.from({ length: 60 }, () => throttle.reserve('account:dave', '10.0.0.9'));
    const allowed = burst.filter((r) => r.allowed);
    assert.equal(allowed.length, 3, 'three checks under way count as three failures');
    for (const r of allowed) if (r.allowed) r.attempt.failed();
    assert.equal(throttle.reserve('account:dave', '10.0.0.9').allowed, false, 'the right password, last, is refused too');
  });

  test('a success gives its reservation back and forgets that address\'s failures for the account, not the address\'s', () => {
    const { throttle } = throttleAt();
    fail(throttle, 'account:erin', '10.0.0.3');
    fail(throttle, 'account:erin', '10.0.0.3');
    attempt(throttle.reserve('account:erin', '10.0.0.3')).succeeded();
    fail(throttle, 'account:erin', '10.0.0.3');
    fail(throttle, 'account:erin', '10.0.0.3');
    attempt(throttle.reserve('account:erin', '10.0.0.3')).cancel(); // only two since the success
    assert.equal(fail(throttle, 'account:frank', '10.0.0.3').allowed, false, 'the fifth failure from the address refuses it');
    assert.deepEqual(throttle.reserve('account:gina', '10.0.0.3'), { allowed: false, scope: 'address', retryAfterMs: 60_000 });
  });

  test('a cancelled attempt (no password checked) counts nothing; settling twice counts once', () => {
    const { throttle } = throttleAt();
    for (let i = 0; i < 10; i += 1) attempt(throttle.reserve('account:hal', '10.0.0.4')).cancel();
    const a = attempt(throttle.reserve('account:hal', '10.0.0.4'));
    a.failed();
    a.failed();
    a.succeeded();
    assert.equal(fail(throttle, 'account:hal', '10.0.0.4').allowed, true, 'two failures in all');
  });

  test('the lock ends a window after the failure that reached the limit', () => {
    const { throttle, advance } = throttleAt();
    fail(throttle, 'account:ivy', '10.0.0.6');
    advance(50_000);
    fail(throttle, 'account:ivy', '10.0.0.6');
    fail(throttle, 'account:ivy', '10.0.0.6');
    advance(59_000);
    assert.equal(throttle.reserve('account:ivy', '10.0.0.6').allowed, false, 'held a whole window from the third failure');
    advance(1_000);
    assert.equal(throttle.reserve('account:ivy', '10.0.0.6').allowed, true);
  });

  test('IPv6 addresses are counted by /64, IPv4-mapped ones as IPv4', () => {
    const { throttle } = throttleAt();
    for (let i = 1; i <= 5; i += 1) fail(throttle, `name:guess${i}`, `2001:db8:aa:bb::${i.toString(16)}`);
    assert.equal(throttle.reserve('name:other', '2001:db8:aa:bb:ffff:1:2:3').allowed, false, 'the same /64');
    assert.equal(throttle.reserve('name:other', '2001:db8:aa:bc::1').allowed, true, 'the next /64');
    assert.equal(addressKey('2001:DB8:0:0:1::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(addressKey('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(addressKey('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
    assert.equal(addressKey('192.0.2.1'), '192.0.2.1');
    assert.equal(addressKey('unknown'), 'unknown');
  });

  test('limits must be positive', () => {
    assert.throws(() => new LoginThrottle({ ...limits, failuresPerAccountMax: 0 }), RangeError);
    assert.throws(() => new LoginThrottle({ ...limits, failuresPerAccountTotalMax: 0 }), RangeError);
  });
});
