// Version 1 of the agent-to-controller link. Agents start every exchange (register, report),
// so the controller needs no route to the agents for monitoring; it calls the agent's local
// API (agent-api-v1.ts) only to relay operator commands. Every request carries the cluster
// secret as a Bearer token. The report's answer doubles as the witness: the controller says
// whether it still hears the peer.
import { z } from 'zod';
import { backfillModes, clusterPolicySchema, clusterPolicySettingsSchema } from './cluster-policy-v1.js';
import { nodeStates } from './peer-v1.js';
import { poolProtectedStatusSchema, poolRegistrationSchema, poolStandbyStatusSchema } from './pool-v1.js';

const name = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
const url = z.string().url().max(2048).regex(/^https?:\/\//);

export const registerRequestSchema = z
  .object({
    cluster: z.object({ name, sharedAddress: z.string().min(1).max(255) }).strict(),
    node: z
      .object({
        /** The agent's node id (as in agent.json), unique in the cluster. */
        name,
        peerName: name,
        rank: z.union([z.literal(0), z.literal(1)]),
        hostName: z.string().min(1).max(253),
        /** Base URL of the agent's local API. */
        agentUrl: url,
        /**
         * SHA-256 fingerprint (`AB:CD:…`) of the agent API's certificate when agentUrl is https:
         * the controller pins it to relay commands, so the cluster secret goes to this agent only.
         * Absent or null: a plain-HTTP API (loopback), or an older agent.
         */
        agentCertificateFingerprint: z.string().regex(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/, 'a SHA-256 fingerprint, AB:CD:… (upper case)').nullable().optional(),
        /** RecorderConfig.xml recorder/id (shared by both nodes of a cloned pair). */
        recorderId: z.string().uuid().nullable(),
        /** The recorder's web server (ImageServer + SOAP), for live view and Focus. */
        webServerUri: url,
      })
      .strict(),
    agentVersion: z.string().min(1).max(32),
    /**
     * The policy the agent runs: the one it stored, else its agent.yaml failover block. When this
     * registration creates the cluster (trust on first use, like the secret), the controller
     * adopts it as the cluster's first policy, so a pair set up from its agents (or a controller
     * whose database was recreated) runs what they run; otherwise it is ignored. Older agents
     * omit it.
     */
    proposedPolicy: clusterPolicySettingsSchema.optional(),
    /**
     * The version of the policy the agent runs (0: agent.yaml's). A cluster this registration
     * creates starts at it, and a controller that sees a node run a version above its own (its
     * database was recreated or restored) numbers its policy above it, so agents never refuse
     * the controller's policy as older. Older agents omit it.
     */
    runningPolicyVersion: z.number().int().min(0).optional(),
    /**
     * A failover pool's agent (issue 17): a standby (with its camera capacity) or a protected
     * recording server (with the shared address its clients use). The controller stores it in a
     * pool (mode `pool`) as a `failover` or `primary` node; peerName and rank are ignored.
     * Absent: a cloned pair's node.
     */
    pool: poolRegistrationSchema.optional(),
  })
  .strict();
export type RegisterRequest = z.infer<typeof registerRequestSchema>;

export const registerResponseSchema = z
  .object({
    clusterId: z.string().uuid(),
    nodeId: z.string().uuid(),
    /** The cluster's current policy (cluster-policy-v1.ts); older controllers omit it. */
    policy: clusterPolicySchema.optional(),
  })
  .strict();
export type RegisterResponse = z.infer<typeof registerResponseSchema>;

export const pingSchema = z.object({ avgMs: z.number().min(0).nullable(), maxMs: z.number().min(0).nullable(), lastMs: z.number().min(0).nullable() }).strict();

export const cameraStatusSchema = z
  .object({
    deviceId: z.string().min(1).max(64),
    enabled: z.boolean(),
    started: z.boolean(),
    recording: z.boolean(),
    errorNoConnection: z.boolean(),
    errorOverflow: z.boolean(),
    error: z.boolean(),
    fps: z.number().min(0).nullable(),
    fpsRequested: z.number().min(0).nullable(),
    resolution: z.string().max(32).nullable(),
    videoFormat: z.string().max(32).nullable(),
    usedSpaceBytes: z.number().min(0).nullable(),
    /**
     * The camera's name as the Management Server has it (the Management Client's "Name"), read by
     * the agent from the configuration REST API; null when it does not know it. Older agents omit it.
     */
    name: z.string().max(255).nullable().optional(),
  })
  .strict();

const time = z.string().datetime();
const seconds = z.number().min(0);
const percent = z.number().min(0).max(100);

/**
 * What a storage holds, read by the agent's storage adapter (agent/storage/spans.ts has the
 * exact definitions). A span runs from the oldest data to the end of the newest (the newest
 * frame's time plus one frame interval); times are null when there is no such data.
 */
export const storageSpansSchema = z
  .object({
    /** When the agent finished the scan these figures come from (scans run every storage.refreshIntervalMs). */
    scannedAt: time,
    /** Cameras read. */
    cameraCount: z.number().int().min(0),
    /** A bound left some of the storage out (cameras, index length, intervals kept). */
    truncated: z.boolean(),
    /** Recorded data (recorded here, or backfilled). Seen in the Management Client plug-in as "Camera data: 0 days, 14:14:34, 100 %". */
    cameraData: z
      .object({
        oldestAt: time.nullable(),
        newestAt: time.nullable(),
        spanSeconds: seconds,
        /** Seconds of the span in which at least one camera has data. */
        coveredSeconds: seconds,
        /** coveredSeconds / spanSeconds in percent. */
        coveragePercent: percent,
      })
      .strict(),
    /** Placeholders waiting for backfill ("Placeholder data: 0 days, 00:00:00, 0 %"). */
    placeholderData: z
      .object({
        oldestAt: time.nullable(),
        newestAt: time.nullable(),
        spanSeconds: seconds,
        /** Seconds in which at least one camera has a pending placeholder. */
        coveredSeconds: seconds,
        /** Pending placeholder time as a share of all the storage's data, counted per camera, in percent. */
        sharePercent: percent,
      })
      .strict(),
  })
  .strict();
export type StorageSpansWire = z.infer<typeof storageSpansSchema>;

export const storageStatusSchema = z
  .object({
    storageId: z.string().min(1).max(64),
    name: z.string().max(255),
    path: z.string().max(1024),
    available: z.boolean(),
    usedSpaceBytes: z.number().min(0),
    freeSpaceBytes: z.number().min(0),
    /**
     * Spans from the agent's storage adapter; null when the agent reads none for this storage
     * (no `storage` section in its config, another path, no scan yet). Older agents omit it.
     */
    spans: storageSpansSchema.nullable().optional(),
  })
  .strict();

export const backfillStates = ['idle', 'planning', 'running', 'paused', 'waiting-for-peer', 'failed', 'done'] as const;
/** idle: nothing to do or not started (placeholders mode); done: the last job completed and nothing is missing. */
export type BackfillState = (typeof backfillStates)[number];

/** Most gaps listed per camera (the newest); missingSeconds counts them all. */
export const backfillGapsPerCameraMax = 32;

const gapSchema = z.object({ startAt: time, endAt: time }).strict();

/**
 * What this node lacks of what its peer holds, within this node's retention (the gap audit),
 * and the backfill job that copies it. Seconds are camera-seconds summed over cameras.
 */
export const backfillStatusSchema = z
  .object({
    mode: z.enum(backfillModes),
    state: z.enum(backfillStates),
    /** Why the job is paused, waiting or failed; null otherwise. */
    reason: z.string().max(512).nullable(),
    /** When the gap audit these figures come from finished; null before the first one. */
    auditedAt: time.nullable(),
    /** The node's own retention (agent.yaml storage.retainMinutes): nothing older is filled. */
    retentionMinutes: z.number().int().min(1).nullable(),
    /** From this time on the node holds everything its peer holds (the end of its newest gap; the retention start when complete). */
    completeSinceAt: time.nullable(),
    /** Data the peer holds and this node lacks, within this node's retention. */
    missingSeconds: seconds,
    /**
     * Nothing is left to fill and no camera lacks more than one block (10 s) that only the next
     * stop of the recorder can reserve: what an automatic failback and a Switch to this node wait
     * for. Older agents omit it (then missingSeconds > 0 counts as incomplete).
     */
    dataComplete: z.boolean().optional(),
    /** Of which placeholders wait to be filled. */
    placeholderSeconds: seconds,
    camerasAffected: z.number().int().min(0),
    /** The cameras with missing data, most missing first. */
    cameras: z
      .array(
        z
          .object({
            deviceId: z.string().min(1).max(64),
            missingSeconds: seconds,
            placeholderSeconds: seconds,
            /** Complete from the retention start until here (the start of the oldest gap). */
            completeUntilAt: time.nullable(),
            /** Complete from here to now (the end of the newest gap). */
            completeSinceAt: time.nullable(),
            gaps: z.array(gapSchema).max(backfillGapsPerCameraMax),
          })
          .strict(),
      )
      .max(4096),
    bytesDone: z.number().int().min(0),
    bytesTotal: z.number().int().min(0),
    blocksDone: z.number().int().min(0),
    blocksTotal: z.number().int().min(0),
    rateBytesPerSecond: z.number().min(0),
    etaSeconds: z.number().min(0).nullable(),
    startedAt: time.nullable(),
  })
  .strict();
export type BackfillStatus = z.infer<typeof backfillStatusSchema>;

/** What an agent says about its node; also what `GET /api/v1/state` of the agent returns. */
export const nodeStatusSchema = z
  .object({
    clusterName: name,
    nodeName: name,
    state: z.enum(nodeStates),
    serving: z.boolean(),
    /** The epoch it serves under when Serving, else the highest it knows. */
    epoch: z.number().int().min(0),
    healthy: z.boolean(),
    health: z
      .object({
        recorderUp: z.boolean(),
        storageOk: z.boolean(),
        recordingShare: z.number().min(0).max(1),
        camerasTotal: z.number().int().min(0),
        camerasRecording: z.number().int().min(0),
        /** Why the recorder probe failed, when it did. */
        problem: z.string().max(512).nullable(),
      })
      .strict(),
    service: z.enum(['running', 'stopped', 'starting', 'stopping', 'unknown']),
    peer: z.object({ name, state: z.enum(nodeStates).nullable(), lastHeardAgoMs: z.number().min(0).nullable(), reachable: z.boolean() }).strict(),
    ping: pingSchema,
    maintenance: z.boolean(),
    witness: z.object({ kind: z.enum(['controller', 'tcp']), reachable: z.boolean() }).strict(),
    uptimeSeconds: z.number().min(0),
    startedAt: z.string().datetime(),
    /** A config sync waiting for this node to stop serving, if any. */
    configSyncPending: z.boolean(),
    /** The cluster policy version this node runs: 0 while it runs the bootstrap default of its agent.yaml. Older agents omit it. */
    policyVersion: z.number().int().min(0).optional(),
    cameras: z.array(cameraStatusSchema).max(4096),
    storages: z.array(storageStatusSchema).max(64),
    /** The gap audit and backfill job; null without a storage adapter (agent.yaml `storage`). Older agents omit it. */
    backfill: backfillStatusSchema.nullable().optional(),
    /**
     * A failover pool's standby (agent.yaml `pool`): what it serves, as its `GET /api/v1/pool`
     * answers (pool-v1.ts). Absent from a cloned pair's agents and from older agents.
     */
    pool: poolStandbyStatusSchema.optional(),
    /**
     * A failover pool's protected recording server (agent.yaml `pool.role: protected`): whether
     * it holds its serving endpoint or a standby fenced it, as its `GET /api/v1/pool` answers
     * (pool-v1.ts), for the controller's pool triggers. Absent from every other agent.
     */
    poolProtected: poolProtectedStatusSchema.optional(),
  })
  .strict();
export type NodeStatus = z.infer<typeof nodeStatusSchema>;

/** Nesting of an event's `data` (a flat record is depth 1); agents send 2 at most. */
export const eventDataDepthMax = 8;
/** An event's `data` as JSON; agents send a few hundred bytes (config sync lists at most a few paths). */
export const eventDataBytesMax = 16 * 1024;

/** The nesting depth of a JSON value, without recursion; stops counting past `stopAt`. */
function jsonDepth(value: unknown, stopAt: number): number {
  let deepest = 0;
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof v !== 'object' || v === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > stopAt) return deepest;
    for (const item of Array.isArray(v) ? v : Object.values(v)) stack.push({ value: item as unknown, depth: depth + 1 });
  }
  return deepest;
}

/** What an event carries besides its message: a JSON object, bounded so that storing and streaming it stays cheap. */
const eventData = z
  .record(z.string(), z.unknown())
  .refine((data) => jsonDepth(data, eventDataDepthMax) <= eventDataDepthMax, { message: `must nest at most ${eventDataDepthMax} levels`, abort: true })
  .refine((data) => Buffer.byteLength(JSON.stringify(data), 'utf8') <= eventDataBytesMax, { message: `must be at most ${eventDataBytesMax} bytes as JSON` });

export const agentEventSchema = z
  .object({
    /** Unique per event: the controller ignores a second copy (retries after a lost answer). */
    id: z.string().uuid(),
    time: z.string().datetime(),
    kind: z.string().min(1).max(64),
    severity: z.enum(['info', 'warning', 'error', 'critical']),
    message: z.string().max(2048),
    data: eventData,
  })
  .strict();
export type AgentEvent = z.infer<typeof agentEventSchema>;

export const maxEventsPerReport = 200;

/**
 * The reasons of a `failover.claiming` event (a node taking the Serving role from its peer): the
 * peer died, its recorder was unhealthy or stopped, or (the controller witnessing) it was alive
 * but not serving while the heartbeat link was down.
 */
export const failoverClaimReasons = ['peer-dead', 'peer-unhealthy', 'peer-stopped', 'peer-not-serving'] as const;
export type FailoverClaimReason = (typeof failoverClaimReasons)[number];

export const reportRequestSchema = z
  .object({
    clusterId: z.string().uuid(),
    nodeId: z.string().uuid(),
    status: nodeStatusSchema,
    /** Oldest first; the agent removes them from its queue once the report is acknowledged. */
    events: z.array(agentEventSchema).max(maxEventsPerReport),
    /** The peer counts as alive at the controller if it reported within this window. */
    witnessWindowMs: z.number().int().min(100).max(600_000),
  })
  .strict();
export type ReportRequest = z.infer<typeof reportRequestSchema>;

/**
 * The header an agent sends (value `1`) when it reads the peer's last report in the witness
 * answer (`peer.state`, `serving`, `epoch`, `uptimeSeconds`). A controller adds them only then:
 * an agent from before them checks the answer strictly and would refuse it, taking the
 * controller for unreachable; a controller from before them ignores the header.
 */
export const peerReportHeader = 'x-twinrec-peer-report';

export const reportResponseSchema = z
  .object({
    /** How many of the report's events are stored (all of them, or the request failed). */
    eventsStored: z.number().int().min(0),
    /**
     * The witness answer: `alive` when the peer's last report is at most the request's
     * `witnessWindowMs` old. What the peer said in that report, so that a standby cut off from
     * its peer's heartbeats can tell "alive and serving" from "alive, not serving" (it then takes
     * over): its `state`, whether it `serving`, its `epoch`, and its agent's `uptimeSeconds`
     * (a node that first hears a peer up for a while listens a little before claiming on its
     * heartbeats). Left out while the peer has not reported, by older controllers, and unless the
     * report came with the peerReportHeader.
     */
    peer: z
      .object({
        alive: z.boolean(),
        lastReportAgoMs: z.number().min(0).nullable(),
        state: z.enum(nodeStates).optional(),
        serving: z.boolean().optional(),
        epoch: z.number().int().min(0).optional(),
        uptimeSeconds: z.number().min(0).optional(),
      })
      .strict(),
    /** The cluster's current policy (cluster-policy-v1.ts); the agent applies it when its version is higher than the one it runs. Older controllers omit it. */
    policy: clusterPolicySchema.optional(),
  })
  .strict();
export type ReportResponse = z.infer<typeof reportResponseSchema>;
