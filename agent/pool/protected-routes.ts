// The protected recording server's routes of the agent's local API (contracts/pool-v1.ts), for
// the local API to mount: its status (with the failback sync's), and the controller's resume
// order (with a failback sync to run, failback-sync.ts). The cluster secret is
// checked (constant time) before a body is read; every refusal is problem+json with a stable type.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { poolProblemSlugs, poolResumeRequestSchema, type PoolProtectedStatus } from '../../contracts/pool-v1.js';
import { bodyParserProblem, problemOf, writeProblem, zodValidationProblem } from '../../shared/problem.js';
import { requireBearerSecret } from '../../shared/secret.js';
import type { FailbackSync } from './failback-sync.js';
import type { ProtectedService } from './protected-service.js';

const titles = {
  'epoch-fenced': 'The epoch is not above every epoch this protected server has seen',
  busy: 'A resume is in progress',
} as const;

/**
 * @example
 *   app.use(protectedRoutes({ guard, failback, secret }));   // GET /api/v1/pool, POST /api/v1/pool/resume
 */
export function protectedRoutes(options: { readonly guard: ProtectedService; readonly failback: Pick<FailbackSync, 'order' | 'status'>; readonly secret: string }): Router {
  const { guard, failback } = options;
  const router = express.Router();
  router.use('/api/v1/pool', requireBearerSecret(options.secret, 'twinrec-agent'));
  const withSync = (status: PoolProtectedStatus): PoolProtectedStatus => ({ ...status, failbackSync: failback.status() });

  router.get('/api/v1/pool', (_req, res) => {
    res.json(withSync(guard.status()));
  });

  // A resume carries up to 4096 camera ids for its failback sync.
  router.post('/api/v1/pool/resume', express.json({ limit: 256 * 1024 }), (req, res) => {
    const body = poolResumeRequestSchema.safeParse(req.body);
    if (!body.success) return writeProblem(res, zodValidationProblem(body.error.issues));
    const result = guard.resume(body.data.epoch);
    if (result.answer.accepted) {
      // Taken in the same turn as the resume, before its steps reach the recorder's start (the placeholders come first).
      if (!result.answer.repeat && body.data.failbackSync !== undefined) failback.order(body.data.failbackSync);
      return void res.status(202).json(withSync(result.status));
    }
    const reason = result.answer.reason;
    writeProblem(res, problemOf(409, poolProblemSlugs[reason], titles[reason], result.answer.detail, { protected: withSync(result.status) }));
  });

  router.use('/api/v1/pool', (err: { type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    writeProblem(res, bodyParserProblem(err) ?? problemOf(500, 'internal-error', 'Internal error', 'the protected server could not handle the request'));
  });
  return router;
}
