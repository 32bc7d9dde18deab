import { createHash } from 'node:crypto';

/** The all-zero GUID, which XProtect reports for devices whose configuration is not loaded yet. */
export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True for a GUID in its canonical lower-case, hyphenated form. */
export function isGuid(text: string): boolean {
  return GUID_PATTERN.test(text);
}

/** Lower-cases and trims a GUID as clients may send it in any case; throws on anything else. */
export function normalizeGuid(text: string): string {
  const guid = text.trim().toLowerCase().replace(/^\{|\}$/g, '');
  if (!isGuid(guid)) throw new Error(`not a GUID: ${JSON.stringify(text.slice(0, 60))}`);
  return guid;
}

/**
 * A GUID derived from a seed (a version-4-shaped UUID built from SHA-256), so that lab objects
 * such as stream ids get stable identities without a registry.
 *
 * @example guidFromSeed('stream/' + cameraId)
 */
export function guidFromSeed(seed: string): string {
  const hash = createHash('sha256').update(seed, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x40;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
