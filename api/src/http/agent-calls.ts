// The agents' calls (POST /api/v1/agent/register, /report and /recorder-config), answered ahead
// of the rest of the application: every agent reports every second (1,000 a second at site scale,
// issue 19), so what every request pays must be paid only where it serves them. They skip the
// console's cookie parser, the session and token check, the general body parsers, the body
// checks of other operations and the OpenAPI validator (whose only check of their bodies is that
// they are objects: the routes hold them to the protocol's zod schemas), some forty layers that
// the profile of bench/scale.bench.ts showed each report walking. What they still get, as every
// request does: the security headers, a count and a time in the metrics, a log line
// (request-logging.ts; successes at debug only), and problem+json for every error, from the
// application's error handler.
import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import type { OpenApiLike } from './auth.js';
import { sendProblem } from './problem.js';
import { requireBody } from './request-body.js';
import { requestLogging } from './request-logging.js';
import { apiCacheControl } from './security-headers.js';

/** The agent link's operations, exactly as the OpenAPI document names them (another spelling takes the general path). */
const agentCallPaths: ReadonlySet<string> = new Set(['/api/v1/agent/register', '/api/v1/agent/report', '/api/v1/agent/recorder-config']);

export function isAgentCall(req: Request): boolean {
  return req.method === 'POST' && agentCallPaths.has(req.path);
}

export interface AgentCallsOptions {
  readonly log: Logger;
  /** Counts and times every request (metrics.ts). */
  readonly metrics: RequestHandler;
  /** The agent link's routes (routes/agent-link.ts), their paths under /api/v1. */
  readonly routes: Router;
  /** Largest body taken from an agent. */
  readonly bodyLimitBytes: number;
  /** The OpenAPI document: which operations need a body (requireBody). */
  readonly document: OpenApiLike;
}

/** Answers the agents' calls; every other request goes on (`next`) untouched. */
export function agentCallsFirst(options: AgentCallsOptions): RequestHandler {
  const stack = Router();
  stack.use(refuseQueryParameters);
  stack.use(express.json({ limit: options.bodyLimitBytes, strict: true, type: ['application/json', 'application/*+json'] }));
  stack.use(requireBody(options.document));
  stack.use('/api/v1', options.routes);
  const logging = requestLogging(options.log, 'debug');
  return (req, res, next) => {
    if (!isAgentCall(req)) return next();
    // As security-headers.ts sets them on every /api answer.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', apiCacheControl);
    // An error (a refused secret, a bad body) goes on to the application's error handler.
    logging(req, res, () => options.metrics(req, res, () => stack(req, res, next)));
  };
}

/** What the OpenAPI validator (allowUnknownQueryParameters: false) answers for other operations: the agent link takes no query parameters. */
function refuseQueryParameters(req: Request, res: Response, next: NextFunction): void {
  const names = Object.keys(req.query as Record<string, unknown>);
  if (names.length === 0) return next();
  sendProblem(res, 'validation-failed', names.map((n) => `/query/${n} Unknown query parameter '${n}'`).join('; '), { errors: names.map((n) => ({ path: `/query/${n}`, message: `Unknown query parameter '${n}'` })) });
}
