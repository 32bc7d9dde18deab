import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { pino } from 'pino';
import type { Heartbeat } from '../../contracts/peer-v1.js';
import type { HeartbeatBody } from '../shell/ports.js';
import { SentLog } from './heartbeat-freshness.js';
import { canonicalIp, encodeDatagram, openUdpPeer, PingTracker, verifyDatagram, type UdpPeer } from './udp-peer.js';

const log = pino({ level: 'silent' });
const host = '127.0.0.1';
const clusterId = 'pair-1';
const secret = 'cluster-secret-for-tests';
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function body(from: string, cluster = clusterId): HeartbeatBody {
  return { v: 1, kind: 'heartbeat', clusterId: cluster, from, state: 'WAIT', epoch: 0, serving: false, healthy: true, handoverTo: null, maintenance: { on: false, version: 0 }, preference: { nodeId: null, version: 0 } };
}

/** What a raw sender echoes to prove its heartbeats fresh: the transport's boot and a seq it sent. */
interface Proof {
  readonly echoBoot: string | null;
  readonly echoSeq: number;
}
const noProof: Proof = { echoBoot: null, echoSeq: -1 };
const rawBoot = 'ab'.repeat(16);

function heartbeat(from: string, seq: number, proof: Proof, cluster = clusterId): Heartbeat {
  return { ...body(from, cluster), boot: rawBoot, seq, ...proof, echoHeldMs: 0 };
}

/** Makes `transport` send one heartbeat to `peerSocket` (its configured peer) and returns the echo that proves a reply fresh. */
async function proofFrom(transport: UdpPeer, peerSocket: Socket, from: string): Promise<Proof> {
  const arrived = once(peerSocket, 'message') as Promise<[Buffer]>;
  transport.send(body(from));
  const [datagram] = await arrived;
  const sent = JSON.parse(verifyDatagram(datagram, secret) ?? 'null') as Heartbeat;
  return { echoBoot: sent.boot, echoSeq: sent.seq };
}

async function rawSocket(): Promise<Socket & { port: number }> {
  const socket = createSocket('udp4');
  socket.bind(0, host);
  await once(socket, 'listening');
  cleanups.push(() => new Promise((r) => socket.close(() => r())));
  return Object.assign(socket, { port: socket.address().port });
}

/** Ports that were free a moment ago, so two transports can name each other before binding. */
async function freePorts(count: number): Promise<number[]> {
  const sockets = await Promise.all(Array.from({ length: count }, async () => {
    const socket = createSocket('udp4');
    socket.bind(0, host);
    await once(socket, 'listening');
    return socket;
  }));
  const ports = sockets.map((s) => s.address().port);
  await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

async function peer(listenPort: number, peerPort: number, nodeId: string, peerId: string, key = secret, apiFingerprint: string | null = null): Promise<UdpPeer & { got: Heartbeat[] }> {
  const transport = await openUdpPeer({ listenHost: host, listenPort, peerHost: host, peerPort, clusterId, nodeId, peerId, secret: key, apiFingerprint, log });
  cleanups.push(() => transport.close());
  const got: Heartbeat[] = [];
  transport.onHeartbeat((m) => got.push(m));
  return Object.assign(transport, { got });
}

async function pair(keyB = secret): Promise<[UdpPeer & { got: Heartbeat[] }, UdpPeer & { got: Heartbeat[] }]> {
  const [portA, portB] = (await freePorts(2)) as [number, number];
  return [await peer(portA, portB, 'rs1', 'rs2'), await peer(portB, portA, 'rs2', 'rs1', keyB)];
}

/**
 * The first heartbeats of a pair prove each boot to the other: a's first is unproven at b (it
 * echoes nothing of b's), b's reply echoes a's, a's next echoes b's. Then `got` is emptied.
 */
async function handshake(a: UdpPeer & { got: Heartbeat[] }, b: UdpPeer & { got: Heartbeat[] }): Promise<void> {
  for (let round = 0; round < 20 && (a.got.length === 0 || b.got.length === 0); round += 1) {
    a.send(body('rs1'));
    await settle();
    b.send(body('rs2'));
    await settle();
  }
  assert.ok(a.got.length > 0 && b.got.length > 0, 'the pair proved its boots to each other');
  a.got.length = 0;
  b.got.length = 0;
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadlineMs = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadlineMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Long enough for loopback datagrams already sent to be read, where no event tells us they were. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 200));

function sendRaw(socket: Socket, datagram: Buffer | string, port: number): Promise<void> {
  return new Promise((resolve, reject) => socket.send(datagram, port, host, (error) => (error ? reject(error) : resolve())));
}

const signed = (value: unknown, key = secret): Buffer => encodeDatagram(JSON.stringify(value), key);

describe('openUdpPeer', () => {
  test("each side learns the peer API's certificate fingerprint from its fresh heartbeats only", async () => {
    const fingerprint = 'AB:'.repeat(31) + 'CD';
    const [portA, portB] = (await freePorts(2)) as [number, number];
    const a = await peer(portA, portB, 'rs1', 'rs2', secret, fingerprint);
    const b = await peer(portB, portA, 'rs2', 'rs1');
    assert.equal(b.peerApiFingerprint(), null, 'nothing known before a heartbeat');
    await handshake(a, b);
    assert.equal(b.peerApiFingerprint(), fingerprint, "b pins what a's heartbeats carry");
    assert.equal(a.peerApiFingerprint(), null, "b's API is plain HTTP: it sends none");
    // A datagram from elsewhere (another port, another boot, no echo) cannot change the pin, even with the right MAC.
    const forger = await rawSocket();
    await sendRaw(forger, signed({ ...heartbeat('rs1', 0, noProof), apiFingerprint: 'EF:'.repeat(31) + 'EF' }), portB);
    await settle();
    assert.equal(b.peerApiFingerprint(), fingerprint);
  });

  test('two transports exchange heartbeats both ways and measure the round trip', async () => {
    const [a, b] = await pair();
    assert.deepEqual(a.stats(), { avgMs: null, maxMs: null, lastMs: null, samples: 0, sent: 0, received: 0, rejected: 0 });
    await handshake(a, b);
    const before = { a: a.stats(), b: b.stats() };
    const rounds = 20;
    // Ping-pong: each side answers every heartbeat, a bounded number of times.
    a.onHeartbeat((m) => {
      a.got.push(m);
      if (a.got.length < rounds) a.send(body('rs1'));
    });
    b.onHeartbeat((m) => {
      b.got.push(m);
      if (b.got.length <= rounds) b.send(body('rs2'));
    });
    a.send(body('rs1'));
    await waitFor('the ping-pong', () => a.got.length === rounds && b.got.length === rounds);

    const seqsB = b.got.map((m) => m.seq);
    assert.deepEqual(seqsB, Array.from({ length: rounds }, (_, i) => (seqsB[0] ?? 0) + i), 'seqs increase by one');
    assert.ok(b.got.every((m) => m.boot === a.boot && m.echoBoot === b.boot), 'a sends its boot and echoes b\'s');
    assert.equal(b.got[1]?.echoSeq, a.got[0]?.seq, 'a echoes the seq it last heard from b');
    assert.equal(a.got[0]?.echoSeq, b.got[0]?.seq);
    assert.equal(a.got[0]?.from, 'rs2');
    const statsA = a.stats();
    assert.equal(statsA.sent - before.a.sent, rounds);
    assert.equal(statsA.received - before.a.received, rounds);
    assert.equal(statsA.rejected, 0, 'nothing rejected once the boots are proven');
    assert.ok(statsA.samples >= rounds);
    assert.ok(statsA.avgMs !== null && statsA.maxMs !== null && statsA.lastMs !== null);
    assert.ok(statsA.avgMs >= 0 && statsA.avgMs <= statsA.maxMs && statsA.lastMs <= statsA.maxMs);
    assert.ok(statsA.maxMs < 1_000, `loopback RTT ${statsA.maxMs} ms`);
    const statsB = b.stats();
    assert.ok(statsB.avgMs !== null && statsB.maxMs !== null && statsB.avgMs <= statsB.maxMs);
  });

  test('a heartbeat signed with another secret is rejected, not delivered', async () => {
    const [a, b] = await pair('another-secret');
    a.send(body('rs1'));
    await waitFor('the rejection', () => b.stats().rejected === 1);
    b.send(body('rs2'));
    await waitFor('the rejection', () => a.stats().rejected === 1);
    assert.equal(a.got.length + b.got.length, 0);
    assert.equal(b.stats().received, 0);
  });

  test('heartbeats for another cluster or from another node are rejected', async () => {
    const sender = await rawSocket();
    const [port] = (await freePorts(1)) as [number];
    const a = await peer(port, sender.port, 'rs1', 'rs2');
    const proof = await proofFrom(a, sender, 'rs1');
    await sendRaw(sender, signed(heartbeat('rs2', 0, proof, 'pair-9')), a.port);
    await sendRaw(sender, signed(heartbeat('rs3', 1, proof)), a.port);
    await sendRaw(sender, signed(heartbeat('rs1', 2, proof)), a.port);
    await sendRaw(sender, signed(heartbeat('rs2', 3, proof)), a.port);
    await waitFor('the valid heartbeat', () => a.got.length === 1);
    assert.equal(a.got[0]?.seq, 3);
    assert.equal(a.stats().rejected, 3);
  });

  test('garbage and oversize datagrams are rejected without a crash', async () => {
    const sender = await rawSocket();
    const a = await peer(0, sender.port, 'rs1', 'rs2');
    const proof = await proofFrom(a, sender, 'rs1');
    const json = JSON.stringify(heartbeat('rs2', 0, proof));
    const mac = encodeDatagram(json, secret).subarray(-64).toString();
    const junk: (Buffer | string)[] = [
      'hello',
      Buffer.alloc(0),
      Buffer.alloc(3_000, 0x61),
      signed({ ...heartbeat('rs2', 0, proof), handoverTo: 'x'.repeat(2_100) }), // oversize even with a valid MAC
      json, // no MAC
      `${json}\n${mac.toUpperCase()}`, // the MAC must be lowercase hex
      `${json} \n${mac}`, // the MAC covers the exact bytes
      encodeDatagram('{not json', secret),
      signed({ ...heartbeat('rs2', 0, proof), v: 2 }),
      signed({ ...heartbeat('rs2', 0, proof), extra: true }),
      signed({ ...heartbeat('rs2', 0, proof), boot: 'not-hex' }),
      signed((({ boot: _boot, ...rest }) => rest)(heartbeat('rs2', 0, proof))), // an agent from before freshness
      signed([1, 2, 3]),
      Buffer.from([0xff, 0xfe, 0x0a, 0x00]),
    ];
    for (const datagram of junk) await sendRaw(sender, datagram, a.port);
    await sendRaw(sender, signed(heartbeat('rs2', 7, proof)), a.port);
    await waitFor('the valid heartbeat', () => a.got.length === 1);
    assert.equal(a.got[0]?.seq, 7);
    assert.equal(a.stats().rejected, junk.length);
    assert.equal(a.stats().received, 1);
  });

  test('a valid heartbeat from a port other than the peer port is rejected', async () => {
    const peerSocket = await rawSocket();
    const otherSocket = await rawSocket();
    const a = await peer(0, peerSocket.port, 'rs1', 'rs2');
    const proof = await proofFrom(a, peerSocket, 'rs1');
    await sendRaw(otherSocket, signed(heartbeat('rs2', 0, proof)), a.port);
    await sendRaw(peerSocket, signed(heartbeat('rs2', 1, proof)), a.port);
    await waitFor('the heartbeat from the peer port', () => a.got.length === 1);
    assert.equal(a.got[0]?.seq, 1);
    assert.equal(a.stats().rejected, 1);
  });

  test('a replayed heartbeat counts once: a captured datagram sent again, however often, is refused', async () => {
    const sender = await rawSocket();
    const a = await peer(0, sender.port, 'rs1', 'rs2');
    const proof = await proofFrom(a, sender, 'rs1');
    const captured = signed(heartbeat('rs2', 5, proof));
    await sendRaw(sender, captured, a.port);
    await waitFor('the first copy', () => a.got.length === 1);
    // The same bytes from the same address and port, as in the reproduction of issue 14, and an older seq.
    for (let i = 0; i < 5; i += 1) await sendRaw(sender, captured, a.port);
    await sendRaw(sender, signed(heartbeat('rs2', 4, proof)), a.port);
    await waitFor('the replays refused', () => a.stats().rejected === 6);
    assert.equal(a.got.length, 1, 'only the first copy counted as liveness');
    await sendRaw(sender, signed(heartbeat('rs2', 6, proof)), a.port);
    await waitFor('the next seq', () => a.got.length === 2);
  });

  test('a new boot counts only once it echoes a seq this transport sent recently', async () => {
    const sender = await rawSocket();
    const a = await peer(0, sender.port, 'rs1', 'rs2');
    // Before anything was sent: no echo can prove a boot.
    await sendRaw(sender, signed(heartbeat('rs2', 0, noProof)), a.port);
    await sendRaw(sender, signed(heartbeat('rs2', 1, { echoBoot: 'cd'.repeat(16), echoSeq: 0 })), a.port);
    const proof = await proofFrom(a, sender, 'rs1');
    await sendRaw(sender, signed(heartbeat('rs2', 2, { echoBoot: proof.echoBoot, echoSeq: proof.echoSeq + 1 })), a.port);
    await waitFor('three unproven', () => a.stats().rejected === 3);
    assert.equal(a.got.length, 0, 'no echo of ours, another boot\'s, or a seq never sent');
    await sendRaw(sender, signed(heartbeat('rs2', 3, proof)), a.port);
    await waitFor('the proven boot', () => a.got.length === 1);
    // A heartbeat of the previous boot (the peer restarted since) never counts again.
    const restarted = { ...heartbeat('rs2', 0, await proofFrom(a, sender, 'rs1')), boot: 'ef'.repeat(16) };
    await sendRaw(sender, signed(restarted), a.port);
    await waitFor('the restarted peer', () => a.got.length === 2);
    await sendRaw(sender, signed(heartbeat('rs2', 9, await proofFrom(a, sender, 'rs1'))), a.port);
    await waitFor('the old boot refused', () => a.stats().rejected === 4);
    assert.equal(a.got.length, 2);
  });

  test('setDrop stops delivery in each direction and resuming restores it', async () => {
    const [a, b] = await pair();
    await handshake(a, b);
    const sentBefore = a.stats().sent;
    b.setDrop({ inbound: true, outbound: false });
    for (let i = 0; i < 3; i += 1) a.send(body('rs1'));
    // Inbound drops happen when b reads the datagrams; loopback delivers them well within this.
    await settle();
    b.setDrop({ inbound: false, outbound: false });
    a.send(body('rs1'));
    await waitFor('the heartbeat after the inbound drop', () => b.got.length === 1);
    assert.equal(b.got[0]?.seq, sentBefore + 3, 'the three sent during the drop never arrive');
    assert.equal(b.stats().rejected, 1, 'only the unproven first heartbeat of the handshake');

    a.setDrop({ inbound: false, outbound: true });
    for (let i = 0; i < 3; i += 1) a.send(body('rs1'));
    assert.equal(a.stats().sent, sentBefore + 4, 'dropped outbound heartbeats are not counted as sent');
    await settle();
    a.setDrop({ inbound: false, outbound: false });
    a.send(body('rs1'));
    await waitFor('the heartbeat after the outbound drop', () => b.got.length === 2);
    assert.equal(a.stats().sent, sentBefore + 5);
    assert.equal(b.got[1]?.seq, sentBefore + 4);

    a.setDrop({ inbound: true, outbound: false });
    const seqB = b.stats().sent;
    b.send(body('rs2'));
    b.send(body('rs2'));
    await settle();
    a.setDrop({ inbound: false, outbound: false });
    b.send(body('rs2'));
    await waitFor('the heartbeat b sent after a resumed', () => a.got.length === 1);
    assert.equal(a.got[0]?.seq, seqB + 2);
  });

  test('close is idempotent and a send after close neither throws nor counts', async () => {
    const [a] = await pair();
    await a.close();
    await a.close();
    await Promise.all([a.close(), a.close()]);
    a.send(body('rs1'));
    assert.equal(a.stats().sent, 0);
  });

  test('refuses an empty secret and a malformed heartbeat body never leaves', async () => {
    await assert.rejects(openUdpPeer({ listenHost: host, listenPort: 0, peerHost: host, peerPort: 9, clusterId, nodeId: 'rs1', peerId: 'rs2', secret: '', log }), /secret/);
    const [a, b] = await pair();
    await handshake(a, b);
    const sentBefore = a.stats().sent;
    a.send({ ...body('rs1'), epoch: -1 });
    a.send(body('rs1'));
    await waitFor('the valid heartbeat', () => b.got.length === 1);
    assert.equal(b.got[0]?.seq, sentBefore);
    assert.equal(a.stats().sent, sentBefore + 1);
  });
});

describe('datagram MAC', () => {
  test('verifies its own encoding and nothing altered', () => {
    const datagram = encodeDatagram('{"a":1}', secret);
    assert.equal(verifyDatagram(datagram, secret), '{"a":1}');
    assert.equal(verifyDatagram(datagram, 'other'), null);
    const altered = Buffer.from(datagram);
    altered[2] = 0x62;
    assert.equal(verifyDatagram(altered, secret), null);
    assert.equal(verifyDatagram(Buffer.from('short'), secret), null);
  });
});

describe('PingTracker', () => {
  test('RTT is the time since the send minus the time the peer held the seq', () => {
    const sent = new SentLog();
    const tracker = new PingTracker(sent);
    sent.record(0, 1_000);
    sent.record(1, 1_250);
    assert.equal(tracker.echoed(0, 200, 1_205.125), 5.125);
    assert.deepEqual(tracker.stats(), { avgMs: 5.13, maxMs: 5.13, lastMs: 5.13, samples: 1 });
    assert.equal(tracker.echoed(0, 100, 1_300), null, 'an echo is used once');
    assert.equal(tracker.echoed(-1, 0, 1_300), null);
    assert.equal(tracker.echoed(7, 0, 1_300), null, 'never sent');
    assert.equal(tracker.echoed(1, 300, 1_260), 0, 'clamped at zero');
    assert.deepEqual(tracker.stats(), { avgMs: 2.56, maxMs: 5.13, lastMs: 0, samples: 2 });
  });

  test('forgets seqs beyond the log and keeps the last 120 samples', () => {
    const sent = new SentLog();
    const tracker = new PingTracker(sent);
    for (let seq = 0; seq < 300; seq += 1) sent.record(seq, seq);
    assert.equal(tracker.echoed(10, 0, 400), null, 'seq 10 was overwritten by seq 266');
    assert.equal(tracker.echoed(266, 0, 300), 34);
    const sentFresh = new SentLog();
    const fresh = new PingTracker(sentFresh);
    for (let seq = 0; seq < 200; seq += 1) {
      sentFresh.record(seq, 0);
      fresh.echoed(seq, 0, seq < 80 ? 100 : 1);
    }
    assert.deepEqual(fresh.stats(), { avgMs: 1, maxMs: 1, lastMs: 1, samples: 120 });
  });
});

describe('canonicalIp', () => {
  test('maps IPv4-mapped and differently written IPv6 addresses to one form', () => {
    assert.equal(canonicalIp('::ffff:127.0.0.1'), '127.0.0.1');
    assert.equal(canonicalIp('::FFFF:10.1.2.3'), '10.1.2.3');
    assert.equal(canonicalIp('127.0.0.1'), '127.0.0.1');
    assert.equal(canonicalIp('fe80:0:0:0:0:0:0:1%eth0'), 'fe80::1');
    assert.equal(canonicalIp('2001:DB8::0:1'), '2001:db8::1');
  });
});
