import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import cookieParser from 'cookie-parser';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { agentCallLogging, exceptAgentCalls, isAgentCall } from './agent-calls.js';

/** An app that logs like the controller's: agent calls apart, everything else through `general`. */
function appLogging(level: pino.Level) {
  const lines: Array<{ level: number; msg: string; req?: unknown }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as (typeof lines)[number]);
      done();
    },
  });
  const log = pino({ level }, sink);
  const app = express();
  const general: express.RequestHandler = (req, res, next) => {
    res.once('finish', () => log.info(`general ${req.method} ${req.path}`));
    next();
  };
  app.use(agentCallLogging(log, general));
  app.use(exceptAgentCalls(cookieParser()));
  app.post('/api/v1/agent/report', (req, res) => {
    if (req.get('authorization') !== 'Bearer good') return void res.status(401).json({});
    res.json({ cookies: (req as { cookies?: unknown }).cookies ?? null });
  });
  app.get('/api/v1/clusters', (req, res) => res.json({ cookies: (req as { cookies?: unknown }).cookies ?? null }));
  return { app, lines };
}

test('agent calls are logged at debug when taken and at warn when refused, without headers; the rest as before', async () => {
  const { app, lines } = appLogging('info');
  await request(app).post('/api/v1/agent/report').set('authorization', 'Bearer good').send({}).expect(200);
  await request(app).post('/api/v1/agent/report').set('authorization', 'Bearer bad-secret').send({}).expect(401);
  await request(app).get('/api/v1/clusters').expect(200);
  assert.deepEqual(
    lines.map((l) => [l.level, l.msg.replace(/\d+ms$/, 'Nms')]),
    [
      [40, 'POST /api/v1/agent/report 401 Nms'],
      [30, 'general GET /api/v1/clusters'],
    ],
  );
  assert.ok(!JSON.stringify(lines).includes('bad-secret'), 'no header is logged');

  const debug = appLogging('debug');
  await request(debug.app).post('/api/v1/agent/report').set('authorization', 'Bearer good').send({}).expect(200);
  assert.deepEqual(debug.lines.map((l) => [l.level, l.msg.replace(/\d+ms$/, 'Nms')]), [[20, 'POST /api/v1/agent/report 200 Nms']]);
});

test('agent calls skip the cookie parser; other requests keep it', async () => {
  const { app } = appLogging('info');
  const agent = await request(app).post('/api/v1/agent/report').set('authorization', 'Bearer good').set('cookie', 'twinrec_session=x').send({}).expect(200);
  assert.equal((agent.body as { cookies: unknown }).cookies, null);
  const other = await request(app).get('/api/v1/clusters').set('cookie', 'twinrec_session=x').expect(200);
  assert.deepEqual((other.body as { cookies: unknown }).cookies, { twinrec_session: 'x' });
});

test('only POST to the two operations, spelled as the document spells them, is an agent call', () => {
  const call = (method: string, path: string) => isAgentCall({ method, path } as express.Request);
  assert.equal(call('POST', '/api/v1/agent/report'), true);
  assert.equal(call('POST', '/api/v1/agent/register'), true);
  assert.equal(call('GET', '/api/v1/agent/report'), false);
  assert.equal(call('POST', '/API/v1/agent/report'), false);
  assert.equal(call('POST', '/api/v1/agent/reports'), false);
});
