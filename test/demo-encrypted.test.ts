// `twinrec demo --encrypted` as a real process: every endpoint it prints is HTTPS/TLS with the
// fingerprint to pin, the controller's certificate is the one it prints (generated in the data
// folder), the agents register over HTTPS and one node serves, and SIGINT stops everything.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { waitFor } from '../lab/testing/harness.js';
import { isRunning } from '../lab/up.js';
import { pinnedFetch } from '../shared/tls/pinned-fetch.js';
import { runTwinrec } from './helpers/process.js';

interface DemoDocument {
  endpoints: {
    controller: { url: string; fingerprint256: string | null };
    clusters: Array<{ name: string; relayControl: string; relayControlFingerprint: string | null; nodes: Array<{ node: string; webServerUri: string; webServerFingerprint: string | null; agentApi: string; agentApiFingerprint: string | null }> }>;
  };
  pids: { labControl: number; cameraHub: number; managementServer: number; clusters: Array<{ relay: number; nodes: Record<string, { recorder: number; agent: number }> }> };
  credentials: { console: { username: string; password: string }; clusters: Array<{ secretFile: string }> };
}

test('twinrec demo --encrypted: HTTPS and TLS on every link, each with the fingerprint to pin; the pair serves through the HTTPS controller', { timeout: 300_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'twinrec-demo-enc-'));
  const demo = runTwinrec(['demo', '--encrypted', '--cameras', '1', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn', '--json']);
  const pids: number[] = [];
  try {
    const doc = JSON.parse(await demo.waitForLine((l) => l.startsWith('{'), 240_000)) as DemoDocument;
    const pair = doc.pids.clusters[0];
    assert.ok(pair !== undefined);
    pids.push(doc.pids.labControl, doc.pids.cameraHub, doc.pids.managementServer, pair.relay, ...Object.values(pair.nodes).flatMap((n) => [n.recorder, n.agent]));

    const controller = doc.endpoints.controller;
    assert.match(controller.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const fingerprint = controller.fingerprint256 ?? '';
    assert.equal(new X509Certificate(readFileSync(join(dataDir, 'tls', 'controller.crt'))).fingerprint256, fingerprint, 'the printed fingerprint is the generated certificate\'s');
    const cluster = doc.endpoints.clusters[0];
    assert.ok(cluster !== undefined);
    assert.match(cluster.relayControl, /^https:/);
    assert.match(cluster.relayControlFingerprint ?? '', /^[0-9A-F:]{95}$/);
    for (const node of cluster.nodes) {
      assert.match(node.webServerUri, /^https:/);
      assert.match(node.webServerFingerprint ?? '', /^[0-9A-F:]{95}$/);
      assert.match(node.agentApi, /^https:/);
      assert.match(node.agentApiFingerprint ?? '', /^[0-9A-F:]{95}$/);
    }

    // The console login over HTTPS, trusting the printed fingerprint; the agents registered over HTTPS and one serves.
    await assert.rejects(fetch(`${controller.url}/api/v1/auth/session`), 'a client that does not trust the certificate is refused');
    const login = await pinnedFetch(`${controller.url}/api/v1/auth/login`, fingerprint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(doc.credentials.console) });
    assert.equal(login.status, 200);
    const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
    const headers = { cookie };
    const clusterId = await waitFor('the agents to register over HTTPS', async () => {
      const list = (await (await pinnedFetch(`${controller.url}/api/v1/clusters`, fingerprint, { headers })).json()) as { items: Array<{ id: string; name: string }> };
      return list.items.find((c) => c.name === cluster.name)?.id;
    }, 90_000);
    await waitFor('one Serving node, both reporting', async () => {
      const s = (await (await pinnedFetch(`${controller.url}/api/v1/clusters/${clusterId}/state`, fingerprint, { headers })).json()) as { servingNodeId: string | null; nodes: Array<{ haStatus: string; reachable: boolean }> };
      return s.servingNodeId !== null && s.nodes.filter((n) => n.haStatus === 'Serving').length === 1 && s.nodes.every((n) => n.reachable) ? true : undefined;
    }, 120_000);
    // An agent's API answers the secret only over TLS with its own certificate.
    const secret = readFileSync(doc.credentials.clusters[0]?.secretFile ?? '', 'utf8').trim();
    const agent = cluster.nodes[0];
    const state = await pinnedFetch(`${agent?.agentApi}/api/v1/state`, agent?.agentApiFingerprint ?? '', { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(state.status, 200);

    demo.child.kill('SIGINT');
    await demo.exited(120_000);
    await waitFor('every demo process to end', () => (pids.every((pid) => !isRunning(pid)) ? true : undefined), 60_000);
  } finally {
    await demo.stop('SIGKILL', 1_000);
    for (const pid of pids) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
