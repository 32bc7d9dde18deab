// Accounts, sign-in and roles, end to end over HTTP against a real controller and database
// (SQLite always, PostgreSQL too when TWINREC_TEST_PG_URL is set): 401 on every protected
// operation without credentials, 403 below an operation's role, the session cookie flow, API
// tokens, login rate limits, session expiry, users, focus, the audit log, and the first
// admin's generated password printed once by a real `twinrec serve`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessOf, routeTable } from '../api/src/http/auth.js';
import { openApiDocument } from '../api/src/http/openapi.js';
import { agentPair } from './helpers/agent-reports.js';
import { login, testAdminPassword } from './helpers/auth.js';
import { onEachBackend, startTestController, type TestController } from './helpers/controller.js';
import { runTwinrec, type TwinrecProcess } from './helpers/process.js';

const problemType = (slug: string): string => `urn:twinrec:problem:${slug}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type Headers = Record<string, string>;

interface Answer {
  status: number;
  headers: globalThis.Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function call(base: string, method: string, path: string, headers: Headers = {}, body?: unknown): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    redirect: 'manual',
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    // an event stream or metrics text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Every operation of the OpenAPI document, with example path parameters. */
function operations(): Array<{ method: string; path: string; security: unknown }> {
  const paths = openApiDocument.paths as unknown as Record<string, Record<string, { security?: unknown }>>;
  return Object.entries(paths).flatMap(([path, item]) =>
    (['get', 'post', 'patch', 'delete', 'put'] as const).filter((m) => item[m] !== undefined).map((m) => ({ method: m.toUpperCase(), path: path.replace(/\{[^}]+\}/g, randomUUID()), security: item[m]?.security })),
  );
}

describe('the OpenAPI document says who may call every operation', () => {
  // The TLS certificate is public too: every client sees it in the handshake anyway.
  test('every operation has `security`; only health, metrics, the document, login, logout and the TLS certificate are public', () => {
    const ops = operations();
    const missing = ops.filter((o) => o.security === undefined).map((o) => `${o.method} ${o.path}`);
    assert.deepEqual(missing, [], 'operations without security (they would need an admin)');
    const open = ops.filter((o) => Array.isArray(o.security) && o.security.length === 0).map((o) => `${o.method} ${o.path}`).sort();
    assert.deepEqual(open, ['GET /api/v1/openapi.json', 'GET /api/v1/tls', 'GET /api/v1/tls/certificate', 'GET /healthz', 'GET /metrics', 'GET /readyz', 'POST /api/v1/auth/login', 'POST /api/v1/auth/logout']);
    const byRole = (role: string) => routeTable(openApiDocument as never).filter((r) => r.access.kind === 'role' && r.access.role === role).length;
    assert.ok(byRole('viewer') >= 10 && byRole('operator') >= 4 && byRole('admin') >= 10);
  });

  test('accessOf reads roles from the scopes and fails closed', () => {
    assert.deepEqual(accessOf(undefined), { kind: 'role', role: 'admin' });
    assert.deepEqual(accessOf([]), { kind: 'public' });
    assert.deepEqual(accessOf([{ clusterSecret: [] }]), { kind: 'agent' });
    assert.deepEqual(accessOf([{ sessionCookie: ['operator'] }, { apiToken: ['operator'] }]), { kind: 'role', role: 'operator' });
    assert.deepEqual(accessOf([{ sessionCookie: ['root'] }]), { kind: 'role', role: 'admin' });
  });
});

onEachBackend('accounts, sessions and roles', (suite) => {
  let base: string;
  let admin: Headers;
  const as = (headers: Headers) => ({
    get: (path: string) => call(base, 'GET', path, headers),
    post: (path: string, body?: unknown) => call(base, 'POST', path, headers, body),
    patch: (path: string, body: unknown) => call(base, 'PATCH', path, headers, body),
    delete: (path: string) => call(base, 'DELETE', path, headers),
  });

  /** A new account with this role, signed in: its session cookie header and its id. */
  async function account(role: 'viewer' | 'operator' | 'admin'): Promise<{ username: string; password: string; id: string; session: Headers }> {
    const username = `${role}-${randomUUID().slice(0, 8)}`;
    const password = `pw-${randomUUID()}`;
    const created = await as(admin).post('/api/v1/users', { username, password, role });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { cookie } = await login(base, username, password);
    return { username, password, id: created.body.id as string, session: { cookie } };
  }

  before(() => {
    base = suite.controller.url;
    admin = suite.controller.authHeader;
  });

  test('without credentials every protected operation answers 401 unauthenticated with WWW-Authenticate, and changes nothing', async () => {
    const before = (await as(admin).get('/api/v1/clusters')).body;
    const protectedOps = operations().filter((o) => Array.isArray(o.security) && o.security.length > 0 && !JSON.stringify(o.security).includes('clusterSecret'));
    assert.ok(protectedOps.length >= 25, `${protectedOps.length} protected operations`);
    const attempts: Headers[] = [{}, { authorization: `Bearer trk_${'x'.repeat(43)}` }, { authorization: 'Bearer not-a-token' }, { authorization: 'Basic YWRtaW46YWRtaW4=' }, { cookie: `twinrec_session=${'y'.repeat(43)}` }];
    for (const credentials of attempts) {
      for (const op of protectedOps) {
        const res = await call(base, op.method, op.path, credentials, op.method === 'GET' || op.method === 'DELETE' ? undefined : {});
        assert.equal(res.status, 401, `${op.method} ${op.path} with ${JSON.stringify(credentials)}`);
        assert.equal(res.body.type, problemType('unauthenticated'));
        assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="twinrec"');
        assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      }
    }
    const stale = await call(base, 'GET', '/api/v1/clusters', { cookie: `twinrec_session=${'y'.repeat(43)}` });
    assert.match(stale.headers.get('set-cookie') ?? '', /^twinrec_session=;/, 'an unknown session cookie is cleared');
    for (const path of ['/healthz', '/readyz', '/metrics', '/api/v1/openapi.json']) assert.equal((await call(base, 'GET', path)).status, 200, path);
    assert.deepEqual((await as(admin).get('/api/v1/clusters')).body, before);
  });

  test('no variant of a path gets past authentication: every operation in upper and mixed case, and HEAD, without or with junk credentials, is 401 or 404', async () => {
    const before = (await as(admin).get('/api/v1/clusters')).body;
    const guarded = operations().filter((o) => !(Array.isArray(o.security) && o.security.length === 0));
    assert.ok(guarded.length >= 27, `${guarded.length} operations`);
    const mixed = (path: string) => [...path].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c.toLowerCase())).join('');
    const variants = (path: string) => [path.toUpperCase(), mixed(path), path.replace('/api/', '/API/'), path.replace('/api/v1/', '/Api/V1/'), path.replace(/\/([a-z]+)$/, (_, last: string) => `/${last.toUpperCase()}`), `${path.toUpperCase()}/`];
    const attempts: Headers[] = [{}, { authorization: `Bearer trk_${'x'.repeat(43)}` }, { authorization: 'Bearer junk' }, { cookie: `twinrec_session=${'y'.repeat(43)}` }];
    const answers = new Map<string, number>();
    for (const credentials of attempts) {
      for (const op of guarded) {
        const methods = op.method === 'GET' ? ['GET', 'HEAD'] : [op.method];
        for (const method of methods) {
          for (const path of [...new Set(variants(op.path))].filter((p) => p !== op.path)) {
            const res = await call(base, method, path, credentials, method === 'GET' || method === 'HEAD' || method === 'DELETE' ? undefined : {});
            const what = `${method} ${path} with ${JSON.stringify(credentials)}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
            // The agents' operations check the cluster secret themselves, after the body (400 for this empty one).
            const agent = JSON.stringify(op.security).includes('clusterSecret');
            assert.ok(res.status === 401 || res.status === 404 || (agent && res.status === 400), what);
            if (method !== 'HEAD') assert.match(res.body.type, agent ? /^urn:twinrec:problem:(unauthorized|not-found|validation-failed)$/ : /^urn:twinrec:problem:(unauthenticated|not-found)$/, what);
            answers.set(`${res.status}`, (answers.get(`${res.status}`) ?? 0) + 1);
          }
        }
      }
    }
    assert.ok((answers.get('401') ?? 0) > 100, JSON.stringify([...answers]));
    // Unknown paths under /api are answered by the authentication layer, whatever the case or the credentials.
    for (const path of ['/api/v1/nothing', '/API/V1/NOTHING', '/api', '/Api/', '/api//v1/users', '/api/v2/users', '/api/v1/user%73']) {
      for (const credentials of [{}, admin]) {
        const res = await call(base, 'GET', path, credentials);
        assert.ok(res.status === 404 || res.status === 401, `${path}: ${res.status}`);
        if (res.status === 404) assert.equal(res.body.type, problemType('not-found'));
      }
    }
    const wrongMethod = await call(base, 'PUT', '/API/v1/Users', admin, {});
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.body.type, problemType('method-not-allowed'));
    assert.equal(wrongMethod.headers.get('allow'), 'GET, HEAD, POST');
    assert.deepEqual((await as(admin).get('/api/v1/clusters')).body, before, 'nothing changed');
  });

  test('login sets an HttpOnly, SameSite=Strict session cookie; the session answers who; logout ends it', async () => {
    const res = await call(base, 'POST', '/api/v1/auth/login', {}, { username: 'ADMIN', password: testAdminPassword });
    assert.equal(res.status, 200, 'user names are compared in lower case');
    assert.deepEqual(Object.keys(res.body).sort(), ['expiresAt', 'user']);
    assert.equal(res.body.user.username, 'admin');
    assert.equal(res.body.user.role, 'admin');
    const setCookie = res.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^twinrec_session=[A-Za-z0-9_-]{43}; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    assert.doesNotMatch(setCookie, /Secure/, 'auth.cookieSecure is off on loopback HTTP');
    const expiresInMs = Date.parse(res.body.expiresAt) - Date.now();
    assert.ok(expiresInMs > 7.9 * 3_600_000 && expiresInMs <= 8 * 3_600_000, 'eight hours by default');
    const session = { cookie: setCookie.split(';')[0] as string };

    const who = await as(session).get('/api/v1/auth/session');
    assert.equal(who.status, 200);
    assert.deepEqual({ ...who.body, user: { ...who.body.user, id: '' } }, { user: { id: '', username: 'admin', role: 'admin' }, via: 'session', role: 'admin', expiresAt: res.body.expiresAt, focus: [] });
    assert.equal((await as(session).get('/api/v1/clusters')).status, 200);

    const out = await as(session).post('/api/v1/auth/logout');
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /^twinrec_session=; Path=\/; Expires=Thu, 01 Jan 1970/);
    assert.equal((await as(session).get('/api/v1/auth/session')).status, 401, 'the session is gone');
    assert.equal((await call(base, 'POST', '/api/v1/auth/logout')).status, 204, 'logging out twice is fine');
  });

  test('an open event stream ends once its session is revoked, not only at reconnect', async () => {
    const viewer = await account('viewer');
    const ctl = new AbortController();
    const res = await fetch(`${base}/api/v1/events/stream`, { headers: viewer.session, signal: ctl.signal });
    try {
      assert.equal(res.status, 200);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const first = await reader.read();
      assert.match(new TextDecoder().decode(first.value), /^retry: /, 'the stream is open');
      // The admin deletes the account: its sessions go with it.
      assert.equal((await as(admin).delete(`/api/v1/users/${viewer.id}`)).status, 204);
      const ended = await Promise.race([
        (async () => {
          for (;;) if ((await reader.read()).done) return true;
        })(),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), 20_000)),
      ]);
      assert.equal(ended, true, 'the controller ends the stream (checked every 5 s)');
    } finally {
      ctl.abort();
    }
  });

  test('a wrong password or an unknown name is 401 invalid-credentials, alike', async () => {
    for (const body of [{ username: 'admin', password: 'not the password' }, { username: `nobody-${randomUUID().slice(0, 6)}`, password: testAdminPassword }]) {
      const res = await call(base, 'POST', '/api/v1/auth/login', {}, body);
      assert.equal(res.status, 401);
      assert.equal(res.body.type, problemType('invalid-credentials'));
      assert.equal(res.body.detail, 'The user name or the password is wrong');
      assert.equal(res.headers.get('set-cookie'), null);
    }
    assert.equal((await call(base, 'POST', '/api/v1/auth/login', {}, { username: 'admin' })).status, 400);
  });

  test('the only admin can be neither demoted nor deleted (409 last-admin); with a second admin, it can', async () => {
    const admins = (await as(admin).get('/api/v1/users')).body.items.filter((u: { role: string }) => u.role === 'admin');
    assert.deepEqual(admins.map((u: { username: string }) => u.username), ['admin'], 'this runs before any other admin exists');
    const adminId = admins[0].id as string;
    const demote = await as(admin).patch(`/api/v1/users/${adminId}`, { role: 'viewer' });
    assert.equal(demote.status, 409);
    assert.equal(demote.body.type, problemType('last-admin'));
    assert.equal((await as(admin).delete(`/api/v1/users/${adminId}`)).body.type, problemType('last-admin'));
    const failures = await as(admin).get(`/api/v1/audit?target=account/admin&outcome=failure&action=account.*`);
    assert.deepEqual(failures.body.items.map((e: { action: string }) => e.action).sort(), ['account.delete', 'account.update'], 'refusals are audited');
    // Two admins demoting each other at once: one of them stays admin.
    const second = await account('admin');
    const results = await Promise.all([as(admin).patch(`/api/v1/users/${second.id}`, { role: 'operator' }), as(second.session).patch(`/api/v1/users/${adminId}`, { role: 'operator' })]);
    // The loser is refused as the last admin (409), or, when the winner committed first, as no longer an admin (403).
    assert.equal(results.filter((r) => r.status === 200).length, 1, JSON.stringify(results.map((r) => r.body)));
    assert.ok(results.every((r) => [200, 403, 409].includes(r.status)));
    // Whichever demoted the other first is the one admin left, and only it may list accounts now.
    const winner = results[0]?.status === 200 ? admin : second.session;
    const left = (await as(winner).get('/api/v1/users')).body.items.filter((u: { role: string }) => u.role === 'admin');
    assert.equal(left.length, 1);
    assert.equal(left[0].username === 'admin', winner === admin, 'the admin left is the one whose demotion went through');
    // Put things back: `admin` is an admin again, and the second account is gone.
    if (left[0].username !== 'admin') assert.equal((await as(winner).patch(`/api/v1/users/${adminId}`, { role: 'admin' })).status, 200);
    assert.equal((await as(admin).delete(`/api/v1/users/${second.id}`)).status, 204);
  });

  test('a change sent with the session cookie from another site is refused (403 csrf-rejected); from this site, or with a token, it is not', async () => {
    const { session } = await account('admin');
    const cluster = { name: `Csrf-${randomUUID().slice(0, 6)}`, mode: 'pool', sharedAddress: 'csrf.example' };
    const foreign = await as({ ...session, origin: 'https://evil.example' }).post('/api/v1/clusters', cluster);
    assert.equal(foreign.status, 403);
    assert.equal(foreign.body.type, problemType('csrf-rejected'));
    assert.equal((await as({ ...session, origin: 'null' }).post('/api/v1/clusters', cluster)).status, 403);
    assert.equal((await as({ ...session, origin: 'https://evil.example' }).post('/api/v1/auth/logout')).status, 403, 'no forced logout either');
    assert.equal((await as({ origin: 'https://evil.example' }).post('/api/v1/auth/login', { username: 'admin', password: testAdminPassword })).status, 403, 'nor a forced login');
    assert.equal((await as({ ...session, origin: 'https://evil.example' }).get('/api/v1/clusters')).status, 200, 'reads are not changes');
    assert.equal((await as({ ...session, origin: base }).post('/api/v1/clusters', cluster)).status, 201, 'this site');
    assert.equal((await as({ ...admin, origin: 'https://evil.example' }).post('/api/v1/clusters', { ...cluster, name: `${cluster.name}-t` })).status, 201, 'a Bearer token is no ambient credential');
  });

  test('a cookie change without Origin is refused when Sec-Fetch-Site or Referer names another site (403 csrf-rejected); this site, a typed URL or a token pass', async () => {
    const { session } = await account('admin');
    const cluster = () => ({ name: `Fetch-${randomUUID().slice(0, 6)}`, mode: 'pool', sharedAddress: 'csrf.example' });
    const refused: Headers[] = [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { referer: 'https://evil.example/page' }, { referer: 'not a url' }, { referer: `${base.replace('127.0.0.1', 'localhost')}/` }, { origin: base, 'sec-fetch-site': 'cross-site' }];
    for (const headers of refused) {
      const res = await as({ ...session, ...headers }).post('/api/v1/clusters', cluster());
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.equal(res.body.type, problemType('csrf-rejected'));
    }
    assert.equal((await as({ ...session, 'sec-fetch-site': 'cross-site' }).post('/api/v1/auth/logout')).status, 403, 'no forced logout either');
    const allowed: Headers[] = [{ referer: `${base}/clusters` }, { 'sec-fetch-site': 'same-origin' }, { 'sec-fetch-site': 'none' }, { 'sec-fetch-site': 'same-origin', referer: `${base}/` }];
    for (const headers of allowed) {
      assert.equal((await as({ ...session, ...headers }).post('/api/v1/clusters', cluster())).status, 201, JSON.stringify(headers));
    }
    assert.equal((await as({ ...admin, 'sec-fetch-site': 'cross-site', referer: 'https://evil.example/' }).post('/api/v1/clusters', cluster())).status, 201, 'a Bearer token is no ambient credential');
    assert.equal((await as({ ...session, 'sec-fetch-site': 'cross-site' }).get('/api/v1/clusters')).status, 200, 'reads are not changes');
  });

  test('a viewer reads everything but is refused switch, maintenance, focus, the audit log and admin operations with 403 forbidden (audited)', async () => {
    const viewer = await account('viewer');
    const created = await as(admin).post('/api/v1/clusters', { name: `Roles-${randomUUID().slice(0, 6)}`, mode: 'cloning', sharedAddress: 'roles.example', nodes: [{ name: 'roles-a', role: 'primary', hostName: 'roles-a' }] });
    const id = created.body.id as string;
    for (const path of ['/api/v1/clusters', `/api/v1/clusters/${id}`, `/api/v1/clusters/${id}/state`, `/api/v1/clusters/${id}/nodes`, '/api/v1/cameras', '/api/v1/events', '/api/v1/auth/session', '/api/v1/tokens']) {
      assert.equal((await as(viewer.session).get(path)).status, 200, path);
    }
    const refused: Array<[string, string, unknown]> = [
      ['POST', `/api/v1/clusters/${id}/switch`, {}],
      ['POST', `/api/v1/clusters/${id}/maintenance`, { on: true }],
      ['POST', `/api/v1/clusters/${id}/focus`, { nodeId: randomUUID() }],
      ['DELETE', `/api/v1/clusters/${id}/focus`, undefined],
      ['GET', '/api/v1/audit', undefined],
      ['POST', '/api/v1/clusters', { name: 'Nope', mode: 'pool', sharedAddress: 'nope.example' }],
      ['PATCH', `/api/v1/clusters/${id}`, { description: 'nope' }],
      ['DELETE', `/api/v1/clusters/${id}`, undefined],
      ['GET', '/api/v1/users', undefined],
    ];
    for (const [method, path, body] of refused) {
      const res = await call(base, method, path, viewer.session, body);
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.body.type, problemType('forbidden'));
      assert.equal(res.body.role, 'viewer');
    }
    const switchDenied = await as(admin).get(`/api/v1/audit?actor=${viewer.username}&action=access.denied`);
    assert.ok(switchDenied.body.items.some((e: { target: string; outcome: string }) => e.target === `POST /api/v1/clusters/${id}/switch` && e.outcome === 'denied'));
    assert.equal((await as(admin).get(`/api/v1/clusters/${id}`)).body.description, '', 'nothing changed');
  });

  test('an operator switches, sets maintenance and focuses, but is refused cluster changes, users and the audit log', async () => {
    const operator = await account('operator');
    const created = await as(admin).post('/api/v1/clusters', { name: `Ops-${randomUUID().slice(0, 6)}`, mode: 'cloning', sharedAddress: 'ops.example', nodes: [{ name: 'ops-a', role: 'primary', hostName: 'ops-a' }] });
    const { id } = created.body as { id: string };
    const nodeId = created.body.nodes[0].id as string;
    const sw = await as(operator.session).post(`/api/v1/clusters/${id}/switch`, {});
    assert.equal(sw.status, 409, 'allowed, but no node serves');
    assert.equal(sw.body.reason, 'no-serving-node');
    assert.equal((await as(operator.session).post(`/api/v1/clusters/${id}/maintenance`, { on: true })).status, 409, 'allowed, but no node reports');
    assert.equal((await as(operator.session).post(`/api/v1/clusters/${id}/focus`, { nodeId })).status, 200);
    for (const [method, path, body] of [
      ['POST', '/api/v1/clusters', { name: 'Nope', mode: 'pool', sharedAddress: 'nope.example' }],
      ['PATCH', `/api/v1/clusters/${id}`, { description: 'x' }],
      ['DELETE', `/api/v1/clusters/${id}`, undefined],
      ['POST', `/api/v1/clusters/${id}/nodes`, { name: 'ops-b', role: 'secondary', hostName: 'ops-b' }],
      ['PATCH', `/api/v1/clusters/${id}/nodes/${nodeId}`, { hostName: 'x' }],
      ['DELETE', `/api/v1/clusters/${id}/nodes/${nodeId}`, undefined],
      ['GET', '/api/v1/users', undefined],
      ['POST', '/api/v1/users', { username: 'sneaky', password: 'p'.repeat(12), role: 'admin' }],
      ['PATCH', `/api/v1/users/${operator.id}`, { role: 'admin' }],
      ['DELETE', `/api/v1/users/${operator.id}`, undefined],
      ['GET', '/api/v1/audit', undefined],
    ] as const) {
      const res = await call(base, method, path, operator.session, body);
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.body.requiredRole, 'admin');
    }
    const audit = await as(admin).get(`/api/v1/audit?target=cluster/${id}*&action=cluster.*`);
    const mine = audit.body.items.filter((e: { actor: string }) => e.actor === operator.username).map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`).sort();
    assert.deepEqual(mine, ['cluster.focus:success', 'cluster.maintenance:failure', 'cluster.switch:failure'], 'audited under the operator\'s own name');
    assert.ok(audit.body.items.some((e: { actor: string; action: string }) => e.actor === 'admin' && e.action === 'cluster.create'));
  });

  test('API tokens: created for oneself (shown once), used as Bearer, bounded by the owner\'s role, listed, revoked', async () => {
    const operator = await account('operator');
    const made = await as(operator.session).post('/api/v1/tokens', { name: 'monitoring', role: 'viewer' });
    assert.equal(made.status, 201);
    assert.match(made.body.token, /^trk_[A-Za-z0-9_-]{43}$/);
    assert.equal(made.body.role, 'viewer');
    assert.equal(made.body.username, operator.username);
    const bearer = { authorization: `Bearer ${made.body.token}` };
    const who = await as(bearer).get('/api/v1/auth/session');
    assert.deepEqual([who.body.via, who.body.role, who.body.user.role], ['token', 'viewer', 'operator']);
    assert.equal((await as(bearer).get('/api/v1/cameras')).status, 200);
    assert.equal((await as(bearer).post(`/api/v1/clusters/${randomUUID()}/switch`, {})).status, 403, 'a viewer token cannot switch');

    const higher = await as(operator.session).post('/api/v1/tokens', { name: 'greedy', role: 'admin' });
    assert.equal(higher.status, 403, 'no token above its owner');
    const past = await as(operator.session).post('/api/v1/tokens', { name: 'old', expiresAt: '2001-01-01T00:00:00Z' });
    assert.equal(past.status, 400);

    const listed = await as(operator.session).get('/api/v1/tokens');
    assert.deepEqual(listed.body.items.map((t: { name: string }) => t.name), ['monitoring']);
    assert.ok(!JSON.stringify(listed.body).includes(made.body.token.slice(4)), 'the secret is never listed');
    assert.ok((await as(admin).get('/api/v1/tokens')).body.items.some((t: { id: string }) => t.id === made.body.id), 'an admin lists every token');

    const other = await account('viewer');
    assert.equal((await as(other.session).delete(`/api/v1/tokens/${made.body.id}`)).status, 404, "someone else's token is not found");
    assert.equal((await as(operator.session).delete(`/api/v1/tokens/${made.body.id}`)).status, 204);
    assert.equal((await as(bearer).get('/api/v1/cameras')).status, 401, 'revoked at once');
    assert.equal((await as(operator.session).delete(`/api/v1/tokens/${made.body.id}`)).status, 404);

    // A token follows its owner's role down: demoting the owner demotes the token.
    const opToken = (await as(operator.session).post('/api/v1/tokens', { name: 'ops' })).body;
    assert.equal(opToken.role, 'operator', "the caller's role by default");
    const opBearer = { authorization: `Bearer ${opToken.token}` };
    assert.equal((await as(admin).patch(`/api/v1/users/${operator.id}`, { role: 'viewer' })).status, 200);
    assert.equal((await as(opBearer).get('/api/v1/auth/session')).body.role, 'viewer');
    assert.equal((await as(opBearer).post(`/api/v1/clusters/${randomUUID()}/maintenance`, { on: true })).status, 403);
    const expiring = (await as(admin).post('/api/v1/tokens', { name: 'short', expiresAt: new Date(Date.now() + 1_500).toISOString() })).body;
    assert.equal((await as({ authorization: `Bearer ${expiring.token}` }).get('/api/v1/clusters')).status, 200);
    await sleep(1_700);
    assert.equal((await as({ authorization: `Bearer ${expiring.token}` }).get('/api/v1/clusters')).status, 401, 'an expired token is refused');
  });

  test("a token cannot revoke a token of its account that may do more (403 forbidden, audited); one that may do as much can", async () => {
    const operator = await account('operator');
    const opToken = (await as(operator.session).post('/api/v1/tokens', { name: 'ops', role: 'operator' })).body;
    const viewerToken = (await as(operator.session).post('/api/v1/tokens', { name: 'dashboard', role: 'viewer' })).body;
    const viewerBearer = { authorization: `Bearer ${viewerToken.token}` };
    const opBearer = { authorization: `Bearer ${opToken.token}` };
    const refused = await as(viewerBearer).delete(`/api/v1/tokens/${opToken.id}`);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.type, problemType('forbidden'));
    assert.deepEqual([refused.body.role, refused.body.requiredRole], ['viewer', 'operator']);
    assert.equal((await as(opBearer).get('/api/v1/auth/session')).status, 200, 'the operator token still works');
    const audit = await as(admin).get(`/api/v1/audit?action=token.delete&target=${encodeURIComponent(`account/${operator.username}/token/${opToken.id}`)}`);
    assert.deepEqual(audit.body.items.map((e: { outcome: string }) => e.outcome), ['denied']);
    const spare = (await as(operator.session).post('/api/v1/tokens', { name: 'spare', role: 'operator' })).body;
    assert.equal((await as(opBearer).delete(`/api/v1/tokens/${viewerToken.id}`)).status, 204, 'downwards is fine');
    const other = (await as(operator.session).post('/api/v1/tokens', { name: 'other-viewer', role: 'viewer' })).body;
    assert.equal((await as({ authorization: `Bearer ${other.token}` }).delete(`/api/v1/tokens/${other.id}`)).status, 204, 'a token revokes itself');
    assert.equal((await as(operator.session).delete(`/api/v1/tokens/${opToken.id}`)).status, 204, 'the operator session may');
    assert.equal((await as(admin).patch(`/api/v1/users/${operator.id}`, { role: 'viewer' })).status, 200);
    assert.equal((await as(operator.session).delete(`/api/v1/tokens/${spare.id}`)).status, 204, "an operator token of a viewer may do what a viewer does: a viewer session revokes it");
  });

  test('a token that ends cannot make a token that outlives it, nor one that never ends', async () => {
    const operator = await account('operator');
    const end = new Date(Date.now() + 3_600_000);
    const parent = await as(operator.session).post('/api/v1/tokens', { name: 'short-lived', expiresAt: end.toISOString() });
    assert.equal(parent.status, 201);
    const bearer = { authorization: `Bearer ${parent.body.token}` };
    for (const body of [{ name: 'forever' }, { name: 'later', expiresAt: new Date(end.getTime() + 1_000).toISOString() }, { name: 'much-later', expiresAt: '2099-01-01T00:00:00Z' }]) {
      const res = await as(bearer).post('/api/v1/tokens', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.type, problemType('validation-failed'));
      assert.deepEqual(res.body.errors.map((e: { path: string }) => e.path), ['/body/expiresAt']);
    }
    const same = await as(bearer).post('/api/v1/tokens', { name: 'same-end', expiresAt: end.toISOString() });
    assert.equal(same.status, 201, 'no later than its own end is fine');
    const sooner = await as(bearer).post('/api/v1/tokens', { name: 'sooner', expiresAt: new Date(end.getTime() - 60_000).toISOString() });
    assert.equal(sooner.status, 201);
    assert.equal((await as({ authorization: `Bearer ${sooner.body.token}` }).post('/api/v1/tokens', { name: 'child', expiresAt: end.toISOString() })).status, 400, "nor its child's");
    const names = (await as(operator.session).get('/api/v1/tokens')).body.items.map((t: { name: string }) => t.name).sort();
    assert.deepEqual(names, ['same-end', 'short-lived', 'sooner']);
    // A session, and a token without an end, may still make a token without an end.
    const forever = await as(operator.session).post('/api/v1/tokens', { name: 'forever' });
    assert.equal(forever.status, 201);
    assert.equal((await as({ authorization: `Bearer ${forever.body.token}` }).post('/api/v1/tokens', { name: 'forever-too' })).status, 201);
  });

  test('login names are account names: a variant (spaces, NUL, full-width letters) is refused like a wrong password', async () => {
    const user = await account('viewer');
    for (const variant of [`${user.username} `, ` ${user.username}`, `${user.username}\u0000`, [...user.username].map((c) => (/[a-z]/.test(c) ? String.fromCodePoint((c.codePointAt(0) as number) + 0xfee0) : c)).join('')]) {
      const res = await call(base, 'POST', '/api/v1/auth/login', {}, { username: variant, password: user.password });
      assert.equal(res.status, 401, JSON.stringify(variant));
      assert.equal(res.body.type, problemType('invalid-credentials'));
    }
    const res = await call(base, 'POST', '/api/v1/auth/login', {}, { username: user.username.toUpperCase(), password: user.password });
    assert.equal(res.status, 200, 'the name in another case is the name');
  });

  test('users: created, listed, changed and deleted by an admin; names are unique; the last admin stays', async () => {
    const username = `user-${randomUUID().slice(0, 8)}`;
    const created = await as(admin).post('/api/v1/users', { username, password: 'first-password-1', role: 'viewer' });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), `/api/v1/users/${created.body.id}`);
    assert.ok(!('passwordHash' in created.body));
    assert.equal((await as(admin).post('/api/v1/users', { username, password: 'other-password-2', role: 'admin' })).body.type, problemType('username-taken'));
    for (const body of [{ username: 'Upper', password: 'p'.repeat(12), role: 'viewer' }, { username: 'short-pw', password: 'short', role: 'viewer' }, { username: 'bad-role', password: 'p'.repeat(12), role: 'root' }]) {
      assert.equal((await as(admin).post('/api/v1/users', body)).status, 400, JSON.stringify(body));
    }
    const listed = await as(admin).get('/api/v1/users');
    assert.ok(listed.body.items.some((u: { username: string }) => u.username === username));
    assert.ok(!JSON.stringify(listed.body).includes('scrypt'), 'no password hash is ever returned');

    const { cookie } = await login(base, username, 'first-password-1');
    const made = await as({ cookie }).post('/api/v1/tokens', { name: 'made-before-the-reset' });
    assert.equal(made.status, 201);
    const userToken = made.body.token as string;
    const reset = await as(admin).patch(`/api/v1/users/${created.body.id}`, { password: 'second-password-2', role: 'operator' });
    assert.equal(reset.status, 200);
    assert.equal(reset.body.role, 'operator');
    assert.equal((await as({ cookie }).get('/api/v1/auth/session')).status, 401, 'a password reset ends the sessions');
    assert.equal((await as({ authorization: `Bearer ${userToken}` }).get('/api/v1/auth/session')).status, 401, 'and revokes the tokens');
    await assert.rejects(login(base, username, 'first-password-1'));
    const again = await login(base, username, 'second-password-2');
    assert.equal(again.body.user.role, 'operator');

    const spare = await account('admin');
    const spareToken = (await as(spare.session).post('/api/v1/tokens', { name: 'spare' })).body.token as string;
    assert.equal((await as(admin).delete(`/api/v1/users/${spare.id}`)).status, 204);
    assert.equal((await as(spare.session).get('/api/v1/clusters')).status, 401, "a deleted account's sessions end");
    assert.equal((await as({ authorization: `Bearer ${spareToken}` }).get('/api/v1/clusters')).status, 401, 'and its tokens');
    assert.equal((await as(admin).delete(`/api/v1/users/${spare.id}`)).status, 404);
    assert.equal((await as(admin).patch(`/api/v1/users/${randomUUID()}`, { role: 'viewer' })).status, 404);
  });

  test("changing one's own password needs the current one, ends the other sessions and revokes the account's tokens", async () => {
    const user = await account('viewer');
    const other = await login(base, user.username, user.password);
    const tokens = await Promise.all(['a', 'b'].map(async (name) => (await as(user.session).post('/api/v1/tokens', { name })).body.token as string));
    const wrong = await as(user.session).post('/api/v1/auth/password', { currentPassword: 'not it at all', newPassword: 'brand-new-password' });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.errors[0].path, '/body/currentPassword');
    assert.equal((await as(user.session).post('/api/v1/auth/password', { currentPassword: user.password, newPassword: 'short' })).status, 400);
    assert.equal((await as(user.session).post('/api/v1/auth/password', { currentPassword: user.password, newPassword: 'brand-new-password' })).status, 204);
    assert.equal((await as(user.session).get('/api/v1/auth/session')).status, 200, 'this session goes on');
    assert.equal((await as({ cookie: other.cookie }).get('/api/v1/auth/session')).status, 401, 'the other one ends');
    for (const token of tokens) assert.equal((await as({ authorization: `Bearer ${token}` }).get('/api/v1/auth/session')).status, 401, 'every token of the account is revoked');
    const fresh = await login(base, user.username, 'brand-new-password');
    // Changed with a token: that token goes too (whoever knew the old password may hold it).
    const own = (await as({ cookie: fresh.cookie }).post('/api/v1/tokens', { name: 'tool' })).body.token as string;
    assert.equal((await as({ authorization: `Bearer ${own}` }).post('/api/v1/auth/password', { currentPassword: 'brand-new-password', newPassword: 'third-password-3' })).status, 204);
    assert.equal((await as({ authorization: `Bearer ${own}` }).get('/api/v1/auth/session')).status, 401);
    assert.equal((await as({ cookie: fresh.cookie }).get('/api/v1/auth/session')).status, 401, 'and every session: none made the change');
  });

  test('focus: 200 with the node\'s own addresses and whether it serves, per session; 404 for unknown ids; 400 for bad bodies', async () => {
    const cluster = `Focus-${randomUUID().slice(0, 6)}`;
    const pair = await agentPair(suite.controller, cluster);
    await pair.reportBoth({}, {});

    const operator = await account('operator');
    const standby = await as(operator.session).post(`/api/v1/clusters/${pair.clusterId}/focus`, { nodeId: pair.b.id });
    assert.equal(standby.status, 200);
    assert.deepEqual({ ...standby.body, focusedAt: '' }, {
      clusterId: pair.clusterId,
      nodeId: pair.b.id,
      nodeName: `${cluster}-B`,
      serving: false,
      haStatus: 'Standby',
      liveView: { webServerUri: `http://${cluster.toLowerCase()}-b.example:7563/` },
      configuration: { hostName: `${cluster.toLowerCase()}-b.example`, addresses: [], agentUrl: `http://${cluster.toLowerCase()}-b.example:8741` },
      focusedAt: '',
    });
    const serving = await as(operator.session).post(`/api/v1/clusters/${pair.clusterId}/focus`, { nodeId: pair.a.id });
    assert.deepEqual([serving.body.serving, serving.body.haStatus], [true, 'Serving']);
    const session = await as(operator.session).get('/api/v1/auth/session');
    assert.deepEqual(session.body.focus.map((f: { nodeId: string }) => f.nodeId), [pair.a.id], 'one focus per cluster: the later replaces the earlier');

    const elsewhere = await login(base, operator.username, operator.password);
    assert.deepEqual((await as({ cookie: elsewhere.cookie }).get('/api/v1/auth/session')).body.focus, [], 'focus belongs to the session, not the account');
    const token = (await as(operator.session).post('/api/v1/tokens', { name: 'focus' })).body.token as string;
    assert.deepEqual((await as({ authorization: `Bearer ${token}` }).get('/api/v1/auth/session')).body.focus, [], 'nor to its tokens');

    const other = (await as(admin).post('/api/v1/clusters', { name: `${cluster}-other`, mode: 'pool', sharedAddress: 'other.example', nodes: [{ name: 'o-1', role: 'primary', hostName: 'o-1' }] })).body;
    for (const [path, body] of [
      [`/api/v1/clusters/${randomUUID()}/focus`, { nodeId: pair.a.id }],
      [`/api/v1/clusters/${pair.clusterId}/focus`, { nodeId: randomUUID() }],
      [`/api/v1/clusters/${pair.clusterId}/focus`, { nodeId: other.nodes[0].id }],
    ] as const) {
      const res = await as(operator.session).post(path, body);
      assert.equal(res.status, 404, `${path} ${JSON.stringify(body)}`);
      assert.equal(res.body.type, problemType('not-found'));
    }
    for (const body of [{}, { nodeId: 'not-a-uuid' }, { nodeId: pair.a.id, extra: true }]) {
      const res = await as(operator.session).post(`/api/v1/clusters/${pair.clusterId}/focus`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.type, problemType('validation-failed'));
    }
    assert.equal((await as(operator.session).delete(`/api/v1/clusters/${randomUUID()}/focus`)).status, 404);
    assert.equal((await as(operator.session).delete(`/api/v1/clusters/${pair.clusterId}/focus`)).status, 204);
    assert.deepEqual((await as(operator.session).get('/api/v1/auth/session')).body.focus, []);
    assert.equal((await as(operator.session).delete(`/api/v1/clusters/${pair.clusterId}/focus`)).status, 204, 'no focus to end is fine');
  });

  test('the audit log: every login, logout, token, account, focus and cluster change, under the real name; filtered and paged', async () => {
    const since = new Date(Date.now() - 1).toISOString();
    const user = await account('operator');
    await call(base, 'POST', '/api/v1/auth/login', {}, { username: user.username, password: 'wrong password!' });
    const token = (await as(user.session).post('/api/v1/tokens', { name: 'audited' })).body as { id: string };
    assert.equal((await as(user.session).delete(`/api/v1/tokens/${token.id}`)).status, 204);
    await as(user.session).post('/api/v1/auth/logout');
    const mine = await as(admin).get(`/api/v1/audit?actor=${user.username}&since=${since}`);
    assert.equal(mine.status, 200);
    const seen = mine.body.items.map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`);
    assert.deepEqual(seen, ['auth.logout:success', 'token.delete:success', 'token.create:success', 'auth.login:failure', 'auth.login:success'], 'newest first');
    assert.ok(mine.body.items.every((e: { address: string }) => e.address === '127.0.0.1' || e.address === '::ffff:127.0.0.1'));
    const created = await as(admin).get(`/api/v1/audit?action=account.create&target=account/${user.username}`);
    assert.deepEqual(created.body.items.map((e: { actor: string; outcome: string }) => [e.actor, e.outcome]), [['admin', 'success']]);
    const bootstrap = await as(admin).get('/api/v1/audit?actor=controller&action=account.*');
    assert.deepEqual(bootstrap.body.items.map((e: { target: string }) => e.target), ['account/admin'], 'the first admin, made by the controller');

    // Paging: three pages of two cover the same entries as one page of six, newest first.
    const all = (await as(admin).get(`/api/v1/audit?since=${since}&limit=6`)).body.items.map((e: { id: string }) => e.id);
    const paged: string[] = [];
    let before: string | null = null;
    for (let i = 0; i < 3; i += 1) {
      const page: Answer = await as(admin).get(`/api/v1/audit?since=${since}&limit=2${before === null ? '' : `&before=${before}`}`);
      paged.push(...page.body.items.map((e: { id: string }) => e.id));
      before = page.body.next;
    }
    assert.deepEqual(paged, all);
    assert.equal((await as(admin).get(`/api/v1/audit?until=${since}&since=${since}`)).status, 400);
    assert.equal((await as(admin).get('/api/v1/audit?before=yesterday')).status, 400);
    assert.equal((await as(admin).get('/api/v1/audit?limit=1001')).status, 400);
    const none = await as(admin).get(`/api/v1/audit?until=${since}&actor=${user.username}`);
    assert.deepEqual(none.body, { items: [], limit: 100, next: null });
  });
});

describe('login rate limits and session expiry', () => {
  let controller: TestController;
  before(async () => {
    controller = await startTestController({ flags: { 'auth.loginFailuresPerAccountMax': 3, 'auth.loginFailuresPerAddressMax': 1000, 'auth.loginFailureWindowMs': 60_000, 'auth.sessionTtlMs': 1_500 } });
  });
  after(async () => {
    await controller?.close();
  });

  test('three failures lock the account: 429 login-rate-limited with Retry-After, even with the right password; other accounts are not affected', async () => {
    const base = controller.url;
    const username = `victim-${randomUUID().slice(0, 6)}`;
    const password = `pw-${randomUUID()}`;
    assert.equal((await call(base, 'POST', '/api/v1/users', controller.authHeader, { username, password, role: 'viewer' })).status, 201);
    for (let i = 0; i < 2; i += 1) assert.equal((await call(base, 'POST', '/api/v1/auth/login', {}, { username, password: 'wrong guess!' })).status, 401);
    const third = await call(base, 'POST', '/api/v1/auth/login', {}, { username, password: 'wrong guess!' });
    assert.equal(third.status, 429, 'the failure that reaches the limit says so');
    const locked = await call(base, 'POST', '/api/v1/auth/login', {}, { username, password });
    assert.equal(locked.status, 429);
    assert.equal(locked.body.type, problemType('login-rate-limited'));
    const retryAfter = Number(locked.headers.get('retry-after'));
    assert.ok(retryAfter > 50 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(locked.body.retryAfterSeconds, retryAfter);
    assert.equal((await call(base, 'POST', '/api/v1/auth/login', {}, { username: username.toUpperCase(), password })).status, 429, 'whatever the case');
    await login(base, 'admin', controller.adminPassword);
    const audit = await call(base, 'GET', `/api/v1/audit?actor=${username}`, controller.authHeader);
    assert.deepEqual(audit.body.items.map((e: { outcome: string }) => e.outcome), ['failure', 'failure', 'failure'], 'failures are audited, refusals are not');
  });

  test('a burst of parallel wrong logins with the right one last cannot sign in beyond the limit', async () => {
    const base = controller.url;
    const username = `burst-${randomUUID().slice(0, 6)}`;
    const password = `pw-${randomUUID()}`;
    assert.equal((await call(base, 'POST', '/api/v1/users', controller.authHeader, { username, password, role: 'viewer' })).status, 201);
    const bodies = [...Array.from({ length: 29 }, (_, i) => ({ username, password: `wrong guess ${i}` })), { username, password }];
    const answers = await Promise.all(bodies.map((body) => call(base, 'POST', '/api/v1/auth/login', {}, body)));
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 200).length, 0, `no sign-in: ${statuses.join(' ')}`);
    assert.ok(statuses.filter((s) => s === 401).length <= 3, `at most three passwords were checked: ${statuses.join(' ')}`);
    assert.ok(statuses.every((s) => s === 401 || s === 429), statuses.join(' '));
    assert.equal((await call(base, 'POST', '/api/v1/auth/login', {}, { username, password })).status, 429, 'and the account is locked from here now');
    const audit = await call(base, 'GET', `/api/v1/audit?actor=${username}`, controller.authHeader);
    assert.ok(audit.body.items.length <= 3, 'no more failures than the limit were checked');
  });

  test('too many password checks at once: 503 login-busy with Retry-After, and no failure counted for those', async () => {
    const base = controller.url;
    const prefix = `busy-${randomUUID().slice(0, 6)}`;
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => call(base, 'POST', '/api/v1/auth/login', {}, { username: `${prefix}-${i}`, password: 'not a password' })));
    const busy = answers.filter((a) => a.status === 503);
    assert.ok(answers.every((a) => a.status === 401 || a.status === 503), answers.map((a) => a.status).join(' '));
    assert.ok(busy.length > 0, 'at most 2 checks run and 32 wait');
    for (const a of busy) {
      assert.equal(a.body.type, problemType('login-busy'));
      assert.equal(a.headers.get('retry-after'), '1');
    }
    const audit = await call(base, 'GET', `/api/v1/audit?target=account/${prefix}-*&limit=1000`, controller.authHeader);
    assert.equal(audit.body.items.length, answers.length - busy.length, 'only the checked ones failed');
    await login(base, 'admin', controller.adminPassword);
  });

  test('a session ends after auth.sessionTtlMs', async () => {
    const { cookie, body } = await login(controller.url, 'admin', controller.adminPassword);
    assert.ok(Date.parse(body.expiresAt) - Date.now() <= 1_500);
    assert.equal((await call(controller.url, 'GET', '/api/v1/auth/session', { cookie })).status, 200);
    await sleep(1_700);
    const expired = await call(controller.url, 'GET', '/api/v1/auth/session', { cookie });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.type, problemType('unauthenticated'));
  });
});

describe('behind a proxy: http.trustProxy and http.publicOrigin', () => {
  let controller: TestController;
  let plain: TestController;
  const origin = 'https://twinrec.example';
  before(async () => {
    controller = await startTestController({ flags: { 'http.trustProxy': 1, 'http.publicOrigin': origin, 'auth.loginFailuresPerAccountMax': 3, 'auth.loginFailuresPerAddressMax': 6, 'auth.loginFailureWindowMs': 60_000 } });
    plain = await startTestController({ flags: { 'auth.loginFailuresPerAccountMax': 3, 'auth.loginFailuresPerAddressMax': 1000, 'auth.loginFailureWindowMs': 60_000 } });
  });
  after(async () => {
    await controller?.close();
    await plain?.close();
  });
  const from = (address: string): Headers => ({ 'x-forwarded-for': `203.0.113.250, ${address}` });

  test("failures from one client address lock that address out of the account, not the owner at another; the audit log has the client's address", async () => {
    const base = controller.url;
    const username = `owner-${randomUUID().slice(0, 6)}`;
    const password = `pw-${randomUUID()}`;
    assert.equal((await call(base, 'POST', '/api/v1/users', controller.authHeader, { username, password, role: 'operator' })).status, 201);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await call(base, 'POST', '/api/v1/auth/login', from('198.51.100.7'), { username, password: 'wrong guess!' })).status);
    assert.deepEqual(statuses, [401, 401, 429, 429, 429]);
    assert.equal((await call(base, 'POST', '/api/v1/auth/login', from('198.51.100.7'), { username, password })).status, 429, 'the guessing address is locked out');
    const owner = await call(base, 'POST', '/api/v1/auth/login', from('192.0.2.44'), { username, password });
    assert.equal(owner.status, 200, 'the owner, elsewhere, is not');
    const audit = await call(base, 'GET', `/api/v1/audit?actor=${username}&action=auth.login`, controller.authHeader);
    assert.deepEqual(audit.body.items.map((e: { outcome: string; address: string }) => `${e.outcome} ${e.address}`), ['success 192.0.2.44', 'failure 198.51.100.7', 'failure 198.51.100.7', 'failure 198.51.100.7']);
  });

  test('IPv6 clients are counted by /64', async () => {
    const base = controller.url;
    const guess = (address: string) => call(base, 'POST', '/api/v1/auth/login', from(address), { username: `nobody-${randomUUID().slice(0, 6)}`, password: 'not a password' });
    for (let i = 1; i <= 5; i += 1) assert.equal((await guess(`2001:db8:7:8::${i}`)).status, 401);
    assert.equal((await guess('2001:db8:7:8:ffff:ffff:ffff:ffff')).status, 429, 'the sixth failure from the /64 reaches the limit');
    const refused = await guess('2001:db8:7:8::abcd');
    assert.equal(refused.status, 429);
    assert.match(refused.body.detail, /from this address/);
    assert.equal((await guess('2001:db8:7:9::1')).status, 401, 'the next /64 is another client');
  });

  test('with http.publicOrigin, cookie changes must come from that origin, not from whatever the Host header names', async () => {
    const base = controller.url;
    const username = `csrf-${randomUUID().slice(0, 6)}`;
    const password = `pw-${randomUUID()}`;
    assert.equal((await call(base, 'POST', '/api/v1/users', controller.authHeader, { username, password, role: 'admin' })).status, 201);
    const login = await call(base, 'POST', '/api/v1/auth/login', { origin, ...from('192.0.2.45') }, { username, password });
    assert.equal(login.status, 200, 'the console at its public origin signs in');
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const cluster = (name: string) => ({ name: `${name}-${randomUUID().slice(0, 6)}`, mode: 'pool', sharedAddress: 'proxied.example' });
    assert.equal((await call(base, 'POST', '/api/v1/clusters', { cookie, origin }, cluster('Public'))).status, 201);
    for (const other of [base, 'http://twinrec.example', 'https://twinrec.example:8443', 'https://evil.example']) {
      const res = await call(base, 'POST', '/api/v1/clusters', { cookie, origin: other }, cluster('Other'));
      assert.equal(res.status, 403, other);
      assert.equal(res.body.type, problemType('csrf-rejected'));
    }
    assert.equal((await call(base, 'POST', '/api/v1/clusters', { cookie }, cluster('NoOrigin'))).status, 201, 'no Origin: not a browser page of another site');
  });

  test('without http.trustProxy, X-Forwarded-For is ignored: the peer is the client', async () => {
    const base = plain.url;
    const username = `peer-${randomUUID().slice(0, 6)}`;
    const password = `pw-${randomUUID()}`;
    assert.equal((await call(base, 'POST', '/api/v1/users', plain.authHeader, { username, password, role: 'viewer' })).status, 201);
    for (let i = 0; i < 3; i += 1) await call(base, 'POST', '/api/v1/auth/login', from(`198.51.100.${i + 1}`), { username, password: 'wrong guess!' });
    assert.equal((await call(base, 'POST', '/api/v1/auth/login', from('192.0.2.46'), { username, password })).status, 429, 'a forged header does not make another client');
    const audit = await call(base, 'GET', `/api/v1/audit?actor=${username}&action=auth.login`, plain.authHeader);
    assert.ok(audit.body.items.every((e: { address: string }) => e.address === '127.0.0.1' || e.address === '::1' || e.address === '::ffff:127.0.0.1'), JSON.stringify(audit.body.items));
  });
});

describe('the first admin of a real `twinrec serve`', () => {
  const dirs: string[] = [];
  const running: TwinrecProcess[] = [];
  after(async () => {
    for (const proc of running) await proc.stop('SIGKILL', 2_000);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('without auth.adminPassword a password is generated, printed once on stdout, never logged, and works', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'twinrec-auth-'));
    dirs.push(dataDir);
    const serve = () => {
      const proc = runTwinrec(['serve', '--port', '0', '--data-dir', dataDir, '--log-format', 'json', '--log-level', 'trace']);
      running.push(proc);
      return proc;
    };
    const first = serve();
    const created = JSON.parse(await first.waitForLine((l) => l.includes('"admin-created"'))) as { event: string; username: string; password: string };
    assert.equal(created.username, 'admin');
    assert.match(created.password, /^[A-Za-z0-9_-]{24}$/);
    const { url } = JSON.parse(await first.waitForLine((l) => l.includes('"listening"'))) as { url: string };
    const { cookie } = await login(url, 'admin', created.password);
    assert.equal((await call(url, 'GET', '/api/v1/clusters', { cookie })).status, 200);
    assert.equal(await first.stop('SIGTERM'), 0);
    assert.ok(!first.stderr().includes(created.password), 'the password never goes through the logger');
    assert.match(first.stderr(), /admin account created; its generated password is printed once on stdout/);
    assert.equal(first.stdout().split(created.password).length, 2, 'printed exactly once');

    const second = serve();
    const again = JSON.parse(await second.waitForLine((l) => l.includes('"listening"'))) as { url: string };
    await login(again.url, 'admin', created.password);
    assert.equal(await second.stop('SIGTERM'), 0);
    assert.equal(second.stdout().trim().split('\n').length, 1, 'a restart prints no password: only the listening line');
  });
});
