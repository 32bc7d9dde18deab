import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { protectedInitial, stepProtected, type PoolAction, type PoolTriggerSettings, type ProtectedObservation, type ProtectedState } from './pool-failures.js';

const settings: PoolTriggerSettings = { disconnectedSecondsMin: 5, serviceDown: { enabled: true, seconds: 3 }, storage: { enabled: true, seconds: 10 }, failover: 'automatic', stop: 'automatic', holdDownSeconds: 30 };
const healthy = (atMs: number): ProtectedObservation => ({ lastReportAtMs: atMs, recorderRunning: true, storageOk: true });

/** Feeds observations at their times; returns the last state and every action with its time. */
function run(steps: ReadonlyArray<[number, ProtectedObservation]>, s: PoolTriggerSettings = settings, from: ProtectedState = protectedInitial): { state: ProtectedState; actions: Array<[number, PoolAction]> } {
  let state = from;
  const actions: Array<[number, PoolAction]> = [];
  for (const [atMs, o] of steps) {
    const next = stepProtected(state, o, s, atMs);
    state = next.state;
    for (const a of next.actions) actions.push([atMs, a]);
  }
  return { state, actions };
}

describe('pool failures: triggers', () => {
  test('disconnected: counted from the last report, failed over once the silence reaches the limit', () => {
    const last = 10_000;
    const { state, actions } = run([[10_000, healthy(last)], [13_000, healthy(last)], [14_999, healthy(last)], [15_000, healthy(last)], [16_000, healthy(last)]]);
    assert.deepEqual(actions, [[15_000, { kind: 'fail-over', trigger: 'disconnected' }]]);
    assert.deepEqual(state, { kind: 'failed', trigger: 'disconnected', sinceMs: last });
  });

  test('a server not heard of since the controller started waits the full limit from then', () => {
    const never: ProtectedObservation = { lastReportAtMs: null, recorderRunning: false, storageOk: false };
    const { actions } = run([[0, never], [4_999, never], [5_000, never]]);
    assert.deepEqual(actions, [[5_000, { kind: 'fail-over', trigger: 'disconnected' }]]);
  });

  test('service down: must last its seconds without a break; a healthy report ends it', () => {
    const down = (at: number): ProtectedObservation => ({ lastReportAtMs: at, recorderRunning: false, storageOk: true });
    const broken = run([[0, down(0)], [2_000, down(2_000)], [2_500, healthy(2_500)], [3_000, down(3_000)], [5_500, down(5_500)]]);
    assert.deepEqual(broken.actions, [], 'the break restarted the count');
    assert.deepEqual(broken.state, { kind: 'troubled', trigger: 'service-down', sinceMs: 3_000 });
    assert.deepEqual(run([[0, down(0)], [3_000, down(3_000)]]).actions, [[3_000, { kind: 'fail-over', trigger: 'service-down' }]]);
  });

  test('storage failed or degraded: its own seconds; a disabled trigger never fires', () => {
    const bad = (at: number): ProtectedObservation => ({ lastReportAtMs: at, recorderRunning: true, storageOk: false });
    assert.deepEqual(run([[0, bad(0)], [9_999, bad(9_999)], [10_000, bad(10_000)]]).actions, [[10_000, { kind: 'fail-over', trigger: 'storage' }]]);
    const off = { ...settings, storage: { enabled: false, seconds: 10 }, serviceDown: { enabled: false, seconds: 3 } };
    const worse = (at: number): ProtectedObservation => ({ lastReportAtMs: at, recorderRunning: false, storageOk: false });
    assert.deepEqual(run([[0, worse(0)], [60_000, worse(60_000)]], off), { state: protectedInitial, actions: [] });
  });

  test('disconnection outranks what the last report said', () => {
    const { actions } = run([[0, { lastReportAtMs: 0, recorderRunning: false, storageOk: true }], [5_000, { lastReportAtMs: 0, recorderRunning: false, storageOk: true }]]);
    assert.deepEqual(actions, [[5_000, { kind: 'fail-over', trigger: 'disconnected' }]]);
  });

  test('manual failover: the operator is told, once, and nothing starts', () => {
    const down = (at: number): ProtectedObservation => ({ lastReportAtMs: at, recorderRunning: false, storageOk: true });
    const { actions, state } = run([[0, down(0)], [3_000, down(3_000)], [4_000, down(4_000)], [60_000, down(60_000)]], { ...settings, failover: 'manual' });
    assert.deepEqual(actions, [[3_000, { kind: 'failover-needed', trigger: 'service-down' }]]);
    assert.equal(state.kind, 'failed');
  });
});

describe('pool failures: recovery', () => {
  const failed: ProtectedState = { kind: 'failed', trigger: 'disconnected', sinceMs: 0 };

  test('automatic stop after the hold-down of healthy reports, once', () => {
    const { actions, state } = run([[100_000, healthy(100_000)], [129_999, healthy(129_999)], [130_000, healthy(130_000)], [131_000, healthy(131_000)]], settings, failed);
    assert.deepEqual(actions, [[130_000, { kind: 'stop-failover' }]]);
    assert.deepEqual(state, protectedInitial);
  });

  test('trouble while recovering: still failed over, since the first failure; the hold-down starts again', () => {
    const down = (at: number): ProtectedObservation => ({ lastReportAtMs: at, recorderRunning: false, storageOk: true });
    const { actions, state } = run([[100_000, healthy(100_000)], [120_000, down(120_000)], [121_000, healthy(121_000)], [150_000, healthy(150_000)], [151_000, healthy(151_000)]], settings, failed);
    assert.deepEqual(actions, [[151_000, { kind: 'stop-failover' }]]);
    assert.deepEqual(state, protectedInitial);
    const again = run([[100_000, healthy(100_000)], [120_000, down(120_000)]], settings, failed);
    assert.deepEqual(again.state, { kind: 'failed', trigger: 'disconnected', sinceMs: 0 });
  });

  test('manual stop: `recovered` once, and failover runs on until the operator stops it', () => {
    const { actions, state } = run([[100_000, healthy(100_000)], [130_000, healthy(130_000)], [500_000, healthy(500_000)]], { ...settings, stop: 'manual' }, failed);
    assert.deepEqual(actions, [[130_000, { kind: 'recovered' }]]);
    assert.deepEqual(state, { kind: 'recovered', trigger: 'disconnected', failedSinceMs: 0 });
  });
});

describe('pool failures: properties', () => {
  const observation = fc.record({ silentMs: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 8_000 })), recorderRunning: fc.boolean(), storageOk: fc.boolean() });
  const history = fc.array(fc.tuple(fc.integer({ min: 1, max: 4_000 }), observation), { maxLength: 120 });

  test('never a failover before a trouble lasted its time, never two without a stop between, and a stop only after the hold-down', () => {
    fc.assert(
      fc.property(history, fc.constantFrom<'automatic' | 'manual'>('automatic', 'manual'), (steps, stop) => {
        const s = { ...settings, stop, holdDownSeconds: 6 };
        let nowMs = 0;
        let state: ProtectedState = protectedInitial;
        let failedOver = false;
        let healthySinceMs: number | null = null;
        for (const [gapMs, o] of steps) {
          nowMs += gapMs;
          const obs: ProtectedObservation = { lastReportAtMs: o.silentMs === null ? null : nowMs - o.silentMs, recorderRunning: o.recorderRunning, storageOk: o.storageOk };
          const silentTooLong = obs.lastReportAtMs === null || nowMs - obs.lastReportAtMs >= s.disconnectedSecondsMin * 1_000;
          const isHealthy = !silentTooLong && obs.recorderRunning && obs.storageOk;
          const next = stepProtected(state, obs, s, nowMs);
          for (const a of next.actions) {
            if (a.kind === 'fail-over') {
              assert.ok(!failedOver, 'a second failover without a stop');
              assert.ok(!isHealthy);
              if (state.kind === 'troubled') assert.ok(nowMs - state.sinceMs >= 0);
              failedOver = true;
            }
            if (a.kind === 'stop-failover' || a.kind === 'recovered') {
              assert.ok(failedOver && isHealthy && healthySinceMs !== null && nowMs - healthySinceMs >= s.holdDownSeconds * 1_000, 'stopped before the hold-down');
              if (a.kind === 'stop-failover') failedOver = false;
            }
          }
          // A trouble that has not lasted its time never fails over: the first observation of a
          // reported trouble (not a disconnection, which counts from the last report) cannot.
          if (state.kind === 'protected' && !silentTooLong && obs.lastReportAtMs !== null) assert.ok(!next.actions.some((a) => a.kind === 'fail-over'));
          if (failedOver) healthySinceMs = isHealthy ? (healthySinceMs ?? nowMs) : null;
          else healthySinceMs = null;
          state = next.state;
          assert.equal(failedOver, state.kind === 'failed' || state.kind === 'recovering' || state.kind === 'recovered');
        }
      }),
      { numRuns: 500 },
    );
  });
});
