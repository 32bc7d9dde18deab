// A failover pool takes no pair commands: its standbys act on the controller's leases, and its
// agents have no switch or maintenance route. The controller refuses both with `cluster-is-pool`
// (validated against the OpenAPI document), audits the refusal, and a cloned pair still gets them
// relayed (here: refused for want of a serving node, which shows the request got past the check).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onEachBackend } from './helpers/controller.js';

const problemType = (slug: string) => `urn:twinrec:problem:${slug}`;

onEachBackend('pair commands on a pool', (suite) => {
  const { api } = suite;

  test('switch and maintenance on a pool are refused with cluster-is-pool; a pair is not refused for being a pool', async () => {
    const pool = (
      await api()
        .post('/api/v1/clusters')
        .send({ name: 'Pool-Cmd', mode: 'pool', sharedAddress: 'pool-cmd.example:7563', nodes: [{ name: 'RS-1', role: 'primary', hostName: 'rs-1.example' }, { name: 'FO-1', role: 'failover', hostName: 'fo-1.example' }] })
        .expect(201)
    ).body as { id: string };
    const switched = await api().post(`/api/v1/clusters/${pool.id}/switch`).send({ reason: 'test' });
    assert.deepEqual([switched.status, switched.body.type], [409, problemType('cluster-is-pool')], JSON.stringify(switched.body));
    assert.match(switched.body.detail, /failover\/start/);
    const maintenance = await api().post(`/api/v1/clusters/${pool.id}/maintenance`).send({ on: true });
    assert.deepEqual([maintenance.status, maintenance.body.type], [409, problemType('cluster-is-pool')], JSON.stringify(maintenance.body));
    const audit = (await api().get('/api/v1/audit').query({ action: 'cluster.*' }).expect(200)).body.items as { action: string; target: string; outcome: string }[];
    const refused = audit.filter((a) => a.target.includes(pool.id)).map((a) => [a.action, a.outcome]);
    assert.ok(refused.some(([action, outcome]) => action === 'cluster.switch' && outcome !== 'success'), JSON.stringify(refused));

    const pair = (await api().post('/api/v1/clusters').send({ name: 'Pair-Cmd', mode: 'cloning', sharedAddress: 'pair-cmd.example:7563' }).expect(201)).body as { id: string };
    const pairSwitch = await api().post(`/api/v1/clusters/${pair.id}/switch`).send({});
    assert.equal(pairSwitch.status, 409);
    assert.notEqual(pairSwitch.body.type, problemType('cluster-is-pool'));
    const pairMaintenance = await api().post(`/api/v1/clusters/${pair.id}/maintenance`).send({ on: true });
    assert.notEqual(pairMaintenance.body.type, problemType('cluster-is-pool'));
  });
});
