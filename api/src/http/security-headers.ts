// Headers every answer carries, whatever answers it (a route, a problem, the console): no
// browser guesses a type other than the one sent (`nosniff`), and nothing under /api is kept by
// a browser or a proxy cache (`no-store`): answers there may hold accounts, tokens, cluster
// state, and a shared computer's back button or a caching proxy must not show them to the next person.
import type { RequestHandler } from 'express';
import { isApiPath, reachesApi } from './auth.js';

export const apiCacheControl = 'no-store';

/** What securityHeaders sets on an /api answer, for the answers written without express (the direct paths). */
export const apiAnswerHeaders = { 'x-content-type-options': 'nosniff', 'cache-control': apiCacheControl } as const;

export const securityHeaders: RequestHandler = (req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (isApiPath(req.path) || reachesApi(req.path)) res.setHeader('Cache-Control', apiCacheControl);
  next();
};
