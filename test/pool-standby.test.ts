// The pool standby's takeover against real processes (issue 17): a lab with two recording
// servers' identities, a relay on the protected server's shared address, and `twinrec agent` run
// with a pool standby's agent.yaml, driven over its local API as the controller drives it. The
// protected recorder is killed; the standby takes its identity (cloned RecorderConfig.xml,
// applied while stopped), records its cameras, and the relay forwards the shared address to it
// under the new epoch; a lower epoch is refused; a restarted agent knows what it serves; a
// release gives the standby its own file and identity back. The second test drives the standby
// service in-process: a takeover that cannot become healthy.
//
// No controller here: its pool supervisor releases a takeover that no standby lease gives, as
// it should. test/pool-failover-lab.test.ts has the controller order the takeover and see it.
//
// The lab has no failover recording server (one registered with the Management Server as a
// standby, without cameras of its own): the standby here is recorder-2a, a recording server
// with its own identity (pair 2) and its own cameras. Everything the takeover does to it is
// what it does to a real standby; only its own cameras are extra.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PoolStandbyStatus, type PoolTakeoverRequest } from '../contracts/pool-v1.js';
import { RelayEndpoint } from '../agent/endpoint/relay-client.js';
import { ownConfigFile, startStandbyService, webServerPortOf } from '../agent/pool/standby-service.js';
import { parseRecorderConfig, sha256Hex } from '../recorder-config-sync/index.js';
import { indexedFrames, labFault, waitFor, type RunningLab } from '../lab/testing/harness.js';
import { testScratch, type TwinrecProcess } from './helpers/process.js';
import { inProcessStandbyOptions, labRecorder, StandbyAgent, startStandbyLab, type StandbyLab } from './helpers/pool-standby-lab.js';
import { labStatusOf as labProcessStatus, liveThroughSharedAddress as liveThroughRelay, recordingCameras as camerasRecording, relayStateOf, type AgentAnswer, type RelayState } from './helpers/pool-lab.js';

const secret = 'pool-cluster-secret-0123456789';
const protectedNodeId = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';
const otherNodeId = '7a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d';
const { tempDir, running } = testScratch('twinrec-pool-standby-');

let lab: RunningLab;
let relay: StandbyLab['relay'];
let standby: StandbyAgent;
let agent: TwinrecProcess | undefined;
let stateDir: string;
let setting: StandbyLab;

before(async () => {
  setting = await startStandbyLab(tempDir(), running, secret);
  ({ lab, relay, stateDir } = setting);
  standby = new StandbyAgent(setting.agentConfigFile, running, secret);
});

after(async () => {
  // SIGTERM: the agent waits for a step under way (bounded), then exits.
  await agent?.stop('SIGTERM', 30_000);
  for (const probe of probes) await probe.close();
  await lab?.stop();
});

const recorder = (name: string) => labRecorder(lab, name);

const probes: Array<{ close(): Promise<void> }> = [];

const call = (method: 'GET' | 'POST', path: string, body?: unknown, token?: string | null): Promise<AgentAnswer> => standby.call(method, path, body, token);
const status = (): Promise<PoolStandbyStatus> => standby.status();

const relayState = (): Promise<RelayState> => relayStateOf(relay.control, secret);
const labStatusOf = (name: string): Promise<string | undefined> => labProcessStatus(lab.description, name);
const recordingCameras = (webServerUri: string, cameraIds: readonly string[]): Promise<string[]> => camerasRecording(lab.description, webServerUri, cameraIds);
const liveThroughSharedAddress = (cameraId: string): Promise<number> => liveThroughRelay(lab.description, relay.listenPort, cameraId);

describe('pool standby takeover (lab)', () => {
  test('takes a killed server over with its identity and endpoint, fences lower epochs, and releases back to its own identity', { timeout: 420_000 }, async () => {
    const [protectedPair, standbyPair] = lab.description.pairs;
    assert.ok(protectedPair !== undefined && standbyPair !== undefined);
    const protectedRecorder = recorder('recorder-1a');
    const standbyRecorder = recorder('recorder-2a');
    const ownBytes = readFileSync(standbyRecorder.recorderConfigPath);
    const protectedBytes = readFileSync(protectedRecorder.recorderConfigPath);
    assert.equal(parseRecorderConfig(ownBytes).info.recorderId, standbyPair.recorderId);

    // The protected server serves its shared address under the pool's epoch 1; it has no twin.
    await labFault(lab.description, '/lab/recorders/recorder-1b/stop', {});
    const endpoint = new RelayEndpoint(relay.control, secret);
    assert.deepEqual(await endpoint.claim(1, { nodeId: 'recorder-1a', host: protectedRecorder.imageServer.host, port: protectedRecorder.imageServer.port }), { accepted: true });
    const cameraId = protectedPair.cameraIds[0] as string;
    await waitFor('live view of the protected server through the shared address', () => liveThroughSharedAddress(cameraId), 30_000);

    agent = await standby.start();

    assert.equal((await call('GET', '/api/v1/pool', undefined, null)).status, 401, 'no secret, no status');
    assert.equal((await call('GET', '/api/v1/pool', undefined, 'wrong-secret-0123456789')).status, 401);
    assert.equal((await call('POST', '/api/v1/pool/release', { protectedNodeId, epoch: 1 }, null)).status, 401, 'no secret, no order');
    assert.deepEqual(await status(), { ...(await status()), state: 'free', protectedNodeId: null, epoch: 0, error: null });
    const nodeState = await call('GET', '/api/v1/state');
    assert.equal(nodeState.status, 200);
    assert.deepEqual({ state: nodeState.body['state'], serving: nodeState.body['serving'], pool: (nodeState.body['pool'] as { state: string }).state }, { state: 'SECOND', serving: false, pool: 'free' });
    assert.equal((await call('POST', '/api/v1/commands', { command: 'switch' })).status, 404, "a pair's commands are not a pool standby's");

    // The protected recorder dies (kill -9).
    await labFault(lab.description, '/lab/recorders/recorder-1a/crash', {});

    const order: PoolTakeoverRequest = {
      protectedNodeId,
      protectedName: 'recorder-1a',
      epoch: 2,
      sharedAddress: `127.0.0.1:${relay.listenPort}`,
      recorderConfig: { xml: protectedBytes.toString('base64'), sha256: sha256Hex(protectedBytes) },
      cameras: protectedPair.cameraIds.map((deviceId) => ({ deviceId, level: 'full' as const })),
    };
    const badSha = await call('POST', '/api/v1/pool/takeover', { ...order, recorderConfig: { ...order.recorderConfig, sha256: 'f'.repeat(64) } });
    assert.equal(badSha.status, 400);
    assert.equal(badSha.body['type'], 'urn:twinrec:problem:pool-config-invalid');
    const badBody = await call('POST', '/api/v1/pool/takeover', { ...order, epoch: 0 });
    assert.equal(badBody.status, 400);
    assert.equal(badBody.body['type'], 'urn:twinrec:problem:validation-failed');
    assert.equal((await status()).state, 'free', 'a refused order changes nothing');

    const accepted = await call('POST', '/api/v1/pool/takeover', order);
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    assert.equal(accepted.body['state'], 'taking-over');
    const retried = await call('POST', '/api/v1/pool/takeover', order);
    assert.equal(retried.status, 202, 'the same takeover again is no error');
    const serving = await waitFor('the standby serving', async () => {
      const s = await status();
      assert.notEqual(s.state, 'failed', JSON.stringify(s.error));
      return s.state === 'serving' ? s : undefined;
    }, 180_000, 500);
    assert.deepEqual({ protectedNodeId: serving.protectedNodeId, epoch: serving.epoch }, { protectedNodeId, epoch: 2 });

    // The standby runs the protected server's identity: its file's recorder id, and what it records.
    // webserver/port is shared (clients reach the recording server on one port), so the standby now
    // answers on the protected server's port: the lab's one host shows it, since recorder-1a is dead.
    const cloned = parseRecorderConfig(readFileSync(standbyRecorder.recorderConfigPath));
    assert.equal(cloned.info.recorderId, protectedPair.recorderId);
    assert.equal(webServerPortOf(cloned), protectedRecorder.imageServer.port);
    assert.equal(await labStatusOf('recorder-1a'), 'crashed');
    assert.equal(await labStatusOf('recorder-2a'), 'running');
    assert.ok(existsSync(join(stateDir, ownConfigFile)), 'the standby keeps its own file while it serves another identity');
    const servedUri = `http://${standbyRecorder.imageServer.host}:${webServerPortOf(cloned)}/`;
    assert.deepEqual(await recordingCameras(servedUri, protectedPair.cameraIds), [...protectedPair.cameraIds].sort());
    assert.deepEqual(await recordingCameras(servedUri, standbyPair.cameraIds), [], 'its own cameras are not recorded while it serves another identity');
    const frames = await waitFor('frames of the protected camera in the standby\'s storage', async () => {
      const found = await indexedFrames(standbyRecorder.storageDir, cameraId);
      return found.size > 0 ? found : undefined;
    }, 30_000, 500);
    assert.ok(frames.size > 0);

    // The shared address forwards to the standby under the new epoch, and live view works through it.
    assert.deepEqual(await relayState().then((s) => ({ epoch: s.epoch, nodeId: s.target?.nodeId, port: s.target?.port })), { epoch: 2, nodeId: 'standby-2a', port: protectedRecorder.imageServer.port });
    assert.ok((await liveThroughSharedAddress(cameraId)) > 0);

    // Fencing: a lower epoch is refused, also for another server; another server is refused while this one is served.
    const lower = await call('POST', '/api/v1/pool/takeover', { ...order, protectedNodeId: otherNodeId, epoch: 1 });
    assert.equal(lower.status, 409);
    assert.equal(lower.body['type'], 'urn:twinrec:problem:pool-epoch-fenced');
    const other = await call('POST', '/api/v1/pool/takeover', { ...order, protectedNodeId: otherNodeId, epoch: 3 });
    assert.equal(other.status, 409);
    assert.equal(other.body['type'], 'urn:twinrec:problem:pool-busy');
    const staleRelease = await call('POST', '/api/v1/pool/release', { protectedNodeId, epoch: 1 });
    assert.equal(staleRelease.status, 409);
    assert.equal(staleRelease.body['type'], 'urn:twinrec:problem:pool-epoch-fenced');

    // What it reports (to a controller, when it has one): serving alone under the pool's epoch.
    const serving2 = await call('GET', '/api/v1/state');
    assert.deepEqual({ state: serving2.body['state'], serving: serving2.body['serving'], epoch: serving2.body['epoch'] }, { state: 'ALONE', serving: true, epoch: 2 });

    // A restarted agent knows what it serves.
    assert.equal(await agent.stop('SIGTERM', 30_000), 0, 'SIGTERM stops the agent cleanly');
    agent = await standby.start();
    assert.deepEqual(await status(), serving);

    // Release: the endpoint is given back, and the standby runs its own file and identity again.
    const released = await call('POST', '/api/v1/pool/release', { protectedNodeId, epoch: 2 });
    assert.equal(released.status, 202, JSON.stringify(released.body));
    await waitFor('the standby free', async () => {
      const s = await status();
      assert.notEqual(s.state, 'failed', JSON.stringify(s.error));
      return s.state === 'free' ? s : undefined;
    }, 180_000, 500);
    assert.equal(sha256Hex(readFileSync(standbyRecorder.recorderConfigPath)), sha256Hex(ownBytes), 'its own RecorderConfig.xml, byte for byte');
    assert.ok(!existsSync(join(stateDir, ownConfigFile)));
    assert.deepEqual(await relayState().then((s) => ({ epoch: s.epoch, target: s.target })), { epoch: 2, target: null });
    await waitFor('the standby recording its own cameras again', async () => {
      const recording = await recordingCameras(standbyRecorder.webServerUri, standbyPair.cameraIds);
      return recording.length === standbyPair.cameraIds.length ? recording : undefined;
    }, 60_000, 500);
    assert.equal((await call('POST', '/api/v1/pool/release', { protectedNodeId, epoch: 2 })).status, 202, 'a retried release is done');
    const fenced = await call('POST', '/api/v1/pool/takeover', order);
    assert.equal(fenced.status, 409, 'the released epoch is not taken again');
    assert.equal(fenced.body['type'], 'urn:twinrec:problem:pool-epoch-fenced');
    // The next test drives the standby's state folder in-process.
    assert.equal(await agent.stop('SIGTERM', 30_000), 0);
    agent = undefined;
  });

  test('a takeover whose cameras are not recorded fails at wait-healthy with the reason; a release brings the standby back', { timeout: 240_000 }, async () => {
    const [protectedPair, standbyPair] = lab.description.pairs;
    assert.ok(protectedPair !== undefined && standbyPair !== undefined && agent === undefined, 'runs after the takeover test, its agent stopped');
    const standbyRecorder = recorder('recorder-2a');
    const ownBytes = readFileSync(standbyRecorder.recorderConfigPath);
    const protectedBytes = readFileSync(recorder('recorder-1a').recorderConfigPath);
    // The same state folder, a short wait for health: a camera the protected server does not have is never recorded.
    const strict = startStandbyService({ ...inProcessStandbyOptions(setting, secret, probes), healthyTimeoutMs: 4_000 });
    assert.equal(strict.status().epoch, 2, 'the epoch persisted by the standby before');
    const unknownCamera = '0badc0de-0000-4000-8000-000000000001';
    const { answer } = strict.takeover({
      protectedNodeId,
      protectedName: 'recorder-1a',
      epoch: 3,
      sharedAddress: `127.0.0.1:${relay.listenPort}`,
      recorderConfig: { xml: protectedBytes.toString('base64'), sha256: sha256Hex(protectedBytes) },
      cameras: [...protectedPair.cameraIds, unknownCamera].map((deviceId) => ({ deviceId, level: 'full' as const })),
    });
    assert.deepEqual(answer, { accepted: true, repeat: false });
    assert.ok(await strict.idle(180_000));
    const failed = strict.status();
    assert.equal(failed.state, 'failed');
    assert.equal(failed.error?.step, 'wait-healthy');
    assert.match(failed.error?.reason ?? '', new RegExp(`1 of 3 camera\\(s\\) not served as ordered \\(${unknownCamera}\\)`));
    assert.deepEqual(await relayState().then((s) => s.target), null, 'the endpoint was not claimed');

    assert.deepEqual(strict.release(protectedNodeId, 3).answer, { accepted: true, repeat: false });
    assert.ok(await strict.idle(180_000));
    assert.equal(strict.status().state, 'free');
    assert.equal(sha256Hex(readFileSync(standbyRecorder.recorderConfigPath)), sha256Hex(ownBytes));
    assert.equal(parseRecorderConfig(readFileSync(standbyRecorder.recorderConfigPath)).info.recorderId, standbyPair.recorderId);
    await waitFor('the standby recording its own cameras again', async () => {
      const recording = await recordingCameras(standbyRecorder.webServerUri, standbyPair.cameraIds);
      return recording.length === standbyPair.cameraIds.length ? recording : undefined;
    }, 60_000, 500);
  });
});
