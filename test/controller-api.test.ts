// The REST API for clusters and nodes, end to end over HTTP against a real database:
// SQLite always, PostgreSQL too when TWINREC_TEST_PG_URL is set. Every response is
// validated against the OpenAPI document by the controller itself (validateResponses).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onEachBackend } from './helpers/controller.js';

const recorderId = '0f0e5d4c-3b2a-4190-8877-665544332211';
const missingId = '7d1d2a0e-2b0b-4a4b-9c55-2f1f0e0d0c0b';

const pair = (name: string) => ({
  name,
  mode: 'cloning',
  sharedAddress: `${name.toLowerCase()}-rs.example:7563`,
  nodes: [
    { name: `${name}-A`, role: 'primary', hostName: `${name.toLowerCase()}-a.example`, addresses: ['10.0.0.1'], recorderId },
    { name: `${name}-B`, role: 'secondary', hostName: `${name.toLowerCase()}-b.example`, addresses: ['10.0.0.2'], recorderId },
  ],
});

const problemType = (slug: string) => `urn:twinrec:problem:${slug}`;

onEachBackend('REST API', (suite) => {
  const { backend, api } = suite;

  /** Every bad request must leave the clusters exactly as they were. */
  async function unchanged(action: () => Promise<unknown>): Promise<void> {
    const before = (await api().get('/api/v1/clusters?limit=500').expect(200)).body;
    await action();
    const after = (await api().get('/api/v1/clusters?limit=500').expect(200)).body;
    assert.deepEqual(after, before);
  }

  test('readyz, healthz and the OpenAPI document answer', async () => {
    const ready = await api().get('/readyz').expect(200);
    assert.equal(ready.body.status, 'ready');
    assert.equal(ready.body.database.dialect, backend.name);
    assert.equal(ready.body.database.migrationsPending, 0);
    assert.equal((await api().get('/healthz').expect(200)).body.status, 'ok');
    const doc = await api().get('/api/v1/openapi.json').expect(200);
    assert.equal(doc.body.openapi, '3.1.0');
    assert.ok(doc.body.paths['/api/v1/clusters/{clusterId}/nodes/{nodeId}']);
  });

  test('a cloned pair is created with its two nodes, then read, listed, updated and deleted', async () => {
    const created = await api().post('/api/v1/clusters').send(pair('HQ')).expect(201);
    const cluster = created.body;
    assert.equal(created.headers.location, `/api/v1/clusters/${cluster.id}`);
    assert.equal(created.headers.etag, '"v1"');
    assert.equal(cluster.mode, 'cloning');
    assert.equal(cluster.failbackPolicy, 'automatic');
    assert.equal(cluster.failbackHoldDownSeconds, 300);
    assert.deepEqual(cluster.nodes.map((n: { name: string; role: string }) => [n.name, n.role]), [['HQ-A', 'primary'], ['HQ-B', 'secondary']]);

    const got = await api().get(`/api/v1/clusters/${cluster.id}`).expect(200);
    assert.deepEqual(got.body, cluster);

    const listed = await api().get('/api/v1/clusters?q=hq').expect(200);
    assert.equal(listed.body.total, 1);
    assert.equal(listed.body.items[0].id, cluster.id);

    const primary = cluster.nodes[0];
    const patched = await api().patch(`/api/v1/clusters/${cluster.id}`).set('If-Match', '"v1"').send({ preferredNodeId: primary.id, failbackPolicy: 'manual' }).expect(200);
    assert.equal(patched.body.preferredNodeId, primary.id);
    assert.equal(patched.body.failbackPolicy, 'manual');
    assert.equal(patched.headers.etag, '"v2"');

    await api().patch(`/api/v1/clusters/${cluster.id}`).set('If-Match', '"v1"').send({ description: 'stale' }).expect(412);
    await api().delete(`/api/v1/clusters/${cluster.id}`).expect(204);
    await api().get(`/api/v1/clusters/${cluster.id}`).expect(404);
    await api().get(`/api/v1/clusters/${cluster.id}/nodes/${primary.id}`).expect(404);
  });

  test('nodes are added, changed and removed one by one; removing the preferred node clears it', async () => {
    const cluster = (await api().post('/api/v1/clusters').send({ name: 'Pool-1', mode: 'pool', sharedAddress: 'pool-1.example' }).expect(201)).body;
    const a = (await api().post(`/api/v1/clusters/${cluster.id}/nodes`).send({ name: 'rs-1', role: 'primary', hostName: 'rs-1' }).expect(201)).body;
    const b = (await api().post(`/api/v1/clusters/${cluster.id}/nodes`).send({ name: 'fo-1', role: 'failover', hostName: 'fo-1' }).expect(201)).body;
    assert.equal((await api().get(`/api/v1/clusters/${cluster.id}/nodes`).expect(200)).body.items.length, 2);

    const changed = await api().patch(`/api/v1/clusters/${cluster.id}/nodes/${b.id}`).send({ addresses: ['192.0.2.7'] }).expect(200);
    assert.deepEqual(changed.body.addresses, ['192.0.2.7']);
    assert.equal(changed.body.version, 2);

    await api().patch(`/api/v1/clusters/${cluster.id}`).send({ preferredNodeId: a.id }).expect(200);
    await api().delete(`/api/v1/clusters/${cluster.id}/nodes/${a.id}`).set('If-Match', '"v1"').expect(204);
    const after = (await api().get(`/api/v1/clusters/${cluster.id}`).expect(200)).body;
    assert.equal(after.preferredNodeId, null);
    assert.deepEqual(after.nodes.map((n: { id: string }) => n.id), [b.id]);
  });

  test('unknown, mistyped or missing fields get 400 validation-failed and change nothing', async () => {
    await unchanged(async () => {
      const bodies = [
        { ...pair('X1'), colour: 'red' },
        { ...pair('X2'), mode: 'active-active' },
        { ...pair('X3'), failbackHoldDownSeconds: 'soon' },
        { name: 'X4', mode: 'cloning' },
        { ...pair('X5'), nodes: [{ name: 'n', role: 'primary', hostName: 'n', recorderId: 'not-a-guid' }] },
        { ...pair('X6'), nodes: [{ name: 'n', role: 'primary', hostName: 'bad host!' }] },
        [],
      ];
      for (const body of bodies) {
        const res = await api().post('/api/v1/clusters').send(body).expect(400);
        assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
        assert.equal(res.body.type, problemType('validation-failed'));
        assert.ok(res.body.errors.length > 0);
      }
    });
  });

  test('a PATCH with unknown fields, an empty body or a changed mode is refused', async () => {
    const cluster = (await api().post('/api/v1/clusters').send(pair('Patchy')).expect(201)).body;
    await unchanged(async () => {
      for (const body of [{}, { mode: 'pool' }, { name: 42 }, { nodes: [] }]) {
        const res = await api().patch(`/api/v1/clusters/${cluster.id}`).send(body).expect(400);
        assert.equal(res.body.type, problemType('validation-failed'));
      }
    });
  });

  test('malformed JSON, a non-JSON body and a body over 1 MB are refused', async () => {
    await unchanged(async () => {
      const malformed = await api().post('/api/v1/clusters').set('Content-Type', 'application/json').send('{"name": "HQ",').expect(400);
      assert.equal(malformed.body.type, problemType('malformed-json'));
      const text = await api().post('/api/v1/clusters').set('Content-Type', 'text/plain').send('name=HQ').expect(415);
      assert.equal(text.body.type, problemType('unsupported-media-type'));
      const big = await api().post('/api/v1/clusters').send({ ...pair('Big'), description: 'x'.repeat(1024 * 1024 + 1) }).expect(413);
      assert.equal(big.body.type, problemType('body-too-large'));
    });
  });

  test('a duplicate cluster name is a 409 and changes nothing', async () => {
    await api().post('/api/v1/clusters').send(pair('Dup')).expect(201);
    await unchanged(async () => {
      const res = await api().post('/api/v1/clusters').send({ ...pair('Dup'), mode: 'pool', nodes: [] }).expect(409);
      assert.equal(res.body.type, problemType('cluster-name-taken'));
    });
    const other = (await api().post('/api/v1/clusters').send(pair('Dup2')).expect(201)).body;
    await unchanged(async () => {
      const res = await api().patch(`/api/v1/clusters/${other.id}`).send({ name: 'Dup' }).expect(409);
      assert.equal(res.body.type, problemType('cluster-name-taken'));
    });
  });

  test('concurrent creates of one name leave exactly one cluster', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => api().post('/api/v1/clusters').send(pair('Race'))));
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409]);
    assert.equal((await api().get('/api/v1/clusters?q=race').expect(200)).body.total, 1);
  });

  test('a node in a cluster that does not exist gets 404 and nothing is written', async () => {
    await unchanged(async () => {
      const res = await api().post(`/api/v1/clusters/${missingId}/nodes`).send({ name: 'orphan', role: 'primary', hostName: 'orphan' }).expect(404);
      assert.equal(res.body.type, problemType('not-found'));
    });
    await api().get(`/api/v1/clusters/${missingId}`).expect(404);
    await api().get(`/api/v1/clusters/${missingId}/nodes`).expect(404);
    await api().delete(`/api/v1/clusters/${missingId}`).expect(404);
    const unknownPath = await api().get('/api/v1/no-such-thing').expect(404);
    assert.equal(unknownPath.body.type, problemType('not-found'));
    const badId = await api().get('/api/v1/clusters/not-a-uuid').expect(400);
    assert.equal(badId.body.type, problemType('validation-failed'));
  });

  test('node rules: a second primary, a failover node in a pair, and a foreign recorder id are refused', async () => {
    const cluster = (await api().post('/api/v1/clusters').send(pair('Rules')).expect(201)).body;
    await unchanged(async () => {
      const second = await api().post(`/api/v1/clusters/${cluster.id}/nodes`).send({ name: 'Rules-C', role: 'primary', hostName: 'c' }).expect(409);
      assert.equal(second.body.type, problemType('role-conflict'));
      const failover = await api().post(`/api/v1/clusters/${cluster.id}/nodes`).send({ name: 'Rules-F', role: 'failover', hostName: 'f' }).expect(409);
      assert.equal(failover.body.type, problemType('role-conflict'));
      const b = cluster.nodes[1];
      const foreign = await api().patch(`/api/v1/clusters/${cluster.id}/nodes/${b.id}`).send({ recorderId: missingId }).expect(409);
      assert.equal(foreign.body.type, problemType('recorder-identity-mismatch'));
      const renamed = await api().patch(`/api/v1/clusters/${cluster.id}/nodes/${b.id}`).send({ name: 'Rules-A' }).expect(409);
      assert.equal(renamed.body.type, problemType('node-name-taken'));
      const stranger = await api().patch(`/api/v1/clusters/${cluster.id}`).send({ preferredNodeId: missingId }).expect(409);
      assert.equal(stranger.body.type, problemType('preferred-node-invalid'));
    });
    const mixed = await api().post('/api/v1/clusters').send({ ...pair('Mixed'), nodes: [pair('Mixed').nodes[0], { ...pair('Mixed').nodes[1], recorderId: missingId }] }).expect(409);
    assert.equal(mixed.body.type, problemType('recorder-identity-mismatch'));
    await api().get('/api/v1/clusters?q=mixed').expect(200).then((r) => assert.equal(r.body.total, 0));
  });

  test('pagination is bounded and ordered by name', async () => {
    const page = await api().get('/api/v1/clusters?limit=2&offset=0').expect(200);
    assert.equal(page.body.items.length, 2);
    assert.ok(page.body.total >= 2);
    const names = page.body.items.map((c: { name: string }) => c.name);
    assert.deepEqual([...names].sort(), names);
    await api().get('/api/v1/clusters?limit=501').expect(400);
    await api().get('/api/v1/clusters?colour=red').expect(400);
  });

  test('/metrics counts requests by route and reports the database as up', async () => {
    const text = (await api().get('/metrics').expect(200)).text;
    assert.match(text, /twinrec_http_requests_total\{method="POST",route="\/api\/v1\/clusters",status="201"\} \d+/);
    assert.match(text, /twinrec_http_request_duration_seconds_bucket\{le="0.1",method="GET"/);
    assert.match(text, /^twinrec_db_up 1$/m);
    assert.match(text, /^twinrec_db_migrations_pending 0$/m);
  });
});
