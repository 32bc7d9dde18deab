// A request whose operation takes a JSON body but that came without one. The body parser leaves
// such a body undefined, and the OpenAPI validator lets an absent body through when the
// Content-Type says JSON (PATCH with `Content-Type: application/json` and no bytes): the handler
// would then read fields of nothing (a 500). Answered here, for every operation at once, before
// the validator: 400 `validation-failed` when no body came at all, 415 `unsupported-media-type`
// when one came that is not JSON. An optional body (a switch's `{"force": true}`) may be absent.
import type { RequestHandler } from 'express';
import { findRoute, routeTable, type OpenApiLike } from './auth.js';
import { sendProblem } from './problem.js';

/** True when the request carries body bytes (RFC 9112: a Transfer-Encoding, or a Content-Length above 0); `Content-Length: 0` is no body. */
function hasBody(headers: { 'content-length'?: string | undefined; 'transfer-encoding'?: string | undefined }): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length.trim() !== '0');
}

export function requireBody(document: OpenApiLike): RequestHandler {
  const routes = routeTable(document);
  return (req, res, next) => {
    // A body the JSON parser took is the validator's to check.
    if (req.body !== undefined) return next();
    const route = findRoute(routes, req.method, req.path);
    if (route === undefined || route.body === 'none') return next();
    if (hasBody(req.headers)) {
      sendProblem(res, 'unsupported-media-type', `The body of ${req.method} ${req.path} must be JSON, sent with Content-Type: application/json (this one is ${req.get('content-type') ?? 'without a Content-Type'})`);
      return;
    }
    if (route.body === 'optional') return next();
    sendProblem(res, 'validation-failed', `${req.method} ${req.path} needs a JSON body (Content-Type: application/json); none was sent`, { errors: [{ path: '/body', message: 'is required' }] });
  };
}
