// The answer to `PUT /api/v1/recorder-config` (agent/protocol/agent-api-v1.ts defines the
// request, `recorderConfigPushSchema`). It belongs next to the request in agent-api-v1.ts; it
// lives here until that file is free to change.
import { z } from 'zod';

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
