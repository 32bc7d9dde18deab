// Captures TCP segments on the loopback interface with tcpdump (installed by .ci/run), as an
// eavesdropper on the path would: every payload byte exactly as it crossed the wire. Only
// loopback, only the ports given; tcpdump is stopped by its PID.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { ipv4PacketsOfPcap } from './pcap.js';

/** One captured TCP segment with data: its ports and payload. */
export interface CapturedSegment {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payload: Buffer;
}

export interface TcpCapture {
  /** Stops tcpdump and returns the segments with data, in capture order. */
  stop(): Promise<CapturedSegment[]>;
}

const captureBytesMax = 256 * 1024 * 1024;
const attachSettleMs = 1_500;

/** The TCP segments with data of a classic pcap stream (IPv4; Ethernet or Linux cooked), as far as complete records go. */
export function tcpSegmentsOfPcap(pcap: Buffer): CapturedSegment[] {
  const segments: CapturedSegment[] = [];
  for (const { protocol, payload: tcp } of ipv4PacketsOfPcap(pcap)) {
    if (protocol !== 6 || tcp.length < 20) continue;
    const payload = tcp.subarray(((tcp[12] ?? 0) >> 4) * 4);
    if (payload.length > 0) segments.push({ sourcePort: tcp.readUInt16BE(0), destinationPort: tcp.readUInt16BE(2), payload: Buffer.from(payload) });
  }
  return segments;
}

/**
 * Starts capturing TCP to and from `ports` on loopback; resolves once tcpdump listens.
 *
 * @example
 *   const capture = await captureTcpOnLoopback([8741, 8742]);
 *   // … traffic …
 *   const segments = await capture.stop();
 */
export async function captureTcpOnLoopback(ports: readonly number[], startTimeoutMs = 15_000): Promise<TcpCapture> {
  if (ports.length === 0 || ports.length > 16 || !ports.every((p) => Number.isInteger(p) && p > 0 && p < 65536)) throw new RangeError('1 to 16 TCP ports');
  const filter = `tcp and (${ports.map((p) => `port ${p}`).join(' or ')})`;
  const tcpdump = spawn('tcpdump', ['-i', 'lo', '--immediate-mode', '-U', '-n', '-s', '0', '-w', '-', filter], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let capturedBytes = 0;
  let stderr = '';
  tcpdump.stdout.on('data', (chunk: Buffer) => {
    capturedBytes += chunk.length;
    if (capturedBytes <= captureBytesMax) chunks.push(chunk);
  });
  const closed = once(tcpdump, 'close');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      if (tcpdump.pid !== undefined && tcpdump.exitCode === null) process.kill(tcpdump.pid, 'SIGTERM');
      reject(new Error(`tcpdump did not start listening within ${startTimeoutMs} ms: ${stderr.trim()}`));
    }, startTimeoutMs);
    tcpdump.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2_000);
      if (/listening on/.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    });
    tcpdump.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`tcpdump could not run (.ci/run installs it): ${err.message}`));
    });
  });
  // tcpdump says it listens a moment before its filter is attached: segments sent in between are lost.
  await new Promise((resolve) => setTimeout(resolve, attachSettleMs));
  return {
    stop: async () => {
      // Segments sent just before still have to pass the kernel's capture buffer.
      await new Promise((resolve) => setTimeout(resolve, attachSettleMs));
      if (tcpdump.pid !== undefined && tcpdump.exitCode === null) process.kill(tcpdump.pid, 'SIGTERM');
      await closed;
      if (capturedBytes > captureBytesMax) throw new Error(`the capture exceeded ${captureBytesMax} bytes`);
      return tcpSegmentsOfPcap(Buffer.concat(chunks));
    },
  };
}
