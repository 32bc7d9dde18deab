// The protected recording server's core, scenario by scenario, and a property over random
// schedules: the recorder is started only by a resume whose claim went through, a fenced server
// never starts it and stops it whenever it is seen running, epochs only rise.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ServiceStatus } from '../shell/ports.js';
import {
  fenceSteps, initialProtectedState, protectedStatus, resumeSteps, stepProtected, watchesEndpoint,
  type ProtectedInput, type ProtectedState, type ProtectedStep, type ProtectedStepResult,
} from './protected.js';

/** Runs every step the core asks for as done (or the one named as failed, or a claim as refused); returns the last result and the steps run. */
function runToEnd(first: ProtectedStepResult, o: { fail?: ProtectedStep; refuseClaimWith?: number } = {}): { result: ProtectedStepResult; steps: ProtectedStep[] } {
  let result = first;
  const steps: ProtectedStep[] = [];
  for (let i = 0; i < 20 && result.run !== null; i += 1) {
    const step = result.run;
    steps.push(step);
    const atMs = 10 + i;
    const input: ProtectedInput =
      step === 'claim-endpoint' && o.refuseClaimWith !== undefined ? { kind: 'claim-refused', atMs, epoch: result.state.epoch, currentEpoch: o.refuseClaimWith }
      : o.fail === step ? { kind: 'step-failed', atMs, step, reason: 'boom' }
      : { kind: 'step-done', atMs, step };
    result = stepProtected(result.state, input);
  }
  return { result, steps };
}

/** Fenced by a standby's claim under `by`, its recorder stopped. */
function fencedBy(by = 2): ProtectedState {
  return runToEnd(stepProtected(initialProtectedState(0), { kind: 'claim-refused', atMs: 1, epoch: 1, currentEpoch: by })).result.state;
}

describe('pool protected server core', () => {
  test('a fresh server serves under epoch 1 and watches its endpoint; a start asks for nothing', () => {
    const fresh = initialProtectedState(0);
    assert.deepEqual(protectedStatus(fresh), { state: 'serving', epoch: 1, fencedByEpoch: null, since: new Date(0).toISOString(), error: null });
    assert.ok(watchesEndpoint(fresh));
    const started = stepProtected(fresh, { kind: 'started', atMs: 5 });
    assert.equal(started.run, null);
    assert.equal(started.state.phase, 'serving');
  });

  test('a claim refused above its epoch fences it: the recorder is stopped, and stopped again whenever seen running', () => {
    const r = stepProtected(initialProtectedState(0), { kind: 'claim-refused', atMs: 1, epoch: 1, currentEpoch: 2 });
    assert.equal(r.state.phase, 'fenced');
    assert.equal(r.run, 'stop-recorder');
    assert.deepEqual(protectedStatus(r.state), { state: 'fenced', epoch: 1, fencedByEpoch: 2, since: new Date(1).toISOString(), error: null });
    const stopped = runToEnd(r).result.state;
    assert.equal(stopped.running, null);
    assert.ok(!watchesEndpoint(stopped), 'a fenced server claims nothing');
    for (const status of ['running', 'starting'] as const) assert.equal(stepProtected(stopped, { kind: 'service', atMs: 3, status }).run, 'stop-recorder', `re-stopped when ${status}`);
    for (const status of ['stopped', 'stopping', 'unknown'] as const) assert.equal(stepProtected(stopped, { kind: 'service', atMs: 3, status }).run, null);
    // A failed stop keeps it fenced, with the reason; the next sight of the recorder running stops it again.
    const failed = stepProtected(stepProtected(stopped, { kind: 'service', atMs: 4, status: 'running' }).state, { kind: 'step-failed', atMs: 5, step: 'stop-recorder', reason: 'timeout' });
    assert.equal(failed.state.phase, 'fenced');
    assert.deepEqual(failed.state.error, { step: 'stop-recorder', reason: 'timeout' });
    assert.equal(stepProtected(failed.state, { kind: 'service', atMs: 6, status: 'running' }).run, 'stop-recorder');
  });

  test('a resume above every epoch seen persists it, claims under it, then starts the recorder', () => {
    const fenced = fencedBy(2);
    const r = stepProtected(fenced, { kind: 'resume', atMs: 20, epoch: 3 });
    assert.deepEqual(r.answer, { accepted: true, repeat: false });
    assert.equal(r.state.phase, 'resuming');
    assert.equal(r.state.epoch, 3);
    const { result, steps } = runToEnd(r);
    assert.deepEqual(steps, [...resumeSteps]);
    assert.deepEqual(protectedStatus(result.state), { state: 'serving', epoch: 3, fencedByEpoch: null, since: new Date(12).toISOString(), error: null });
    // The same resume again (a retried request) is answered as taken; nothing starts.
    const again = stepProtected(result.state, { kind: 'resume', atMs: 30, epoch: 3 });
    assert.deepEqual(again.answer, { accepted: true, repeat: true });
    assert.equal(again.run, null);
  });

  test('a resume not above every epoch seen is fenced: its own, the fencing one, an earlier resume', () => {
    const fenced = fencedBy(4);
    for (const epoch of [1, 2, 4]) {
      const r = stepProtected(fenced, { kind: 'resume', atMs: 20, epoch });
      assert.equal(r.answer?.accepted === false && r.answer.reason, 'epoch-fenced', `epoch ${epoch}`);
      assert.equal(r.state, fenced, 'nothing changes');
    }
    assert.equal(stepProtected(initialProtectedState(0), { kind: 'resume', atMs: 1, epoch: 1 }).answer?.accepted, false, 'epoch 1 is every server\'s first');
    const resumed = runToEnd(stepProtected(fenced, { kind: 'resume', atMs: 20, epoch: 6 })).result.state;
    assert.equal(stepProtected(resumed, { kind: 'resume', atMs: 30, epoch: 5 }).answer?.accepted, false);
  });

  test('a resume whose claim is refused is fenced again, and never starts the recorder', () => {
    const { result, steps } = runToEnd(stepProtected(fencedBy(2), { kind: 'resume', atMs: 20, epoch: 3 }), { refuseClaimWith: 5 });
    assert.deepEqual(steps, ['persist-epoch', 'claim-endpoint', ...fenceSteps]);
    assert.deepEqual(protectedStatus(result.state), { ...protectedStatus(result.state), state: 'fenced', epoch: 3, fencedByEpoch: 5 });
    assert.equal(stepProtected(result.state, { kind: 'resume', atMs: 40, epoch: 5 }).answer?.accepted, false, 'the fencing epoch is seen');
  });

  test('a failed resume step is failed with the reason; a resume under a newer epoch retries', () => {
    const { result } = runToEnd(stepProtected(fencedBy(2), { kind: 'resume', atMs: 20, epoch: 3 }), { fail: 'start-recorder' });
    assert.deepEqual(protectedStatus(result.state).error, { step: 'start-recorder', reason: 'boom' });
    assert.equal(result.state.phase, 'failed');
    assert.ok(!watchesEndpoint(result.state));
    assert.equal(stepProtected(result.state, { kind: 'resume', atMs: 30, epoch: 3 }).answer?.accepted, false);
    assert.equal(runToEnd(stepProtected(result.state, { kind: 'resume', atMs: 30, epoch: 4 })).result.state.phase, 'serving');
  });

  test('a resume during the fence\'s stop waits for it; a second resume during a resume is busy', () => {
    const stopping = stepProtected(initialProtectedState(0), { kind: 'claim-refused', atMs: 1, epoch: 1, currentEpoch: 2 });
    const r = stepProtected(stopping.state, { kind: 'resume', atMs: 2, epoch: 3 });
    assert.deepEqual(r.answer, { accepted: true, repeat: false });
    assert.equal(r.run, null, 'nothing new while the stop runs');
    const next = stepProtected(r.state, { kind: 'step-failed', atMs: 3, step: 'stop-recorder', reason: 'timeout' });
    assert.equal(next.run, 'persist-epoch', 'the overtaken stop\'s outcome does not matter');
    const busy = stepProtected(next.state, { kind: 'resume', atMs: 4, epoch: 4 });
    assert.equal(busy.answer?.accepted === false && busy.answer.reason, 'busy');
  });

  test('after a restart: fenced stops again, a resume cut short claims again under its epoch, serving and failed wait', () => {
    const fenced = fencedBy(2);
    assert.equal(stepProtected(JSON.parse(JSON.stringify(fenced)) as ProtectedState, { kind: 'started', atMs: 50 }).run, 'stop-recorder');
    const mid = stepProtected(stepProtected(fenced, { kind: 'resume', atMs: 20, epoch: 3 }).state, { kind: 'step-done', atMs: 21, step: 'persist-epoch' }).state;
    const again = stepProtected(JSON.parse(JSON.stringify(mid)) as ProtectedState, { kind: 'started', atMs: 50 });
    assert.equal(again.run, 'claim-endpoint');
    assert.equal(again.state.epoch, 3);
    assert.deepEqual(runToEnd(again).steps, ['claim-endpoint', 'start-recorder']);
    const serving = runToEnd(again).result.state;
    assert.equal(stepProtected(serving, { kind: 'started', atMs: 60 }).run, null);
  });

  test('a refusal of an epoch it no longer holds is ignored (a claim answered late)', () => {
    const resumed = runToEnd(stepProtected(fencedBy(2), { kind: 'resume', atMs: 20, epoch: 3 })).result.state;
    const late = stepProtected(resumed, { kind: 'claim-refused', atMs: 40, epoch: 1, currentEpoch: 2 });
    assert.equal(late.state, resumed);
    assert.equal(late.run, null);
  });

  test('property: the recorder starts only after a claim under the same resume\'s epoch; fenced never starts it; epochs only rise', () => {
    const statuses: ServiceStatus[] = ['running', 'stopped', 'starting', 'stopping', 'unknown'];
    const inputArb: fc.Arbitrary<(state: ProtectedState, atMs: number) => ProtectedInput> = fc.oneof(
      fc.integer({ min: 1, max: 12 }).map((epoch) => (_s: ProtectedState, atMs: number): ProtectedInput => ({ kind: 'resume', atMs, epoch })),
      fc.record({ current: fc.integer({ min: 1, max: 12 }), own: fc.boolean() })
        .map(({ current, own }) => (s: ProtectedState, atMs: number): ProtectedInput => ({ kind: 'claim-refused', atMs, epoch: own ? s.epoch : Math.max(1, s.epoch - 1), currentEpoch: Math.max(current, s.epoch) })),
      fc.constantFrom(...statuses).map((status) => (_s: ProtectedState, atMs: number): ProtectedInput => ({ kind: 'service', atMs, status })),
      fc.constantFrom('done', 'failed', 'stale').map((how) => (s: ProtectedState, atMs: number): ProtectedInput => {
        const step = how === 'stale' || s.running === null ? 'start-recorder' : s.running.step;
        return how === 'failed' ? { kind: 'step-failed', atMs, step, reason: 'boom' } : { kind: 'step-done', atMs, step };
      }),
      fc.constant((_s: ProtectedState, atMs: number): ProtectedInput => ({ kind: 'started', atMs })),
    );
    fc.assert(
      fc.property(fc.array(inputArb, { maxLength: 80 }), (inputs) => {
        let state = initialProtectedState(0);
        /** The epoch whose claim went through in the resume under way; null: none yet. */
        let claimedUnder: number | null = null;
        inputs.forEach((make, i) => {
          const input = make(state, i + 1);
          const result = stepProtected(state, input);
          const next = result.state;
          assert.ok(next.epoch >= state.epoch && next.epochSeenMax >= state.epochSeenMax, 'epochs only rise');
          assert.ok(next.epoch <= next.epochSeenMax);
          if (input.kind === 'resume' && result.answer?.accepted === true && !result.answer.repeat) {
            assert.ok(input.epoch > Math.max(state.epochSeenMax, state.fencedByEpoch ?? 0), 'a resume only above every epoch seen');
          }
          if (input.kind === 'step-done' && state.running?.step === 'claim-endpoint' && state.running.of === 'resume') claimedUnder = state.epoch;
          if (result.run === 'claim-endpoint' || result.run === 'persist-epoch') claimedUnder = null;
          if (result.run === 'start-recorder') {
            assert.equal(next.phase, 'resuming', 'started only by a resume');
            assert.equal(claimedUnder, next.epoch, 'started only after its claim went through');
          }
          if (next.phase === 'fenced') assert.ok(next.running === null || next.running.of === 'fence' || next.remaining.includes('stop-recorder'), 'a fenced server stops, never starts');
          if (state.phase === 'fenced' && state.running === null && input.kind === 'service' && (input.status === 'running' || input.status === 'starting')) assert.equal(result.run, 'stop-recorder');
          if (next.phase === 'serving') assert.equal(next.running, null);
          state = next;
        });
      }),
      { numRuns: 500 },
    );
  });
});
