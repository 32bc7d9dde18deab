import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BackfillStatus } from '../../contracts/controller-v1.js';
import type { BackfillPeer } from '../backfill/backfill-service.js';
import { failbackSyncStateOf, windowedPeer } from './failback-window.js';

const cam = (n: number): string => `c0000000-0000-4000-8000-00000000000${n}`;
const entry = (startMs: number, endMs: number) => ({ startMs, endMs, fps: 10, frameCount: 10, bytes: 100, sha256: 'a'.repeat(64) });

/** A standby's storage as its backfill source lists it: camera 1 and 2 recorded for the server, 9 its own. */
function standby(): BackfillPeer & { asked: string[] } {
  const entries: Record<string, ReturnType<typeof entry>[]> = { [cam(1)]: [entry(0, 999), entry(1_000, 1_999), entry(5_000, 5_999), entry(9_000, 9_999)], [cam(2)]: [entry(2_000, 2_999)], [cam(9)]: [entry(3_000, 3_999)] };
  const asked: string[] = [];
  return {
    asked,
    listCameras: async () => ({ cameraIds: [cam(1), cam(2), cam(9)], truncated: false }),
    allEntries: async (cameraId) => {
      asked.push(cameraId);
      return { entries: entries[cameraId] ?? [], sealedEndMs: 9_999, truncated: false };
    },
    fetchBlock: async (request) => ({ bytes: Buffer.from(request.cameraId), sha256: 'b'.repeat(64) }),
  };
}

test("the windowed peer shows only the order's cameras, and of each the blocks with a frame in the window", async () => {
  const source = standby();
  const peer = windowedPeer(source, { cameraIds: [cam(1), cam(3)], fromMs: 1_500, toMs: 5_000 });
  assert.deepEqual(await peer.listCameras(), { cameraIds: [cam(1)], truncated: false }, "the standby's own camera and one it recorded nothing of are not listed");
  const one = await peer.allEntries(cam(1), 100);
  assert.deepEqual(one.entries.map((e) => e.startMs), [1_000, 5_000], 'overlapping the window at either end counts; before and after do not');
  assert.equal(one.sealedEndMs, 9_999, "the standby's sealed end stays its own");
  assert.deepEqual(await peer.allEntries(cam(9), 100), { entries: [], sealedEndMs: null, truncated: false });
  assert.deepEqual(source.asked, [cam(1)], 'a camera outside the order is never asked for');
  const block = await peer.fetchBlock({ cameraId: cam(1), peerBlockStartMs: 1_000, fromMs: 1_000, toMs: 1_999, hashOnArrival: false });
  assert.equal(block.bytes.toString(), cam(1));
});

test("the backfill job's states read as the sync's", () => {
  const of = (state: BackfillStatus['state'], reason: string | null, missingSeconds = 0, placeholderSeconds = 0) => failbackSyncStateOf({ state, reason, missingSeconds, placeholderSeconds });
  assert.deepEqual(of('done', null), { state: 'done', error: null });
  assert.deepEqual(of('done', '3.0 s the peer holds wait for the next stop'), { state: 'failed', error: '3.0 s the peer holds wait for the next stop' }, 'done with time no placeholder covers is not done');
  assert.deepEqual(of('running', null), { state: 'running', error: null });
  assert.deepEqual(of('planning', 'waiting for the recorder to open its storage'), { state: 'running', error: null });
  assert.deepEqual(of('idle', null), { state: 'running', error: null }, 'before the first pass');
  assert.deepEqual(of('idle', 'waits for the next stop', 12, 2), { state: 'failed', error: 'waits for the next stop' });
  assert.deepEqual(of('waiting-for-peer', "the peer's agent does not answer (refused)"), { state: 'waiting', error: "the peer's agent does not answer (refused)" });
  assert.deepEqual(of('paused', 'the recording storage is full'), { state: 'waiting', error: 'the recording storage is full' });
  assert.deepEqual(of('failed', '2 blocks failed their checks'), { state: 'failed', error: '2 blocks failed their checks' });
});
