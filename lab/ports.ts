import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * Finds `count` free TCP ports on `host` by binding them all at once and releasing them. The
 * processes that use them bind them moments later; the kernel hands out bind(0) ports from a
 * different parity than outgoing connections, which keeps the window for a clash small.
 */
export async function reserveFreePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  if (!Number.isInteger(count) || count < 0 || count > 1000) throw new Error(`bad port count ${count}`);
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, host, () => resolve());
      });
    }
    return servers.map((server) => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

/**
 * The UDP counterpart of reserveFreePorts (the agents' heartbeat ports): binds `count` UDP
 * sockets to port 0 on `host` at once, notes their ports and closes them. The same small race
 * applies: another program could bind a port between here and the agent's bind, and the agent
 * then fails to start (`lab up` fails; it does not hang).
 */
export async function reserveFreeUdpPorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  if (!Number.isInteger(count) || count < 0 || count > 1000) throw new Error(`bad port count ${count}`);
  const sockets: UdpSocket[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, host, () => resolve());
      });
    }
    return sockets.map((socket) => socket.address().port);
  } finally {
    await Promise.all(
      sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            try {
              socket.close(() => resolve());
            } catch {
              resolve(); // never bound
            }
          }),
      ),
    );
  }
}
