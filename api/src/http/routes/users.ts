// /api/v1/users: accounts, for admins. Bodies were validated against the OpenAPI document.
import { Router, type Request } from 'express';
import type { AccountService } from '../../auth/accounts.js';
import type { UserCreate, UserUpdate } from '../../model/account.js';
import { actorOf } from '../auth.js';

const param = (req: Request, name: string): string => String(req.params[name]);

export function userRoutes(accounts: AccountService): Router {
  const router = Router();

  router.get('/users', async (_req, res) => {
    res.json({ items: await accounts.list() });
  });

  router.post('/users', async (req, res) => {
    const user = await accounts.create(req.body as UserCreate, actorOf(req));
    res.status(201).location(`${req.baseUrl}/users/${user.id}`).json(user);
  });

  router.patch('/users/:userId', async (req, res) => {
    res.json(await accounts.update(param(req, 'userId'), req.body as UserUpdate, actorOf(req)));
  });

  router.delete('/users/:userId', async (req, res) => {
    await accounts.remove(param(req, 'userId'), actorOf(req));
    res.status(204).end();
  });

  return router;
}
