// Reads a classic pcap stream (what `tcpdump -w -` writes): the IPv4 packets it holds, for the
// UDP and TCP capture helpers. Little- or big-endian; Ethernet or Linux cooked link layer.

const pcapHeaderBytes = 24;
const recordHeaderBytes = 16;
/** Link-layer header bytes by pcap link type: Ethernet, Linux cooked. */
const linkHeaderBytes: Readonly<Record<number, number>> = { 1: 14, 113: 16 };

/** One IPv4 packet: its protocol number (6 TCP, 17 UDP) and its payload after the IP header. */
export interface Ipv4Packet {
  readonly protocol: number;
  readonly payload: Buffer;
}

/**
 * The IPv4 packets of a pcap stream, as far as complete records go (a capture stopped mid-record
 * is cut at the last whole one).
 *
 * @example for (const packet of ipv4PacketsOfPcap(bytes)) if (packet.protocol === 17) …
 */
export function ipv4PacketsOfPcap(pcap: Buffer): Ipv4Packet[] {
  if (pcap.length < pcapHeaderBytes) return [];
  const magic = (read: (offset: number) => number): boolean => read(0) === 0xa1b2c3d4 || read(0) === 0xa1b23c4d;
  const littleEndian = magic((offset) => pcap.readUInt32LE(offset));
  if (!littleEndian && !magic((offset) => pcap.readUInt32BE(offset))) throw new Error('not a pcap stream');
  const u32 = (offset: number): number => (littleEndian ? pcap.readUInt32LE(offset) : pcap.readUInt32BE(offset));
  const linkBytes = linkHeaderBytes[u32(20)];
  if (linkBytes === undefined) throw new Error(`pcap link type ${u32(20)} is not handled`);
  const packets: Ipv4Packet[] = [];
  for (let at = pcapHeaderBytes; at + recordHeaderBytes <= pcap.length; ) {
    const capturedBytes = u32(at + 8);
    const frame = pcap.subarray(at + recordHeaderBytes, at + recordHeaderBytes + capturedBytes);
    if (frame.length < capturedBytes) break;
    at += recordHeaderBytes + capturedBytes;
    const ip = frame.subarray(linkBytes);
    if (ip.length < 20 || ip[0] === undefined || ip[0] >> 4 !== 4) continue;
    packets.push({ protocol: ip[9] as number, payload: ip.subarray((ip[0] & 0x0f) * 4, ip.readUInt16BE(2)) });
  }
  return packets;
}
