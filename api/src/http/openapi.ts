// The OpenAPI 3.1 document: the single source of truth for the REST API. Requests are
// validated against it on every call, and responses too when http.validateResponses is on
// (always in tests). Served at /api/v1/openapi.json.
import { agentCommands, refusalReasons } from '../../../contracts/agent-api-v1.js';
import { maxEventsPerReport } from '../../../contracts/controller-v1.js';
import { nodeStates } from '../../../contracts/peer-v1.js';
import { switchRefusalReasons } from '../agent-link/cluster-commands.js';
import { cursorPattern } from '../domain/cursor.js';
import { cameraPageLimitMax, cameraSorts, clonedPairName, mismatchSettings } from '../domain/device-overview.js';
import { eventKindFilterPattern, eventPageLimitMax } from '../domain/events.js';
import { auditPageLimitMax, auditTextFilterPattern } from '../domain/audit-log.js';
import { passwordLengthMax, passwordLengthMin } from '../auth/password.js';
import { addressPattern, auditOutcomes, clusterModes, eventSeverities, failbackPolicies, haStatuses, hostNamePattern, nodeRoles, roles, usernamePattern } from '../model/vocabulary.js';
import { problemTypes, problemTypeUri } from '../model/problem-types.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const json = (schema: object, description: string, headers?: object) => ({ description, ...(headers ? { headers } : {}), content: { 'application/json': { schema } } });
const etagHeader = { ETag: { description: 'Version of the resource, for If-Match', schema: { type: 'string' } } };

const errors = {
  400: problemResponse('The request does not match the schema (`validation-failed`, `malformed-json`)'),
  413: problemResponse('The body is larger than http.bodyLimitBytes (`body-too-large`)'),
  415: problemResponse('The body is not JSON (`unsupported-media-type`)'),
  503: problemResponse('The database is unavailable; nothing was changed (`database-unavailable`)'),
  500: problemResponse('Unexpected error (`internal-error`)'),
};
const notFound = { 404: problemResponse('No such cluster or node (`not-found`)') };
const problemWithReason = (name: string, description: string) => ({ description, content: { 'application/problem+json': { schema: ref(name) } } });
const unauthorized = { 401: problemResponse('No Bearer token, or not the cluster secret (`unauthorized`)') };
const agentUnreachable = { 502: problemResponse("The node's agent did not answer usably: refused connection, timeout, redirect, wrong secret or invalid answer (`agent-unreachable`)") };
const agentBody = (schemaName: string, description: string) => ({
  required: true,
  description: `${description} Checked against \`${schemaName}\` of contracts/controller-v1.ts (zod), the one definition agents and controller share; a mismatch is a \`validation-failed\` problem listing every issue.`,
  content: { 'application/json': { schema: { type: 'object' } } },
});
const preconditionFailed = { 412: problemResponse('If-Match does not match the current ETag (`precondition-failed`)') };
/** Operations that hash or check a password: a 503 may also be `login-busy`. */
const passwordBusy = { 503: { description: 'Too many passwords are being checked at once (`login-busy`, `Retry-After: 1`), or the database is unavailable; nothing was changed (`database-unavailable`)', headers: { 'Retry-After': { description: 'Seconds', schema: { type: 'integer' } } }, content: { 'application/problem+json': { schema: ref('Problem') } } } };

/**
 * Who may call an operation: a session cookie or an API token whose role is at least this one
 * (OpenAPI 3.1 role names as scopes). api/src/http/auth.ts enforces exactly this table; an
 * operation without `security` is taken to need an admin.
 */
const access = (role: (typeof roles)[number]) => [{ sessionCookie: [role] }, { apiToken: [role] }];
const viewer = access('viewer');
const operator = access('operator');
const admin = access('admin');
/** No credentials needed. */
const anyone: never[] = [];
const signedIn = {
  401: problemResponse('No valid session cookie or API token (`unauthenticated`); the answer has `WWW-Authenticate: Bearer`'),
  403: problemResponse('The role is too low (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site\'s page (`csrf-rejected`)'),
};
const password = { type: 'string', minLength: passwordLengthMin, maxLength: passwordLengthMax, description: `${passwordLengthMin} to ${passwordLengthMax} characters` };
const role = { type: 'string', enum: [...roles], description: '`viewer` reads everything; `operator` also switches, sets maintenance and focuses; `admin` also changes clusters and nodes, manages accounts and every token, and reads the audit log' };
const auditCursor = { type: 'string', pattern: cursorPattern, description: "An audit entry's position: `<time, ISO 8601 with milliseconds>_<entry id>`" };

const name = { type: 'string', minLength: 1, maxLength: 64, pattern: '^\\S(.*\\S)?$', description: 'Unique display name; no leading or trailing spaces' };
const hostName = { type: 'string', minLength: 1, maxLength: 253, pattern: hostNamePattern, description: 'DNS host name of the recording server' };
const address = { type: 'string', minLength: 1, maxLength: 253, pattern: addressPattern, description: 'IP address or host name' };
const sharedAddress = { type: 'string', minLength: 1, maxLength: 255, pattern: addressPattern, description: 'Address clients use to reach the Serving node: `host` or `host:port`' };
const uuid = { type: 'string', format: 'uuid' };
const nullableUuid = { type: ['string', 'null'], format: 'uuid' };
const timestamp = { type: 'string', format: 'date-time' };
const holdDown = { type: 'integer', minimum: 0, maximum: 86_400, description: 'Seconds of healthy peer before automatic failback' };
const haStatus = { type: 'string', enum: [...haStatuses], description: '`Serving`, `Standby` (reachable, not serving) or `Unknown` (no report within agents.staleAfterMs)' };
const nodeRef = { type: 'object', additionalProperties: false, required: ['nodeId', 'nodeName'], properties: { nodeId: uuid, nodeName: { type: 'string' } } };
const offsetParam = { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 } };

const cameraParams = [
  { name: 'problems', in: 'query', description: 'Only cameras with a problem (`problem: true`)', schema: { type: 'boolean', default: false } },
  // allowReserved: camera names hold parentheses, and forms encode spaces as `+`.
  { name: 'q', in: 'query', allowReserved: true, description: 'Case-insensitive text the camera name or id contains', schema: { type: 'string', maxLength: 64 } },
  {
    name: 'sort',
    in: 'query',
    description: '`name` (A–Z), `-name` (Z–A), `cluster` (by cluster name, then camera name), `status` (problems first: disconnected or not recording, then overflow, then mismatched; then by name)',
    schema: { type: 'string', enum: [...cameraSorts], default: 'name' },
  },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: cameraPageLimitMax, default: 100 } },
  offsetParam,
];
const cameraPageResponse = json(ref('CameraPage'), 'A page of cameras, from the agents\' reports as the controller saw them at most a second ago');

// allowReserved where values hold `*`, `:` or `+` (kinds, times, cursors), which clients rarely encode.
const eventFilterParams = [
  { name: 'clusterId', in: 'query', description: "Only this cluster's events", schema: uuid },
  { name: 'nodeId', in: 'query', description: "Only this node's events", schema: uuid },
  { name: 'kind', in: 'query', allowReserved: true, description: 'An event kind (`node.state-changed`), or a prefix ending in `*` (`failover.*`); compared case-sensitively', schema: { type: 'string', minLength: 1, maxLength: 65, pattern: eventKindFilterPattern } },
  { name: 'severity', in: 'query', description: 'This severity and those above it (`info` < `warning` < `error` < `critical`)', schema: { type: 'string', enum: [...eventSeverities] } },
];
const eventCursor = { type: 'string', pattern: cursorPattern, description: "An event's position: `<time, ISO 8601 with milliseconds>_<event id>`" };

const nodeFields = {
  name: { ...name, description: 'Node name, unique in the cluster (often the Windows host name)' },
  role: { type: 'string', enum: [...nodeRoles], description: 'primary/secondary in a cloned pair; primary/failover in a pool' },
  hostName,
  addresses: { type: 'array', items: address, maxItems: 16, description: 'Addresses of the host, most preferred first' },
  agentUrl: { type: ['string', 'null'], format: 'uri', maxLength: 2048, pattern: '^https?://', description: "Base URL of the node's twinrec agent" },
  recorderId: { ...nullableUuid, description: 'RecorderConfig.xml recorder/id; a cloned pair shares one' },
};

/** A node as stored: shared by Node and the views that add live fields to it. */
const nodeProperties = { id: uuid, clusterId: uuid, ...nodeFields, createdAt: timestamp, updatedAt: timestamp, version: { type: 'integer', minimum: 1 } };
const nodeRequired = ['id', 'clusterId', 'name', 'role', 'hostName', 'addresses', 'agentUrl', 'recorderId', 'createdAt', 'updatedAt', 'version'];

/** A cluster as stored, without its nodes: shared by Cluster and ClusterSummary. */
const clusterProperties = {
  id: uuid,
  name,
  mode: { type: 'string', enum: [...clusterModes], description: '`cloning`: a 1:1 pair with one recorder identity; `pool`: N:M failover servers' },
  sharedAddress,
  preferredNodeId: { ...nullableUuid, description: 'Node that serves when both are healthy; null means the primary' },
  failbackPolicy: { type: 'string', enum: [...failbackPolicies] },
  failbackHoldDownSeconds: holdDown,
  description: { type: 'string', maxLength: 1024 },
  createdAt: timestamp,
  updatedAt: timestamp,
  version: { type: 'integer', minimum: 1 },
};
const clusterRequired = ['id', 'name', 'mode', 'sharedAddress', 'preferredNodeId', 'failbackPolicy', 'failbackHoldDownSeconds', 'description', 'createdAt', 'updatedAt', 'version'];

/** RFC 9457 problem details, with a problem type's own extension fields. */
function problemSchema(extensions: Record<string, object>, required: string[]) {
  return {
    type: 'object',
    description: 'RFC 9457 problem details',
    required: ['type', 'title', 'status', 'detail', ...required],
    properties: {
      type: { type: 'string', enum: Object.keys(problemTypes).map((t) => problemTypeUri(t as keyof typeof problemTypes)) },
      title: { type: 'string' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: { type: 'string' },
      instance: { type: 'string' },
      errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      ...extensions,
    },
  };
}

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'twinrec controller API',
    version: '1.0.0',
    summary: 'High availability for Milestone XProtect recording servers',
    description:
      'Clusters of recording servers (cloned pairs and failover pools), their nodes, and the controller health endpoints. ' +
      'Every operation except the health endpoints, this document and login needs a session cookie (`POST /api/v1/auth/login`) or an API token (`Authorization: Bearer trk_…`), with the role its `security` names: viewer < operator < admin. ' +
      'Paths match in any case, and a path under /api that is none of these operations is a 404 `not-found` (405 `method-not-allowed` for a method a path does not have), with or without credentials. ' +
      `Every error is RFC 9457 \`application/problem+json\` whose \`type\` is one of: ${Object.keys(problemTypes).map((t) => `\`${problemTypeUri(t as keyof typeof problemTypes)}\``).join(', ')}.`,
    license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
  },
  servers: [{ url: '/' }],
  tags: [
    { name: 'clusters' },
    { name: 'nodes' },
    { name: 'cameras', description: 'The Device Overview' },
    { name: 'events' },
    { name: 'agents', description: 'The agent link: called by the agents on the recording servers' },
    { name: 'auth', description: 'Signing in: console sessions (cookie), API tokens, focus' },
    { name: 'users', description: 'Accounts and their roles (admin)' },
    { name: 'audit', description: 'Who did what (admin)' },
    { name: 'operations' },
  ],
  paths: {
    '/api/v1/clusters': {
      get: {
        tags: ['clusters'],
        operationId: 'listClusters',
        security: viewer,
        summary: 'List clusters with their nodes',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 } },
          { name: 'q', in: 'query', description: 'Case-insensitive text that the cluster name contains', schema: { type: 'string', maxLength: 64 } },
        ],
        responses: { 200: json(ref('ClusterPage'), 'A page of clusters, ordered by name, each with who serves, whether data may be missing, and its nodes as last reported'), ...signedIn, ...errors },
      },
      post: {
        tags: ['clusters'],
        operationId: 'createCluster',
        security: admin,
        summary: 'Create a cluster, optionally with its nodes, in one transaction',
        requestBody: { required: true, content: { 'application/json': { schema: ref('ClusterCreate') } } },
        responses: {
          201: json(ref('Cluster'), 'Created', { ...etagHeader, Location: { schema: { type: 'string' } } }),
          409: problemResponse('Name taken or node rules violated (`cluster-name-taken`, `node-name-taken`, `role-conflict`, `recorder-identity-mismatch`)'),
          ...signedIn, ...errors,
        },
      },
    },
    '/api/v1/clusters/{clusterId}': {
      parameters: [{ name: 'clusterId', in: 'path', required: true, schema: uuid }],
      get: {
        tags: ['clusters'],
        operationId: 'getCluster',
        security: viewer,
        summary: 'One cluster with its nodes',
        responses: { 200: json(ref('Cluster'), 'The cluster', etagHeader), ...notFound, ...signedIn, ...errors },
      },
      patch: {
        tags: ['clusters'],
        operationId: 'updateCluster',
        security: admin,
        summary: 'Change a cluster; the mode cannot change',
        parameters: [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string', maxLength: 256 } }],
        requestBody: { required: true, content: { 'application/json': { schema: ref('ClusterUpdate') } } },
        responses: {
          200: json(ref('Cluster'), 'The updated cluster', etagHeader),
          409: problemResponse('Name taken or preferred node invalid (`cluster-name-taken`, `preferred-node-invalid`)'),
          ...notFound,
          ...preconditionFailed,
          ...signedIn, ...errors,
        },
      },
      delete: {
        tags: ['clusters'],
        operationId: 'deleteCluster',
        security: admin,
        summary: 'Delete a cluster and its nodes',
        parameters: [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string', maxLength: 256 } }],
        responses: { 204: { description: 'Deleted' }, ...notFound, ...preconditionFailed, ...signedIn, ...errors },
      },
    },
    '/api/v1/clusters/{clusterId}/nodes': {
      parameters: [{ name: 'clusterId', in: 'path', required: true, schema: uuid }],
      get: {
        tags: ['nodes'],
        operationId: 'listNodes',
        security: viewer,
        summary: "The cluster's nodes",
        responses: { 200: json({ type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array', items: ref('Node') } } }, 'Nodes, ordered by name'), ...notFound, ...signedIn, ...errors },
      },
      post: {
        tags: ['nodes'],
        operationId: 'createNode',
        security: admin,
        summary: 'Add a node to a cluster',
        requestBody: { required: true, content: { 'application/json': { schema: ref('NodeCreate') } } },
        responses: {
          201: json(ref('Node'), 'Created', { ...etagHeader, Location: { schema: { type: 'string' } } }),
          409: problemResponse('Node rules violated (`node-name-taken`, `role-conflict`, `recorder-identity-mismatch`)'),
          ...notFound,
          ...signedIn, ...errors,
        },
      },
    },
    '/api/v1/clusters/{clusterId}/nodes/{nodeId}': {
      parameters: [
        { name: 'clusterId', in: 'path', required: true, schema: uuid },
        { name: 'nodeId', in: 'path', required: true, schema: uuid },
      ],
      get: {
        tags: ['nodes'],
        operationId: 'getNode',
        security: viewer,
        summary: 'One node, with its storages as its agent last reported them',
        responses: { 200: json(ref('NodeDetail'), 'The node; the ETag covers its configuration, not the reported storages', etagHeader), ...notFound, ...signedIn, ...errors },
      },
      patch: {
        tags: ['nodes'],
        operationId: 'updateNode',
        security: admin,
        summary: 'Change a node',
        parameters: [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string', maxLength: 256 } }],
        requestBody: { required: true, content: { 'application/json': { schema: ref('NodeUpdate') } } },
        responses: {
          200: json(ref('Node'), 'The updated node', etagHeader),
          409: problemResponse('Node rules violated'),
          ...notFound,
          ...preconditionFailed,
          ...signedIn, ...errors,
        },
      },
      delete: {
        tags: ['nodes'],
        operationId: 'deleteNode',
        security: admin,
        summary: 'Remove a node from its cluster',
        parameters: [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string', maxLength: 256 } }],
        responses: { 204: { description: 'Deleted' }, ...notFound, ...preconditionFailed, ...signedIn, ...errors },
      },
    },
    '/api/v1/clusters/{clusterId}/state': {
      parameters: [{ name: 'clusterId', in: 'path', required: true, schema: uuid }],
      get: {
        tags: ['clusters'],
        operationId: 'getClusterState',
        security: viewer,
        summary: 'Which node serves, and what each node reported last',
        description: 'Joins the nodes with their agents\' latest reports. Only a report within `agents.staleAfterMs` counts: a node with an older one is not `reachable`, not `serving`, and its `haStatus` is `Unknown`; its other fields show what it last said.',
        responses: { 200: json(ref('ClusterState'), 'The live state'), ...notFound, ...signedIn, ...errors },
      },
    },
    '/api/v1/clusters/{clusterId}/switch': {
      parameters: [{ name: 'clusterId', in: 'path', required: true, schema: uuid }],
      post: {
        tags: ['clusters'],
        operationId: 'switchServing',
        security: operator,
        summary: 'Hand the Serving role to the standby node',
        description: "Relays `switch` to the Serving node's agent with the cluster secret. The agent releases the shared address and its peer claims it under a higher epoch; `GET …/state` shows when that happened. The body is optional.",
        requestBody: { required: false, content: { 'application/json': { schema: ref('SwitchRequest') } } },
        responses: {
          202: json(ref('SwitchAccepted'), 'The agent accepted the switch'),
          409: problemWithReason('SwitchNotPossible', 'No node serves, a switch is under way, or the agent refused (`switch-not-possible`, with `reason`)'),
          ...notFound,
          ...agentUnreachable,
          ...signedIn, ...errors,
        },
      },
    },
    '/api/v1/clusters/{clusterId}/maintenance': {
      parameters: [{ name: 'clusterId', in: 'path', required: true, schema: uuid }],
      post: {
        tags: ['clusters'],
        operationId: 'setMaintenance',
        security: operator,
        summary: 'Turn maintenance (no automatic failover) on or off',
        description: "Relays `maintenance-on` or `maintenance-off` to one reachable agent, the Serving node's first; the flag is cluster-wide and reaches the peer through heartbeats.",
        requestBody: { required: true, content: { 'application/json': { schema: ref('MaintenanceRequest') } } },
        responses: {
          200: json(ref('MaintenanceSet'), 'The agent took the command'),
          409: problemWithReason('CommandRefused', 'No node has reported recently (`cluster-unreachable`) or the agent refused (`command-refused`, with `reason`)'),
          ...notFound,
          ...agentUnreachable,
          ...signedIn, ...errors,
        },
      },
    },
    '/api/v1/cameras': {
      get: {
        tags: ['cameras'],
        operationId: 'listCameras',
        security: viewer,
        summary: 'Device Overview of every cluster: each camera connected, disconnected, in overflow, mismatched',
        description:
          "Built from the node status cache (the agents' last reports) only, never by asking a recorder, and kept for about a second. A camera is listed once per cluster, by its device id; the two nodes of a cloned pair report the same ids.",
        parameters: [{ name: 'clusterId', in: 'query', description: "Only this cluster's cameras (an unknown id gives an empty page)", schema: uuid }, ...cameraParams],
        responses: { 200: cameraPageResponse, ...signedIn, ...errors },
      },
    },
    '/api/v1/clusters/{clusterId}/cameras': {
      parameters: [{ name: 'clusterId', in: 'path', required: true, schema: uuid }],
      get: {
        tags: ['cameras'],
        operationId: 'listClusterCameras',
        security: viewer,
        summary: "Device Overview of one cluster",
        description: 'As `GET /api/v1/cameras`, for one cluster.',
        parameters: cameraParams,
        responses: { 200: cameraPageResponse, ...notFound, ...signedIn, ...errors },
      },
    },
    '/api/v1/events': {
      get: {
        tags: ['events'],
        operationId: 'listEvents',
        security: viewer,
        summary: 'Events, newest first, filtered, a page at a time',
        description: 'Pages by cursor: pass the answer\'s `next` as `before` for the next, older page. Events from agents carry the time they happened on the node, so one that arrives late lands at its own time.',
        parameters: [
          ...eventFilterParams,
          { name: 'since', in: 'query', allowReserved: true, description: 'Only events at or after this time', schema: timestamp },
          { name: 'until', in: 'query', allowReserved: true, description: 'Only events before this time; must be later than `since`', schema: timestamp },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: eventPageLimitMax, default: 100 } },
          { name: 'before', in: 'query', allowReserved: true, description: 'Only events older than this cursor (the previous page\'s `next`)', schema: eventCursor },
        ],
        responses: { 200: json(ref('EventPage'), 'A page of events, newest first'), ...signedIn, ...errors },
      },
    },
    '/api/v1/events/stream': {
      get: {
        tags: ['events'],
        operationId: 'streamEvents',
        security: viewer,
        summary: 'Server-Sent Events: every new event as it is stored, with the same filters',
        description:
          'Each event is an SSE message whose `id:` is its cursor and whose `data:` is the `Event` as JSON. With `Last-Event-ID` (sent by EventSource on reconnect) the stream first replays, oldest first, the events after that cursor from the database, at most 1000; with `since` and no Last-Event-ID, the events since then. When more were due, an `event: replay-truncated` message gives the `before` cursor to page the rest with `GET /api/v1/events`. A comment line every 15 s keeps the connection alive. An event that arrives late (an agent sending what it queued) is streamed when stored, so cursors in a stream are not always increasing and a resumed stream may repeat an event: use the event `id` to drop repeats. At most 100 streams are open at once; the controller ends them when it stops.',
        parameters: [
          ...eventFilterParams,
          { name: 'since', in: 'query', allowReserved: true, description: 'Without Last-Event-ID: replay the events since this time first (at most 1000)', schema: timestamp },
          { name: 'Last-Event-ID', in: 'header', required: false, description: 'Resume after this event cursor', schema: eventCursor },
        ],
        responses: {
          200: { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string', description: '`retry:`, then per event `id: <cursor>` and `data: <Event JSON>`; `: heartbeat` comments' } } } },
          400: errors[400],
          ...signedIn,
          503: problemResponse('100 streams are open already or the controller is stopping (`stream-limit-reached`), or the database is unavailable for the replay (`database-unavailable`)'),
          500: errors[500],
        },
      },
    },
    '/api/v1/auth/login': {
      post: {
        tags: ['auth'],
        operationId: 'login',
        security: anyone,
        summary: 'Sign in: opens a console session (cookie)',
        description:
          'Sets `twinrec_session` (HttpOnly, SameSite=Strict, Path=/, Secure when auth.cookieSecure) for auth.sessionTtlMs. The name is compared in lower case and must be an account name (a name of any other form is a wrong name). ' +
          'Failed logins are counted within auth.loginFailureWindowMs per account and client address, per account from all addresses, and per address; a login is counted as it arrives, before its password is checked, so parallel attempts cannot exceed the limits. ' +
          'At auth.loginFailuresPerAccountMax failures for an account from one address, that address may not try it again for the window; past auth.loginFailuresPerAccountTotalMax for the account from all addresses, only addresses without a failure for it may; at auth.loginFailuresPerAddressMax the address is refused. Refused logins get 429 without their password being checked. ' +
          'The client address is the TCP peer, or the one trusted proxies name (http.trustProxy); IPv6 addresses are counted by /64. Every success and failure is audited (`auth.login`).',
        requestBody: { required: true, content: { 'application/json': { schema: ref('LoginRequest') } } },
        responses: {
          200: json(ref('LoginAnswer'), 'Signed in', { 'Set-Cookie': { description: 'twinrec_session=<opaque>; HttpOnly; SameSite=Strict; Path=/', schema: { type: 'string' } } }),
          ...errors,
          401: problemResponse('Wrong user name or password (`invalid-credentials`)'),
          403: problemResponse("Sent from another site's page (`csrf-rejected`)"),
          429: { description: 'Too many failed logins (`login-rate-limited`); `Retry-After` says when to try again', headers: { 'Retry-After': { description: 'Seconds', schema: { type: 'integer' } } }, content: { 'application/problem+json': { schema: ref('LoginRateLimited') } } },
          ...passwordBusy,
        },
      },
    },
    '/api/v1/auth/logout': {
      post: {
        tags: ['auth'],
        operationId: 'logout',
        security: anyone,
        summary: 'Sign out: ends the session and clears its cookie',
        description: 'Always answers 204 and clears the cookie; a session that exists is deleted and the logout audited. A token caller has no session: nothing changes.',
        responses: { 204: { description: 'Signed out' }, 403: problemResponse("Sent from another site's page (`csrf-rejected`)"), ...errors },
      },
    },
    '/api/v1/auth/session': {
      get: {
        tags: ['auth'],
        operationId: 'getSession',
        security: viewer,
        summary: 'Who is signed in: the account, how (session or token), what it may do, and its focus',
        responses: { 200: json(ref('Session'), 'The caller'), ...signedIn, ...errors },
      },
    },
    '/api/v1/auth/password': {
      post: {
        tags: ['auth'],
        operationId: 'changePassword',
        security: viewer,
        summary: "Change one's own password",
        description: "Needs the current password; a wrong one is a `validation-failed` at `/body/currentPassword` and counts as a failed login. Ends the account's other sessions (its tokens stay).",
        requestBody: { required: true, content: { 'application/json': { schema: ref('PasswordChange') } } },
        responses: { 204: { description: 'Changed' }, ...signedIn, 429: { description: 'Too many failed checks (`login-rate-limited`)', content: { 'application/problem+json': { schema: ref('LoginRateLimited') } } }, ...errors, ...passwordBusy },
      },
    },
    '/api/v1/users': {
      get: {
        tags: ['users'],
        operationId: 'listUsers',
        security: admin,
        summary: 'Every account, by name',
        responses: { 200: json({ type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: ref('User'), maxItems: 1000 } } }, 'Accounts (at most 1000)'), ...signedIn, ...errors },
      },
      post: {
        tags: ['users'],
        operationId: 'createUser',
        security: admin,
        summary: 'Create an account',
        requestBody: { required: true, content: { 'application/json': { schema: ref('UserCreate') } } },
        responses: { 201: json(ref('User'), 'Created', { Location: { schema: { type: 'string' } } }), 409: problemResponse('The name is taken (`username-taken`)'), ...signedIn, ...errors, ...passwordBusy },
      },
    },
    '/api/v1/users/{userId}': {
      parameters: [{ name: 'userId', in: 'path', required: true, schema: uuid }],
      patch: {
        tags: ['users'],
        operationId: 'updateUser',
        security: admin,
        summary: "Change an account's role, or set a new password (which ends its sessions)",
        requestBody: { required: true, content: { 'application/json': { schema: ref('UserUpdate') } } },
        responses: { 200: json(ref('User'), 'The account'), 404: problemResponse('No such account (`not-found`)'), 409: problemResponse('It is the last admin (`last-admin`)'), ...signedIn, ...errors, ...passwordBusy },
      },
      delete: {
        tags: ['users'],
        operationId: 'deleteUser',
        security: admin,
        summary: 'Delete an account with its sessions and tokens',
        responses: { 204: { description: 'Deleted' }, 404: problemResponse('No such account (`not-found`)'), 409: problemResponse('It is the last admin (`last-admin`)'), ...signedIn, ...errors },
      },
    },
    '/api/v1/tokens': {
      get: {
        tags: ['auth'],
        operationId: 'listTokens',
        security: viewer,
        summary: "The caller's API tokens; an admin sees every account's",
        responses: { 200: json({ type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: ref('Token'), maxItems: 1000 } } }, 'Tokens, newest first (at most 1000); never their secrets'), ...signedIn, ...errors },
      },
      post: {
        tags: ['auth'],
        operationId: 'createToken',
        security: viewer,
        summary: 'Create an API token for the caller (shown once)',
        description:
          "Send it as `Authorization: Bearer trk_…`. Its role defaults to the caller's and cannot be higher; at each request it acts with the lower of its role and its owner's current role. Only its SHA-256 is stored. " +
          'A caller using a token that ends cannot make one that outlives it: `expiresAt` is then required and no later than its own token\'s end (else `validation-failed` at `/body/expiresAt`).',
        requestBody: { required: true, content: { 'application/json': { schema: ref('TokenCreate') } } },
        responses: { 201: json(ref('TokenCreated'), 'Created: `token` is shown this once', { Location: { schema: { type: 'string' } } }), ...signedIn, ...errors },
      },
    },
    '/api/v1/tokens/{tokenId}': {
      parameters: [{ name: 'tokenId', in: 'path', required: true, schema: uuid }],
      delete: {
        tags: ['auth'],
        operationId: 'deleteToken',
        security: viewer,
        summary: "Revoke a token: the caller's own, or any for an admin",
        responses: { 204: { description: 'Revoked' }, 404: problemResponse("No such token of the caller's (`not-found`)"), ...signedIn, ...errors },
      },
    },
    '/api/v1/audit': {
      get: {
        tags: ['audit'],
        operationId: 'listAudit',
        security: admin,
        summary: 'The audit log, newest first, filtered, a page at a time',
        description:
          "Every change and every refused change (clusters, nodes, switch, maintenance, focus, accounts, tokens), every login and logout, and every change refused for the caller's role (`access.denied`). Pages by cursor: pass the answer's `next` as `before`.",
        parameters: [
          { name: 'actor', in: 'query', description: 'Exactly this account name (agents: `agent:<node>`)', schema: { type: 'string', minLength: 1, maxLength: 128 } },
          { name: 'action', in: 'query', allowReserved: true, description: 'An action (`cluster.switch`), or a prefix ending in `*` (`account.*`)', schema: { type: 'string', maxLength: 65, pattern: auditTextFilterPattern } },
          { name: 'target', in: 'query', allowReserved: true, description: 'A target (`cluster/<id>`), or a prefix ending in `*` (`cluster/<id>*` for a cluster and its nodes)', schema: { type: 'string', maxLength: 256, pattern: auditTextFilterPattern } },
          { name: 'outcome', in: 'query', schema: { type: 'string', enum: [...auditOutcomes] } },
          { name: 'since', in: 'query', allowReserved: true, description: 'Only entries at or after this time', schema: timestamp },
          { name: 'until', in: 'query', allowReserved: true, description: 'Only entries before this time; must be later than `since`', schema: timestamp },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: auditPageLimitMax, default: 100 } },
          { name: 'before', in: 'query', allowReserved: true, description: "Only entries older than this cursor (the previous page's `next`)", schema: auditCursor },
        ],
        responses: { 200: json(ref('AuditPage'), 'A page of entries, newest first'), ...signedIn, ...errors },
      },
    },
    '/api/v1/clusters/{clusterId}/focus': {
      parameters: [{ name: 'clusterId', in: 'path', required: true, schema: uuid }],
      post: {
        tags: ['auth'],
        operationId: 'setFocus',
        security: operator,
        summary: 'Focus a node of the cluster: where to reach its own live view and configuration',
        description:
          "For this session (a token caller: this token), replacing its focus in the cluster. Clients keep using the shared address and the Serving node; the focus only tells the console which node to show directly, and whether it is the one serving. Audited (`cluster.focus`); listed by `GET /api/v1/auth/session`.",
        requestBody: { required: true, content: { 'application/json': { schema: ref('FocusRequest') } } },
        responses: { 200: json(ref('Focus'), 'Focused'), 404: problemResponse('No such cluster, or the node is not in it (`not-found`)'), ...signedIn, ...errors },
      },
      delete: {
        tags: ['auth'],
        operationId: 'clearFocus',
        security: operator,
        summary: "End this session's focus in the cluster",
        responses: { 204: { description: 'No focus in the cluster (whether or not there was one)' }, ...notFound, ...signedIn, ...errors },
      },
    },
    '/api/v1/agent/register': {
      post: {
        tags: ['agents'],
        operationId: 'registerAgent',
        summary: "An agent registers its node (and, the first time, its cluster)",
        description:
          'Called by agents, not operators. An unknown cluster name creates a cloned pair that keeps the presented secret (trust on first use, 16 to 256 characters); a cluster created through this API adopts the first secret presented; otherwise the secret must match. The node is created or updated by name: rank 0 is the primary, rank 1 the secondary.',
        security: [{ clusterSecret: [] }],
        requestBody: agentBody('registerRequestSchema', 'The cluster and the node.'),
        responses: {
          200: json(ref('AgentRegistration'), 'The ids to report under'),
          ...unauthorized,
          409: problemResponse('Node rules violated (`role-conflict`, `recorder-identity-mismatch`, `node-name-taken`)'),
          ...errors,
        },
      },
    },
    '/api/v1/agent/report': {
      post: {
        tags: ['agents'],
        operationId: 'reportAgent',
        summary: "An agent reports its node's status and new events; the answer is the witness",
        description: `Called by agents, not operators, every second or so. Events (at most ${maxEventsPerReport}) are stored once each, by their id, so a report may be retried safely. \`peer.alive\` tells whether the other node reported within \`witnessWindowMs\`.`,
        security: [{ clusterSecret: [] }],
        requestBody: agentBody('reportRequestSchema', 'Status and events of one node.'),
        responses: { 200: json(ref('AgentReportAnswer'), 'Stored'), ...unauthorized, 404: problemResponse('No such cluster, or the node is not in it: register again (`not-found`)'), ...errors },
      },
    },
    '/api/v1/openapi.json': {
      get: { tags: ['operations'], operationId: 'getOpenApi', security: anyone, summary: 'This document', responses: { 200: json({ type: 'object' }, 'The OpenAPI 3.1 document') } },
    },
    '/healthz': {
      get: { tags: ['operations'], operationId: 'getHealth', security: anyone, summary: 'Liveness: answers while the process is up', responses: { 200: json(ref('Health'), 'Alive') } },
    },
    '/readyz': {
      get: {
        tags: ['operations'],
        operationId: 'getReadiness',
        security: anyone,
        summary: 'Readiness: the database is reachable and every migration is applied',
        responses: { 200: json(ref('Readiness'), 'Ready'), 503: json(ref('Readiness'), 'Not ready') },
      },
    },
    '/metrics': {
      get: {
        tags: ['operations'],
        operationId: 'getMetrics',
        security: anyone,
        summary: 'Prometheus metrics: HTTP requests and latencies, database health, process',
        responses: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    },
  },
  components: {
    securitySchemes: {
      clusterSecret: { type: 'http', scheme: 'bearer', description: "The cluster's secret, shared by its agents and the controller. Compared in constant time; never returned or logged." },
      sessionCookie: { type: 'apiKey', in: 'cookie', name: 'twinrec_session', description: 'The console session from `POST /api/v1/auth/login`. Changes (POST, PATCH, DELETE) sent with it are refused when their Origin is another site.' },
      apiToken: { type: 'http', scheme: 'bearer', bearerFormat: 'trk_<43 characters>', description: 'An API token from `POST /api/v1/tokens`' },
    },
    schemas: {
      Problem: problemSchema({}, []),
      LoginRateLimited: problemSchema({ retryAfterSeconds: { type: 'integer', minimum: 1, description: 'As the Retry-After header' } }, ['retryAfterSeconds']),
      LoginRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['username', 'password'],
        properties: { username: { type: 'string', minLength: 1, maxLength: 64, description: 'Compared in lower case' }, password: { type: 'string', minLength: 1, maxLength: passwordLengthMax } },
      },
      UserRef: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'username', 'role'],
        properties: { id: uuid, username: { type: 'string' }, role },
      },
      LoginAnswer: {
        type: 'object',
        additionalProperties: false,
        required: ['user', 'expiresAt'],
        properties: { user: ref('UserRef'), expiresAt: { ...timestamp, description: 'When the session ends (auth.sessionTtlMs after login)' } },
      },
      Session: {
        type: 'object',
        additionalProperties: false,
        required: ['user', 'via', 'role', 'expiresAt', 'focus'],
        properties: {
          user: ref('UserRef'),
          via: { type: 'string', enum: ['session', 'token'], description: 'The session cookie, or an API token' },
          role: { ...role, description: "What this caller may do: the account's role, bounded by the token's for a token" },
          expiresAt: { type: ['string', 'null'], format: 'date-time', description: 'When the session or token ends; null for a token without an end' },
          focus: { type: 'array', items: ref('Focus'), description: 'The focused node per cluster' },
        },
      },
      PasswordChange: {
        type: 'object',
        additionalProperties: false,
        required: ['currentPassword', 'newPassword'],
        properties: { currentPassword: { type: 'string', minLength: 1, maxLength: passwordLengthMax }, newPassword: password },
      },
      User: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'username', 'role', 'createdAt', 'updatedAt', 'passwordChangedAt', 'lastLoginAt'],
        properties: { id: uuid, username: { type: 'string' }, role, createdAt: timestamp, updatedAt: timestamp, passwordChangedAt: timestamp, lastLoginAt: { type: ['string', 'null'], format: 'date-time' } },
      },
      UserCreate: {
        type: 'object',
        additionalProperties: false,
        required: ['username', 'password', 'role'],
        properties: { username: { type: 'string', pattern: usernamePattern, description: 'Lower-case letters, digits and `. _ @ -`, at most 64; unique' }, password, role },
      },
      UserUpdate: { type: 'object', additionalProperties: false, minProperties: 1, properties: { role, password } },
      Token: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'role', 'userId', 'username', 'createdAt', 'expiresAt', 'lastUsedAt'],
        properties: {
          id: uuid,
          name: { type: 'string' },
          role,
          userId: { ...uuid, description: 'The owner' },
          username: { type: 'string', description: "The owner's name" },
          createdAt: timestamp,
          expiresAt: { type: ['string', 'null'], format: 'date-time' },
          lastUsedAt: { type: ['string', 'null'], format: 'date-time', description: 'Within a minute' },
        },
      },
      TokenCreate: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { name: { ...name, description: 'What the token is for, e.g. `monitoring`' }, role: { ...role, description: "At most the caller's role (the default)" }, expiresAt: { ...timestamp, description: 'When it stops working; none by default' } },
      },
      TokenCreated: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'role', 'userId', 'username', 'createdAt', 'expiresAt', 'lastUsedAt', 'token'],
        properties: { id: uuid, name: { type: 'string' }, role, userId: uuid, username: { type: 'string' }, createdAt: timestamp, expiresAt: { type: ['string', 'null'], format: 'date-time' }, lastUsedAt: { type: 'null' }, token: { type: 'string', pattern: '^trk_[A-Za-z0-9_-]{43}$', description: 'The secret: shown only in this answer' } },
      },
      AuditPage: {
        type: 'object',
        additionalProperties: false,
        required: ['items', 'limit', 'next'],
        properties: { items: { type: 'array', items: ref('AuditEntry') }, limit: { type: 'integer' }, next: { anyOf: [auditCursor, { type: 'null' }], description: '`before` for the next, older page; null on the last page' } },
      },
      AuditEntry: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'cursor', 'time', 'actor', 'action', 'target', 'outcome', 'address'],
        properties: {
          id: uuid,
          cursor: auditCursor,
          time: timestamp,
          actor: { type: 'string', description: 'Account name, `agent:<node>` for an agent, `controller` for the controller itself' },
          action: { type: 'string', description: 'Dotted verb, e.g. `cluster.switch`, `auth.login`, `account.create`, `token.delete`, `cluster.focus`, `access.denied`' },
          target: { type: 'string', description: 'What was acted on, e.g. `cluster/<id>`, `account/<name>`; for `access.denied`, the method and path' },
          outcome: { type: 'string', enum: [...auditOutcomes], description: '`success`; `failure` (refused or failed); `denied` (the role was too low)' },
          address: { type: ['string', 'null'], description: "The caller's address" },
        },
      },
      FocusRequest: { type: 'object', additionalProperties: false, required: ['nodeId'], properties: { nodeId: uuid } },
      Focus: {
        type: 'object',
        additionalProperties: false,
        required: ['clusterId', 'nodeId', 'nodeName', 'serving', 'haStatus', 'liveView', 'configuration', 'focusedAt'],
        properties: {
          clusterId: uuid,
          nodeId: uuid,
          nodeName: { type: 'string' },
          serving: { type: 'boolean', description: 'It is the Serving node now (its agent reported within agents.staleAfterMs that it serves, and no other node outranks it)' },
          haStatus,
          liveView: {
            type: 'object',
            additionalProperties: false,
            required: ['webServerUri'],
            description: "Where this node's own live view is: its recorder's web server (ImageServer), not the shared address",
            properties: { webServerUri: { type: ['string', 'null'], description: 'As its agent registered it; null before it did' } },
          },
          configuration: {
            type: 'object',
            additionalProperties: false,
            required: ['hostName', 'addresses', 'agentUrl'],
            description: 'Where this node is configured: its host and the agent beside it',
            properties: { hostName: { type: 'string' }, addresses: { type: 'array', items: { type: 'string' } }, agentUrl: { type: ['string', 'null'] } },
          },
          focusedAt: timestamp,
        },
      },
      Node: {
        type: 'object',
        additionalProperties: false,
        required: nodeRequired,
        properties: nodeProperties,
      },
      NodeCreate: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'role', 'hostName'],
        properties: nodeFields,
      },
      NodeUpdate: { type: 'object', additionalProperties: false, minProperties: 1, properties: nodeFields },
      Cluster: {
        type: 'object',
        additionalProperties: false,
        required: [...clusterRequired, 'nodes'],
        properties: { ...clusterProperties, nodes: { type: 'array', items: ref('Node') } },
      },
      ClusterCreate: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'mode', 'sharedAddress'],
        properties: {
          name,
          mode: { type: 'string', enum: [...clusterModes] },
          sharedAddress,
          failbackPolicy: { type: 'string', enum: [...failbackPolicies], default: 'automatic' },
          failbackHoldDownSeconds: { ...holdDown, default: 300 },
          description: { type: 'string', maxLength: 1024 },
          nodes: { type: 'array', items: ref('NodeCreate'), maxItems: 128 },
        },
      },
      ClusterUpdate: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          name,
          sharedAddress,
          preferredNodeId: nullableUuid,
          failbackPolicy: { type: 'string', enum: [...failbackPolicies] },
          failbackHoldDownSeconds: holdDown,
          description: { type: 'string', maxLength: 1024 },
        },
      },
      ClusterPage: {
        type: 'object',
        additionalProperties: false,
        required: ['items', 'total', 'limit', 'offset'],
        properties: { items: { type: 'array', items: ref('ClusterSummary') }, total: { type: 'integer', minimum: 0 }, limit: { type: 'integer' }, offset: { type: 'integer' } },
      },
      ClusterSummary: {
        type: 'object',
        additionalProperties: false,
        description: 'A cluster as the cluster list shows it: its configuration, who serves, whether data may be missing, and its nodes as last reported',
        required: [...clusterRequired, 'servingNodeId', 'dataMissing', 'nodes'],
        properties: {
          ...clusterProperties,
          servingNodeId: { ...nullableUuid, description: 'The node with a fresh report that says it serves; of two, the higher epoch; null if none' },
          dataMissing: {
            type: 'boolean',
            description:
              'Recordings may exist on one node only, or on none (what backfill will restore). True when a node with a fresh report has an enabled camera that is not recording, or when, since the cluster was last seen whole, a node was seen down: no report within agents.staleAfterMs, SafeKit state STOP or WAIT, or the Recording Server service stopped, starting or stopping. Whole: every node reports, none is down, each says it is healthy, and every enabled camera records. Seeing the cluster whole clears it. A cluster none of whose agents has reported since the controller started is never flagged.',
          },
          nodes: { type: 'array', items: ref('NodeSummary') },
        },
      },
      NodeSummary: {
        type: 'object',
        additionalProperties: false,
        required: [...nodeRequired, 'haStatus', 'state', 'uptimeSeconds', 'ping', 'storageCount'],
        properties: {
          ...nodeProperties,
          haStatus,
          state: { type: ['string', 'null'], enum: [...nodeStates, null], description: 'SafeKit node state, last reported; null before the first report' },
          uptimeSeconds: { type: ['number', 'null'], minimum: 0, description: "The agent's uptime, last reported" },
          ping: {
            type: ['object', 'null'],
            additionalProperties: false,
            required: ['avgMs', 'maxMs'],
            description: 'Heartbeat round trip to its peer, last reported',
            properties: { avgMs: { type: ['number', 'null'], minimum: 0 }, maxMs: { type: ['number', 'null'], minimum: 0 } },
          },
          storageCount: { type: ['integer', 'null'], minimum: 0, description: 'Storages (recording and archive) in the last report' },
        },
      },
      NodeDetail: {
        type: 'object',
        additionalProperties: false,
        required: [...nodeRequired, 'storages', 'storagesReportedAt'],
        properties: {
          ...nodeProperties,
          storages: { type: 'array', items: ref('Storage'), description: "The recorder's storages from its agent's last report (fresh or not); empty before the first" },
          storagesReportedAt: { type: ['string', 'null'], format: 'date-time', description: 'When the controller received that report' },
        },
      },
      Storage: {
        type: 'object',
        additionalProperties: false,
        required: ['storageId', 'name', 'path', 'available', 'usedSpaceBytes', 'freeSpaceBytes', 'sizeBytes', 'spans'],
        properties: {
          storageId: { type: 'string' },
          name: { type: 'string' },
          path: { type: 'string', description: 'Its location, e.g. `D:\\MediaDatabase`' },
          available: { type: 'boolean' },
          usedSpaceBytes: { type: 'number', minimum: 0, description: 'UsedSpaceInBytes as the recorder reports it (GetRecordingStorageStatus)' },
          freeSpaceBytes: { type: 'number', minimum: 0, description: 'FreeSpaceInBytes as the recorder reports it' },
          sizeBytes: { type: 'number', minimum: 0, description: 'The "Size" of the storage: used plus free bytes as the recorder reports them, not the size of the volume' },
          spans: {
            anyOf: [ref('StorageSpans'), { type: 'null' }],
            description: "What the storage holds, as the node's agent read it from disk; null when its agent reads no spans for this storage (no storage adapter configured, an agent that predates them, or no scan yet)",
          },
        },
      },
      StorageSpans: {
        type: 'object',
        additionalProperties: false,
        required: ['scannedAt', 'cameraCount', 'truncated', 'cameraData', 'placeholderData'],
        description: "A span runs from the oldest data to the end of the newest (the newest frame's time plus one frame interval); its times are null when there is no such data",
        properties: {
          scannedAt: { type: 'string', format: 'date-time', description: 'When the agent finished the scan (every `storage.refreshIntervalMs` of its config, 15 s by default)' },
          cameraCount: { type: 'integer', minimum: 0, description: 'Cameras read' },
          truncated: { type: 'boolean', description: 'A bound left part of the storage out (cameras, index length, intervals kept): the figures are approximate' },
          cameraData: {
            type: 'object',
            additionalProperties: false,
            required: ['oldestAt', 'newestAt', 'spanSeconds', 'coveredSeconds', 'coveragePercent'],
            description: 'Recorded data (recorded by this node, or backfilled): "Camera data: 0 days, 14:14:34, 100 %"',
            properties: {
              oldestAt: { type: ['string', 'null'], format: 'date-time', description: 'Oldest recorded time, over all cameras' },
              newestAt: { type: ['string', 'null'], format: 'date-time', description: 'Newest recorded time, over all cameras' },
              spanSeconds: { type: 'number', minimum: 0, description: 'newestAt - oldestAt' },
              coveredSeconds: { type: 'number', minimum: 0, description: 'Seconds of the span in which at least one camera has recordings' },
              coveragePercent: { type: 'number', minimum: 0, maximum: 100, description: 'coveredSeconds / spanSeconds: 100 when the storage has no gap in which no camera recorded' },
            },
          },
          placeholderData: {
            type: 'object',
            additionalProperties: false,
            required: ['oldestAt', 'newestAt', 'spanSeconds', 'coveredSeconds', 'sharePercent'],
            description: 'Placeholders waiting for backfill: "Placeholder data: 0 days, 00:00:00, 0 %"',
            properties: {
              oldestAt: { type: ['string', 'null'], format: 'date-time' },
              newestAt: { type: ['string', 'null'], format: 'date-time' },
              spanSeconds: { type: 'number', minimum: 0, description: 'newestAt - oldestAt' },
              coveredSeconds: { type: 'number', minimum: 0, description: 'Seconds in which at least one camera has a pending placeholder' },
              sharePercent: { type: 'number', minimum: 0, maximum: 100, description: "Pending placeholder time as a share of all the storage's data, counted per camera; 0 once backfill is done" },
            },
          },
        },
      },
      CameraPage: {
        type: 'object',
        additionalProperties: false,
        required: ['items', 'total', 'limit', 'offset'],
        properties: { items: { type: 'array', items: ref('Camera') }, total: { type: 'integer', minimum: 0, description: 'Cameras matching the filters' }, limit: { type: 'integer' }, offset: { type: 'integer' } },
      },
      Camera: {
        type: 'object',
        additionalProperties: false,
        description: "One camera of a cluster, from its nodes' last reports",
        required: ['cameraId', 'name', 'clusterId', 'clusterName', 'pairName', 'servingNodeId', 'connected', 'disconnected', 'disconnectedOn', 'overflow', 'overflowOn', 'recording', 'mismatched', 'mismatches', 'problem', 'nodes'],
        properties: {
          cameraId: { type: 'string', description: 'The device id the recorders report (the camera GUID)' },
          name: {
            type: 'string',
            description:
              "The camera's name: from the cluster's camera pairs when set there, else as the agents read it from the Management Server (the Management Client's name; the Serving node's report first), else its id. Sorting by name and `q` use it.",
          },
          clusterId: uuid,
          clusterName: { type: 'string' },
          pairName: { type: ['string', 'null'], description: `\`${clonedPairName}\` for a camera of a cloned pair; null in a failover pool` },
          servingNodeId: { ...nullableUuid, description: 'The node whose view decides `connected` and `recording`: the Serving node (in a pool, the serving node that has the camera); null when none serves, and then every fresh node that has the camera counts' },
          connected: { type: 'boolean', description: 'Started or recording without ErrorNoConnection there' },
          disconnected: { type: 'boolean', description: 'ErrorNoConnection on some node with a fresh report' },
          disconnectedOn: { type: 'array', items: nodeRef, description: 'The nodes with a fresh report of ErrorNoConnection' },
          overflow: { type: 'boolean', description: 'ErrorOverflow (frames dropped before storage) on some node with a fresh report' },
          overflowOn: { type: 'array', items: nodeRef, description: 'The nodes with a fresh report of ErrorOverflow' },
          recording: { type: 'boolean', description: 'Recording there' },
          mismatched: { type: 'boolean', description: 'In a cloned pair, the nodes with a fresh report differ in a recording setting: presence, enabled, and (compared only where the camera is connected, since a disconnect is shown as such) recording on or off, requested frame rate, resolution and codec' },
          mismatches: { type: 'array', items: ref('CameraMismatch'), description: 'What differs; empty when nothing does' },
          problem: { type: 'boolean', description: 'Disconnected, overflow, mismatched, or not recording where it is served (unless disabled there)' },
          nodes: { type: 'array', items: ref('CameraNode'), description: 'Each node, by name: both nodes of a cloned pair; in a pool, the nodes that have the camera' },
        },
      },
      CameraNode: {
        type: 'object',
        additionalProperties: false,
        description: "One node's view of a camera; null values: the node's last report does not list the camera",
        required: ['nodeId', 'nodeName', 'haStatus', 'fresh', 'reported', 'enabled', 'recording', 'connected', 'overflow', 'fps', 'fpsRequested', 'resolution', 'videoFormat'],
        properties: {
          nodeId: uuid,
          nodeName: { type: 'string' },
          haStatus,
          fresh: { type: 'boolean', description: 'The node reported within agents.staleAfterMs; if not, the values are its last known ones' },
          reported: { type: 'boolean', description: "The node's last report lists the camera" },
          enabled: { type: ['boolean', 'null'] },
          recording: { type: ['boolean', 'null'] },
          connected: { type: ['boolean', 'null'], description: 'Started or recording without ErrorNoConnection' },
          overflow: { type: ['boolean', 'null'], description: 'ErrorOverflow' },
          fps: { type: ['number', 'null'], minimum: 0, description: 'Frames per second received' },
          fpsRequested: { type: ['number', 'null'], minimum: 0, description: 'Frames per second configured' },
          resolution: { type: ['string', 'null'], description: 'e.g. `1920x1080`' },
          videoFormat: { type: ['string', 'null'], description: 'Codec, e.g. `H.264`' },
        },
      },
      CameraMismatch: {
        type: 'object',
        additionalProperties: false,
        required: ['setting', 'values'],
        properties: {
          setting: {
            type: 'string',
            enum: [...mismatchSettings],
            description: '`present`: one node has the camera, the other not; `enabled`, `recording` (on/off), `fpsRequested`, `resolution`, `videoFormat` (codec): compared between the nodes that have it',
          },
          values: { type: 'object', description: 'The value on each compared node, by node name', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } },
        },
      },
      EventPage: {
        type: 'object',
        additionalProperties: false,
        required: ['items', 'limit', 'next'],
        properties: {
          items: { type: 'array', items: ref('Event') },
          limit: { type: 'integer' },
          next: { anyOf: [eventCursor, { type: 'null' }], description: '`before` for the next, older page; null on the last page' },
        },
      },
      Event: {
        type: 'object',
        additionalProperties: false,
        description: 'Something that happened in a cluster: from an agent (failover, camera lost, …) or from the controller (`node.state-changed`, `node.agent-lost`, `node.agent-returned`)',
        required: ['id', 'cursor', 'time', 'clusterId', 'nodeId', 'kind', 'severity', 'message', 'data'],
        properties: {
          id: { ...uuid, description: 'Unique; an event repeated in a resumed stream has the same id' },
          cursor: eventCursor,
          time: { ...timestamp, description: 'When it happened (an agent event: by the node\'s clock)' },
          clusterId: nullableUuid,
          nodeId: nullableUuid,
          kind: { type: 'string', description: 'Dotted kind, e.g. `failover.completed`' },
          severity: { type: 'string', enum: [...eventSeverities] },
          message: { type: 'string' },
          data: { type: 'object', description: 'Details by kind' },
        },
      },
      ClusterState: {
        type: 'object',
        additionalProperties: false,
        required: ['clusterId', 'name', 'sharedAddress', 'servingNodeId', 'conflict', 'maintenance', 'switchInProgress', 'nodes'],
        properties: {
          clusterId: uuid,
          name,
          sharedAddress: { type: 'string', description: 'Address clients use to reach the Serving node' },
          servingNodeId: { ...nullableUuid, description: 'The reachable node that reports it serves; of two, the one with the higher epoch; null if none' },
          conflict: { type: 'boolean', description: 'Two reachable nodes both report that they serve' },
          maintenance: { type: 'boolean', description: 'Maintenance is on (automatic failover suspended), as the Serving node (else any reachable one) reports' },
          switchInProgress: { type: 'boolean', description: 'A switch was accepted less than 15 s ago and no other node serves yet' },
          nodes: { type: 'array', items: ref('NodeState') },
        },
      },
      NodeState: {
        type: 'object',
        additionalProperties: false,
        required: ['nodeId', 'name', 'role', 'hostName', 'agentUrl', 'webServerUri', 'reachable', 'lastReportAt', 'state', 'serving', 'haStatus', 'epoch', 'healthy', 'ping', 'uptimeSeconds', 'service', 'problem'],
        properties: {
          nodeId: uuid,
          name: nodeFields.name,
          role: nodeFields.role,
          hostName: { type: 'string' },
          agentUrl: { type: ['string', 'null'] },
          webServerUri: { type: ['string', 'null'], description: "The recorder's web server (ImageServer and SOAP), as its agent registered it" },
          reachable: { type: 'boolean', description: 'Its agent reported within agents.staleAfterMs' },
          lastReportAt: { type: ['string', 'null'], format: 'date-time', description: "When the controller received the agent's last report" },
          state: { type: ['string', 'null'], enum: [...nodeStates, null], description: 'SafeKit node state, last reported: PRIM and ALONE serve, SECOND is standby' },
          serving: { type: 'boolean', description: 'A report within agents.staleAfterMs says it serves' },
          haStatus: { type: 'string', enum: [...haStatuses], description: '`Serving`, `Standby` (reachable, not serving) or `Unknown` (not reachable)' },
          epoch: { type: ['integer', 'null'], minimum: 0, description: 'The epoch it serves under, else the highest it knows' },
          healthy: { type: ['boolean', 'null'], description: 'Recorder up, storage fine and enough cameras recording' },
          ping: {
            type: ['object', 'null'],
            additionalProperties: false,
            required: ['avgMs', 'maxMs', 'lastMs'],
            description: 'Heartbeat round trip to its peer',
            properties: { avgMs: { type: ['number', 'null'], minimum: 0 }, maxMs: { type: ['number', 'null'], minimum: 0 }, lastMs: { type: ['number', 'null'], minimum: 0 } },
          },
          uptimeSeconds: { type: ['number', 'null'], minimum: 0, description: "The agent's uptime" },
          service: { type: ['string', 'null'], enum: ['running', 'stopped', 'starting', 'stopping', 'unknown', null], description: 'The Recording Server service' },
          problem: { type: ['string', 'null'], description: 'Why the recorder probe failed, when it did' },
        },
      },
      SwitchRequest: {
        type: 'object',
        additionalProperties: false,
        properties: { reason: { type: 'string', maxLength: 512, description: "Free text for the agent's event log" } },
      },
      SwitchAccepted: {
        type: 'object',
        additionalProperties: false,
        required: ['clusterId', 'from', 'to', 'expectedEpoch', 'result'],
        properties: {
          clusterId: uuid,
          from: { ...uuid, description: 'The node that served when the switch was asked for' },
          to: { ...nullableUuid, description: 'The node that is to serve, when the agent named one' },
          expectedEpoch: { type: ['integer', 'null'], minimum: 0, description: 'The epoch the new Serving node will claim' },
          result: ref('CommandResult'),
        },
      },
      CommandResult: {
        type: 'object',
        additionalProperties: false,
        description: "The agent's answer (agent-api-v1)",
        required: ['command', 'result', 'state', 'epoch', 'handover'],
        properties: {
          command: { type: 'string', enum: [...agentCommands] },
          result: { type: 'string', maxLength: 512 },
          state: { type: 'string', enum: [...nodeStates] },
          epoch: { type: 'integer', minimum: 0 },
          handover: {
            type: ['object', 'null'],
            additionalProperties: false,
            required: ['to', 'expectedEpoch'],
            properties: { to: { type: 'string', description: "The agent's name for the node that is to serve" }, expectedEpoch: { type: 'integer', minimum: 0 } },
          },
        },
      },
      MaintenanceRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['on'],
        properties: { on: { type: 'boolean' }, reason: { type: 'string', maxLength: 512, description: "Free text for the agent's event log" } },
      },
      MaintenanceSet: {
        type: 'object',
        additionalProperties: false,
        required: ['clusterId', 'maintenance', 'via'],
        properties: { clusterId: uuid, maintenance: { type: 'boolean' }, via: { ...uuid, description: 'The node whose agent took the command' } },
      },
      SwitchNotPossible: problemSchema({ reason: { type: 'string', enum: [...switchRefusalReasons], description: '`refused`: the agent gave no reason this controller knows' } }, ['reason']),
      CommandRefused: problemSchema({ reason: { type: 'string', enum: [...refusalReasons, 'refused'] }, nodeId: uuid }, []),
      AgentRegistration: {
        type: 'object',
        additionalProperties: false,
        required: ['clusterId', 'nodeId'],
        properties: { clusterId: uuid, nodeId: uuid },
      },
      AgentReportAnswer: {
        type: 'object',
        additionalProperties: false,
        required: ['eventsStored', 'peer'],
        properties: {
          eventsStored: { type: 'integer', minimum: 0, description: "How many of the report's events are stored (all of them)" },
          peer: {
            type: 'object',
            additionalProperties: false,
            required: ['alive', 'lastReportAgoMs'],
            properties: { alive: { type: 'boolean', description: 'The peer reported within witnessWindowMs' }, lastReportAgoMs: { type: ['number', 'null'], minimum: 0 } },
          },
        },
      },
      Health: { type: 'object', required: ['status'], properties: { status: { const: 'ok' }, uptimeSeconds: { type: 'number' } } },
      Readiness: {
        type: 'object',
        required: ['status', 'database'],
        properties: {
          status: { type: 'string', enum: ['ready', 'not-ready'] },
          database: {
            type: 'object',
            required: ['dialect', 'reachable', 'migrationsPending'],
            properties: { dialect: { type: 'string', enum: ['sqlite', 'postgres', 'mssql'] }, reachable: { type: 'boolean' }, migrationsPending: { type: 'integer' }, error: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;
