// The Device Overview's plain GETs answered on node:http directly (api/src/http/overview-direct.ts),
// in a real `twinrec serve`: the same page as express gives for the same query, the security
// headers and a metric under the route's label; every credential or query that is not plain gets
// express's own answer (401 with a stale cookie cleared, 400 `validation-failed`, 404).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { agentPair, cameraStatus, eventually, type AgentPair } from './helpers/agent-reports.js';
import { login } from './helpers/auth.js';
import { startTestController, type TestController } from './helpers/controller.js';

const problemType = (slug: string) => `urn:twinrec:problem:${slug}`;

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

describe('Device Overview on the direct path', () => {
  let controller: TestController;
  let pair: AgentPair;
  let viewerToken: string;

  const get = async (path: string, headers: Record<string, string> = controller.authHeader): Promise<Answer> => {
    const res = await fetch(`${controller.url}${path}`, { headers, signal: AbortSignal.timeout(15_000) });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const metricCount = async (route: string, status: number): Promise<number> => {
    const text = await (await fetch(`${controller.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('twinrec_http_requests_total{') && l.includes(`route="${route}"`) && l.includes('method="GET"') && l.includes(`status="${status}"`));
    return line === undefined ? 0 : Number(line.split(' ').pop());
  };

  before(async () => {
    controller = await startTestController();
    pair = await agentPair(controller, 'DirectOverview');
    const cameras = ['cam-a', 'cam-b', 'cam-c'].map((id) => cameraStatus(id));
    await eventually(
      () => pair.reportBoth({ cameras }, { cameras }),
      async () => assert.equal((JSON.parse((await get(`/api/v1/clusters/${pair.clusterId}/cameras`)).text) as { total: number }).total, 3),
    );
    const made = await fetch(`${controller.url}/api/v1/tokens`, { method: 'POST', headers: { ...controller.authHeader, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'console wall', role: 'viewer' }) });
    assert.equal(made.status, 201);
    viewerToken = ((await made.json()) as { token: string }).token;
  });
  after(async () => {
    await controller?.close();
  });

  test('a plain page is the page express gives for the same query, with the security headers and a metric', async () => {
    const beforeAll = await metricCount('/api/v1/cameras', 200);
    const beforeCluster = await metricCount('/api/v1/clusters/:clusterId/cameras', 200);
    for (const query of ['limit=2&sort=-name', 'problems=false&q=cam-&offset=1', `clusterId=${pair.clusterId}&sort=status&limit=500`]) {
      const direct = await get(`/api/v1/cameras?${query}`);
      // A trailing slash is not plain: express answers this one.
      const viaExpress = await get(`/api/v1/cameras/?${query}`);
      assert.equal(direct.status, 200, direct.text);
      assert.equal(viaExpress.status, 200, viaExpress.text);
      assert.deepEqual(JSON.parse(direct.text), JSON.parse(viaExpress.text), query);
      for (const name of ['content-type', 'x-content-type-options', 'cache-control']) assert.equal(direct.headers.get(name), viaExpress.headers.get(name), name);
      assert.equal(direct.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(direct.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(direct.headers.get('cache-control'), 'no-store');
      assert.equal(Number(direct.headers.get('content-length')), Buffer.byteLength(direct.text));
    }
    const page = JSON.parse((await get(`/api/v1/cameras?limit=2&sort=-name&clusterId=${pair.clusterId}`)).text) as { items: Array<{ cameraId: string }>; total: number; limit: number };
    assert.deepEqual([page.items.map((c) => c.cameraId), page.total, page.limit], [['cam-c', 'cam-b'], 3, 2]);
    const one = await get(`/api/v1/clusters/${pair.clusterId}/cameras?sort=name&limit=1&offset=2`);
    assert.equal(one.status, 200, one.text);
    assert.deepEqual((JSON.parse(one.text) as { items: Array<{ cameraId: string }> }).items.map((c) => c.cameraId), ['cam-c']);
    // Three direct pages, the same three through express (labelled alike) and the one above.
    assert.equal(await metricCount('/api/v1/cameras', 200), beforeAll + 7);
    assert.equal(await metricCount('/api/v1/clusters/:clusterId/cameras', 200), beforeCluster + 1);
  });

  test('a viewer token and a session cookie read it; the Bearer header wins over a cookie', async () => {
    const asViewer = await get('/api/v1/cameras?limit=1', { authorization: `Bearer ${viewerToken}` });
    assert.equal(asViewer.status, 200, asViewer.text);
    const { cookie } = await login(controller.url, 'admin', controller.adminPassword);
    const withCookie = await get('/api/v1/cameras?limit=1', { cookie: `theme=dark; ${cookie}` });
    assert.equal(withCookie.status, 200, withCookie.text);
    assert.deepEqual(JSON.parse(withCookie.text), JSON.parse(asViewer.text));
    const badBearer = await get('/api/v1/cameras?limit=1', { authorization: 'Bearer trk_not-a-token', cookie });
    assert.equal(badBearer.status, 401);
    assert.equal((JSON.parse(badBearer.text) as { type: string }).type, problemType('unauthenticated'));
    assert.equal(badBearer.headers.get('www-authenticate'), 'Bearer realm="twinrec"');
  });

  test('no credential, an unknown token or an ended session: 401 from express, the stale cookie cleared', async () => {
    const none = await get('/api/v1/cameras', {});
    assert.equal(none.status, 401);
    assert.equal((JSON.parse(none.text) as { type: string }).type, problemType('unauthenticated'));
    const unknown = await get('/api/v1/cameras', { authorization: `Bearer trk_${'A'.repeat(43)}` });
    assert.equal(unknown.status, 401);
    const { cookie } = await login(controller.url, 'admin', controller.adminPassword);
    const out = await fetch(`${controller.url}/api/v1/auth/logout`, { method: 'POST', headers: { cookie } });
    assert.equal(out.status, 204);
    const ended = await get(`/api/v1/clusters/${pair.clusterId}/cameras`, { cookie });
    assert.equal(ended.status, 401, ended.text);
    assert.match(ended.headers.get('set-cookie') ?? '', /twinrec_session=;/, 'the ended session\'s cookie is cleared');
  });

  test('bad queries and unknown clusters get the problems they always got', async () => {
    for (const query of ['limit=0', 'limit=5&limit=6', 'sort=size', `q=${'x'.repeat(65)}`, 'page=2', 'clusterId=abc']) {
      const answer = await get(`/api/v1/cameras?${query}`);
      assert.equal(answer.status, 400, `${query}: ${answer.text}`);
      assert.equal((JSON.parse(answer.text) as { type: string }).type, problemType('validation-failed'), query);
    }
    const missing = randomUUID();
    const unknown = await get(`/api/v1/clusters/${missing}/cameras?limit=5`);
    assert.equal(unknown.status, 404, unknown.text);
    const problem = JSON.parse(unknown.text) as { type: string; instance: string };
    assert.equal(problem.type, problemType('not-found'));
    assert.equal(problem.instance, `/api/v1/clusters/${missing}/cameras?limit=5`);
    assert.match(unknown.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(unknown.headers.get('cache-control'), 'no-store');
    // The same unknown cluster through express (a trailing slash is not plain): the same problem.
    const viaExpress = await get(`/api/v1/clusters/${missing}/cameras/?limit=5`);
    assert.equal(viaExpress.status, 404, viaExpress.text);
    assert.equal((JSON.parse(viaExpress.text) as { type: string }).type, problemType('not-found'));
    assert.equal(viaExpress.headers.get('content-type'), unknown.headers.get('content-type'));
  });
});
