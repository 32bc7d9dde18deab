// Witness faults, with real processes (a lab pair, its two agents, the relay; fast profile, no
// controller, so the agents' witness is the lab's management server over TCP): losing the
// witness alone changes nothing; losing the witness and then the peer makes the standby wait
// (WAIT) rather than serve, until the witness answers again (issue 14, section 4).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../lab/testing/harness.js';
import { startHaLab, type HaLab } from './helpers/ha-lab.js';
import { managementServer } from './helpers/lab-faults.js';
import { ServingSampler } from './helpers/serving-sampler.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How long each fault is watched: many times the fast profile's peer timeout (0.8 s) and witness timeout (3 s). */
const watchMs = 20_000;

describe('witness loss (lab without a controller: the TCP witness is the management server)', { timeout: 600_000 }, () => {
  let ha: HaLab;
  let sampler: ServingSampler;

  before(async () => {
    ha = await startHaLab({ cameras: 2, fps: 10, profile: 'fast', withController: false, extraArgs: ['--agent-failover-cap', '100'] });
    await ha.steady(120_000);
    sampler = ServingSampler.start(ha);
  });

  after(async () => {
    await sampler?.stop();
    await ha?.close();
  });

  /** Waits until the agent of `node` reports its witness as (un)reachable. */
  const witnessSeen = (node: string, reachable: boolean): Promise<true> =>
    waitFor(`${node} to see the witness ${reachable ? 'back' : 'gone'}`, async () => (((await ha.agentState(node)) as unknown as { witness: { reachable: boolean } }).witness.reachable === reachable ? true : undefined), 30_000, 100);

  // Fails if a node fails over (or steps down) because the witness went away while the peer
  // still heartbeats: another node would serve, the epoch or the relay would change.
  test('witness lost while both nodes are healthy: no failover', async () => {
    const start = await ha.steady();
    await managementServer(ha, 'stop');
    let since = 0;
    let until = 0;
    try {
      // Both agents must have noticed, or the watch below would prove nothing.
      await Promise.all(ha.recorders.map((node) => witnessSeen(node, false)));
      since = Date.now();
      await sleep(watchMs);
    } finally {
      // The watch ends before the management server starts: the agents may see it back while
      // the start call is still waiting for its ready line.
      until = Date.now();
      await managementServer(ha, 'start');
    }
    const watched = sampler.samples.filter((s) => s.atMs >= since && s.atMs < until && s.nodes.every((n) => n !== null));
    assert.ok(watched.length >= watchMs / 1_000, `both agents answered through the watch (${watched.length} reads)`);
    assert.deepEqual(sampler.servers(since), [start.serving], `only ${start.serving} served`);
    assert.equal(sampler.longestNobodyServingMs(since), 0, 'never a read in which nobody served');
    assert.deepEqual(sampler.relayHistory(since), [`${start.serving}@${start.epoch}`], 'the relay never moved');
    assert.ok(watched.every((s) => s.nodes.every((n) => n?.witnessReachable === false)), 'the witness stayed unreachable for both during the watch');
    await Promise.all(ha.recorders.map((node) => witnessSeen(node, true)));
    const end = await ha.steady();
    assert.deepEqual([end.serving, end.epoch], [start.serving, start.epoch], 'same Serving node, same epoch');
  });

  // Fails if the standby serves while it can reach neither its peer nor the witness (it cannot
  // tell a dead peer from its own isolation), or if it does not take over once the witness
  // answers again.
  test('witness lost, then the Serving host dies: the standby waits (WAIT), never serves, and takes over when the witness returns', async () => {
    const start = await ha.steady();
    const since = Date.now();
    await managementServer(ha, 'stop');
    await witnessSeen(start.standby, false);
    // A host death: the Serving node's agent and recorder killed together.
    await Promise.all([ha.labAction(ha.agentOf(start.serving).name, 'crash'), ha.labAction(start.serving, 'crash')]);
    await waitFor(`${start.standby} to wait`, async () => ((await ha.agentState(start.standby)).state === 'WAIT' ? true : undefined), 30_000, 100);
    await sleep(watchMs);
    const standbyReads = sampler.samples.filter((s) => s.atMs >= since).flatMap((s) => s.nodes.filter((n) => n?.nodeName === start.standby));
    assert.ok(standbyReads.length >= watchMs / 1_000, `the standby answered through the watch (${standbyReads.length} reads)`);
    assert.ok(standbyReads.every((n) => n !== null && !n.serving), `${start.standby} never served while isolated`);
    assert.ok(!sampler.relayHistory(since).some((entry) => entry.startsWith(`${start.standby}@`)), `the relay never pointed at ${start.standby}: ${sampler.relayHistory(since).join(' → ')}`);
    assert.equal((await ha.agentState(start.standby)).state, 'WAIT', `${start.standby} still waits`);

    const returnedAt = Date.now();
    await managementServer(ha, 'start');
    await waitFor(`${start.standby} to serve once the witness answers`, async () => ((await ha.agentState(start.standby)).serving ? true : undefined), 60_000, 100);
    await waitFor(`the relay to point at ${start.standby}`, async () => ((await ha.relayTarget()) === start.standby ? true : undefined), 30_000, 100);
    const end = await ha.agentState(start.standby);
    assert.ok(end.epoch > start.epoch, `it serves under a higher epoch (${start.epoch} → ${end.epoch})`);
    // The sampler reads the dead node's agent too (each read waits out its timeout): let it catch up.
    await waitFor('the sampler to see the relay move', () => (sampler.relayTargetsAbove(start.epoch, returnedAt).length > 0 ? true : undefined), 30_000, 100);
    assert.deepEqual(sampler.relayTargetsAbove(start.epoch, returnedAt), [start.standby]);
    assert.deepEqual(sampler.violations(since), []);
  });
});
