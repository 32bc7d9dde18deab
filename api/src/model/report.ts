// The reports over REST (api/src/reports/): one row per line of a reporting view, with its columns.
import { z } from 'zod';
import { component } from './components.js';

export const failoverHistoryRowSchema = component(
  'FailoverHistoryRow',
  z
    .strictObject({
      id: z.string(),
      time: z.iso.datetime(),
      cluster_id: z.string(),
      cluster: z.string().nullable(),
      from_node_id: z.string().nullable(),
      from_node: z.string().nullable(),
      to_node_id: z.string().nullable(),
      to_node: z.string().nullable(),
      reason: z.string(),
      trigger: z.enum(['automatic', 'manual']),
      detection_ms: z.int().min(0).nullable(),
      switch_ms: z.int().min(0).nullable(),
      epoch: z.int().min(0).nullable(),
    })
    .describe('One change of the Serving role (v_failover_history)'),
);

export const failoverHistoryReportSchema = component(
  'FailoverHistoryReport',
  z.strictObject({
    columns: z.array(z.string()).describe('The columns, in the order CSV gives them'),
    rows: z.array(failoverHistoryRowSchema),
    truncated: z.boolean().describe('More rows matched than rowsMax'),
    rowsMax: z.int(),
  }),
);
