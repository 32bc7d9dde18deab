// Starts and stops the controller: database, HTTP server, graceful shutdown.
import { ClusterService } from './domain/clusters.js';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { AccountService } from './auth/accounts.js';
import { FocusService } from './auth/focus.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { IdentityCache } from './auth/identity-cache.js';
import { SignInService } from './auth/sign-in.js';
import { TokenService } from './auth/tokens.js';
import type { ControllerConfig } from './config/schema.js';
import { Database, describe } from './db/database.js';
import { logTightened, secureDataDir } from './db/data-dir.js';
import { AgentLinkService } from './agent-link/agent-link.js';
import { AuditLog } from './domain/audit-log.js';
import { BackfillService } from './agent-link/backfill-commands.js';
import { ClusterCommandService } from './agent-link/cluster-commands.js';
import { PoolSupervisorService } from './agent-link/pool-supervisor-service.js';
import { ReportingRecords } from './agent-link/reporting-records.js';
import { holdSqliteForThisController } from './db/sqlite-single-controller.js';
import { AgentPolicyCache, ClusterPolicyService } from './domain/cluster-policy.js';
import { DataMissingTracker } from './domain/data-missing.js';
import { DeviceOverviewService } from './domain/device-overview-cache.js';
import { EventBus } from './domain/event-bus.js';
import { EventService } from './domain/events.js';
import { NodeStatusCache } from './domain/node-status.js';
import { startSharing, type ControllerSharing } from './domain/status-share.js';
import { controllerInstanceId } from './domain/status-share-rules.js';
import { createRequestListener } from './http/app.js';
import { EventStreams } from './http/event-streams.js';
import { createMetrics } from './http/metrics.js';
import { startGenericEvents } from './xprotect-events/index.js';
import { bridgeGenericEventSend } from './xprotect-events/bridge-sender.js';
import { startWebhooks } from './webhooks/index.js';
import { ControllerLeases } from './domain/controller-leases.js';
import { loadEdgeBridge } from '../../shared/vms-bridge/edge-bridge.js';
import { controllerCertificate, type ControllerCertificateInfo } from './http/tls-certificate.js';
import { isLoopbackHost } from '../../shared/tls/loopback.js';

export interface RunningController {
  /** Base URL, e.g. http://127.0.0.1:8740, or https://… when it serves HTTPS (http.tls). */
  readonly url: string;
  /** The HTTPS certificate (its fingerprint is what agents pin); null over plain HTTP. */
  readonly certificate: ControllerCertificateInfo | null;
  readonly db: Database;
  /** Stops accepting, ends event streams, lets in-flight requests finish (up to the grace period), closes the DB. */
  close(): Promise<void>;
}

/** The admin account made at first start, when its password was generated. */
export interface GeneratedAdmin {
  readonly username: string;
  readonly password: string;
}

export interface ControllerHooks {
  /**
   * Told once, when the first admin account is made with a generated password. The default
   * prints one JSON line on stdout; the password never goes through the logger.
   */
  readonly onAdminGenerated?: (admin: GeneratedAdmin) => void;
}

/** The first-admin check is retried while the database is unavailable: 2 s doubling to a minute. */
const adminBootstrapRetryMsMin = 2_000;
const adminBootstrapRetryMsMax = 60_000;

/**
 * How often Node checks its connections against http.requestTimeoutMs (its
 * connectionsCheckingInterval, 30 s by default, so that a 30 s timeout fired after 30 to 60 s):
 * a tenth of the timeout, between 50 ms and 1 s, so that it fires within a second of it.
 */
export function timeoutCheckIntervalMs(requestTimeoutMs: number): number {
  return Math.min(1_000, Math.max(50, Math.floor(requestTimeoutMs / 10)));
}

export async function startController(config: ControllerConfig, log: Logger, hooks: ControllerHooks = {}): Promise<RunningController> {
  // First, so that every file the controller keeps there is made in a folder only it can read (0700).
  logTightened(log, secureDataDir(config.dataDir));
  // Before anything opens: a bad certificate file fails the start with nothing left running.
  const certificate = await controllerCertificate(config);
  // So does an edge bridge that cannot load (the error names the missing part): never a silent fallback to native.
  const genericEventSend = config.vms.bridge === 'edge' ? bridgeGenericEventSend(loadEdgeBridge({ assemblyFile: config.vms.bridgeAssembly })) : undefined;
  if (genericEventSend !== undefined) log.info('vms.bridge edge: generic events go out through Twinrec.Bridge (edge-js, CoreCLR)');
  const statuses = new NodeStatusCache({ staleAfterMs: config.agents.staleAfterMs });
  const streamLog = log.child({ component: 'event-streams' });
  const bus = new EventBus((err) => streamLog.warn({ err }, 'an event stream failed to take an event'));
  // Sharing starts once the database is up, below; its write counts are read at each scrape.
  let sharing: ControllerSharing | null = null;
  const metrics = createMetrics({ statuses, events: bus, statusShareWrites: () => sharing?.status.writeCounts() ?? null });
  // One controller per SQLite file; several share PostgreSQL or SQL Server.
  const releaseSqlite = await holdSqliteForThisController({ url: config.db.url, dataDir: config.dataDir, connectTimeoutMs: config.db.connectTimeoutMs, queryTimeoutMs: config.db.queryTimeoutMs });
  const db = new Database(
    { url: config.db.url, password: config.db.password, dataDir: config.dataDir, connectTimeoutMs: config.db.connectTimeoutMs, queryTimeoutMs: config.db.queryTimeoutMs, healthIntervalMs: config.db.healthIntervalMs, migrateOnStart: config.db.migrateOnStart, secretsKeyFile: config.encryption.keyFile },
    log.child({ component: 'db' }),
    (up) => metrics.dbUp.set(up ? 1 : 0),
    // A secrets key that does not fit the database, found on a later connection: stop, exit 1.
    () => {
      process.exitCode = 1;
      void close();
    },
  );
  // The first attempt is awaited so that a healthy start is ready when "listening" is printed;
  // a failed one leaves the controller up, answering 503, and retrying in the background.
  await db.start();
  // Several controllers on PostgreSQL or SQL Server share node status and events (issue 19); on SQLite it is alone.
  const controllerId = controllerInstanceId();
  log.info({ controllerId, dialect: db.dialect }, db.dialect === 'sqlite' ? 'controller instance (SQLite: the only controller on its database)' : 'controller instance: sharing node status and events with the other controllers on this database');
  sharing = startSharing({ db, statuses, bus, controllerId, log: log.child({ component: 'controller-share' }) });

  const dataMissing = new DataMissingTracker(statuses);
  const agentLinkLog = log.child({ component: 'agent-link' });
  // Serving spans, camera gaps and backfill jobs for the reporting views, written in the background.
  const records = new ReportingRecords(db, log.child({ component: 'reporting-records' }), { silenceMsMax: config.agents.staleAfterMs });
  const agentLink = new AgentLinkService(db, statuses, new AgentPolicyCache(agentLinkLog), agentLinkLog, { events: bus, dataMissing, records }, { trustOnFirstUse: config.agents.trustOnFirstUse });
  const clusterPolicies = new ClusterPolicyService(db, statuses);
  const clusterCommands = new ClusterCommandService(db, statuses, clusterPolicies, log.child({ component: 'cluster-commands' }), { commandTimeoutMs: config.agents.commandTimeoutMs });
  const backfill = new BackfillService(db, statuses, dataMissing, log.child({ component: 'backfill' }), { commandTimeoutMs: config.agents.commandTimeoutMs });
  const overview = new DeviceOverviewService(db, statuses);
  const events = new EventService(db);
  // Generic events to XProtect's Event Server: a listener on the bus, off until an admin sets them.
  const genericEvents = startGenericEvents({ db, bus, statuses, dataMissing, registry: metrics.registry, log: log.child({ component: 'generic-events' }), ...(genericEventSend === undefined ? {} : { send: genericEventSend }) });
  // Webhooks: another listener on the bus that only queues; deliveries go out beside everything else.
  const webhooks = startWebhooks({ db, bus, registry: metrics.registry, log: log.child({ component: 'webhooks' }), timeoutMs: config.webhooks.timeoutMs, retry: { attemptsMax: config.webhooks.attemptsMax, delayMsBase: config.webhooks.retryDelayMsBase, delayMsMax: config.webhooks.retryDelayMsMax } });
  // Singleton work runs on one controller at a time, the holder of its lease in the database (issue 19).
  const sweepJob = { name: 'agent-sweep' as const, gained: () => agentLink.startSweep(), lost: () => agentLink.stopSweep() };
  // Failover pools: one controller allocates standbys and orders takeovers, releases and resumes (issue 17).
  const poolSupervisor = new PoolSupervisorService(db, statuses, bus, log.child({ component: 'pool-supervisor' }), { orderTimeoutMs: config.agents.commandTimeoutMs, leaseTtlMs: config.leases.ttlMs });
  const leases = new ControllerLeases(db, [sweepJob, webhooks.lease, genericEvents.lease, poolSupervisor.lease], { controllerId, ttlMs: config.leases.ttlMs, renewIntervalMs: config.leases.renewIntervalMs, log: log.child({ component: 'controller-leases' }), registry: metrics.registry });
  const eventStreams = new EventStreams(bus, events, streamLog);
  const authLog = log.child({ component: 'auth' });
  const audit = new AuditLog(db, authLog);
  const throttle = new LoginThrottle({ failuresPerAccountMax: config.auth.loginFailuresPerAccountMax, failuresPerAccountTotalMax: config.auth.loginFailuresPerAccountTotalMax, failuresPerAddressMax: config.auth.loginFailuresPerAddressMax, failureWindowMs: config.auth.loginFailureWindowMs });
  const identities = new IdentityCache();
  const accounts = new AccountService(db, throttle, identities);
  const auth = { signIn: new SignInService(db, throttle, audit, config.auth.sessionTtlMs, identities), accounts, tokens: new TokenService(db, identities), focus: new FocusService(db, statuses), audit, cookieSecure: config.auth.cookieSecure || certificate !== null };
  const listener = createRequestListener({ db, log, metrics, bodyLimitBytes: config.http.bodyLimitBytes, validateResponses: config.http.validateResponses, agentLink, clusterCommands, backfill, clusterPolicies, statuses, dataMissing, overview, events, eventStreams, auth, trustProxy: config.http.trustProxy, publicOrigin: config.http.publicOrigin, certificate, genericEvents: genericEvents.service, webhooks: webhooks.service, leases, support: { config, db, clusters: new ClusterService(db, statuses, dataMissing), events, audit, logFile: config.log.file?.path ?? null } });

  // The first admin, once the database can be asked: now, or in the background while it is down.
  const announce = hooks.onAdminGenerated ?? ((admin: GeneratedAdmin) => process.stdout.write(`${JSON.stringify({ event: 'admin-created', username: admin.username, password: admin.password, note: 'shown once: sign in and change it' })}\n`));
  let adminTimer: NodeJS.Timeout | null = null;
  let adminRetryMs = adminBootstrapRetryMsMin;
  let stopping = false;
  const bootstrapAdmin = async (): Promise<void> => {
    adminTimer = null;
    try {
      const result = await accounts.ensureAdmin(config.auth.adminUsername, config.auth.adminPassword);
      if (!result.created) return;
      authLog.info({ username: result.username }, result.generatedPassword === null ? 'admin account created with auth.adminPassword' : 'admin account created; its generated password is printed once on stdout');
      if (result.generatedPassword !== null) announce({ username: result.username, password: result.generatedPassword });
    } catch (err) {
      if (stopping) return;
      authLog.warn({ err: describe(err), retryMs: adminRetryMs }, 'cannot check for the admin account yet; retrying');
      adminTimer = setTimeout(() => void bootstrapAdmin(), adminRetryMs);
      adminTimer.unref();
      adminRetryMs = Math.min(adminBootstrapRetryMsMax, adminRetryMs * 2);
    }
  };
  await bootstrapAdmin();
  // Before listening: a healthy start holds its leases before the first report's events arrive.
  await leases.start();
  const serverOptions = { requestTimeout: config.http.requestTimeoutMs, headersTimeout: Math.min(config.http.requestTimeoutMs, 60_000), keepAliveTimeout: 5_000, connectionsCheckingInterval: timeoutCheckIntervalMs(config.http.requestTimeoutMs) };
  const server: Server = certificate === null ? createServer(serverOptions, listener) : createHttpsServer({ ...serverOptions, cert: certificate.certPem, key: certificate.keyPem, minVersion: 'TLSv1.2' }, listener);
  server.listen(config.http.port, config.http.host);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => Promise.reject(err as Error))]);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${certificate === null ? 'http' : 'https'}://${host}:${address.port}`;
  if (certificate !== null) {
    const { fingerprint256, source, validTo, created } = certificate;
    log.info({ fingerprint256, source, validTo: validTo.toISOString(), created }, `serving HTTPS; certificate SHA-256 ${fingerprint256}${created ? ' (generated now: agents must pin this fingerprint)' : ''}`);
    if (validTo.getTime() < Date.now()) log.warn({ validTo: validTo.toISOString() }, 'the HTTPS certificate has expired: clients that check dates refuse it');
  } else if (!isLoopbackHost(config.http.host)) {
    log.warn({ host: config.http.host }, 'serving plain HTTP beyond loopback (http.tls.mode off): passwords, session cookies and cluster secrets would cross the network in clear unless a TLS proxy is in front (then set auth.cookieSecure)');
  }
  records.start();

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      log.info({ graceMs: config.http.shutdownGraceMs }, 'shutting down: finishing in-flight requests');
      // Released first, so that another controller takes the singleton work over at once.
      await leases.stop();
      agentLink.stopSweep();
      poolSupervisor.stop();
      genericEvents.close();
      webhooks.close();
      stopping = true;
      if (adminTimer !== null) clearTimeout(adminTimer);
      // Streams never finish by themselves: end them first, so that their connections go idle and close.
      eventStreams.closeAll();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections become idle as their last request ends; close them as they do.
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      const grace = setTimeout(() => {
        log.warn('grace period over: closing remaining connections');
        server.closeAllConnections();
      }, config.http.shutdownGraceMs);
      await closed;
      clearTimeout(grace);
      clearInterval(sweep);
      overview.close();
      await sharing?.close();
      await records.stop();
      await db.close();
      await releaseSqlite();
      log.info('stopped');
    })();
    return closing;
  };
  const info = certificate === null ? null : { certPem: certificate.certPem, fingerprint256: certificate.fingerprint256, subject: certificate.subject, validFrom: certificate.validFrom, validTo: certificate.validTo, source: certificate.source };
  return { url, certificate: info, db, close };
}
