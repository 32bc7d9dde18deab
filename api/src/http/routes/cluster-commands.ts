// /api/v1/clusters/{id}/state, /switch and /maintenance: the cluster's live state and the
// operator commands relayed to its agents. Bodies were validated against the OpenAPI document.
import { Router, type Request } from 'express';
import type { ClusterCommandService } from '../../agent-link/cluster-commands.js';
import type { MaintenanceRequest, SwitchRequest } from '../../model/command.js';
import { actorOf } from './clusters.js';

const param = (req: Request, name: string): string => String(req.params[name]);

export function clusterCommandRoutes(commands: ClusterCommandService): Router {
  const router = Router();

  router.get('/clusters/:clusterId/state', async (req, res) => {
    res.json(await commands.state(param(req, 'clusterId')));
  });

  router.post('/clusters/:clusterId/switch', async (req, res) => {
    // The body is optional: no body at all is a switch without a reason, not forced.
    const body = (req.body ?? {}) as SwitchRequest;
    res.status(202).json(await commands.switchServing(param(req, 'clusterId'), body, actorOf(req)));
  });

  router.post('/clusters/:clusterId/maintenance', async (req, res) => {
    const body = req.body as MaintenanceRequest;
    res.json(await commands.setMaintenance(param(req, 'clusterId'), body.on, body.reason, actorOf(req)));
  });

  return router;
}
