// Password hashing with node:crypto scrypt: a random salt per password, the cost parameters
// stored with the hash (PHC string format), and a constant-time comparison. Stored hashes can
// be read with other parameters than today's, so the cost can be raised later and old hashes
// upgraded at the next login (needsRehash).
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { problem } from '../domain/errors.js';
import { Slots } from './slots.js';

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  readonly logN: number;
  /** Block size. */
  readonly r: number;
  /** Parallelisation. */
  readonly p: number;
}

/**
 * Today's cost: N = 2^15, r = 8, p = 1 uses 32 MiB and about 50–100 ms of one core, so a
 * login stays quick while a stolen hash is slow to guess.
 */
export const scryptParamsDefault: ScryptParams = { logN: 15, r: 8, p: 1 };

/**
 * scrypt runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise), which
 * file I/O and DNS lookups share: at most 2 hashes are computed at once and 32 more wait; beyond
 * that a hash or a check is refused with 503 `login-busy` (Retry-After: 1) instead of queueing
 * without bound behind a burst of logins.
 */
export const passwordWork = new Slots(2, 32, () => problem('login-busy', 'Too many passwords are being checked at once; try again in a moment', { retryAfterSeconds: 1 }));

/** Bounds on parameters read back from the database, so that a tampered row cannot exhaust memory. */
const logNMax = 20;
const rMax = 32;
const pMax = 16;
const saltBytes = 16;
const keyBytes = 32;

/**
 * A PHC-format scrypt hash of the password with a fresh random salt:
 * `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (base64 without padding).
 *
 * @example
 *   const stored = await hashPassword('correct horse battery');
 *   await verifyPassword('correct horse battery', stored) // true
 * @throws DomainError `login-busy` when too many hashes are under way (passwordWork).
 */
export async function hashPassword(password: string, params: ScryptParams = scryptParamsDefault): Promise<string> {
  const salt = randomBytes(saltBytes);
  const key = await derive(password, salt, params, keyBytes);
  return `$scrypt$ln=${params.logN},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

/**
 * True when the password matches the stored hash; false for a wrong password or an unreadable hash.
 *
 * @throws DomainError `login-busy` when too many hashes are under way (passwordWork).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (parsed === null) return false;
  const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** True when a stored hash was made with other parameters than `params`: hash again at the next login. */
export function needsRehash(stored: string, params: ScryptParams = scryptParamsDefault): boolean {
  const parsed = parseHash(stored);
  return parsed === null || parsed.params.logN !== params.logN || parsed.params.r !== params.r || parsed.params.p !== params.p;
}

/** A random password for a generated account: 144 bits, 24 URL-safe characters. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

interface ParsedHash {
  readonly params: ScryptParams;
  readonly salt: Buffer;
  readonly key: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,88})\$([A-Za-z0-9+/]{16,88})$/.exec(stored);
  if (match === null) return null;
  const [logN, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (logN < 1 || logN > logNMax || r < 1 || r > rMax || p < 1 || p > pMax) return null;
  const salt = Buffer.from(match[4] as string, 'base64');
  const key = Buffer.from(match[5] as string, 'base64');
  return { params: { logN, r, p }, salt, key };
}

function derive(password: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
  const N = 2 ** params.logN;
  // Node refuses unless maxmem exceeds 128 * N * r bytes; give it twice that.
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r };
  return passwordWork.run(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scrypt(password.normalize('NFC'), salt, length, options, (err, key) => (err === null ? resolve(key) : reject(err)));
      }),
  );
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}
