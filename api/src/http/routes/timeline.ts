// /api/v1/clusters/{id}/timeline: the cluster's availability timeline (api/src/domain/timeline.ts)
// for a window of 1 minute to 30 days, by default the last 24 h. Viewers and up.
import { Router, type Request } from 'express';
import type { Database } from '../../db/database.js';
import { clusterTimeline } from '../../domain/timeline-query.js';
import { timelineWindowOf } from '../../domain/timeline.js';
import { queryText } from './query.js';

export function timelineRoutes(db: Database, clock: () => Date = () => new Date()): Router {
  const router = Router();
  router.get('/clusters/:clusterId/timeline', async (req: Request, res) => {
    const now = clock();
    const window = timelineWindowOf({ from: queryText(req, 'from'), to: queryText(req, 'to') }, now);
    res.json(await clusterTimeline(db, String(req.params.clusterId), window, now));
  });
  return router;
}
