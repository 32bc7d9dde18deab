// Version 1 of the failover pool link, controller → standby agent (issue 17). The controller
// allocates a standby with a lease in SQL (api/src/domain/standby-leases.ts) and tells the
// standby's agent to take the failed protected recording server over under the lease's epoch;
// the agent fences with that epoch (above every epoch it persisted) as a pair does. Every
// request carries the pool's cluster secret as a Bearer token, compared in constant time.
//
//   POST /api/v1/pool/takeover   PoolTakeoverRequest → 202 PoolStandbyStatus, or 409 problem
//   POST /api/v1/pool/release    PoolReleaseRequest  → 202 PoolStandbyStatus, or 409 problem
//   POST /api/v1/pool/hot-standby PoolHotStandbyRequest → 202 PoolStandbyStatus, or 409 problem
//   POST /api/v1/pool/become-protected PoolBecomeProtectedRequest → 202 PoolStandbyStatus, or 400/409 problem
//   GET  /api/v1/pool            PoolStandbyStatus
//
// Replacement (seed 003 "Replace protected server"): a protected server that cannot be repaired
// is replaced for good by a standby, which then becomes that pool's protected server with the
// replaced server's identity. The controller orders the standby's agent to switch its role
// (become-protected, retried until the agent reports `poolProtected`): a free standby (another
// server than the one serving it) stops its recorder, applies the replaced server's
// RecorderConfig.xml cloned against its own (as a takeover's apply-config does), persists the
// switch and restarts in-process as a protected server's agent, FENCED below the epoch of the
// standby serving the identity meanwhile; the pool's failback (hold-down, stop of failover,
// resume with the failback sync) then brings the failover window's recordings to it and makes it
// serve. The standby serving the replaced server switches SERVING at its takeover's epoch (it runs
// the identity and holds the endpoint already). The switch is durable (`<stateDir>/pool-role.json`):
// the agent starts as a protected server from then on, whatever agent.yaml says.
//
// A hot standby (seed 001) is dedicated to one protected server. The controller tells it which
// (hot-standby, no epoch: it claims nothing) and sends the server's RecorderConfig.xml again
// whenever it changes. While free, its recorder runs the server's cloned identity and records
// the server's cameras all along, without the endpoint; a takeover of that server with that
// configuration then only fences and claims the endpoint (no stop, clone or start), and a
// release only gives the endpoint back. twinrec's hot standby records while it waits, where
// Milestone's does not: the takeover needs no camera connection, and the frames of the seconds
// before detection are kept too.
//
// A protected recording server's agent (no twin) holds its own serving endpoint under the
// pool's epochs. When a standby claims the endpoint above it, it stops its recorder and stays
// stopped (a server the controller failed over does not run beside the standby that took its
// identity over; a hot standby records beside a server that serves, never the other way); it serves again only
// when the controller, once the standby released the endpoint, orders it to resume:
//
//   POST /api/v1/pool/resume     PoolResumeRequest → 202 PoolProtectedStatus, or 409 problem
//   GET  /api/v1/pool            PoolProtectedStatus (on a protected server's agent)
//
// A resume may carry the failback sync: the protected server's agent, before its recorder
// starts, places placeholders for what the standby recorded in the failover window, then fills
// them from the standby's agent over the backfill source routes (contracts/backfill-v1.ts, which
// a pool standby with a `storage` section serves) and reports the progress in its status.
//
// The protected server's agent pushes its RecorderConfig.xml to the controller (what a takeover
// clones), whenever it changes and at registration:
//
//   POST /api/v1/agent/recorder-config (on the controller)   RecorderConfigPush → 204
//
// Epochs: a protected server that never resumed claims its endpoint at epoch 1; the pool's
// counter starts at 1, so every takeover's epoch is 2 or more, and every resume's above it.
import { z } from 'zod';
import { cameraIdSchema, frameTimeMsMax } from './backfill-v1.js';
import { backfillSettingsSchema } from './cluster-policy-v1.js';

/** A standby takes at most this many cameras in one takeover (the agent's status bound too). */
export const poolCamerasMax = 4096;

/** Bound on RecorderConfig.xml as base64 (the config sync push's bound: 8 MiB of text). */
export const poolRecorderConfigBase64Max = 8 * 1024 * 1024;

/** The protected server's node id, as the controller stores nodes. */
const nodeId = z.string().uuid();
const epoch = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** `host:port` (IPv6 in brackets), the protected server's serving endpoint where clients connect. */
export const sharedAddressSchema = z
  .string()
  .min(3)
  .max(261)
  .regex(/^(\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9.-]{1,253}):([1-9][0-9]{0,4})$/, 'host:port')
  .refine((value) => Number(value.slice(value.lastIndexOf(':') + 1)) <= 65535, 'port 1…65535');

/** Per-camera failover level (seed 001): `full` records on the standby, `live-only` is viewable and not recorded. `none` cameras are not sent. */
export const poolCameraLevels = ['full', 'live-only'] as const;
export type PoolCameraLevel = (typeof poolCameraLevels)[number];

export const poolCameraSchema = z
  .object({
    /** The camera's device id at the Management Server (a GUID, lower case). */
    deviceId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a lower-case GUID'),
    level: z.enum(poolCameraLevels),
  })
  .strict();
export type PoolCamera = z.infer<typeof poolCameraSchema>;

export const poolTakeoverRequestSchema = z
  .object({
    protectedNodeId: nodeId,
    /** The protected recording server's name, for events and logs. */
    protectedName: z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._ -]*$/),
    /** The lease's epoch: the standby fences with it (above every epoch it persisted). */
    epoch,
    sharedAddress: sharedAddressSchema,
    /** The protected server's RecorderConfig.xml: base64 of the exact bytes, and their SHA-256. */
    recorderConfig: z
      .object({
        xml: z.string().min(1).max(poolRecorderConfigBase64Max),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
      })
      .strict(),
    /** The cameras taken over, with their level; unique device ids. */
    cameras: z
      .array(poolCameraSchema)
      .max(poolCamerasMax)
      .refine((cameras) => new Set(cameras.map((c) => c.deviceId)).size === cameras.length, 'camera device ids must be unique'),
  })
  .strict();
export type PoolTakeoverRequest = z.infer<typeof poolTakeoverRequestSchema>;

/** A takeover order without the epoch: what a hot standby keeps ready for its protected server. */
export const poolHotAssignmentSchema = poolTakeoverRequestSchema.omit({ epoch: true });
export type PoolHotAssignment = z.infer<typeof poolHotAssignmentSchema>;

/**
 * Makes the standby the hot standby of `assignment`'s server, or (null) a cold standby again that
 * runs its own configuration. Idempotent: the same server and configuration SHA-256 again
 * changes nothing. Refused (`busy`) unless the standby is free.
 */
export const poolHotStandbyRequestSchema = z.object({ assignment: poolHotAssignmentSchema.nullable() }).strict();
export type PoolHotStandbyRequest = z.infer<typeof poolHotStandbyRequestSchema>;

/** preparing: stopping, cloning, starting its recorder with the server's identity; ready: records the server's cameras; restoring: back to its own configuration; failed: a step failed (`error`), the next hot-standby order retries. */
export const poolHotStates = ['preparing', 'ready', 'restoring', 'failed'] as const;
export type PoolHotState = (typeof poolHotStates)[number];

export const poolHotStatusSchema = z
  .object({
    protectedNodeId: nodeId,
    /** SHA-256 of the server's RecorderConfig.xml the standby runs (or prepares). */
    configSha256: z.string().regex(/^[0-9a-f]{64}$/),
    state: z.enum(poolHotStates),
    error: z.object({ step: z.string().min(1).max(64), reason: z.string().min(1).max(1024) }).strict().nullable(),
  })
  .strict();
export type PoolHotStatus = z.infer<typeof poolHotStatusSchema>;

/**
 * Replacement: the standby becomes the pool's protected server with the replaced server's
 * identity, for good. Taken by a free, idle, cold standby (it then starts fenced below `epoch`),
 * or by the standby serving `replacedNodeId` under `epoch` (it then serves on at `epoch`);
 * refused `busy` otherwise, `not-assigned` when it serves that server under another epoch. The
 * same order again is a repeat (a failed switch runs again).
 */
export const poolBecomeProtectedRequestSchema = z
  .object({
    /** The protected server replaced (its node is gone from the controller): the identity this standby takes. */
    replacedNodeId: nodeId,
    replacedName: poolTakeoverRequestSchema.shape.protectedName,
    /** The replaced server's shared address, from now on this agent's own (its serving endpoint: one of agent.yaml's pool.endpoints). */
    sharedAddress: sharedAddressSchema,
    /** The replaced server's RecorderConfig.xml, as a takeover carries it. */
    recorderConfig: poolTakeoverRequestSchema.shape.recorderConfig,
    /** The epoch of the lease serving the identity now: a free standby starts fenced by it, the serving standby serves on under it. */
    epoch,
  })
  .strict();
export type PoolBecomeProtectedRequest = z.infer<typeof poolBecomeProtectedRequestSchema>;

/** How a pool's agent registers (contracts/controller-v1.ts `pool`). */
export const poolRegistrationSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('standby'), /** Cameras it can record at once. */ cameraCapacity: z.number().int().min(0).max(poolCamerasMax) }).strict(),
  z.object({ role: z.literal('protected'), sharedAddress: sharedAddressSchema }).strict(),
]);
export type PoolRegistration = z.infer<typeof poolRegistrationSchema>;

/** A protected server's RecorderConfig.xml, pushed to the controller by its agent. */
export const recorderConfigPushSchema = z
  .object({
    clusterId: z.string().uuid(),
    nodeId,
    recorderConfig: z.object({ xml: z.string().min(1).max(poolRecorderConfigBase64Max), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
  })
  .strict();
export type RecorderConfigPush = z.infer<typeof recorderConfigPushSchema>;

const frameTimeMs = z.number().int().min(0).max(frameTimeMsMax);

/**
 * The failback sync a resume carries (the policy's `failbackRecordings: sync`, or the stop
 * command's `recordings`): what the standby recorded of this server's cameras during the
 * failover window, pulled from the standby's agent over the backfill transfer
 * (contracts/backfill-v1.ts, the cluster secret as Bearer token) once the recorder runs again.
 */
export const poolFailbackSyncSchema = z
  .object({
    /** The standby that served the server (names it in events and the status). */
    standbyNodeId: nodeId,
    /** Its agent's local API, as it registered: https, or http on loopback (or where the protected agent accepts plain http). */
    agentUrl: z.string().url().max(2048).regex(/^https?:\/\//, 'http or https'),
    /** Its API certificate's SHA-256 fingerprint as the controller pins it (required for https). */
    certificateFingerprint: z.string().regex(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/, 'a SHA-256 fingerprint, AB:CD:… (upper case)').nullable(),
    /** The cameras the standby recorded (level `full`); unique. */
    cameraIds: z
      .array(cameraIdSchema)
      .max(poolCamerasMax)
      .refine((ids) => new Set(ids).size === ids.length, 'camera ids must be unique'),
    /** The failover window, ms since the Unix epoch: from the takeover's start to the standby's release. */
    fromMs: frameTimeMs,
    toMs: frameTimeMs,
    /** The policy's backfill bandwidth budget and blocks in flight (a pool agent takes no policy of its own). */
    bandwidthMbps: backfillSettingsSchema.shape.bandwidthMbps,
    transfersMax: backfillSettingsSchema.shape.transfersMax,
    /**
     * The standby records these cameras on after its release (it is the server's hot standby):
     * placeholders then reach to this server's first frame, as a pair's do, since the standby
     * holds the seconds its recorder takes to start. Absent or false: it stopped at its release.
     */
    standbyRecordsOn: z.boolean().optional(),
  })
  .strict()
  .refine((s) => s.fromMs <= s.toMs, { message: 'fromMs is after toMs', path: ['toMs'] });
export type PoolFailbackSync = z.infer<typeof poolFailbackSyncSchema>;

/** The controller orders a fenced protected server to serve again, under an epoch above the standby's. */
export const poolResumeRequestSchema = z.object({ epoch, failbackSync: poolFailbackSyncSchema.optional() }).strict();
export type PoolResumeRequest = z.infer<typeof poolResumeRequestSchema>;

/**
 * placing: placeholders for the window are being made (the recorder is stopped); running:
 * filling them from the standby; waiting: the standby's agent does not answer (retried); done:
 * every block the standby holds of the window is here; failed: the sync cannot go on (`error`).
 */
export const poolFailbackSyncStates = ['placing', 'running', 'waiting', 'done', 'failed'] as const;
export type PoolFailbackSyncState = (typeof poolFailbackSyncStates)[number];

/** The failback sync's progress, as the protected server's agent reports it. */
export const poolFailbackSyncStatusSchema = z
  .object({
    standbyNodeId: nodeId,
    state: z.enum(poolFailbackSyncStates),
    bytesDone: z.number().int().min(0),
    bytesTotal: z.number().int().min(0),
    blocksDone: z.number().int().min(0),
    blocksTotal: z.number().int().min(0),
    fromMs: frameTimeMs,
    toMs: frameTimeMs,
    /** ISO 8601: when the sync was ordered, and when it finished (null until done). */
    startedAt: z.string().datetime(),
    finishedAt: z.string().datetime().nullable(),
    error: z.string().min(1).max(1024).nullable(),
  })
  .strict();
export type PoolFailbackSyncStatus = z.infer<typeof poolFailbackSyncStatusSchema>;

/**
 * serving: holds its endpoint under `epoch`, its recorder runs; fenced: a standby holds the
 * endpoint above it, its recorder is stopped and stays so; resuming: claiming under a resume's
 * epoch and starting its recorder; failed: a resume step failed (`error`), a resume again retries.
 */
export const poolProtectedStates = ['serving', 'fenced', 'resuming', 'failed'] as const;
export type PoolProtectedState = (typeof poolProtectedStates)[number];

export const poolProtectedStatusSchema = z
  .object({
    state: z.enum(poolProtectedStates),
    /** The epoch it holds (or held) its endpoint under; 1 before any resume. */
    epoch: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    /** The epoch above it that fenced it; null unless fenced. */
    fencedByEpoch: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).nullable(),
    since: z.string().datetime(),
    error: z.object({ step: z.string().min(1).max(64), reason: z.string().min(1).max(1024) }).strict().nullable(),
    /** The last failback sync ordered with a resume (kept once done, until the next); absent or null: none. */
    failbackSync: poolFailbackSyncStatusSchema.nullable().optional(),
  })
  .strict();
export type PoolProtectedStatus = z.infer<typeof poolProtectedStatusSchema>;

export const poolReleaseRequestSchema = z.object({ protectedNodeId: nodeId, epoch }).strict();
export type PoolReleaseRequest = z.infer<typeof poolReleaseRequestSchema>;

/**
 * free: serves nobody, runs its own configuration; taking-over: stopping, cloning, starting,
 * claiming; serving: runs the protected server's identity and holds its endpoint; releasing:
 * giving it back; becoming-protected: a free standby replacing a protected server (stopping its
 * recorder, taking the identity, switching its role); failed: a step failed (`error` says which
 * and why), a release brings it back (a failed become-protected: the same order again).
 */
export const poolStandbyStates = ['free', 'taking-over', 'serving', 'releasing', 'becoming-protected', 'failed'] as const;
export type PoolStandbyState = (typeof poolStandbyStates)[number];

export const poolStandbyStatusSchema = z
  .object({
    state: z.enum(poolStandbyStates),
    /** The protected server taken over (or being taken over, released, or failed; or whose identity it takes on becoming protected); null when free. */
    protectedNodeId: nodeId.nullable(),
    /** The epoch of that takeover; when free, the highest epoch this standby persisted (0: none yet). */
    epoch: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    /** ISO 8601: when the state was entered. */
    since: z.string().datetime(),
    /** Why the standby failed: the step (`stop-recorder`, `apply-config`, …) and the reason; null otherwise. */
    error: z.object({ step: z.string().min(1).max(64), reason: z.string().min(1).max(1024) }).strict().nullable(),
    /** The hot standby assignment (null or absent: a cold standby). */
    hot: poolHotStatusSchema.nullable().optional(),
  })
  .strict();
export type PoolStandbyStatus = z.infer<typeof poolStandbyStatusSchema>;

/** Why a takeover or release is refused (409). */
export const poolRefusalReasons = ['epoch-fenced', 'busy', 'not-assigned'] as const;
export type PoolRefusalReason = (typeof poolRefusalReasons)[number];

/**
 * The problem types (`urn:twinrec:problem:<slug>`) of the pool routes besides
 * `validation-failed` and `unauthorized`: one per refusal (409, with the status as `standby`),
 * `pool-config-invalid` (400) for a configuration that is not canonical base64, does not match
 * its SHA-256 or is not a RecorderConfig.xml, and `pool-endpoint-unknown` (400).
 */
export const poolProblemSlugs = {
  'epoch-fenced': 'pool-epoch-fenced',
  busy: 'pool-busy',
  'not-assigned': 'pool-not-assigned',
  configInvalid: 'pool-config-invalid',
  /** 400: become-protected names a shared address that agent.yaml's pool.endpoints does not list. */
  endpointUnknown: 'pool-endpoint-unknown',
} as const;
