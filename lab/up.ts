import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { CliError, exitCodes } from '../shared/exit-codes.js';
import { loadOrCreateCertificate } from '../shared/tls/certificate.js';
import { isLoopbackHost } from '../shared/tls/loopback.js';
import { buildCatalog } from './cameras/catalog.js';
import { renderRecorderConfig } from './recorder/config-file.js';
import { isProcessAlive } from './recorder/storage/lock.js';
import { reserveFreePorts, reserveFreeUdpPorts } from './ports.js';
import { randomSecret } from './shared/secrets.js';
import { sleep } from './shared/backoff.js';
import type { Site } from './site.js';
import { spawnLabProcess } from './spawn.js';
import { PLAN_FILE, SITE_FILE, STATE_FILE, labStateSchema, readJsonFile, writeJsonFile, type AgentPlan, type ClusterPlan, type LabPlan, type LabState, type PlannedProcess, type RecorderPlan } from './state.js';

export interface UpOptions {
  readonly dir: string;
  readonly pairs: number;
  /** Cameras per pair (per recording server id). */
  readonly cameras: number;
  readonly fps: number;
  readonly bitrateBps: number;
  readonly width: number;
  readonly height: number;
  readonly codec: string;
  readonly blockDurationMs: number;
  readonly retainMinutes: number;
  readonly maxSizeMb: number;
  readonly tokenLifetimeSeconds: number;
  /** Lifetime of the VMS tokens the management server's Login issues (default XProtect's 4 h); tests shorten it. */
  readonly vmsTokenLifetimeSeconds?: number;
  readonly fsync: boolean;
  readonly readyTimeoutMs: number;
  /** Write queue bound of each recorder (see `lab recorder --max-queue-bytes`). */
  readonly maxQueueBytes?: number;
  /** Also start, per pair, a relay (the cluster's shared address) and one agent per recorder. */
  readonly withAgents?: boolean;
  /** The controller the agents report to (only with withAgents); without one they use the TCP witness only. */
  readonly controllerUrl?: string;
  /** The agents' failover profile (default conservative). */
  readonly agentProfile?: AgentProfile;
  /** Automatic failovers allowed per hour per agent (failover.capCount; default 3). */
  readonly agentFailoverCap?: number;
  /** The agents' VMS bridge (agent.json vms.bridge; default native): edge probes through Twinrec.Bridge. */
  readonly agentVmsBridge?: 'native' | 'edge';
  /**
   * The second node's own retention in its agent.yaml (storage.retainMinutes), where it has a
   * smaller storage than the first (seed 000, "Smaller Storage"); default: the site's retention.
   */
  readonly agentSecondaryRetainMinutes?: number;
  /**
   * The agents' APIs and the relays' control APIs over TLS, even on loopback (the lab's
   * encrypted mode): each agent makes its certificate at first start and learns its peer's from
   * the heartbeats; each relay's certificate is made here first, so agent.json can pin it.
   */
  readonly agentTls?: boolean;
  /**
   * Each recorder's web server runs encrypted (HTTPS, ImageServer over TLS) with its own
   * certificate, made here in recorders/<name>/tls/; the agents trust it by its fingerprint
   * (agent.json recorder.fingerprint), as an XProtect admin would with the recorder's certificate.
   */
  readonly encryptedRecorders?: boolean;
  /** The controller's certificate SHA-256 for the agents (agent.json controller.fingerprint): needed with an https controllerUrl. */
  readonly controllerFingerprint?: string;
  /**
   * The IP address every lab process in the lab's own network namespace listens on (hub,
   * management, recorders, control, relays, and agents without their own address); default
   * 127.0.0.1. Another address must exist already: tests use one on a veth they made.
   */
  readonly host?: string;
  /** Per recorder name: where its agent runs and listens (only with withAgents). */
  readonly agentNetworks?: Readonly<Record<string, AgentNetwork>>;
  /**
   * A failover pool (N:M, issue 17) instead of cloned pairs: `protected` recording servers with
   * `cameras` each (recorder-p1…), and `standbys` failover recording servers without cameras
   * (failover-1…), each with a recorder id of its own. `pairs` is then ignored.
   */
  readonly pool?: { readonly protected: number; readonly standbys: number };
}

/** Bounds of `lab up --pool P:S`. */
export const labPoolProtectedMax = 16;
export const labPoolStandbysMax = 8;

/**
 * Where one agent runs and listens, for tests that put the two nodes of a pair on separate
 * networks (test/helpers/netns.ts). Beyond loopback and without agentTls, the agent's links are
 * plain HTTP with `api.tls.insecurePlainHttp` (and the relays' `--insecure-plain-http`): fine in
 * namespaces a test made, never for a real network.
 */
export interface AgentNetwork {
  /** The network namespace the agent runs in (`ip netns exec`; same pid). Its API then listens on every address of that namespace. */
  readonly netns?: string;
  /** Where the lab and tests reach its API; without a netns it also binds there (default: the lab's host). */
  readonly apiHost?: string;
  /** Where it binds its heartbeats and where its peer sends them and reaches its API (default: apiHost); differing from apiHost needs a netns. */
  readonly heartbeatHost?: string;
}

export type AgentProfile = 'conservative' | 'fast';
export const AGENT_PROFILES: readonly AgentProfile[] = ['conservative', 'fast'];

export const LAB_USERNAME = 'admin';
const DEFAULT_HOST = '127.0.0.1';

/** Refuses a bad --host or agent network (by recorder name) with a usage error that names the option. */
function checkNetworks(host: string, networks: Readonly<Record<string, AgentNetwork>>, recorderNames: readonly string[]): void {
  if (isIP(host) === 0) throw new CliError(`--host: expected an IP address, not ${JSON.stringify(host)}`, exitCodes.usage);
  for (const [name, network] of Object.entries(networks)) {
    if (!recorderNames.includes(name)) throw new CliError(`no recorder named ${name} in this lab (recorders: ${recorderNames.join(', ')})`, exitCodes.usage);
    for (const [option, address] of [['--agent-host', network.apiHost], ['--agent-heartbeat-host', network.heartbeatHost]] as const) {
      if (address !== undefined && isIP(address) === 0) throw new CliError(`${option} ${name}: expected an IP address, not ${JSON.stringify(address)}`, exitCodes.usage);
    }
    if (network.netns !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(network.netns)) throw new CliError(`--agent-netns ${name}: not a network namespace name: ${JSON.stringify(network.netns)}`, exitCodes.usage);
    const apiHost = network.apiHost ?? host;
    if (network.netns === undefined && network.heartbeatHost !== undefined && network.heartbeatHost !== apiHost) throw new CliError(`--agent-heartbeat-host ${name} differs from its API address: that needs --agent-netns ${name}=… (its API then listens on every address of its namespace)`, exitCodes.usage);
  }
}

/** Files and folders `lab up` creates, and the only ones it removes when it replaces a stopped lab. */
const LAB_ENTRIES = ['recorders', 'agents', 'logs', 'management', STATE_FILE, PLAN_FILE, SITE_FILE, 'cameras.json'];

/** True if the process exists and is not a zombie (a zombie has exited and only waits to be reaped). */
export function isRunning(pid: number): boolean {
  if (!isProcessAlive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** True if `pid` runs a command line that mentions `dir` (guards against a reused pid). Without /proc, trusts the pid. */
function belongsToLab(pid: number, dir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((arg) => arg.startsWith(dir));
  } catch {
    return true;
  }
}

function readState(dir: string): LabState | null {
  try {
    return labStateSchema.parse(JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')));
  } catch {
    return null;
  }
}

function controlPid(state: LabState): number | null {
  return state.processes.find((p) => p.kind === 'control')?.pid ?? null;
}

/**
 * `twinrec lab up`: plans a lab (ports, ids, RecorderConfig.xml files, site file), starts its
 * control process, which starts the camera hub, the management server and two recorders per
 * pair (with `withAgents`, also a relay and two agents per pair), and returns the description
 * of the running lab.
 */
export async function labUp(options: UpOptions): Promise<Record<string, unknown>> {
  // Bad options are refused before anything is made or removed under --dir.
  const host = options.host ?? DEFAULT_HOST;
  const agentNetworks = options.agentNetworks ?? {};
  if (options.withAgents !== true && Object.keys(agentNetworks).length > 0) throw new CliError('--agent-netns, --agent-host and --agent-heartbeat-host need --with-agents', exitCodes.usage);
  if (options.withAgents !== true && options.agentVmsBridge !== undefined) throw new CliError('--agent-vms-bridge needs --with-agents', exitCodes.usage);
  // The edge bridge cannot pin the recorders' certificates: the agents would refuse their agent.json.
  if (options.agentVmsBridge === 'edge' && options.encryptedRecorders === true) throw new CliError('--agent-vms-bridge edge cannot go with --encrypted: Twinrec.Bridge trusts the system\'s CAs only, and the lab\'s recorders are pinned by fingerprint', exitCodes.usage);
  const pool = options.pool ?? null;
  if (pool !== null) {
    if (!Number.isInteger(pool.protected) || pool.protected < 1 || pool.protected > labPoolProtectedMax) throw new CliError(`--pool: 1 to ${labPoolProtectedMax} protected recording servers`, exitCodes.usage);
    if (!Number.isInteger(pool.standbys) || pool.standbys < 1 || pool.standbys > labPoolStandbysMax) throw new CliError(`--pool: 1 to ${labPoolStandbysMax} standbys`, exitCodes.usage);
    // A pool's agents need the controller: it allocates the standbys (there is no pairwise witness).
    if (options.withAgents === true && options.controllerUrl === undefined) throw new CliError('--pool with --with-agents needs --controller: the controller allocates the standbys of a pool', exitCodes.usage);
    if (options.withAgents === true && (options.agentTls === true || options.agentVmsBridge === 'edge' || Object.keys(options.agentNetworks ?? {}).length > 0)) throw new CliError('--pool with --with-agents: --agent-tls, --agent-vms-bridge edge and the agents\' network options are for pairs only', exitCodes.usage);
  }
  const recorderNames =
    pool === null
      ? Array.from({ length: options.pairs * 2 }, (_, i) => `recorder-${Math.floor(i / 2) + 1}${i % 2 === 0 ? 'a' : 'b'}`)
      : [...Array.from({ length: pool.protected }, (_, i) => `recorder-p${i + 1}`), ...Array.from({ length: pool.standbys }, (_, j) => `failover-${j + 1}`)];
  checkNetworks(host, agentNetworks, recorderNames);
  const dir = resolve(options.dir);
  await mkdir(dir, { recursive: true });
  const previous = readState(dir);
  if (previous !== null) {
    const pid = controlPid(previous);
    if (pid !== null && isRunning(pid) && belongsToLab(pid, dir)) throw new CliError(`a lab is already running in ${dir}; stop it with: twinrec lab down --dir ${dir}`, exitCodes.usage);
  }
  for (const entry of LAB_ENTRIES) await rm(join(dir, entry), { recursive: true, force: true });
  await mkdir(join(dir, 'logs'), { recursive: true });

  const recorderCount = recorderNames.length;
  const withAgents = options.withAgents === true;
  if (!withAgents && (options.controllerUrl !== undefined || options.agentProfile !== undefined)) throw new CliError('--controller and --agent-profile need --with-agents', exitCodes.usage);
  // TCP: hub, management, control; the Event Server stand-in's International, Compatible and
  // HTTP ports; per recorder web server, control, webapi; with agents, per pair the relay's
  // listen and control ports and per agent its API port.
  // In a pool, per protected server a relay (listen and control) and per recorder an agent API port; no heartbeats.
  const agentPorts = !withAgents ? 0 : pool === null ? options.pairs * 2 + recorderCount : pool.protected * 2 + recorderCount;
  const ports = await reserveFreePorts(6 + recorderCount * 3 + agentPorts, host);
  // UDP: the agents' heartbeat ports (reserved the same way; see reserveFreeUdpPorts).
  const udpPorts = withAgents && pool === null ? await reserveFreeUdpPorts(recorderCount, host) : [];
  const take = (): number => {
    const port = ports.shift();
    if (port === undefined) throw new Error('ran out of reserved ports');
    return port;
  };
  const hubPort = take();
  const managementPort = take();
  const controlPort = take();
  const eventServer = { internationalPort: take(), compatiblePort: take(), httpPort: take() };
  const hubUrl = `http://${urlHost(host)}:${hubPort}/`;
  const managementUrl = `http://${urlHost(host)}:${managementPort}`;

  const catalog = buildCatalog((pool === null ? options.pairs : pool.protected) * options.cameras, { fps: options.fps, width: options.width, height: options.height, codec: options.codec, bitrateBps: options.bitrateBps });
  const cataloguePath = join(dir, 'cameras.json');
  await writeJsonFile(cataloguePath, catalog);

  const recorders: RecorderPlan[] = [];
  const recordingServers: Site['recordingServers'] = [];
  // One recording server (one recorder id) with its recorders: two in a cloned pair, one in a pool.
  const planRecordingServer = async (index: number, displayName: string, names: readonly string[], cameraIds: readonly string[], role: RecorderPlan['role']): Promise<void> => {
    const recorderId = randomUUID();
    const clientRegistrationId = randomUUID();
    const members: RecorderPlan[] = [];
    for (const name of names) {
      const folder = join(dir, 'recorders', name);
      const plan: RecorderPlan = {
        name,
        pairIndex: index,
        recorderId,
        displayName,
        configPath: join(folder, 'RecorderConfig.xml'),
        storageDir: join(folder, 'storage'),
        webServerPort: take(),
        controlPort: take(),
        ...(role === undefined ? {} : { role }),
      };
      const webApiPort = take();
      await mkdir(plan.storageDir, { recursive: true });
      if (options.encryptedRecorders === true) {
        const tlsFolder = join(folder, 'tls');
        const cert = await loadOrCreateCertificate(join(tlsFolder, 'web-server.crt'), join(tlsFolder, 'web-server.key'), { commonName: `${name} ${displayName}`, altNames: [host, 'localhost'] });
        plan.tls = { certFile: join(tlsFolder, 'web-server.crt'), keyFile: join(tlsFolder, 'web-server.key'), fingerprint256: cert.fingerprint256 };
      }
      await writeFile(
        plan.configPath,
        renderRecorderConfig({
          version: '25.1.0.0',
          recorderId,
          displayName,
          clientRegistrationId,
          serverAddress: host,
          serverWebApiPort: managementPort,
          authorizationServerAddress: `${managementUrl}/IDP`,
          webServerHost: host,
          webServerPort: plan.webServerPort,
          webApiPort,
          storagePath: plan.storageDir,
        }),
      );
      members.push(plan);
    }
    recorders.push(...members);
    recordingServers.push({
      id: recorderId,
      name: displayName,
      hostName: host,
      webServerUri: `${options.encryptedRecorders === true ? 'https' : 'http'}://${urlHost(host)}:${members[0]?.webServerPort ?? 0}/`,
      cameraIds: [...cameraIds],
      storage: { id: randomUUID(), name: 'Local default', diskPath: 'storage', retainMinutes: options.retainMinutes, maxSizeMb: options.maxSizeMb },
    });
  };
  const camerasOf = (index: number): string[] => catalog.cameras.slice(index * options.cameras, (index + 1) * options.cameras).map((c) => c.id);
  if (pool === null) {
    for (let pair = 0; pair < options.pairs; pair += 1) await planRecordingServer(pair, `Lab Recording Server ${pair + 1}`, [`recorder-${pair + 1}a`, `recorder-${pair + 1}b`], camerasOf(pair), undefined);
  } else {
    // A pool: P protected recording servers, each its own recorder id and cameras, and S failover
    // recording servers with ids of their own and no cameras (XProtect lists failover servers
    // apart from recording servers; the lab's management server lists them as recording servers
    // with no cameras, which is what a free standby records).
    for (let i = 0; i < pool.protected; i += 1) await planRecordingServer(i, `Lab Recording Server ${i + 1}`, [`recorder-p${i + 1}`], camerasOf(i), 'protected');
    for (let j = 0; j < pool.standbys; j += 1) await planRecordingServer(pool.protected + j, `Lab Failover Server ${j + 1}`, [`failover-${j + 1}`], [], 'failover');
  }

  const site: Site = {
    version: 1,
    credentials: { username: LAB_USERNAME, password: randomSecret() },
    tokenLifetimeSeconds: options.tokenLifetimeSeconds,
    cameraHubUrl: hubUrl,
    cameras: catalog.cameras,
    recordingServers,
  };
  const sitePath = join(dir, SITE_FILE);
  await writeJsonFile(sitePath, site, 0o600);

  const log = (name: string): string => join(dir, 'logs', `${name}.log`);
  const agentSetup = !withAgents
    ? null
    : pool !== null
      ? await planPoolAgents({ dir, recorders, take, site, controlUrl: `http://${urlHost(host)}:${controlPort}`, managementUrl, host, controllerUrl: options.controllerUrl ?? '', cameraCapacity: options.cameras, log, ...(options.controllerFingerprint === undefined ? {} : { controllerFingerprint: options.controllerFingerprint }) })
      : await planAgents({
        dir,
        recorders,
        take,
        takeUdp: () => {
          const port = udpPorts.shift();
          if (port === undefined) throw new Error('ran out of reserved UDP ports');
          return port;
        },
        site,
        managementUrl,
        managementPort,
        controlUrl: `http://${urlHost(host)}:${controlPort}`,
        host,
        agentNetworks,
        profile: options.agentProfile ?? 'conservative',
        failoverCap: options.agentFailoverCap ?? 3,
        vmsBridge: options.agentVmsBridge ?? 'native',
        retainMinutes: [options.retainMinutes, options.agentSecondaryRetainMinutes ?? options.retainMinutes],
        tls: options.agentTls === true,
        ...(options.controllerUrl === undefined ? {} : { controllerUrl: options.controllerUrl }),
        ...(options.controllerFingerprint === undefined ? {} : { controllerFingerprint: options.controllerFingerprint }),
        log,
      });
  const processes: PlannedProcess[] = [
    { name: 'cameras', kind: 'cameras', args: ['lab', 'cameras', '--catalog', cataloguePath, '--host', host, '--port', String(hubPort)], logPath: log('cameras') },
    { name: 'management', kind: 'management', args: ['lab', 'management', '--site', sitePath, '--host', host, '--port', String(managementPort), '--state-dir', join(dir, 'management'), ...(options.vmsTokenLifetimeSeconds === undefined ? [] : ['--vms-token-lifetime-seconds', String(options.vmsTokenLifetimeSeconds)])], logPath: log('management') },
    // XProtect's Event Server: its generic-event data sources, where the controller sends its generic events.
    { name: 'event-server', kind: 'event-server', args: ['lab', 'event-server', '--host', host, '--international-port', String(eventServer.internationalPort), '--compatible-port', String(eventServer.compatiblePort), '--http-port', String(eventServer.httpPort), '--received-log', join(dir, 'logs', 'event-server-received.jsonl')], logPath: log('event-server') },
    ...recorders.map(
      (r): PlannedProcess => ({
        name: r.name,
        kind: 'recorder',
        args: [
          'lab',
          'recorder',
          '--config',
          r.configPath,
          '--storage',
          r.storageDir,
          '--name',
          r.name,
          '--control-port',
          String(r.controlPort),
          '--block-duration-ms',
          String(options.blockDurationMs),
          ...(options.fsync ? [] : ['--no-fsync']),
          ...(options.maxQueueBytes === undefined ? [] : ['--max-queue-bytes', String(options.maxQueueBytes)]),
          ...(r.tls === undefined ? [] : ['--tls-cert', r.tls.certFile, '--tls-key', r.tls.keyFile]),
        ],
        logPath: log(r.name),
      }),
    ),
    ...(agentSetup?.processes ?? []),
  ];
  const plan: LabPlan = { version: 1, dir, sitePath, host, controlPort, hubUrl, managementUrl, eventServer, processes, recorders, ...(agentSetup === null ? {} : { clusters: agentSetup.clusters, agents: agentSetup.agents }) };
  await writeJsonFile(join(dir, PLAN_FILE), plan);

  const control = await spawnLabProcess(['lab', 'control', '--dir', dir], { logPath: log('control'), readyTimeoutMs: options.readyTimeoutMs, detached: true });
  control.child.unref();
  const description = control.ready.description;
  if (typeof description !== 'object' || description === null) throw new Error('lab control process did not describe the lab');
  return description as Record<string, unknown>;
}

interface AgentPlanning {
  readonly dir: string;
  readonly recorders: readonly RecorderPlan[];
  readonly take: () => number;
  readonly takeUdp: () => number;
  readonly site: Site;
  readonly managementUrl: string;
  readonly managementPort: number;
  readonly controlUrl: string;
  readonly profile: AgentProfile;
  readonly failoverCap: number;
  /** vms.bridge of every agent. */
  readonly vmsBridge: 'native' | 'edge';
  /** storage.retainMinutes of the first and the second agent of a pair. */
  readonly retainMinutes: readonly [number, number];
  /** TLS on the agents' and relays' APIs (UpOptions.agentTls). */
  readonly tls: boolean;
  readonly controllerUrl?: string;
  readonly controllerFingerprint?: string;
  readonly log: (name: string) => string;
  /** The lab's host (UpOptions.host) and the agents' own networks (UpOptions.agentNetworks). */
  readonly host: string;
  readonly agentNetworks: Readonly<Record<string, AgentNetwork>>;
}

/**
 * Plans the agents of a lab (`--with-agents`): per pair a cluster secret, a relay on the shared
 * address and two agents, each with its agent.json (agent/config/agent-config.ts), its
 * recorder password file and its state folder:
 *
 *   agents/pair-N/cluster.secret         (0600) the per-cluster secret: agents, relay, controller
 *   agents/pair-N/relay-state.json       the relay's --state-file (highest epoch)
 *   agents/pair-N/clone-rules.yaml       config sync rule overrides: the ports stay local (one host)
 *   agents/<recorder>/agent.json         the agent's configuration
 *   agents/<recorder>/recorder.password  (0600) the site credential's password
 *   agents/<recorder>/state/             the agent's stateDir
 *   agents/<recorder>/log/agent.N.log    the agent's rolling log file (log.file)
 *
 * The 'a' recorder of a pair is rank 0, the preferred node and the config sync source; 'b'
 * is rank 1 and the target.
 */
async function planAgents(o: AgentPlanning): Promise<{ processes: PlannedProcess[]; clusters: ClusterPlan[]; agents: AgentPlan[] }> {
  const processes: PlannedProcess[] = [];
  const clusters: ClusterPlan[] = [];
  const agents: AgentPlan[] = [];
  const pairIndexes = [...new Set(o.recorders.map((r) => r.pairIndex))];
  for (const pairIndex of pairIndexes) {
    const members = o.recorders.filter((r) => r.pairIndex === pairIndex);
    const [first, second] = members;
    if (first === undefined || second === undefined || members.length !== 2) throw new Error(`pair ${pairIndex + 1} does not have two recorders`);
    const pairFolder = join(o.dir, 'agents', `pair-${pairIndex + 1}`);
    await mkdir(pairFolder, { recursive: true });
    const cluster: ClusterPlan = {
      pairIndex,
      name: `lab-pair-${pairIndex + 1}`,
      relayName: `relay-pair-${pairIndex + 1}`,
      sharedPort: o.take(),
      relayControlPort: o.take(),
      secretFile: join(pairFolder, 'cluster.secret'),
      relayStateFile: join(pairFolder, 'relay-state.json'),
    };
    await writeFile(cluster.secretFile, `${randomSecret(32)}\n`, { mode: 0o600 });
    // Real cloned nodes are two hosts with the same ports; the lab's two recorders share
    // 127.0.0.1, so their ports must stay each node's own when config sync clones the file.
    const rulesFile = join(pairFolder, 'clone-rules.yaml');
    await writeFile(rulesFile, '# The lab runs both nodes on one host: keep each node\'s ports.\nrules:\n  - { path: webserver/port, kind: local }\n  - { path: webapi/port, kind: local }\n');
    clusters.push(cluster);
    // With TLS the relay's certificate is made now (the relay loads it), so agent.json can pin it.
    const relayCert = o.tls ? await loadOrCreateCertificate(join(pairFolder, 'relay-control.crt'), join(pairFolder, 'relay-control.key'), { commonName: `twinrec-relay ${cluster.name}`, altNames: [o.host, 'localhost'] }) : null;
    // Plain HTTP beyond loopback only in a test's own namespaces (AgentNetwork): said out loud.
    const relayTlsArgs = relayCert !== null ? ['--tls', '--tls-cert', join(pairFolder, 'relay-control.crt'), '--tls-key', join(pairFolder, 'relay-control.key')] : isLoopbackHost(o.host) ? [] : ['--insecure-plain-http'];
    const scheme = o.tls ? 'https' : 'http';
    processes.push({
      name: cluster.relayName,
      kind: 'relay',
      entry: 'twinrec',
      args: ['relay', '--listen', `${urlHost(o.host)}:${cluster.sharedPort}`, '--control', `${urlHost(o.host)}:${cluster.relayControlPort}`, '--secret-file', cluster.secretFile, '--state-file', cluster.relayStateFile, ...relayTlsArgs],
      logPath: o.log(cluster.relayName),
    });

    const pairAgents = members.map((r): AgentPlan => {
      const folder = join(o.dir, 'agents', r.name);
      const network = o.agentNetworks[r.name] ?? {};
      return {
        name: `agent-${r.name}`,
        recorderName: r.name,
        pairIndex,
        configPath: join(folder, 'agent.json'),
        apiPort: o.take(),
        heartbeatPort: o.takeUdp(),
        stateDir: join(folder, 'state'),
        ...(network.apiHost === undefined ? {} : { apiHost: network.apiHost }),
        ...(network.heartbeatHost === undefined ? {} : { heartbeatHost: network.heartbeatHost }),
        ...(network.netns === undefined ? {} : { netns: network.netns }),
      };
    });
    for (const [rank, agent] of pairAgents.entries()) {
      const recorder = members[rank] as RecorderPlan;
      const peer = pairAgents[1 - rank] as AgentPlan;
      const folder = join(o.dir, 'agents', recorder.name);
      await mkdir(agent.stateDir, { recursive: true });
      const passwordFile = join(folder, 'recorder.password');
      await writeFile(passwordFile, `${o.site.credentials.password}\n`, { mode: 0o600 });
      const apiHost = agent.apiHost ?? o.host;
      const heartbeatHost = agent.heartbeatHost ?? apiHost;
      // The peer is reached where its heartbeats come from: on a partition test's link, both are cut together.
      const peerHost = peer.heartbeatHost ?? peer.apiHost ?? o.host;
      const beyondLoopback = [o.host, apiHost, heartbeatHost, peerHost].some((h) => !isLoopbackHost(h));
      const apiTls = o.tls ? { tls: { mode: 'on' } } : beyondLoopback ? { tls: { mode: 'off', insecurePlainHttp: true } } : {};
      const config = {
        cluster: { name: cluster.name, sharedAddress: `${urlHost(o.host)}:${cluster.sharedPort}`, secretFile: cluster.secretFile },
        node: { id: recorder.name, rank, hostName: apiHost },
        peer: { id: peer.recorderName, heartbeat: { host: peerHost, port: peer.heartbeatPort }, agentUrl: `${scheme}://${urlHost(peerHost)}:${peer.apiPort}` },
        heartbeat: { listen: { host: heartbeatHost, port: agent.heartbeatPort } },
        api: { listen: { host: agent.netns === undefined ? apiHost : isIP(apiHost) === 6 ? '::' : '0.0.0.0', port: agent.apiPort }, ...apiTls },
        recorder: {
          webServerUrl: `${recorder.tls === undefined ? 'http' : 'https'}://${urlHost(o.host)}:${recorder.webServerPort}/`,
          // Encrypted mode: trusted by its certificate's fingerprint (what its admin would give the agent).
          ...(recorder.tls === undefined ? {} : { fingerprint: recorder.tls.fingerprint256 }),
          tokenUrl: `${o.managementUrl}/IDP/connect/token`,
          username: o.site.credentials.username,
          passwordFile,
          recorderConfigPath: recorder.configPath,
          recorderId: recorder.recorderId,
        },
        // Only when asked: native is the default, and the lab's agent.json stays what most sites write.
        ...(o.vmsBridge === 'edge' ? { vms: { bridge: 'edge' } } : {}),
        service: { kind: 'lab', controlUrl: o.controlUrl, recorderName: recorder.name },
        servingEndpoint: { kind: 'relay', controlUrl: `${scheme}://${urlHost(o.host)}:${cluster.relayControlPort}`, ...(relayCert === null ? {} : { fingerprint: relayCert.fingerprint256 }) },
        // The TCP witness (used when there is no controller or it cannot be reached): the management server.
        witness: { address: { host: o.host, port: o.managementPort } },
        ...(o.controllerUrl === undefined ? {} : { controller: { url: o.controllerUrl, ...(o.controllerFingerprint === undefined ? {} : { fingerprint: o.controllerFingerprint }) } }),
        failover: { profile: o.profile, preferredNodeId: first.name, capCount: o.failoverCap },
        configSync: { role: rank === 0 ? 'source' : 'target', rulesFile },
        // The agent reads its recorder's storage folder itself for the storage spans it reports
        // (the recorder reports this folder as its storage path). A lab runs for minutes, not
        // months: scan every 5 s rather than the default 15 s.
        storage: { adapter: 'lab-format', root: recorder.storageDir, refreshIntervalMs: 5_000, retainMinutes: o.retainMinutes[rank] },
        stateDir: agent.stateDir,
        // A rolling log file beside stderr, as an installed agent keeps one: support snapshots read it.
        log: { file: { path: join(dirname(agent.stateDir), 'log', 'agent.log'), sizeMaxMb: 5, filesMax: 3 } },
        // The lab's agents accept the test-only heartbeat drop (POST /api/v1/testing/heartbeats).
        testing: { faultInjection: true },
      };
      await writeJsonFile(agent.configPath, config);
      processes.push({ name: agent.name, kind: 'agent', entry: 'twinrec', args: ['agent', '--config', agent.configPath], logPath: o.log(agent.name), ...(agent.netns === undefined ? {} : { netns: agent.netns }) });
    }
    agents.push(...pairAgents);
  }
  return { processes, clusters, agents };
}

interface PoolAgentPlanning {
  readonly dir: string;
  readonly recorders: readonly RecorderPlan[];
  readonly take: () => number;
  readonly site: Site;
  readonly controlUrl: string;
  readonly managementUrl: string;
  readonly host: string;
  readonly controllerUrl: string;
  readonly controllerFingerprint?: string;
  /** Each standby's pool.cameraCapacity: one protected server's cameras. */
  readonly cameraCapacity: number;
  readonly log: (name: string) => string;
}

/**
 * Plans a pool's agents (`--pool P:S --with-agents --controller URL`, issue 17): one pool secret,
 * per protected recording server a relay on its shared address and a protected agent
 * (agent.yaml `pool.role: protected`), per failover server a standby agent (`pool.role:
 * standby`, every protected server's endpoint in `pool.endpoints`). The controller allocates the
 * standbys; the agents register with it as the pool `lab-pool`.
 *
 *   agents/pool/cluster.secret            (0600) the pool's secret: agents, relays, controller
 *   agents/pool/relay-p<N>-state.json     each relay's --state-file
 *   agents/pool/clone-rules.yaml          one host: each recorder keeps its own ports
 *   agents/<recorder>/agent.json, recorder.password, state/, log/
 */
async function planPoolAgents(o: PoolAgentPlanning): Promise<{ processes: PlannedProcess[]; clusters: ClusterPlan[]; agents: AgentPlan[] }> {
  const processes: PlannedProcess[] = [];
  const clusters: ClusterPlan[] = [];
  const agents: AgentPlan[] = [];
  const poolFolder = join(o.dir, 'agents', 'pool');
  await mkdir(poolFolder, { recursive: true });
  const secretFile = join(poolFolder, 'cluster.secret');
  await writeFile(secretFile, `${randomSecret(32)}\n`, { mode: 0o600 });
  const rulesFile = join(poolFolder, 'clone-rules.yaml');
  await writeFile(rulesFile, "# The lab runs every recorder on one host: each keeps its own ports.\nrules:\n  - { path: webserver/port, kind: local }\n  - { path: webapi/port, kind: local }\n");
  const protectedRecorders = o.recorders.filter((r) => r.role === 'protected');
  for (const r of protectedRecorders) {
    const cluster: ClusterPlan = { pairIndex: r.pairIndex, name: 'lab-pool', relayName: `relay-${r.name.replace(/^recorder-/, '')}`, sharedPort: o.take(), relayControlPort: o.take(), secretFile, relayStateFile: join(poolFolder, `relay-${r.name.replace(/^recorder-/, '')}-state.json`) };
    clusters.push(cluster);
    processes.push({
      name: cluster.relayName,
      kind: 'relay',
      entry: 'twinrec',
      args: ['relay', '--listen', `${urlHost(o.host)}:${cluster.sharedPort}`, '--control', `${urlHost(o.host)}:${cluster.relayControlPort}`, '--secret-file', secretFile, '--state-file', cluster.relayStateFile],
      logPath: o.log(cluster.relayName),
    });
  }
  const endpointOf = (cluster: ClusterPlan) => ({ sharedAddress: `${urlHost(o.host)}:${cluster.sharedPort}`, kind: 'relay', controlUrl: `http://${urlHost(o.host)}:${cluster.relayControlPort}` });
  for (const r of o.recorders) {
    const folder = join(o.dir, 'agents', r.name);
    const agent: AgentPlan = { name: `agent-${r.name}`, recorderName: r.name, pairIndex: r.pairIndex, configPath: join(folder, 'agent.json'), apiPort: o.take(), stateDir: join(folder, 'state') };
    await mkdir(agent.stateDir, { recursive: true });
    const passwordFile = join(folder, 'recorder.password');
    await writeFile(passwordFile, `${o.site.credentials.password}\n`, { mode: 0o600 });
    const own = clusters.find((c) => c.pairIndex === r.pairIndex);
    const pool =
      r.role === 'protected' && own !== undefined
        ? { role: 'protected', endpoint: endpointOf(own) }
        : { role: 'standby', cameraCapacity: o.cameraCapacity, endpoints: clusters.map(endpointOf), rulesFile };
    const config = {
      // A standby's sharedAddress is only its registration's; it claims each protected server's own.
      cluster: { name: 'lab-pool', sharedAddress: `${urlHost(o.host)}:${(own ?? clusters[0])?.sharedPort ?? 0}`, secretFile },
      node: { id: r.name, hostName: o.host },
      api: { listen: { host: o.host, port: agent.apiPort } },
      recorder: { webServerUrl: `http://${urlHost(o.host)}:${r.webServerPort}/`, tokenUrl: `${o.managementUrl}/IDP/connect/token`, username: o.site.credentials.username, passwordFile, recorderConfigPath: r.configPath },
      service: { kind: 'lab', controlUrl: o.controlUrl, recorderName: r.name },
      controller: { url: o.controllerUrl, ...(o.controllerFingerprint === undefined ? {} : { fingerprint: o.controllerFingerprint }) },
      pool,
      // The failback sync's two ends: a standby serves what it recorded from here, a protected server fills its window into it.
      storage: { adapter: 'lab-format', root: r.storageDir },
      stateDir: agent.stateDir,
      log: { file: { path: join(folder, 'log', 'agent.log'), sizeMaxMb: 5, filesMax: 3 } },
    };
    await writeJsonFile(agent.configPath, config);
    processes.push({ name: agent.name, kind: 'agent', entry: 'twinrec', args: ['agent', '--config', agent.configPath], logPath: o.log(agent.name) });
    agents.push(agent);
  }
  return { processes, clusters, agents };
}

/** A host as it goes into a URL or host:port: IPv6 in brackets. */
function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isRunning);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(100);
    alive = alive.filter(isRunning);
  }
  return alive;
}

export interface DownResult {
  readonly dir: string;
  readonly stopped: Array<{ name: string; pid: number }>;
  readonly killed: Array<{ name: string; pid: number }>;
}

/**
 * `twinrec lab down`: stops every process of the lab in `dir`, by pid: the control process
 * first (it stops the others cleanly), then anything still running gets SIGTERM and, after a
 * grace period, SIGKILL. Pids whose command line does not mention the lab folder are left
 * alone (the pid was reused).
 */
export async function labDown(dirOption: string): Promise<DownResult> {
  const dir = resolve(dirOption);
  if (!existsSync(join(dir, STATE_FILE))) throw new Error(`no lab in ${dir} (${STATE_FILE} not found)`);
  const state = await readJsonFile(join(dir, STATE_FILE), labStateSchema);
  const targets = state.processes
    .filter((p): p is typeof p & { pid: number } => p.pid !== null && isRunning(p.pid) && belongsToLab(p.pid, dir))
    .map((p) => ({ name: p.name, pid: p.pid, kind: p.kind }));
  const control = targets.find((t) => t.kind === 'control');
  if (control !== undefined) {
    process.kill(control.pid, 'SIGTERM');
    await waitUntilGone([control.pid], 60_000);
  }
  const rest = targets.filter((t) => t.kind !== 'control' && isRunning(t.pid));
  for (const target of rest) {
    try {
      process.kill(target.pid, 'SIGCONT');
      process.kill(target.pid, 'SIGTERM');
    } catch {
      // gone meanwhile
    }
  }
  const stubborn = await waitUntilGone(
    rest.map((t) => t.pid),
    15_000,
  );
  for (const pid of stubborn) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  await waitUntilGone(stubborn, 5_000);
  const killed = targets.filter((t) => stubborn.includes(t.pid)).map(({ name, pid }) => ({ name, pid }));
  const stopped = targets.filter((t) => !stubborn.includes(t.pid)).map(({ name, pid }) => ({ name, pid }));
  return { dir, stopped, killed };
}

/** `twinrec lab status`: the live description from the control API, or the last one written. */
export async function labStatus(dirOption: string): Promise<Record<string, unknown>> {
  const dir = resolve(dirOption);
  const state = readState(dir);
  if (state === null) throw new Error(`no lab in ${dir} (${STATE_FILE} not found)`);
  const pid = controlPid(state);
  if (pid !== null && isRunning(pid)) {
    try {
      const res = await fetch(`${state.controlUrl}/lab`, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return { running: true, processes: state.processes, ...((await res.json()) as Record<string, unknown>) };
    } catch {
      // fall back to the file
    }
  }
  return { running: false, processes: state.processes, ...state.description };
}
