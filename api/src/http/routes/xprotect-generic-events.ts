// /api/v1/xprotect/generic-events: what the controller tells XProtect's Event Server, set by an
// admin, and a test send (api/src/xprotect-events/). Bodies were validated against the OpenAPI
// document; the templates' placeholders are checked by the service.
import { Router, type Request } from 'express';
import { genericEventsEtagOf, type GenericEventService } from '../../xprotect-events/service.js';
import type { GenericEventSettings, GenericEventTestRequest } from '../../xprotect-events/settings.js';
import { actorOf } from './clusters.js';

const ifMatchOf = (req: Request): string | undefined => req.get('if-match') ?? undefined;

export function genericEventRoutes(service: GenericEventService): Router {
  const router = Router();

  router.get('/xprotect/generic-events', async (_req, res) => {
    const view = await service.get();
    res.set('ETag', genericEventsEtagOf(view.version)).json(view);
  });

  router.put('/xprotect/generic-events', async (req, res) => {
    const view = await service.replace(req.body as GenericEventSettings, ifMatchOf(req), actorOf(req));
    res.set('ETag', genericEventsEtagOf(view.version)).json(view);
  });

  router.post('/xprotect/generic-events/test', async (req, res) => {
    res.json(await service.test(req.body as GenericEventTestRequest, actorOf(req)));
  });

  return router;
}
