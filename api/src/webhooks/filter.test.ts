import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindMatches, severityAtLeast, webhookWants } from './filter.js';

test('kind patterns: *, exact, and prefixes ending in .*', () => {
  assert.equal(kindMatches('*', 'node.agent-lost'), true);
  assert.equal(kindMatches('failover.claiming', 'failover.claiming'), true);
  assert.equal(kindMatches('failover.claiming', 'failover.local-health'), false);
  assert.equal(kindMatches('failover.*', 'failover.local-health'), true);
  // A prefix is a whole dotted segment: not the bare kind, not a longer word.
  assert.equal(kindMatches('failover.*', 'failover'), false);
  assert.equal(kindMatches('failover.*', 'failovers.x'), false);
});

test('severity is at least the minimum', () => {
  assert.equal(severityAtLeast('critical', 'warning'), true);
  assert.equal(severityAtLeast('warning', 'warning'), true);
  assert.equal(severityAtLeast('info', 'warning'), false);
});

test('a webhook wants an event of a matching kind, enough severity and its cluster', () => {
  const filter = { eventKinds: ['failover.*', 'node.agent-lost'], severityMin: 'warning' as const, clusterId: 'c1' };
  assert.equal(webhookWants(filter, { kind: 'failover.claiming', severity: 'warning', clusterId: 'c1' }), true);
  assert.equal(webhookWants(filter, { kind: 'node.agent-lost', severity: 'error', clusterId: 'c1' }), true);
  assert.equal(webhookWants(filter, { kind: 'failover.claiming', severity: 'info', clusterId: 'c1' }), false, 'below the minimum severity');
  assert.equal(webhookWants(filter, { kind: 'failover.claiming', severity: 'warning', clusterId: 'c2' }), false, 'another cluster');
  assert.equal(webhookWants(filter, { kind: 'failover.claiming', severity: 'warning', clusterId: null }), false, 'no cluster, for a webhook of one cluster');
  assert.equal(webhookWants(filter, { kind: 'camera.disconnected', severity: 'critical', clusterId: 'c1' }), false, 'another kind');
  assert.equal(webhookWants({ ...filter, clusterId: null }, { kind: 'failover.claiming', severity: 'warning', clusterId: null }), true, 'every cluster includes none');
});
