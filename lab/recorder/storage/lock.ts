// The storage lock of a lab recorder: one recorder per storage folder, as XProtect's recording
// server holds its media database. A lock file held by a live process (shared/process-lock.ts).
import { join } from 'node:path';
import { acquireLockFile, isProcessAlive, lockFileHolder, LockHeldError, releaseLockFile } from '../../../shared/process-lock.js';

export { isProcessAlive };

export const LOCK_FILE = 'recorder.lock';

/** The pid recorded in a storage's lock file, or null if there is none or it is unreadable. */
export function lockHolder(root: string): Promise<number | null> {
  return lockFileHolder(join(root, LOCK_FILE));
}

/** True if a live process (this one included) holds the storage: a recorder is running on it. */
export async function isLockedByLiveProcess(root: string): Promise<boolean> {
  const pid = await lockHolder(root);
  return pid !== null && isProcessAlive(pid);
}

/**
 * Takes the storage lock for this process. A lock left by a process that no longer exists
 * (a crashed recorder) is taken over; a live holder makes this throw, because two recorders
 * writing one storage would corrupt it.
 */
export async function acquireLock(root: string): Promise<void> {
  try {
    // Readable by others: agents and benches check whether a recorder holds the storage.
    await acquireLockFile(join(root, LOCK_FILE), 0o644);
  } catch (err) {
    if (err instanceof LockHeldError) throw new Error(`storage ${root} is in use by process ${err.holderPid}`);
    throw err;
  }
}

export function releaseLock(root: string): Promise<void> {
  return releaseLockFile(join(root, LOCK_FILE));
}
