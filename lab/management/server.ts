import express, { type NextFunction, type Request, type Response } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import * as soap from 'soap';
import type { Logger } from '../shared/log.js';
import { verifyToken, type SigningKey } from '../shared/jwt.js';
import type { Site } from '../site.js';
import { handleTokenRequest } from './idp.js';
import { RestModel, type Resource } from './rest-model.js';
import { SERVER_COMMAND_OAUTH_PATH, serverCommandService, serverCommandWsdl } from './server-command.js';
import { DEFAULT_VMS_TOKEN_TTL_MS, VmsTokenStore } from './vms-tokens.js';
import { createPublicKey } from 'node:crypto';

export interface ManagementOptions {
  readonly host: string;
  readonly port: number;
  /** Lifetime of the VMS tokens ServerCommandServiceOAuth Login issues; default XProtect's 4 h. */
  readonly vmsTokenTtlMs?: number;
}

/** The lab-internal route where recorders ask whether a VMS token is valid (see lab/README.md). */
export const VMS_TOKEN_LOOKUP_PATH = '/lab/vms-tokens/lookup';

/**
 * `{array}` envelope for lists, `{data}` for one item, as the API Gateway answers. Lists hold
 * only enabled items unless the query has `disabled` (`?disabled`), as in the real API.
 */
const list = (req: Request, res: Response, items: readonly Resource[]): void => {
  const withDisabled = Object.hasOwn(req.query, 'disabled');
  res.json({ array: withDisabled ? items : items.filter((item) => item.enabled !== false) });
};
const one = (res: Response, item: Resource | undefined): void => {
  if (item === undefined) {
    res.status(404).json({ error: { httpCode: 404, details: [{ errorText: 'Not found' }] } });
    return;
  }
  res.json({ data: item });
};

/**
 * The lab's management server: the IDP token endpoint and a read-only subset of the
 * configuration REST API. Recorders fetch their device configuration from it by recorder id,
 * so two recorders presenting the same id get the same devices.
 */
export class ManagementServer {
  private server: Server | null = null;
  private readonly model: RestModel;
  private readonly verifyKeys: ReadonlyMap<string, ReturnType<typeof createPublicKey>>;
  /** ServerCommandServiceOAuth.svc is attached here once the port is known (its WSDL names it). */
  private readonly serverCommandRouter = express.Router({ caseSensitive: false });
  readonly vmsTokens: VmsTokenStore;

  constructor(
    private readonly site: Site,
    private readonly key: SigningKey,
    private readonly options: ManagementOptions,
    private readonly log: Logger,
  ) {
    this.model = new RestModel(site, new Date().toISOString());
    this.verifyKeys = new Map([[key.kid, createPublicKey(key.privateKey)]]);
    // A real server writes its machine name in the token (public captures: desktop-8rpfauh).
    this.vmsTokens = new VmsTokenStore(hostname().toLowerCase().replace(/[^a-z0-9.-]/g, '-').slice(0, 63) || 'lab', options.vmsTokenTtlMs ?? DEFAULT_VMS_TOKEN_TTL_MS);
  }

  async listen(): Promise<number> {
    const app = this.app();
    await new Promise<void>((resolve, reject) => {
      this.server = app.listen(this.options.port, this.options.host, (err?: Error) => (err ? reject(err) : resolve()));
      this.server.once('error', reject);
    });
    const port = (this.server?.address() as AddressInfo).port;
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    await new Promise<void>((resolve, reject) => {
      soap.listen(this.serverCommandRouter, {
        path: SERVER_COMMAND_OAUTH_PATH,
        services: serverCommandService(this.vmsTokens, this.verifyKeys, this.log) as unknown as soap.IServices,
        xml: serverCommandWsdl(`http://${host}:${port}${SERVER_COMMAND_OAUTH_PATH}`),
        suppressStack: true,
        callback: (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
      });
    });
    return port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private issuer(req: Request): string {
    return `http://${req.headers.host ?? `${this.options.host}:${this.options.port}`}/IDP`;
  }

  app(): express.Express {
    const app = express();
    app.disable('x-powered-by');
    const verifyKeys = this.verifyKeys;

    const tokenHandler = (req: Request, res: Response): void => {
      const result = handleTokenRequest(
        (req.body ?? {}) as Record<string, unknown>,
        { issuer: this.issuer(req), username: this.site.credentials.username, password: this.site.credentials.password, tokenLifetimeSeconds: this.site.tokenLifetimeSeconds },
        this.key,
        Date.now(),
      );
      res.set('cache-control', 'no-store');
      if (!result.ok) {
        this.log.info({ error: result.body.error }, 'token request refused');
        res.status(result.status).json(result.body);
        return;
      }
      res.json(result.body);
    };
    const form = express.urlencoded({ extended: false, limit: '16kb' });
    app.post('/IDP/connect/token', form, tokenHandler);
    app.post('/API/IDP/connect/token', form, tokenHandler);
    app.get('/IDP/.well-known/openid-configuration', (req, res) => {
      const issuer = this.issuer(req);
      res.json({
        issuer,
        token_endpoint: `${issuer}/connect/token`,
        jwks_uri: `${issuer}/.well-known/openid-configuration/jwks`,
        grant_types_supported: ['password'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    });
    app.get('/IDP/.well-known/openid-configuration/jwks', (_req, res) => void res.json({ keys: [this.key.publicJwk] }));

    const rest = express.Router({ caseSensitive: false });
    rest.use((req: Request, res: Response, next: NextFunction) => {
      const header = req.headers.authorization ?? '';
      const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
      const verdict = verifyToken(token, verifyKeys, Date.now());
      if (!verdict.ok) {
        res.set('www-authenticate', `Bearer error="invalid_token", error_description="${verdict.reason}"`);
        res.status(401).json({ error: { httpCode: 401, details: [{ errorText: 'Unauthorized' }] } });
        return;
      }
      next();
    });
    const m = this.model;
    rest.get('/recordingServers', (req, res) => list(req, res, m.recordingServers));
    rest.get('/recordingServers/:id', (req, res) => one(res, m.recordingServers.find((rs) => rs.id === String(req.params.id).toLowerCase())));
    rest.get('/recordingServers/:id/hardware', (req, res) => list(req, res, m.hardwareOf(String(req.params.id).toLowerCase())));
    rest.get('/recordingServers/:id/storages', (req, res) => list(req, res, m.storagesOf(String(req.params.id).toLowerCase())));
    rest.get('/hardware', (req, res) => list(req, res, m.hardware));
    rest.get('/hardware/:id', (req, res) => one(res, m.hardware.find((hw) => hw.id === String(req.params.id).toLowerCase())));
    rest.get('/hardware/:id/cameras', (req, res) => list(req, res, m.camerasOf(String(req.params.id).toLowerCase())));
    rest.get('/cameras', (req, res) => list(req, res, m.cameras));
    rest.get('/cameras/:id', (req, res) => one(res, m.cameras.find((camera) => camera.id === String(req.params.id).toLowerCase())));
    rest.get('/cameras/:id/settings', (req, res) => one(res, m.cameraSettings.get(String(req.params.id).toLowerCase())));
    rest.get('/storages', (req, res) => list(req, res, m.storages));
    rest.get('/storages/:id', (req, res) => one(res, m.storages.find((storage) => storage.id === String(req.params.id).toLowerCase())));
    rest.use((_req, res) => void res.status(404).json({ error: { httpCode: 404, details: [{ errorText: 'Not found' }] } }));
    app.use('/api/rest/v1', rest);

    // ServerCommandServiceOAuth.svc (server-command.ts); a request body is bounded before node-soap reads it.
    app.use(SERVER_COMMAND_OAUTH_PATH, express.raw({ type: () => true, limit: '64kb' }), (req: Request, res: Response, next: NextFunction) => {
      // node-soap would wait for a body the parser already consumed.
      if (req.method === 'POST' && !(Buffer.isBuffer(req.body) && req.body.length > 0)) res.status(400).type('text/plain').send('no SOAP request\n');
      else next();
    });
    app.use(this.serverCommandRouter);

    // Lab-internal, not an XProtect interface: a recorder asks whether a VMS token is valid (a
    // real recording server validates tokens with its management server too), with its own IDP
    // token; the answer says until when, so that it can cache it.
    app.post(VMS_TOKEN_LOOKUP_PATH, express.json({ limit: '16kb' }), (req: Request, res: Response) => {
      const header = req.headers.authorization ?? '';
      const bearer = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
      if (!verifyToken(bearer, verifyKeys, Date.now()).ok) {
        res.status(401).json({ type: 'about:blank', title: 'Unauthorized', status: 401 });
        return;
      }
      const token = (req.body as { token?: unknown } | undefined)?.token;
      if (typeof token !== 'string' || token.length > 1024) {
        res.status(400).json({ type: 'about:blank', title: 'token must be a string of at most 1024 characters', status: 400 });
        return;
      }
      const lookup = this.vmsTokens.lookup(token, Date.now());
      res.set('cache-control', 'no-store');
      res.json(lookup.valid ? { valid: true, expiresAt: new Date(lookup.expiresAtMs).toISOString() } : { valid: false, reason: lookup.reason });
    });
    // Lab-internal: how many VMS tokens were issued and renewed (tests watch renewals here).
    app.get('/lab/vms-tokens', (_req, res) => void res.json({ ...this.vmsTokens.counts(Date.now()), ttlMs: this.vmsTokens.ttlMs }));

    app.use((_req, res) => void res.status(404).json({ type: 'about:blank', title: 'Not found', status: 404 }));
    app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
      this.log.warn({ err }, 'request failed');
      const status = typeof (err as { status?: unknown }).status === 'number' ? ((err as { status: number }).status) : 500;
      res.status(status).json({ type: 'about:blank', title: status === 500 ? 'Internal error' : 'Bad request', status });
    });
    return app;
  }
}
