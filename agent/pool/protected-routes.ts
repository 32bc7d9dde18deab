// The protected recording server's routes of the agent's local API (contracts/pool-v1.ts), for
// the local API to mount: its status, and the controller's resume order. The cluster secret is
// checked (constant time) before a body is read; every refusal is problem+json with a stable type.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { poolProblemSlugs, poolResumeRequestSchema } from '../../contracts/pool-v1.js';
import { bodyParserProblem, problemOf, writeProblem, zodValidationProblem } from '../../shared/problem.js';
import { requireBearerSecret } from '../../shared/secret.js';
import type { ProtectedService } from './protected-service.js';

const titles = {
  'epoch-fenced': 'The epoch is not above every epoch this protected server has seen',
  busy: 'A resume is in progress',
} as const;

/**
 * @example
 *   app.use(protectedRoutes({ guard, secret }));   // GET /api/v1/pool, POST /api/v1/pool/resume
 */
export function protectedRoutes(options: { readonly guard: ProtectedService; readonly secret: string }): Router {
  const { guard } = options;
  const router = express.Router();
  router.use('/api/v1/pool', requireBearerSecret(options.secret, 'twinrec-agent'));

  router.get('/api/v1/pool', (_req, res) => {
    res.json(guard.status());
  });

  router.post('/api/v1/pool/resume', express.json({ limit: 1024 }), (req, res) => {
    const body = poolResumeRequestSchema.safeParse(req.body);
    if (!body.success) return writeProblem(res, zodValidationProblem(body.error.issues));
    const result = guard.resume(body.data.epoch);
    if (result.answer.accepted) return void res.status(202).json(result.status);
    const reason = result.answer.reason;
    writeProblem(res, problemOf(409, poolProblemSlugs[reason], titles[reason], result.answer.detail, { protected: result.status }));
  });

  router.use('/api/v1/pool', (err: { type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    writeProblem(res, bodyParserProblem(err) ?? problemOf(500, 'internal-error', 'Internal error', 'the protected server could not handle the request'));
  });
  return router;
}
