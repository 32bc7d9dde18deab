import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCK_FILE = 'recorder.lock';

/** True if a process with this id exists (EPERM means it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid recorded in a storage's lock file, or null if there is none or it is unreadable. */
export async function lockHolder(root: string): Promise<number | null> {
  try {
    const parsed = JSON.parse(await readFile(join(root, LOCK_FILE), 'utf8')) as { pid?: unknown };
    return typeof parsed.pid === 'number' ? parsed.pid : null;
  } catch {
    return null;
  }
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
  const path = join(root, LOCK_FILE);
  const content = `${JSON.stringify({ pid: process.pid, since: new Date().toISOString() })}\n`;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(path, 'wx', 0o644);
      await handle.writeFile(content);
      await handle.close();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await lockHolder(root);
    if (holder !== null && holder !== process.pid && isProcessAlive(holder)) {
      throw new Error(`storage ${root} is in use by process ${holder}`);
    }
    await rm(path, { force: true });
  }
  throw new Error(`could not lock storage ${root}`);
}

export async function releaseLock(root: string): Promise<void> {
  if ((await lockHolder(root)) === process.pid) await rm(join(root, LOCK_FILE), { force: true });
}
