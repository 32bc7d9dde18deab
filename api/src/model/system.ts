// Which controller answers and which singleton work it runs (GET /api/v1/system): with several
// controllers on one database (issue 19), each lease names the controller that holds it.
import { z } from 'zod';
import { component } from './components.js';
import { timestamp } from './fields.js';

export const controllerSystemSchema = component(
  'ControllerSystem',
  z
    .object({
      /** The controller that answered: its instance id (`<host>-<pid>-<8 hex>`), new at every start. */
      controllerId: z.string().min(1).max(64),
      /** `sqlite` (one controller), `postgres` or `mssql` (several may share it). */
      dialect: z.enum(['sqlite', 'postgres', 'mssql']),
      /** The singleton jobs and who runs them: one controller at a time, the holder of the job's lease. */
      leases: z
        .array(
          z
            .object({
              /** `agent-sweep` (announces lost and returned agents), `webhooks` (delivers them), `generic-events` (sends them to XProtect), `pool-allocation` (the failover pools' supervisor). */
              name: z.enum(['agent-sweep', 'webhooks', 'generic-events', 'pool-allocation']),
              /** The controller that holds or last held it (by the database); null before any did. */
              holder: z.string().max(64).nullable(),
              /** Raised at every change of holder. */
              epoch: z.number().int().min(0),
              /** When it expires unless renewed, by the database's clock; null before any controller held it. */
              expiresAt: timestamp.nullable(),
              /** Whether the controller that answered runs the job now. */
              heldHere: z.boolean(),
            })
            .strict(),
        )
        .max(16),
    })
    .strict(),
);
export type ControllerSystem = z.infer<typeof controllerSystemSchema>;
