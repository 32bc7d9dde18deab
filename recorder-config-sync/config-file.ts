// Reading a RecorderConfig.xml from disk within bounded memory, with the hash that the
// compare-and-swap in apply.ts and the watcher compare; and where a write to a path lands.
import { createHash } from 'node:crypto';
import { lstat, open, readlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { RecorderConfigError } from './errors.js';
import { maxConfigBytes, tooLarge } from './xml-document.js';

/** A file's bytes as read, and their SHA-256. */
export interface ConfigFileSnapshot {
  readonly path: string;
  readonly bytes: Buffer;
  /** Lower-case hex SHA-256 of `bytes`. */
  readonly sha256: string;
  /** Permission bits, so that a replacement (and its backup) gets the same. */
  readonly mode: number;
}

export interface ReadOptions {
  /** Refuse files larger than this. Default {@link maxConfigBytes} (8 MiB). */
  readonly maxBytes?: number;
}

/** Read size per call: small enough to keep memory flat, large enough for a typical file in one go. */
const readChunkBytes = 64 * 1024;

/**
 * Lower-case hex SHA-256.
 *
 * @example
 *   sha256Hex(Buffer.from(''))   // 'e3b0c442…b855'
 */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads a file, refusing it by size before reading when `stat` already shows it is too large,
 * and stopping after `maxBytes + 1` bytes when it grows while being read (or is a device that
 * has no size): memory stays within the cap whatever is on disk.
 *
 * @throws RecorderConfigError `not-found`, `too-large` or `io`; the message names the file.
 * @example
 *   const { bytes, sha256 } = await readConfigFile('C:\\ProgramData\\Milestone\\XProtect Recording Server\\RecorderConfig.xml');
 */
export async function readConfigFile(path: string, options: ReadOptions = {}): Promise<ConfigFileSnapshot> {
  const maxBytes = options.maxBytes ?? maxConfigBytes;
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw fileError(err, path, 'read');
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new RecorderConfigError('io', `${path}: is a folder, not a file`);
    if (stat.size > maxBytes) throw inPath(tooLarge(maxBytes, stat.size), path);
    const chunks: Buffer[] = [];
    let total = 0;
    // Bounded: each pass reads at least one byte or ends, and we stop past maxBytes.
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(readChunkBytes, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw inPath(tooLarge(maxBytes), path);
    }
    const bytes = Buffer.concat(chunks, total);
    return { path, bytes, sha256: sha256Hex(bytes), mode: stat.mode & 0o7777 };
  } catch (err) {
    throw err instanceof RecorderConfigError ? err : fileError(err, path, 'read');
  } finally {
    await handle.close();
  }
}

/**
 * Like {@link readConfigFile}, but a missing file gives null.
 *
 * @example
 *   const current = await readConfigFileIfExists(path);   // null: nothing there yet
 */
export async function readConfigFileIfExists(path: string, options: ReadOptions = {}): Promise<ConfigFileSnapshot | null> {
  try {
    return await readConfigFile(path, options);
  } catch (err) {
    if (err instanceof RecorderConfigError && err.code === 'not-found') return null;
    throw err;
  }
}

function inPath(err: RecorderConfigError, path: string): RecorderConfigError {
  return new RecorderConfigError(err.code, `${path}: ${err.message}`);
}

/** Turns a Node.js file-system error into an operator's message naming the file. */
export function fileError(err: unknown, path: string, action: 'read' | 'write'): RecorderConfigError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return new RecorderConfigError('not-found', `${path}: file not found`, { cause: err });
    case 'EISDIR': return new RecorderConfigError('io', `${path}: is a folder, not a file`, { cause: err });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return action === 'write'
        ? new RecorderConfigError('read-only', `${path}: cannot write (${code}: the folder is read-only or not writable by this user); the target was left unchanged`, { cause: err })
        : new RecorderConfigError('io', `${path}: cannot read (${code}: permission denied)`, { cause: err });
    case 'ENOSPC': return new RecorderConfigError('io', `${path}: the disk is full (ENOSPC); the target was left unchanged`, { cause: err });
    default: return new RecorderConfigError('io', `${path}: cannot ${action}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Bound on a chain of symbolic links, as the kernel's (ELOOP after 40). */
const symlinkHopsMax = 40;

/**
 * The file a write to `path` must replace: `path` itself, or the end of its chain of symbolic
 * links (also when that file does not exist yet). Renaming over the link would turn it into a
 * regular file and leave the real one unchanged.
 *
 * @example await realTargetOf('/etc/xprotect/RecorderConfig.xml') // '/srv/deploy/RecorderConfig.xml' when linked there
 */
export async function realTargetOf(path: string): Promise<string> {
  let current = resolve(path);
  for (let hop = 0; hop <= symlinkHopsMax; hop++) {
    let isLink: boolean;
    try {
      isLink = (await lstat(current)).isSymbolicLink();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return current;
      throw fileError(err, current, 'read');
    }
    if (!isLink) return current;
    const target = await readlink(current).catch((err: unknown) => { throw fileError(err, current, 'read'); });
    current = resolve(dirname(current), target);
  }
  throw new RecorderConfigError('io', `${path}: more than ${symlinkHopsMax} symbolic links in a row`);
}
