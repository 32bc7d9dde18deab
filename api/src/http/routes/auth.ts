// /api/v1/auth: console login and logout (session cookie), the caller's session, and changing
// one's own password. Bodies were validated against the OpenAPI document.
import { Router } from 'express';
import type { AccountService } from '../../auth/accounts.js';
import type { FocusService } from '../../auth/focus.js';
import { userRefOf } from '../../auth/identity.js';
import type { SignInService } from '../../auth/sign-in.js';
import type { LoginAnswer, LoginRequest, PasswordChange, Session } from '../../model/account.js';
import { actorOf, clearSessionCookie, identityOf, requireIdentity, setSessionCookie } from '../auth.js';

export interface AuthRouteOptions {
  readonly signIn: SignInService;
  readonly accounts: AccountService;
  readonly focus: FocusService;
  readonly cookieSecure: boolean;
}

export function authRoutes(options: AuthRouteOptions): Router {
  const { signIn, accounts, focus, cookieSecure } = options;
  const router = Router();

  router.post('/auth/login', async (req, res) => {
    const body = req.body as LoginRequest;
    const session = await signIn.login(body.username, body.password, req.ip ?? null);
    setSessionCookie(res, session.secret, session.expiresAt, { secure: cookieSecure });
    const answer: LoginAnswer = { user: session.user, expiresAt: session.expiresAt.toISOString() };
    res.set('Cache-Control', 'no-store').json(answer);
  });

  router.post('/auth/logout', async (req, res) => {
    const identity = identityOf(req);
    if (identity !== undefined) await signIn.logout(identity, req.ip ?? null);
    clearSessionCookie(res, cookieSecure);
    res.status(204).end();
  });

  router.get('/auth/session', async (req, res) => {
    const identity = requireIdentity(req);
    const session: Session = {
      user: userRefOf(identity),
      via: identity.via,
      role: identity.role,
      expiresAt: identity.expiresAt?.toISOString() ?? null,
      focus: await focus.list(identity),
    };
    res.set('Cache-Control', 'no-store').json(session);
  });

  router.post('/auth/password', async (req, res) => {
    const body = req.body as PasswordChange;
    await accounts.changePassword(requireIdentity(req), body.currentPassword, body.newPassword, actorOf(req).address);
    res.status(204).end();
  });

  return router;
}
