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
export type AgentConfig = Omit<z.infer<typeof agentConfigSchema>, 'controller'> & { readonly controller?: ControllerConfig | undefined };

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
  const tls = apiTlsEnabled(c.api);
  const insecure = c.api.tls.insecurePlainHttp;
  if (!tls && !insecure && !isLoopbackHost(c.api.listen.host)) ctx.addIssue({ code: 'custom', path: ['api', 'tls', 'mode'], message: `is off on ${c.api.listen.host}, beyond loopback: the cluster secret would cross the network in clear; use auto or on (or set api.tls.insecurePlainHttp: true to accept it)` });
  if (tls && (c.api.tls.certFile === undefined) !== (c.api.tls.keyFile === undefined)) ctx.addIssue({ code: 'custom', path: ['api', 'tls', c.api.tls.certFile === undefined ? 'certFile' : 'keyFile'], message: 'certFile and keyFile go together: set both, or neither for a generated certificate' });
  if (c.api.advertisedUrl !== undefined && c.api.advertisedUrl.startsWith('https:') !== tls) ctx.addIssue({ code: 'custom', path: ['api', 'advertisedUrl'], message: tls ? 'must be an https:// URL: the API serves HTTPS (api.tls)' : 'must be an http:// URL: the API serves plain HTTP (api.tls.mode)' });
  const peer = new URL(c.peer.agentUrl);
  if (peer.protocol === 'http:' && !insecure && !isLoopbackHost(peer.hostname)) ctx.addIssue({ code: 'custom', path: ['peer', 'agentUrl'], message: 'is plain http:// beyond loopback: the cluster secret would cross the network in clear; use the https:// URL of the peer (its api.tls), or set api.tls.insecurePlainHttp: true to accept it' });
  const endpoint = c.servingEndpoint;
  if (endpoint.kind === 'relay') {
    const control = new URL(endpoint.controlUrl);
    if (control.protocol === 'https:' && endpoint.fingerprint === undefined) ctx.addIssue({ code: 'custom', path: ['servingEndpoint', 'fingerprint'], message: "required with an https controlUrl: the relay control certificate's SHA-256 fingerprint (printed in the relay's listening line)" });
    if (control.protocol === 'http:' && !insecure && !isLoopbackHost(control.hostname)) ctx.addIssue({ code: 'custom', path: ['servingEndpoint', 'controlUrl'], message: 'is plain http:// beyond loopback: the cluster secret would cross the network in clear; start the relay with TLS and use https:// with its fingerprint, or set api.tls.insecurePlainHttp: true to accept it' });
  }
}

export class AgentConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentConfigError';
  }
}

/** Reads, parses and validates an agent config file; relative paths in it are resolved against its folder. */
export function loadAgentConfig(file: string): AgentConfig {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > configFileMaxBytes) throw new AgentConfigError(`${file}: larger than ${configFileMaxBytes} bytes`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof AgentConfigError) throw err;
    throw new AgentConfigError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let raw: unknown;
  try {
    raw = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new AgentConfigError(`${file}: not valid ${extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = agentConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new AgentConfigError(`${file}: invalid agent configuration:\n  ${problems.join('\n  ')}`);
  }
  const base = dirname(resolve(file));
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
  const c = parsed.data;
  return {
    ...c,
    cluster: { ...c.cluster, secretFile: at(c.cluster.secretFile) },
    recorder: {
      ...c.recorder,
      ...(c.recorder.passwordFile === undefined ? {} : { passwordFile: at(c.recorder.passwordFile) }),
      ...(c.recorder.recorderConfigPath === undefined ? {} : { recorderConfigPath: at(c.recorder.recorderConfigPath) }),
      ...(c.recorder.caFile === undefined ? {} : { caFile: at(c.recorder.caFile) }),
    },
    controller: c.controller === undefined ? undefined : controllerConfigOf(c.controller, at),
    api: { ...c.api, tls: { ...c.api.tls, certFile: at(c.api.tls.certFile ?? join(c.stateDir, 'tls', 'agent-api.crt')), keyFile: at(c.api.tls.keyFile ?? join(c.stateDir, 'tls', 'agent-api.key')) } },
    configSync: { ...c.configSync, ...(c.configSync.rulesFile === undefined ? {} : { rulesFile: at(c.configSync.rulesFile) }) },
    vms: { ...c.vms, ...(c.vms.bridgeAssembly === undefined ? {} : { bridgeAssembly: at(c.vms.bridgeAssembly) }) },
    ...(c.storage === undefined ? {} : { storage: { ...c.storage, root: at(c.storage.root) } }),
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
