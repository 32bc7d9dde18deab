// /api/v1/clusters/{id}/focus: the node this session (or token) looks at in a cluster.
import { Router } from 'express';
import type { FocusService } from '../../auth/focus.js';
import type { FocusRequest } from '../../model/focus.js';
import { actorOf, requireIdentity } from '../auth.js';

export function focusRoutes(focus: FocusService): Router {
  const router = Router();

  router.post('/clusters/:clusterId/focus', async (req, res) => {
    const body = req.body as FocusRequest;
    res.json(await focus.set(requireIdentity(req), String(req.params.clusterId), body.nodeId, actorOf(req)));
  });

  router.delete('/clusters/:clusterId/focus', async (req, res) => {
    await focus.clear(requireIdentity(req), String(req.params.clusterId), actorOf(req));
    res.status(204).end();
  });

  return router;
}
