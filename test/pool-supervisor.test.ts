// The pool supervisor against a real controller and database (SQLite always, PostgreSQL too when
// TWINREC_TEST_PG_URL is set): a pool made over REST (two protected servers, one standby in one
// failover group), the standby reporting free over the agent link, the protected servers
// silent. After disconnectedSeconds the supervisor gives the standby to one of them under an
// epoch ≥ 2, the other waits with an event that names it; the operator commands refuse what the
// leases do not allow; stop failover (discard) frees the standby and the waiting server gets it
// under a higher epoch. The standby has no agent here (no agentUrl): the orders are not sent; the
// lab test of the takeover itself is test/pool-standby.test.ts.
//
// The protected servers' RecorderConfig.xml and shared address are written through the entities:
// the agents' push (POST /api/v1/agent/recorder-config) and the protected agent's registration
// (helper H17A) are another test's subject.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AuditEntryEntity, EventEntity, PoolRecorderConfigEntity, PoolServerEntity, StandbyLeaseEntity, type EventRow, type StandbyLeaseRow } from '../api/src/db/entities/index.js';
import { nodeStatus, postAsAgent } from './helpers/agent-reports.js';
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
});
