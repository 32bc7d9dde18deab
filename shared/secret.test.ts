import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { bearerToken, requireBearerSecret, secretsEqual } from './secret.js';

describe('secretsEqual', () => {
  it('is true only for identical, non-empty secrets, whatever their lengths', () => {
    assert.equal(secretsEqual('abc', 'abc'), true);
    assert.equal(secretsEqual('abc', 'abcd'), false);
    assert.equal(secretsEqual('abcd', 'abc'), false);
    assert.equal(secretsEqual('', 'x'), false);
    assert.equal(secretsEqual('x', ''), false);
  });

  it('never accepts an empty expected secret (one not configured)', () => {
    assert.equal(secretsEqual('', ''), false);
  });
});

describe('bearerToken', () => {
  it('takes the token of a well-formed Bearer header only', () => {
    assert.equal(bearerToken('Bearer s3cret'), 's3cret');
    assert.equal(bearerToken(undefined), null);
    assert.equal(bearerToken('Basic czNjcmV0'), null);
    assert.equal(bearerToken('Bearer '), null);
    assert.equal(bearerToken('Bearer two words'), null);
    assert.equal(bearerToken(`Bearer ${'a'.repeat(513)}`), null);
  });
});

describe('requireBearerSecret', () => {
  let server: Server;
  let url: string;
  before(async () => {
    const guard = requireBearerSecret('cluster-secret', 'twinrec-test');
    server = createServer((req, res) => guard(req, res, () => res.end('passed')));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('passes the cluster secret', async () => {
    const res = await fetch(url, { headers: { authorization: 'Bearer cluster-secret' } });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'passed');
  });

  it('answers anything else with a 401 problem naming the realm', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 'cluster-secret' }] as Record<string, string>[]) {
      const res = await fetch(url, { headers });
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="twinrec-test"');
      const body = (await res.json()) as { type: string; status: number };
      assert.equal(body.type, 'urn:twinrec:problem:unauthorized');
      assert.equal(body.status, 401);
    }
  });
});
