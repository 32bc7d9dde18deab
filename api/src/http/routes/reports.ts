// /api/v1/reports/…: the reporting views over REST, as JSON or CSV (`Accept: text/csv` or
// `format=csv`), for a time range and optionally one cluster (api/src/reports/). Roles per report
// come from the OpenAPI document (the audit log: admins).
import { Router, type Request, type Response } from 'express';
import type { Database } from '../../db/database.js';
import { validationFailed } from '../../domain/errors.js';
import { columnNames, csvLine, reportRows, reportRowsMax, reports, type ReportDefinition, type ReportQuery } from '../../reports/views.js';

const dayMs = 24 * 60 * 60 * 1000;

function queryOf(req: Request): ReportQuery {
  const q = req.query as { from?: string; to?: string; clusterId?: string };
  const to = q.to === undefined ? new Date() : new Date(q.to);
  const from = q.from === undefined ? new Date(to.getTime() - 30 * dayMs) : new Date(q.from);
  if (!(from.getTime() < to.getTime())) throw validationFailed([{ path: '/query/from', message: 'must be earlier than `to`' }]);
  return { from, to, clusterId: q.clusterId };
}

const wantsCsv = (req: Request): boolean => req.query.format === 'csv' || (req.query.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');

async function answer(db: Database, report: ReportDefinition, req: Request, res: Response): Promise<void> {
  const { rows, truncated } = await reportRows(db, report, queryOf(req));
  const columns = columnNames(report);
  res.set('x-twinrec-truncated', String(truncated));
  if (!wantsCsv(req)) {
    res.json({ columns, rows, truncated, rowsMax: reportRowsMax });
    return;
  }
  res.set('content-disposition', `attachment; filename="twinrec-${report.name}.csv"`);
  res.type('text/csv; charset=utf-8');
  res.write(csvLine(columns));
  for (const row of rows) res.write(csvLine(columns.map((c) => row[c] ?? null)));
  res.end();
}

export function reportRoutes(db: Database): Router {
  const router = Router();
  for (const report of Object.values(reports)) router.get(`/reports/${report.name}`, (req, res) => answer(db, report, req, res));
  return router;
}
