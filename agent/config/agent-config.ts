// The agent's configuration (agent.json or agent.yaml): one zod schema describes every key,
// its default and its bounds. Secrets live in files (secretFile, passwordFile) or in the
// environment, never in the config file itself, so the file can be shared in a support case.
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { logFileSchema } from '../../shared/log-file.js';
import { z } from 'zod';
import { canonicalFingerprint } from '../../shared/tls/certificate.js';
import { isLoopbackHost } from '../../shared/tls/loopback.js';
import { managementServerUrlOf } from '../../shared/vms-bridge/bridge.js';

const configFileMaxBytes = 256 * 1024;
/** Controllers an agent may list (controller.urls), and certificate fingerprints it may trust for them. */
export const controllerUrlsMax = 8;
const controllerFingerprintsMax = 16;
const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore, starting with a letter or digit');
const host = z.string().min(1).max(253);
const port = z.number().int().min(0).max(65535);
const hostPort = z.object({ host, port }).strict();
const httpUrl = z.string().url().max(2048).regex(/^https?:\/\//, 'an http:// or https:// URL');
/** A certificate's SHA-256 fingerprint, as `AB:CD:…` (any case, colons optional), stored canonical. */
const fingerprint = z.string().max(200).transform((text, ctx) => canonicalFingerprint(text) ?? (ctx.addIssue({ code: 'custom', message: 'a SHA-256 fingerprint: 64 hex digits, colons optional' }), z.NEVER));

/**
 * How this agent trusts an https:// server it calls (the controller, its recording server):
 * exactly one of the certificate's SHA-256 `fingerprint` (a self-signed certificate, such as the
 * controller generates), a `caFile` (PEM: the issuing CA, or the certificate itself; the host
 * name is checked too) or `systemTrust` (the system's CAs, for a publicly issued certificate).
 */
const serverTrust = { fingerprint: fingerprint.optional(), caFile: z.string().min(1).max(4096).optional(), systemTrust: z.boolean().default(false) };

function checkServerTrust(url: string, trust: { fingerprint?: string | undefined; caFile?: string | undefined; systemTrust: boolean }, path: string, what: string, ctx: z.RefinementCtx): void {
  const given = [trust.fingerprint !== undefined, trust.caFile !== undefined, trust.systemTrust].filter(Boolean).length;
  if (url.startsWith('https:') && given !== 1) ctx.addIssue({ code: 'custom', path: [path], message: `${url.slice(0, 80)} is https: set exactly one of ${path}.fingerprint (the SHA-256 of ${what}'s certificate), ${path}.caFile (its issuing CA, PEM) or ${path}.systemTrust: true (a certificate from a CA the system trusts)` });
  if (url.startsWith('http:') && given > 0) ctx.addIssue({ code: 'custom', path: [path], message: `${path}.fingerprint, caFile and systemTrust need an https:// URL` });
}

const serviceSchema = z.discriminatedUnion('kind', [
  /** A lab recorder process, started and stopped through the lab's control API (its service manager). */
  z.object({ kind: z.literal('lab'), controlUrl: httpUrl, recorderName: z.string().min(1).max(40) }).strict(),
  z.object({ kind: z.literal('systemd'), unit: z.string().min(1).max(256) }).strict(),
  z.object({ kind: z.literal('windows-service'), serviceName: z.string().min(1).max(256).default('Milestone XProtect Recording Server') }).strict(),
]);

const endpointSchema = z.discriminatedUnion('kind', [
  /** The TCP relay on the cluster's shared address (`twinrec relay`): claims go to its control API. */
  z
    .object({
      kind: z.literal('relay'),
      controlUrl: httpUrl,
      /** The relay control certificate's SHA-256 fingerprint (its `listening` line prints it): required with an https controlUrl. */
      fingerprint: fingerprint.optional(),
      timeoutMs: z.number().int().min(100).max(60_000).default(2_000),
    })
    .strict(),
  /** An operator script called as `FILE ARGS… claim|release HOST PORT EPOCH` (DNS or VIP changes). */
  z.object({ kind: z.literal('command'), command: z.array(z.string().min(1)).min(1).max(32), timeoutMs: z.number().int().min(100).max(300_000).default(10_000) }).strict(),
]);

/** `vms` in agent.yaml and the controller's config: which VMS bridge runs (shared/vms-bridge). */
const vmsSchema = z
  .object({
    bridge: z.enum(['native', 'edge']).default('native'),
    /** Twinrec.Bridge.dll for `edge`; default: the repository's Release build (plugin-host/README.md). */
    bridgeAssembly: z.string().min(1).max(4096).optional(),
  })
  .strict();

/**
 * Where the agent reads the recorder's storage itself (its storage adapter), for the spans it
 * reports per storage: recorded time, coverage and placeholders. Optional: without it the
 * storages are reported as the recorder states them, without spans.
 */
const storageSchema = z.discriminatedUnion('adapter', [
  z
    .object({
      /** The lab's on-disk format (media-store/, lab/README.md). */
      adapter: z.literal('lab-format'),
      /** The storage folder; its spans go on the recorder storage whose path is this folder. */
      root: z.string().min(1).max(1024),
      /** Time between scans: a scan reads every camera's index, so not on every report. */
      refreshIntervalMs: z.number().int().min(1_000).max(3_600_000).default(15_000),
      /** Most cameras read per scan. */
      maxCameras: z.number().int().min(1).max(16_384).default(4_096),
      /**
       * This node's own retention in minutes: the recording storage's retention in the Management
       * Client (1440, a day, is XProtect's default), or less where this node has a smaller storage
       * than its peer (seed 000, "Smaller Storage"). Backfill fills nothing older.
       */
      retainMinutes: z.number().int().min(1).max(525_600_000).default(1_440),
    })
    .strict(),
]);

/** `host:port` of a protected server's shared address, as the controller's takeover order names it (contracts/pool-v1.ts). */
const poolSharedAddress = z.string().min(3).max(261).regex(/^(\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9.-]{1,253}):([1-9][0-9]{0,4})$/, 'host:port (IPv6 in brackets)');
/** Shared addresses a standby may serve: one per protected server of its pool. */
export const poolEndpointsMax = 256;
/** A standby records at most this many cameras at once (contracts/pool-v1.ts poolCamerasMax). */
const poolCameraCapacityMax = 4096;

/** A protected server's shared address and the serving endpoint behind it (a relay's control API, or a command). */
const poolEndpointSchema = z.discriminatedUnion('kind', [
  endpointSchema.options[0].extend({ sharedAddress: poolSharedAddress }),
  endpointSchema.options[1].extend({ sharedAddress: poolSharedAddress }),
]);

/** Bounds on stopping and starting the recorder (XProtect waits up to 60 s for its service). */
const recorderStopTimeoutMs = z.number().int().min(1_000).max(600_000).default(120_000);
const recorderStartTimeoutMs = z.number().int().min(1_000).max(600_000).default(120_000);

/**
 * `pool` in agent.yaml with `role: standby`: this agent runs a failover pool's standby (issue 17,
 * agent/pool/). The controller orders its takeovers; it has no peer. Each protected server's
 * shared address maps to the serving endpoint the standby claims for it. `role` is required (no
 * default): a protected server's file without it must not be read as a standby's.
 */
const poolStandbySchema = z
  .object({
    role: z.literal('standby'),
    /** Cameras this standby records at once, registered with the controller when the standby first joins (an admin changes it there after: PUT …/standby); cameras beyond it are left out of a takeover. */
    cameraCapacity: z.number().int().min(0).max(poolCameraCapacityMax),
    endpoints: z.array(poolEndpointSchema).min(1).max(poolEndpointsMax),
    /** Clone rule overrides (YAML, as `twinrec config clone --rules`): e.g. `webserver/port` kept local where the servers differ in it. */
    rulesFile: z.string().min(1).optional(),
    /** Bound on stopping the recorder before its file is written. */
    stopTimeoutMs: recorderStopTimeoutMs,
    startTimeoutMs: recorderStartTimeoutMs,
    /** Bound on the recorder recording the ordered cameras after its start. */
    healthyTimeoutMs: z.number().int().min(1_000).max(600_000).default(60_000),
  })
  .strict();

/**
 * `pool` in agent.yaml with `role: protected`: this agent runs a protected recording server of a
 * failover pool (issue 17, agent/pool/protected*.ts). It has no twin: it holds its own serving
 * endpoint under the pool's epochs, stops its recorder when a standby claims the endpoint above
 * it, and serves again only when the controller orders a resume.
 */
const poolProtectedSchema = z
  .object({
    role: z.literal('protected'),
    /** Its shared address (where its clients connect, registered with the controller) and the endpoint behind it. */
    endpoint: poolEndpointSchema,
    /** How often it claims its endpoint again while serving: the bound on how long a standby's claim above it goes unnoticed. */
    claimIntervalMs: z.number().int().min(100).max(60_000).default(1_000),
    /** How often its RecorderConfig.xml's SHA-256 is checked; a change is pushed to the controller (what a takeover clones). */
    recorderConfigCheckIntervalMs: z.number().int().min(1_000).max(3_600_000).default(10_000),
    stopTimeoutMs: recorderStopTimeoutMs,
    startTimeoutMs: recorderStartTimeoutMs,
  })
  .strict();

export const agentConfigSchema = z
  .object({
    cluster: z
      .object({
        name: id,
        /** Where clients reach the Serving node (host:port of the relay, a DNS name or a VIP). */
        sharedAddress: z.string().min(1).max(255),
        /** File holding the per-cluster secret (at least 16 characters), shared by both agents, the relay and the controller. */
        secretFile: z.string().min(1),
      })
      .strict(),
    node: z
      .object({
        id,
        /** 0 or 1: ranks own disjoint epochs, so the two nodes must differ. */
        rank: z.union([z.literal(0), z.literal(1)]),
        /** How the controller and operators reach this host. */
        hostName: host.default('127.0.0.1'),
      })
      .strict(),
    peer: z
      .object({
        id,
        /** The peer agent's heartbeat (UDP) address. */
        heartbeat: hostPort,
        /** The peer agent's local API, for config sync and backfill: https:// when the peer's api.tls is on. */
        agentUrl: httpUrl,
        /**
         * A static pin of the peer API's certificate (SHA-256). Without it the agent pins what the
         * peer's heartbeats carry: they are authenticated with the cluster secret (HMAC).
         */
        agentFingerprint: fingerprint.optional(),
      })
      .strict(),
    /** Where this agent listens for the peer's heartbeats (UDP). */
    heartbeat: z.object({ listen: hostPort }).strict(),
    /** The agent's local HTTP API (commands, state, config sync, backfill). Keep it on a management network. */
    api: z
      .object({
        listen: hostPort.default({ host: '127.0.0.1', port: 0 }),
        advertisedUrl: httpUrl.optional(),
        /**
         * HTTPS with this agent's own certificate, generated at first start (mode 0600) unless
         * certFile/keyFile name one. Its fingerprint goes to the controller at registration and to
         * the peer in every heartbeat, which pin it. `auto`: HTTPS unless `listen.host` is loopback
         * (the demo); `on`; `off`: plain HTTP, beyond loopback only with `insecurePlainHttp`.
         */
        tls: z
          .object({
            mode: z.enum(['auto', 'on', 'off']).default('auto'),
            /** Default `<stateDir>/tls/agent-api.crt`. */
            certFile: z.string().min(1).max(4096).optional(),
            /** Default `<stateDir>/tls/agent-api.key`. */
            keyFile: z.string().min(1).max(4096).optional(),
            /**
             * Allows plain HTTP beyond loopback, for this API and to the peer's: the cluster secret
             * then crosses the network in clear (warned at every start). The controller never
             * sends it to a plain-HTTP agent beyond loopback.
             */
            insecurePlainHttp: z.boolean().default(false),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    recorder: z
      .object({
        /** The recording server's web server (ImageServer + SOAP): RecorderConfig.xml webserver/port. */
        webServerUrl: httpUrl,
        /** The management server's IDP token endpoint. */
        tokenUrl: httpUrl,
        username: z.string().min(1).max(256),
        /** File holding the password; else the TWINREC_AGENT_RECORDER_PASSWORD environment variable. */
        passwordFile: z.string().min(1).optional(),
        recorderConfigPath: z.string().min(1).optional(),
        recorderId: z.string().uuid().nullable().default(null),
        /**
         * The status service's WSDL port the health probe speaks: `…Soap` (1.1) or `…Soap12`
         * (1.2); a recorder's .asmx has both. 1.1 by default: what .NET proxies generated from
         * the WSDL (SoapHttpClientProtocol), and so Milestone's own MIP SDK clients, send.
         */
        soapVersion: z.enum(['1.1', '1.2']).default('1.1'),
        /** Trust of an https webServerUrl (XProtect's encryption to clients): the recorder's certificate fingerprint or its CA. */
        ...serverTrust,
      })
      .strict(),
    /**
     * How the agent reaches the VMS for its recorder health probe: `native`, the TypeScript
     * adapters, or `edge`, plugin-host's Twinrec.Bridge loaded in-process by edge-js (CoreCLR):
     * the cameras' device status and the probe's camera list then come through the bridge.
     */
    vms: vmsSchema.prefault({}),
    service: serviceSchema,
    servingEndpoint: endpointSchema,
    witness: z
      .object({
        /** Probed over TCP when the controller cannot be reached (or when there is none). */
        address: hostPort.optional(),
        timeoutMs: z.number().int().min(50).max(10_000).default(1_000),
      })
      .strict()
      .prefault({}),
    controller: z
      .object({
        /** The one controller: the one-element form of `urls` (exactly one of the two). */
        url: httpUrl.optional(),
        /**
         * Controllers sharing one database (issue 19), in the order the agent tries them: it
         * reports to one at a time and moves to the next when its requests fail (wrapping around).
         */
        urls: z.array(httpUrl).min(1).max(controllerUrlsMax).optional(),
        /**
         * Trust of every https URL: exactly one of the certificate's fingerprint, a list of
         * `fingerprints` (any may match: each controller generates its own self-signed
         * certificate), a CA file or the system's CAs.
         */
        ...serverTrust,
        fingerprints: z.array(fingerprint).min(1).max(controllerFingerprintsMax).optional(),
        reportIntervalMs: z.number().int().min(100).max(60_000).optional(),
        timeoutMs: z.number().int().min(100).max(60_000).default(2_000),
        /** Events kept while the controller is away; the oldest are dropped beyond this. */
        maxQueuedEvents: z.number().int().min(10).max(100_000).default(10_000),
      })
      .strict()
      .optional(),
    /**
     * Only the bootstrap default of the cluster policy (contracts/cluster-policy-v1.ts): used
     * until the controller sends the first policy, which the agent then stores and runs, across
     * restarts too (agent/policy/). `restartRecorder` is the one local key.
     */
    failover: z
      .object({
        profile: z.enum(['conservative', 'fast']).default('conservative'),
        /** The node that serves when both are healthy, and the failback target; null: rank 0, no failback. */
        preferredNodeId: id.nullable().default(null),
        failbackPolicy: z.enum(['automatic', 'manual']).default('automatic'),
        failbackHoldDownSeconds: z.number().int().min(0).max(86_400).default(300),
        capCount: z.number().int().min(1).max(1000).default(3),
        capWindowMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
        /** Below this share of its cameras recording, the Serving node counts as unhealthy. */
        recordingShareMin: z.number().min(0).max(1).default(0.5),
        /** Override the profile's timings (ms). */
        peerTimeoutMs: z.number().int().min(100).max(600_000).optional(),
        unhealthyGraceMs: z.number().int().min(0).max(600_000).optional(),
        boot: z.enum(['keep', 'start', 'stop']).default('keep'),
        /** Restart a recorder that stopped on its own, at most this many times per 10 minutes. Local to the node: not part of the cluster policy. */
        restartRecorder: z.number().int().min(0).max(100).default(5),
      })
      .strict()
      .prefault({}),
    probe: z
      .object({
        intervalMs: z.number().int().min(50).max(60_000).optional(),
        timeoutMs: z.number().int().min(50).max(60_000).optional(),
      })
      .strict()
      .prefault({}),
    /**
     * The recorder's camera list, read from the Management Server's configuration REST API (API
     * Gateway) with the recorder's IDP user, which needs read access to the recording server's
     * hardware and cameras: the health probe asks the recorder for exactly these camera ids, and
     * the Device Overview shows their names. Needs the recorder id (recorder.recorderId or
     * recorder.recorderConfigPath).
     */
    cameraNames: z
      .object({
        /** false: no names in the status; the list is read anyway, for the probe's camera ids. */
        enabled: z.boolean().default(true),
        /** The REST API's base; default `/api/rest/v1` on the host of recorder.tokenUrl, where the API Gateway normally runs. */
        restUrl: httpUrl.optional(),
        /** Names change rarely: read every minute by default, not on every report. */
        refreshIntervalMs: z.number().int().min(10_000).max(86_400_000).default(60_000),
        /** Bound on one whole read (token, hardware list, each hardware's cameras). */
        timeoutMs: z.number().int().min(1_000).max(300_000).default(30_000),
        /** Most cameras (and hardware) read, probed and named; the report carries at most 4096 cameras. */
        maxCameras: z.number().int().min(1).max(4_096).default(4_096),
      })
      .strict()
      .prefault({}),
    configSync: z
      .object({
        /** source: push this node's RecorderConfig.xml to the peer; target: apply the peer's; off. */
        role: z.enum(['source', 'target', 'off']).default('off'),
        /** Clone rule overrides (YAML, as `twinrec config clone --rules`), e.g. ports kept local when both nodes share a host. */
        rulesFile: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    storage: storageSchema.optional(),
    /** Epoch, stop state and failover history (fsynced). */
    stateDir: z.string().min(1).default('./twinrec-agent'),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        /** A rotating log file beside stderr (JSON lines); none when absent. */
        file: logFileSchema.optional(),
      })
      .strict()
      .prefault({}),
    testing: z
      .object({
        /** Enables POST /api/v1/testing/heartbeats (drop heartbeats). Never in production. */
        faultInjection: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.peer.id === c.node.id) ctx.addIssue({ code: 'custom', path: ['peer', 'id'], message: 'must differ from node.id' });
    const preferred = c.failover.preferredNodeId;
    if (preferred !== null && preferred !== c.node.id && preferred !== c.peer.id) ctx.addIssue({ code: 'custom', path: ['failover', 'preferredNodeId'], message: `must be ${c.node.id} or ${c.peer.id}` });
    if (c.recorder.passwordFile === undefined && process.env.TWINREC_AGENT_RECORDER_PASSWORD === undefined) {
      ctx.addIssue({ code: 'custom', path: ['recorder', 'passwordFile'], message: 'required unless TWINREC_AGENT_RECORDER_PASSWORD is set' });
    }
    if (c.controller === undefined && c.witness.address === undefined) ctx.addIssue({ code: 'custom', path: ['witness', 'address'], message: 'a witness is required: set controller.url (or controller.urls), witness.address, or both (without one, a node that loses its peer can never tell whether it may serve)' });
    checkTransport(c, ctx);
    checkServerTrust(c.recorder.webServerUrl, c.recorder, 'recorder', 'the recording server', ctx);
    if (c.controller !== undefined) checkControllers(c.controller, c.api.tls.insecurePlainHttp, ctx);
    if (c.configSync.role !== 'off' && c.recorder.recorderConfigPath === undefined) ctx.addIssue({ code: 'custom', path: ['recorder', 'recorderConfigPath'], message: `required when configSync.role is ${c.configSync.role}` });
    checkVmsBridge(c, ctx);
  });

/**
 * `vms.bridge: edge` only where every setting it touches takes effect through Twinrec.Bridge:
 * what the bridge cannot honour is refused here rather than accepted and ignored.
 */
function checkVmsBridge(c: Pick<AgentConfig, 'vms' | 'recorder' | 'cameraNames'>, ctx: z.RefinementCtx): void {
  const issue = (path: readonly string[], message: string): void => ctx.addIssue({ code: 'custom', path: [...path], message });
  if (c.vms.bridge !== 'edge') {
    if (c.vms.bridgeAssembly !== undefined) issue(['vms', 'bridgeAssembly'], 'applies to vms.bridge: edge only');
    return;
  }
  const r = c.recorder;
  if (managementServerUrlOf(r.tokenUrl) === null) issue(['recorder', 'tokenUrl'], 'with vms.bridge edge, must be the Management Server\'s <url>/IDP/connect/token: the bridge finds the IDP, the configuration API and ServerCommandServiceOAuth under that URL');
  if (r.recorderId === null && r.recorderConfigPath === undefined) issue(['recorder', 'recorderId'], 'with vms.bridge edge, set recorder.recorderId or recorder.recorderConfigPath: the bridge lists this recording server\'s cameras by its id');
  if (r.soapVersion !== '1.1') issue(['recorder', 'soapVersion'], 'with vms.bridge edge, must be 1.1: Twinrec.Bridge asks for device status over SOAP 1.1 only');
  if (r.fingerprint !== undefined || r.caFile !== undefined) issue(['recorder', r.fingerprint !== undefined ? 'fingerprint' : 'caFile'], "with vms.bridge edge, the recorder's https is trusted by the system's CAs only (recorder.systemTrust: true): Twinrec.Bridge cannot pin a fingerprint or a CA file");
  if (c.cameraNames.restUrl !== undefined) issue(['cameraNames', 'restUrl'], "with vms.bridge edge, leave it unset: Twinrec.Bridge reads the configuration API at the Management Server's /api/rest/v1");
}

type ControllerSection = NonNullable<z.infer<typeof agentConfigSchema>['controller']>;

/**
 * controller.url or controller.urls (exactly one; no URL twice, none with credentials), each
 * plain http:// URL on loopback only (the cluster secret is the Bearer token of every report),
 * and one trust setting for the https ones: a fingerprint, a list of them, a CA file or the
 * system's CAs.
 */
function checkControllers(c: ControllerSection, insecurePlainHttp: boolean, ctx: z.RefinementCtx): void {
  const issue = (path: readonly (string | number)[], message: string): void => ctx.addIssue({ code: 'custom', path: ['controller', ...path], message });
  if ((c.url === undefined) === (c.urls === undefined)) return issue(['urls'], 'set controller.urls (the controllers sharing one database, in order) or controller.url (one controller), exactly one of the two');
  const key = c.urls === undefined ? 'url' : 'urls';
  const urls = c.urls ?? [c.url as string];
  const seen = new Map<string, number>();
  urls.forEach((text, index) => {
    const path = key === 'url' ? ['url'] : ['urls', index];
    // Not a URL: its own issue says so already.
    if (!URL.canParse(text)) return;
    const url = new URL(text);
    if (url.username !== '' || url.password !== '') issue(path, 'must not carry a user name or password: the agent authenticates with the cluster secret');
    const same = seen.get(url.origin);
    if (same !== undefined) issue(path, `names the same controller as controller.urls.${same} (${url.origin}): list each controller once`);
    seen.set(url.origin, index);
    if (url.protocol === 'http:' && !insecurePlainHttp && !isLoopbackHost(url.hostname)) issue(path, `${url.origin} is plain http:// beyond loopback: the cluster secret would cross the network in clear; use the https:// URL of the controller with controller.fingerprint, or set api.tls.insecurePlainHttp: true to accept it`);
  });
  const https = urls.filter((u) => u.startsWith('https:'));
  const trusts = [c.fingerprint !== undefined, c.fingerprints !== undefined, c.caFile !== undefined, c.systemTrust].filter(Boolean).length;
  const choices = 'controller.fingerprint (the SHA-256 of its certificate), controller.fingerprints (one per controller with its own self-signed certificate; any may match), controller.caFile (the issuing CA, PEM) or controller.systemTrust: true (a certificate from a CA the system trusts)';
  if (https.length > 0 && trusts !== 1) issue([], `${(https[0] as string).slice(0, 80)} is https: set exactly one of ${choices}`);
  if (https.length === 0 && trusts > 0) issue([], 'controller.fingerprint, fingerprints, caFile and systemTrust need an https:// URL');
  const fingerprints = c.fingerprints ?? [];
  const twice = fingerprints.findIndex((f, i) => fingerprints.indexOf(f) !== i);
  if (twice >= 0) issue(['fingerprints', twice], 'lists the same fingerprint twice');
}

/** The parsed agent.yaml: controller.url is given as the one-element controller.urls. */
export type AgentConfig = Omit<z.infer<typeof agentConfigSchema>, 'controller'> & { readonly controller?: ControllerConfig | undefined; readonly pool?: undefined };

/** The controller section, normalised: the list of URLs in order, and the trust of the https ones. */
export type ControllerConfig = Omit<ControllerSection, 'url' | 'urls' | 'fingerprint' | 'fingerprints'> & {
  readonly urls: readonly string[];
  /** Fingerprints any of which an https controller's certificate may have (controller.fingerprint or .fingerprints); empty: trusted otherwise. */
  readonly fingerprints: readonly string[];
};

type ParsedConfig = Pick<AgentConfig, 'api' | 'peer' | 'servingEndpoint'>;

/** True when the agent's API serves HTTPS: `on`, or `auto` beyond loopback. */
export function apiTlsEnabled(api: AgentConfig['api']): boolean {
  return api.tls.mode === 'on' || (api.tls.mode === 'auto' && !isLoopbackHost(api.listen.host));
}

/**
 * Every link that carries the cluster secret is HTTPS with a pin, or plain HTTP on loopback:
 * anything else would put the secret on a network in clear. `api.tls.insecurePlainHttp` is
 * the one, loudly warned, way around it.
 */
function checkTransport(c: ParsedConfig, ctx: z.RefinementCtx): void {
  checkApiTransport(c.api, ctx);
  const insecure = c.api.tls.insecurePlainHttp;
  const peer = new URL(c.peer.agentUrl);
  if (peer.protocol === 'http:' && !insecure && !isLoopbackHost(peer.hostname)) ctx.addIssue({ code: 'custom', path: ['peer', 'agentUrl'], message: 'is plain http:// beyond loopback: the cluster secret would cross the network in clear; use the https:// URL of the peer (its api.tls), or set api.tls.insecurePlainHttp: true to accept it' });
  checkEndpointTransport(c.servingEndpoint, insecure, ['servingEndpoint'], ctx);
}

/** The agent's own API: HTTPS, or plain HTTP on loopback (or accepted by name). */
function checkApiTransport(api: AgentConfig['api'], ctx: z.RefinementCtx): void {
  const tls = apiTlsEnabled(api);
  if (!tls && !api.tls.insecurePlainHttp && !isLoopbackHost(api.listen.host)) ctx.addIssue({ code: 'custom', path: ['api', 'tls', 'mode'], message: `is off on ${api.listen.host}, beyond loopback: the cluster secret would cross the network in clear; use auto or on (or set api.tls.insecurePlainHttp: true to accept it)` });
  if (tls && (api.tls.certFile === undefined) !== (api.tls.keyFile === undefined)) ctx.addIssue({ code: 'custom', path: ['api', 'tls', api.tls.certFile === undefined ? 'certFile' : 'keyFile'], message: 'certFile and keyFile go together: set both, or neither for a generated certificate' });
  if (api.advertisedUrl !== undefined && api.advertisedUrl.startsWith('https:') !== tls) ctx.addIssue({ code: 'custom', path: ['api', 'advertisedUrl'], message: tls ? 'must be an https:// URL: the API serves HTTPS (api.tls)' : 'must be an http:// URL: the API serves plain HTTP (api.tls.mode)' });
}

/** A serving endpoint's relay control API gets the cluster secret: https with its fingerprint, or plain http on loopback. */
function checkEndpointTransport(endpoint: AgentConfig['servingEndpoint'], insecure: boolean, path: readonly (string | number)[], ctx: z.RefinementCtx): void {
  if (endpoint.kind !== 'relay') return;
  const control = new URL(endpoint.controlUrl);
  if (control.protocol === 'https:' && endpoint.fingerprint === undefined) ctx.addIssue({ code: 'custom', path: [...path, 'fingerprint'], message: "required with an https controlUrl: the relay control certificate's SHA-256 fingerprint (printed in the relay's listening line)" });
  if (control.protocol === 'http:' && !insecure && !isLoopbackHost(control.hostname)) ctx.addIssue({ code: 'custom', path: [...path, 'controlUrl'], message: 'is plain http:// beyond loopback: the cluster secret would cross the network in clear; start the relay with TLS and use https:// with its fingerprint, or set api.tls.insecurePlainHttp: true to accept it' });
}

const pair = agentConfigSchema.shape;
/** A key of the pair's agent.yaml that a pool agent refuses (superRefine says why, by name). */
const refused = z.unknown().optional();

/** Why each pair-only key has no place in a pool standby's agent.yaml. */
const poolRefusals = {
  peer: 'a pool standby has no peer: the controller orders its takeovers (remove peer, or remove pool for a cloned pair)',
  heartbeat: 'a pool standby sends no heartbeats: it has no peer',
  servingEndpoint: "a pool standby claims the serving endpoint of the protected server it takes over: list each in pool.endpoints by its shared address",
  witness: 'a pool standby decides no takeover itself: the controller orders them, so it needs no witness',
  failover: "the cluster policy's failover settings are a cloned pair's: a pool standby takes over and releases by order only",
  configSync: "a pool standby takes the protected server's RecorderConfig.xml from the takeover order, not from a peer",
  vms: "a pool standby probes its recorder over the recorder's SOAP status service (the native adapters) only",
  cameraNames: "a pool standby probes the cameras of its takeover order; it reads no camera list of its own",
  testing: 'the fault injection drops heartbeats, which a pool standby has none of',
} as const;

/** Why each pair-only key has no place in a protected server's agent.yaml (`cameraNames` is its own: the controller takes its cameras over). */
const protectedRefusals = {
  peer: 'a protected recording server has no twin: a pool standby takes over when it fails, by the controller\'s order (remove peer, or remove pool for a cloned pair)',
  heartbeat: 'a protected recording server sends no heartbeats: it has no peer',
  servingEndpoint: 'a protected recording server names its serving endpoint, with its shared address, in pool.endpoint',
  witness: 'a protected recording server decides no failover itself: the controller does, so it needs no witness',
  failover: "the cluster policy's failover settings are a cloned pair's: a pool's triggers are the controller's (the policy's pool section)",
  configSync: 'a protected recording server pushes its RecorderConfig.xml to the controller, not to a peer',
  vms: "a protected recording server's agent probes its recorder over the recorder's SOAP status service (the native adapters) only",
  testing: 'the fault injection drops heartbeats, which a protected recording server has none of',
} as const;

/** Adds an issue for every refused key present, with its reason. */
function refuseKeys(c: Record<string, unknown>, refusals: Readonly<Record<string, string>>, ctx: z.RefinementCtx): void {
  for (const [key, why] of Object.entries(refusals)) if (c[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: why });
}

/** What a pool agent's file needs whichever its role: no rank, the recorder's file and password, safe transports. */
function checkPoolCommon(c: { node: { rank?: unknown }; recorder: z.infer<typeof pair.recorder>; api: AgentConfig['api']; controller?: ControllerSection | undefined }, why: string, ctx: z.RefinementCtx): void {
  if (c.node.rank !== undefined) ctx.addIssue({ code: 'custom', path: ['node', 'rank'], message: 'ranks order the two nodes of a cloned pair; a pool agent has none' });
  if (c.recorder.recorderConfigPath === undefined) ctx.addIssue({ code: 'custom', path: ['recorder', 'recorderConfigPath'], message: `required with pool: ${why}` });
  if (c.recorder.passwordFile === undefined && process.env.TWINREC_AGENT_RECORDER_PASSWORD === undefined) ctx.addIssue({ code: 'custom', path: ['recorder', 'passwordFile'], message: 'required unless TWINREC_AGENT_RECORDER_PASSWORD is set' });
  checkApiTransport(c.api, ctx);
  checkServerTrust(c.recorder.webServerUrl, c.recorder, 'recorder', 'the recording server', ctx);
  if (c.controller !== undefined) checkControllers(c.controller, c.api.tls.insecurePlainHttp, ctx);
}

/** The keys every pool agent's file shares with a cloned pair's. */
const poolCommonKeys = {
  cluster: pair.cluster,
  node: z.object({ id, hostName: host.default('127.0.0.1'), rank: refused }).strict(),
  api: pair.api,
  recorder: pair.recorder,
  service: pair.service,
  controller: pair.controller,
  probe: pair.probe,
  stateDir: pair.stateDir,
  log: pair.log,
  peer: refused,
  heartbeat: refused,
  servingEndpoint: refused,
  witness: refused,
  failover: refused,
  configSync: refused,
  /**
   * The recorder's storage (lab-format), for the failback sync: a standby serves what it recorded
   * for a protected server over the backfill source routes; a protected server fills its
   * failover window from the standby into it. Without it neither side takes part in a sync.
   */
  storage: pair.storage,
  vms: refused,
  testing: refused,
};

/**
 * agent.yaml of a failover pool's standby (`pool.role: standby`): the keys it shares with a
 * cloned pair's (cluster, node, api, recorder, service, controller, probe, stateDir, log) and
 * `pool`; every pair-only key is refused by name, never ignored.
 */
export const poolStandbyConfigSchema = z
  .object({ ...poolCommonKeys, cameraNames: refused, pool: poolStandbySchema })
  .strict()
  .superRefine((c, ctx) => {
    refuseKeys(c, poolRefusals, ctx);
    checkPoolCommon(c, "a takeover writes the protected server's identity into this RecorderConfig.xml and a release writes the standby's own back", ctx);
    const seen = new Map<string, number>();
    c.pool.endpoints.forEach((endpoint, index) => {
      checkEndpointTransport(endpoint, c.api.tls.insecurePlainHttp, ['pool', 'endpoints', index], ctx);
      const address = endpoint.sharedAddress.toLowerCase();
      const same = seen.get(address);
      if (same !== undefined) ctx.addIssue({ code: 'custom', path: ['pool', 'endpoints', index, 'sharedAddress'], message: `is pool.endpoints.${same}'s too: one serving endpoint per shared address` });
      seen.set(address, index);
    });
  });

/**
 * agent.yaml of a failover pool's protected recording server (`pool.role: protected`): the keys
 * a pool standby has, plus `cameraNames` (its camera list, which the controller hands a standby
 * on takeover); every other pair-only key is refused by name.
 */
export const poolProtectedConfigSchema = z
  .object({ ...poolCommonKeys, cameraNames: pair.cameraNames, pool: poolProtectedSchema })
  .strict()
  .superRefine((c, ctx) => {
    refuseKeys(c, protectedRefusals, ctx);
    checkPoolCommon(c, 'its agent pushes this RecorderConfig.xml to the controller (a standby takes it over) and reads the recorder id from it', ctx);
    checkEndpointTransport(c.pool.endpoint, c.api.tls.insecurePlainHttp, ['pool', 'endpoint'], ctx);
  });

type PoolStandbySection = z.infer<typeof poolStandbyConfigSchema>;
/** One protected server's shared address and the serving endpoint claimed for it. */
export type PoolEndpointConfig = PoolStandbySection['pool']['endpoints'][number];

/** What every pool agent's parsed file has: no peer, no pair-only keys; the recorder's RecorderConfig.xml path is known. */
type PoolConfigOf<Section extends { recorder: unknown; pool: unknown }> = Pick<PoolStandbySection, 'cluster' | 'api' | 'service' | 'probe' | 'stateDir' | 'log' | 'storage'> & {
  readonly node: { readonly id: string; readonly hostName: string };
  readonly recorder: PoolStandbySection['recorder'] & { readonly recorderConfigPath: string };
  readonly controller?: ControllerConfig | undefined;
  readonly pool: Section['pool'];
};

/** A pool standby's agent.yaml, parsed. */
export type PoolStandbyConfig = PoolConfigOf<PoolStandbySection>;

type PoolProtectedSection = z.infer<typeof poolProtectedConfigSchema>;
/** A protected recording server's agent.yaml, parsed: with its camera list settings. */
export type PoolProtectedConfig = PoolConfigOf<PoolProtectedSection> & { readonly cameraNames: PoolProtectedSection['cameraNames'] };

/**
 * The protected server's configuration of a standby that replaced one (agent/pool/pool-role.ts):
 * the standby's own sections (cluster, node, api, recorder, service, controller, probe, storage,
 * state and log), `pool.role: protected` with the serving endpoint agent.yaml's pool.endpoints
 * lists for `sharedAddress`, the standby's recorder bounds and the defaults otherwise. The
 * recorder answers at `webServerPort` (its RecorderConfig.xml's, the replaced server's under
 * shared rules); `apiPort` keeps the local API where it was (an in-process switch, port 0 in
 * agent.yaml). recorder.recorderId is dropped: the agent registers the identity its file runs.
 *
 * @example protectedConfigOf(standbyConfig, { sharedAddress: '10.0.0.5:7563' }, { webServerPort: 7563 }).pool.endpoint.sharedAddress   // '10.0.0.5:7563'
 * @throws AgentConfigError when pool.endpoints has no endpoint for `sharedAddress`
 */
export function protectedConfigOf(standby: PoolStandbyConfig, role: { readonly sharedAddress: string }, at: { readonly webServerPort: number; readonly apiPort?: number }): PoolProtectedConfig {
  const endpoint = standby.pool.endpoints.find((e) => e.sharedAddress.toLowerCase() === role.sharedAddress.toLowerCase());
  if (endpoint === undefined) throw new AgentConfigError(`pool.endpoints has no serving endpoint for ${role.sharedAddress}, the shared address this agent serves since it replaced a protected server (pool-role.json)`);
  const web = new URL(standby.recorder.webServerUrl);
  web.port = String(at.webServerPort);

  const defaults = poolProtectedSchema.parse({ role: 'protected', endpoint });
  return {
    ...standby,
    api: at.apiPort === undefined ? standby.api : { ...standby.api, listen: { ...standby.api.listen, port: at.apiPort } },
    recorder: { ...standby.recorder, recorderId: null, webServerUrl: web.toString() },
    cameraNames: pair.cameraNames.parse(undefined),
    pool: { ...defaults, endpoint, stopTimeoutMs: standby.pool.stopTimeoutMs, startTimeoutMs: standby.pool.startTimeoutMs },
  };
}

export class AgentConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentConfigError';
  }
}

/**
 * Reads, parses and validates a cloned pair's agent config file; relative paths in it are
 * resolved against its folder. A pool agent's file (with `pool`) is refused: loadAgentFile reads both.
 */
export function loadAgentConfig(file: string): AgentConfig {
  const loaded = loadAgentFile(file);
  if (loaded.pool !== undefined) throw new AgentConfigError(`${file}: a pool ${loaded.pool.role === 'standby' ? 'standby' : 'protected server'}'s configuration (it has pool), not a cloned pair's`);
  return loaded;
}

/**
 * Reads, parses and validates an agent config file: a pool standby's or a protected server's
 * when it has a `pool` section (by `pool.role`), else a cloned pair's. Relative paths in it are
 * resolved against its folder.
 *
 * @example
 *   const config = loadAgentFile('agent.yaml');
 *   config.pool === undefined ? config.peer.id : config.pool.role
 */
export function loadAgentFile(file: string): AgentConfig | PoolStandbyConfig | PoolProtectedConfig {
  const raw = readConfigFile(file);
  const isPool = typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'pool' in raw;
  const base = dirname(resolve(file));
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
  if (isPool) {
    const role = (raw as { pool?: { role?: unknown } }).pool?.role;
    if (role === 'protected') {
      const c = parsedOrThrow(file, poolProtectedConfigSchema.safeParse(raw));
      return { ...poolCommonOf(c, at), cameraNames: c.cameraNames, pool: c.pool };
    }
    if (role !== 'standby') throw new AgentConfigError(`${file}: invalid agent configuration:\n  pool.role: standby (a failover pool's standby) or protected (a protected recording server of a pool), not ${JSON.stringify(role ?? null)}`);
    const c = parsedOrThrow(file, poolStandbyConfigSchema.safeParse(raw));
    return { ...poolCommonOf(c, at), pool: { ...c.pool, ...(c.pool.rulesFile === undefined ? {} : { rulesFile: at(c.pool.rulesFile) }) } };
  }
  const c = parsedOrThrow(file, agentConfigSchema.safeParse(raw));
  return {
    ...c,
    ...commonPathsResolved(c, at),
    configSync: { ...c.configSync, ...(c.configSync.rulesFile === undefined ? {} : { rulesFile: at(c.configSync.rulesFile) }) },
    vms: { ...c.vms, ...(c.vms.bridgeAssembly === undefined ? {} : { bridgeAssembly: at(c.vms.bridgeAssembly) }) },
    ...(c.storage === undefined ? {} : { storage: { ...c.storage, root: at(c.storage.root) } }),
  };
}

/** A pool agent's keys shared with a pair, paths resolved; the refused keys are undefined (superRefine named each). */
function poolCommonOf(c: PoolStandbySection | PoolProtectedSection, at: (path: string) => string): Omit<PoolStandbyConfig, 'pool'> {
  const common = commonPathsResolved(c, at);
  return {
    cluster: common.cluster,
    api: common.api,
    service: c.service,
    probe: c.probe,
    stateDir: common.stateDir,
    log: common.log,
    controller: common.controller,
    node: { id: c.node.id, hostName: c.node.hostName },
    ...(c.storage === undefined ? {} : { storage: { ...c.storage, root: at(c.storage.root) } }),
    // superRefine required recorderConfigPath.
    recorder: { ...common.recorder, recorderConfigPath: common.recorder.recorderConfigPath as string },
  };
}

/** The file's text as JSON or YAML (by its extension), bounded in size. */
function readConfigFile(file: string): unknown {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > configFileMaxBytes) throw new AgentConfigError(`${file}: larger than ${configFileMaxBytes} bytes`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof AgentConfigError) throw err;
    throw new AgentConfigError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new AgentConfigError(`${file}: not valid ${extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
}

function parsedOrThrow<T>(file: string, parsed: { success: true; data: T } | { success: false; error: z.ZodError }): T {
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  throw new AgentConfigError(`${file}: invalid agent configuration:\n  ${problems.join('\n  ')}`);
}

type CommonSection = Pick<z.infer<typeof agentConfigSchema>, 'cluster' | 'recorder' | 'controller' | 'api' | 'stateDir' | 'log'>;

/** The paths of the keys a pair and a pool standby share, resolved against the file's folder. */
function commonPathsResolved(c: CommonSection, at: (path: string) => string): Omit<CommonSection, 'controller'> & { controller: ControllerConfig | undefined } {
  return {
    cluster: { ...c.cluster, secretFile: at(c.cluster.secretFile) },
    recorder: {
      ...c.recorder,
      ...(c.recorder.passwordFile === undefined ? {} : { passwordFile: at(c.recorder.passwordFile) }),
      ...(c.recorder.recorderConfigPath === undefined ? {} : { recorderConfigPath: at(c.recorder.recorderConfigPath) }),
      ...(c.recorder.caFile === undefined ? {} : { caFile: at(c.recorder.caFile) }),
    },
    controller: c.controller === undefined ? undefined : controllerConfigOf(c.controller, at),
    api: { ...c.api, tls: { ...c.api.tls, certFile: at(c.api.tls.certFile ?? join(c.stateDir, 'tls', 'agent-api.crt')), keyFile: at(c.api.tls.keyFile ?? join(c.stateDir, 'tls', 'agent-api.key')) } },
    stateDir: at(c.stateDir),
    log: { ...c.log, ...(c.log.file === undefined ? {} : { file: { ...c.log.file, path: at(c.log.file.path) } }) },
  };
}

/** The controller section as the agent runs it: `url` as a one-element `urls`, one fingerprint as a one-element list. */
function controllerConfigOf(c: ControllerSection, at: (path: string) => string): ControllerConfig {
  const { url, urls, fingerprint: one, fingerprints, caFile, ...rest } = c;
  return { ...rest, urls: urls ?? (url === undefined ? [] : [url]), fingerprints: fingerprints ?? (one === undefined ? [] : [one]), ...(caFile === undefined ? {} : { caFile: at(caFile) }) };
}

/** Reads a secret file: trimmed, at least `minLength` characters. Errors never include the content. */
export function readSecretFile(path: string, what: string, minLength: number): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new AgentConfigError(`${what}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (text.length < minLength) throw new AgentConfigError(`${what}: the secret in ${path} must be at least ${minLength} characters`);
  return text;
}
