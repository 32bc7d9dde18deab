import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { claimFolder, portRange, reserveFreePorts, reserveFreeUdpPorts } from './ports.js';

function ephemeralRange(): { first: number; last: number } {
  const [first, last] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  return { first: first as number, last: last as number };
}

test('lab ports lie outside the ephemeral range, where outgoing connections take theirs', async () => {
  const { first, last } = ephemeralRange();
  const ports = [...(await reserveFreePorts(20)), ...(await reserveFreeUdpPorts(5))];
  assert.equal(ports.length, 25);
  for (const port of ports) assert.ok(port < first || port > last, `port ${port} is in the ephemeral range ${first}–${last}`);
});

test('labs reserving before either has bound its ports never get the same port', async () => {
  // All start their search on the same port, one after the other and nothing binds: only the
  // claims keep them apart.
  const first = portRange.first + Math.floor(Math.random() * (portRange.last - portRange.first - 1000));
  const batches: number[][] = [];
  for (let lab = 0; lab < 4; lab += 1) batches.push(await reserveFreePorts(30, '127.0.0.1', first));
  batches.push(...(await Promise.all([reserveFreePorts(30, '127.0.0.1', first), reserveFreePorts(30, '127.0.0.1', first)])));
  const all = batches.flat();
  assert.equal(new Set(all).size, all.length, 'a port was handed to two labs');
});

test('a port some process is listening on is never handed out, claimed or not', async () => {
  const held: Server[] = [];
  try {
    const ports = await reserveFreePorts(5);
    const first = Math.min(...ports);
    for (const port of ports) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
      held.push(server);
      rmSync(join(claimFolder, String(port)), { force: true }); // bound, no longer claimed
    }
    // A search that starts on the held ports must step over them.
    const fresh = await reserveFreePorts(20, '127.0.0.1', first);
    assert.equal(fresh.filter((port) => ports.includes(port)).length, 0);
    assert.equal(fresh.length, 20);
  } finally {
    await Promise.all(held.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
});

test('a search start outside the range is refused', async () => {
  await assert.rejects(reserveFreePorts(1, '127.0.0.1', portRange.last + 1), /outside/);
});

test('a bad count is refused', async () => {
  await assert.rejects(reserveFreePorts(-1), /bad port count/);
  await assert.rejects(reserveFreeUdpPorts(1.5), /bad port count/);
});
