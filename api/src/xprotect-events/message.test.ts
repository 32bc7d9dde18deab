import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { cleanValue, dataMissingOccurrence, occurrenceOf, renderMessage, valuesOf } from './message.js';
import { defaultGenericEventSettings, genericEventKinds, genericEventSettingsSchema, placeholdersIn, placeholdersOf, settingsIssues } from './settings.js';

const clusterId = '11111111-1111-4111-8111-111111111111';
const nodeA = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const nodeB = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const names = { cluster: 'pair-1', nodes: new Map([[nodeA, 'rs-a'], [nodeB, 'rs-b']]) };
const row = (kind: string, data: Record<string, unknown>, nodeId = nodeB) => ({ kind, time: new Date('2026-12-01T10:00:00.000Z'), clusterId, nodeId, data });

test('an agent claiming the Serving role from a failed peer is a failover from the peer to it', () => {
  const occurrence = occurrenceOf(row('failover.claiming', { epoch: 7, reason: 'peer-dead' }));
  assert.ok(occurrence !== null);
  const message = renderMessage(defaultGenericEventSettings().kinds.failover.message, valuesOf(occurrence, names));
  assert.equal(message, 'twinrec failover pair-1: rs-b serves, rs-a failed (peer-dead)');
});

test('a node handing the role away for its own health is a failover from it to the peer', () => {
  const occurrence = occurrenceOf(row('failover.local-health', { epoch: 8 }, nodeA));
  assert.ok(occurrence !== null);
  assert.equal(renderMessage('{from}>{to} {reason} {epoch}', valuesOf(occurrence, names)), 'rs-a>rs-b local recorder unhealthy 8');
});

test('failback, node down, backfill completed; other events make none', () => {
  assert.equal(occurrenceOf(row('failback.started', { epoch: 9 }, nodeB))?.kind, 'failback');
  assert.equal(occurrenceOf(row('node.agent-lost', { staleAfterMs: 10_000 }))?.values.reason, 'agent silent for 10 s');
  assert.equal(occurrenceOf(row('node.state-changed', { from: 'PRIM', to: 'STOP' }))?.kind, 'node-down');
  assert.equal(occurrenceOf(row('node.state-changed', { from: 'WAIT', to: 'SECOND' })), null, 'a node coming up is not down');
  assert.equal(occurrenceOf(row('backfill.completed', { blocks: 12, bytes: 99, seconds: 3 }))?.values.blocks, '12');
  assert.equal(occurrenceOf(row('serving.claiming', { epoch: 3, reason: 'handover' })), null);
  assert.equal(occurrenceOf({ ...row('failover.claiming', {}), clusterId: null }), null, 'an event of no cluster');
  const missing = dataMissingOccurrence(clusterId, 61.4, new Date());
  assert.equal(renderMessage(defaultGenericEventSettings().kinds['data-missing'].message, valuesOf(missing, names)), 'twinrec data missing pair-1: 61 camera-seconds');
});

test('names without the database: ids, and the peer said as such', () => {
  const occurrence = occurrenceOf(row('failover.claiming', { epoch: 1 }));
  assert.ok(occurrence !== null);
  const values = valuesOf(occurrence, { cluster: clusterId, nodes: new Map() });
  assert.equal(values.to, nodeB);
  assert.equal(values.from, 'the peer');
});

test('a name cannot add a separator, another event or hidden text to a message', () => {
  const hostile = { cluster: 'pair\r\ntwinrec failover fake', nodes: new Map([[nodeA, 'a\u202Eb'], [nodeB, 'x\u0000y\u2028z']]) };
  const occurrence = occurrenceOf(row('failover.claiming', { reason: 'r\n1' }));
  assert.ok(occurrence !== null);
  const message = renderMessage('{cluster}|{from}|{to}|{reason}', valuesOf(occurrence, hostile));
  assert.equal(message, 'pair twinrec failover fake|a b|x y z|r 1');
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (value) => {
      const out = renderMessage('twinrec {cluster} end', { cluster: value });
      assert.ok(![...out].some((c) => { const code = c.codePointAt(0) ?? 0; return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069); }), JSON.stringify(out));
      assert.ok(out.startsWith('twinrec ') && out.endsWith(' end'));
    }),
  );
  assert.equal(cleanValue('x'.repeat(500)).length, 128);
});

test('templates: literal braces, and placeholders each kind fills', () => {
  assert.equal(renderMessage('{{literal}} {cluster}', { cluster: 'c' }), '{literal} c');
  assert.deepEqual(placeholdersIn('a {b} {{c}} {d}'), ['b', 'd']);
  assert.equal(placeholdersIn('a {b'), null);
  assert.equal(placeholdersIn('a }'), null);
  for (const kind of genericEventKinds) {
    const names = placeholdersIn(defaultGenericEventSettings().kinds[kind].message);
    assert.ok(names !== null && names.every((n) => placeholdersOf[kind].includes(n)), `${kind}'s default message uses only its placeholders`);
  }
});

test('settings: unknown placeholders and unpaired braces are refused, each by path; enabled needs a host', () => {
  const defaults = defaultGenericEventSettings();
  assert.ok(genericEventSettingsSchema.safeParse(defaults).success);
  assert.deepEqual(settingsIssues(defaults), []);
  const bad = { ...defaults, enabled: true, kinds: { ...defaults.kinds, failover: { enabled: true, message: 'moved to {too}' }, 'node-down': { enabled: true, message: '{node} {missingSeconds}' }, failback: { enabled: false, message: 'x {to' } } };
  assert.deepEqual(
    settingsIssues(bad).map((i) => i.path),
    ['/body/kinds/failover/message', '/body/kinds/failback/message', '/body/kinds/node-down/message', '/body/eventServer/host'],
  );
  assert.match(settingsIssues(bad)[0]?.message ?? '', /unknown placeholder \{too\}: failover fills \{cluster\}/);
  assert.ok(!genericEventSettingsSchema.safeParse({ ...defaults, kinds: { ...defaults.kinds, failover: { enabled: true, message: 'a\r\nb' } } }).success, 'a CR LF in a template is refused by the schema');
});
