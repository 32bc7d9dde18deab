// Replacement end to end (issue 17 §7, seed 003 "Replace protected server"): `twinrec lab up
// --pool 1:2 --with-agents` with a controller. The protected server's host dies for good (agent
// and recorder, kill -9); failover-1 (the group's standby) takes it over. The administrator
// replaces it with ANOTHER free server, failover-2, through REST: failover-2's agent switches its
// role in-process to the protected server's (poolProtected in its status, the replaced server's
// recorder id in its RecorderConfig.xml), fenced; the pool's failback then syncs what failover-1
// recorded during the failover to it (every frame, equal checksums), it serves the shared address
// (live view), failover-1 is free again and the old node is gone. Then the other case: failover-2's
// host dies, failover-1 takes it over, and the administrator replaces it with the standby
// serving it: failover-1's agent is the protected server now, serving on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { poolProtectedStatusSchema, type PoolProtectedStatus } from '../contracts/pool-v1.js';
import { parseRecorderConfig } from '../recorder-config-sync/index.js';
import { labFault, startLab, waitFor, type RunningLab } from '../lab/testing/harness.js';
import { startTestController, type TestController } from './helpers/controller.js';
import { adminRequest, poolClusterId, type PoolView } from './helpers/pool-admin.js';
import { assertFailbackFrames } from './helpers/pool-failback-frames.js';
import { agentCall, liveThroughSharedAddress, recordingCameras, relayStateOf } from './helpers/pool-lab.js';

let controller: TestController;
let lab: RunningLab;

before(async () => {
  controller = await startTestController({ flags: { 'agents.trustOnFirstUse': true } });
  lab = await startLab(['--pool', '1:2', '--cameras', '2', '--block-duration-ms', '1000', '--no-fsync', '--with-agents', '--controller', controller.url]);
});

after(async () => {
  await lab?.stop();
  await controller?.close();
});

type Server = RunningLab['description']['pairs'][number];
type Recorder = Server['recorders'][number];

const get = <T>(path: string): Promise<T> => adminRequest<T>(controller, 'GET', path);
const send = (method: 'POST' | 'PUT' | 'PATCH', path: string, body: unknown): Promise<Record<string, unknown>> => adminRequest<Record<string, unknown>>(controller, method, path, body);
const recorderIdOf = (recorder: Recorder): string => parseRecorderConfig(readFileSync(recorder.recorderConfigPath)).info.recorderId;

describe('replacement of a protected server (lab, controller)', () => {
  test('replaced by another free server: it takes the identity, gets the failover window back, serves; then replaced by the standby serving it', { timeout: 900_000 }, async () => {
    const [protectedServer, failover1, failover2] = lab.description.pairs;
    assert.ok(protectedServer?.role === 'protected' && failover1?.role === 'failover' && failover2?.role === 'failover');
    const [p, s1, s2] = [protectedServer, failover1, failover2].map((server) => server.recorders[0] as Recorder) as [Recorder, Recorder, Recorder];
    const cameraIds = [...protectedServer.cameraIds].sort();
    const cluster = protectedServer.cluster;
    assert.ok(cluster !== undefined);
    const secret = readFileSync(cluster.secretFile, 'utf8').trim();
    const relay = () => relayStateOf(cluster.relay.controlUrl, secret);

    const clusterId = await waitFor('the pool registered', () => poolClusterId(controller), 60_000, 250);
    const pool = (): Promise<PoolView> => get<PoolView>(`/api/v1/clusters/${clusterId}/pool`);
    const registered = await waitFor('every agent registered, the RecorderConfig.xml pushed', async () => {
      const view = await pool();
      return view.protectedServers.length === 1 && view.standbys.length === 2 && view.protectedServers[0]?.recorderConfig !== null ? view : undefined;
    }, 60_000, 250);
    const node = (name: string): string => {
      const found = [...registered.protectedServers, ...registered.standbys].find((n) => n.name === name);
      assert.ok(found !== undefined, name);
      return found.nodeId;
    };
    const [pId, s1Id, s2Id] = [node(p.name), node(s1.name), node(s2.name)];
    // failover-1 is the group's standby; failover-2 a free server outside it.
    const group = await send('POST', `/api/v1/clusters/${clusterId}/failover-groups`, { name: 'Hall' });
    await send('PUT', `/api/v1/clusters/${clusterId}/failover-groups/${String(group['id'])}/standbys`, { standbyNodeIds: [s1Id] });
    await send('PUT', `/api/v1/clusters/${clusterId}/nodes/${pId}/failover`, { primaryGroupId: group['id'], secondaryGroupId: null, hotStandbyNodeId: null, standbySelection: 'sequence' });
    await send('PATCH', `/api/v1/clusters/${clusterId}/policy`, { pool: { triggers: { disconnectedSeconds: 3, serviceDown: { enabled: true, seconds: 2 }, storage: { enabled: true, seconds: 30 } }, failover: 'automatic', stopFailover: 'automatic', holdDownSeconds: 5, failbackRecordings: 'sync' } });
    await waitFor('the protected server holds its endpoint', async () => ((await relay()).target?.port === p.imageServer.port ? true : undefined), 60_000, 250);

    // The protected server's host dies for good; failover-1 takes it over.
    await labFault(lab.description, `/lab/processes/agent-${p.name}/crash`, {});
    await labFault(lab.description, `/lab/recorders/${p.name}/crash`, {});
    const failedOver = await waitFor('failed over to failover-1', async () => {
      const view = await pool();
      const lease = view.standbys.find((s) => s.nodeId === s1Id)?.lease;
      return view.protectedServers[0]?.failover.state === 'failed-over' && lease?.state === 'serving' ? lease : undefined;
    }, 240_000, 500);
    await waitFor("failover-1 records the protected server's cameras", async () => ((await recordingCameras(lab.description, s1.webServerUri, cameraIds)).length === cameraIds.length ? true : undefined), 60_000, 500);
    // A few seconds only failover-1 holds.
    await new Promise((resolve) => setTimeout(resolve, 5_000));

    // Replaced by failover-2, another free server.
    const replaced = await send('POST', `/api/v1/clusters/${clusterId}/nodes/${pId}/failover/replace`, { confirm: true, standbyNodeId: s2Id });
    assert.deepEqual(replaced, { protectedNodeId: pId, standbyNodeId: s2Id, lease: 'closed', epoch: failedOver.epoch });
    const s2Agent = s2.agent;
    assert.ok(s2Agent !== undefined);
    const protectedStatus = async (apiUrl: string): Promise<PoolProtectedStatus | undefined> => {
      const answer = await agentCall(apiUrl, secret, 'GET', '/api/v1/pool').catch(() => undefined);
      const parsed = poolProtectedStatusSchema.safeParse(answer?.body);
      return answer?.status === 200 && parsed.success ? parsed.data : undefined;
    };
    const switched = await waitFor("failover-2's agent is the protected server's", () => protectedStatus(s2Agent.apiUrl), 120_000, 250);
    assert.ok(switched.state === 'fenced' || switched.state === 'resuming' || switched.state === 'serving', `switched ${switched.state}`);
    assert.equal(recorderIdOf(s2), protectedServer.recorderId, "failover-2's RecorderConfig.xml carries the replaced server's recorder id");
    assert.equal((await fetch(`${controller.url}/api/v1/clusters/${clusterId}/nodes/${pId}`, { headers: controller.authHeader })).status, 404, 'the replaced node is gone');

    // The failback: failover-1's recordings of the window come to failover-2, which serves; failover-1 is free.
    const back = await waitFor('failover-2 serves, failover-1 free after the failback sync', async () => {
      const view = await pool();
      const s = await relay();
      return view.protectedServers.find((x) => x.nodeId === s2Id)?.failover.state === 'protected' && view.standbys.find((x) => x.nodeId === s1Id)?.lease.state === 'free' && s.target?.port === s2.imageServer.port ? { view, relay: s } : undefined;
    }, 300_000, 500);
    assert.deepEqual(back.view.standbys.map((s) => s.nodeId), [s1Id], 'failover-2 left the standbys');
    assert.ok(back.relay.epoch > failedOver.epoch, 'failover-2 serves under a resume epoch above the takeover');
    assert.equal((await protectedStatus(s2Agent.apiUrl))?.state, 'serving');
    assert.equal(recorderIdOf(s1), failover1.recorderId, 'failover-1 runs its own identity again');
    type PoolEvent = { kind: string; nodeId: string | null; data: Record<string, unknown> };
    const events = (await get<{ items: PoolEvent[] }>(`/api/v1/events?clusterId=${clusterId}&kind=pool.*&limit=200`)).items;
    assert.ok(events.some((e) => e.kind === 'pool.replacement-completed' && e.nodeId === s2Id), events.map((e) => e.kind).join(', '));
    const synced = events.find((e) => e.kind === 'pool.failback-synced' && e.nodeId === s2Id);
    assert.ok(synced !== undefined, `pool.failback-synced for failover-2 among ${events.map((e) => e.kind).join(', ')}`);
    const { fromMs, toMs } = synced.data as { fromMs: number; toMs: number };
    const copied = await assertFailbackFrames(s1.storageDir, s2.storageDir, cameraIds, fromMs, toMs);
    assert.ok(copied >= cameraIds.length * 5, `frames copied to failover-2: ${copied}`);
    await waitFor('failover-2 records the cameras', async () => ((await recordingCameras(lab.description, s2.webServerUri, cameraIds)).length === cameraIds.length ? true : undefined), 60_000, 500);
    const sharedPort = cluster.sharedAddress.port;
    await waitFor('live view through the shared address, from failover-2', () => liveThroughSharedAddress(lab.description, sharedPort, cameraIds[0] as string), 60_000);

    // The other case: failover-2's host dies for good (a live agent of a replaced node would
    // register again as a new protected server), failover-1 takes it over and replaces it for good.
    await labFault(lab.description, `/lab/processes/agent-${s2.name}/crash`, {});
    await labFault(lab.description, `/lab/recorders/${s2.name}/crash`, {});
    const second = await waitFor('failed over to failover-1 again', async () => {
      const view = await pool();
      const lease = view.standbys.find((s) => s.nodeId === s1Id)?.lease;
      return lease?.state === 'serving' && view.protectedServers.find((x) => x.nodeId === s2Id)?.failover.state === 'failed-over' ? lease : undefined;
    }, 240_000, 500);
    const byServing = await send('POST', `/api/v1/clusters/${clusterId}/nodes/${s2Id}/failover/replace`, { confirm: true });
    assert.deepEqual(byServing, { protectedNodeId: s2Id, standbyNodeId: s1Id, lease: 'closed', epoch: second.epoch });
    const s1Agent = s1.agent;
    assert.ok(s1Agent !== undefined);
    const servingOn = await waitFor("failover-1's agent is the protected server's, serving on", async () => {
      const st = await protectedStatus(s1Agent.apiUrl);
      return st?.state === 'serving' ? st : undefined;
    }, 120_000, 250);
    assert.equal(servingOn.epoch, second.epoch, 'it serves on under its takeover epoch');
    const final = await waitFor('the pool: failover-1 its only protected server, no standby', async () => {
      const view = await pool();
      return view.protectedServers.length === 1 && view.protectedServers[0]?.nodeId === s1Id && view.standbys.length === 0 ? view : undefined;
    }, 60_000, 500);
    assert.equal(final.protectedServers[0]?.failover.state, 'protected');
    const still = await relay();
    assert.deepEqual({ epoch: still.epoch, port: still.target?.port }, { epoch: second.epoch, port: s1.imageServer.port }, 'the shared address still forwards to failover-1');
    await waitFor('live view through the shared address, from failover-1', () => liveThroughSharedAddress(lab.description, sharedPort, cameraIds[0] as string), 60_000);
  });
});
