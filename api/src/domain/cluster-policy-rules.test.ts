import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterPolicySchema, defaultPolicySettings } from '../../../contracts/cluster-policy-v1.js';
import { changedPaths, checkPolicy, columnsOf, effectiveOf, mergeDeep, policyBodyIssues, settingsOfRow, wireSettingsOf, type PolicyColumns } from './cluster-policy-rules.js';

const nodes = [
  { id: '11111111-1111-4111-8111-111111111111', name: 'rec-a' },
  { id: '22222222-2222-4222-8222-222222222222', name: 'rec b' },
];
const untouched: PolicyColumns = { preferredNodeId: null, failbackPolicy: 'manual', failbackHoldDownSeconds: 60, policySettings: null };

describe('cluster policy rules', () => {
  test('a cluster never configured has the contract defaults with its three columns', () => {
    const { preferredNode: _, ...defaults } = defaultPolicySettings;
    assert.deepEqual(settingsOfRow(untouched), { ...defaults, preferredNodeId: null, failback: { policy: 'manual', holdDownSeconds: 60 } });
  });

  test('columns and settings round-trip; stored settings missing a later field get its default', () => {
    const settings = mergeDeep(settingsOfRow(untouched), { preferredNodeId: nodes[0]?.id, failover: { profile: 'fast', capCount: 5 }, boot: 'start' });
    assert.deepEqual(settingsOfRow(columnsOf(settings)), settings);
    const older = { ...columnsOf(settings), policySettings: { failover: settings.failover, boot: 'start' } } as unknown as PolicyColumns;
    assert.deepEqual(settingsOfRow(older).triggers, defaultPolicySettings.triggers);
  });

  test('mergeDeep lays a patch over objects field by field; changedPaths names the leaves that moved', () => {
    assert.deepEqual(mergeDeep({ a: { b: 1, c: 2 }, d: null }, { a: { c: 3 }, d: 'x', e: undefined }), { a: { b: 1, c: 3 }, d: 'x' });
    assert.deepEqual(mergeDeep({ a: 1 }, { a: null }), { a: null });
    const before = settingsOfRow(untouched);
    const after = mergeDeep(before, { failover: { peerTimeoutMs: 5_000 }, triggers: { serviceDown: { enabled: false } } });
    assert.deepEqual(changedPaths(before, after), ['failover.peerTimeoutMs', 'triggers.serviceDown.enabled']);
    assert.deepEqual(changedPaths(before, before), []);
  });

  test('the whole is checked as agents check it: every issue, by body path', () => {
    const base = settingsOfRow(untouched);
    const tooShort = checkPolicy(mergeDeep(base, { failover: { heartbeatIntervalMs: 1_000, peerTimeoutMs: 2_000 } }), nodes);
    assert.deepEqual(tooShort, { kind: 'invalid', issues: [{ path: '/body/failover/peerTimeoutMs', message: 'the peer timeout (2000 ms) must cover at least 3 heartbeats (3 × 1000 ms)' }] });
    // A null override takes the profile's value: fast's 800 ms peer timeout cannot cover 3 heartbeats of 300 ms.
    const profile = checkPolicy(mergeDeep(base, { failover: { profile: 'fast', heartbeatIntervalMs: 300 } }), nodes);
    assert.equal(profile.kind, 'invalid');
    const many = checkPolicy(mergeDeep(base, { failover: { capCount: 0, heartbeatIntervalMs: 1_000, peerTimeoutMs: 2_000 }, triggers: { recordingShare: { minPercent: 101 } } }), nodes);
    assert.deepEqual(many.kind === 'invalid' ? many.issues.map((i) => i.path).sort() : many, ['/body/failover/capCount', '/body/failover/peerTimeoutMs', '/body/triggers/recordingShare/minPercent']);
  });

  test('the preferred node must be a node of the cluster, named as its agent can be', () => {
    const base = settingsOfRow(untouched);
    const a = checkPolicy({ ...base, preferredNodeId: nodes[0]?.id ?? null }, nodes);
    assert.equal(a.kind, 'valid');
    assert.equal(a.kind === 'valid' ? a.wire.preferredNode : null, 'rec-a');
    assert.ok(a.kind === 'valid' && clusterPolicySchema.safeParse({ version: 1, settings: a.wire }).success);
    const stranger = checkPolicy({ ...base, preferredNodeId: '33333333-3333-4333-8333-333333333333' }, nodes);
    assert.equal(stranger.kind === 'refused' ? stranger.violation.type : stranger.kind, 'preferred-node-invalid');
    const spaced = checkPolicy({ ...base, preferredNodeId: nodes[1]?.id ?? null }, nodes);
    assert.match(spaced.kind === 'refused' ? spaced.violation.detail : spaced.kind, /"rec b" cannot be the preferred node/);
    assert.equal(wireSettingsOf({ ...base, preferredNodeId: 'gone' }, nodes).preferredNode, null);
  });

  test('backfill settings: stored with the rest, the defaults for a row stored before they existed, the window checked once', () => {
    const base = settingsOfRow(untouched);
    assert.deepEqual(base.backfill, defaultPolicySettings.backfill);
    const night = mergeDeep(base, { backfill: { mode: 'placeholders', window: { startMinute: 22 * 60, endMinute: 6 * 60 } } });
    assert.deepEqual(settingsOfRow(columnsOf(night)).backfill, { ...defaultPolicySettings.backfill, mode: 'placeholders', window: { startMinute: 1320, endMinute: 360 } });
    const older = { ...columnsOf(night), policySettings: { failover: night.failover, triggers: night.triggers, boot: night.boot, maintenance: night.maintenance } } as unknown as PolicyColumns;
    assert.deepEqual(settingsOfRow(older).backfill, defaultPolicySettings.backfill);
    assert.deepEqual(changedPaths(base, night), ['backfill.mode', 'backfill.window']);
    assert.deepEqual(changedPaths(night, mergeDeep(night, { backfill: { window: null } })), ['backfill.window']);

    const always = { startMinute: 60, endMinute: 60 };
    const merged = checkPolicy(mergeDeep(base, { backfill: { window: always, transfersMax: 0 } }), nodes);
    assert.deepEqual(merged.kind === 'invalid' ? merged.issues.map((i) => i.path).sort() : merged, ['/body/backfill/transfersMax', '/body/backfill/window']);
    assert.deepEqual(policyBodyIssues(mergeDeep(base, { backfill: { window: always } }), 'whole'), [{ path: '/body/backfill/window', message: 'the window must not start where it ends (use null for always)' }], 'named once, not by the schema and the contract both');
    assert.deepEqual(policyBodyIssues({ backfill: { window: always } }, 'patch').map((i) => i.path), ['/body/backfill/window']);
    assert.deepEqual(policyBodyIssues({ backfill: { mode: 'sometimes', bandwidthMbps: 0 } }, 'patch').map((i) => i.path).sort(), ['/body/backfill/bandwidthMbps', '/body/backfill/mode']);
  });

  test('effective values resolve the null overrides from the profile', () => {
    const base = settingsOfRow(untouched);
    assert.deepEqual(effectiveOf(base), { heartbeatIntervalMs: 250, peerTimeoutMs: 2_750, graceMs: { recordingShare: 2_000, storageUnavailable: 2_000, serviceDown: 2_000 } });
    const fast = mergeDeep(base, { failover: { profile: 'fast', peerTimeoutMs: 1_500 }, triggers: { serviceDown: { graceMs: 0 } } });
    assert.deepEqual(effectiveOf(fast), { heartbeatIntervalMs: 100, peerTimeoutMs: 1_500, graceMs: { recordingShare: 500, storageUnavailable: 500, serviceDown: 0 } });
  });
});
