// The HTTP edge of the controller against what an attacker or a sloppy client sends, over real
// sockets against a real controller and database (SQLite always, PostgreSQL too when
// TWINREC_TEST_PG_URL is set): changes without a body, the headers every answer carries, paths
// that only look like the API's, names with control and bidi characters, and a client too slow
// to send its request (security review, issue 15).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { openApiDocument } from '../api/src/http/openapi.js';
import { onEachBackend, startTestController, type TestController } from './helpers/controller.js';

const problemType = (slug: string): string => `urn:twinrec:problem:${slug}`;
/** Generous: every answer here comes in milliseconds on a quiet machine. */
const answerTimeoutMs = 15_000;

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/**
 * A request sent as written, with node:http: no URL normalisation (fetch resolves `/./` and
 * `/../`, and would not send `//api`), no Content-Length unless the test sets one.
 */
function raw(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers, agent: false, timeout: answerTimeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let parsed: unknown = undefined;
        try {
          parsed = JSON.parse(text);
        } catch {
          // HTML, or nothing
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${answerTimeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends `text` as the whole request on a fresh TCP connection, with no body framing: a request
 * with `Content-Type: application/json` and neither Content-Length nor Transfer-Encoding has no
 * body at all (RFC 9112), which node:http never sends for PATCH on its own.
 */
function rawTcp(base: string, text: string): Promise<{ status: number; headers: string; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(text));
    let received = '';
    socket.setEncoding('utf8');
    socket.setTimeout(answerTimeoutMs, () => socket.destroy(new Error(`no answer within ${answerTimeoutMs} ms`)));
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(received.slice(0, end))?.[1];
      if (end >= 0 && length !== undefined && Buffer.byteLength(received.slice(end + 4)) >= Number(length)) socket.end();
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const end = received.indexOf('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0), headers: received.slice(0, end), body: received.slice(end + 4) });
    });
  });
}

onEachBackend('the HTTP edge', (suite) => {
  let base: string;
  let admin: Record<string, string>;
  let clusterId: string;
  let nodeId: string;
  let userId: string;

  before(async () => {
    base = suite.controller.url;
    admin = { ...suite.controller.authHeader };
    const cluster = await raw(base, 'POST', '/api/v1/clusters', { ...admin, 'content-type': 'application/json' }, JSON.stringify({ name: `edge-${randomUUID().slice(0, 8)}`, mode: 'cloning', sharedAddress: '10.20.0.1' }));
    assert.equal(cluster.status, 201, cluster.text);
    clusterId = cluster.body.id as string;
    const node = await raw(base, 'POST', `/api/v1/clusters/${clusterId}/nodes`, { ...admin, 'content-type': 'application/json' }, JSON.stringify({ name: 'edge-a', role: 'primary', hostName: 'edge-a' }));
    assert.equal(node.status, 201, node.text);
    nodeId = node.body.id as string;
    const user = await raw(base, 'POST', '/api/v1/users', { ...admin, 'content-type': 'application/json' }, JSON.stringify({ username: `edge-${randomUUID().slice(0, 8)}`, password: `pw-${randomUUID()}`, role: 'viewer' }));
    assert.equal(user.status, 201, user.text);
    userId = user.body.id as string;
  });

  test('PATCH of a cluster, a node and a user with Content-Type JSON and no body is 400 validation-failed, not 500; a non-JSON body is 415', async () => {
    for (const path of [`/api/v1/clusters/${clusterId}`, `/api/v1/clusters/${clusterId}/nodes/${nodeId}`, `/api/v1/users/${userId}`]) {
      const none = await rawTcp(base, `PATCH ${path} HTTP/1.1\r\nHost: ${new URL(base).host}\r\nAuthorization: ${admin.authorization}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n`);
      assert.equal(none.status, 400, `${path}: ${none.body}`);
      const problem = JSON.parse(none.body) as { type: string; errors: Array<{ path: string }> };
      assert.equal(problem.type, problemType('validation-failed'));
      assert.deepEqual(problem.errors.map((e) => e.path), ['/body']);
      assert.match(none.headers, /\r\ncontent-type: application\/problem\+json/i);
      const text = await raw(base, 'PATCH', path, { ...admin, 'content-type': 'text/plain' }, 'role=admin');
      assert.equal(text.status, 415, `${path}: ${text.text}`);
      assert.equal(text.body.type, problemType('unsupported-media-type'));
    }
    // Nothing changed.
    const user = await raw(base, 'GET', '/api/v1/users', admin);
    assert.equal((user.body.items as Array<{ id: string; role: string }>).find((u) => u.id === userId)?.role, 'viewer');
  });

  test('every operation that takes a body answers a bodiless request with a 4xx problem, never a 500', async () => {
    const paths = openApiDocument.paths as unknown as Record<string, Record<string, { requestBody?: unknown } | undefined>>;
    const withBody = Object.entries(paths).flatMap(([path, item]) => (['post', 'put', 'patch'] as const).filter((m) => item[m]?.requestBody !== undefined).map((m) => ({ method: m.toUpperCase(), path: path.replace('{clusterId}', clusterId).replace('{nodeId}', nodeId).replace('{userId}', userId).replace(/\{[^}]+\}/g, randomUUID()) })));
    assert.ok(withBody.length >= 12, `${withBody.length} operations with a body`);
    for (const op of withBody) {
      const answer = await rawTcp(base, `${op.method} ${op.path} HTTP/1.1\r\nHost: ${new URL(base).host}\r\nAuthorization: ${admin.authorization}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n`);
      assert.ok(answer.status >= 200 && answer.status < 500 && answer.status !== 0, `${op.method} ${op.path}: ${answer.status} ${answer.body}`);
    }
  });

  test('every /api answer has Cache-Control: no-store and X-Content-Type-Options: nosniff; the console has nosniff', async () => {
    const answers = [
      await raw(base, 'GET', '/api/v1/clusters', admin),
      await raw(base, 'GET', `/api/v1/clusters/${clusterId}`, admin),
      await raw(base, 'GET', '/api/v1/auth/session', admin),
      await raw(base, 'GET', '/api/v1/clusters'),
      await raw(base, 'GET', `/api/v1/clusters/${randomUUID()}`, admin),
      await raw(base, 'GET', '/api/v1/nothing-here', admin),
      await raw(base, 'POST', '/api/v1/clusters', { ...admin, 'content-type': 'application/json' }, '{'),
      await raw(base, 'GET', '/api/v1/openapi.json'),
    ];
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 401, 404, 404, 400, 200]);
    for (const answer of answers) {
      assert.equal(answer.headers['cache-control'], 'no-store');
      assert.equal(answer.headers['x-content-type-options'], 'nosniff');
    }
    for (const path of ['/', '/clusters/abc', '/assets/missing.js', '/healthz']) {
      assert.equal((await raw(base, 'GET', path)).headers['x-content-type-options'], 'nosniff', path);
    }
  });

  test('a path that only looks like the API (//api, dot segments, encoded slashes) is 404 problem+json, never the console', async () => {
    const console = await raw(base, 'GET', '/clusters/abc');
    assert.equal(console.status, 200, 'a console route gets the page');
    assert.match(console.headers['content-type'] as string, /^text\/html/);
    for (const path of ['//api/v1/clusters', '//API/v1/users', '/./api/v1/clusters', '/x/../api/v1/clusters', '/%2e/api/v1/clusters', '/x/%2E%2E/api/v1/clusters', '/api%2fv1/clusters', '/%2Fapi/v1/clusters', '/%61pi/v1/clusters', '//assets/index.js', '//evil.example/x']) {
      for (const method of ['GET', 'HEAD', 'POST']) {
        const answer = await raw(base, method, path, admin);
        assert.equal(answer.status, 404, `${method} ${path}: ${answer.status} ${answer.headers['content-type']}`);
        assert.match(answer.headers['content-type'] as string, /^application\/problem\+json/, `${method} ${path}`);
        if (method !== 'HEAD') assert.equal(answer.body.type, problemType('not-found'), `${method} ${path}`);
      }
    }
  });

  test('names with NUL, control, bidi or other invisible characters are refused (400 validation-failed) for clusters, nodes and tokens; other Unicode is not', async () => {
    const json = { ...admin, 'content-type': 'application/json' };
    const bad = ['edge\u0000null', 'edge\u0007bell', 'edge\ttab', 'edge\nline', 'edge\u202Eevil', 'edge\u2066isolate', 'edge\u200Bzero-width', 'edge\u200Fmark', 'edge\uFEFFbom', 'edge\u0085next'];
    for (const name of bad) {
      const label = JSON.stringify(name);
      const cluster = await raw(base, 'POST', '/api/v1/clusters', json, JSON.stringify({ name, mode: 'cloning', sharedAddress: '10.20.0.2' }));
      assert.equal(cluster.status, 400, `cluster ${label}: ${cluster.text}`);
      assert.equal(cluster.body.type, problemType('validation-failed'));
      const renamed = await raw(base, 'PATCH', `/api/v1/clusters/${clusterId}`, json, JSON.stringify({ name }));
      assert.equal(renamed.status, 400, `cluster rename ${label}`);
      const node = await raw(base, 'POST', `/api/v1/clusters/${clusterId}/nodes`, json, JSON.stringify({ name, role: 'secondary', hostName: 'edge-b' }));
      assert.equal(node.status, 400, `node ${label}: ${node.text}`);
      const nodeRenamed = await raw(base, 'PATCH', `/api/v1/clusters/${clusterId}/nodes/${nodeId}`, json, JSON.stringify({ name }));
      assert.equal(nodeRenamed.status, 400, `node rename ${label}`);
      const token = await raw(base, 'POST', '/api/v1/tokens', json, JSON.stringify({ name }));
      assert.equal(token.status, 400, `token ${label}: ${token.text}`);
      assert.equal(token.body.type, problemType('validation-failed'));
    }
    const fine = await raw(base, 'POST', '/api/v1/clusters', json, JSON.stringify({ name: `Überwachung Süd 監視 ${randomUUID().slice(0, 4)}`, mode: 'cloning', sharedAddress: '10.20.0.3' }));
    assert.equal(fine.status, 201, fine.text);
    const clusters = await raw(base, 'GET', '/api/v1/clusters', admin);
    assert.ok(!JSON.stringify(clusters.body).includes('edge\\u'), 'no refused name was stored');
  });
});

describe('a client too slow to send its request', () => {
  let controller: TestController;
  before(async () => {
    controller = await startTestController({ flags: { 'http.requestTimeoutMs': 1_000 } });
  });
  after(async () => {
    await controller.close();
  });

  test('is answered 408 and cut off close to http.requestTimeoutMs, not up to 30 s later', async () => {
    const url = new URL(controller.url);
    // The headers promise a body of 100 bytes; 10 come, then nothing.
    const started = Date.now();
    const answer = await new Promise<{ status: number; closed: boolean }>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(`POST /api/v1/tokens HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: ${controller.authHeader.authorization}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name": "`);
      });
      let received = '';
      socket.setEncoding('utf8');
      // Generous: the 30 s that Node's default check interval may add is what must not happen.
      socket.setTimeout(20_000, () => socket.destroy(new Error(`still open after ${Date.now() - started} ms`)));
      socket.on('data', (chunk: string) => (received += chunk));
      socket.on('error', reject);
      socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0), closed: true }));
    });
    assert.equal(answer.status, 408, 'Request Timeout');
    assert.ok(answer.closed);
    // The controller still answers others.
    assert.equal((await fetch(`${controller.url}/healthz`, { signal: AbortSignal.timeout(answerTimeoutMs) })).status, 200);
  });
});
