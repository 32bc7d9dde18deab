// The pool standby's takeover core, scenario by scenario, and a property over random schedules:
// never two protected servers at once, epochs only rise, steps in their order.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  initialStandbyState, releaseSteps, standbyStatus, stepStandby, takeoverSteps,
  type Assignment, type StandbyInput, type StandbyState, type StandbyStep, type StandbyStepResult,
} from './standby.js';

const serverA = '11111111-1111-4111-8111-111111111111';
const serverB = '22222222-2222-4222-8222-222222222222';

function order(protectedNodeId: string, epoch: number, configSha256 = 'a'.repeat(64)): Assignment {
  return { protectedNodeId, protectedName: protectedNodeId === serverA ? 'rs-a' : 'rs-b', epoch, sharedAddress: '127.0.0.1:7563', configSha256, cameras: [] };
}

/** Runs every step the core asks for as done; returns the last result and the steps run. */
function runToEnd(first: StandbyStepResult, fail?: { step: StandbyStep; reason: string }): { result: StandbyStepResult; steps: StandbyStep[] } {
  let result = first;
  const steps: StandbyStep[] = [];
  for (let i = 0; i < 20 && result.run !== null; i += 1) {
    const step = result.run;
    steps.push(step);
    result = stepStandby(result.state, fail?.step === step ? { kind: 'step-failed', atMs: 10 + i, step, reason: fail.reason } : { kind: 'step-done', atMs: 10 + i, step });
  }
  return { result, steps };
}

function servingA(epoch = 5): StandbyState {
  return runToEnd(stepStandby(initialStandbyState(0), { kind: 'takeover', atMs: 1, order: order(serverA, epoch) })).result.state;
}

describe('pool standby core', () => {
  test('a takeover persists the epoch first, then stops, clones, starts, waits healthy and claims', () => {
    const first = stepStandby(initialStandbyState(0), { kind: 'takeover', atMs: 1, order: order(serverA, 5) });
    assert.deepEqual(first.answer, { accepted: true, repeat: false });
    assert.equal(first.state.phase, 'taking-over');
    assert.equal(first.state.epochMax, 5);
    const { result, steps } = runToEnd(first);
    assert.deepEqual(steps, [...takeoverSteps]);
    assert.equal(result.state.phase, 'serving');
    assert.deepEqual(standbyStatus(result.state), { state: 'serving', protectedNodeId: serverA, epoch: 5, since: new Date(15).toISOString(), error: null });
  });

  test('the same takeover again is idempotent, in progress or done', () => {
    const first = stepStandby(initialStandbyState(0), { kind: 'takeover', atMs: 1, order: order(serverA, 5) });
    const again = stepStandby(first.state, { kind: 'takeover', atMs: 2, order: order(serverA, 5) });
    assert.deepEqual(again.answer, { accepted: true, repeat: true });
    assert.equal(again.run, null);
    assert.equal(again.state, first.state);
    const serving = servingA();
    assert.deepEqual(stepStandby(serving, { kind: 'takeover', atMs: 3, order: order(serverA, 5) }).answer, { accepted: true, repeat: true });
  });

  test('an epoch not above every accepted one is fenced, also after a release', () => {
    const serving = servingA(5);
    const lower = stepStandby(serving, { kind: 'takeover', atMs: 3, order: order(serverA, 4) });
    assert.equal(lower.answer?.accepted, false);
    assert.equal(lower.answer?.accepted === false && lower.answer.reason, 'epoch-fenced');
    const free = runToEnd(stepStandby(serving, { kind: 'release', atMs: 4, protectedNodeId: serverA, epoch: 5 })).result.state;
    assert.equal(free.phase, 'free');
    for (const epoch of [1, 5]) {
      const r = stepStandby(free, { kind: 'takeover', atMs: 5, order: order(serverB, epoch) });
      assert.equal(r.answer?.accepted === false && r.answer.reason, 'epoch-fenced', `epoch ${epoch}`);
    }
    assert.deepEqual(stepStandby(free, { kind: 'takeover', atMs: 5, order: order(serverB, 6) }).answer, { accepted: true, repeat: false });
  });

  test('a takeover of another server while serving one is refused as busy', () => {
    const r = stepStandby(servingA(5), { kind: 'takeover', atMs: 3, order: order(serverB, 9) });
    assert.equal(r.answer?.accepted === false && r.answer.reason, 'busy');
    assert.equal(r.state.assignment?.protectedNodeId, serverA);
    assert.equal(r.state.epochMax, 5, 'a refused order raises no epoch');
  });

  test('a newer lease for the server served, same configuration, only fences again', () => {
    const r = stepStandby(servingA(5), { kind: 'takeover', atMs: 3, order: order(serverA, 7) });
    assert.deepEqual(r.answer, { accepted: true, repeat: false });
    assert.deepEqual(runToEnd(r).steps, ['persist-epoch', 'claim-endpoint']);
    const changed = stepStandby(servingA(5), { kind: 'takeover', atMs: 3, order: order(serverA, 7, 'b'.repeat(64)) });
    assert.deepEqual(runToEnd(changed).steps, [...takeoverSteps]);
  });

  test('release only with the current server and epoch; gives the endpoint back, then the own identity', () => {
    const serving = servingA(5);
    const refusals: Array<[string, number, string]> = [[serverB, 5, 'not-assigned'], [serverA, 4, 'epoch-fenced'], [serverA, 6, 'not-assigned']];
    for (const [id, epoch, reason] of refusals) {
      const r = stepStandby(serving, { kind: 'release', atMs: 3, protectedNodeId: id, epoch });
      assert.equal(r.answer?.accepted === false && r.answer.reason, reason, `${id} ${epoch}`);
    }
    const { result, steps } = runToEnd(stepStandby(serving, { kind: 'release', atMs: 3, protectedNodeId: serverA, epoch: 5 }));
    assert.deepEqual(steps, [...releaseSteps]);
    assert.deepEqual(standbyStatus(result.state), { state: 'free', protectedNodeId: null, epoch: 5, since: new Date(13).toISOString(), error: null });
    assert.deepEqual(stepStandby(result.state, { kind: 'release', atMs: 20, protectedNodeId: serverA, epoch: 5 }).answer, { accepted: true, repeat: true }, 'a retried release is done');
    const never = stepStandby(initialStandbyState(0), { kind: 'release', atMs: 1, protectedNodeId: serverA, epoch: 1 });
    assert.equal(never.answer?.accepted === false && never.answer.reason, 'not-assigned');
  });

  test('a failed step leaves the standby failed with the reason; release is the way back', () => {
    const first = stepStandby(initialStandbyState(0), { kind: 'takeover', atMs: 1, order: order(serverA, 5) });
    const { result, steps } = runToEnd(first, { step: 'wait-healthy', reason: 'no camera recording after 30000 ms' });
    assert.deepEqual(steps, ['persist-epoch', 'stop-recorder', 'apply-config', 'start-recorder', 'wait-healthy']);
    assert.deepEqual(standbyStatus(result.state).error, { step: 'wait-healthy', reason: 'no camera recording after 30000 ms' });
    assert.equal(result.state.phase, 'failed');
    assert.equal(stepStandby(result.state, { kind: 'takeover', atMs: 2, order: order(serverB, 6) }).answer?.accepted, false, 'busy until released');
    const back = runToEnd(stepStandby(result.state, { kind: 'release', atMs: 30, protectedNodeId: serverA, epoch: 5 }));
    assert.deepEqual(back.steps, [...releaseSteps]);
    assert.equal(back.result.state.phase, 'free');
    // A failed release stays failed, and is retried by a release again.
    const failedRelease = runToEnd(stepStandby(servingA(5), { kind: 'release', atMs: 3, protectedNodeId: serverA, epoch: 5 }), { step: 'restore-config', reason: 'disk full' });
    assert.equal(failedRelease.result.state.phase, 'failed');
    assert.equal(runToEnd(stepStandby(failedRelease.result.state, { kind: 'release', atMs: 40, protectedNodeId: serverA, epoch: 5 })).result.state.phase, 'free');
  });

  test('a release during a takeover step lets the step end, then releases whatever it did', () => {
    let r = stepStandby(initialStandbyState(0), { kind: 'takeover', atMs: 1, order: order(serverA, 5) });
    r = stepStandby(r.state, { kind: 'step-done', atMs: 2, step: 'persist-epoch' });
    assert.equal(r.run, 'stop-recorder');
    const rel = stepStandby(r.state, { kind: 'release', atMs: 3, protectedNodeId: serverA, epoch: 5 });
    assert.deepEqual(rel.answer, { accepted: true, repeat: false });
    assert.equal(rel.run, null, 'nothing new while the stop runs');
    const next = stepStandby(rel.state, { kind: 'step-failed', atMs: 4, step: 'stop-recorder', reason: 'timeout' });
    assert.equal(next.run, 'release-endpoint');
    assert.equal(runToEnd(next).result.state.phase, 'free');
  });

  test('a result for a step not running is ignored', () => {
    const r = stepStandby(initialStandbyState(0), { kind: 'takeover', atMs: 1, order: order(serverA, 5) });
    const stale = stepStandby(r.state, { kind: 'step-done', atMs: 2, step: 'claim-endpoint' });
    assert.equal(stale.state, r.state);
    assert.equal(stale.run, null);
  });

  test('after a restart: a takeover cut short is failed, a release cut short runs again, serving stays', () => {
    let r = stepStandby(initialStandbyState(0), { kind: 'takeover', atMs: 1, order: order(serverA, 5) });
    r = stepStandby(r.state, { kind: 'step-done', atMs: 2, step: 'persist-epoch' });
    const crashed = stepStandby(JSON.parse(JSON.stringify(r.state)) as StandbyState, { kind: 'restarted', atMs: 3 });
    assert.equal(crashed.state.phase, 'failed');
    assert.equal(crashed.state.error?.step, 'stop-recorder');
    const releasing = stepStandby(servingA(5), { kind: 'release', atMs: 3, protectedNodeId: serverA, epoch: 5 });
    const mid = stepStandby(releasing.state, { kind: 'step-done', atMs: 4, step: 'release-endpoint' }).state;
    const again = stepStandby(mid, { kind: 'restarted', atMs: 5 });
    assert.equal(again.run, 'release-endpoint');
    assert.equal(runToEnd(again).result.state.phase, 'free');
    const serving = servingA(5);
    assert.equal(stepStandby(serving, { kind: 'restarted', atMs: 9 }).state, serving);
  });

  test('property: one protected server at a time, epochs only rise, steps in order', () => {
    const servers = [serverA, serverB, '33333333-3333-4333-8333-333333333333'];
    const inputArb: fc.Arbitrary<(state: StandbyState, atMs: number) => StandbyInput> = fc.oneof(
      fc.record({ server: fc.constantFrom(...servers), epoch: fc.integer({ min: 1, max: 12 }), sha: fc.constantFrom('a', 'b') })
        .map(({ server, epoch, sha }) => (_s: StandbyState, atMs: number): StandbyInput => ({ kind: 'takeover', atMs, order: order(server, epoch, sha.repeat(64)) })),
      fc.record({ server: fc.constantFrom(...servers), epoch: fc.integer({ min: 1, max: 12 }), current: fc.boolean() })
        .map(({ server, epoch, current }) => (s: StandbyState, atMs: number): StandbyInput => (current && s.assignment !== null
          ? { kind: 'release', atMs, protectedNodeId: s.assignment.protectedNodeId, epoch: s.assignment.epoch }
          : { kind: 'release', atMs, protectedNodeId: server, epoch })),
      fc.constantFrom('done', 'failed', 'stale').map((how) => (s: StandbyState, atMs: number): StandbyInput => {
        const step = how === 'stale' || s.running === null ? 'claim-endpoint' : s.running.step;
        return how === 'failed' ? { kind: 'step-failed', atMs, step, reason: 'boom' } : { kind: 'step-done', atMs, step };
      }),
      fc.constant((_s: StandbyState, atMs: number): StandbyInput => ({ kind: 'restarted', atMs })),
    );
    fc.assert(
      fc.property(fc.array(inputArb, { maxLength: 80 }), (inputs) => {
        let state = initialStandbyState(0);
        let sequence: StandbyStep[] = [];
        inputs.forEach((make, i) => {
          const input = make(state, i + 1);
          const result = stepStandby(state, input);
          const next = result.state;
          assert.ok(next.epochMax >= state.epochMax, 'epochs only rise');
          if (next.assignment !== null) assert.ok(next.assignment.epoch <= next.epochMax, 'an assignment never above the persisted epoch');
          assert.equal(next.assignment === null, next.phase === 'free', 'free exactly without an assignment');
          if (state.assignment !== null && next.assignment !== null) {
            assert.equal(next.assignment.protectedNodeId, state.assignment.protectedNodeId, 'never from one server straight to another');
          }
          if (input.kind === 'takeover' && result.answer?.accepted === true && !result.answer.repeat) {
            assert.ok(input.order.epoch > state.epochMax, 'a new takeover only above every accepted epoch');
          }
          if (result.run !== null) {
            if (result.run === 'persist-epoch' || result.run === 'release-endpoint') sequence = [];
            sequence.push(result.run);
            const canon = next.running?.of === 'release' ? releaseSteps : takeoverSteps;
            const positions = sequence.map((s) => canon.indexOf(s));
            assert.ok(positions.every((p, k) => p >= 0 && (k === 0 || p > positions[k - 1]!)), `steps in order: ${sequence.join(', ')}`);
          }
          if (next.phase === 'serving') assert.equal(next.running, null);
          state = next;
        });
      }),
      { numRuns: 500 },
    );
  });
});
