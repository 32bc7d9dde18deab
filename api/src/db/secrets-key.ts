// The key file that encrypts cluster secrets at rest (secret-box.ts): 32 random bytes, made at
// the first start, kept beside the data with mode 0600. It is one line of text,
//   twinrec-secrets-key v1 <base64 of 32 bytes>
// so that an operator can tell what the file is. A new key is only written where no file is
// (temp file + hard link, which never replaces one), so a key is never overwritten.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { syncFolder } from '../../../shared/sync-folder.js';
import { SecretsKeyError, secretsKeyBytes } from './secret-box.js';

const header = 'twinrec-secrets-key v1 ';
/** A key file is one short line; anything much larger is not one. */
const keyFileBytesMax = 256;

export interface SecretsKeyFile {
  readonly path: string;
  readonly key: Buffer;
  /** False for a key made at this start that is not yet written (see writeSecretsKeyFile). */
  readonly onDisk: boolean;
  /** The permission bits the file had when they were looser than 0600 (then tightened), else null. */
  readonly tightenedFromMode: number | null;
}

/** The default key file: `<dataDir>/secrets.key`. */
export function defaultSecretsKeyFile(dataDir: string): string {
  return join(dataDir, 'secrets.key');
}

/** The key file's text for a key. */
export function formatSecretsKey(key: Buffer): string {
  return `${header}${key.toString('base64')}\n`;
}

/**
 * Reads the key file, or makes a new key in memory when there is none (written later by
 * writeSecretsKeyFile, once the database is known to hold nothing sealed with another key).
 *
 * @throws SecretsKeyError when the file cannot be read or is not a key file; never replaces it.
 */
export function readSecretsKeyFile(path: string): SecretsKeyFile {
  let text: string;
  let tightenedFromMode: number | null = null;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new SecretsKeyError(`secrets key file ${path}: not a regular file`);
    if (stat.size > keyFileBytesMax) throw new SecretsKeyError(`secrets key file ${path}: ${stat.size} bytes is not a twinrec key file`);
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      chmodSync(path, 0o600);
      tightenedFromMode = stat.mode & 0o777;
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof SecretsKeyError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { path, key: randomBytes(secretsKeyBytes), onDisk: false, tightenedFromMode: null };
    throw new SecretsKeyError(`secrets key file ${path}: cannot be read (${code ?? String(err)})`);
  }
  return { path, key: parseSecretsKey(text, path), onDisk: true, tightenedFromMode };
}

/** The key in a key file's text. */
export function parseSecretsKey(text: string, path: string): Buffer {
  const line = text.trim();
  const encoded = line.startsWith(header) ? line.slice(header.length) : null;
  const key = encoded !== null && /^[A-Za-z0-9+/]{43}=$/.test(encoded) ? Buffer.from(encoded, 'base64') : null;
  if (key === null || key.length !== secretsKeyBytes) {
    throw new SecretsKeyError(`secrets key file ${path}: not a twinrec key file (expected one line "${header.trim()} <base64 of ${secretsKeyBytes} bytes>")`);
  }
  return key;
}

/**
 * Writes a new key file, mode 0600, durably, only where there is none. When another process
 * wrote one first, that key is returned instead: the caller must check it again.
 */
export async function writeSecretsKeyFile(path: string, key: Buffer): Promise<{ key: Buffer; written: boolean }> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, formatSecretsKey(key));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { key: parseSecretsKey(readFileSync(path, 'utf8'), path), written: false };
  } finally {
    unlinkSync(temp);
  }
  await syncFolder(dirname(path));
  return { key, written: true };
}
