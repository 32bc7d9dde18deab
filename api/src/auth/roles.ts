// Role order and the checks built on it: viewer < operator < admin. Pure, so that the HTTP
// layer, the token rules and the tests share one definition.
import { roles, type Role } from '../model/vocabulary.js';

export type { Role } from '../model/vocabulary.js';

/**
 * True when `role` may do what `required` allows.
 *
 * @example
 *   roleAtLeast('admin', 'operator')  // true
 *   roleAtLeast('viewer', 'operator') // false
 */
export function roleAtLeast(role: Role, required: Role): boolean {
  return roles.indexOf(role) >= roles.indexOf(required);
}

/**
 * The weaker of two roles: what a token may do is bounded by its owner's current role, so a
 * demoted account's tokens lose the difference at once.
 *
 * @example
 *   lowerRole('admin', 'viewer') // 'viewer'
 */
export function lowerRole(a: Role, b: Role): Role {
  return roleAtLeast(a, b) ? b : a;
}

/** Type guard for a role read from the database or a request. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}
