// Liveness and readiness: what an orchestrator polls. Outside /api, so not validated; open
// objects, as they have always been described.
import { z } from 'zod';
import { component } from './components.js';

export const healthSchema = component('Health', z.looseObject({ status: z.literal('ok'), uptimeSeconds: z.number().optional() }));
export type Health = z.infer<typeof healthSchema>;

export const readinessSchema = component(
  'Readiness',
  z.looseObject({
    status: z.enum(['ready', 'not-ready']),
    database: z.looseObject({ dialect: z.enum(['sqlite', 'postgres', 'mssql']), reachable: z.boolean(), migrationsPending: z.int(), error: z.string().optional() }),
  }),
);
export type Readiness = z.infer<typeof readinessSchema>;
