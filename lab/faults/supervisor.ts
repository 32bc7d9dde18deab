import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Logger } from '../shared/log.js';
import { fetchJson } from '../shared/http.js';
import { CREDENTIAL_ENV } from '../recorder/main.js';
import type { Site } from '../site.js';
import { spawnLabProcess } from '../spawn.js';
import { STATE_FILE, writeJsonFile, type LabPlan, type PlannedProcess, type ProcessKind, type ProcessState, type ProcessStatus } from '../state.js';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

interface Managed {
  readonly plan: PlannedProcess;
  child: ChildProcess | null;
  pid: number | null;
  status: ProcessStatus;
  ready: Record<string, unknown> | null;
  /** Set while the supervisor itself stops or kills the process, so its exit is not a crash. */
  expectingExit: boolean;
  /** The start in progress, if any: a stop waits for it, so it stops the process that start spawns. */
  starting: Promise<void> | null;
}

/** The URL of an agent's API at `apiHost` (where it is reached), keeping the scheme and port it printed. */
function agentApiUrl(printed: string, apiHost: string | undefined): string {
  if (apiHost === undefined) return printed;
  const url = new URL(printed);
  url.hostname = apiHost;
  return url.origin;
}

/** Start order: each group is started once the previous one is ready; stopAll goes the other way round. */
const START_ORDER: ReadonlyArray<readonly ProcessKind[]> = [['cameras', 'management', 'event-server'], ['recorder'], ['relay'], ['agent']];

export class FaultError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}

export type CameraFaultAction = 'disconnect' | 'reconnect' | 'drop';

/**
 * The lab's service manager and fault injector: it starts every lab process (with
 * `--with-agents` also the relays and agents), knows their pids, and carries out faults:
 * crash (SIGKILL), hang (SIGSTOP) and resume (SIGCONT), service stop (SIGTERM) and start, of
 * any process; storage faults (through the recorder's control endpoint), camera disconnects
 * (through the hub) and management server down/up.
 */
export class LabSupervisor {
  private readonly managed = new Map<string, Managed>();
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly plan: LabPlan,
    private readonly site: Site,
    readonly controlUrl: string,
    private readonly log: Logger,
  ) {
    for (const process of plan.processes) this.managed.set(process.name, { plan: process, child: null, pid: null, status: 'stopped', ready: null, expectingExit: false, starting: null });
  }

  /** Starts the hub and the management server, then every recorder, then the relays, then the agents. */
  async startAll(): Promise<void> {
    for (const kinds of START_ORDER) {
      await Promise.all(this.plan.processes.filter((p) => kinds.includes(p.kind)).map((p) => this.start(p.name)));
    }
  }

  private get(name: string): Managed {
    const managed = this.managed.get(name);
    if (managed === undefined) throw new FaultError(`no lab process named ${name}`, 404);
    return managed;
  }

  private recorder(name: string): Managed {
    const managed = this.get(name);
    if (managed.plan.kind !== 'recorder') throw new FaultError(`${name} is not a recorder`, 400);
    return managed;
  }

  /** Service start: spawns the process with its planned arguments and waits until it is ready. A start while running, starting or hung answers 409. */
  async start(name: string): Promise<void> {
    const managed = this.get(name);
    if (managed.status === 'running' || managed.status === 'starting' || managed.status === 'hung') throw new FaultError(`${name} is already ${managed.status}`, 409);
    managed.status = 'starting';
    const starting = this.spawn(managed);
    managed.starting = starting;
    try {
      await starting;
    } finally {
      if (managed.starting === starting) managed.starting = null;
    }
  }

  private async spawn(managed: Managed): Promise<void> {
    const name = managed.plan.name;
    await this.persist();
    // Only recorders get the site login (agents read their password file).
    const env = managed.plan.kind === 'recorder' ? { [CREDENTIAL_ENV.username]: this.site.credentials.username, [CREDENTIAL_ENV.password]: this.site.credentials.password } : undefined;
    try {
      const spawned = await spawnLabProcess(managed.plan.args, { logPath: managed.plan.logPath, readyTimeoutMs: READY_TIMEOUT_MS, entry: managed.plan.entry ?? 'lab', ...(managed.plan.netns === undefined ? {} : { netns: managed.plan.netns }), ...(env === undefined ? {} : { env }) });
      managed.child = spawned.child;
      managed.pid = spawned.pid;
      managed.ready = { ...spawned.ready };
      managed.status = 'running';
      managed.expectingExit = false;
      spawned.child.once('exit', (code, signal) => this.onExit(managed, spawned.child, code, signal));
      this.log.info({ name, pid: spawned.pid }, 'process started');
    } catch (err) {
      managed.status = 'crashed';
      managed.child = null;
      managed.pid = null;
      await this.persist();
      throw new FaultError(`${name} did not start: ${(err as Error).message}`, 500);
    }
    await this.persist();
  }

  private onExit(managed: Managed, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (managed.child !== child) return;
    managed.child = null;
    managed.pid = null;
    if (!managed.expectingExit) {
      managed.status = 'crashed';
      this.log.warn({ name: managed.plan.name, code, signal }, 'process exited on its own');
    }
    void this.persist();
  }

  private signal(managed: Managed, signal: NodeJS.Signals): void {
    if (managed.pid === null) throw new FaultError(`${managed.plan.name} is not running`, 409);
    process.kill(managed.pid, signal);
  }

  private waitForExit(managed: Managed, timeoutMs: number): Promise<boolean> {
    const child = managed.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Crash: SIGKILL, as a real crash gives the process no chance to flush or unlock. */
  async crash(name: string): Promise<void> {
    const managed = this.get(name);
    managed.expectingExit = true;
    if (managed.status === 'hung') this.signal(managed, 'SIGCONT');
    this.signal(managed, 'SIGKILL');
    await this.waitForExit(managed, STOP_TIMEOUT_MS);
    managed.status = 'crashed';
    await this.persist();
  }

  /** Hang: SIGSTOP; the process keeps its sockets but answers nothing. */
  async hang(name: string): Promise<void> {
    const managed = this.get(name);
    if (managed.status !== 'running') throw new FaultError(`${name} is ${managed.status}`, 409);
    this.signal(managed, 'SIGSTOP');
    managed.status = 'hung';
    await this.persist();
  }

  async resume(name: string): Promise<void> {
    const managed = this.get(name);
    if (managed.status !== 'hung') throw new FaultError(`${name} is not hung`, 409);
    this.signal(managed, 'SIGCONT');
    managed.status = 'running';
    await this.persist();
  }

  /** Service stop: SIGTERM and wait for a clean exit; SIGKILL if it takes too long. A stop during a start waits for the start first. */
  async stop(name: string): Promise<void> {
    const managed = this.get(name);
    if (managed.starting !== null) await managed.starting.catch(() => undefined);
    if (managed.pid === null) {
      managed.status = 'stopped';
      await this.persist();
      return;
    }
    managed.expectingExit = true;
    if (managed.status === 'hung') this.signal(managed, 'SIGCONT');
    this.signal(managed, 'SIGTERM');
    if (!(await this.waitForExit(managed, STOP_TIMEOUT_MS)) && managed.pid !== null) {
      this.log.warn({ name }, 'did not stop in time; killing');
      process.kill(managed.pid, 'SIGKILL');
      await this.waitForExit(managed, STOP_TIMEOUT_MS);
    }
    managed.status = 'stopped';
    await this.persist();
  }

  async storageFault(name: string, fault: Record<string, unknown>): Promise<unknown> {
    const managed = this.recorder(name);
    const controlUrl = managed.ready?.controlUrl;
    if (managed.status !== 'running' || typeof controlUrl !== 'string') throw new FaultError(`${name} is ${managed.status}`, 409);
    const res = await fetchJson(`${controlUrl}/lab/storage`, { body: fault, timeoutMs: 20_000 });
    if (res.status !== 200) throw new FaultError(`recorder refused the storage fault: ${JSON.stringify(res.body)}`, res.status);
    return res.body;
  }

  async cameraFault(recorderName: string, cameraId: string, action: CameraFaultAction): Promise<unknown> {
    this.recorder(recorderName);
    const hubAction = action === 'disconnect' ? 'refuse' : action === 'reconnect' ? 'allow' : 'drop';
    const res = await fetchJson(`${this.plan.hubUrl}lab/connections`, { body: { cameraId: cameraId === 'all' ? '*' : cameraId, recorder: recorderName, action: hubAction }, timeoutMs: 10_000 });
    if (res.status !== 200) throw new FaultError(`camera hub refused: ${JSON.stringify(res.body)}`, res.status);
    return res.body;
  }

  /**
   * Stops every process (used by `lab down` through SIGTERM on the control process): agents
   * first (an agent must not see its recorder stopped and react), then relays, then recorders
   * (so they do not log the cameras and the management server going away), then the rest.
   */
  async stopAll(): Promise<void> {
    const stopKinds = (kinds: readonly ProcessKind[]): Promise<unknown> =>
      Promise.all(
        [...this.managed.values()]
          .filter((m) => kinds.includes(m.plan.kind))
          .map((m) => this.stop(m.plan.name).catch((err: unknown) => this.log.error({ err, name: m.plan.name }, 'stop failed'))),
      );
    for (const kinds of [...START_ORDER].reverse()) await stopKinds(kinds);
  }

  processes(): ProcessState[] {
    return [...this.managed.values()].map((m) => ({ name: m.plan.name, kind: m.plan.kind, pid: m.pid, status: m.status, logPath: m.plan.logPath }));
  }

  /** The document `lab up` prints and `GET /lab` returns. */
  describe(): Record<string, unknown> {
    const hub = this.managed.get('cameras');
    const management = this.managed.get('management');
    const eventServer = this.managed.get('event-server');
    const ready = (m: Managed | undefined): Record<string, unknown> => m?.ready ?? {};
    const text = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);
    const host = this.plan.host ?? '127.0.0.1';
    const clusterOf = (pairIndex: number): Record<string, unknown> => {
      const cluster = this.plan.clusters?.find((c) => c.pairIndex === pairIndex);
      if (cluster === undefined) return {};
      const relay = this.managed.get(cluster.relayName);
      return {
        cluster: {
          name: cluster.name,
          sharedAddress: { host, port: cluster.sharedPort },
          secretFile: cluster.secretFile,
          relay: {
            name: cluster.relayName,
            pid: relay?.pid ?? null,
            status: relay?.status ?? 'stopped',
            controlUrl: text(ready(relay).control, `http://${host}:${cluster.relayControlPort}`),
            // The control API certificate's SHA-256 (null over plain HTTP), from its listening line.
            fingerprint: typeof ready(relay).fingerprint === 'string' ? ready(relay).fingerprint : null,
            stateFile: cluster.relayStateFile,
            logPath: relay?.plan.logPath ?? null,
          },
        },
      };
    };
    const agentOf = (recorderName: string): Record<string, unknown> => {
      const agent = this.plan.agents?.find((a) => a.recorderName === recorderName);
      if (agent === undefined) return {};
      const m = this.managed.get(agent.name);
      const info = ready(m);
      return {
        agent: {
          name: agent.name,
          pid: m?.pid ?? null,
          status: m?.status ?? 'stopped',
          // An agent in its own namespace listens on all its addresses: the URL is the one it is reached at.
          apiUrl: agentApiUrl(text(info.api, `http://${host}:${agent.apiPort}`), agent.apiHost),
          // The API certificate's SHA-256 (null over plain HTTP), from its listening line.
          fingerprint: typeof info.fingerprint === 'string' ? info.fingerprint : null,
          heartbeatPort: typeof info.heartbeatPort === 'number' ? info.heartbeatPort : agent.heartbeatPort,
          heartbeatHost: agent.heartbeatHost ?? agent.apiHost ?? host,
          netns: agent.netns ?? null,
          configPath: agent.configPath,
          logPath: m?.plan.logPath ?? null,
        },
      };
    };
    const pairs = this.site.recordingServers.map((rs, pairIndex) => ({
      // `lab up --pool`: each recording server is a protected one or a failover (standby) one, with one recorder.
      ...poolRoleOf(this.plan.recorders.find((r) => r.pairIndex === pairIndex)),
      recorderId: rs.id,
      displayName: rs.name,
      cameraIds: rs.cameraIds,
      storage: rs.storage,
      ...clusterOf(pairIndex),
      recorders: this.plan.recorders
        .filter((r) => r.pairIndex === pairIndex)
        .map((r) => {
          const m = this.managed.get(r.name);
          const info = ready(m);
          return {
            name: r.name,
            pid: m?.pid ?? null,
            status: m?.status ?? 'stopped',
            webServerUri: `${r.tls === undefined ? 'http' : 'https'}://${host}:${r.webServerPort}/`,
            // Encrypted mode: the web server certificate's SHA-256 (null: plain HTTP).
            certificateFingerprint: r.tls?.fingerprint256 ?? null,
            statusServiceUrl: info.statusServiceUrl ?? `http://${host}:${r.webServerPort}/RecorderStatusService/RecorderStatusService2.asmx`,
            commandServiceUrl: info.commandServiceUrl ?? `http://${host}:${r.webServerPort}/RecorderCommandService/RecorderCommandService.asmx`,
            imageServer: { host, port: r.webServerPort, tls: r.tls !== undefined },
            controlUrl: `http://127.0.0.1:${r.controlPort}`,
            storageDir: r.storageDir,
            recorderConfigPath: r.configPath,
            logPath: m?.plan.logPath ?? null,
            ...agentOf(r.name),
          };
        }),
    }));
    return {
      dir: this.plan.dir,
      credentials: { username: this.site.credentials.username, password: this.site.credentials.password },
      control: { url: this.controlUrl, pid: process.pid },
      cameraHub: { url: this.plan.hubUrl, pid: hub?.pid ?? null, status: hub?.status ?? 'stopped', cameras: this.site.cameras.map((c) => ({ id: c.id, name: c.name, fps: c.fps, resolution: `${c.width}x${c.height}`, codec: c.codec, bitrateBps: c.bitrateBps })), logPath: hub?.plan.logPath ?? null },
      managementServer: {
        url: this.plan.managementUrl,
        tokenUrl: `${this.plan.managementUrl}/IDP/connect/token`,
        restUrl: `${this.plan.managementUrl}/api/rest/v1`,
        pid: management?.pid ?? null,
        status: management?.status ?? 'stopped',
        logPath: management?.plan.logPath ?? null,
      },
      // The Event Server stand-in (lab/event-server/): absent in labs planned before it.
      ...(eventServer === undefined || this.plan.eventServer === undefined
        ? {}
        : {
            eventServer: {
              host,
              internationalPort: this.plan.eventServer.internationalPort,
              compatiblePort: this.plan.eventServer.compatiblePort,
              url: text(ready(eventServer).url, `http://${host}:${this.plan.eventServer.httpPort}`),
              pid: eventServer.pid,
              status: eventServer.status,
              logPath: eventServer.plan.logPath,
            },
          }),
      pairs,
    };
  }

  /** Writes lab.json (serialised, atomic). */
  persist(): Promise<void> {
    const write = async (): Promise<void> => {
      await writeJsonFile(
        join(this.plan.dir, STATE_FILE),
        {
          version: 1,
          dir: this.plan.dir,
          updatedAt: new Date().toISOString(),
          controlUrl: this.controlUrl,
          processes: [{ name: 'control', kind: 'control', pid: process.pid, status: 'running', logPath: join(this.plan.dir, 'logs', 'control.log') }, ...this.processes()],
          description: this.describe(),
        },
        0o600,
      );
    };
    this.writing = this.writing.then(write, write);
    return this.writing;
  }
}

/** A pool recording server's role in the lab's description; nothing for a cloned pair's. */
function poolRoleOf(recorder: { readonly role?: 'protected' | 'failover' | undefined } | undefined): { role?: 'protected' | 'failover' } {
  return recorder?.role === undefined ? {} : { role: recorder.role };
}
