// A pool's hot standby against real processes (issue 17): a lab with two recording servers'
// identities, a relay on the protected server's shared address, and `twinrec agent` run with a
// pool standby's agent.yaml, driven over its local API as the controller drives it. The hot
// standby order makes the standby's recorder run the protected server's identity and record its
// cameras while the protected recorder still runs and the relay still points at it; after a
// restart of the agent and kill -9 of the protected recorder, a takeover with the same
// configuration only fences and claims (the standby's recorder keeps its PID); the release only
// gives the endpoint back (still hot, still recording); the cold order restores the standby's
// own file byte for byte. Then, in-process: a takeover during a hot standby's wait for health
// does not wait for it.
//
// No controller (as in pool-standby.test.ts): its supervisor would release a takeover that no
// lease gives. The standby is recorder-2a, with cameras of its own; both recorders run on one
// host, so the standby's agent keeps `webserver/port` local (pool.rulesFile), as a site whose
// servers differ in that port does.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type PoolHotAssignment, type PoolStandbyStatus } from '../contracts/pool-v1.js';
import { RelayEndpoint } from '../agent/endpoint/relay-client.js';
import { hotConfigFile, ownConfigFile, startStandbyService, webServerPortOf } from '../agent/pool/standby-service.js';
import { defaultCloneRules, parseRecorderConfig, parseRulesFile, sha256Hex, withOverrides } from '../recorder-config-sync/index.js';
import { indexedFrames, labFault, waitFor, type RunningLab } from '../lab/testing/harness.js';
import { testScratch, type TwinrecProcess } from './helpers/process.js';
import { inProcessStandbyOptions, labRecorder, StandbyAgent, startStandbyLab, type StandbyLab } from './helpers/pool-standby-lab.js';
import { labStatusOf as labProcessStatus, liveThroughSharedAddress as liveThroughRelay, recordingCameras as camerasRecording, relayStateOf, type AgentAnswer, type RelayState } from './helpers/pool-lab.js';

const secret = 'pool-cluster-secret-0123456789';
const protectedNodeId = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';
const { tempDir, running } = testScratch('twinrec-pool-hot-standby-');

let lab: RunningLab;
let relay: StandbyLab['relay'];
let standby: StandbyAgent;
let agent: TwinrecProcess | undefined;
let stateDir: string;
let setting: StandbyLab;
const probes: Array<{ close(): Promise<void> }> = [];

before(async () => {
  const dir = tempDir();
  // One host for both recorders: the hot standby runs beside the protected server, on its own port.
  const rulesFile = join(dir, 'clone-rules.yaml');
  writeFileSync(rulesFile, 'rules:\n  - { path: webserver/port, kind: local, note: the lab runs the protected server and its hot standby on one host }\n');
  setting = await startStandbyLab(dir, running, secret, { rulesFile });
  ({ lab, relay, stateDir } = setting);
  standby = new StandbyAgent(setting.agentConfigFile, running, secret);
});

after(async () => {
  await agent?.stop('SIGTERM', 30_000);
  for (const probe of probes) await probe.close();
  await lab?.stop();
});

const recorder = (name: string) => labRecorder(lab, name);

const call = (method: 'GET' | 'POST', path: string, body?: unknown, token?: string | null): Promise<AgentAnswer> => standby.call(method, path, body, token);
const status = (): Promise<PoolStandbyStatus> => standby.status();

/** Waits until the status satisfies `done`; a failed standby or hot standby fails the wait at once. */
function statusUntil(what: string, done: (s: PoolStandbyStatus) => boolean): Promise<PoolStandbyStatus> {
  return waitFor(what, async () => {
    const s = await status();
    assert.notEqual(s.state, 'failed', JSON.stringify(s.error));
    assert.notEqual(s.hot?.state, 'failed', JSON.stringify(s.hot?.error));
    return done(s) ? s : undefined;
  }, 180_000, 300);
}

/** The PID the lab's supervisor knows for a process: a restarted recorder has a new one. */
async function pidOf(name: string): Promise<number | null> {
  const res = await fetch(`${lab.description.control.url}/lab/processes`, { signal: AbortSignal.timeout(5_000) });
  const { processes } = (await res.json()) as { processes: Array<{ name: string; pid: number | null }> };
  const found = processes.find((p) => p.name === name);
  assert.ok(found !== undefined, name);
  return found.pid;
}

/** The steps the agent logged as done since `from` in its log (stderr), in order. */
function stepsLogged(proc: TwinrecProcess, from: number): string[] {
  return proc.stderr().slice(from).split('\n').filter((l) => l.includes('pool standby: step done')).map((l) => (JSON.parse(l) as { step: string }).step);
}

const relayState = (): Promise<RelayState> => relayStateOf(relay.control, secret);
const labStatusOf = (name: string): Promise<string | undefined> => labProcessStatus(lab.description, name);
const recordingCameras = (webServerUri: string, cameraIds: readonly string[]): Promise<string[]> => camerasRecording(lab.description, webServerUri, cameraIds);

describe('pool hot standby (lab)', () => {
  test('records the protected server\'s cameras while it runs; takes it over with only a fence and a claim; released it stays hot; cold again it runs its own file', { timeout: 480_000 }, async (t) => {
    const [protectedPair, standbyPair] = lab.description.pairs;
    assert.ok(protectedPair !== undefined && standbyPair !== undefined);
    const protectedRecorder = recorder('recorder-1a');
    const standbyRecorder = recorder('recorder-2a');
    const ownBytes = readFileSync(standbyRecorder.recorderConfigPath);
    const protectedBytes = readFileSync(protectedRecorder.recorderConfigPath);
    const cameraId = protectedPair.cameraIds[0] as string;

    // The protected server serves its shared address under the pool's epoch 1.
    await labFault(lab.description, '/lab/recorders/recorder-1b/stop', {});
    const endpoint = new RelayEndpoint(relay.control, secret);
    assert.deepEqual(await endpoint.claim(1, { nodeId: 'recorder-1a', host: protectedRecorder.imageServer.host, port: protectedRecorder.imageServer.port }), { accepted: true });

    agent = await standby.start();
    assert.deepEqual(await status().then((s) => ({ state: s.state, hot: s.hot })), { state: 'free', hot: null });

    const assignment: PoolHotAssignment = {
      protectedNodeId,
      protectedName: 'recorder-1a',
      sharedAddress: `127.0.0.1:${relay.listenPort}`,
      recorderConfig: { xml: protectedBytes.toString('base64'), sha256: sha256Hex(protectedBytes) },
      cameras: protectedPair.cameraIds.map((deviceId) => ({ deviceId, level: 'full' as const })),
    };
    // Refused before anything changes: no secret, a bad body, a configuration that does not match its SHA-256 or is not a RecorderConfig.xml.
    assert.equal((await call('POST', '/api/v1/pool/hot-standby', { assignment }, null)).status, 401);
    const badBody = await call('POST', '/api/v1/pool/hot-standby', { assignment: { ...assignment, cameras: 'all' } });
    assert.deepEqual([badBody.status, badBody.body['type']], [400, 'urn:twinrec:problem:validation-failed']);
    const badSha = await call('POST', '/api/v1/pool/hot-standby', { assignment: { ...assignment, recorderConfig: { ...assignment.recorderConfig, sha256: 'f'.repeat(64) } } });
    assert.deepEqual([badSha.status, badSha.body['type']], [400, 'urn:twinrec:problem:pool-config-invalid']);
    const notXml = Buffer.from('not a recorder configuration');
    const badFile = await call('POST', '/api/v1/pool/hot-standby', { assignment: { ...assignment, recorderConfig: { xml: notXml.toString('base64'), sha256: sha256Hex(notXml) } } });
    assert.deepEqual([badFile.status, badFile.body['type']], [400, 'urn:twinrec:problem:pool-config-invalid']);
    assert.equal((await status()).hot, null, 'a refused order changes nothing');

    // Hot: the standby's recorder runs the protected server's identity and records its cameras, beside the protected recorder.
    const orderedAtMs = Date.now();
    const ordered = await call('POST', '/api/v1/pool/hot-standby', { assignment });
    assert.equal(ordered.status, 202, JSON.stringify(ordered.body));
    assert.equal((ordered.body['hot'] as { state: string }).state, 'preparing');
    const ready = await statusUntil('the hot standby ready', (s) => s.hot?.state === 'ready');
    t.diagnostic(`hot standby order to ready: ${Date.now() - orderedAtMs} ms`);
    assert.deepEqual({ state: ready.state, hot: ready.hot }, { state: 'free', hot: { protectedNodeId, configSha256: sha256Hex(protectedBytes), state: 'ready', error: null } });
    const hotFile = parseRecorderConfig(readFileSync(standbyRecorder.recorderConfigPath));
    assert.equal(hotFile.info.recorderId, protectedPair.recorderId);
    assert.equal(webServerPortOf(hotFile), standbyRecorder.imageServer.port, 'webserver/port kept local');
    assert.deepEqual(readFileSync(join(stateDir, hotConfigFile)), protectedBytes, 'the protected server\'s file kept beside the state');
    assert.deepEqual(readFileSync(join(stateDir, ownConfigFile)), ownBytes, 'the standby\'s own file kept');
    assert.equal(await labStatusOf('recorder-1a'), 'running', 'the protected recorder still runs');
    assert.deepEqual(await recordingCameras(standbyRecorder.webServerUri, protectedPair.cameraIds), [...protectedPair.cameraIds].sort());
    await waitFor('frames of the protected camera in the hot standby\'s storage', async () => ((await indexedFrames(standbyRecorder.storageDir, cameraId)).size > 0 ? true : undefined), 30_000, 500);
    assert.deepEqual(await relayState().then((s) => ({ epoch: s.epoch, nodeId: s.target?.nodeId })), { epoch: 1, nodeId: 'recorder-1a' }, 'a hot standby claims nothing');
    // The node status follows the agent's health probe (every second), which may still lag behind the hot state under load.
    const nodeView = async () => {
      const nodeState = await call('GET', '/api/v1/state');
      return { state: nodeState.body['state'], serving: nodeState.body['serving'], healthy: nodeState.body['healthy'], hot: (nodeState.body['pool'] as PoolStandbyStatus).hot?.state };
    };
    const healthyView = await waitFor('the hot standby healthy in its node status', async () => {
      const view = await nodeView();
      return view.healthy === true ? view : undefined;
    }, 30_000, 250);
    assert.deepEqual(healthyView, { state: 'SECOND', serving: false, healthy: true, hot: 'ready' });
    assert.match(agent.stderr(), /"event":"pool\.hot-standby-ready"/);
    assert.equal((await call('POST', '/api/v1/pool/hot-standby', { assignment })).status, 202, 'the same order again is a repeat');
    assert.equal((await status()).hot?.state, 'ready');

    // A restarted agent is still hot (the recorder ran on meanwhile).
    assert.equal(await agent.stop('SIGTERM', 30_000), 0);
    agent = await standby.start();
    assert.deepEqual((await status()).hot, ready.hot);

    // kill -9 of the protected recorder; the takeover with the same configuration only fences and claims.
    const recorderPid = await pidOf('recorder-2a');
    assert.ok(recorderPid !== null);
    await labFault(lab.description, '/lab/recorders/recorder-1a/crash', {});
    const logFrom = agent.stderr().length;
    const takeoverAtMs = Date.now();
    const takeover = await call('POST', '/api/v1/pool/takeover', { ...assignment, epoch: 2 });
    assert.equal(takeover.status, 202, JSON.stringify(takeover.body));
    const serving = await statusUntil('the hot standby serving', (s) => s.state === 'serving');
    t.diagnostic(`takeover order to serving (polled every 300 ms): ${Date.now() - takeoverAtMs} ms`);
    assert.deepEqual({ epoch: serving.epoch, protectedNodeId: serving.protectedNodeId, hot: serving.hot?.state }, { epoch: 2, protectedNodeId, hot: 'ready' });
    assert.deepEqual(stepsLogged(agent, logFrom), ['persist-epoch', 'claim-endpoint']);
    assert.equal(await pidOf('recorder-2a'), recorderPid, 'the recorder was not restarted');
    assert.deepEqual(await relayState().then((s) => ({ epoch: s.epoch, nodeId: s.target?.nodeId, port: s.target?.port })), { epoch: 2, nodeId: 'standby-2a', port: standbyRecorder.imageServer.port });
    assert.ok((await liveThroughRelay(lab.description, relay.listenPort, cameraId)) > 0, 'live view through the shared address');
    const servingState = await call('GET', '/api/v1/state');
    assert.deepEqual({ state: servingState.body['state'], serving: servingState.body['serving'], epoch: servingState.body['epoch'] }, { state: 'ALONE', serving: true, epoch: 2 });

    // Release: only the endpoint goes back; the standby is free and still hot, recording.
    const releaseFrom = agent.stderr().length;
    assert.equal((await call('POST', '/api/v1/pool/release', { protectedNodeId, epoch: 2 })).status, 202);
    const released = await statusUntil('the standby free', (s) => s.state === 'free');
    assert.equal(released.hot?.state, 'ready');
    assert.deepEqual(stepsLogged(agent, releaseFrom), ['release-endpoint']);
    assert.equal(await pidOf('recorder-2a'), recorderPid);
    assert.deepEqual(await relayState().then((s) => ({ epoch: s.epoch, target: s.target })), { epoch: 2, target: null });
    assert.deepEqual(await recordingCameras(standbyRecorder.webServerUri, protectedPair.cameraIds), [...protectedPair.cameraIds].sort());

    // Cold again: its own file, byte for byte, and its own cameras.
    const cold = await call('POST', '/api/v1/pool/hot-standby', { assignment: null });
    assert.equal(cold.status, 202, JSON.stringify(cold.body));
    await statusUntil('the standby cold', (s) => s.hot === null);
    assert.deepEqual(readFileSync(standbyRecorder.recorderConfigPath), ownBytes, 'its own RecorderConfig.xml, byte for byte');
    assert.ok(!existsSync(join(stateDir, ownConfigFile)) && !existsSync(join(stateDir, hotConfigFile)), 'neither copy is kept');
    assert.notEqual(await pidOf('recorder-2a'), recorderPid, 'restarted with its own file');
    await waitFor('the standby recording its own cameras again', async () => {
      const recording = await recordingCameras(standbyRecorder.webServerUri, standbyPair.cameraIds);
      return recording.length === standbyPair.cameraIds.length ? recording : undefined;
    }, 60_000, 500);
    assert.match(agent.stderr(), /"event":"pool\.hot-standby-removed"/);
    assert.equal((await call('POST', '/api/v1/pool/hot-standby', { assignment: null })).status, 202, 'cold again is a repeat');
    assert.equal(await agent.stop('SIGTERM', 30_000), 0);
    agent = undefined;
  });

  test('a takeover during a hot standby\'s wait for health does not wait for it: it runs in full at once', { timeout: 300_000 }, async () => {
    const [protectedPair] = lab.description.pairs;
    assert.ok(protectedPair !== undefined && agent === undefined, 'runs after the first test, its agent stopped');
    const standbyRecorder = recorder('recorder-2a');
    const ownBytes = readFileSync(standbyRecorder.recorderConfigPath);
    const protectedBytes = readFileSync(recorder('recorder-1a').recorderConfigPath);
    // In-process on the same state folder, with the clone rules of the agent: a wait for health far longer than this test.
    const rules = withOverrides(defaultCloneRules, parseRulesFile(readFileSync(join(dirname(stateDir), 'clone-rules.yaml'), 'utf8'), 'clone-rules.yaml'));
    const service = startStandbyService({ ...inProcessStandbyOptions(setting, secret, probes), rules, healthyTimeoutMs: 3_600_000 });
    const unknownCamera = '0badc0de-0000-4000-8000-000000000001';
    const recorderConfig = { xml: protectedBytes.toString('base64'), sha256: sha256Hex(protectedBytes) };
    const cameras = protectedPair.cameraIds.map((deviceId) => ({ deviceId, level: 'full' as const }));
    const hot = service.hotStandby({ protectedNodeId, protectedName: 'recorder-1a', sharedAddress: `127.0.0.1:${relay.listenPort}`, recorderConfig, cameras: [...cameras, { deviceId: unknownCamera, level: 'full' }] });
    assert.deepEqual(hot.answer, { accepted: true, repeat: false });
    // The prepare waits for a camera that never records: the recorder already records the others with the protected identity.
    await waitFor('the hot standby recording beside its wait', async () => ((await recordingCameras(standbyRecorder.webServerUri, protectedPair.cameraIds)).length === cameras.length ? true : undefined), 120_000, 500);
    assert.equal(service.status().hot?.state, 'preparing');
    const busy = service.hotStandby(null);
    assert.equal(busy.answer.accepted === false && busy.answer.reason, 'busy', 'cold is refused while it prepares');
    const taken = service.takeover({ protectedNodeId, protectedName: 'recorder-1a', epoch: 3, sharedAddress: `127.0.0.1:${relay.listenPort}`, recorderConfig, cameras });
    assert.deepEqual(taken.answer, { accepted: true, repeat: false });
    assert.equal(taken.status.state, 'taking-over');
    await waitFor('the standby serving', () => {
      const s = service.status();
      assert.notEqual(s.state, 'failed', JSON.stringify(s.error));
      return s.state === 'serving' ? s : undefined;
    }, 240_000, 300);
    assert.deepEqual(await relayState().then((s) => ({ epoch: s.epoch, nodeId: s.target?.nodeId })), { epoch: 3, nodeId: 'standby-2a' });
    assert.equal(service.status().hot?.state, 'ready', 'the full takeover of its server with its file leaves it hot');

    // Released (only the endpoint), then cold: the own file, byte for byte.
    assert.deepEqual(service.release(protectedNodeId, 3).answer, { accepted: true, repeat: false });
    assert.ok(await service.idle(120_000));
    assert.deepEqual({ state: service.status().state, hot: service.status().hot?.state }, { state: 'free', hot: 'ready' });
    assert.deepEqual(service.hotStandby(null).answer, { accepted: true, repeat: false });
    assert.ok(await service.idle(180_000));
    assert.equal(service.status().hot, null);
    assert.deepEqual(readFileSync(standbyRecorder.recorderConfigPath), ownBytes);
  });
});
