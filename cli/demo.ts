// `twinrec demo` (also `npm start`): the whole product on one machine. It starts the
// controller, then a lab with one cloned pair of 8 cameras, its two agents and its relay,
// all registered with the controller, and prints where everything is, with the console's
// admin login. Ctrl-C stops every process it started, by PID. It turns agents.trustOnFirstUse
// on, and says so: its agents create their cluster by registering, with the secret the lab
// wrote, where a real site has an admin set the secret first. `--pool P:S` runs a failover pool
// instead (cli/demo-pool.ts sets it up through the REST API once its agents have registered).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { addConfigFlags, configFromFlags, type ControllerFlags } from '../api/src/cli/options.js';
import { CliError, exitCodes } from '../shared/exit-codes.js';
import { demoPoolSettings, parsePoolShape, poolWalkthrough, setUpDemoPool, type DemoPool, type PoolShape } from './demo-pool.js';
import { runLab } from './lab-program.js';

interface DemoFlags extends ControllerFlags {
  cameras: string;
  profile: string;
  labDir?: string;
  json?: boolean;
  encrypted?: boolean;
  pool?: string;
}

/** The pool the lab's agents register (lab/up.ts planPoolAgents). */
const labPoolName = 'lab-pool';
/** How long the demo waits for every pool agent to register before it gives up. */
const poolRegisteredTimeoutMs = 180_000;

export function registerDemoCommand(program: Command): void {
  const demo = program.command('demo').description('Start the controller, a lab with one cloned pair of 8 cameras, its agents and relay (npm start); or a failover pool (--pool)');
  addConfigFlags(demo, true)
    .option('--cameras <n>', 'cameras of the pair (with --pool: of each protected recording server)', '8')
    .option('--profile <profile>', 'failover profile of the agents: conservative or fast', 'conservative')
    .option('--lab-dir <dir>', 'lab folder (default: <data dir>/demo-lab)')
    .option('--json', 'print one JSON document (endpoints, pids by node, credentials) instead of a summary')
    .option('--encrypted', "encrypted mode: the controller over HTTPS (its certificate generated in the data folder), the agents' and relay's APIs over TLS, the recorders' web servers HTTPS only; each link pins the other side's certificate")
    .option('--pool <P:S>', 'a failover pool instead of the pair: P protected recording servers of --cameras cameras each and S standbys, the pool set up through the REST API (a failover group with the standbys, each server\'s primary group, failover after 10 s, failback after 30 s)')
    .addHelpText('after', `
Everything listens on 127.0.0.1. Ctrl-C (or SIGTERM) stops every process the demo started.

Examples:
  $ npm start
  $ twinrec demo --port 8740 --data-dir ./data --json
  $ twinrec demo --profile fast --cameras 16
  $ twinrec demo --encrypted
  $ twinrec demo --pool 3:1              three protected recording servers, one standby`)
    .action(async (flags: DemoFlags) => {
      const cameras = Number(flags.cameras);
      if (!Number.isInteger(cameras) || cameras < 1 || cameras > 256) throw new CliError('--cameras: expected a whole number from 1 to 256');
      if (flags.profile !== 'conservative' && flags.profile !== 'fast') throw new CliError('--profile: expected conservative or fast');
      const pool = flags.pool === undefined ? null : parsePoolShape(flags.pool);
      // A pool's agents have no pairwise failover profile, and the lab runs them over plain HTTP only.
      if (pool !== null && demo.getOptionValueSource('profile') === 'cli') throw new CliError('--profile is for the pair: a pool fails over by its pool policy', exitCodes.usage);
      if (pool !== null && flags.encrypted === true) throw new CliError('--pool cannot go with --encrypted yet: the lab runs a pool\'s agents over plain HTTP only', exitCodes.usage);
      const { config, warnings } = configFromFlags(flags);
      const { openLogger } = await import('../api/src/log.js');
      const { startController } = await import('../api/src/server.js');
      const logger = await openLogger(config.log);
      const log = logger.log;
      for (const warning of warnings) log.warn(warning);
      const labDir = resolve(flags.labDir ?? join(config.dataDir, 'demo-lab'));
      const admin = { username: config.auth.adminUsername, password: config.auth.adminPassword ?? (await demoAdminPassword(config.dataDir)) };

      // Trust on first use: the lab's agents register their pair with the secret `lab up` writes.
      // Encrypted: HTTPS on loopback too (http.tls.mode on), with the certificate the config names or one generated in the data folder.
      const http = flags.encrypted === true ? { ...config.http, tls: { ...config.http.tls, mode: 'on' as const } } : config.http;
      const controller = await startController({ ...config, http, auth: { ...config.auth, adminPassword: admin.password }, agents: { ...config.agents, trustOnFirstUse: true } }, log);
      const fingerprint = controller.certificate?.fingerprint256;
      let description: Record<string, unknown>;
      try {
        // The lab through its own CLI, as a user starts it: one pair (or the pool), its relays and agents.
        const shape = pool === null ? ['--pairs', '1', '--agent-profile', flags.profile] : ['--pool', `${pool.protected}:${pool.standbys}`];
        const up = await runLab(
          ['up', '--dir', labDir, ...shape, '--cameras', String(cameras), '--fps', '10', '--bitrate-kbps', '256', '--resolution', '640x360', '--codec', 'JPEG', '--block-duration-ms', '10000', '--retain-minutes', '1440', '--max-size-mb', '1024', '--token-lifetime-seconds', '3600', '--ready-timeout-ms', '180000', '--with-agents', '--controller', controller.url, '--json', ...(flags.encrypted === true ? ['--encrypted'] : []), ...(fingerprint === undefined ? [] : ['--controller-fingerprint', fingerprint])],
          { captureStdout: true },
        );
        if (up.exitCode !== 0) throw new CliError(`the lab did not start (twinrec lab up exited with ${up.exitCode}; its reason is above)`, exitCodes.failure);
        description = JSON.parse(up.stdout) as Record<string, unknown>;
      } catch (err) {
        await controller.close();
        throw err;
      }

      // From here the lab runs: a signal, or a failed pool setup, stops every process by PID.
      const setup = new AbortController();
      let stopping: Promise<void> | null = null;
      const stopAll = (): Promise<void> =>
        (stopping ??= (async () => {
          setup.abort(new Error('the demo is stopping'));
          const down = await runLab(['down', '--dir', labDir]).catch((err: unknown) => ({ exitCode: -1, error: (err as Error).message }));
          if (down.exitCode !== 0) log.error({ down }, 'lab down failed');
          await controller.close();
        })());
      const stopped = new Promise<void>((done) => {
        const stop = (signal: NodeJS.Signals): void => {
          log.info({ signal }, 'stopping the demo');
          void stopAll().then(done);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      if (pool === null) {
        const summary = demoSummary(controller.url, description, admin, fingerprint ?? null);
        process.stdout.write(flags.json === true ? `${JSON.stringify(summary)}\n` : humanSummary(summary));
      } else {
        let set: DemoPool;
        try {
          set = await setUpDemoPool({ controllerUrl: controller.url, admin, clusterName: labPoolName, shape: pool, registeredTimeoutMs: poolRegisteredTimeoutMs, signal: setup.signal });
        } catch (err) {
          // Stopped by a signal meanwhile: the stop in progress ends the demo; otherwise the setup failed.
          if (setup.signal.aborted) return await stopped.then(() => logger.close());
          await stopAll();
          await logger.close();
          throw err;
        }
        const summary = poolDemoSummary(controller.url, description, admin, pool, set);
        process.stdout.write(flags.json === true ? `${JSON.stringify(summary)}\n` : humanPoolSummary(summary));
      }
      await stopped;
      await logger.close();
    });
}

/** What the demo reads of `lab up --json`. */
type LabDescription = {
  dir: string;
  credentials: { username: string; password: string };
  control: { url: string; pid: number };
  cameraHub: { url: string; pid: number };
  managementServer: { url: string; tokenUrl: string; pid: number };
  eventServer?: { pid: number | null };
};

/** The controller's and the lab's own endpoints, as both demos print them. */
function labEndpoints(controllerUrl: string, lab: LabDescription, controllerFingerprint: string | null): Record<string, unknown> {
  return {
    // fingerprint256: the SHA-256 of the controller's HTTPS certificate (null over plain HTTP).
    controller: { url: controllerUrl, console: `${controllerUrl}/`, api: `${controllerUrl}/api/v1`, openapi: `${controllerUrl}/api/v1/openapi.json`, fingerprint256: controllerFingerprint },
    managementServer: { url: lab.managementServer.url, tokenUrl: lab.managementServer.tokenUrl },
    cameraHub: lab.cameraHub.url,
    labControl: lab.control.url,
  };
}

/** The pids of the controller (this process) and of the lab's own processes. */
function labPids(lab: LabDescription): Record<string, number | null> {
  return { controller: process.pid, labControl: lab.control.pid, cameraHub: lab.cameraHub.pid, managementServer: lab.managementServer.pid, eventServer: lab.eventServer?.pid ?? null };
}

interface LabPair {
  recorderId: string;
  cluster: { name: string; sharedAddress: { host: string; port: number }; secretFile: string; relay: { pid: number | null; controlUrl: string; fingerprint?: string | null } };
  recorders: Array<{ name: string; pid: number | null; webServerUri: string; certificateFingerprint?: string | null; agent: { name: string; pid: number | null; apiUrl: string; fingerprint?: string | null } }>;
}

export interface DemoSummary {
  /** Always true: agents may create their cluster by registering (agents.trustOnFirstUse). */
  readonly trustOnFirstUse: true;
  readonly endpoints: Record<string, unknown>;
  readonly pids: Record<string, unknown>;
  readonly credentials: Record<string, unknown>;
  readonly labDir: string;
}

/**
 * The demo's admin password: generated at the first start and kept in the data folder (mode
 * 0600), so that a restarted demo prints the password its database already holds.
 */
async function demoAdminPassword(dataDir: string): Promise<string> {
  const { generatePassword } = await import('../api/src/auth/password.js');
  const file = join(dataDir, 'demo-admin-password');
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 12) return kept;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const password = generatePassword();
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

function demoSummary(controllerUrl: string, d: Record<string, unknown>, admin: { username: string; password: string }, controllerFingerprint: string | null): DemoSummary {
  const lab = d as LabDescription & { pairs: LabPair[] };
  return {
    trustOnFirstUse: true,
    labDir: lab.dir,
    endpoints: {
      ...labEndpoints(controllerUrl, lab, controllerFingerprint),
      clusters: lab.pairs.map((p) => ({
        name: p.cluster.name,
        recorderId: p.recorderId,
        sharedAddress: `${p.cluster.sharedAddress.host}:${p.cluster.sharedAddress.port}`,
        relayControl: p.cluster.relay.controlUrl,
        relayControlFingerprint: p.cluster.relay.fingerprint ?? null,
        nodes: p.recorders.map((r) => ({ node: r.name, webServerUri: r.webServerUri, webServerFingerprint: r.certificateFingerprint ?? null, agentApi: r.agent.apiUrl, agentApiFingerprint: r.agent.fingerprint ?? null })),
      })),
    },
    pids: {
      ...labPids(lab),
      clusters: lab.pairs.map((p) => ({ name: p.cluster.name, relay: p.cluster.relay.pid, nodes: Object.fromEntries(p.recorders.map((r) => [r.name, { recorder: r.pid, agent: r.agent.pid }])) })),
    },
    credentials: {
      console: { username: admin.username, password: admin.password },
      managementServer: { username: lab.credentials.username, password: lab.credentials.password },
      clusters: lab.pairs.map((p) => ({ name: p.cluster.name, secretFile: p.cluster.secretFile })),
    },
  };
}

function humanSummary(s: DemoSummary): string {
  const clusters = (s.endpoints.clusters as Array<{ name: string; sharedAddress: string; nodes: Array<{ node: string; agentApi: string }> }>)
    .map((c) => `  ${c.name}: shared address ${c.sharedAddress}; nodes ${c.nodes.map((n) => `${n.node} (agent ${n.agentApi})`).join(', ')}`)
    .join('\n');
  const ms = s.credentials.managementServer as { username: string; password: string };
  const admin = s.credentials.console as { username: string; password: string };
  const controller = s.endpoints.controller as { console: string; api: string; openapi: string; fingerprint256: string | null };
  const certificate = controller.fingerprint256 === null ? '' : `\n  HTTPS certificate SHA-256: ${controller.fingerprint256}   (self-signed: the browser asks you to accept it; compare this fingerprint, or download it from the console)`;
  return `twinrec demo is running.

  Console: ${controller.console}   (sign in as ${admin.username} / ${admin.password})${certificate}
  REST API: ${controller.api}   (OpenAPI: ${controller.openapi}; sign in, or send an API token from POST /api/v1/tokens)
${clusters}
  Management server login (lab): ${ms.username} / ${ms.password}
  Lab folder: ${s.labDir}   (logs in ${s.labDir}/logs)
  Agents: trust on first use is on (agents.trustOnFirstUse): an agent that registers may create its cluster,
    with the secret it presents. Outside the demo it is off: an admin sets each cluster's secret first
    (PUT /api/v1/clusters/{clusterId}/agent-secret).

Press Ctrl-C to stop every process.
`;
}

interface LabPoolServer {
  role: 'protected' | 'failover';
  recorderId: string;
  cameraIds: string[];
  cluster?: LabPair['cluster'];
  recorders: LabPair['recorders'];
}

export interface PoolDemoSummary extends DemoSummary {
  readonly pool: { readonly protected: number; readonly standbys: number; readonly clusterId: string; readonly failoverGroup: { readonly id: string; readonly name: string }; readonly policy: typeof demoPoolSettings };
}

/**
 * The pool demo's document: as the pair's, with the pool (its cluster id, the failover group the
 * demo made, the policy it set), each protected server with its shared address and relay, and
 * each standby; pids by recording server.
 */
function poolDemoSummary(controllerUrl: string, d: Record<string, unknown>, admin: { username: string; password: string }, shape: PoolShape, set: DemoPool): PoolDemoSummary {
  const lab = d as LabDescription & { pairs: LabPoolServer[] };
  const servers = lab.pairs.filter((p) => p.role === 'protected');
  const standbys = lab.pairs.filter((p) => p.role === 'failover');
  const node = (p: LabPoolServer) => {
    const r = p.recorders[0];
    return { node: r?.name ?? '', recorderId: p.recorderId, cameras: p.cameraIds.length, webServerUri: r?.webServerUri ?? '', agentApi: r?.agent.apiUrl ?? '' };
  };
  const pidsOf = (p: LabPoolServer) => Object.fromEntries(p.recorders.map((r) => [r.name, { recorder: r.pid, agent: r.agent.pid, ...(p.cluster === undefined ? {} : { relay: p.cluster.relay.pid }) }]));
  return {
    trustOnFirstUse: true,
    labDir: lab.dir,
    pool: { ...shape, clusterId: set.clusterId, failoverGroup: set.failoverGroup, policy: demoPoolSettings },
    endpoints: {
      ...labEndpoints(controllerUrl, lab, null),
      pool: {
        name: labPoolName,
        view: `${controllerUrl}/api/v1/clusters/${set.clusterId}/pool`,
        protectedServers: servers.map((p) => ({ ...node(p), sharedAddress: p.cluster === undefined ? null : `${p.cluster.sharedAddress.host}:${p.cluster.sharedAddress.port}`, relayControl: p.cluster?.relay.controlUrl ?? null })),
        standbys: standbys.map(node),
      },
    },
    pids: {
      ...labPids(lab),
      pool: Object.assign({}, ...lab.pairs.map(pidsOf)) as Record<string, { recorder: number | null; agent: number | null; relay?: number | null }>,
    },
    credentials: {
      console: { username: admin.username, password: admin.password },
      managementServer: { username: lab.credentials.username, password: lab.credentials.password },
      clusters: [{ name: labPoolName, secretFile: servers[0]?.cluster?.secretFile ?? null }],
    },
  };
}

function humanPoolSummary(s: PoolDemoSummary): string {
  const pool = s.endpoints.pool as { view: string; protectedServers: Array<{ node: string; cameras: number; sharedAddress: string | null; agentApi: string }>; standbys: Array<{ node: string; agentApi: string }> };
  const ms = s.credentials.managementServer as { username: string; password: string };
  const admin = s.credentials.console as { username: string; password: string };
  const controller = s.endpoints.controller as { console: string; api: string; openapi: string };
  const first = pool.protectedServers[0]?.node ?? 'recorder-p1';
  const standby = pool.standbys[0]?.node ?? 'failover-1';
  return `twinrec demo is running: a failover pool of ${s.pool.protected} protected recording server(s) and ${s.pool.standbys} standby(s).

  Console: ${controller.console}   (sign in as ${admin.username} / ${admin.password}; open the cluster ${labPoolName}: its pool view)
  REST API: ${controller.api}   (OpenAPI: ${controller.openapi}); the pool: ${pool.view}
${pool.protectedServers.map((p) => `  ${p.node}: ${p.cameras} camera(s), shared address ${p.sharedAddress ?? '(none)'} (agent ${p.agentApi})`).join('\n')}
${pool.standbys.map((p) => `  ${p.node}: standby in "${s.pool.failoverGroup.name}" (agent ${p.agentApi})`).join('\n')}
  Pool policy: failover ${s.pool.policy.failover} after ${s.pool.policy.triggers.disconnectedSeconds} s without a report, stop ${s.pool.policy.stopFailover} after ${s.pool.policy.holdDownSeconds} s healthy.
  Management server login (lab): ${ms.username} / ${ms.password}
  Lab folder: ${s.labDir}   (logs in ${s.labDir}/logs)
  Agents: trust on first use is on (agents.trustOnFirstUse): the pool's agents created it by registering.

${poolWalkthrough(s.labDir, first, standby)}
Press Ctrl-C to stop every process.
`;
}
