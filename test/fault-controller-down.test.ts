// The controller down, with real processes (the controller, a lab pair, its two agents, the
// relay; fast profile): while both nodes are healthy nothing moves, with the management server
// (the TCP witness the agents fall back to) down as well; killed right after a Switch was
// posted, the switch either completes or cleanly does not happen, never half; started again,
// its view agrees with the agents' (issue 14, section 4).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../lab/testing/harness.js';
import type { BackfillStatus } from '../contracts/controller-v1.js';
import { startHaLab, type HaLab } from './helpers/ha-lab.js';
import { LabController, type Answer } from './helpers/lab-controller.js';
import { RestartableController } from './helpers/controller-restart.js';
import { managementServer } from './helpers/lab-faults.js';
import { ServingSampler } from './helpers/serving-sampler.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How long each witness fault is watched: many times the fast profile's peer timeout (0.8 s) and witness timeout (3 s). */
const watchMs = 20_000;
/**
 * When the controller is killed once the Switch is posted, one run each: before the request
 * reaches it, while it handles it, as soon as the Serving agent has taken the relayed switch
 * (before the controller answers and audits), and after its answer.
 */
type KillPoint = { readonly afterMs: number } | { readonly on: 'release' | 'answer' };
const killPoints: readonly KillPoint[] = [{ afterMs: 0 }, { afterMs: 60 }, { afterMs: 150 }, { on: 'release' }, { on: 'answer' }];
const describeKill = (point: KillPoint): string => ('afterMs' in point ? `after ${point.afterMs} ms` : point.on === 'release' ? 'when the Serving agent let go' : 'after the answer');
/**
 * The longest time nobody may serve around a switch: the fast profile's handover timeout
 * (1.5 s, after which the old node takes the role back) with generous slack for two shared
 * cores. It catches a switch left half done (nobody serving until something else steps in),
 * not a slow one.
 */
const nobodyServingMsMax = 10_000;

type WitnessView = { witness: { kind: 'controller' | 'tcp'; reachable: boolean } };

describe('the controller down (lab with a controller, real processes)', { timeout: 900_000 }, () => {
  let ha: HaLab;
  let lc: LabController;
  let controller: RestartableController;
  let sampler: ServingSampler;

  before(async () => {
    ha = await startHaLab({ cameras: 2, fps: 10, profile: 'fast' });
    lc = await LabController.of(ha);
    controller = RestartableController.of(ha);
    // Manual failback: the Serving role stays where a switch put it.
    await lc.apply({ patch: { failback: { policy: 'manual' }, failover: { capCount: 100 } } });
    await ha.steady(120_000);
    sampler = ServingSampler.start(ha);
  });

  after(async () => {
    await sampler?.stop();
    await controller?.close();
    await ha?.close();
  });

  const witnessOf = async (node: string): Promise<WitnessView['witness']> => ((await ha.agentState(node)) as unknown as WitnessView).witness;

  /**
   * Waits until the controller's live state agrees with the agents': the node both agents call
   * Serving is the controller's Serving node, under the same epoch, both nodes reachable, no
   * conflict and no switch pending.
   */
  async function viewsAgree(): Promise<void> {
    let last = '';
    try {
      await waitFor('the controller to agree with the agents', async () => {
        const agents = await Promise.all(ha.recorders.map((node) => ha.agentState(node)));
        const serving = agents.filter((s) => s.serving);
        const state = await lc.state();
        last = JSON.stringify({ agents: agents.map((s) => [s.nodeName, s.state, s.epoch]), controller: { serving: lc.nodeName(state.servingNodeId), conflict: state.conflict, switchInProgress: state.switchInProgress, nodes: state.nodes.map((n) => [n.name, n.reachable, n.state, n.epoch]) } });
        if (serving.length !== 1 || state.conflict || state.switchInProgress) return undefined;
        const server = serving[0] as (typeof agents)[number];
        const reported = state.nodes.find((n) => n.name === server.nodeName);
        return lc.nodeName(state.servingNodeId) === server.nodeName && reported?.epoch === server.epoch && state.nodes.every((n) => n.reachable) ? true : undefined;
      }, 90_000, 250);
    } catch (err) {
      throw new Error(`${(err as Error).message}; last seen: ${last}`);
    }
  }

  // Fails if losing the controller, or the controller and the TCP witness, moves the Serving
  // role: another node serving, a read with nobody serving, the relay moving.
  test('controller down while both nodes are healthy: no failover, nor with the TCP witness down too', async () => {
    const start = await ha.steady();
    await controller.kill();
    // Both agents must have noticed (they fall back to the TCP witness), or the watch proves nothing.
    await Promise.all(ha.recorders.map((node) => waitFor(`${node} to fall back to the TCP witness`, async () => ((await witnessOf(node)).kind === 'tcp' ? true : undefined), 30_000, 100)));
    const since = Date.now();
    await sleep(watchMs);
    await managementServer(ha, 'stop');
    try {
      await Promise.all(ha.recorders.map((node) => waitFor(`${node} to see no witness at all`, async () => ((await witnessOf(node)).reachable ? undefined : true), 30_000, 100)));
      await sleep(watchMs);
    } finally {
      await managementServer(ha, 'start');
    }
    const watched = sampler.samples.filter((s) => s.atMs >= since && s.nodes.every((n) => n !== null));
    assert.ok(watched.length >= (2 * watchMs) / 1_000, `both agents answered through the watch (${watched.length} reads)`);
    assert.deepEqual(sampler.servers(since), [start.serving], `only ${start.serving} served`);
    assert.equal(sampler.longestNobodyServingMs(since), 0, 'never a read in which nobody served');
    assert.deepEqual(sampler.relayHistory(since), [`${start.serving}@${start.epoch}`], 'the relay never moved');

    await controller.start();
    await viewsAgree();
    const end = await ha.steady();
    assert.deepEqual([end.serving, end.epoch], [start.serving, start.epoch], 'same Serving node, same epoch');
  });

  // Fails if a switch interrupted by the controller's death is left half done: both nodes
  // serving, nobody serving beyond the handover timeout (with slack), the relay pointing at a
  // node that does not serve, or a controller that, started again, disagrees with the agents.
  test(`controller killed right after a Switch is posted, ${killPoints.length} times: the switch completes or cleanly does not happen`, async () => {
    const outcomes: string[] = [];
    for (const [run, killPoint] of killPoints.entries()) {
      const label = `run ${run + 1} (killed ${describeKill(killPoint)})`;
      const start = await ha.steady();
      // A standby that lacks recordings would make the controller refuse the switch (409), which is not what this is about.
      await waitFor(`${start.standby}'s backfill to be complete`, async () => (((await ha.agentState(start.standby)) as unknown as { backfill: BackfillStatus | null }).backfill?.dataComplete === true ? true : undefined), 120_000, 500);
      const since = Date.now();
      let settled: { answer: Answer | null } | null = null;
      const posted: Promise<Answer | null> = lc.call('POST', `/api/v1/clusters/${lc.clusterId}/switch`, { reason: 'fault matrix: controller killed during a switch' }).catch(() => null);
      void posted.then((answer) => (settled = { answer }));
      if ('afterMs' in killPoint) await sleep(killPoint.afterMs);
      else if (killPoint.on === 'answer') await posted;
      else {
        // Polled as fast as the agent answers; a refused switch (no release coming) ends the wait too.
        await waitFor(`${start.serving} to let go, or the switch refused`, async () => ((settled !== null && settled.answer?.status !== 202) || !(await ha.agentState(start.serving)).serving ? true : undefined), 30_000, 5);
      }
      await controller.kill();
      const answer = await posted;

      const end = await ha.steady(60_000);
      await sleep(2_000);
      assert.deepEqual(await ha.steady(30_000), end, `${label}: the outcome holds`);
      const completed = end.serving === start.standby;
      if (completed) {
        assert.ok(end.epoch > start.epoch, `${label}: the new Serving node claimed a higher epoch`);
        if (answer?.status === 202) assert.equal(end.epoch, answer.body.expectedEpoch, `${label}: under the epoch the switch announced`);
      } else {
        assert.equal(end.serving, start.serving, `${label}: the old node still serves`);
      }
      assert.deepEqual(sampler.violations(since), [], `${label}: never two nodes serving at once`);
      const nobodyMs = sampler.longestNobodyServingMs(since);
      assert.ok(nobodyMs <= nobodyServingMsMax, `${label}: nobody served for ${nobodyMs} ms`);
      for (const target of sampler.relayTargetsAbove(start.epoch, since)) assert.equal(target, end.serving, `${label}: under a new epoch the relay pointed only at ${end.serving} (${sampler.relayHistory(since).join(' → ')})`);
      assert.deepEqual(await sampler.readRelay(), { target: end.serving, epoch: end.epoch }, `${label}: the relay points at the Serving node under its epoch`);

      await controller.start();
      await viewsAgree();
      const said = answer === null ? 'no answer' : answer.status === 202 ? '202' : `${answer.status} ${String(answer.body.reason ?? answer.body.type)}`;
      outcomes.push(`${completed ? 'completed' : 'did not happen'} (${said})`);
    }
    console.log(`controller killed during a switch: ${outcomes.map((o, i) => `killed ${describeKill(killPoints[i] as KillPoint)}: ${o}`).join('; ')}`);
  });
});
