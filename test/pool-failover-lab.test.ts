// A failover pool end to end (issue 17): `twinrec lab up --pool 1:1 --with-agents` with a
// controller. The protected recording server's host dies (its agent and its recorder, kill -9):
// the controller counts it disconnected, gives the standby a lease and orders the takeover; the
// standby takes the server's identity, records its cameras and holds its shared address under
// the lease's epoch. The host comes back: its agent finds its endpoint held above it and keeps
// its recorder stopped. After the hold-down the controller stops failover (recordings
// discarded, as the policy says), the standby gives the identity back, and the protected server
// resumes under a higher epoch. Then once more with `sync`: the protected server's agent pulls
// what the standby recorded during the failover back over the backfill transfer, and only then
// is the standby free. Last, the standby as the server's hot standby: it records the server's
// cameras all along, a dead recorder (serviceDown 0 s) is taken over without restarting the
// standby's recorder, the release leaves it hot, and unassigned it goes cold. Everything is seen
// where a user sees it: the pool view, the events, the relay (the shared address), the
// recorders' SOAP status and their files.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseRecorderConfig } from '../recorder-config-sync/index.js';
import { labFault, startLab, waitFor, type RunningLab } from '../lab/testing/harness.js';
import { assertFailbackFrames } from './helpers/pool-failback-frames.js';
import { startTestController, type TestController } from './helpers/controller.js';
import { adminRequest, poolClusterId as labPoolClusterId, type PoolView } from './helpers/pool-admin.js';
import { poolStandbyStatusSchema, type PoolStandbyStatus } from '../contracts/pool-v1.js';
import { agentCall, liveThroughSharedAddress as liveThroughRelay, recordingCameras as camerasRecording, relayStateOf, type RelayState } from './helpers/pool-lab.js';

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

const get = <T>(path: string): Promise<T> => adminRequest<T>(controller, 'GET', path);
const send = (method: 'POST' | 'PUT' | 'PATCH', path: string, body: unknown): Promise<Record<string, unknown>> => adminRequest<Record<string, unknown>>(controller, method, path, body);
const poolClusterId = (): Promise<string | undefined> => labPoolClusterId(controller);

/** The relay of a protected server's shared address: the epoch it holds and where it forwards. */
function relayState(server: Server): Promise<RelayState> {
  const cluster = server.cluster;
  assert.ok(cluster !== undefined);
  return relayStateOf(cluster.relay.controlUrl, readFileSync(cluster.secretFile, 'utf8').trim());
}

const recordingCameras = (recorder: Recorder, cameraIds: readonly string[]): Promise<string[]> => camerasRecording(lab.description, recorder.webServerUri, cameraIds);

/** A live frame of `cameraId` through the protected server's shared address (its relay). */
function liveThroughSharedAddress(server: Server, cameraId: string): Promise<number> {
  const port = server.cluster?.sharedAddress.port;
  assert.ok(port !== undefined);
  return liveThroughRelay(lab.description, port, cameraId);
}

/** The lab's protected server and standby, with their recorders and the protected server's cameras. */
function poolServers(): { protectedServer: Server; failoverServer: Server; protectedRecorder: Recorder; standbyRecorder: Recorder; cameraIds: string[] } {
  const [protectedServer, failoverServer] = lab.description.pairs;
  assert.ok(protectedServer?.role === 'protected' && failoverServer?.role === 'failover');
  return { protectedServer, failoverServer, protectedRecorder: protectedServer.recorders[0] as Recorder, standbyRecorder: failoverServer.recorders[0] as Recorder, cameraIds: [...protectedServer.cameraIds].sort() };
}

describe('failover pool (lab, controller)', () => {
  test('a dead protected server is taken over by the standby the controller allocates, and fails back after the hold-down', { timeout: 600_000 }, async () => {
    const { protectedServer, failoverServer, protectedRecorder, standbyRecorder, cameraIds } = poolServers();

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

  test('with sync, what the standby recorded during the failover comes back to the protected server, and the standby is free after', { timeout: 600_000 }, async () => {
    const { protectedRecorder, standbyRecorder, cameraIds } = poolServers();
    const clusterId = await waitFor('the pool registered', poolClusterId, 60_000, 250);
    // From where the test above left it: protected, the standby free. This time the recordings are synced back.
    await waitFor('protected, the standby free', async () => {
      const view = await get<PoolView>(`/api/v1/clusters/${clusterId}/pool`);
      return view.protectedServers[0]?.failover.state === 'protected' && view.standbys[0]?.lease.state === 'free' ? view : undefined;
    }, 120_000, 500);
    await send('PATCH', `/api/v1/clusters/${clusterId}/policy`, { pool: { failbackRecordings: 'sync' } });

    await labFault(lab.description, `/lab/processes/agent-${protectedRecorder.name}/crash`, {});
    await labFault(lab.description, `/lab/recorders/${protectedRecorder.name}/crash`, {});
    await waitFor('failed over to failover-1', async () => {
      const view = await get<PoolView>(`/api/v1/clusters/${clusterId}/pool`);
      return view.protectedServers[0]?.failover.state === 'failed-over' && view.standbys[0]?.lease.state === 'serving' ? view : undefined;
    }, 240_000, 500);
    await waitFor("the standby records the protected server's cameras", async () => {
      const recording = await recordingCameras(standbyRecorder, cameraIds);
      return recording.length === cameraIds.length ? recording : undefined;
    }, 60_000, 500);
    // A few seconds of recordings only the standby holds.
    await new Promise((resolve) => setTimeout(resolve, 5_000));

    await labFault(lab.description, `/lab/recorders/${protectedRecorder.name}/start`, {});
    await labFault(lab.description, `/lab/processes/agent-${protectedRecorder.name}/start`, {});
    const sawSync = { failbackSync: false };
    await waitFor('protected again, the standby free after the failback sync', async () => {
      const view = await get<PoolView>(`/api/v1/clusters/${clusterId}/pool`);
      if (view.protectedServers[0]?.failover.state === 'failback-sync') sawSync.failbackSync = true;
      return view.protectedServers[0]?.failover.state === 'protected' && view.standbys[0]?.lease.state === 'free' ? view : undefined;
    }, 300_000, 500);
    assert.ok(sawSync.failbackSync, 'the pool view showed the failback sync while it ran');

    type PoolEvent = { kind: string; data: Record<string, unknown> };
    const events = (await get<{ items: PoolEvent[] }>(`/api/v1/events?clusterId=${clusterId}&kind=pool.*&limit=200`)).items;
    const synced = events.find((e) => e.kind === 'pool.failback-synced');
    assert.ok(synced !== undefined, `pool.failback-synced among ${events.map((e) => e.kind).join(', ')}`);
    assert.equal(events.find((e) => e.kind === 'pool.failback-sync-failed'), undefined);
    const { fromMs, toMs, bytes } = synced.data as { fromMs: number; toMs: number; bytes: number };
    // Every camera taken over, whatever the dead server's last report listed (the newest failover-started is this test's).
    assert.equal(events.find((e) => e.kind === 'pool.failover-started')?.data['cameras'], cameraIds.length, 'the takeover took every camera');
    assert.ok(bytes > 0, 'bytes were copied');

    // Every frame the standby recorded in the window is on the protected server: copied with its
    // SHA-256, unless the protected recorder recorded that time itself (it ran a moment at the host's return, before its agent stopped it).
    const copied = await assertFailbackFrames(standbyRecorder.storageDir, protectedRecorder.storageDir, cameraIds, fromMs, toMs);
    assert.ok(copied >= cameraIds.length * 5, `frames copied back: ${copied}`);
  });

  test('a hot standby records the server all along; when its recorder dies it only fences and claims, keeps running through the failback, and goes cold on command', { timeout: 600_000 }, async () => {
    const { protectedServer, failoverServer, protectedRecorder, standbyRecorder, cameraIds } = poolServers();
    const clusterId = await waitFor('the pool registered', poolClusterId, 60_000, 250);
    const view = await waitFor('protected, the standby free', async () => {
      const v = await get<PoolView>(`/api/v1/clusters/${clusterId}/pool`);
      return v.protectedServers[0]?.failover.state === 'protected' && v.standbys[0]?.lease.state === 'free' ? v : undefined;
    }, 120_000, 500);
    const protectedNodeId = view.protectedServers[0]?.nodeId as string;
    const standbyNodeId = view.standbys[0]?.nodeId as string;
    const startedAtMs = Date.now();

    // The standby leaves its group and becomes the server's hot standby; a dead recorder fails over at once.
    const { failoverGroups } = await get<{ failoverGroups: Array<{ id: string }> }>(`/api/v1/clusters/${clusterId}/pool`);
    for (const g of failoverGroups) await send('PUT', `/api/v1/clusters/${clusterId}/failover-groups/${g.id}/standbys`, { standbyNodeIds: [] });
    await send('PUT', `/api/v1/clusters/${clusterId}/nodes/${protectedNodeId}/failover`, { primaryGroupId: null, secondaryGroupId: null, hotStandbyNodeId: standbyNodeId, standbySelection: 'sequence' });
    await send('PATCH', `/api/v1/clusters/${clusterId}/policy`, { pool: { triggers: { disconnectedSeconds: 3, serviceDown: { enabled: true, seconds: 0 }, storage: { enabled: true, seconds: 30 } }, failover: 'automatic', stopFailover: 'automatic', holdDownSeconds: 5, failbackRecordings: 'sync' } });

    // Hot: the standby's agent says ready, its recorder runs the server's identity and records its
    // cameras, while the server itself still serves its shared address.
    const agent = standbyRecorder.agent;
    assert.ok(agent !== undefined);
    const secret = readFileSync((failoverServer.cluster ?? protectedServer.cluster)?.secretFile as string, 'utf8').trim();
    const standbyPool = async (): Promise<PoolStandbyStatus> => poolStandbyStatusSchema.parse((await agentCall(agent.apiUrl, secret, 'GET', '/api/v1/pool')).body);
    await waitFor('the standby hot and ready', async () => {
      const s = await standbyPool();
      return s.state === 'free' && s.hot?.state === 'ready' && s.hot.protectedNodeId === protectedNodeId ? s : undefined;
    }, 120_000, 500);
    const recorderIdOf = (recorder: Recorder): string => parseRecorderConfig(readFileSync(recorder.recorderConfigPath)).info.recorderId;
    assert.equal(recorderIdOf(standbyRecorder), protectedServer.recorderId, "the hot standby runs the server's recorder id");
    await waitFor("the hot standby records the server's cameras", async () => ((await recordingCameras(standbyRecorder, cameraIds)).length === cameraIds.length ? true : undefined), 60_000, 500);
    const before = await relayState(protectedServer);
    assert.equal(before.target?.port, protectedRecorder.imageServer.port, 'the server still serves its shared address');
    const standbyPid = await labPidOf(standbyRecorder.name);

    // The server's recorder dies (its agent lives on and reports it).
    await labFault(lab.description, `/lab/recorders/${protectedRecorder.name}/crash`, {});
    const failedOver = await waitFor('failed over to the hot standby', async () => {
      const v = await get<PoolView>(`/api/v1/clusters/${clusterId}/pool`);
      const standby = v.standbys[0];
      return v.protectedServers[0]?.failover.state === 'failed-over' && standby?.lease.state === 'serving' ? standby.lease : undefined;
    }, 120_000, 250);
    const relay = await relayState(protectedServer);
    assert.deepEqual({ epoch: relay.epoch, port: relay.target?.port }, { epoch: failedOver.epoch, port: standbyRecorder.imageServer.port }, 'the shared address forwards to the hot standby');
    assert.equal(await labPidOf(standbyRecorder.name), standbyPid, "the hot standby's recorder was not restarted: the takeover only fenced and claimed");
    await waitFor('live view through the shared address, from the hot standby', () => liveThroughSharedAddress(protectedServer, cameraIds[0] as string), 60_000);

    // Its agent counts as recovered: after the hold-down the failover stops, the recordings are synced
    // back, the server resumes (its agent starts its recorder) and the standby stays hot.
    await waitFor('protected again, the standby free', async () => {
      const v = await get<PoolView>(`/api/v1/clusters/${clusterId}/pool`);
      const s = await relayState(protectedServer);
      return v.protectedServers[0]?.failover.state === 'protected' && v.standbys[0]?.lease.state === 'free' && s.target?.port === protectedRecorder.imageServer.port ? v : undefined;
    }, 300_000, 500);
    type PoolEvent = { kind: string; time: string; data: Record<string, unknown> };
    const events = (await get<{ items: PoolEvent[] }>(`/api/v1/events?clusterId=${clusterId}&kind=pool.*&limit=200`)).items.filter((e) => Date.parse(e.time) >= startedAtMs - 1_000);
    const synced = events.find((e) => e.kind === 'pool.failback-synced');
    assert.ok(synced !== undefined, `pool.failback-synced among ${events.map((e) => e.kind).join(', ')}`);
    // The server's recorder was dead from the kill to the resume: that time comes back from the hot standby.
    assert.equal(events.find((e) => e.kind === 'pool.failover-started')?.data['cameras'], cameraIds.length, 'the takeover took every camera, though the dead recorder\'s reports listed none');
    assert.ok((synced.data['bytes'] as number) > 0, `bytes were copied back: ${JSON.stringify(synced.data)}`);
    const afterwards = await waitFor('the standby hot and ready again', async () => {
      const s = await standbyPool();
      return s.state === 'free' && s.hot?.state === 'ready' ? s : undefined;
    }, 60_000, 500);
    assert.equal(afterwards.hot?.protectedNodeId, protectedNodeId);
    assert.equal(await labPidOf(standbyRecorder.name), standbyPid, "the release only gave the endpoint back: the hot standby's recorder kept running");
    await waitFor('the server records its cameras again', async () => ((await recordingCameras(protectedRecorder, cameraIds)).length === cameraIds.length ? true : undefined), 60_000, 500);

    // No longer its hot standby: the standby goes cold and runs its own identity again.
    await send('PUT', `/api/v1/clusters/${clusterId}/nodes/${protectedNodeId}/failover`, { primaryGroupId: null, secondaryGroupId: null, hotStandbyNodeId: null, standbySelection: 'sequence' });
    await waitFor('the standby cold again', async () => {
      const s = await standbyPool();
      return s.state === 'free' && (s.hot ?? null) === null ? s : undefined;
    }, 120_000, 500);
    assert.equal(recorderIdOf(standbyRecorder), failoverServer.recorderId, 'the standby runs its own identity again');
  });
});

/** A lab process's pid now, from the lab's control API. */
async function labPidOf(name: string): Promise<number | null> {
  const res = await fetch(`${lab.description.control.url}/lab`, { signal: AbortSignal.timeout(5_000) });
  const description = (await res.json()) as { pairs: Array<{ recorders: Array<{ name: string; pid: number | null }> }> };
  return description.pairs.flatMap((p) => p.recorders).find((r) => r.name === name)?.pid ?? null;
}
