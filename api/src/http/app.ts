// The controller's HTTP application: operations endpoints, the OpenAPI-enforced REST API
// under /api/v1, and problem+json for every error.
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Logger } from 'pino';
import type { AccountService } from '../auth/accounts.js';
import type { FocusService } from '../auth/focus.js';
import type { SignInService } from '../auth/sign-in.js';
import type { TokenService } from '../auth/tokens.js';
import type { Database } from '../db/database.js';
import type { AgentLinkService } from '../agent-link/agent-link.js';
import type { BackfillService } from '../agent-link/backfill-commands.js';
import type { ClusterCommandService } from '../agent-link/cluster-commands.js';
import type { ClusterPolicyService } from '../domain/cluster-policy.js';
import { ClusterService } from '../domain/clusters.js';
import type { AuditLog } from '../domain/audit-log.js';
import type { DataMissingTracker } from '../domain/data-missing.js';
import type { DeviceOverviewService } from '../domain/device-overview-cache.js';
import type { EventService } from '../domain/events.js';
import type { NodeStatusCache } from '../domain/node-status.js';
import type { RequestListener } from 'node:http';
import { CheckedCameras } from '../agent-link/report-body.js';
import { agentCallsFirst } from './agent-calls.js';
import { directAgentReports } from './agent-report-direct.js';
import { directDeviceOverview } from './overview-direct.js';
import { authMiddleware, requireCaller } from './auth.js';
import { consoleRoutes } from './console.js';
import type { EventStreams } from './event-streams.js';
import type { ControllerMetrics } from './metrics.js';
import { openApiDocument } from './openapi.js';
import { errorHandler, notFoundHandler } from './problem.js';
import { requireBody } from './request-body.js';
import { requestLogging } from './request-logging.js';
import { securityHeaders } from './security-headers.js';
import { agentLinkRoutes } from './routes/agent-link.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { backfillRoutes } from './routes/backfill.js';
import { cameraRoutes } from './routes/cameras.js';
import { clusterCommandRoutes } from './routes/cluster-commands.js';
import { clusterPolicyBodyChecks, clusterPolicyRoutes } from './routes/cluster-policy.js';
import { clusterRoutes } from './routes/clusters.js';
import { poolRoutes } from './routes/pool.js';
import { poolCommandRoutes } from './routes/pool-commands.js';
import { PoolCommandService } from '../agent-link/pool-commands.js';
import { PoolModelService } from '../domain/pool-model.js';
import { eventRoutes } from './routes/events.js';
import { focusRoutes } from './routes/focus.js';
import { operationsRoutes } from './routes/operations.js';
import { tlsRoutes } from './routes/tls.js';
import { tokenRoutes } from './routes/tokens.js';
import type { ControllerCertificateInfo } from './tls-certificate.js';
import { userRoutes } from './routes/users.js';
import { supportRoutes } from './routes/support.js';
import { reportRoutes } from './routes/reports.js';
import { timelineRoutes } from './routes/timeline.js';
import type { SupportSnapshotSources } from '../support/snapshot.js';
import { genericEventRoutes } from './routes/xprotect-generic-events.js';
import type { GenericEventService } from '../xprotect-events/service.js';
import { webhookRoutes } from './routes/webhooks.js';
import { systemRoutes } from './routes/system.js';
import type { ControllerLeases } from '../domain/controller-leases.js';
import type { WebhookService } from '../webhooks/service.js';

export interface AppOptions {
  readonly db: Database;
  readonly log: Logger;
  readonly metrics: ControllerMetrics;
  readonly bodyLimitBytes: number;
  readonly validateResponses: boolean;
  readonly agentLink: AgentLinkService;
  readonly clusterCommands: ClusterCommandService;
  readonly backfill: BackfillService;
  readonly clusterPolicies: ClusterPolicyService;
  readonly statuses: NodeStatusCache;
  readonly dataMissing: DataMissingTracker;
  readonly overview: DeviceOverviewService;
  readonly events: EventService;
  readonly eventStreams: EventStreams;
  readonly auth: AuthServices;
  /** http.trustProxy: express's 'trust proxy' (false: the client is the TCP peer). */
  readonly trustProxy?: TrustProxy;
  /** http.publicOrigin: the origin cookie-authenticated changes must come from (else: the Host header's). */
  readonly publicOrigin?: string | undefined;
  /** The HTTPS certificate served (GET /api/v1/tls); null or absent over plain HTTP. */
  readonly certificate?: ControllerCertificateInfo | null;
  /** Generic events for XProtect's Event Server (/api/v1/xprotect/generic-events). */
  readonly genericEvents: GenericEventService;
  /** Outgoing HTTP notifications of events (/api/v1/webhooks). */
  readonly webhooks: WebhookService;
  /** What a support snapshot is made of (api/src/support/snapshot.ts). */
  readonly support: SupportSnapshotSources;
  /** The singleton leases of several controllers on one database (GET /api/v1/system); absent: the route is not served. */
  readonly leases?: ControllerLeases;
}

/** Which proxies may name the client in X-Forwarded-For: none, any, a hop count, or these addresses and ranges. */
export type TrustProxy = boolean | number | readonly string[];

/** Accounts, sign-in, tokens, focus and the audit log (api/src/auth/). */
export interface AuthServices {
  readonly signIn: SignInService;
  readonly accounts: AccountService;
  readonly tokens: TokenService;
  readonly focus: FocusService;
  readonly audit: AuditLog;
  /** Mark the session cookie Secure (auth.cookieSecure). */
  readonly cookieSecure: boolean;
}

/**
 * Largest agent report: a NodeStatus may list 4096 cameras (about 2 MB of JSON) and a report
 * carries up to 200 events of up to 2 KB each, so agents get more room than operators.
 */
export const agentBodyLimitBytes = 8 * 1024 * 1024;

/**
 * The controller's request listener: agents' reports and plain Device Overview pages on their
 * direct paths (agent-report-direct.ts, overview-direct.ts), every other request through the
 * application (createApp).
 */
export function createRequestListener(options: AppOptions): RequestListener {
  const checked = new CheckedCameras();
  const app = createApp(options, checked);
  const direct = directAgentReports({ agents: options.agentLink, checked, log: options.log, metrics: options.metrics, bodyLimitBytes: agentBodyLimitOf(options), checkAnswers: options.validateResponses });
  const overview = directDeviceOverview({ overview: options.overview, signIn: options.auth.signIn, document: openApiDocument, log: options.log, metrics: options.metrics, checkAnswers: options.validateResponses }, app);
  return (req, res) => {
    if (!direct(req, res) && !overview(req, res)) app(req, res);
  };
}

/** The largest body an agent may send: agentBodyLimitBytes, or http.bodyLimitBytes when larger. */
function agentBodyLimitOf(options: AppOptions): number {
  return Math.max(agentBodyLimitBytes, options.bodyLimitBytes);
}

/** @param checked each node's last accepted cameras, shared with the direct report path. */
export function createApp(options: AppOptions, checked = new CheckedCameras()): Express {
  const { db, log, metrics } = options;
  const app = express();
  app.disable('x-powered-by');
  // No automatic ETags: hashing every polled Device Overview page (tens of KB) costs more than
  // it saves. Resources with a version set their own ETag for If-Match.
  app.set('etag', false);
  // req.ip (rate limits, the audit log) and req.secure follow X-Forwarded-* only from trusted proxies.
  app.set('trust proxy', typeof options.trustProxy === 'object' ? [...options.trustProxy] : (options.trustProxy ?? false));
  app.set('query parser', 'simple');
  // The agents' calls first, past nothing they do not need (agent-calls.ts).
  app.use(
    agentCallsFirst({
      log,
      metrics: metrics.middleware,
      routes: agentLinkRoutes(options.agentLink, { checkAnswers: options.validateResponses, checked }),
      bodyLimitBytes: agentBodyLimitOf(options),
      document: openApiDocument,
    }),
  );
  // nosniff on every answer, no-store on every /api one, set first so that problems have them too.
  app.use(securityHeaders);

  // One log line per request (request-logging.ts).
  app.use(requestLogging(log));
  app.use(metrics.middleware);
  app.use(operationsRoutes(db, metrics));

  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  // Who is calling and may they, before any body is read (api/src/http/auth.ts; roles come from the OpenAPI document).
  // Every path under /api (in any case) is an operation of the document or answered there with 404/405.
  app.use(cookieParser(), authMiddleware({ signIn: options.auth.signIn, audit: options.auth.audit, document: openApiDocument, publicOrigin: options.publicOrigin }));
  app.use('/api', express.json({ limit: options.bodyLimitBytes, strict: true, type: ['application/json', 'application/*+json'] }));
  // An operation that takes a body and got none (or no JSON) is refused here, whichever it is.
  app.use(requireBody(openApiDocument));
  // A cluster policy body is refused with every issue at once (the validator below names the first only).
  app.use('/api/v1', clusterPolicyBodyChecks());
  const { auth } = options;
  app.use(
    OpenApiValidator.middleware({
      apiSpec: structuredClone(openApiDocument) as unknown as Parameters<typeof OpenApiValidator.middleware>[0]['apiSpec'],
      // Case-insensitive like Express's routing, so that /API/v1/… is validated (and refused) too.
      ignorePaths: /^\/(?!api\/)/i,
      validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false, removeAdditional: false },
      validateResponses: options.validateResponses ? { removeAdditional: false } : false,
      // Who may call is authMiddleware's, from the same document's roles, before any body is read.
      validateSecurity: false,
      validateFormats: true,
      ajvFormats: { mode: 'full' },
      $refParser: { mode: 'dereference' },
    }),
  );
  // The routers with public operations (login, logout) first.
  app.use('/api/v1', tlsRoutes(options.certificate ?? null));
  app.use('/api/v1', authRoutes({ signIn: auth.signIn, accounts: auth.accounts, focus: auth.focus, cookieSecure: auth.cookieSecure }));
  // Below here every operation needs a signed-in caller: a backstop should the role table ever miss one.
  app.use('/api/v1', requireCaller);
  app.use('/api/v1', clusterRoutes(new ClusterService(db, options.statuses, options.dataMissing)));
  app.use('/api/v1', cameraRoutes(options.overview, { validateResponses: options.validateResponses }));
  app.use('/api/v1', eventRoutes(options.events, options.eventStreams));
  app.use('/api/v1', clusterCommandRoutes(options.clusterCommands));
  app.use('/api/v1', backfillRoutes(options.backfill));
  app.use('/api/v1', clusterPolicyRoutes(options.clusterPolicies));
  app.use('/api/v1', poolRoutes(new PoolModelService(db, options.statuses)));
  app.use('/api/v1', poolCommandRoutes(new PoolCommandService(db, options.statuses, log.child({ component: 'pool-commands' }))));
  app.use('/api/v1', userRoutes(auth.accounts));
  app.use('/api/v1', tokenRoutes(auth.tokens));
  app.use('/api/v1', auditRoutes(auth.audit));
  app.use('/api/v1', focusRoutes(auth.focus));
  app.use('/api/v1', genericEventRoutes(options.genericEvents));
  app.use('/api/v1', webhookRoutes(options.webhooks));
  app.use('/api/v1', supportRoutes(options.support));
  app.use('/api/v1', reportRoutes(db));
  app.use('/api/v1', timelineRoutes(db));
  if (options.leases !== undefined) app.use('/api/v1', systemRoutes(options.leases, db.dialect));
  // The web console at `/` (public static files; it signs in through the API).
  app.use(consoleRoutes());
  app.use(notFoundHandler);
  app.use(errorHandler(log));
  return app;
}
