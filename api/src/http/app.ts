// The controller's HTTP application: operations endpoints, the OpenAPI-enforced REST API
// under /api/v1, and problem+json for every error.
import express, { type Express } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Database } from '../db/database.js';
import type { AgentLinkService } from '../domain/agent-link.js';
import type { ClusterCommandService } from '../domain/cluster-commands.js';
import { ClusterService } from '../domain/clusters.js';
import type { DataMissingTracker } from '../domain/data-missing.js';
import type { DeviceOverviewService } from '../domain/device-overview-cache.js';
import type { EventService } from '../domain/events.js';
import type { NodeStatusCache } from '../domain/node-status.js';
import type { EventStreams } from './event-streams.js';
import type { ControllerMetrics } from './metrics.js';
import { openApiDocument } from './openapi.js';
import { errorHandler, notFoundHandler } from './problem.js';
import { agentLinkRoutes } from './routes/agent-link.js';
import { cameraRoutes } from './routes/cameras.js';
import { clusterCommandRoutes } from './routes/cluster-commands.js';
import { clusterRoutes } from './routes/clusters.js';
import { eventRoutes } from './routes/events.js';
import { operationsRoutes } from './routes/operations.js';

export interface AppOptions {
  readonly db: Database;
  readonly log: Logger;
  readonly metrics: ControllerMetrics;
  readonly bodyLimitBytes: number;
  readonly validateResponses: boolean;
  readonly agentLink: AgentLinkService;
  readonly clusterCommands: ClusterCommandService;
  readonly statuses: NodeStatusCache;
  readonly dataMissing: DataMissingTracker;
  readonly overview: DeviceOverviewService;
  readonly events: EventService;
  readonly eventStreams: EventStreams;
}

/**
 * Largest agent report: a NodeStatus may list 4096 cameras (about 2 MB of JSON) and a report
 * carries up to 200 events of up to 2 KB each, so agents get more room than operators.
 */
export const agentBodyLimitBytes = 8 * 1024 * 1024;

export function createApp(options: AppOptions): Express {
  const { db, log, metrics } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');

  // One log line per request: method, path, status and latency; no headers, no bodies.
  app.use(
    pinoHttp({
      logger: log,
      quietReqLogger: true,
      serializers: {
        req: (req: { method: string; url: string; originalUrl?: string }) => ({ method: req.method, path: pathOf(req) }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err !== undefined || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      customSuccessMessage: (req, res, responseTime) => `${req.method} ${pathOf(req)} ${res.statusCode} ${Math.round(responseTime)}ms`,
      customErrorMessage: (req, res) => `${req.method} ${pathOf(req)} ${res.statusCode}`,
    }),
  );
  app.use(metrics.middleware);
  app.use(operationsRoutes(db, metrics));

  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  // Parsed here first; the general parser below then leaves the body alone.
  app.use('/api/v1/agent', express.json({ limit: Math.max(agentBodyLimitBytes, options.bodyLimitBytes), strict: true, type: ['application/json', 'application/*+json'] }));
  app.use('/api', express.json({ limit: options.bodyLimitBytes, strict: true, type: ['application/json', 'application/*+json'] }));
  app.use(
    OpenApiValidator.middleware({
      apiSpec: structuredClone(openApiDocument) as unknown as Parameters<typeof OpenApiValidator.middleware>[0]['apiSpec'],
      ignorePaths: /^\/(?!api\/)/,
      validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false, removeAdditional: false },
      validateResponses: options.validateResponses ? { removeAdditional: false } : false,
      validateFormats: true,
      ajvFormats: { mode: 'full' },
      $refParser: { mode: 'dereference' },
    }),
  );
  app.use('/api/v1', clusterRoutes(new ClusterService(db, options.statuses, options.dataMissing)));
  app.use('/api/v1', cameraRoutes(options.overview));
  app.use('/api/v1', eventRoutes(options.events, options.eventStreams));
  app.use('/api/v1', clusterCommandRoutes(options.clusterCommands));
  app.use('/api/v1', agentLinkRoutes(options.agentLink));
  app.use(notFoundHandler);
  app.use(errorHandler(log));
  return app;
}

/** The request path without its query string, which may carry tokens. */
function pathOf(req: { url?: string | undefined; originalUrl?: string | undefined }): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0] ?? '';
}
