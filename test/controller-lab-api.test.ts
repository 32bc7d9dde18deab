// The controller's REST API against a real lab with agents: the cluster list, a node's
// storages, the Device Overview with a real camera fault, Switch and its refusals, Focus, and
// the error answers (401, 403, 404, 400). Everything goes through HTTP as a tool would.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { waitFor } from '../lab/testing/harness.js';
import { startHaLab, type HaLab } from './helpers/ha-lab.js';

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

interface NodeSummary {
  id: string;
  name: string;
  haStatus: string;
  state: string | null;
  uptimeSeconds: number | null;
  ping: { avgMs: number | null; maxMs: number | null } | null;
  storageCount: number | null;
}

interface ClusterSummary {
  id: string;
  name: string;
  servingNodeId: string | null;
  dataMissing: boolean;
  nodes: NodeSummary[];
}

interface CameraRow {
  cameraId: string;
  problem: boolean;
  connected: boolean;
  disconnected: boolean;
  disconnectedOn: Array<{ nodeId: string; nodeName: string }>;
}

const problemType = (slug: string): string => `urn:twinrec:problem:${slug}`;

describe('REST API against the lab with agents', () => {
  let ha: HaLab;
  let base: string;
  let admin: Record<string, string>;
  let clusterId: string;

  async function call(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(options.headers ?? admin) },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  }

  const cluster = async (): Promise<ClusterSummary> => {
    const list = await call('GET', '/api/v1/clusters');
    assert.equal(list.status, 200);
    const found = (list.body.items as ClusterSummary[]).find((c) => c.id === clusterId);
    assert.ok(found, 'the lab cluster is listed');
    return found;
  };
  const nodeIdOf = async (name: string): Promise<string> => {
    const found = (await cluster()).nodes.find((n) => n.name === name);
    assert.ok(found, `node ${name}`);
    return found.id;
  };
  /** A token of a new account with the given role. */
  async function accountWith(role: 'viewer' | 'operator'): Promise<Record<string, string>> {
    const username = `${role}-${randomUUID().slice(0, 8)}`;
    const password = `pw-${randomUUID()}`;
    const created = await call('POST', '/api/v1/users', { body: { username, password, role } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    assert.equal(login.status, 200);
    const cookie = login.headers.get('set-cookie')?.split(';')[0];
    assert.ok(cookie !== undefined, 'a session cookie');
    return { cookie, origin: base };
  }

  before(async () => {
    ha = await startHaLab({ cameras: 8 });
    assert.ok(ha.controller !== null);
    base = ha.controller.url;
    admin = ha.controller.authHeader;
    await ha.steady();
    clusterId = await waitFor('the agents to register the cluster', async () => {
      const list = await call('GET', '/api/v1/clusters?q=lab-pair-1');
      return (list.body.items as ClusterSummary[] | undefined)?.[0]?.id;
    });
  });
  after(async () => {
    await ha?.close();
  });

  test('the cluster list shows who serves and both nodes live, as the agents report them', async () => {
    const start = await ha.steady();
    const c = await waitFor('both nodes reported with the current Serving node', async () => {
      const found = await cluster();
      const serving = found.nodes.find((n) => n.id === found.servingNodeId);
      return serving?.name === start.serving && found.nodes.every((n) => n.state !== null && n.ping?.avgMs != null && (n.storageCount ?? 0) >= 1) ? found : undefined;
    }, 30_000, 250);
    const byName = new Map(c.nodes.map((n) => [n.name, n]));
    assert.deepEqual([byName.get(start.serving)?.haStatus, byName.get(start.standby)?.haStatus], ['Serving', 'Standby']);
    assert.ok(['PRIM', 'ALONE'].includes(byName.get(start.serving)?.state ?? ''), 'the Serving node is PRIM or ALONE');
    assert.equal(byName.get(start.standby)?.state, 'SECOND');
    for (const n of c.nodes) {
      assert.ok((n.uptimeSeconds ?? -1) >= 0);
      assert.ok((n.ping?.maxMs ?? -1) >= (n.ping?.avgMs ?? 0), 'the maximum ping is at least the average');
      assert.ok((n.storageCount ?? 0) >= 1, 'every lab recorder has a storage');
    }
    const detail = await call('GET', `/api/v1/clusters/${clusterId}/nodes/${await nodeIdOf(start.serving)}`);
    assert.equal(detail.status, 200);
    const storages = detail.body.storages as Array<{ path: string; sizeBytes: number; available: boolean }>;
    assert.ok(storages.length >= 1);
    assert.ok(storages.every((s) => s.available && s.sizeBytes > 0 && s.path.length > 0));
  });

  test('a camera disconnected on one recorder shows under the problems filter, and leaves it on reconnect', async () => {
    const start = await ha.steady();
    const camera = ha.cameraIds[0] as string;
    const standbyId = await nodeIdOf(start.standby);
    const problems = async (): Promise<CameraRow[]> => {
      const page = await call('GET', `/api/v1/clusters/${clusterId}/cameras?problems=true`);
      assert.equal(page.status, 200);
      return page.body.items as CameraRow[];
    };
    await waitFor('every lab camera in the overview', async () => ((await call('GET', `/api/v1/cameras?clusterId=${clusterId}`)).body.total === ha.cameraIds.length ? true : undefined), 30_000, 250);
    await waitFor('no camera with a problem', async () => ((await problems()).length === 0 ? true : undefined), 30_000, 250);

    const fault = (action: string) => fetch(`${ha.description.control.url}/lab/recorders/${start.standby}/cameras/${camera}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action }) });
    assert.equal((await fault('disconnect')).status, 200);
    try {
      const row = await waitFor('the camera under problems', async () => (await problems()).find((c) => c.cameraId.toLowerCase() === camera.toLowerCase()), 30_000, 250);
      assert.equal(row.disconnected, true);
      assert.deepEqual(row.disconnectedOn.map((n) => n.nodeId), [standbyId], 'disconnected on the standby only');
      assert.equal((await problems()).length, 1, 'only that camera');
    } finally {
      assert.equal((await fault('reconnect')).status, 200);
    }
    await waitFor('the camera to leave the problems filter', async () => ((await problems()).length === 0 ? true : undefined), 30_000, 250);
  });

  test('switch: a second switch while the first is under way is refused with 409, and the Serving node moves', async () => {
    const start = await ha.steady();
    await waitFor('the controller to see the Serving node', async () => ((await cluster()).servingNodeId === (await nodeIdOf(start.serving)) ? true : undefined));
    const [first, second] = await Promise.all([
      call('POST', `/api/v1/clusters/${clusterId}/switch`, { body: { reason: 'api test' } }),
      call('POST', `/api/v1/clusters/${clusterId}/switch`, { body: { reason: 'api test, twice' } }),
    ]);
    const statuses = [first.status, second.status].sort();
    assert.deepEqual(statuses, [202, 409], JSON.stringify([first.body, second.body]));
    const accepted = first.status === 202 ? first : second;
    const refused = first.status === 409 ? first : second;
    assert.equal(refused.body.type, problemType('switch-not-possible'));
    assert.equal(refused.body.reason, 'switch-in-progress');
    const end = await waitFor('the standby to serve', async () => {
      const s = await ha.steady();
      return s.serving === start.standby ? s : undefined;
    }, 60_000);
    assert.equal(end.epoch, accepted.body.expectedEpoch, 'the new node serves under the epoch the switch announced');
    const audit = await call('GET', `/api/v1/audit?action=cluster.switch`);
    assert.equal(audit.status, 200);
    const entries = audit.body.items as Array<{ action: string; outcome: string; target: string }>;
    assert.ok(entries.some((e) => e.target === `cluster/${clusterId}` && e.outcome === 'success'), 'the accepted switch is audited');
    assert.ok(entries.some((e) => e.target === `cluster/${clusterId}` && e.outcome === 'failure'), 'the refused switch is audited');
  });

  test('switch while the peer is down is refused with 409 and the reason', async () => {
    const start = await ha.steady();
    // The standby's node is stopped by its agent (SafeKit STOP): its recorder is down and it will not take over.
    assert.equal((await ha.command(start.standby, 'stop')).status, 200);
    try {
      await waitFor('the standby to be stopped', async () => ((await ha.agentState(start.standby)).state === 'STOP' ? true : undefined), 30_000, 250);
      const refused = await waitFor('a refusal naming the peer', async () => {
        const r = await call('POST', `/api/v1/clusters/${clusterId}/switch`, { body: {} });
        assert.notEqual(r.status, 202, 'a switch to a stopped peer must not be accepted');
        return r.status === 409 && r.body.reason === 'peer-not-ready' ? r : undefined;
      }, 30_000, 500);
      assert.equal(refused.body.type, problemType('switch-not-possible'));
      const serving = await ha.agentState(start.serving);
      assert.equal(serving.serving, true, 'the Serving node stays');
      assert.equal(await ha.relayTarget(), start.serving);
    } finally {
      assert.equal((await ha.command(start.standby, 'start')).status, 200);
    }
    await waitFor('the standby back as SECOND', async () => ((await ha.agentState(start.standby)).state === 'SECOND' ? true : undefined), 60_000, 250);
  });

  test('focus: an operator looks at the standby while clients stay on the Serving node', async () => {
    const start = await ha.steady();
    const operator = await accountWith('operator');
    const standbyId = await nodeIdOf(start.standby);
    const focus = await call('POST', `/api/v1/clusters/${clusterId}/focus`, { body: { nodeId: standbyId }, headers: { ...operator, 'content-type': 'application/json' } });
    assert.equal(focus.status, 200, JSON.stringify(focus.body));
    assert.equal(focus.body.nodeId, standbyId);
    assert.equal(focus.body.serving, false);
    assert.ok(JSON.stringify(focus.body).includes(String(ha.description.pairs[0]?.recorders.find((r) => r.name === start.standby)?.webServerUri ?? '\u0000').replace(/\/$/, '')), 'the standby\'s own web server address is given');
    const session = await call('GET', '/api/v1/auth/session', { headers: operator });
    assert.deepEqual((session.body.focus as Array<{ nodeId: string }>).map((f) => f.nodeId), [standbyId]);
    assert.equal(await ha.relayTarget(), start.serving, 'clients stay on the Serving node');
    assert.equal((await call('DELETE', `/api/v1/clusters/${clusterId}/focus`, { headers: operator })).status, 204);
    assert.deepEqual((await call('GET', '/api/v1/auth/session', { headers: operator })).body.focus, []);
  });

  test('401 without credentials, 403 for a viewer, 404 for unknown ids, 400 for invalid bodies', async () => {
    const none = { accept: 'application/json' };
    for (const [method, path] of [
      ['GET', '/api/v1/clusters'],
      ['GET', `/api/v1/clusters/${clusterId}/state`],
      ['GET', '/api/v1/cameras'],
      ['GET', '/api/v1/events'],
      ['POST', `/api/v1/clusters/${clusterId}/switch`],
      ['POST', `/api/v1/clusters/${clusterId}/focus`],
      ['GET', '/api/v1/audit'],
    ] as const) {
      const r = await call(method, path, { headers: none, ...(method === 'POST' ? { body: {} } : {}) });
      assert.equal(r.status, 401, `${method} ${path}`);
      assert.equal(r.body.type, problemType('unauthenticated'), `${method} ${path}`);
    }
    const viewer = await accountWith('viewer');
    assert.equal((await call('GET', '/api/v1/cameras', { headers: viewer })).status, 200, 'a viewer reads');
    for (const [method, path, body] of [
      ['POST', `/api/v1/clusters/${clusterId}/switch`, {}],
      ['POST', `/api/v1/clusters/${clusterId}/focus`, { nodeId: randomUUID() }],
      ['POST', `/api/v1/clusters/${clusterId}/maintenance`, { on: true }],
      ['GET', '/api/v1/audit', undefined],
    ] as const) {
      const r = await call(method, path, { headers: { ...viewer, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body } : {}) });
      assert.equal(r.status, 403, `${method} ${path}`);
      assert.equal(r.body.type, problemType('forbidden'), `${method} ${path}`);
    }
    const unknown = randomUUID();
    for (const [method, path, body] of [
      ['GET', `/api/v1/clusters/${unknown}`, undefined],
      ['GET', `/api/v1/clusters/${unknown}/state`, undefined],
      ['GET', `/api/v1/clusters/${unknown}/cameras`, undefined],
      ['GET', `/api/v1/clusters/${clusterId}/nodes/${unknown}`, undefined],
      ['POST', `/api/v1/clusters/${unknown}/switch`, {}],
      ['POST', `/api/v1/clusters/${clusterId}/focus`, { nodeId: unknown }],
    ] as const) {
      const r = await call(method, path, body !== undefined ? { body } : {});
      assert.equal(r.status, 404, `${method} ${path}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.type, problemType('not-found'), `${method} ${path}`);
    }
    for (const [path, body] of [
      [`/api/v1/clusters/${clusterId}/switch`, { reason: 42 }],
      [`/api/v1/clusters/${clusterId}/maintenance`, { reason: 'no on' }],
      [`/api/v1/clusters/${clusterId}/focus`, {}],
      [`/api/v1/clusters/${clusterId}/focus`, { nodeId: 'not-a-uuid' }],
    ] as const) {
      const r = await call('POST', path, { body });
      assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}`);
      assert.equal(r.body.type, problemType('validation-failed'), `${path}: ${JSON.stringify(r.body)}`);
    }
  });
});
