import { mkdirSync, openSync, closeSync, statSync, unlinkSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Free ports for the lab's processes, which bind them moments after `lab up` chose them.
 *
 * Two races made `lab up` fail with EADDRINUSE (seen in CI) when ports came from bind(0):
 * - bind(0) ports are in the kernel's ephemeral range, from which every outgoing connection on
 *   the machine also takes its source port; a test's connection could take a port between its
 *   release here and the process's bind;
 * - two labs starting at once could each see the same port free.
 * So the ports come from below the ephemeral range (see `portRange`), where no outgoing
 * connection ever lands, and each chosen port is claimed across processes by a file created
 * with O_EXCL. A claim only has to outlive the window up to the bind, after which the bound
 * socket itself refuses the next lab; it lapses after `claimLifetimeMs`.
 */

/** Linux's default ephemeral range is 32768–60999 (/proc/sys/net/ipv4/ip_local_port_range). */
export const portRange = { first: 20_000, last: 32_767 } as const;
const claimLifetimeMs = 120_000;
/** One folder per user: a claim is a promise between the labs of one account. */
export const claimFolder = join(tmpdir(), `twinrec-lab-port-claims-${process.getuid?.() ?? 'user'}`);
/** Candidates tried per port wanted, before giving up: the range is ~12,800 ports. */
const attemptsPerPortMax = 64;

type Protocol = 'tcp' | 'udp';

function portCountCheck(count: number): void {
  if (!Number.isInteger(count) || count < 0 || count > 1000) throw new Error(`bad port count ${count}`);
}

/** Claims `port` for this process unless a claim younger than claimLifetimeMs holds it. */
function claim(port: number, nowMs: number): boolean {
  const path = join(claimFolder, String(port));
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      closeSync(openSync(path, 'wx', 0o600));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let ageMs: number;
      try {
        ageMs = nowMs - statSync(path).mtimeMs;
      } catch {
        continue; // removed in between: try again
      }
      if (ageMs < claimLifetimeMs) return false;
      try {
        unlinkSync(path); // a lapsed claim
      } catch {
        // another process removed it first
      }
    }
  }
  return false;
}

function unclaim(port: number): void {
  try {
    unlinkSync(join(claimFolder, String(port)));
  } catch {
    // already gone
  }
}

/** Whether `port` can be bound on `host` now (TCP listen, or UDP bind). */
function bindable(protocol: Protocol, port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    if (protocol === 'tcp') {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
      return;
    }
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

async function reserve(protocol: Protocol, count: number, host: string, firstCandidate: number | undefined): Promise<number[]> {
  portCountCheck(count);
  mkdirSync(claimFolder, { recursive: true, mode: 0o700 });
  const span = portRange.last - portRange.first + 1;
  const ports: number[] = [];
  const start = firstCandidate === undefined ? Math.floor(Math.random() * span) : firstCandidate - portRange.first;
  if (start < 0 || start >= span) throw new Error(`port ${firstCandidate} is outside ${portRange.first}–${portRange.last}`);
  let step = 0;
  for (let attempt = 0; ports.length < count; attempt += 1) {
    if (attempt >= count * attemptsPerPortMax || step >= span) throw new Error(`no free ${protocol} port on ${host} in ${portRange.first}–${portRange.last} after ${attempt} attempts`);
    const port = portRange.first + ((start + step) % span);
    step += 1;
    if (!claim(port, Date.now())) continue;
    if (await bindable(protocol, port, host)) ports.push(port);
    else unclaim(port);
  }
  return ports;
}

/**
 * `count` free TCP ports on `host`, claimed for the lab (see the module comment). The search
 * starts at a random port of the range, or at `firstCandidate` (tests).
 */
export function reserveFreePorts(count: number, host = '127.0.0.1', firstCandidate?: number): Promise<number[]> {
  return reserve('tcp', count, host, firstCandidate);
}

/** `count` free UDP ports on `host` (the agents' heartbeat ports), claimed the same way. */
export function reserveFreeUdpPorts(count: number, host = '127.0.0.1', firstCandidate?: number): Promise<number[]> {
  return reserve('udp', count, host, firstCandidate);
}
