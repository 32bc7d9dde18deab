// A whole HA setup for integration tests and benchmarks: the controller as a real process and
// a lab with one cloned pair, its two agents and its relay (`lab up --with-agents`). Everything
// is reached through real interfaces: the agents' local API, the relay's control API, the
// controller's REST API and ImageServer through the cluster's shared address.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageServerClient, labVmsToken, startLab, waitFor, type EventServerEndpoints, type LabDescription, type RunningLab } from '../../lab/testing/harness.js';
import { isRunning } from '../../lab/up.js';
import { pinnedFetch } from '../../shared/tls/pinned-fetch.js';
import { adminAuthHeader, testAdminPassword } from './auth.js';
import { runTwinrec, stopOnSignal, type TwinrecProcess } from './process.js';

export interface AgentInfo {
  readonly name: string;
  readonly node: string;
  readonly pid: number | null;
  readonly apiUrl: string;
  readonly logPath: string;
  readonly storageDir: string;
}

export interface NodeState {
  readonly nodeName: string;
  readonly state: string;
  readonly serving: boolean;
  readonly epoch: number;
  readonly healthy: boolean;
  readonly peer: { state: string | null; reachable: boolean; lastHeardAgoMs: number | null };
  readonly ping: { avgMs: number | null; maxMs: number | null };
  readonly health: { camerasTotal: number; camerasRecording: number };
  /** The cluster policy version the agent runs (0: agent.yaml's bootstrap default). */
  readonly policyVersion: number;
}

export interface HaLab {
  readonly lab: RunningLab;
  readonly description: LabDescription;
  /** The controller, with the `admin` account's password and an admin API token's header. */
  readonly controller: { url: string; process: TwinrecProcess; adminPassword: string; authHeader: { authorization: string }; fingerprint256: string | null } | null;
  /** `fetch` to the controller, trusting its certificate by the fingerprint it printed (plain fetch over HTTP). */
  controllerFetch(path: string, init?: RequestInit): Promise<Response>;
  readonly secret: string;
  readonly sharedAddress: { host: string; port: number };
  readonly relayControlUrl: string;
  readonly agents: readonly [AgentInfo, AgentInfo];
  readonly recorders: readonly [string, string];
  readonly cameraIds: readonly string[];
  /** The lab's Event Server stand-in (generic events); null in a lab without one. */
  readonly eventServer: EventServerEndpoints | null;
  agentState(node: string): Promise<NodeState>;
  relayTarget(): Promise<string | null>;
  command(node: string, command: string): Promise<{ status: number; body: Record<string, unknown> }>;
  dropHeartbeats(node: string, drop: boolean): Promise<void>;
  labAction(processName: string, action: 'crash' | 'hang' | 'resume' | 'stop' | 'start'): Promise<void>;
  /** Waits until exactly one node serves, the other is SECOND and the relay points at the serving one. */
  steady(timeoutMs?: number): Promise<{ serving: string; standby: string; epoch: number }>;
  agentOf(node: string): AgentInfo;
  stopController(): Promise<void>;
  close(): Promise<void>;
}

interface PairDescription {
  cluster: { name: string; sharedAddress: { host: string; port: number }; secretFile: string; relay: { pid: number | null; controlUrl: string; fingerprint?: string | null } };
  recorders: Array<{ name: string; storageDir: string; certificateFingerprint?: string | null; agent: { name: string; pid: number | null; apiUrl: string; logPath: string; fingerprint?: string | null } }>;
  cameraIds: string[];
}

export interface HaLabOptions {
  /** More environment for the controller process (TWINREC_* settings). */
  controllerEnv?: Readonly<Record<string, string>>;
  cameras?: number;
  fps?: number;
  /** The agents' bootstrap profile (agent.yaml); a controller's cluster policy wins once it arrives. */
  profile?: 'conservative' | 'fast';
  withController?: boolean;
  /**
   * The controller URL the agents are given, made from the controller's own once it listens
   * (e.g. a forwarder in front of it); default: the controller's URL.
   */
  agentControllerUrl?: (controllerUrl: string) => string | Promise<string>;
  extraArgs?: string[];
  /**
   * Encrypted mode: the controller over HTTPS (its generated certificate), the agents' and the
   * relay's APIs over TLS, the recorders' web servers HTTPS only (`lab up --encrypted`); every
   * client here pins the certificate of the side it calls.
   */
  encrypted?: boolean;
  /**
   * How the pair's agents get into the controller. `first-use` (default): the controller trusts on
   * first use, and the agents' registration creates the cluster from their agent.yaml policy.
   * `admin`: it does not; once the lab is up (its agents already refused), the cluster is created
   * and its secret set through the REST API as an admin does, and the agents get in on their next
   * registration attempt (they back off up to 30 s).
   */
  enroll?: 'first-use' | 'admin';
  /**
   * The address the controller listens on (`serve --host`; default loopback). Beyond loopback it
   * serves HTTPS with its generated certificate, which the agents pin (test/helpers/netns.ts).
   */
  controllerHost?: string;
}

export async function startHaLab(options: HaLabOptions = {}): Promise<HaLab> {
  let controller: HaLab['controller'] = null;
  const dataDir = mkdtempSync(join(tmpdir(), 'twinrec-ha-ctl-'));
  if (options.withController !== false) {
    // Trust on first use, explicitly, unless enrolled as an admin does: `lab up` writes each pair's
    // secret and starts its agents, which register (creating the cluster from their agent.yaml
    // policy) before an admin could enroll it.
    const tlsConfig = options.encrypted === true ? ['--config', join(dataDir, 'controller.json')] : [];
    if (options.encrypted === true) writeFileSync(join(dataDir, 'controller.json'), JSON.stringify({ http: { tls: { mode: 'on' } } }));
    const host = options.controllerHost === undefined ? [] : ['--host', options.controllerHost];
    const proc = runTwinrec(['serve', '--port', '0', ...host, '--data-dir', dataDir, '--log-level', 'warn', ...tlsConfig], { env: { TWINREC_AUTH_ADMIN_PASSWORD: testAdminPassword, TWINREC_AGENTS_TRUST_ON_FIRST_USE: String(options.enroll !== 'admin'), ...options.controllerEnv } });
    try {
      const line = await proc.waitForLine((l) => l.includes('"listening"'), 60_000);
      const { url, fingerprint256 } = JSON.parse(line) as { url: string; fingerprint256?: string };
      const authHeader = fingerprint256 === undefined ? await adminAuthHeader(url, testAdminPassword) : await pinnedAdminAuthHeader(url, fingerprint256);
      controller = { url, process: proc, adminPassword: testAdminPassword, authHeader, fingerprint256: fingerprint256 ?? null };
    } catch (err) {
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    }
  }
  let lab: RunningLab;
  try {
    const agentControllerUrl = controller === null ? null : await (options.agentControllerUrl ?? ((url: string) => url))(controller.url);
    lab = await startLab([
      '--pairs', '1',
      '--cameras', String(options.cameras ?? 2),
      '--fps', String(options.fps ?? 10),
      '--block-duration-ms', '2000',
      '--with-agents',
      '--agent-profile', options.profile ?? 'conservative',
      ...(agentControllerUrl === null ? [] : ['--controller', agentControllerUrl]),
      ...(options.encrypted === true ? ['--encrypted'] : []),
      ...(controller?.fingerprint256 == null ? [] : ['--controller-fingerprint', controller.fingerprint256]),
      ...(options.extraArgs ?? []),
    ]);
  } catch (err) {
    await controller?.process.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const description = lab.description;
  const pair = (description.pairs as unknown as PairDescription[])[0] as PairDescription;
  const secret = readFileSync(pair.cluster.secretFile, 'utf8').trim();
  if (options.enroll === 'admin' && controller !== null) {
    try {
      await enrollAsAdmin(controller, pair.cluster.name, `${pair.cluster.sharedAddress.host}:${pair.cluster.sharedAddress.port}`, secret);
    } catch (err) {
      await lab.stop();
      await controller.process.stop();
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    }
  }
  const agents = pair.recorders.map((r) => ({ name: r.agent.name, node: r.name, pid: r.agent.pid, apiUrl: r.agent.apiUrl, logPath: r.agent.logPath, storageDir: r.storageDir })) as unknown as [AgentInfo, AgentInfo];
  // Encrypted mode: each agent's and the relay's certificate, as their listening lines gave them (null: plain HTTP).
  const agentFingerprint = (node: string): string | null => pair.recorders.find((r) => r.name === node)?.agent.fingerprint ?? null;
  const relayFingerprint = pair.cluster.relay.fingerprint ?? null;
  const auth = { authorization: `Bearer ${secret}` };
  const agentOf = (node: string): AgentInfo => {
    const agent = agents.find((a) => a.node === node);
    if (agent === undefined) throw new Error(`no agent for ${node}`);
    return agent;
  };

  const ha: HaLab = {
    lab,
    description,
    controller,
    secret,
    sharedAddress: pair.cluster.sharedAddress,
    relayControlUrl: pair.cluster.relay.controlUrl,
    agents,
    recorders: [pair.recorders[0]?.name as string, pair.recorders[1]?.name as string],
    cameraIds: pair.cameraIds,
    eventServer: description.eventServer ?? null,
    agentOf,
    controllerFetch: (path, init = {}) => {
      if (controller === null) throw new Error('no controller');
      return pinnedFetch(`${controller.url}${path}`, controller.fingerprint256, init);
    },
    agentState: async (node) => {
      const res = await pinnedFetch(`${agentOf(node).apiUrl}/api/v1/state`, agentFingerprint(node), { headers: auth, signal: AbortSignal.timeout(3_000) });
      if (res.status !== 200) throw new Error(`agent ${node}: HTTP ${res.status}`);
      return (await res.json()) as NodeState;
    },
    relayTarget: async () => {
      const res = await pinnedFetch(`${pair.cluster.relay.controlUrl}/state`, relayFingerprint, { headers: auth, signal: AbortSignal.timeout(3_000) });
      const body = (await res.json()) as { target: { nodeId: string } | null };
      return body.target?.nodeId ?? null;
    },
    command: async (node, command) => {
      const res = await pinnedFetch(`${agentOf(node).apiUrl}/api/v1/commands`, agentFingerprint(node), { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ command, actor: 'test' }), signal: AbortSignal.timeout(10_000) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    dropHeartbeats: async (node, drop) => {
      const res = await pinnedFetch(`${agentOf(node).apiUrl}/api/v1/testing/heartbeats`, agentFingerprint(node), { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ dropInbound: drop, dropOutbound: drop }), signal: AbortSignal.timeout(3_000) });
      if (res.status !== 200) throw new Error(`heartbeat fault on ${node}: HTTP ${res.status}`);
    },
    labAction: async (name, action) => {
      const res = await fetch(`${description.control.url}/lab/processes/${name}/${action}`, { method: 'POST', signal: AbortSignal.timeout(60_000) });
      if (res.status !== 200) throw new Error(`lab ${action} ${name}: HTTP ${res.status} ${await res.text()}`);
    },
    steady: (timeoutMs = 60_000) =>
      waitFor(
        'one Serving node, a SECOND standby and the relay pointing at the Serving one',
        async () => {
          const states = await Promise.all(agents.map((a) => ha.agentState(a.node).catch(() => null)));
          const [a, b] = states;
          if (a == null || b == null) return undefined;
          const serving = [a, b].filter((s) => s.serving);
          if (serving.length !== 1) return undefined;
          const server = serving[0] as NodeState;
          const standby = server === a ? b : a;
          if (standby.state !== 'SECOND') return undefined;
          if ((await ha.relayTarget()) !== server.nodeName) return undefined;
          return { serving: server.nodeName, standby: standby.nodeName, epoch: server.epoch };
        },
        timeoutMs,
        250,
      ),
    stopController: async () => {
      await controller?.process.stop();
    },
    close: async () => {
      forget();
      await closeAll();
    },
  };
  const closeAll = async (): Promise<void> => {
    await lab.stop();
    await controller?.process.stop();
    rmSync(dataDir, { recursive: true, force: true });
    for (const agent of agents) if (agent.pid !== null && isRunning(agent.pid)) process.kill(agent.pid, 'SIGKILL');
  };
  // A benchmark or test ended by a signal still stops the lab, its agents and the controller.
  const forget = stopOnSignal(closeAll);
  return ha;
}

/** An admin API token's header from a controller served over HTTPS, trusting it by its printed fingerprint. */
async function pinnedAdminAuthHeader(url: string, fingerprint: string): Promise<{ authorization: string }> {
  const login = await pinnedFetch(`${url}/api/v1/auth/login`, fingerprint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: testAdminPassword }), signal: AbortSignal.timeout(15_000) });
  const cookie = login.headers.get('set-cookie')?.split(';')[0];
  if (login.status !== 200 || cookie === undefined) throw new Error(`login over HTTPS: HTTP ${login.status}`);
  const res = await pinnedFetch(`${url}/api/v1/tokens`, fingerprint, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ name: 'tests', role: 'admin' }), signal: AbortSignal.timeout(15_000) });
  if (res.status !== 201) throw new Error(`token over HTTPS: HTTP ${res.status}`);
  return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
}

/** Creates the cluster and sets its agent secret through the REST API, as an admin enrolls a pair. */
async function enrollAsAdmin(controller: NonNullable<HaLab['controller']>, name: string, sharedAddress: string, secret: string): Promise<void> {
  const call = async (method: string, path: string, body: unknown): Promise<{ id?: string }> => {
    const res = await pinnedFetch(`${controller.url}${path}`, controller.fingerprint256, { method, headers: { ...controller.authHeader, 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
    if (res.status !== 200 && res.status !== 201) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as { id?: string };
  };
  const created = await call('POST', '/api/v1/clusters', { name, mode: 'cloning', sharedAddress });
  await call('PUT', `/api/v1/clusters/${String(created.id)}/agent-secret`, { secret });
}

/** Waits until both recorders record every camera (as their agents' probes see it). */
export async function allRecording(ha: HaLab, pollMs = 250): Promise<void> {
  await waitFor(
    'both recorders recording every camera',
    async () => {
      const states = await Promise.all(ha.recorders.map((n) => ha.agentState(n)));
      return states.every((s) => s.health.camerasTotal > 0 && s.health.camerasRecording === s.health.camerasTotal) ? true : undefined;
    },
    120_000,
    pollMs,
  );
}

/**
 * A live-view client through the cluster's shared address, as a Smart Client would hold one:
 * connect, ask for live, count frames; when the relay cuts the connection (Serving moved) or a
 * connect fails, reconnect with a bounded back-off.
 */
export class LiveViewer {
  frames = 0;
  lastFrameAtMs = 0;
  /** Wall-clock arrival times of frames (bounded to the last 10,000). */
  readonly arrivals: number[] = [];
  /** Each connection that got live frames: when it connected and when its first frame came (bounded to 1,000). */
  readonly connections: Array<{ connectedAtMs: number; firstFrameAtMs: number }> = [];
  private stopped = false;
  private client: ImageServerClient | null = null;
  private readonly running: Promise<void>;

  constructor(
    private readonly lab: LabDescription,
    private readonly address: { host: string; port: number },
    private readonly cameraId: string,
    /** Reconnect back-off ceiling; the failover bench keeps it short so it measures twinrec, not the client. */
    private readonly maxBackoffMs = 1_000,
  ) {
    this.running = this.loop();
  }

  /** Encrypted recorders (`lab up --encrypted`): ImageServer over TLS, trusting either node's certificate, as a client of the shared address does. */
  private tls(): { trustedFingerprints: string[] } | undefined {
    const recorders = this.lab.pairs.flatMap((p) => p.recorders);
    if (!recorders.some((r) => r.imageServer.tls === true)) return undefined;
    return { trustedFingerprints: recorders.map((r) => r.certificateFingerprint ?? '').filter((fp) => fp !== '') };
  }

  /** Frames received after `sinceMs` (wall clock). */
  framesSince(sinceMs: number): number {
    return this.arrivals.filter((t) => t > sinceMs).length;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.client?.close();
    await this.running;
  }

  private async loop(): Promise<void> {
    let backoffMs = 50;
    while (!this.stopped) {
      try {
        const token = await labVmsToken(this.lab);
        const connectedAtMs = Date.now();
        const client = await ImageServerClient.open(this.address.host, this.address.port, 3_000, this.tls());
        this.client = client;
        let first = true;
        client.connectCamera(this.cameraId, token);
        const answer = await client.nextXml(5_000);
        if (!answer.includes('<connected>yes</connected>')) throw new Error('not connected');
        client.send('live');
        backoffMs = 50;
        while (!this.stopped) {
          const message = await client.next(5_000);
          if (message.kind === 'image') {
            this.frames += 1;
            this.lastFrameAtMs = Date.now();
            this.arrivals.push(this.lastFrameAtMs);
            if (this.arrivals.length > 10_000) this.arrivals.shift();
            if (first) {
              first = false;
              this.connections.push({ connectedAtMs, firstFrameAtMs: this.lastFrameAtMs });
              if (this.connections.length > 1_000) this.connections.shift();
            }
          }
        }
      } catch {
        this.client?.close();
        if (this.stopped) return;
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
        backoffMs = Math.min(this.maxBackoffMs, backoffMs * 2);
      }
    }
  }
}
