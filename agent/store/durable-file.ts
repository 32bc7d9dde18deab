// Atomic, durable replacement of a small file: readers see the old or the new content, never
// a torn mix, and once the call returns the new content survives a power cut.
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `text` (or exact bytes) to `path` through a temp file in the same folder (fsynced,
 * then renamed over the target), then fsyncs the folder so the rename itself is durable.
 * Creates the folder if missing. Synchronous on purpose: callers persist an epoch before they act on it.
 *
 * @example
 *   writeFileDurably('/var/lib/twinrec/epoch.json', '{"epoch":4}', 0o600);
 */
export function writeFileDurably(path: string, text: string | Uint8Array, mode: number): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true });
  const temp = `${path}.tmp-${process.pid}`;
  try {
    const fd = openSync(temp, 'w', mode);
    try {
      // A temp file left by an earlier crash keeps its old mode; open's mode only applies on creation.
      fchmodSync(fd, mode);
      writeSync(fd, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncFolder(folder);
}

function fsyncFolder(folder: string): void {
  // Windows refuses to open or flush a directory handle (EPERM/EISDIR); NTFS journals the
  // rename's metadata, so the folder flush is a POSIX-only step.
  if (process.platform === 'win32') return;
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
