// `twinrec demo` (npm start) as a real process: it prints one JSON document with every
// endpoint, pid and credential (the console's admin login works), the pair settles with one
// Serving node registered at the controller, and SIGINT stops every process it started.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { waitFor } from '../lab/testing/harness.js';
import { isRunning } from '../lab/up.js';
import { login } from './helpers/auth.js';
import { runTwinrec } from './helpers/process.js';

interface DemoDocument {
  labDir: string;
  endpoints: { controller: { url: string; console: string }; clusters: Array<{ name: string; sharedAddress: string; nodes: Array<{ node: string; agentApi: string }> }> };
  pids: { controller: number; labControl: number; cameraHub: number; managementServer: number; clusters: Array<{ relay: number; nodes: Record<string, { recorder: number; agent: number }> }> };
  credentials: { console: { username: string; password: string }; managementServer: { username: string; password: string }; clusters: Array<{ name: string; secretFile: string }> };
}

test('twinrec demo starts the controller, a pair of 8 cameras, its agents and relay, prints a working console login; SIGINT stops them all; a restart prints the same login', { timeout: 300_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'twinrec-demo-'));
  const demo = runTwinrec(['demo', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn', '--json']);
  const pids: number[] = [];
  let restarted: ReturnType<typeof runTwinrec> | undefined;
  try {
    const line = await demo.waitForLine((l) => l.startsWith('{'), 240_000);
    const doc = JSON.parse(line) as DemoDocument;
    const pair = doc.pids.clusters[0];
    assert.ok(pair !== undefined);
    pids.push(doc.pids.labControl, doc.pids.cameraHub, doc.pids.managementServer, pair.relay, ...Object.values(pair.nodes).flatMap((n) => [n.recorder, n.agent]));
    assert.equal(doc.pids.controller, demo.pid, 'the controller runs in the demo process');
    assert.equal(Object.keys(pair.nodes).length, 2);
    for (const pid of pids) assert.ok(isRunning(pid), `pid ${pid} is running`);
    assert.match(doc.endpoints.clusters[0]?.sharedAddress ?? '', /^127\.0\.0\.1:\d+$/);
    assert.ok(doc.credentials.managementServer.password.length >= 16);
    const secret = readFileSync(doc.credentials.clusters[0]?.secretFile ?? '', 'utf8').trim();
    assert.ok(secret.length >= 16);

    // The console is at the controller's root, and the printed admin login opens a session.
    const controller = doc.endpoints.controller.url;
    assert.equal(doc.endpoints.controller.console, `${controller}/`);
    assert.equal(doc.credentials.console.username, 'admin');
    assert.equal((await fetch(`${controller}/api/v1/clusters`)).status, 401, 'the API needs a login');
    const { cookie } = await login(controller, doc.credentials.console.username, doc.credentials.console.password);
    const headers = { cookie };
    const kept = join(dataDir, 'demo-admin-password');
    assert.equal(readFileSync(kept, 'utf8').trim(), doc.credentials.console.password, 'kept for the next start');
    assert.equal(statSync(kept).mode & 0o777, 0o600, 'readable by its owner only');

    // 8 cameras recorded by the pair; one node Serving, registered with the controller.
    const clusterId = await waitFor('the agents to register the cluster', async () => {
      const list = (await (await fetch(`${controller}/api/v1/clusters`, { headers })).json()) as { items: Array<{ id: string; name: string }> };
      return list.items.find((c) => c.name === doc.endpoints.clusters[0]?.name)?.id;
    }, 60_000);
    const state = await waitFor('one Serving node at the controller', async () => {
      const s = (await (await fetch(`${controller}/api/v1/clusters/${clusterId}/state`, { headers })).json()) as { servingNodeId: string | null; nodes: Array<{ haStatus: string; reachable: boolean }> };
      return s.servingNodeId !== null && s.nodes.filter((n) => n.haStatus === 'Serving').length === 1 && s.nodes.every((n) => n.reachable) ? s : undefined;
    }, 90_000);
    assert.equal(state.nodes.length, 2);
    const agent = doc.endpoints.clusters[0]?.nodes[0];
    const status = (await (await fetch(`${agent?.agentApi}/api/v1/state`, { headers: { authorization: `Bearer ${secret}` } })).json()) as { cameras: unknown[] };
    await waitFor('the agent to see 8 cameras', async () => {
      const s = (await (await fetch(`${agent?.agentApi}/api/v1/state`, { headers: { authorization: `Bearer ${secret}` } })).json()) as { cameras: unknown[] };
      return s.cameras.length === 8 ? true : undefined;
    }, 60_000);
    assert.ok(Array.isArray(status.cameras));

    demo.child.kill('SIGINT');
    await demo.exited(120_000);
    await waitFor('every demo process to end', () => (pids.every((pid) => !isRunning(pid)) ? true : undefined), 60_000);

    // Started again on the same data folder, it prints the same admin login, and it still works.
    const again = runTwinrec(['demo', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn', '--json']);
    restarted = again;
    const second = JSON.parse(await again.waitForLine((l) => l.startsWith('{'), 240_000)) as DemoDocument;
    const secondPair = second.pids.clusters[0];
    pids.push(second.pids.labControl, second.pids.cameraHub, second.pids.managementServer, ...(secondPair === undefined ? [] : [secondPair.relay, ...Object.values(secondPair.nodes).flatMap((n) => [n.recorder, n.agent])]));
    assert.deepEqual(second.credentials.console, doc.credentials.console);
    await login(second.endpoints.controller.url, second.credentials.console.username, second.credentials.console.password);
    again.child.kill('SIGINT');
    await again.exited(120_000);
    await waitFor('every process of the second demo to end', () => (pids.every((pid) => !isRunning(pid)) ? true : undefined), 60_000);
  } finally {
    await demo.stop('SIGKILL', 1_000);
    await restarted?.stop('SIGKILL', 1_000);
    for (const pid of pids) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
