import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import cookieParser from 'cookie-parser';
import express, { Router } from 'express';
import pino from 'pino';
import request from 'supertest';
import { agentCallsFirst, isAgentCall } from './agent-calls.js';
import { openApiDocument } from './openapi.js';
import { errorHandler } from './problem.js';

/** An app laid out as the controller's: the agents' calls first, then a cookie parser and a general route, then the error handler. */
function appWith(level: pino.Level) {
  const lines: Array<{ level: number; msg: string; req?: unknown }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as (typeof lines)[number]);
      done();
    },
  });
  const log = pino({ level }, sink);
  const metered: string[] = [];
  const laterLayers: string[] = [];
  const routes = Router();
  routes.post('/agent/report', (req, res) => {
    if (req.get('authorization') !== 'Bearer good') return void res.status(401).json({});
    res.json({ cookies: (req as { cookies?: unknown }).cookies ?? null, body: req.body as unknown });
  });
  const app = express();
  app.set('query parser', 'simple');
  app.use(
    agentCallsFirst({
      log,
      metrics: (req, _res, next) => {
        metered.push(`${req.method} ${req.path}`);
        next();
      },
      routes,
      bodyLimitBytes: 1024,
      document: openApiDocument,
    }),
  );
  app.use((req, _res, next) => {
    laterLayers.push(`${req.method} ${req.path}`);
    next();
  });
  app.use(cookieParser());
  app.get('/api/v1/clusters', (req, res) => res.json({ cookies: (req as { cookies?: unknown }).cookies ?? null }));
  app.use(errorHandler(log));
  return { app, lines, metered, laterLayers };
}

test('agent calls are logged at debug when taken and at warn when refused, without headers', async () => {
  const { app, lines } = appWith('info');
  await request(app).post('/api/v1/agent/report').set('authorization', 'Bearer good').send({}).expect(200);
  await request(app).post('/api/v1/agent/report').set('authorization', 'Bearer bad-secret').send({}).expect(401);
  assert.deepEqual(
    lines.map((l) => [l.level, l.msg.replace(/\d+ms$/, 'Nms')]),
    [[40, 'POST /api/v1/agent/report 401 Nms']],
  );
  assert.ok(!JSON.stringify(lines).includes('bad-secret'), 'no header is logged');

  const debug = appWith('debug');
  await request(debug.app).post('/api/v1/agent/report').set('authorization', 'Bearer good').send({}).expect(200);
  assert.deepEqual(debug.lines.map((l) => [l.level, l.msg.replace(/\d+ms$/, 'Nms')]), [[20, 'POST /api/v1/agent/report 200 Nms']]);
});

test('agent calls are answered before every later layer, with their body parsed, the security headers and a metric', async () => {
  const { app, metered, laterLayers } = appWith('info');
  const agent = await request(app).post('/api/v1/agent/report').set('authorization', 'Bearer good').set('cookie', 'twinrec_session=x').send({ nodeId: 'n' }).expect(200);
  assert.deepEqual(agent.body, { cookies: null, body: { nodeId: 'n' } });
  assert.equal(agent.headers['x-content-type-options'], 'nosniff');
  assert.equal(agent.headers['cache-control'], 'no-store');
  assert.deepEqual(laterLayers, [], 'no later layer saw the agent call');
  assert.deepEqual(metered, ['POST /api/v1/agent/report']);

  const other = await request(app).get('/api/v1/clusters').set('cookie', 'twinrec_session=x').expect(200);
  assert.deepEqual((other.body as { cookies: unknown }).cookies, { twinrec_session: 'x' });
  assert.deepEqual(laterLayers, ['GET /api/v1/clusters']);
  assert.deepEqual(metered, ['POST /api/v1/agent/report'], 'other requests are metered by the general stack, not here');
});

test('a bad agent call gets a problem: a query parameter, a body that is not JSON, no body, a body too large, broken JSON', async () => {
  const { app } = appWith('info');
  const post = () => request(app).post('/api/v1/agent/report').set('authorization', 'Bearer good');
  const cases: Array<[string, request.Test, number, string]> = [
    ['query', post().query({ debug: '1' }).send({}), 400, 'validation-failed'],
    ['text body', post().set('content-type', 'text/plain').send('hello'), 415, 'unsupported-media-type'],
    ['no body', post(), 400, 'validation-failed'],
    ['too large', post().send({ pad: 'x'.repeat(2048) }), 413, 'body-too-large'],
    ['broken JSON', post().set('content-type', 'application/json').send('{"a":'), 400, 'malformed-json'],
  ];
  for (const [label, call, status, type] of cases) {
    const res = await call;
    assert.equal(res.status, status, label);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', label);
    assert.equal((res.body as { type: string }).type, `urn:twinrec:problem:${type}`, label);
  }
});

test('only POST to the agent operations, spelled as the document spells them, is an agent call', () => {
  const call = (method: string, path: string) => isAgentCall({ method, path } as express.Request);
  assert.equal(call('POST', '/api/v1/agent/report'), true);
  assert.equal(call('POST', '/api/v1/agent/register'), true);
  assert.equal(call('POST', '/api/v1/agent/recorder-config'), true);
  assert.equal(call('GET', '/api/v1/agent/report'), false);
  assert.equal(call('POST', '/API/v1/agent/report'), false);
  assert.equal(call('POST', '/api/v1/agent/reports'), false);
});
