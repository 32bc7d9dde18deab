// A failover pool end to end (issue 17): `twinrec lab up --pool 1:1 --with-agents` with a
// controller. The protected recording server's host dies (its agent and its recorder, kill -9):
// the controller counts it disconnected, gives the standby a lease and orders the takeover; the
// standby takes the server's identity, records its cameras and holds its shared address under
// the lease's epoch. The host comes back: its agent finds its endpoint held above it and keeps
// its recorder stopped. After the hold-down the controller stops failover (recordings
// discarded, as the policy says), the standby gives the identity back, and the protected server
// resumes under a higher epoch. Everything is seen where a user sees it: the pool view, the
// events, the relay (the shared address), the recorders' SOAP status and their files.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { soapRecorderProbe } from '../agent/health/recorder-probe.js';
import { parseRecorderConfig } from '../recorder-config-sync/index.js';
import { ImageServerClient, labFault, labVmsToken, startLab, waitFor, type RunningLab } from '../lab/testing/harness.js';
import { startTestController, type TestController } from './helpers/controller.js';

const silent = pino({ level: 'silent' });

let controller: TestController;
let lab: RunningLab;

before(async () => {
  // The pool's agents register on the pool's secret (trust on first use), as a pair's do.
  controller = await startTestController({ flags: { 'agents.trustOnFirstUse': true } });
  lab = await startLab(['--pool', '1:1', '--cameras', '2', '--block-duration-ms', '1000', '--no-fsync', '--with-agents', '--controller', controller.url]);
});

after(async () => {
  await lab?.stop();
  await controller?.close();
});

type Server = RunningLab['description']['pairs'][number];
type Recorder = Server['recorders'][number];

interface PoolView {
  protectedServers: Array<{ nodeId: string; name: string; failover: { state: string; standbyName?: string | null }; recorderConfig: { sha256: string } | null }>;
  standbys: Array<{ nodeId: string; name: string; lease: { state: string; epoch: number }; serving: { nodeId: string } | null }>;
}

async function send(method: 'POST' | 'PUT' | 'PATCH', path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${controller.url}${path}`, { method, headers: { ...controller.authHeader, 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  const answer = (await res.json()) as Record<string, unknown>;
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

async function get<T>(path: string): Promise<T> {
  const res = await fetch(`${controller.url}${path}`, { headers: controller.authHeader, signal: AbortSignal.timeout(10_000) });
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  return (await res.json()) as T;
}

async function poolClusterId(): Promise<string | undefined> {
  const clusters = await get<{ items: Array<{ id: string; name: string; mode: string }> }>('/api/v1/clusters');
  return clusters.items.find((c) => c.name === 'lab-pool' && c.mode === 'pool')?.id;
}

/** The relay's state: the epoch it holds and where it forwards. */
async function relayState(server: Server): Promise<{ epoch: number; target: { port: number } | null }> {
  const cluster = server.cluster;
  assert.ok(cluster !== undefined);
  const secret = readFileSync(cluster.secretFile, 'utf8').trim();
  const res = await fetch(`${cluster.relay.controlUrl}/state`, { headers: { authorization: `Bearer ${secret}` }, signal: AbortSignal.timeout(5_000) });
  assert.equal(res.status, 200);
  return (await res.json()) as { epoch: number; target: { port: number } | null };
}

async function recordingCameras(recorder: Recorder, cameraIds: readonly string[]): Promise<string[]> {
  const { credentials, managementServer } = lab.description;
  const probe = soapRecorderProbe({ webServerUrl: recorder.webServerUri, tokenUrl: managementServer.tokenUrl, username: credentials.username, password: credentials.password, timeoutMs: 5_000, cameraIds: () => cameraIds, log: silent });
  try {
    const health = await probe.probe();
    return health.reachable ? health.cameras.filter((c) => c.recording).map((c) => c.deviceId).sort() : [];
  } finally {
    await probe.close();
  }
}

/** A live frame of `cameraId` through the protected server's shared address (its relay). */
async function liveThroughSharedAddress(server: Server, cameraId: string): Promise<number> {
  const port = server.cluster?.sharedAddress.port;
  assert.ok(port !== undefined);
  const client = await ImageServerClient.open('127.0.0.1', port, 5_000);
  try {
    client.connectCamera(cameraId, await labVmsToken(lab.description));
    assert.match(await client.nextXml(5_000), /<connected>yes<\/connected>/);
    client.send('live', '<compressionrate>90</compressionrate>');
    return Number((await client.nextImage(5_000)).headers['current']);
  } finally {
    client.close();
  }
}

describe('failover pool (lab, controller)', () => {
  test('a dead protected server is taken over by the standby the controller allocates, and fails back after the hold-down', { timeout: 600_000 }, async () => {
    const [protectedServer, failoverServer] = lab.description.pairs;
    assert.ok(protectedServer?.role === 'protected' && failoverServer?.role === 'failover');
    const protectedRecorder = protectedServer.recorders[0] as Recorder;
    const standbyRecorder = failoverServer.recorders[0] as Recorder;
    const cameraIds = [...protectedServer.cameraIds].sort();

    // Both agents registered into one pool; the protected server's RecorderConfig.xml is on record.
    const clusterId = await waitFor('the pool registered', poolClusterId, 60_000, 250);
    const registered = await waitFor('both agents registered, the RecorderConfig.xml pushed', async () => {
      const view = await get<PoolView>(`/api/v1/clusters/${clusterId}/pool`);
      return view.protectedServers.length === 1 && view.standbys.length === 1 && view.protectedServers[0]?.recorderConfig !== null ? view : undefined;
    }, 60_000, 250);
    assert.equal(registered.protectedServers[0]?.name, 'recorder-p1');
    assert.equal(registered.standbys[0]?.name, 'failover-1');
    assert.equal(registered.protectedServers[0]?.failover.state, 'protected');

    // The administrator's setup: a failover group with the standby, the server's primary group, and
    // a quick policy for a test (3 s of silence is a failure; 5 s healthy fails back; recordings discarded).
    const protectedNodeId = registered.protectedServers[0]?.nodeId as string;
    const group = await send('POST', `/api/v1/clusters/${clusterId}/failover-groups`, { name: 'Hall' });
    await send('PUT', `/api/v1/clusters/${clusterId}/failover-groups/${String(group['id'])}/standbys`, { standbyNodeIds: [registered.standbys[0]?.nodeId] });
    await send('PUT', `/api/v1/clusters/${clusterId}/nodes/${protectedNodeId}/failover`, { primaryGroupId: group['id'], secondaryGroupId: null, hotStandbyNodeId: null, standbySelection: 'sequence' });
    await send('PATCH', `/api/v1/clusters/${clusterId}/policy`, { pool: { triggers: { disconnectedSeconds: 3, serviceDown: { enabled: true, seconds: 2 }, storage: { enabled: true, seconds: 30 } }, failover: 'automatic', stopFailover: 'automatic', holdDownSeconds: 5, failbackRecordings: 'discard' } });

    // The protected server serves its shared address at epoch 1 and records its cameras.
    await waitFor('the protected server holds its endpoint', async () => {
      const s = await relayState(protectedServer);
      return s.epoch === 1 && s.target?.port === protectedRecorder.imageServer.port ? s : undefined;
    }, 60_000, 250);
    await waitFor('live view through the shared address', () => liveThroughSharedAddress(protectedServer, cameraIds[0] as string), 60_000);

    // Its host dies: agent and recorder, kill -9.
    await labFault(lab.description, `/lab/processes/agent-${protectedRecorder.name}/crash`, {});
    await labFault(lab.description, `/lab/recorders/${protectedRecorder.name}/crash`, {});

    // The controller allocates the standby; the standby serves the server's identity under a higher epoch.
    const failedOver = await waitFor('the pool view: failed over to failover-1', async () => {
      const view = await get<PoolView>(`/api/v1/clusters/${clusterId}/pool`);
      const standby = view.standbys[0];
      return view.protectedServers[0]?.failover.state === 'failed-over' && standby?.lease.state === 'serving' ? { view, lease: standby.lease, serving: standby.serving } : undefined;
    }, 240_000, 500);
    assert.ok(failedOver.lease.epoch >= 2, `the takeover's epoch ${failedOver.lease.epoch} is above the protected server's 1`);
    assert.equal(failedOver.serving?.nodeId, protectedNodeId);
    const takenOver = await relayState(protectedServer);
    assert.deepEqual({ epoch: takenOver.epoch, port: takenOver.target?.port }, { epoch: failedOver.lease.epoch, port: standbyRecorder.imageServer.port }, 'the shared address forwards to the standby');
    const recorderIdOf = (recorder: Recorder): string => parseRecorderConfig(readFileSync(recorder.recorderConfigPath)).info.recorderId;
    assert.equal(recorderIdOf(standbyRecorder), protectedServer.recorderId, "the standby runs the protected server's recorder id");
    assert.deepEqual(await waitFor("the standby records the protected server's cameras", async () => {
      const recording = await recordingCameras(standbyRecorder, cameraIds);
      return recording.length === cameraIds.length ? recording : undefined;
    }, 60_000, 500), cameraIds);
    await waitFor('live view through the shared address, from the standby', () => liveThroughSharedAddress(protectedServer, cameraIds[0] as string), 60_000);

    // The host returns: its agent finds its endpoint held above it and keeps its recorder stopped.
    await labFault(lab.description, `/lab/recorders/${protectedRecorder.name}/start`, {});
    await labFault(lab.description, `/lab/processes/agent-${protectedRecorder.name}/start`, {});

    // After the hold-down: failover stops, the standby gives the identity back, the server resumes above.
    const back = await waitFor('the pool view: protected again, the standby free', async () => {
      const view = await get<PoolView>(`/api/v1/clusters/${clusterId}/pool`);
      const s = await relayState(protectedServer);
      return view.protectedServers[0]?.failover.state === 'protected' && view.standbys[0]?.lease.state === 'free' && s.target?.port === protectedRecorder.imageServer.port ? { view, relay: s } : undefined;
    }, 240_000, 500);
    assert.ok(back.relay.epoch > failedOver.lease.epoch, `the resume's epoch ${back.relay.epoch} is above the takeover's ${failedOver.lease.epoch}`);
    assert.equal(recorderIdOf(standbyRecorder), failoverServer.recorderId, 'the standby runs its own identity again');
    assert.deepEqual(await waitFor('the protected server records its cameras again', async () => {
      const recording = await recordingCameras(protectedRecorder, cameraIds);
      return recording.length === cameraIds.length ? recording : undefined;
    }, 60_000, 500), cameraIds);

    // The events tell the story, in order (the last once the server's report says it serves again).
    const story = ['pool.failover-started', 'pool.failover-completed', 'pool.failover-stopped', 'pool.resumed'];
    const poolKinds = await waitFor('the pool events, up to pool.resumed', async () => {
      const events = await get<{ items: Array<{ kind: string }> }>(`/api/v1/events?clusterId=${clusterId}&limit=200`);
      const kinds = events.items.map((e) => e.kind).filter((k) => k.startsWith('pool.')).reverse();
      return kinds.includes('pool.resumed') ? kinds : undefined;
    }, 60_000, 500);
    assert.deepEqual(poolKinds.filter((k) => story.includes(k)), story, `in order: ${poolKinds.join(', ')}`);
  });
});
