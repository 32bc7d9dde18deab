// /api/v1/system: which controller answered and which singleton work runs where (issue 19), for
// an operator checking that a second controller on the database took over. Viewers read it.
import { Router } from 'express';
import type { ControllerLeases } from '../../domain/controller-leases.js';
import type { ControllerSystem } from '../../model/system.js';

export function systemRoutes(leases: ControllerLeases, dialect: ControllerSystem['dialect']): Router {
  const router = Router();

  router.get('/system', async (_req, res) => {
    const answer: ControllerSystem = { controllerId: leases.controllerId, dialect, leases: await leases.view() };
    res.json(answer);
  });

  return router;
}
