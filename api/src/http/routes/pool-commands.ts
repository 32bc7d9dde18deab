// /api/v1/clusters/{clusterId}/nodes/{nodeId}/failover/…: a failover pool's operator commands
// (agent-link/pool-commands.ts). Bodies were validated against the OpenAPI document, which also
// gives each its role (operator; replace: admin).
import { Router, type Request } from 'express';
import type { PoolCommandService } from '../../agent-link/pool-commands.js';
import type { FailoverReplaceRequest, FailoverStartRequest, FailoverStopRequest } from '../../model/pool-commands.js';
import { actorOf } from './clusters.js';

const param = (req: Request, name: string): string => String(req.params[name]);

export function poolCommandRoutes(commands: PoolCommandService): Router {
  const router = Router();
  const base = '/clusters/:clusterId/nodes/:nodeId/failover';

  router.post(`${base}/start`, async (req, res) => {
    res.status(202).json(await commands.start(param(req, 'clusterId'), param(req, 'nodeId'), (req.body ?? {}) as FailoverStartRequest, actorOf(req)));
  });
  router.post(`${base}/stop`, async (req, res) => {
    res.status(202).json(await commands.stop(param(req, 'clusterId'), param(req, 'nodeId'), (req.body ?? {}) as FailoverStopRequest, actorOf(req)));
  });
  router.post(`${base}/finish-failback`, async (req, res) => {
    res.status(202).json(await commands.finishFailback(param(req, 'clusterId'), param(req, 'nodeId'), actorOf(req)));
  });
  router.post(`${base}/replace`, async (req, res) => {
    res.json(await commands.replace(param(req, 'clusterId'), param(req, 'nodeId'), req.body as FailoverReplaceRequest, actorOf(req)));
  });
  return router;
}
