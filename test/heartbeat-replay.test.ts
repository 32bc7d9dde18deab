// Issue 14, finding 1, as it was reproduced: capture one heartbeat of the Serving node on
// loopback, kill that node's recorder and agent (a dead host), then replay the captured bytes
// from the same source address and port every 200 ms. Before heartbeats proved their freshness
// the peer stayed a standby, `peer.reachable` true, for as long as the replay went on, and the
// relay kept pointing at the dead recorder. Now the peer takes over while the replay goes on.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../lab/testing/harness.js';
import { startHaLab, type HaLab } from './helpers/ha-lab.js';
import { captureUdpOnLoopback } from './helpers/udp-capture.js';

/** The heartbeat port an agent of the lab listens and sends on (its agent.json). */
function heartbeatPort(ha: HaLab, recorder: string): number {
  const config = JSON.parse(readFileSync(join(ha.lab.dir, 'agents', recorder, 'agent.json'), 'utf8')) as { heartbeat: { listen: { port: number } } };
  return config.heartbeat.listen.port;
}

describe('replayed heartbeats (real processes, loopback)', { timeout: 300_000 }, () => {
  let ha: HaLab;
  before(async () => {
    ha = await startHaLab({ cameras: 2, fps: 10, profile: 'fast' });
  });
  after(async () => {
    await ha?.close();
  });

  test('a captured heartbeat of the dead Serving node, replayed from its own port every 200 ms, does not stop the failover', async () => {
    const { serving, standby } = await ha.steady(60_000);
    const fromPort = heartbeatPort(ha, serving);
    const toPort = heartbeatPort(ha, standby);
    const [captured] = await captureUdpOnLoopback(fromPort, toPort, 1, 30_000);
    assert.ok(captured !== undefined && captured.payload.includes('"serving":true'), 'a heartbeat of the Serving node was captured');

    // A dead host: its recorder and agent killed together; the agent's port is free at once.
    await Promise.all([ha.labAction(`agent-${serving}`, 'crash'), ha.labAction(serving, 'crash')]);
    const replayer = createSocket('udp4');
    replayer.bind(fromPort, '127.0.0.1');
    await once(replayer, 'listening');
    let replays = 0;
    const replay = setInterval(() => {
      replays += 1;
      replayer.send(captured.payload, toPort, '127.0.0.1');
    }, 200);
    try {
      replayer.send(captured.payload, toPort, '127.0.0.1');
      // Without freshness this waits out the whole replay (it never moves while the replay goes on).
      await waitFor(`${standby} to serve while the replay goes on`, async () => {
        const state = await ha.agentState(standby);
        return state.serving && (await ha.relayTarget()) === standby ? state : undefined;
      }, 60_000, 100);
      const state = await ha.agentState(standby);
      assert.equal(state.peer.reachable, false, 'the replayed heartbeats do not make the dead peer reachable');
      assert.ok(replays >= 1, 'the replay was going on');
    } finally {
      clearInterval(replay);
      await new Promise<void>((resolve) => replayer.close(() => resolve()));
    }
  });
});
