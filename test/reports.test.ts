// The reporting views over REST (issue 18). The failover history: agents' failover events make
// one record each, with the figures they measured; the view reporting tools read and
// GET /api/v1/reports/… (JSON and CSV) give the same rows. The config sync history and the audit
// log likewise. On SQLite and on PostgreSQL.
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
