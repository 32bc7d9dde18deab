// Automatic failover against the lab, with real processes: the controller, a cloned pair of
// lab recorders, their two agents and the relay on the shared address. In every scenario
// exactly one node ends up Serving, the relay points at it, and a live ImageServer client
// connected through the shared address gets frames again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../lab/testing/harness.js';
import { LiveViewer, startHaLab, type HaLab, type NodeState } from './helpers/ha-lab.js';

/** Samples both agents continuously: two Serving nodes must never share an epoch. */
class ServingMonitor {
  readonly violations: string[] = [];
  overlaps = 0;
  private stopped = false;
  private readonly running: Promise<void>;
  constructor(private readonly ha: HaLab) {
    this.running = this.loop();
  }
  private async loop(): Promise<void> {
    while (!this.stopped) {
      const states = await Promise.all(this.ha.recorders.map((n) => this.ha.agentState(n).catch(() => null)));
      const serving = states.filter((s): s is NodeState => s !== null && s.serving);
      if (serving.length === 2) {
        this.overlaps += 1;
        if (serving[0]?.epoch === serving[1]?.epoch) this.violations.push(`both nodes serve under epoch ${serving[0]?.epoch}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }
}

describe('automatic failover of a cloned pair (lab, real processes)', { timeout: 900_000 }, () => {
  let ha: HaLab;
  let viewer: LiveViewer;
  let monitor: ServingMonitor;

  before(async () => {
    ha = await startHaLab({ cameras: 2, fps: 10 });
    await ha.steady(90_000);
    viewer = new LiveViewer(ha.description, ha.sharedAddress, ha.cameraIds[0] as string);
    monitor = new ServingMonitor(ha);
    await waitFor('live frames through the shared address', () => (viewer.frames > 5 ? true : undefined), 30_000);
  });

  after(async () => {
    await monitor?.stop();
    await viewer?.stop();
    await ha?.close();
    assert.deepEqual(monitor?.violations ?? [], [], 'never two Serving nodes with the same epoch');
  });

  /** After a fault at `sinceMs`: the expected node serves, alone, the relay points at it, live view resumes. */
  async function assertRecovered(expectedServing: string, sinceMs: number): Promise<{ serving: string; standby: string; epoch: number }> {
    await waitFor(`${expectedServing} to serve`, async () => ((await ha.agentState(expectedServing)).serving ? true : undefined), 60_000);
    await waitFor(`the relay to point at ${expectedServing}`, async () => ((await ha.relayTarget()) === expectedServing ? true : undefined), 30_000);
    await waitFor('live frames through the shared address after the fault', () => (viewer.framesSince(sinceMs) > 5 ? true : undefined), 30_000);
    const steady = await ha.steady(120_000);
    assert.equal(steady.serving, expectedServing, 'the node that took over keeps serving (stickiness, no flapping back)');
    return steady;
  }

  test('kill -9 of the serving recorder moves Serving to the peer', async () => {
    const start = await ha.steady();
    const t0 = Date.now();
    await ha.labAction(start.serving, 'crash');
    const end = await assertRecovered(start.standby, t0);
    assert.ok(end.epoch > start.epoch, `epoch grew (${start.epoch} → ${end.epoch})`);
    // The agent restarted its crashed recorder, which is now a healthy standby.
    assert.equal((await ha.agentState(start.serving)).state, 'SECOND');
  });

  test('SIGSTOP of the serving recorder shorter than the timeout changes nothing', async () => {
    const start = await ha.steady();
    await ha.labAction(start.serving, 'hang');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await ha.labAction(start.serving, 'resume');
    // Watch for longer than detection would take: no failover may happen.
    const until = Date.now() + 6_000;
    while (Date.now() < until) {
      const state = await ha.agentState(start.serving);
      assert.equal(state.serving, true, 'the briefly hung node is still Serving');
      assert.equal(state.epoch, start.epoch, 'same epoch: no failover happened');
      assert.equal((await ha.agentState(start.standby)).serving, false);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal((await ha.steady()).epoch, start.epoch);
  });

  test('SIGSTOP of the serving recorder longer than the timeout moves Serving', async () => {
    const start = await ha.steady();
    const t0 = Date.now();
    await ha.labAction(start.serving, 'hang');
    try {
      await waitFor(`${start.standby} to serve`, async () => ((await ha.agentState(start.standby)).serving ? true : undefined), 60_000);
    } finally {
      await ha.labAction(start.serving, 'resume');
    }
    const end = await assertRecovered(start.standby, t0);
    assert.ok(end.epoch > start.epoch);
  });

  test('kill of the serving agent: the peer takes over, the restarted agent rejoins as standby', async () => {
    const start = await ha.steady();
    const agent = ha.agentOf(start.serving).name;
    const t0 = Date.now();
    await ha.labAction(agent, 'crash');
    await waitFor(`${start.standby} to serve`, async () => ((await ha.agentState(start.standby)).serving ? true : undefined), 60_000);
    await waitFor(`the relay to point at ${start.standby}`, async () => ((await ha.relayTarget()) === start.standby ? true : undefined), 30_000);
    await waitFor('live frames after the agent died', () => (viewer.framesSince(t0) > 5 ? true : undefined), 30_000);
    await ha.labAction(agent, 'start');
    const end = await assertRecovered(start.standby, t0);
    assert.ok(end.epoch > start.epoch);
  });

  test('heartbeats partitioned while both reach the witness: no failover', async () => {
    const start = await ha.steady();
    await Promise.all(ha.recorders.map((n) => ha.dropHeartbeats(n, true)));
    try {
      // Longer than the peer timeout (2.75 s) plus the witness window.
      await waitFor('the standby to notice the silent peer', async () => ((await ha.agentState(start.standby)).peer.reachable ? undefined : true), 20_000);
      const until = Date.now() + 6_000;
      while (Date.now() < until) {
        assert.equal((await ha.agentState(start.standby)).serving, false, 'the standby does not take over while the controller still sees the peer');
        const server = await ha.agentState(start.serving);
        assert.equal(server.serving, true);
        assert.equal(server.epoch, start.epoch);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      await Promise.all(ha.recorders.map((n) => ha.dropHeartbeats(n, false)));
    }
    const end = await ha.steady();
    assert.deepEqual([end.serving, end.epoch], [start.serving, start.epoch]);
  });

  test('switch through the controller under live load', async () => {
    const controller = ha.controller;
    assert.ok(controller !== null);
    const start = await ha.steady();
    const list = (await (await fetch(`${controller.url}/api/v1/clusters?q=lab-pair-1`, { headers: controller.authHeader })).json()) as { items: Array<{ id: string }> };
    const clusterId = list.items[0]?.id;
    assert.ok(clusterId !== undefined, 'the agents registered the cluster with the controller');
    // The controller needs a fresh report from the serving node before it can relay.
    const t0 = Date.now();
    const res = await waitFor(
      'the controller to accept the switch',
      async () => {
        const r = await fetch(`${controller.url}/api/v1/clusters/${clusterId}/switch`, { method: 'POST', headers: { 'content-type': 'application/json', ...controller.authHeader }, body: JSON.stringify({ reason: 'integration test' }) });
        const body = (await r.json()) as Record<string, unknown>;
        return r.status === 202 ? body : undefined;
      },
      20_000,
      500,
    );
    assert.equal(typeof res.expectedEpoch, 'number');
    const end = await assertRecovered(start.standby, t0);
    assert.equal(end.epoch, res.expectedEpoch, 'the new node serves under the epoch the switch announced');
    await waitFor('the controller to show the new Serving node', async () => {
      const s = (await (await fetch(`${controller.url}/api/v1/clusters/${clusterId}/state`, { headers: controller.authHeader })).json()) as { servingNodeId: string | null; nodes: Array<{ nodeId: string; name: string }> };
      return s.nodes.find((n) => n.nodeId === s.servingNodeId)?.name === start.standby ? true : undefined;
    });
  });

  test('controller stopped, then the serving recorder killed: failover still happens (TCP witness)', async () => {
    const start = await ha.steady();
    await ha.stopController();
    const t0 = Date.now();
    await ha.labAction(start.serving, 'crash');
    const end = await assertRecovered(start.standby, t0);
    assert.ok(end.epoch > start.epoch);
  });
});
