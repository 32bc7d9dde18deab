// The production PeerTransport: heartbeats to and from the peer agent over UDP, one socket
// for both directions. Each datagram carries the heartbeat's JSON text and an HMAC-SHA256 of
// it keyed with the cluster secret, so nobody without the secret can inject a heartbeat (a
// forged one could make a node step down or take over), and only a fresh one counts: a boot
// id, a strictly increasing seq and an echo of ours prove it (heartbeat-freshness.ts), so a
// captured datagram replayed later is refused. Also measures the round trip from the
// seq/echoSeq/echoHeldMs fields, the ping an administrator sees.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP, isIPv4, isIPv6 } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { heartbeatMaxBytes, heartbeatSchema, type Heartbeat } from '../../contracts/peer-v1.js';
import type { HeartbeatBody, PeerTransport, PingStats } from '../shell/ports.js';
import { HeartbeatFreshness, SentLog } from './heartbeat-freshness.js';

export interface UdpPeerOptions {
  /** Address to bind; an IPv6 address (such as `::`) makes the socket udp6. */
  readonly listenHost: string;
  /** 0 binds any free port (tests); production uses the configured heartbeat port. */
  readonly listenPort: number;
  /** The peer's address (IP, or a name resolved once at open); datagrams from anywhere else are rejected. */
  readonly peerHost: string;
  /** The peer's listening port: it sends from that socket, so it is also the only accepted source port. */
  readonly peerPort: number;
  readonly clusterId: string;
  /** Our node id, stamped by the core in `from`. */
  readonly nodeId: string;
  /** The only node id accepted in `from`. */
  readonly peerId: string;
  /** The per-cluster secret: the HMAC key. Never logged. */
  readonly secret: string;
  readonly log: Logger;
  /** This agent's API certificate fingerprint, sent in every heartbeat for the peer to pin; null: plain HTTP. */
  readonly apiFingerprint?: string | null;
  /** Monotonic clock in ms (default performance.now). */
  readonly nowMs?: () => number;
}

export type UdpPeer = PeerTransport & {
  readonly port: number;
  /** This run's boot id, sent in every heartbeat. */
  readonly boot: string;
  /** The peer API's certificate fingerprint, as its last fresh heartbeat carried it; null before one, or while its API is plain HTTP. */
  peerApiFingerprint(): string | null;
};

/** Length of the hex HMAC-SHA256 after the newline. */
const macHexLength = 64;
/** RTT samples in the stats: 30 s at the default 250 ms heartbeat. */
const rttWindowSize = 120;
/** The schema's bound on echoHeldMs; a longer hold is clamped (such an echo is stale anyway). */
const echoHeldMsMax = 600_000;
const rejectLogIntervalMs = 1_000;
const errorLogIntervalMs = 5_000;
const lookupTimeoutMs = 5_000;

/**
 * Opens the heartbeat socket and resolves once it is bound.
 *
 * @example
 *   const peer = await openUdpPeer({ listenHost: '0.0.0.0', listenPort: 7564, peerHost: '10.0.0.12',
 *     peerPort: 7564, clusterId: 'rs-pair-1', nodeId: 'rs1', peerId: 'rs2', secret, log });
 *   peer.onHeartbeat((message) => core.step({ kind: 'heartbeat', message }));
 *   peer.send(body);
 */
export async function openUdpPeer(options: UdpPeerOptions): Promise<UdpPeer> {
  checkOptions(options);
  const { log, secret, peerPort } = options;
  const nowMs = options.nowMs ?? (() => performance.now());
  const family = isIPv6(options.listenHost) ? 6 : 4;
  const peerIp = await resolvePeer(options.peerHost, family);
  // A udp6 socket reaches an IPv4 peer through its IPv4-mapped address.
  const peerSendIp = family === 6 && isIPv4(peerIp) ? `::ffff:${peerIp}` : peerIp;
  const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4' });
  await bind(socket, options.listenHost, options.listenPort);
  const port = socket.address().port;

  const boot = randomBytes(16).toString('hex');
  const sentLog = new SentLog();
  const tracker = new PingTracker(sentLog);
  const freshness = new HeartbeatFreshness(boot, sentLog);
  const expected: DatagramExpectation = { peerIp, peerPort, clusterId: options.clusterId, peerId: options.peerId, secret };
  let handler: ((message: Heartbeat) => void) | null = null;
  let drop = { inbound: false, outbound: false };
  let seq = 0;
  let peerApiFingerprint: string | null = null;
  const apiFingerprint = options.apiFingerprint ?? null;
  /** The last boot and seq heard from the peer and when, echoed back: the peer's proof of freshness and its RTT. */
  let heard: { boot: string; seq: number; atMs: number } | null = null;
  let sent = 0;
  let received = 0;
  let rejected = 0;
  let sendErrors = 0;
  let closing: Promise<void> | null = null;
  const logReject = throttle(rejectLogIntervalMs, nowMs);
  const logSendError = throttle(errorLogIntervalMs, nowMs);
  const logHandlerError = throttle(errorLogIntervalMs, nowMs);

  const sendFailed = (error: unknown): void => {
    sendErrors += 1;
    logSendError((suppressed) => log.warn({ err: errorText(error), sendErrors, suppressed, peer: `${peerIp}:${peerPort}` }, 'heartbeat send failed'));
  };

  socket.on('message', (datagram: Buffer, from: RemoteInfo) => {
    if (drop.inbound) return;
    const checked = checkDatagram(datagram, from, expected);
    if (!checked.ok) {
      rejected += 1;
      logReject((suppressed) => log.debug({ reason: checked.reason, from: `${from.address}:${from.port}`, bytes: datagram.length, rejected, suppressed }, 'heartbeat datagram rejected'));
      return;
    }
    const message = checked.heartbeat;
    const atMs = nowMs();
    const admission = freshness.admit(message, atMs);
    // An unproven boot is echoed all the same: the echo is how a restarted peer proves itself.
    if (admission !== 'replayed') heard = { boot: message.boot, seq: message.seq, atMs };
    if (admission !== 'fresh') {
      rejected += 1;
      logReject((suppressed) => log.debug({ reason: admission, from: `${from.address}:${from.port}`, seq: message.seq, rejected, suppressed }, 'heartbeat not counted: not proven fresh'));
      return;
    }
    received += 1;
    // Only from a fresh, authenticated heartbeat: a replayed one cannot bring back an old pin.
    peerApiFingerprint = message.apiFingerprint ?? null;
    if (message.echoBoot === boot) tracker.echoed(message.echoSeq, message.echoHeldMs, atMs);
    try {
      handler?.(message);
    } catch (error) {
      // A throwing handler must not take the socket (and the process) down with it.
      logHandlerError((suppressed) => log.error({ err: errorText(error), suppressed }, 'heartbeat handler failed'));
    }
  });
  // Without a listener a socket 'error' would crash the process; count it like a failed send.
  socket.on('error', sendFailed);

  return {
    port,
    boot,
    send(body: HeartbeatBody): void {
      if (closing !== null || drop.outbound) return;
      const atMs = nowMs();
      const echoHeldMs = heard === null ? 0 : round2(Math.min(Math.max(atMs - heard.atMs, 0), echoHeldMsMax));
      const heartbeat = heartbeatSchema.safeParse({ ...body, boot, seq, echoBoot: heard?.boot ?? null, echoSeq: heard?.seq ?? -1, echoHeldMs, ...(apiFingerprint === null ? {} : { apiFingerprint }) });
      if (!heartbeat.success) {
        // The peer would reject it anyway; say so here, where the bug is.
        sendFailed(new Error(`invalid heartbeat: ${heartbeat.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`));
        return;
      }
      const datagram = encodeDatagram(JSON.stringify(heartbeat.data), secret);
      if (datagram.length > heartbeatMaxBytes) {
        sendFailed(new Error(`heartbeat of ${datagram.length} bytes exceeds ${heartbeatMaxBytes}`));
        return;
      }
      sentLog.record(seq, atMs);
      seq += 1;
      sent += 1;
      try {
        socket.send(datagram, peerPort, peerSendIp, (error) => {
          if (error) sendFailed(error);
        });
      } catch (error) {
        sendFailed(error);
      }
    },
    peerApiFingerprint: () => peerApiFingerprint,
    onHeartbeat(next: (message: Heartbeat) => void): void {
      handler = next;
    },
    stats(): PingStats {
      return { ...tracker.stats(), sent, received, rejected };
    },
    setDrop(next: { readonly inbound: boolean; readonly outbound: boolean }): void {
      drop = { inbound: next.inbound, outbound: next.outbound };
    },
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => socket.close(() => resolve()));
      return closing;
    },
  };
}

/** What a datagram must match to be accepted. */
export interface DatagramExpectation {
  readonly peerIp: string;
  readonly peerPort: number;
  readonly clusterId: string;
  readonly peerId: string;
  readonly secret: string;
}

export type DatagramCheck =
  | { readonly ok: true; readonly heartbeat: Heartbeat }
  | { readonly ok: false; readonly reason: 'oversize' | 'source' | 'mac' | 'json' | 'schema' | 'cluster' | 'node' };

/** Decides whether one received datagram is a heartbeat from our peer; pure. */
export function checkDatagram(datagram: Buffer, from: { readonly address: string; readonly port: number }, expected: DatagramExpectation): DatagramCheck {
  if (datagram.length > heartbeatMaxBytes) return { ok: false, reason: 'oversize' };
  if (from.port !== expected.peerPort || canonicalIp(from.address) !== expected.peerIp) return { ok: false, reason: 'source' };
  // The MAC is checked before anything parses the content.
  const json = verifyDatagram(datagram, expected.secret);
  if (json === null) return { ok: false, reason: 'mac' };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'json' };
  }
  const heartbeat = heartbeatSchema.safeParse(value);
  if (!heartbeat.success) return { ok: false, reason: 'schema' };
  if (heartbeat.data.clusterId !== expected.clusterId) return { ok: false, reason: 'cluster' };
  if (heartbeat.data.from !== expected.peerId) return { ok: false, reason: 'node' };
  return { ok: true, heartbeat: heartbeat.data };
}

/**
 * The wire form: the JSON text, `\n`, then the lowercase hex HMAC-SHA256 of the JSON text's
 * bytes keyed with the cluster secret.
 */
export function encodeDatagram(json: string, secret: string): Buffer {
  const body = Buffer.from(json, 'utf8');
  const mac = createHmac('sha256', secret).update(body).digest('hex');
  return Buffer.concat([body, Buffer.from(`\n${mac}`, 'latin1')]);
}

/** The JSON text of a datagram whose MAC matches (compared in constant time), else null. */
export function verifyDatagram(datagram: Buffer, secret: string): string | null {
  const newline = datagram.length - macHexLength - 1;
  if (newline < 0 || datagram[newline] !== 0x0a) return null;
  const macHex = datagram.subarray(newline + 1).toString('latin1');
  if (!/^[0-9a-f]{64}$/.test(macHex)) return null;
  const body = datagram.subarray(0, newline);
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(Buffer.from(macHex, 'hex'), expected) ? body.toString('utf8') : null;
}

/**
 * Round-trip times from echoed seqs: RTT = (now − sentAt[echoSeq]) − echoHeldMs, where
 * echoHeldMs is how long the peer held our seq before echoing it. Pure: times are passed in.
 */
export class PingTracker {
  private readonly samplesMs: number[] = [];
  private next = 0;
  private lastMs: number | null = null;
  /** The highest seq sampled: the peer echoes the same seq until it hears a newer one, and each yields one sample. */
  private sampledSeqMax = -1;

  constructor(private readonly sent: SentLog) {}

  /** Takes one RTT sample for an echo of a remembered, not yet sampled seq; returns it or null. */
  echoed(echoSeq: number, echoHeldMs: number, atMs: number): number | null {
    const sentAtMs = this.sent.sentAtMs(echoSeq);
    if (sentAtMs === null || echoSeq <= this.sampledSeqMax) return null;
    this.sampledSeqMax = echoSeq;
    const rttMs = Math.max(0, atMs - sentAtMs - echoHeldMs);
    if (this.samplesMs.length < rttWindowSize) this.samplesMs.push(rttMs);
    else this.samplesMs[this.next] = rttMs;
    this.next = (this.next + 1) % rttWindowSize;
    this.lastMs = rttMs;
    return rttMs;
  }

  /** Average, maximum and last RTT over the last rttWindowSize samples, to 0.01 ms; null before any. */
  stats(): { avgMs: number | null; maxMs: number | null; lastMs: number | null; samples: number } {
    const samples = this.samplesMs.length;
    if (samples === 0 || this.lastMs === null) return { avgMs: null, maxMs: null, lastMs: null, samples: 0 };
    const sumMs = this.samplesMs.reduce((a, b) => a + b, 0);
    return { avgMs: round2(sumMs / samples), maxMs: round2(Math.max(...this.samplesMs)), lastMs: round2(this.lastMs), samples };
  }
}

/** One form per address, so `::ffff:10.0.0.1`, `10.0.0.1` and differently written IPv6 compare equal. */
export function canonicalIp(address: string): string {
  const bare = address.replace(/%.*$/, '');
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return bare;
  const v6 = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  // The URL parser writes IPv4-mapped addresses as ::ffff:a0a:1; turn them back into dotted quads.
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (mapped === null) return v6;
  const high = Number.parseInt(mapped[1] ?? '0', 16);
  const low = Number.parseInt(mapped[2] ?? '0', 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

function checkOptions(o: UdpPeerOptions): void {
  const portOk = (p: number, min: number): boolean => Number.isInteger(p) && p >= min && p <= 65_535;
  if (!portOk(o.listenPort, 0)) throw new Error(`udp peer listenPort must be within 0..65535, not ${o.listenPort}`);
  if (!portOk(o.peerPort, 1)) throw new Error(`udp peer peerPort must be within 1..65535, not ${o.peerPort}`);
  // An empty HMAC key would let anyone forge heartbeats.
  if (o.secret.length === 0) throw new Error('udp peer needs a non-empty cluster secret');
  if (o.nodeId === o.peerId) throw new Error(`udp peer nodeId and peerId are both ${o.nodeId}`);
}

async function resolvePeer(host: string, family: 4 | 6): Promise<string> {
  if (isIP(host) === 6 && family === 4) throw new Error(`peer ${host} is IPv6 but the listen address is IPv4`);
  if (isIP(host) !== 0) return canonicalIp(host);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`resolving peer ${host} took over ${lookupTimeoutMs} ms`)), lookupTimeoutMs);
  });
  try {
    const found = await Promise.race([lookup(host, { family: family === 4 ? 4 : 0 }), timeout]);
    return canonicalIp(found.address);
  } finally {
    clearTimeout(timer);
  }
}

function bind(socket: Socket, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error): void => {
      socket.close();
      reject(error);
    };
    socket.once('error', failed);
    socket.bind(port, host, () => {
      socket.off('error', failed);
      resolve();
    });
  });
}

/** Runs `emit` at most once per intervalMs, telling it how many calls it skipped. */
function throttle(intervalMs: number, nowMs: () => number): (emit: (suppressed: number) => void) => void {
  let lastMs = -Infinity;
  let suppressed = 0;
  return (emit) => {
    const atMs = nowMs();
    if (atMs - lastMs < intervalMs) {
      suppressed += 1;
      return;
    }
    lastMs = atMs;
    emit(suppressed);
    suppressed = 0;
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function round2(ms: number): number {
  return Math.round(ms * 100) / 100;
}
