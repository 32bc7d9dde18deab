// Backfill to a secondary that keeps half its peer's retention (seed 000, "Smaller Storage"),
// end to end with real processes: nothing older than its own retention is filled, and a Switch to
// it is allowed and says what it lacks. (Apart from backfill-lab.test.ts, so that each file stays
// well inside the test runner's per-file timeout on a loaded machine.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { decodeIndex } from '../media-store/format.js';
import { indexPath } from '../media-store/layout.js';
import { waitFor } from '../lab/testing/harness.js';
import type { BackfillStatus } from '../contracts/controller-v1.js';
import { startHaLab, type HaLab } from './helpers/ha-lab.js';
import { LabController } from './helpers/lab-controller.js';
import { framesOnDisk } from './helpers/storage-on-disk.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const fps = 10;

describe('a secondary with half the retention (a smaller storage) against the lab', { timeout: 600_000 }, () => {
  let ha: HaLab;
  before(async () => {
    // The second node keeps 1 minute, the first the site's 1440 (seed 000, "Smaller Storage").
    ha = await startHaLab({ cameras: 2, fps, profile: 'fast', extraArgs: ['--agent-secondary-retain-minutes', '1'] });
  });
  after(async () => {
    await ha?.close();
  });

  test('nothing older than its retention is filled, and a Switch to it is allowed', async () => {
    const secondary = ha.recorders[1] as string;
    // The node with the short retention must be the standby. At a loaded start its peer's recorder
    // may answer late and the second node claim first: switch the role over, as an operator would.
    if ((await ha.steady(60_000)).serving === secondary) {
      assert.equal((await ha.command(secondary, 'switch')).status, 200);
      await waitFor(`${secondary} to be the standby`, async () => ((await ha.steady(30_000)).standby === secondary ? true : undefined), 60_000, 500);
    }
    const { serving, standby } = await ha.steady(60_000);
    assert.equal(standby, secondary, 'the second node is the standby');
    await sleep(3_000);
    const stoppedAtMs = Date.now();
    assert.equal((await ha.command(secondary, 'stop')).status, 200);
    // Longer than its retention: the oldest part of the hole is beyond what it keeps.
    await sleep(75_000);
    const startedAtMs = Date.now();
    assert.equal((await ha.command(secondary, 'start')).status, 200);
    const done = await waitFor(`${secondary}'s backfill to complete`, async () => {
      const state = (await ha.agentState(secondary)) as unknown as { backfill: BackfillStatus };
      const b = state.backfill;
      return b.state === 'done' && b.placeholderSeconds === 0 && b.blocksDone > 0 && b.missingSeconds < 1 ? b : undefined;
    }, 120_000, 500);
    assert.equal(done.retentionMinutes, 1);
    const retentionStartMs = startedAtMs - 60_000;
    for (const cameraId of ha.cameraIds) {
      const records = decodeIndex(readFileSync(indexPath(ha.agentOf(secondary).storageDir, cameraId))).records;
      const written = records.filter((record) => (record.op === 'placeholder' || record.op === 'fill') && record.startMs >= stoppedAtMs);
      assert.ok(written.length > 0, `${cameraId}: placeholders and fills for the hole`);
      for (const record of written) assert.ok(record.op === 'placeholder' ? record.endMs >= retentionStartMs - 5_000 : record.startMs >= retentionStartMs - 5_000, `${cameraId}: ${record.op} ${record.startMs} within the retention (from ${retentionStartMs})`);
      // The primary holds the old part of the hole; the secondary never got it.
      const oldFromMs = stoppedAtMs + 2_000;
      const oldToMs = retentionStartMs - 10_000;
      assert.ok(framesOnDisk(ha.agentOf(serving).storageDir, cameraId, oldFromMs, oldToMs).size > 0);
      assert.equal(framesOnDisk(ha.agentOf(secondary).storageDir, cameraId, oldFromMs, oldToMs).size, 0, `${cameraId}: nothing older than the retention filled`);
    }
    // Complete within its own retention: the switch needs no force, and says what it lacks.
    const lc = await LabController.of(ha);
    const switched = await lc.call<{ shorterRetention: { retentionMinutes: number; peerRetentionMinutes: number; olderThan: string } | null }>('POST', `/api/v1/clusters/${lc.clusterId}/switch`, { reason: 'test' });
    assert.equal(switched.status, 202, JSON.stringify(switched.body));
    assert.deepEqual([switched.body.shorterRetention?.retentionMinutes, switched.body.shorterRetention?.peerRetentionMinutes], [1, 1440]);
    await waitFor(`${secondary} serving`, async () => ((await ha.agentState(secondary)).serving ? true : undefined), 30_000, 250);
  });
});
