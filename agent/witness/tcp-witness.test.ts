import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { tcpWitness } from './tcp-witness.js';

const host = '127.0.0.1';

test('a listening server makes the witness reachable, and the probe connection is closed at once', async () => {
  const connections: Socket[] = [];
  const server = createServer((socket) => connections.push(socket));
  server.listen(0, host);
  await once(server, 'listening');
  try {
    const { port } = server.address() as { port: number };
    const witness = tcpWitness({ host, port, timeoutMs: 2_000 });
    assert.equal(witness.kind, 'tcp');
    assert.deepEqual(await witness.check(), { reachable: true, peerAlive: null });
    assert.deepEqual(await witness.check(), { reachable: true, peerAlive: null });
    // Both probe connections reach the server and end without sending anything.
    for (let waitedMs = 0; connections.length < 2 && waitedMs < 2_000; waitedMs += 10) await new Promise((r) => setTimeout(r, 10));
    assert.equal(connections.length, 2);
    for (const socket of connections) {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', () => undefined);
      if (!socket.destroyed && !socket.readableEnded) await once(socket, 'close');
      assert.equal(Buffer.concat(chunks).length, 0);
    }
  } finally {
    server.close();
  }
});

test('a closed port makes the witness unreachable, well within the timeout', async () => {
  const server = createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  const startedMs = performance.now();
  assert.deepEqual(await tcpWitness({ host, port, timeoutMs: 5_000 }).check(), { reachable: false, peerAlive: null });
  assert.ok(performance.now() - startedMs < 2_000, 'a refused connection answers at once, not at the timeout');
});

test('invalid options are refused up front', () => {
  assert.throws(() => tcpWitness({ host, port: 0, timeoutMs: 1_000 }), /port/);
  assert.throws(() => tcpWitness({ host, port: 80, timeoutMs: 0 }), /timeoutMs/);
});
