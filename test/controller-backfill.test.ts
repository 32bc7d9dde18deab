// Backfill on the controller's side, end to end over HTTP against a real controller and
// database (SQLite always, PostgreSQL too when TWINREC_TEST_PG_URL is set): the cluster's
// dataMissing from the agents' gap audits, GET …/backfill, start/pause/resume relayed to the
// agents and audited, the switch that waits for completeness (and its forced override), the
// policy's backfill settings, the Device Overview's missing seconds, the Prometheus gauges.
// Agents are played by this test: it registers and reports as they do, and a small real HTTP
// server on 127.0.0.1 stands in for their local API (POST /api/v1/commands of agent-api-v1).
// Every response is validated against the OpenAPI document.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CommandRequest, CommandResult, RefusalReason } from '../contracts/agent-api-v1.js';
import { defaultPolicySettings } from '../contracts/cluster-policy-v1.js';
import { backfillStatusSchema, type BackfillStatus } from '../contracts/controller-v1.js';
import { AuditEntryEntity } from '../api/src/db/entities/index.js';
import { agentEvent, agentPair, cameraStatus, type NodeStatusOverrides } from './helpers/agent-reports.js';
import { login } from './helpers/auth.js';
import { onEachBackend } from './helpers/controller.js';

const problemType = (slug: string) => `urn:twinrec:problem:${slug}`;
const cameras: NodeStatusOverrides = { cameras: [cameraStatus('cam-1'), cameraStatus('cam-2')] };

/**
 * A node's finished gap audit: the seconds each camera lacks (one gap each), and a job that has
 * copied a quarter of it. Checked against the contract.
 */
function audit(missing: Readonly<Record<string, number>>, overrides: Partial<BackfillStatus> = {}): BackfillStatus {
  // One clock reading for the whole audit: a millisecond between two made a 4-s gap 4.001 s long (CI).
  const baseMs = Date.now() - 60_000;
  const at = (seconds: number): string => new Date(baseMs + seconds * 1_000).toISOString();
  const lacking = Object.entries(missing).filter(([, seconds]) => seconds > 0);
  const missingSeconds = lacking.reduce((sum, [, seconds]) => sum + seconds, 0);
  return backfillStatusSchema.parse({
    mode: 'enabled',
    state: missingSeconds > 0 ? 'running' : 'done',
    reason: null,
    auditedAt: at(59),
    retentionMinutes: 1_440,
    completeSinceAt: at(10),
    missingSeconds,
    placeholderSeconds: missingSeconds,
    camerasAffected: lacking.length,
    cameras: lacking.map(([deviceId, seconds]) => ({ deviceId, missingSeconds: seconds, placeholderSeconds: seconds, completeUntilAt: at(0), completeSinceAt: at(seconds), gaps: [{ startAt: at(0), endAt: at(seconds) }] })),
    bytesDone: missingSeconds * 250_000,
    bytesTotal: missingSeconds * 1_000_000,
    blocksDone: lacking.length,
    blocksTotal: lacking.length * 4,
    rateBytesPerSecond: 2_000_000,
    etaSeconds: missingSeconds > 0 ? 2 : null,
    startedAt: missingSeconds > 0 ? at(50) : null,
    ...overrides,
  });
}

/** How the stand-in agent answers a node's commands. */
type AgentAnswer = { kind: 'accept' } | { kind: 'refuse'; reason: RefusalReason } | { kind: 'fail' };

interface StandInAgents {
  readonly base: string;
  /** Every command that reached it: the node's path prefix, the Bearer token, the body. */
  readonly received: { prefix: string; authorization: string | undefined; body: CommandRequest }[];
  readonly answers: Map<string, AgentAnswer>;
  close(): Promise<void>;
}

/** The agents' local API, just POST /<node prefix>/api/v1/commands. */
async function startStandInAgents(peers: Map<string, string>): Promise<StandInAgents> {
  const received: StandInAgents['received'] = [];
  const answers = new Map<string, AgentAnswer>();
  const server: Server = createServer((req, res) => {
    const prefix = /^\/([^/]+)\/api\/v1\/commands$/.exec(req.url ?? '')?.[1];
    let text = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || prefix === undefined) return void res.writeHead(404).end();
      const body = JSON.parse(text) as CommandRequest;
      received.push({ prefix, authorization: req.headers.authorization, body });
      const answer = answers.get(prefix) ?? { kind: 'accept' };
      if (answer.kind === 'fail') return void res.writeHead(500).end();
      if (answer.kind === 'refuse') {
        return void res.writeHead(409, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ type: problemType('command-refused'), title: 'refused', status: 409, detail: `no: ${answer.reason}`, reason: answer.reason }));
      }
      const switching = body.command === 'switch';
      const result: CommandResult = { command: body.command, result: switching ? 'switching' : `${body.command} done`, state: 'SECOND', epoch: 3, handover: switching ? { to: peers.get(prefix) ?? '?', expectedEpoch: 4 } : null };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    answers,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

onEachBackend('backfill on the controller', (suite) => {
  const { api } = suite;
  let agents: StandInAgents;
  const peers = new Map<string, string>();

  before(async () => {
    agents = await startStandInAgents(peers);
  });
  after(async () => {
    await agents?.close();
  });

  /** A pair whose agents the stand-in serves under `<cluster>-a` and `<cluster>-b`; every report records both cameras. */
  async function pairOf(name: string) {
    const cluster = `${name}-${randomUUID().slice(0, 6)}`;
    const prefixes = { a: `${cluster.toLowerCase()}-a`, b: `${cluster.toLowerCase()}-b` };
    const pair = await agentPair(suite.controller, cluster, { agentUrls: { a: `${agents.base}/${prefixes.a}`, b: `${agents.base}/${prefixes.b}` }, status: cameras });
    peers.set(prefixes.a, pair.b.name).set(prefixes.b, pair.a.name);
    return { ...pair, prefixes };
  }
  type Pair = Awaited<ReturnType<typeof pairOf>>;

  const listed = async (pair: Pair) => {
    const items = (await api().get(`/api/v1/clusters?q=${encodeURIComponent(pair.cluster)}`).expect(200)).body.items as Array<{ id: string; dataMissing: boolean; dataMissingSeconds: number | null; nodes: Array<{ name: string; backfill: unknown }> }>;
    const found = items.find((c) => c.id === pair.clusterId);
    assert.ok(found !== undefined, 'the cluster is listed');
    return found;
  };
  const commandsTo = (prefix: string) => agents.received.filter((r) => r.prefix === prefix);
  const auditOf = (clusterId: string, action: string) => suite.controller.db.dataSource.getRepository(AuditEntryEntity).find({ where: { target: `cluster/${clusterId}`, action }, order: { time: 'ASC' } });

  /** An API token of an account of its own with `role`, and that account's name. */
  async function accountWith(role: 'viewer' | 'operator'): Promise<{ username: string; header: { authorization: string } }> {
    const username = `${role}-${randomUUID().slice(0, 8)}`;
    const password = `pw-${randomUUID()}`;
    await api().post('/api/v1/users').send({ username, password, role }).expect(201);
    const { cookie } = await login(suite.controller.url, username, password);
    const res = await fetch(`${suite.controller.url}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ name: 'backfill tests' }), signal: AbortSignal.timeout(15_000) });
    assert.equal(res.status, 201);
    return { username, header: { authorization: `Bearer ${((await res.json()) as { token: string }).token}` } };
  }

  test("dataMissing is measured from the nodes' gap audits, fresh or not; without them it falls back to the heuristic", async () => {
    const pair = await pairOf('Measured');
    await pair.reportBoth({ backfill: audit({}) }, { backfill: audit({}) });
    let cluster = await listed(pair);
    assert.deepEqual([cluster.dataMissing, cluster.dataMissingSeconds], [false, 0]);

    await pair.reportBoth({ backfill: audit({}) }, { backfill: audit({ 'cam-1': 4, 'cam-2': 2.5 }) });
    cluster = await listed(pair);
    assert.deepEqual([cluster.dataMissing, cluster.dataMissingSeconds], [true, 6.5]);
    assert.deepEqual(cluster.nodes.map((n) => [n.name, n.backfill]), [
      [pair.a.name, { mode: 'enabled', state: 'done', reason: null, missingSeconds: 0, placeholderSeconds: 0, camerasAffected: 0, bytesDone: 0, bytesTotal: 0, etaSeconds: null }],
      [pair.b.name, { mode: 'enabled', state: 'running', reason: null, missingSeconds: 6.5, placeholderSeconds: 6.5, camerasAffected: 2, bytesDone: 1_625_000, bytesTotal: 6_500_000, etaSeconds: 2 }],
    ]);

    // Measured, so what the heuristic would flag does not count: b stopped and not recording, yet it lacks nothing.
    await pair.reportBoth({ state: 'ALONE', backfill: audit({}) }, { state: 'STOP', service: 'stopped', cameras: [cameraStatus('cam-1', { recording: false })], backfill: audit({}) });
    cluster = await listed(pair);
    assert.deepEqual([cluster.dataMissing, cluster.dataMissingSeconds], [false, 0]);

    // b's agent reports no backfill status (no storage adapter): the heuristic decides again; b was down since the pair was last whole.
    await pair.reportBoth({ backfill: audit({}) }, { healthy: false, backfill: null });
    cluster = await listed(pair);
    assert.deepEqual([cluster.dataMissing, cluster.dataMissingSeconds], [true, 0]);
    assert.equal(cluster.nodes[1]?.backfill, null);
    await pair.reportBoth({ backfill: audit({}) }, {});
    cluster = await listed(pair);
    assert.deepEqual([cluster.dataMissing, cluster.dataMissingSeconds], [false, 0], 'seen whole');

    // Agents that predate backfill: the heuristic alone, and no seconds to sum.
    const older = await pairOf('Older');
    await older.reportBoth({}, {});
    cluster = await listed(older);
    assert.deepEqual([cluster.dataMissing, cluster.dataMissingSeconds], [false, null]);
    await older.reportBoth({}, { cameras: [cameraStatus('cam-1'), cameraStatus('cam-2', { recording: false })] });
    cluster = await listed(older);
    assert.deepEqual([cluster.dataMissing, cluster.dataMissingSeconds], [true, null]);
  });

  test("GET …/backfill: each node's status as its agent reported it, serving or not, with the cluster's totals; viewers read it", async () => {
    const pair = await pairOf('Viewed');
    const [ba, bb] = [audit({}), audit({ 'cam-2': 12 }, { reason: 'filling newest first' })];
    await pair.reportBoth({ backfill: ba }, { backfill: bb });
    const viewer = await accountWith('viewer');
    const res = await api().get(`/api/v1/clusters/${pair.clusterId}/backfill`).set(viewer.header).expect(200);
    assert.deepEqual({ ...res.body, nodes: res.body.nodes.map((n: { reportedAt: string | null }) => ({ ...n, reportedAt: typeof n.reportedAt })) }, {
      clusterId: pair.clusterId,
      dataMissing: true,
      missingSeconds: 12,
      nodes: [
        { nodeId: pair.a.id, name: pair.a.name, serving: true, reachable: true, reportedAt: 'string', backfill: ba },
        { nodeId: pair.b.id, name: pair.b.name, serving: false, reachable: true, reportedAt: 'string', backfill: bb },
      ],
    });

    const silent = await pairOf('Unheard');
    const none = (await api().get(`/api/v1/clusters/${silent.clusterId}/backfill`).expect(200)).body;
    assert.deepEqual(none.nodes.map((n: { name: string; backfill: unknown; reachable: boolean; reportedAt: unknown }) => [n.name, n.backfill, n.reachable, n.reportedAt]), [[silent.a.name, null, false, null], [silent.b.name, null, false, null]]);
    assert.deepEqual([none.dataMissing, none.missingSeconds], [false, null]);
    const missing = await api().get(`/api/v1/clusters/${randomUUID()}/backfill`).expect(404);
    assert.equal(missing.body.type, problemType('not-found'));
  });

  test('start, pause and resume are relayed to the agents with the cluster secret and audited under the caller; a viewer is refused', async () => {
    const pair = await pairOf('Commanded');
    await pair.reportBoth({ backfill: audit({}) }, { backfill: audit({ 'cam-1': 5 }) });
    const operator = await accountWith('operator');
    const base = `/api/v1/clusters/${pair.clusterId}/backfill`;

    // start by default: only the node that lacks data.
    const started = await api().post(`${base}/start`).set(operator.header).send({ reason: 'after the outage' }).expect(202);
    assert.deepEqual(started.body, {
      clusterId: pair.clusterId,
      command: 'backfill-start',
      nodes: [{ nodeId: pair.b.id, name: pair.b.name, outcome: 'done', reason: null, detail: 'backfill-start done', result: { command: 'backfill-start', result: 'backfill-start done', state: 'SECOND', epoch: 3, handover: null } }],
    });
    assert.deepEqual(commandsTo(pair.prefixes.a), []);
    assert.deepEqual(commandsTo(pair.prefixes.b), [{ prefix: pair.prefixes.b, authorization: `Bearer ${pair.secret}`, body: { command: 'backfill-start', reason: 'after the outage', actor: operator.username } }]);

    // pause by default: every node that backfills; without a body at all.
    const paused = await api().post(`${base}/pause`).set(operator.header).expect(202);
    assert.deepEqual(paused.body.nodes.map((n: { name: string; outcome: string }) => [n.name, n.outcome]), [[pair.a.name, 'done'], [pair.b.name, 'done']]);
    assert.deepEqual([commandsTo(pair.prefixes.a).at(-1)?.body, commandsTo(pair.prefixes.b).at(-1)?.body], [{ command: 'backfill-pause', actor: operator.username }, { command: 'backfill-pause', actor: operator.username }]);
    // resume, one node by name.
    await api().post(`${base}/resume`).set(operator.header).send({ node: pair.a.name }).expect(202);
    assert.equal(commandsTo(pair.prefixes.a).at(-1)?.body.command, 'backfill-resume');
    assert.equal(commandsTo(pair.prefixes.b).at(-1)?.body.command, 'backfill-pause');

    const audited = async (action: string) => (await auditOf(pair.clusterId, action)).map((e) => [e.actor, e.outcome, e.details]);
    assert.deepEqual(await audited('cluster.backfill-start'), [[operator.username, 'success', { nodes: [pair.b.name], done: [pair.b.name], refused: [], unreachable: [] }]]);
    assert.deepEqual(await audited('cluster.backfill-pause'), [[operator.username, 'success', { nodes: [pair.a.name, pair.b.name], done: [pair.a.name, pair.b.name], refused: [], unreachable: [] }]]);
    assert.deepEqual(await audited('cluster.backfill-resume'), [[operator.username, 'success', { nodes: [pair.a.name], done: [pair.a.name], refused: [], unreachable: [] }]]);

    // A viewer may not: 403, nothing relayed, audited as denied.
    const viewer = await accountWith('viewer');
    const before = agents.received.length;
    for (const action of ['start', 'pause', 'resume']) {
      const res = await api().post(`${base}/${action}`).set(viewer.header).send({}).expect(403);
      assert.deepEqual([res.body.type, res.body.requiredRole], [problemType('forbidden'), 'operator']);
    }
    assert.equal(agents.received.length, before);
    const denied = await suite.controller.db.dataSource.getRepository(AuditEntryEntity).findBy({ actor: viewer.username, action: 'access.denied' });
    assert.equal(denied.length, 3);
    const doc = (await api().get('/api/v1/openapi.json').expect(200)).body.paths;
    for (const action of ['start', 'pause', 'resume']) assert.deepEqual(doc[`/api/v1/clusters/{clusterId}/backfill/${action}`].post.security.find((s: { apiToken?: string[] }) => s.apiToken).apiToken, ['operator']);
    assert.deepEqual(doc['/api/v1/clusters/{clusterId}/backfill'].get.security.find((s: { apiToken?: string[] }) => s.apiToken).apiToken, ['viewer']);
  });

  test("refusals and failures: each node's answer when one took it; else 409 with the agent's reason, 502 when none answered, 404 for a node the cluster lacks", async () => {
    const pair = await pairOf('Refused');
    await pair.reportBoth({ backfill: audit({}) }, { backfill: audit({}) });
    const base = `/api/v1/clusters/${pair.clusterId}/backfill`;

    agents.answers.set(pair.prefixes.a, { kind: 'refuse', reason: 'backfill-disabled' });
    const mixed = await api().post(`${base}/resume`).send({}).expect(202);
    assert.deepEqual(mixed.body.nodes.map((n: { name: string; outcome: string; reason: string | null; detail: string }) => [n.name, n.outcome, n.reason]), [[pair.a.name, 'refused', 'backfill-disabled'], [pair.b.name, 'done', null]]);
    assert.match(mixed.body.nodes[0].detail, /refused \(backfill-disabled\): no: backfill-disabled/);

    agents.answers.set(pair.prefixes.b, { kind: 'fail' });
    const refused = await api().post(`${base}/start`).send({}).expect(409);
    assert.deepEqual([refused.body.type, refused.body.reason, refused.body.nodeId], [problemType('command-refused'), 'backfill-disabled', pair.a.id]);
    assert.match(refused.body.detail, new RegExp(`${pair.b.name}: .*HTTP 500`));

    agents.answers.set(pair.prefixes.a, { kind: 'fail' });
    const unreachable = await api().post(`${base}/pause`).send({ node: pair.a.name }).expect(502);
    assert.equal(unreachable.body.type, problemType('agent-unreachable'));
    agents.answers.delete(pair.prefixes.a);
    agents.answers.delete(pair.prefixes.b);

    const stranger = await api().post(`${base}/start`).send({ node: 'nobody' }).expect(404);
    assert.equal(stranger.body.type, problemType('not-found'));
    assert.equal((await api().post(`/api/v1/clusters/${randomUUID()}/backfill/start`).send({}).expect(404)).body.type, problemType('not-found'));
    assert.equal((await api().post(`${base}/start`).send({ node: pair.a.name, colour: 'red' }).expect(400)).body.type, problemType('validation-failed'));

    // Agents that report no backfill status are not asked by default.
    const older = await pairOf('NoBackfill');
    await older.reportBoth({}, {});
    const before = agents.received.length;
    const none = await api().post(`/api/v1/clusters/${older.clusterId}/backfill/start`).send({}).expect(409);
    assert.deepEqual([none.body.type, none.body.reason], [problemType('command-refused'), 'no-backfill']);
    assert.equal(agents.received.length, before);

    assert.deepEqual((await auditOf(pair.clusterId, 'cluster.backfill-start')).map((e) => [e.outcome, e.details]), [
      ['failure', { nodes: [pair.a.name, pair.b.name], done: [], refused: [pair.a.name], unreachable: [pair.b.name] }],
      ['failure', null],
    ]);
    assert.deepEqual((await auditOf(pair.clusterId, 'cluster.backfill-resume')).map((e) => [e.outcome, e.details]), [['success', { nodes: [pair.a.name, pair.b.name], done: [pair.b.name], refused: [pair.a.name], unreachable: [] }]]);
  });

  test('a switch to a node that lacks data is refused with what it lacks; force switches and is audited with it', async () => {
    const pair = await pairOf('Waiting');
    await pair.reportBoth({ backfill: audit({}) }, { backfill: audit({ 'cam-1': 4, 'cam-2': 9 }) });
    const switchPath = `/api/v1/clusters/${pair.clusterId}/switch`;
    const before = commandsTo(pair.prefixes.a).length;

    const refused = await api().post(switchPath).send({ reason: 'patch Tuesday' }).expect(409);
    assert.equal(refused.body.type, problemType('target-missing-data'));
    assert.deepEqual([refused.body.nodeId, refused.body.nodeName, refused.body.missingSeconds, refused.body.camerasAffected], [pair.b.id, pair.b.name, 13, 2]);
    const ranges = refused.body.cameras.map((c: { deviceId: string; missingSeconds: number; gaps: Array<{ startAt: string; endAt: string }> }) => [c.deviceId, c.missingSeconds, c.gaps.map((g) => (Date.parse(g.endAt) - Date.parse(g.startAt)) / 1_000)]);
    assert.deepEqual(ranges, [['cam-2', 9, [9]], ['cam-1', 4, [4]]], 'most missing first, with the ranges as reported');
    assert.match(refused.body.detail, /lacks 13 s/);
    assert.equal(commandsTo(pair.prefixes.a).length, before, 'nothing relayed');
    assert.equal((await api().get(`/api/v1/clusters/${pair.clusterId}/state`).expect(200)).body.switchInProgress, false);

    const forced = await api().post(switchPath).send({ reason: 'patch Tuesday', force: true }).expect(202);
    assert.deepEqual([forced.body.from, forced.body.to], [pair.a.id, pair.b.id]);
    assert.deepEqual(commandsTo(pair.prefixes.a).at(-1)?.body, { command: 'switch', reason: 'patch Tuesday', actor: 'admin' });
    assert.deepEqual((await auditOf(pair.clusterId, 'cluster.switch')).map((e) => [e.actor, e.outcome, e.details]), [
      ['admin', 'failure', { forced: false, to: pair.b.name, missingSeconds: 13 }],
      ['admin', 'success', { forced: true, to: pair.b.name, missingSeconds: 13 }],
    ]);

    // Complete again (or an agent that reports no audit): no check, nothing to record.
    const whole = await pairOf('Whole');
    await whole.reportBoth({ backfill: audit({ 'cam-1': 3 }) }, { backfill: audit({}) });
    await api().post(`/api/v1/clusters/${whole.clusterId}/switch`).send({}).expect(202);
    // A target whose agent judges itself complete within one block (a frame or two it cannot
    // reserve while its recorder runs) is switched to without force.
    const nearly = await pairOf('Nearly');
    await nearly.reportBoth({ backfill: audit({}) }, { backfill: audit({ 'cam-1': 0.1 }, { dataComplete: true, placeholderSeconds: 0, state: 'done' }) });
    await api().post(`/api/v1/clusters/${nearly.clusterId}/switch`).send({}).expect(202);
    const older = await pairOf('Unaudited');
    await older.reportBoth({}, { backfill: null });
    await api().post(`/api/v1/clusters/${older.clusterId}/switch`).expect(202);
    assert.deepEqual((await auditOf(whole.clusterId, 'cluster.switch')).map((e) => e.details), [null], 'only the Serving node lacks data: not the one taking over');
  });

  test('a switch to a stopped node is refused as peer-not-ready, forced or not, before what it lacks; nothing is relayed', async () => {
    const pair = await pairOf('Stopped');
    // A stopped recorder always lacks data; the reason a user can act on is that its node is stopped.
    await pair.reportBoth({ backfill: audit({}) }, { state: 'STOP', service: 'stopped', backfill: audit({ 'cam-1': 5 }) });
    const before = commandsTo(pair.prefixes.a).length;
    for (const force of [false, true]) {
      const refused = await api().post(`/api/v1/clusters/${pair.clusterId}/switch`).send({ force }).expect(409);
      assert.deepEqual([refused.body.type, refused.body.reason], [problemType('switch-not-possible'), 'peer-not-ready']);
      assert.match(refused.body.detail, new RegExp(`${pair.b.name} is stopped`));
    }
    assert.equal(commandsTo(pair.prefixes.a).length, before, 'nothing relayed');
    // Started again and a standby: the switch goes through to the agent.
    await pair.reportBoth({ backfill: audit({}) }, { state: 'SECOND', backfill: audit({}) });
    await api().post(`/api/v1/clusters/${pair.clusterId}/switch`).send({}).expect(202);
  });

  test('the policy carries the backfill settings: read, changed in part, checked, audited, sent to the agents', async () => {
    const pair = await pairOf('Settings');
    const policyPath = `/api/v1/clusters/${pair.clusterId}/policy`;
    const first = (await api().get(policyPath).expect(200)).body;
    assert.deepEqual(first.backfill, { mode: 'enabled', bandwidthMbps: 400, transfersMax: 4, window: null });

    const night = { startMinute: 22 * 60, endMinute: 6 * 60 };
    const patched = await api().patch(policyPath).send({ backfill: { mode: 'placeholders', window: night } }).expect(200);
    assert.deepEqual([patched.body.version, patched.body.backfill], [first.version + 1, { mode: 'placeholders', bandwidthMbps: 400, transfersMax: 4, window: night }]);
    const changed = await suite.controller.db.dataSource.getRepository(AuditEntryEntity).findBy({ target: `cluster/${pair.clusterId}/policy`, action: 'cluster.policy-changed' });
    assert.deepEqual(changed.map((e) => e.details), [{ fromVersion: first.version, toVersion: first.version + 1, changed: ['backfill.mode', 'backfill.window'] }]);
    const answer = await pair.report('a');
    assert.deepEqual(answer.policy?.settings.backfill, { mode: 'placeholders', bandwidthMbps: 400, transfersMax: 4, window: night }, 'agents get it with their next answer');

    const unchanged = async (body: object, paths: string[], method: 'patch' | 'put' = 'patch') => {
      const res = await api()[method](policyPath).send(body).expect(400);
      assert.equal(res.body.type, problemType('validation-failed'));
      assert.deepEqual(res.body.errors.map((e: { path: string }) => e.path).sort(), paths, JSON.stringify(res.body.errors));
      const now = (await api().get(policyPath).expect(200)).body;
      assert.deepEqual([now.version, now.backfill], [patched.body.version, patched.body.backfill], 'nothing stored');
    };
    await unchanged({ backfill: { window: { startMinute: 60, endMinute: 60 } } }, ['/body/backfill/window']);
    await unchanged({ backfill: { window: { startMinute: 60, endMinute: 1440 }, bandwidthMbps: 0, transfersMax: 17, mode: 'sometimes' } }, ['/body/backfill/bandwidthMbps', '/body/backfill/mode', '/body/backfill/transfersMax', '/body/backfill/window/endMinute']);
    const { preferredNode: _preferredNode, ...wire } = defaultPolicySettings;
    const whole = { ...wire, preferredNodeId: null };
    await unchanged({ ...whole, backfill: { ...whole.backfill, window: { startMinute: 0, endMinute: 0 } } }, ['/body/backfill/window'], 'put');
    const { backfill: _backfill, ...withoutBackfill } = whole;
    await unchanged(withoutBackfill, ['/body/backfill'], 'put');

    const put = await api().put(policyPath).send(whole).expect(200);
    assert.deepEqual([put.body.version, put.body.backfill], [first.version + 2, defaultPolicySettings.backfill]);
  });

  test("the Device Overview shows each node's missing seconds per camera; /metrics has the backfill gauges; backfill events are stored like any", async () => {
    const pair = await pairOf('Overview');
    await pair.reportBoth(
      { backfill: audit({}) },
      { backfill: audit({ 'cam-2': 7 }, { blocksDone: 3, blocksTotal: 10, bytesDone: 123_456 }) },
    );
    const page = (await api().get(`/api/v1/clusters/${pair.clusterId}/cameras`).expect(200)).body;
    assert.deepEqual(
      page.items.map((c: { cameraId: string; nodes: Array<{ nodeName: string; missingSeconds: number | null }> }) => [c.cameraId, c.nodes.map((n) => [n.nodeName, n.missingSeconds])]),
      [['cam-1', [[pair.a.name, 0], [pair.b.name, 0]]], ['cam-2', [[pair.a.name, 0], [pair.b.name, 7]]]],
    );

    const metrics = await (await fetch(`${suite.controller.url}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
    const sample = (name: string, node: { id: string; name: string }): number | null => {
      const line = metrics.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`cluster_id="${pair.clusterId}"`) && l.includes(`node_id="${node.id}"`) && l.includes(`node="${node.name}"`));
      return line === undefined ? null : Number(line.split(' ').at(-1));
    };
    assert.deepEqual([sample('twinrec_backfill_missing_seconds', pair.b), sample('twinrec_backfill_bytes_copied', pair.b), sample('twinrec_backfill_queue_blocks', pair.b)], [7, 123_456, 7]);
    assert.deepEqual([sample('twinrec_backfill_missing_seconds', pair.a), sample('twinrec_backfill_queue_blocks', pair.a)], [0, 0]);
    await pair.report('b', { backfill: null });
    const after = await (await fetch(`${suite.controller.url}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
    assert.ok(!after.split('\n').some((l) => l.startsWith('twinrec_backfill_missing_seconds{') && l.includes(`node_id="${pair.b.id}"`)), 'a node that reports no status drops out');

    const kinds = ['backfill.planned', 'backfill.started', 'backfill.progress', 'backfill.completed'];
    await pair.report('b', { backfill: audit({}) }, { events: kinds.map((kind) => agentEvent(kind, { message: `${kind}: 7 s of 1 camera` })) });
    const events = (await api().get(`/api/v1/events?clusterId=${pair.clusterId}&kind=backfill.*`).expect(200)).body.items;
    assert.deepEqual(events.map((e: { kind: string }) => e.kind).sort(), [...kinds].sort());
  });
});
