// The agent's configuration (agent.json or agent.yaml): one zod schema describes every key,
// its default and its bounds. Secrets live in files (secretFile, passwordFile) or in the
// environment, never in the config file itself, so the file can be shared in a support case.
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const configFileMaxBytes = 256 * 1024;
const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore, starting with a letter or digit');
const host = z.string().min(1).max(253);
const port = z.number().int().min(0).max(65535);
const hostPort = z.object({ host, port }).strict();
const httpUrl = z.string().url().max(2048).regex(/^https?:\/\//, 'an http:// or https:// URL');

const serviceSchema = z.discriminatedUnion('kind', [
  /** A lab recorder process, started and stopped through the lab's control API (its service manager). */
  z.object({ kind: z.literal('lab'), controlUrl: httpUrl, recorderName: z.string().min(1).max(40) }).strict(),
  z.object({ kind: z.literal('systemd'), unit: z.string().min(1).max(256) }).strict(),
  z.object({ kind: z.literal('windows-service'), serviceName: z.string().min(1).max(256).default('Milestone XProtect Recording Server') }).strict(),
]);

const endpointSchema = z.discriminatedUnion('kind', [
  /** The TCP relay on the cluster's shared address (`twinrec relay`): claims go to its control API. */
  z.object({ kind: z.literal('relay'), controlUrl: httpUrl, timeoutMs: z.number().int().min(100).max(60_000).default(2_000) }).strict(),
  /** An operator script called as `FILE ARGS… claim|release HOST PORT EPOCH` (DNS or VIP changes). */
  z.object({ kind: z.literal('command'), command: z.array(z.string().min(1)).min(1).max(32), timeoutMs: z.number().int().min(100).max(300_000).default(10_000) }).strict(),
]);

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
        /** The peer agent's local API, for config sync. */
        agentUrl: httpUrl,
      })
      .strict(),
    /** Where this agent listens for the peer's heartbeats (UDP). */
    heartbeat: z.object({ listen: hostPort }).strict(),
    /** The agent's local HTTP API (commands, state). Keep it on a management network. */
    api: z.object({ listen: hostPort.default({ host: '127.0.0.1', port: 0 }), advertisedUrl: httpUrl.optional() }).strict().prefault({}),
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
      })
      .strict(),
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
        url: httpUrl,
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
     * Camera names for the Device Overview, read from the Management Server's configuration REST
     * API (API Gateway) with the recorder's IDP user, which needs read access to the recording
     * server's hardware and cameras. Needs the recorder id (recorder.recorderId or
     * recorder.recorderConfigPath).
     */
    cameraNames: z
      .object({
        enabled: z.boolean().default(true),
        /** The REST API's base; default `/api/rest/v1` on the host of recorder.tokenUrl, where the API Gateway normally runs. */
        restUrl: httpUrl.optional(),
        /** Names change rarely: read every minute by default, not on every report. */
        refreshIntervalMs: z.number().int().min(10_000).max(86_400_000).default(60_000),
        /** Bound on one whole read (token, hardware list, each hardware's cameras). */
        timeoutMs: z.number().int().min(1_000).max(300_000).default(30_000),
        /** Most cameras (and hardware) read; the report carries at most 4096 cameras. */
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
    log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).strict().prefault({}),
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
    if (c.controller === undefined && c.witness.address === undefined) ctx.addIssue({ code: 'custom', path: ['witness', 'address'], message: 'a witness is required: set controller.url, witness.address, or both (without one, a node that loses its peer can never tell whether it may serve)' });
    if (c.configSync.role !== 'off' && c.recorder.recorderConfigPath === undefined) ctx.addIssue({ code: 'custom', path: ['recorder', 'recorderConfigPath'], message: `required when configSync.role is ${c.configSync.role}` });
  });

export type AgentConfig = z.infer<typeof agentConfigSchema>;

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
    },
    configSync: { ...c.configSync, ...(c.configSync.rulesFile === undefined ? {} : { rulesFile: at(c.configSync.rulesFile) }) },
    ...(c.storage === undefined ? {} : { storage: { ...c.storage, root: at(c.storage.root) } }),
    stateDir: at(c.stateDir),
  };
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
