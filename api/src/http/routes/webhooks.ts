// /api/v1/webhooks: outgoing HTTP notifications of events, set up by an admin
// (api/src/webhooks/). Bodies were validated against the OpenAPI document; URLs and clusters are
// checked by the service.
import { Router, type Request } from 'express';
import { webhookEtagOf, type WebhookService } from '../../webhooks/service.js';
import type { WebhookCreate, WebhookUpdate } from '../../webhooks/model.js';
import { actorOf } from './clusters.js';

const ifMatchOf = (req: Request): string | undefined => req.get('if-match') ?? undefined;
const idOf = (req: Request): string => String(req.params.webhookId);

export function webhookRoutes(service: WebhookService): Router {
  const router = Router();

  router.get('/webhooks', async (_req, res) => {
    res.json({ items: await service.list() });
  });

  router.post('/webhooks', async (req, res) => {
    const created = await service.create(req.body as WebhookCreate, actorOf(req));
    res.status(201).set('ETag', webhookEtagOf(created.version)).location(`/api/v1/webhooks/${created.id}`).json(created);
  });

  router.get('/webhooks/:webhookId', async (req, res) => {
    const view = await service.get(idOf(req));
    res.set('ETag', webhookEtagOf(view.version)).json(view);
  });

  router.patch('/webhooks/:webhookId', async (req, res) => {
    const view = await service.update(idOf(req), req.body as WebhookUpdate, ifMatchOf(req), actorOf(req));
    res.set('ETag', webhookEtagOf(view.version)).json(view);
  });

  router.delete('/webhooks/:webhookId', async (req, res) => {
    await service.delete(idOf(req), ifMatchOf(req), actorOf(req));
    res.status(204).end();
  });

  router.post('/webhooks/:webhookId/rotate-secret', async (req, res) => {
    const view = await service.rotateSecret(idOf(req), actorOf(req));
    res.set('ETag', webhookEtagOf(view.version)).json(view);
  });

  router.get('/webhooks/:webhookId/deliveries', async (req, res) => {
    const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
    res.json({ items: await service.deliveries(idOf(req), limit) });
  });

  router.post('/webhooks/:webhookId/test', async (req, res) => {
    res.json(await service.test(idOf(req), actorOf(req)));
  });

  return router;
}
