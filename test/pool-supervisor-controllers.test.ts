// The pool supervisor handed over between controllers (issues 17 and 19): two `twinrec serve`
// processes on one fresh PostgreSQL database (TWINREC_TEST_PG_URL), a pool lab (`--pool 1:1
// --with-agents`) whose agents list both controllers (controller.urls). The protected server's
// host dies; as soon as the failover has started (the controller holding `pool-allocation` gave
// the standby its lease), that controller is killed (kill -9, by its pid). The other takes the
// lease over and completes the failover with exactly one takeover: one failover-started event,
// one takeover epoch (2: the pool's counter starts at 1, the protected server's own). Then the
// host returns and the survivor fails the pool back above that epoch.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { PoolSettings } from '../contracts/cluster-policy-v1.js';
import { labFault, startLab, waitFor, type RunningLab } from '../lab/testing/harness.js';
import { poolClusterId, poolEvents, poolView, registeredPool, setUpPool } from './helpers/pool-admin.js';
import { liveThroughSharedAddress, recordingCameras, relayStateOf } from './helpers/pool-lab.js';
import { postgresUrl } from './helpers/postgres.js';
import { stopOnSignal } from './helpers/process.js';
import { getAs, sharedPostgres, startExtraController, type ExtraController, type SharedDatabase } from './helpers/two-controllers.js';

/** A short lease, so that the survivor takes `pool-allocation` over within seconds of the kill. */
const leaseEnv = { TWINREC_LEASES_TTL_MS: '4000' };
const policy: PoolSettings = {
  triggers: { disconnectedSeconds: 3, serviceDown: { enabled: true, seconds: 3 }, storage: { enabled: true, seconds: 30 } },
  failover: 'automatic',
  stopFailover: 'automatic',
  holdDownSeconds: 5,
  failbackRecordings: 'discard',
};

interface SystemView {
  controllerId: string;
  leases: Array<{ name: string; holder: string | null; epoch: number; heldHere: boolean }>;
}

if (postgresUrl !== undefined) {
  describe('the pool supervisor across two controllers on one PostgreSQL database', { timeout: 600_000 }, () => {
    let shared: SharedDatabase;
    const controllers: ExtraController[] = [];
    let lab: RunningLab;
    const cleanup = async (): Promise<void> => {
      await lab?.stop();
      await Promise.all(controllers.map((c) => c.stop()));
      await shared?.drop();
    };
    const release = stopOnSignal(cleanup);

    before(async () => {
      shared = await sharedPostgres(postgresUrl as string);
      controllers.push(await startExtraController(shared, leaseEnv));
      controllers.push(await startExtraController(shared, leaseEnv));
      const [a, b] = controllers as [ExtraController, ExtraController];
      lab = await startLab(['--pool', '1:1', '--cameras', '2', '--block-duration-ms', '1000', '--no-fsync', '--with-agents', '--controller', a.url]);
      // The lab gives its agents one controller: give them both (the first first), and start them again.
      const agents = lab.description.pairs.map((p) => p.recorders[0]?.name as string);
      for (const name of agents) await labFault(lab.description, `/lab/processes/agent-${name}/stop`, {});
      for (const name of agents) {
        const file = join(lab.dir, 'agents', name, 'agent.json');
        const config = JSON.parse(readFileSync(file, 'utf8')) as { controller: Record<string, unknown> };
        const { url: _one, ...rest } = config.controller;
        // A report slower than 5 s counts as a failed controller (the default 2 s moves agents on a loaded 2-core machine).
        writeFileSync(file, JSON.stringify({ ...config, controller: { ...rest, urls: [a.url, b.url], timeoutMs: 5_000 } }));
      }
      for (const name of agents) await labFault(lab.description, `/lab/processes/agent-${name}/start`, {});
    });

    after(async () => {
      await cleanup();
      release();
    });

    test('the controller holding pool-allocation is killed during a failover: the other completes it with one takeover, then fails back', async () => {
      const [a, b] = controllers as [ExtraController, ExtraController];
      const [protectedServer, failoverServer] = lab.description.pairs;
      assert.ok(protectedServer?.role === 'protected' && failoverServer?.role === 'failover' && protectedServer.cluster !== undefined);
      const protectedRecorder = protectedServer.recorders[0] as (typeof protectedServer.recorders)[number];
      const standbyRecorder = failoverServer.recorders[0] as (typeof failoverServer.recorders)[number];
      const relay = { controlUrl: protectedServer.cluster.relay.controlUrl, secret: readFileSync(protectedServer.cluster.secretFile, 'utf8').trim(), port: protectedServer.cluster.sharedAddress.port };
      const cameraIds = [...protectedServer.cameraIds].sort();

      const clusterId = await waitFor('the pool registered', () => poolClusterId(a), 60_000, 250);
      const registered = await waitFor('both agents registered and reporting, the RecorderConfig.xml on record', () => registeredPool(a, clusterId, 1, 1), 90_000, 250);
      await setUpPool(a, clusterId, registered, policy);
      const protectedNodeId = registered.protectedServers[0]?.nodeId as string;
      await waitFor('the protected server holds its endpoint at epoch 1', async () => {
        const s = await relayStateOf(relay.controlUrl, relay.secret);
        return s.epoch === 1 && s.target?.port === protectedRecorder.imageServer.port ? s : undefined;
      }, 60_000, 250);

      // Who supervises the pools now: exactly one of the two holds pool-allocation.
      const leaseOf = async (c: ExtraController) => (await getAs<SystemView>(c, '/api/v1/system')).body.leases.find((l) => l.name === 'pool-allocation');
      const [holder, survivor] = await waitFor('one controller holds pool-allocation', async () => {
        const [la, lb] = await Promise.all([leaseOf(a), leaseOf(b)]);
        if (la?.heldHere === true && lb?.heldHere === false) return [a, b] as const;
        if (lb?.heldHere === true && la?.heldHere === false) return [b, a] as const;
        return undefined;
      }, 30_000, 250);
      const leaseEpochBefore = (await leaseOf(survivor))?.epoch ?? 0;

      // The host dies; as soon as the holder has started the failover (the standby's lease taken), it is killed.
      await labFault(lab.description, `/lab/processes/agent-${protectedRecorder.name}/crash`, {});
      await labFault(lab.description, `/lab/recorders/${protectedRecorder.name}/crash`, {});
      const startedOn = await waitFor('the failover started (the standby leased)', async () => {
        const view = await poolView(survivor, clusterId);
        const lease = view.standbys[0]?.lease;
        return lease !== undefined && lease.state !== 'free' ? lease : undefined;
      }, 120_000, 50);
      process.kill(holder.process.pid, 'SIGKILL');
      await holder.process.exited(10_000);
      process.stdout.write(`# killed the holder of pool-allocation (${holder === a ? "the agents' first controller" : 'the other controller'}) with the standby's lease ${JSON.stringify(startedOn)}\n`);

      // The survivor takes the lease over and completes the failover.
      const taken = await waitFor('the survivor holds pool-allocation', async () => {
        const lease = await leaseOf(survivor);
        return lease?.heldHere === true ? lease : undefined;
      }, 60_000, 250);
      assert.ok(taken.epoch > leaseEpochBefore, `the controller lease's epoch rose (${leaseEpochBefore} → ${taken.epoch})`);
      const failedOver = await waitFor('failed over to the standby, its lease serving', async () => {
        const view = await poolView(survivor, clusterId);
        const standby = view.standbys[0];
        return view.protectedServers[0]?.failover.state === 'failed-over' && standby?.lease.state === 'serving' ? standby : undefined;
      }, 120_000, 250);
      assert.equal(failedOver.serving?.nodeId, protectedNodeId);
      assert.equal(failedOver.lease.epoch, 2, 'one takeover epoch: the first above the protected server\'s 1');
      const takenOver = await relayStateOf(relay.controlUrl, relay.secret);
      assert.deepEqual({ epoch: takenOver.epoch, port: takenOver.target?.port }, { epoch: 2, port: standbyRecorder.imageServer.port }, 'the shared address forwards to the standby at epoch 2');
      assert.deepEqual(await waitFor("the standby records the protected server's cameras", async () => {
        const recording = await recordingCameras(lab.description, standbyRecorder.webServerUri, cameraIds);
        return recording.length === cameraIds.length ? recording : undefined;
      }, 60_000, 500), cameraIds);
      await waitFor('live view through the shared address, from the standby', () => liveThroughSharedAddress(lab.description, relay.port, cameraIds[0] as string), 60_000);

      // The host returns; after the hold-down the survivor fails back, above the takeover's epoch.
      await labFault(lab.description, `/lab/recorders/${protectedRecorder.name}/start`, {});
      await labFault(lab.description, `/lab/processes/agent-${protectedRecorder.name}/start`, {});
      const back = await waitFor('protected again, the standby free, the relay at the protected recorder', async () => {
        const view = await poolView(survivor, clusterId);
        const s = await relayStateOf(relay.controlUrl, relay.secret);
        return view.protectedServers[0]?.failover.state === 'protected' && view.standbys[0]?.lease.state === 'free' && s.target?.port === protectedRecorder.imageServer.port ? s : undefined;
      }, 240_000, 500);
      assert.ok(back.epoch > 2, `the resume's epoch ${back.epoch} is above the takeover's 2`);

      // Exactly one takeover, stored once, however the controllers changed hands.
      const kinds = await waitFor('the pool events, up to pool.resumed', async () => {
        const events = await poolEvents(survivor, clusterId);
        return events.some((e) => e.kind === 'pool.resumed') ? events : undefined;
      }, 60_000, 500);
      const count = (kind: string): number => kinds.filter((e) => e.kind === kind).length;
      assert.deepEqual({ started: count('pool.failover-started'), completed: count('pool.failover-completed'), stopped: count('pool.failover-stopped'), failed: count('pool.takeover-failed') }, { started: 1, completed: 1, stopped: 1, failed: 0 }, kinds.map((e) => e.kind).join(', '));
      assert.deepEqual(kinds.filter((e) => e.kind === 'pool.failover-started').map((e) => e.data['epoch']), [2]);
    });
  });
}
