// Makes a folder's new names (a created or renamed file) durable.
import { open } from 'node:fs/promises';

/** fsyncs a folder. Windows cannot open a folder for fsync; NTFS journals the names. */
export async function syncFolder(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
