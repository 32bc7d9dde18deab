// A wall-clock jump of ±288 s on one node, with real processes (the controller, a lab pair, its
// two agents, the relay; fast profile): one agent runs under libfaketime and its wall clock is
// moved while it runs, first as the standby, then as the Serving node. The agents decide on
// monotonic time, so nothing may move: no failover, no new epoch, the relay where it was, the
// controller hearing both nodes throughout (issue 14, section 4).
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../lab/testing/harness.js';
import { startHaLab, type HaLab } from './helpers/ha-lab.js';
import { LabController } from './helpers/lab-controller.js';
import { FakedClockAgent } from './helpers/faked-clock-agent.js';
import { ServingSampler } from './helpers/serving-sampler.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The offsets the faked node's wall clock is set to in turn: jumps of +288, −288, −288 and +288 s. */
const offsetsSeconds = [288, 0, -288, 0];
/** How long each jump is watched: many times the fast profile's peer timeout (0.8 s) and the controller's reachability window (2.5 s). */
const watchMs = 10_000;
/** Core events that would show a decision taken on the jump. */
const decisionEvents = new Set(['failover.claiming', 'serving.claiming', 'serving.isolated', 'node.isolated', 'peer.link-down', 'failover.capped', 'failover.local-health', 'failback.started', 'switch.timed-out']);

describe('a wall-clock jump of ±288 s on one node (libfaketime; lab with a controller)', { timeout: 900_000 }, () => {
  let ha: HaLab;
  let lc: LabController;
  let faked: FakedClockAgent;
  let sampler: ServingSampler;

  before(async () => {
    ha = await startHaLab({ cameras: 2, fps: 10, profile: 'fast' });
    lc = await LabController.of(ha);
    // Manual failback: the Serving role stays where the switch below puts it.
    await lc.apply({ patch: { failback: { policy: 'manual' }, failover: { capCount: 100 } } });
    const start = await ha.steady(120_000);
    faked = await FakedClockAgent.start(ha, start.standby, ha.lab.dir);
    await ha.steady(120_000);
    sampler = ServingSampler.start(ha);
  });

  after(async () => {
    await sampler?.stop();
    await faked?.stop();
    await ha?.close();
  });

  /** The core events both agents logged after the given byte offsets of their logs (the faked node's log times are faked). */
  const logSizes = (): number[] => ha.recorders.map((node) => statSync(ha.agentOf(node).logPath).size);
  const eventsSince = (sizes: readonly number[]): string[] =>
    ha.recorders.flatMap((node, i) =>
      readFileSync(ha.agentOf(node).logPath, 'utf8')
        .slice(sizes[i])
        .split('\n')
        .flatMap((line) => {
          try {
            const event = (JSON.parse(line) as { event?: unknown }).event;
            return typeof event === 'string' ? [`${node}: ${event}`] : [];
          } catch {
            return [];
          }
        }),
    );

  /** Reads the controller's live state every 500 ms for `ms`; returns what disagreed with `serving` serving alone, both nodes reachable. */
  async function watchController(ms: number, serving: string): Promise<string[]> {
    const anomalies: string[] = [];
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const state = await lc.state();
      const at = new Date().toISOString();
      for (const n of state.nodes) if (!n.reachable) anomalies.push(`${at}: the controller lost ${n.name} (last report ${n.lastReportAt})`);
      if (lc.nodeName(state.servingNodeId) !== serving) anomalies.push(`${at}: the controller shows ${lc.nodeName(state.servingNodeId)} serving`);
      if (state.conflict) anomalies.push(`${at}: conflict`);
      await sleep(500);
    }
    return anomalies;
  }

  /** Moves the faked node's clock through every offset; after each jump, checks that nothing moved. */
  async function jumpsChangeNothing(): Promise<void> {
    const start = await ha.steady();
    for (const offsetSeconds of offsetsSeconds) {
      const label = `clock at real time ${offsetSeconds >= 0 ? '+' : ''}${offsetSeconds} s on ${faked.node}`;
      const before = await Promise.all(ha.recorders.map((node) => ha.agentState(node)));
      const sizes = logSizes();
      const since = Date.now();
      faked.setOffsetSeconds(offsetSeconds);
      // Proof that the node's wall clock really moved, or the watch below would prove nothing.
      await waitFor(`${label}: its wall clock to move`, async () => (Math.abs((await faked.wallClockMs()) - (Date.now() + offsetSeconds * 1_000)) <= 2_000 ? true : undefined), 10_000, 200);
      const controllerAnomalies = await watchController(watchMs, start.serving);
      const afterStates = await Promise.all(ha.recorders.map((node) => ha.agentState(node)));

      assert.deepEqual(sampler.violations(since), [], `${label}: never two nodes serving`);
      assert.deepEqual(sampler.servers(since), [start.serving], `${label}: only ${start.serving} served`);
      assert.equal(sampler.longestNobodyServingMs(since), 0, `${label}: never a read in which nobody served`);
      assert.deepEqual(sampler.relayHistory(since), [`${start.serving}@${start.epoch}`], `${label}: the relay never moved`);
      assert.deepEqual(afterStates.map((s) => [s.nodeName, s.epoch]), before.map((s) => [s.nodeName, s.epoch]), `${label}: no epoch changed`);
      assert.ok(afterStates.every((s) => s.peer.reachable), `${label}: both nodes still hear their peer`);
      assert.deepEqual(eventsSince(sizes).filter((e) => decisionEvents.has(e.slice(e.indexOf(': ') + 2))), [], `${label}: no failover decision was logged`);
      assert.deepEqual(controllerAnomalies, [], `${label}: the controller kept hearing both nodes and agreeing with them`);
    }
  }

  // Fails if the standby takes its peer for dead (or itself for isolated) on a jump, if an epoch
  // changes, or if the controller stops hearing the node (a report loop timed by the wall clock).
  test('on the standby: no false failover, no epoch confusion', async () => {
    assert.equal((await ha.steady()).standby, faked.node, 'the faked node is the standby');
    await jumpsChangeNothing();
  });

  // The same with the faked node Serving: it must not step down or re-claim on a jump.
  test('on the Serving node: no false failover, no epoch confusion', async () => {
    const start = await ha.steady();
    const switched = await waitFor('the switch to the faked node accepted', async () => {
      const answer = await ha.command(start.serving, 'switch');
      return answer.body.reason === 'peer-not-ready' ? undefined : answer;
    }, 30_000, 500);
    assert.equal(switched.status, 200, JSON.stringify(switched.body));
    await waitFor(`${faked.node} to serve`, async () => ((await ha.steady()).serving === faked.node ? true : undefined), 60_000, 250);
    await jumpsChangeNothing();
  });
});
