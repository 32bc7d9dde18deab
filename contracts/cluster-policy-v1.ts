// Version 1 of the cluster policy: everything both nodes of a cluster must agree on, owned and
// versioned by the controller (ARCHITECTURE.md, "Cluster policy: set once, in the controller").
// The controller sends it in its register and report answers; agents validate it, persist it
// and feed it to their decision core, and say which version they run in every report and
// heartbeat. agent.yaml keeps only what is local to a node; its `failover` block is only the
// bootstrap default until the first policy arrives.
import { z } from 'zod';

/** A node as agents name it (agent.yaml node.id, the controller's node name). */
const nodeName = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);

export const failoverProfiles = ['conservative', 'fast'] as const;
export type FailoverProfile = (typeof failoverProfiles)[number];

export const bootBehaviours = ['keep', 'start', 'stop'] as const;
export type BootBehaviour = (typeof bootBehaviours)[number];

/** Limits of each setting, shared by the controller's API, the console and the agents. */
export const policyLimits = {
  holdDownSecondsMax: 86_400,
  heartbeatIntervalMsMin: 50,
  heartbeatIntervalMsMax: 10_000,
  peerTimeoutMsMin: 300,
  peerTimeoutMsMax: 600_000,
  /** A dead peer is declared only after this many heartbeats could have arrived. */
  heartbeatsPerPeerTimeoutMin: 3,
  capCountMax: 1_000,
  capWindowMinutesMax: 7 * 24 * 60,
  graceMsMax: 3_600_000,
  backfillBandwidthMbpsMax: 100_000,
  backfillTransfersMax: 16,
} as const;

export const backfillModes = ['enabled', 'placeholders', 'disabled'] as const;
/** enabled: placeholders, then filling, automatically; placeholders: placeholders only, filling on command; disabled: neither. */
export type BackfillMode = (typeof backfillModes)[number];

const minuteOfDay = z.int().min(0).max(1439);

/** Backfill (seed 000 "Step 3: Backfilling"): how a returning node gets what its peer recorded meanwhile. */
export const backfillSettingsSchema = z
  .strictObject({
    mode: z.enum(backfillModes),
    /** The token bucket's rate for block transfers into this cluster's nodes, in megabits per second. */
    bandwidthMbps: z.int().min(1).max(policyLimits.backfillBandwidthMbpsMax),
    /** Blocks in flight at once per node. */
    transfersMax: z.int().min(1).max(policyLimits.backfillTransfersMax),
    /**
     * When filling may run, daily, in minutes after midnight of the agent host's local time
     * (start inclusive, end exclusive; an end before the start spans midnight); null: always.
     * Placeholders are created whenever a node returns, whatever the window.
     */
    window: z
      .strictObject({ startMinute: minuteOfDay, endMinute: minuteOfDay })
      .refine((w) => w.startMinute !== w.endMinute, { message: 'the window must not start where it ends (use null for always)' })
      .nullable(),
  });
export type BackfillSettings = z.infer<typeof backfillSettingsSchema>;

export const defaultBackfillSettings: BackfillSettings = { mode: 'enabled', bandwidthMbps: 400, transfersMax: 4, window: null };

/** A failback sync without progress for this long is said stalled, unless the policy says otherwise. */
export const failbackStallMinutesDefault = 30;

/**
 * A failover pool's settings (issue 17; api/src/domain/pool-failures.ts): when a protected
 * recording server counts as failed, and whether failover starts and stops by itself. A cloned
 * pair ignores them. Synology's failover waits 1–60 min on a disconnection (seed 003); ours
 * starts at a few seconds, as XProtect's failover recording servers do (seed 001).
 */
export const poolSettingsSchema = z.strictObject({
  triggers: z.strictObject({
    /** Seconds without a report from its agent before a protected server counts as disconnected. */
    disconnectedSeconds: z.int().min(3).max(3_600),
    /** The Recording Server service not running or not answering, for this many seconds. */
    serviceDown: z.strictObject({ enabled: z.boolean(), seconds: z.int().min(0).max(3_600) }),
    /** A recording storage failed or degraded (or none), for this many seconds. */
    storage: z.strictObject({ enabled: z.boolean(), seconds: z.int().min(0).max(3_600) }),
  }),
  /** `automatic`: a failed server takes a standby at once; `manual`: an operator starts the failover. */
  failover: z.enum(['automatic', 'manual']),
  /** `automatic`: failover stops once the server was healthy for holdDownSeconds; `manual`: by command only. */
  stopFailover: z.enum(['automatic', 'manual']),
  holdDownSeconds: z.int().min(0).max(86_400),
  /** At failback, what the standby recorded meanwhile: `sync`ed back to the protected server, or `discard`ed (seed 003). */
  failbackRecordings: z.enum(['sync', 'discard']),
  /**
   * Minutes a failback sync may go without progress before the controller says it stalled
   * (`pool.failback-sync-stalled`, once per stall): its standby stays held meanwhile. Policies
   * stored before it existed read as the default.
   */
  failbackStallMinutes: z.int().min(1).max(1_440).default(failbackStallMinutesDefault),
});
/** The pool settings as a policy body gives them (failbackStallMinutes may be left out: its default); a stored or sent policy has every one. */
export type PoolSettings = z.input<typeof poolSettingsSchema>;

export const defaultPoolSettings: z.output<typeof poolSettingsSchema> = {
  triggers: { disconnectedSeconds: 10, serviceDown: { enabled: true, seconds: 10 }, storage: { enabled: true, seconds: 30 } },
  failover: 'automatic',
  stopFailover: 'automatic',
  holdDownSeconds: 300,
  failbackRecordings: 'sync',
  failbackStallMinutes: failbackStallMinutesDefault,
};

/** How long a trigger's condition must last before the Serving node hands over; null: the profile's. */
const graceMs = z.int().min(0).max(policyLimits.graceMsMax).nullable();

/** What may be set: the policy without its version (the controller numbers it). */
export const clusterPolicySettingsSchema = z
  .strictObject({
    /** The node that serves when both are healthy, and the failback target; null: rank 0 wins ties, no failback. */
    preferredNode: nodeName.nullable(),
    failback: z.strictObject({
      /** `automatic`: back to the preferred node after the hold-down; `manual`: only by command. */
      policy: z.enum(['automatic', 'manual']),
      /** Seconds of a healthy peer before an automatic failback. */
      holdDownSeconds: z.int().min(0).max(policyLimits.holdDownSecondsMax),
    }),
    failover: z.strictObject({
      /** conservative: a dead peer detected in about 3 s; fast: about 1 s on a quiet LAN. */
      profile: z.enum(failoverProfiles),
      /** Overrides of the profile's timing; null keeps the profile's. */
      heartbeatIntervalMs: z.int().min(policyLimits.heartbeatIntervalMsMin).max(policyLimits.heartbeatIntervalMsMax).nullable(),
      peerTimeoutMs: z.int().min(policyLimits.peerTimeoutMsMin).max(policyLimits.peerTimeoutMsMax).nullable(),
      /** At most capCount automatic failovers per capWindowMinutes; then automatic failover is suspended. */
      capCount: z.int().min(1).max(policyLimits.capCountMax),
      capWindowMinutes: z.int().min(1).max(policyLimits.capWindowMinutesMax),
    }),
    /** What makes the Serving node hand over: each trigger on or off, with how long it must last. */
    triggers: z.strictObject({
      /** Fewer than minPercent of the enabled cameras recording. */
      recordingShare: z.strictObject({ enabled: z.boolean(), minPercent: z.int().min(1).max(100), graceMs }),
      /** A recording storage offline or failed (or none reported). */
      storageUnavailable: z.strictObject({ enabled: z.boolean(), graceMs }),
      /** The Recording Server service not running or not answering. */
      serviceDown: z.strictObject({ enabled: z.boolean(), graceMs }),
    }),
    /** At agent start: `keep` the stop state it had, `start` the recorder, or leave it `stop`ped. */
    boot: z.enum(bootBehaviours),
    /** Automatic failover suspended cluster-wide. */
    maintenance: z.boolean(),
    /** Policies stored before backfill settings existed read as the defaults. */
    backfill: backfillSettingsSchema.default(defaultBackfillSettings),
    /** Policies stored before pool settings existed read as the defaults. */
    pool: poolSettingsSchema.default(defaultPoolSettings),
  })
  .superRefine((p, ctx) => {
    const timing = effectiveTiming(p);
    if (timing.peerTimeoutMs < policyLimits.heartbeatsPerPeerTimeoutMin * timing.heartbeatIntervalMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['failover', 'peerTimeoutMs'],
        message: `the peer timeout (${timing.peerTimeoutMs} ms) must cover at least ${policyLimits.heartbeatsPerPeerTimeoutMin} heartbeats (${policyLimits.heartbeatsPerPeerTimeoutMin} × ${timing.heartbeatIntervalMs} ms)`,
      });
    }
  });
export type ClusterPolicySettings = z.infer<typeof clusterPolicySettingsSchema>;

export const clusterPolicySchema = z.strictObject({
  /** Starts at 1 and grows by one with every accepted change; agents apply a higher one only. */
  version: z.int().min(1),
  settings: clusterPolicySettingsSchema,
});
export type ClusterPolicy = z.infer<typeof clusterPolicySchema>;

/** Each profile's timing: heartbeat interval, peer timeout, and how long local trouble must last (a trigger's grace) by default. */
export const profileTimings: Readonly<Record<FailoverProfile, { readonly heartbeatIntervalMs: number; readonly peerTimeoutMs: number; readonly unhealthyGraceMs: number }>> = {
  conservative: { heartbeatIntervalMs: 250, peerTimeoutMs: 2_750, unhealthyGraceMs: 2_000 },
  fast: { heartbeatIntervalMs: 100, peerTimeoutMs: 800, unhealthyGraceMs: 500 },
};

/**
 * The heartbeat interval and peer timeout a policy gives: the profile's, with its overrides.
 *
 * @example effectiveTiming({ failover: { profile: 'fast', heartbeatIntervalMs: null, peerTimeoutMs: 1500 } }) // { heartbeatIntervalMs: 100, peerTimeoutMs: 1500 }
 */
export function effectiveTiming(p: { readonly failover: Pick<ClusterPolicySettings['failover'], 'profile' | 'heartbeatIntervalMs' | 'peerTimeoutMs'> }): { heartbeatIntervalMs: number; peerTimeoutMs: number } {
  const profile = profileTimings[p.failover.profile];
  return { heartbeatIntervalMs: p.failover.heartbeatIntervalMs ?? profile.heartbeatIntervalMs, peerTimeoutMs: p.failover.peerTimeoutMs ?? profile.peerTimeoutMs };
}

/** The policy of a cluster nobody has configured: the conservative defaults of ARCHITECTURE.md. */
export const defaultPolicySettings: ClusterPolicySettings = {
  preferredNode: null,
  failback: { policy: 'automatic', holdDownSeconds: 300 },
  failover: { profile: 'conservative', heartbeatIntervalMs: null, peerTimeoutMs: null, capCount: 3, capWindowMinutes: 60 },
  triggers: {
    recordingShare: { enabled: true, minPercent: 50, graceMs: null },
    storageUnavailable: { enabled: true, graceMs: null },
    serviceDown: { enabled: true, graceMs: null },
  },
  boot: 'keep',
  maintenance: false,
  backfill: defaultBackfillSettings,
  pool: defaultPoolSettings,
};
