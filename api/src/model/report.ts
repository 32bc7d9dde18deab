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

export const servingTimeDailyRowSchema = component(
  'ServingTimeDailyRow',
  z
    .strictObject({
      day: z.iso.date().describe('The UTC day'),
      cluster_id: z.string(),
      cluster: z.string().nullable(),
      node_id: z.string(),
      node: z.string().nullable(),
      serving_seconds: z.number().min(0).describe('How long the node served that day, as its reports confirmed it'),
      serving_percent: z.number().min(0).describe('serving_seconds as a share of the whole day (86,400 s), in percent; today\'s counts the day so far against the whole day'),
      spans: z.int().min(0).describe('Serving spans that day (a new one after each change of epoch, or a silence longer than the controller\'s agents.staleAfterMs)'),
      first_start_at: z.iso.datetime(),
      last_end_at: z.iso.datetime(),
    })
    .describe('Serving time of one node on one UTC day (v_serving_time_daily)'),
);

export const cameraGapRowSchema = component(
  'CameraGapRow',
  z
    .strictObject({
      id: z.string(),
      start_at: z.iso.datetime(),
      end_at: z.iso.datetime(),
      cluster_id: z.string(),
      cluster: z.string().nullable(),
      node_id: z.string(),
      node: z.string().nullable(),
      device_id: z.string().describe('The camera\'s id in the Management Server configuration'),
      camera: z.string().nullable().describe('The camera\'s name, when the controller knows the camera'),
      gap_seconds: z.number().min(0).describe('end_at − start_at'),
      missing_seconds: z.number().min(0).describe('What the latest gap audit still found missing in the range; 0 once filled'),
      filled_seconds: z.number().describe('gap_seconds − missing_seconds: what backfill (or the recorder) filled'),
      state: z.enum(['open', 'filled', 'expired']).describe('open: (partly) missing; filled: an audit found it whole; expired: it left the node\'s retention first'),
      detected_at: z.iso.datetime().describe('The gap audit that first found it'),
      resolved_at: z.iso.datetime().nullable().describe('The audit that found it filled or expired'),
    })
    .describe('A range of one camera\'s recordings that one node lacked and its peer held (v_camera_gaps)'),
);

export const backfillJobRowSchema = component(
  'BackfillJobRow',
  z
    .strictObject({
      id: z.string(),
      started_at: z.iso.datetime(),
      ended_at: z.iso.datetime().nullable(),
      cluster_id: z.string(),
      cluster: z.string().nullable(),
      node_id: z.string(),
      node: z.string().nullable(),
      state: z.string().describe('planning, running, paused, waiting-for-peer, failed, done; superseded when the next job replaced it unfinished'),
      reason: z.string().nullable(),
      missing_seconds_at_start: z.number().min(0),
      missing_seconds: z.number().min(0),
      cameras_affected: z.int().min(0),
      bytes_done: z.int().min(0),
      bytes_total: z.int().min(0),
      updated_at: z.iso.datetime(),
    })
    .describe('One backfill job of one node (v_backfill_jobs)'),
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
export const servingTimeDailyReportSchema = reportOf('ServingTimeDailyReport', servingTimeDailyRowSchema);
export const cameraGapsReportSchema = reportOf('CameraGapsReport', cameraGapRowSchema);
export const backfillJobsReportSchema = reportOf('BackfillJobsReport', backfillJobRowSchema);
