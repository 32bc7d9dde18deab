// The OpenAPI 3.1 document of the REST API. Requests are validated against it on every call,
// and responses too when http.validateResponses is on (always in tests). Served at
// /api/v1/openapi.json. The objects (components.schemas) are derived from their zod schemas in
// api/src/model/, which the controller's types are inferred from too; the operations are
// written here and refer to them.
import { z } from 'zod';
import { policyLimits } from '../../../contracts/cluster-policy-v1.js';
import { eventDataBytesMax, eventDataDepthMax, maxEventsPerReport } from '../../../contracts/controller-v1.js';
import { accountListMax } from '../auth/accounts.js';
import { tokenListMax } from '../auth/tokens.js';
import { auditPageLimitMax, auditTextFilterPattern } from '../domain/audit-log.js';
import { cameraPageLimitMax, cameraSorts } from '../domain/device-overview.js';
import { eventKindFilterPattern, eventPageLimitMax } from '../domain/events.js';
import { loginAnswerSchema, loginRequestSchema, passwordChangeSchema, sessionSchema, tokenCreateSchema, tokenCreatedSchema, tokenSchema, userCreateSchema, userSchema, userUpdateSchema } from '../model/account.js';
import { agentRegistrationSchema, agentReportAnswerSchema } from '../model/agent-link.js';
import { auditCursor as auditCursorSchema, auditPageSchema } from '../model/audit.js';
import { cameraPageSchema } from '../model/camera.js';
import { agentSecretRequestSchema, agentSecretSetSchema, clusterCreateSchema, clusterPageSchema, clusterSchema, clusterStateSchema, clusterUpdateSchema } from '../model/cluster.js';
import { clusterPolicyPatchSchema, clusterPolicySchema, clusterPolicyUpdateSchema } from '../model/cluster-policy.js';
import { maintenanceRequestSchema, maintenanceSetSchema, switchAcceptedSchema, switchRequestSchema } from '../model/command.js';
import { backfillCommandAcceptedSchema, backfillCommandRequestSchema, clusterBackfillSchema, type BackfillAction } from '../model/backfill.js';
import { apiComponents } from '../model/components.js';
import { eventCursor as eventCursorSchema, eventPageSchema } from '../model/event.js';
import { timestamp as timestampSchema, uuid as uuidSchema } from '../model/fields.js';
import { focusRequestSchema, focusSchema } from '../model/focus.js';
import { nodeCreateSchema, nodeDetailSchema, nodeSchema, nodeUpdateSchema } from '../model/node.js';
import { healthSchema, readinessSchema } from '../model/operations.js';
import { controllerTlsSchema } from '../model/tls.js';
import { controllerSystemSchema } from '../model/system.js';
import { auditReportSchema, backfillJobsReportSchema, cameraGapsReportSchema, configSyncHistoryReportSchema, failoverHistoryReportSchema, servingTimeDailyReportSchema } from '../model/report.js';
import { timelineSchema } from '../model/timeline.js';
import { failoverReplaceRequestSchema, failoverStartRequestSchema, failoverStopRequestSchema, poolCommandRefusals, poolFailoverSchema } from '../model/pool-commands.js';
import { cameraFailoverLevelsSchema, cameraFailoverLevelsUpdateSchema, failoverGroupCreateSchema, failoverGroupSchema, failoverGroupsMax, failoverGroupStandbysSchema, failoverGroupUpdateSchema, poolFailedOverConfirmSchema, poolSchema, poolStandbySchema, poolStandbyUpdateSchema, protectedServerFailoverUpdateSchema, protectedServerSchema } from '../model/pool.js';
import { servingMergeGapMs, timelineItemsMax } from '../domain/timeline.js';
import { genericEventKinds, genericEventSettingsSchema, genericEventSettingsViewSchema, genericEventTestRequestSchema, genericEventTestResultSchema } from '../xprotect-events/settings.js';
import { eventStreamDefaults } from './event-streams.js';
import { deliveriesKeptMax, webhookCreateSchema, webhookDeliveryListSchema, webhookListSchema, webhookSchema, webhookTestResultSchema, webhookUpdateSchema, webhookWithSecretSchema } from '../webhooks/model.js';
import { commandRefusedSchema, loginRateLimitedSchema, problemSchema, switchNotPossibleSchema, targetMissingCamerasMax, targetMissingDataSchema } from '../model/problem.js';
import { problemTypes, problemTypeUri } from '../model/problem-types.js';
import { auditOutcomes, eventSeverities, reachableRule, type roles } from '../model/vocabulary.js';

type JsonSchema = z.core.JSONSchema.BaseSchema;

const jsonSchemaOptions: z.core.ToJSONSchemaParams = {
  target: 'draft-2020-12',
  override: ({ jsonSchema: schema }) => {
    // zod writes its own regex beside a uuid or date-time format; the format alone is the contract (AJV checks it).
    if (schema.format === 'uuid' || schema.format === 'date-time') delete schema.pattern;
    // zod's safe-integer bounds on every integer say nothing a client needs.
    if (schema.minimum === Number.MIN_SAFE_INTEGER) delete schema.minimum;
    if (schema.maximum === Number.MAX_SAFE_INTEGER) delete schema.maximum;
    // An integer that may pass 2^31 (bytes, camera-seconds' milliseconds, counters) says so, or
    // generated clients (NSwag's C#) type it as a 32-bit int that a 2 GB backfill overflows.
    if (schema.type === 'integer' && schema.format === undefined && !(typeof schema.maximum === 'number' && schema.maximum <= 2 ** 31 - 1)) schema.format = 'int64';
    // Open objects' `additionalProperties: {}` and records' string `propertyNames` allow what JSON allows
    // anyway; openapi-typescript would make index signatures of them.
    if (isEmpty(schema.additionalProperties)) delete schema.additionalProperties;
    if (JSON.stringify(schema.propertyNames) === '{"type":"string"}') delete schema.propertyNames;
  },
};

function isEmpty(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

/** components.schemas: every registered model schema, by name, with $refs between them. */
const componentSchemas: Record<string, JsonSchema> = Object.fromEntries(
  Object.entries(z.toJSONSchema(apiComponents, { ...jsonSchemaOptions, uri: (id) => `#/components/schemas/${id}` }).schemas)
    .map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema] as const)
    // By name, so that the order does not depend on which module was loaded first.
    .sort(([a], [b]) => (a < b ? -1 : 1)),
);

const ref = (schema: z.ZodType) => {
  const id = apiComponents.get(schema)?.id;
  if (id === undefined) throw new Error('not a component: register the schema in api/src/model');
  return { $ref: `#/components/schemas/${id}` };
};
/** A model schema that is not a component, inline (parameters). */
const inline = (schema: z.ZodType): JsonSchema => {
  const { $schema: _schema, ...json } = z.toJSONSchema(schema, jsonSchemaOptions);
  return json;
};

const uuid = inline(uuidSchema);
const timestamp = inline(timestampSchema);
const eventCursor = inline(eventCursorSchema);
const auditCursor = inline(auditCursorSchema);

/** A problem answer whose body is `schema` (a problem type with its own extension fields). */
const problemWithReason = (schema: z.ZodType, description: string) => ({ description, content: { 'application/problem+json': { schema: ref(schema) } } });
const problemResponse = (description: string) => problemWithReason(problemSchema, description);
const json = (schema: object, description: string, headers?: object) => ({ description, ...(headers ? { headers } : {}), content: { 'application/json': { schema } } });
const listOf = (item: z.ZodType, maxItems?: number) => ({ type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: ref(item), ...(maxItems !== undefined ? { maxItems } : {}) } } });
const etagHeader = { ETag: { description: 'Version of the resource, for If-Match', schema: { type: 'string' } } };
const ifMatchParam = { name: 'If-Match', in: 'header', required: false, schema: { type: 'string', maxLength: 256 } };

const errors = {
  400: problemResponse('The request does not match the schema (`validation-failed`, `malformed-json`)'),
  413: problemResponse('The body is larger than http.bodyLimitBytes (`body-too-large`)'),
  415: problemResponse('The body is not JSON (`unsupported-media-type`)'),
  503: problemResponse('The database is unavailable; nothing was changed (`database-unavailable`)'),
  500: problemResponse('Unexpected error (`internal-error`)'),
};
const notFound = { 404: problemResponse('No such cluster or node (`not-found`)') };
const unauthorized = { 401: problemResponse('No Bearer token, not the cluster secret, an unknown cluster or one without a secret: one answer for all (`unauthorized`)') };
const agentUnreachable = { 502: problemResponse("The node's agent did not answer usably: refused connection, timeout, redirect, wrong secret or invalid answer; or the cluster secret was not sent: an https agent without a registered certificate fingerprint or showing another certificate, a plain-http agent beyond loopback (`agent-unreachable`)") };
const agentBody = (schemaName: string, description: string, contract = 'controller-v1.ts') => ({
  required: true,
  description: `${description} Checked against \`${schemaName}\` of contracts/${contract} (zod), the one definition agents and controller share; a mismatch is a \`validation-failed\` problem listing every issue.`,
  content: { 'application/json': { schema: { type: 'object' } } },
});
const preconditionFailed = { 412: problemResponse('If-Match does not match the current ETag (`precondition-failed`)') };
/** Operations that hash or check a password: a 503 may also be `login-busy`. */
const passwordBusy = { 503: { description: 'Too many passwords are being checked at once (`login-busy`, `Retry-After: 1`), or the database is unavailable; nothing was changed (`database-unavailable`)', headers: { 'Retry-After': { description: 'Seconds', schema: { type: 'integer' } } }, content: { 'application/problem+json': { schema: ref(problemSchema) } } } };

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
/** A report over a reporting view (api/src/reports/): the same query, JSON or CSV. */
function reportPath(o: { operationId: string; security: typeof viewer; summary: string; what: string; schema: Parameters<typeof ref>[0]; byCluster: boolean }) {
  return {
    get: {
      tags: ['reports'],
      operationId: o.operationId,
      security: o.security,
      summary: o.summary,
      description: `${o.what} Oldest first, for \`from\` ≤ time < \`to\` (default: the last 30 days)${o.byCluster ? ' and optionally one cluster' : ''}; at most 10,000 rows (\`truncated\`, and the header \`X-Twinrec-Truncated\`). CSV with \`Accept: text/csv\` or \`format=csv\` (RFC 4180, CRLF; a text starting with = + - @ gets a leading apostrophe so that a spreadsheet does not run it).`,
      parameters: [
        { name: 'from', in: 'query', allowReserved: true, description: 'Only rows at or after this time (default: 30 days before `to`)', schema: timestamp },
        { name: 'to', in: 'query', allowReserved: true, description: 'Only rows before this time (default: now)', schema: timestamp },
        ...(o.byCluster ? [{ name: 'clusterId', in: 'query', description: 'Only this cluster', schema: uuid }] : []),
        { name: 'format', in: 'query', description: 'csv: CSV whatever Accept says; json: JSON', schema: { type: 'string', enum: ['json', 'csv'] } },
      ],
      responses: {
        200: { description: 'The rows (`X-Twinrec-Truncated`: whether more matched)', content: { 'application/json': { schema: ref(o.schema) }, 'text/csv': { schema: { type: 'string' } } } },
        ...signedIn,
        ...errors,
        400: problemResponse('A bad query (`validation-failed`): a time that is not ISO 8601, `from` not before `to`, a cluster id that is not a UUID'),
      },
    },
  };
}

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
const cameraPageResponse = json(ref(cameraPageSchema), 'A page of cameras, from the agents\' reports as the controller saw them at most a second ago');

// allowReserved where values hold `*`, `:` or `+` (kinds, times, cursors), which clients rarely encode.
const eventFilterParams = [
  { name: 'clusterId', in: 'query', description: "Only this cluster's events", schema: uuid },
  { name: 'nodeId', in: 'query', description: "Only this node's events", schema: uuid },
  { name: 'kind', in: 'query', allowReserved: true, description: 'An event kind (`node.state-changed`), or a prefix ending in `*` (`failover.*`); compared case-sensitively', schema: { type: 'string', minLength: 1, maxLength: 65, pattern: eventKindFilterPattern } },
  { name: 'severity', in: 'query', description: 'This severity and those above it (`info` < `warning` < `error` < `critical`)', schema: { type: 'string', enum: [...eventSeverities] } },
];

/** PUT and PATCH of a cluster policy: one description and one set of answers. */
function policyChangeDescription(body: string): string {
  return (
    `${body} The settings are checked as a whole, as agents check them: every bound, and the peer timeout covering at least ${policyLimits.heartbeatsPerPeerTimeoutMin} heartbeats (with the profile's values where an override is null); every issue is listed in one \`validation-failed\` problem. ` +
    'The preferred node must be a node of the cluster whose name its agent can have. An accepted change that changes a setting makes the version one higher and is audited as `cluster.policy-changed` with the versions before and after, in the same transaction; one that changes nothing keeps the version. On any error nothing is stored. `If-Match` (optional) refuses a lost update.'
  );
}
const policyChangeResponses = {
  200: json(ref(clusterPolicySchema), 'The policy as stored', etagHeader),
  400: problemResponse('The body does not match the schema, or the settings do not fit together (`validation-failed`, with `errors`: every issue, by path such as `/body/failover/peerTimeoutMs`), or it is not JSON (`malformed-json`); nothing was stored'),
  409: problemResponse('The preferred node is not a node of this cluster, or its name is one its agent cannot have (`preferred-node-invalid`); nothing was stored'),
  ...notFound,
  ...preconditionFailed,
  ...signedIn,
  413: errors[413],
  415: errors[415],
  503: errors[503],
  500: errors[500],
};

/** What each backfill command asks of the agents (agent-api-v1's backfill-start, -pause, -resume). */
const backfillActionText: Readonly<Record<BackfillAction, { summary: string; description: string }>> = {
  start: {
    summary: 'Start filling: the placeholders of what a node lacks are filled from its peer now',
    description: 'The way to fill in the `placeholders` mode, and to retry a failed job. By default it goes to every node whose last report says it lacks data (every node that reports a backfill status when none does).',
  },
  pause: {
    summary: "Pause filling: an operator's hold, kept by the agent across restarts until resumed",
    description: 'By default it goes to every node that reports a backfill status.',
  },
  resume: {
    summary: "Resume filling after an operator's pause",
    description: 'By default it goes to every node that reports a backfill status.',
  },
};

/** POST …/backfill/{start,pause,resume}. */
function backfillCommandOperation(action: BackfillAction) {
  const text = backfillActionText[action];
  return {
    parameters: [{ name: 'clusterId', in: 'path', required: true, schema: uuid }],
    post: {
      tags: ['clusters'],
      operationId: `backfill${action.charAt(0).toUpperCase()}${action.slice(1)}`,
      security: operator,
      summary: text.summary,
      description:
        `Relays \`backfill-${action}\` to the agent of the node named in the body (\`node\`), or by default to the nodes said below, all at once, with the cluster secret. ${text.description} ` +
        `Audited as \`cluster.backfill-${action}\` under the caller's account, with the nodes asked, those that took it, refused it or could not be reached. The body is optional.`,
      requestBody: { required: false, content: { 'application/json': { schema: ref(backfillCommandRequestSchema) } } },
      responses: {
        202: json(ref(backfillCommandAcceptedSchema), 'At least one agent took the command; each node\'s answer'),
        404: problemResponse('No such cluster, or no node of that name in it (`not-found`)'),
        409: problemWithReason(commandRefusedSchema, 'No agent took it and one refused (`command-refused`, with its `reason`, e.g. `no-backfill`, `backfill-disabled`); or no node reports a backfill status (`command-refused`, `reason: no-backfill`)'),
        502: problemResponse('No agent took it and none could be reached usably (`agent-unreachable`)'),
        ...signedIn, ...errors,
      },
    },
  };
}

/** A failover pool's model (issue 17): the pool at a glance, failover groups, protected servers' failover settings, standbys, per-camera failover levels. */
const poolParams = [{ name: 'clusterId', in: 'path', required: true, schema: uuid }];
const poolNodeParams = [...poolParams, { name: 'nodeId', in: 'path', required: true, schema: uuid }];
const groupParams = [...poolParams, { name: 'groupId', in: 'path', required: true, schema: uuid }];
const notPool = '`cluster-not-pool`: the cluster is a cloned pair';
const poolNotFound = { 404: problemResponse('No such cluster, node or failover group (`not-found`)') };
const failedOverConfirm = 'While the server is failed over (a standby takes it over, serves it or syncs back to it) a change is refused with 409 `pool-failed-over-confirm`, which names the standby: it applies at the next failover, not to the running one; send `confirm: true` to make it (seed 003 warns and asks). A change that changes nothing needs no confirmation and is not audited.';
/** A pool's operator commands (issue 17; agent-link/pool-commands.ts): each a compare-and-set on a standby lease, carried out by the pool supervisor within a second. */
const poolCommandRefused = (when: string) => problemResponse(`${when} (\`pool-failover-not-possible\`, with \`reason\`: ${poolCommandRefusals.map((r) => `\`${r}\``).join(', ')}), not a protected server (\`pool-role-mismatch\`), or ${notPool}`);
const poolCommand = (operationId: string, security: typeof operator, summary: string, description: string, body: z.ZodType | null, refusedWhen: string, status: 200 | 202 = 202) => ({
  parameters: poolNodeParams,
  post: {
    tags: ['pools'],
    operationId,
    security,
    summary,
    description,
    ...(body === null ? {} : { requestBody: { required: operationId === 'replaceProtectedServer', content: { 'application/json': { schema: ref(body) } } } }),
    responses: { [status]: json(ref(poolFailoverSchema), 'The standby lease as the supervisor will act on it'), ...poolNotFound, 409: poolCommandRefused(refusedWhen), ...signedIn, ...errors },
  },
});
const poolCommandPaths = {
  '/api/v1/clusters/{clusterId}/nodes/{nodeId}/failover/start': poolCommand('startFailover', operator, 'Manual failover: a standby takes the protected server over', 'Gives a free standby (the one named, or the one the pool\'s rules choose) to the server: lease `taking-over` under the pool\'s next epoch; the supervisor orders the takeover. For a server in trouble or failed (a healthy one is refused with `server-healthy`). Audited as `pool.failover-start`.', failoverStartRequestSchema, 'Already failed over, its failback pending, healthy, no free standby, or its RecorderConfig.xml or shared address unknown'),
  '/api/v1/clusters/{clusterId}/nodes/{nodeId}/failover/stop': poolCommand('stopFailover', operator, 'Stop failover: the standby gives the identity back and the server resumes', "The lease leaves `serving`: `syncing-back` with `recordings: sync` (the standby stays held until finish failback: the failback sync itself is not built yet), `free` with `discard`; a takeover not yet serving is freed. The supervisor releases the standby, then resumes the server under the pool's next epoch. Audited as `pool.failover-stop`.", failoverStopRequestSchema, 'Not failed over, or changed meanwhile'),
  '/api/v1/clusters/{clusterId}/nodes/{nodeId}/failover/finish-failback': poolCommand('finishFailback', operator, 'Finish failback: the standby held for the failback sync returns to its group', 'For a lease `syncing-back`: after the recordings were copied back by hand, or to discard them. Audited as `pool.failback-finish`.', null, 'No failback pending, or changed meanwhile'),
  '/api/v1/clusters/{clusterId}/nodes/{nodeId}/failover/replace': poolCommand('replaceProtectedServer', admin, 'Replace a failed-over protected server for good with the standby serving it or another free standby', "For a server a standby serves (else `not-failed-over`), in one transaction: the replacing standby's lease is closed, it leaves the standbys and its group and becomes the protected server (failover settings, camera levels, RecorderConfig.xml on record, the recorder id), and the old protected node is deleted from the pool. The pool supervisor then orders the replacing node's agent to switch its role for good (become-protected, retried with backoff until its agent reports as a protected server; `pool.replacement-failed`, `pool.replacement-completed`). The standby serving the server keeps the identity it runs and the recordings, and serves on. Another standby (`standbyNodeId`: free, reachable, nobody's hot standby) takes the identity (its recorder stopped), while the serving standby's lease serves it under the same epoch; the pool's failback follows (hold-down, stop of failover, the failback sync of the failover window's recordings from the serving standby, the resume), and the serving standby is free after. Refused without the server's RecorderConfig.xml or shared address on record. `confirm: true` is required. Audited as `pool.replace` (with `replacedBy` and `via`).", failoverReplaceRequestSchema, 'No standby serves it, the standby named is not free, the RecorderConfig.xml or shared address is not on record, or changed meanwhile', 200),
};
const poolPaths = {
  '/api/v1/clusters/{clusterId}/pool': {
    parameters: poolParams,
    get: {
      tags: ['pools'],
      operationId: 'getPool',
      security: viewer,
      summary: 'The failover pool at a glance: each protected server with its failover settings and state, the failover groups with their sequences, each standby with its capacity, assignment and lease',
      description:
        "A protected server's state comes from the standby leases (a standby taking it over or serving it: `failed-over`; syncing its recordings back: `failback-sync`) and the pool supervisor's state (failed without a standby: `waiting`, or `failover-needed` when the pool policy's failover is manual; `recovered`: healthy for the hold-down, stop pending because the pool policy's stop is manual). `recorderConfig` says whether its RecorderConfig.xml is on record (its SHA-256 and when it arrived; never the file).",
      responses: { 200: json(ref(poolSchema), 'The pool'), ...poolNotFound, 409: problemResponse(`Not a pool (${notPool})`), ...signedIn, ...errors },
    },
  },
  '/api/v1/clusters/{clusterId}/failover-groups': {
    parameters: poolParams,
    post: {
      tags: ['pools'],
      operationId: 'createFailoverGroup',
      security: admin,
      summary: 'Create a failover group (empty: set its standbys with `PUT …/standbys`)',
      description: `At most ${failoverGroupsMax} per pool. Audited as \`failover-group.create\`.`,
      requestBody: { required: true, content: { 'application/json': { schema: ref(failoverGroupCreateSchema) } } },
      responses: {
        201: json(ref(failoverGroupSchema), 'Created', { ...etagHeader, Location: { schema: { type: 'string' } } }),
        409: problemResponse(`The name is taken in the pool (\`failover-group-name-taken\`), the pool has ${failoverGroupsMax} groups (\`failover-group-invalid\`), or ${notPool}`),
        ...poolNotFound, ...signedIn, ...errors,
      },
    },
  },
  '/api/v1/clusters/{clusterId}/failover-groups/{groupId}': {
    parameters: groupParams,
    get: {
      tags: ['pools'],
      operationId: 'getFailoverGroup',
      security: viewer,
      summary: 'One failover group with its sequence',
      responses: { 200: json(ref(failoverGroupSchema), 'The group', etagHeader), ...poolNotFound, 409: problemResponse(`Not a pool (${notPool})`), ...signedIn, ...errors },
    },
    patch: {
      tags: ['pools'],
      operationId: 'updateFailoverGroup',
      security: admin,
      summary: 'Rename a failover group',
      description: '`version` in the body (optional) refuses a change based on an older version with 409 `failover-group-version-conflict`; `If-Match` (optional) with 412. Audited as `failover-group.update`.',
      parameters: [ifMatchParam],
      requestBody: { required: true, content: { 'application/json': { schema: ref(failoverGroupUpdateSchema) } } },
      responses: {
        200: json(ref(failoverGroupSchema), 'The group', etagHeader),
        409: problemResponse(`The name is taken (\`failover-group-name-taken\`), the group is no longer at \`version\` (\`failover-group-version-conflict\`, with the current \`version\`), or ${notPool}`),
        ...poolNotFound, ...preconditionFailed, ...signedIn, ...errors,
      },
    },
    delete: {
      tags: ['pools'],
      operationId: 'deleteFailoverGroup',
      security: admin,
      summary: 'Delete a failover group; its standbys are in no group afterwards',
      description: 'Refused while a protected server names it as its primary or secondary group. Audited as `failover-group.delete`.',
      parameters: [ifMatchParam],
      responses: {
        204: { description: 'Deleted' },
        409: problemResponse(`A protected server uses it (\`failover-group-in-use\`, with \`protectedNodeIds\`), or ${notPool}`),
        ...poolNotFound, ...preconditionFailed, ...signedIn, ...errors,
      },
    },
  },
  '/api/v1/clusters/{clusterId}/failover-groups/{groupId}/standbys': {
    parameters: groupParams,
    put: {
      tags: ['pools'],
      operationId: 'setFailoverGroupStandbys',
      security: admin,
      summary: "Set a failover group's sequence: assign, remove and reorder its standbys in one change",
      description: "One transaction: the standbys listed become the group's, in this order; those left out leave it. Each must be a standby (`failover` node) of this pool, listed once, in no other group and the hot standby of no server. The group's version moves on. Audited as `failover-group.standbys-set` with the sequence before and after.",
      requestBody: { required: true, content: { 'application/json': { schema: ref(failoverGroupStandbysSchema) } } },
      responses: {
        200: json(ref(failoverGroupSchema), 'The group with its sequence', etagHeader),
        409: problemResponse(`A node is not a standby of this pool (\`pool-role-mismatch\`), is in another group (\`standby-in-other-group\`) or is a hot standby (\`standby-is-hot-standby\`); or ${notPool}`),
        ...poolNotFound, ...signedIn, ...errors,
        400: problemResponse('The body does not match the schema, or lists a standby twice (`validation-failed`)'),
      },
    },
  },
  '/api/v1/clusters/{clusterId}/nodes/{nodeId}/failover': {
    parameters: poolNodeParams,
    put: {
      tags: ['pools'],
      operationId: 'setProtectedServerFailover',
      security: admin,
      summary: "Set a protected recording server's failover settings: primary and secondary failover group, hot standby, how a standby is chosen",
      description: `The node must be a protected server (\`primary\`) of a pool. The groups are groups of this pool, a secondary one only with a primary one and another one. A hot standby is a standby (\`failover\`) of this pool in no group and the hot standby of no other server. ${failedOverConfirm} Audited as \`node.failover-set\`.`,
      requestBody: { required: true, content: { 'application/json': { schema: ref(protectedServerFailoverUpdateSchema) } } },
      responses: {
        200: json(ref(protectedServerSchema), 'The protected server as the pool shows it'),
        409: problemWithReason(
          poolFailedOverConfirmSchema,
          `Failed over and not confirmed (\`pool-failed-over-confirm\`, with \`standby\` and \`leaseState\`); not a protected server, or a hot standby that is no standby (\`pool-role-mismatch\`); groups that cannot be used (\`failover-group-invalid\`); a hot standby in a group (\`hot-standby-in-group\`) or another server's (\`hot-standby-taken\`); or ${notPool}`,
        ),
        ...poolNotFound, ...signedIn, ...errors,
      },
    },
  },
  '/api/v1/clusters/{clusterId}/nodes/{nodeId}/standby': {
    parameters: poolNodeParams,
    put: {
      tags: ['pools'],
      operationId: 'setPoolStandby',
      security: admin,
      summary: "Set a standby's camera capacity",
      description: 'The node must be a standby (`failover`) of a pool. A takeover leaves the cameras beyond its capacity out, with an event naming them; `capacity-closest` selection chooses by it. Audited as `node.standby-set`.',
      requestBody: { required: true, content: { 'application/json': { schema: ref(poolStandbyUpdateSchema) } } },
      responses: {
        200: json(ref(poolStandbySchema), 'The standby as the pool shows it'),
        409: problemResponse(`Not a standby (\`pool-role-mismatch\`), or ${notPool}`),
        ...poolNotFound, ...signedIn, ...errors,
      },
    },
  },
  '/api/v1/clusters/{clusterId}/nodes/{nodeId}/camera-levels': {
    parameters: poolNodeParams,
    get: {
      tags: ['pools'],
      operationId: 'getCameraFailoverLevels',
      security: viewer,
      summary: "A protected server's cameras, as its agent last reported them, with their failover level (`full` unless set)",
      description: 'Then the levels stored for cameras its agent no longer reports: set them back to `full` to clear them.',
      responses: { 200: json(ref(cameraFailoverLevelsSchema), 'The cameras'), ...poolNotFound, 409: problemResponse(`Not a protected server (\`pool-role-mismatch\`), or ${notPool}`), ...signedIn, ...errors },
    },
    put: {
      tags: ['pools'],
      operationId: 'setCameraFailoverLevels',
      security: admin,
      summary: 'Set the failover level of some cameras of a protected server: full, live only, or none',
      description: `Cameras not listed keep their level; \`full\`, the default, removes a stored level. ${failedOverConfirm} Audited as \`node.camera-levels-set\` with how many changed to each level.`,
      requestBody: { required: true, content: { 'application/json': { schema: ref(cameraFailoverLevelsUpdateSchema) } } },
      responses: {
        200: json(ref(cameraFailoverLevelsSchema), 'The cameras with their levels'),
        409: problemWithReason(poolFailedOverConfirmSchema, `Failed over and not confirmed (\`pool-failed-over-confirm\`, with \`standby\` and \`leaseState\`); not a protected server (\`pool-role-mismatch\`); or ${notPool}`),
        ...poolNotFound, ...signedIn, ...errors,
        400: problemResponse('The body does not match the schema, lists a camera twice, or would keep more than 4096 levels (`validation-failed`)'),
      },
    },
  },
};

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
    { name: 'pools', description: 'Failover pools (N:M): protected recording servers, failover groups of standbys, hot standbys, per-camera failover levels' },
    { name: 'cameras', description: 'The Device Overview' },
    { name: 'events' },
    { name: 'agents', description: 'The agent link: called by the agents on the recording servers' },
    { name: 'auth', description: 'Signing in: console sessions (cookie), API tokens, focus' },
    { name: 'users', description: 'Accounts and their roles (admin)' },
    { name: 'audit', description: 'Who did what (admin)' },
    { name: 'xprotect', description: "What the controller tells XProtect: generic events to its Event Server (admin)" },
    { name: 'reports', description: 'The reporting views over REST, as JSON or CSV' },
    { name: 'webhooks', description: 'Outgoing HTTP notifications of events, signed (admin)' },
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
        responses: { 200: json(ref(clusterPageSchema), 'A page of clusters, ordered by name, each with who serves, whether data may be missing, and its nodes as last reported'), ...signedIn, ...errors },
      },
      post: {
        tags: ['clusters'],
        operationId: 'createCluster',
        security: admin,
        summary: 'Create a cluster, optionally with its nodes, in one transaction',
        requestBody: { required: true, content: { 'application/json': { schema: ref(clusterCreateSchema) } } },
        responses: {
          201: json(ref(clusterSchema), 'Created', { ...etagHeader, Location: { schema: { type: 'string' } } }),
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
        responses: { 200: json(ref(clusterSchema), 'The cluster', etagHeader), ...notFound, ...signedIn, ...errors },
      },
      patch: {
        tags: ['clusters'],
        operationId: 'updateCluster',
        security: admin,
        summary: 'Change a cluster; the mode cannot change',
        description:
          '`preferredNodeId`, `failbackPolicy` and `failbackHoldDownSeconds` are settings of the cluster policy (`…/policy`), stored once: a change of any of them is a change of the policy, checked as a whole, with its version one higher and audited as `cluster.policy-changed`, so that both nodes get it.',
        parameters: [ifMatchParam],
        requestBody: { required: true, content: { 'application/json': { schema: ref(clusterUpdateSchema) } } },
        responses: {
          200: json(ref(clusterSchema), 'The updated cluster', etagHeader),
          409: problemResponse('Name taken or preferred node invalid: not a node of the cluster, or named so that its agent cannot know it (`cluster-name-taken`, `preferred-node-invalid`)'),
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
        parameters: [ifMatchParam],
        responses: { 204: { description: 'Deleted' }, ...notFound, ...preconditionFailed, ...signedIn, ...errors },
      },
    },
    '/api/v1/clusters/{clusterId}/agent-secret': {
      parameters: [{ name: 'clusterId', in: 'path', required: true, schema: uuid }],
      put: {
        tags: ['clusters'],
        operationId: 'setAgentSecret',
        security: admin,
        summary: "Set or generate the secret the cluster's agents present",
        description:
          "Enrolls a cluster's agents: they register and report with this secret as their Bearer token, and the controller presents it to them with every relayed command. Give your own (`secret`) or let the controller generate one (`generate: true`): a generated secret is in this answer only, never shown again (`GET` shows `agentSecretSet`). Replacing a secret the cluster has needs `replace: true`: its agents are refused (401) until they present the new one. Audited as `cluster.agent-secret-set` with `generated` and `replaced`, never the value. Unless `agents.trustOnFirstUse` is on, agents cannot register before this is done.",
        requestBody: { required: true, content: { 'application/json': { schema: ref(agentSecretRequestSchema) } } },
        responses: {
          200: json(ref(agentSecretSetSchema), 'Set; with the secret when generated (`Cache-Control: no-store`)'),
          409: problemResponse('The cluster has a secret and `replace` is not true (`agent-secret-exists`); nothing changed'),
          ...notFound,
          ...signedIn, ...errors,
        },
      },
    },
    '/api/v1/clusters/{clusterId}/nodes': {
      parameters: [{ name: 'clusterId', in: 'path', required: true, schema: uuid }],
      get: {
        tags: ['nodes'],
        operationId: 'listNodes',
        security: viewer,
        summary: "The cluster's nodes",
        responses: { 200: json(listOf(nodeSchema), 'Nodes, ordered by name'), ...notFound, ...signedIn, ...errors },
      },
      post: {
        tags: ['nodes'],
        operationId: 'createNode',
        security: admin,
        summary: 'Add a node to a cluster',
        description: "`agentUrl` is read-only: the node's agent sets it when it registers with the cluster secret (the controller sends the secret there with every command); a body that sets it is refused (400 `validation-failed`).",
        requestBody: { required: true, content: { 'application/json': { schema: ref(nodeCreateSchema) } } },
        responses: {
          201: json(ref(nodeSchema), 'Created', { ...etagHeader, Location: { schema: { type: 'string' } } }),
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
        responses: { 200: json(ref(nodeDetailSchema), 'The node; the ETag covers its configuration, not the reported storages', etagHeader), ...notFound, ...signedIn, ...errors },
      },
      patch: {
        tags: ['nodes'],
        operationId: 'updateNode',
        security: admin,
        summary: 'Change a node',
        description: "Agents know the preferred node by name: renaming it changes the cluster policy (a new version, audited as `cluster.policy-changed`). `agentUrl` is read-only: only the node's agent sets it, by registering with the cluster secret; a body that sets it is refused (400 `validation-failed`) and changes nothing.",
        parameters: [ifMatchParam],
        requestBody: { required: true, content: { 'application/json': { schema: ref(nodeUpdateSchema) } } },
        responses: {
          200: json(ref(nodeSchema), 'The updated node', etagHeader),
          409: problemResponse('Node rules violated (`node-name-taken`, `role-conflict`, `recorder-identity-mismatch`), or the preferred node renamed so that its agent cannot know it (`preferred-node-invalid`)'),
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
        description: 'Removing the preferred node clears the cluster policy\'s `preferredNodeId` (a new policy version). In a failover pool, its pool rows go with it (settings, levels, RecorderConfig.xml, group place, standby lease).',
        parameters: [ifMatchParam],
        responses: { 204: { description: 'Deleted' }, 409: problemWithReason(poolFailedOverConfirmSchema, 'In a failover pool, a standby lease holds the node (`pool-node-in-failover`, naming the `standby` and its `leaseState`): a protected server failed over or syncing back, or the standby doing it. Stop the failover and finish the failback first'), ...notFound, ...preconditionFailed, ...signedIn, ...errors },
      },
    },
    ...poolPaths,
    ...poolCommandPaths,
    '/api/v1/clusters/{clusterId}/state': {
      parameters: [{ name: 'clusterId', in: 'path', required: true, schema: uuid }],
      get: {
        tags: ['clusters'],
        operationId: 'getClusterState',
        security: viewer,
        summary: 'Which node serves, and what each node reported last',
        description:
          `Joins the nodes with their agents' latest reports. A node is \`reachable\` while ${reachableRule}; one that is not is not \`serving\`, its \`haStatus\` is \`Unknown\`, and its other fields show what it last said. ` +
          'Epoch fencing decides who serves, and the state follows it: of the reachable nodes that say they serve, the one with the highest epoch is the Serving node; one under a lower epoch is `steppingDown` (shown as Standby, not serving); two under the same epoch are a `conflict`. ' +
          "Each node says which cluster policy version it runs (`policyVersion`) and whether that is the controller's (`policyCurrent`).",
        responses: { 200: json(ref(clusterStateSchema), 'The live state'), ...notFound, ...signedIn, ...errors },
      },
    },
    '/api/v1/clusters/{clusterId}/policy': {
      parameters: [{ name: 'clusterId', in: 'path', required: true, schema: uuid }],
      get: {
        tags: ['clusters'],
        operationId: 'getClusterPolicy',
        security: viewer,
        summary: "The cluster policy: everything both nodes must agree on, with the version each node runs",
        description:
          'Preferred node, failback, failover profile and timing, failover cap, triggers, boot behaviour, maintenance and backfill (mode, bandwidth, transfers, daily window), owned by the controller: agents get it with every register and report answer (contracts/cluster-policy-v1.ts, the preferred node by name) and apply a higher version than they run. `effective` shows what null overrides resolve to. The ETag (`"p<version>"`) covers the settings, not the versions the nodes report.',
        responses: { 200: json(ref(clusterPolicySchema), 'The policy', etagHeader), ...notFound, ...signedIn, ...errors },
      },
      put: {
        tags: ['clusters'],
        operationId: 'replaceClusterPolicy',
        security: admin,
        summary: 'Set every setting of the cluster policy',
        description: policyChangeDescription('The body is every setting.'),
        parameters: [ifMatchParam],
        requestBody: { required: true, content: { 'application/json': { schema: ref(clusterPolicyUpdateSchema) } } },
        responses: policyChangeResponses,
      },
      patch: {
        tags: ['clusters'],
        operationId: 'updateClusterPolicy',
        security: admin,
        summary: 'Change some settings of the cluster policy',
        description: policyChangeDescription('The body is some settings, merged into the current ones field by field (an object\'s other fields stay); the result is checked as a whole.'),
        parameters: [ifMatchParam],
        requestBody: { required: true, content: { 'application/json': { schema: ref(clusterPolicyPatchSchema) } } },
        responses: policyChangeResponses,
      },
    },
    '/api/v1/clusters/{clusterId}/switch': {
      parameters: [{ name: 'clusterId', in: 'path', required: true, schema: uuid }],
      post: {
        tags: ['clusters'],
        operationId: 'switchServing',
        security: operator,
        summary: 'Hand the Serving role to the standby node',
        description:
          "Relays `switch` to the Serving node's agent with the cluster secret. The agent releases the shared address and its peer claims it under a higher epoch; `GET …/state` shows when that happened. The body is optional. " +
          `In a cloned pair, when the node that would take over lacks recordings the Serving node holds (its agent's last gap audit: \`missingSeconds\` > 0), the switch is refused with \`target-missing-data\`, which says how much and the ranges of each camera (at most ${targetMissingCamerasMax} cameras): backfill fills them. \`force: true\` switches anyway; the audit entry (\`cluster.switch\`) then records \`forced\`, the node and the seconds it lacked.`,
        requestBody: { required: false, content: { 'application/json': { schema: ref(switchRequestSchema) } } },
        responses: {
          202: json(ref(switchAcceptedSchema), 'The agent accepted the switch'),
          409: {
            description: 'No node serves, a switch is under way, or the agent refused (`switch-not-possible`, with `reason`); or the node that would serve lacks data and `force` was not set (`target-missing-data`, with `missingSeconds` and `cameras`); or the cluster is a failover pool, whose failovers are started and stopped per protected server (`cluster-is-pool`)',
            content: { 'application/problem+json': { schema: { anyOf: [ref(switchNotPossibleSchema), ref(targetMissingDataSchema), ref(problemSchema)] } } },
          },
          ...notFound,
          ...agentUnreachable,
          ...signedIn, ...errors,
        },
      },
    },
    '/api/v1/clusters/{clusterId}/backfill': {
      parameters: [{ name: 'clusterId', in: 'path', required: true, schema: uuid }],
      get: {
        tags: ['clusters'],
        operationId: 'getClusterBackfill',
        security: viewer,
        summary: 'What each node lacks of what its peer holds, and how its backfill job stands',
        description:
          "Each node's gap audit and backfill job, as its agent last reported them (fresh or not; `reachable` says which): its effective retention, since when it is complete, the missing seconds per camera with the ranges, the job's state, bytes and blocks done of total, rate and ETA. Agents without a storage adapter (or older than backfill) report none: `backfill` is null. With the cluster's `dataMissing` and the missing seconds summed.",
        responses: { 200: json(ref(clusterBackfillSchema), 'Each node, by name'), ...notFound, ...signedIn, ...errors },
      },
    },
    '/api/v1/clusters/{clusterId}/timeline': {
      parameters: [{ name: 'clusterId', in: 'path', required: true, schema: uuid }],
      get: {
        tags: ['clusters'],
        operationId: 'getClusterTimeline',
        security: viewer,
        summary: 'The availability timeline: which node served when, the failovers, switches and failbacks, and each node\'s data gaps',
        description:
          `For the window [\`from\`, \`to\`), 1 minute to 30 days long (default: the 24 h before \`to\`, which defaults to now; a lone \`from\` takes the 24 h after it). Per node: its serving bands (the serving spans recorded from its reports, clipped to the window; spans under one epoch less than ${servingMergeGapMs / 1000} s apart are one band), its gap bands (the union of its cameras' gaps per state: open, filled with when, expired) and its serving time and share of the window. The markers are the failover history (\`GET /api/v1/reports/failover-history\`) in the window. \`unservedSeconds\`: the time in which no node served, counted from the first serving ever recorded and up to now. At most ${timelineItemsMax} bands and markers (\`truncated\`).`,
        parameters: [
          { name: 'from', in: 'query', allowReserved: true, description: 'Start of the window (ISO 8601)', schema: timestamp },
          { name: 'to', in: 'query', allowReserved: true, description: 'End of the window, excluded (ISO 8601; default: now)', schema: timestamp },
        ],
        responses: {
          200: json(ref(timelineSchema), 'The timeline'),
          ...notFound,
          ...signedIn,
          ...errors,
          400: problemResponse('A time that is not ISO 8601, or a window shorter than 1 minute, longer than 30 days or reversed (`validation-failed`, naming `/query/to` or `/query/from`)'),
        },
      },
    },
    '/api/v1/clusters/{clusterId}/backfill/start': backfillCommandOperation('start'),
    '/api/v1/clusters/{clusterId}/backfill/pause': backfillCommandOperation('pause'),
    '/api/v1/clusters/{clusterId}/backfill/resume': backfillCommandOperation('resume'),
    '/api/v1/clusters/{clusterId}/maintenance': {
      parameters: [{ name: 'clusterId', in: 'path', required: true, schema: uuid }],
      post: {
        tags: ['clusters'],
        operationId: 'setMaintenance',
        security: operator,
        summary: 'Turn maintenance (no automatic failover) on or off',
        description:
          "Relays `maintenance-on` or `maintenance-off` to one reachable agent, the Serving node's first, which acts at once; the flag is cluster-wide and reaches the peer through heartbeats. Once an agent took it, the cluster policy's `maintenance` keeps it (a new policy version, audited as `cluster.policy-changed`), so that it survives restarts and both nodes get it with their next answer. A refused or undelivered command changes nothing. A 503 after an agent took the command means the policy could not store it: send it again.",
        requestBody: { required: true, content: { 'application/json': { schema: ref(maintenanceRequestSchema) } } },
        responses: {
          200: json(ref(maintenanceSetSchema), 'The agent took the command'),
          409: problemWithReason(commandRefusedSchema, 'No node has reported recently (`cluster-unreachable`), the agent refused (`command-refused`, with `reason`), or the cluster is a failover pool, which has no maintenance (`cluster-is-pool`; set its policy\'s failover to manual)'),
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
        responses: { 200: json(ref(eventPageSchema), 'A page of events, newest first'), ...signedIn, ...errors },
      },
    },
    '/api/v1/events/stream': {
      get: {
        tags: ['events'],
        operationId: 'streamEvents',
        security: viewer,
        summary: 'Server-Sent Events: every new event as it is stored, with the same filters',
        description:
          'Each event is an SSE message whose `id:` is its cursor and whose `data:` is the `Event` as JSON. With `Last-Event-ID` (sent by EventSource on reconnect) the stream first replays, oldest first, the events after that cursor from the database, at most 1000; with `since` and no Last-Event-ID, the events since then. When more were due, an `event: replay-truncated` message gives the `before` cursor to page the rest with `GET /api/v1/events`. A comment line every 15 s keeps the connection alive. An event that arrives late (an agent sending what it queued) is streamed when stored, so cursors in a stream are not always increasing and a resumed stream may repeat an event: use the event `id` to drop repeats. At most 100 streams are open at once, and at most ' + `${eventStreamDefaults.streamsPerAccountMax} per account over all its sessions and tokens; the controller ends them when it stops.`,
        parameters: [
          ...eventFilterParams,
          { name: 'since', in: 'query', allowReserved: true, description: 'Without Last-Event-ID: replay the events since this time first (at most 1000)', schema: timestamp },
          { name: 'Last-Event-ID', in: 'header', required: false, description: 'Resume after this event cursor', schema: eventCursor },
        ],
        responses: {
          200: { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string', description: '`retry:`, then per event `id: <cursor>` and `data: <Event JSON>`; `: heartbeat` comments' } } } },
          400: errors[400],
          ...signedIn,
          429: { description: `The account has ${eventStreamDefaults.streamsPerAccountMax} streams open already (\`account-stream-limit-reached\`, with \`streamsPerAccountMax\`); \`Retry-After\` says when to try again`, headers: { 'Retry-After': { description: 'Seconds', schema: { type: 'integer' } } }, content: { 'application/problem+json': { schema: ref(problemSchema) } } },
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
        requestBody: { required: true, content: { 'application/json': { schema: ref(loginRequestSchema) } } },
        responses: {
          200: json(ref(loginAnswerSchema), 'Signed in', { 'Set-Cookie': { description: 'twinrec_session=<opaque>; HttpOnly; SameSite=Strict; Path=/', schema: { type: 'string' } } }),
          ...errors,
          401: problemResponse('Wrong user name or password (`invalid-credentials`)'),
          403: problemResponse("Sent from another site's page (`csrf-rejected`)"),
          429: { description: 'Too many failed logins (`login-rate-limited`); `Retry-After` says when to try again', headers: { 'Retry-After': { description: 'Seconds', schema: { type: 'integer' } } }, content: { 'application/problem+json': { schema: ref(loginRateLimitedSchema) } } },
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
        responses: { 200: json(ref(sessionSchema), 'The caller'), ...signedIn, ...errors },
      },
    },
    '/api/v1/auth/password': {
      post: {
        tags: ['auth'],
        operationId: 'changePassword',
        security: viewer,
        summary: "Change one's own password",
        description: "Needs the current password; a wrong one is a `validation-failed` at `/body/currentPassword` and counts as a failed login. Ends the account's other sessions (the caller's own stays) and revokes every API token of the account, the caller's own included: whoever knew the old password may have made them.",
        requestBody: { required: true, content: { 'application/json': { schema: ref(passwordChangeSchema) } } },
        responses: { 204: { description: 'Changed' }, ...signedIn, 429: { description: 'Too many failed checks (`login-rate-limited`)', content: { 'application/problem+json': { schema: ref(loginRateLimitedSchema) } } }, ...errors, ...passwordBusy },
      },
    },
    '/api/v1/users': {
      get: {
        tags: ['users'],
        operationId: 'listUsers',
        security: admin,
        summary: 'Every account, by name',
        responses: { 200: json(listOf(userSchema, accountListMax), `Accounts (at most ${accountListMax})`), ...signedIn, ...errors },
      },
      post: {
        tags: ['users'],
        operationId: 'createUser',
        security: admin,
        summary: 'Create an account',
        requestBody: { required: true, content: { 'application/json': { schema: ref(userCreateSchema) } } },
        responses: { 201: json(ref(userSchema), 'Created', { Location: { schema: { type: 'string' } } }), 409: problemResponse('The name is taken (`username-taken`)'), ...signedIn, ...errors, ...passwordBusy },
      },
    },
    '/api/v1/users/{userId}': {
      parameters: [{ name: 'userId', in: 'path', required: true, schema: uuid }],
      patch: {
        tags: ['users'],
        operationId: 'updateUser',
        security: admin,
        summary: "Change an account's role, or set a new password (which ends its sessions and revokes its API tokens)",
        requestBody: { required: true, content: { 'application/json': { schema: ref(userUpdateSchema) } } },
        responses: { 200: json(ref(userSchema), 'The account'), 404: problemResponse('No such account (`not-found`)'), 409: problemResponse('It is the last admin (`last-admin`)'), ...signedIn, ...errors, ...passwordBusy },
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
        responses: { 200: json(listOf(tokenSchema, tokenListMax), `Tokens, newest first (at most ${tokenListMax}); never their secrets`), ...signedIn, ...errors },
      },
      post: {
        tags: ['auth'],
        operationId: 'createToken',
        security: viewer,
        summary: 'Create an API token for the caller (shown once)',
        description:
          "Send it as `Authorization: Bearer trk_…`. Its role defaults to the caller's and cannot be higher; at each request it acts with the lower of its role and its owner's current role. Only its SHA-256 is stored. " +
          'A caller using a token that ends cannot make one that outlives it: `expiresAt` is then required and no later than its own token\'s end (else `validation-failed` at `/body/expiresAt`).',
        requestBody: { required: true, content: { 'application/json': { schema: ref(tokenCreateSchema) } } },
        responses: { 201: json(ref(tokenCreatedSchema), 'Created: `token` is shown this once', { Location: { schema: { type: 'string' } } }), ...signedIn, ...errors },
      },
    },
    '/api/v1/tokens/{tokenId}': {
      parameters: [{ name: 'tokenId', in: 'path', required: true, schema: uuid }],
      delete: {
        tags: ['auth'],
        operationId: 'deleteToken',
        security: viewer,
        summary: "Revoke a token: the caller's own, or any for an admin",
        description: "Only a token that may do no more than the caller: its role bounded by its owner's, at most the caller's (a viewer token cannot revoke its account's operator token).",
        responses: { 204: { description: 'Revoked' }, 404: problemResponse("No such token of the caller's (`not-found`)"), ...signedIn, 403: problemResponse("The role is too low, or the token may do more than the caller (`forbidden`, with `role` and `requiredRole`), or a change without a Bearer token came from another site's page (`csrf-rejected`)"), ...errors },
      },
    },
    '/api/v1/audit': {
      get: {
        tags: ['audit'],
        operationId: 'listAudit',
        security: admin,
        summary: 'The audit log, newest first, filtered, a page at a time',
        description:
          "Every change and every refused change (clusters, nodes, cluster policies, switch, maintenance, backfill commands, focus, accounts, tokens), every login and logout, and every change refused for the caller's role (`access.denied`). Pages by cursor: pass the answer's `next` as `before`.",
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
        responses: { 200: json(ref(auditPageSchema), 'A page of entries, newest first'), ...signedIn, ...errors },
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
        requestBody: { required: true, content: { 'application/json': { schema: ref(focusRequestSchema) } } },
        responses: { 200: json(ref(focusSchema), 'Focused'), 404: problemResponse('No such cluster, or the node is not in it (`not-found`)'), ...signedIn, ...errors },
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
        summary: 'An agent registers its node in its cluster',
        description:
          "Called by agents, not operators. The secret must be the one an admin set for the cluster (`PUT /api/v1/clusters/{clusterId}/agent-secret`); it is checked before the body. Only with `agents.trustOnFirstUse` on (the demo) does an unknown cluster name create a cloned pair that keeps the presented secret (16 to 256 characters), and a cluster without a secret adopt it. Every refusal is the same 401, whether or not the cluster exists. The node is created or updated by name, with its `agentUrl` and `agentCertificateFingerprint` (the only way they are set; commands to an https agent are pinned to that certificate, and a changed one is audited as `node.certificate-changed` with both fingerprints): rank 0 is the primary, rank 1 the secondary. A failover pool's agent sends `pool` instead (peerName and rank are then ignored): with trust on first use it creates a pool; a standby becomes a `failover` node with its camera capacity, a protected recording server a `primary` node with its shared address; a pool's agent never joins a cloned pair nor a pair's agent a pool (409 `pool-mode-mismatch`), and a pool node keeps its role (409 `role-conflict`). The answer carries the cluster policy (`policy`).",
        security: [{ clusterSecret: [] }],
        requestBody: agentBody('registerRequestSchema', 'The cluster and the node.'),
        responses: {
          200: json(ref(agentRegistrationSchema), 'The ids to report under'),
          ...unauthorized,
          409: problemResponse("Node rules violated (`role-conflict`, `recorder-identity-mismatch`, `node-name-taken`), a pool's agent and a cloned pair (or a pair's agent and a pool) (`pool-mode-mismatch`), or a protected recording server whose shared address or recorder id another node of the pool already has, such as the standby that replaced it (`pool-shared-address-taken`, `pool-recorder-id-taken`; `nodeId` and `nodeName` name that node)"),
          ...errors,
        },
      },
    },
    '/api/v1/agent/report': {
      post: {
        tags: ['agents'],
        operationId: 'reportAgent',
        summary: "An agent reports its node's status and new events; the answer is the witness",
        description: `Called by agents, not operators, every second or so. The secret is checked (for the body's \`clusterId\`) before the body. Events (at most ${maxEventsPerReport}, each event's \`data\` at most ${eventDataDepthMax} levels deep and ${eventDataBytesMax} bytes as JSON) are stored once each, by their id, so a report may be retried safely. \`peer.alive\` tells whether the other node reported within \`witnessWindowMs\` (the agent's own window, whatever the controller counts as reachable). The answer carries the cluster policy (\`policy\`); the report's \`status.policyVersion\` says which version the node runs.`,
        security: [{ clusterSecret: [] }],
        requestBody: agentBody('reportRequestSchema', 'Status and events of one node.'),
        responses: { 200: json(ref(agentReportAnswerSchema), 'Stored'), ...unauthorized, 404: problemResponse('No such cluster, or the node is not in it: register again (`not-found`)'), ...errors },
      },
    },
    '/api/v1/agent/recorder-config': {
      post: {
        tags: ['agents'],
        operationId: 'pushRecorderConfig',
        summary: "A failover pool's protected recording server pushes its RecorderConfig.xml",
        description:
          "Called by agents, not operators: a protected recording server's agent (agent.yaml `pool.role: protected`) at registration and whenever the file's SHA-256 changes. The secret is checked (for the body's `clusterId`) before the body. The file (base64 of its exact bytes, at most 8 MiB of text, and their SHA-256) must parse as a RecorderConfig.xml; its `recorder/id` must be the node's registered recorder id when it has one. Stored (one per protected server, the last push wins) as what a standby clones when it takes the server over; a changed file is audited as `pool.recorder-config-received`. Never returned by the API.",
        security: [{ clusterSecret: [] }],
        requestBody: agentBody('recorderConfigPushSchema', 'The cluster, the node and its RecorderConfig.xml.', 'pool-v1.ts'),
        responses: {
          204: { description: 'Stored' },
          ...unauthorized,
          404: problemResponse('No such cluster, or the node is not in it: register again (`not-found`)'),
          409: problemResponse("The node is not a failover pool's protected recording server (`pool-not-protected-server`), or the file's recorder id is not the node's (`recorder-identity-mismatch`)"),
          ...errors,
          400: problemResponse('The file is not canonical base64, does not match its SHA-256 or is not a RecorderConfig.xml (`recorder-config-invalid`); or the body does not match the schema (`validation-failed`)'),
        },
      },
    },
    '/api/v1/xprotect/generic-events': {
      get: {
        tags: ['xprotect'],
        operationId: 'getGenericEvents',
        security: admin,
        summary: "Generic events for XProtect's Event Server: the settings, and what was sent since the controller started",
        description:
          `The controller sends an XProtect generic event for each ${genericEventKinds.map((k) => `\`${k}\``).join(', ')} in any cluster, once the event reaches it (agents report within a second), so that XProtect rules and alarms can act on them. Each event is one TCP connection to the Event Server's generic-event data source (International: text + CR LF in UTF-8, echo "Statistics"; Compatible: text in the ANSI code page, echo "All bytes"). Sending never holds up anything else: events wait in a bounded queue (the oldest is dropped when it is full), failed attempts are retried with exponential backoff and jitter, a bounded number of times. Prometheus: \`twinrec_xprotect_generic_events_sent_total\`, \`…_generic_event_attempts_failed_total\`, \`…_generic_events_dropped_total\`, \`…_generic_events_queued\`. Defaults: off, every kind on with its default message.`,
        responses: { 200: json(ref(genericEventSettingsViewSchema), 'The settings', etagHeader), ...signedIn, ...errors },
      },
      put: {
        tags: ['xprotect'],
        operationId: 'setGenericEvents',
        security: admin,
        summary: 'Set every generic-event setting',
        description:
          'Takes effect at once: the next event is sent with these settings, and a retry waiting for the old ones is tried now with the new ones; turning generic events off drops what waits. A message template may use only the placeholders its kind fills (listed under `kinds`); any other, or an unpaired brace, is refused with `generic-event-settings-invalid` listing every issue (`errors`), as is `enabled` without a host. In XProtect, enable the data source (disabled by default since 2025 R1), allow the controller\'s address unless it runs on the Event Server\'s host, and define generic events whose expressions match the messages (e.g. Search `twinrec failover`). An accepted change that changes something makes the version one higher and is audited as `xprotect.generic-events-changed` with the versions and the changed settings; nothing is stored on any error. `If-Match` (optional) refuses a lost update.',
        parameters: [ifMatchParam],
        requestBody: { required: true, content: { 'application/json': { schema: ref(genericEventSettingsSchema) } } },
        responses: {
          200: json(ref(genericEventSettingsViewSchema), 'The settings as stored', etagHeader),
          ...errors,
          400: problemResponse('The body does not match the schema (`validation-failed`, `malformed-json`), or a template names a placeholder its kind does not fill, has an unpaired brace, or generic events are enabled without a host (`generic-event-settings-invalid`, every issue in `errors`)'),
          ...preconditionFailed,
          ...signedIn,
        },
      },
    },
    '/api/v1/xprotect/generic-events/test': {
      post: {
        tags: ['xprotect'],
        operationId: 'testGenericEvent',
        security: admin,
        summary: 'Send one generic event now, to check the Event Server settings and the XProtect generic events that should match',
        description:
          "Sent at once with the stored Event Server settings, whether generic events are on or not, outside the queue and without retries: the answer says what the Event Server said (International: its statistics, with `matches` 0 when no generic event matched the text). Audited as `xprotect.generic-event-test` with the outcome.",
        requestBody: { required: true, content: { 'application/json': { schema: ref(genericEventTestRequestSchema) } } },
        responses: {
          200: json(ref(genericEventTestResultSchema), 'The Event Server took it'),
          ...errors,
          400: problemResponse('The body does not match the schema (`validation-failed`, `malformed-json`), or no host is set, or both `kind` and `message` are given (`generic-event-settings-invalid`)'),
          502: problemResponse("The Event Server did not take it (`generic-event-not-delivered`, with `reason`: `no-access` (the data source's allowed addresses lack the controller's), `unreachable` (refused: the data source is disabled or on another port; unknown host), `timeout` (no connection or echo within `readTimeoutMs`), `bad-echo` (not the echo the format promises), and `host`, `port`, `format`)"),
          ...signedIn,
        },
      },
    },
    '/api/v1/webhooks': {
      get: {
        tags: ['webhooks'],
        operationId: 'listWebhooks',
        security: admin,
        summary: 'Every webhook, by name (never its secret)',
        description:
          'A webhook POSTs each stored event it wants (kind pattern, minimum severity, optionally one cluster) to its URL as JSON: `{ id, kind, severity, time, cluster: {id, name} | null, node: {id, name} | null, message, data, webhook: {id} }`. ' +
          'Headers: `Content-Type: application/json`, `User-Agent: twinrec/<version>`, `X-Twinrec-Event-Id` (the same in every retry: deduplicate on it), `X-Twinrec-Delivery-Attempt` (1, 2, …), and `X-Twinrec-Signature: t=<unix seconds>,v1=<hex>`, where `<hex>` is HMAC-SHA256 with the webhook\'s secret over `<t>.<body>` (the raw body bytes). To verify (Node): `const [t, v1] = …parse the header…; crypto.timingSafeEqual(Buffer.from(v1, \'hex\'), crypto.createHmac(\'sha256\', secret).update(`${t}.${rawBody}`).digest())` and refuse a `t` more than 5 minutes old. ' +
          'A 2xx answer is delivered; anything else (another status, a redirect, no answer within `webhooks.timeoutMs`, default 5 s) fails and is retried with exponential backoff and jitter (`webhooks.retryDelayMsBase` 1 s doubling to `webhooks.retryDelayMsMax` 60 s), `webhooks.attemptsMax` (6) attempts in all, then dropped with a `dropped` entry in the delivery log and a warning in the controller\'s log. At most 4 deliveries are in flight at once and 512 wait; beyond that the oldest waiting one is dropped. Delivery never holds up the agents\' reports or failover: it only queues as events are stored. ' +
          'Prometheus: `twinrec_webhook_deliveries_total{outcome}`, `twinrec_webhook_queue_depth`, `twinrec_webhook_delivery_seconds`.',
        responses: { 200: json(ref(webhookListSchema), 'The webhooks'), ...signedIn, ...errors },
      },
      post: {
        tags: ['webhooks'],
        operationId: 'createWebhook',
        security: admin,
        summary: 'Create a webhook; its secret is in this answer only',
        description: 'Takes effect at once. The secret is generated (32 random bytes, base64url) unless given, stored encrypted like the cluster secrets, and shown in this answer only. Audited as `webhook.created` with the name and the URL\'s host (never its path, query or the secret).',
        requestBody: { required: true, content: { 'application/json': { schema: ref(webhookCreateSchema) } } },
        responses: {
          201: json(ref(webhookWithSecretSchema), 'Created, with its secret (`Cache-Control: no-store`)', { ...etagHeader, Location: { schema: { type: 'string' } } }),
          ...signedIn,
          ...errors,
          400: problemResponse('The body does not match the schema (`validation-failed`, `malformed-json`), or the URL is not http or https, carries a user name or password, or the cluster does not exist (`webhook-invalid`, with `errors`)'),
          409: problemResponse('A webhook with this name exists (`webhook-name-taken`)'),
        },
      },
    },
    '/api/v1/webhooks/{webhookId}': {
      parameters: [{ name: 'webhookId', in: 'path', required: true, schema: uuid }],
      get: {
        tags: ['webhooks'],
        operationId: 'getWebhook',
        security: admin,
        summary: 'One webhook (never its secret)',
        responses: { 200: json(ref(webhookSchema), 'The webhook', etagHeader), 404: problemResponse('No such webhook (`not-found`)'), ...signedIn, ...errors },
      },
      patch: {
        tags: ['webhooks'],
        operationId: 'updateWebhook',
        security: admin,
        summary: 'Change some settings of a webhook',
        description: 'Takes effect at once, also for deliveries waiting for a retry. `version` in the body (optional) refuses a change based on an older version with 409 `webhook-version-conflict`; `If-Match` (optional) with 412. A change that changes something makes the version one higher and is audited as `webhook.changed` with the changed settings. Disabling drops what waits for it.',
        parameters: [ifMatchParam],
        requestBody: { required: true, content: { 'application/json': { schema: ref(webhookUpdateSchema) } } },
        responses: {
          200: json(ref(webhookSchema), 'The webhook as stored', etagHeader),
          404: problemResponse('No such webhook (`not-found`)'),
          409: problemResponse('A webhook with this name exists (`webhook-name-taken`), or the webhook is no longer at `version` (`webhook-version-conflict`, with the current `version`)'),
          ...preconditionFailed,
          ...signedIn,
          ...errors,
          400: problemResponse('The body does not match the schema (`validation-failed`, `malformed-json`), or the URL or cluster cannot be used (`webhook-invalid`)'),
        },
      },
      delete: {
        tags: ['webhooks'],
        operationId: 'deleteWebhook',
        security: admin,
        summary: 'Delete a webhook and its delivery log',
        description: 'What waits for it is not sent. Audited as `webhook.deleted`.',
        parameters: [ifMatchParam],
        responses: { 204: { description: 'Deleted' }, 404: problemResponse('No such webhook (`not-found`)'), ...preconditionFailed, ...signedIn, ...errors },
      },
    },
    '/api/v1/webhooks/{webhookId}/rotate-secret': {
      parameters: [{ name: 'webhookId', in: 'path', required: true, schema: uuid }],
      post: {
        tags: ['webhooks'],
        operationId: 'rotateWebhookSecret',
        security: admin,
        summary: 'Give a webhook a new generated secret, shown in this answer only',
        description: 'The old secret stops at once: the next attempt, retries included, is signed with the new one. Audited as `webhook.secret-rotated` (never the value).',
        responses: { 200: json(ref(webhookWithSecretSchema), 'The webhook with its new secret (`Cache-Control: no-store`)', etagHeader), 404: problemResponse('No such webhook (`not-found`)'), ...signedIn, ...errors },
      },
    },
    '/api/v1/webhooks/{webhookId}/deliveries': {
      parameters: [{ name: 'webhookId', in: 'path', required: true, schema: uuid }],
      get: {
        tags: ['webhooks'],
        operationId: 'listWebhookDeliveries',
        security: admin,
        summary: 'The delivery log: the newest attempts first',
        description: `One entry per attempt (\`delivered\` or \`failed\`) and one per delivery given up (\`dropped\`). The controller keeps the newest ${deliveriesKeptMax} per webhook.`,
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: deliveriesKeptMax, default: 50 } }],
        responses: { 200: json(ref(webhookDeliveryListSchema), 'The newest attempts'), 404: problemResponse('No such webhook (`not-found`)'), ...signedIn, ...errors },
      },
    },
    '/api/v1/webhooks/{webhookId}/test': {
      parameters: [{ name: 'webhookId', in: 'path', required: true, schema: uuid }],
      post: {
        tags: ['webhooks'],
        operationId: 'testWebhook',
        security: admin,
        summary: 'Send a `webhook.test` event now and answer what the receiver said',
        description: 'Sent at once, enabled or not, outside the queue and without retries, signed like any delivery; a receiver that fails it is an answer (`outcome: failed`), not an error. In the delivery log, and audited as `webhook.test` with the outcome.',
        responses: { 200: json(ref(webhookTestResultSchema), 'What the receiver said'), 404: problemResponse('No such webhook (`not-found`)'), ...signedIn, ...errors },
      },
    },
    '/api/v1/tls': {
      get: {
        tags: ['operations'],
        operationId: 'getTls',
        // Public: every TLS client is shown the certificate in the handshake anyway.
        security: anyone,
        summary: "The controller's HTTPS certificate: whether it serves HTTPS (http.tls), and the certificate's SHA-256 fingerprint (what agents pin in agent.yaml controller.fingerprint), subject, validity and source (configured, or generated at first start)",
        responses: { 200: json(ref(controllerTlsSchema), 'HTTPS and its certificate (null over plain HTTP)'), 500: errors[500] },
      },
    },
    '/api/v1/system': {
      get: {
        tags: ['operations'],
        operationId: 'getSystem',
        security: viewer,
        summary: 'Which controller answered, and which controller runs each singleton job (the stale-agent sweep, webhook delivery, generic events): the holder of its lease in the database, with its epoch and expiry',
        description: 'With several controllers on one PostgreSQL or SQL Server database each job runs on one of them at a time; when its holder dies another takes the lease over once it expires (`leases.ttlMs`, by the database\'s clock). On SQLite the one controller holds every lease. `/metrics` shows the same per controller as `twinrec_controller_lease_held{lease}`.',
        responses: { 200: json(ref(controllerSystemSchema), 'This controller and the leases'), ...signedIn, 503: errors[503], 500: errors[500] },
      },
    },
    '/api/v1/reports/failover-history': reportPath({
      operationId: 'getFailoverHistoryReport',
      security: viewer,
      summary: 'The failover history: every change of the Serving role, as JSON or CSV',
      what: 'Rows of the SQL view `v_failover_history`. Columns, in order: `id`, `time` (ISO 8601 UTC, the decision on the deciding agent), `cluster_id`, `cluster`, `from_node_id`, `from_node`, `to_node_id`, `to_node`, `reason` (peer-dead, peer-unhealthy, peer-stopped, peer-not-serving, local-health, failback, switch, swap), `trigger` (automatic or manual), `detection_ms` (from the peer\'s last heartbeat or the recorder\'s first trouble to the decision; null for failbacks and switches), `switch_ms` (from the decision to the new node\'s serving endpoint claimed; null until its agent reports it), `epoch`. Recorded when the agents\' events arrive, not inferred later.',
      schema: failoverHistoryReportSchema,
      byCluster: true,
    }),
    '/api/v1/reports/config-sync-history': reportPath({
      operationId: 'getConfigSyncHistoryReport',
      security: viewer,
      summary: 'The config sync history: every RecorderConfig.xml push, apply and refusal, as JSON or CSV',
      what: 'Rows of the SQL view `v_config_sync_history` (the `config-sync.*` events). Columns, in order: `id`, `time`, `cluster_id`, `cluster`, `node_id`, `node`, `kind`, `severity`, `message`, `data` (JSON text).',
      schema: configSyncHistoryReportSchema,
      byCluster: true,
    }),
    '/api/v1/reports/serving-time-daily': reportPath({
      operationId: 'getServingTimeDailyReport',
      security: viewer,
      summary: 'Serving time per node per UTC day (availability), as JSON or CSV',
      what: 'Rows of the SQL view `v_serving_time_daily`, one per node and UTC day, ordered by day, cluster and node; `from` and `to` select the days that overlap them. Columns, in order: `day` (YYYY-MM-DD, UTC), `cluster_id`, `cluster`, `node_id`, `node`, `serving_seconds`, `serving_percent` (of the whole day), `spans`, `first_start_at`, `last_end_at`. Recorded by the controller from the nodes\' reports as they arrive (table `serving_span`): a node counts as serving from its first report that says so to its last, never across a silence longer than `agents.staleAfterMs`.',
      schema: servingTimeDailyReportSchema,
      byCluster: true,
    }),
    '/api/v1/reports/camera-gaps': reportPath({
      operationId: 'getCameraGapsReport',
      security: viewer,
      summary: 'Gaps per camera and node, and whether backfill filled them, as JSON or CSV',
      what: 'Rows of the SQL view `v_camera_gaps`, selected and ordered by `start_at`. Columns, in order: `id`, `start_at`, `end_at`, `cluster_id`, `cluster`, `node_id`, `node`, `device_id`, `camera`, `gap_seconds`, `missing_seconds`, `filled_seconds`, `state` (open, filled, expired), `detected_at`, `resolved_at`. Recorded from each node\'s gap audits (what it lacks of what its peer holds, within its retention) as they arrive.',
      schema: cameraGapsReportSchema,
      byCluster: true,
    }),
    '/api/v1/reports/backfill-jobs': reportPath({
      operationId: 'getBackfillJobsReport',
      security: viewer,
      summary: 'Backfill jobs, as JSON or CSV',
      what: 'Rows of the SQL view `v_backfill_jobs`, selected and ordered by `started_at`. Columns, in order: `id`, `started_at`, `ended_at`, `cluster_id`, `cluster`, `node_id`, `node`, `state`, `reason`, `missing_seconds_at_start`, `missing_seconds`, `cameras_affected`, `bytes_done`, `bytes_total`, `updated_at`.',
      schema: backfillJobsReportSchema,
      byCluster: true,
    }),
    '/api/v1/reports/audit': reportPath({
      operationId: 'getAuditReport',
      security: admin,
      summary: 'The audit log, as JSON or CSV (admins)',
      what: 'Rows of the SQL view `v_audit_log`. Columns, in order: `id`, `time`, `actor`, `action`, `target`, `outcome`, `address`, `details` (JSON text). No secret is ever in an audit entry.',
      schema: auditReportSchema,
      byCluster: false,
    }),
    '/api/v1/support/snapshot': {
      get: {
        tags: ['operations'],
        operationId: 'getSupportSnapshot',
        security: admin,
        summary: 'Download a support snapshot: one zip to send to support (also `twinrec support snapshot --out F.zip`)',
        description:
          'The zip holds `manifest.json` (versions, host, its files, which agents answered and what could not be collected), `controller/config.json` (the effective configuration, secrets masked), `controller/clusters.json` (every cluster with its nodes\' live state and policy version), `controller/events.json` and `controller/audit.json` (the newest 1000 of each), `controller/logs/…` (the controller\'s log files when `log.file` is set, newest first, 32 MB at most) and `agents/<cluster>/<node>.json` (each agent\'s own snapshot through its API: version, agent.yaml with secrets masked, node status, cluster policy, the newest lines of its log file). No password, token or cluster secret is in it. Audited as `support.snapshot` before the first byte is sent; a snapshot that cannot be audited is not sent. Agents are asked 8 at a time, 10 s each.',
        responses: {
          200: { description: 'The zip (`Content-Disposition: attachment`; `X-Twinrec-Snapshot-Files`: how many files it holds)', content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } },
          ...signedIn,
          ...errors,
        },
      },
    },
    '/api/v1/tls/certificate': {
      get: {
        tags: ['operations'],
        operationId: 'downloadTlsCertificate',
        security: anyone,
        summary: "Download the controller's HTTPS certificate (PEM), e.g. as an agent's controller.caFile or for a browser's trust store. Compare its fingerprint with the one the controller printed at start: a download alone proves nothing",
        responses: {
          200: { description: 'The certificate, PEM (`Content-Disposition: attachment`)', content: { 'application/x-pem-file': { schema: { type: 'string' } } } },
          404: problemResponse('The controller serves plain HTTP: there is no certificate (`not-found`)'),
          500: errors[500],
        },
      },
    },
    '/api/v1/openapi.json': {
      get: { tags: ['operations'], operationId: 'getOpenApi', security: anyone, summary: 'This document', responses: { 200: json({ type: 'object' }, 'The OpenAPI 3.1 document') } },
    },
    '/healthz': {
      get: { tags: ['operations'], operationId: 'getHealth', security: anyone, summary: 'Liveness: answers while the process is up', responses: { 200: json(ref(healthSchema), 'Alive') } },
    },
    '/readyz': {
      get: {
        tags: ['operations'],
        operationId: 'getReadiness',
        security: anyone,
        summary: 'Readiness: the database is reachable and every migration is applied',
        responses: { 200: json(ref(readinessSchema), 'Ready'), 503: json(ref(readinessSchema), 'Not ready') },
      },
    },
    '/metrics': {
      get: {
        tags: ['operations'],
        operationId: 'getMetrics',
        security: anyone,
        summary: "Prometheus metrics: HTTP requests and latencies, database health, process, and per node (`cluster_id`, `node_id`, `node`) its backfill as last reported: `twinrec_backfill_missing_seconds`, `twinrec_backfill_bytes_copied`, `twinrec_backfill_queue_blocks`; generic events to XProtect: `twinrec_xprotect_generic_events_sent_total`, `twinrec_xprotect_generic_event_attempts_failed_total`, `twinrec_xprotect_generic_events_dropped_total`, `twinrec_xprotect_generic_events_queued`; webhooks: `twinrec_webhook_deliveries_total`, `twinrec_webhook_queue_depth`, `twinrec_webhook_delivery_seconds`; node status shared with other controllers: `twinrec_status_share_writes_total`, `twinrec_status_share_status_bytes_total`",
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
    schemas: componentSchemas,
  },
} as const;
