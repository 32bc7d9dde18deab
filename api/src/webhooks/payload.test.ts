import assert from 'node:assert/strict';
import { test } from 'node:test';
import { payloadBody, webhookPayload } from './payload.js';

const time = new Date('2026-12-06T10:11:12.345Z');

test('the payload has the documented shape, with names, and ids where a name is unknown', () => {
  const event = { id: 'e1', kind: 'failover.claiming', severity: 'warning' as const, time, clusterId: 'c1', nodeId: 'n2', message: 'took over', data: { epoch: 3, reason: 'peer-dead' } };
  const payload = webhookPayload(event, { cluster: 'Hall', nodes: new Map([['n2', 'rec-b']]) }, 'w1');
  assert.deepEqual(payload, { id: 'e1', kind: 'failover.claiming', severity: 'warning', time: '2026-12-06T10:11:12.345Z', cluster: { id: 'c1', name: 'Hall' }, node: { id: 'n2', name: 'rec-b' }, message: 'took over', data: { epoch: 3, reason: 'peer-dead' }, webhook: { id: 'w1' } });
  assert.deepEqual(Object.keys(JSON.parse(payloadBody(payload)) as object), ['id', 'kind', 'severity', 'time', 'cluster', 'node', 'message', 'data', 'webhook']);
  const unnamed = webhookPayload(event, { cluster: null, nodes: new Map() }, 'w1');
  assert.deepEqual([unnamed.cluster, unnamed.node], [{ id: 'c1', name: 'c1' }, { id: 'n2', name: 'n2' }]);
  const bare = webhookPayload({ ...event, clusterId: null, nodeId: null }, { cluster: null, nodes: new Map() }, 'w1');
  assert.deepEqual([bare.cluster, bare.node], [null, null]);
});
