// The agents' calls (POST /api/v1/agent/register, /report and /recorder-config) through the HTTP stack: every
// agent reports every second (1,000 a second at site scale, issue 19), so what every request
// pays must be paid only where it serves them. They carry no cookies, and their successes are
// logged at debug only: one info line per report would be 1,000 lines a second. A refused or
// failed call is still logged at warn or error, with method, path, status and latency, as
// pino-http logs the others, never headers or bodies.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';

/** The agent link's operations, exactly as the OpenAPI document names them (another spelling takes the general path). */
const agentCallPaths: ReadonlySet<string> = new Set(['/api/v1/agent/register', '/api/v1/agent/report', '/api/v1/agent/recorder-config']);

export function isAgentCall(req: Request): boolean {
  return req.method === 'POST' && agentCallPaths.has(req.path);
}

/** `handler` for every request but the agents' calls. */
export function exceptAgentCalls(handler: RequestHandler): RequestHandler {
  return (req, res, next) => (isAgentCall(req) ? next() : handler(req, res, next));
}

/** Logs agent calls (others go to `general`): successes at debug, refusals at warn, failures at error. */
export function agentCallLogging(log: Logger, general: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!isAgentCall(req)) return general(req, res, next);
    const startMs = performance.now();
    const path = req.path;
    res.once('finish', () => {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'debug';
      if (!log.isLevelEnabled(level)) return;
      const ms = Math.round(performance.now() - startMs);
      log[level]({ req: { method: 'POST', path }, res: { status }, responseTime: ms }, `POST ${path} ${status} ${ms}ms`);
    });
    next();
  };
}
