// Concurrent changes over HTTP must not undo each other. On SQLite every caller shares one
// connection: a refused change that rolls back once took the writes of requests running at the
// same moment with it (a token answered 201 whose row was gone). SQLite always, PostgreSQL too
// when TWINREC_TEST_PG_URL is set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { onEachBackend } from './helpers/controller.js';

const problemType = (slug: string) => `urn:twinrec:problem:${slug}`;

onEachBackend('concurrent changes', (suite) => {
  const { api } = suite;

  test('refused user creations (409) alongside token creations: every token answered 201 works afterwards', async () => {
    const password = 'concurrency-password-2026';
    await api().post('/api/v1/users').send({ username: 'taken', password, role: 'viewer' }).expect(201);

    const rounds = 6;
    const tokens: string[] = [];
    const created: string[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const duplicates = Array.from({ length: 3 }, () => api().post('/api/v1/users').send({ username: 'taken', password, role: 'viewer' }));
      const fresh = api().post('/api/v1/users').send({ username: `fresh-${round}`, password, role: 'viewer' });
      const tokenCalls = Array.from({ length: 4 }, (_, i) => api().post('/api/v1/tokens').send({ name: `concurrent-${round}-${i}`, role: 'viewer' }));
      const [dupAnswers, freshAnswer, tokenAnswers] = await Promise.all([Promise.all(duplicates), fresh, Promise.all(tokenCalls)]);
      for (const res of dupAnswers) {
        assert.equal(res.status, 409, JSON.stringify(res.body));
        assert.equal(res.body.type, problemType('username-taken'));
      }
      assert.equal(freshAnswer.status, 201, JSON.stringify(freshAnswer.body));
      created.push(freshAnswer.body.id as string);
      for (const res of tokenAnswers) {
        assert.equal(res.status, 201, JSON.stringify(res.body));
        tokens.push(res.body.token as string);
      }
    }

    // Each token answered 201 must still exist: it authenticates, and it is listed.
    const rejected: number[] = [];
    for (const [i, token] of tokens.entries()) {
      const res = await request(suite.controller.url).get('/api/v1/clusters').set('authorization', `Bearer ${token}`);
      if (res.status !== 200) rejected.push(i);
    }
    assert.deepEqual(rejected, [], `${rejected.length} of ${tokens.length} tokens answered 201 no longer authenticate`);
    const listed = (await api().get('/api/v1/tokens').expect(200)).body.items as { name: string }[];
    assert.equal(listed.filter((t) => t.name.startsWith('concurrent-')).length, tokens.length);
    const users = (await api().get('/api/v1/users').expect(200)).body.items as { id: string; username: string }[];
    for (const id of created) assert.ok(users.some((u) => u.id === id), `user ${id} answered 201 is listed`);
    assert.equal(users.filter((u) => u.username === 'taken').length, 1);
  });
});
