// A cluster: a cloned pair or a failover pool of recording servers, as configured, as the
// cluster list shows it, and its live state (who serves, what each node reported last).
import { z } from 'zod';
import { nodeStatusSchema, pingSchema } from '../../../contracts/controller-v1.js';
import { nodeStates } from '../../../contracts/peer-v1.js';
import { clusterPolicySettingsSchema } from '../../../contracts/cluster-policy-v1.js';
import { reportedPolicyVersion } from './cluster-policy.js';
import { component } from './components.js';
import { displayName, nullableTimestamp, nullableUuid, timestamp, uuid, version } from './fields.js';
import { nodeCreateSchema, nodeFields, nodeSchema, nodeSummarySchema } from './node.js';
import { addressPattern, clusterModes, failbackHoldDownSecondsDefault, failbackPolicies, haStatuses, reachableRule } from './vocabulary.js';

const sharedAddress = z.string().min(1).max(255).regex(new RegExp(addressPattern)).describe('Address clients use to reach the Serving node: `host` or `host:port`');
const failbackPolicy = z.enum(failbackPolicies);
const failbackHoldDownSeconds = clusterPolicySettingsSchema.shape.failback.shape.holdDownSeconds.describe('Seconds of healthy peer before automatic failback (the cluster policy\'s failback.holdDownSeconds)');
const description = z.string().max(1024);

/** A cluster as stored, without its nodes. */
const clusterFields = {
  id: uuid,
  name: displayName,
  mode: z.enum(clusterModes).describe('`cloning`: a 1:1 pair with one recorder identity; `pool`: N:M failover servers'),
  sharedAddress,
  preferredNodeId: nullableUuid.describe("Node that serves when both are healthy; null means the primary (the cluster policy's preferredNodeId: a change here is a change of the policy)"),
  failbackPolicy,
  failbackHoldDownSeconds,
  description,
  createdAt: timestamp,
  updatedAt: timestamp,
  version,
};

/** Whether the cluster has an agent secret; the secret itself is never returned (only once, when generated). */
const agentSecretSet = z
  .boolean()
  .describe('The cluster has an agent secret (`PUT …/agent-secret`): its agents can register and report. The secret itself is never returned, except once when the controller generates it');

export const clusterSchema = component('Cluster', z.strictObject({ ...clusterFields, agentSecretSet, nodes: z.array(nodeSchema) }));
export type Cluster = z.infer<typeof clusterSchema>;

// Defaults are annotations the controller applies itself: a request may leave them out.
export const clusterCreateSchema = component(
  'ClusterCreate',
  z.strictObject({
    name: displayName,
    mode: z.enum(clusterModes),
    sharedAddress,
    failbackPolicy: failbackPolicy.optional().meta({ default: 'automatic' }),
    failbackHoldDownSeconds: failbackHoldDownSeconds.optional().meta({ default: failbackHoldDownSecondsDefault }),
    description: description.optional(),
    nodes: z.array(nodeCreateSchema).max(128).optional(),
  }),
);
export type ClusterCreate = z.infer<typeof clusterCreateSchema>;

export const clusterUpdateSchema = component(
  'ClusterUpdate',
  z
    .strictObject({ name: displayName, sharedAddress, preferredNodeId: nullableUuid, failbackPolicy, failbackHoldDownSeconds, description })
    .partial()
    .meta({ minProperties: 1 }),
);
export type ClusterUpdate = z.infer<typeof clusterUpdateSchema>;

export const clusterSummarySchema = component(
  'ClusterSummary',
  z
    .strictObject({
      ...clusterFields,
      servingNodeId: nullableUuid.describe('The reachable node that reports it serves under the highest epoch; null if none'),
      dataMissing: z
        .boolean()
        .describe(
          `A node lacks recordings its peer holds. Measured where every node's agent audits its storage against its peer (its last report, fresh or not, carries a finished gap audit: \`GET …/backfill\`): true exactly when one of them lacks data within its own retention. Otherwise (an agent without a storage adapter or older than backfill, an audit not finished yet, a node that never reported) also true when recordings may exist on one node only, or on none: when a reachable node has an enabled camera that is not recording, or when, since the cluster was last seen whole, a node was seen down: not reachable (no longer ${reachableRule}), SafeKit state STOP or WAIT, or the Recording Server service stopped, starting or stopping. Whole: every node reports, none is down, each says it is healthy, and every enabled camera records; seeing the cluster whole clears it. A cluster none of whose agents has reported since the controller started is never flagged.`,
        ),
      agentSecretSet,
      dataMissingSeconds: z
        .number()
        .min(0)
        .nullable()
        .describe('Camera-seconds the nodes lack of what their peers hold, within their own retention, summed over the nodes whose last report carries a gap audit; null when none does'),
      nodes: z.array(nodeSummarySchema),
    })
    .describe('A cluster as the cluster list shows it: its configuration, who serves, whether data may be missing, and its nodes as last reported'),
);
export type ClusterSummary = z.infer<typeof clusterSummarySchema>;

/** Printable ASCII without spaces: what an `Authorization: Bearer` header carries. */
const agentSecretPattern = '^[\\x21-\\x7e]+$';
const replaceSecret = z
  .boolean()
  .optional()
  .meta({ default: false })
  .describe('Confirms replacing a secret the cluster already has: its agents are refused (401) until they present the new one');

/** What `PUT /api/v1/clusters/{clusterId}/agent-secret` takes: a secret of the admin's, or `generate`. */
export const agentSecretRequestSchema = component(
  'AgentSecretRequest',
  z
    .union([
      z.strictObject({
        secret: z.string().min(16).max(256).regex(new RegExp(agentSecretPattern)).describe('The secret, 16 to 256 printable ASCII characters without spaces; the agents read it from their `cluster.secretFile`'),
        replace: replaceSecret,
      }),
      z.strictObject({ generate: z.literal(true).describe('The controller generates a secret (32 random bytes, base64url) and returns it once'), replace: replaceSecret }),
    ])
    .describe('Sets the secret agents of the cluster present; give `secret` or `generate: true`'),
);
export type AgentSecretRequest = z.infer<typeof agentSecretRequestSchema>;

export const agentSecretSetSchema = component(
  'AgentSecretSet',
  z.strictObject({
    clusterId: uuid,
    agentSecretSet: z.literal(true),
    replaced: z.boolean().describe('The cluster had a secret before, now replaced'),
    secret: z.string().optional().describe('Only when generated: the secret, shown this once and never again. Put it in each agent\'s `cluster.secretFile` (mode 0600)'),
  }),
);
export type AgentSecretSet = z.infer<typeof agentSecretSetSchema>;

export const clusterPageSchema = component('ClusterPage', z.strictObject({ items: z.array(clusterSummarySchema), total: z.int().min(0), limit: z.int(), offset: z.int() }));
export type ClusterPage = z.infer<typeof clusterPageSchema>;

/** A node in a cluster's live state (components.schemas.NodeState; not the SafeKit NodeState). */
export const nodeLiveStateSchema = component(
  'NodeState',
  z.strictObject({
    nodeId: uuid,
    name: nodeFields.name,
    role: nodeFields.role,
    hostName: z.string(),
    agentUrl: z.string().nullable(),
    webServerUri: z.string().nullable().describe("The recorder's web server (ImageServer and SOAP), as its agent registered it"),
    reachable: z.boolean().describe(`True while ${reachableRule}`),
    lastReportAt: nullableTimestamp.describe("When the controller received the agent's last report"),
    state: z.enum(nodeStates).nullable().describe('SafeKit node state, last reported: PRIM and ALONE serve, SECOND is standby'),
    serving: z.boolean().describe('It is reachable, says it serves, and no reachable node claims a higher epoch: the Serving node (two at one epoch are a conflict)'),
    steppingDown: z.boolean().describe('It is reachable and says it serves, but another node serves under a higher epoch: epoch fencing makes it release the shared address; not Serving'),
    haStatus: z.enum(haStatuses).describe('`Serving` (serving), `Standby` (reachable, not serving, or stepping down) or `Unknown` (not reachable)'),
    epoch: z.int().min(0).nullable().describe('The epoch it serves under, else the highest it knows'),
    healthy: z.boolean().nullable().describe('Recorder up, storage fine and enough cameras recording'),
    ping: pingSchema.nullable().describe('Heartbeat round trip to its peer'),
    uptimeSeconds: z.number().min(0).nullable().describe("The agent's uptime"),
    service: nodeStatusSchema.shape.service.nullable().describe('The Recording Server service'),
    problem: z.string().nullable().describe('Why the recorder probe failed, when it did'),
    policyVersion: reportedPolicyVersion,
    policyCurrent: z.boolean().describe("It reported running the cluster's current policy version; false when it lags behind (or has not said): the console marks it"),
  }),
);
export type NodeLiveState = z.infer<typeof nodeLiveStateSchema>;

export const clusterStateSchema = component(
  'ClusterState',
  z.strictObject({
    clusterId: uuid,
    name: displayName,
    sharedAddress: z.string().describe('Address clients use to reach the Serving node'),
    servingNodeId: nullableUuid.describe('The reachable node that reports it serves under the highest epoch (epoch fencing makes a lower one step down); null if none'),
    conflict: z.boolean().describe('Two reachable nodes report that they serve under the same epoch: a real split, which fencing cannot settle'),
    maintenance: z.boolean().describe('Maintenance is on (automatic failover suspended), as the Serving node (else any reachable one) reports'),
    switchInProgress: z.boolean().describe('A switch was accepted less than 15 s ago and no other node serves yet'),
    policyVersion: z.int().min(1).describe("The cluster policy's current version (GET …/policy); each node says which one it runs"),
    nodes: z.array(nodeLiveStateSchema),
  }),
);
export type ClusterState = z.infer<typeof clusterStateSchema>;
