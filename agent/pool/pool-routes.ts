// The pool standby's routes of the agent's local API (contracts/pool-v1.ts), for the local API
// to mount: the controller's takeover, release, hot standby and replacement (become-protected)
// orders and the standby's status.
// The cluster secret is checked (constant time) before a body is read; bodies are bounded before
// their schema; every refusal is problem+json with a stable type.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { poolBecomeProtectedRequestSchema, poolHotStandbyRequestSchema, poolProblemSlugs, poolReleaseRequestSchema, poolTakeoverRequestSchema, type PoolRefusalReason } from '../../contracts/pool-v1.js';
import { bodyParserProblem, problemOf, writeProblem, zodValidationProblem } from '../../shared/problem.js';
import { requireBearerSecret } from '../../shared/secret.js';
import { StandbyInputError, type StandbyOrderResult, type StandbyService } from './standby-service.js';

const titles: Readonly<Record<PoolRefusalReason, string>> = {
  'epoch-fenced': 'The epoch is not above the one this standby holds',
  busy: 'This standby serves another protected server, or is busy with one (or with its hot standby steps, or a replacement)',
  'not-assigned': 'This standby does not serve that protected server under that epoch',
};

/** The takeover and the hot standby order carry RecorderConfig.xml as base64 (≤ 8 MiB) and up to 4096 cameras. */
const takeoverBodyBytesMax = 9 * 1024 * 1024;

/**
 * @example
 *   app.use(poolRoutes({ standby, secret }));   // POST /api/v1/pool/takeover, …/release, …/hot-standby, …/become-protected, GET /api/v1/pool
 */
export function poolRoutes(options: { readonly standby: StandbyService; readonly secret: string }): Router {
  const { standby } = options;
  const router = express.Router();
  router.use('/api/v1/pool', requireBearerSecret(options.secret, 'twinrec-agent'));

  router.get('/api/v1/pool', (_req, res) => {
    res.json(standby.status());
  });

  router.post('/api/v1/pool/takeover', express.json({ limit: takeoverBodyBytesMax }), (req, res) => {
    const body = poolTakeoverRequestSchema.safeParse(req.body);
    if (!body.success) return writeProblem(res, zodValidationProblem(body.error.issues));
    withConfig(res, () => standby.takeover(body.data));
  });

  router.post('/api/v1/pool/hot-standby', express.json({ limit: takeoverBodyBytesMax }), (req, res) => {
    const body = poolHotStandbyRequestSchema.safeParse(req.body);
    if (!body.success) return writeProblem(res, zodValidationProblem(body.error.issues));
    withConfig(res, () => standby.hotStandby(body.data.assignment));
  });

  router.post('/api/v1/pool/become-protected', express.json({ limit: takeoverBodyBytesMax }), (req, res) => {
    const body = poolBecomeProtectedRequestSchema.safeParse(req.body);
    if (!body.success) return writeProblem(res, zodValidationProblem(body.error.issues));
    withConfig(res, () => standby.becomeProtected(body.data));
  });

  router.post('/api/v1/pool/release', express.json({ limit: 4 * 1024 }), (req, res) => {
    const body = poolReleaseRequestSchema.safeParse(req.body);
    if (!body.success) return writeProblem(res, zodValidationProblem(body.error.issues));
    answer(res, standby.release(body.data.protectedNodeId, body.data.epoch));
  });

  router.use('/api/v1/pool', (err: { type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    writeProblem(res, bodyParserProblem(err) ?? problemOf(500, 'internal-error', 'Internal error', 'the pool standby could not handle the request'));
  });
  return router;
}

/** An order carrying a RecorderConfig.xml: answered, or 400 when the file cannot be used (nothing changed). */
function withConfig(res: Response, order: () => StandbyOrderResult): void {
  try {
    answer(res, order());
  } catch (err) {
    if (!(err instanceof StandbyInputError)) throw err;
    writeProblem(res, problemOf(400, poolProblemSlugs[err.slug], err.slug === 'configInvalid' ? 'The recorder configuration cannot be used' : 'No serving endpoint for that shared address', err.message));
  }
}

/** 202 with the status for a taken order (also a repeat: the answer is the same), 409 with the reason otherwise. */
function answer(res: Response, result: StandbyOrderResult): void {
  if (result.answer.accepted) {
    res.status(202).json(result.status);
    return;
  }
  const reason = result.answer.reason;
  writeProblem(res, problemOf(409, poolProblemSlugs[reason], titles[reason], result.answer.detail, { standby: result.status }));
}
