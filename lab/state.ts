import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The files under a lab's --dir:
 *   lab-plan.json  what `lab up` decided: ports, ids, processes and their arguments
 *   lab.json       the running lab: every process with its pid and status, and the
 *                  description `lab up` prints (written by the lab's control process)
 *   site.json      the management server's site file (holds the password; mode 0600)
 */
export const PLAN_FILE = 'lab-plan.json';
export const STATE_FILE = 'lab.json';
export const SITE_FILE = 'site.json';

export const processKindSchema = z.enum(['cameras', 'management', 'event-server', 'recorder', 'relay', 'agent']);
export type ProcessKind = z.infer<typeof processKindSchema>;

/** A network namespace name as `ip netns add` takes it. */
export const netnsNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);

export const plannedProcessSchema = z.object({
  name: z.string().regex(/^[a-z0-9-]{1,40}$/),
  kind: processKindSchema,
  /** The program: 'lab' (lab/main.ts; also when absent) or 'twinrec' (cli/main.ts: `twinrec agent`, `twinrec relay`). */
  entry: z.enum(['lab', 'twinrec']).optional(),
  args: z.array(z.string()).max(100),
  logPath: z.string(),
  /** The network namespace it runs in (`ip netns exec`, same pid); absent: the lab's own. */
  netns: netnsNameSchema.optional(),
});
export type PlannedProcess = z.infer<typeof plannedProcessSchema>;

export const recorderPlanSchema = z.object({
  name: z.string(),
  pairIndex: z.number().int().min(0),
  recorderId: z.string(),
  displayName: z.string(),
  configPath: z.string(),
  storageDir: z.string(),
  webServerPort: z.number().int(),
  controlPort: z.number().int(),
  /** Encrypted mode (`lab up --encrypted`): the web server's certificate, made by `lab up`. */
  tls: z.object({ certFile: z.string(), keyFile: z.string(), fingerprint256: z.string() }).optional(),
  /** `lab up --pool`: a protected recording server's recorder, or a failover (standby) recorder; absent in a cloned pair. */
  role: z.enum(['protected', 'failover']).optional(),
});
export type RecorderPlan = z.infer<typeof recorderPlanSchema>;

/** One pair's cluster with `--with-agents`: its relay (the shared address) and secret. */
export const clusterPlanSchema = z.object({
  pairIndex: z.number().int().min(0),
  /** Cluster name, `lab-pair-N`. */
  name: z.string(),
  /** Process name of the relay, `relay-pair-N`. */
  relayName: z.string(),
  /** The relay's listen port: the cluster's shared address is <lab host>:sharedPort. */
  sharedPort: z.number().int(),
  relayControlPort: z.number().int(),
  secretFile: z.string(),
  relayStateFile: z.string(),
});
export type ClusterPlan = z.infer<typeof clusterPlanSchema>;

/** One agent with `--with-agents`, beside the recorder it watches. */
export const agentPlanSchema = z.object({
  /** Process name, `agent-<recorder name>`. */
  name: z.string(),
  recorderName: z.string(),
  pairIndex: z.number().int().min(0),
  configPath: z.string(),
  apiPort: z.number().int(),
  /** UDP port of the agent's heartbeat listener; absent for a pool's agents (no twin, no heartbeats). */
  heartbeatPort: z.number().int().optional(),
  stateDir: z.string(),
  /** Where the lab and tests reach its API (`lab up --agent-host`); absent: the lab's host. */
  apiHost: z.string().optional(),
  /** Where it binds its heartbeats and its peer reaches it (`--agent-heartbeat-host`); absent: apiHost. */
  heartbeatHost: z.string().optional(),
  /** Its network namespace (`--agent-netns`), in which its API listens on every address. */
  netns: netnsNameSchema.optional(),
});
export type AgentPlan = z.infer<typeof agentPlanSchema>;

export const labPlanSchema = z.object({
  version: z.literal(1),
  dir: z.string(),
  sitePath: z.string(),
  /** The address every lab process in the lab's own namespace listens on (`lab up --host`); absent: 127.0.0.1. */
  host: z.string().optional(),
  controlPort: z.number().int(),
  hubUrl: z.string(),
  managementUrl: z.string(),
  /** The Event Server stand-in's ports (lab/event-server/); absent in plans written before it. */
  eventServer: z.object({ internationalPort: z.number().int(), compatiblePort: z.number().int(), httpPort: z.number().int() }).optional(),
  processes: z.array(plannedProcessSchema).max(200),
  recorders: z.array(recorderPlanSchema).max(128),
  /** Only with `--with-agents` (absent in plans written without it). */
  clusters: z.array(clusterPlanSchema).max(64).optional(),
  agents: z.array(agentPlanSchema).max(128).optional(),
});
export type LabPlan = z.infer<typeof labPlanSchema>;

export const processStatusSchema = z.enum(['starting', 'running', 'hung', 'stopped', 'crashed']);
export type ProcessStatus = z.infer<typeof processStatusSchema>;

export const processStateSchema = z.object({
  name: z.string(),
  kind: z.enum(['cameras', 'management', 'event-server', 'recorder', 'relay', 'agent', 'control']),
  pid: z.number().int().nullable(),
  status: processStatusSchema,
  logPath: z.string(),
});
export type ProcessState = z.infer<typeof processStateSchema>;

export const labStateSchema = z.object({
  version: z.literal(1),
  dir: z.string(),
  updatedAt: z.string(),
  controlUrl: z.string(),
  processes: z.array(processStateSchema),
  description: z.record(z.string(), z.unknown()),
});
export type LabState = z.infer<typeof labStateSchema>;

export async function readJsonFile<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  return schema.parse(JSON.parse(await readFile(path, 'utf8')));
}

/** Writes JSON atomically (temporary file, then rename), so readers never see half a file. */
export async function writeJsonFile(path: string, value: unknown, mode = 0o644): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { mode });
  await rename(temp, path);
}

export async function readLabState(dir: string): Promise<LabState> {
  return readJsonFile(join(dir, STATE_FILE), labStateSchema);
}
