import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { fingerprintOfDer } from '../../shared/tls/certificate.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as soap from 'soap';
import { ResponseReader, type ParsedImage } from '../recorder/image-server/protocol.js';
import { isRunning } from '../up.js';
import { labEntry } from '../spawn.js';
import type { ReceivedGenericEvent } from '../event-server/server.js';

/**
 * Helpers for tests and benchmarks that drive a whole lab through its real interfaces:
 * `twinrec lab up/down` as processes, the IDP, SOAP clients built from the served WSDLs, and
 * an ImageServer client. Nothing here reaches into a lab process.
 */

/** A recorder's agent (`lab up --with-agents`). */
export interface AgentEndpoints {
  /** `agent-<recorder name>`, the lab process name. */
  readonly name: string;
  readonly pid: number | null;
  readonly status: string;
  /** The agent's local API (Bearer: the cluster secret). */
  readonly apiUrl: string;
  /** UDP port of its heartbeat listener. */
  readonly heartbeatPort: number;
  /** Where it binds its heartbeats and its peer reaches it (`lab up --agent-heartbeat-host`, else its API's host). */
  readonly heartbeatHost?: string;
  /** Its network namespace (`lab up --agent-netns`); null: the lab's own. */
  readonly netns?: string | null;
  readonly configPath: string;
  readonly logPath: string | null;
}

/** A pair's twinrec cluster (`lab up --with-agents`). */
export interface ClusterEndpoints {
  readonly name: string;
  /** The relay's listen address: clients reach the Serving recorder here. */
  readonly sharedAddress: { host: string; port: number };
  readonly secretFile: string;
  readonly relay: { name: string; pid: number | null; status: string; controlUrl: string; stateFile: string; logPath: string | null };
}

export interface RecorderEndpoints {
  readonly name: string;
  readonly pid: number | null;
  readonly status: string;
  readonly webServerUri: string;
  readonly statusServiceUrl: string;
  readonly commandServiceUrl: string;
  /** `tls`: the web server runs encrypted (`lab up --encrypted`): ImageServer over TLS. */
  readonly imageServer: { host: string; port: number; tls?: boolean };
  /** Encrypted mode: the web server certificate's SHA-256; null over plain HTTP. */
  readonly certificateFingerprint?: string | null;
  readonly controlUrl: string;
  readonly storageDir: string;
  readonly recorderConfigPath: string;
  readonly logPath: string | null;
  /** Only with --with-agents. */
  readonly agent?: AgentEndpoints;
}

export interface LabDescription {
  readonly dir: string;
  readonly credentials: { username: string; password: string };
  readonly control: { url: string; pid: number };
  readonly cameraHub: { url: string; pid: number; cameras: Array<{ id: string; name: string; fps: number }> };
  readonly managementServer: { url: string; tokenUrl: string; restUrl: string; pid: number };
  /** The Event Server stand-in (lab/event-server/): its data sources' ports and the URL where what arrived is read. */
  readonly eventServer?: EventServerEndpoints;
  readonly pairs: Array<{
    /** `lab up --pool`: a protected recording server or a failover one (each with one recorder); absent in a cloned pair. */
    readonly role?: 'protected' | 'failover';
    recorderId: string;
    cameraIds: string[];
    /** Only with --with-agents. */
    cluster?: ClusterEndpoints;
    recorders: RecorderEndpoints[];
  }>;
}

export interface EventServerEndpoints {
  readonly host: string;
  /** The International data source (CR LF, UTF-8, echo statistics). */
  readonly internationalPort: number;
  /** The Compatible data source (no separator, ANSI, echo all bytes). */
  readonly compatiblePort: number;
  /** `GET <url>/lab/generic-events?after=<seq>`: what arrived. */
  readonly url: string;
  readonly pid: number | null;
  readonly status: string;
}

/** A generic event as the Event Server stand-in received it. */
export type { ReceivedGenericEvent };

/** What the lab's Event Server stand-in received after `after` (0: everything it remembers). */
export async function receivedGenericEvents(eventServer: EventServerEndpoints, after = 0): Promise<ReceivedGenericEvent[]> {
  const res = await fetch(`${eventServer.url}/lab/generic-events?after=${after}`, { signal: AbortSignal.timeout(5_000) });
  if (res.status !== 200) throw new Error(`event server: HTTP ${res.status}`);
  return ((await res.json()) as { events: ReceivedGenericEvent[] }).events;
}

/** Runs `twinrec lab <args>` to completion and returns its stdout. */
export function runLabCli(args: readonly string[], timeoutMs = 240_000): Promise<string> {
  const entry = labEntry();
  return new Promise((resolve, reject) => {
    execFile(entry.command, [...entry.args, 'lab', ...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`twinrec lab ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

export interface RunningLab {
  readonly description: LabDescription;
  readonly dir: string;
  /** Every pid the lab reported, including the control process. */
  pids(): number[];
  stop(): Promise<void>;
}

/** Attempts of `lab up` that lost a port race (EADDRINUSE) before a test gives up. */
const labUpAttemptsMax = 3;

/**
 * Starts a lab in a fresh temporary folder with `twinrec lab up … --json`. The lab picks free
 * ports, releases them and its processes bind them a moment later; a test running beside it may
 * take one in between (EADDRINUSE, seen in CI). That attempt is taken down and the lab started
 * again in a new folder, at most labUpAttemptsMax times, after a short jittered pause.
 */
export async function startLab(upArgs: readonly string[]): Promise<RunningLab> {
  for (let attempt = 1; ; attempt += 1) {
    const dir = await mkdtemp(join(tmpdir(), 'twinrec-lab-test-'));
    try {
      const description = JSON.parse(await runLabCli(['up', '--dir', dir, '--json', ...upArgs])) as LabDescription;
      return runningLab(description, dir);
    } catch (err) {
      await runLabCli(['down', '--dir', dir]).catch(() => undefined);
      if (attempt >= labUpAttemptsMax || !/EADDRINUSE/.test((err as Error).message)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 500));
    }
  }
}

function runningLab(description: LabDescription, dir: string): RunningLab {
  const known = new Set<number>();
  const collect = (d: LabDescription): void => {
    const pids = [
      d.control.pid,
      d.cameraHub.pid,
      d.managementServer.pid,
      d.eventServer?.pid,
      ...d.pairs.flatMap((p) => [p.cluster?.relay.pid, ...p.recorders.flatMap((r) => [r.pid, r.agent?.pid])]),
    ];
    for (const pid of pids) if (typeof pid === 'number') known.add(pid);
  };
  collect(description);
  return {
    description,
    dir,
    pids: () => [...known],
    stop: async () => {
      // Pick up pids of processes restarted during the test, then stop everything by pid.
      try {
        const res = await fetch(`${description.control.url}/lab`, { signal: AbortSignal.timeout(5_000) });
        if (res.ok) collect((await res.json()) as LabDescription);
      } catch {
        // control already gone
      }
      await runLabCli(['down', '--dir', dir], 120_000).catch(() => undefined);
      for (const pid of known) {
        if (isRunning(pid)) {
          try {
            process.kill(pid, 'SIGCONT');
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone
          }
        }
      }
      // TWINREC_TEST_KEEP_LAB=1 keeps the folder (logs, storage) for a post-mortem.
      if (process.env.TWINREC_TEST_KEEP_LAB !== "1") await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Posts a fault to the lab's control API (`path` from lab/README.md, "Faults"); throws unless the lab took it. */
export async function labFault(lab: LabDescription, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${lab.control.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`lab fault ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
}

/** Asks the lab IDP for a bearer token (password grant): for the REST API and Login, never for a recorder (labVmsToken). */
export async function labToken(lab: LabDescription): Promise<string> {
  const res = await fetch(lab.managementServer.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username: lab.credentials.username, password: lab.credentials.password, client_id: 'GrantValidatorClient' }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || typeof body.access_token !== 'string') throw new Error(`token request failed: ${res.status}`);
  return body.access_token;
}

/**
 * A VMS token for the lab's recorders (SOAP `token`, ImageServer `connectiontoken`): an IDP token,
 * then ServerCommandServiceOAuth.svc Login with it as Bearer, as Milestone's OauthLoginFlow sample
 * does. Recorders refuse the IDP token itself; the REST API takes only the IDP token.
 */
export async function labVmsToken(lab: LabDescription, instanceId: string = randomUUID()): Promise<string> {
  const res = await fetch(labServerCommandUrl(lab), {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: 'http://videoos.net/2/XProtectCSServerCommand/IServerCommandService/Login', authorization: `Bearer ${await labToken(lab)}` },
    body: `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Login xmlns="http://videoos.net/2/XProtectCSServerCommand"><instanceId>${instanceId}</instanceId><currentToken /></Login></s:Body></s:Envelope>`,
    signal: AbortSignal.timeout(10_000),
  });
  const xml = await res.text();
  const token = /<(?:\w+:)?Token>([^<]+)<\/(?:\w+:)?Token>/.exec(xml)?.[1];
  if (res.status !== 200 || token === undefined) throw new Error(`VMS token login failed: ${res.status} ${xml.slice(0, 200)}`);
  return token;
}

/** The lab management server's ServerCommandServiceOAuth.svc. */
export function labServerCommandUrl(lab: LabDescription): string {
  return new URL('/ManagementServer/ServerCommandServiceOAuth.svc', lab.managementServer.url).toString();
}

/** How many VMS tokens the lab's management server issued, and how many of them were renewals (lab-internal). */
export async function labVmsTokenCounts(lab: LabDescription): Promise<{ issuedTotal: number; renewedTotal: number; held: number; ttlMs: number }> {
  const res = await fetch(new URL('/lab/vms-tokens', lab.managementServer.url), { signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`GET /lab/vms-tokens answered ${res.status}`);
  return (await res.json()) as { issuedTotal: number; renewedTotal: number; held: number; ttlMs: number };
}

/** A node-soap client built only from the service's WSDL. */
export function soapClient(serviceUrl: string): Promise<soap.Client> {
  return soap.createClientAsync(`${serviceUrl}?wsdl`, { wsdl_options: { timeout: 10_000 } });
}

/** Polls `probe` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export type XmlResponse = { kind: 'xml'; text: string };
export type ImageMessage = { kind: 'image' } & ParsedImage;

/** A minimal ImageServer client: send method calls, receive XML and image responses in order. */
export class ImageServerClient {
  private readonly reader = new ResponseReader();
  private readonly inbox: Array<XmlResponse | ImageMessage> = [];
  private waiter: (() => void) | null = null;
  private requestId = 0;
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.inbox.push(...this.reader.push(chunk));
      this.waiter?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
    socket.on('error', () => undefined);
  }

  /**
   * Connects; with `tls`, over TLS to a recorder running encrypted, trusting only the listed
   * certificate fingerprints (both nodes' of a pair, as a client reaching the shared address
   * trusts either recorder) and sending nothing to any other.
   */
  static open(host: string, port: number, timeoutMs = 10_000, tls?: { readonly trustedFingerprints: readonly string[] }): Promise<ImageServerClient> {
    return new Promise((resolve, reject) => {
      const socket = tls === undefined ? connect(port, host) : connectTls({ host, port, rejectUnauthorized: false, servername: '' });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('ImageServer connect timed out'));
      }, timeoutMs);
      socket.once(tls === undefined ? 'connect' : 'secureConnect', () => {
        clearTimeout(timer);
        if (tls !== undefined) {
          const raw = (socket as ReturnType<typeof connectTls>).getPeerCertificate().raw as Buffer | undefined;
          const presented = raw === undefined ? '(none)' : fingerprintOfDer(raw);
          if (!tls.trustedFingerprints.includes(presented)) {
            socket.destroy();
            reject(new Error(`the ImageServer's certificate (SHA-256 ${presented}) is not a trusted one`));
            return;
          }
        }
        resolve(new ImageServerClient(socket));
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  send(method: string, body = ''): string {
    const id = String(this.requestId++);
    this.socket.write(`<?xml version="1.0" encoding="utf-8"?><methodcall><requestid>${id}</requestid><methodname>${method}</methodname>${body}</methodcall>\r\n\r\n`);
    return id;
  }

  connectCamera(cameraId: string, token: string): string {
    return this.send(
      'connect',
      `<username>a</username><password>a</password><cameraid>${cameraId}</cameraid><alwaysstdjpeg>yes</alwaysstdjpeg><transcode><allframes>yes</allframes></transcode><connectparam>id=${cameraId}&amp;connectiontoken=${token}</connectparam>`,
    );
  }

  /** The next response, waiting up to `timeoutMs`. */
  async next(timeoutMs = 10_000): Promise<XmlResponse | ImageMessage> {
    const deadline = Date.now() + timeoutMs;
    while (this.inbox.length === 0) {
      if (this.closed) throw new Error('ImageServer connection closed');
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error('no ImageServer response in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
    return this.inbox.shift() as XmlResponse | ImageMessage;
  }

  async nextXml(timeoutMs = 10_000): Promise<string> {
    for (let i = 0; i < 1000; i += 1) {
      const message = await this.next(timeoutMs);
      if (message.kind === 'xml') return message.text;
    }
    throw new Error('no XML response among 1000 messages');
  }

  async nextImage(timeoutMs = 10_000): Promise<ImageMessage> {
    const message = await this.next(timeoutMs);
    if (message.kind !== 'image') throw new Error(`expected an image, got ${message.text.slice(0, 200)}`);
    return message;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Every indexed frame of one camera in a storage folder: time → SHA-256 of the frame bytes. */
export async function indexedFrames(storageDir: string, cameraId: string): Promise<Map<number, string>> {
  const { readCameraIndex, readBlockFile } = await import('../recorder/storage/placeholders.js');
  const { decodeBlock, sha256Hex } = await import('../../media-store/format.js');
  const frames = new Map<number, string>();
  const index = await readCameraIndex(storageDir, cameraId);
  for (const entry of index.entries) {
    if (entry.state === 'placeholder') continue;
    const bytes = await readBlockFile(storageDir, cameraId, entry.startMs);
    const block = decodeBlock(bytes);
    if (!block.clean || block.frames.length !== entry.frameCount || sha256Hex(bytes) !== entry.sha256) throw new Error(`block ${entry.startMs} of ${cameraId} does not match its index record`);
    for (const frame of block.frames) frames.set(frame.timeMs, sha256Hex(bytes.subarray(frame.offset, frame.offset + frame.length)));
  }
  return frames;
}

/**
 * Creates a placeholder in a stopped recorder's storage, as backfill does before it starts the
 * recorder (lab/recorder/storage/placeholders.ts). Refused while a live recorder holds the storage.
 */
export async function createPlaceholder(storageDir: string, cameraId: string, range: { startMs: number; endMs: number; fps: number }): Promise<void> {
  const placeholders = await import('../recorder/storage/placeholders.js');
  await placeholders.createPlaceholder(storageDir, cameraId, range);
}
