// Webhooks end to end: a controller (SQLite, and PostgreSQL when TWINREC_TEST_PG_URL is set)
// with real agents' reports, and receivers on 127.0.0.1. A failover an agent reports reaches
// the receiver signed with the secret the create answer showed; filters hold; with the receiver
// down, deliveries are retried, then dropped with a log entry and a warning, while agents'
// reports are still answered; the secret is in no GET and no log line.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { loadControllerConfig } from '../api/src/config/load.js';
import { startController, type RunningController } from '../api/src/server.js';
import { verifySignature } from '../api/src/webhooks/signature.js';
import { agentEvent, agentPair, eventually, type AgentPair } from './helpers/agent-reports.js';
import { adminAuthHeader, testAdminPassword } from './helpers/auth.js';
import { backends } from './helpers/postgres.js';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A webhook receiver on 127.0.0.1 that records what it gets and answers `status`. */
async function receiver(status = 204): Promise<{ url: string; got: Received[]; status: number; close(): Promise<void> }> {
  const got: Received[] = [];
  const state = { status };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = state.status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook?token=receiver-token`,
    got,
    get status() {
      return state.status;
    },
    set status(s: number) {
      state.status = s;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Controller extends RunningController {
  readonly auth: { authorization: string };
  /** Every line the controller logged (JSON). */
  readonly logLines: string[];
}

async function startLoggedController(dbUrl: string | undefined): Promise<Controller & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'twinrec-webhooks-'));
  const { config } = loadControllerConfig({
    flags: {
      'http.port': 0,
      'http.validateResponses': true,
      'http.shutdownGraceMs': 2_000,
      dataDir,
      'db.url': dbUrl,
      'db.connectTimeoutMs': 2_000,
      'log.level': 'debug',
      'auth.adminPassword': testAdminPassword,
      // Fast retries, so that a delivery is given up within a test.
      'webhooks.attemptsMax': 3,
      'webhooks.retryDelayMsBase': 50,
      'webhooks.retryDelayMsMax': 200,
      'webhooks.timeoutMs': 2_000,
    },
  });
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') logLines.push(line);
      done();
    },
  });
  const controller = await startController(config, pino({ level: 'debug' }, sink));
  const auth = await adminAuthHeader(controller.url, testAdminPassword);
  return { ...controller, auth, logLines, dataDir };
}

for (const backend of backends) {
  describe(`webhooks on ${backend.name}`, () => {
    let controller: Controller & { dataDir: string };
    let drop: () => Promise<void>;
    let pair: AgentPair;
    const secretsSeen: string[] = [];

    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = controller.auth): Promise<{ status: number; body: Record<string, unknown>; etag: string | null }> => {
      const res = await fetch(`${controller.url}${path}`, { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal: AbortSignal.timeout(30_000) });
      const text = await res.text();
      return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>, etag: res.headers.get('etag') };
    };
    const deliveries = async (id: string): Promise<Array<Record<string, unknown>>> => {
      const answer = await call('GET', `/api/v1/webhooks/${id}/deliveries?limit=200`);
      assert.equal(answer.status, 200);
      return answer.body.items as Array<Record<string, unknown>>;
    };

    before(async () => {
      const db = await backend.create();
      drop = db.drop;
      controller = await startLoggedController(db.url);
      pair = await agentPair({ url: controller.url, authHeader: controller.auth }, `Hooks-${backend.name}`);
    });
    after(async () => {
      await controller?.close();
      await drop?.();
      if (controller !== undefined) rmSync(controller.dataDir, { recursive: true, force: true });
    });

    test('a failover reaches the receiver signed with the secret the create answer showed; unwanted events do not', async () => {
      const hook = await receiver();
      try {
        const created = await call('POST', '/api/v1/webhooks', { name: 'failovers', url: hook.url, eventKinds: ['failover.*'], severityMin: 'warning', clusterId: pair.clusterId });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const secret = String(created.body.secret);
        secretsSeen.push(secret);
        assert.match(secret, /^[A-Za-z0-9_-]{43}$/, 'generated: 32 random bytes, base64url');
        const claiming = agentEvent('failover.claiming', { severity: 'warning', message: 'took the Serving role', data: { epoch: 3, reason: 'peer-dead', detectionMs: 812 } });
        // Unwanted: a kind the webhook does not name, and a failover below its minimum severity.
        await pair.report('b', { state: 'ALONE', serving: true }, { events: [agentEvent('recorder.started', { severity: 'critical' }), agentEvent('failover.local-health', { severity: 'info' }), claiming] });
        await eventually(async () => {}, async () => assert.equal(hook.got.length, 1), 10_000);
        const second = agentEvent('failover.switch-requested', { severity: 'error' });
        await pair.report('a', { state: 'SECOND' }, { events: [second] });
        await eventually(async () => {}, async () => assert.equal(hook.got.length, 2), 10_000);

        const first = hook.got.find((r) => r.headers['x-twinrec-event-id'] === claiming.id);
        assert.ok(first !== undefined, 'the failover.claiming event was delivered');
        assert.deepEqual(hook.got.map((r) => (JSON.parse(r.body) as { kind: string }).kind).sort(), ['failover.claiming', 'failover.switch-requested']);
        assert.equal(first.headers['content-type'], 'application/json');
        assert.match(String(first.headers['user-agent']), /^twinrec\/\d+\.\d+\.\d+/);
        assert.equal(first.headers['x-twinrec-delivery-attempt'], '1');
        const signature = String(first.headers['x-twinrec-signature']);
        assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
        assert.equal(verifySignature(signature, secret, first.body, Math.floor(Date.now() / 1000)), true, 'the signature verifies with the secret from the create answer');
        assert.equal(verifySignature(signature, `${secret}x`, first.body, Math.floor(Date.now() / 1000)), false);
        const payload = JSON.parse(first.body) as Record<string, unknown>;
        assert.deepEqual(payload, {
          id: claiming.id,
          kind: 'failover.claiming',
          severity: 'warning',
          time: claiming.time,
          cluster: { id: pair.clusterId, name: pair.cluster },
          node: { id: pair.b.id, name: pair.b.name },
          message: 'took the Serving role',
          data: { epoch: 3, reason: 'peer-dead', detectionMs: 812 },
          webhook: { id: created.body.id },
        });
        await eventually(async () => {}, async () => assert.deepEqual((await deliveries(String(created.body.id))).map((d) => d.outcome), ['delivered', 'delivered']));
        const metrics = await (await fetch(`${controller.url}/metrics`)).text();
        assert.match(metrics, /^twinrec_webhook_deliveries_total\{outcome="delivered"\} [2-9]/m);
        assert.match(metrics, /^# TYPE twinrec_webhook_delivery_seconds histogram$/m);
        assert.match(metrics, /^twinrec_webhook_queue_depth 0$/m);

        // A change takes effect at once: disabled, nothing more is sent.
        const disabled = await call('PATCH', `/api/v1/webhooks/${String(created.body.id)}`, { enabled: false, version: created.body.version });
        assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
        await pair.report('b', { state: 'ALONE', serving: true }, { events: [agentEvent('failover.claiming', { severity: 'critical' })] });
        const marker = await receiver();
        try {
          // A second webhook for every event shows when the event has been handled.
          const all = await call('POST', '/api/v1/webhooks', { name: 'marker', url: marker.url });
          await pair.report('b', { state: 'ALONE', serving: true }, { events: [agentEvent('failover.claiming', { severity: 'critical' })] });
          await eventually(async () => {}, async () => assert.ok(marker.got.length >= 1), 10_000);
          assert.equal(hook.got.length, 2, 'a disabled webhook is sent nothing');
          assert.equal((await call('DELETE', `/api/v1/webhooks/${String(all.body.id)}`)).status, 204);
        } finally {
          await marker.close();
        }
        assert.equal((await call('DELETE', `/api/v1/webhooks/${String(created.body.id)}`)).status, 204);
      } finally {
        await hook.close();
      }
    });

    test('with the receiver down, deliveries are retried then dropped with a log entry and a warning; agents are still answered', async () => {
      const port = await closedPort();
      const created = await call('POST', '/api/v1/webhooks', { name: 'down', url: `http://127.0.0.1:${port}/hook`, eventKinds: ['failover.claiming'] });
      assert.equal(created.status, 201);
      secretsSeen.push(String(created.body.secret));
      const id = String(created.body.id);
      const event = agentEvent('failover.claiming', { severity: 'warning' });
      await pair.report('b', { state: 'ALONE', serving: true }, { events: [event] });
      // Meanwhile the agents' reports are answered as ever.
      for (let i = 0; i < 5; i += 1) {
        const answer = await pair.send(i % 2 === 0 ? 'a' : 'b', { state: i % 2 === 0 ? 'SECOND' : 'ALONE', serving: i % 2 !== 0 }, { events: [agentEvent('failover.claiming')] });
        assert.equal(answer.status, 200, 'an agent report is answered while the receiver is down');
      }
      await eventually(
        async () => {},
        async () => {
          const log = (await deliveries(id)).filter((d) => d.eventId === event.id);
          assert.deepEqual(log.map((d) => `${String(d.outcome)}#${String(d.attempt)}`), ['dropped#3', 'failed#3', 'failed#2', 'failed#1']);
        },
        20_000,
      );
      const failed = (await deliveries(id)).find((d) => d.eventId === event.id && d.outcome === 'failed');
      assert.equal(failed?.httpStatus, null);
      assert.match(String(failed?.error), /ECONNREFUSED/);
      const warned = controller.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'webhook delivery dropped' && l.eventId === event.id);
      assert.ok(warned !== undefined, 'a warning says the delivery was dropped');
      assert.equal(warned.level, 40);
      assert.equal(warned.webhookId, id);
      const metrics = await (await fetch(`${controller.url}/metrics`)).text();
      assert.match(metrics, /^twinrec_webhook_deliveries_total\{outcome="dropped"\} [1-9]/m);
      assert.match(metrics, /^twinrec_webhook_deliveries_total\{outcome="failed"\} [1-9]/m);
      assert.equal((await call('DELETE', `/api/v1/webhooks/${id}`)).status, 204);
    });

    test('CRUD: validation, versions, the secret once, rotation, the test send, the deliveries, roles', async () => {
      const hook = await receiver();
      try {
        const bad = async (body: unknown, type: string): Promise<void> => {
          const answer = await call('POST', '/api/v1/webhooks', body);
          assert.equal(answer.status, type === 'validation-failed' || type === 'webhook-invalid' ? 400 : 409, JSON.stringify(answer.body));
          assert.equal(answer.body.type, `urn:twinrec:problem:${type}`);
        };
        await bad({ name: 'ftp', url: 'ftp://127.0.0.1/x' }, 'webhook-invalid');
        await bad({ name: 'creds', url: 'http://user:pw@127.0.0.1/x' }, 'webhook-invalid');
        await bad({ name: 'nocluster', url: hook.url, clusterId: '00000000-0000-4000-8000-000000000000' }, 'webhook-invalid');
        await bad({ name: 'kinds', url: hook.url, eventKinds: ['failover*'] }, 'validation-failed');
        await bad({ name: 'short', url: hook.url, secret: 'short' }, 'validation-failed');
        await bad({ name: 'extra', url: hook.url, foo: 1 }, 'validation-failed');

        const given = 'given-secret-0123456789-abcdef';
        const created = await call('POST', '/api/v1/webhooks', { name: 'crud', url: hook.url, secret: given, eventKinds: ['node.*'], severityMin: 'error' });
        assert.equal(created.status, 201);
        assert.equal(created.body.secret, given);
        secretsSeen.push(given);
        const id = String(created.body.id);
        await bad({ name: 'crud', url: hook.url }, 'webhook-name-taken');

        const got = await call('GET', `/api/v1/webhooks/${id}`);
        assert.equal(got.status, 200);
        assert.deepEqual(got.body, { id, name: 'crud', url: hook.url, enabled: true, eventKinds: ['node.*'], severityMin: 'error', clusterId: null, createdAt: got.body.createdAt, updatedAt: got.body.updatedAt, version: 1 });
        assert.equal(got.etag, '"w1"');
        const list = await call('GET', '/api/v1/webhooks');
        assert.ok((list.body.items as Array<{ id: string }>).some((w) => w.id === id));

        const changed = await call('PATCH', `/api/v1/webhooks/${id}`, { severityMin: 'warning', version: 1 });
        assert.equal(changed.status, 200);
        assert.equal(changed.body.version, 2);
        const stale = await call('PATCH', `/api/v1/webhooks/${id}`, { name: 'crud-2', version: 1 });
        assert.equal(stale.status, 409);
        assert.equal(stale.body.type, 'urn:twinrec:problem:webhook-version-conflict');
        assert.equal((await call('PATCH', `/api/v1/webhooks/${id}`, { name: 'crud-2' }, { ...controller.auth, 'if-match': '"w1"' })).status, 412);
        assert.equal((await call('PATCH', `/api/v1/webhooks/${id}`, { url: 'gopher://127.0.0.1/' })).body.type, 'urn:twinrec:problem:webhook-invalid');

        // The test send: delivered, signed with the given secret; then rotated, a new secret signs.
        const tested = await call('POST', `/api/v1/webhooks/${id}/test`);
        assert.equal(tested.status, 200);
        assert.equal(tested.body.outcome, 'delivered');
        assert.equal(tested.body.httpStatus, 204);
        const sent = hook.got.at(-1);
        assert.ok(sent !== undefined);
        assert.equal((JSON.parse(sent.body) as { kind: string }).kind, 'webhook.test');
        assert.equal(verifySignature(String(sent.headers['x-twinrec-signature']), given, sent.body, Math.floor(Date.now() / 1000)), true);
        const rotated = await call('POST', `/api/v1/webhooks/${id}/rotate-secret`);
        assert.equal(rotated.status, 200);
        const fresh = String(rotated.body.secret);
        secretsSeen.push(fresh);
        assert.notEqual(fresh, given);
        hook.status = 500;
        const failing = await call('POST', `/api/v1/webhooks/${id}/test`);
        assert.deepEqual([failing.body.outcome, failing.body.httpStatus], ['failed', 500]);
        const signedNew = hook.got.at(-1);
        assert.ok(signedNew !== undefined);
        assert.equal(verifySignature(String(signedNew.headers['x-twinrec-signature']), fresh, signedNew.body, Math.floor(Date.now() / 1000)), true, 'signed with the rotated secret');
        assert.equal(verifySignature(String(signedNew.headers['x-twinrec-signature']), given, signedNew.body, Math.floor(Date.now() / 1000)), false);
        await eventually(async () => {}, async () => assert.deepEqual((await deliveries(id)).map((d) => [d.eventKind, d.outcome, d.attempt, d.httpStatus]), [['webhook.test', 'failed', 1, 500], ['webhook.test', 'delivered', 1, 204]]));

        // Roles: admins only; no credentials, 401.
        const operator = (await call('POST', '/api/v1/tokens', { name: 'ops', role: 'operator' })).body.token as string;
        const viewer = (await call('POST', '/api/v1/tokens', { name: 'view', role: 'viewer' })).body.token as string;
        for (const token of [operator, viewer]) {
          const headers = { authorization: `Bearer ${token}` };
          assert.equal((await call('GET', '/api/v1/webhooks', undefined, headers)).status, 403);
          assert.equal((await call('POST', '/api/v1/webhooks', { name: 'x', url: hook.url }, headers)).status, 403);
          assert.equal((await call('GET', `/api/v1/webhooks/${id}/deliveries`, undefined, headers)).status, 403);
          assert.equal((await call('POST', `/api/v1/webhooks/${id}/test`, undefined, headers)).status, 403);
        }
        assert.equal((await call('GET', '/api/v1/webhooks', undefined, {})).status, 401);
        assert.equal((await call('DELETE', `/api/v1/webhooks/${id}`, undefined, {})).status, 401);

        // Audited, without the secret.
        const audit = await call('GET', '/api/v1/audit?limit=100');
        const actions = (audit.body.items as Array<{ action: string; target: string }>).filter((a) => a.target === `webhook/${id}`).map((a) => a.action);
        for (const action of ['webhook.created', 'webhook.changed', 'webhook.test', 'webhook.secret-rotated']) assert.ok(actions.includes(action), `${action} audited: ${actions.join(', ')}`);
        assert.equal((await call('DELETE', `/api/v1/webhooks/${id}`)).status, 204);
        assert.equal((await call('GET', `/api/v1/webhooks/${id}`)).status, 404);
        assert.equal((await call('GET', `/api/v1/webhooks/${id}/deliveries`)).status, 404);
        const auditAfter = await call('GET', '/api/v1/audit?limit=100');
        assert.ok((auditAfter.body.items as Array<{ action: string; target: string }>).some((a) => a.target === `webhook/${id}` && a.action === 'webhook.deleted'));
        assert.ok(!JSON.stringify(auditAfter.body).includes(given) && !JSON.stringify(auditAfter.body).includes(fresh), 'no secret in the audit log');
      } finally {
        await hook.close();
      }
    });

    test('the delivery log keeps the newest 200 attempts per webhook', async () => {
      const hook = await receiver();
      try {
        const created = await call('POST', '/api/v1/webhooks', { name: 'bounded', url: hook.url });
        secretsSeen.push(String(created.body.secret));
        const id = String(created.body.id);
        const eventIds: string[] = [];
        for (let i = 0; i < 205; i += 1) eventIds.push(String((await call('POST', `/api/v1/webhooks/${id}/test`)).body.eventId));
        await eventually(
          async () => {},
          async () => {
            // A delivery's log row is written after the test send answers: wait for the newest one
            // too, not only for the count (200 are already there once the 204th is logged and pruned).
            const rows = (await controller.db.dataSource.query(`SELECT event_id FROM webhook_delivery WHERE webhook_id = '${id}'`)) as Array<{ event_id: string }>;
            assert.equal(rows.length, 200);
            assert.ok(rows.some((r) => r.event_id === eventIds[eventIds.length - 1]), 'the newest attempt is logged');
          },
        );
        const log = await deliveries(id);
        assert.equal(log.length, 200);
        assert.deepEqual(log.map((d) => d.eventId), eventIds.slice(5).reverse(), 'the newest, newest first');
        assert.equal((await call('DELETE', `/api/v1/webhooks/${id}`)).status, 204);
        const left = (await controller.db.dataSource.query(`SELECT COUNT(*) AS n FROM webhook_delivery WHERE webhook_id = '${id}'`)) as Array<{ n: number | string }>;
        assert.equal(Number(left[0]?.n), 0, 'deleted with its webhook');
      } finally {
        await hook.close();
      }
    });

    test('no secret in any GET, the stored row or the log; nor a signature', async () => {
      assert.ok(secretsSeen.length >= 3, 'the tests before made secrets');
      const created = await call('POST', '/api/v1/webhooks', { name: 'hidden', url: 'http://127.0.0.1:9/x' });
      secretsSeen.push(String(created.body.secret));
      const bodies = JSON.stringify([await call('GET', '/api/v1/webhooks'), await call('GET', `/api/v1/webhooks/${String(created.body.id)}`)]);
      const log = controller.logLines.join('\n');
      for (const secret of secretsSeen) {
        assert.ok(!bodies.includes(secret), 'no secret in a GET');
        assert.ok(!log.includes(secret), 'no secret in the log');
      }
      assert.ok(!/v1=[0-9a-f]{64}/.test(log), 'no signature in the log');
      // Sealed at rest, like the cluster secrets.
      const raw = (await controller.db.dataSource.query('SELECT secret FROM webhook')) as Array<{ secret: string }>;
      assert.ok(raw.length >= 1 && raw.every((r) => r.secret.startsWith('enc:v1:')), 'stored sealed');
    });
  });
}
