// Operator commands on a failover pool's protected recording server (issue 17): manual failover,
// stop failover, finish failback and replace. Each is a compare-and-set on a standby lease; the
// pool supervisor (agent-link/pool-supervisor-service.ts) carries it out within a second.
import { z } from 'zod';
import { component } from './components.js';
import { uuid } from './fields.js';

export const failoverStartRequestSchema = component(
  'FailoverStartRequest',
  z.strictObject({
    standbyNodeId: uuid.optional().describe('The standby to take over (a free one of this pool); by default the one the pool\'s rules choose (hot standby, then the groups\' sequences)'),
  }),
);
export type FailoverStartRequest = z.infer<typeof failoverStartRequestSchema>;

export const failoverStopRequestSchema = component(
  'FailoverStopRequest',
  z.strictObject({
    recordings: z
      .enum(['sync', 'discard'])
      .optional()
      .describe("What the standby recorded meanwhile: `sync` keeps the standby held (`syncing-back`) until finish failback, `discard` frees it at once; by default the cluster policy's `pool.failbackRecordings`"),
  }),
);
export type FailoverStopRequest = z.infer<typeof failoverStopRequestSchema>;

export const failoverReplaceRequestSchema = component(
  'FailoverReplaceRequest',
  z.strictObject({
    standbyNodeId: uuid.optional().describe("The standby that replaces it: by default (or named) the one serving it, which keeps the identity it runs and serves on; or another standby of the pool that is free (its lease and its agent's report), reachable and nobody's hot standby (else `standby-not-free`), which takes the identity and gets the failover's recordings back from the serving standby through the pool's failback"),
    confirm: z.literal(true).describe('Replacement is permanent: the protected node leaves the pool'),
  }),
);
export type FailoverReplaceRequest = z.infer<typeof failoverReplaceRequestSchema>;

/** The standby lease after a command, as the supervisor will act on it. */
export const poolFailoverSchema = component(
  'PoolFailover',
  z.strictObject({
    protectedNodeId: uuid,
    standbyNodeId: uuid,
    lease: z.enum(['free', 'taking-over', 'serving', 'syncing-back', 'closed']).describe('`taking-over`: the supervisor orders the takeover; `syncing-back`: held until finish failback; `free`: the standby is released; `closed`: replaced'),
    epoch: z.int().min(0).describe('The takeover\'s fencing epoch'),
  }),
);
export type PoolFailover = z.infer<typeof poolFailoverSchema>;

/** Why a pool command cannot be done now (`reason` of the pool-failover-not-possible problem). */
export const poolCommandRefusals = ['already-failed-over', 'not-failed-over', 'no-failback-pending', 'failback-pending', 'server-healthy', 'standby-not-free', 'no-standby-free', 'no-recorder-config', 'no-shared-address', 'changed'] as const;
export type PoolCommandRefusal = (typeof poolCommandRefusals)[number];
