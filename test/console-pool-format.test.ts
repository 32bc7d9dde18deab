// The console's pool wording (web/src/lib/pool.ts), under Node: each protected server state in
// XProtect's nouns, triggers, durations, the RecorderConfig.xml on record, standby leases and
// assignments, moving a standby in its sequence, which standbys a group or a hot-standby
// choice may take, the failover settings' rule and change list, and the commands each state
// allows with what they do. The pool view itself is tested in Chromium (test/console-pool.test.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FailoverGroup, Pool, PoolStandby, ProtectedServer } from '../web/src/api/types.js';
import {
  assignmentText,
  commandEffect,
  commandsFor,
  describeFailoverChanges,
  describePoolRefusal,
  draftOfServer,
  draftProblem,
  formatDuration,
  hotStandbyChoices,
  hotText,
  isPoolEvent,
  leaseText,
  moveInSequence,
  ordinal,
  parseCapacity,
  recorderConfigText,
  secondsSince,
  serverStateText,
  unassignedStandbys,
} from '../web/src/lib/pool.js';
import { debounced, publishStreamEvent, subscribeStreamEvents } from '../web/src/lib/event-feed.js';

const now = Date.parse('2026-11-22T10:05:00.000Z');
const ref = (nodeName: string) => ({ nodeId: `id-${nodeName}`, nodeName });

function server(state: ProtectedServer['failover']['state'], o: Partial<ProtectedServer['failover']> = {}, settings: Partial<ProtectedServer['settings']> = {}): ProtectedServer {
  return {
    nodeId: 'id-RS-1',
    name: 'RS-1',
    reachable: true,
    settings: { primaryGroupId: null, secondaryGroupId: null, hotStandbyNodeId: null, standbySelection: 'sequence', sharedAddress: null, ...settings },
    failover: { state, trigger: null, since: null, standby: null, sync: null, ...o },
    recorderConfig: null,
  };
}

function standby(name: string, o: Partial<PoolStandby> = {}): PoolStandby {
  return { nodeId: `id-${name}`, name, reachable: true, cameraCapacity: null, failoverGroupId: null, hotStandbyFor: null, hot: null, lease: { state: 'free', epoch: 0 }, serving: null, ...o };
}

const group = (id: string, name: string, members: string[]): FailoverGroup => ({ id, clusterId: 'c', name, standbys: members.map(ref), createdAt: '2026-11-22T09:00:00.000Z', updatedAt: '2026-11-22T09:00:00.000Z', version: 1 });

describe('console pool wording', () => {
  test("each protected server state reads in XProtect's words, with the standby, the trigger and how long", () => {
    assert.equal(serverStateText(server('protected'), now).label, 'Protected');
    const failed = serverStateText(server('failed-over', { standby: ref('FO-2'), trigger: 'disconnected', since: '2026-11-22T10:02:30.000Z' }), now);
    assert.deepEqual([failed.label, failed.tone], ['Failed over → FO-2', 'transient']);
    assert.equal(failed.detail, 'Failed: its agent stopped reporting (disconnected), 2 min 30 s ago; FO-2 records its cameras and holds its address.');
    const sync = serverStateText(server('failback-sync', { standby: ref('FO-2'), trigger: 'storage', since: '2026-11-22T10:04:00.000Z' }), now);
    assert.equal(sync.label, 'Failback sync');
    assert.match(sync.detail, /What FO-2 recorded during the failover, up to when the sync began \(1 min ago\), is still only on FO-2/);
    // With the protected server's report of the sync: how far, and the period still only on the standby.
    const progress = { state: 'running', percent: 42, bytesDone: 4_200_000, bytesTotal: 10_000_000, blocksDone: 42, blocksTotal: 100, onlyOnStandbyFrom: '2026-11-22T10:00:00.000Z', onlyOnStandbyUntil: '2026-11-22T10:03:00.000Z', error: null } as const;
    const running = serverStateText(server('failback-sync', { standby: ref('FO-2'), sync: progress }), now);
    assert.deepEqual([running.label, running.tone], ['Failback sync 42 %', 'transient']);
    assert.match(running.detail, /What FO-2 recorded .*10:00:00 – 10:03:00 \(3 min\) is still only on FO-2\. 4 MB of 10 MB copied, 42 of 100 blocks/);
    const failedSync = serverStateText(server('failback-sync', { standby: ref('FO-2'), sync: { ...progress, state: 'failed', error: 'the standby refused the secret' } }), now);
    assert.deepEqual([failedSync.label, failedSync.tone], ['Failback sync failed', 'down']);
    assert.match(failedSync.detail, /The sync failed: the standby refused the secret\. Finish failback/);
    const waiting = serverStateText(server('waiting', { trigger: 'service-down' }), now);
    assert.deepEqual([waiting.label, waiting.tone], ['Failed over (no standby free)', 'down']);
    assert.match(waiting.detail, /Recording Server service is not running; it waits for a free standby/);
    assert.match(serverStateText(server('failover-needed', { trigger: 'disconnected' }), now).detail, /manual: an operator starts it/);
    const recovered = serverStateText(server('recovered', { standby: ref('FO-1') }), now);
    assert.deepEqual([recovered.label, recovered.tone], ['Recovered (stop failover pending)', 'warn']);
    assert.match(recovered.detail, /FO-1 still serves it/);
    assert.equal(serverStateText(server('failed-over'), now).label, 'Failed over → a standby', 'a takeover whose standby the view does not name');
  });

  test('durations, and times a little in the future', () => {
    assert.deepEqual([0, 59.9, 60, 125, 3_600, 3_660, 86_400, 90_000].map(formatDuration), ['0 s', '59 s', '1 min', '2 min 5 s', '1 h', '1 h 1 min', '1 d', '1 d 1 h']);
    assert.equal(formatDuration(-1), '—');
    assert.equal(formatDuration(null), '—');
    assert.equal(secondsSince('2026-11-22T10:05:03.000Z', now), 0, 'a clock ahead reads as now');
    assert.equal(secondsSince(null, now), null);
    assert.equal(secondsSince('not a time', now), null);
  });

  test('the RecorderConfig.xml on record, and why none matters', () => {
    assert.deepEqual(recorderConfigText(null), { text: 'None on record: no standby can take it over', onRecord: false });
    assert.deepEqual(recorderConfigText({ sha256: 'ab'.repeat(32), receivedAt: '2026-11-22T10:00:00.000Z' }), { text: 'On record (SHA-256 abababababab…)', onRecord: true });
  });

  test("standbys' leases, capacity and assignment", () => {
    assert.deepEqual(leaseText(standby('FO-1')), { text: 'Free', tone: 'ok' });
    assert.deepEqual(leaseText(standby('FO-1', { lease: { state: 'serving', epoch: 3 }, serving: ref('RS-1') })), { text: 'Serving RS-1 (epoch 3)', tone: 'transient' });
    assert.equal(leaseText(standby('FO-1', { lease: { state: 'syncing-back', epoch: 4 }, serving: ref('RS-2') })).text, 'Failback sync to RS-2 (epoch 4)');
    assert.equal(leaseText(standby('FO-1', { lease: { state: 'taking-over', epoch: 2 }, serving: ref('RS-2') })).text, 'Taking over RS-2 (epoch 2)');
    const groups = [group('g1', 'Hall', ['FO-2', 'FO-1'])];
    assert.equal(assignmentText(standby('FO-1', { failoverGroupId: 'g1' }), groups), 'Group Hall, 2nd');
    assert.equal(assignmentText(standby('HOT', { hotStandbyFor: ref('RS-1') }), groups), 'Hot standby for RS-1');
    assert.equal(assignmentText(standby('FO-3'), groups), 'Unassigned');
    // A hot standby's readiness, from its agent's report; none for a standby running no server's identity.
    assert.equal(hotText(standby('FO-3')), null);
    const hot = (state: NonNullable<PoolStandby['hot']>['state'], error: { step: string; reason: string } | null = null) => standby('HOT', { hotStandbyFor: ref('RS-1'), hot: { protectedServer: ref('RS-1'), state, configSha256: 'cd'.repeat(32), error } });
    assert.deepEqual([hot('ready'), hot('preparing'), hot('cold'), hot('restoring')].map((h) => [hotText(h)?.text, hotText(h)?.tone]), [
      ['Ready: records its cameras', 'ok'],
      ['Getting ready', 'transient'],
      ['Not running its identity yet', 'transient'],
      ['Going cold', 'transient'],
    ]);
    const failed = hotText(hot('failed', { step: 'apply-config', reason: 'not a RecorderConfig.xml' }));
    assert.deepEqual([failed?.text, failed?.tone], ['Failed to get ready (apply-config: not a RecorderConfig.xml)', 'down']);
    assert.match(failed?.title ?? '', /Hot standby of RS-1.*SHA-256 cdcdcdcdcdcd…/);
    assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 111].map(ordinal), ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '111th']);
  });

  test('a standby moves one place at a time and never off the sequence', () => {
    assert.deepEqual(moveInSequence(['a', 'b', 'c'], 1, -1), ['b', 'a', 'c']);
    assert.deepEqual(moveInSequence(['a', 'b', 'c'], 1, 1), ['a', 'c', 'b']);
    assert.equal(moveInSequence(['a', 'b', 'c'], 0, -1), null);
    assert.equal(moveInSequence(['a', 'b', 'c'], 2, 1), null);
    assert.equal(moveInSequence([], 0, 1), null);
    const original = ['a', 'b'];
    moveInSequence(original, 0, 1);
    assert.deepEqual(original, ['a', 'b'], 'the input is left as it was');
  });

  test('which standbys a group may take, and which a server may have as hot standby', () => {
    const pool: Pick<Pool, 'standbys'> = {
      standbys: [standby('FO-1', { failoverGroupId: 'g1' }), standby('FO-2'), standby('HOT', { hotStandbyFor: ref('RS-1') }), standby('HOT-2', { hotStandbyFor: ref('RS-2') })],
    };
    assert.deepEqual(unassignedStandbys(pool).map((s) => s.name), ['FO-2']);
    assert.deepEqual(hotStandbyChoices(pool, 'id-RS-1').map((s) => s.name), ['FO-2', 'HOT']);
    assert.deepEqual(hotStandbyChoices(pool, 'id-RS-3').map((s) => s.name), ['FO-2']);
  });

  test("failover settings: the groups' rule and what a save changes", () => {
    const s = server('protected', {}, { primaryGroupId: 'g1', standbySelection: 'sequence' });
    const before = draftOfServer(s);
    assert.deepEqual(before, { primaryGroupId: 'g1', secondaryGroupId: null, hotStandbyNodeId: null, standbySelection: 'sequence' });
    assert.equal(draftProblem(before), null);
    assert.equal(draftProblem({ ...before, primaryGroupId: null, secondaryGroupId: 'g2' }), 'A secondary group needs a primary group.');
    assert.equal(draftProblem({ ...before, secondaryGroupId: 'g1' }), 'The secondary group must be another group than the primary.');
    const pool = { failoverGroups: [group('g1', 'Hall', []), group('g2', 'Yard', [])], standbys: [standby('HOT')] };
    assert.deepEqual(describeFailoverChanges(before, before, pool), []);
    assert.deepEqual(describeFailoverChanges(before, { primaryGroupId: 'g2', secondaryGroupId: 'g1', hotStandbyNodeId: 'id-HOT', standbySelection: 'capacity-closest' }, pool), [
      'Primary failover group: Hall → Yard',
      'Secondary failover group: none → Hall',
      'Hot standby: none → HOT',
      "Standby selection: The group's sequence (first free standby) → Closest camera capacity",
    ]);
  });

  test('the commands each state allows, and what each does', () => {
    assert.deepEqual(commandsFor('protected'), []);
    assert.deepEqual(commandsFor('waiting'), ['start']);
    assert.deepEqual(commandsFor('failover-needed'), ['start']);
    assert.deepEqual(commandsFor('failed-over'), ['stop', 'replace']);
    assert.deepEqual(commandsFor('recovered'), ['stop', 'replace']);
    assert.deepEqual(commandsFor('failback-sync'), ['finish-failback']);
    assert.match(commandEffect('start', 'RS-1', null, 'sync'), /^The standby the pool chooses .* takes RS-1 over: it gets RS-1's RecorderConfig.xml/);
    assert.match(commandEffect('start', 'RS-1', 'FO-3', 'sync'), /^FO-3 takes RS-1 over/);
    assert.match(commandEffect('stop', 'RS-1', 'FO-2', 'sync'), /FO-2 stays held \(Failback sync\)/);
    assert.match(commandEffect('stop', 'RS-1', 'FO-2', 'discard'), /is discarded and FO-2 is free at once/);
    assert.match(commandEffect('finish-failback', 'RS-1', 'FO-2', 'sync'), /returns to its failover group/);
    assert.match(commandEffect('replace', 'RS-1', 'FO-2', 'sync'), /^Permanent: FO-2 becomes RS-1 for good/);
    assert.match(commandEffect('replace', 'RS-1', 'FO-2', 'sync', 'FO-3'), /^Permanent: FO-3 takes RS-1's identity for good.*what FO-2 recorded meanwhile is synced to it/);
  });

  test('refusals, pool events and a typed capacity', () => {
    assert.equal(describePoolRefusal('no-standby-free'), 'No standby is free.');
    assert.equal(describePoolRefusal('something-new'), 'reason something-new.');
    assert.equal(isPoolEvent('pool.failover-started'), true);
    assert.equal(isPoolEvent('failover.claiming'), false);
    assert.deepEqual(parseCapacity(' 32 '), { value: 32 });
    assert.deepEqual(parseCapacity('0'), { value: 0 });
    for (const bad of ['', '-1', '2.5', 'ten']) assert.ok('error' in parseCapacity(bad), bad);
  });
});

describe('the event feed the pool view refreshes on', () => {
  test('hands each stream event to every subscriber until it stops; a throwing one stops no other', () => {
    const seen: string[] = [];
    const stopA = subscribeStreamEvents(() => {
      throw new Error('a view failing');
    });
    const stopB = subscribeStreamEvents((e) => void seen.push(`${e.clusterId ?? '-'} ${e.kind}`));
    publishStreamEvent({ kind: 'pool.failover-started', clusterId: 'c1' });
    stopB();
    publishStreamEvent({ kind: 'pool.resumed', clusterId: 'c1' });
    stopA();
    assert.deepEqual(seen, ['c1 pool.failover-started']);
  });

  test('a burst of triggers is one call once it went quiet; cancel drops a pending one', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    let calls = 0;
    const soon = debounced(() => void (calls += 1), 250);
    soon.trigger();
    t.mock.timers.tick(200);
    soon.trigger();
    t.mock.timers.tick(200);
    soon.trigger();
    assert.equal(calls, 0, 'still within the burst');
    t.mock.timers.tick(250);
    assert.equal(calls, 1);
    soon.trigger();
    soon.cancel();
    t.mock.timers.tick(1_000);
    assert.equal(calls, 1, 'cancelled');
  });
});
