// The pool supervisor against a real controller and database (SQLite always, PostgreSQL too when
// TWINREC_TEST_PG_URL is set): a pool made over REST (two protected servers, one standby in one
// failover group), the standby reporting free over the agent link, the protected servers
// silent. After disconnectedSeconds the supervisor gives the standby to one of them under an
// epoch ≥ 2, the other waits with an event that names it; the operator commands refuse what the
// leases do not allow; stop failover (discard) frees the standby and the waiting server gets it
// under a higher epoch. The standby has no agent here (no agentUrl): the orders are not sent; the
// lab test of the takeover itself is test/pool-standby.test.ts.
//
// Then: a node a lease holds (the protected server failed over, the standby serving it) cannot be
// deleted (409 `pool-node-in-failover`); a deleted standby's lease and a deleted pool's leases,
// epoch counter and supervision row go with them. A hot standby's readiness, as its agent
// reports it, shows in the pool view, and its failure is said once.
//
// The protected servers' RecorderConfig.xml and shared address are written through the entities:
// the agents' push (POST /api/v1/agent/recorder-config) and the protected agent's registration
// (helper H17A) are another test's subject.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AuditEntryEntity, CameraPairEntity, EventEntity, PoolEpochEntity, PoolRecorderConfigEntity, PoolServerEntity, PoolServerStateEntity, PoolSupervisionEntity, StandbyLeaseEntity, type EventRow, type PoolServerStateRow, type StandbyLeaseRow } from '../api/src/db/entities/index.js';
import { parseSupervisorState } from '../api/src/domain/pool-supervisor.js';
import { cameraStatus } from '../contracts/controller-v1.fixtures.js';
import { nodeStatus, postAsAgent, type NodeStatusOverrides } from './helpers/agent-reports.js';
import { onEachBackend } from './helpers/controller.js';
import { waitFor } from '../lab/testing/harness.js';

const problemType = (slug: string) => `urn:twinrec:problem:${slug}`;
const timers: NodeJS.Timeout[] = [];
after(() => {
  for (const t of timers) clearInterval(t);
});

onEachBackend('pool supervisor', (suite) => {
  const { api } = suite;
  const repo = <T extends object>(entity: Parameters<typeof suite.controller.db.dataSource.getRepository<T>>[0]) => suite.controller.db.dataSource.getRepository<T>(entity);

  test('two failures, one standby: one is taken over, the other waits with an event and gets the standby once the first is stopped', { timeout: 120_000 }, async () => {
    const created = (await api()
      .post('/api/v1/clusters')
      .send({ name: 'Sup', mode: 'pool', sharedAddress: 'sup.example:7563', nodes: [...['RS-1', 'RS-2'].map((n) => ({ name: n, role: 'primary', hostName: `${n.toLowerCase()}.example` })), { name: 'FO-1', role: 'failover', hostName: 'fo-1.example' }] })
      .expect(201)).body as { id: string; nodes: { id: string; name: string }[] };
    const clusterId = created.id;
    const node = Object.fromEntries(created.nodes.map((n) => [n.name, n.id])) as Record<'RS-1' | 'RS-2' | 'FO-1', string>;
    const group = (await api().post(`/api/v1/clusters/${clusterId}/failover-groups`).send({ name: 'Hall' }).expect(201)).body.id as string;
    await api().put(`/api/v1/clusters/${clusterId}/failover-groups/${group}/standbys`).send({ standbyNodeIds: [node['FO-1']] }).expect(200);
    for (const [i, rs] of (['RS-1', 'RS-2'] as const).entries()) {
      await api().put(`/api/v1/clusters/${clusterId}/nodes/${node[rs]}/failover`).send({ primaryGroupId: group, secondaryGroupId: null, hotStandbyNodeId: null, standbySelection: 'sequence' }).expect(200);
      await repo(PoolServerEntity).update({ nodeId: node[rs] }, { sharedAddress: `127.0.0.1:${7600 + i}` });
      await repo(PoolRecorderConfigEntity).insert({ nodeId: node[rs], clusterId, recorderId: randomUUID(), xml: Buffer.from('<recorderconfig/>').toString('base64'), sha256: 'a'.repeat(64), receivedAt: new Date() });
    }
    const failover = (rs: 'RS-1' | 'RS-2', what: string) => `/api/v1/clusters/${clusterId}/nodes/${node[rs]}/failover/${what}`;
    // A silent server is in trouble at once, but no standby has reported yet: none is free.
    const early = await api().post(failover('RS-1', 'start')).send({});
    assert.deepEqual([early.status, early.body.type, early.body.reason], [409, problemType('pool-failover-not-possible'), 'no-standby-free'], JSON.stringify(early.body));
    const policy = await api().patch(`/api/v1/clusters/${clusterId}/policy`).send({ pool: { triggers: { disconnectedSeconds: 3, serviceDown: { enabled: true, seconds: 10 }, storage: { enabled: true, seconds: 30 } }, failbackRecordings: 'discard' } });
    assert.equal(policy.status, 200, JSON.stringify(policy.body));

    // The standby reports free, as its agent in pool standby mode does.
    const secret = `s3cret-sup-${randomUUID()}`;
    await api().put(`/api/v1/clusters/${clusterId}/agent-secret`).send({ secret }).expect(200);
    const report = async () => {
      const status = nodeStatus('Sup', 'FO-1', 'FO-1', { pool: { state: 'free', protectedNodeId: null, epoch: 0, since: new Date().toISOString(), error: null } });
      const answer = await postAsAgent(suite.controller, secret, 'report', { clusterId, nodeId: node['FO-1'], status, events: [], witnessWindowMs: 3_000 });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
    };
    await report();
    timers.push(setInterval(() => void report().catch(() => {}), 500));

    const lease = () => repo<StandbyLeaseRow>(StandbyLeaseEntity).findOneByOrFail({ standbyNodeId: node['FO-1'] });
    const first = await waitFor('the standby given to a silent protected server', async () => {
      const l = await lease();
      return l.state === 'taking-over' ? l : undefined;
    }, 60_000, 250);
    assert.ok(first.epoch >= 2, `the first takeover's epoch ${first.epoch} is above the protected servers' own (1)`);
    const served = first.protectedNodeId === node['RS-1'] ? 'RS-1' : 'RS-2';
    const waiting = served === 'RS-1' ? 'RS-2' : 'RS-1';
    const events = () => repo<EventRow>(EventEntity).find({ where: { clusterId }, order: { time: 'ASC' } });
    // The start is said once the sweep after the lease's acquisition sees it.
    const said = await waitFor('the failover started and the other server waiting, said', async () => {
      const rows = await events();
      return rows.some((e) => e.kind === 'pool.failover-waiting') && rows.some((e) => e.kind === 'pool.failover-started') ? rows : undefined;
    }, 30_000, 250);
    const wait = said.filter((e) => e.kind === 'pool.failover-waiting');
    assert.deepEqual(wait.map((e) => [e.nodeId, e.data['reason']]), [[node[waiting], 'no-standby-free']], 'once, naming it');
    assert.match(wait[0]?.message ?? '', new RegExp(`${waiting}: failed and waits for a standby`));
    assert.deepEqual(said.filter((e) => e.kind === 'pool.failover-started').map((e) => [e.nodeId, e.data['standbyNodeId'], e.data['epoch']]), [[node[served], node['FO-1'], first.epoch]]);

    // What the leases do not allow is refused, with a reason.
    const refusals: [string, string, object, string][] = [
      [waiting, 'start', {}, 'no-standby-free'],
      [served, 'start', {}, 'already-failed-over'],
      [waiting, 'stop', {}, 'not-failed-over'],
      [served, 'finish-failback', {}, 'no-failback-pending'],
      [served, 'replace', { confirm: true }, 'not-failed-over'],
    ];
    for (const [rs, what, body, reason] of refusals) {
      const answer = await api().post(failover(rs as 'RS-1', what)).send(body);
      assert.deepEqual([answer.status, answer.body.type, answer.body.reason], [409, problemType('pool-failover-not-possible'), reason], `${what} ${rs}: ${JSON.stringify(answer.body)}`);
    }
    assert.equal((await api().post(failover(served, 'replace')).send({})).status, 400, 'replace needs confirm: true');
    const standbyAsServer = await api().post(`/api/v1/clusters/${clusterId}/nodes/${node['FO-1']}/failover/stop`).send({});
    assert.deepEqual([standbyAsServer.status, standbyAsServer.body.type], [409, problemType('pool-role-mismatch')]);

    // Stop failover, discarding: the standby is free at once, and the waiting server gets it under a higher epoch.
    const stopped = await api().post(failover(served, 'stop')).send({ recordings: 'discard' }).expect(202);
    assert.deepEqual(stopped.body, { protectedNodeId: node[served], standbyNodeId: node['FO-1'], lease: 'free', epoch: first.epoch });
    const second = await waitFor('the waiting server taken over', async () => {
      const l = await lease();
      return l.state === 'taking-over' && l.protectedNodeId === node[waiting] ? l : undefined;
    }, 30_000, 250);
    assert.ok(second.epoch > first.epoch);
    const after = await waitFor('the second failover said', async () => {
      const rows = await events();
      return rows.some((e) => e.kind === 'pool.failover-started' && e.nodeId === node[waiting]) ? rows : undefined;
    }, 30_000, 250);
    assert.ok(after.some((e) => e.kind === 'pool.failover-stopped' && e.nodeId === node[served] && e.data['recordings'] === 'discard'));
    assert.ok(after.some((e) => e.kind === 'pool.failover-started' && e.nodeId === node[waiting] && e.data['epoch'] === second.epoch));
    const audit = await repo(AuditEntryEntity).find({ where: { action: 'pool.failover-stop', target: `cluster/${clusterId}` } });
    assert.deepEqual(audit.filter((a) => a.outcome === 'success').map((a) => (a.details as { recordings?: string } | null)?.recordings), ['discard']);
    assert.equal(audit.filter((a) => a.outcome === 'failure').length, 2, 'the refused stops (not failed over, not a protected server) are audited as failures');
  });
  /**
   * A pool made over REST: RS-1 protected (its shared address and RecorderConfig.xml written
   * through the entities) and the standbys `standbyNames`; those in `grouped` make RS-1's primary
   * failover group, `hot` is its hot standby; the policy's triggers and a cluster secret set.
   */
  async function poolWithOneServer(name: string, standbyNames: string[], o: { grouped: string[]; hot?: string; sha256: string; triggers: object }) {
    const created = (await api()
      .post('/api/v1/clusters')
      .send({ name, mode: 'pool', sharedAddress: `${name.toLowerCase()}.example:7563`, nodes: [{ name: 'RS-1', role: 'primary', hostName: 'rs-1.example' }, ...standbyNames.map((n) => ({ name: n, role: 'failover', hostName: `${n.toLowerCase()}.example` }))] })
      .expect(201)).body as { id: string; nodes: { id: string; name: string }[] };
    const clusterId = created.id;
    const node: Record<string, string> = Object.fromEntries(created.nodes.map((n) => [n.name, n.id]));
    const id = (n: string): string => node[n] as string;
    let group: string | null = null;
    if (o.grouped.length > 0) {
      group = (await api().post(`/api/v1/clusters/${clusterId}/failover-groups`).send({ name: 'Hall' }).expect(201)).body.id as string;
      await api().put(`/api/v1/clusters/${clusterId}/failover-groups/${group}/standbys`).send({ standbyNodeIds: o.grouped.map(id) }).expect(200);
    }
    await api().put(`/api/v1/clusters/${clusterId}/nodes/${id('RS-1')}/failover`).send({ primaryGroupId: group, secondaryGroupId: null, hotStandbyNodeId: o.hot === undefined ? null : id(o.hot), standbySelection: 'sequence' }).expect(200);
    await repo(PoolServerEntity).update({ nodeId: id('RS-1') }, { sharedAddress: '127.0.0.1:7610' });
    await repo(PoolRecorderConfigEntity).insert({ nodeId: id('RS-1'), clusterId, recorderId: randomUUID(), xml: Buffer.from('<recorderconfig/>').toString('base64'), sha256: o.sha256, receivedAt: new Date() });
    await api().patch(`/api/v1/clusters/${clusterId}/policy`).send({ pool: { triggers: o.triggers, failbackRecordings: 'discard' } }).expect(200);
    const secret = `s3cret-${name.toLowerCase()}-${randomUUID()}`;
    await api().put(`/api/v1/clusters/${clusterId}/agent-secret`).send({ secret }).expect(200);
    /** One report of node `n`, as its agent sends it. */
    const report = (n: string, overrides: NodeStatusOverrides) => postAsAgent(suite.controller, secret, 'report', { clusterId, nodeId: id(n), status: nodeStatus(name, n, n, overrides), events: [], witnessWindowMs: 3_000 });
    return { clusterId, id, report };
  }
  const freeStandby = (o: { hot?: unknown } = {}): NodeStatusOverrides => ({ pool: { state: 'free', protectedNodeId: null, epoch: 0, since: new Date().toISOString(), error: null, ...o } as NonNullable<NodeStatusOverrides['pool']> });

  test('a node a lease holds cannot be deleted; a standby\'s lease, and a pool\'s leases, epoch and supervision rows, go with the node and the pool', { timeout: 120_000 }, async () => {
    const { clusterId, id, report } = await poolWithOneServer('Del', ['FO-1', 'FO-2'], { grouped: ['FO-1'], sha256: 'a'.repeat(64), triggers: { disconnectedSeconds: 3, serviceDown: { enabled: true, seconds: 10 }, storage: { enabled: true, seconds: 30 } } });
    const node = { 'RS-1': id('RS-1'), 'FO-1': id('FO-1'), 'FO-2': id('FO-2') };
    await report('FO-1', freeStandby());
    await report('FO-2', freeStandby());
    timers.push(setInterval(() => void report('FO-1', freeStandby()).catch(() => {}), 500));

    await waitFor('RS-1 given to FO-1', async () => ((await repo<StandbyLeaseRow>(StandbyLeaseEntity).findOneBy({ standbyNodeId: node['FO-1'], state: 'taking-over' })) ?? undefined), 60_000, 250);
    const deleteNode = (name: 'RS-1' | 'FO-1' | 'FO-2') => api().delete(`/api/v1/clusters/${clusterId}/nodes/${node[name]}`);
    for (const name of ['RS-1', 'FO-1'] as const) {
      const refused = await deleteNode(name);
      assert.deepEqual([refused.status, refused.body.type, refused.body.standby?.nodeName, refused.body.leaseState], [409, problemType('pool-node-in-failover'), 'FO-1', 'taking-over'], `${name}: ${JSON.stringify(refused.body)}`);
    }
    assert.ok((await repo(PoolSupervisionEntity).findOneBy({ clusterId })) !== null, 'the supervisor keeps when it swept the pool');

    // A free standby goes, with its lease.
    await waitFor('FO-2 has a lease', async () => ((await repo(StandbyLeaseEntity).findOneBy({ standbyNodeId: node['FO-2'] })) ?? undefined), 30_000, 250);
    await deleteNode('FO-2').expect(204);
    assert.equal(await repo(StandbyLeaseEntity).countBy({ standbyNodeId: node['FO-2'] }), 0);

    // The pool goes with every lease, its epoch counter and its supervision row.
    await api().delete(`/api/v1/clusters/${clusterId}`).expect(204);
    assert.deepEqual([await repo(StandbyLeaseEntity).countBy({ clusterId }), await repo(PoolEpochEntity).countBy({ clusterId }), await repo(PoolSupervisionEntity).countBy({ clusterId })], [0, 0, 0]);
  });

  test('a hot standby\'s readiness shows in the pool view as its agent reports it; a failure is said once', { timeout: 120_000 }, async () => {
    const sha256 = 'b'.repeat(64);
    // Nothing fails over: RS-1 is never silent long enough, its service and storage are not watched.
    const { clusterId, id, report } = await poolWithOneServer('Hot', ['FO-H'], { grouped: [], hot: 'FO-H', sha256, triggers: { disconnectedSeconds: 60, serviceDown: { enabled: false, seconds: 10 }, storage: { enabled: false, seconds: 30 } } });
    const node = { 'RS-1': id('RS-1'), 'FO-H': id('FO-H') };
    let hot: { protectedNodeId: string; configSha256: string; state: 'ready' | 'failed'; error: { step: string; reason: string } | null } | null = null;
    const reportHot = () => report('FO-H', freeStandby({ hot }));
    await reportHot();
    timers.push(setInterval(() => void reportHot().catch(() => {}), 300));
    const standbyView = async () => ((await api().get(`/api/v1/clusters/${clusterId}/pool`).expect(200)).body as { standbys: { name: string; hot: { state: string; configSha256: string | null; error: unknown; protectedServer: { nodeName: string } } | null }[] }).standbys.find((s) => s.name === 'FO-H');
    assert.deepEqual((await standbyView())?.hot, { protectedServer: { nodeId: node['RS-1'], nodeName: 'RS-1' }, state: 'cold', configSha256: null, error: null });

    hot = { protectedNodeId: node['RS-1'], configSha256: sha256, state: 'ready', error: null };
    await reportHot();
    assert.equal((await standbyView())?.hot?.state, 'ready', 'hot standby ready');

    hot = { ...hot, state: 'failed', error: { step: 'start-recorder', reason: 'the recorder did not start' } };
    await reportHot();
    assert.deepEqual((await standbyView())?.hot?.error, { step: 'start-recorder', reason: 'the recorder did not start' });
    const events = () => repo<EventRow>(EventEntity).find({ where: { clusterId, kind: 'pool.hot-standby-failed' } });
    const said = await waitFor('the failure said', async () => ((await events()).length > 0 ? events() : undefined), 30_000, 250);
    // A few more sweeps (several a second with the reports' nudges): still once.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.equal((await events()).length, 1);
    assert.deepEqual([said[0]?.nodeId, said[0]?.severity, said[0]?.data['standbyNodeId']], [node['RS-1'], 'warning', node['FO-H']]);
    assert.match(said[0]?.message ?? '', /RS-1: hot standby FO-H failed to get ready at start-recorder: the recorder did not start/);
  });
  test('a report of the Recording Server service down fails the server over under `serviceDown.seconds: 0` (the report nudges a sweep)', { timeout: 120_000 }, async () => {
    const { clusterId, id, report } = await poolWithOneServer('Fast', ['FO-1'], { grouped: ['FO-1'], sha256: 'c'.repeat(64), triggers: { disconnectedSeconds: 30, serviceDown: { enabled: true, seconds: 0 }, storage: { enabled: true, seconds: 30 } } });
    const node = { 'RS-1': id('RS-1'), 'FO-1': id('FO-1') };
    let service: 'running' | 'stopped' = 'running';
    const poolProtected = { state: 'serving', epoch: 1, fencedByEpoch: null, since: new Date().toISOString(), error: null } as const;
    const reportBoth = async () => {
      await report('FO-1', freeStandby());
      await report('RS-1', { state: 'ALONE', service, poolProtected });
    };
    await reportBoth();
    timers.push(setInterval(() => void reportBoth().catch(() => {}), 1_000));
    const lease = () => repo<StandbyLeaseRow>(StandbyLeaseEntity).findOneBy({ standbyNodeId: node['FO-1'] });
    await waitFor('the standby has its lease, RS-1 healthy', async () => ((await lease())?.state === 'free' ? true : undefined), 30_000, 100);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal((await lease())?.state, 'free', 'a healthy server is not failed over');

    service = 'stopped';
    const sentAtMs = performance.now();
    await reportBoth();
    await waitFor('RS-1 given to FO-1', async () => ((await lease())?.state === 'taking-over' ? true : undefined), 30_000, 20);
    // Measured, not asserted (the machine's load varies): the every-second sweep alone would take up to a second more.
    process.stdout.write(`service-down report to the standby's lease: ${Math.round(performance.now() - sentAtMs)} ms\n`);
    const started = await waitFor('the failover started, said', async () => {
      const rows = await repo<EventRow>(EventEntity).find({ where: { clusterId, kind: 'pool.failover-started' } });
      return rows.length > 0 ? rows : undefined;
    }, 30_000, 100);
    assert.deepEqual(started.map((e) => e.data['standbyNodeId']), [node['FO-1']]);
  });

  test('a dead recorder\'s cameras, known from its earlier reports, are taken over and left out by their camera_pair names, not their ids', { timeout: 120_000 }, async () => {
    const { clusterId, id, report } = await poolWithOneServer('Names', ['FO-1'], { grouped: ['FO-1'], sha256: 'd'.repeat(64), triggers: { disconnectedSeconds: 30, serviceDown: { enabled: true, seconds: 0 }, storage: { enabled: true, seconds: 30 } } });
    const node = { 'RS-1': id('RS-1'), 'FO-1': id('FO-1') };
    // By id FO-1 (capacity 1) would take `gate`; by name it takes `dock` ("Dock 2" sorts first) and leaves `gate` and the unnamed one out.
    const [gate, dock, unnamed] = ['a1a1a1a1-0000-4000-8000-000000000001', 'b2b2b2b2-0000-4000-8000-000000000002', 'e3e3e3e3-0000-4000-8000-000000000003'];
    await api().put(`/api/v1/clusters/${clusterId}/nodes/${node['FO-1']}/standby`).send({ cameraCapacity: 1 }).expect(200);
    // camera_pair keeps the Management Server's ids as they came (upper case here).
    for (const [cameraId, name] of [[gate, 'Gate 1'], [dock, 'Dock 2']] as const) await repo(CameraPairEntity).insert({ id: randomUUID(), clusterId, cameraId: cameraId.toUpperCase(), name, hardwareName: 'AXIS P1455', failoverLevel: 'full' });
    let running = true;
    const poolProtected = { state: 'serving', epoch: 1, fencedByEpoch: null, since: new Date().toISOString(), error: null } as const;
    const reportBoth = async () => {
      await report('FO-1', freeStandby());
      // A recorder that is down lists no camera.
      await report('RS-1', { state: 'ALONE', service: running ? 'running' : 'stopped', poolProtected, cameras: running ? [gate, dock, unnamed].map((c) => cameraStatus(c)) : [] });
    };
    await reportBoth();
    timers.push(setInterval(() => void reportBoth().catch(() => {}), 1_000));
    const state = async () => {
      const row = await repo<PoolServerStateRow>(PoolServerStateEntity).findOneBy({ nodeId: node['RS-1'] });
      return row === null ? null : parseSupervisorState(row.state);
    };
    await waitFor('its cameras known to the supervisor', async () => ((await state())?.knownCameraIds?.length === 3 ? true : undefined), 30_000, 100);

    running = false;
    await reportBoth();
    const leftOut = await waitFor('the cameras left out, said', async () => {
      const rows = await repo<EventRow>(EventEntity).find({ where: { clusterId, kind: 'pool.cameras-left-out' } });
      return rows.length > 0 ? rows : undefined;
    }, 30_000, 100);
    assert.deepEqual((leftOut[0]?.data['cameras'] as { name: string }[]).map((c) => c.name), [unnamed, 'Gate 1']);
    assert.match(leftOut[0]?.message ?? '', /are not taken over: e3e3e3e3-0000-4000-8000-000000000003, Gate 1$/);
    assert.deepEqual((await state())?.served?.cameraIds, [dock], 'FO-1 takes the camera first by name');
  });
});
