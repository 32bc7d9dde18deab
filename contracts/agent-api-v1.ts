// Version 1 of the agent's local HTTP API, used by the operator's tools, the controller (which
// relays the console's commands) and the peer agent (config sync). Every request carries the
// cluster secret as a Bearer token, compared in constant time.
//
//   GET  /api/v1/state             NodeStatus (controller-v1.ts)
//   POST /api/v1/commands          { command, reason? } → CommandResult, or 409 problem
//   PUT  /api/v1/recorder-config   { xml (base64), sha256, from } (peer agent only: config sync)
//   POST /api/v1/testing/heartbeats { dropInbound, dropOutbound } (only with testing.faultInjection)
import { z } from 'zod';
import { nodeStates } from './peer-v1.js';

/**
 * backfill-start: fill the placeholders now (the way to fill in `placeholders` mode, and to
 * resume a failed job); backfill-pause / backfill-resume: an operator's hold on filling, kept
 * across agent restarts.
 */
export const agentCommands = ['switch', 'swap', 'maintenance-on', 'maintenance-off', 'stop', 'start', 'config-sync-force', 'backfill-start', 'backfill-pause', 'backfill-resume'] as const;
export type AgentCommand = (typeof agentCommands)[number];

export const commandRequestSchema = z
  .object({
    command: z.enum(agentCommands),
    /** Free text for the event log. */
    reason: z.string().max(512).optional(),
    /** Who asked (the controller passes the console user), for the event log. */
    actor: z.string().max(128).optional(),
  })
  .strict();
export type CommandRequest = z.infer<typeof commandRequestSchema>;

export const commandResultSchema = z
  .object({
    command: z.enum(agentCommands),
    /** Human-readable outcome, e.g. "switching". */
    result: z.string().max(512),
    state: z.enum(nodeStates),
    epoch: z.number().int().min(0),
    /** For switch and swap: the node that is to serve and the epoch it will claim. */
    handover: z.object({ to: z.string(), expectedEpoch: z.number().int().min(0) }).strict().nullable(),
  })
  .strict();
export type CommandResult = z.infer<typeof commandResultSchema>;

/** Reasons a command is refused (409, problem type `urn:twinrec:problem:command-refused`, field `reason`). */
export const refusalReasons = ['not-serving', 'peer-not-ready', 'switch-in-progress', 'maintenance', 'stopped', 'sync-not-pending', 'busy', 'no-backfill', 'backfill-disabled'] as const;
export type RefusalReason = (typeof refusalReasons)[number];

export const recorderConfigPushSchema = z
  .object({
    /** The primary's RecorderConfig.xml, base64 (bytes kept exactly). */
    xml: z.string().min(1).max(8 * 1024 * 1024),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    from: z.string().min(1).max(64),
  })
  .strict();
export type RecorderConfigPush = z.infer<typeof recorderConfigPushSchema>;

/** The answer to `PUT /api/v1/recorder-config`. */
export const configSyncOutcomes = ['applied', 'in-sync', 'pending'] as const;
export type ConfigSyncOutcome = (typeof configSyncOutcomes)[number];

export const recorderConfigPushResultSchema = z.object({
  /**
   * `applied`: this node's file is now a clone of the pushed one, and its recorder was started
   * again; `in-sync`: it already was; `pending`: kept until this node stops serving (or an
   * operator forces it), or queued behind an apply in progress.
   */
  outcome: z.enum(configSyncOutcomes),
  /** Shared values that differed between the pushed file and this node's file. */
  changes: z.number().int().min(0),
  /** SHA-256 of the pushed bytes this answer is about. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type RecorderConfigPushResult = z.infer<typeof recorderConfigPushResultSchema>;

export const heartbeatFaultSchema = z.object({ dropInbound: z.boolean(), dropOutbound: z.boolean() }).strict();

/** Bounds of an agent's support snapshot: what the controller reads into its zip. */
export const supportLogLinesMax = 2_000;
export const supportLogLineBytesMax = 4_096;

/**
 * `GET /api/v1/support/snapshot`: what an agent puts in a support snapshot (the controller
 * collects one per agent). Its configuration comes with secrets masked; its log lines are the
 * newest of its log file (none without `log.file`).
 */
export const agentSupportSnapshotSchema = z
  .object({
    v: z.literal(1),
    createdAt: z.string().datetime(),
    version: z.string().max(64),
    node: z.string().max(128),
    platform: z.string().max(64),
    uptimeSeconds: z.number().min(0),
    config: z.record(z.string(), z.unknown()),
    /** The node status the agent reports (controller-v1 NodeStatus). */
    status: z.record(z.string(), z.unknown()),
    policy: z.object({ version: z.number().int().min(0), settings: z.unknown() }).strict(),
    logFile: z.string().max(4096).nullable(),
    logLines: z.array(z.string().max(supportLogLineBytesMax + 4)).max(supportLogLinesMax),
  })
  .strict();
export type AgentSupportSnapshot = z.infer<typeof agentSupportSnapshotSchema>;
