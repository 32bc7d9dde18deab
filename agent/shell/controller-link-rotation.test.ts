// The controller rotation, pure: which controller the link asks after each outcome, and how long
// it waits. Replayed over fixed schedules and over random ones (fast-check).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { afterAnswer, afterFailure, initialRotation, registerBackoffMsMax, registerBackoffMsMin, type RotationState } from './controller-link-rotation.js';

const fail = (s: RotationState, count: number, phase: 'register' | 'report' = 'report', rotate = true, random = 0.5) => afterFailure(s, { count, phase, rotate, random });

test('a failed report moves to the next controller at once; a whole round failed waits the report pace', () => {
  const first = fail(initialRotation, 3);
  assert.deepEqual([first.state.index, first.movedTo, first.wait, first.allFailed, first.firstRound], [1, 1, 0, false, true]);
  const second = fail(first.state, 3);
  assert.deepEqual([second.state.index, second.wait, second.allFailed], [2, 0, false]);
  const third = fail(second.state, 3);
  assert.deepEqual([third.state.index, third.movedTo, third.wait, third.allFailed, third.firstRound], [0, 0, 'pace', true, true]);
  // The next round goes on in order, and its moves are no longer worth a log line.
  const fourth = fail(third.state, 3);
  assert.deepEqual([fourth.state.index, fourth.wait, fourth.firstRound], [1, 0, false]);
});

test('it stays with a controller that answers, and after moving away from the first comes back to it only through the rotation', () => {
  let s = fail(initialRotation, 2).state;
  assert.equal(s.index, 1);
  for (let i = 0; i < 5; i += 1) s = afterAnswer(s);
  assert.equal(s.index, 1, 'the second answers: no return to the first while it does');
  s = fail(s, 2).state;
  assert.equal(s.index, 0, 'the second failed: back to the first, the next in order (wrapping around)');
});

test('one controller: every failure is a whole round, as before there were lists', () => {
  const report = fail(initialRotation, 1);
  assert.deepEqual([report.state.index, report.movedTo, report.wait, report.allFailed], [0, null, 'pace', true]);
  const register = fail(initialRotation, 1, 'register', true, 0);
  assert.deepEqual([register.movedTo, register.wait, register.state.backoffMs], [null, 375, 1_000]);
});

test('registration: each round that failed waits the backoff, 500 ms doubling to 30 s with ±25 % jitter; an answer starts it afresh', () => {
  let s = initialRotation;
  const waits: (number | 'pace')[] = [];
  for (let i = 0; i < 20; i += 1) {
    const step = fail(s, 2, 'register', true, 0.5);
    waits.push(step.wait);
    s = step.state;
  }
  assert.deepEqual(waits.slice(0, 8), [0, 500, 0, 1_000, 0, 2_000, 0, 4_000]);
  assert.equal(waits.at(-1), 30_000);
  assert.equal(afterAnswer(s).backoffMs, registerBackoffMsMin);
  const untried = fail(s, 2, 'register', true, 0);
  assert.deepEqual([untried.wait, fail(untried.state, 2, 'register', true, 0).wait], [0, 22_500], 'the jitter\'s low end at the cap');
});

test('a refusal every controller would repeat (401, 400) does not move: the round is over at once', () => {
  const step = fail(initialRotation, 2, 'report', false);
  assert.deepEqual([step.state.index, step.movedTo, step.wait, step.allFailed], [0, null, 'pace', true]);
});

test('bad input is refused', () => {
  assert.throws(() => fail(initialRotation, 0), /controllers listed: 0/);
});

// Over random outcomes: the controller changes only on a failure that rotates, to the next in
// order; no wait before every controller was tried once since the last answer; waits in bounds.
test('properties over random outcomes', () => {
  const outcome = fc.record({ ok: fc.boolean(), rotate: fc.boolean(), phase: fc.constantFrom('register' as const, 'report' as const), random: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) });
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 8 }), fc.array(outcome, { maxLength: 60 }), (count, outcomes) => {
      let s = initialRotation;
      let triedSinceAnswer = new Set<number>([s.index]);
      for (const o of outcomes) {
        if (o.ok) {
          const next = afterAnswer(s);
          assert.equal(next.index, s.index);
          assert.equal(next.failedInRow, 0);
          s = next;
          triedSinceAnswer = new Set([s.index]);
          continue;
        }
        const step = afterFailure(s, { count, phase: o.phase, rotate: o.rotate, random: o.random });
        const expected = o.rotate && count > 1 ? (s.index + 1) % count : s.index;
        assert.equal(step.state.index, expected);
        assert.ok(step.state.index >= 0 && step.state.index < count);
        if (step.wait === 0) assert.ok(o.rotate && !triedSinceAnswer.has(step.state.index), 'at once only to a controller not yet tried in this round');
        if (typeof step.wait === 'number' && step.wait > 0) assert.ok(step.wait >= registerBackoffMsMin * 0.75 && step.wait <= registerBackoffMsMax * 1.25, `backoff ${step.wait}`);
        if (step.wait !== 0) triedSinceAnswer = new Set();
        triedSinceAnswer.add(step.state.index);
        s = step.state;
      }
    }),
    { numRuns: 300 },
  );
});
