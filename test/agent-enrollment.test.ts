// Who may enroll agents, and what a stranger can make the agent link do (issue 15): with trust on
// first use off (the default), an admin creates the cluster and sets or generates its secret;
// registration never creates or claims a cluster; every 401 reads the same; the credential is
// checked before a body is validated, and bodies are bounded; only a registering agent sets
// where the controller sends the secret. Against a real controller and database (SQLite, and
// PostgreSQL when TWINREC_TEST_PG_URL is set), with a real HTTP server standing in for agents.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuditEntryEntity, EventEntity } from '../api/src/db/entities/index.js';
import { agentEvent, agentPair, cameraStatus, nodeStatus, postAsAgent, registration, secretFor, type ProblemBody } from './helpers/agent-reports.js';
import { onEachBackend } from './helpers/controller.js';

const problemType = (slug: string) => `urn:twinrec:problem:${slug}`;

/** Agents' local APIs: POST /<name>/api/v1/commands, each request remembered with its Bearer token. */
interface AgentStandIn {
  readonly base: string;
  readonly received: { path: string; authorization: string | undefined }[];
  /** Runs when a command arrives, before it is answered: what the agent could see while it acts. */
  whileActing: (() => Promise<void>) | null;
  close(): Promise<void>;
}

async function startAgentStandIn(): Promise<AgentStandIn> {
  const received: AgentStandIn['received'] = [];
  const server: Server = createServer((req, res) => {
    received.push({ path: req.url ?? '', authorization: req.headers.authorization });
    req.resume().on('end', () => {
      const result = { command: 'switch', result: 'switching', state: 'PRIM', epoch: 4, handover: { to: 'peer', expectedEpoch: 5 } };
      void (standIn.whileActing?.() ?? Promise.resolve()).finally(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const standIn: AgentStandIn = {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    whileActing: null,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return standIn;
}

/** A report body of `cameras` cameras, each wrong in every field: what a costly invalid body looks like. */
function wrongCameras(count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => ({ deviceId: i, enabled: 'yes', started: 'yes', recording: 'yes', errorNoConnection: 1, errorOverflow: 1, error: 1, fps: 'x', fpsRequested: 'x', resolution: 7, videoFormat: 7, usedSpaceBytes: 'x' }));
}

/** A JSON object nested `depth` levels: {"a":{"a":…}}. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
}

/** `body` as JSON text with the string "DEEP" replaced by an object nested `depth` levels, too deep for JSON.stringify. */
function withDeepText(body: unknown, depth: number): string {
  return JSON.stringify(body).replace('"DEEP"', `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`);
}

/** POSTs JSON text to the agent link as an agent does. */
async function postText(url: string, secret: string, endpoint: 'register' | 'report', text: string): Promise<{ status: number; body: Partial<ProblemBody> }> {
  const res = await fetch(`${url}/api/v1/agent/${endpoint}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body: text, signal: AbortSignal.timeout(30_000) });
  return { status: res.status, body: (await res.json()) as Partial<ProblemBody> };
}

onEachBackend('agent enrollment and the agent link under attack', (suite) => {
  const { api } = suite;
  let agents: AgentStandIn;
  let attacker: AgentStandIn;
  before(async () => {
    agents = await startAgentStandIn();
    attacker = await startAgentStandIn();
  });
  after(async () => {
    await agents?.close();
    await attacker?.close();
  });

  const register = (body: unknown, secret: string | null) => {
    const call = api().post('/api/v1/agent/register');
    return (secret === null ? call.set('Authorization', '') : call.set('Authorization', `Bearer ${secret}`)).send(body as object);
  };
  const createCluster = async (name: string) => (await api().post('/api/v1/clusters').send({ name, mode: 'cloning', sharedAddress: `${name.toLowerCase()}-rs.example:7563` }).expect(201)).body as { id: string; agentSecretSet: boolean };
  const clusterCount = async (name: string) => ((await api().get(`/api/v1/clusters?q=${name}`).expect(200)).body as { total: number }).total;

  test('registration never creates a cluster nor claims one without a secret, and every 401 reads the same', async () => {
    const secret = secretFor('Claimed');
    const unknown = await register(registration('Unheard', 'unheard-a', 'unheard-b', 0), secret).expect(401);
    assert.equal(unknown.body.type, problemType('unauthorized'));
    assert.equal(await clusterCount('Unheard'), 0, 'no cluster made by a stranger');

    const created = await createCluster('Claimed');
    assert.equal(created.agentSecretSet, false);
    const claim = await register(registration('Claimed', 'Claimed-A', 'Claimed-B', 0), secret).expect(401);
    const after = (await api().get(`/api/v1/clusters/${created.id}`).expect(200)).body;
    assert.equal(after.agentSecretSet, false, 'the secret was not adopted');
    assert.deepEqual(after.nodes, [], 'and no node registered');

    await api().put(`/api/v1/clusters/${created.id}/agent-secret`).send({ secret }).expect(200);
    const wrong = await register(registration('Claimed', 'Claimed-A', 'Claimed-B', 0), secretFor('Other')).expect(401);
    const report = await postAsAgent(suite.controller, 'not-the-secret-at-all', 'report', { clusterId: created.id, nodeId: randomUUID(), status: {}, events: [], witnessWindowMs: 1_000 });
    assert.equal(report.status, 401);
    const details = new Set([unknown, claim, wrong].map((r) => (r.body as ProblemBody).detail).concat(report.body.detail ?? ''));
    assert.equal(details.size, 1, `one detail for an unknown cluster, one without a secret, and a wrong secret: ${[...details].join(' | ')}`);
    assert.ok(![...details][0]?.includes('Claimed') && ![...details][0]?.includes('Unheard'), 'the detail names no cluster');
    // No secret at all is refused (by the OpenAPI security check, before the route) without naming the cluster either.
    const missing = await register(registration('Claimed', 'Claimed-A', 'Claimed-B', 0), null).expect(401);
    assert.equal(missing.body.type, problemType('unauthorized'));
    assert.ok(!String(missing.body.detail).includes('Claimed'));

    const ok = await register(registration('Claimed', 'Claimed-A', 'Claimed-B', 0), secret).expect(200);
    assert.equal(ok.body.clusterId, created.id);
  });

  test('an admin sets or generates the secret; a replacement needs confirming; the value is shown once, audited never', async () => {
    const cluster = await createCluster('Enrolled');
    const mine = secretFor('Enrolled');
    const set = await api().put(`/api/v1/clusters/${cluster.id}/agent-secret`).send({ secret: mine }).expect(200);
    assert.deepEqual(set.body, { clusterId: cluster.id, agentSecretSet: true, replaced: false }, 'an admin\'s own secret is not echoed');
    assert.equal((await api().get(`/api/v1/clusters/${cluster.id}`).expect(200)).body.agentSecretSet, true);
    const listed = (await api().get('/api/v1/clusters?q=Enrolled').expect(200)).body.items[0];
    assert.equal(listed.agentSecretSet, true);
    await register(registration('Enrolled', 'Enrolled-A', 'Enrolled-B', 0), mine).expect(200);

    const unconfirmed = await api().put(`/api/v1/clusters/${cluster.id}/agent-secret`).send({ generate: true }).expect(409);
    assert.equal(unconfirmed.body.type, problemType('agent-secret-exists'));
    await register(registration('Enrolled', 'Enrolled-A', 'Enrolled-B', 0), mine).expect(200);

    const generated = await api().put(`/api/v1/clusters/${cluster.id}/agent-secret`).send({ generate: true, replace: true }).expect(200);
    assert.equal(generated.headers['cache-control'], 'no-store');
    assert.equal(generated.body.replaced, true);
    const secret = String(generated.body.secret);
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
    await register(registration('Enrolled', 'Enrolled-A', 'Enrolled-B', 0), mine).expect(401);
    await register(registration('Enrolled', 'Enrolled-A', 'Enrolled-B', 0), secret).expect(200);
    const everything = JSON.stringify([(await api().get(`/api/v1/clusters/${cluster.id}`).expect(200)).body, (await api().get('/api/v1/clusters').expect(200)).body]);
    assert.ok(!everything.includes(secret) && !everything.includes(mine), 'never returned again');

    const audit = await suite.controller.db.dataSource.getRepository(AuditEntryEntity).find({ where: { target: `cluster/${cluster.id}`, action: 'cluster.agent-secret-set' }, order: { time: 'ASC' } });
    assert.deepEqual(audit.map((e) => [e.outcome, e.details]), [['success', { generated: false, replaced: false }], ['failure', null], ['success', { generated: true, replaced: true }]]);
    assert.ok(!JSON.stringify(audit).includes(secret) && !JSON.stringify(audit).includes(mine), 'audited without the value');

    for (const body of [{ secret: 'short' }, { secret: `${'x'.repeat(20)} with spaces` }, { secret: mine, generate: true }, {}, { generate: false }]) {
      const refused = await api().put(`/api/v1/clusters/${cluster.id}/agent-secret`).send(body).expect(400);
      assert.equal(refused.body.type, problemType('validation-failed'), JSON.stringify(body));
    }
    await api().put(`/api/v1/clusters/${randomUUID()}/agent-secret`).send({ generate: true }).expect(404);
    const operator = (await api().post('/api/v1/tokens').send({ name: 'ops', role: 'operator' }).expect(201)).body.token as string;
    const forbidden = await api().put(`/api/v1/clusters/${cluster.id}/agent-secret`).set('Authorization', `Bearer ${operator}`).send({ generate: true, replace: true }).expect(403);
    assert.equal(forbidden.body.type, problemType('forbidden'));
    await register(registration('Enrolled', 'Enrolled-A', 'Enrolled-B', 0), secret).expect(200);
  });

  test("only registration sets a node's agent URL: the API refuses it, so a Switch cannot be aimed elsewhere", async () => {
    const pair = await agentPair(suite.controller, 'Aimed', { agentUrls: { a: `${agents.base}/aimed-a`, b: `${agents.base}/aimed-b` } });
    const path = `/api/v1/clusters/${pair.clusterId}/nodes/${pair.a.id}`;
    const patched = await api().patch(path).send({ agentUrl: `${attacker.base}/steal` }).expect(400);
    assert.equal(patched.body.type, problemType('validation-failed'));
    assert.ok(patched.body.errors.some((e: { path: string }) => e.path === '/body/agentUrl'), JSON.stringify(patched.body.errors));
    await api().patch(path).send({ agentUrl: null }).expect(400);
    const added = await api().post(`/api/v1/clusters/${pair.clusterId}/nodes`).send({ name: 'Aimed-C', role: 'secondary', hostName: 'aimed-c', agentUrl: `${attacker.base}/steal` }).expect(400);
    assert.equal(added.body.type, problemType('validation-failed'));
    await api().post('/api/v1/clusters').send({ name: 'Aimed2', mode: 'pool', sharedAddress: 'aimed2', nodes: [{ name: 'n', role: 'primary', hostName: 'n', agentUrl: `${attacker.base}/steal` }] }).expect(400);
    assert.equal((await api().get(path).expect(200)).body.agentUrl, `${agents.base}/aimed-a`, 'the stored agent URL is the registered one');
    const doc = (await api().get('/api/v1/openapi.json').expect(200)).body;
    assert.equal(doc.components.schemas.NodeUpdate.properties.agentUrl.readOnly, true);

    await pair.report('a', { state: 'PRIM', epoch: 4 });
    await pair.report('b', { state: 'SECOND', epoch: 4 });
    // The attempt is on record while the agent acts, before any outcome is.
    const audit = suite.controller.db.dataSource.getRepository(AuditEntryEntity);
    const seenWhileActing: string[][] = [];
    agents.whileActing = async () => {
      const rows = await audit.find({ where: [{ target: `cluster/${pair.clusterId}/node/${pair.a.id}`, action: 'agent.command-sent' }, { target: `cluster/${pair.clusterId}`, action: 'cluster.switch' }] });
      seenWhileActing.push(rows.map((e) => `${e.action} ${e.actor} ${JSON.stringify(e.details)}`));
    };
    await api().post(`/api/v1/clusters/${pair.clusterId}/switch`).send({ reason: 'patch Tuesday' }).expect(202);
    agents.whileActing = null;
    assert.deepEqual(attacker.received, [], 'nothing, and no secret, reached the other listener');
    assert.deepEqual(agents.received.map((r) => [r.path, r.authorization]), [['/aimed-a/api/v1/commands', `Bearer ${pair.secret}`]]);
    assert.deepEqual(seenWhileActing, [['agent.command-sent admin {"command":"switch","reason":"patch Tuesday"}']]);
    const outcome = await audit.findBy({ target: `cluster/${pair.clusterId}`, action: 'cluster.switch' });
    assert.deepEqual(outcome.map((e) => [e.actor, e.outcome]), [['admin', 'success']]);
  });

  test('a stranger\'s large invalid body is refused on its credential (401), not validated; an agent\'s gets a bounded answer', async () => {
    const pair = await agentPair(suite.controller, 'Costly');
    // About 800 KB: 4096 cameras, each wrong in every field.
    const report = { clusterId: pair.clusterId, nodeId: pair.a.id, status: { ...nodeStatus('Costly', 'Costly-A', 'Costly-B'), cameras: wrongCameras(4096) }, events: [], witnessWindowMs: 1_000 };
    assert.ok(JSON.stringify(report).length > 700_000);
    for (const secret of ['garbage', secretFor('Other')]) {
      const refused = await postAsAgent(suite.controller, secret, 'report', report);
      assert.equal(refused.status, 401, `${secret}: ${JSON.stringify(refused.body).slice(0, 300)}`);
      const claim = await postAsAgent(suite.controller, secret, 'register', { ...registration('Costly', 'Costly-A', 'Costly-B', 0), junk: wrongCameras(4096) });
      assert.equal(claim.status, 401);
    }
    const noCluster = await postAsAgent(suite.controller, pair.secret, 'report', { ...report, clusterId: 42 });
    assert.equal(noCluster.status, 401, 'no cluster named: nothing to check the secret against');

    const invalid = await postAsAgent(suite.controller, pair.secret, 'report', report);
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.type, problemType('validation-failed'));
    assert.ok((invalid.body.errors ?? []).length > 0 && (invalid.body.errors ?? []).length <= 50, `at most 50 issues, got ${(invalid.body.errors ?? []).length}`);

    // Beyond any legitimate shape: refused at the first excess, with one issue, before the schema.
    const tooMany = await postAsAgent(suite.controller, pair.secret, 'report', { ...report, status: { ...report.status, cameras: Array.from({ length: 200_000 }, () => 0) } });
    assert.equal(tooMany.status, 400);
    assert.deepEqual(tooMany.body.errors, [{ path: '/body/status/cameras', message: 'must have at most 4096 items' }]);
    const tooDeep = await postText(suite.controller.url, pair.secret, 'report', withDeepText({ ...report, status: 'DEEP' }, 10_000));
    assert.equal(tooDeep.status, 400);
    assert.match(tooDeep.body.errors?.[0]?.message ?? '', /must nest at most/);
    const tooWide = await postAsAgent(suite.controller, pair.secret, 'register', { ...registration('Costly', 'Costly-A', 'Costly-B', 0), node: Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i])) });
    assert.equal(tooWide.status, 400);
    assert.deepEqual(tooWide.body.errors, [{ path: '/body/node', message: 'must have at most 256 properties' }]);
    await pair.report('a');
  });

  test('deeply nested or oversized event data is a 400, stores nothing, and the controller carries on', async () => {
    const pair = await agentPair(suite.controller, 'Nested', { status: { cameras: [cameraStatus('cam-1')] } });
    const deep = withDeepText(pair.reportBody('a', {}, { events: [agentEvent('deep.data', { data: { deep: 'DEEP' } })] }), 5_000);
    const bodies = [deep, ...[nested(9), { blob: 'x'.repeat(20_000) }].map((data) => JSON.stringify(pair.reportBody('a', {}, { events: [agentEvent('deep.data', { data })] })))];
    for (const text of bodies) {
      const answer = await postText(suite.controller.url, pair.secret, 'report', text);
      assert.equal(answer.status, 400, JSON.stringify(answer.body).slice(0, 300));
      assert.equal(answer.body.type, problemType('validation-failed'));
      assert.match(answer.body.errors?.[0]?.path ?? '', /^\/body\/(events\/0\/data|status)/);
    }
    const kept = agentEvent('deep.data', { data: nested(8) });
    assert.equal((await pair.report('a', {}, { events: [kept] })).eventsStored, 1, '8 levels are fine');
    const stored = await suite.controller.db.dataSource.getRepository(EventEntity).findBy({ clusterId: pair.clusterId, kind: 'deep.data' });
    assert.deepEqual(stored.map((e) => e.id), [kept.id]);
    await api().get('/healthz').expect(200);
  });
});
