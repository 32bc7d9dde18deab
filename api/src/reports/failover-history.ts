// Reports over the reporting views (issue 18): rows read from the SQL views that Power BI,
// Grafana or Excel read too, so the REST report and the view can never disagree. JSON, or CSV
// written as the rows are read. Bounded: at most reportRowsMax rows per answer.
import type { Database } from '../db/database.js';
import { failoverHistoryView } from '../../migrations/1765000000000-failover-records.js';

export const reportRowsMax = 10_000;

/** The view's columns, in order: the CSV header and the JSON fields (a documented contract). */
export const failoverHistoryColumns = ['id', 'time', 'cluster_id', 'cluster', 'from_node_id', 'from_node', 'to_node_id', 'to_node', 'reason', 'trigger', 'detection_ms', 'switch_ms', 'epoch'] as const;
export type FailoverHistoryRow = Record<(typeof failoverHistoryColumns)[number], string | number | null>;

export interface ReportQuery {
  readonly from: Date;
  readonly to: Date;
  readonly clusterId?: string | undefined;
}

/** The rows of the failover history view in [from, to), oldest first, at most reportRowsMax + 1 (to tell truncation). */
export async function failoverHistory(db: Database, query: ReportQuery): Promise<{ rows: FailoverHistoryRow[]; truncated: boolean }> {
  const builder = db.dataSource
    .createQueryBuilder()
    .select(failoverHistoryColumns.map((c) => `v.${c}`))
    .from(failoverHistoryView, 'v')
    .where('v.time >= :from AND v.time < :to', { from: query.from, to: query.to })
    .orderBy('v.time', 'ASC')
    .addOrderBy('v.id', 'ASC')
    .limit(reportRowsMax + 1);
  if (query.clusterId !== undefined) builder.andWhere('v.cluster_id = :clusterId', { clusterId: query.clusterId });
  const raw = (await builder.getRawMany()) as Array<Record<string, unknown>>;
  const rows = raw.slice(0, reportRowsMax).map((r) => normalize(r));
  return { rows, truncated: raw.length > reportRowsMax };
}

/** Driver values to the contract's: times as ISO 8601 UTC, numbers as numbers, absent as null. */
function normalize(raw: Record<string, unknown>): FailoverHistoryRow {
  const value = (column: string): unknown => raw[column] ?? raw[`v_${column}`] ?? null;
  const row = {} as FailoverHistoryRow;
  for (const column of failoverHistoryColumns) {
    const v = value(column);
    if (column === 'time') row[column] = v instanceof Date ? v.toISOString() : new Date(String(v).replace(' ', 'T') + (/[zZ]|[+-]\d\d:?\d\d$/.test(String(v)) ? '' : 'Z')).toISOString();
    else if (column === 'detection_ms' || column === 'switch_ms' || column === 'epoch') row[column] = v === null ? null : Number(v);
    else row[column] = v === null ? null : String(v);
  }
  return row;
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a text starting
 * with = + - @ gets a leading apostrophe, so that a spreadsheet never runs it as a formula.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(values: ReadonlyArray<string | number | null>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
