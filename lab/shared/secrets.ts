import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets in constant time. Both sides are hashed first, so the comparison takes
 * the same time whatever their lengths, and a length mismatch leaks nothing either.
 *
 * @example safeEqual(given, expected) // true only when the strings are identical
 */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** A random URL-safe secret (passwords of the lab's accounts). */
export function randomSecret(bytes = 18): string {
  return randomBytes(bytes).toString('base64url');
}
