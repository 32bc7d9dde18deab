// Shared-secret checks: the cluster secret on the agent link, the agent's and the relay's HTTP
// APIs, and the lab's accounts. Every secret is compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { problemOf, writeProblem } from './problem.js';

/**
 * Compares two secrets in constant time, whatever their lengths (both are hashed first, so
 * neither the content nor the length leaks through timing).
 *
 * @example
 *   secretsEqual('s3cret', 's3cret') // true
 */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  // An empty expected secret (not configured) never matches, not even an empty one.
  return timingSafeEqual(a, b) && expected.length > 0;
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header ?? '');
  return match?.[1] ?? null;
}

/**
 * A request guard for the HTTP APIs that trust only the cluster secret (the agent's local API,
 * the relay's control API): anything but `Authorization: Bearer <secret>` is a 401 problem.
 *
 * @example app.use(requireBearerSecret(secret, 'twinrec-agent'))
 */
export function requireBearerSecret(secret: string, realm: string): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (token !== null && secretsEqual(token, secret)) {
      next();
      return;
    }
    writeProblem(res, problemOf(401, 'unauthorized', 'Authentication required', 'a valid Bearer cluster secret is required'), { 'www-authenticate': `Bearer realm="${realm}"` });
  };
}
