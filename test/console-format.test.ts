// The web console's pure helpers (web/src/lib): how numbers, states and mismatches read,
// how the event log merges history with the live stream, how backfill reads (the Data column,
// missing seconds, a refused switch's ranges), and the cluster settings form. Run under Node; the rest of the
// console is tested in a real browser (test/console.test.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cameraMissingText, dataColumn, formatEta, formatGap, formatRetention, formatSeconds, progressPercent, targetMissingOf } from '../web/src/lib/backfill.js';
import { mergeEvents, streamReopenDelayMs, streamReopenMaxMs, streamReopenMinMs } from '../web/src/lib/events.js';
import { describeMismatch, formatBytes, formatPercent, formatPing, formatSpan, formatUptime, policyLag, stateTone } from '../web/src/lib/format.js';
import { describeChanges, draftKeyOfPath, draftOf, effectiveText, fieldHint, minuteOfTime, numberFields, settingsOf, timeOfMinute, type PolicySettings } from '../web/src/lib/policy.js';
import { defaultPolicySettings, policyLimits } from '../contracts/cluster-policy-v1.js';

describe('console formatting', () => {
  test('uptime reads like the Server Cloning panel', () => {
    assert.equal(formatUptime(60), '0 days, 0 hours, 1 minute');
    assert.equal(formatUptime(86_400 + 20 * 3_600 + 31 * 60 + 59), '1 day, 20 hours, 31 minutes');
    assert.equal(formatUptime(null), '—');
    assert.equal(formatUptime(-1), '—');
  });

  test('spans read as days and hh:mm:ss', () => {
    assert.equal(formatSpan(14 * 3_600 + 14 * 60 + 34), '0 days, 14:14:34');
    assert.equal(formatSpan(2 * 86_400 + 5), '2 days, 00:00:05');
    assert.equal(formatSpan(0), '0 days, 00:00:00');
    assert.equal(formatSpan(undefined), '—');
  });

  test('ping, sizes and percentages', () => {
    assert.equal(formatPing({ avgMs: 13.2, maxMs: 16.4 }), '13 avg., 16 max.');
    assert.equal(formatPing({ avgMs: 0.43, maxMs: 2.5 }), '0.4 avg., 2.5 max.');
    assert.equal(formatPing(null), '—');
    assert.equal(formatBytes(4_450e9), '4,450 GB');
    assert.equal(formatBytes(250e12), '250 TB');
    assert.equal(formatBytes(10_000), '10 KB');
    assert.equal(formatBytes(12), '12 B');
    assert.equal(formatPercent(99.6), '100 %');
    assert.equal(formatPercent(null), '—');
  });

  test("SafeKit's colours: available, transient, stopped", () => {
    assert.deepEqual(['PRIM', 'SECOND', 'ALONE', 'WAIT', 'STOP', null].map(stateTone), ['ok', 'ok', 'ok', 'transient', 'down', 'unknown']);
  });

  test('a mismatch says what differs on which node', () => {
    assert.equal(describeMismatch({ setting: 'fpsRequested', values: { 'rec-b': 15, 'rec-a': 25 } }), 'Frame rate: rec-a 25, rec-b 15');
    assert.equal(describeMismatch({ setting: 'present', values: { 'rec-a': true, 'rec-b': false } }), 'Present: rec-a yes, rec-b no');
    assert.equal(describeMismatch({ setting: 'videoFormat', values: { 'rec-a': 'H.264', 'rec-b': null } }), 'Codec: rec-a H.264, rec-b —');
  });

  test('the event log is newest first, once per id, bounded', () => {
    const event = (id: string, time: string) => ({ id, cursor: `${time}_${id}` });
    const history = [event('b', '2026-01-01T00:00:02.000Z'), event('a', '2026-01-01T00:00:01.000Z')];
    const merged = mergeEvents(history, [event('c', '2026-01-01T00:00:03.000Z'), event('b', '2026-01-01T00:00:02.000Z')]);
    assert.deepEqual(merged.map((e) => e.id), ['c', 'b', 'a']);
    const many = Array.from({ length: 300 }, (_, i) => event(`e${i}`, new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString()));
    const bounded = mergeEvents([], many, 200);
    assert.equal(bounded.length, 200);
    assert.equal(bounded[0]?.id, 'e299');
  });
  test('a refused event stream is reopened after a delay that doubles up to a cap, spread over its upper half', () => {
    const low = () => 0;
    const high = () => 0.999_999;
    assert.deepEqual([0, 1, 2, 3, 4].map((n) => streamReopenDelayMs(n, high)), [1_000, 2_000, 4_000, 8_000, 16_000]);
    assert.deepEqual([0, 1, 2, 3, 4].map((n) => streamReopenDelayMs(n, low)), [500, 1_000, 2_000, 4_000, 8_000]);
    for (const attempt of [5, 6, 10, 50, 1_000, Number.MAX_SAFE_INTEGER]) {
      assert.equal(streamReopenDelayMs(attempt, high), streamReopenMaxMs, `attempt ${attempt}: capped`);
      assert.equal(streamReopenDelayMs(attempt, low), streamReopenMaxMs / 2);
    }
    // Any attempt, any random draw: within [min/2, max], never NaN.
    for (const attempt of [-1, 0, 0.5, 3, 7, Number.NaN]) {
      for (const draw of [0, 0.25, 0.5, 0.75, 1, -5, 5, Number.NaN]) {
        const delay = streamReopenDelayMs(attempt, () => draw);
        assert.ok(delay >= streamReopenMinMs / 2 && delay <= streamReopenMaxMs, `attempt ${attempt}, draw ${draw}: ${delay}`);
      }
    }
    // Without a random source it still stays within the attempt's bounds.
    const d = streamReopenDelayMs(2);
    assert.ok(d >= 2_000 && d <= 4_000);
  });
});

describe('backfill in the console', () => {
  test('missing seconds, retention, progress and ETA read in plain units', () => {
    assert.deepEqual([0, 0.2, 3, 59.6, 125, 3_600, 3_840, 86_400, 2 * 86_400 + 3 * 3_600].map(formatSeconds), ['0 s', '< 1 s', '3 s', '1 min', '2 min 5 s', '1 h', '1 h 4 min', '1 day', '2 days 3 h']);
    assert.deepEqual([null, -1, Number.NaN].map(formatSeconds), ['—', '—', '—']);
    assert.deepEqual([90, 36 * 60, 7 * 1_440, 2_160 * 2, null].map(formatRetention), ['90 min', '36 h', '7 days', '3 days', '—']);
    assert.equal(formatRetention(1_440 * 1.5 + 1_440), '2.5 days');
    assert.equal(progressPercent({ bytesDone: 45, bytesTotal: 100 }), 45);
    assert.equal(progressPercent({ bytesDone: 5, bytesTotal: 0 }), null, 'nothing planned yet');
    assert.equal(formatEta(125), 'about 2 min 5 s left');
    assert.equal(formatEta(null), '');
  });

  test("the cluster list's Data column: what is missing on which node and how far backfill is; Complete; the heuristic's flag", () => {
    const job = (missingSeconds: number, state: string, bytesDone = 45, bytesTotal = 100) => ({ missingSeconds, state, bytesDone, bytesTotal });
    assert.deepEqual(dataColumn({ dataMissing: false, nodes: [{ name: 'recorder-1a', backfill: job(0, 'done') }] }), { kind: 'complete', text: 'Complete' });
    assert.deepEqual(dataColumn({ dataMissing: true, nodes: [{ name: 'recorder-1a', backfill: job(3, 'running') }, { name: 'recorder-1b', backfill: job(0, 'done') }] }), { kind: 'missing', text: '3 s missing on recorder-1a · backfill 45 %' });
    assert.equal(dataColumn({ dataMissing: true, nodes: [{ name: 'a', backfill: job(90, 'paused') }, { name: 'b', backfill: job(2, 'waiting-for-peer', 0, 0) }] }).text, '1 min 30 s missing on a · backfill paused; 2 s missing on b · backfill waiting for peer');
    assert.equal(dataColumn({ dataMissing: true, nodes: [{ name: 'a', backfill: job(3, 'running', 0, 0) }] }).text, '3 s missing on a · backfill running', 'no bytes known yet: no percentage');
    assert.deepEqual(dataColumn({ dataMissing: true, nodes: [{ name: 'a', backfill: null }, { name: 'b', backfill: job(0, 'done') }] }), { kind: 'maybe', text: 'Data missing' });
  });

  test("a camera's missing data per node, and a gap in local time", () => {
    assert.equal(cameraMissingText([{ nodeName: 'rec-a', missingSeconds: 0 }, { nodeName: 'rec-b', missingSeconds: 7 }]), 'rec-b 7 s');
    assert.equal(cameraMissingText([{ nodeName: 'rec-a', missingSeconds: 0 }, { nodeName: 'rec-b', missingSeconds: null }]), 'None');
    assert.equal(cameraMissingText([{ nodeName: 'rec-a', missingSeconds: null }]), '—');
    const start = new Date(2026, 10, 22, 10, 0, 0);
    assert.equal(formatGap({ startAt: start.toISOString(), endAt: new Date(start.getTime() + 4_000).toISOString() }), '2026-11-22 10:00:00 – 10:00:04 (4 s)');
    assert.equal(formatGap({ startAt: new Date(2026, 10, 21, 23, 59, 0).toISOString(), endAt: new Date(2026, 10, 22, 0, 1, 0).toISOString() }), '2026-11-21 23:59:00 – 2026-11-22 00:01:00 (2 min)');
  });

  test('a refused switch says what the node that would serve lacks; any other problem is none of that', () => {
    const gap = { startAt: '2026-11-22T10:00:00.000Z', endAt: '2026-11-22T10:00:09.000Z' };
    const problem = { type: 'urn:twinrec:problem:target-missing-data', title: 't', status: 409, detail: 'd', nodeId: 'x', nodeName: 'rec-b', missingSeconds: 13, camerasAffected: 2, cameras: [{ deviceId: 'cam-2', missingSeconds: 9, gaps: [gap, { startAt: 1 }] }, { deviceId: 7 }] };
    assert.deepEqual(targetMissingOf(problem), { nodeName: 'rec-b', missingSeconds: 13, camerasAffected: 2, cameras: [{ deviceId: 'cam-2', missingSeconds: 9, gaps: [gap] }] });
    assert.equal(targetMissingOf({ ...problem, type: 'urn:twinrec:problem:switch-not-possible' }), null);
    assert.equal(targetMissingOf({ ...problem, missingSeconds: '13' }), null);
  });
});

describe('cluster settings form', () => {
  const nodeA = '11111111-1111-4111-8111-111111111111';
  const { preferredNode: _, ...defaults } = defaultPolicySettings;
  const settings: PolicySettings = { ...defaults, preferredNodeId: null };
  const nameOf = (id: string) => (id === nodeA ? 'rec-a' : id);

  test("each number's bounds are the contract's, with the unit and what empty means", () => {
    assert.deepEqual([numberFields.holdDownSeconds.min, numberFields.holdDownSeconds.max], [0, policyLimits.holdDownSecondsMax]);
    assert.deepEqual([numberFields.heartbeatIntervalMs.min, numberFields.heartbeatIntervalMs.max], [policyLimits.heartbeatIntervalMsMin, policyLimits.heartbeatIntervalMsMax]);
    assert.deepEqual([numberFields.recordingShareMinPercent.min, numberFields.recordingShareMinPercent.max], [1, 100]);
    assert.deepEqual([numberFields.capWindowMinutes.min, numberFields.capWindowMinutes.max], [1, policyLimits.capWindowMinutesMax]);
    assert.equal(fieldHint('holdDownSeconds', 'conservative'), '0–86,400 s');
    assert.equal(fieldHint('peerTimeoutMs', 'fast'), "300–600,000 ms, at least 3 heartbeats; empty: the profile's (800 ms)");
    assert.equal(fieldHint('capCount', 'fast'), '1–1,000 failovers');
  });

  test('the draft holds the settings as the inputs show them, and gives them back', () => {
    const draft = draftOf(settings);
    assert.equal(draft.holdDownSeconds, '300');
    assert.equal(draft.heartbeatIntervalMs, '', "null: the profile's");
    assert.equal(draft.preferredNodeId, '');
    assert.deepEqual(settingsOf(draft), { settings, issues: null });
    assert.equal(effectiveText(draft, 'heartbeatIntervalMs'), "250 ms (the profile's)");
    assert.equal(effectiveText({ ...draft, profile: 'fast' }, 'serviceDownGraceMs'), "500 ms (the profile's)");
    assert.equal(effectiveText({ ...draft, peerTimeoutMs: '4000' }, 'peerTimeoutMs'), '4,000 ms');
    const set = settingsOf({ ...draft, preferredNodeId: nodeA, holdDownSeconds: ' 10 ', heartbeatIntervalMs: '200', serviceDownEnabled: false });
    assert.equal(set.settings?.preferredNodeId, nodeA);
    assert.equal(set.settings?.failback.holdDownSeconds, 10);
    assert.equal(set.settings?.failover.heartbeatIntervalMs, 200);
    assert.equal(set.settings?.failover.peerTimeoutMs, null);
    assert.equal(set.settings?.triggers.serviceDown.enabled, false);
  });

  test('a value out of bounds, not a whole number or missing is marked on its input; so is a peer timeout under 3 heartbeats', () => {
    const draft = draftOf(settings);
    assert.deepEqual(settingsOf({ ...draft, holdDownSeconds: '86401', capCount: '', recordingShareMinPercent: '2.5', serviceDownGraceMs: '-1' }).issues, {
      holdDownSeconds: 'From 0 to 86,400 s',
      capCount: 'Required',
      recordingShareMinPercent: 'A whole number of %',
      serviceDownGraceMs: 'A whole number of ms',
    });
    // 1000 ms heartbeats need a peer timeout of at least 3000 ms: the profile's 2750 ms is too short.
    const tooShort = settingsOf({ ...draft, heartbeatIntervalMs: '1000' });
    assert.equal(tooShort.settings, null);
    assert.match(tooShort.issues?.peerTimeoutMs ?? '', /at least 3 heartbeats/);
    assert.equal(settingsOf({ ...draft, heartbeatIntervalMs: '1000', peerTimeoutMs: '3000' }).issues, null);
  });

  test('what a save changes reads in words, with units, and the profile behind an empty override', () => {
    assert.deepEqual(describeChanges(settings, settings, nameOf), []);
    const after: PolicySettings = { ...settings, preferredNodeId: nodeA, failback: { policy: 'automatic', holdDownSeconds: 10 }, maintenance: true };
    assert.deepEqual(describeChanges(settings, after, nameOf), ['Preferred node: none → rec-a', 'Failback hold-down: 300 s → 10 s', 'Maintenance: off → on']);
    const fast: PolicySettings = { ...settings, failover: { ...settings.failover, profile: 'fast', peerTimeoutMs: 1_500 } };
    assert.deepEqual(describeChanges(settings, fast, nameOf), [
      'Failover profile: conservative → fast',
      "Heartbeat interval: the profile's (250 ms) → the profile's (100 ms)",
      "Peer timeout: the profile's (2,750 ms) → 1,500 ms",
      "Recording share grace: the profile's (2,000 ms) → the profile's (500 ms)",
      "Storage unavailable grace: the profile's (2,000 ms) → the profile's (500 ms)",
      "Service down grace: the profile's (2,000 ms) → the profile's (500 ms)",
    ]);
  });

  test('the backfill settings: mode, bandwidth, transfers and an optional daily window, as times of day', () => {
    assert.deepEqual([numberFields.backfillBandwidthMbps.min, numberFields.backfillBandwidthMbps.max], [1, policyLimits.backfillBandwidthMbpsMax]);
    assert.equal(fieldHint('backfillTransfersMax', 'conservative'), '1–16 transfers, per node');
    assert.deepEqual([timeOfMinute(1_320), timeOfMinute(5), minuteOfTime('22:00'), minuteOfTime(' 7:05 '), minuteOfTime('24:00'), minuteOfTime('10:60'), minuteOfTime('noon')], ['22:00', '00:05', 1_320, 425, null, null, null]);
    const draft = draftOf(settings);
    assert.deepEqual([draft.backfillMode, draft.backfillBandwidthMbps, draft.backfillTransfersMax, draft.backfillWindow, draft.backfillWindowStart], ['enabled', '400', '4', false, '']);
    const night = settingsOf({ ...draft, backfillMode: 'placeholders', backfillWindow: true, backfillWindowStart: '22:00', backfillWindowEnd: '06:00' });
    assert.deepEqual(night.settings?.backfill, { mode: 'placeholders', bandwidthMbps: 400, transfersMax: 4, window: { startMinute: 1_320, endMinute: 360 } });
    assert.deepEqual(draftOf(night.settings as PolicySettings).backfillWindowEnd, '06:00');
    assert.deepEqual(settingsOf({ ...draft, backfillWindowStart: 'garbage' }).settings?.backfill.window, null, 'no window: its times are not read');
    assert.deepEqual(settingsOf({ ...draft, backfillWindow: true, backfillWindowStart: '25:00', backfillBandwidthMbps: '0' }).issues, { backfillBandwidthMbps: 'From 1 to 100,000 Mbit/s', backfillWindowStart: 'A time of day, HH:MM', backfillWindowEnd: 'Required' });
    assert.deepEqual(settingsOf({ ...draft, backfillWindow: true, backfillWindowStart: '08:00', backfillWindowEnd: '08:00' }).issues, { backfillWindow: 'the window must not start where it ends (use null for always)' });
    assert.deepEqual(describeChanges(settings, night.settings as PolicySettings, nameOf), ['Backfill mode: enabled → placeholders', 'Daily filling window: always → 22:00–06:00 daily']);
    assert.deepEqual(describeChanges(settings, { ...settings, backfill: { ...settings.backfill, bandwidthMbps: 1, transfersMax: 1 } }, nameOf), ['Backfill bandwidth: 400 Mbit/s → 1 Mbit/s', 'Concurrent transfers: 4 transfers → 1 transfer']);
    assert.equal(draftKeyOfPath('/body/backfill/window'), 'backfillWindow');
    assert.equal(draftKeyOfPath('/body/backfill/window/endMinute'), 'backfillWindowEnd');
    assert.equal(draftKeyOfPath(['backfill', 'bandwidthMbps']), 'backfillBandwidthMbps');
    assert.equal(draftKeyOfPath('/body/backfill/constructor'), null);
  });

  test("a failover pool's settings: triggers, automatic or manual failover and stop, hold-down, failback recordings and the failback stall bound", () => {
    assert.deepEqual([numberFields.poolDisconnectedSeconds.min, numberFields.poolDisconnectedSeconds.max], [3, 3_600]);
    assert.equal(fieldHint('poolHoldDownSeconds', 'conservative'), '0–86,400 s');
    const draft = draftOf(settings);
    assert.deepEqual(
      [draft.poolDisconnectedSeconds, draft.poolServiceDownEnabled, draft.poolServiceDownSeconds, draft.poolStorageEnabled, draft.poolStorageSeconds, draft.poolFailover, draft.poolStopFailover, draft.poolHoldDownSeconds, draft.poolFailbackRecordings],
      ['10', true, '10', true, '30', 'automatic', 'automatic', '300', 'sync'],
    );
    assert.equal(draft.poolFailbackStallMinutes, '30');
    assert.equal(fieldHint('poolFailbackStallMinutes', 'conservative'), '1–1,440 min');
    const manual = settingsOf({ ...draft, poolDisconnectedSeconds: '60', poolStorageEnabled: false, poolFailover: 'manual', poolStopFailover: 'manual', poolHoldDownSeconds: '600', poolFailbackRecordings: 'discard', poolFailbackStallMinutes: '90' });
    assert.deepEqual(manual.settings?.pool, {
      triggers: { disconnectedSeconds: 60, serviceDown: { enabled: true, seconds: 10 }, storage: { enabled: false, seconds: 30 } },
      failover: 'manual',
      stopFailover: 'manual',
      holdDownSeconds: 600,
      failbackRecordings: 'discard',
      failbackStallMinutes: 90,
    });
    assert.deepEqual(draftOf(manual.settings as PolicySettings).poolFailbackRecordings, 'discard');
    assert.deepEqual(settingsOf({ ...draft, poolDisconnectedSeconds: '2', poolStorageSeconds: '', poolHoldDownSeconds: '86401', poolFailbackStallMinutes: '0' }).issues, {
      poolDisconnectedSeconds: 'From 3 to 3,600 s',
      poolStorageSeconds: 'Required',
      poolHoldDownSeconds: 'From 0 to 86,400 s',
      poolFailbackStallMinutes: 'From 1 to 1,440 min',
    });
    assert.deepEqual(describeChanges(settings, manual.settings as PolicySettings, nameOf), [
      'Disconnected for: 10 s → 60 s',
      'Pool storage trigger: on → off',
      'Pool failover: automatic → manual',
      'Stop failover: automatic → manual',
      'Pool hold-down: 300 s → 600 s',
      'Recordings at failback: sync → discard',
      'Failback sync stalled after: 30 min → 90 min',
    ]);
    assert.equal(draftKeyOfPath('/body/pool/triggers/serviceDown/seconds'), 'poolServiceDownSeconds');
    assert.equal(draftKeyOfPath(['pool', 'failbackRecordings']), 'poolFailbackRecordings');
    assert.equal(draftKeyOfPath('/body/pool/failbackStallMinutes'), 'poolFailbackStallMinutes');
    assert.equal(draftKeyOfPath('/body/pool/triggers'), null);
  });

  test("a problem's error path names its input", () => {
    assert.equal(draftKeyOfPath('/body/failover/peerTimeoutMs'), 'peerTimeoutMs');
    assert.equal(draftKeyOfPath('/body/triggers/serviceDown/graceMs'), 'serviceDownGraceMs');
    assert.equal(draftKeyOfPath('/body/failback/policy'), 'failbackPolicy');
    assert.equal(draftKeyOfPath('/body/failback/holdDownSeconds'), 'holdDownSeconds');
    assert.equal(draftKeyOfPath(['triggers', 'recordingShare', 'minPercent']), 'recordingShareMinPercent');
    assert.equal(draftKeyOfPath('/body/preferredNodeId'), 'preferredNodeId');
    assert.equal(draftKeyOfPath('/body/unknown'), null);
    assert.equal(draftKeyOfPath('/body'), null);
  });

  test('a node that has not applied the current policy is marked, and says which it runs', () => {
    assert.equal(policyLag({ policyVersion: 2, policyCurrent: true }, 2), null);
    assert.equal(policyLag({ policyVersion: 1, policyCurrent: false }, 2), 'runs policy v1 of v2');
    assert.equal(policyLag({ policyVersion: 0, policyCurrent: false }, 2), "runs agent.yaml's default, not policy v2");
    assert.equal(policyLag({ policyVersion: null, policyCurrent: false }, 2), 'has not said which policy it runs (v2 is current)');
  });
});
