// What a support snapshot reads on any twinrec host: the product version, a configuration with
// its secrets masked, and the newest lines of a log file. The controller's zip
// (api/src/support/) and each agent's own snapshot (agent/support/) are made of these.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const maskedValue = '********';

/** The version in package.json, found from this file's folder upwards (source or dist/). */
export function productVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth += 1) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'twinrec') return pkg.version ?? 'unknown';
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

/** A key whose value is a secret itself (a password, a secret, a token), not where one is kept (…File, …Path, …Dir). */
function isSecretKey(key: string): boolean {
  return /password|secret|token|passphrase|apikey/i.test(key) && !/(file|path|dir|url)$/i.test(key);
}

/** Credentials in a URL (`postgres://user:pass@host/db`) become `********`. */
function maskUrlCredentials(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]*):[^@/\s]*@/i, `$1:${maskedValue}@`);
}

/**
 * A copy of `value` with every secret masked: values of secret keys, and passwords in URLs.
 * Bounded: deeper than 32 levels or wider than 10,000 keys is cut with a marker.
 *
 * @example
 *   maskSecretsDeep({ db: { url: 'postgres://u:p@h/d' }, auth: { adminPassword: 'x' }, secretFile: '/etc/s' })
 *   // { db: { url: 'postgres://u:********@h/d' }, auth: { adminPassword: '********' }, secretFile: '/etc/s' }
 */
export function maskSecretsDeep(value: unknown, depth = 0): unknown {
  if (depth > 32) return '(cut: too deep)';
  if (typeof value === 'string') return maskUrlCredentials(value);
  if (Array.isArray(value)) return value.slice(0, 10_000).map((item) => maskSecretsDeep(item, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value).slice(0, 10_000)) {
    out[key] = isSecretKey(key) && item !== null && item !== undefined && typeof item !== 'boolean' ? maskedValue : maskSecretsDeep(item, depth + 1);
  }
  return out;
}

/**
 * The last whole lines of a file, at most `linesMax` and `bytesMax` bytes read from its end;
 * each line cut to `lineBytesMax`. Null when the file cannot be read.
 */
export function tailLines(path: string, options: { readonly bytesMax: number; readonly linesMax: number; readonly lineBytesMax: number }): string[] | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, options.bytesMax);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    let lines = buffer.toString('utf8').split('\n');
    // The first line is partial unless the read started at the beginning.
    if (length < size) lines = lines.slice(1);
    lines = lines.filter((line) => line.length > 0);
    return lines.slice(-options.linesMax).map((line) => (line.length > options.lineBytesMax ? `${line.slice(0, options.lineBytesMax)}…` : line));
  } finally {
    closeSync(fd);
  }
}
