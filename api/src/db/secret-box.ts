// Secrets at rest: AES-256-GCM under the controller's key (secrets-key.ts), in a versioned,
// self-describing text form that fits a varchar column on every dialect:
//   enc:v1:<key id>:<base64 of iv (12 bytes) | tag (16 bytes) | ciphertext (UTF-8)>
// The key id names the key without revealing it, so that a wrong key file is told apart from
// damaged data. The purpose (e.g. `cluster.agent_secret`) is bound as associated data, so a
// value cannot be moved into another kind of column and still open. Pure: no I/O.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export const secretsKeyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;
const sealedPrefix = 'enc:v1:';
const keyIdLength = 16;

/** A key that is missing, malformed, or not the one a value was sealed with; or a damaged value. */
export class SecretsKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsKeyError';
  }
}

/**
 * A short public name of a key: the first 64 bits of a SHA-256 over it, hex.
 *
 * @example keyIdOf(randomBytes(32)) // '3f9a0c…' (16 hex digits)
 */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('twinrec secrets key id\0').update(key).digest('hex').slice(0, keyIdLength);
}

/** Whether a stored value is in the sealed form (else it is plain text from before encryption). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(sealedPrefix);
}

/** The id of the key a sealed value needs, or null when it is not sealed or malformed. */
export function sealedKeyId(stored: string): string | null {
  if (!isSealed(stored)) return null;
  const keyId = stored.slice(sealedPrefix.length, sealedPrefix.length + keyIdLength);
  return /^[0-9a-f]{16}$/.test(keyId) && stored[sealedPrefix.length + keyIdLength] === ':' ? keyId : null;
}

/** The longest sealed form of a secret of `plainUnitsMax` UTF-16 code units (at most 3 UTF-8 bytes each). */
export function sealedLengthMax(plainUnitsMax: number): number {
  const payloadBytes = ivBytes + tagBytes + plainUnitsMax * 3;
  return sealedPrefix.length + keyIdLength + 1 + Math.ceil(payloadBytes / 3) * 4;
}

function checkKey(key: Buffer): void {
  if (key.length !== secretsKeyBytes) throw new SecretsKeyError(`a secrets key has ${secretsKeyBytes} bytes, not ${key.length}`);
}

/**
 * Encrypts `plain` for storage. A fresh random IV each time: sealing the same secret twice
 * gives different text, so stored secrets cannot be compared or looked up by value.
 *
 * @example openSecret(sealSecret('s3cret-of-16-chars', key, 'cluster.agent_secret'), key, 'cluster.agent_secret') // 's3cret-of-16-chars'
 * @throws SecretsKeyError for a key of the wrong size, or a string that is not well-formed UTF-16 (it would not round-trip).
 */
export function sealSecret(plain: string, key: Buffer, purpose: string): string {
  checkKey(key);
  const bytes = Buffer.from(plain, 'utf8');
  if (bytes.toString('utf8') !== plain) throw new SecretsKeyError('a secret with a lone surrogate cannot be stored: it would not read back the same');
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
  cipher.setAAD(Buffer.from(purpose, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(bytes), cipher.final()]);
  return `${sealedPrefix}${keyIdOf(key)}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
}

/**
 * Decrypts a sealed value.
 *
 * @throws SecretsKeyError when the value is not sealed or malformed, was sealed with another
 *   key (the message names both key ids), or fails authentication (damaged or moved).
 */
export function openSecret(stored: string, key: Buffer, purpose: string): string {
  checkKey(key);
  const keyId = sealedKeyId(stored);
  if (keyId === null) throw new SecretsKeyError('not a sealed secret (expected enc:v1:<key id>:<base64>)');
  if (keyId !== keyIdOf(key)) throw new SecretsKeyError(`sealed with key ${keyId}, but the key file holds key ${keyIdOf(key)}`);
  const payload = Buffer.from(stored.slice(sealedPrefix.length + keyIdLength + 1), 'base64');
  if (payload.length < ivBytes + tagBytes) throw new SecretsKeyError('a sealed secret too short to hold its IV and tag');
  const decipher = createDecipheriv('aes-256-gcm', key, payload.subarray(0, ivBytes), { authTagLength: tagBytes });
  decipher.setAAD(Buffer.from(purpose, 'utf8'));
  decipher.setAuthTag(payload.subarray(ivBytes, ivBytes + tagBytes));
  try {
    return Buffer.concat([decipher.update(payload.subarray(ivBytes + tagBytes)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretsKeyError(`a secret sealed with key ${keyId} fails its integrity check (damaged, or not a ${purpose})`);
  }
}
