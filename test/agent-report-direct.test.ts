// Agents' reports answered on node:http directly (api/src/http/agent-report-direct.ts), in a
// real `twinrec serve`: the plain case there, every other shape through express's agent stack,
// and the same answers either way: problems with stable types, the security headers, a metric,
// a controller that survives a client leaving mid-body.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';
import { agentPair, type AgentPair } from './helpers/agent-reports.js';
import { startTestController, type TestController } from './helpers/controller.js';

const problemType = (slug: string) => `urn:twinrec:problem:${slug}`;

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** A POST to the controller with raw control over headers and body chunks (`declaredLength` may lie; `stopAfterBytes` leaves mid-body). */
function post(base: string, path: string, headers: Record<string, string>, chunks: readonly Buffer[], o: { readonly leave?: boolean } = {}): Promise<Answer | null> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: 'POST', headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) });
      });
    });
    // The server may close once it answered a body it refused: what is still being written is lost, not an error here.
    req.on('error', (err: NodeJS.ErrnoException) => (o.leave === true || err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    for (const c of chunks) req.write(c);
    if (o.leave === true) {
      setTimeout(() => {
        req.destroy();
        resolve(null);
      }, 200);
      return;
    }
    req.end();
  });
}

describe('agent reports on the direct path', () => {
  let controller: TestController;
  let pair: AgentPair;

  before(async () => {
    controller = await startTestController();
    pair = await agentPair(controller, 'Direct');
  });
  after(async () => {
    await controller?.close();
  });

  const reportJson = (): Buffer => Buffer.from(JSON.stringify(pair.reportBody('a')));
  const agentHeaders = (more: Record<string, string> = {}): Record<string, string> => ({ authorization: `Bearer ${pair.secret}`, 'content-type': 'application/json', ...more });
  const metricCount = async (status: number): Promise<number> => {
    const text = await (await fetch(`${controller.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('twinrec_http_requests_total{') && l.includes('route="/api/v1/agent/report"') && l.includes(`status="${status}"`));
    return line === undefined ? 0 : Number(line.split(' ').pop());
  };

  test('a report is answered with the witness, the security headers and a metric', async () => {
    const before = await metricCount(200);
    const body = reportJson();
    const answer = await post(controller.url, '/api/v1/agent/report', agentHeaders({ 'content-length': String(body.length) }), [body]);
    assert.equal(answer?.status, 200, JSON.stringify(answer?.body));
    assert.equal(answer.body.eventsStored, 0);
    assert.equal(typeof (answer.body.peer as { alive: unknown }).alive, 'boolean');
    assert.equal(answer.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(answer.headers['x-content-type-options'], 'nosniff');
    assert.equal(answer.headers['cache-control'], 'no-store');
    assert.equal(await metricCount(200), before + 1);
    // Chunked, without a Content-Length: the same.
    const chunked = await post(controller.url, '/api/v1/agent/report', agentHeaders(), [body.subarray(0, 100), body.subarray(100)]);
    assert.equal(chunked?.status, 200, JSON.stringify(chunked?.body));
  });

  test('bad reports get the problems they got through express', async () => {
    const body = reportJson();
    const cases: Array<[string, Promise<Answer | null>, number, string]> = [
      ['wrong secret', post(controller.url, '/api/v1/agent/report', agentHeaders({ authorization: 'Bearer not-the-secret-of-this-cluster' }), [body]), 401, 'unauthorized'],
      ['not strict JSON', post(controller.url, '/api/v1/agent/report', agentHeaders(), [Buffer.from('42')]), 400, 'malformed-json'],
      ['broken JSON', post(controller.url, '/api/v1/agent/report', agentHeaders(), [Buffer.from('{"clusterId":')]), 400, 'malformed-json'],
      ['declared too large', post(controller.url, '/api/v1/agent/report', agentHeaders({ 'content-length': String(9 * 1024 * 1024) }), [Buffer.from('{"a":')]), 413, 'body-too-large'],
      ['streamed too large', post(controller.url, '/api/v1/agent/report', agentHeaders(), [Buffer.from('{"pad":"'), Buffer.alloc(9 * 1024 * 1024, 0x61), Buffer.from('"}')]), 413, 'body-too-large'],
      // Not the plain case: express's agent stack answers, as before.
      ['a query string', post(controller.url, '/api/v1/agent/report?debug=1', agentHeaders(), [body]), 400, 'validation-failed'],
      ['not JSON', post(controller.url, '/api/v1/agent/report', agentHeaders({ 'content-type': 'text/plain' }), [body]), 415, 'unsupported-media-type'],
      ['another charset', post(controller.url, '/api/v1/agent/report', agentHeaders({ 'content-type': 'application/json; charset=latin1' }), [body]), 415, 'unsupported-media-type'],
    ];
    for (const [label, pending, status, type] of cases) {
      const answer = await pending;
      assert.equal(answer?.status, status, `${label}: ${JSON.stringify(answer?.body)}`);
      assert.equal(answer.headers['content-type'], 'application/problem+json; charset=utf-8', label);
      assert.equal(answer.body.type, problemType(type), label);
      assert.equal(answer.headers['x-content-type-options'], 'nosniff', label);
      if (status === 401) assert.equal(answer.headers['www-authenticate'], 'Bearer realm="twinrec"');
    }
  });

  test('a compressed report goes through express, which inflates it, and is taken', async () => {
    const answer = await post(controller.url, '/api/v1/agent/report', agentHeaders({ 'content-encoding': 'gzip' }), [gzipSync(reportJson())]);
    assert.equal(answer?.status, 200, JSON.stringify(answer?.body));
  });

  test('a client that leaves mid-body costs nothing: the next report is answered', async () => {
    const left = await post(controller.url, '/api/v1/agent/report', agentHeaders({ 'content-length': '100000' }), [Buffer.from('{"clusterId":"')], { leave: true });
    assert.equal(left, null);
    await pair.report('b');
    await pair.report('a');
  });
});
