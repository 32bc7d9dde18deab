// The cluster policy end to end against the lab with real processes: the controller, a cloned
// pair of lab recorders, their two agents and the relay. A policy set through the REST API
// reaches both agents, which apply it without a restart (the failback hold-down, the failover
// profile's detection time), keep it across a restart while the controller is down, never get
// one that does not validate, and act on the conservative timing of both while they run
// different versions. The agents talk to the controller through a forwarder written here, which
// can keep one node on the previous policy.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../lab/testing/harness.js';
import { startHaLab, type HaLab, type NodeState } from './helpers/ha-lab.js';
import { agentLog, LabController, policySettings, type PolicySettings, type PolicySettingsPatch } from './helpers/lab-controller.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A real HTTP server on 127.0.0.1 between the agents and the controller. It forwards every
 * request and answer unchanged, except that while a node is held, the answers to that node's
 * register and report requests carry the policy the controller sent before the hold began.
 */
class PolicyHoldingForwarder {
  upstream = '';
  private latestPolicy: unknown = undefined;
  private held: { node: string; policy: unknown } | null = null;
  /** Answers whose policy was replaced, per node. */
  readonly replaced = new Map<string, number>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<PolicyHoldingForwarder> {
    const forwarder: PolicyHoldingForwarder = new PolicyHoldingForwarder(createServer((req, res) => {
      forwarder.forward(req).then(
        (answer) => res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body),
        (err: unknown) => res.writeHead(502, { 'content-type': 'text/plain' }).end(String(err)),
      );
    }));
    forwarder.server.listen(0, '127.0.0.1');
    await once(forwarder.server, 'listening');
    return forwarder;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** From now on, `node` gets the policy of the last answer forwarded, whatever the controller sends. */
  hold(node: string): void {
    assert.ok(this.latestPolicy !== undefined, 'an answer with a policy was forwarded before the hold');
    this.held = { node, policy: this.latestPolicy };
  }

  release(): void {
    this.held = null;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async forward(req: IncomingMessage): Promise<{ status: number; contentType: string; body: string }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const requestBody = Buffer.concat(chunks);
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'accept']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const method = req.method ?? 'GET';
    const res = await fetch(`${this.upstream}${req.url ?? '/'}`, {
      method,
      headers,
      ...(method === 'GET' || method === 'HEAD' ? {} : { body: requestBody }),
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    });
    const contentType = res.headers.get('content-type') ?? 'application/octet-stream';
    const text = await res.text();
    const node = nodeNamed(req.url ?? '', requestBody);
    if (node === null || !contentType.includes('json') || res.status !== 200) return { status: res.status, contentType, body: text };
    const answer = JSON.parse(text) as Record<string, unknown>;
    if (answer.policy === undefined) return { status: res.status, contentType, body: text };
    if (this.held?.node !== node) {
      this.latestPolicy = answer.policy;
      return { status: res.status, contentType, body: text };
    }
    this.replaced.set(node, (this.replaced.get(node) ?? 0) + 1);
    return { status: res.status, contentType, body: JSON.stringify({ ...answer, policy: this.held.policy }) };
  }
}

/** The node an agent-link request body names: `node.name` in a registration, `status.nodeName` in a report. */
function nodeNamed(path: string, body: Buffer): string | null {
  if (!path.startsWith('/api/v1/agent/')) return null;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { node?: { name?: unknown }; status?: { nodeName?: unknown } };
    const name = path.startsWith('/api/v1/agent/register') ? parsed.node?.name : parsed.status?.nodeName;
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}

/** The conservative defaults, with a failover cap that the tests' few failovers never reach and no failback. */
const baseline = (patch: PolicySettingsPatch = {}): PolicySettings => policySettings({ failback: { policy: 'manual' }, failover: { capCount: 100 } }, patch);

describe('the cluster policy in the lab (controller, agents, real processes)', { timeout: 900_000 }, () => {
  let forwarder: PolicyHoldingForwarder;
  let ha: HaLab;
  let ctl: LabController;

  before(async () => {
    forwarder = await PolicyHoldingForwarder.start();
    ha = await startHaLab({
      cameras: 2,
      fps: 10,
      agentControllerUrl: (url) => {
        forwarder.upstream = url;
        return forwarder.url;
      },
    });
    ctl = await LabController.of(ha);
    await ha.steady(90_000);
  });

  after(async () => {
    await ha?.close();
    await forwarder?.close();
  });

  const agentLogOf = (node: string): string => ha.agentOf(node).logPath;

  /** Both recorders up and recording every camera, as their agents see them. */
  const allRecording = (): Promise<true> =>
    waitFor(
      'both recorders recording every camera',
      async () => {
        const states = await Promise.all(ha.recorders.map((n) => ha.agentState(n)));
        return states.every((s) => s.healthy && s.health.camerasTotal > 0 && s.health.camerasRecording === s.health.camerasTotal) ? true : undefined;
      },
      120_000,
      100,
    );

  test('a failback hold-down of 10 s set through the API: after kill -9 of the preferred node\'s recorder, failback comes after 10 s, not 300 s', async () => {
    const start = await ha.steady();
    const preferred = start.serving;
    const peer = start.standby;
    const policy = await ctl.apply({
      patch: { preferredNodeId: ctl.nodeId(preferred), failback: { policy: 'automatic', holdDownSeconds: 10 }, failover: { profile: 'conservative', heartbeatIntervalMs: null, peerTimeoutMs: null, capCount: 100 }, maintenance: false },
    });
    assert.equal(policy.failback.holdDownSeconds, 10);
    assert.deepEqual(await Promise.all(ha.recorders.map(async (n) => (await ha.agentState(n)).policyVersion)), [policy.version, policy.version], 'both agents run the new version');
    await allRecording();

    const t0 = Date.now();
    await ha.labAction(preferred, 'crash');
    await waitFor(`${peer} to take over`, async () => ((await ha.agentState(peer)).serving ? true : undefined), 60_000, 100);
    // The agent restarts its crashed recorder; the preferred node is a healthy standby again.
    await waitFor(`${preferred} back as a healthy standby`, async () => {
      const s = await ha.agentState(preferred);
      return s.state === 'SECOND' && s.healthy ? true : undefined;
    }, 90_000, 100);
    const standbyAt = Date.now();
    // Well under the default hold-down of 300 s: only the policy's 10 s can bring it back in time.
    await waitFor(`failback to ${preferred}`, async () => ((await ha.agentState(preferred)).serving ? true : undefined), 90_000, 100);
    const failbackAt = Date.now();
    const end = await ha.steady();
    assert.equal(end.serving, preferred, 'the preferred node serves again');
    assert.ok(end.epoch > start.epoch);

    const started = agentLog(agentLogOf(peer), t0, 'failback.started');
    assert.equal(started.length, 1, 'one failback, by the node that took over');
    assert.equal(started[0]?.holdDownMs, 10_000, 'the failback used the hold-down of the policy');
    console.log(`failback: preferred node a healthy standby ${((standbyAt - t0) / 1000).toFixed(1)} s after the kill, serving again ${((failbackAt - standbyAt) / 1000).toFixed(1)} s later`);
  });

  test('switching the profile to fast through the API shortens the detection of a dead local recorder', async () => {
    await ctl.apply({ put: baseline() });

    /** kill -9 of the Serving recorder: ms until its agent decides to hand over (its `failover.local-health` event). */
    const detection = async (): Promise<number> => {
      const start = await ha.steady(120_000);
      await allRecording();
      await sleep(500);
      const t0 = Date.now();
      await ha.labAction(start.serving, 'crash');
      await waitFor(`${start.standby} to take over`, async () => ((await ha.agentState(start.standby)).serving ? true : undefined), 60_000, 100);
      const detectedAt = await waitFor('the detection event in the agent log', () => agentLog(agentLogOf(start.serving), t0, 'failover.local-health')[0]?.time, 10_000, 100);
      await waitFor(`${start.serving} back as a standby`, async () => ((await ha.agentState(start.serving)).state === 'SECOND' ? true : undefined), 90_000, 100);
      return detectedAt - t0;
    };

    const conservative = await detection();
    await ctl.apply({ patch: { failover: { profile: 'fast' } } });
    const fast = await detection();
    console.log(`detection of a dead recorder: conservative ${conservative} ms, fast ${fast} ms`);
    assert.ok(fast < conservative, `the fast profile detects sooner (fast ${fast} ms, conservative ${conservative} ms)`);
  });

  test('a policy that does not validate is refused with 400, changes nothing, and the agents keep the old version', async () => {
    const current = await ctl.apply({ put: baseline() });
    const before = await ctl.policy();
    const t0 = Date.now();

    const patched = await ctl.call('PATCH', ctl.policyPath, { failover: { heartbeatIntervalMs: 1_000, peerTimeoutMs: 2_000 } });
    assert.equal(patched.status, 400, JSON.stringify(patched.body));
    assert.equal(patched.body.type, 'urn:twinrec:problem:validation-failed');
    assert.match(JSON.stringify(patched.body), /peerTimeoutMs/, 'the answer names the peer timeout');
    const put = await ctl.call('PUT', ctl.policyPath, baseline({ failover: { profile: 'fast', peerTimeoutMs: 250 } }));
    assert.equal(put.status, 400, JSON.stringify(put.body));
    assert.equal(put.body.type, 'urn:twinrec:problem:validation-failed');

    const afterwards = await ctl.policy();
    assert.equal(afterwards.etag, before.etag);
    assert.deepEqual(afterwards.body, before.body, 'GET …/policy is unchanged');
    // A few report intervals (1 s each, conservative): the agents still run the old version.
    await sleep(4_000);
    for (const node of ha.recorders) assert.equal((await ha.agentState(node)).policyVersion, current.version, `${node} keeps version ${current.version}`);
    const state = await ctl.state();
    assert.equal(state.policyVersion, current.version);
    assert.ok(state.nodes.every((n) => n.policyCurrent && n.policyVersion === current.version), JSON.stringify(state.nodes));
    for (const node of ha.recorders) {
      const other = agentLog(agentLogOf(node), t0).filter((l) => typeof l.msg === 'string' && l.msg.startsWith('policy:'));
      assert.deepEqual(other.map((l) => l.msg), [], `${node} logged no policy change`);
    }
  });

  test('two agents on different policy versions act on the conservative timing of both: no false failover', async () => {
    // The old version: conservative (heartbeat 250 ms, dead after 2.75 s).
    const old = await ctl.apply({ put: baseline() });
    const start = await ha.steady();
    const updated = start.serving;
    const behind = start.standby;
    forwarder.hold(behind);
    // The new version sends heartbeats every 3 s. Without the conservative merge the node left
    // behind (2.75 s) would find its peer silent between two heartbeats.
    const patched = await ctl.call<{ version: number }>('PATCH', ctl.policyPath, { failover: { heartbeatIntervalMs: 3_000, peerTimeoutMs: 12_000 } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const newVersion = patched.body.version;
    assert.ok(newVersion > old.version);
    await waitFor(`${updated} to run version ${newVersion}`, async () => ((await ha.agentState(updated)).policyVersion === newVersion ? true : undefined), 30_000, 100);
    const mixedSince = Date.now();

    const ids = { updated: ctl.nodeId(updated), behind: ctl.nodeId(behind) };
    /** Polls both agents and the controller for `ms`: nothing moves, and neither node ever finds its peer silent. Returns the longest silence seen. */
    const holdSteady = async (ms: number, what: string): Promise<number> => {
      const until = Date.now() + ms;
      let maxSilenceMs = 0;
      while (Date.now() < until) {
        const [u, b] = (await Promise.all([ha.agentState(updated), ha.agentState(behind)])) as [NodeState, NodeState];
        assert.deepEqual([u.serving, u.state, u.epoch], [true, 'PRIM', start.epoch], `${what}: ${updated} keeps serving under epoch ${start.epoch}`);
        assert.deepEqual([b.serving, b.state], [false, 'SECOND'], `${what}: ${behind} stays the standby`);
        assert.ok(u.peer.reachable && b.peer.reachable, `${what}: both nodes hear their peer (${updated}: ${u.peer.lastHeardAgoMs} ms ago, ${behind}: ${b.peer.lastHeardAgoMs} ms ago)`);
        maxSilenceMs = Math.max(maxSilenceMs, u.peer.lastHeardAgoMs ?? 0, b.peer.lastHeardAgoMs ?? 0);
        const state = await ctl.state();
        assert.equal(state.servingNodeId, ids.updated, `${what}: the controller shows ${updated} Serving`);
        assert.equal(state.conflict, false);
        await sleep(250);
      }
      return maxSilenceMs;
    };

    const silenceMixedMs = await holdSteady(20_000, 'versions differ');
    assert.equal((await ha.agentState(behind)).policyVersion, old.version, `${behind} was kept on version ${old.version} throughout`);
    assert.ok((forwarder.replaced.get(behind) ?? 0) > 5, 'the forwarder kept the old policy in the answers to the node left behind');
    const mixed = await ctl.state();
    assert.deepEqual(
      mixed.nodes.map((n) => [n.nodeId, n.policyVersion, n.policyCurrent]).sort(),
      [[ids.updated, newVersion, true], [ids.behind, old.version, false]].sort(),
      'the controller shows which node lags behind',
    );

    forwarder.release();
    await ctl.waitPolicyCurrent(newVersion, 30_000);
    // Longer than the new peer timeout (12 s): both now send every 3 s and wait 12 s.
    const silenceAgreedMs = await holdSteady(15_000, 'versions agree');
    console.log(`longest peer silence seen: ${silenceMixedMs} ms while the versions differed (heartbeats every 250 ms), ${silenceAgreedMs} ms once they agreed (every 3 s)`);

    for (const node of ha.recorders) {
      const moves = agentLog(agentLogOf(node), mixedSince).filter((l) => typeof l.event === 'string' && /^(failover\.|failback\.|serving\.claiming|peer\.link-down|node\.isolated|serving\.isolated)/.test(l.event));
      assert.deepEqual(moves.map((l) => l.event), [], `${node}: no failover, failback or lost peer`);
    }
    const end = await ha.steady();
    assert.deepEqual([end.serving, end.epoch], [start.serving, start.epoch], 'no epoch change, no Serving change');
  });

  test('an agent restarted while the controller is down still runs the last policy it stored', async () => {
    // boot `stop` takes effect at the next start: only the stored policy can make the restarted node STOP.
    const policy = await ctl.apply({ put: baseline({ failover: { profile: 'fast' }, boot: 'stop' }) });
    const start = await ha.steady();
    const node = start.standby;
    const agent = ha.agentOf(node).name;
    await ha.stopController();

    await ha.labAction(agent, 'crash');
    const restartedAt = Date.now();
    await ha.labAction(agent, 'start');
    const state = await waitFor(`${node}'s agent to answer again`, async () => {
      const s = await ha.agentState(node).catch(() => null);
      return s !== null && s.state !== 'WAIT' ? s : undefined;
    }, 60_000, 200);
    assert.equal(state.policyVersion, policy.version, `the restarted agent runs version ${policy.version}`);
    assert.equal(state.state, 'STOP', 'the stored policy\'s boot behaviour (stop) was applied at the start');
    assert.equal(state.serving, false);

    const lines = agentLog(agentLogOf(node), restartedAt);
    assert.ok(lines.some((l) => l.msg === `policy: running stored version ${policy.version}`), 'the log says it runs the stored version');
    assert.ok(!lines.some((l) => typeof l.msg === 'string' && l.msg.includes('no cluster policy stored yet')), 'not the bootstrap default');
    const started = lines.find((l) => l.event === 'agent.started');
    assert.equal(started?.policyVersion, policy.version);
    assert.match(String(started?.msg), /fast profile, boot stop/, 'it runs the stored policy\'s profile and boot');
    // Nothing else moved: the other node keeps serving.
    const serving = await ha.agentState(start.serving);
    assert.deepEqual([serving.serving, serving.epoch], [true, start.epoch]);
  });
});
