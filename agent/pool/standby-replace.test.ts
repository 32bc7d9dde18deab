// The pool standby's core on a replacement (become-protected, contracts/pool-v1.ts): a free cold
// standby stops, takes the identity and switches; the standby serving that server only switches;
// refusals while busy, hot or serving another server (or that server under another epoch); a
// failed step and a restart; the protected server's first state after the switch.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { replacementProtectedState, stepProtected } from './protected.js';
import { becomeProtectedSteps, becomeServingSteps, initialStandbyState, standbyStatus, stepStandby, takeoverSteps, type RoleSwitchOrder, type StandbyState, type StandbyStep, type StandbyStepResult } from './standby.js';

const serverA = '11111111-1111-4111-8111-111111111111';
const serverB = '22222222-2222-4222-8222-222222222222';
const sha = 'a'.repeat(64);

const replace = (replacedNodeId = serverA, epoch = 5): RoleSwitchOrder => ({ replacedNodeId, replacedName: replacedNodeId === serverA ? 'rs-a' : 'rs-b', sharedAddress: '127.0.0.1:7563', configSha256: sha, epoch });
const become = (state: StandbyState, order = replace(), atMs = 1): StandbyStepResult => stepStandby(state, { kind: 'become-protected', atMs, order });

function runToEnd(first: StandbyStepResult, fail?: StandbyStep): { result: StandbyStepResult; steps: StandbyStep[] } {
  let result = first;
  const steps: StandbyStep[] = [];
  for (let i = 0; i < 20 && result.run !== null; i += 1) {
    const step = result.run;
    steps.push(step);
    result = stepStandby(result.state, fail === step ? { kind: 'step-failed', atMs: 10 + i, step, reason: 'disk full' } : { kind: 'step-done', atMs: 10 + i, step });
  }
  return { result, steps };
}

/** A standby serving `protectedNodeId` under `epoch` (its takeover run to the end). */
function serving(protectedNodeId = serverA, epoch = 5): StandbyState {
  const order = { protectedNodeId, protectedName: 'rs', epoch, sharedAddress: '127.0.0.1:7563', configSha256: sha, cameras: [] };
  const { result, steps } = runToEnd(stepStandby(initialStandbyState(0), { kind: 'takeover', atMs: 1, order }));
  assert.deepEqual(steps, takeoverSteps);
  assert.equal(result.state.phase, 'serving');
  return result.state;
}

describe('pool standby core: replacement (become-protected)', () => {
  test('a free standby stops its recorder, takes the identity and switches its role; the status names the replaced server', () => {
    const first = become(initialStandbyState(0, 9));
    assert.deepEqual(first.answer, { accepted: true, repeat: false });
    assert.equal(first.state.phase, 'becoming-protected');
    const status = standbyStatus(first.state);
    assert.deepEqual({ state: status.state, protectedNodeId: status.protectedNodeId, epoch: status.epoch }, { state: 'becoming-protected', protectedNodeId: serverA, epoch: 5 });
    const { result, steps } = runToEnd(first);
    assert.deepEqual(steps, becomeProtectedSteps);
    assert.equal(steps.includes('start-recorder'), false, 'its recorder stays stopped: it starts fenced');
    assert.equal(steps.includes('claim-endpoint'), false, 'it claims nothing: the serving standby holds the endpoint');
    assert.deepEqual(result.state.switching, { ...replace(), serving: false, done: true });
    assert.equal(result.state.epochMax, 9, 'a replacement changes no standby epoch');
    assert.deepEqual(become(result.state).answer, { accepted: true, repeat: true }, 'the same order after the switch is a repeat');
  });

  test('the standby serving the server under that epoch only switches its role, serving on throughout', () => {
    const first = become(serving());
    assert.equal(first.state.phase, 'serving');
    const { result, steps } = runToEnd(first);
    assert.deepEqual(steps, becomeServingSteps);
    assert.equal(result.state.phase, 'serving');
    assert.equal(result.state.switching?.serving, true);
    assert.equal(result.state.switching?.done, true);
  });

  test('refused: busy serving another server, serving this one under another epoch, taking over, hot, or replacing another', () => {
    const reason = (r: StandbyStepResult): string | null => (r.answer?.accepted === false ? r.answer.reason : null);
    const servingB = serving(serverB);
    assert.equal(reason(become(servingB)), 'busy');
    assert.equal(become(servingB).state, servingB, 'a refusal changes nothing');
    assert.equal(reason(become(serving(serverA, 4))), 'not-assigned');
    const takingOver = stepStandby(initialStandbyState(0), { kind: 'takeover', atMs: 1, order: { protectedNodeId: serverB, protectedName: 'rs-b', epoch: 3, sharedAddress: '127.0.0.1:7563', configSha256: sha, cameras: [] } }).state;
    assert.equal(reason(become(takingOver)), 'busy');
    const hot = stepStandby(initialStandbyState(0), { kind: 'hot-standby', atMs: 1, assignment: { protectedNodeId: serverB, protectedName: 'rs-b', sharedAddress: '127.0.0.1:7563', configSha256: sha, cameras: [] } });
    const afterHot = runToEnd(hot).result.state;
    assert.equal(reason(become(afterHot)), 'busy', 'a hot standby is made cold first');
    const replacing = become(initialStandbyState(0)).state;
    assert.equal(reason(become(replacing, replace(serverB))), 'busy');
    // Nothing else is taken while it replaces: no takeover, release or hot standby order.
    assert.equal(stepStandby(replacing, { kind: 'takeover', atMs: 2, order: { protectedNodeId: serverB, protectedName: 'rs-b', epoch: 9, sharedAddress: '127.0.0.1:7563', configSha256: sha, cameras: [] } }).answer?.accepted, false);
    assert.equal(stepStandby(replacing, { kind: 'release', atMs: 2, protectedNodeId: serverA, epoch: 5 }).answer?.accepted, false);
    assert.equal(stepStandby(replacing, { kind: 'hot-standby', atMs: 2, assignment: null }).answer?.accepted, false);
  });

  test('a failed step: the free standby is failed, the serving one serves on with the error; the same order again runs it again', () => {
    const { result } = runToEnd(become(initialStandbyState(0)), 'apply-config');
    assert.equal(result.state.phase, 'failed');
    assert.deepEqual(result.state.error, { step: 'apply-config', reason: 'disk full' });
    assert.equal(standbyStatus(result.state).protectedNodeId, serverA);
    const again = runToEnd(become(result.state));
    assert.deepEqual(again.steps, becomeProtectedSteps);
    assert.equal(again.result.state.switching?.done, true);

    const servingFailed = runToEnd(become(serving()), 'switch-role').result.state;
    assert.equal(servingFailed.phase, 'serving');
    assert.deepEqual(servingFailed.error, { step: 'switch-role', reason: 'disk full' });
    assert.deepEqual(runToEnd(become(servingFailed)).steps, becomeServingSteps);
  });

  test('a restart cuts a replacement short: failed (the file was in memory only), retried by the order again', () => {
    const cut = stepStandby(become(initialStandbyState(0)).state, { kind: 'restarted', atMs: 5 });
    assert.equal(cut.state.phase, 'failed');
    assert.equal(cut.state.error?.step, 'stop-recorder');
    assert.equal(cut.run, null);
    assert.deepEqual(become(cut.state).answer, { accepted: true, repeat: false });
  });

  test('the protected server it becomes: fenced below the epoch (never holding it), or serving at it', () => {
    const fenced = replacementProtectedState(7, 5, false);
    assert.deepEqual({ phase: fenced.phase, epoch: fenced.epoch, fencedByEpoch: fenced.fencedByEpoch, epochSeenMax: fenced.epochSeenMax }, { phase: 'fenced', epoch: 1, fencedByEpoch: 5, epochSeenMax: 5 });
    // Its start stops the recorder (again); a resume at or below the serving epoch is refused, above it taken.
    assert.equal(stepProtected(fenced, { kind: 'started', atMs: 8 }).run, 'stop-recorder');
    assert.equal(stepProtected(fenced, { kind: 'resume', atMs: 8, epoch: 5 }).answer?.accepted, false);
    assert.equal(stepProtected(fenced, { kind: 'resume', atMs: 8, epoch: 6 }).answer?.accepted, true);
    const on = replacementProtectedState(7, 5, true);
    assert.deepEqual({ phase: on.phase, epoch: on.epoch, fencedByEpoch: on.fencedByEpoch }, { phase: 'serving', epoch: 5, fencedByEpoch: null });
    assert.equal(stepProtected(on, { kind: 'started', atMs: 8 }).run, null, 'serving on: its watch claims at the same epoch');
  });
});
