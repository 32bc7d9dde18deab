import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import cookieParser from 'cookie-parser';
import express from 'express';
import request from 'supertest';
import type { Identity } from '../auth/identity.js';
import type { SignInService } from '../auth/sign-in.js';
import type { AuditLog } from '../domain/audit-log.js';
import { accessOf, authMiddleware, crossSiteSender, findRoute, isApiPath, methodsOf, normalisedPath, reachesApi, requireCaller, routeTable, sameOrigin } from './auth.js';

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

  test('paths match in any case, as Express routes them', () => {
    assert.deepEqual(findRoute(routes, 'GET', '/API/V1/CLUSTERS/5F0C')?.access, { kind: 'role', role: 'viewer' });
    assert.deepEqual(findRoute(routes, 'HEAD', '/Api/v1/Clusters/5f0c/')?.access, { kind: 'role', role: 'viewer' });
    assert.deepEqual(findRoute(routes, 'POST', '/api/V1/clusters/x/SWITCH')?.access, { kind: 'role', role: 'operator' });
    assert.deepEqual(findRoute(routes, 'GET', '/API/v1/AUTH/Session')?.access, { kind: 'role', role: 'viewer' });
  });

  test('methodsOf: the methods a path has, for Allow', () => {
    assert.deepEqual(methodsOf(routes, '/API/v1/clusters/5f0c').sort(), ['DELETE', 'GET', 'HEAD']);
    assert.deepEqual(methodsOf(routes, '/api/v1/nothing'), []);
  });

  test('isApiPath: /api and below, in any case, nothing else', () => {
    for (const path of ['/api', '/api/', '/API/v1/users', '/Api//v1', '/aPi/x']) assert.equal(isApiPath(path), true, path);
    for (const path of ['/', '/apix', '/assets/api/x', '/healthz', '/index.html']) assert.equal(isApiPath(path), false, path);
  });

  test('normalisedPath resolves dot segments, repeated and encoded slashes, backslashes', () => {
    const cases: Array<[string, string]> = [
      ['/api/v1/users', '/api/v1/users'],
      ['//api/v1/users', '/api/v1/users'],
      ['/./api/v1', '/api/v1'],
      ['/x/../api/v1', '/api/v1'],
      ['/x/%2E%2e/api', '/api'],
      ['/api%2Fv1%2fusers', '/api/v1/users'],
      ['/%5capi\\v1', '/api/v1'],
      ['/../../api', '/api'],
      ['/%61pi/v1', '/api/v1'],
      ['/%252e%252e/api', '/%252e%252e/api'],
      ['/a%20b', '/a%20b'],
      ['/clusters/', '/clusters/'],
      ['/a/b/..', '/a/'],
      ['/', '/'],
    ];
    for (const [path, expected] of cases) assert.equal(normalisedPath(path), expected, path);
  });

  test('reachesApi: a path that is not /api as written but may be taken for it; /api itself and console paths are not', () => {
    for (const path of ['//api/v1/users', '//API', '/./api', '/x/../Api/v1', '/%2e/api/v1', '/api%2fv1', '/%41PI/v1', '//', '//assets/x.js', '//evil.example', `/${'a/'.repeat(300)}`]) assert.equal(reachesApi(path), true, path);
    for (const path of ['/api/v1/users', '/API/v1', '/', '/clusters/abc', '/assets/index-1.js', '/apix/../apiy', '/x/%2e%2e/clusters']) assert.equal(reachesApi(path), false, path);
  });

  test('unknown methods and paths find nothing (the middleware answers 404 or 405 for them under /api)', () => {
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

  test('with http.publicOrigin, only that origin (scheme, host and port) is this site, whatever the Host header', () => {
    const publicOrigin = 'https://twinrec.example.com';
    assert.equal(sameOrigin('https://twinrec.example.com', '127.0.0.1:8740', publicOrigin), true);
    assert.equal(sameOrigin('https://TwinRec.Example.com:443', undefined, publicOrigin), true);
    assert.equal(sameOrigin(undefined, '127.0.0.1:8740', publicOrigin), true, 'no Origin: not a cross-site browser request');
    for (const origin of ['http://twinrec.example.com', 'https://twinrec.example.com:8443', 'https://127.0.0.1:8740', 'http://127.0.0.1:8740', 'https://evil.example', 'null']) {
      assert.equal(sameOrigin(origin, '127.0.0.1:8740', publicOrigin), false, origin);
    }
    assert.equal(sameOrigin('https://evil.example', 'evil.example', publicOrigin), false, 'a forged Host does not help');
  });
});

describe('crossSiteSender', () => {
  const host = 'twinrec.example:8740';
  const sender = (headers: Partial<{ origin: string; secFetchSite: string; referer: string }>) => ({ origin: headers.origin, secFetchSite: headers.secFetchSite, referer: headers.referer });

  test('nothing to say (curl, a script), this site, or a typed URL: null', () => {
    assert.equal(crossSiteSender(sender({}), host), null);
    assert.equal(crossSiteSender(sender({ origin: 'http://twinrec.example:8740' }), host), null);
    assert.equal(crossSiteSender(sender({ secFetchSite: 'same-origin', referer: 'https://twinrec.example:8740/clusters' }), host), null);
    assert.equal(crossSiteSender(sender({ secFetchSite: 'None' }), host), null);
    assert.equal(crossSiteSender(sender({ referer: 'http://twinrec.example:8740/' }), host), null);
  });

  test('another Origin, a cross- or same-site Sec-Fetch-Site, or without Origin a foreign or broken Referer: named', () => {
    assert.match(crossSiteSender(sender({ origin: 'https://evil.example' }), host) ?? '', /evil\.example/);
    assert.match(crossSiteSender(sender({ secFetchSite: 'cross-site' }), host) ?? '', /cross-site/);
    assert.match(crossSiteSender(sender({ secFetchSite: 'same-site' }), host) ?? '', /same-site/);
    assert.match(crossSiteSender(sender({ origin: 'http://twinrec.example:8740', secFetchSite: 'cross-site' }), host) ?? '', /cross-site/);
    assert.match(crossSiteSender(sender({ referer: 'https://evil.example/page' }), host) ?? '', /evil\.example/);
    assert.notEqual(crossSiteSender(sender({ referer: 'garbage' }), host), null);
    assert.notEqual(crossSiteSender(sender({ referer: 'http://twinrec.example:8741/' }), host), null, 'another port is another origin');
  });

  test('with http.publicOrigin, the Referer is held to it', () => {
    assert.equal(crossSiteSender(sender({ referer: 'https://twinrec.example/x' }), 'internal:8740', 'https://twinrec.example'), null);
    assert.notEqual(crossSiteSender(sender({ referer: 'http://internal:8740/x' }), 'internal:8740', 'https://twinrec.example'), null);
  });
});

describe('authMiddleware fails closed', () => {
  const admin: Identity = { accountId: 'a1', username: 'root', accountRole: 'admin', role: 'admin', via: 'token', credentialId: 't1', expiresAt: null };
  const signIn = { fromToken: async (token: string) => (token === 'trk_good' ? admin : null), fromSession: async () => null } as unknown as SignInService;
  const audit = { record: async () => undefined } as unknown as AuditLog;
  const document = {
    paths: {
      '/api/v1/users': { get: { security: [{ apiToken: ['admin'] }] } },
      '/api/v1/things': { post: { security: [{ apiToken: ['viewer'] }] } },
      '/api/v1/auth/login': { post: { security: [] } },
    },
  };
  function app(publicOrigin?: string) {
    const a = express();
    a.use(cookieParser(), authMiddleware({ signIn, audit, document, publicOrigin }));
    // Routers the document does not describe, as a gap in the table would leave them: the backstop refuses them.
    a.post('/api/v1/auth/login', (_req, res) => {
      res.json({ public: true });
    });
    a.use('/api/v1', requireCaller);
    a.get('/api/v1/users', (_req, res) => {
      res.json({ users: true });
    });
    a.post('/api/v1/things', (_req, res) => {
      res.status(201).json({});
    });
    a.get('/api/v1/undocumented', (_req, res) => {
      res.json({ leaked: true });
    });
    a.get('/index.html', (_req, res) => {
      res.send('console');
    });
    return a;
  }

  test('any case of a protected path needs credentials', async () => {
    for (const path of ['/api/v1/users', '/API/v1/users', '/api/V1/USERS', '/Api/V1/Users/']) {
      assert.equal((await request(app()).get(path)).status, 401, path);
      assert.equal((await request(app()).head(path)).status, 401, `HEAD ${path}`);
      assert.equal((await request(app()).get(path).set('authorization', 'Bearer trk_junk')).status, 401, path);
      assert.equal((await request(app()).get(path).set('authorization', 'Bearer trk_good')).status, 200, path);
    }
  });

  test('a path under /api that is no operation is 404 (405 for another method), with or without credentials; it never reaches a router', async () => {
    for (const auth of [{}, { authorization: 'Bearer trk_good' }]) {
      const missing = await request(app()).get('/API/v1/undocumented').set(auth);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.type, 'urn:twinrec:problem:not-found');
      const wrong = await request(app()).delete('/api/v1/USERS').set(auth);
      assert.equal(wrong.status, 405);
      assert.equal(wrong.headers.allow, 'GET, HEAD');
    }
    assert.equal((await request(app()).get('/index.html')).status, 200, 'outside /api: not its business');
  });

  test('the backstop: a protected router reached without an identity answers 401', async () => {
    const a = express();
    a.use('/api/v1', requireCaller);
    a.get('/api/v1/users', (_req, res) => {
      res.json({ users: true });
    });
    const res = await request(a).get('/api/v1/users');
    assert.equal(res.status, 401);
    assert.equal(res.body.type, 'urn:twinrec:problem:unauthenticated');
  });

  test('with publicOrigin, a cookie change from any other origin is refused, whatever the Host', async () => {
    const a = app('https://twinrec.example');
    const refused = await request(a).post('/api/v1/auth/login').set('origin', 'http://127.0.0.1').set('host', '127.0.0.1').send({});
    assert.equal(refused.status, 403);
    assert.equal(refused.body.type, 'urn:twinrec:problem:csrf-rejected');
    assert.equal((await request(a).post('/api/v1/auth/login').set('origin', 'https://twinrec.example').set('host', '127.0.0.1:8740').send({})).status, 200);
  });
});
