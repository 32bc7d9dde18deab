// Replacement of a failed-over protected server by another free standby (issue 17 §7), against a
// real controller and database (SQLite always, PostgreSQL too when TWINREC_TEST_PG_URL is set):
// a pool made over REST (RS-1 and RS-2 protected, FO-1 in RS-1's group, FO-2 free, FO-3 RS-2's
// hot standby), the standbys reporting over the agent link, the protected servers silent, the
// failover manual. RS-1 is failed over to FO-1 by command; then the replace command refuses what
// cannot replace it (no confirm, not a standby, a hot standby, a standby not reporting free) and
// replaces it with FO-2: in one transaction FO-1's lease serves FO-2 (same epoch), FO-2 leaves the
// standbys and becomes the protected server with RS-1's settings, RecorderConfig.xml and
// recorder id, RS-1 is gone, the replacement is audited and the supervisor's state for FO-2 asks
// for its role switch. The agents' side (the switch, the failback sync) is the lab test's,
// test/pool-replace-lab.test.ts.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AuditEntryEntity, NodeEntity, PoolRecorderConfigEntity, PoolServerEntity, PoolServerStateEntity, PoolStandbyEntity, StandbyLeaseEntity, type StandbyLeaseRow } from '../api/src/db/entities/index.js';
import { parseSupervisorState } from '../api/src/domain/pool-supervisor.js';
import { nodeStatus, postAsAgent, type NodeStatusOverrides } from './helpers/agent-reports.js';
import { onEachBackend } from './helpers/controller.js';
import { waitFor } from '../lab/testing/harness.js';

const problemType = (slug: string) => `urn:twinrec:problem:${slug}`;
const timers: NodeJS.Timeout[] = [];
after(() => {
  for (const t of timers) clearInterval(t);
});

onEachBackend('pool replacement', (suite) => {
  const { api } = suite;
  const repo = <T extends object>(entity: Parameters<typeof suite.controller.db.dataSource.getRepository<T>>[0]) => suite.controller.db.dataSource.getRepository<T>(entity);

  test('replace by another free standby: refusals, then one transaction moves the identity and the serving lease to it', { timeout: 120_000 }, async () => {
    const created = (await api()
      .post('/api/v1/clusters')
      .send({ name: 'Rep', mode: 'pool', sharedAddress: 'rep.example:7563', nodes: [...['RS-1', 'RS-2'].map((n) => ({ name: n, role: 'primary', hostName: `${n.toLowerCase()}.example` })), ...['FO-1', 'FO-2', 'FO-3'].map((n) => ({ name: n, role: 'failover', hostName: `${n.toLowerCase()}.example` }))] })
      .expect(201)).body as { id: string; nodes: { id: string; name: string }[] };
    const clusterId = created.id;
    const id = (n: string): string => created.nodes.find((x) => x.name === n)?.id as string;
    const group = (await api().post(`/api/v1/clusters/${clusterId}/failover-groups`).send({ name: 'Hall' }).expect(201)).body.id as string;
    await api().put(`/api/v1/clusters/${clusterId}/failover-groups/${group}/standbys`).send({ standbyNodeIds: [id('FO-1')] }).expect(200);
    await api().put(`/api/v1/clusters/${clusterId}/nodes/${id('RS-1')}/failover`).send({ primaryGroupId: group, secondaryGroupId: null, hotStandbyNodeId: null, standbySelection: 'sequence' }).expect(200);
    await api().put(`/api/v1/clusters/${clusterId}/nodes/${id('RS-2')}/failover`).send({ primaryGroupId: null, secondaryGroupId: null, hotStandbyNodeId: id('FO-3'), standbySelection: 'sequence' }).expect(200);
    const recorderId = randomUUID();
    for (const [i, rs] of ['RS-1', 'RS-2'].entries()) {
      await repo(PoolServerEntity).update({ nodeId: id(rs) }, { sharedAddress: `127.0.0.1:${7620 + i}` });
      await repo(PoolRecorderConfigEntity).insert({ nodeId: id(rs), clusterId, recorderId: i === 0 ? recorderId : randomUUID(), xml: Buffer.from('<recorderconfig/>').toString('base64'), sha256: String(i + 1).repeat(64), receivedAt: new Date() });
    }
    await api().patch(`/api/v1/clusters/${clusterId}/policy`).send({ pool: { triggers: { disconnectedSeconds: 3, serviceDown: { enabled: true, seconds: 10 }, storage: { enabled: true, seconds: 30 } }, failover: 'manual', stopFailover: 'manual', failbackRecordings: 'sync' } }).expect((r) => assert.equal(r.status, 200, JSON.stringify(r.body)));
    const secret = `s3cret-rep-${randomUUID()}`;
    await api().put(`/api/v1/clusters/${clusterId}/agent-secret`).send({ secret }).expect(200);
    const pools: Record<string, NodeStatusOverrides['pool'] | undefined> = { 'FO-1': undefined, 'FO-3': undefined };
    const free = (): NodeStatusOverrides['pool'] => ({ state: 'free', protectedNodeId: null, epoch: 0, since: new Date().toISOString(), error: null });
    const report = async (n: string) => {
      const answer = await postAsAgent(suite.controller, secret, 'report', { clusterId, nodeId: id(n), status: nodeStatus('Rep', n, n, { pool: pools[n] ?? free() }), events: [], witnessWindowMs: 3_000 });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
    };
    // FO-1 and FO-3 report (FO-3 hot would not matter: it is refused as RS-2's hot standby); FO-2 not yet.
    for (const n of Object.keys(pools)) await report(n);
    timers.push(setInterval(() => void Promise.all(Object.keys(pools).map(report)).catch(() => {}), 500));

    // RS-1 silent: failed (manual), an operator fails it over to FO-1; FO-1 reports serving it.
    const failover = (rs: string, what: string) => `/api/v1/clusters/${clusterId}/nodes/${id(rs)}/failover/${what}`;
    const started = await waitFor('the manual failover of RS-1 taken', async () => {
      const answer = await api().post(failover('RS-1', 'start')).send({ standbyNodeId: id('FO-1') });
      return answer.status === 202 ? (answer.body as { epoch: number }) : undefined;
    }, 30_000, 500);
    pools['FO-1'] = { state: 'serving', protectedNodeId: id('RS-1'), epoch: started.epoch, since: new Date().toISOString(), error: null };
    const lease = (n: string) => repo<StandbyLeaseRow>(StandbyLeaseEntity).findOneBy({ standbyNodeId: id(n) });
    const serving = await waitFor('FO-1 serving RS-1', async () => {
      const l = await lease('FO-1');
      return l?.state === 'serving' ? l : undefined;
    }, 30_000, 250);

    // What cannot replace it is refused.
    const replace = (body: object) => api().post(failover('RS-1', 'replace')).send(body);
    assert.equal((await replace({ standbyNodeId: id('FO-2') })).status, 400, 'confirm: true is required');
    const notStandby = await replace({ confirm: true, standbyNodeId: id('RS-2') });
    assert.deepEqual([notStandby.status, notStandby.body.type], [409, problemType('pool-role-mismatch')]);
    const hot = await replace({ confirm: true, standbyNodeId: id('FO-3') });
    assert.deepEqual([hot.status, hot.body.reason], [409, 'standby-not-free'], JSON.stringify(hot.body));
    assert.match(hot.body.detail as string, /hot standby of RS-2/);
    const silent = await replace({ confirm: true, standbyNodeId: id('FO-2') });
    assert.deepEqual([silent.status, silent.body.reason], [409, 'standby-not-free'], 'FO-2 has not reported free');
    assert.equal((await lease('FO-1'))?.version, serving.version, 'refusals change nothing');

    // FO-2 reports free: it replaces RS-1.
    pools['FO-2'] = undefined;
    await report('FO-2');
    const done = await replace({ confirm: true, standbyNodeId: id('FO-2') });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.deepEqual(done.body, { protectedNodeId: id('RS-1'), standbyNodeId: id('FO-2'), lease: 'closed', epoch: serving.epoch });

    const moved = await lease('FO-1');
    assert.deepEqual([moved?.protectedNodeId, moved?.state, moved?.epoch], [id('FO-2'), 'serving', serving.epoch], "FO-1's lease serves FO-2 now, under the same epoch");
    assert.equal(await lease('FO-2'), null, "FO-2's lease is closed");
    assert.equal(await repo(PoolStandbyEntity).findOneBy({ nodeId: id('FO-2') }), null);
    const fo2 = await repo(NodeEntity).findOneByOrFail({ id: id('FO-2') });
    assert.deepEqual([fo2.role, fo2.recorderId], ['primary', recorderId], "FO-2 is the protected server, with RS-1's recorder id");
    assert.equal((await repo(PoolServerEntity).findOneByOrFail({ nodeId: id('FO-2') })).sharedAddress, '127.0.0.1:7620');
    assert.equal((await repo(PoolRecorderConfigEntity).findOneByOrFail({ nodeId: id('FO-2') })).sha256, '1'.repeat(64));
    assert.equal((await api().get(`/api/v1/clusters/${clusterId}/nodes/${id('RS-1')}`)).status, 404, 'RS-1 is gone');
    const st = parseSupervisorState((await repo(PoolServerStateEntity).findOneByOrFail({ nodeId: id('FO-2') })).state);
    assert.deepEqual([st.roleSwitch?.replacedNodeId, st.roleSwitch?.epoch, st.served?.standbyNodeId, st.health.kind], [id('RS-1'), serving.epoch, id('FO-1'), 'failed'], 'the supervisor asks for its role switch; FO-1 serves it meanwhile');
    const audit = await repo(AuditEntryEntity).find({ where: { action: 'pool.replace', target: `cluster/${clusterId}` } });
    const details = audit.filter((a) => a.outcome === 'success').map((a) => a.details as Record<string, unknown>);
    assert.deepEqual(details.map((d) => [d['replacedBy'], d['standbyNodeId'], d['via']]), [[id('FO-2'), id('FO-1'), 'another-standby']]);
    assert.equal(audit.filter((a) => a.outcome === 'failure').length, 3, 'each refusal audited as a failure (the 400 never reached the command)');

    // The pool view: FO-2 a protected server failed over to FO-1, which stays a standby.
    const view = (await api().get(`/api/v1/clusters/${clusterId}/pool`).expect(200)).body as { protectedServers: { nodeId: string; failover: { state: string } }[]; standbys: { nodeId: string; lease: { state: string } }[] };
    assert.deepEqual(view.protectedServers.map((s) => s.nodeId).sort(), [id('FO-2'), id('RS-2')].sort());
    assert.equal(view.protectedServers.find((s) => s.nodeId === id('FO-2'))?.failover.state, 'failed-over');
    assert.deepEqual(view.standbys.map((s) => [s.nodeId, s.lease.state]).sort(), [[id('FO-1'), 'serving'], [id('FO-3'), 'free']].sort());

    // RS-1's agent, its host still running, comes back: it registers RS-1 again as a protected
    // server with the shared address and recorder id FO-2 has now. Refused, naming FO-2, audited.
    const registerRs1 = (sharedAddress: string) => postAsAgent<{ type: string; detail: string; nodeName: string; nodeId: string }>(suite.controller, secret, 'register', {
      cluster: { name: 'Rep', sharedAddress: 'rep.example:7563' },
      node: { name: 'RS-1', peerName: 'RS-1', rank: 0, hostName: 'rs-1.example', agentUrl: 'http://127.0.0.1:9', recorderId, webServerUri: 'http://127.0.0.1:7563/' },
      agentVersion: '0.1.0',
      pool: { role: 'protected', sharedAddress },
    });
    const sameAddress = await registerRs1('127.0.0.1:7620');
    assert.deepEqual([sameAddress.status, sameAddress.body.type, sameAddress.body.nodeName, sameAddress.body.nodeId], [409, problemType('pool-shared-address-taken'), 'FO-2', id('FO-2')], JSON.stringify(sameAddress.body));
    assert.match(sameAddress.body.detail ?? '', /^FO-2 serves 127\.0\.0\.1:7620 in this pool: RS-1 cannot register with it/);
    const sameIdentity = await registerRs1('127.0.0.1:7629');
    assert.deepEqual([sameIdentity.status, sameIdentity.body.type, sameIdentity.body.nodeName], [409, problemType('pool-recorder-id-taken'), 'FO-2'], JSON.stringify(sameIdentity.body));
    assert.equal(await repo(NodeEntity).countBy({ clusterId, name: 'RS-1' }), 0, 'no node made for it');
    assert.equal((await repo(PoolServerEntity).findOneByOrFail({ nodeId: id('FO-2') })).sharedAddress, '127.0.0.1:7620', "FO-2's address untouched");
    const refusals = await repo(AuditEntryEntity).find({ where: { action: 'node.register', target: 'cluster/Rep/node/RS-1', outcome: 'failure' } });
    assert.deepEqual(refusals.map((a) => [(a.details as Record<string, unknown>)['type'], (a.details as Record<string, unknown>)['nodeName']]).sort(), [['pool-recorder-id-taken', 'FO-2'], ['pool-shared-address-taken', 'FO-2']]);
    // FO-2's own agent registers as the protected server with them (the replacement's switch): taken.
    const fo2Agent = await postAsAgent(suite.controller, secret, 'register', { cluster: { name: 'Rep', sharedAddress: 'rep.example:7563' }, node: { name: 'FO-2', peerName: 'FO-2', rank: 0, hostName: 'fo-2.example', agentUrl: 'http://127.0.0.1:9', recorderId, webServerUri: 'http://127.0.0.1:7563/' }, agentVersion: '0.1.0', pool: { role: 'protected', sharedAddress: '127.0.0.1:7620' } });
    assert.equal(fo2Agent.status, 200, JSON.stringify(fo2Agent.body));
  });
});
