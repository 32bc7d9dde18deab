import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventRow } from '../db/entities/index.js';
import { failoverRecordOf, switchMatchWindowMs, switchMsOf } from './failover-history.js';

const at = new Date('2026-12-06T12:00:00Z');
const event = (kind: string, data: Record<string, unknown>, nodeId = 'node-b'): EventRow => ({ id: `ev-${kind}`, time: at, clusterId: 'c1', nodeId, kind, severity: 'warning', message: '', data });

test('a takeover, a handover, a failback and a switch each make one record with who, why and the figures', () => {
  assert.deepEqual(pick(failoverRecordOf(event('failover.claiming', { epoch: 7, reason: 'peer-dead', detectionMs: 812.4 }), 'node-a')), { fromNodeId: 'node-a', toNodeId: 'node-b', reason: 'peer-dead', trigger: 'automatic', detectionMs: 812, epoch: 7, eventId: 'ev-failover.claiming' });
  assert.deepEqual(pick(failoverRecordOf(event('failover.local-health', { epoch: 6, detectionMs: 2140 }, 'node-a'), 'node-b')), { fromNodeId: 'node-a', toNodeId: 'node-b', reason: 'local-health', trigger: 'automatic', detectionMs: 2140, epoch: 6, eventId: 'ev-failover.local-health' });
  assert.deepEqual(pick(failoverRecordOf(event('failback.started', { epoch: 8, holdDownMs: 300000 }), 'node-a')), { fromNodeId: 'node-b', toNodeId: 'node-a', reason: 'failback', trigger: 'automatic', detectionMs: null, epoch: 8, eventId: 'ev-failback.started' });
  assert.deepEqual(pick(failoverRecordOf(event('switch.started', { from: 'node-b', to: 'node-a', epoch: 9 }), 'node-a')), { fromNodeId: 'node-b', toNodeId: 'node-a', reason: 'switch', trigger: 'manual', detectionMs: null, epoch: 9, eventId: 'ev-switch.started' });
  assert.equal(failoverRecordOf(event('swap.started', { epoch: 9 }), 'node-a')?.reason, 'swap');
  // The controller witnessing a peer alive but not serving while the heartbeat link is down.
  assert.equal(failoverRecordOf(event('failover.claiming', { epoch: 10, reason: 'peer-not-serving', detectionMs: 700 }), 'node-a')?.reason, 'peer-not-serving');
});

test('other events, boot claims, unknown reasons and events without a cluster make none; bad figures are dropped', () => {
  assert.equal(failoverRecordOf(event('serving.claiming', { epoch: 1, reason: 'boot' }), 'node-a'), null);
  assert.equal(failoverRecordOf(event('failover.claiming', { epoch: 1, reason: 'whatever' }), 'node-a'), null);
  assert.equal(failoverRecordOf(event('camera.disconnected', {}), 'node-a'), null);
  assert.equal(failoverRecordOf({ ...event('failover.local-health', {}), clusterId: null }, 'node-a'), null);
  const bad = failoverRecordOf(event('failover.claiming', { epoch: -1, reason: 'peer-dead', detectionMs: 'soon' }), null);
  assert.deepEqual([bad?.detectionMs, bad?.epoch, bad?.fromNodeId], [null, null, null]);
});

test('the switch time is the new node claiming its endpoint after the decision, within the window', () => {
  const record = { time: at, toNodeId: 'node-b' };
  const claimed = (afterMs: number, nodeId = 'node-b', kind = 'serving.endpoint-claimed') => ({ time: new Date(at.getTime() + afterMs), nodeId, kind });
  assert.equal(switchMsOf(record, claimed(480)), 480);
  assert.equal(switchMsOf(record, claimed(0)), 0);
  assert.equal(switchMsOf(record, claimed(-5)), null, 'a claim before the decision is an older one');
  assert.equal(switchMsOf(record, claimed(switchMatchWindowMs + 1)), null);
  assert.equal(switchMsOf(record, claimed(480, 'node-a')), null, 'the old node claiming is not the switch');
  assert.equal(switchMsOf(record, claimed(480, 'node-b', 'serving.claiming')), null);
});

function pick(r: ReturnType<typeof failoverRecordOf>): Record<string, unknown> | null {
  if (r === null) return null;
  const { fromNodeId, toNodeId, reason, trigger, detectionMs, epoch, eventId } = r;
  assert.equal(r.switchMs, null);
  assert.equal(r.time, at);
  assert.equal(r.clusterId, 'c1');
  return { fromNodeId, toNodeId, reason, trigger, detectionMs, epoch, eventId };
}
