import { randomBytes } from 'node:crypto';

/** A random URL-safe secret (passwords of the lab's accounts). */
export function randomSecret(bytes = 18): string {
  return randomBytes(bytes).toString('base64url');
}
