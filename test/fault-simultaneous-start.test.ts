// Both agents of a pair started at the same instant, ten times, with real processes (a lab
// pair, its two agents, the relay; fast profile, no controller): each time exactly one node
// serves, the two never serve at once, and the relay, once it points at the new Serving node,
// never moves to the other (issue 14, section 4).
//
// What clients see is the relay, so "served" means the relay pointed at the node. Under load a
// node may boot without hearing its peer within the peer timeout and claim alone: the relay
// refuses that claim (a lower epoch) and the node steps down at once; its status said serving
// for those milliseconds, which is why node status alone is not the measure here.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHaLab, type HaLab } from './helpers/ha-lab.js';
import { ServingSampler } from './helpers/serving-sampler.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const rounds = 10;
/** How long a round is watched after one node serves alone: a late claim by the other, or a flap, would show. */
const settleWatchMs = 3_000;

describe('both agents started at the same instant (lab, real processes)', { timeout: 900_000 }, () => {
  let ha: HaLab;
  let sampler: ServingSampler;

  before(async () => {
    ha = await startHaLab({ cameras: 2, fps: 10, profile: 'fast', withController: false });
    await ha.steady(120_000);
    sampler = ServingSampler.start(ha);
  });

  after(async () => {
    await sampler?.stop();
    await ha?.close();
  });

  // Fails if both nodes serve at once (a read in which both serve, confirmed by a second read,
  // or both under one epoch), if the relay points at both under the round's epochs (a node that
  // claimed with its recorder still starting and then handed over did exactly that), or if no
  // node settles as the only one serving.
  test(`${rounds} times: exactly one serves, never both, the relay never flaps`, async () => {
    const winners: string[] = [];
    for (let round = 1; round <= rounds; round += 1) {
      await Promise.all(ha.agents.map((agent) => ha.labAction(agent.name, 'stop')));
      const relayBefore = await sampler.readRelay();
      assert.ok(relayBefore !== null, 'the relay answers');
      const since = Date.now();
      // One request per agent, sent together: the lab spawns both at once.
      await Promise.all(ha.agents.map((agent) => ha.labAction(agent.name, 'start')));
      const first = await ha.steady(60_000);
      await sleep(settleWatchMs);
      const end = await ha.steady(30_000);
      const label = `round ${round}`;
      assert.equal(end.serving, first.serving, `${label}: ${first.serving} keeps serving`);
      assert.deepEqual(sampler.violations(since), [], `${label}: never two nodes serving at once`);
      assert.deepEqual(sampler.relayTargetsAbove(relayBefore.epoch, since), [first.serving], `${label}: under the round's epochs the relay pointed only at ${first.serving} (${sampler.relayHistory(since).join(' → ')})`);
      winners.push(first.serving);
    }
    const tally = [...new Set(winners)].map((name) => `${name} ×${winners.filter((w) => w === name).length}`).join(', ');
    console.log(`simultaneous start, ${rounds} rounds: exactly one node served each time (${tally})`);
  });
});
