// The relay serving endpoint as a real process: clients reach the node holding the highest
// epoch, stale claims are fenced (also across a relay restart), and a move cuts old links.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandEndpoint } from '../agent/endpoint/command-endpoint.js';
import { RelayEndpoint } from '../agent/endpoint/relay-client.js';
import { EndpointError } from '../agent/endpoint/serving-endpoint.js';
import { runTwinrec, type TwinrecProcess } from './helpers/process.js';

const dir = mkdtempSync(join(tmpdir(), 'twinrec-relay-'));
const servers: Server[] = [];
const procs: TwinrecProcess[] = [];
after(async () => {
  for (const p of procs) await p.stop('SIGKILL', 2_000);
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A stand-in for a recorder's web server port: greets every connection with its name. */
async function greeter(name: string): Promise<number> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.write(`${name}\n`);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

/** Connects through the relay; resolves with the greeting, or '' when the relay refuses. */
function through(port: number): Promise<{ greeting: string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const closed = once(socket, 'close').then(() => undefined);
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      data += d;
      if (data.endsWith('\n')) resolve({ greeting: data.trim(), closed });
    });
    socket.on('close', () => resolve({ greeting: data.trim(), closed }));
    socket.on('error', () => {});
    socket.setTimeout(10_000, () => reject(new Error('no answer through the relay')));
  });
}

async function startRelay(secretFile: string, stateFile: string) {
  const proc = runTwinrec(['relay', '--listen', '127.0.0.1:0', '--control', '127.0.0.1:0', '--secret-file', secretFile, '--state-file', stateFile]);
  procs.push(proc);
  const line = JSON.parse(await proc.waitForLine((l) => l.startsWith('{'))) as { listen: string; control: string };
  return { proc, listenPort: Number(line.listen.split(':').pop()), control: line.control };
}

describe('relay serving endpoint', () => {
  test('routes to the highest epoch, fences stale claims, cuts old connections on a move, and keeps its epoch across restarts', async () => {
    const secret = 'cluster-secret-0123456789';
    const secretFile = join(dir, 'secret');
    const stateFile = join(dir, 'relay-state.json');
    writeFileSync(secretFile, `${secret}\n`);
    const a = { nodeId: 'rec-a', host: '127.0.0.1', port: await greeter('A') };
    const b = { nodeId: 'rec-b', host: '127.0.0.1', port: await greeter('B') };
    const relay = await startRelay(secretFile, stateFile);
    const endpoint = new RelayEndpoint(relay.control, secret);

    assert.equal((await through(relay.listenPort)).greeting, '', 'nobody serves: the connection is refused');
    assert.deepEqual(await endpoint.claim(2, a), { accepted: true });
    assert.deepEqual(await endpoint.claim(2, a), { accepted: true }, 'a repeated claim is idempotent');
    const onA = await through(relay.listenPort);
    assert.equal(onA.greeting, 'A');
    assert.deepEqual(await endpoint.claim(1, b), { accepted: false, currentEpoch: 2 });

    assert.deepEqual(await endpoint.claim(3, b), { accepted: true });
    await onA.closed; // the client still on A is cut, so it reconnects to the Serving node
    assert.equal((await through(relay.listenPort)).greeting, 'B');
    await endpoint.release(2, 'rec-a');
    assert.equal((await through(relay.listenPort)).greeting, 'B', 'a stale release changes nothing');

    const wrong = await fetch(`${relay.control}/state`, { headers: { authorization: 'Bearer not-the-secret' } });
    assert.equal(wrong.status, 401);
    const bad = await fetch(`${relay.control}/claim`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ epoch: -1, nodeId: 'x', host: 'h', port: 0, extra: 1 }) });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { type: string }).type, 'urn:twinrec:problem:validation-failed');

    assert.equal(await relay.proc.stop('SIGTERM'), 0);
    assert.deepEqual(JSON.parse(readFileSync(stateFile, 'utf8')), { epoch: 3 });
    const again = await startRelay(secretFile, stateFile);
    const endpoint2 = new RelayEndpoint(again.control, secret);
    assert.deepEqual(await endpoint2.claim(3, a), { accepted: false, currentEpoch: 3 }, 'the epoch survived the restart');
    assert.deepEqual(await endpoint2.claim(4, a), { accepted: true });
    await endpoint2.release(4, 'rec-a');
    assert.equal((await through(again.listenPort)).greeting, '', 'released: nobody serves');
    assert.equal(await again.proc.stop('SIGTERM'), 0);
  });

  test('the relay refuses a short or missing secret file', async () => {
    const short = join(dir, 'short');
    writeFileSync(short, 'tiny');
    for (const file of [short, join(dir, 'missing')]) {
      const proc = runTwinrec(['relay', '--listen', '127.0.0.1:0', '--control', '127.0.0.1:0', '--secret-file', file]);
      procs.push(proc);
      assert.equal(await proc.exited(), 2);
      assert.match(proc.stderr(), /--secret-file/);
    }
  });
});

describe('command serving endpoint', () => {
  const script = (name: string, body: string): string => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };

  test('runs the script with the action, host, port and epoch, and checks its exit code', async () => {
    const log = join(dir, 'calls.log');
    const endpoint = new CommandEndpoint({ command: script('ok.sh', `echo "$@ $TWINREC_EPOCH $TWINREC_CLUSTER_ID" >> ${log}`), clusterId: 'c1' });
    assert.deepEqual(await endpoint.claim(7, { nodeId: 'rec-b', host: 'rec-b.example', port: 7563 }), { accepted: true });
    await endpoint.release(7, 'rec-b');
    assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), ['claim rec-b.example 7563 7 7 c1', 'release rec-b 0 7 7 c1']);
  });

  test('exit 3 means fenced; other failures, a timeout or a missing script are errors', async () => {
    const fenced = new CommandEndpoint({ command: script('fenced.sh', 'echo "current epoch 9"; exit 3'), clusterId: 'c1' });
    assert.deepEqual(await fenced.claim(7, { nodeId: 'a', host: 'a', port: 1 }), { accepted: false, currentEpoch: 9 });
    const failing = new CommandEndpoint({ command: script('fail.sh', 'echo "no such zone" >&2; exit 1'), clusterId: 'c1' });
    await assert.rejects(failing.claim(7, { nodeId: 'a', host: 'a', port: 1 }), (e: Error) => e instanceof EndpointError && /exit 1.*no such zone/.test(e.message));
    const slow = new CommandEndpoint({ command: script('slow.sh', 'sleep 30'), clusterId: 'c1', timeoutMs: 300 });
    await assert.rejects(slow.claim(7, { nodeId: 'a', host: 'a', port: 1 }), /timed out after 300 ms/);
    const missing = new CommandEndpoint({ command: join(dir, 'nope.sh'), clusterId: 'c1' });
    await assert.rejects(missing.claim(7, { nodeId: 'a', host: 'a', port: 1 }), /spawn failed/);
  });
});
