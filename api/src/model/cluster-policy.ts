// The cluster policy as the REST API shows and takes it: the settings of
// contracts/cluster-policy-v1.ts (their bounds are the contract's, not written again here),
// with the preferred node by id (`preferredNodeId`) where agents know it by name
// (`preferredNode`), plus what the controller adds: the version, what null overrides resolve
// to, and which version each node runs.
import { z } from 'zod';
import { clusterPolicySettingsSchema, policyLimits, profileTimings, type ClusterPolicySettings as WirePolicySettings } from '../../../contracts/cluster-policy-v1.js';
import { component } from './components.js';
import { displayName, nullableUuid, timestamp, uuid } from './fields.js';

const wire = clusterPolicySettingsSchema.shape;
const failback = wire.failback.shape;
const failover = wire.failover.shape;
const triggers = wire.triggers.shape;
const { conservative, fast } = profileTimings;

const graceMs = (what: string) => triggers.serviceDown.shape.graceMs.describe(`How long ${what} must last before the Serving node hands over, in ms; null: the profile's (${conservative.unhealthyGraceMs} ms conservative, ${fast.unhealthyGraceMs} ms fast)`);

const failbackSchema = component(
  'ClusterPolicyFailback',
  wire.failback
    .extend({
      policy: failback.policy.describe('`automatic`: back to the preferred node after the hold-down; `manual`: only by a switch'),
      holdDownSeconds: failback.holdDownSeconds.describe('Seconds of a healthy peer before an automatic failback'),
    })
    .describe('Failback to the preferred node'),
);

const failoverSchema = component(
  'ClusterPolicyFailover',
  wire.failover
    .extend({
      profile: failover.profile.describe(
        `Timing of the failure detection: \`conservative\` (heartbeat every ${conservative.heartbeatIntervalMs} ms, peer dead after ${conservative.peerTimeoutMs} ms) or \`fast\` (${fast.heartbeatIntervalMs} ms, ${fast.peerTimeoutMs} ms; for a quiet LAN)`,
      ),
      heartbeatIntervalMs: failover.heartbeatIntervalMs.describe("Overrides the profile's heartbeat interval; null keeps the profile's"),
      peerTimeoutMs: failover.peerTimeoutMs.describe(`Overrides the profile's peer timeout; null keeps the profile's. Must cover at least ${policyLimits.heartbeatsPerPeerTimeoutMin} heartbeats`),
      capCount: failover.capCount.describe('At most this many automatic failovers per capWindowMinutes; then automatic failover is suspended'),
      capWindowMinutes: failover.capWindowMinutes.describe('The window of the failover cap, in minutes'),
    })
    .describe('How a failed peer is detected, and how often the Serving role may move by itself'),
);

const recordingShareSchema = triggers.recordingShare.extend({
  minPercent: triggers.recordingShare.shape.minPercent.describe('Hand over when fewer than this share of the enabled cameras record'),
  graceMs: graceMs('a low recording share'),
});
const storageUnavailableSchema = triggers.storageUnavailable.extend({ graceMs: graceMs('an unavailable storage') });
const serviceDownSchema = triggers.serviceDown.extend({ graceMs: graceMs('a stopped service') });

const backfill = wire.backfill.unwrap();
const backfillFields = backfill.shape;

const backfillSchema = component(
  'ClusterPolicyBackfill',
  backfill
    .extend({
      mode: backfillFields.mode.describe('`enabled`: a returning node gets placeholders for what it lacks, then they are filled from its peer, automatically; `placeholders`: placeholders only, filled on `…/backfill/start`; `disabled`: neither'),
      bandwidthMbps: backfillFields.bandwidthMbps.describe('Bandwidth budget of the block transfers into a node, in megabits per second'),
      transfersMax: backfillFields.transfersMax.describe('Blocks in flight at once per node'),
      window: backfillFields.window.describe(
        "When filling may run, daily, in minutes after midnight of each agent host's local time (`startMinute` inclusive, `endMinute` exclusive; an end before the start spans midnight; the two must differ); null: always. Placeholders are made whenever a node returns",
      ),
    })
    .describe('Backfill: how a returning node gets what its peer recorded meanwhile'),
);

const pool = wire.pool.unwrap();
const poolFields = pool.shape;
const failbackStallWords = 'Minutes a failback sync may make no progress before the controller says so (`pool.failback-sync-stalled`, once per stall, naming the period still only on the standby; finish failback frees the standby and discards it). Absent from a PUT: 30';

const poolSchema = component(
  'ClusterPolicyPool',
  pool
    .extend({
      triggers: poolFields.triggers.describe('When a protected recording server counts as failed: each trigger on or off, with how long it must last'),
      failover: poolFields.failover.describe('`automatic`: a failed protected server takes a standby at once; `manual`: an operator starts the failover'),
      stopFailover: poolFields.stopFailover.describe('`automatic`: failover stops once the protected server was healthy for holdDownSeconds; `manual`: by command only'),
      holdDownSeconds: poolFields.holdDownSeconds.describe('Seconds a recovered protected server must stay healthy before failover stops by itself'),
      failbackRecordings: poolFields.failbackRecordings.describe('At failback, what the standby recorded meanwhile: `sync`ed back to the protected server, or `discard`ed'),
      failbackStallMinutes: poolFields.failbackStallMinutes.describe(failbackStallWords),
    })
    .describe('Failover pool (mode `pool`) only: when a protected server fails over to a standby, and when it fails back'),
);

const triggersSchema = component(
  'ClusterPolicyTriggers',
  z
    .strictObject({
      recordingShare: recordingShareSchema.describe('Too few of the enabled cameras recording'),
      storageUnavailable: storageUnavailableSchema.describe('A recording storage offline or failed (or none reported)'),
      serviceDown: serviceDownSchema.describe('The Recording Server service not running or not answering'),
    })
    .describe('What makes the Serving node hand over: each trigger on or off, with how long it must last'),
);

/** Every setting of the policy, as the REST API names them. */
const settingsShape = {
  preferredNodeId: nullableUuid.describe('A node of the cluster that serves when both are healthy, and the failback target; null: the primary (rank 0) wins ties and there is no failback'),
  failback: failbackSchema,
  failover: failoverSchema,
  triggers: triggersSchema,
  boot: wire.boot.describe('At agent start: `keep` the recorder as it was, `start` it, or leave it `stop`ped'),
  maintenance: wire.maintenance.describe('Automatic failover suspended cluster-wide'),
  backfill: backfillSchema,
  pool: poolSchema,
};

export const clusterPolicyUpdateSchema = component(
  'ClusterPolicyUpdate',
  z
    .strictObject(settingsShape)
    .describe(`Every setting of a cluster policy. The whole is checked: the peer timeout must cover at least ${policyLimits.heartbeatsPerPeerTimeoutMin} heartbeats, with the profile's values where an override is null`),
);
/** The policy's settings as the REST API names them. */
export type PolicySettings = z.infer<typeof clusterPolicyUpdateSchema>;

export const clusterPolicyPatchSchema = component(
  'ClusterPolicyPatch',
  z
    .strictObject({
      preferredNodeId: settingsShape.preferredNodeId.optional(),
      failback: failbackSchema.partial().optional(),
      failover: failoverSchema.partial().optional(),
      triggers: z
        .strictObject({ recordingShare: recordingShareSchema.partial().optional(), storageUnavailable: storageUnavailableSchema.partial().optional(), serviceDown: serviceDownSchema.partial().optional() })
        .optional(),
      boot: settingsShape.boot.optional(),
      maintenance: settingsShape.maintenance.optional(),
      backfill: backfillSchema.partial().optional(),
      // Without its default: a PATCH that leaves it out keeps the current value.
      pool: poolSchema.partial().extend({ failbackStallMinutes: poolFields.failbackStallMinutes.unwrap().describe(failbackStallWords).optional() }).optional(),
    })
    .meta({ minProperties: 1 })
    .describe('Some settings of a cluster policy: merged into the current ones, field by field, and the result checked as a whole'),
);
export type PolicySettingsPatch = z.infer<typeof clusterPolicyPatchSchema>;

/** What the cluster row keeps as JSON: the settings that have no column of their own. */
export type StoredPolicySettings = Pick<WirePolicySettings, 'failover' | 'triggers' | 'boot' | 'maintenance'> & {
  /** Absent from rows stored before backfill settings existed: they read as the defaults. */
  readonly backfill?: WirePolicySettings['backfill'];
  /** Absent from rows stored before pool settings existed: they read as the defaults. */
  readonly pool?: WirePolicySettings['pool'];
  /**
   * The preferred node's name, from the policy the first agent proposed, while that node has not
   * registered yet (it may be the peer): agents get this name, and the node's id replaces it
   * when it registers. Any policy change through the API clears it.
   */
  readonly pendingPreferredNode?: string;
};

const ms = z.int().min(0);

/** The version a node says it runs, as the state and the policy show it. */
export const reportedPolicyVersion = z
  .int()
  .min(0)
  .nullable()
  .describe("The cluster policy version its agent last reported running (0: its agent.yaml's bootstrap default until a policy arrives); null: no report that says");

export const clusterPolicySchema = component(
  'ClusterPolicy',
  z
    .strictObject({
      clusterId: uuid,
      version: z.int().min(1).describe('1 at first, one more with every change of a setting; agents apply a higher version only. The ETag is `"p<version>"`'),
      ...settingsShape,
      effective: z
        .strictObject({
          heartbeatIntervalMs: ms.describe('The heartbeat interval the nodes use: the override, else the profile\'s'),
          peerTimeoutMs: ms.describe('The peer timeout the nodes use: the override, else the profile\'s'),
          graceMs: z
            .strictObject({ recordingShare: ms, storageUnavailable: ms, serviceDown: ms })
            .describe("Each trigger's grace: its own, else the profile's"),
        })
        .describe('What the null overrides resolve to'),
      updatedAt: timestamp.describe('When a setting last changed; the cluster\'s creation time if none has'),
      nodes: z
        .array(
          z.strictObject({
            nodeId: uuid,
            name: displayName,
            policyVersion: reportedPolicyVersion,
            current: z.boolean().describe("It reported running the controller's version; false for a node that lags behind or has not said"),
          }),
        )
        .describe('Which version each node of the cluster runs, by name'),
    })
    .describe('A cluster policy: everything both nodes of a cluster must agree on, owned by the controller and sent to the agents with every register and report answer'),
);
export type ClusterPolicyView = z.infer<typeof clusterPolicySchema>;
