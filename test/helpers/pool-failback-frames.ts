// The failback sync's outcome as the lab's storages show it: every frame the standby recorded in
// the failover window is on the protected server with its SHA-256, unless the protected recorder
// recorded that time itself (a returning host's recorder runs a moment before its agent stops it).
import assert from 'node:assert/strict';
import { indexedFrames } from '../../lab/testing/harness.js';
import { readCameraIndex } from '../../lab/recorder/storage/placeholders.js';

/**
 * Asserts the window's frames copied from `standbyStorageDir` to `protectedStorageDir`, no
 * placeholder left there; returns how many frames were copied.
 *
 * @example const copied = await assertFailbackFrames(standby.storageDir, server.storageDir, cameraIds, fromMs, toMs);
 */
export async function assertFailbackFrames(standbyStorageDir: string, protectedStorageDir: string, cameraIds: readonly string[], fromMs: number, toMs: number): Promise<number> {
  let copied = 0;
  for (const cameraId of cameraIds) {
    const standbyFrames = [...(await indexedFrames(standbyStorageDir, cameraId))].filter(([t]) => t >= fromMs && t <= toMs);
    assert.ok(standbyFrames.length > 0, `the standby recorded ${cameraId} in the window`);
    const index = (await readCameraIndex(protectedStorageDir, cameraId)).entries;
    const ownRecorded = index.filter((e) => e.state === 'recorded');
    assert.deepEqual(index.filter((e) => e.state === 'placeholder' && e.endMs >= fromMs && e.startMs <= toMs), [], 'no placeholder left in the window');
    const protectedFrames = await indexedFrames(protectedStorageDir, cameraId);
    for (const [timeMs, sha256] of standbyFrames) {
      if (ownRecorded.some((e) => e.startMs <= timeMs && timeMs <= e.endMs)) continue;
      assert.equal(protectedFrames.get(timeMs), sha256, `${cameraId} frame ${timeMs} is on the protected server, equal`);
      copied += 1;
    }
  }
  return copied;
}
