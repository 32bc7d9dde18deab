// Singleton leases across real controllers (issue 19): `twinrec serve` processes on one fresh
// PostgreSQL database. Exactly one holds each lease; each webhook delivery goes out once while
// both run, whichever controller stored the event; kill -9 the holder (by its PID) and the
// survivor holds every lease within the TTL and a margin, and delivers what is stored through it.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { agentEvent, agentPair, eventually, postAsAgent, type AgentPair } from './helpers/agent-reports.js';
import { postgresUrl } from './helpers/postgres.js';
import { getAs, sharedPostgres, startExtraController, type ExtraController, type SharedDatabase } from './helpers/two-controllers.js';

const ttlMs = 3_000;
const renewIntervalMs = 1_000;
const leaseNames = ['agent-sweep', 'generic-events', 'pool-allocation', 'webhooks'];
const leaseEnv = { TWINREC_LEASES_TTL_MS: String(ttlMs), TWINREC_LEASES_RENEW_INTERVAL_MS: String(renewIntervalMs), TWINREC_AGENTS_STALE_AFTER_MS: '2000' };

interface SystemView {
  controllerId: string;
  dialect: string;
  leases: { name: string; holder: string | null; epoch: number; expiresAt: string | null; heldHere: boolean }[];
}

/** A webhook receiver on 127.0.0.1: the event id of every delivery it got, in order. */
async function receiver(): Promise<{ url: string; eventIds: string[]; close(): Promise<void> }> {
  const eventIds: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      eventIds.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string }).id);
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, eventIds, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function system(controller: ExtraController): Promise<SystemView> {
  const answer = await getAs<SystemView>(controller, '/api/v1/system');
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body;
}

/** `twinrec_controller_lease_held` per lease from a controller's /metrics. */
async function heldGauges(controller: ExtraController): Promise<Map<string, number>> {
  const text = await (await fetch(`${controller.url}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  const held = new Map<string, number>();
  for (const match of text.matchAll(/^twinrec_controller_lease_held\{lease="([a-z-]+)"\} (\d+)$/gm)) held.set(match[1] as string, Number(match[2]));
  return held;
}

/** Asserts that each lease is held by exactly one of `controllers`, the same one the database names; returns that one's id per lease. */
async function exactlyOneHolder(controllers: readonly ExtraController[]): Promise<Map<string, string>> {
  const views = await Promise.all(controllers.map(system));
  const gauges = await Promise.all(controllers.map(heldGauges));
  const holders = new Map<string, string>();
  for (const name of leaseNames) {
    const here = views.filter((v) => v.leases.find((l) => l.name === name)?.heldHere === true);
    assert.equal(here.length, 1, `${name}: held by exactly one controller (${JSON.stringify(views)})`);
    const holder = here[0] as SystemView;
    for (const v of views) assert.equal(v.leases.find((l) => l.name === name)?.holder, holder.controllerId, `${name}: every controller reads the same holder`);
    assert.equal(gauges.reduce((sum, g) => sum + (g.get(name) ?? 0), 0), 1, `${name}: twinrec_controller_lease_held is 1 on one controller only`);
    holders.set(name, holder.controllerId);
  }
  return holders;
}

if (postgresUrl !== undefined) {
  describe('singleton leases on two controllers sharing one PostgreSQL database', () => {
    let shared: SharedDatabase;
    const controllers: ExtraController[] = [];
    let hook: Awaited<ReturnType<typeof receiver>>;

    before(async () => {
      shared = await sharedPostgres(postgresUrl as string);
      hook = await receiver();
      // One after the other: the first makes the schema and the admin.
      controllers.push(await startExtraController(shared, leaseEnv));
      controllers.push(await startExtraController(shared, leaseEnv));
    });

    after(async () => {
      for (const c of controllers) await c.stop();
      await hook?.close();
      await shared?.drop();
    });

    test('only the sweep holder announces a silent agent, once; its return to the other controller is announced once too', async () => {
      const holders = await exactlyOneHolder(controllers);
      const views = await Promise.all(controllers.map(system));
      const sweeper = views[0]?.controllerId === holders.get('agent-sweep') ? controllers[0] : controllers[1];
      const other = controllers.find((c) => c !== sweeper) as ExtraController;
      assert.ok(sweeper !== undefined);
      // Registered and first heard through the controller that does not sweep.
      const pair: AgentPair = await agentPair({ url: other.url, authHeader: other.authHeader }, 'Lease-Quiet');
      await postAsAgent({ url: other.url }, pair.secret, 'report', pair.reportBody('a'));
      const kindsOf = async (): Promise<string[]> => {
        const answer = await getAs<{ items: { kind: string; nodeId: string | null }[] }>(sweeper, `/api/v1/events?clusterId=${pair.clusterId}&kind=node.*&limit=100`);
        assert.equal(answer.status, 200);
        return answer.body.items.filter((e) => e.nodeId === pair.a.id && e.kind.startsWith('node.agent-')).map((e) => e.kind).reverse();
      };
      await eventually(async () => {}, async () => assert.deepEqual(await kindsOf(), ['node.agent-lost']), 15_000);
      // Both controllers sweep the shared status on every round; the lost agent is announced once.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      assert.deepEqual(await kindsOf(), ['node.agent-lost'], 'announced once');
      // It comes back to the controller that does not sweep: the holder hears of it through the shared status.
      await eventually(
        async () => {
          await postAsAgent({ url: other.url }, pair.secret, 'report', pair.reportBody('a'));
        },
        async () => assert.deepEqual(await kindsOf(), ['node.agent-lost', 'node.agent-returned']),
        15_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      assert.deepEqual(await kindsOf(), ['node.agent-lost', 'node.agent-returned'], 'returned once');
    });

    test('one controller holds each lease; each delivery goes out once; kill -9 the holder and the survivor holds every lease and delivers', async (t) => {
      const [first, second] = controllers as [ExtraController, ExtraController];
      const holders = await exactlyOneHolder(controllers);
      const holderId = holders.get('webhooks') as string;
      const views = await Promise.all(controllers.map(system));
      const holder = views[0]?.controllerId === holderId ? first : second;
      const other = holder === first ? second : first;
      assert.equal((await system(holder)).dialect, 'postgres');

      // The webhook is made through the controller that does not deliver: the holder reads it from the database.
      const created = await fetch(`${other.url}/api/v1/webhooks`, { method: 'POST', headers: { ...other.authHeader, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'every-event', url: hook.url, eventKinds: ['failover.*'] }) });
      assert.equal(created.status, 201, await created.text());
      const pair: AgentPair = await agentPair({ url: holder.url, authHeader: holder.authHeader }, 'Lease-Hall');
      // Until the holder has read the webhook (it reads them again every 5 s), events are not for it: report until one is delivered.
      await eventually(
        async () => {
          await pair.report('b', { state: 'ALONE', serving: true }, { events: [agentEvent('failover.claiming', { severity: 'warning' })] });
        },
        async () => assert.ok(hook.eventIds.length > 0, 'a first delivery'),
        20_000,
      );

      // Events stored through either controller, and a retried report through the other: each delivered once.
      const viaHolder = [agentEvent('failover.claiming', { severity: 'warning' }), agentEvent('failover.switch-requested', { severity: 'warning' })];
      const viaOther = [agentEvent('failover.claiming', { severity: 'warning' }), agentEvent('failover.local-health', { severity: 'warning' })];
      await pair.report('b', { state: 'ALONE', serving: true }, { events: viaHolder });
      const retried = await postAsAgent({ url: other.url }, pair.secret, 'report', pair.reportBody('b', { state: 'ALONE', serving: true }, { events: viaHolder }));
      assert.equal(retried.status, 200);
      const otherAnswer = await postAsAgent({ url: other.url }, pair.secret, 'report', pair.reportBody('a', { state: 'SECOND' }, { events: viaOther }));
      assert.equal(otherAnswer.status, 200, JSON.stringify(otherAnswer.body));
      const wanted = [...viaHolder, ...viaOther].map((e) => e.id);
      await eventually(async () => {}, async () => assert.deepEqual(wanted.filter((id) => !hook.eventIds.includes(id)), [], 'every event delivered'), 15_000);
      // Time for a second delivery, were there one: a renewal or two and a retry.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const counts = new Map<string, number>();
      for (const id of hook.eventIds) counts.set(id, (counts.get(id) ?? 0) + 1);
      assert.deepEqual([...counts].filter(([, n]) => n !== 1), [], 'no event delivered twice');

      // kill -9 the holder, by its PID: the survivor holds every lease once it has expired.
      const killedAtMs = Date.now();
      process.kill(holder.process.pid, 'SIGKILL');
      await holder.process.exited(10_000);
      let takeoverMs = -1;
      await eventually(
        async () => {},
        async () => {
          const view = await system(other);
          assert.deepEqual(view.leases.filter((l) => !l.heldHere).map((l) => l.name), [], 'the survivor holds every lease');
          if (takeoverMs < 0) takeoverMs = Date.now() - killedAtMs;
        },
        ttlMs + renewIntervalMs + 10_000,
      );
      t.diagnostic(`lease takeover after kill -9: ${takeoverMs} ms (ttl ${ttlMs} ms, renewal every ${renewIntervalMs} ms)`);
      const survivor = await system(other);
      for (const lease of survivor.leases) assert.equal(lease.holder, survivor.controllerId);
      assert.deepEqual(await heldGauges(other), new Map(leaseNames.map((n) => [n, 1])));

      // What is stored through the survivor now is delivered by it.
      const afterKill = agentEvent('failover.claiming', { severity: 'critical' });
      const answer = await postAsAgent({ url: other.url }, pair.secret, 'report', pair.reportBody('a', { state: 'ALONE', serving: true }, { events: [afterKill] }));
      assert.equal(answer.status, 200);
      await eventually(async () => {}, async () => assert.ok(hook.eventIds.includes(afterKill.id), 'delivered by the survivor'), 15_000);
      assert.equal(hook.eventIds.filter((id) => id === afterKill.id).length, 1);
    });
  });
}
