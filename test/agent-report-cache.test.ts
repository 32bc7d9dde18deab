// Reports are authenticated from a cache of clusters, secrets and nodes (api/src/agent-link/
// agent-cluster-cache.ts), never from a stale one: a secret replaced, a node or a cluster
// deleted through the API counts from the very next report; a change the controller does not see
// (another controller's, here a raw SQL write beside TypeORM) counts within the cache's few
// seconds. Real controller, real HTTP, SQLite (and PostgreSQL when TWINREC_TEST_PG_URL is set);
// responses unvalidated, as in production, where the agent link is served ahead of the OpenAPI
// validator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentPair, eventually, postAsAgent, secretFor } from './helpers/agent-reports.js';
import { onEachBackend } from './helpers/controller.js';

const problemType = (slug: string) => `urn:twinrec:problem:${slug}`;

onEachBackend(
  'the agent link trusts no stale cluster, secret or node',
  (suite) => {
    const { api } = suite;

    test('a replaced secret is refused on the next report, and the new one taken at once', async () => {
      const pair = await agentPair(suite.controller, 'Cache-Secret');
      // Twice, so that the cluster is surely cached.
      await pair.report('a');
      await pair.report('b');
      const next = secretFor('Cache-Secret');
      await api().put(`/api/v1/clusters/${pair.clusterId}/agent-secret`).send({ secret: next, replace: true }).expect(200);
      const old = await pair.send('a');
      assert.equal(old.status, 401, JSON.stringify(old.body));
      assert.equal(old.body.type, problemType('unauthorized'));
      const fresh = await postAsAgent(suite.controller, next, 'report', pair.reportBody('a'));
      assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
      // And the old secret stays refused once the new one is cached.
      assert.equal((await pair.send('b')).status, 401);
    });

    test('a deleted node gets 404 on its next report; its peer still reports', async () => {
      const pair = await agentPair(suite.controller, 'Cache-Node');
      await pair.report('a');
      await pair.report('b');
      await api().delete(`/api/v1/clusters/${pair.clusterId}/nodes/${pair.b.id}`).expect(204);
      const gone = await pair.send('b');
      assert.equal(gone.status, 404, JSON.stringify(gone.body));
      assert.equal(gone.body.type, problemType('not-found'));
      await pair.report('a');
    });

    test('a deleted cluster gets 404 on the next report of either node', async () => {
      const pair = await agentPair(suite.controller, 'Cache-Cluster');
      await pair.report('a');
      await api().delete(`/api/v1/clusters/${pair.clusterId}`).expect(204);
      for (const which of ['a', 'b'] as const) {
        const answer = await pair.send(which);
        assert.equal(answer.status, 404, JSON.stringify(answer.body));
        assert.equal(answer.body.type, problemType('not-found'));
      }
    });

    test('a node deleted behind the controller\'s back (another controller on the database) is refused within seconds', async () => {
      const pair = await agentPair(suite.controller, 'Cache-Elsewhere');
      await pair.report('a');
      await pair.report('b');
      // Raw SQL: no TypeORM event, as when another controller deletes it.
      const source = suite.controller.db.dataSource;
      const table = source.getMetadata('node').tableName;
      const id = source.driver.escape('id');
      await source.query(`DELETE FROM ${source.driver.escape(table)} WHERE ${id} = ${suite.backend.name === 'postgres' ? '$1' : '?'}`, [pair.b.id]);
      let last = 0;
      await eventually(
        async () => {
          last = (await pair.send('b')).status;
        },
        async () => assert.equal(last, 404, 'the deleted node is refused once the cache lets go of it'),
        30_000,
      );
    });

    test('the agent link takes no query parameters, as the OpenAPI document says', async () => {
      const pair = await agentPair(suite.controller, 'Cache-Query');
      const res = await fetch(`${suite.controller.url}/api/v1/agent/report?debug=1`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${pair.secret}` }, body: JSON.stringify(pair.reportBody('a')), signal: AbortSignal.timeout(30_000) });
      const body = (await res.json()) as { type?: string; errors?: Array<{ path: string }> };
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(body.type, problemType('validation-failed'));
      assert.deepEqual(body.errors?.map((e) => e.path), ['/query/debug']);
    });
  },
  { flags: { 'http.validateResponses': false } },
);
