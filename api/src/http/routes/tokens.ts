// /api/v1/tokens: API tokens of the caller (every account's, for an admin).
import { Router } from 'express';
import type { TokenService } from '../../auth/tokens.js';
import type { TokenCreate } from '../../model/account.js';
import { actorOf, requireIdentity } from '../auth.js';

export function tokenRoutes(tokens: TokenService): Router {
  const router = Router();

  router.get('/tokens', async (req, res) => {
    res.json({ items: await tokens.list(requireIdentity(req)) });
  });

  router.post('/tokens', async (req, res) => {
    const created = await tokens.create(requireIdentity(req), req.body as TokenCreate, actorOf(req));
    res.status(201).location(`${req.baseUrl}/tokens/${created.id}`).set('Cache-Control', 'no-store').json(created);
  });

  router.delete('/tokens/:tokenId', async (req, res) => {
    await tokens.remove(requireIdentity(req), String(req.params.tokenId), actorOf(req));
    res.status(204).end();
  });

  return router;
}
