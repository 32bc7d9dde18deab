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

export const configSyncHistoryRowSchema = component(
  'ConfigSyncHistoryRow',
  z
    .strictObject({
      id: z.string(),
      time: z.iso.datetime(),
      cluster_id: z.string().nullable(),
      cluster: z.string().nullable(),
      node_id: z.string().nullable(),
      node: z.string().nullable(),
      kind: z.string().describe('config-sync.pushed, .applied, .in-sync, .pending, .push-failed, .forced, .unclassified, …'),
      severity: z.string(),
      message: z.string(),
      data: z.string().describe('The event\'s data, as JSON text'),
    })
    .describe('One config sync event (v_config_sync_history)'),
);

export const auditReportRowSchema = component(
  'AuditReportRow',
  z
    .strictObject({
      id: z.string(),
      time: z.iso.datetime(),
      actor: z.string(),
      action: z.string(),
      target: z.string(),
      outcome: z.string(),
      address: z.string().nullable(),
      details: z.string().nullable().describe('The entry\'s details, as JSON text'),
    })
    .describe('One audit entry (v_audit_log)'),
);

const reportOf = <S extends z.ZodType>(id: string, row: S) =>
  component(
    id,
    z.strictObject({
      columns: z.array(z.string()).describe('The columns, in the order CSV gives them'),
      rows: z.array(row),
      truncated: z.boolean().describe('More rows matched than rowsMax'),
      rowsMax: z.int(),
    }),
  );

export const failoverHistoryReportSchema = reportOf('FailoverHistoryReport', failoverHistoryRowSchema);
export const configSyncHistoryReportSchema = reportOf('ConfigSyncHistoryReport', configSyncHistoryRowSchema);
export const auditReportSchema = reportOf('AuditReport', auditReportRowSchema);
