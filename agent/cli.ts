// `twinrec agent` (one per recording-server host) and `twinrec relay` (the relay serving
// endpoint, one per cluster).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError, exitCodes } from '../shared/exit-codes.js';

function hostPort(flag: string, value: string): { host: string; port: number } {
  const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
  if (match === null || Number(match[2]) > 65535) throw new CliError(`${flag}: expected HOST:PORT, got ${JSON.stringify(value)}`);
  return { host: (match[1] as string).replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}

export function registerAgentCommands(program: Command): void {
  program
    .command('agent')
    .description('Run the agent of one recording-server host: health, heartbeats, the Serving decision, config sync')
    .requiredOption('--config <file>', 'agent configuration (JSON or YAML); see agent/README.md')
    .option('--log-level <level>', 'fatal, error, warn, info, debug or trace (overrides log.level)')
    .addHelpText('after', `
When ready it prints {"event":"listening","component":"agent","api":"…","fingerprint":"AB:…","heartbeatPort":…,"pid":…}
on stdout (fingerprint: the API certificate's SHA-256, null over plain HTTP) and logs JSON lines on stderr. SIGINT/SIGTERM stop it; the recorder keeps running.

Examples:
  $ twinrec agent --config /etc/twinrec/agent.yaml
  $ TWINREC_AGENT_RECORDER_PASSWORD=… twinrec agent --config agent.json --log-level debug`)
    .action(async (flags: { config: string; logLevel?: string }) => {
      const { loadAgentFile, AgentConfigError } = await import('./config/agent-config.js');
      let config;
      try {
        config = loadAgentFile(flags.config);
      } catch (err) {
        if (err instanceof AgentConfigError) throw new CliError(err.message);
        throw err;
      }
      const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
      if (flags.logLevel !== undefined && !levels.includes(flags.logLevel)) throw new CliError(`--log-level: expected one of ${levels.join(', ')}`);
      const pino = (await import('pino')).default;
      const logFile = config.log.file === undefined ? null : await (await import('../shared/log-file.js')).openLogFile(config.log.file);
      const stderr = pino.destination(2);
      const log = pino({ name: 'twinrec-agent', level: flags.logLevel ?? config.log.level, base: { pid: process.pid, node: config.node.id } }, logFile === null ? stderr : pino.multistream([{ stream: stderr, level: 'trace' }, { stream: logFile.stream, level: 'trace' }]));
      const { startAgent } = await import('./shell/agent.js');
      let agent;
      try {
        agent = await startAgent(config, log);
      } catch (err) {
        // A start that failed half-way (a port in use, say) may have sockets and timers open
        // that would keep the process alive: report and exit instead of hanging.
        console.error(`twinrec: ${err instanceof Error ? err.message : String(err)}`);
        log.flush();
        process.exit(err instanceof AgentConfigError ? exitCodes.usage : exitCodes.failure);
      }
      process.stdout.write(`${JSON.stringify({ event: 'listening', component: 'agent', node: config.node.id, api: agent.apiUrl, fingerprint: agent.apiFingerprint, heartbeatPort: agent.heartbeatPort, pid: process.pid })}\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => void agent.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      log.flush();
      await logFile?.close();
    });

  program
    .command('relay')
    .description("Run the relay serving endpoint: forwards the cluster's shared address to the Serving node")
    .requiredOption('--listen <host:port>', "the cluster's shared address, where clients connect")
    .requiredOption('--control <host:port>', 'address of the control API the agents claim through (keep it on a management network)')
    .requiredOption('--secret-file <file>', 'file holding the per-cluster secret the agents present as a Bearer token')
    .option('--state-file <file>', 'where the highest epoch is kept across restarts (recommended)')
    .option('--max-connections <n>', 'most client connections relayed at once (default 1024)')
    .option('--tls', 'HTTPS on the control API even on a loopback address (the default beyond loopback)')
    .option('--tls-cert <file>', 'the control API certificate (PEM), made there at first start with --tls-key if both are missing (default: relay-control.crt beside --state-file)')
    .option('--tls-key <file>', 'its private key (PEM, default: relay-control.key beside --state-file)')
    .option('--insecure-plain-http', 'plain HTTP on a control address beyond loopback: the cluster secret then crosses the network in clear')
    .addHelpText('after', `
When ready it prints {"event":"listening","listen":"…","control":"…","fingerprint":"AB:CD:…"} on
stdout: the control API certificate's SHA-256 fingerprint (null over plain HTTP), which each
agent pins (agent.yaml servingEndpoint.fingerprint).

Examples:
  $ twinrec relay --listen 127.0.0.1:7563 --control 127.0.0.1:8750 --secret-file /etc/twinrec/cluster.secret
  $ twinrec relay --listen 0.0.0.0:7563 --control 10.0.0.5:8750 --secret-file s.txt --state-file /var/lib/twinrec/relay.json`)
    .action(async (flags: { listen: string; control: string; secretFile: string; stateFile?: string; maxConnections?: string; tls?: boolean; tlsCert?: string; tlsKey?: string; insecurePlainHttp?: boolean }) => {
      const listen = hostPort('--listen', flags.listen);
      const control = hostPort('--control', flags.control);
      const { relayControlTls } = await import('./endpoint/relay-tls.js');
      let tls;
      try {
        tls = await relayControlTls({ controlHost: control.host, forceTls: flags.tls === true, certFile: flags.tlsCert, keyFile: flags.tlsKey, stateFile: flags.stateFile, insecurePlainHttp: flags.insecurePlainHttp === true });
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      let secret: string;
      try {
        secret = readFileSync(flags.secretFile, 'utf8').trim();
      } catch (err) {
        throw new CliError(`--secret-file: cannot read ${flags.secretFile} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      if (secret.length < 16) throw new CliError('--secret-file: the secret must be at least 16 characters');
      const maxConnections = flags.maxConnections === undefined ? 1024 : Number(flags.maxConnections);
      if (!Number.isInteger(maxConnections) || maxConnections < 1 || maxConnections > 100_000) throw new CliError('--max-connections: expected a whole number from 1 to 100000');
      const pino = (await import('pino')).default;
      const { startRelay } = await import('./endpoint/relay-server.js');
      const log = pino({ name: 'twinrec-relay' }, pino.destination(2));
      if (tls === null && flags.insecurePlainHttp === true) log.warn({ control: flags.control }, 'the control API speaks plain HTTP beyond loopback (--insecure-plain-http): the cluster secret crosses the network in clear');
      const relay = await startRelay({ listenHost: listen.host, listenPort: listen.port, controlHost: control.host, controlPort: control.port, secret, stateFile: flags.stateFile, maxConnections, tls, log });
      process.stdout.write(`${JSON.stringify({ event: 'listening', listen: `${listen.host}:${relay.listenPort}`, control: relay.controlUrl, fingerprint: tls?.fingerprint256 ?? null })}\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => void relay.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
