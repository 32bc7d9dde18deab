// Captures UDP datagrams on the loopback interface with tcpdump (installed by .ci/run), as an
// attacker on the path would: the payloads exactly as they crossed the wire. Only loopback,
// only the filter given; the tcpdump process is stopped by its PID.
import { spawn } from 'node:child_process';
import { ipv4PacketsOfPcap } from './pcap.js';

/** One captured datagram: its UDP payload and ports. */
export interface CapturedDatagram {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payload: Buffer;
}

/**
 * The UDP datagrams of a classic pcap stream (little- or big-endian; Ethernet or Linux cooked
 * link layer, IPv4), as far as complete records go.
 */
export function udpDatagramsOfPcap(pcap: Buffer): CapturedDatagram[] {
  const datagrams: CapturedDatagram[] = [];
  for (const { protocol, payload: udp } of ipv4PacketsOfPcap(pcap)) {
    if (protocol !== 17 || udp.length < 8) continue;
    datagrams.push({ sourcePort: udp.readUInt16BE(0), destinationPort: udp.readUInt16BE(2), payload: Buffer.from(udp.subarray(8, udp.readUInt16BE(4))) });
  }
  return datagrams;
}

/**
 * Captures up to `count` UDP datagrams from `sourcePort` to `destinationPort` on loopback and
 * resolves with them once `count` arrived; rejects after `timeoutMs`, or if tcpdump is missing.
 */
export function captureUdpOnLoopback(sourcePort: number, destinationPort: number, count: number, timeoutMs: number): Promise<CapturedDatagram[]> {
  return new Promise((resolve, reject) => {
    const tcpdump = spawn('tcpdump', ['-i', 'lo', '-U', '-n', '-w', '-', '-c', String(count), `udp and src port ${sourcePort} and dst port ${destinationPort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    const stop = (): void => {
      if (tcpdump.exitCode === null && tcpdump.pid !== undefined) process.kill(tcpdump.pid, 'SIGTERM');
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no ${count} datagram(s) from port ${sourcePort} to ${destinationPort} within ${timeoutMs} ms; tcpdump said: ${stderr.trim()}`));
    }, timeoutMs);
    tcpdump.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    tcpdump.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2_000);
    });
    tcpdump.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`tcpdump could not run (.ci/run installs it): ${err.message}`));
    });
    tcpdump.on('close', () => {
      clearTimeout(timer);
      const datagrams = udpDatagramsOfPcap(Buffer.concat(chunks));
      if (datagrams.length >= count) resolve(datagrams.slice(0, count));
      else reject(new Error(`tcpdump ended with ${datagrams.length} of ${count} datagram(s): ${stderr.trim()}`));
    });
  });
}
