// RFC 9457 problem details: the only error shape the API returns.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { DatabaseUnavailableError, describe } from '../db/database.js';
import { isUnavailableError } from '../db/errors.js';
import { DomainError } from '../domain/errors.js';
import { problemOf, writeProblem, type Problem } from '../../../shared/problem.js';
import { problemTypes, type ProblemType } from '../model/problem-types.js';

export function sendProblem(res: Response, type: ProblemType, detail: string, extensions: Record<string, unknown> = {}, status?: number): void {
  const { problem, headers } = problemAnswer({ type, detail, extensions, status }, res.req.originalUrl);
  writeProblem(res, problem, headers);
}

/** What answers an error: a problem type, its detail and extensions, and a status where not the type's. */
export interface ProblemFor {
  readonly type: ProblemType;
  readonly detail: string;
  readonly extensions?: Record<string, unknown>;
  readonly status?: number | undefined;
}

/** The problem document for `p` at `instance` (the request's path and query), with the headers it needs. */
export function problemAnswer(p: ProblemFor, instance: string): { problem: Problem; headers: Record<string, string> } {
  const known = problemTypes[p.type];
  const extensions = p.extensions ?? {};
  const problem = { ...problemOf(p.status ?? known.status, p.type, known.title, p.detail, extensions), instance };
  const headers: Record<string, string> = {};
  // 429 and 503 say when to come back: the problem's own `retryAfterSeconds`, else 5 s for a 503.
  const retryAfter = typeof extensions.retryAfterSeconds === 'number' ? extensions.retryAfterSeconds : problem.status === 503 ? 5 : undefined;
  if ((problem.status === 429 || problem.status === 503) && retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  // RFC 6750: API tokens (and the agents' cluster secret) are Bearer tokens; the console's cookie is the other way in.
  if (problem.status === 401) headers['www-authenticate'] = 'Bearer realm="twinrec"';
  return { problem, headers };
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
    const p = problemForError(err, log);
    sendProblem(res, p.type, p.detail, p.extensions, p.status);
  };
}

/** The problem that answers `err` (a domain error, the database gone, a body parser's or the OpenAPI validator's error, or anything else: 500, logged). */
export function problemForError(err: unknown, log: Logger): ProblemFor {
  if (err instanceof DomainError) return { type: err.type, detail: err.message, extensions: { ...err.extensions }, status: err.status };
  if (err instanceof DatabaseUnavailableError || isUnavailableError(err)) {
    log.warn({ err: describe(err) }, 'request failed: database unavailable');
    return { type: 'database-unavailable', detail: 'The database cannot be reached; nothing was changed. Retry later.' };
  }
  const e = err as { status?: number; type?: string; errors?: ValidatorError[]; message?: string; expose?: boolean };
  if (e.type === 'entity.too.large') return { type: 'body-too-large', detail: `The request body exceeds the limit of ${(e as { limit?: number }).limit ?? 'the configured'} bytes` };
  if (e.type === 'entity.parse.failed') return { type: 'malformed-json', detail: 'The request body is not valid JSON' };
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return { type: 'unsupported-media-type', detail: e.message ?? 'Unsupported body encoding' };
  if (typeof e.status === 'number' && Array.isArray(e.errors)) {
    // express-openapi-validator: request (4xx) or, in tests, response (500) validation.
    const errors = e.errors.map((v) => ({ path: v.path ?? '', message: v.message ?? '' }));
    const byStatus: Record<number, ProblemType> = { 400: 'validation-failed', 404: 'not-found', 405: 'method-not-allowed', 406: 'not-acceptable', 413: 'body-too-large', 415: 'unsupported-media-type', 401: 'unauthorized', 403: 'forbidden' };
    const type = byStatus[e.status];
    if (type !== undefined) return { type, detail: errors.map((v) => `${v.path} ${v.message}`.trim()).join('; ') || (e.message ?? ''), extensions: { errors } };
    log.error({ errors }, 'response failed OpenAPI validation');
    return { type: 'internal-error', detail: `The response did not match the API schema: ${errors.map((v) => `${v.path} ${v.message}`).join('; ')}`, extensions: { errors } };
  }
  log.error({ err }, 'unhandled error');
  return { type: 'internal-error', detail: 'An unexpected error occurred; it has been logged.' };
}
