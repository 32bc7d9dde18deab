// Storage faults on the Serving node, with real processes (a lab pair, its two agents, the
// relay; fast profile, no controller): the Serving role moves to the peer; no second around the
// fault is on neither node; and once the storage is back and backfill is done, each node holds
// every second of it (issue 14, section 4).
//
// Each node may lack seconds for a while, on purpose: the faulted node while its storage is
// away, the standby while it stops its recorder for a moment to place placeholders. Backfill
// fills those from the peer. What must never happen is a second on neither node: the lab once
// showed one, when the Serving node's storage filled up during the standby's placeholder window
// and the standby took the role with its recorder stopped (now it is no ready standby then).
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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The starts of the seconds in [fromMs, toMs) for which none of `storageDirs` holds a frame of the camera. */
async function secondsOnNeither(storageDirs: readonly string[], cameraId: string, fromMs: number, toMs: number): Promise<number[]> {
  const missingPerNode = await Promise.all(storageDirs.map((dir) => secondsWithoutFrames(dir, cameraId, fromMs, toMs)));
  return (missingPerNode[0] ?? []).filter((second) => missingPerNode.every((missing) => missing.includes(second)));
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
   * Both nodes record every camera and neither lacks anything its peer holds, by a gap audit
   * that began after `sinceMs` (a status from before a storage came back says "done" about a
   * storage that was away): two audits are waited for, the second begun after the first ended.
   */
  async function settled(sinceMs: number): Promise<void> {
    await allRecording(ha);
    const backfillOf = async (node: string): Promise<BackfillStatus | null> => ((await ha.agentState(node)) as unknown as { backfill: BackfillStatus | null }).backfill;
    const auditedAfter = (backfill: BackfillStatus | null, ms: number): boolean => backfill?.auditedAt !== null && backfill?.auditedAt !== undefined && Date.parse(backfill.auditedAt) > ms;
    for (const node of ha.recorders) {
      const first = await waitFor(`an audit of ${node} after ${new Date(sinceMs).toISOString()}`, async () => {
        const backfill = await backfillOf(node);
        return auditedAfter(backfill, sinceMs) ? Date.parse(backfill?.auditedAt as string) : undefined;
      }, 60_000, 250);
      await waitFor(`${node}'s backfill to be complete`, async () => {
        const backfill = await backfillOf(node);
        return auditedAfter(backfill, first) && backfill !== null && backfill.dataComplete && backfill.placeholderSeconds === 0 && backfill.state === 'done' ? true : undefined;
      }, 180_000, 500);
    }
  }

  /**
   * Every camera, every second of [fromMs, toMs): on the one node in `nodes`, or on one of two at
   * least. Read once the `recording` nodes have indexed past the window (a node whose storage is
   * away indexes nothing more; what it sealed before the fault is on its disk).
   */
  async function assertSecondsHeld(nodes: readonly string[], recording: readonly string[], fromMs: number, toMs: number, label: string): Promise<void> {
    const dirs = nodes.map((node) => ha.agentOf(node).storageDir);
    for (const cameraId of ha.cameraIds) {
      for (const dir of recording.map((node) => ha.agentOf(node).storageDir)) await waitFor(`${dir} to index ${cameraId} past the window`, async () => ((await newestIndexedMs(dir, cameraId)) >= toMs ? true : undefined), 60_000, 500);
      const missing = nodes.length === 1 ? await secondsWithoutFrames(dirs[0] as string, cameraId, fromMs, toMs) : await secondsOnNeither(dirs, cameraId, fromMs, toMs);
      assert.deepEqual(missing.map((ms) => new Date(ms).toISOString()), [], `${label}: ${cameraId}, every second from ${windowBeforeMs / 1000} s before to ${windowAfterMs / 1000} s after the fault`);
    }
  }

  let lastChangeMs = 0;

  for (const mode of ['offline', 'full'] as const satisfies readonly StorageMode[]) {
    // Fails if the agent does not treat the storage fault as trouble (the Serving role stays on
    // the node that cannot record), if the relay does not follow, if a second around the fault is
    // on neither node, or if backfill does not make both nodes whole once the storage is back.
    test(`storage ${mode} on the Serving node: the peer serves and its storage holds every second around the fault`, async () => {
      await settled(lastChangeMs);
      // Recorded by both for the whole window before the fault (they were recording when settled).
      await sleep(windowBeforeMs);
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

        // No second of the window is on neither node (read once both have indexed past it).
        await assertSecondsHeld(ha.recorders, [start.standby], faultAtMs - windowBeforeMs, faultAtMs + windowAfterMs, 'on one node at least');
      } finally {
        await setStorage(ha, start.serving, 'online');
        lastChangeMs = Date.now();
      }
      // The node comes back as a healthy standby; the role stays where it went (no flapping back).
      const end = await ha.steady(120_000);
      assert.equal(end.serving, start.standby, `${start.standby} keeps serving once ${start.serving}'s storage is back`);
      assert.ok(end.epoch > start.epoch, `the takeover came with a higher epoch (${start.epoch} → ${end.epoch})`);
      assert.deepEqual(sampler.violations(since), [], 'never two nodes serving at once');
      assert.deepEqual(sampler.relayTargetsAbove(start.epoch, since), [start.standby], 'under the new epoch the relay points only at the peer');
      // Backfill makes both whole: the faulted node gets the fault's seconds from its peer, and the
      // peer anything it had not recorded (a placeholder window) from the faulted node.
      await settled(lastChangeMs);
      for (const node of ha.recorders) await assertSecondsHeld([node], [node], faultAtMs - windowBeforeMs, faultAtMs + windowAfterMs, `${node} once backfill is done`);
    });
  }
});
