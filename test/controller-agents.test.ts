// The agent link and the operator commands relayed to agents, end to end over HTTP against a
// real database (SQLite always, PostgreSQL too when TWINREC_TEST_PG_URL is set). Agents are
// played by this test: it registers and reports as they do, and a small real HTTP server on
// 127.0.0.1 stands in for their local API (POST /api/v1/commands of agent-api-v1).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type request from 'supertest';
import type { CommandResult } from '../contracts/agent-api-v1.js';
import { defaultPolicySettings } from '../contracts/cluster-policy-v1.js';
import { AuditEntryEntity, EventEntity, type EventRow } from '../api/src/db/entities/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentEvent, agentPair, cameraStatus, enrollCluster, nodeStatus, registration, secretFor, testRecorderId as recorderId, type NodeStatusOverrides } from './helpers/agent-reports.js';
import { onEachBackend } from './helpers/controller.js';
import { adminAuthHeader, login, testAdminPassword } from './helpers/auth.js';
import { runTwinrec } from './helpers/process.js';
import { closedPort } from '../shared/testing/ports.js';

const staleAfterMs = 2_000;
const commandTimeoutMs = 1_500;
const problemType = (slug: string) => `urn:twinrec:problem:${slug}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every node here has one camera recording. */
const withCamera: NodeStatusOverrides = { cameras: [cameraStatus('cam-1')] };

/** How the fake agent answers POST {prefix}/api/v1/commands. */
type AgentMode = 'accept' | 'refuse' | 'redirect' | 'huge' | 'slow';

interface FakeAgent {
  readonly base: string;
  /** Every request that reached a commands endpoint, in order. */
  readonly received: { path: string; authorization: string | undefined; body: unknown }[];
  /** Requests that reached anything else (a followed redirect would land here). */
  readonly strays: string[];
  mode: Map<string, AgentMode>;
  close(): Promise<void>;
}

/** The agent's local API, just POST /api/v1/commands, under one path prefix per node. */
async function startFakeAgent(secrets: Map<string, string>, peers: Map<string, string>): Promise<FakeAgent> {
  const received: FakeAgent['received'] = [];
  const strays: string[] = [];
  const mode = new Map<string, AgentMode>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/([^/]+)\/api\/v1\/commands$/.exec(req.url ?? '');
    const prefix = match?.[1];
    if (req.method !== 'POST' || prefix === undefined) {
      strays.push(req.url ?? '');
      res.writeHead(404).end();
      return;
    }
    let text = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      const body = JSON.parse(text) as { command: CommandResult['command'] };
      received.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
      const problem = (status: number, extra: object) => res.writeHead(status, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ title: 'x', status, detail: 'x', ...extra }));
      if (req.headers.authorization !== `Bearer ${secrets.get(prefix)}`) return problem(401, { type: 'urn:twinrec:problem:unauthorized' });
      const how = mode.get(prefix) ?? 'accept';
      if (how === 'refuse') return problem(409, { type: 'urn:twinrec:problem:command-refused', command: body.command, reason: 'peer-not-ready', detail: 'cannot switch: peer-not-ready' });
      if (how === 'redirect') return void res.writeHead(307, { location: `/elsewhere/${prefix}` }).end();
      if (how === 'huge') return void res.writeHead(200, { 'content-type': 'application/json' }).end(`{"pad":"${'x'.repeat(200_000)}"}`);
      if (how === 'slow') return void setTimeout(() => res.writeHead(200).end('{}'), commandTimeoutMs + 1_000).unref();
      const switching = body.command === 'switch';
      const result: CommandResult = { command: body.command, result: switching ? 'switching' : 'done', state: 'PRIM', epoch: 4, handover: switching ? { to: peers.get(prefix) ?? '?', expectedEpoch: 5 } : null };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    received,
    strays,
    mode,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}


onEachBackend('agent link and relayed commands', (suite) => {
  const { backend, api } = suite;
  let agent: FakeAgent;
  const agentSecrets = new Map<string, string>();
  const agentPeers = new Map<string, string>();

  before(async () => {
    agent = await startFakeAgent(agentSecrets, agentPeers);
  });
  after(async () => {
    await agent?.close();
  });

  const register = (body: unknown, secret: string) => api().post('/api/v1/agent/register').set('Authorization', `Bearer ${secret}`).send(body as object);

  /** A cluster whose two agents registered: names, ids and secret. */
  const pairOf = (cluster: string, agentUrls: { a?: string; b?: string } = {}) => agentPair(suite.controller, cluster, { agentUrls, status: withCamera });

  /** Registers a pair whose agents are served by the fake agent under prefixes `<cluster>-a` and `<cluster>-b`. */
  async function pairWithAgents(cluster: string) {
    const prefixes = { a: `${cluster.toLowerCase()}-a`, b: `${cluster.toLowerCase()}-b` };
    const pair = await pairOf(cluster, { a: `${agent.base}/${prefixes.a}`, b: `${agent.base}/${prefixes.b}` });
    agentSecrets.set(prefixes.a, pair.secret).set(prefixes.b, pair.secret);
    agentPeers.set(prefixes.a, pair.b.name).set(prefixes.b, pair.a.name);
    return { ...pair, prefixes };
  }

  const eventsOf = (clusterId: string): Promise<EventRow[]> => suite.controller.db.dataSource.getRepository(EventEntity).find({ where: { clusterId }, order: { time: 'ASC' } });

  test('the OpenAPI document declares the agent link with its own bearer scheme', async () => {
    const doc = (await api().get('/api/v1/openapi.json').expect(200)).body;
    assert.deepEqual(doc.paths['/api/v1/agent/register'].post.security, [{ clusterSecret: [] }]);
    assert.deepEqual(doc.paths['/api/v1/agent/report'].post.security, [{ clusterSecret: [] }]);
    assert.equal(doc.components.securitySchemes.clusterSecret.scheme, 'bearer');
    for (const path of ['state', 'switch', 'maintenance']) assert.ok(doc.paths[`/api/v1/clusters/{clusterId}/${path}`], path);
  });

  test('with trust on first use, the first registrations create the cluster and both nodes, concurrently, once; the secret is never returned', async () => {
    const secret = secretFor('Twin');
    // Both agents start at once, and each retries as if its first answer were lost.
    const answers = await Promise.all([0, 1, 0, 1, 0, 1].map((rank) => register(rank === 0 ? registration('Twin', 'twin-a', 'twin-b', 0) : registration('Twin', 'twin-b', 'twin-a', 1), secret)));
    for (const answer of answers) assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const [ra, rb] = answers as [request.Response, request.Response];
    assert.deepEqual(new Set(answers.map((r) => r.body.clusterId)).size, 1);
    assert.deepEqual(answers.map((r) => r.body.nodeId), [ra.body.nodeId, rb.body.nodeId, ra.body.nodeId, rb.body.nodeId, ra.body.nodeId, rb.body.nodeId]);
    assert.notEqual(ra.body.nodeId, rb.body.nodeId);

    const listed = await api().get('/api/v1/clusters?q=twin').expect(200);
    assert.equal(listed.body.total, 1);
    const cluster = (await api().get(`/api/v1/clusters/${ra.body.clusterId}`).expect(200)).body;
    assert.equal(cluster.mode, 'cloning');
    assert.equal(cluster.sharedAddress, 'twin-rs.example:7563');
    assert.deepEqual(
      cluster.nodes.map((n: { id: string; name: string; role: string; hostName: string; agentUrl: string; recorderId: string }) => [n.id, n.name, n.role, n.hostName, n.agentUrl, n.recorderId]),
      [
        [ra.body.nodeId, 'twin-a', 'primary', 'twin-a.example', 'http://twin-a.example:8741', recorderId],
        [rb.body.nodeId, 'twin-b', 'secondary', 'twin-b.example', 'http://twin-b.example:8741', recorderId],
      ],
    );
    assert.ok(!JSON.stringify(listed.body).includes(secret) && !JSON.stringify(cluster).includes(secret), 'the secret is not in any answer');

    // Registering again (an agent restart) finds the same node and changes what moved.
    const again = await register({ ...registration('Twin', 'twin-a', 'twin-b', 0), node: { ...registration('Twin', 'twin-a', 'twin-b', 0).node, agentUrl: 'https://twin-a.example:9741' } }, secret).expect(200);
    assert.deepEqual(again.body, ra.body);
    const node = (await api().get(`/api/v1/clusters/${ra.body.clusterId}/nodes/${ra.body.nodeId}`).expect(200)).body;
    assert.equal(node.agentUrl, 'https://twin-a.example:9741');

    const audit = await suite.controller.db.dataSource.getRepository(AuditEntryEntity).find({ where: { target: `cluster/${ra.body.clusterId}` } });
    assert.equal(audit.filter((e) => e.action === 'cluster.register').length, 1);
    assert.match(audit[0]?.actor ?? '', /^agent:twin-[ab]$/);
  });

  test('a wrong, missing or weak secret is refused with 401 and changes nothing', async () => {
    const pair = await pairOf('Guarded');
    const wrong = await register(registration('Guarded', 'Guarded-A', 'Guarded-B', 0), secretFor('Other')).expect(401);
    assert.equal(wrong.body.type, problemType('unauthorized'));
    assert.equal(wrong.headers['www-authenticate'], 'Bearer realm="twinrec"');
    const missing = await api().post('/api/v1/agent/register').send(registration('Guarded', 'Guarded-A', 'Guarded-B', 0)).expect(401);
    assert.equal(missing.body.type, problemType('unauthorized'));
    const intruder = await register(registration('Guarded', 'Guarded-C', 'Guarded-A', 1), 'x'.repeat(20)).expect(401);
    assert.equal(intruder.body.type, problemType('unauthorized'));
    const weak = await register(registration('Weak', 'weak-a', 'weak-b', 0), 'short').expect(401);
    assert.equal(weak.body.detail, wrong.body.detail, 'one detail for every refusal');
    assert.equal(missing.body.detail, wrong.body.detail);
    await api().get('/api/v1/clusters?q=weak').expect(200).then((r) => assert.equal(r.body.total, 0));

    const cluster = (await api().get(`/api/v1/clusters/${pair.clusterId}`).expect(200)).body;
    assert.deepEqual(cluster.nodes.map((n: { name: string }) => n.name), ['Guarded-A', 'Guarded-B']);
    const report = await api()
      .post('/api/v1/agent/report')
      .set('Authorization', 'Bearer not-the-secret-at-all')
      .send({ clusterId: pair.clusterId, nodeId: pair.a.id, status: nodeStatus('Guarded', 'Guarded-A', 'Guarded-B'), events: [], witnessWindowMs: 1_000 })
      .expect(401);
    assert.equal(report.body.type, problemType('unauthorized'));
    const denied = await suite.controller.db.dataSource.getRepository(AuditEntryEntity).findBy({ action: 'node.register', outcome: 'denied' });
    assert.ok(denied.some((e) => e.target === 'cluster/Guarded/node/Guarded-A'));
  });

  test('with trust on first use, a cluster created through the API without a secret adopts the first secret an agent presents', async () => {
    const created = (await api().post('/api/v1/clusters').send({ name: 'Adopted', mode: 'cloning', sharedAddress: 'adopted-rs:7563', nodes: [{ name: 'Adopted-A', role: 'primary', hostName: 'adopted-a' }] }).expect(201)).body;
    assert.equal(created.agentSecretSet, false);
    const secret = secretFor('Adopted');
    const ra = (await register(registration('Adopted', 'Adopted-A', 'Adopted-B', 0), secret).expect(200)).body;
    assert.deepEqual(ra, { clusterId: created.id, nodeId: created.nodes[0].id, policy: { version: 1, settings: defaultPolicySettings } });
    await register(registration('Adopted', 'Adopted-B', 'Adopted-A', 1), secretFor('Adopted')).expect(401);
    await register(registration('Adopted', 'Adopted-B', 'Adopted-A', 1), secret).expect(200);
    // An operator's change to the cluster keeps the secret.
    const changed = await api().patch(`/api/v1/clusters/${created.id}`).send({ description: 'renamed by an operator' }).expect(200);
    assert.equal(changed.body.agentSecretSet, true);
    await register(registration('Adopted', 'Adopted-B', 'Adopted-A', 1), secret).expect(200);
  });

  test('bad bodies get 400 validation-failed listing the issues, and change nothing', async () => {
    const pair = await pairOf('Strict');
    const good = registration('Strict', 'Strict-A', 'Strict-B', 0);
    const bodies: [unknown, string][] = [
      [{ ...good, node: { ...good.node, rank: 2 } }, '/body/node/rank'],
      [{ ...good, node: { ...good.node, hostName: 'bad_host!' } }, '/body/node/hostName'],
      [{ ...good, cluster: { ...good.cluster, sharedAddress: 'two words' } }, '/body/cluster/sharedAddress'],
      [{ ...good, colour: 'red' }, '/body'],
      [{ cluster: good.cluster }, '/body/node'],
    ];
    for (const [body, path] of bodies) {
      const res = await register(body, pair.secret).expect(400);
      assert.equal(res.body.type, problemType('validation-failed'));
      assert.ok(res.body.errors.some((e: { path: string }) => e.path === path), `${path} in ${JSON.stringify(res.body.errors)}`);
    }
    const report = await api().post('/api/v1/agent/report').set('Authorization', `Bearer ${pair.secret}`).send({ clusterId: pair.clusterId, nodeId: pair.a.id, status: { state: 'PRIM' }, events: [], witnessWindowMs: 5 }).expect(400);
    assert.equal(report.body.type, problemType('validation-failed'));
    assert.ok(report.body.errors.some((e: { path: string }) => e.path === '/body/witnessWindowMs'));
    const notJson = await api().post('/api/v1/agent/report').set('Authorization', `Bearer ${pair.secret}`).set('Content-Type', 'application/json').send('{"clusterId":').expect(400);
    assert.equal(notJson.body.type, problemType('malformed-json'));

    const longReason = await api().post(`/api/v1/clusters/${pair.clusterId}/switch`).send({ reason: 'x'.repeat(513) }).expect(400);
    assert.equal(longReason.body.type, problemType('validation-failed'));
    const noOn = await api().post(`/api/v1/clusters/${pair.clusterId}/maintenance`).send({ reason: 'patching' }).expect(400);
    assert.equal(noOn.body.type, problemType('validation-failed'));
    await api().post(`/api/v1/clusters/${pair.clusterId}/maintenance`).send({ on: 'yes' }).expect(400);
    const cluster = (await api().get(`/api/v1/clusters/${pair.clusterId}`).expect(200)).body;
    assert.equal(cluster.nodes.length, 2);
  });

  test('a report stores its events exactly once, even when posted twice, and answers eventsStored', async () => {
    const pair = await pairOf('Events');
    const events = [agentEvent('recorder.started', { data: { pid: 42 } }), agentEvent('camera.connected', { data: { deviceId: 'cam-1' } })];
    const first = await pair.report('a', {}, { events });
    assert.equal(first.eventsStored, 2);
    const second = await pair.report('a', {}, { events });
    assert.equal(second.eventsStored, 2);
    // Retries racing each other (an agent that timed out while the controller was slow).
    const late = [agentEvent('storage.full'), agentEvent('storage.ok')];
    const concurrent = await Promise.all(Array.from({ length: 6 }, () => pair.send('a', {}, { events: [...events, ...late] })));
    assert.deepEqual(concurrent.map((r) => [r.status, r.body.eventsStored]), Array.from({ length: 6 }, () => [200, 4]));

    const stored = (await eventsOf(pair.clusterId)).filter((e) => !e.kind.startsWith('node.'));
    assert.equal(stored.length, 4);
    const started = stored.find((e) => e.id === events[0]?.id);
    assert.ok(started, 'the agent event id is the row id');
    assert.equal(started.kind, 'recorder.started');
    assert.equal(started.nodeId, pair.a.id);
    assert.equal(started.severity, 'info');
    assert.equal(started.time.toISOString(), '2026-11-22T10:11:12.345Z');
    assert.deepEqual(started.data, { pid: 42 });
  });

  // Deterministic on PostgreSQL: an uncommitted row with the event's id hides it from the
  // report's lookup and blocks its insert until committed, which then hits the unique key.
  // Not defined on SQLite, whose single writer cannot interleave two transactions like this.
  if (backend.name === 'postgres') test('a report that loses the race for an event id to another copy stores it once', async () => {
    const pair = await pairOf('Racing');
    const event = agentEvent('race.lost');
    const runner = suite.controller.db.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.manager.insert(EventEntity, { id: event.id, time: new Date(event.time), clusterId: pair.clusterId, nodeId: pair.a.id, kind: event.kind, severity: 'info', message: event.message, data: {} });
      const answer = pair.send('a', {}, { events: [event] });
      await sleep(300);
      await runner.commitTransaction();
      const res = await answer;
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.eventsStored, 1);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    assert.equal((await eventsOf(pair.clusterId)).filter((e) => e.id === event.id).length, 1);
  });

  test('an unknown cluster or a node of another cluster gets 404', async () => {
    const pair = await pairOf('Known');
    const other = await pairOf('Stranger');
    const body = { clusterId: pair.clusterId, nodeId: other.a.id, status: nodeStatus('Known', 'Known-A', 'Known-B'), events: [], witnessWindowMs: 1_000 };
    const node = await api().post('/api/v1/agent/report').set('Authorization', `Bearer ${pair.secret}`).send(body).expect(404);
    assert.equal(node.body.type, problemType('not-found'));
    const cluster = await api().post('/api/v1/agent/report').set('Authorization', `Bearer ${pair.secret}`).send({ ...body, clusterId: randomUUID() }).expect(404);
    assert.equal(cluster.body.type, problemType('not-found'));
    const missing = randomUUID();
    for (const call of [api().get(`/api/v1/clusters/${missing}/state`), api().post(`/api/v1/clusters/${missing}/switch`), api().post(`/api/v1/clusters/${missing}/maintenance`).send({ on: true })]) {
      const res = await call.expect(404);
      assert.equal(res.body.type, problemType('not-found'));
    }
  });

  test('a changed node state is stored as a node.state-changed event', async () => {
    const pair = await pairOf('States');
    await pair.report('a', { state: 'WAIT', epoch: 2 });
    await pair.report('a', { state: 'WAIT', epoch: 2 });
    await pair.report('a', { state: 'PRIM', epoch: 4 });
    await pair.report('a', { state: 'PRIM', epoch: 4 });
    const changes = (await eventsOf(pair.clusterId)).filter((e) => e.kind === 'node.state-changed');
    assert.equal(changes.length, 1);
    assert.equal(changes[0]?.nodeId, pair.a.id);
    assert.deepEqual(changes[0]?.data, { from: 'WAIT', to: 'PRIM', epoch: 4 });
  });

  test('the witness: peer.alive holds while the peer reports within the window, and flips false after', async () => {
    const pair = await pairOf('Witness');
    const lonely = await pair.report('a', {}, { witnessWindowMs: 400 });
    assert.deepEqual(lonely.peer, { alive: false, lastReportAgoMs: null }, 'the peer never reported');
    await pair.report('b');
    const alive = await pair.report('a', {}, { witnessWindowMs: 400 });
    assert.equal(alive.peer.alive, true);
    assert.ok(alive.peer.lastReportAgoMs !== null && alive.peer.lastReportAgoMs < 400);
    await sleep(600);
    const silent = await pair.report('a', {}, { witnessWindowMs: 400 });
    assert.equal(silent.peer.alive, false);
    assert.ok(silent.peer.lastReportAgoMs !== null && silent.peer.lastReportAgoMs >= 400);
    await pair.report('b');
    assert.equal((await pair.report('a', {}, { witnessWindowMs: 400 })).peer.alive, true);
  });

  test('the witness answer says what the peer last reported, only to an agent that asks (an older one refuses unknown fields)', async () => {
    const pair = await pairOf('PeerReport');
    assert.deepEqual((await pair.report('a', {}, { peerReport: true })).peer, { alive: false, lastReportAgoMs: null }, 'nothing to say before the peer reports');
    await pair.report('b', { state: 'WAIT', serving: false, epoch: 3, uptimeSeconds: 42 });
    const seen = await pair.report('a', {}, { witnessWindowMs: 400, peerReport: true });
    assert.deepEqual([seen.peer.state, seen.peer.serving, seen.peer.epoch, seen.peer.uptimeSeconds], ['WAIT', false, 3, 42]);
    // Without the header, the answer an agent of the previous version accepts: exactly its fields.
    const older = await pair.report('a', {}, { witnessWindowMs: 400 });
    assert.deepEqual(Object.keys(older.peer).sort(), ['alive', 'lastReportAgoMs']);
  });

  test('/state shows the serving node, each node with its haStatus, and a conflict when two serve under one epoch', async () => {
    const pair = await pairOf('Live');
    const idle = (await api().get(`/api/v1/clusters/${pair.clusterId}/state`).expect(200)).body;
    assert.equal(idle.servingNodeId, null);
    assert.deepEqual(idle.nodes.map((n: { haStatus: string; reachable: boolean; state: unknown }) => [n.haStatus, n.reachable, n.state]), [['Unknown', false, null], ['Unknown', false, null]]);

    await pair.report('a', { state: 'PRIM', epoch: 4 });
    await pair.report('b', { state: 'SECOND', epoch: 4 });
    const state = (await api().get(`/api/v1/clusters/${pair.clusterId}/state`).expect(200)).body;
    assert.equal(state.clusterId, pair.clusterId);
    assert.equal(state.name, 'Live');
    assert.equal(state.sharedAddress, 'live-rs.example:7563');
    assert.equal(state.servingNodeId, pair.a.id);
    assert.equal(state.conflict, false);
    assert.equal(state.maintenance, false);
    assert.equal(state.switchInProgress, false);
    const [a, b] = state.nodes;
    assert.equal(a.nodeId, pair.a.id);
    assert.deepEqual([a.haStatus, a.serving, a.state, a.epoch, a.reachable, a.role], ['Serving', true, 'PRIM', 4, true, 'primary']);
    assert.deepEqual([b.haStatus, b.serving, b.state, b.role], ['Standby', false, 'SECOND', 'secondary']);
    assert.deepEqual(a.ping, { avgMs: 0.4, maxMs: 1.2, lastMs: 0.3 });
    assert.equal(a.webServerUri, 'http://live-a.example:7563/');
    assert.equal(a.service, 'running');
    assert.ok(Date.now() - Date.parse(a.lastReportAt) < 10_000);

    await pair.report('b', { state: 'ALONE', epoch: 5, maintenance: true });
    const split = (await api().get(`/api/v1/clusters/${pair.clusterId}/state`).expect(200)).body;
    assert.equal(split.servingNodeId, pair.b.id, 'the higher epoch wins');
    // Epoch fencing settles two claims of different epochs: a is stepping down, not a second Serving node.
    assert.equal(split.conflict, false);
    assert.deepEqual(split.nodes.map((n: { haStatus: string; serving: boolean; steppingDown: boolean }) => [n.haStatus, n.serving, n.steppingDown]), [['Standby', false, true], ['Serving', true, false]]);
    assert.equal(split.maintenance, true);

    await pair.report('a', { state: 'PRIM', epoch: 5 });
    const same = (await api().get(`/api/v1/clusters/${pair.clusterId}/state`).expect(200)).body;
    assert.equal(same.conflict, true, 'two claims under one epoch are a real conflict');
    assert.deepEqual(same.nodes.map((n: { haStatus: string }) => n.haStatus), ['Serving', 'Serving']);
  });

  test('a switch with no serving node is refused with 409 no-serving-node', async () => {
    const pair = await pairOf('Idle');
    await pair.report('a', { state: 'SECOND' });
    await pair.report('b', { state: 'WAIT' });
    const res = await api().post(`/api/v1/clusters/${pair.clusterId}/switch`).send({ reason: 'test' }).expect(409);
    assert.equal(res.body.type, problemType('switch-not-possible'));
    assert.equal(res.body.reason, 'no-serving-node');
    const audit = await suite.controller.db.dataSource.getRepository(AuditEntryEntity).findBy({ action: 'cluster.switch', target: `cluster/${pair.clusterId}` });
    assert.deepEqual(audit.map((e) => [e.outcome, e.actor]), [['failure', 'admin']], 'audited under the signed-in account');
  });

  test('a switch is relayed to the serving agent with the secret; a second one waits; a refusal is passed on', async () => {
    const pair = await pairWithAgents('Relay');
    await pair.report('a', { state: 'PRIM', epoch: 4 });
    await pair.report('b', { state: 'SECOND', epoch: 4 });

    const before = agent.received.length;
    const accepted = await api().post(`/api/v1/clusters/${pair.clusterId}/switch`).send({ reason: 'patch Tuesday' }).expect(202);
    assert.deepEqual(accepted.body, {
      clusterId: pair.clusterId,
      from: pair.a.id,
      to: pair.b.id,
      expectedEpoch: 5,
      result: { command: 'switch', result: 'switching', state: 'PRIM', epoch: 4, handover: { to: pair.b.name, expectedEpoch: 5 } },
      // Neither agent reports a backfill status with its retention here.
      shorterRetention: null,
    });
    const sent = agent.received.slice(before);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.path, `/${pair.prefixes.a}/api/v1/commands`);
    assert.equal(sent[0]?.authorization, `Bearer ${pair.secret}`);
    assert.deepEqual(sent[0]?.body, { command: 'switch', reason: 'patch Tuesday', actor: 'admin' });
    assert.equal((await api().get(`/api/v1/clusters/${pair.clusterId}/state`).expect(200)).body.switchInProgress, true);

    const again = await api().post(`/api/v1/clusters/${pair.clusterId}/switch`).expect(409);
    assert.equal(again.body.type, problemType('switch-not-possible'));
    assert.equal(again.body.reason, 'switch-in-progress');
    assert.equal(agent.received.length, before + 1, 'the second switch never reached the agent');

    // The handover completes: b serves now, so a new switch goes to b, whose agent refuses.
    await pair.report('a', { state: 'SECOND', epoch: 5 });
    await pair.report('b', { state: 'PRIM', epoch: 5 });
    assert.equal((await api().get(`/api/v1/clusters/${pair.clusterId}/state`).expect(200)).body.switchInProgress, false);
    agent.mode.set(pair.prefixes.b, 'refuse');
    const refused = await api().post(`/api/v1/clusters/${pair.clusterId}/switch`).expect(409);
    assert.equal(refused.body.type, problemType('switch-not-possible'));
    assert.equal(refused.body.reason, 'peer-not-ready');
    assert.equal(agent.received.at(-1)?.path, `/${pair.prefixes.b}/api/v1/commands`);
    assert.deepEqual(agent.received.at(-1)?.body, { command: 'switch', actor: 'admin' });

    // A refusal does not count as a switch under way.
    agent.mode.set(pair.prefixes.b, 'accept');
    const retried = await api().post(`/api/v1/clusters/${pair.clusterId}/switch`).send({}).expect(202);
    assert.equal(retried.body.from, pair.b.id);
    assert.equal(retried.body.to, pair.a.id);

    const audit = await suite.controller.db.dataSource.getRepository(AuditEntryEntity).findBy({ action: 'cluster.switch', target: `cluster/${pair.clusterId}` });
    assert.deepEqual(audit.map((e) => e.outcome).sort(), ['failure', 'failure', 'success', 'success']);
  });

  test('an agent that is down, slow, redirects or answers too much gets 502 agent-unreachable', async () => {
    const port = await closedPort();
    const down = await pairOf('Down', { a: `http://127.0.0.1:${port}` });
    await down.report('a', { state: 'PRIM', epoch: 4 });
    const res = await api().post(`/api/v1/clusters/${down.clusterId}/switch`).expect(502);
    assert.equal(res.body.type, problemType('agent-unreachable'));
    assert.match(res.body.detail, /ECONNREFUSED/);
    assert.ok(!res.body.detail.includes(down.secret));
    assert.equal((await api().get(`/api/v1/clusters/${down.clusterId}/state`).expect(200)).body.switchInProgress, false, 'a failed relay is not a switch under way');

    const odd = await pairWithAgents('Odd');
    await odd.report('a', { state: 'PRIM', epoch: 4 });
    for (const [mode, detail] of [['redirect', /HTTP 307: redirects are not followed/], ['huge', /larger than 65536 bytes/], ['slow', /did not answer within 1500 ms/]] as const) {
      agent.mode.set(odd.prefixes.a, mode);
      const answer = await api().post(`/api/v1/clusters/${odd.clusterId}/switch`).expect(502);
      assert.equal(answer.body.type, problemType('agent-unreachable'), mode);
      assert.match(answer.body.detail, detail);
      await odd.report('a', { state: 'PRIM', epoch: 4 });
    }
    assert.deepEqual(agent.strays, [], 'the redirect was not followed');
  });

  test('maintenance goes to the serving agent; with no reporting node it is 409 cluster-unreachable', async () => {
    const pair = await pairWithAgents('Maint');
    const none = await api().post(`/api/v1/clusters/${pair.clusterId}/maintenance`).send({ on: true }).expect(409);
    assert.equal(none.body.type, problemType('cluster-unreachable'));

    await pair.report('a', { state: 'SECOND', epoch: 4 });
    await pair.report('b', { state: 'PRIM', epoch: 5 });
    const on = await api().post(`/api/v1/clusters/${pair.clusterId}/maintenance`).send({ on: true, reason: 'storage upgrade' }).expect(200);
    assert.deepEqual(on.body, { clusterId: pair.clusterId, maintenance: true, via: pair.b.id });
    assert.equal(agent.received.at(-1)?.path, `/${pair.prefixes.b}/api/v1/commands`);
    assert.deepEqual(agent.received.at(-1)?.body, { command: 'maintenance-on', reason: 'storage upgrade', actor: 'admin' });

    agent.mode.set(pair.prefixes.b, 'refuse');
    const refused = await api().post(`/api/v1/clusters/${pair.clusterId}/maintenance`).send({ on: false }).expect(409);
    assert.equal(refused.body.type, problemType('command-refused'));
    assert.equal(refused.body.reason, 'peer-not-ready');
    const audit = await suite.controller.db.dataSource.getRepository(AuditEntryEntity).findBy({ action: 'cluster.maintenance', target: `cluster/${pair.clusterId}` });
    assert.deepEqual(audit.map((e) => e.outcome).sort(), ['failure', 'failure', 'success']);
  });

  test('an agent that stops reporting gets one node.agent-lost event, and node.agent-returned when it reports again', async () => {
    const pair = await pairOf('Fading');
    await pair.report('a');
    const deadline = Date.now() + staleAfterMs + 5_000;
    let lost: EventRow[] = [];
    while (Date.now() < deadline && lost.length === 0) {
      await sleep(200);
      lost = (await eventsOf(pair.clusterId)).filter((e) => e.kind === 'node.agent-lost');
    }
    assert.equal(lost.length, 1, 'node.agent-lost stored');
    assert.equal(lost[0]?.nodeId, pair.a.id);
    assert.equal((await api().get(`/api/v1/clusters/${pair.clusterId}/state`).expect(200)).body.nodes[0].haStatus, 'Unknown');
    await sleep(1_000);
    assert.equal((await eventsOf(pair.clusterId)).filter((e) => e.kind === 'node.agent-lost').length, 1, 'announced once');

    await pair.report('a');
    const kinds = (await eventsOf(pair.clusterId)).map((e) => e.kind);
    assert.deepEqual(kinds.filter((k) => k.startsWith('node.agent-')), ['node.agent-lost', 'node.agent-returned']);
    assert.equal((await api().get(`/api/v1/clusters/${pair.clusterId}/state`).expect(200)).body.nodes[0].haStatus, 'Standby');
  });
  // Its registration tests are about trust on first use; test/agent-enrollment.test.ts covers the default (off).
}, { flags: { 'agents.staleAfterMs': staleAfterMs, 'agents.commandTimeoutMs': commandTimeoutMs, 'agents.trustOnFirstUse': true } });

describe('the cluster secret in a real twinrec serve process', () => {
  test('appears in no log line, not even at trace level, whatever the agents and operators do; nor do passwords, sessions and tokens', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'twinrec-agents-'));
    const proc = runTwinrec(['serve', '--port', '0', '--data-dir', dataDir, '--log-format', 'json', '--log-level', 'trace'], { env: { TWINREC_AGENTS_COMMAND_TIMEOUT_MS: '1000', TWINREC_AUTH_ADMIN_PASSWORD: testAdminPassword } });
    try {
      const url = (JSON.parse(await proc.waitForLine((l) => l.includes('"listening"'))) as { url: string }).url;
      const secret = secretFor('Quiet');
      const post = (path: string, body: unknown, token = secret) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      const session = await login(url, 'admin', testAdminPassword);
      const adminToken = (await adminAuthHeader(url, testAdminPassword)).authorization.slice('Bearer '.length);
      const port = await closedPort();
      // Enrolled as an admin does (trust on first use is off): the secret goes through the API too.
      await enrollCluster({ url, authHeader: { authorization: `Bearer ${adminToken}` } }, 'Quiet', secret);
      const registered = (await (await post('/api/v1/agent/register', registration('Quiet', 'quiet-a', 'quiet-b', 0, { agentUrl: `http://127.0.0.1:${port}` }))).json()) as { clusterId: string; nodeId: string };
      const ids = { clusterId: registered.clusterId, nodeId: registered.nodeId };
      assert.equal((await post('/api/v1/agent/report', { ...ids, status: nodeStatus('Quiet', 'quiet-a', 'quiet-b', { state: 'PRIM', epoch: 4 }), events: [agentEvent('x.y')], witnessWindowMs: 1_000 })).status, 200);
      assert.equal((await post('/api/v1/agent/register', registration('Quiet', 'quiet-a', 'quiet-b', 0), `${secret}-wrong`)).status, 401);
      assert.equal((await post('/api/v1/agent/report', { ...ids, status: { broken: true }, events: [], witnessWindowMs: 1 })).status, 400);
      assert.equal((await post(`/api/v1/clusters/${ids.clusterId}/switch`, { reason: 'test' })).status, 401, 'the cluster secret is no operator credential');
      assert.equal((await post(`/api/v1/clusters/${ids.clusterId}/switch`, { reason: 'test' }, adminToken)).status, 502);
      assert.equal((await post(`/api/v1/clusters/${ids.clusterId}/maintenance`, { on: true }, adminToken)).status, 502);
      assert.equal((await post('/api/v1/auth/login', { username: 'admin', password: `${testAdminPassword}-wrong` })).status, 401);
      assert.equal(await proc.stop('SIGTERM'), 0);
      assert.match(proc.stderr(), /POST \/api\/v1\/agent\/report 200/, 'requests were logged');
      assert.ok(!proc.stderr().includes(secret.slice(7)), 'no log line holds the secret');
      assert.ok(!proc.stdout().includes(secret.slice(7)));
      for (const [what, value] of [['admin password', testAdminPassword], ['session id', session.cookie.slice('twinrec_session='.length)], ['API token', adminToken.slice(4)]] as const) {
        assert.ok(!proc.stderr().includes(value) && !proc.stdout().includes(value), `no output holds the ${what}`);
      }
    } finally {
      await proc.stop('SIGKILL', 2_000);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
