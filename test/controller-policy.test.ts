// The cluster policy end to end over HTTP against a real controller and database (SQLite
// always, PostgreSQL too when TWINREC_TEST_PG_URL is set): read, set whole or in part, checked
// as a whole, audited, versioned; the old PATCH of the cluster and maintenance change it too;
// agents get it in their register and report answers and say which version they run, which
// the state and the policy show. Every response is validated against the OpenAPI document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandResult } from '../contracts/agent-api-v1.js';
import { clusterPolicySchema, defaultPolicySettings } from '../contracts/cluster-policy-v1.js';
import { createDataSource } from '../api/src/db/data-source.js';
import { AuditEntryEntity, ClusterEntity } from '../api/src/db/entities/index.js';
import { settingsOfRow } from '../api/src/domain/cluster-policy-rules.js';
import { agentPair, postAsAgent, registration } from './helpers/agent-reports.js';
import { onEachBackend } from './helpers/controller.js';
import { backends } from './helpers/postgres.js';
import { runTwinrecToEnd } from './helpers/process.js';
import { migrations } from '../api/migrations/index.js';

/** The cluster-policy migration and every later one: reverting it reverts them first. */
const sinceClusterPolicy = ((names) => names.slice(names.indexOf('ClusterPolicy1764400000000')))(migrations.map((m) => m.name));

const problemType = (slug: string) => `urn:twinrec:problem:${slug}`;
const recorderId = '0f0e5d4c-3b2a-4190-8877-665544332211';

/** The settings of a cluster nobody configured, as the REST API names them. */
const { preferredNode: _preferredNode, ...wireDefaults } = defaultPolicySettings;
type Settings = typeof wireDefaults & { preferredNodeId: string | null };
const defaults: Settings = { preferredNodeId: null, ...wireDefaults };

/** Valid settings that differ from the defaults in every group. */
const tuned = (preferredNodeId: string | null): Settings => ({
  preferredNodeId,
  failback: { policy: 'manual', holdDownSeconds: 120 },
  failover: { profile: 'fast', heartbeatIntervalMs: 200, peerTimeoutMs: 1_200, capCount: 5, capWindowMinutes: 30 },
  triggers: { recordingShare: { enabled: true, minPercent: 80, graceMs: 3_000 }, storageUnavailable: { enabled: false, graceMs: null }, serviceDown: { enabled: true, graceMs: 0 } },
  boot: 'start',
  maintenance: false,
  backfill: { mode: 'placeholders', bandwidthMbps: 100, transfersMax: 2, window: { startMinute: 22 * 60, endMinute: 6 * 60 } },
  pool: { triggers: { disconnectedSeconds: 30, serviceDown: { enabled: false, seconds: 5 }, storage: { enabled: true, seconds: 60 } }, failover: 'manual', stopFailover: 'manual', holdDownSeconds: 600, failbackRecordings: 'discard', failbackStallMinutes: 45 },
});

const pairBody = (name: string) => ({
  name,
  mode: 'cloning',
  sharedAddress: `${name.toLowerCase()}-rs.example:7563`,
  nodes: [
    { name: `${name}-A`, role: 'primary', hostName: `${name.toLowerCase()}-a.example`, recorderId },
    { name: `${name}-B`, role: 'secondary', hostName: `${name.toLowerCase()}-b.example`, recorderId },
  ],
});

onEachBackend('cluster policy', (suite) => {
  const { api } = suite;
  const policyOf = (clusterId: string) => `/api/v1/clusters/${clusterId}/policy`;

  async function cluster(name: string): Promise<{ id: string; name: string; createdAt: string; nodes: { id: string; name: string }[] }> {
    return (await api().post('/api/v1/clusters').send(pairBody(name)).expect(201)).body;
  }

  const auditOf = (clusterId: string) => suite.controller.db.dataSource.getRepository(AuditEntryEntity).find({ where: { target: `cluster/${clusterId}/policy` }, order: { time: 'ASC' } });

  /** A request must leave the policy exactly as it was: same body, same version. */
  async function unchanged(clusterId: string, action: () => Promise<unknown>): Promise<void> {
    const before = (await api().get(policyOf(clusterId)).expect(200)).body;
    await action();
    assert.deepEqual((await api().get(policyOf(clusterId)).expect(200)).body, before);
  }

  /** An API token of a lower role, made by the admin. */
  async function tokenOf(role: 'viewer' | 'operator'): Promise<string> {
    return (await api().post('/api/v1/tokens').send({ name: `${role}-${randomUUID().slice(0, 6)}`, role }).expect(201)).body.token as string;
  }

  test('a new cluster has the default policy at version 1, with what the overrides resolve to and the nodes that have not said', async () => {
    const c = await cluster('Fresh');
    const res = await api().get(policyOf(c.id)).expect(200);
    assert.equal(res.headers.etag, '"p1"');
    assert.deepEqual(res.body, {
      clusterId: c.id,
      version: 1,
      ...defaults,
      effective: { heartbeatIntervalMs: 250, peerTimeoutMs: 2_750, graceMs: { recordingShare: 2_000, storageUnavailable: 2_000, serviceDown: 2_000 } },
      updatedAt: c.createdAt,
      nodes: c.nodes.map((n) => ({ nodeId: n.id, name: n.name, policyVersion: null, current: false })),
    });
    const missing = await api().get(policyOf(randomUUID())).expect(404);
    assert.equal(missing.body.type, problemType('not-found'));
  });

  test('PUT stores every setting, one version higher, audited with the versions before and after; the cluster shows its three', async () => {
    const c = await cluster('Tuned');
    const before = (await api().get(`/api/v1/clusters/${c.id}`).expect(200)).body;
    const put = await api().put(policyOf(c.id)).send(tuned(c.nodes[0]?.id ?? null)).expect(200);
    assert.equal(put.headers.etag, '"p2"');
    assert.equal(put.body.version, 2);
    assert.deepEqual({ ...put.body, effective: undefined, updatedAt: undefined, nodes: undefined, clusterId: undefined, version: undefined }, { ...tuned(c.nodes[0]?.id ?? null), effective: undefined, updatedAt: undefined, nodes: undefined, clusterId: undefined, version: undefined });
    assert.deepEqual(put.body.effective, { heartbeatIntervalMs: 200, peerTimeoutMs: 1_200, graceMs: { recordingShare: 3_000, storageUnavailable: 500, serviceDown: 0 } });
    assert.ok(Date.parse(put.body.updatedAt) > Date.parse(c.createdAt) - 1_000);
    assert.deepEqual((await api().get(policyOf(c.id)).expect(200)).body, put.body);

    const after = (await api().get(`/api/v1/clusters/${c.id}`).expect(200)).body;
    assert.deepEqual([after.preferredNodeId, after.failbackPolicy, after.failbackHoldDownSeconds], [c.nodes[0]?.id, 'manual', 120], 'one store for the three settings');
    assert.ok(after.version > before.version, 'the cluster row changed, so its ETag moves too');

    const audit = await auditOf(c.id);
    assert.equal(audit.length, 1);
    assert.deepEqual([audit[0]?.action, audit[0]?.outcome, audit[0]?.actor], ['cluster.policy-changed', 'success', 'admin']);
    assert.deepEqual(audit[0]?.details, { fromVersion: 1, toVersion: 2, changed: ['preferredNodeId', 'failback.policy', 'failback.holdDownSeconds', 'failover.profile', 'failover.heartbeatIntervalMs', 'failover.peerTimeoutMs', 'failover.capCount', 'failover.capWindowMinutes', 'triggers.recordingShare.minPercent', 'triggers.recordingShare.graceMs', 'triggers.storageUnavailable.enabled', 'triggers.serviceDown.graceMs', 'boot', 'backfill.mode', 'backfill.bandwidthMbps', 'backfill.transfersMax', 'backfill.window', 'pool.triggers.disconnectedSeconds', 'pool.triggers.serviceDown.enabled', 'pool.triggers.serviceDown.seconds', 'pool.triggers.storage.seconds', 'pool.failover', 'pool.stopFailover', 'pool.holdDownSeconds', 'pool.failbackRecordings', 'pool.failbackStallMinutes'] });
    const listed = (await api().get(`/api/v1/audit?action=cluster.policy-changed&target=cluster/${c.id}/policy`).expect(200)).body.items;
    assert.deepEqual(listed[0].details, audit[0]?.details, 'the audit log shows the details');

    // The same settings again change nothing: same version, nothing audited.
    const again = await api().put(policyOf(c.id)).send(tuned(c.nodes[0]?.id ?? null)).expect(200);
    assert.deepEqual([again.body.version, again.headers.etag, (await auditOf(c.id)).length], [2, '"p2"', 1]);
  });

  test('PATCH merges some settings into the current ones and checks the whole', async () => {
    const c = await cluster('Patched');
    const res = await api().patch(policyOf(c.id)).send({ failover: { profile: 'fast' }, triggers: { serviceDown: { enabled: false } } }).expect(200);
    assert.equal(res.body.version, 2);
    assert.deepEqual(res.body.failover, { ...defaults.failover, profile: 'fast' });
    assert.deepEqual(res.body.triggers, { ...defaults.triggers, serviceDown: { enabled: false, graceMs: null } });
    assert.deepEqual(res.body.effective.peerTimeoutMs, 800);
    // fast's 800 ms peer timeout cannot cover 3 heartbeats of 300 ms: the merged whole is refused.
    await unchanged(c.id, async () => {
      const bad = await api().patch(policyOf(c.id)).send({ failover: { heartbeatIntervalMs: 300 } }).expect(400);
      assert.equal(bad.body.type, problemType('validation-failed'));
      assert.deepEqual(bad.body.errors, [{ path: '/body/failover/peerTimeoutMs', message: 'the peer timeout (800 ms) must cover at least 3 heartbeats (3 × 300 ms)' }]);
    });
    // A pool setting with a default (failbackStallMinutes) is kept by a PATCH that leaves it out, and taken when it is set.
    assert.equal((await api().patch(policyOf(c.id)).send({ pool: { failbackStallMinutes: 90 } }).expect(200)).body.pool.failbackStallMinutes, 90);
    assert.deepEqual((await api().patch(policyOf(c.id)).send({ pool: { holdDownSeconds: 60 } }).expect(200)).body.pool, { ...defaults.pool, holdDownSeconds: 60, failbackStallMinutes: 90 });
    await unchanged(c.id, async () => {
      for (const body of [{}, { failover: { colour: 'red' } }, { triggers: { recordingShare: { minPercent: 0 } } }, { pool: { failbackStallMinutes: 0 } }, { pool: { failbackStallMinutes: 1_441 } }]) {
        assert.equal((await api().patch(policyOf(c.id)).send(body).expect(400)).body.type, problemType('validation-failed'), JSON.stringify(body));
      }
    });
  });

  test('an invalid policy is a 400 listing what is wrong (or a 409 for the preferred node), and nothing is stored', async () => {
    const c = await cluster('Strict');
    const other = await cluster('Elsewhere');
    const good = tuned(null);
    await unchanged(c.id, async () => {
      const combination = await api().put(policyOf(c.id)).send({ ...good, failover: { ...good.failover, heartbeatIntervalMs: 1_000, peerTimeoutMs: 2_000 } }).expect(400);
      assert.equal(combination.body.type, problemType('validation-failed'));
      assert.deepEqual(combination.body.errors, [{ path: '/body/failover/peerTimeoutMs', message: 'the peer timeout (2000 ms) must cover at least 3 heartbeats (3 × 1000 ms)' }]);
      assert.match(combination.body.detail, /must cover at least 3 heartbeats/);

      // Every issue at once: out of range, unknown, and the combination.
      const many = await api().put(policyOf(c.id)).send({ ...good, failover: { ...good.failover, heartbeatIntervalMs: 1_000, peerTimeoutMs: 2_000, capCount: 0 }, failback: { ...good.failback, holdDownSeconds: 86_401 }, triggers: { ...good.triggers, serviceDown: { enabled: true, graceMs: null, colour: 'red' } } }).expect(400);
      assert.equal(many.body.type, problemType('validation-failed'));
      assert.deepEqual(many.body.errors.map((e: { path: string }) => e.path).sort(), ['/body/failback/holdDownSeconds', '/body/failover/capCount', '/body/failover/peerTimeoutMs', '/body/triggers/serviceDown']);

      const unknown = await api().put(policyOf(c.id)).send({ ...good, colour: 'red' }).expect(400);
      assert.equal(unknown.body.type, problemType('validation-failed'));
      const partial = await api().put(policyOf(c.id)).send({ failover: good.failover }).expect(400);
      assert.ok(partial.body.errors.length >= 1, 'PUT needs every setting');

      const foreign = await api().put(policyOf(c.id)).send({ ...good, preferredNodeId: other.nodes[0]?.id }).expect(409);
      assert.equal(foreign.body.type, problemType('preferred-node-invalid'));
    });
    // Refusals the controller decides are audited (a body the schema refuses is not, as for every operation).
    assert.deepEqual((await auditOf(c.id)).map((e) => [e.action, e.outcome]), [['cluster.policy-changed', 'failure']]);
  });

  test('If-Match: a stale or foreign ETag is 412 and changes nothing; the current one is taken', async () => {
    const c = await cluster('Guarded');
    await api().patch(policyOf(c.id)).set('If-Match', '"p1"').send({ boot: 'stop' }).expect(200);
    await unchanged(c.id, async () => {
      for (const tag of ['"p1"', '"v2"', '"p3"']) {
        const res = await api().patch(policyOf(c.id)).set('If-Match', tag).send({ boot: 'start' }).expect(412);
        assert.equal(res.body.type, problemType('precondition-failed'));
      }
      await api().put(policyOf(c.id)).set('If-Match', '"p1"').send(tuned(null)).expect(412);
    });
    const ok = await api().put(policyOf(c.id)).set('If-Match', '"p2"').send(tuned(null)).expect(200);
    assert.equal(ok.headers.etag, '"p3"');
    await api().patch(policyOf(c.id)).set('If-Match', '*').send({ boot: 'keep' }).expect(200);
  });

  test('a viewer reads the policy; a viewer or an operator cannot change it (403), and nothing changes', async () => {
    const c = await cluster('Roles');
    const viewer = await tokenOf('viewer');
    const operator = await tokenOf('operator');
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    assert.equal((await api().get(policyOf(c.id)).set(as(viewer)).expect(200)).body.version, 1);
    await unchanged(c.id, async () => {
      for (const token of [viewer, operator]) {
        for (const call of [api().put(policyOf(c.id)).set(as(token)).send(tuned(null)), api().patch(policyOf(c.id)).set(as(token)).send({ boot: 'stop' })]) {
          const res = await call.expect(403);
          assert.equal(res.body.type, problemType('forbidden'));
          assert.equal(res.body.requiredRole, 'admin');
        }
      }
    });
    const doc = (await api().get('/api/v1/openapi.json').expect(200)).body.paths['/api/v1/clusters/{clusterId}/policy'];
    assert.deepEqual([doc.get.security, doc.put.security, doc.patch.security].map((s: { apiToken?: string[] }[]) => s.find((a) => a.apiToken)?.apiToken), [['viewer'], ['admin'], ['admin']]);
  });

  test('the old PATCH of the cluster changes the policy too: a new version when one of its three settings changes, not otherwise', async () => {
    const c = await cluster('Legacy');
    await api().patch(`/api/v1/clusters/${c.id}`).send({ failbackHoldDownSeconds: 900 }).expect(200);
    let policy = (await api().get(policyOf(c.id)).expect(200)).body;
    assert.deepEqual([policy.version, policy.failback.holdDownSeconds], [2, 900]);
    await api().patch(`/api/v1/clusters/${c.id}`).send({ description: 'not a policy setting', failbackHoldDownSeconds: 900 }).expect(200);
    assert.equal((await api().get(policyOf(c.id)).expect(200)).body.version, 2);
    await api().patch(`/api/v1/clusters/${c.id}`).send({ preferredNodeId: c.nodes[1]?.id, failbackPolicy: 'manual' }).expect(200);
    policy = (await api().get(policyOf(c.id)).expect(200)).body;
    assert.deepEqual([policy.version, policy.preferredNodeId, policy.failback.policy], [3, c.nodes[1]?.id, 'manual']);
    const audit = await auditOf(c.id);
    assert.deepEqual(audit.map((e) => e.details), [{ fromVersion: 1, toVersion: 2, changed: ['failback.holdDownSeconds'] }, { fromVersion: 2, toVersion: 3, changed: ['preferredNodeId', 'failback.policy'] }]);

    // Agents know the preferred node by name: a rename is a new version, removing it another.
    await api().patch(`/api/v1/clusters/${c.id}/nodes/${c.nodes[1]?.id}`).send({ name: 'Legacy-B2' }).expect(200);
    assert.equal((await api().get(policyOf(c.id)).expect(200)).body.version, 4);
    const spaced = await api().patch(`/api/v1/clusters/${c.id}/nodes/${c.nodes[1]?.id}`).send({ name: 'Legacy B3' }).expect(409);
    assert.equal(spaced.body.type, problemType('preferred-node-invalid'));
    await api().delete(`/api/v1/clusters/${c.id}/nodes/${c.nodes[1]?.id}`).expect(204);
    policy = (await api().get(policyOf(c.id)).expect(200)).body;
    assert.deepEqual([policy.version, policy.preferredNodeId], [5, null]);
  });

  test('concurrent changes each get their own version', async () => {
    const c = await cluster('Racing');
    const results = await Promise.all([api().patch(policyOf(c.id)).send({ boot: 'start' }), api().patch(policyOf(c.id)).send({ failover: { capCount: 7 } }), api().patch(`/api/v1/clusters/${c.id}`).send({ failbackHoldDownSeconds: 60 })]);
    assert.deepEqual(results.map((r) => r.status), [200, 200, 200]);
    const policy = (await api().get(policyOf(c.id)).expect(200)).body;
    assert.deepEqual([policy.version, policy.boot, policy.failover.capCount, policy.failback.holdDownSeconds], [4, 'start', 7, 60]);
    assert.deepEqual((await auditOf(c.id)).map((e) => e.details?.toVersion).sort(), [2, 3, 4]);
  });

  test('register and report answers carry the policy, the preferred node by name; reports say which version each node runs', async () => {
    const pair = await agentPair(suite.controller, 'Wired');
    const first = await pair.report('a');
    assert.deepEqual(first.policy, { version: 1, settings: defaultPolicySettings });

    await api().put(policyOf(pair.clusterId)).send(tuned(pair.a.id)).expect(200);
    const { preferredNodeId: _id, ...rest } = tuned(pair.a.id);
    const expected = { version: 2, settings: { preferredNode: pair.a.name, ...rest } };
    const answer = await pair.report('b', { policyVersion: 1 });
    assert.deepEqual(answer.policy, expected);
    assert.ok(clusterPolicySchema.safeParse(answer.policy).success, 'what agents check');
    const again = await postAsAgent(suite.controller, pair.secret, 'register', registration('Wired', pair.b.name, pair.a.name, 1));
    assert.equal(again.status, 200);
    assert.deepEqual((again.body as { policy?: unknown }).policy, expected);

    await pair.report('a', { policyVersion: 2, state: 'PRIM', epoch: 3 });
    const state = (await api().get(`/api/v1/clusters/${pair.clusterId}/state`).expect(200)).body;
    assert.equal(state.policyVersion, 2);
    assert.deepEqual(state.nodes.map((n: { name: string; policyVersion: number | null; policyCurrent: boolean }) => [n.name, n.policyVersion, n.policyCurrent]), [[pair.a.name, 2, true], [pair.b.name, 1, false]]);
    const policy = (await api().get(policyOf(pair.clusterId)).expect(200)).body;
    assert.deepEqual(policy.nodes.map((n: { name: string; policyVersion: number | null; current: boolean }) => [n.name, n.policyVersion, n.current]), [[pair.a.name, 2, true], [pair.b.name, 1, false]]);

    // An agent that does not say (older) is not current; one on its bootstrap default says 0.
    await pair.report('b', { policyVersion: 0 });
    assert.deepEqual((await api().get(policyOf(pair.clusterId)).expect(200)).body.nodes[1], { nodeId: pair.b.id, name: pair.b.name, policyVersion: 0, current: false });
  });

  test("the first agent's registration creates the cluster with the policy it proposes (its agent.yaml); the preferred peer is named until it registers; later proposals are ignored", async () => {
    const name = `Proposed-${randomUUID().slice(0, 6)}`;
    const secret = `secret-${randomUUID()}`;
    const proposed = { ...defaultPolicySettings, preferredNode: `${name}-a`, failback: { policy: 'automatic' as const, holdDownSeconds: 10 }, failover: { ...defaultPolicySettings.failover, profile: 'fast' as const, capCount: 1000 } };
    // The preferred node's peer registers first: the cluster is made from its proposal.
    const b = await postAsAgent<{ clusterId: string; nodeId: string; policy?: unknown }>(suite.controller, secret, 'register', { ...registration(name, `${name}-b`, `${name}-a`, 1), proposedPolicy: proposed });
    assert.equal(b.status, 200, JSON.stringify(b.body));
    assert.deepEqual(b.body.policy, { version: 1, settings: proposed }, 'agents get the proposal as version 1, the preferred node by name');
    const pending = (await api().get(policyOf(String(b.body.clusterId))).expect(200)).body;
    assert.equal(pending.version, 1);
    assert.equal(pending.preferredNodeId, null, 'no node of that name yet');
    assert.equal(pending.failback.holdDownSeconds, 10);
    assert.equal(pending.failover.profile, 'fast');
    assert.equal(pending.failover.capCount, 1000);

    // The preferred node registers with another proposal: ignored, and its id takes its name's place.
    const a = await postAsAgent<{ clusterId: string; nodeId: string; policy?: unknown }>(suite.controller, secret, 'register', { ...registration(name, `${name}-a`, `${name}-b`, 0), proposedPolicy: defaultPolicySettings });
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.deepEqual(a.body.policy, { version: 1, settings: proposed }, 'the same policy, the same version');
    const resolved = (await api().get(policyOf(String(a.body.clusterId))).expect(200)).body;
    assert.equal(resolved.version, 1);
    assert.equal(resolved.preferredNodeId, a.body.nodeId);
    assert.equal(resolved.failback.holdDownSeconds, 10);

    // A cluster made through the API ignores what its agents propose.
    const made = await cluster(`Made-${randomUUID().slice(0, 6)}`);
    const answer = await postAsAgent<{ policy?: { version: number; settings: { failover: { profile: string } } } }>(suite.controller, secret, 'register', {
      ...registration(made.name, `${made.name}-A`, `${made.name}-B`, 0, { recorderId }),
      proposedPolicy: proposed,
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.policy?.version, 1);
    assert.equal(answer.body.policy?.settings.failover.profile, 'conservative');
  });

  test('a controller whose database was recreated or restored never falls behind its agents: it starts at and numbers above the version they run', async () => {
    // Recreated: the first agent registers the cluster anew, running its stored version 7.
    const name = `Renewed-${randomUUID().slice(0, 6)}`;
    const secret = `secret-${randomUUID()}`;
    const running = { ...defaultPolicySettings, preferredNode: null, failback: { policy: 'manual' as const, holdDownSeconds: 42 } };
    const first = await postAsAgent<{ clusterId: string; policy?: unknown }>(suite.controller, secret, 'register', { ...registration(name, `${name}-a`, `${name}-b`, 0), proposedPolicy: running, runningPolicyVersion: 7 });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(first.body.policy, { version: 7, settings: running }, 'the agent keeps running what it runs: the same version, the same settings');

    // Restored from before the last changes: a node reports a version above the controller's.
    const pair = await agentPair(suite.controller, `Restored-${randomUUID().slice(0, 6)}`);
    const before = (await api().get(policyOf(pair.clusterId)).expect(200)).body;
    const answer = await pair.report('a', { policyVersion: before.version + 4 });
    assert.equal(answer.policy?.version, before.version + 5, 'numbered above the node, so the node takes it');
    assert.deepEqual(answer.policy?.settings, { ...defaultPolicySettings }, 'the settings stay the controller’s');
    const after = (await api().get(policyOf(pair.clusterId)).expect(200)).body;
    assert.equal(after.version, before.version + 5);
    const audit = await auditOf(pair.clusterId);
    assert.deepEqual(audit.map((e) => [e.action, e.details]), [['cluster.policy-renumbered', { fromVersion: before.version, toVersion: before.version + 5, nodeVersion: before.version + 4 }]]);
    // A node at or below the controller's version changes nothing.
    assert.equal((await pair.report('b', { policyVersion: after.version })).policy?.version, after.version);
    assert.equal((await auditOf(pair.clusterId)).length, 1);
  });

  test('maintenance set through an agent is kept by the policy: a new version, audited; a refusal changes nothing', async () => {
    let refuse = false;
    const server: Server = createServer((req, res) => {
      req.resume().on('end', () => {
        if (refuse) return void res.writeHead(409, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ type: problemType('command-refused'), title: 'x', status: 409, detail: 'no', reason: 'peer-not-ready' }));
        const result: CommandResult = { command: 'maintenance-on', result: 'done', state: 'PRIM', epoch: 3, handover: null };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const pair = await agentPair(suite.controller, 'Kept', { agentUrls: { a: base, b: base } });
      await pair.reportBoth({ epoch: 3 }, { epoch: 3 });
      await api().post(`/api/v1/clusters/${pair.clusterId}/maintenance`).send({ on: true }).expect(200);
      const policy = (await api().get(policyOf(pair.clusterId)).expect(200)).body;
      assert.deepEqual([policy.version, policy.maintenance], [2, true]);
      assert.equal((await pair.report('b', { epoch: 3 })).policy?.settings.maintenance, true, 'the peer gets it with its next answer');
      assert.deepEqual((await auditOf(pair.clusterId)).map((e) => [e.actor, e.details]), [['admin', { fromVersion: 1, toVersion: 2, changed: ['maintenance'] }]]);
      await api().post(`/api/v1/clusters/${pair.clusterId}/maintenance`).send({ on: true }).expect(200);
      assert.equal((await api().get(policyOf(pair.clusterId)).expect(200)).body.version, 2, 'already on: no new version');
      refuse = true;
      await unchanged(pair.clusterId, () => api().post(`/api/v1/clusters/${pair.clusterId}/maintenance`).send({ on: false }).expect(409));
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
  // Clusters made by their first agent's registration (and its proposed policy) need trust on first use.
}, { flags: { 'agents.trustOnFirstUse': true } });

for (const backend of backends) {
  test(`the cluster-policy migration gives existing clusters version 1 and the defaults with their own three settings, and keeps them when reverted (${backend.name})`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'twinrec-policy-migrate-'));
    const db = await backend.create();
    const url = db.url ?? `sqlite:${join(dataDir, 'twinrec.sqlite')}`;
    const cli = async (...args: string[]) => {
      const result = await runTwinrecToEnd(['migrate', ...args, '--json', '--db', url]);
      assert.equal(result.code, 0, result.stderr);
      return JSON.parse(result.stdout) as Record<string, unknown>;
    };
    const open = async () => {
      const source = createDataSource({ url, dataDir, connectTimeoutMs: 5_000, queryTimeoutMs: 5_000 });
      await source.initialize();
      return source;
    };
    const id = randomUUID();
    try {
      await cli('up');
      assert.deepEqual(await cli('down', '--steps', String(sinceClusterPolicy.length)), { reverted: [...sinceClusterPolicy].reverse() });
      const before = await open();
      try {
        // Raw SQL: the entity names columns the reverted schema lacks.
        await before.query(`INSERT INTO cluster (id, name, mode, shared_address, preferred_node_id, failback_policy, failback_hold_down_seconds, description, version) VALUES ('${id}', 'Old', 'cloning', 'old:7563', NULL, 'manual', 45, '', 3)`);
      } finally {
        await before.destroy();
      }
      assert.deepEqual(await cli('up'), { applied: sinceClusterPolicy });
      const after = await open();
      try {
        const row = await after.getRepository(ClusterEntity).findOneByOrFail({ id });
        assert.deepEqual([row.policyVersion, row.policySettings, row.policyUpdatedAt, row.version], [1, null, null, 3]);
        assert.deepEqual(settingsOfRow(row), { ...defaults, failback: { policy: 'manual', holdDownSeconds: 45 } });
      } finally {
        await after.destroy();
      }
      assert.deepEqual(await cli('down', '--steps', String(sinceClusterPolicy.length)), { reverted: [...sinceClusterPolicy].reverse() });
      const reverted = await open();
      try {
        const rows = (await reverted.query(`SELECT failback_hold_down_seconds AS h FROM cluster WHERE id = '${id}'`)) as { h: number | string }[];
        assert.deepEqual(rows.map((r) => Number(r.h)), [45], 'reverting keeps the cluster and its three settings');
      } finally {
        await reverted.destroy();
      }
    } finally {
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
