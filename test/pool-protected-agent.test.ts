// A failover pool's protected recording server against real processes (issue 17): a lab with two
// recording servers' identities, a relay on the protected server's shared address, a controller,
// and `twinrec agent` run with a protected server's agent.json. It registers (the controller shows
// a pool with it as a primary node and its shared address) and pushes its RecorderConfig.xml (the
// stored SHA-256 is the file's); it serves through the relay under epoch 1; a standby's claim at
// epoch 2 (through the relay's claim API, as a standby's agent claims) fences it: its recorder is
// stopped, and stopped again when started by hand; a resume at epoch 2 is refused, one at epoch 3
// makes it serve again (the relay at epoch 3 pointing at it, its recorder running); a restarted
// agent remembers its epoch.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { poolProtectedStatusSchema, type PoolProtectedStatus } from '../contracts/pool-v1.js';
import { nodeStatusSchema } from '../contracts/controller-v1.js';
import { PoolRecorderConfigEntity, PoolServerEntity } from '../api/src/db/entities/index.js';
import { RelayEndpoint } from '../agent/endpoint/relay-client.js';
import { sha256Hex } from '../recorder-config-sync/index.js';
import { labFault, startLab, waitFor, type RunningLab } from '../lab/testing/harness.js';
import { runTwinrec, testScratch, type TwinrecProcess } from './helpers/process.js';
import { agentCall, labStatusOf as labProcessStatus, relayStateOf, type AgentAnswer } from './helpers/pool-lab.js';
import { startTestController, type TestController } from './helpers/controller.js';

const secret = 'pool-protected-secret-0123456789';
const { tempDir, running } = testScratch('twinrec-pool-protected-');

let lab: RunningLab;
let controller: TestController;
let relay: { listenPort: number; control: string };
let agent: TwinrecProcess | undefined;
let apiUrl: string;
let agentConfigFile: string;

before(async () => {
  controller = await startTestController({ flags: { 'agents.trustOnFirstUse': true } });
  lab = await startLab(['--pairs', '2', '--cameras', '2', '--block-duration-ms', '1000', '--no-fsync']);
  // recorder-1a is the protected server: its twin of the lab's pair is stopped, it has none in a pool.
  await labFault(lab.description, '/lab/recorders/recorder-1b/stop', {});
  const dir = tempDir();
  const secretFile = join(dir, 'cluster.secret');
  writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
  const proc = runTwinrec(['relay', '--listen', '127.0.0.1:0', '--control', '127.0.0.1:0', '--secret-file', secretFile, '--state-file', join(dir, 'relay-state.json')]);
  running.push(proc);
  const line = JSON.parse(await proc.waitForLine((l) => l.startsWith('{'))) as { listen: string; control: string };
  relay = { listenPort: Number(line.listen.split(':').pop()), control: line.control };
  const own = recorder('recorder-1a');
  const passwordFile = join(dir, 'recorder.password');
  writeFileSync(passwordFile, lab.description.credentials.password, { mode: 0o600 });
  agentConfigFile = join(dir, 'agent.json');
  writeFileSync(agentConfigFile, JSON.stringify({
    cluster: { name: 'pool-p', sharedAddress: `127.0.0.1:${relay.listenPort}`, secretFile },
    node: { id: 'recorder-1a' },
    api: { listen: { host: '127.0.0.1', port: 0 } },
    recorder: { webServerUrl: own.webServerUri, tokenUrl: lab.description.managementServer.tokenUrl, username: lab.description.credentials.username, passwordFile, recorderConfigPath: own.recorderConfigPath },
    service: { kind: 'lab', controlUrl: lab.description.control.url, recorderName: own.name },
    controller: { url: controller.url, reportIntervalMs: 500 },
    pool: { role: 'protected', endpoint: { sharedAddress: `127.0.0.1:${relay.listenPort}`, kind: 'relay', controlUrl: relay.control }, claimIntervalMs: 300, recorderConfigCheckIntervalMs: 1_000, stopTimeoutMs: 60_000 },
    stateDir: join(dir, 'protected-state'),
  }));
});

after(async () => {
  await agent?.stop('SIGTERM', 30_000);
  await lab?.stop();
  await controller?.close();
});

function recorder(name: string) {
  const found = lab.description.pairs.flatMap((p) => p.recorders).find((r) => r.name === name);
  assert.ok(found !== undefined, name);
  return found;
}

async function startProtectedAgent(): Promise<TwinrecProcess> {
  const proc = runTwinrec(['agent', '--config', agentConfigFile]);
  running.push(proc);
  const listening = JSON.parse(await proc.waitForLine((l) => l.includes('"listening"'), 60_000)) as { api: string; heartbeatPort: number | null; node: string };
  assert.equal(listening.node, 'recorder-1a');
  assert.equal(listening.heartbeatPort, null, 'a protected server has no heartbeats');
  apiUrl = listening.api;
  return proc;
}

const call = (method: 'GET' | 'POST', path: string, body?: unknown, token: string | null = secret): Promise<AgentAnswer> => agentCall(apiUrl, token, method, path, body);

async function status(): Promise<PoolProtectedStatus> {
  const answer = await call('GET', '/api/v1/pool');
  assert.equal(answer.status, 200);
  return poolProtectedStatusSchema.parse(answer.body);
}

async function relayState(): Promise<{ epoch: number; nodeId: string | null }> {
  const state = await relayStateOf(relay.control, secret);
  return { epoch: state.epoch, nodeId: state.target?.nodeId ?? null };
}

const labStatusOf = (name: string): Promise<string | undefined> => labProcessStatus(lab.description, name);

/** The pool cluster and the protected node as the controller shows them. */
async function controllerView(): Promise<{ clusterId: string; mode: string; node: { id: string; role: string } | undefined } | undefined> {
  const get = async <T>(path: string): Promise<T> => (await (await fetch(`${controller.url}${path}`, { headers: controller.authHeader, signal: AbortSignal.timeout(10_000) })).json()) as T;
  const clusters = await get<{ items: Array<{ id: string; name: string; mode: string; nodes: Array<{ id: string; name: string; role: string }> }> }>('/api/v1/clusters');
  const cluster = clusters.items.find((c) => c.name === 'pool-p');
  return cluster === undefined ? undefined : { clusterId: cluster.id, mode: cluster.mode, node: cluster.nodes.find((n) => n.name === 'recorder-1a') };
}

describe('pool protected server (lab)', () => {
  test('registers and pushes its RecorderConfig.xml, serves under epoch 1, is fenced by a standby\'s claim and stays stopped, and serves again on a resume', { timeout: 300_000 }, async () => {
    const own = recorder('recorder-1a');
    agent = await startProtectedAgent();
    assert.equal((await call('GET', '/api/v1/pool', undefined, null)).status, 401, 'no secret, no status');
    assert.equal((await call('POST', '/api/v1/pool/resume', { epoch: 9 }, 'wrong-secret-0123456789')).status, 401, 'no secret, no resume');
    assert.equal((await call('POST', '/api/v1/pool/takeover', {})).status, 404, "a standby's orders are not a protected server's");

    // It claims its endpoint at epoch 1 and serves.
    assert.deepEqual(await waitFor('the relay pointing at the protected server under epoch 1', async () => {
      const state = await relayState();
      return state.nodeId === null ? undefined : state;
    }, 30_000, 250), { epoch: 1, nodeId: 'recorder-1a' });
    assert.deepEqual(await status().then((s) => [s.state, s.epoch, s.fencedByEpoch]), ['serving', 1, null]);

    // Registered as the pool's protected server, with its shared address and its RecorderConfig.xml.
    const view = await waitFor('the controller to show the pool', async () => {
      const v = await controllerView();
      return v?.node === undefined ? undefined : v;
    }, 30_000, 250);
    assert.deepEqual({ mode: view.mode, role: view.node?.role }, { mode: 'pool', role: 'primary' });
    const nodeId = view.node?.id as string;
    const m = controller.db.dataSource.manager;
    assert.equal((await m.findOneByOrFail(PoolServerEntity, { nodeId })).sharedAddress, `127.0.0.1:${relay.listenPort}`);
    const pushed = await waitFor('the RecorderConfig.xml pushed', () => m.findOneBy(PoolRecorderConfigEntity, { nodeId }).then((r) => r ?? undefined), 30_000, 250);
    assert.equal(pushed.sha256, sha256Hex(readFileSync(own.recorderConfigPath)));
    assert.equal(pushed.recorderId, lab.description.pairs[0]?.recorderId.toLowerCase());
    // Its reports carry its pool state.
    const reported = await waitFor('a report with poolProtected', async () => {
      const answer = await call('GET', '/api/v1/state');
      const s = nodeStatusSchema.parse(answer.body);
      return s.poolProtected !== undefined ? s : undefined;
    }, 10_000, 250);
    assert.deepEqual({ state: reported.state, serving: reported.serving, pool: reported.poolProtected?.state }, { state: 'ALONE', serving: true, pool: 'serving' });

    // A standby takes the identity over: its claim at epoch 2 on the relay, as its agent claims.
    const standbyClaim = new RelayEndpoint(relay.control, secret);
    const standbyTarget = { nodeId: 'standby-2a', host: recorder('recorder-2a').imageServer.host, port: recorder('recorder-2a').imageServer.port };
    assert.deepEqual(await standbyClaim.claim(2, standbyTarget), { accepted: true });
    const fenced = await waitFor('the protected server fenced', async () => {
      const s = await status();
      return s.state === 'fenced' ? s : undefined;
    }, 30_000, 200);
    assert.deepEqual({ epoch: fenced.epoch, fencedByEpoch: fenced.fencedByEpoch }, { epoch: 1, fencedByEpoch: 2 });
    await waitFor('its recorder stopped', async () => ((await labStatusOf('recorder-1a')) === 'stopped' ? true : undefined), 60_000, 250);
    assert.deepEqual(await relayState(), { epoch: 2, nodeId: 'standby-2a' }, 'it never claims above the standby');

    // Started by hand while fenced: stopped again.
    await labFault(lab.description, '/lab/recorders/recorder-1a/start', {});
    assert.equal(await labStatusOf('recorder-1a'), 'running', 'the lab started it');
    await waitFor('the fenced recorder stopped again', async () => ((await labStatusOf('recorder-1a')) === 'stopped' ? true : undefined), 60_000, 250);
    assert.equal((await status()).state, 'fenced');

    // A restarted agent stays fenced, and keeps the recorder stopped.
    assert.equal(await agent.stop('SIGTERM', 30_000), 0, 'SIGTERM stops the agent cleanly');
    agent = await startProtectedAgent();
    assert.deepEqual(await status().then((s) => [s.state, s.epoch, s.fencedByEpoch]), ['fenced', 1, 2]);

    // The standby releases; a resume not above the standby's epoch is refused, one above it serves again.
    await standbyClaim.release(2, 'standby-2a');
    const low = await call('POST', '/api/v1/pool/resume', { epoch: 2 });
    assert.deepEqual([low.status, low.body['type']], [409, 'urn:twinrec:problem:pool-epoch-fenced']);
    const badBody = await call('POST', '/api/v1/pool/resume', { epoch: 0 });
    assert.deepEqual([badBody.status, badBody.body['type']], [400, 'urn:twinrec:problem:validation-failed']);
    const resumed = await call('POST', '/api/v1/pool/resume', { epoch: 3 });
    assert.equal(resumed.status, 202, JSON.stringify(resumed.body));
    const serving = await waitFor('the protected server serving again', async () => {
      const s = await status();
      assert.notEqual(s.state, 'failed', JSON.stringify(s.error));
      return s.state === 'serving' ? s : undefined;
    }, 120_000, 250);
    assert.equal(serving.epoch, 3);
    assert.deepEqual(await relayState(), { epoch: 3, nodeId: 'recorder-1a' });
    assert.equal(await labStatusOf('recorder-1a'), 'running');
    assert.equal((await call('POST', '/api/v1/pool/resume', { epoch: 3 })).status, 202, 'the same resume again is no error');

    // A restarted agent remembers the epoch it resumed under, and serves on under it.
    assert.equal(await agent.stop('SIGTERM', 30_000), 0);
    agent = await startProtectedAgent();
    assert.deepEqual(await status().then((s) => [s.state, s.epoch]), ['serving', 3]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.deepEqual(await relayState(), { epoch: 3, nodeId: 'recorder-1a' }, 'its claims under epoch 3 are accepted');
    assert.equal((await status()).state, 'serving');
  });
});
