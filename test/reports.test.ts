// The reporting views over REST (issue 18). The failover history: agents' failover events make
// one record each, with the figures they measured; the view reporting tools read and
// GET /api/v1/reports/… (JSON and CSV) give the same rows. The config sync history and the audit
// log likewise. On SQLite and on PostgreSQL.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backfillStatusSchema, type BackfillStatus } from '../contracts/controller-v1.js';
import { waitFor } from '../lab/testing/harness.js';
import { agentEvent, agentPair, type AgentPair } from './helpers/agent-reports.js';
import { onEachBackend } from './helpers/controller.js';

/** A CSV answer (RFC 4180, CRLF) back into rows of strings. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += ch;
  }
  return rows;
}

const at = (iso: string): string => new Date(iso).toISOString();

onEachBackend('failover history', (suite) => {
  const { api } = suite;
  let pair: AgentPair;

  test('failovers, a handover, a failback and a switch each make one record, with detection and switch times', async () => {
    pair = await agentPair(suite.controller, 'History');
    // node-b takes over from a silent node-a; its endpoint is claimed 480 ms later (reported separately).
    await pair.report('b', { state: 'ALONE', serving: true }, { events: [agentEvent('failover.claiming', { time: at('2026-12-06T10:00:00.000Z'), severity: 'warning', data: { epoch: 3, reason: 'peer-dead', detectionMs: 812 } })] });
    await pair.report('b', { state: 'ALONE', serving: true }, { events: [agentEvent('serving.endpoint-claimed', { time: at('2026-12-06T10:00:00.480Z'), data: { epoch: 3 } })] });
    // node-b's recorder fails: it hands over; node-a's endpoint claim arrives before node-b's event.
    await pair.report('a', { state: 'PRIM', serving: true }, { events: [agentEvent('serving.endpoint-claimed', { time: at('2026-12-06T10:05:01.300Z'), data: { epoch: 4 } })] });
    const handover = agentEvent('failover.local-health', { time: at('2026-12-06T10:05:01.000Z'), severity: 'error', data: { epoch: 3, detectionMs: 2140 } });
    await pair.report('b', { state: 'WAIT', serving: false }, { events: [handover] });
    // The same event again (an agent retrying): no second record.
    await pair.report('b', { state: 'WAIT', serving: false }, { events: [handover] });
    // An operator's switch back to node-b, and a failback by node-b to the preferred node-a.
    await pair.report('a', { state: 'SECOND', serving: false }, { events: [agentEvent('switch.started', { time: at('2026-12-06T11:00:00.000Z'), data: { from: pair.a.name, to: pair.b.name, epoch: 4 } })] });
    await pair.report('b', { state: 'PRIM', serving: true }, { events: [agentEvent('serving.endpoint-claimed', { time: at('2026-12-06T11:00:00.350Z'), data: { epoch: 5 } }), agentEvent('failback.started', { time: at('2026-12-06T11:10:00.000Z'), data: { epoch: 5, holdDownMs: 300000 } })] });

    const json = (await api().get(`/api/v1/reports/failover-history?from=2026-12-06T00:00:00Z&to=2026-12-07T00:00:00Z&clusterId=${pair.clusterId}`).expect(200)).body as { rows: Array<Record<string, unknown>>; truncated: boolean };
    assert.equal(json.truncated, false);
    const shape = json.rows.map((r) => [r.time, r.from_node, r.to_node, r.reason, r.trigger, r.detection_ms, r.switch_ms, r.epoch, r.cluster]);
    assert.deepEqual(shape, [
      ['2026-12-06T10:00:00.000Z', pair.a.name, pair.b.name, 'peer-dead', 'automatic', 812, 480, 3, 'History'],
      ['2026-12-06T10:05:01.000Z', pair.b.name, pair.a.name, 'local-health', 'automatic', 2140, 300, 3, 'History'],
      ['2026-12-06T11:00:00.000Z', pair.a.name, pair.b.name, 'switch', 'manual', null, 350, 4, 'History'],
      ['2026-12-06T11:10:00.000Z', pair.b.name, pair.a.name, 'failback', 'automatic', null, null, 5, 'History'],
    ]);

    // The CSV parses back to the same rows, in the documented column order.
    const csv = await api().get(`/api/v1/reports/failover-history?from=2026-12-06T00:00:00Z&to=2026-12-07T00:00:00Z&clusterId=${pair.clusterId}`).set('Accept', 'text/csv').expect(200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const [header, ...lines] = parseCsv(csv.text);
    assert.deepEqual(header, ['id', 'time', 'cluster_id', 'cluster', 'from_node_id', 'from_node', 'to_node_id', 'to_node', 'reason', 'trigger', 'detection_ms', 'switch_ms', 'epoch']);
    assert.deepEqual(
      lines,
      json.rows.map((r) => (header as string[]).map((c) => (r[c] === null ? '' : String(r[c])))),
    );
    const viaFormat = await api().get(`/api/v1/reports/failover-history?from=2026-12-06T00:00:00Z&to=2026-12-07T00:00:00Z&clusterId=${pair.clusterId}&format=csv`).expect(200);
    assert.equal(viaFormat.text, csv.text);
  });

  test('the time range and the cluster filter hold; a range backwards is a 400', async () => {
    const late = (await api().get(`/api/v1/reports/failover-history?from=2026-12-06T10:30:00Z&to=2026-12-06T11:05:00Z&clusterId=${pair.clusterId}`).expect(200)).body as { rows: Array<{ reason: string }> };
    assert.deepEqual(late.rows.map((r) => r.reason), ['switch']);
    const other = (await api().get('/api/v1/reports/failover-history?from=2026-12-06T00:00:00Z&to=2026-12-07T00:00:00Z&clusterId=00000000-0000-4000-8000-000000000000').expect(200)).body as { rows: unknown[] };
    assert.deepEqual(other.rows, []);
    const backwards = await api().get('/api/v1/reports/failover-history?from=2026-12-07T00:00:00Z&to=2026-12-06T00:00:00Z').expect(400);
    assert.match(backwards.body.type, /validation-failed$/);
    await api().get('/api/v1/reports/failover-history?from=yesterday').expect(400);
  });

  test('the config sync history and the audit log: their views over REST, the audit for admins only', async () => {
    await pair.report('a', {}, { events: [agentEvent('config-sync.pushed', { time: at('2026-12-06T12:00:00.000Z'), data: { sha256: 'ab'.repeat(32), changes: 3 } }), agentEvent('camera.connected', { time: at('2026-12-06T12:00:01.000Z') })] });
    await pair.report('b', {}, { events: [agentEvent('config-sync.applied', { time: at('2026-12-06T12:00:02.000Z'), message: '=cmd|calc, "quoted"', data: { changes: 3 } })] });
    const sync = (await api().get(`/api/v1/reports/config-sync-history?from=2026-12-06T11:59:00Z&to=2026-12-06T12:01:00Z&clusterId=${pair.clusterId}`).expect(200)).body as { rows: Array<Record<string, unknown>> };
    assert.deepEqual(sync.rows.map((r) => [r.kind, r.node, JSON.parse(String(r.data)).changes]), [['config-sync.pushed', pair.a.name, 3], ['config-sync.applied', pair.b.name, 3]]);
    const csv = await api().get(`/api/v1/reports/config-sync-history?from=2026-12-06T11:59:00Z&to=2026-12-06T12:01:00Z&clusterId=${pair.clusterId}&format=csv`).expect(200);
    const [, , applied] = parseCsv(csv.text);
    assert.equal(applied?.[8], "'=cmd|calc, \"quoted\"", 'a formula is defused, quotes and commas survive');

    const audit = (await api().get('/api/v1/reports/audit?from=2000-01-01T00:00:00Z').expect(200)).body as { rows: Array<{ action: string; actor: string }> };
    assert.ok(audit.rows.some((r) => r.action === 'cluster.create' || r.action === 'cluster.register'), JSON.stringify(audit.rows.map((r) => r.action)));
    // A viewer reads the failover history but not the audit log.
    const token = (await api().post('/api/v1/tokens').send({ name: 'report-viewer', role: 'viewer' }).expect(201)).body as { token: string };
    await api().get('/api/v1/reports/failover-history').set('Authorization', `Bearer ${token.token}`).expect(200);
    const refused = await api().get('/api/v1/reports/audit').set('Authorization', `Bearer ${token.token}`).expect(403);
    assert.match(refused.body.type, /forbidden$/);
  });
});

/** A node's gap audit at `auditedAt`: per camera its gaps, as [start, end] ISO times; a job `job` when given. */
function gapAudit(auditedAt: string, cameras: Record<string, Array<[string, string]>>, job: { startedAt: string; state: BackfillStatus['state']; bytesDone: number } | null = null): BackfillStatus {
  const list = Object.entries(cameras).filter(([, gaps]) => gaps.length > 0);
  const secondsOf = (gaps: Array<[string, string]>): number => gaps.reduce((sum, [a, b]) => sum + (Date.parse(b) - Date.parse(a)) / 1_000, 0);
  const missingSeconds = list.reduce((sum, [, gaps]) => sum + secondsOf(gaps), 0);
  return backfillStatusSchema.parse({
    mode: 'enabled', state: job?.state ?? (missingSeconds > 0 ? 'idle' : 'done'), reason: null, auditedAt, retentionMinutes: 1_440, completeSinceAt: null,
    missingSeconds, placeholderSeconds: 0, camerasAffected: list.length,
    cameras: list.map(([deviceId, gaps]) => ({ deviceId, missingSeconds: secondsOf(gaps), placeholderSeconds: 0, completeUntilAt: null, completeSinceAt: null, gaps: gaps.map(([startAt, endAt]) => ({ startAt, endAt })) })),
    bytesDone: job?.bytesDone ?? 0, bytesTotal: 4_000_000, blocksDone: 0, blocksTotal: 4, rateBytesPerSecond: 0, etaSeconds: null, startedAt: job?.startedAt ?? null,
  });
}

onEachBackend('serving time, camera gaps and backfill jobs, recorded from the reports', (suite) => {
  const { api } = suite;
  const today = (): string => new Date().toISOString().slice(0, 10);
  const rowsOf = async <T>(report: string, clusterId: string, range = `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 86_400_000).toISOString()}`): Promise<T[]> =>
    ((await api().get(`/api/v1/reports/${report}?${range}&clusterId=${clusterId}`).expect(200)).body as { rows: T[] }).rows;

  test('serving time per node per day: what the reports confirmed, within the times they were sent; CSV parses back to the same rows', async () => {
    const pair = await agentPair(suite.controller, 'Availability');
    const firstBefore = Date.now();
    await pair.report('a', { state: 'PRIM', serving: true, epoch: 2 });
    const firstAfter = Date.now();
    for (let i = 0; i < 4; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await pair.report('a', { state: 'PRIM', serving: true, epoch: 2 });
    }
    const lastBefore = Date.now();
    await pair.report('a', { state: 'PRIM', serving: true, epoch: 2 });
    const lastAfter = Date.now();
    await pair.report('a', { state: 'SECOND', serving: false, epoch: 2 });
    await pair.report('b', { state: 'SECOND', serving: false, epoch: 2 });
    type Row = { day: string; node_id: string; node: string; serving_seconds: number; serving_percent: number; spans: number };
    // Around midnight UTC the span is split into two days: sum them. A span still open is written
    // every 15 s; the one closed by the report that said otherwise at the next flush.
    const servedBy = (rows: readonly Row[], nodeId: string): number => rows.filter((r) => r.node_id === nodeId).reduce((sum, r) => sum + r.serving_seconds, 0);
    const atLeastMs = lastBefore - firstAfter;
    const rows = await waitFor('the serving time of node A, up to its last serving report', async () => {
      const found = await rowsOf<Row>('serving-time-daily', pair.clusterId);
      return servedBy(found, pair.a.id) * 1_000 >= atLeastMs - 1 ? found : undefined;
    }, 30_000, 250);
    const seconds = servedBy(rows, pair.a.id);
    assert.ok(seconds <= (lastAfter - firstBefore) / 1_000 + 0.001, `${seconds} s served: no more than from the first to the last serving report`);
    assert.deepEqual(rows.map((r) => r.node), rows.map(() => pair.a.name), 'node B never served: no row');
    for (const row of rows) assert.ok(Math.abs(row.serving_percent - row.serving_seconds / 864) < 0.001, 'percent of the whole day');
    assert.ok(rows.some((r) => r.day === today() || r.day === new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)));

    const csv = parseCsv((await api().get(`/api/v1/reports/serving-time-daily?clusterId=${pair.clusterId}&format=csv&from=${new Date(Date.now() - 86_400_000).toISOString()}`).expect(200)).text);
    const [header, ...lines] = csv;
    assert.deepEqual(header, ['day', 'cluster_id', 'cluster', 'node_id', 'node', 'serving_seconds', 'serving_percent', 'spans', 'first_start_at', 'last_end_at']);
    assert.deepEqual(lines.map((l) => [l[0], l[4], Number(l[5]), Number(l[7])]), rows.map((r) => [r.day, r.node, r.serving_seconds, r.spans]), 'the CSV holds the JSON rows');
  });

  test('gaps per camera: recorded once, shrinking as backfill fills them, filled when an audit no longer lists them; and the backfill job', async () => {
    const pair = await agentPair(suite.controller, 'Gaps');
    const t = Date.now() - 600_000;
    const iso = (s: number): string => new Date(t + s * 1_000).toISOString();
    type GapRow = { device_id: string; node: string; start_at: string; end_at: string; gap_seconds: number; missing_seconds: number; filled_seconds: number; state: string; resolved_at: string | null };
    type JobRow = { node: string; state: string; started_at: string; ended_at: string | null; missing_seconds_at_start: number; bytes_done: number };
    const gapsNow = async (): Promise<GapRow[]> => (await rowsOf<GapRow>('camera-gaps', pair.clusterId)).sort((a, b) => a.device_id.localeCompare(b.device_id));
    const waitForAudit = (what: string, check: (rows: GapRow[]) => boolean): Promise<GapRow[]> =>
      waitFor(what, async () => {
        const rows = await gapsNow();
        return check(rows) ? rows : undefined;
      }, 30_000, 250);

    await pair.report('b', { backfill: gapAudit(iso(100), { 'cam-1': [[iso(0), iso(30)]], 'cam-2': [[iso(40), iso(50)]] }, { startedAt: iso(100), state: 'running', bytesDone: 0 }) });
    await waitForAudit('the first audit', (rows) => rows.length === 2);
    await pair.report('b', { backfill: gapAudit(iso(110), { 'cam-1': [[iso(20), iso(30)]], 'cam-2': [[iso(40), iso(50)]] }, { startedAt: iso(100), state: 'running', bytesDone: 2_000_000 }) });
    await waitForAudit('cam-1 partly filled', (rows) => rows[0]?.missing_seconds === 10);
    await pair.report('b', { backfill: gapAudit(iso(120), { 'cam-2': [[iso(40), iso(50)]] }, { startedAt: iso(100), state: 'done', bytesDone: 4_000_000 }) });
    const rows = await waitForAudit('cam-1 filled', (r) => r[0]?.state === 'filled');
    assert.deepEqual(rows.map((r) => [r.device_id, r.node, r.start_at, r.end_at, r.gap_seconds, r.missing_seconds, r.filled_seconds, r.state, r.resolved_at]), [
      ['cam-1', pair.b.name, iso(0), iso(30), 30, 0, 30, 'filled', iso(120)],
      ['cam-2', pair.b.name, iso(40), iso(50), 10, 10, 0, 'open', null],
    ]);
    const jobs = await waitFor('the job done', async () => {
      const found = await rowsOf<JobRow>('backfill-jobs', pair.clusterId);
      return found[0]?.state === 'done' ? found : undefined;
    }, 30_000, 250);
    assert.deepEqual(jobs.map((j) => [j.node, j.state, j.started_at, j.ended_at !== null, j.missing_seconds_at_start, j.bytes_done]), [[pair.b.name, 'done', iso(100), true, 40, 4_000_000]]);
    // A gap one audit lists and the next finds filled, both before the controller writes (every 2 s): still recorded, as filled.
    await pair.report('b', { backfill: gapAudit(iso(130), { 'cam-2': [[iso(40), iso(50)]], 'cam-3': [[iso(60), iso(62)]] }) });
    await pair.report('b', { backfill: gapAudit(iso(131), { 'cam-2': [[iso(40), iso(50)]] }) });
    const quick = await waitForAudit('the short-lived gap, filled', (r) => r.some((g) => g.device_id === 'cam-3' && g.state === 'filled'));
    assert.deepEqual(quick.filter((g) => g.device_id === 'cam-3').map((g) => [g.gap_seconds, g.missing_seconds, g.resolved_at]), [[2, 0, iso(131)]]);
    const csv = parseCsv((await api().get(`/api/v1/reports/camera-gaps?clusterId=${pair.clusterId}&format=csv&from=${iso(-10)}`).expect(200)).text);
    assert.deepEqual(csv.slice(1).map((l) => [l[7], Number(l[9]), Number(l[10]), l[12]]).sort(), quick.map((r) => [r.device_id, r.gap_seconds, r.missing_seconds, r.state]).sort(), 'the CSV holds the JSON rows');
  });
});
