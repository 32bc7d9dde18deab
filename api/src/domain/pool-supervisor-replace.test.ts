// The pool supervisor's sweep after a replacement (pool-supervisor.ts, replacementState): the
// replacing node's agent is ordered to switch its role until it reports as a protected server;
// meanwhile nothing fails it over or back; the standby serving the identity still reports the
// replaced node's id, which stands for the replacing node (not released, then released and the
// replacing node resumed with the failback sync once the failback starts); failures said once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPoolSettings } from '../../../contracts/cluster-policy-v1.js';
import { replacementState, supervisorInitial, sweep, triggerSettingsOf, withResumeEpoch, type LeaseView, type ServerObservation, type SupervisedServer, type SupervisedStandby, type SupervisorState, type SweepInput } from './pool-supervisor.js';

const replaced = '00000000-0000-4000-8000-000000000001';
const replacing = '00000000-0000-4000-8000-000000000002';
const servingStandby = 'fo-1';
const sha = 'a'.repeat(64);
const startMs = 1_000_000;
const settings = triggerSettingsOf({ ...defaultPoolSettings, holdDownSeconds: 10, stopFailover: 'automatic', failbackRecordings: 'sync' });
const camera = { deviceId: 'c0000000-0000-4000-8000-000000000001', name: 'Cam 1', level: 'full' as const };
const server: SupervisedServer = { nodeId: replacing, name: 'failover-2', primaryGroupId: 'g', secondaryGroupId: null, hotStandbyNodeId: null, selection: 'sequence', sharedAddress: '10.0.0.1:7563', recorderConfig: { sha256: sha }, cameras: [camera] };
const lease = (o: Partial<LeaseView> = {}): LeaseView => ({ standbyNodeId: servingStandby, protectedNodeId: replacing, epoch: 5, state: 'serving', version: 3, sinceMs: startMs - 60_000, ...o });
/** The serving standby's report: it still names the replaced node. */
const standby = (pool: SupervisedStandby['pool'] = { state: 'serving', protectedNodeId: replaced, epoch: 5, error: null }): SupervisedStandby => ({ nodeId: servingStandby, name: 'FO-1', cameraCapacity: 8, reachable: true, pool });
const observed = (nowMs: number, o: Partial<ServerObservation> = {}): ServerObservation => ({ lastReportAtMs: nowMs, recorderRunning: false, storageOk: true, servingEpoch: null, agentRole: 'standby', standbyReport: { state: 'free', error: null }, ...o });

/** What the replace command stores for the replacing node (another standby than the serving one). */
function replacedByAnother(): SupervisorState {
  const before: SupervisorState = { ...supervisorInitial, health: { kind: 'failed', trigger: 'service-down', sinceMs: startMs - 70_000 }, served: { standbyNodeId: servingStandby, epoch: 5, serving: true, fromMs: startMs - 60_000, cameraIds: [camera.deviceId] }, resume: { standbyNodeId: servingStandby, resumeEpoch: null } };
  return replacementState(before, { nodeId: replaced, name: 'rs-1', sharedAddress: '10.0.0.1:7563', configSha256: sha, lease: lease({ protectedNodeId: replaced }), served: true, nowMs: startMs });
}

function input(nowMs: number, state: SupervisorState, o: Partial<SweepInput> = {}): SweepInput {
  return { nowMs, settings, failbackRecordings: 'sync', servers: [server], groups: new Map([['g', [servingStandby]]]), standbys: [standby()], leases: [lease()], observations: new Map([[replacing, observed(nowMs)]]), states: new Map([[replacing, state]]), cooldowns: new Map(), ...o };
}

test('the replacing state: the replaced server\'s failover, failed from now, the role switch under the serving lease\'s epoch, the replaced id as alias', () => {
  const st = replacedByAnother();
  assert.deepEqual(st.health, { kind: 'failed', trigger: 'service-down', sinceMs: startMs });
  assert.deepEqual(st.served?.cameraIds, [camera.deviceId]);
  assert.deepEqual({ epoch: st.roleSwitch?.epoch, replacedNodeId: st.roleSwitch?.replacedNodeId, sha: st.roleSwitch?.configSha256 }, { epoch: 5, replacedNodeId: replaced, sha });
  assert.deepEqual(st.replacedNodeIds, [replaced]);
  const byServing = replacementState(supervisorInitial, { nodeId: replaced, name: 'rs-1', sharedAddress: '10.0.0.1:7563', configSha256: sha, lease: lease({ protectedNodeId: replaced }), served: false, nowMs: startMs });
  assert.deepEqual({ health: byServing.health.kind, served: byServing.served, resume: byServing.resume }, { health: 'protected', served: null, resume: null }, 'the serving standby serves on: nothing to fail back');
});

test('until the agent switched: ordered to become protected; no failover, no stop, no release of the serving standby', () => {
  let st = replacedByAnother();
  for (let i = 0; i < 30; i += 1) {
    const nowMs = startMs + i * 1_000;
    const out = sweep(input(nowMs, st));
    st = out.states.get(replacing) as SupervisorState;
    assert.deepEqual(out.leaseMoves, [], 'no stop of failover while the agent is a standby\'s');
    assert.deepEqual(out.orders.map((o) => o.kind), ['become-protected'], 'only the role switch is ordered; the serving standby is not released');
    const order = out.orders[0];
    assert.ok(order?.kind === 'become-protected');
    assert.equal(order.nodeId, replacing);
    assert.deepEqual(order.request, { replacedNodeId: replaced, replacedName: 'rs-1', sharedAddress: '10.0.0.1:7563', recorderConfig: { sha256: sha }, epoch: 5 });
    assert.deepEqual(out.events, [], 'no failover-started: the serving standby serves it already');
    assert.equal(st.health.kind, 'failed');
  }
});

test('once switched (fenced): said once; the failback follows: stop after the hold-down, release of the serving standby by the replaced id, resume with the failback sync', () => {
  let st = replacedByAnother();
  let nowMs = startMs;
  let out = sweep(input(nowMs, st, { observations: new Map([[replacing, observed(nowMs, { agentRole: 'protected', standbyReport: null })]]) }));
  assert.deepEqual(out.events.map((e) => e.kind), ['pool.replacement-completed']);
  assert.deepEqual(out.orders, []);
  st = out.states.get(replacing) as SupervisorState;
  assert.equal(st.roleSwitch ?? null, null);
  // Healthy (its recorder stopped on purpose: masked while the lease holds it) for the hold-down: failover stops, with sync.
  let leases = [lease()];
  for (let i = 1; i <= 12 && out.leaseMoves.length === 0; i += 1) {
    nowMs = startMs + i * 1_000;
    out = sweep(input(nowMs, st, { leases, observations: new Map([[replacing, observed(nowMs, { agentRole: 'protected', standbyReport: null })]]) }));
    st = out.states.get(replacing) as SupervisorState;
  }
  assert.deepEqual(out.leaseMoves, [{ kind: 'move', standbyNodeId: servingStandby, expectedVersion: 3, to: 'syncing-back' }]);
  leases = [lease({ state: 'syncing-back', version: 4 })];
  nowMs += 1_000;
  out = sweep(input(nowMs, st, { leases, observations: new Map([[replacing, observed(nowMs, { agentRole: 'protected', standbyReport: null })]]) }));
  st = out.states.get(replacing) as SupervisorState;
  assert.deepEqual(out.orders, [{ kind: 'release', standbyNodeId: servingStandby, request: { protectedNodeId: replaced, epoch: 5 } }], 'released by the id it knows; not resumed before it gave the identity back');
  // Given back: the replacing node resumes under the pool's next epoch, with the failback sync from the serving standby.
  nowMs += 1_000;
  out = sweep(input(nowMs, st, { leases, standbys: [standby({ state: 'free', protectedNodeId: null, epoch: 5, error: null })], observations: new Map([[replacing, observed(nowMs, { agentRole: 'protected', standbyReport: null })]]) }));
  assert.deepEqual(out.leaseMoves, [{ kind: 'resume-epoch', protectedNodeId: replacing }]);
  st = withResumeEpoch(out.states.get(replacing) as SupervisorState, 9);
  nowMs += 1_000;
  out = sweep(input(nowMs, st, { leases, standbys: [standby({ state: 'free', protectedNodeId: null, epoch: 5, error: null })], observations: new Map([[replacing, observed(nowMs, { agentRole: 'protected', standbyReport: null })]]) }));
  const resume = out.orders.find((o) => o.kind === 'resume');
  assert.ok(resume?.kind === 'resume');
  assert.equal(resume.protectedNodeId, replacing);
  assert.equal(resume.epoch, 9);
  assert.equal(resume.failbackSync?.standbyNodeId, servingStandby);
  assert.deepEqual(resume.failbackSync?.cameraIds, [camera.deviceId]);
});

test('a failed switch is said once and ordered again after a backoff', () => {
  let st = replacedByAnother();
  const failedReport = { state: 'failed' as const, error: { step: 'apply-config', reason: 'disk full' } };
  let said = 0;
  let ordered = 0;
  for (let i = 0; i < 8; i += 1) {
    const nowMs = startMs + i * 1_000;
    const out = sweep(input(nowMs, st, { observations: new Map([[replacing, observed(nowMs, { standbyReport: failedReport })]]) }));
    st = out.states.get(replacing) as SupervisorState;
    said += out.events.filter((e) => e.kind === 'pool.replacement-failed').length;
    ordered += out.orders.filter((o) => o.kind === 'become-protected').length;
  }
  assert.equal(said, 1, 'said once while it stays failed within the backoff');
  assert.equal(ordered, 1, 'ordered again once its backoff passed (2.5 s to 5 s for the first failure)');
  assert.equal(st.roleSwitch?.failures, 1);
});
