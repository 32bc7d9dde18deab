// /api/v1/clusters/{id}/backfill: each node's gap audit and backfill job, and the start, pause
// and resume commands relayed to the agents. Bodies were validated against the OpenAPI document.
import { Router, type Request } from 'express';
import type { BackfillService } from '../../agent-link/backfill-commands.js';
import { backfillActions, type BackfillCommandRequest } from '../../model/backfill.js';
import { actorOf } from './clusters.js';

const param = (req: Request, name: string): string => String(req.params[name]);

export function backfillRoutes(backfill: BackfillService): Router {
  const router = Router();

  router.get('/clusters/:clusterId/backfill', async (req, res) => {
    res.json(await backfill.view(param(req, 'clusterId')));
  });

  for (const action of backfillActions) {
    router.post(`/clusters/:clusterId/backfill/${action}`, async (req, res) => {
      // The body is optional: none at all asks the default nodes without a reason.
      const body = (req.body ?? {}) as BackfillCommandRequest;
      res.status(202).json(await backfill.command(param(req, 'clusterId'), action, body, actorOf(req)));
    });
  }

  return router;
}
