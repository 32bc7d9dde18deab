// Operator commands on a cluster, relayed to its agents: switch the Serving role, and turn
// maintenance on or off. The agent's answer is its own contract (contracts/agent-api-v1.ts).
import { z } from 'zod';
import { commandRequestSchema, commandResultSchema as agentCommandResult } from '../../../contracts/agent-api-v1.js';
import { component } from './components.js';
import { nullableUuid, uuid } from './fields.js';

const reason = commandRequestSchema.shape.reason.describe("Free text for the agent's event log");

export const switchRequestSchema = component(
  'SwitchRequest',
  z.strictObject({
    reason,
    force: z
      .boolean()
      .optional()
      .describe('Switch even though the node that would serve lacks recordings its peer holds (otherwise 409 `target-missing-data`); the override is audited with the missing seconds'),
  }),
);
export type SwitchRequest = z.infer<typeof switchRequestSchema>;

const handover = agentCommandResult.shape.handover.unwrap();

export const commandResultSchema = component(
  'CommandResult',
  agentCommandResult
    .extend({ handover: handover.extend({ to: handover.shape.to.describe("The agent's name for the node that is to serve") }).nullable() })
    .describe("The agent's answer (agent-api-v1)"),
);

export const switchAcceptedSchema = component(
  'SwitchAccepted',
  z.strictObject({
    clusterId: uuid,
    from: uuid.describe('The node that served when the switch was asked for'),
    to: nullableUuid.describe('The node that is to serve, when the agent named one'),
    expectedEpoch: z.int().min(0).nullable().describe('The epoch the new Serving node will claim'),
    result: commandResultSchema,
    shorterRetention: z
      .strictObject({
        retentionMinutes: z.int().min(1).describe("The new Serving node's own retention"),
        peerRetentionMinutes: z.int().min(1).describe('The retention of the node it takes over from'),
        olderThan: z.iso.datetime().describe('Recordings older than this are only on the other node: playback through the shared address finds none'),
      })
      .nullable()
      .describe('Set when the new Serving node keeps a shorter retention (a smaller storage): what it lacks, though it is complete within its own retention'),
  }),
);
export type SwitchAccepted = z.infer<typeof switchAcceptedSchema>;

export const maintenanceRequestSchema = component('MaintenanceRequest', z.strictObject({ on: z.boolean(), reason }));
export type MaintenanceRequest = z.infer<typeof maintenanceRequestSchema>;

export const maintenanceSetSchema = component(
  'MaintenanceSet',
  z.strictObject({ clusterId: uuid, maintenance: z.boolean(), via: uuid.describe('The node whose agent took the command') }),
);
export type MaintenanceSet = z.infer<typeof maintenanceSetSchema>;
