// The `relay` serving endpoint: a TCP relay on the cluster's shared address that forwards
// each new connection to the Serving node's web server port (ImageServer + SOAP), and a
// small authenticated control API through which the agents claim and release it: HTTPS with
// the relay's own certificate, which the agents pin (plain HTTP on loopback, the demo).
// Claims are fenced by epoch (relay-state.ts); the highest epoch is persisted (fsync)
// before a claim is acknowledged, so a restarted relay never accepts a stale claim.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import express from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { bodyParserProblem, problemOf, writeProblem, zodValidationProblem } from '../../shared/problem.js';
import { requireBearerSecret } from '../../shared/secret.js';
import { writeFileDurably } from '../store/durable-file.js';
import { claimRelay, emptyRelay, releaseRelay, type RelayState } from './relay-state.js';

export interface RelayOptions {
  readonly listenHost: string;
  readonly listenPort: number;
  readonly controlHost: string;
  readonly controlPort: number;
  readonly secret: string;
  /** Where the highest epoch is kept across restarts; none keeps it in memory only. */
  readonly stateFile?: string | undefined;
  readonly maxConnections?: number;
  readonly connectTimeoutMs?: number;
  /** The control API's certificate and key (PEM): HTTPS. Null or absent: plain HTTP. */
  readonly tls?: { readonly certPem: string; readonly keyPem: string } | null;
  readonly log: Logger;
}

export interface RunningRelay {
  readonly listenPort: number;
  readonly controlUrl: string;
  state(): RelayState;
  close(): Promise<void>;
}

const nodeId = z.string().min(1).max(64);
const claimBody = z.object({ epoch: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), nodeId, host: z.string().min(1).max(253), port: z.number().int().min(1).max(65535) }).strict();
const releaseBody = z.object({ epoch: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), nodeId }).strict();

export async function startRelay(options: RelayOptions): Promise<RunningRelay> {
  const log = options.log;
  const maxConnections = options.maxConnections ?? 1024;
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  let state: RelayState = { ...emptyRelay, epoch: readEpoch(options.stateFile) };
  /** Client sockets by the node they were forwarded to, so a move cuts them. */
  const live = new Map<Socket, { upstream: Socket; nodeId: string }>();

  const cutConnectionsNotTo = (nodeId: string | null): void => {
    for (const [client, link] of live) {
      if (link.nodeId !== nodeId) {
        client.destroy();
        link.upstream.destroy();
      }
    }
  };

  const relay: Server = createServer((client) => {
    const target = state.target;
    if (target === null || live.size >= maxConnections) {
      // Nobody serves (or too many connections): refuse rather than hang the client.
      client.destroy();
      return;
    }
    const upstream = connect({ host: target.host, port: target.port });
    upstream.setTimeout(connectTimeoutMs, () => upstream.destroy());
    upstream.once('connect', () => upstream.setTimeout(0));
    live.set(client, { upstream, nodeId: target.nodeId });
    const close = (): void => {
      live.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream).pipe(client);
  });
  relay.listen(options.listenPort, options.listenHost);
  await once(relay, 'listening');

  const app = express();
  app.disable('x-powered-by');
  app.use(requireBearerSecret(options.secret, 'twinrec-relay'));
  app.use(express.json({ limit: 4096 }));
  app.get('/state', (_req, res) => {
    res.json({ epoch: state.epoch, target: state.target, connections: live.size });
  });
  app.post('/claim', (req, res) => {
    const body = claimBody.safeParse(req.body);
    if (!body.success) return writeProblem(res, zodValidationProblem(body.error.issues));
    const { epoch, nodeId: id, host, port } = body.data;
    const next = claimRelay(state, epoch, { nodeId: id, host, port });
    if (!next.outcome.accepted) {
      writeProblem(res, problemOf(409, 'epoch-fenced', 'A higher epoch holds the endpoint', `epoch ${epoch} is not above ${state.epoch}`, { currentEpoch: state.epoch }));
      return;
    }
    if (next.state.epoch !== state.epoch) writeEpoch(options.stateFile, next.state.epoch);
    const moved = state.target?.nodeId !== id;
    state = next.state;
    if (moved) {
      cutConnectionsNotTo(id);
      log.info({ epoch, nodeId: id, host, port }, 'serving endpoint now points at node');
    }
    res.json({ accepted: true, epoch: state.epoch });
  });
  app.post('/release', (req, res) => {
    const body = releaseBody.safeParse(req.body);
    if (!body.success) return writeProblem(res, zodValidationProblem(body.error.issues));
    const before = state;
    state = releaseRelay(state, body.data.epoch, body.data.nodeId);
    if (before !== state) {
      cutConnectionsNotTo(null);
      log.info({ epoch: body.data.epoch, nodeId: body.data.nodeId }, 'serving endpoint released');
    }
    res.json({ released: before !== state, epoch: state.epoch });
  });
  app.use((err: { type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    writeProblem(res, bodyParserProblem(err) ?? problemOf(500, 'internal-error', 'Internal error', 'the relay could not handle the request'));
  });
  const tls = options.tls ?? null;
  const control: HttpServer = tls === null ? createHttpServer({ requestTimeout: 10_000 }, app) : createHttpsServer({ requestTimeout: 10_000, cert: tls.certPem, key: tls.keyPem }, app);
  control.listen(options.controlPort, options.controlHost);
  await once(control, 'listening');
  const controlAddress = control.address() as { port: number };

  return {
    listenPort: (relay.address() as { port: number }).port,
    controlUrl: `${tls === null ? 'http' : 'https'}://${options.controlHost.includes(':') ? `[${options.controlHost}]` : options.controlHost}:${controlAddress.port}`,
    state: () => state,
    close: async () => {
      cutConnectionsNotTo('\u0000none');
      control.closeAllConnections();
      await Promise.all([new Promise<void>((r) => relay.close(() => r())), new Promise<void>((r) => control.close(() => r()))]);
    },
  };
}


function readEpoch(file: string | undefined): number {
  if (file === undefined) return 0;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as { epoch?: unknown };
    return typeof value.epoch === 'number' && Number.isSafeInteger(value.epoch) && value.epoch >= 0 ? value.epoch : 0;
  } catch {
    return 0;
  }
}

/** Persists the highest epoch atomically and durably (temp file, fsync, rename, fsync of the folder). */
export function writeEpoch(file: string | undefined, epoch: number): void {
  if (file === undefined) return;
  writeFileDurably(file, JSON.stringify({ epoch }), 0o600);
}
