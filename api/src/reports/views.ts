// Reports over the reporting views (issue 18): rows read from the SQL views that Power BI,
// Grafana or Excel read too, so the REST report and the view can never disagree. JSON, or CSV
// written as the rows are read. Bounded: at most reportRowsMax rows per answer.
import type { Database } from '../db/database.js';
import { failoverHistoryView } from '../../migrations/1765000000000-failover-records.js';
import { auditLogView, configSyncHistoryView } from '../../migrations/1765100000000-reporting-views.js';
import { backfillJobsView, cameraGapsView, servingTimeDailyView } from '../../migrations/1765300000000-reporting-records.js';

export const reportRowsMax = 10_000;

/** text; time (ISO 8601 UTC); int; number (seconds to the millisecond, percentages); json (as its text); day (YYYY-MM-DD, UTC). */
type ColumnKind = 'text' | 'time' | 'int' | 'number' | 'json' | 'day';

/** A report: its view and its columns in order (the CSV header and the JSON fields, a documented contract). */
export interface ReportDefinition {
  readonly name: string;
  readonly view: string;
  readonly columns: ReadonlyArray<readonly [string, ColumnKind]>;
  /** Whether the view has a cluster_id column to filter on. */
  readonly byCluster: boolean;
  /** The column `from` and `to` select on (a time, or a day: the days that overlap the range); `time` when not said. */
  readonly timeColumn?: string;
  /** The order of the rows, oldest first; [timeColumn, id] when not said. */
  readonly orderBy?: readonly string[];
}

export const reports = {
  'failover-history': {
    name: 'failover-history',
    view: failoverHistoryView,
    byCluster: true,
    columns: [['id', 'text'], ['time', 'time'], ['cluster_id', 'text'], ['cluster', 'text'], ['from_node_id', 'text'], ['from_node', 'text'], ['to_node_id', 'text'], ['to_node', 'text'], ['reason', 'text'], ['trigger', 'text'], ['detection_ms', 'int'], ['switch_ms', 'int'], ['epoch', 'int']],
  },
  'config-sync-history': {
    name: 'config-sync-history',
    view: configSyncHistoryView,
    byCluster: true,
    columns: [['id', 'text'], ['time', 'time'], ['cluster_id', 'text'], ['cluster', 'text'], ['node_id', 'text'], ['node', 'text'], ['kind', 'text'], ['severity', 'text'], ['message', 'text'], ['data', 'json']],
  },
  'serving-time-daily': {
    name: 'serving-time-daily',
    view: servingTimeDailyView,
    byCluster: true,
    timeColumn: 'day',
    orderBy: ['day', 'cluster_id', 'node_id'],
    columns: [['day', 'day'], ['cluster_id', 'text'], ['cluster', 'text'], ['node_id', 'text'], ['node', 'text'], ['serving_seconds', 'number'], ['serving_percent', 'number'], ['spans', 'int'], ['first_start_at', 'time'], ['last_end_at', 'time']],
  },
  'camera-gaps': {
    name: 'camera-gaps',
    view: cameraGapsView,
    byCluster: true,
    timeColumn: 'start_at',
    columns: [['id', 'text'], ['start_at', 'time'], ['end_at', 'time'], ['cluster_id', 'text'], ['cluster', 'text'], ['node_id', 'text'], ['node', 'text'], ['device_id', 'text'], ['camera', 'text'], ['gap_seconds', 'number'], ['missing_seconds', 'number'], ['filled_seconds', 'number'], ['state', 'text'], ['detected_at', 'time'], ['resolved_at', 'time']],
  },
  'backfill-jobs': {
    name: 'backfill-jobs',
    view: backfillJobsView,
    byCluster: true,
    timeColumn: 'started_at',
    columns: [['id', 'text'], ['started_at', 'time'], ['ended_at', 'time'], ['cluster_id', 'text'], ['cluster', 'text'], ['node_id', 'text'], ['node', 'text'], ['state', 'text'], ['reason', 'text'], ['missing_seconds_at_start', 'number'], ['missing_seconds', 'number'], ['cameras_affected', 'int'], ['bytes_done', 'int'], ['bytes_total', 'int'], ['updated_at', 'time']],
  },
  audit: {
    name: 'audit',
    view: auditLogView,
    byCluster: false,
    columns: [['id', 'text'], ['time', 'time'], ['actor', 'text'], ['action', 'text'], ['target', 'text'], ['outcome', 'text'], ['address', 'text'], ['details', 'json']],
  },
} as const satisfies Record<string, ReportDefinition>;

export type ReportValue = string | number | null;
export type ReportRow = Record<string, ReportValue>;

export interface ReportQuery {
  readonly from: Date;
  readonly to: Date;
  readonly clusterId?: string | undefined;
}

export function columnNames(report: ReportDefinition): string[] {
  return report.columns.map(([name]) => name);
}

/** The UTC day of a time, YYYY-MM-DD. */
const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * The rows of the report's view in [from, to) (for a day column: the days that overlap it),
 * oldest first, at most reportRowsMax (and whether more matched).
 */
export async function reportRows(db: Database, report: ReportDefinition, query: ReportQuery): Promise<{ rows: ReportRow[]; truncated: boolean }> {
  const timeColumn = report.timeColumn ?? 'time';
  const isDay = report.columns.some(([c, kind]) => c === timeColumn && kind === 'day');
  const range = isDay ? { from: utcDay(query.from), to: utcDay(new Date(query.to.getTime() - 1)) } : { from: query.from, to: query.to };
  const builder = db.dataSource
    .createQueryBuilder()
    .select(report.columns.map(([c]) => `v.${c}`))
    .from(report.view, 'v')
    .where(isDay ? `v.${timeColumn} >= :from AND v.${timeColumn} <= :to` : `v.${timeColumn} >= :from AND v.${timeColumn} < :to`, range)
    .limit(reportRowsMax + 1);
  for (const column of report.orderBy ?? [timeColumn, 'id']) builder.addOrderBy(`v.${column}`, 'ASC');
  if (query.clusterId !== undefined && report.byCluster) builder.andWhere('v.cluster_id = :clusterId', { clusterId: query.clusterId });
  const raw = (await builder.getRawMany()) as Array<Record<string, unknown>>;
  return { rows: raw.slice(0, reportRowsMax).map((r) => normalize(report, r)), truncated: raw.length > reportRowsMax };
}

/** A time as the drivers give it (a Date, or text without a zone that is UTC) in ISO 8601 UTC. */
function isoTime(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  const text = String(v).replace(' ', 'T');
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`).toISOString();
}

/** Driver values to the contract's: times ISO 8601 UTC, integers as numbers, JSON as its text, absent as null. */
function normalize(report: ReportDefinition, raw: Record<string, unknown>): ReportRow {
  const row: ReportRow = {};
  for (const [column, kind] of report.columns) {
    const v = raw[column] ?? raw[`v_${column}`] ?? null;
    row[column] = v === null ? null : kind === 'time' ? isoTime(v) : kind === 'int' ? Number(v) : kind === 'number' ? Math.round(Number(v) * 1_000) / 1_000 : kind === 'json' && typeof v !== 'string' ? JSON.stringify(v) : String(v);
  }
  return row;
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a text starting
 * with = + - @ gets a leading apostrophe, so that a spreadsheet never runs it as a formula.
 */
export function csvField(value: ReportValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(values: readonly ReportValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
