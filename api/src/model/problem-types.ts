// Every problem `type` the API returns. These strings are a public contract: clients branch
// on them, so they never change once released. Each is `urn:twinrec:problem:<slug>`.
import { problemTypeUri as sharedProblemTypeUri } from '../../../shared/problem.js';

export const problemTypes = {
  'validation-failed': { status: 400, title: 'The request does not match the API schema' },
  'malformed-json': { status: 400, title: 'The request body is not valid JSON' },
  unauthorized: { status: 401, title: 'Authentication required' },
  unauthenticated: { status: 401, title: 'Sign in or send an API token' },
  'invalid-credentials': { status: 401, title: 'Wrong user name or password' },
  forbidden: { status: 403, title: 'Not allowed for this role' },
  'csrf-rejected': { status: 403, title: 'Cross-origin request refused' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'not-acceptable': { status: 406, title: 'Not acceptable' },
  'cluster-name-taken': { status: 409, title: 'A cluster with this name already exists' },
  'node-name-taken': { status: 409, title: 'A node with this name already exists in the cluster' },
  'role-conflict': { status: 409, title: 'The cluster cannot take a node with this role' },
  'recorder-identity-mismatch': { status: 409, title: 'Nodes of a cloned pair must share one recorder id' },
  'preferred-node-invalid': { status: 409, title: 'The preferred node is not a node of this cluster' },
  'switch-not-possible': { status: 409, title: 'The Serving role cannot be switched now' },
  'target-missing-data': { status: 409, title: 'The node that would serve lacks recordings its peer holds' },
  'command-refused': { status: 409, title: 'The agent refused the command' },
  'cluster-unreachable': { status: 409, title: 'No node of the cluster is reporting' },
  'username-taken': { status: 409, title: 'An account with this user name already exists' },
  'last-admin': { status: 409, title: 'The last admin account cannot be removed or demoted' },
  'precondition-failed': { status: 412, title: 'Precondition failed' },
  'body-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'login-rate-limited': { status: 429, title: 'Too many failed logins; try again later' },
  'account-stream-limit-reached': { status: 429, title: 'This account has too many event streams open' },
  'database-unavailable': { status: 503, title: 'The database is unavailable' },
  'request-timeout': { status: 503, title: 'The request took too long' },
  'login-busy': { status: 503, title: 'Too many passwords are being checked; try again shortly' },
  'stream-limit-reached': { status: 503, title: 'Too many event streams are open' },
  'console-not-built': { status: 503, title: 'The web console is not built' },
  'internal-error': { status: 500, title: 'Internal error' },
  'agent-unreachable': { status: 502, title: "The node's agent did not answer" },
  'agent-secret-exists': { status: 409, title: 'The cluster already has an agent secret: confirm the replacement' },
  'generic-event-settings-invalid': { status: 400, title: 'The generic-event settings cannot be used: a template names a placeholder its kind does not fill, or a needed setting is missing' },
  'generic-event-not-delivered': { status: 502, title: "XProtect's Event Server did not take the generic event" },
  'webhook-invalid': { status: 400, title: 'The webhook cannot be used: its URL is not http(s) without credentials, or its cluster does not exist' },
  'webhook-name-taken': { status: 409, title: 'A webhook with this name already exists' },
  'webhook-version-conflict': { status: 409, title: 'The webhook has changed since the version this change is based on' },
  'cluster-not-pool': { status: 409, title: 'The cluster is a cloned pair, not a failover pool' },
  'cluster-is-pool': { status: 409, title: 'The cluster is a failover pool: a pair switch and maintenance do not apply; use its failover commands' },
  'pool-role-mismatch': { status: 409, title: 'The node does not have the pool role this needs: `primary` for a protected recording server, `failover` for a standby' },
  'failover-group-name-taken': { status: 409, title: 'A failover group with this name already exists in the pool' },
  'failover-group-version-conflict': { status: 409, title: 'The failover group has changed since the version this change is based on' },
  'failover-group-in-use': { status: 409, title: 'A protected recording server uses this failover group as its primary or secondary group' },
  'failover-group-invalid': { status: 409, title: 'The failover groups cannot be used: not groups of this pool, the same group twice, a secondary group without a primary one, or too many groups' },
  'standby-in-other-group': { status: 409, title: 'The standby is in another failover group' },
  'standby-is-hot-standby': { status: 409, title: 'The standby is a hot standby: it cannot be in a failover group' },
  'hot-standby-in-group': { status: 409, title: 'A hot standby cannot be in a failover group' },
  'hot-standby-taken': { status: 409, title: 'The standby is already the hot standby of another protected recording server' },
  'pool-node-in-failover': { status: 409, title: 'The node takes part in a running failover of its pool (a standby lease holds it): stop the failover and finish the failback first' },
  'pool-failed-over-confirm': { status: 409, title: 'The protected recording server is failed over: the change applies at its next failover; confirm it' },
  'pool-mode-mismatch': { status: 409, title: "The agent's kind does not match the cluster's mode: a pool's agent joins a failover pool, a pair's agent a cloned pair" },
  'pool-not-protected-server': { status: 409, title: "Only a failover pool's protected recording server (a `primary` node of a pool) pushes its RecorderConfig.xml" },
  'recorder-config-invalid': { status: 400, title: 'The RecorderConfig.xml cannot be used: not canonical base64, not matching its SHA-256, or not a RecorderConfig.xml' },
  'pool-failover-not-possible': { status: 409, title: 'The protected recording server\'s failover is not in a state that allows this now (`reason` says why)' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemType = keyof typeof problemTypes;

/** The `type` URI of one of the controller's problem types. */
export function problemTypeUri(type: ProblemType): string {
  return sharedProblemTypeUri(type);
}
