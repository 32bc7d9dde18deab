// One log line per request, when it is answered or its connection closes: method, path (never
// the query string, which may carry tokens), status and latency; no headers, no bodies. Failures
// at error, refusals at warn, successes at the level given (info; the agents' calls at debug:
// one info line per report would be 1,000 lines a second at site scale). It replaces pino-http,
// whose two child loggers per request (each serialising its bindings) cost the Device Overview a
// tenth of its time under polling (bench/scale.bench.ts), for the same line.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger, Level } from 'pino';

export function requestLogging(log: Logger, successLevel: Level = 'info'): RequestHandler {
  return (req, res, next) => {
    logRequest(log, successLevel, req, res);
    next();
  };
}

/** Logs `req` once, when `res` finishes or closes (for a request answered without express too). */
export function logRequest(log: Logger, successLevel: Level, req: IncomingMessage & { originalUrl?: string }, res: ServerResponse): void {
  const startMs = performance.now();
  const method = req.method ?? '';
  const path = (req.originalUrl || req.url || '').split('?')[0] ?? '';
  let logged = false;
  const complete = (): void => {
    if (logged) return;
    logged = true;
    const status = res.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : successLevel;
    if (!log.isLevelEnabled(level)) return;
    const ms = Math.round(performance.now() - startMs);
    log[level]({ req: { method, path }, res: { status }, responseTime: ms }, `${method} ${path} ${status} ${ms}ms`);
  };
  // A stream the client leaves (the event stream) closes without finishing: it is logged then.
  res.once('finish', complete);
  res.once('close', complete);
}
