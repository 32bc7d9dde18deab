// The simplest witness: can this node open a TCP connection to a chosen address (a gateway,
// the management server)? It tells a node whether it is isolated; it cannot vouch for the peer.
import { connect, type Socket } from 'node:net';
import type { Witness, WitnessAnswer } from '../shell/ports.js';

export interface TcpWitnessOptions {
  readonly host: string;
  readonly port: number;
  /** Longest wait for the connection before the witness counts as unreachable. */
  readonly timeoutMs: number;
}

/**
 * A witness that is reachable when a TCP connection to host:port succeeds within timeoutMs.
 * The connection is closed as soon as it opens; nothing is sent.
 *
 * @example
 *   const answer = await tcpWitness({ host: '10.0.0.1', port: 443, timeoutMs: 1_000 }).check();
 */
export function tcpWitness(options: TcpWitnessOptions): Witness {
  const { host, port, timeoutMs } = options;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`tcp witness port must be within 1..65535, not ${port}`);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error(`tcp witness timeoutMs must be positive, not ${timeoutMs}`);
  return { kind: 'tcp', check: () => probe(host, port, timeoutMs) };
}

function probe(host: string, port: number, timeoutMs: number): Promise<WitnessAnswer> {
  return new Promise((resolve) => {
    let socket: Socket;
    try {
      socket = connect({ host, port });
    } catch {
      // connect() reports bad hosts through 'error'; this only guards a synchronous throw.
      resolve({ reachable: false, peerAlive: null });
      return;
    }
    // The timer covers the DNS lookup as well as the handshake.
    const timer = setTimeout(() => finish(false), timeoutMs);
    function finish(reachable: boolean): void {
      clearTimeout(timer);
      socket.removeAllListeners('connect');
      socket.destroy();
      resolve({ reachable, peerAlive: null });
    }
    socket.once('connect', () => finish(true));
    // Kept for the socket's lifetime: an error after finish() must not become an uncaught one.
    socket.on('error', () => finish(false));
  });
}
