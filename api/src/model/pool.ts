// A failover pool (N:M, issue 17) as the REST API shows and takes it, in XProtect's nouns:
// protected recording servers (node role `primary`) with their failover settings and state,
// failover groups (ordered sequences of standbys), standbys (node role `failover`) with their
// camera capacity, hot-standby assignment and lease, and per-camera failover levels.
import { z } from 'zod';
import { poolCamerasMax, poolFailbackSyncStates, poolHotStates } from '../../../contracts/pool-v1.js';
import { component } from './components.js';
import { displayName, nodeRef, nullableTimestamp, nullableUuid, timestamp, uuid, version } from './fields.js';
import { problemSchema } from './problem.js';
import { failoverLevels, roleLimits } from './vocabulary.js';

/** Standbys in one failover group at most: every standby a pool may hold. */
export const failoverGroupStandbysMax = roleLimits.pool.failover ?? 64;
/** Failover groups in one pool at most. */
export const failoverGroupsMax = 64;

/** How a standby is chosen in a group (api/src/domain/pool-allocation.ts `standbySelections`). */
export const standbySelections = ['sequence', 'capacity-closest'] as const;

/** Why a protected server counts as failed (api/src/domain/pool-failures.ts `PoolTrigger`). */
export const poolTriggers = ['disconnected', 'service-down', 'storage'] as const;

/** A standby lease's states (api/src/domain/standby-leases.ts). */
export const leaseStates = ['free', 'taking-over', 'serving', 'syncing-back'] as const;

/**
 * A protected server's failover state, as the console shows it: `protected`; `failed-over` (a
 * standby took it over or is taking it over); `failback-sync` (recovered; the standby's
 * recordings go back to it before the standby is free); `waiting` (failed, no standby free);
 * `failover-needed` (failed, the pool's failover is manual: an operator starts it);
 * `recovered` (healthy for the hold-down while failed over; the pool's stop is manual).
 */
export const protectedServerStates = ['protected', 'failed-over', 'failback-sync', 'waiting', 'failover-needed', 'recovered'] as const;
export type ProtectedServerState = (typeof protectedServerStates)[number];

const standbySelection = z.enum(standbySelections).describe('`sequence`: the first free standby in the group\'s order; `capacity-closest`: the free standby whose camera capacity is the closest match to the server\'s camera count (seed 003)');
const confirm = z
  .boolean()
  .optional()
  .describe('Needed (`true`) while the server is failed over (a standby takes it over, serves it or syncs back to it): the change applies at its next failover, not to the running one');

export const failoverGroupSchema = component(
  'FailoverGroup',
  z.strictObject({
    id: uuid,
    clusterId: uuid,
    name: displayName.describe('Unique in the pool'),
    standbys: z.array(nodeRef).max(failoverGroupStandbysMax).describe('The sequence: the first free standby takes over'),
    createdAt: timestamp,
    updatedAt: timestamp,
    version,
  }),
);
export type FailoverGroup = z.infer<typeof failoverGroupSchema>;

export const failoverGroupCreateSchema = component('FailoverGroupCreate', z.strictObject({ name: failoverGroupSchema.shape.name }));
export type FailoverGroupCreate = z.infer<typeof failoverGroupCreateSchema>;

export const failoverGroupUpdateSchema = component(
  'FailoverGroupUpdate',
  z.strictObject({ name: failoverGroupSchema.shape.name, version: version.optional().describe('Refuses the change (409 `failover-group-version-conflict`) unless the group is still at this version') }),
);
export type FailoverGroupUpdate = z.infer<typeof failoverGroupUpdateSchema>;

export const failoverGroupStandbysSchema = component(
  'FailoverGroupStandbys',
  z.strictObject({
    standbyNodeIds: z
      .array(uuid)
      .max(failoverGroupStandbysMax)
      .describe('The whole sequence, first first: standbys (`failover` nodes) of this pool, each once, in no other group and hot standby of no server. Those left out leave the group'),
  }),
);
export type FailoverGroupStandbys = z.infer<typeof failoverGroupStandbysSchema>;

const failoverSettingsFields = {
  primaryGroupId: nullableUuid.describe('The failover group whose standbys take it over first; null: none'),
  secondaryGroupId: nullableUuid.describe('Used only when every standby of the primary group is busy; needs a primary group, and another one'),
  hotStandbyNodeId: nullableUuid.describe('A standby dedicated to this server, in no failover group: its recorder runs and it takes over first'),
  standbySelection,
};

export const protectedServerFailoverUpdateSchema = component('ProtectedServerFailoverUpdate', z.strictObject({ ...failoverSettingsFields, confirm }));
export type ProtectedServerFailoverUpdate = z.infer<typeof protectedServerFailoverUpdateSchema>;

export const protectedServerFailoverSettingsSchema = component(
  'ProtectedServerFailoverSettings',
  z.strictObject({
    ...failoverSettingsFields,
    sharedAddress: z.string().nullable().meta({ readOnly: true }).describe('`host:port` where its clients connect, as its agent registered it; a takeover claims it. Null until its agent registered one'),
  }),
);

export const protectedServerFailbackSyncSchema = component(
  'ProtectedServerFailbackSync',
  z.strictObject({
    state: z.enum(poolFailbackSyncStates).describe('`placing` (placeholders, the recorder still stopped); `running` (filling them from the standby); `waiting` (the standby\'s agent does not answer, or the storage is unavailable or full: retried); `done`; `failed` (`error`; the standby stays held until failback is finished)'),
    percent: z.int().min(0).max(100).describe('Bytes copied of the bytes planned, rounded down; 100 when done'),
    bytesDone: z.int().min(0),
    bytesTotal: z.int().min(0),
    blocksDone: z.int().min(0),
    blocksTotal: z.int().min(0),
    onlyOnStandbyFrom: nullableTimestamp.describe('The failover window still only on the standby (what it recorded of this server\'s cameras): its start; null once done'),
    onlyOnStandbyUntil: nullableTimestamp.describe('…and its end; null once done'),
    error: z.string().nullable().describe('Why it waits or failed; null otherwise'),
  }),
);
export type ProtectedServerFailbackSync = z.infer<typeof protectedServerFailbackSyncSchema>;

export const protectedServerFailoverStateSchema = component(
  'ProtectedServerFailoverState',
  z.strictObject({
    state: z.enum(protectedServerStates).describe('`protected`; `failed-over` (a standby takes or took it over); `failback-sync` (recovered: the standby\'s recordings go back before it is free); `waiting` (failed, no standby free); `failover-needed` (failed, the pool\'s failover is manual); `recovered` (healthy for the hold-down, the pool\'s stop is manual)'),
    trigger: z.enum(poolTriggers).nullable().describe('What made it fail (`disconnected`, `service-down`, `storage`); null when protected or not known'),
    since: nullableTimestamp.describe('When it counted as failed; for `failback-sync` when the sync began; null when protected'),
    standby: nodeRef.nullable().describe('The standby that serves it or syncs back to it (its lease); null otherwise'),
    sync: protectedServerFailbackSyncSchema.nullable().describe('`failback-sync`: the sync\'s progress as the protected server\'s agent last reported it; null in any other state, or before its agent reported the sync'),
  }),
);
export type ProtectedServerFailoverState = z.infer<typeof protectedServerFailoverStateSchema>;

export const protectedServerSchema = component(
  'ProtectedServer',
  z.strictObject({
    nodeId: uuid,
    name: z.string(),
    reachable: z.boolean().describe('Its agent reports (fresh)'),
    settings: protectedServerFailoverSettingsSchema,
    failover: protectedServerFailoverStateSchema,
    recorderConfig: z
      .strictObject({ sha256: z.string().describe('SHA-256 of the file, lower-case hex'), receivedAt: timestamp })
      .nullable()
      .describe('The RecorderConfig.xml its agent last pushed (what a takeover clones onto the standby); null: none on record, so no standby can take it over'),
  }),
);
export type ProtectedServer = z.infer<typeof protectedServerSchema>;

/** A hot standby's readiness: `cold` (it does not run its server's current RecorderConfig.xml: the controller orders it to) or its agent's hot state (contracts/pool-v1.ts). */
export const hotStandbyStates = ['cold', ...poolHotStates] as const;
export type HotStandbyState = (typeof hotStandbyStates)[number];

export const poolHotStandbySchema = component(
  'PoolHotStandby',
  z.strictObject({
    protectedServer: nodeRef.describe('The server it is the hot standby of (or, unassigned, still runs the identity of until it is cold again)'),
    state: z.enum(hotStandbyStates).describe('`cold`: it does not run that server\'s current RecorderConfig.xml yet (the controller orders it to); `preparing`: stopping, cloning, starting its recorder with the server\'s identity; `ready`: records the server\'s cameras, a takeover only claims the endpoint; `restoring`: back to its own configuration; `failed`: a step failed (`error`), the controller orders it again after a backoff'),
    configSha256: z.string().nullable().describe('SHA-256 of the RecorderConfig.xml it runs or prepares, as its agent last reported; null: none'),
    error: z.strictObject({ step: z.string(), reason: z.string() }).nullable().describe('`failed`: the step and why; null otherwise'),
  }),
);
export type PoolHotStandby = z.infer<typeof poolHotStandbySchema>;

export const poolStandbySchema = component(
  'PoolStandby',
  z.strictObject({
    nodeId: uuid,
    name: z.string(),
    reachable: z.boolean().describe('Its agent reports (fresh)'),
    cameraCapacity: z.int().min(0).max(poolCamerasMax).nullable().describe('Cameras it records at once; null: not set yet (by its agent\'s registration or `PUT …/standby`)'),
    failoverGroupId: nullableUuid.describe('The failover group it is in; null: none'),
    hotStandbyFor: nodeRef.nullable().describe('The protected server it is the hot standby of; null: none'),
    hot: poolHotStandbySchema.nullable().describe('Its readiness as a hot standby, from its agent\'s last report; null: not a hot standby and running no server\'s identity'),
    lease: z
      .strictObject({ state: z.enum(leaseStates), epoch: z.int().min(0).describe('The fencing epoch of its last takeover; 0 before any') })
      .describe('Its lease in the controller\'s database: who it serves is assigned only by compare-and-set on it'),
    serving: nodeRef.nullable().describe('The protected server it takes over, serves or syncs back to; null while free'),
  }),
);
export type PoolStandby = z.infer<typeof poolStandbySchema>;

export const poolSchema = component(
  'Pool',
  z.strictObject({
    clusterId: uuid,
    protectedServers: z.array(protectedServerSchema).describe('The protected recording servers (node role `primary`), by name'),
    failoverGroups: z.array(failoverGroupSchema).max(failoverGroupsMax).describe('By name'),
    standbys: z.array(poolStandbySchema).describe('The standby recording servers (node role `failover`), by name'),
  }),
);
export type Pool = z.infer<typeof poolSchema>;

export const poolStandbyUpdateSchema = component(
  'PoolStandbyUpdate',
  z.strictObject({ cameraCapacity: z.int().min(0).max(poolCamerasMax).describe('Cameras it records at once: a takeover leaves the cameras beyond it out (with an event), and `capacity-closest` chooses by it') }),
);
export type PoolStandbyUpdate = z.infer<typeof poolStandbyUpdateSchema>;

const failoverLevel = z.enum(failoverLevels).describe('`full`: recorded and live on the standby; `live-only`: viewable, not recorded (Synology\'s "Full (except recording)"); `none`: not taken over');

/** A camera's device id as agents report it and a takeover sends it: a lower-case GUID. */
const deviceId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/).describe('The camera\'s device id, a lower-case GUID');

export const cameraFailoverLevelsUpdateSchema = component(
  'CameraFailoverLevelsUpdate',
  z.strictObject({
    cameras: z
      .array(z.strictObject({ deviceId, level: failoverLevel }))
      .min(1)
      .max(poolCamerasMax)
      .describe('The cameras whose level changes, each once; the others keep theirs. `full` is the default: it removes a stored level'),
    confirm,
  }),
);
export type CameraFailoverLevelsUpdate = z.infer<typeof cameraFailoverLevelsUpdateSchema>;

export const cameraFailoverLevelsSchema = component(
  'CameraFailoverLevels',
  z.strictObject({
    nodeId: uuid,
    reportedAt: nullableTimestamp.describe('When the controller received the agent\'s last report, whose cameras are listed; null: none yet'),
    cameras: z
      .array(
        z.strictObject({
          deviceId: z.string(),
          name: z.string().nullable().describe('As its agent reports it; null when it does not know it, or the camera is not reported any more'),
          level: failoverLevel,
          reported: z.boolean().describe('In the agent\'s last report; false: a level stored for a camera no longer reported'),
        }),
      )
      .describe('Reported cameras by name, then stored levels of cameras no longer reported'),
  }),
);
export type CameraFailoverLevels = z.infer<typeof cameraFailoverLevelsSchema>;

export const poolFailedOverConfirmSchema = component(
  'PoolFailedOverConfirm',
  problemSchema.extend({ standby: nodeRef.optional().describe('`pool-failed-over-confirm`, `pool-node-in-failover`: the standby that holds the protected server now'), leaseState: z.enum(leaseStates).optional().describe('`pool-failed-over-confirm`, `pool-node-in-failover`: what that standby does: `taking-over`, `serving` or `syncing-back`') }).describe('RFC 9457 problem details'),
);
