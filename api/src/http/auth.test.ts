import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessOf, findRoute, routeTable, sameOrigin } from './auth.js';

describe('the route table from the OpenAPI document', () => {
  const document = {
    paths: {
      '/api/v1/clusters/{clusterId}': { get: { security: [{ sessionCookie: ['viewer'] }, { apiToken: ['viewer'] }] }, delete: { security: [{ sessionCookie: ['admin'] }, { apiToken: ['admin'] }] } },
      '/api/v1/clusters/{clusterId}/switch': { post: { security: [{ sessionCookie: ['operator'] }, { apiToken: ['operator'] }] } },
      '/api/v1/auth/session': { get: { security: [{ sessionCookie: ['viewer'] }] } },
      '/api/v1/auth/{thing}': { get: { security: [{ sessionCookie: ['admin'] }] } },
      '/api/v1/auth/login': { post: { security: [] } },
      '/api/v1/agent/report': { post: { security: [{ clusterSecret: [] }] } },
      '/api/v1/undocumented': { post: {} },
    },
  };
  const routes = routeTable(document);

  test('each method and path finds its operation; literal segments win over parameters', () => {
    assert.deepEqual(findRoute(routes, 'GET', '/api/v1/clusters/5f0c')?.access, { kind: 'role', role: 'viewer' });
    assert.deepEqual(findRoute(routes, 'HEAD', '/api/v1/clusters/5f0c')?.access, { kind: 'role', role: 'viewer' });
    assert.deepEqual(findRoute(routes, 'DELETE', '/api/v1/clusters/5f0c')?.access, { kind: 'role', role: 'admin' });
    assert.deepEqual(findRoute(routes, 'POST', '/api/v1/clusters/5f0c/switch')?.access, { kind: 'role', role: 'operator' });
    assert.deepEqual(findRoute(routes, 'GET', '/api/v1/auth/session')?.access, { kind: 'role', role: 'viewer' });
    assert.deepEqual(findRoute(routes, 'GET', '/api/v1/auth/other')?.access, { kind: 'role', role: 'admin' });
    assert.deepEqual(findRoute(routes, 'POST', '/api/v1/auth/login')?.access, { kind: 'public' });
    assert.deepEqual(findRoute(routes, 'POST', '/api/v1/agent/report')?.access, { kind: 'agent' });
    assert.deepEqual(findRoute(routes, 'POST', '/api/v1/undocumented')?.access, { kind: 'role', role: 'admin' }, 'no security: admin only');
  });

  test('unknown methods and paths find nothing (the validator answers them)', () => {
    assert.equal(findRoute(routes, 'PUT', '/api/v1/clusters/5f0c'), undefined);
    assert.equal(findRoute(routes, 'GET', '/api/v1/clusters/5f0c/extra'), undefined);
    assert.equal(findRoute(routes, 'GET', '/api/v1/clusters'), undefined);
    assert.equal(findRoute(routes, 'GET', '/'), undefined);
  });

  test('access: public, agent, the role in the scopes, admin when unsure', () => {
    assert.deepEqual(accessOf([{}]), { kind: 'public' });
    assert.deepEqual(accessOf([{ apiToken: [] }]), { kind: 'role', role: 'admin' });
  });
});

describe('sameOrigin', () => {
  test('no Origin, or one naming the request host with http or https, is this site', () => {
    assert.equal(sameOrigin(undefined, '127.0.0.1:8740'), true);
    assert.equal(sameOrigin('http://127.0.0.1:8740', '127.0.0.1:8740'), true);
    assert.equal(sameOrigin('https://Console.Example', 'console.example'), true);
  });

  test('another host or port, null, other schemes and garbage are not', () => {
    for (const origin of ['http://127.0.0.1:8741', 'https://evil.example', 'null', 'file://', 'chrome-extension://abc', '', 'http://127.0.0.1:8740.evil.example']) {
      assert.equal(sameOrigin(origin, '127.0.0.1:8740'), false, origin);
    }
    assert.equal(sameOrigin('http://127.0.0.1:8740', undefined), false);
  });
});
