// Reports over the reporting views (issue 18): rows read from the SQL views that Power BI,
// Grafana or Excel read too, so the REST report and the view can never disagree. JSON, or CSV
// written as the rows are read. Bounded: at most reportRowsMax rows per answer.
import type { Database } from '../db/database.js';
import { failoverHistoryView } from '../../migrations/1765000000000-failover-records.js';
import { auditLogView, configSyncHistoryView } from '../../migrations/1765100000000-reporting-views.js';

export const reportRowsMax = 10_000;

type ColumnKind = 'text' | 'time' | 'int' | 'json';

/** A report: its view and its columns in order (the CSV header and the JSON fields, a documented contract). */
export interface ReportDefinition {
  readonly name: string;
  readonly view: string;
  readonly columns: ReadonlyArray<readonly [string, ColumnKind]>;
  /** Whether the view has a cluster_id column to filter on. */
  readonly byCluster: boolean;
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

/** The rows of the report's view in [from, to), oldest first, at most reportRowsMax (and whether more matched). */
export async function reportRows(db: Database, report: ReportDefinition, query: ReportQuery): Promise<{ rows: ReportRow[]; truncated: boolean }> {
  const builder = db.dataSource
    .createQueryBuilder()
    .select(report.columns.map(([c]) => `v.${c}`))
    .from(report.view, 'v')
    .where('v.time >= :from AND v.time < :to', { from: query.from, to: query.to })
    .orderBy('v.time', 'ASC')
    .addOrderBy('v.id', 'ASC')
    .limit(reportRowsMax + 1);
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
    row[column] = v === null ? null : kind === 'time' ? isoTime(v) : kind === 'int' ? Number(v) : kind === 'json' && typeof v !== 'string' ? JSON.stringify(v) : String(v);
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
