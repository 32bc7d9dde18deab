// The controller's configuration: one zod schema is the single description of every key,
// its type, its default and whether it is a secret.
import { isIP, isIPv4 } from 'node:net';
import { z } from 'zod';
import { logFileSchema } from '../../../shared/log-file.js';
import { usernamePattern } from '../model/vocabulary.js';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const logFormats = ['auto', 'json', 'pretty'] as const;

const port = z.number().int().min(0).max(65535);

/** Names proxy-addr (express) knows for address ranges. */
export const trustProxyNames = ['loopback', 'linklocal', 'uniquelocal'] as const;

/** An address, a CIDR range (`10.0.0.0/8`, `fd00::/8`), an address with a netmask, or a named range. */
export function isProxyAddress(text: string): boolean {
  if ((trustProxyNames as readonly string[]).includes(text)) return true;
  const [address, mask, ...rest] = text.split('/');
  if (address === undefined || rest.length > 0) return false;
  const version = isIP(address);
  if (version === 0) return false;
  if (mask === undefined) return true;
  if (/^\d{1,3}$/.test(mask)) return Number(mask) <= (version === 4 ? 32 : 128);
  return version === 4 && isIPv4(mask);
}

const trustProxy = z.union([
  z.boolean(),
  z.number().int().min(0).max(32),
  z
    .array(z.string().refine(isProxyAddress, 'an IP address, a CIDR range (10.0.0.0/8) or loopback, linklocal, uniquelocal'))
    .min(1)
    .max(64),
]);

const publicOrigin = z
  .string()
  .max(2048)
  .refine((text) => {
    try {
      const url = new URL(text);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '' && (url.pathname === '/' || url.pathname === '') && url.search === '' && url.hash === '';
    } catch {
      return false;
    }
  }, 'an origin: http(s)://host[:port], without path, query or user')
  .transform((text) => new URL(text).origin);

export const controllerConfigSchema = z
  .object({
    http: z
      .object({
        /** Address the REST API and console listen on. Loopback by default: expose it on purpose. */
        host: z.string().min(1).default('127.0.0.1'),
        /** 0 picks a free port; the `listening` line tells which. */
        port: port.default(8740),
        /** Largest accepted request body. */
        bodyLimitBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
        /** Time a client has to send a whole request (headers and body) before the server answers 408 and closes its connection. */
        requestTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
        /** On SIGTERM, in-flight requests get this long before connections are closed. */
        shutdownGraceMs: z.number().int().min(0).max(600_000).default(10_000),
        /** Validate every response against the OpenAPI document (tests turn this on). */
        validateResponses: z.boolean().default(false),
        /**
         * Which proxies in front may say who the client is (X-Forwarded-For, X-Forwarded-Proto):
         * express's 'trust proxy'. `false` (the default): none, the client is the TCP peer; a
         * number: that many proxies in front; a list of addresses, CIDR ranges or `loopback`,
         * `linklocal`, `uniquelocal`: those proxies; `true`: any (only when nothing but the proxy
         * can reach this server). Rate limits and the audit log use the client's address.
         */
        trustProxy: trustProxy.default(false),
        /**
         * The console's address as browsers see it (`https://twinrec.example.com`), behind a proxy
         * that rewrites Host: changes sent with the session cookie must come from a page of this
         * origin. Without it the Origin header is compared with the Host header.
         */
        publicOrigin: publicOrigin.optional(),
        /**
         * HTTPS for the console, the API and the agent link (api/src/http/tls-certificate.ts).
         * `auto` (the default): HTTPS when `host` is not loopback, plain HTTP on loopback (the demo,
         * tests); `on`: always HTTPS; `off`: plain HTTP (beyond loopback only behind a TLS proxy,
         * warned at start). The certificate is `certFile`/`keyFile` (PEM) when given, else one
         * generated at first start in `<dataDir>/tls/` (mode 0600, five years) whose SHA-256
         * fingerprint is printed at start: what agents pin (agent.yaml controller.fingerprint).
         */
        tls: z
          .object({
            mode: z.enum(['auto', 'on', 'off']).default('auto'),
            certFile: z.string().min(1).max(4096).optional(),
            keyFile: z.string().min(1).max(4096).optional(),
          })
          .strict()
          .superRefine((tls, ctx) => {
            if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) ctx.addIssue({ code: 'custom', path: [tls.certFile === undefined ? 'certFile' : 'keyFile'], message: 'certFile and keyFile go together: set both, or neither for a generated certificate' });
            if (tls.mode === 'off' && tls.certFile !== undefined) ctx.addIssue({ code: 'custom', path: ['mode'], message: 'is off while certFile/keyFile are set: remove them, or set mode on or auto' });
          })
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** Folder for the embedded SQLite database (twinrec.sqlite). */
    dataDir: z.string().min(1).default('./data'),
    db: z
      .object({
        /** `sqlite:PATH`, `postgres://user:pass@host:5432/db` or `mssql://user:pass@host:1433/db`. Default: sqlite in dataDir. */
        url: z.string().min(1).optional(),
        /** Password for the database, if not in the URL. A secret: masked in `config print`. */
        password: z.string().optional(),
        /** Bound on every connection attempt and health query. */
        connectTimeoutMs: z.number().int().min(100).max(120_000).default(5_000),
        /** Bound on every query. */
        queryTimeoutMs: z.number().int().min(100).max(600_000).default(15_000),
        /** Interval of the background database health probe that feeds /readyz and /metrics. */
        healthIntervalMs: z.number().int().min(250).max(600_000).default(5_000),
        /** Apply pending migrations at start. */
        migrateOnStart: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    agents: z
      .object({
        /** A node whose agent has not reported for this long is not reachable: no Serving claim of its counts. */
        staleAfterMs: z.number().int().min(500).max(600_000).default(10_000),
        /** Bound on every command relayed to an agent (switch, maintenance), connection included. */
        commandTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
        /**
         * Trust on first use: a registering agent may create its cluster (an unknown name) or give a
         * cluster without a secret the secret it presents. Off (the default), an admin creates the
         * cluster and sets its secret (`PUT /api/v1/clusters/{id}/agent-secret`) before its agents
         * register; the demo turns it on. Anyone who can reach the controller can claim a cluster
         * while it is on.
         */
        trustOnFirstUse: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /** Outgoing webhooks (api/src/webhooks/): how long an attempt may take and how often it is tried. */
    webhooks: z
      .object({
        /** Bound on one POST to a receiver, connection included. */
        timeoutMs: z.number().int().min(100).max(30_000).default(5_000),
        /** Attempts per event and webhook, the first included; then it is dropped (a `dropped` entry in the delivery log and a warning). */
        attemptsMax: z.number().int().min(1).max(20).default(6),
        /** The first retry waits about this long; each next one twice as long (with jitter), up to retryDelayMsMax. */
        retryDelayMsBase: z.number().int().min(10).max(600_000).default(1_000),
        retryDelayMsMax: z.number().int().min(10).max(3_600_000).default(60_000),
      })
      .strict()
      .prefault({}),
    /**
     * Singleton leases (api/src/domain/controller-leases.ts): with several controllers on one
     * PostgreSQL or SQL Server database, the stale-agent sweep, webhook delivery and generic events
     * run on one controller at a time, the holder of a lease row renewed every `renewIntervalMs`
     * (default a third of `ttlMs`). When its holder dies, another controller takes the lease over
     * once it has expired (`ttlMs`, by the database's clock); a holder that cannot renew stops
     * acting a fifth of `ttlMs` before its lease can expire. A controller that stops releases its
     * leases at once. On SQLite (one controller) it always holds them.
     */
    leases: z
      .object({
        ttlMs: z.number().int().min(1_000).max(600_000).default(10_000),
        renewIntervalMs: z.number().int().min(100).max(300_000).optional(),
      })
      .strict()
      .superRefine((leases, ctx) => {
        // leaseTimingProblem (domain/controller-lease-rules.ts; config may not import domain): two renewals fit before the holder must stop.
        const marginMs = Math.ceil(leases.ttlMs / 5);
        const renewMsMax = Math.floor((leases.ttlMs - marginMs) / 2);
        if (leases.renewIntervalMs !== undefined && leases.renewIntervalMs > renewMsMax) ctx.addIssue({ code: 'custom', path: ['renewIntervalMs'], message: `must be at most half of ttlMs less its fifth (${renewMsMax} ms for a TTL of ${leases.ttlMs} ms)` });
      })
      // Unset: a third of the TTL (defaultRenewIntervalMs), shown as such by `config print`.
      .transform((leases) => ({ ttlMs: leases.ttlMs, renewIntervalMs: leases.renewIntervalMs ?? Math.max(1, Math.floor(leases.ttlMs / 3)) }))
      .prefault({}),
    auth: z
      .object({
        /** Name of the admin account created at first start (when the database has no account). */
        adminUsername: z.string().regex(new RegExp(usernamePattern), 'lower-case letters, digits and . _ @ -, at most 64').default('admin'),
        /**
         * Password of that admin account, used only when it is created. Without it a random one is
         * generated and printed once on stdout. A secret: masked in `config print`, never logged.
         */
        adminPassword: z.string().min(12).max(256).optional(),
        /** A console session ends this long after login. */
        sessionTtlMs: z.number().int().min(1_000).max(30 * 24 * 3_600_000).default(8 * 3_600_000),
        /** Mark the session cookie Secure (only sent over HTTPS): turn on behind a TLS proxy. Always on when the controller serves HTTPS itself (http.tls). */
        cookieSecure: z.boolean().default(false),
        /** Failed logins for one account from one client address within the window before that address is locked out of it for the window. */
        loginFailuresPerAccountMax: z.number().int().min(1).max(1_000).default(5),
        /**
         * Failed logins for one account from all addresses together within the window; past it,
         * addresses that have failed for the account are refused too, while an address without a
         * failure for it (its owner's) may still sign in.
         */
        loginFailuresPerAccountTotalMax: z.number().int().min(1).max(100_000).default(50),
        /** Failed logins from one client address within the window before it is refused for the window. */
        loginFailuresPerAddressMax: z.number().int().min(1).max(100_000).default(50),
        loginFailureWindowMs: z.number().int().min(1_000).max(24 * 3_600_000).default(15 * 60_000),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(logLevels).default('info'),
        /** `auto`: pretty when stderr is a terminal, JSON otherwise. */
        format: z.enum(logFormats).default('auto'),
        /** A rotating log file beside stderr; none when absent. */
        file: logFileSchema.optional(),
      })
      .strict()
      .prefault({}),
    /**
     * How the controller reaches the VMS: `native`, the TypeScript adapters, or `edge`,
     * plugin-host's Twinrec.Bridge loaded in-process by edge-js (CoreCLR). With `edge` the
     * generic events go to the Event Server through the bridge's SendGenericEvent.
     */
    vms: z
      .object({
        bridge: z.enum(['native', 'edge']).default('native'),
        /** Twinrec.Bridge.dll for `edge`; default: the repository's Release build (plugin-host/README.md). */
        bridgeAssembly: z.string().min(1).max(4096).optional(),
      })
      .strict()
      .refine((vms) => vms.bridge === 'edge' || vms.bridgeAssembly === undefined, { message: 'vms.bridgeAssembly applies to vms.bridge: edge only', path: ['bridgeAssembly'] })
      .prefault({}),
    encryption: z
      .object({
        /**
         * The key that encrypts the cluster secrets in the database (AES-256-GCM), made at the first
         * start, mode 0600. Default `<dataDir>/secrets.key`, also when the database is remote: back
         * it up with the database; without it the agents must be enrolled again.
         */
        keyFile: z.string().min(1).max(4096).optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ControllerConfig = z.infer<typeof controllerConfigSchema>;
/** What a config file, the environment or flags may give: every key optional. */
export type ControllerConfigInput = z.input<typeof controllerConfigSchema>;

/** Dotted paths of secret values; `config print` and logs mask them. */
export const secretPaths: readonly string[] = ['db.password', 'auth.adminPassword'];
