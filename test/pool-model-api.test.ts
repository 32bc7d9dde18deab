// A failover pool's model over REST against a real controller and database (SQLite always,
// PostgreSQL too when TWINREC_TEST_PG_URL is set): the pool at a glance, failover groups and
// their sequences, protected servers' failover settings, standbys' capacity, per-camera failover
// levels, the confirmation while failed over, roles, audit, and what deleting a node or the
// cluster takes with it. Every response is validated against the OpenAPI document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AuditEntryEntity, FailoverGroupEntity, FailoverGroupMemberEntity, PoolCameraLevelEntity, PoolRecorderConfigEntity, PoolServerEntity, PoolServerStateEntity, PoolStandbyEntity, StandbyLeaseEntity } from '../api/src/db/entities/index.js';
import { cameraStatus, nodeStatus, postAsAgent } from './helpers/agent-reports.js';
import { onEachBackend } from './helpers/controller.js';

const problemType = (slug: string) => `urn:twinrec:problem:${slug}`;
const camera = (n: number): string => `0c0a0000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface PoolCluster {
  id: string;
  node: Record<string, string>;
}

onEachBackend('pool model', (suite) => {
  const { api } = suite;
  const repo = <T extends object>(entity: Parameters<typeof suite.controller.db.dataSource.getRepository<T>>[0]) => suite.controller.db.dataSource.getRepository<T>(entity);

  /** A pool with protected servers RS-1 and RS-2, and standbys FO-1, FO-2, FO-3 and HOT. */
  async function poolCluster(name: string): Promise<PoolCluster> {
    const body = {
      name,
      mode: 'pool',
      sharedAddress: `${name.toLowerCase()}.example:7563`,
      nodes: [
        ...['RS-1', 'RS-2'].map((n) => ({ name: n, role: 'primary', hostName: `${n.toLowerCase()}.example` })),
        ...['FO-1', 'FO-2', 'FO-3', 'HOT'].map((n) => ({ name: n, role: 'failover', hostName: `${n.toLowerCase()}.example` })),
      ],
    };
    const created = (await api().post('/api/v1/clusters').send(body).expect(201)).body as { id: string; nodes: { id: string; name: string }[] };
    return { id: created.id, node: Object.fromEntries(created.nodes.map((n) => [n.name, n.id])) };
  }
  const groups = (c: PoolCluster) => `/api/v1/clusters/${c.id}/failover-groups`;
  const nodePath = (c: PoolCluster, node: string, what: string) => `/api/v1/clusters/${c.id}/nodes/${c.node[node]}/${what}`;
  const failoverBody = (o: Partial<{ primaryGroupId: string | null; secondaryGroupId: string | null; hotStandbyNodeId: string | null; standbySelection: string; confirm: boolean }>) => ({ primaryGroupId: null, secondaryGroupId: null, hotStandbyNodeId: null, standbySelection: 'sequence', ...o });
  const expectProblem = async (res: Promise<{ status: number; body: { type: string } }>, status: number, slug: string) => {
    const answer = await res;
    assert.deepEqual([answer.status, answer.body.type], [status, problemType(slug)], JSON.stringify(answer.body));
    return answer.body as Record<string, unknown> & { type: string; detail: string };
  };

  test('a new pool shows its protected servers protected, no groups, and its standbys free', async () => {
    const c = await poolCluster('Fresh');
    const pool = (await api().get(`/api/v1/clusters/${c.id}/pool`).expect(200)).body;
    assert.deepEqual(pool.protectedServers.map((s: { name: string; failover: { state: string }; settings: object; recorderConfig: null }) => [s.name, s.failover.state, s.recorderConfig]), [['RS-1', 'protected', null], ['RS-2', 'protected', null]]);
    assert.deepEqual(pool.protectedServers[0].settings, { primaryGroupId: null, secondaryGroupId: null, hotStandbyNodeId: null, standbySelection: 'sequence', sharedAddress: null });
    assert.deepEqual(pool.failoverGroups, []);
    assert.deepEqual(pool.standbys.map((s: { name: string; lease: object; cameraCapacity: null }) => [s.name, s.lease, s.cameraCapacity]), ['FO-1', 'FO-2', 'FO-3', 'HOT'].map((n) => [n, { state: 'free', epoch: 0 }, null]));

    const pair = (await api().post('/api/v1/clusters').send({ name: 'Pair', mode: 'cloning', sharedAddress: 'pair.example:7563' }).expect(201)).body;
    await expectProblem(api().get(`/api/v1/clusters/${pair.id}/pool`), 409, 'cluster-not-pool');
    await expectProblem(api().post(`/api/v1/clusters/${pair.id}/failover-groups`).send({ name: 'G' }), 409, 'cluster-not-pool');
    await expectProblem(api().get(`/api/v1/clusters/${randomUUID()}/pool`), 404, 'not-found');
  });

  test('failover groups: created, renamed by version, their sequence set, reordered and refused where a standby cannot go', async () => {
    const c = await poolCluster('Groups');
    const created = await api().post(groups(c)).send({ name: 'Hall' }).expect(201);
    assert.equal(created.headers.etag, '"v1"');
    assert.match(created.headers.location ?? '', new RegExp(`/failover-groups/${created.body.id}$`));
    const hall = created.body.id as string;
    await expectProblem(api().post(groups(c)).send({ name: 'Hall' }), 409, 'failover-group-name-taken');
    await expectProblem(api().post(groups(c)).send({ name: ' padded' }), 400, 'validation-failed');

    const renamed = await api().patch(`${groups(c)}/${hall}`).send({ name: 'Main hall', version: 1 }).expect(200);
    assert.deepEqual([renamed.body.name, renamed.body.version], ['Main hall', 2]);
    await expectProblem(api().patch(`${groups(c)}/${hall}`).send({ name: 'Lobby', version: 1 }), 409, 'failover-group-version-conflict');
    await expectProblem(api().patch(`${groups(c)}/${hall}`).set('If-Match', '"v1"').send({ name: 'Lobby' }), 412, 'precondition-failed');

    const set = await api().put(`${groups(c)}/${hall}/standbys`).send({ standbyNodeIds: [c.node['FO-2'], c.node['FO-1']] }).expect(200);
    assert.deepEqual(set.body.standbys.map((s: { nodeName: string }) => s.nodeName), ['FO-2', 'FO-1']);
    assert.equal(set.body.version, 3, "the group's version covers its sequence");
    const reordered = await api().put(`${groups(c)}/${hall}/standbys`).send({ standbyNodeIds: [c.node['FO-1'], c.node['FO-3']] }).expect(200);
    assert.deepEqual(reordered.body.standbys.map((s: { nodeName: string }) => s.nodeName), ['FO-1', 'FO-3'], 'assigned, removed and reordered at once');
    assert.deepEqual((await api().get(`${groups(c)}/${hall}`).expect(200)).body, reordered.body);

    const yard = (await api().post(groups(c)).send({ name: 'Yard' }).expect(201)).body.id as string;
    const other = await expectProblem(api().put(`${groups(c)}/${yard}/standbys`).send({ standbyNodeIds: [c.node['FO-2'], c.node['FO-1']] }), 409, 'standby-in-other-group');
    assert.equal(other.groupId, hall);
    await expectProblem(api().put(`${groups(c)}/${yard}/standbys`).send({ standbyNodeIds: [c.node['RS-1']] }), 409, 'pool-role-mismatch');
    await expectProblem(api().put(`${groups(c)}/${yard}/standbys`).send({ standbyNodeIds: [randomUUID()] }), 409, 'pool-role-mismatch');
    const twice = await expectProblem(api().put(`${groups(c)}/${yard}/standbys`).send({ standbyNodeIds: [c.node['FO-2'], c.node['FO-2']] }), 400, 'validation-failed');
    assert.deepEqual((twice.errors as { path: string }[]).map((e) => e.path), ['/body/standbyNodeIds/1']);
    await expectProblem(api().put(`${groups(c)}/${yard}/standbys`).send({ standbyNodeIds: Array.from({ length: 65 }, () => randomUUID()) }), 400, 'validation-failed');
    // Nothing of the refused changes landed.
    assert.deepEqual((await api().get(`${groups(c)}/${yard}`).expect(200)).body.standbys, []);
    await expectProblem(api().get(`${groups(c)}/${randomUUID()}`), 404, 'not-found');

    const audit = await repo(AuditEntryEntity).find({ where: { target: `cluster/${c.id}/failover-group/${hall}` }, order: { time: 'ASC' } });
    assert.deepEqual(audit.map((a) => [a.action, a.outcome]), [
      ['failover-group.create', 'success'],
      ['failover-group.update', 'success'],
      ['failover-group.update', 'failure'],
      ['failover-group.update', 'failure'],
      ['failover-group.standbys-set', 'success'],
      ['failover-group.standbys-set', 'success'],
    ]);
    assert.deepEqual(audit[5]?.details, { from: [c.node['FO-2'], c.node['FO-1']], to: [c.node['FO-1'], c.node['FO-3']] });
  });

  test("a protected server's failover settings: groups of the pool, a free hot standby, and a group in use is kept", async () => {
    const c = await poolCluster('Settings');
    const hall = (await api().post(groups(c)).send({ name: 'Hall' }).expect(201)).body.id as string;
    const yard = (await api().post(groups(c)).send({ name: 'Yard' }).expect(201)).body.id as string;
    await api().put(`${groups(c)}/${hall}/standbys`).send({ standbyNodeIds: [c.node['FO-1']] }).expect(200);

    const set = await api().put(nodePath(c, 'RS-1', 'failover')).send(failoverBody({ primaryGroupId: hall, secondaryGroupId: yard, hotStandbyNodeId: c.node.HOT, standbySelection: 'capacity-closest' })).expect(200);
    assert.deepEqual(set.body.settings, { primaryGroupId: hall, secondaryGroupId: yard, hotStandbyNodeId: c.node.HOT, standbySelection: 'capacity-closest', sharedAddress: null });
    const pool = (await api().get(`/api/v1/clusters/${c.id}/pool`).expect(200)).body;
    assert.deepEqual(pool.standbys.find((s: { name: string }) => s.name === 'HOT').hotStandbyFor, { nodeId: c.node['RS-1'], nodeName: 'RS-1' });
    assert.deepEqual(pool.standbys.find((s: { name: string }) => s.name === 'FO-1').failoverGroupId, hall);

    await expectProblem(api().put(`${groups(c)}/${yard}/standbys`).send({ standbyNodeIds: [c.node.HOT] }), 409, 'standby-is-hot-standby');
    await expectProblem(api().put(nodePath(c, 'RS-2', 'failover')).send(failoverBody({ hotStandbyNodeId: c.node.HOT })), 409, 'hot-standby-taken');
    await expectProblem(api().put(nodePath(c, 'RS-2', 'failover')).send(failoverBody({ hotStandbyNodeId: c.node['FO-1'] })), 409, 'hot-standby-in-group');
    await expectProblem(api().put(nodePath(c, 'RS-2', 'failover')).send(failoverBody({ hotStandbyNodeId: c.node['RS-1'] })), 409, 'pool-role-mismatch');
    await expectProblem(api().put(nodePath(c, 'RS-2', 'failover')).send(failoverBody({ primaryGroupId: hall, secondaryGroupId: hall })), 409, 'failover-group-invalid');
    await expectProblem(api().put(nodePath(c, 'RS-2', 'failover')).send(failoverBody({ secondaryGroupId: hall })), 409, 'failover-group-invalid');
    await expectProblem(api().put(nodePath(c, 'RS-2', 'failover')).send(failoverBody({ primaryGroupId: randomUUID() })), 409, 'failover-group-invalid');
    await expectProblem(api().put(nodePath(c, 'FO-2', 'failover')).send(failoverBody({})), 409, 'pool-role-mismatch');
    await expectProblem(api().put(nodePath(c, 'RS-2', 'failover')).send({ ...failoverBody({}), standbySelection: 'random' }), 400, 'validation-failed');
    await expectProblem(api().put(`/api/v1/clusters/${c.id}/nodes/${randomUUID()}/failover`).send(failoverBody({})), 404, 'not-found');

    const inUse = await expectProblem(api().delete(`${groups(c)}/${yard}`), 409, 'failover-group-in-use');
    assert.deepEqual(inUse.protectedNodeIds, [c.node['RS-1']]);
    await api().put(nodePath(c, 'RS-1', 'failover')).send(failoverBody({ primaryGroupId: hall })).expect(200);
    await api().delete(`${groups(c)}/${yard}`).expect(204);
    await api().delete(`${groups(c)}/${hall}`).set('If-Match', '"v1"').expect(412);

    const audit = await repo(AuditEntryEntity).find({ where: { action: 'node.failover-set', target: `cluster/${c.id}/node/${c.node['RS-1']}`, outcome: 'success' }, order: { time: 'ASC' } });
    assert.equal(audit.length, 2);
    assert.deepEqual(audit[1]?.details?.changed, ['secondaryGroupId', 'hotStandbyNodeId', 'standbySelection']);
  });

  test("a standby's camera capacity", async () => {
    const c = await poolCluster('Capacity');
    const set = await api().put(nodePath(c, 'FO-1', 'standby')).send({ cameraCapacity: 32 }).expect(200);
    assert.deepEqual([set.body.name, set.body.cameraCapacity], ['FO-1', 32]);
    assert.equal((await api().put(nodePath(c, 'FO-1', 'standby')).send({ cameraCapacity: 64 }).expect(200)).body.cameraCapacity, 64);
    await expectProblem(api().put(nodePath(c, 'RS-1', 'standby')).send({ cameraCapacity: 8 }), 409, 'pool-role-mismatch');
    await expectProblem(api().put(nodePath(c, 'FO-1', 'standby')).send({ cameraCapacity: 4097 }), 400, 'validation-failed');
    await expectProblem(api().put(nodePath(c, 'FO-1', 'standby')).send({ cameraCapacity: -1 }), 400, 'validation-failed');
    assert.equal((await repo(PoolStandbyEntity).findOneByOrFail({ nodeId: c.node['FO-1'] })).cameraCapacity, 64);
    const audit = await repo(AuditEntryEntity).find({ where: { action: 'node.standby-set', outcome: 'success', target: `cluster/${c.id}/node/${c.node['FO-1']}` }, order: { time: 'ASC' } });
    assert.deepEqual(audit.map((a) => a.details), [{ from: null, to: 32 }, { from: 32, to: 64 }]);
  });

  test('per-camera failover levels: the reported cameras, full by default, set and cleared, and stored ones no longer reported', async () => {
    const c = await poolCluster('Levels');
    const secret = `s3cret-levels-${randomUUID()}`;
    await api().put(`/api/v1/clusters/${c.id}/agent-secret`).send({ secret }).expect(200);
    const before = (await api().get(nodePath(c, 'RS-1', 'camera-levels')).expect(200)).body;
    assert.deepEqual(before, { nodeId: c.node['RS-1'], reportedAt: null, cameras: [] });

    const cameras = [cameraStatus(camera(1), { name: 'Gate' }), cameraStatus(camera(2), { name: 'Door' })];
    const report = await postAsAgent(suite.controller, secret, 'report', { clusterId: c.id, nodeId: c.node['RS-1'], status: nodeStatus('Levels', 'RS-1', 'none', { cameras }), events: [], witnessWindowMs: 3_000 });
    assert.equal(report.status, 200, JSON.stringify(report.body));
    const reported = (await api().get(nodePath(c, 'RS-1', 'camera-levels')).expect(200)).body;
    assert.ok(reported.reportedAt !== null);
    assert.deepEqual(reported.cameras, [
      { deviceId: camera(2), name: 'Door', level: 'full', reported: true },
      { deviceId: camera(1), name: 'Gate', level: 'full', reported: true },
    ]);

    const set = await api().put(nodePath(c, 'RS-1', 'camera-levels')).send({ cameras: [{ deviceId: camera(1), level: 'none' }, { deviceId: camera(2), level: 'live-only' }, { deviceId: camera(9), level: 'live-only' }] }).expect(200);
    assert.deepEqual(set.body.cameras.map((x: { deviceId: string; level: string; reported: boolean }) => [x.deviceId, x.level, x.reported]), [
      [camera(2), 'live-only', true],
      [camera(1), 'none', true],
      [camera(9), 'live-only', false],
    ]);
    // full, the default, clears a stored level.
    await api().put(nodePath(c, 'RS-1', 'camera-levels')).send({ cameras: [{ deviceId: camera(9), level: 'full' }] }).expect(200);
    assert.deepEqual((await repo(PoolCameraLevelEntity).find({ where: { nodeId: c.node['RS-1'] }, order: { deviceId: 'ASC' } })).map((r) => [r.deviceId, r.level]), [[camera(1), 'none'], [camera(2), 'live-only']]);

    await expectProblem(api().put(nodePath(c, 'RS-1', 'camera-levels')).send({ cameras: [{ deviceId: camera(1), level: 'none' }, { deviceId: camera(1), level: 'full' }] }), 400, 'validation-failed');
    await expectProblem(api().put(nodePath(c, 'RS-1', 'camera-levels')).send({ cameras: [{ deviceId: camera(1).toUpperCase(), level: 'none' }] }), 400, 'validation-failed');
    await expectProblem(api().put(nodePath(c, 'RS-1', 'camera-levels')).send({ cameras: [{ deviceId: camera(1), level: 'half' }] }), 400, 'validation-failed');
    await expectProblem(api().put(nodePath(c, 'RS-1', 'camera-levels')).send({ cameras: [] }), 400, 'validation-failed');
    await expectProblem(api().put(nodePath(c, 'FO-1', 'camera-levels')).send({ cameras: [{ deviceId: camera(1), level: 'none' }] }), 409, 'pool-role-mismatch');
    await expectProblem(api().get(nodePath(c, 'FO-1', 'camera-levels')), 409, 'pool-role-mismatch');
    const audit = await repo(AuditEntryEntity).find({ where: { action: 'node.camera-levels-set', outcome: 'success' }, order: { time: 'ASC' } });
    assert.deepEqual(audit.map((a) => a.details), [{ changed: 3, full: 0, liveOnly: 2, none: 1 }, { changed: 1, full: 1, liveOnly: 0, none: 0 }]);
  });

  test('while failed over a change needs confirm: true, and the pool shows who serves the server', async () => {
    const c = await poolCluster('FailedOver');
    const hall = (await api().post(groups(c)).send({ name: 'Hall' }).expect(201)).body.id as string;
    // The supervisor's doing (api/src/domain/pool-supervisor*.ts): RS-1 failed, FO-2 serves it under epoch 2.
    const failedAt = new Date('2026-11-22T10:00:00.000Z');
    await repo(StandbyLeaseEntity).insert({ standbyNodeId: c.node['FO-2'] as string, clusterId: c.id, protectedNodeId: c.node['RS-1'] as string, epoch: 2, state: 'serving', version: 3, updatedAt: new Date() });
    await repo(PoolServerStateEntity).insert({ nodeId: c.node['RS-1'] as string, clusterId: c.id, state: JSON.stringify({ kind: 'failed', trigger: 'disconnected', sinceMs: failedAt.getTime() }), updatedAt: new Date() });
    await repo(PoolServerStateEntity).insert({ nodeId: c.node['RS-2'] as string, clusterId: c.id, state: JSON.stringify({ kind: 'failed', trigger: 'service-down', sinceMs: failedAt.getTime() }), updatedAt: new Date() });
    await repo(PoolRecorderConfigEntity).insert({ nodeId: c.node['RS-1'] as string, clusterId: c.id, recorderId: randomUUID(), xml: Buffer.from('<recorderconfig/>').toString('base64'), sha256: 'cd'.repeat(32), receivedAt: failedAt });

    const pool = (await api().get(`/api/v1/clusters/${c.id}/pool`).expect(200)).body;
    const [rs1, rs2] = pool.protectedServers;
    assert.deepEqual(rs1.failover, { state: 'failed-over', trigger: 'disconnected', since: failedAt.toISOString(), standby: { nodeId: c.node['FO-2'], nodeName: 'FO-2' }, sync: null });
    assert.deepEqual(rs1.recorderConfig, { sha256: 'cd'.repeat(32), receivedAt: failedAt.toISOString() });
    assert.equal(JSON.stringify(pool).includes(Buffer.from('<recorderconfig/>').toString('base64')), false, 'never the file');
    assert.deepEqual([rs2.failover.state, rs2.failover.standby], ['waiting', null]);
    const fo2 = pool.standbys.find((s: { name: string }) => s.name === 'FO-2');
    assert.deepEqual([fo2.lease, fo2.serving], [{ state: 'serving', epoch: 2 }, { nodeId: c.node['RS-1'], nodeName: 'RS-1' }]);
    // The pool's failover made manual: a failed server without a standby waits for an operator.
    await api().patch(`/api/v1/clusters/${c.id}/policy`).send({ pool: { failover: 'manual' } }).expect(200);
    assert.equal((await api().get(`/api/v1/clusters/${c.id}/pool`).expect(200)).body.protectedServers[1].failover.state, 'failover-needed');

    const refused = await expectProblem(api().put(nodePath(c, 'RS-1', 'failover')).send(failoverBody({ primaryGroupId: hall })), 409, 'pool-failed-over-confirm');
    assert.deepEqual([refused.standby, refused.leaseState], [{ nodeId: c.node['FO-2'], nodeName: 'FO-2' }, 'serving']);
    assert.match(refused.detail, /FO-2 serves it\. The change applies at its next failover/);
    assert.equal((await repo(PoolServerEntity).findOneBy({ nodeId: c.node['RS-1'] })), null, 'nothing stored');
    // A change that changes nothing needs no confirmation.
    await api().put(nodePath(c, 'RS-1', 'failover')).send(failoverBody({})).expect(200);
    const confirmed = await api().put(nodePath(c, 'RS-1', 'failover')).send(failoverBody({ primaryGroupId: hall, confirm: true })).expect(200);
    assert.equal(confirmed.body.settings.primaryGroupId, hall);
    const audit = await repo(AuditEntryEntity).findOneByOrFail({ action: 'node.failover-set', outcome: 'success', target: `cluster/${c.id}/node/${c.node['RS-1']}` });
    assert.deepEqual([audit.details?.confirmedWhileFailedOver, audit.details?.standbyNodeId], [true, c.node['FO-2']]);

    const levels = { cameras: [{ deviceId: camera(1), level: 'none' }] };
    await expectProblem(api().put(nodePath(c, 'RS-1', 'camera-levels')).send(levels), 409, 'pool-failed-over-confirm');
    await api().put(nodePath(c, 'RS-1', 'camera-levels')).send({ ...levels, confirm: true }).expect(200);
    // Syncing back still holds it; a free lease does not.
    await repo(StandbyLeaseEntity).update({ standbyNodeId: c.node['FO-2'] as string }, { state: 'syncing-back' });
    assert.equal((await api().get(`/api/v1/clusters/${c.id}/pool`).expect(200)).body.protectedServers[0].failover.state, 'failback-sync');
    await expectProblem(api().put(nodePath(c, 'RS-1', 'camera-levels')).send({ cameras: [{ deviceId: camera(1), level: 'live-only' }] }), 409, 'pool-failed-over-confirm');
    await repo(StandbyLeaseEntity).update({ standbyNodeId: c.node['FO-2'] as string }, { state: 'free', protectedNodeId: null });
    await api().put(nodePath(c, 'RS-1', 'camera-levels')).send({ cameras: [{ deviceId: camera(1), level: 'live-only' }] }).expect(200);
  });

  test('a viewer reads the pool and the camera levels and changes nothing; an operator neither', async () => {
    const c = await poolCluster('Roles');
    for (const role of ['viewer', 'operator'] as const) {
      const token = (await api().post('/api/v1/tokens').send({ name: `${role}-${randomUUID().slice(0, 6)}`, role }).expect(201)).body.token as string;
      const as = (req: ReturnType<ReturnType<typeof api>['get']>) => req.set('authorization', `Bearer ${token}`);
      await as(api().get(`/api/v1/clusters/${c.id}/pool`)).expect(200);
      await as(api().get(nodePath(c, 'RS-1', 'camera-levels'))).expect(200);
      assert.equal((await as(api().post(groups(c)).send({ name: 'G' })).expect(403)).body.type, problemType('forbidden'));
      await as(api().put(nodePath(c, 'FO-1', 'standby')).send({ cameraCapacity: 4 })).expect(403);
      await as(api().put(nodePath(c, 'RS-1', 'failover')).send(failoverBody({}))).expect(403);
      await as(api().put(nodePath(c, 'RS-1', 'camera-levels')).send({ cameras: [{ deviceId: camera(1), level: 'none' }] })).expect(403);
    }
    assert.equal(await repo(FailoverGroupEntity).countBy({ clusterId: c.id }), 0);
  });

  test('deleting a standby takes it out of its group and its hot-standby place; deleting a server or the cluster deletes its pool rows', async () => {
    const c = await poolCluster('Deleted');
    const hall = (await api().post(groups(c)).send({ name: 'Hall' }).expect(201)).body.id as string;
    await api().put(`${groups(c)}/${hall}/standbys`).send({ standbyNodeIds: [c.node['FO-1'], c.node['FO-2']] }).expect(200);
    await api().put(nodePath(c, 'RS-1', 'failover')).send(failoverBody({ primaryGroupId: hall, hotStandbyNodeId: c.node.HOT })).expect(200);
    await api().put(nodePath(c, 'RS-2', 'failover')).send(failoverBody({ primaryGroupId: hall })).expect(200);
    await api().put(nodePath(c, 'FO-1', 'standby')).send({ cameraCapacity: 16 }).expect(200);
    await api().put(nodePath(c, 'RS-2', 'camera-levels')).send({ cameras: [{ deviceId: camera(1), level: 'none' }] }).expect(200);
    // Saved (an upsert): the controller's supervisor sweeps this pool every second and may have stored the row already.
    await repo(PoolServerStateEntity).save({ nodeId: c.node['RS-2'] as string, clusterId: c.id, state: JSON.stringify({ kind: 'protected' }), updatedAt: new Date() });

    await api().delete(`/api/v1/clusters/${c.id}/nodes/${c.node['FO-1']}`).expect(204);
    await api().delete(`/api/v1/clusters/${c.id}/nodes/${c.node.HOT}`).expect(204);
    const group = (await api().get(`${groups(c)}/${hall}`).expect(200)).body;
    assert.deepEqual([group.standbys.map((s: { nodeName: string }) => s.nodeName), group.version], [['FO-2'], 3]);
    assert.equal((await repo(PoolServerEntity).findOneByOrFail({ nodeId: c.node['RS-1'] })).hotStandbyNodeId, null);
    assert.equal(await repo(PoolStandbyEntity).countBy({ nodeId: c.node['FO-1'] }), 0);
    assert.equal(await repo(FailoverGroupMemberEntity).countBy({ standbyNodeId: c.node['FO-1'] }), 0);

    await api().delete(`/api/v1/clusters/${c.id}/nodes/${c.node['RS-2']}`).expect(204);
    assert.equal(await repo(PoolServerEntity).countBy({ nodeId: c.node['RS-2'] }), 0);
    assert.equal(await repo(PoolCameraLevelEntity).countBy({ nodeId: c.node['RS-2'] }), 0);
    assert.equal(await repo(PoolServerStateEntity).countBy({ nodeId: c.node['RS-2'] }), 0);

    await api().put(nodePath(c, 'RS-1', 'camera-levels')).send({ cameras: [{ deviceId: camera(2), level: 'live-only' }] }).expect(200);
    await repo(PoolRecorderConfigEntity).insert({ nodeId: c.node['RS-1'] as string, clusterId: c.id, recorderId: randomUUID(), xml: 'PA==', sha256: 'ef'.repeat(32), receivedAt: new Date() });
    await api().delete(`/api/v1/clusters/${c.id}`).expect(204);
    assert.equal(await repo(FailoverGroupEntity).countBy({ clusterId: c.id }), 0);
    assert.equal(await repo(FailoverGroupMemberEntity).countBy({ groupId: hall }), 0);
    assert.equal(await repo(PoolServerEntity).countBy({ clusterId: c.id }), 0);
    assert.equal(await repo(PoolStandbyEntity).countBy({ clusterId: c.id }), 0);
    assert.equal(await repo(PoolCameraLevelEntity).countBy({ nodeId: c.node['RS-1'] }), 0);
    assert.equal(await repo(PoolRecorderConfigEntity).countBy({ clusterId: c.id }), 0);
  });
});
