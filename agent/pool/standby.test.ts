// The pool standby's takeover core, scenario by scenario (hot standbys too), and a property over
// random schedules: never two protected servers at once, epochs only rise, steps in their order,
// only a takeover's epoch claims an endpoint.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  becomeProtectedSteps, hotPrepareSteps, hotReleaseSteps, hotRestoreSteps, initialStandbyState, refenceSteps, releaseSteps, standbyStatus, stepStandby, takeoverSteps,
  type Assignment, type HotAssignment, type StandbyInput, type StandbySequence, type StandbyState, type StandbyStep, type StandbyStepResult,
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

function hotOrder(protectedNodeId: string, configSha256 = 'a'.repeat(64)): HotAssignment {
  const { epoch: _epoch, ...rest } = order(protectedNodeId, 1, configSha256);
  return rest;
}

/** A free standby whose recorder runs server A's identity (SHA 'a…'), ready. */
function hotReadyA(epochMax = 0): StandbyState {
  return runToEnd(stepStandby(initialStandbyState(0, epochMax), { kind: 'hot-standby', atMs: 1, assignment: hotOrder(serverA) })).result.state;
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
    assert.deepEqual(standbyStatus(result.state), { state: 'serving', protectedNodeId: serverA, epoch: 5, since: new Date(15).toISOString(), error: null, hot: null });
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
    assert.deepEqual(standbyStatus(result.state), { state: 'free', protectedNodeId: null, epoch: 5, since: new Date(13).toISOString(), error: null, hot: null });
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

  test('a hot standby order prepares the recorder with the server\'s identity, no epoch, no endpoint; the same order again is a repeat', () => {
    const first = stepStandby(initialStandbyState(0, 3), { kind: 'hot-standby', atMs: 1, assignment: hotOrder(serverA) });
    assert.deepEqual(first.answer, { accepted: true, repeat: false });
    assert.deepEqual(standbyStatus(first.state).hot, { protectedNodeId: serverA, configSha256: 'a'.repeat(64), state: 'preparing', error: null });
    assert.deepEqual(stepStandby(first.state, { kind: 'hot-standby', atMs: 2, assignment: hotOrder(serverA) }).answer, { accepted: true, repeat: true }, 'while it prepares');
    const { result, steps } = runToEnd(first);
    assert.deepEqual(steps, [...hotPrepareSteps]);
    assert.deepEqual({ phase: result.state.phase, epochMax: result.state.epochMax, assignment: result.state.assignment, hot: result.state.hot?.state }, { phase: 'free', epochMax: 3, assignment: null, hot: 'ready' });
    const again = stepStandby(result.state, { kind: 'hot-standby', atMs: 30, assignment: hotOrder(serverA) });
    assert.deepEqual({ answer: again.answer, run: again.run }, { answer: { accepted: true, repeat: true }, run: null });
    // Another configuration of the server, or another server: prepared again.
    assert.deepEqual(runToEnd(stepStandby(result.state, { kind: 'hot-standby', atMs: 31, assignment: hotOrder(serverA, 'b'.repeat(64)) })).steps, [...hotPrepareSteps]);
    const toB = runToEnd(stepStandby(result.state, { kind: 'hot-standby', atMs: 31, assignment: hotOrder(serverB) }));
    assert.deepEqual([toB.steps, toB.result.state.hot?.assignment.protectedNodeId, toB.result.state.hot?.state], [[...hotPrepareSteps], serverB, 'ready']);
  });

  test('a hot standby order is refused as busy unless the standby is free and idle', () => {
    const serving = servingA(5);
    const r = stepStandby(serving, { kind: 'hot-standby', atMs: 3, assignment: hotOrder(serverB) });
    assert.equal(r.answer?.accepted === false && r.answer.reason, 'busy');
    assert.equal(r.state, serving);
    assert.equal(stepStandby(serving, { kind: 'hot-standby', atMs: 3, assignment: null }).answer?.accepted, true, 'a cold standby is already cold');
    const preparing = stepStandby(initialStandbyState(0), { kind: 'hot-standby', atMs: 1, assignment: hotOrder(serverA) }).state;
    const other = stepStandby(preparing, { kind: 'hot-standby', atMs: 2, assignment: hotOrder(serverB) });
    assert.equal(other.answer?.accepted === false && other.answer.reason, 'busy', 'another server while it prepares');
    const cold = stepStandby(preparing, { kind: 'hot-standby', atMs: 2, assignment: null });
    assert.equal(cold.answer?.accepted === false && cold.answer.reason, 'busy', 'cold while it prepares');
  });

  test('a takeover of the hot server with its configuration only fences and claims; its release only gives the endpoint back', () => {
    const hot = hotReadyA(4);
    const take = stepStandby(hot, { kind: 'takeover', atMs: 40, order: order(serverA, 5) });
    assert.deepEqual(take.answer, { accepted: true, repeat: false });
    const taken = runToEnd(take);
    assert.deepEqual(taken.steps, [...refenceSteps]);
    assert.deepEqual({ phase: taken.result.state.phase, epochMax: taken.result.state.epochMax, hot: taken.result.state.hot?.state }, { phase: 'serving', epochMax: 5, hot: 'ready' });
    const released = runToEnd(stepStandby(taken.result.state, { kind: 'release', atMs: 50, protectedNodeId: serverA, epoch: 5 }));
    assert.deepEqual(released.steps, [...hotReleaseSteps]);
    assert.deepEqual({ phase: released.result.state.phase, hot: released.result.state.hot?.state, released: released.result.state.released }, { phase: 'free', hot: 'ready', released: { protectedNodeId: serverA, epoch: 5 } });
    // Still hot: the next takeover takes the fast path again; a lower epoch is still fenced.
    assert.deepEqual(runToEnd(stepStandby(released.result.state, { kind: 'takeover', atMs: 60, order: order(serverA, 6) })).steps, [...refenceSteps]);
    assert.equal(stepStandby(released.result.state, { kind: 'takeover', atMs: 60, order: order(serverA, 5) }).answer?.accepted, false);
  });

  test('a takeover of the hot server with another configuration, or while not ready, runs in full', () => {
    const changed = runToEnd(stepStandby(hotReadyA(), { kind: 'takeover', atMs: 40, order: order(serverA, 5, 'b'.repeat(64)) }));
    assert.deepEqual(changed.steps, [...takeoverSteps]);
    assert.equal(changed.result.state.hot?.state, 'preparing', 'the recorder runs the newer file, not the hot one');
    // Its release restores the own identity, then the hot standby is prepared again at once (its file is held).
    const back = runToEnd(stepStandby(changed.result.state, { kind: 'release', atMs: 50, protectedNodeId: serverA, epoch: 5 }));
    assert.deepEqual(back.steps, [...releaseSteps, ...hotPrepareSteps]);
    assert.deepEqual({ phase: back.result.state.phase, hot: back.result.state.hot?.state }, { phase: 'free', hot: 'ready' });
    // A failed hot standby: a full takeover; with its configuration it leaves the recorder running it, ready.
    const failed = runToEnd(stepStandby(initialStandbyState(0), { kind: 'hot-standby', atMs: 1, assignment: hotOrder(serverA) }), { step: 'wait-healthy', reason: 'camera offline' }).result.state;
    assert.deepEqual(standbyStatus(failed).hot, { protectedNodeId: serverA, configSha256: 'a'.repeat(64), state: 'failed', error: { step: 'wait-healthy', reason: 'camera offline' } });
    assert.equal(failed.phase, 'free', 'a failed hot standby is a free (cold) standby');
    const full = runToEnd(stepStandby(failed, { kind: 'takeover', atMs: 40, order: order(serverA, 5) }));
    assert.deepEqual(full.steps, [...takeoverSteps]);
    assert.deepEqual({ phase: full.result.state.phase, hot: full.result.state.hot?.state, error: full.result.state.hot?.error }, { phase: 'serving', hot: 'ready', error: null });
    assert.deepEqual(runToEnd(stepStandby(full.result.state, { kind: 'release', atMs: 50, protectedNodeId: serverA, epoch: 5 })).steps, [...hotReleaseSteps]);
  });

  test('a takeover of another server runs in full and keeps the hot assignment, prepared again after the release', () => {
    const taken = runToEnd(stepStandby(hotReadyA(), { kind: 'takeover', atMs: 40, order: order(serverB, 5) }));
    assert.deepEqual(taken.steps, [...takeoverSteps]);
    assert.deepEqual({ serves: taken.result.state.assignment?.protectedNodeId, hot: taken.result.state.hot?.assignment.protectedNodeId, ready: taken.result.state.hot?.state }, { serves: serverB, hot: serverA, ready: 'preparing' });
    const repeat = stepStandby(taken.result.state, { kind: 'hot-standby', atMs: 45, assignment: hotOrder(serverA) });
    assert.deepEqual(repeat.answer, { accepted: true, repeat: true }, 'the controller\'s order again changes nothing: it is prepared after the release');
    const back = runToEnd(stepStandby(taken.result.state, { kind: 'release', atMs: 50, protectedNodeId: serverB, epoch: 5 }));
    assert.deepEqual(back.steps, [...releaseSteps, ...hotPrepareSteps]);
    assert.deepEqual({ phase: back.result.state.phase, hot: back.result.state.hot?.state }, { phase: 'free', hot: 'ready' });
  });

  test('a takeover during a hot step waits for the step, then runs in full; a release during it waits too', () => {
    let r = stepStandby(initialStandbyState(0), { kind: 'hot-standby', atMs: 1, assignment: hotOrder(serverA) });
    r = stepStandby(r.state, { kind: 'step-done', atMs: 2, step: 'stop-recorder' });
    assert.equal(r.run, 'apply-config');
    const take = stepStandby(r.state, { kind: 'takeover', atMs: 3, order: order(serverA, 5) });
    assert.deepEqual({ answer: take.answer, run: take.run, phase: take.state.phase, epochMax: take.state.epochMax }, { answer: { accepted: true, repeat: false }, run: null, phase: 'taking-over', epochMax: 5 });
    const next = stepStandby(take.state, { kind: 'step-failed', atMs: 4, step: 'apply-config', reason: 'disk full' });
    assert.equal(next.run, 'persist-epoch', 'the takeover follows whatever the hot step did');
    assert.equal(next.state.hot?.state, 'failed');
    const served = runToEnd(next);
    assert.deepEqual(served.steps, [...takeoverSteps]);
    assert.deepEqual({ phase: served.result.state.phase, hot: served.result.state.hot?.state }, { phase: 'serving', hot: 'ready' });
    // A release while the takeover still waits for the hot step: the release's full steps follow it.
    let q = stepStandby(initialStandbyState(0), { kind: 'hot-standby', atMs: 1, assignment: hotOrder(serverA) });
    q = stepStandby(q.state, { kind: 'takeover', atMs: 2, order: order(serverB, 5) });
    q = stepStandby(q.state, { kind: 'release', atMs: 3, protectedNodeId: serverB, epoch: 5 });
    assert.equal(q.state.phase, 'releasing');
    const rest = runToEnd(stepStandby(q.state, { kind: 'step-done', atMs: 4, step: 'stop-recorder' }));
    assert.deepEqual(rest.steps, [...releaseSteps, ...hotPrepareSteps]);
    assert.equal(rest.result.state.phase, 'free');
  });

  test('cold again: stop, restore the own configuration, start; then no hot standby; a failure says which step', () => {
    const cold = stepStandby(hotReadyA(), { kind: 'hot-standby', atMs: 40, assignment: null });
    assert.deepEqual(cold.answer, { accepted: true, repeat: false });
    assert.equal(cold.state.hot?.state, 'restoring');
    assert.deepEqual(stepStandby(cold.state, { kind: 'hot-standby', atMs: 41, assignment: null }).answer, { accepted: true, repeat: true });
    const done = runToEnd(cold);
    assert.deepEqual(done.steps, [...hotRestoreSteps]);
    assert.equal(done.result.state.hot, null);
    assert.equal(standbyStatus(done.result.state).hot, null);
    const failed = runToEnd(stepStandby(hotReadyA(), { kind: 'hot-standby', atMs: 40, assignment: null }), { step: 'restore-config', reason: 'compare-and-swap lost' }).result.state;
    assert.deepEqual(standbyStatus(failed).hot, { protectedNodeId: serverA, configSha256: 'a'.repeat(64), state: 'failed', error: { step: 'restore-config', reason: 'compare-and-swap lost' } });
    assert.deepEqual(runToEnd(stepStandby(failed, { kind: 'hot-standby', atMs: 50, assignment: null })).steps, [...hotRestoreSteps], 'the next order retries');
    // Ordered cold, then a takeover: its release restores the own file, and the hot standby is gone.
    const taken = runToEnd(stepStandby(failed, { kind: 'takeover', atMs: 60, order: order(serverA, 5) }));
    assert.deepEqual(taken.steps, [...takeoverSteps], 'a hot standby ordered cold never takes the fast path');
    const back = runToEnd(stepStandby(taken.result.state, { kind: 'release', atMs: 70, protectedNodeId: serverA, epoch: 5 }));
    assert.deepEqual(back.steps, [...releaseSteps]);
    assert.equal(back.result.state.hot, null);
  });

  test('after a restart: a hot step cut short runs its sequence again, a ready hot standby stays ready and fast', () => {
    let r = stepStandby(initialStandbyState(0), { kind: 'hot-standby', atMs: 1, assignment: hotOrder(serverA) });
    r = stepStandby(r.state, { kind: 'step-done', atMs: 2, step: 'stop-recorder' });
    const restarted = stepStandby(JSON.parse(JSON.stringify(r.state)) as StandbyState, { kind: 'restarted', atMs: 3 });
    assert.equal(restarted.run, 'stop-recorder');
    assert.equal(runToEnd(restarted).result.state.hot?.state, 'ready');
    const restoring = stepStandby(hotReadyA(), { kind: 'hot-standby', atMs: 40, assignment: null }).state;
    const again = stepStandby(restoring, { kind: 'restarted', atMs: 41 });
    assert.deepEqual(runToEnd(again).steps, [...hotRestoreSteps]);
    const ready = JSON.parse(JSON.stringify(hotReadyA())) as StandbyState;
    assert.equal(stepStandby(ready, { kind: 'restarted', atMs: 50 }).state, ready);
    assert.deepEqual(runToEnd(stepStandby(ready, { kind: 'takeover', atMs: 51, order: order(serverA, 2) })).steps, [...refenceSteps]);
    // A fast takeover cut short is failed; the hot standby still runs the identity, so a newer epoch (or its release) stays fast.
    const cut = stepStandby(stepStandby(ready, { kind: 'takeover', atMs: 51, order: order(serverA, 2) }).state, { kind: 'restarted', atMs: 52 }).state;
    assert.equal(cut.phase, 'failed');
    assert.deepEqual(runToEnd(stepStandby(cut, { kind: 'release', atMs: 53, protectedNodeId: serverA, epoch: 2 })).steps, [...hotReleaseSteps]);
    assert.deepEqual(runToEnd(stepStandby(cut, { kind: 'takeover', atMs: 53, order: order(serverA, 3) })).steps, [...refenceSteps]);
  });

  test('property: one protected server at a time, epochs only rise, steps in order, only a takeover claims', () => {
    const servers = [serverA, serverB, '33333333-3333-4333-8333-333333333333'];
    type Make = (state: StandbyState, atMs: number) => StandbyInput;
    const once = (make: Make): { make: Make; times: number } => ({ make, times: 1 });
    // Step results come in runs (up to a whole sequence), so that schedules reach a ready hot standby or serving and act from there.
    const inputArb: fc.Arbitrary<{ make: Make; times: number }> = fc.oneof(
      // Epochs around the highest accepted: some fenced, most taken.
      fc.record({ server: fc.constantFrom(...servers), above: fc.integer({ min: -1, max: 2 }), sha: fc.constantFrom('a', 'b') })
        .map(({ server, above, sha }) => once((s, atMs) => ({ kind: 'takeover', atMs, order: order(server, Math.max(1, s.epochMax + above), sha.repeat(64)) }))),
      fc.record({ server: fc.constantFrom(...servers), epoch: fc.integer({ min: 1, max: 12 }), current: fc.boolean() })
        .map(({ server, epoch, current }) => once((s, atMs) => (current && s.assignment !== null
          ? { kind: 'release', atMs, protectedNodeId: s.assignment.protectedNodeId, epoch: s.assignment.epoch }
          : { kind: 'release', atMs, protectedNodeId: server, epoch }))),
      {
        weight: 3,
        arbitrary: fc.record({ how: fc.constantFrom('done', 'failed', 'stale'), times: fc.integer({ min: 1, max: 6 }) }).map(({ how, times }) => ({
          times: how === 'done' ? times : 1,
          make: (s: StandbyState, atMs: number): StandbyInput => {
            const step = how === 'stale' || s.running === null ? 'claim-endpoint' : s.running.step;
            return how === 'failed' ? { kind: 'step-failed', atMs, step, reason: 'boom' } : { kind: 'step-done', atMs, step };
          },
        })),
      },
      fc.constant(once((_s, atMs) => ({ kind: 'restarted', atMs }))),
      {
        weight: 2,
        arbitrary: fc.record({ server: fc.constantFrom(...servers, null), sha: fc.constantFrom('a', 'b') })
          .map(({ server, sha }) => once((_s, atMs) => ({ kind: 'hot-standby', atMs, assignment: server === null ? null : hotOrder(server, sha.repeat(64)) }))),
      },
    );
    const canonOf: Record<StandbySequence, readonly StandbyStep[]> = { takeover: takeoverSteps, release: releaseSteps, hot: hotPrepareSteps, cold: hotRestoreSteps, become: becomeProtectedSteps };
    fc.assert(
      fc.property(fc.array(inputArb, { maxLength: 80 }), (items) => {
        let state = initialStandbyState(0);
        let sequence: StandbyStep[] = [];
        const makes = items.flatMap(({ make, times }) => Array.from({ length: times }, () => make));
        makes.forEach((make, i) => {
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
            const of = next.running?.of;
            assert.ok(of !== undefined && next.running?.step === result.run, 'the step run is the one recorded as running');
            const canon = canonOf[of];
            if (result.run === canon[0]) sequence = [];
            sequence.push(result.run);
            const positions = sequence.map((s) => canon.indexOf(s));
            assert.ok(positions.every((p, k) => p >= 0 && (k === 0 || p > positions[k - 1]!)), `steps in order: ${sequence.join(', ')} (${of})`);
            if (result.run === 'claim-endpoint' || result.run === 'persist-epoch') {
              assert.ok(of === 'takeover' && next.assignment !== null && next.assignment.epoch >= 1 && next.assignment.epoch <= next.epochMax, 'only a takeover, under its epoch, fences and claims');
            }
            if (of === 'hot' || of === 'cold') assert.ok(next.phase === 'free' && next.hot !== null, 'a hot standby step starts only while free');
            if (of === 'takeover' && input.kind === 'takeover' && result.answer?.accepted === true && sequence.length === 1 && result.state.remaining.length === refenceSteps.length - 1) {
              assert.ok(state.phase === 'serving' || (state.hot?.state === 'ready' && state.hot.assignment.protectedNodeId === input.order.protectedNodeId && state.hot.assignment.configSha256 === input.order.configSha256), 'the fast path only from serving it or from its ready hot standby');
            }
          }
          if (next.hot?.state === 'ready' && next.assignment !== null) {
            assert.deepEqual([next.hot.assignment.protectedNodeId, next.hot.assignment.configSha256], [next.assignment.protectedNodeId, next.assignment.configSha256], 'a ready hot standby never serves another identity');
          }
          if (next.phase === 'serving') assert.equal(next.running, null);
          state = next;
        });
      }),
      { numRuns: 1000 },
    );
  });
});
