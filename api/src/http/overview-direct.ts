// GET of the Device Overview (`/api/v1/cameras`, `/api/v1/clusters/{clusterId}/cameras`)
// answered on Node's own request and response, before express sees it. Consoles poll it, and a
// page is already kept as JSON bytes (device-overview.ts), so at site scale express's router,
// its twenty layers and the OpenAPI validator's route lookup (express-openapi-validator compiles
// the pattern of every path it tries, on every request) cost a page more than the page itself
// (bench/scale.bench.ts's CPU profile). Only the plain case is taken: GET of the path exactly as
// the document spells it, a query of the operation's own parameters, each once and in its
// canonical form (checked against the document's schemas, stricter than the validator), and a
// valid credential whose role the operation's `security` admits. Everything else, a refusal
// included, goes on to express, which answers it as before: one place says what is wrong with
// a request. What a page gets here is what it got there: the same bytes, the security headers,
// a metric under the same route label and a log line.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import cookieParser from 'cookie-parser';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { writeProblem } from '../../../shared/problem.js';
import { roleAtLeast } from '../auth/roles.js';
import type { SignInService } from '../auth/sign-in.js';
import type { DeviceOverviewService } from '../domain/device-overview-cache.js';
import type { CameraQuery } from '../domain/device-overview.js';
import { cameraPageSchema, type CameraPage } from '../model/camera.js';
import { accessOf, authenticate, cookieOf, type OpenApiLike } from './auth.js';
import { checkedAnswer } from './checked-answer.js';
import type { ControllerMetrics } from './metrics.js';
import { problemAnswer, problemForError } from './problem.js';
import { logRequest } from './request-logging.js';
import { cameraQueryFrom } from './routes/cameras.js';
import { apiAnswerHeaders } from './security-headers.js';

/** A query parameter as the document declares it (the part of OpenAPI's Parameter Object read here). */
export interface QueryParameter {
  readonly name: string;
  readonly in: string;
  readonly schema?: { readonly type?: string; readonly format?: string; readonly enum?: readonly unknown[]; readonly maxLength?: number; readonly minLength?: number; readonly minimum?: number; readonly maximum?: number };
}

/** A UUID as the validator's `uuid` format takes it, without its optional `urn:uuid:` prefix (which falls through). */
const uuidText = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An integer written as the validator reads one, without sign, leading zeros or exponent; at most 15 digits. */
const integerText = /^(?:0|[1-9][0-9]{0,14})$/;

/**
 * Whether `value` meets `schema` plainly: a boolean as `true`/`false`, an integer in decimal
 * within its bounds, a string within its length (in code points, as JSON Schema counts), enum
 * and `uuid` format. False also for any schema feature not listed, so that express's validator
 * decides: this check may refuse what the validator takes, never the other way round.
 */
export function plainValueMeets(value: string, schema: QueryParameter['schema']): boolean {
  if (schema === undefined || value === '') return false;
  const { type, format, enum: allowed, maxLength, minLength, minimum, maximum, ...rest } = schema;
  // Documentation fields say nothing about validity; anything else (pattern, multipleOf, …) is not checked here.
  const unchecked = Object.keys(rest).filter((k) => k !== 'default' && k !== 'description' && k !== 'example');
  if (unchecked.length > 0) return false;
  if (allowed !== undefined && !allowed.includes(value)) return false;
  switch (type) {
    case 'boolean':
      return format === undefined && (value === 'true' || value === 'false');
    case 'integer': {
      if (format !== undefined || !integerText.test(value)) return false;
      const n = Number(value);
      return (minimum === undefined || n >= minimum) && (maximum === undefined || n <= maximum);
    }
    case 'string': {
      if (format !== undefined && format !== 'uuid') return false;
      if (format === 'uuid' && !uuidText.test(value)) return false;
      const codePoints = [...value].length;
      return (maxLength === undefined || codePoints <= maxLength) && (minLength === undefined || codePoints >= minLength);
    }
    default:
      return false;
  }
}

/**
 * The query as names to single values when every name is one of `parameters` (in the query),
 * given once, with a plain value (plainValueMeets); else null.
 *
 * @example plainQuery('limit=500&sort=status', params) // { limit: '500', sort: 'status' }
 */
export function plainQuery(search: string, parameters: readonly QueryParameter[]): Record<string, string> | null {
  // Express's `simple` query parser is node:querystring's: the values are read the same way.
  const parsed = parseQueryString(search);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    const declared = parameters.find((p) => p.in === 'query' && p.name === name);
    if (declared === undefined || typeof value !== 'string' || !plainValueMeets(value, declared.schema)) return null;
    out[name] = value;
  }
  return out;
}

export interface Operation {
  /** As the document spells it, and as the metrics label it (express's route path). */
  readonly routeLabel: string;
  readonly parameters: readonly QueryParameter[];
  readonly role: 'viewer' | 'operator' | 'admin';
}

const allPath = '/api/v1/cameras';
const clusterPath = /^\/api\/v1\/clusters\/([^/?#]+)\/cameras$/;

export interface DirectOverviewOptions {
  readonly overview: DeviceOverviewService;
  readonly signIn: SignInService;
  readonly document: OpenApiLike;
  readonly log: Logger;
  readonly metrics: Pick<ControllerMetrics, 'observe'>;
  /** Hold pages to the document's schema (http.validateResponses). */
  readonly checkAnswers: boolean;
}

/** The operations the direct path answers, as the document describes them. */
export interface OverviewOperations {
  readonly all: Operation;
  readonly cluster: Operation;
}

/** The two operations, read from `document`: their parameters and the role they need. */
export function overviewOperations(document: OpenApiLike): OverviewOperations {
  return {
    all: operationOf(document, '/api/v1/cameras', '/api/v1/cameras'),
    cluster: operationOf(document, '/api/v1/clusters/{clusterId}/cameras', '/api/v1/clusters/:clusterId/cameras'),
  };
}

/** A plain Device Overview request: which operation, for which cluster, with which query. */
export interface PlainOverviewRequest {
  readonly operation: Operation;
  readonly clusterId: string | null;
  readonly query: CameraQuery;
}

/**
 * The request when it is a plain GET of one of the two operations (see the top of this file),
 * else null: express answers it.
 *
 * @example plainOverviewRequest('GET', '/api/v1/cameras?sort=status', ops) // { operation: ops.all, clusterId: null, query: { sort: 'status', … } }
 */
export function plainOverviewRequest(method: string | undefined, url: string | undefined, operations: OverviewOperations): PlainOverviewRequest | null {
  if (method !== 'GET' || url === undefined) return null;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  let operation: Operation;
  let clusterId: string | null = null;
  if (path === allPath) operation = operations.all;
  else {
    const m = clusterPath.exec(path);
    if (m === null || !uuidText.test(m[1] as string)) return null;
    operation = operations.cluster;
    clusterId = m[1] as string;
  }
  const query = plainQuery(q < 0 ? '' : url.slice(q + 1), operation.parameters);
  return query === null ? null : { operation, clusterId, query: cameraQueryFrom((name) => query[name]) };
}

/**
 * A handler for node:http's `request` event: true when it took the request (it answers it, or
 * hands it to `fallback` when the credential does not admit it), false when express should.
 *
 * @example createServer((req, res) => overview(req, res) || app(req, res))
 */
export function directDeviceOverview(o: DirectOverviewOptions, fallback: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => boolean {
  const operations = overviewOperations(o.document);
  return (req, res) => {
    const plain = plainOverviewRequest(req.method, req.url, operations);
    if (plain === null) return false;
    const credential = credentialOf(req, res);
    if (credential === null) return false;
    void answer(o, req, res, plain, credential, fallback);
    return true;
  };
}

function operationOf(document: OpenApiLike, template: string, routeLabel: string): Operation {
  const item = document.paths[template] as { parameters?: QueryParameter[]; get?: { parameters?: QueryParameter[]; security?: Parameters<typeof accessOf>[0] } } | undefined;
  const get = item?.get;
  if (get === undefined) throw new Error(`the OpenAPI document has no GET ${template}`);
  const access = accessOf(get.security);
  // The direct path serves signed-in callers only; the document says which role.
  if (access.kind !== 'role') throw new Error(`GET ${template} is not an operation for a role`);
  return { routeLabel, parameters: [...(item?.parameters ?? []), ...(get.parameters ?? [])], role: access.role };
}

/** The session cookie read as express reads it (app.ts: cookie-parser, then authMiddleware's cookieOf). */
const readCookies = cookieParser();

/** The credential as authMiddleware reads it (a Bearer header wins over the cookie), or null without one. */
function credentialOf(req: IncomingMessage, res: ServerResponse): { authorization: string | undefined; cookie: string | undefined } | null {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) return { authorization, cookie: undefined };
  if (req.headers.cookie === undefined) return null;
  // cookie-parser is synchronous: it sets req.cookies and calls on at once (and again in express: it keeps what it set).
  readCookies(req as Request, res as Response, () => {});
  const cookie = cookieOf(req as Request);
  return cookie === undefined ? null : { authorization: undefined, cookie };
}

async function answer(
  o: DirectOverviewOptions,
  req: IncomingMessage,
  res: ServerResponse,
  { operation, clusterId, query }: PlainOverviewRequest,
  credential: { authorization: string | undefined; cookie: string | undefined },
  fallback: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<void> {
  const startNs = process.hrtime.bigint();
  try {
    const identity = await authenticate(o.signIn, credential.authorization, credential.cookie);
    // Not signed in, or below the role: express's authMiddleware answers (401 clears a stale cookie, 403 names the role).
    if (identity === null || !roleAtLeast(identity.role, operation.role)) {
      fallback(req, res);
      return;
    }
  } catch {
    // The credential could not be checked (the database is down): express answers, as for any other request.
    fallback(req, res);
    return;
  }
  logRequest(o.log, 'info', req, res);
  res.once('finish', () => o.metrics.observe('GET', operation.routeLabel, res.statusCode, Number(process.hrtime.bigint() - startNs) / 1e9));
  try {
    const page = clusterId === null ? await o.overview.allJson(query) : await o.overview.clusterJson(clusterId, query);
    // What is checked is what is sent.
    if (o.checkAnswers) checkedAnswer(cameraPageSchema, JSON.parse(page.toString('utf8')) as CameraPage);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(page.length), ...apiAnswerHeaders });
    res.end(page);
  } catch (err) {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const { problem, headers } = problemAnswer(problemForError(err, o.log), req.url ?? operation.routeLabel);
    writeProblem(res, problem, { ...headers, ...apiAnswerHeaders });
  }
}
