// Authentication and authorization of every REST request. The OpenAPI document says what each
// operation needs (`security`: public `[]`, the agents' cluster secret, or a role as the scope
// of the session cookie and the API token, OpenAPI 3.1 role names); this middleware reads that
// table once and enforces it before the request is validated, so an anonymous caller learns
// nothing from validation errors. An operation without `security` needs an admin (fail closed).
import type { Request, RequestHandler, Response } from 'express';
import type { Identity } from '../auth/identity.js';
import { roleAtLeast, isRole } from '../auth/roles.js';
import type { SignInService } from '../auth/sign-in.js';
import type { AuditLog } from '../domain/audit-log.js';
import type { Actor } from '../domain/audit.js';
import { problem } from '../domain/errors.js';
import type { Role } from '../model/vocabulary.js';
import { sendProblem } from './problem.js';

/** The console's session cookie. */
export const sessionCookieName = 'twinrec_session';

/** What an operation asks of its caller. */
export type Access = { readonly kind: 'public' } | { readonly kind: 'agent' } | { readonly kind: 'role'; readonly role: Role };

interface Route {
  /** As the document spells it. */
  readonly path: string;
  readonly method: string;
  readonly pattern: RegExp;
  /** Literal segments first: `/auth/session` wins over a `/{id}` at the same place. */
  readonly params: number;
  readonly access: Access;
  /** Whether the operation takes a body: `required`, `optional` or `none` (its `requestBody`). */
  readonly body: 'required' | 'optional' | 'none';
}

type Security = ReadonlyArray<Readonly<Record<string, readonly string[]>>>;
export interface OpenApiLike {
  readonly paths: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

const methods = ['get', 'put', 'post', 'patch', 'delete'] as const;
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What an operation's `security` asks for. */
export function accessOf(security: Security | undefined): Access {
  if (security === undefined) return { kind: 'role', role: 'admin' };
  if (security.length === 0 || security.some((alternative) => Object.keys(alternative).length === 0)) return { kind: 'public' };
  if (security.every((alternative) => 'clusterSecret' in alternative)) return { kind: 'agent' };
  const scopes = security.flatMap((alternative) => Object.values(alternative).flat());
  const role = scopes.find(isRole);
  return { kind: 'role', role: role ?? 'admin' };
}

/** Every operation of the document as a method, a path pattern and its access. */
export function routeTable(document: OpenApiLike): Route[] {
  const routes: Route[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of methods) {
      const operation = item[method] as { security?: Security; requestBody?: { required?: boolean } } | undefined;
      if (operation === undefined) continue;
      const source = path.split('/').map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
      // Case-insensitive, as Express routes: /API/v1/USERS reaches the users router, so it must meet the users' rule.
      const body = operation.requestBody === undefined ? 'none' : operation.requestBody.required === true ? 'required' : 'optional';
      routes.push({ path, method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`, 'i'), params: (path.match(/\{/g) ?? []).length, access: accessOf(operation.security), body });
    }
  }
  return routes.sort((a, b) => a.params - b.params);
}

/** The operation a request is for, if the document has it. */
export function findRoute(routes: readonly Route[], method: string, path: string): Route | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return routes.find((r) => r.method === m && r.pattern.test(path));
}

/** The methods the document has for a path (HEAD with GET), for a 405's Allow header. */
export function methodsOf(routes: readonly Route[], path: string): string[] {
  const found = routes.filter((r) => r.pattern.test(path)).map((r) => r.method);
  return [...new Set(found.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])))];
}

/** Paths under /api, in any case: every one of them is an operation of the document or refused. */
export function isApiPath(path: string): boolean {
  return /^\/api(?:\/|$)/i.test(path);
}

/** Segments one normalisation pass may resolve at most; a longer path is treated as reaching the API. */
const pathSegmentsMax = 256;

/**
 * A path as a browser or a proxy in front might read it: percent-encoded unreserved characters,
 * slashes and backslashes decoded (once), backslashes as slashes, repeated slashes as one, `.`
 * and `..` segments resolved (RFC 3986 6.2.2, 5.2.4). Express routes the raw path, so
 * `//api/v1/users`, `/x/../api/v1/users` and `/%61pi/v1/users` reach no API route, and would
 * otherwise fall through to the console.
 *
 * @example
 *   normalisedPath('/x/%2E%2E//api/v1') // '/api/v1'
 */
export function normalisedPath(path: string): string {
  const decoded = path
    .replace(/%([0-9A-Fa-f]{2})/g, (encoded, hex: string) => {
      const c = String.fromCharCode(parseInt(hex, 16));
      return /^[A-Za-z0-9._~/\\-]$/.test(c) ? c : encoded;
    })
    .replace(/\\/g, '/');
  const out: string[] = [];
  const segments = decoded.split('/').slice(1);
  for (const [i, segment] of segments.entries()) {
    if (i >= pathSegmentsMax) break;
    if (segment === '..') out.pop();
    else if (segment !== '.' && segment !== '') out.push(segment);
  }
  const last = segments.at(-1);
  return `/${out.join('/')}${out.length > 0 && (last === '' || last === '.' || last === '..') ? '/' : ''}`;
}

/**
 * True for a path that is not the API as written but may be taken for it: one that starts with
 * `//` (a scheme-relative URL to a browser), or one that normalises to a path under /api. Such a
 * path is answered 404 problem+json: never the console's page, never an operation.
 */
export function reachesApi(path: string): boolean {
  if (isApiPath(path)) return false;
  return path.startsWith('//') || isApiPath(normalisedPath(path)) || path.split('/').length > pathSegmentsMax;
}

const identities = new WeakMap<Request, Identity>();
const rechecks = new WeakMap<Request, () => Promise<Identity | null>>();

/**
 * For a request that outlives its first check (an event stream): whether the credential it came
 * with is still valid, for the same session or token, at no less than `role`. False only when
 * the credential is known gone: a logout, a revocation, a role change or the session's end.
 * A lookup that fails (the database is down) is no answer: the promise rejects, and the caller
 * decides how long it keeps a stream it cannot check (see EventStreams).
 */
export function credentialRecheckOf(req: Request, role: Role): () => Promise<boolean> {
  const recheck = rechecks.get(req);
  const first = identities.get(req);
  if (recheck === undefined || first === undefined) return () => Promise.resolve(false);
  const ended = (identity: Identity): boolean => identity.expiresAt !== null && identity.expiresAt.getTime() <= Date.now();
  return async () => {
    // Past its end it is gone, whether or not the database can be asked.
    if (ended(first)) return false;
    const now = await recheck();
    return now !== null && !ended(now) && now.credentialId === first.credentialId && roleAtLeast(now.role, role);
  };
}

/** The authenticated caller of a request, if any. */
export function identityOf(req: Request): Identity | undefined {
  return identities.get(req);
}

/** The authenticated caller; a handler of a protected operation always has one. */
export function requireIdentity(req: Request): Identity {
  const identity = identities.get(req);
  if (identity === undefined) throw problem('unauthenticated', 'Sign in (POST /api/v1/auth/login) or send Authorization: Bearer trk_…');
  return identity;
}

/**
 * A backstop in front of the routers of protected operations: a request that reached them
 * without an identity (a gap in authMiddleware's table) is refused with 401, never answered.
 */
export const requireCaller: RequestHandler = (req, res, next) => {
  if (identities.has(req)) return next();
  sendProblem(res, 'unauthenticated', 'Sign in (POST /api/v1/auth/login) or send Authorization: Bearer trk_…');
};

/** Who is asking for a change, as the audit log writes it: the account's name and the request's address. */
export function actorOf(req: Request): Actor {
  return { name: requireIdentity(req).username, address: req.ip ?? null };
}

export interface AuthMiddlewareOptions {
  readonly signIn: SignInService;
  readonly audit: AuditLog;
  readonly document: OpenApiLike;
  /** http.publicOrigin: when set, the only origin cookie-authenticated changes may come from. */
  readonly publicOrigin?: string | undefined;
}

/**
 * Finds the caller (an `Authorization: Bearer trk_…` header, else the session cookie) and
 * checks the operation's role: 401 `unauthenticated` without a valid credential, 403
 * `forbidden` below the role (audited as `denied` for changes), 403 `csrf-rejected` for a
 * change without a Bearer token whose Origin is another site's. Fails closed: a path under
 * /api (in any case) that is no operation of the document is answered here, 404 `not-found` or
 * 405 `method-not-allowed`, and never reaches a router.
 */
export function authMiddleware(options: AuthMiddlewareOptions): RequestHandler {
  const routes = routeTable(options.document);
  return async (req, res, next) => {
    const route = findRoute(routes, req.method, req.path);
    if (route === undefined) {
      if (reachesApi(req.path)) {
        sendProblem(res, 'not-found', `no resource at ${req.method} ${req.path}: send the path as the API names it (${normalisedPath(req.path)})`);
        return;
      }
      // Not the API (the console's files): nothing to protect here.
      if (!isApiPath(req.path)) return next();
      const allowed = methodsOf(routes, req.path);
      if (allowed.length > 0) {
        res.setHeader('Allow', allowed.join(', '));
        sendProblem(res, 'method-not-allowed', `${req.method} is not an operation of ${req.path}; it has ${allowed.join(', ')}`);
      } else {
        sendProblem(res, 'not-found', `no resource at ${req.method} ${req.path}`);
      }
      return;
    }
    // The agents' calls are answered before this layer, as the document spells them (agent-calls.ts,
    // agent-report-direct.ts); another spelling (`/API/V1/AGENT/REPORT`) reaches no route.
    if (route.access.kind === 'agent') {
      sendProblem(res, 'not-found', `no resource at ${req.method} ${req.path}: agents call ${route.path}`);
      return;
    }
    const authorization = req.get('authorization');
    const crossSite = unsafeMethods.has(req.method) && authorization === undefined ? crossSiteSender({ origin: req.get('origin'), secFetchSite: req.get('sec-fetch-site'), referer: req.get('referer') }, req.get('host'), options.publicOrigin) : null;
    if (crossSite !== null) {
      sendProblem(res, 'csrf-rejected', `A change from ${crossSite} is refused: only this site's console may send cookie-authenticated changes`);
      return;
    }
    const cookie = cookieOf(req);
    const identity = await authenticate(options.signIn, authorization, cookie);
    if (identity !== null) {
      identities.set(req, identity);
      rechecks.set(req, () => authenticate(options.signIn, authorization, cookie));
    }
    if (route.access.kind === 'public') return next();
    if (identity === null) {
      if (authorization === undefined && cookieOf(req) !== undefined) clearSessionCookie(res, req.secure);
      const detail = authorization !== undefined || cookieOf(req) !== undefined ? 'The session or token is unknown, expired or revoked; sign in again' : 'Sign in (POST /api/v1/auth/login) or send Authorization: Bearer trk_…';
      sendProblem(res, 'unauthenticated', detail);
      return;
    }
    if (!roleAtLeast(identity.role, route.access.role)) {
      if (unsafeMethods.has(req.method)) await options.audit.record({ name: identity.username, address: req.ip ?? null }, 'access.denied', `${req.method} ${req.path}`, 'denied');
      sendProblem(res, 'forbidden', `${req.method} ${req.path} needs the ${route.access.role} role; this ${identity.via} has ${identity.role}`, { role: identity.role, requiredRole: route.access.role });
      return;
    }
    next();
  };
}

/** The caller behind an Authorization header (it wins) or a session cookie, or null. */
export async function authenticate(signIn: SignInService, authorization: string | undefined, cookie: string | undefined): Promise<Identity | null> {
  // An explicit header wins over a cookie the browser may send along.
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match === null ? null : signIn.fromToken(match[1] as string);
  }
  return cookie === undefined ? null : signIn.fromSession(cookie);
}

/** The session cookie's value once cookie-parser has read the request's cookies. */
export function cookieOf(req: Request): string | undefined {
  const value: unknown = (req as Request & { cookies?: Record<string, unknown> }).cookies?.[sessionCookieName];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * True without an Origin header (not a browser's cross-site request), or when it is this site:
 * with `publicOrigin` (http.publicOrigin), exactly that origin, scheme and port included;
 * without, an origin naming the host the request was sent to. The scheme is not compared then:
 * behind a TLS proxy the browser's origin is https while this server sees http, and a page on
 * the same host is this site anyway.
 */
export function sameOrigin(origin: string | undefined, host: string | undefined, publicOrigin?: string): boolean {
  if (origin === undefined) return true;
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    if (publicOrigin !== undefined) return url.origin === new URL(publicOrigin).origin;
    return host !== undefined && url.host.toLowerCase() === host.toLowerCase();
  } catch {
    // `null` (a sandboxed page, a redirect across sites) and anything unparsable.
    return false;
  }
}

/** What a browser says about where a request comes from. */
export interface RequestSender {
  readonly origin: string | undefined;
  /** Fetch Metadata (`same-origin`, `same-site`, `cross-site`, `none`): sent by current browsers, also where they omit Origin. */
  readonly secFetchSite: string | undefined;
  readonly referer: string | undefined;
}

/**
 * Who sent a cookie-authenticated change from another site, in words; null when nothing says so.
 * Refused: an `Origin` that is not this site (sameOrigin); `Sec-Fetch-Site` other than
 * `same-origin` or `none` (a typed URL, a bookmark), since `same-site` is another origin too (a
 * sibling host, another port); without `Origin`, a `Referer` whose origin is not this site (an
 * unparsable one included). A request with none of them (curl, a script) is no browser's
 * cross-site request and passes, as before.
 */
export function crossSiteSender(sender: RequestSender, host: string | undefined, publicOrigin?: string): string | null {
  if (sender.origin !== undefined && !sameOrigin(sender.origin, host, publicOrigin)) return `origin ${sender.origin}`;
  const site = sender.secFetchSite?.toLowerCase();
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `a ${site} page (Sec-Fetch-Site)`;
  if (sender.origin === undefined && sender.referer !== undefined && !sameOrigin(originOfUrl(sender.referer), host, publicOrigin)) return `a page of another site (Referer ${originOfUrl(sender.referer)})`;
  return null;
}

/** The origin of a URL (the Referer's), or `null` when it has none: sameOrigin refuses that. */
function originOfUrl(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}

export interface SessionCookieOptions {
  readonly secure: boolean;
}

export function setSessionCookie(res: Response, secret: string, expiresAt: Date, options: SessionCookieOptions): void {
  res.cookie(sessionCookieName, secret, { httpOnly: true, sameSite: 'strict', path: '/', secure: options.secure, expires: expiresAt });
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(sessionCookieName, { httpOnly: true, sameSite: 'strict', path: '/', secure });
}
