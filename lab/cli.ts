import { InvalidArgumentError, type Command } from 'commander';
import { CliError, exitCodes } from '../shared/exit-codes.js';

/**
 * `twinrec lab …`: the XProtect stand-in. Component commands (cameras, management, recorder,
 * control) run one lab process each; up/down/status/fault manage a whole lab. Modules are
 * imported inside the actions so that `twinrec --help` stays fast.
 */

const DEFAULT_DIR = './twinrec-lab';

function integer(min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    return n;
  };
}

function port(value: string): number {
  return integer(0, 65535)(value);
}

/** `--controller`: an absolute http:// or https:// URL. */
function controllerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('must be an http:// or https:// URL, such as http://127.0.0.1:8740');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`must be an http:// or https:// URL, not ${url.protocol}`);
  return value.replace(/\/+$/, '');
}

function agentProfile(value: string): 'conservative' | 'fast' {
  if (value !== 'conservative' && value !== 'fast') throw new InvalidArgumentError('must be conservative or fast');
  return value;
}

function vmsBridge(value: string): 'native' | 'edge' {
  if (value !== 'native' && value !== 'edge') throw new InvalidArgumentError('must be native or edge');
  return value;
}

/** `--pool P:S`: protected recording servers and standbys (lab/up.ts bounds them, with a usage error). */
function poolShape(value: string): { protected: number; standbys: number } {
  const match = /^([0-9]{1,3}):([0-9]{1,3})$/.exec(value);
  if (match === null) throw new InvalidArgumentError('must be P:S, protected recording servers and standbys, such as 3:1');
  return { protected: Number(match[1]), standbys: Number(match[2]) };
}

/** A repeatable `<recorder>=<value>` option, collected into a map (the last one for a recorder wins). */
function perRecorder(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const match = /^(recorder-[0-9]+[ab])=(.+)$/.exec(value);
  if (match === null) throw new InvalidArgumentError('must be <recorder>=<value>, such as recorder-1a=10.213.0.14');
  return { ...previous, [match[1] as string]: match[2] as string };
}

/** The agents' networks from --agent-netns, --agent-host and --agent-heartbeat-host, by recorder name. */
function agentNetworks(opts: { agentNetns?: Record<string, string>; agentHost?: Record<string, string>; agentHeartbeatHost?: Record<string, string> }): Record<string, { netns?: string; apiHost?: string; heartbeatHost?: string }> {
  const names = new Set([...Object.keys(opts.agentNetns ?? {}), ...Object.keys(opts.agentHost ?? {}), ...Object.keys(opts.agentHeartbeatHost ?? {})]);
  const networks: Record<string, { netns?: string; apiHost?: string; heartbeatHost?: string }> = {};
  for (const name of names) {
    const netns = opts.agentNetns?.[name];
    const apiHost = opts.agentHost?.[name];
    const heartbeatHost = opts.agentHeartbeatHost?.[name];
    networks[name] = { ...(netns === undefined ? {} : { netns }), ...(apiHost === undefined ? {} : { apiHost }), ...(heartbeatHost === undefined ? {} : { heartbeatHost }) };
  }
  return networks;
}

function print(value: unknown, json: boolean): void {
  process.stdout.write(`${json ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`);
}

async function controlRequest(dir: string, path: string, body: unknown): Promise<unknown> {
  const { readLabState } = await import('./state.js');
  let state;
  try {
    state = await readLabState(dir);
  } catch {
    throw new CliError(`no lab in ${dir}; start one with: twinrec lab up --dir ${dir}`);
  }
  let res: Response;
  try {
    res = await fetch(`${state.controlUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(90_000) });
  } catch (err) {
    throw new CliError(`the lab's control process at ${state.controlUrl} did not answer (${(err as Error).message}); is the lab running?`, exitCodes.failure);
  }
  const text = await res.text();
  const parsed = text.length > 0 ? (JSON.parse(text) as unknown) : {};
  if (!res.ok) {
    const detail = (parsed as { detail?: unknown }).detail;
    throw new CliError(`fault refused (${res.status}): ${typeof detail === 'string' ? detail : text}`, res.status >= 500 ? exitCodes.failure : exitCodes.usage);
  }
  return parsed;
}

export function registerLabCommands(program: Command): void {
  const lab = program
    .command('lab')
    .description('XProtect stand-in: camera hub, management server, recording servers and fault injection')
    .addHelpText(
      'after',
      `
Examples:
  $ twinrec lab up --pairs 1 --cameras 4            start a lab in ./twinrec-lab, print its description
  $ twinrec lab status                              what is running, with pids and endpoints
  $ twinrec lab fault crash recorder-1a             SIGKILL one recorder
  $ twinrec lab fault start recorder-1a             start it again (service start)
  $ twinrec lab up --with-agents                    also a relay and two twinrec agents per pair
  $ twinrec lab down                                stop everything, by pid`,
    );

  lab
    .command('up')
    .description('Start a lab: camera hub, management server and two recorders per pair (each pair shares one recorder id, as in server cloning)')
    .option('--pairs <n>', 'recorder pairs (recording server ids)', integer(1, 16), 1)
    .option('--pool <P:S>', 'a failover pool instead of pairs: P protected recording servers (--cameras each) and S failover recording servers without cameras, each with its own recorder id', poolShape)
    .option('--cameras <n>', 'cameras per pair', integer(1, 256), 4)
    .option('--dir <path>', 'lab folder: state, configs, storage and logs', DEFAULT_DIR)
    .option('--fps <n>', 'frames per second of every camera', integer(1, 60), 10)
    .option('--bitrate-kbps <n>', 'camera bit rate in kbit/s (sets the frame size)', integer(8, 100_000), 256)
    .option('--resolution <WxH>', 'camera resolution', '640x360')
    .option('--codec <label>', 'codec label reported as VideoFormat', 'JPEG')
    .option('--block-duration-ms <n>', 'storage block length in ms', integer(500, 3_600_000), 10_000)
    .option('--retain-minutes <n>', 'storage retention in minutes', integer(1, 525_600_000), 1440)
    .option('--max-size-mb <n>', 'storage maximum size in MB', integer(1, 100_000_000), 1024)
    .option('--token-lifetime-seconds <n>', 'lifetime of IDP bearer tokens', integer(1, 86_400), 3600)
    .option('--vms-token-lifetime-seconds <n>', 'lifetime of the VMS tokens ServerCommandServiceOAuth Login issues (default 14400: 4 h, as XProtect)', integer(2, 86_400))
    .option('--no-fsync', 'do not fsync blocks and index records when a block is sealed')
    .option('--max-queue-bytes <n>', 'write queue bound of each recorder; frames beyond it are dropped (overflow)', integer(1024, 2_000_000_000))
    .option('--ready-timeout-ms <n>', 'how long to wait for the lab to start', integer(1000, 600_000), 180_000)
    .option('--with-agents', "also start, per pair, a relay on the cluster's shared address and one twinrec agent per recorder (with --pool: a relay per protected server and a pool agent per recorder; needs --controller)")
    .option('--controller <url>', 'controller the agents register with and report to (http:// or https://; needs --with-agents; default: none, the agents use the TCP witness)', controllerUrl)
    .option('--agent-profile <profile>', 'failover profile of the agents: conservative (default) or fast (needs --with-agents)', agentProfile)
    .option('--agent-failover-cap <n>', 'automatic failovers allowed per hour per agent (default 3; benchmarks raise it; needs --with-agents)', integer(1, 1000))
    .option('--agent-secondary-retain-minutes <n>', "the second agent of each pair keeps a smaller storage: its retention in minutes (default: --retain-minutes; needs --with-agents)", integer(1, 525_600_000))
    .option('--agent-vms-bridge <bridge>', "the agents' vms.bridge: native (default) or edge, the recorder probe through Twinrec.Bridge and edge-js (build it first: plugin-host/README.md; needs --with-agents)", vmsBridge)
    .option('--agent-tls', "the agents' APIs and the relays' control APIs over TLS on loopback too, each with its own pinned certificate (needs --with-agents)")
    .option('--encrypted', "encrypted mode: every recorder's web server speaks HTTPS (and ImageServer TLS) only, with its own certificate the agents pin; with --with-agents also --agent-tls")
    .option('--controller-fingerprint <sha256>', "the SHA-256 of an https controller's certificate, for the agents to pin (needs --controller)")
    .option('--host <address>', 'IP address every lab process listens on (default 127.0.0.1); another one must exist already, e.g. on a veth a test made')
    .option('--agent-netns <recorder=netns>', "run that recorder's agent in a network namespace (ip netns exec, as root); its API then listens on all the namespace's addresses (repeatable; needs --with-agents)", perRecorder)
    .option('--agent-host <recorder=address>', "where that recorder's agent API is reached (default: --host; repeatable; needs --with-agents)", perRecorder)
    .option('--agent-heartbeat-host <recorder=address>', "where that agent binds its heartbeats and its peer reaches it (default: its --agent-host; another address needs --agent-netns; repeatable)", perRecorder)
    .option('--json', 'print the description on one line (default: indented)')
    .addHelpText(
      'after',
      `
Prints one JSON document: every endpoint, pid, storage folder, RecorderConfig.xml path and
the lab's login credentials. State lives under --dir; stop the lab with "twinrec lab down".

With --with-agents, each pair is a twinrec cluster: "cluster" (name, shared address, secret
file, relay) per pair and "agent" (api URL, heartbeat port, config and log paths) per
recorder are added. recorder-Na is rank 0, the preferred node and the config sync source.
The lab's agents run with test fault injection enabled (heartbeat drop).

Examples:
  $ twinrec lab up
  $ twinrec lab up --pairs 2 --cameras 8 --dir /tmp/lab --json
  $ twinrec lab up --pool 3:1 --cameras 4           a pool: recorder-p1…p3 protected, failover-1 standby
  $ twinrec lab up --cameras 32 --fps 25 --bitrate-kbps 512 --block-duration-ms 5000
  $ twinrec lab up --with-agents --agent-profile fast
  $ twinrec lab up --with-agents --agent-vms-bridge edge
  $ twinrec lab up --with-agents --controller http://127.0.0.1:8740
  $ twinrec lab up --with-agents --host 10.213.0.1 --agent-netns recorder-1a=ns-a \\
      --agent-host recorder-1a=10.213.0.14 --agent-heartbeat-host recorder-1a=10.213.0.21`,
    )
    .action(async (opts: { pairs: number; cameras: number; dir: string; fps: number; bitrateKbps: number; resolution: string; codec: string; blockDurationMs: number; retainMinutes: number; maxSizeMb: number; tokenLifetimeSeconds: number; vmsTokenLifetimeSeconds?: number; fsync: boolean; readyTimeoutMs: number; maxQueueBytes?: number; withAgents?: boolean; controller?: string; agentProfile?: 'conservative' | 'fast'; agentFailoverCap?: number; agentSecondaryRetainMinutes?: number; agentVmsBridge?: 'native' | 'edge'; agentTls?: boolean; encrypted?: boolean; controllerFingerprint?: string; host?: string; agentNetns?: Record<string, string>; agentHost?: Record<string, string>; agentHeartbeatHost?: Record<string, string>; pool?: { protected: number; standbys: number }; json?: boolean }) => {
      if (opts.controllerFingerprint !== undefined && opts.controller === undefined) throw new CliError('--controller-fingerprint needs --controller');
      if (opts.controller?.startsWith('https:') === true && opts.controllerFingerprint === undefined) throw new CliError('--controller is https: give its certificate\'s SHA-256 with --controller-fingerprint (the agents pin it)');
      if (opts.withAgents !== true && opts.agentTls === true) throw new CliError('--agent-tls needs --with-agents');
      if (opts.withAgents !== true && (opts.controller !== undefined || opts.agentProfile !== undefined || opts.agentFailoverCap !== undefined || opts.agentSecondaryRetainMinutes !== undefined || opts.agentVmsBridge !== undefined)) throw new CliError('--controller, --agent-profile, --agent-failover-cap, --agent-secondary-retain-minutes and --agent-vms-bridge need --with-agents');
      const { parseResolution } = await import('./cameras/camera.js');
      const { labUp } = await import('./up.js');
      let resolution;
      try {
        resolution = parseResolution(opts.resolution);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      const description = await labUp({
        dir: opts.dir,
        pairs: opts.pairs,
        ...(opts.pool === undefined ? {} : { pool: opts.pool }),
        cameras: opts.cameras,
        fps: opts.fps,
        bitrateBps: opts.bitrateKbps * 1000,
        width: resolution.width,
        height: resolution.height,
        codec: opts.codec,
        blockDurationMs: opts.blockDurationMs,
        retainMinutes: opts.retainMinutes,
        maxSizeMb: opts.maxSizeMb,
        tokenLifetimeSeconds: opts.tokenLifetimeSeconds,
        ...(opts.vmsTokenLifetimeSeconds === undefined ? {} : { vmsTokenLifetimeSeconds: opts.vmsTokenLifetimeSeconds }),
        fsync: opts.fsync,
        readyTimeoutMs: opts.readyTimeoutMs,
        ...(opts.maxQueueBytes === undefined ? {} : { maxQueueBytes: opts.maxQueueBytes }),
        ...(opts.withAgents === true ? { withAgents: true } : {}),
        ...(opts.controller === undefined ? {} : { controllerUrl: opts.controller }),
        ...(opts.agentProfile === undefined ? {} : { agentProfile: opts.agentProfile }),
        ...(opts.agentFailoverCap === undefined ? {} : { agentFailoverCap: opts.agentFailoverCap }),
        ...(opts.agentSecondaryRetainMinutes === undefined ? {} : { agentSecondaryRetainMinutes: opts.agentSecondaryRetainMinutes }),
        ...(opts.agentVmsBridge === undefined ? {} : { agentVmsBridge: opts.agentVmsBridge }),
        ...(opts.agentTls === true || (opts.encrypted === true && opts.withAgents === true) ? { agentTls: true } : {}),
        ...(opts.encrypted === true ? { encryptedRecorders: true } : {}),
        ...(opts.controllerFingerprint === undefined ? {} : { controllerFingerprint: opts.controllerFingerprint }),
        ...(opts.host === undefined ? {} : { host: opts.host }),
        agentNetworks: agentNetworks(opts),
      });
      print(description, opts.json === true);
    });

  lab
    .command('down')
    .description('Stop every process of a lab, by pid')
    .option('--dir <path>', 'lab folder', DEFAULT_DIR)
    .option('--json', 'print the result on one line')
    .addHelpText('after', `
Examples:
  $ twinrec lab down
  $ twinrec lab down --dir /tmp/lab`)
    .action(async (opts: { dir: string; json?: boolean }) => {
      const { labDown } = await import('./up.js');
      try {
        print(await labDown(opts.dir), opts.json === true);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
    });

  lab
    .command('status')
    .description('Describe a lab: processes with pids and status, endpoints, credentials')
    .option('--dir <path>', 'lab folder', DEFAULT_DIR)
    .option('--json', 'print on one line')
    .addHelpText('after', `
Examples:
  $ twinrec lab status
  $ twinrec lab status --dir /tmp/lab --json`)
    .action(async (opts: { dir: string; json?: boolean }) => {
      const { labStatus } = await import('./up.js');
      try {
        print(await labStatus(opts.dir), opts.json === true);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
    });

  registerFaultCommands(lab);
  registerComponentCommands(lab);
}

function registerFaultCommands(lab: Command): void {
  const fault = lab
    .command('fault')
    .description('Inject or lift a fault in a running lab (through its control API)')
    .addHelpText(
      'after',
      `
Examples:
  $ twinrec lab fault crash recorder-1a                 SIGKILL
  $ twinrec lab fault hang recorder-1b                  SIGSTOP (resume with "resume")
  $ twinrec lab fault stop recorder-1a                  service stop (SIGTERM); "start" starts it again
  $ twinrec lab fault crash agent-recorder-1a           also agents and relays (lab up --with-agents)
  $ twinrec lab fault storage recorder-1a offline       offline | full | slow | online
  $ twinrec lab fault camera recorder-1a all disconnect disconnect | reconnect | drop
  $ twinrec lab fault management down                   down | up`,
    );
  for (const [action, text] of [
    ['crash', 'kill a lab process with SIGKILL'],
    ['hang', 'freeze a lab process with SIGSTOP'],
    ['resume', 'continue a hung process with SIGCONT'],
    ['stop', 'stop a lab process (service stop, SIGTERM)'],
    ['start', 'start a stopped or crashed lab process (service start)'],
  ] as const) {
    fault
      .command(`${action} <process>`)
      .description(`${text}; <process> is a process name such as recorder-1a, agent-recorder-1a, relay-pair-1, cameras or management`)
      .option('--dir <path>', 'lab folder', DEFAULT_DIR)
      .addHelpText('after', `\nExamples:\n  $ twinrec lab fault ${action} recorder-1a --dir ./twinrec-lab\n  $ twinrec lab fault ${action} agent-recorder-1b`)
      .action(async (name: string, opts: { dir: string }) => {
        print(await controlRequest(opts.dir, `/lab/processes/${encodeURIComponent(name)}/${action}`, {}), false);
      });
  }
  fault
    .command('storage <recorder> <mode>')
    .description('storage fault of one recorder: offline, full, slow, or online to lift it')
    .option('--throughput-bytes-per-second <n>', 'write speed when mode is slow', integer(1, 2_000_000_000), 8192)
    .option('--dir <path>', 'lab folder', DEFAULT_DIR)
    .addHelpText('after', `
Examples:
  $ twinrec lab fault storage recorder-1a full
  $ twinrec lab fault storage recorder-1a slow --throughput-bytes-per-second 4096
  $ twinrec lab fault storage recorder-1a online`)
    .action(async (name: string, mode: string, opts: { dir: string; throughputBytesPerSecond: number }) => {
      if (!['online', 'offline', 'full', 'slow'].includes(mode)) throw new CliError(`mode must be online, offline, full or slow, not ${mode}`);
      const body = mode === 'slow' ? { mode, throughputBytesPerSecond: opts.throughputBytesPerSecond } : { mode };
      print(await controlRequest(opts.dir, `/lab/recorders/${encodeURIComponent(name)}/storage`, body), false);
    });
  fault
    .command('camera <recorder> <camera> <action>')
    .description('camera connection fault between one recorder and one camera (a camera id, or "all"): disconnect, reconnect or drop')
    .option('--dir <path>', 'lab folder', DEFAULT_DIR)
    .addHelpText('after', `
disconnect: the camera resets the recorder's connection and refuses new ones until reconnect.
drop: the current connection is reset once; the recorder reconnects.

Examples:
  $ twinrec lab fault camera recorder-1a all disconnect
  $ twinrec lab fault camera recorder-1a 0b7c…-… reconnect`)
    .action(async (name: string, camera: string, action: string, opts: { dir: string }) => {
      if (!['disconnect', 'reconnect', 'drop'].includes(action)) throw new CliError(`action must be disconnect, reconnect or drop, not ${action}`);
      print(await controlRequest(opts.dir, `/lab/recorders/${encodeURIComponent(name)}/cameras/${encodeURIComponent(camera.toLowerCase())}`, { action }), false);
    });
  fault
    .command('management <state>')
    .description('management server down (service stopped: connections refused) or up')
    .option('--dir <path>', 'lab folder', DEFAULT_DIR)
    .addHelpText('after', `
Examples:
  $ twinrec lab fault management down
  $ twinrec lab fault management up`)
    .action(async (state: string, opts: { dir: string }) => {
      if (state !== 'down' && state !== 'up') throw new CliError(`state must be down or up, not ${state}`);
      print(await controlRequest(opts.dir, `/lab/management/${state === 'down' ? 'stop' : 'start'}`, {}), false);
    });
}

function registerComponentCommands(lab: Command): void {
  lab
    .command('cameras')
    .description('Run the camera hub: N simulated cameras as MJPEG-over-HTTP streams, deterministic frames')
    .option('--catalog <file>', 'camera catalog (JSON, as lab up writes it); overrides --cameras and the stream options')
    .option('--cameras <n>', 'number of cameras to generate', integer(1, 1024), 4)
    .option('--fps <n>', 'frames per second', integer(1, 60), 10)
    .option('--bitrate-kbps <n>', 'bit rate in kbit/s', integer(8, 100_000), 256)
    .option('--resolution <WxH>', 'resolution', '640x360')
    .option('--codec <label>', 'codec label', 'JPEG')
    .option('--host <address>', 'listen address', '127.0.0.1')
    .option('--port <n>', 'listen port (0: any free port)', port, 0)
    .addHelpText('after', `
Prints one JSON line when listening, then logs to stderr. Streams: GET /mjpg/<cameraId>/video.mjpg?recorder=<name>;
faults: POST /lab/connections {"cameraId","recorder","action":"drop|refuse|allow"}.

Examples:
  $ twinrec lab cameras --cameras 8 --fps 25
  $ twinrec lab cameras --catalog ./twinrec-lab/cameras.json --port 8554`)
    .action(async (opts: { catalog?: string; cameras: number; fps: number; bitrateKbps: number; resolution: string; codec: string; host: string; port: number }) => {
      const { buildCatalog, readCatalog } = await import('./cameras/catalog.js');
      const { parseResolution } = await import('./cameras/camera.js');
      const { runCameraHub } = await import('./cameras/main.js');
      const resolution = parseResolution(opts.resolution);
      const catalog = opts.catalog !== undefined ? await readCatalog(opts.catalog) : buildCatalog(opts.cameras, { fps: opts.fps, width: resolution.width, height: resolution.height, codec: opts.codec, bitrateBps: opts.bitrateKbps * 1000 });
      await runCameraHub({ cameras: catalog.cameras, host: opts.host, port: opts.port });
    });

  lab
    .command('management')
    .description('Run the management server: IDP token endpoint, ServerCommandServiceOAuth Login (VMS tokens) and the configuration REST API subset')
    .requiredOption('--site <file>', 'site file (JSON, as lab up writes it): users, recording servers, cameras, storages')
    .option('--host <address>', 'listen address', '127.0.0.1')
    .option('--port <n>', 'listen port (0: any free port)', port, 0)
    .option('--state-dir <dir>', 'where the IDP keeps its signing key (tokens then survive a restart)')
    .option('--vms-token-lifetime-seconds <n>', 'lifetime of the VMS tokens ServerCommandServiceOAuth Login issues', integer(2, 86_400), 14_400)
    .addHelpText('after', `
Examples:
  $ twinrec lab management --site ./twinrec-lab/site.json --port 9000 --state-dir ./twinrec-lab/management`)
    .action(async (opts: { site: string; host: string; port: number; stateDir?: string; vmsTokenLifetimeSeconds: number }) => {
      const { runManagement } = await import('./management/main.js');
      await runManagement({ sitePath: opts.site, host: opts.host, port: opts.port, vmsTokenTtlMs: opts.vmsTokenLifetimeSeconds * 1000, ...(opts.stateDir === undefined ? {} : { stateDir: opts.stateDir }) });
    });

  lab
    .command('recorder')
    .description('Run a recording server: reads RecorderConfig.xml, logs in, records every camera, serves SOAP and ImageServer')
    .requiredOption('--config <file>', 'RecorderConfig.xml')
    .requiredOption('--storage <dir>', 'storage folder (media blocks and index)')
    .option('--name <name>', 'name this recorder gives cameras (default: webserver host:port)')
    .option('--control-port <n>', 'loopback port of the lab control endpoint (0: any free port)', port, 0)
    .option('--block-duration-ms <n>', 'storage block length in ms', integer(500, 3_600_000), 10_000)
    .option('--max-queue-bytes <n>', 'write queue bound; frames beyond it are dropped (overflow)', integer(1024, 2_000_000_000))
    .option('--no-fsync', 'do not fsync when sealing blocks')
    .option('--tls-cert <file>', 'encrypted mode: the web server certificate (PEM); SOAP over HTTPS and ImageServer over TLS only (with --tls-key)')
    .option('--tls-key <file>', 'encrypted mode: its private key (PEM)')
    .addHelpText('after', `
The login comes from the environment: TWINREC_LAB_USERNAME and TWINREC_LAB_PASSWORD.

Examples:
  $ TWINREC_LAB_USERNAME=admin TWINREC_LAB_PASSWORD=… twinrec lab recorder \\
      --config ./twinrec-lab/recorders/recorder-1a/RecorderConfig.xml --storage ./twinrec-lab/recorders/recorder-1a/storage`)
    .action(async (opts: { config: string; storage: string; name?: string; controlPort: number; blockDurationMs: number; maxQueueBytes?: number; fsync: boolean; tlsCert?: string; tlsKey?: string }) => {
      if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) throw new CliError('--tls-cert and --tls-key go together');
      const { runRecorder } = await import('./recorder/main.js');
      await runRecorder({
        configPath: opts.config,
        storageDir: opts.storage,
        controlPort: opts.controlPort,
        blockDurationMs: opts.blockDurationMs,
        fsync: opts.fsync,
        ...(opts.name === undefined ? {} : { name: opts.name }),
        ...(opts.maxQueueBytes === undefined ? {} : { maxQueueBytes: opts.maxQueueBytes }),
        ...(opts.tlsCert === undefined || opts.tlsKey === undefined ? {} : { tls: { certFile: opts.tlsCert, keyFile: opts.tlsKey } }),
      });
    });

  lab
    .command('event-server')
    .description("Run the Event Server stand-in: XProtect's generic-event data sources International (CR LF, UTF-8, echo statistics) and Compatible (no separator, ANSI, echo all bytes) on TCP, and GET /lab/generic-events with what arrived")
    .option('--host <address>', 'listen address', '127.0.0.1')
    .option('--international-port <n>', 'the International data source (XProtect: 1235; 0: any free port)', port, 0)
    .option('--compatible-port <n>', 'the Compatible data source (XProtect: 1234; 0: any free port)', port, 0)
    .option('--http-port <n>', 'where tests read what arrived (0: any free port)', port, 0)
    .option('--local-address <address>', "an address of the Event Server's own host: senders there are local (repeatable; default: 127.0.0.1, ::1 and --host)", (value: string, previous: string[] = []) => [...previous, value])
    .option('--allow <address>', 'an allowed external address: others get "No access" (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--received-log <file>', 'append each received event to this file as a JSON line')
    .option('--generic-event <name=expression>', 'a generic event defined in XProtect: messages containing the expression match it (repeatable; default twinrec=twinrec)', (value: string, previous: string[] = []) => [...previous, value])
    .addHelpText('after', `
Examples:
  $ twinrec lab event-server --international-port 1235 --compatible-port 1234
  $ twinrec lab event-server --local-address 127.0.0.2 --allow 10.0.0.5    # 127.0.0.1 now gets "No access"`)
    .action(async (opts: { host: string; internationalPort: number; compatiblePort: number; httpPort: number; localAddress?: string[]; allow?: string[]; genericEvent?: string[]; receivedLog?: string }) => {
      const definitions = (opts.genericEvent ?? ['twinrec=twinrec']).map((text) => {
        const match = /^([^=]{1,128})=(.{1,512})$/s.exec(text);
        if (match === null) throw new CliError(`--generic-event: expected name=expression, not ${JSON.stringify(text)}`);
        return { name: match[1] as string, expression: match[2] as string };
      });
      const { runEventServer } = await import('./event-server/main.js');
      await runEventServer({ host: opts.host, internationalPort: opts.internationalPort, compatiblePort: opts.compatiblePort, httpPort: opts.httpPort, localAddresses: opts.localAddress ?? ['127.0.0.1', '::1', opts.host], allowed: opts.allow ?? [], definitions, receivedLog: opts.receivedLog });
    });

  lab
    .command('control')
    .description('Run the lab control process for a planned lab (lab up starts it): supervises the lab processes and serves the control API')
    .requiredOption('--dir <path>', 'lab folder with lab-plan.json')
    .addHelpText('after', `
Example:
  $ twinrec lab control --dir ./twinrec-lab`)
    .action(async (opts: { dir: string }) => {
      const { runControl } = await import('./faults/main.js');
      await runControl(opts.dir);
    });
}
