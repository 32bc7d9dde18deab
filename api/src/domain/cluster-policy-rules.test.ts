import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterPolicySchema, defaultPolicySettings } from '../../../contracts/cluster-policy-v1.js';
import { changedPaths, checkPolicy, columnsOf, effectiveOf, mergeDeep, settingsOfRow, wireSettingsOf, type PolicyColumns } from './cluster-policy-rules.js';

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

  test('effective values resolve the null overrides from the profile', () => {
    const base = settingsOfRow(untouched);
    assert.deepEqual(effectiveOf(base), { heartbeatIntervalMs: 250, peerTimeoutMs: 2_750, graceMs: { recordingShare: 2_000, storageUnavailable: 2_000, serviceDown: 2_000 } });
    const fast = mergeDeep(base, { failover: { profile: 'fast', peerTimeoutMs: 1_500 }, triggers: { serviceDown: { graceMs: 0 } } });
    assert.deepEqual(effectiveOf(fast), { heartbeatIntervalMs: 100, peerTimeoutMs: 1_500, graceMs: { recordingShare: 500, storageUnavailable: 500, serviceDown: 0 } });
  });
});
