// Storage faults on the Serving node, with real processes (a lab pair, its two agents, the
// relay; fast profile, no controller): the Serving role moves to the peer, and the peer, which
// keeps recording, holds frames for every second around the fault (issue 14, section 4).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { indexedFrames, waitFor } from '../lab/testing/harness.js';
import type { BackfillStatus } from '../contracts/controller-v1.js';
import { allRecording, startHaLab, type HaLab } from './helpers/ha-lab.js';
import { setStorage, type StorageMode } from './helpers/lab-faults.js';
import { ServingSampler } from './helpers/serving-sampler.js';

/** The window checked on the peer's storage: from 5 s before the fault to 10 s after it. */
const windowBeforeMs = 5_000;
const windowAfterMs = 10_000;

/** The starts of the seconds in [fromMs, toMs) for which `storageDir` holds no frame of the camera. */
async function secondsWithoutFrames(storageDir: string, cameraId: string, fromMs: number, toMs: number): Promise<number[]> {
  const covered = new Set<number>();
  for (const timeMs of (await indexedFrames(storageDir, cameraId)).keys()) if (timeMs >= fromMs && timeMs < toMs) covered.add(Math.floor((timeMs - fromMs) / 1_000));
  const missing: number[] = [];
  for (let second = 0; second < Math.ceil((toMs - fromMs) / 1_000); second += 1) if (!covered.has(second)) missing.push(fromMs + second * 1_000);
  return missing;
}

/** The newest frame time the storage has indexed for the camera (blocks are indexed when sealed). */
async function newestIndexedMs(storageDir: string, cameraId: string): Promise<number> {
  let newest = 0;
  for (const timeMs of (await indexedFrames(storageDir, cameraId)).keys()) newest = Math.max(newest, timeMs);
  return newest;
}

describe('storage faults on the Serving node (lab, real processes)', { timeout: 900_000 }, () => {
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

  /**
   * Both nodes record every camera and neither lacks anything its peer holds. A node whose
   * storage was away has a hole; its agent fills it and may stop its recorder for a moment to
   * place the placeholders: that must be over before the next fault, whose window is read
   * from that node's storage.
   */
  async function settled(): Promise<void> {
    await allRecording(ha);
    for (const node of ha.recorders) {
      await waitFor(`${node}'s backfill to be complete`, async () => {
        const backfill = ((await ha.agentState(node)) as unknown as { backfill: BackfillStatus | null }).backfill;
        return backfill !== null && backfill.dataComplete && backfill.placeholderSeconds === 0 && backfill.state === 'done' ? true : undefined;
      }, 180_000, 500);
    }
  }

  for (const mode of ['offline', 'full'] as const satisfies readonly StorageMode[]) {
    // Fails if the agent does not treat the storage fault as trouble (the Serving role stays on
    // the node that cannot record), if the relay does not follow, or if the peer lost frames
    // around the fault (a second of the window with no frame on its storage).
    test(`storage ${mode} on the Serving node: the peer serves and its storage holds every second around the fault`, async () => {
      await settled();
      const start = await ha.steady();
      const since = Date.now();
      await setStorage(ha, start.serving, mode);
      const faultAtMs = Date.now();
      try {
        await waitFor(`${start.standby} to serve`, async () => ((await ha.agentState(start.standby)).serving ? true : undefined), 60_000, 100);
        await waitFor(`the relay to point at ${start.standby}`, async () => ((await ha.relayTarget()) === start.standby ? true : undefined), 30_000, 100);
        const faulted = await ha.agentState(start.serving);
        assert.equal(faulted.serving, false, `${start.serving} no longer serves`);
        assert.equal(faulted.healthy, false, `${start.serving}'s agent sees its storage ${mode}`);

        // Frames for the window, on the peer's storage, once its blocks for the window are sealed.
        const fromMs = faultAtMs - windowBeforeMs;
        const toMs = faultAtMs + windowAfterMs;
        const storageDir = ha.agentOf(start.standby).storageDir;
        for (const cameraId of ha.cameraIds) {
          await waitFor(`${start.standby}'s storage to index ${cameraId} past the window`, async () => ((await newestIndexedMs(storageDir, cameraId)) >= toMs ? true : undefined), 60_000, 500);
          assert.deepEqual(
            (await secondsWithoutFrames(storageDir, cameraId, fromMs, toMs)).map((ms) => new Date(ms).toISOString()),
            [],
            `${start.standby} holds a frame of ${cameraId} for every second from ${windowBeforeMs / 1000} s before to ${windowAfterMs / 1000} s after the fault`,
          );
        }
      } finally {
        await setStorage(ha, start.serving, 'online');
      }
      // The node comes back as a healthy standby; the role stays where it went (no flapping back).
      const end = await ha.steady(120_000);
      assert.equal(end.serving, start.standby, `${start.standby} keeps serving once ${start.serving}'s storage is back`);
      assert.ok(end.epoch > start.epoch, `the takeover came with a higher epoch (${start.epoch} → ${end.epoch})`);
      assert.deepEqual(sampler.violations(since), [], 'never two nodes serving at once');
      assert.deepEqual(sampler.relayTargetsAbove(start.epoch, since), [start.standby], 'under the new epoch the relay points only at the peer');
    });
  }
});
