import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { requestLogging } from './request-logging.js';

function logged(level: pino.Level) {
  const lines: Array<{ level: number; msg: string; req?: unknown; res?: unknown; responseTime?: unknown }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as (typeof lines)[number]);
      done();
    },
  });
  return { log: pino({ level }, sink), lines };
}

test('one line per request: successes at the given level, refusals at warn, failures at error, never the query string or a header', async () => {
  const { log, lines } = logged('info');
  const app = express();
  app.use(requestLogging(log));
  app.get('/ok', (_req, res) => res.json({}));
  app.get('/refused', (_req, res) => res.status(404).json({}));
  app.get('/failed', (_req, res) => res.status(500).json({}));
  await request(app).get('/ok?token=secret-in-query').set('authorization', 'Bearer secret-in-header').expect(200);
  await request(app).get('/refused').expect(404);
  await request(app).get('/failed').expect(500);
  assert.deepEqual(
    lines.map((l) => [l.level, l.msg.replace(/\d+ms$/, 'Nms'), l.req, l.res, typeof l.responseTime]),
    [
      [30, 'GET /ok 200 Nms', { method: 'GET', path: '/ok' }, { status: 200 }, 'number'],
      [40, 'GET /refused 404 Nms', { method: 'GET', path: '/refused' }, { status: 404 }, 'number'],
      [50, 'GET /failed 500 Nms', { method: 'GET', path: '/failed' }, { status: 500 }, 'number'],
    ],
  );
  assert.ok(!JSON.stringify(lines).includes('secret-in'), 'neither the query string nor a header is logged');

  const quiet = logged('info');
  const agentApp = express();
  agentApp.use(requestLogging(quiet.log, 'debug'));
  agentApp.post('/report', (_req, res) => res.json({}));
  await request(agentApp).post('/report').expect(200);
  assert.deepEqual(quiet.lines, [], 'a success at debug is not logged at info');
});

test('a response the client leaves before it ends (an event stream) is logged once, when it closes', async () => {
  const { log, lines } = logged('info');
  const app = express();
  app.use(requestLogging(log));
  let closed!: () => void;
  const gone = new Promise<void>((resolve) => (closed = resolve));
  app.get('/stream', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(': open\n\n');
    res.once('close', () => setImmediate(closed));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/stream' }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
      req.once('error', reject);
      req.end();
    });
    await gone;
    assert.deepEqual(lines.map((l) => [l.level, l.msg.replace(/\d+ms$/, 'Nms')]), [[30, 'GET /stream 200 Nms']]);
  } finally {
    server.close();
  }
});
