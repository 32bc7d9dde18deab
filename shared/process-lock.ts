// A lock file held by one live process: made with O_EXCL, holding the holder's pid; a lock
// left by a process that no longer exists (a crash, a kill -9) is taken over. For what only one
// process may use at a time on one host: a lab recorder's storage, the controller's SQLite file.
import { open, readFile, rm } from 'node:fs/promises';

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

/** The pid recorded in a lock file, or null if there is none or it is unreadable. */
export async function lockFileHolder(path: string): Promise<number | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown };
    return typeof parsed.pid === 'number' ? parsed.pid : null;
  } catch {
    return null;
  }
}

/** Another live process holds the lock. */
export class LockHeldError extends Error {
  constructor(
    readonly path: string,
    readonly holderPid: number,
  ) {
    super(`${path} is held by process ${holderPid}`);
    this.name = 'LockHeldError';
  }
}

/**
 * Takes the lock file for this process; a stale one (its holder gone) is taken over, a live
 * holder other than this process throws LockHeldError. Bounded: three attempts.
 */
export async function acquireLockFile(path: string, mode = 0o600): Promise<void> {
  const content = `${JSON.stringify({ pid: process.pid, since: new Date().toISOString() })}\n`;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(path, 'wx', mode);
      await handle.writeFile(content);
      await handle.close();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await lockFileHolder(path);
    if (holder !== null && holder !== process.pid && isProcessAlive(holder)) throw new LockHeldError(path, holder);
    await rm(path, { force: true });
  }
  throw new Error(`could not take the lock ${path}`);
}

/** Removes the lock file if this process holds it. */
export async function releaseLockFile(path: string): Promise<void> {
  if ((await lockFileHolder(path)) === process.pid) await rm(path, { force: true });
}
