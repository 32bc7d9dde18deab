// One line for a failed zod validation, for logs, events and error messages: the first few
// issues, each as `path: message`, so a bad file or answer names what is wrong without
// dumping it.

/**
 * The first `max` issues of a failed validation, each as `path: message`, joined by `; `.
 *
 * @example
 *   describeIssues([{ path: ['failover', 'capCount'], message: 'Too small' }]) // 'failover.capCount: Too small'
 */
export function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[], max = 5): string {
  return issues
    .slice(0, max)
    .map((i) => `${i.path.length === 0 ? '(root)' : i.path.map(String).join('.')}: ${i.message}`)
    .join('; ');
}
