// `twinrec demo` (also `npm start`): the whole product on one machine. It starts the
// controller, then a lab with one cloned pair of 8 cameras, its two agents and its relay,
// all registered with the controller, and prints where everything is, with the console's
// admin login. Ctrl-C stops every process it started, by PID. It turns agents.trustOnFirstUse
// on, and says so: its agents create their cluster by registering, with the secret the lab
// wrote, where a real site has an admin set the secret first.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { addConfigFlags, configFromFlags, type ControllerFlags } from '../api/src/cli/options.js';
import { CliError, exitCodes } from '../shared/exit-codes.js';
import { runLab } from './lab-program.js';

interface DemoFlags extends ControllerFlags {
  cameras: string;
  profile: string;
  labDir?: string;
  json?: boolean;
  encrypted?: boolean;
}

export function registerDemoCommand(program: Command): void {
  const demo = program.command('demo').description('Start the controller, a lab with one cloned pair of 8 cameras, its agents and relay (npm start)');
  addConfigFlags(demo, true)
    .option('--cameras <n>', 'cameras of the pair', '8')
    .option('--profile <profile>', 'failover profile of the agents: conservative or fast', 'conservative')
    .option('--lab-dir <dir>', 'lab folder (default: <data dir>/demo-lab)')
    .option('--json', 'print one JSON document (endpoints, pids by node, credentials) instead of a summary')
    .option('--encrypted', "encrypted mode: the controller over HTTPS (its certificate generated in the data folder), the agents' and relay's APIs over TLS, the recorders' web servers HTTPS only; each link pins the other side's certificate")
    .addHelpText('after', `
Everything listens on 127.0.0.1. Ctrl-C (or SIGTERM) stops every process the demo started.

Examples:
  $ npm start
  $ twinrec demo --port 8740 --data-dir ./data --json
  $ twinrec demo --profile fast --cameras 16
  $ twinrec demo --encrypted`)
    .action(async (flags: DemoFlags) => {
      const cameras = Number(flags.cameras);
      if (!Number.isInteger(cameras) || cameras < 1 || cameras > 256) throw new CliError('--cameras: expected a whole number from 1 to 256');
      if (flags.profile !== 'conservative' && flags.profile !== 'fast') throw new CliError('--profile: expected conservative or fast');
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
        // The lab through its own CLI, as a user starts it: one pair, its relay and agents.
        const up = await runLab(
          ['up', '--dir', labDir, '--pairs', '1', '--cameras', String(cameras), '--fps', '10', '--bitrate-kbps', '256', '--resolution', '640x360', '--codec', 'JPEG', '--block-duration-ms', '10000', '--retain-minutes', '1440', '--max-size-mb', '1024', '--token-lifetime-seconds', '3600', '--ready-timeout-ms', '180000', '--with-agents', '--controller', controller.url, '--agent-profile', flags.profile, '--json', ...(flags.encrypted === true ? ['--encrypted'] : []), ...(fingerprint === undefined ? [] : ['--controller-fingerprint', fingerprint])],
          { captureStdout: true },
        );
        if (up.exitCode !== 0) throw new CliError(`the lab did not start (twinrec lab up exited with ${up.exitCode}; its reason is above)`, exitCodes.failure);
        description = JSON.parse(up.stdout) as Record<string, unknown>;
      } catch (err) {
        await controller.close();
        throw err;
      }
      const summary = demoSummary(controller.url, description, admin, fingerprint ?? null);
      process.stdout.write(flags.json === true ? `${JSON.stringify(summary)}\n` : humanSummary(summary));

      await new Promise<void>((done) => {
        const stop = (signal: NodeJS.Signals): void => {
          log.info({ signal }, 'stopping the demo');
          void (async () => {
            const down = await runLab(['down', '--dir', labDir]).catch((err: unknown) => ({ exitCode: -1, error: (err as Error).message }));
            if (down.exitCode !== 0) log.error({ down }, 'lab down failed');
            await controller.close();
            done();
          })();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await logger.close();
    });
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
  const lab = d as { dir: string; credentials: { username: string; password: string }; control: { url: string; pid: number }; cameraHub: { url: string; pid: number }; managementServer: { url: string; tokenUrl: string; pid: number }; pairs: LabPair[] };
  return {
    trustOnFirstUse: true,
    labDir: lab.dir,
    endpoints: {
      // fingerprint256: the SHA-256 of the controller's HTTPS certificate (null over plain HTTP).
      controller: { url: controllerUrl, console: `${controllerUrl}/`, api: `${controllerUrl}/api/v1`, openapi: `${controllerUrl}/api/v1/openapi.json`, fingerprint256: controllerFingerprint },
      managementServer: { url: lab.managementServer.url, tokenUrl: lab.managementServer.tokenUrl },
      cameraHub: lab.cameraHub.url,
      labControl: lab.control.url,
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
      controller: process.pid,
      labControl: lab.control.pid,
      cameraHub: lab.cameraHub.pid,
      managementServer: lab.managementServer.pid,
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
