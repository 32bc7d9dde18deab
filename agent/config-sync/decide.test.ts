import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clone, sha256Hex, type Change } from '../../recorder-config-sync/index.js';
import { fixture, primaryName, secondaryName } from '../../recorder-config-sync/fixtures/support.js';
import type { ServiceStatus } from '../shell/ports.js';
import {
  classifyPushStatus, decideSync, decodePush, defaultRetryPolicy, maxPushBytes, recorderPlan, retryDelayMs, shouldReportPush, summarizeSharedChanges,
  type IncomingConfig, type PushReport,
} from './decide.js';
import { ConfigSyncError, type ConfigSyncErrorCode } from './errors.js';

const primary = fixture(primaryName);
const receivedAt = new Date('2026-01-02T03:04:05.000Z');
const push = (bytes: Buffer, overrides: Partial<{ xml: string; sha256: string; from: string }> = {}) =>
  ({ xml: bytes.toString('base64'), sha256: sha256Hex(bytes), from: 'rec-a', ...overrides });
const incoming: IncomingConfig = decodePush(push(primary), { nodeId: 'rec-b', receivedAt });

function assertSyncError(fn: () => unknown, code: ConfigSyncErrorCode, httpStatus: number): void {
  assert.throws(fn, (err: unknown) => err instanceof ConfigSyncError && err.code === code && err.httpStatus === httpStatus);
}

test('decideSync: nothing without a pending config or when in sync; a Serving node waits unless forced', () => {
  const cases: Array<[pending: boolean, serving: boolean, force: boolean, inSync: boolean, expected: string]> = [
    [false, false, false, false, 'nothing'],
    [false, true, true, false, 'nothing'],
    [true, false, false, true, 'nothing'],
    [true, true, true, true, 'nothing'],
    [true, false, false, false, 'apply'],
    [true, false, true, false, 'apply'],
    [true, true, false, false, 'wait-for-switch'],
    [true, true, true, false, 'apply'],
  ];
  for (const [pending, localServing, force, inSync, expected] of cases) {
    assert.equal(decideSync({ pending: pending ? incoming : null, localServing, force, inSync }), expected, JSON.stringify({ pending, localServing, force, inSync }));
  }
});

test('decodePush keeps the exact bytes, parses them and stamps the arrival', () => {
  assert.deepEqual(incoming.bytes, primary);
  assert.equal(incoming.sha256, sha256Hex(primary));
  assert.equal(incoming.from, 'rec-a');
  assert.equal(incoming.receivedAt, '2026-01-02T03:04:05.000Z');
  assert.equal(incoming.config.info.recorderId, '4b1c2f3e-8d7a-4c55-9e21-0a6b3c9d7e11');
});

test('decodePush refuses non-canonical base64, a wrong hash, a bad config and a push from itself, as 400s', () => {
  const context = { nodeId: 'rec-b', receivedAt };
  const base64 = primary.toString('base64');
  assertSyncError(() => decodePush(push(primary, { xml: `${base64.slice(0, 10)}!${base64.slice(10)}` }), context), 'bad-base64', 400);
  assert.ok(/[+/]/.test(base64), 'the fixture has characters that base64url spells differently');
  assertSyncError(() => decodePush(push(primary, { xml: base64.replace(/\+/g, '-').replace(/\//g, '_') }), context), 'bad-base64', 400);
  assertSyncError(() => decodePush(push(primary, { xml: base64.replace(/=+$/, '') }), context), 'bad-base64', 400);
  assertSyncError(() => decodePush(push(primary, { xml: '====' }), context), 'bad-base64', 400);
  assertSyncError(() => decodePush(push(primary, { sha256: 'a'.repeat(64) }), context), 'sha-mismatch', 400);
  assertSyncError(() => decodePush(push(Buffer.from('<recorderconfig><recorder>')), context), 'bad-config', 400);
  assertSyncError(() => decodePush(push(Buffer.from('<a/>')), context), 'bad-config', 400);
  assertSyncError(() => decodePush(push(primary, { from: 'rec-b' }), context), 'from-self', 400);
  assert.throws(() => decodePush(push(Buffer.from('<recorderconfig><recorder>')), context), (err: unknown) => err instanceof ConfigSyncError && err.causeCode === 'truncated');
});

test('maxPushBytes is what 8 MiB of base64 holds', () => {
  assert.equal(maxPushBytes, 6 * 1024 * 1024);
  assert.ok(Buffer.alloc(maxPushBytes).toString('base64').length <= 8 * 1024 * 1024);
  assert.ok(Buffer.alloc(maxPushBytes + 1).toString('base64').length > 8 * 1024 * 1024);
});

test('summarizeSharedChanges counts shared changes only and bounds the paths', () => {
  const { changes } = clone(primary, fixture(secondaryName));
  const summary = summarizeSharedChanges(changes);
  const shared = changes.filter((c) => c.kind === 'shared');
  assert.ok(shared.length > 0 && shared.length < changes.length, 'the pair has shared and local differences');
  assert.deepEqual(summary, { count: shared.length, paths: shared.map((c) => c.path), pathsOmitted: 0 });
  assert.ok(summary.paths.includes('server/address'));
  assert.ok(!summary.paths.includes('webserver/host'), 'local paths are not counted');
  const many: Change[] = Array.from({ length: 60 }, (_, i) => ({ path: `p${i}`, kind: 'shared', subject: 'text', before: null, after: null, rule: null }));
  assert.deepEqual(summarizeSharedChanges(many, 50).paths.length, 50);
  assert.equal(summarizeSharedChanges(many, 50).pathsOmitted, 10);
  assert.deepEqual(summarizeSharedChanges([]), { count: 0, paths: [], pathsOmitted: 0 });
});

test('recorderPlan: a running (or unknown) recorder is stopped and started again; a stopped one stays stopped', () => {
  const expected: Record<ServiceStatus, { stop: boolean; startAfter: boolean }> = {
    running: { stop: true, startAfter: true },
    starting: { stop: true, startAfter: true },
    unknown: { stop: true, startAfter: true },
    stopping: { stop: true, startAfter: false },
    stopped: { stop: false, startAfter: false },
  };
  for (const [status, plan] of Object.entries(expected)) assert.deepEqual(recorderPlan(status as ServiceStatus), plan, status);
});

test('retryDelayMs doubles from 500 ms to a 30 s cap, with half of each delay jittered', () => {
  const low = (attempt: number): number => retryDelayMs(attempt, defaultRetryPolicy, () => 0);
  const high = (attempt: number): number => retryDelayMs(attempt, defaultRetryPolicy, () => 0.999999);
  assert.deepEqual([0, 1, 2, 3].map(low), [250, 500, 1000, 2000]);
  assert.deepEqual([0, 1, 2, 3].map(high), [500, 1000, 2000, 4000]);
  for (const attempt of [6, 7, 20, 1000, Number.MAX_SAFE_INTEGER]) {
    assert.equal(low(attempt), 15_000);
    assert.equal(high(attempt), 30_000);
  }
  assert.equal(retryDelayMs(-5, defaultRetryPolicy, () => 0), 250, 'a negative attempt counts as the first');
  assert.equal(retryDelayMs(0, defaultRetryPolicy, () => 7), 500, 'a random number out of range is clamped');
  for (let i = 0; i < 200; i++) {
    const attempt = i % 12;
    const delay = retryDelayMs(attempt, defaultRetryPolicy, Math.random);
    assert.ok(delay >= low(attempt) && delay <= high(attempt), `${delay} for attempt ${attempt}`);
  }
});

test('classifyPushStatus: 200 delivered, bad content refused for good, everything else retried', () => {
  assert.equal(classifyPushStatus(200), 'delivered');
  for (const status of [400, 413, 415, 422]) assert.equal(classifyPushStatus(status), 'rejected', String(status));
  for (const status of [201, 204, 301, 401, 403, 404, 405, 409, 429, 500, 502, 503]) assert.equal(classifyPushStatus(status), 'retry', String(status));
});

test('shouldReportPush: new files and applies are news; resends with the same answer are not', () => {
  const r = (sha256: string, outcome: PushReport['outcome']): PushReport => ({ sha256, outcome });
  assert.equal(shouldReportPush(null, r('a', 'in-sync')), true);
  assert.equal(shouldReportPush(r('a', 'in-sync'), r('b', 'in-sync')), true);
  assert.equal(shouldReportPush(r('a', 'in-sync'), r('a', 'in-sync')), false);
  assert.equal(shouldReportPush(r('a', 'pending'), r('a', 'pending')), false);
  assert.equal(shouldReportPush(r('a', 'applied'), r('a', 'in-sync')), false);
  assert.equal(shouldReportPush(r('a', 'pending'), r('a', 'in-sync')), true);
  assert.equal(shouldReportPush(r('a', 'in-sync'), r('a', 'pending')), true);
  assert.equal(shouldReportPush(r('a', 'in-sync'), r('a', 'applied')), true, 'the peer came back with an old file and caught up');
  assert.equal(shouldReportPush(r('a', 'applied'), r('a', 'applied')), true);
});
