import { syncFolder } from '../../../shared/sync-folder.js';
import { link, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CameraIndex } from '../../../media-store/camera-index.js';
import { decodeBlock, decodeIndex, encodeIndexRecord, sha256Hex, type IndexRecord } from '../../../media-store/format.js';
import { blockPath, indexPath } from '../../../media-store/layout.js';
import { isLockedByLiveProcess } from './lock.js';

/**
 * Backfill operations on a storage folder, from outside the recorder (what a backfill agent
 * does through the file system): read the index, create placeholders while the recorder is
 * stopped, and fill them at any time. Each index record is appended with one write() to a file
 * opened with O_APPEND, and a running recorder picks up such records within a second.
 */

/** The index of one camera as it is on disk now (up to any torn tail). */
export async function readCameraIndex(root: string, cameraId: string): Promise<CameraIndex> {
  const index = new CameraIndex();
  let bytes: Buffer;
  try {
    bytes = await readFile(indexPath(root, cameraId));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return index;
    throw err;
  }
  for (const record of decodeIndex(bytes).records) index.apply(record);
  return index;
}

/** The bytes of a block file (a recorded or filled block). */
export async function readBlockFile(root: string, cameraId: string, startMs: number): Promise<Buffer> {
  return readFile(blockPath(root, cameraId, startMs));
}

async function appendRecord(root: string, cameraId: string, record: IndexRecord): Promise<void> {
  const handle = await open(indexPath(root, cameraId), 'a', 0o644);
  try {
    await handle.write(encodeIndexRecord(record));
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/**
 * Records that [startMs, endMs] (the first and last frame times of a block that exists on a
 * peer) will be filled later. Only while no recorder holds the storage, as XProtect's media
 * database cannot be changed under a running recorder either.
 */
export async function createPlaceholder(root: string, cameraId: string, range: { startMs: number; endMs: number; fps: number }): Promise<void> {
  if (await isLockedByLiveProcess(root)) throw new Error('placeholders can only be created while the recorder is stopped');
  const index = await readCameraIndex(root, cameraId);
  const record: IndexRecord = { op: 'placeholder', startMs: range.startMs, endMs: range.endMs, fps: range.fps };
  const outcome = index.apply(record);
  if (typeof outcome === 'object') throw new Error(outcome.rejected);
  if (outcome === 'duplicate') return;
  await appendRecord(root, cameraId, record);
}

/**
 * Fills part of a pending placeholder with a block file's bytes (the peer's block, or a slice of
 * it: media-store's sliceBlock). The block must decode completely, and its frames must lie
 * inside one pending placeholder, which the fill splits (the parts before and after stay
 * pending). The file is named by its first frame time; it is written under a temporary name
 * and synced, then linked to its name, which never replaces an existing file, before the
 * record is appended. A fill already applied changes nothing ('duplicate').
 */
export async function fillPlaceholder(root: string, cameraId: string, blockBytes: Buffer): Promise<'applied' | 'duplicate'> {
  const block = decodeBlock(blockBytes);
  const first = block.frames[0];
  const last = block.frames[block.frames.length - 1];
  if (!block.clean || first === undefined || last === undefined) throw new Error('block bytes do not decode completely');
  const record: IndexRecord = { op: 'fill', startMs: first.timeMs, endMs: last.timeMs, fps: block.fps, frameCount: block.frames.length, bytes: blockBytes.length, sha256: sha256Hex(blockBytes) };
  const outcome = (await readCameraIndex(root, cameraId)).apply(record);
  if (typeof outcome === 'object') throw new Error(outcome.rejected);
  if (outcome === 'duplicate') return 'duplicate';
  const path = blockPath(root, cameraId, record.startMs);
  const temp = `${path}.tmp`;
  try {
    const handle = await open(temp, 'w', 0o644);
    try {
      await handle.writeFile(blockBytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // link() fails with EEXIST where rename() would silently replace what is there.
    await link(temp, path).catch((err: unknown) => {
      throw (err as NodeJS.ErrnoException).code === 'EEXIST' ? new Error(`block file ${path} already exists`) : err;
    });
  } finally {
    await rm(temp, { force: true });
  }
  await syncFolder(dirname(path));
  await appendRecord(root, cameraId, record);
  return 'applied';
}

