// /api/v1/reports/…: the reporting views over REST, as JSON or CSV (`Accept: text/csv` or
// `format=csv`), for a time range and optionally one cluster (api/src/reports/).
import { Router, type Request, type Response } from 'express';
import type { Database } from '../../db/database.js';
import { validationFailed } from '../../domain/errors.js';
import { csvLine, failoverHistory, failoverHistoryColumns, reportRowsMax, type ReportQuery } from '../../reports/failover-history.js';

const dayMs = 24 * 60 * 60 * 1000;

function queryOf(req: Request): ReportQuery {
  const q = req.query as { from?: string; to?: string; clusterId?: string };
  const to = q.to === undefined ? new Date() : new Date(q.to);
  const from = q.from === undefined ? new Date(to.getTime() - 30 * dayMs) : new Date(q.from);
  if (!(from.getTime() < to.getTime())) throw validationFailed([{ path: '/query/from', message: 'must be earlier than `to`' }]);
  return { from, to, clusterId: q.clusterId };
}

const wantsCsv = (req: Request): boolean => req.query.format === 'csv' || (req.query.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');

export function reportRoutes(db: Database): Router {
  const router = Router();

  router.get('/reports/failover-history', async (req: Request, res: Response) => {
    const { rows, truncated } = await failoverHistory(db, queryOf(req));
    res.set('x-twinrec-truncated', String(truncated));
    if (!wantsCsv(req)) {
      res.json({ columns: failoverHistoryColumns, rows, truncated, rowsMax: reportRowsMax });
      return;
    }
    res.set('content-disposition', 'attachment; filename="twinrec-failover-history.csv"');
    res.type('text/csv; charset=utf-8');
    res.write(csvLine([...failoverHistoryColumns]));
    for (const row of rows) res.write(csvLine(failoverHistoryColumns.map((c) => row[c])));
    res.end();
  });

  return router;
}
