// RFC 9457 problem details: the only error shape the API returns.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { DatabaseUnavailableError, describe } from '../db/database.js';
import { isUnavailableError } from '../db/errors.js';
import { DomainError } from '../domain/errors.js';
import { problemOf, writeProblem } from '../../../shared/problem.js';
import { problemTypes, type ProblemType } from '../model/problem-types.js';

export function sendProblem(res: Response, type: ProblemType, detail: string, extensions: Record<string, unknown> = {}, status?: number): void {
  const known = problemTypes[type];
  const problem = { ...problemOf(status ?? known.status, type, known.title, detail, extensions), instance: res.req.originalUrl };
  const headers: Record<string, string> = {};
  // 429 and 503 say when to come back: the problem's own `retryAfterSeconds`, else 5 s for a 503.
  const retryAfter = typeof extensions.retryAfterSeconds === 'number' ? extensions.retryAfterSeconds : problem.status === 503 ? 5 : undefined;
  if ((problem.status === 429 || problem.status === 503) && retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  // RFC 6750: API tokens (and the agents' cluster secret) are Bearer tokens; the console's cookie is the other way in.
  if (problem.status === 401) headers['www-authenticate'] = 'Bearer realm="twinrec"';
  writeProblem(res, problem, headers);
}

/** 404 for any path no route matched. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, 'not-found', `no resource at ${req.method} ${req.path}`);
};

interface ValidatorError {
  path?: string;
  message?: string;
  errorCode?: string;
}

/** Maps every thrown error to a problem; logs only what is unexpected. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof DomainError) {
      sendProblem(res, err.type, err.message, { ...err.extensions }, err.status);
      return;
    }
    if (err instanceof DatabaseUnavailableError || isUnavailableError(err)) {
      log.warn({ err: describe(err) }, 'request failed: database unavailable');
      sendProblem(res, 'database-unavailable', 'The database cannot be reached; nothing was changed. Retry later.');
      return;
    }
    const e = err as { status?: number; type?: string; errors?: ValidatorError[]; message?: string; expose?: boolean };
    if (e.type === 'entity.too.large') {
      sendProblem(res, 'body-too-large', `The request body exceeds the limit of ${(e as { limit?: number }).limit ?? 'the configured'} bytes`);
      return;
    }
    if (e.type === 'entity.parse.failed') {
      sendProblem(res, 'malformed-json', 'The request body is not valid JSON');
      return;
    }
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
      sendProblem(res, 'unsupported-media-type', e.message ?? 'Unsupported body encoding');
      return;
    }
    if (typeof e.status === 'number' && Array.isArray(e.errors)) {
      // express-openapi-validator: request (4xx) or, in tests, response (500) validation.
      const errors = e.errors.map((v) => ({ path: v.path ?? '', message: v.message ?? '' }));
      const byStatus: Record<number, ProblemType> = { 400: 'validation-failed', 404: 'not-found', 405: 'method-not-allowed', 406: 'not-acceptable', 413: 'body-too-large', 415: 'unsupported-media-type', 401: 'unauthorized', 403: 'forbidden' };
      const type = byStatus[e.status];
      if (type !== undefined) {
        sendProblem(res, type, errors.map((v) => `${v.path} ${v.message}`.trim()).join('; ') || (e.message ?? ''), { errors });
        return;
      }
      log.error({ errors }, 'response failed OpenAPI validation');
      sendProblem(res, 'internal-error', `The response did not match the API schema: ${errors.map((v) => `${v.path} ${v.message}`).join('; ')}`, { errors });
      return;
    }
    log.error({ err }, 'unhandled error');
    sendProblem(res, 'internal-error', 'An unexpected error occurred; it has been logged.');
  };
}
