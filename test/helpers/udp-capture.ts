// Captures UDP datagrams on the loopback interface with tcpdump (installed by .ci/run), as an
// attacker on the path would: the payloads exactly as they crossed the wire. Only loopback,
// only the filter given; the tcpdump process is stopped by its PID.
import { spawn } from 'node:child_process';

/** One captured datagram: its UDP payload and ports. */
export interface CapturedDatagram {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payload: Buffer;
}

const pcapHeaderBytes = 24;
const recordHeaderBytes = 16;
const linkTypeEthernet = 1;
const linkTypeLinuxCooked = 113;
const ethernetHeaderBytes = 14;
const linuxCookedHeaderBytes = 16;

/**
 * The UDP datagrams of a classic pcap stream (little- or big-endian; Ethernet or Linux cooked
 * link layer, IPv4), as far as complete records go.
 */
export function udpDatagramsOfPcap(pcap: Buffer): CapturedDatagram[] {
  if (pcap.length < pcapHeaderBytes) return [];
  const magic = pcap.readUInt32LE(0);
  const littleEndian = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!littleEndian && pcap.readUInt32BE(0) !== 0xa1b2c3d4 && pcap.readUInt32BE(0) !== 0xa1b23c4d) throw new Error('not a pcap stream');
  const u32 = (offset: number): number => (littleEndian ? pcap.readUInt32LE(offset) : pcap.readUInt32BE(offset));
  const linkType = u32(20);
  const linkBytes = linkType === linkTypeEthernet ? ethernetHeaderBytes : linkType === linkTypeLinuxCooked ? linuxCookedHeaderBytes : -1;
  if (linkBytes < 0) throw new Error(`pcap link type ${linkType} is not handled`);
  const datagrams: CapturedDatagram[] = [];
  for (let at = pcapHeaderBytes; at + recordHeaderBytes <= pcap.length; ) {
    const capturedBytes = u32(at + 8);
    const frame = pcap.subarray(at + recordHeaderBytes, at + recordHeaderBytes + capturedBytes);
    if (frame.length < capturedBytes) break;
    at += recordHeaderBytes + capturedBytes;
    const ip = frame.subarray(linkBytes);
    if (ip.length < 20 || ip[0] === undefined || ip[0] >> 4 !== 4 || ip[9] !== 17) continue;
    const udp = ip.subarray((ip[0] & 0x0f) * 4);
    if (udp.length < 8) continue;
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
