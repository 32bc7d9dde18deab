// The agent's local HTTP API (contracts/agent-api-v1.ts): state, operator commands,
// config sync pushes from the peer agent, the backfill source (contracts/backfill-v1.ts, when
// the node has a storage adapter), and (tests only) fault injection. Every request needs the
// cluster secret as a Bearer token, compared in constant time. Over HTTPS with the agent's own
// certificate (api-tls.ts), which the controller and the peer pin; plain HTTP only on loopback
// (or where agent.yaml accepts it by name).
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { once } from 'node:events';
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { bodyParserProblem, problemOf, writeProblem, zodValidationProblem } from '../../shared/problem.js';
import { requireBearerSecret } from '../../shared/secret.js';
import type { CoreEvent } from '../core/decide.js';
import { commandRequestSchema, heartbeatFaultSchema, recorderConfigPushSchema, type AgentSupportSnapshot, type CommandResult, type RefusalReason } from '../../contracts/agent-api-v1.js';
import type { NodeStatus } from '../../contracts/controller-v1.js';
import type { CoreDriver } from './driver.js';

/** What the API needs of config sync's target side (agent/config-sync/target.ts). */
export interface ConfigTargetPort {
  receive(push: { xml: string; sha256: string; from: string }): Promise<{ outcome: string; changes: number; sha256: string }>;
  force(): Promise<unknown>;
  pending(): unknown;
}

export interface LocalApiOptions {
  readonly listen: { readonly host: string; readonly port: number };
  readonly secret: string;
  readonly driver: CoreDriver;
  readonly status: () => NodeStatus;
  readonly emit: (event: CoreEvent) => void;
  readonly faultInjection: boolean;
  readonly setDrop: (drop: { inbound: boolean; outbound: boolean }) => void;
  readonly configTarget: () => ConfigTargetPort | null;
  /**
   * The backfill source's routes (agent/backfill/source-routes.ts), asked for on each request;
   * null (or absent) while this node has no storage adapter: its requests are then 404.
   */
  readonly backfillSource?: () => Router | null;
  /** The backfill job's operator commands; null (or absent) without a storage adapter. */
  readonly backfill?: () => BackfillCommandPort | null;
  /** The agent's part of a support snapshot (agent/support/snapshot.ts); absent: 404. */
  readonly supportSnapshot?: () => AgentSupportSnapshot;
  /** This agent's certificate and key (PEM): the API speaks HTTPS. Null or absent: plain HTTP (loopback). */
  readonly tls?: { readonly certPem: string; readonly keyPem: string } | null;
  readonly log: Logger;
}

/** What the API needs of the backfill job (agent/backfill/backfill-service.ts). */
export interface BackfillCommandPort {
  command(command: 'backfill-start' | 'backfill-pause' | 'backfill-resume'): { ok: true; result: string } | { ok: false; reason: 'backfill-disabled' };
}

export interface LocalApi {
  readonly url: string;
  close(): Promise<void>;
}

const problem = (res: Response, status: number, slug: string, title: string, detail: string, extra: Record<string, unknown> = {}): void => {
  writeProblem(res, problemOf(status, slug, title, detail, extra));
};

export async function startLocalApi(o: LocalApiOptions): Promise<LocalApi> {
  const app = express();
  app.disable('x-powered-by');
  app.use(requireBearerSecret(o.secret, 'twinrec-agent'));

  app.get('/api/v1/state', (_req, res) => {
    res.json(o.status());
  });

  app.get('/api/v1/support/snapshot', (_req, res) => {
    if (o.supportSnapshot === undefined) return problem(res, 404, 'not-found', 'Not found', 'this agent makes no support snapshot');
    res.json(o.supportSnapshot());
  });

  app.post('/api/v1/commands', express.json({ limit: 8 * 1024 }), async (req, res) => {
    const parsed = commandRequestSchema.safeParse(req.body);
    if (!parsed.success) return validationFailed(res, parsed.error.issues);
    const { command, reason, actor } = parsed.data;
    o.emit({ kind: 'command.received', severity: 'info', message: `${command} requested by ${actor ?? 'a local operator'}${reason === undefined ? '' : `: ${reason}`}`, data: { command, actor: actor ?? null, reason: reason ?? null } });
    if (command === 'config-sync-force') {
      const target = o.configTarget();
      if (target === null) return refuse(res, command, 'sync-not-pending', 'this node is not a config sync target');
      try {
        await target.force();
      } catch (err) {
        const { code, httpStatus } = err as { code?: unknown; httpStatus?: unknown };
        if (httpStatus === 409 && (code === 'sync-not-pending' || code === 'busy')) return refuse(res, command, code, (err as Error).message);
        o.log.error({ err: (err as Error).message }, 'forced config sync failed');
        return problem(res, 500, 'config-sync-failed', 'Config sync failed', (err as Error).message, typeof code === 'string' ? { code } : {});
      }
      const s = o.driver.state;
      return void res.json({ command, result: 'config sync applied', state: s.state, epoch: s.servingEpoch ?? s.epoch, handover: null } satisfies CommandResult);
    }
    if (command === 'backfill-start' || command === 'backfill-pause' || command === 'backfill-resume') {
      const backfill = o.backfill?.() ?? null;
      if (backfill === null) return refuse(res, command, 'no-backfill', 'this node has no storage adapter (agent.yaml storage), so no backfill');
      const outcome = backfill.command(command);
      if (!outcome.ok) return refuse(res, command, outcome.reason, `cannot ${command}: backfill is disabled by the cluster policy`);
      const s = o.driver.state;
      return void res.json({ command, result: outcome.result, state: s.state, epoch: s.servingEpoch ?? s.epoch, handover: null } satisfies CommandResult);
    }
    const actions = o.driver.feed({ kind: 'command', command });
    const outcome = actions.find((a) => a.kind === 'command-result');
    if (outcome === undefined || outcome.kind !== 'command-result') return problem(res, 500, 'internal-error', 'No command result', 'the decision core gave no result');
    if (!outcome.ok) return refuse(res, command, outcome.reason as RefusalReason, `cannot ${command}: ${outcome.reason}`);
    const s = o.driver.state;
    // The core decided where a switch goes and the epoch the peer will claim: pass it on as is.
    const result: CommandResult = { command, result: outcome.reason, state: s.state, epoch: s.servingEpoch ?? s.epoch, handover: outcome.handover };
    res.json(result);
  });

  app.put('/api/v1/recorder-config', express.json({ limit: 12 * 1024 * 1024 }), async (req, res) => {
    const parsed = recorderConfigPushSchema.safeParse(req.body);
    if (!parsed.success) return validationFailed(res, parsed.error.issues);
    const target = o.configTarget();
    if (target === null) return problem(res, 409, 'config-sync-disabled', 'Not a config sync target', 'configSync.role is not "target" on this node');
    try {
      res.json(await target.receive(parsed.data));
    } catch (err) {
      const { code, httpStatus } = err as { code?: unknown; httpStatus?: unknown };
      // 400: the push itself is bad (hash, encoding, XML), the peer must not resend it as is;
      // 409: busy; 500: the apply failed (the recorder was started again), the peer retries later.
      if (httpStatus === 400 && typeof code === 'string') return problem(res, 400, 'recorder-config-rejected', 'RecorderConfig.xml rejected', (err as Error).message, { code });
      if (httpStatus === 409 && typeof code === 'string') return problem(res, 409, 'config-sync-busy', 'Config sync busy', (err as Error).message, { code });
      o.log.error({ err: (err as Error).message }, 'config sync failed');
      problem(res, 500, 'config-sync-failed', 'Config sync failed', (err as Error).message, typeof code === 'string' ? { code } : {});
    }
  });

  app.post('/api/v1/testing/heartbeats', express.json({ limit: 1024 }), (req, res) => {
    if (!o.faultInjection) return problem(res, 404, 'not-found', 'Not found', 'fault injection is off (testing.faultInjection)');
    const parsed = heartbeatFaultSchema.safeParse(req.body);
    if (!parsed.success) return validationFailed(res, parsed.error.issues);
    o.setDrop({ inbound: parsed.data.dropInbound, outbound: parsed.data.dropOutbound });
    o.log.warn(parsed.data, 'test fault injection: heartbeat drop changed');
    res.json(parsed.data);
  });

  // Behind the Bearer guard above, like every route.
  app.use((req, res, next) => {
    const backfill = o.backfillSource?.() ?? null;
    if (backfill === null) return next();
    backfill(req, res, next);
  });

  endRoutes(app, o.log, 'no such endpoint');
  return listenOn(app, o.listen, o.tls ?? null);

  function refuse(res: Response, command: string, reason: RefusalReason, detail: string): void {
    problem(res, 409, 'command-refused', 'Command refused', detail, { command, reason });
  }
  function validationFailed(res: Response, issues: readonly { path: PropertyKey[]; message: string }[]): void {
    writeProblem(res, zodValidationProblem(issues));
  }
}

/** Serves `app` over HTTP, or HTTPS with the agent's certificate; every request bounded to 30 s. */
async function listenOn(app: express.Express, listen: LocalApiOptions['listen'], tls: { readonly certPem: string; readonly keyPem: string } | null): Promise<LocalApi> {
  const server: Server = tls === null ? createServer({ requestTimeout: 30_000 }, app) : createHttpsServer({ requestTimeout: 30_000, cert: tls.certPem, key: tls.keyPem }, app);
  server.listen(listen.port, listen.host);
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  return {
    url: `${tls === null ? 'http' : 'https'}://${host}:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface PoolAgentApiOptions {
  readonly listen: { readonly host: string; readonly port: number };
  readonly secret: string;
  /** The node status (`GET /api/v1/state`), with `pool` or `poolProtected`. */
  readonly status: () => NodeStatus;
  /** The pool routes: a standby's (agent/pool/pool-routes.ts: takeover, release, status) or a protected server's (protected-routes.ts: resume, status). */
  readonly pool: Router;
  /** The backfill source's routes over its storage (a standby with a `storage` section: the failback sync's source); absent: 404. */
  readonly backfillSource?: Router | null;
  readonly tls?: { readonly certPem: string; readonly keyPem: string } | null;
  readonly log: Logger;
}

/**
 * A pool agent's local API (a standby's or a protected server's): its node status and its pool
 * routes (contracts/pool-v1.ts), behind the same Bearer guard and on the same transport as a
 * pair's, and a standby's backfill source (the failback sync's); a pair's commands, config sync
 * and backfill commands are not there (404).
 *
 * @example
 *   const api = await startPoolAgentApi({ listen, secret, status, pool: poolRoutes({ standby, secret }), tls, log });
 */
export async function startPoolAgentApi(o: PoolAgentApiOptions): Promise<LocalApi> {
  const app = express();
  app.disable('x-powered-by');
  app.use(requireBearerSecret(o.secret, 'twinrec-agent'));
  app.get('/api/v1/state', (_req, res) => {
    res.json(o.status());
  });
  app.use(o.pool);
  if (o.backfillSource !== undefined && o.backfillSource !== null) app.use(o.backfillSource);
  endRoutes(app, o.log, 'no such endpoint on a pool agent');
  return listenOn(app, o.listen, o.tls ?? null);
}

/** After every route: 404 for the rest, a body that does not parse as 400, anything else as a logged 500. */
function endRoutes(app: Express, log: Logger, notFoundDetail: string): void {
  app.use((_req, res) => problem(res, 404, 'not-found', 'Not found', notFoundDetail));
  app.use((err: { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const parseProblem = bodyParserProblem(err);
    if (parseProblem !== null) return writeProblem(res, parseProblem);
    log.error({ err: String(err) }, 'agent API request failed');
    problem(res, 500, 'internal-error', 'Internal error', 'the agent could not handle the request');
  });
}
