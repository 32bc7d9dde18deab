import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterPolicySettingsSchema } from '../../contracts/cluster-policy-v1.js';
import type { agentConfigSchema } from '../config/agent-config.js';
import { proposedPolicyOf } from './proposed-policy.js';

type Failover = ReturnType<typeof agentConfigSchema.parse>['failover'];
const defaults: Failover = { profile: 'conservative', preferredNodeId: null, failbackPolicy: 'automatic', failbackHoldDownSeconds: 300, capCount: 3, capWindowMinutes: 60, recordingShareMin: 0.5, boot: 'keep', restartRecorder: 5 };

test("agent.yaml's failover block becomes valid cluster policy settings, key for key", () => {
  const proposed = proposedPolicyOf({ ...defaults, profile: 'fast', preferredNodeId: 'rs-a', failbackHoldDownSeconds: 10, capCount: 1000, peerTimeoutMs: 1200, unhealthyGraceMs: 700, boot: 'start' });
  assert.ok(proposed !== undefined);
  assert.ok(clusterPolicySettingsSchema.safeParse(proposed).success);
  assert.equal(proposed.preferredNode, 'rs-a');
  assert.deepEqual(proposed.failback, { policy: 'automatic', holdDownSeconds: 10 });
  assert.deepEqual(proposed.failover, { profile: 'fast', heartbeatIntervalMs: null, peerTimeoutMs: 1200, capCount: 1000, capWindowMinutes: 60 });
  assert.deepEqual(proposed.triggers.recordingShare, { enabled: true, minPercent: 50, graceMs: 700 });
  assert.deepEqual(proposed.triggers.serviceDown, { enabled: true, graceMs: 700 });
  assert.equal(proposed.boot, 'start');
  assert.equal(proposed.maintenance, false);
});

test('a minimum recording share of 0 is the trigger turned off', () => {
  assert.deepEqual(proposedPolicyOf({ ...defaults, recordingShareMin: 0 })?.triggers.recordingShare, { enabled: false, minPercent: 1, graceMs: null });
});

test('a block that makes no valid policy proposes none (the controller keeps its defaults)', () => {
  // The fast profile sends a heartbeat every 100 ms: a 200 ms peer timeout covers fewer than 3.
  assert.equal(proposedPolicyOf({ ...defaults, profile: 'fast', peerTimeoutMs: 200 }), undefined);
});
