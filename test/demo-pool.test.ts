// `twinrec demo --pool 3:1` as a real process: it prints one JSON document once the pool is set
// up; the REST API then shows the pool with 3 protected recording servers and 1 standby, all
// reporting, the demo's failover group and its pool policy, as an admin would have set them.
// SIGINT stops every process it started (checked by PID). Bad --pool shapes, and --pool with
// what a pool cannot do yet, are refused before anything starts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { demoFailoverGroupName, demoPoolSettings } from '../cli/demo-pool.js';
import { waitFor } from '../lab/testing/harness.js';
import { isRunning } from '../lab/up.js';
import { login } from './helpers/auth.js';
import { runTwinrec, stopOnSignal, type TwinrecProcess } from './helpers/process.js';

interface PoolDemoDocument {
  labDir: string;
  pool: { protected: number; standbys: number; clusterId: string; failoverGroup: { id: string; name: string } };
  endpoints: { controller: { url: string }; pool: { protectedServers: Array<{ node: string; sharedAddress: string }>; standbys: Array<{ node: string }> } };
  pids: { controller: number; labControl: number; cameraHub: number; managementServer: number; eventServer: number; pool: Record<string, { recorder: number; agent: number; relay?: number }> };
  credentials: { console: { username: string; password: string } };
}

interface PoolView {
  protectedServers: Array<{ name: string; reachable: boolean; settings: { primaryGroupId: string | null; sharedAddress: string | null }; failover: { state: string }; recorderConfig: unknown }>;
  failoverGroups: Array<{ id: string; name: string; standbys: Array<{ nodeId: string; nodeName: string }> }>;
  standbys: Array<{ nodeId: string; name: string; reachable: boolean; lease: { state: string } }>;
}

const dataDir = mkdtempSync(join(tmpdir(), 'twinrec-demo-pool-'));
const pids: number[] = [];
let demo: TwinrecProcess | undefined;
const cleanup = async (): Promise<void> => {
  await demo?.stop('SIGKILL', 1_000);
  for (const pid of pids) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
};
const release = stopOnSignal(cleanup);
after(async () => {
  await cleanup();
  release();
});

test('twinrec demo --pool refuses a bad shape, --encrypted and --profile before it starts anything', { timeout: 120_000 }, async () => {
  for (const [args, message] of [
    [['--pool', '3'], /--pool: expected P:S/],
    [['--pool', '3:0'], /--pool: expected P:S/],
    [['--pool', '3:1', '--encrypted'], /--pool cannot go with --encrypted/],
    [['--pool', '3:1', '--profile', 'fast'], /--profile is for the pair/],
  ] as const) {
    const refused = runTwinrec(['demo', '--port', '0', '--data-dir', dataDir, ...args]);
    assert.equal(await refused.exited(60_000), 2, args.join(' '));
    assert.match(refused.stderr(), message);
  }
});

test('twinrec demo --pool 3:1 sets up a pool of 3 protected servers and 1 standby, all reporting; SIGINT stops every process', { timeout: 420_000 }, async () => {
  demo = runTwinrec(['demo', '--pool', '3:1', '--cameras', '2', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn', '--json']);
  const doc = JSON.parse(await demo.waitForLine((l) => l.startsWith('{'), 360_000)) as PoolDemoDocument;
  pids.push(doc.pids.labControl, doc.pids.cameraHub, doc.pids.managementServer, doc.pids.eventServer, ...Object.values(doc.pids.pool).flatMap((n) => [n.recorder, n.agent, ...(n.relay === undefined ? [] : [n.relay])]));
  assert.equal(doc.pids.controller, demo.pid, 'the controller runs in the demo process');
  assert.deepEqual(Object.keys(doc.pids.pool).sort(), ['failover-1', 'recorder-p1', 'recorder-p2', 'recorder-p3']);
  assert.equal(pids.length, 4 + 3 * 3 + 2, 'per protected server a recorder, an agent and a relay; the standby a recorder and an agent');
  for (const pid of pids) assert.ok(isRunning(pid), `pid ${pid} is running`);

  // The pool as the REST API shows it to an admin who signs in with the printed login.
  const controller = doc.endpoints.controller.url;
  const { cookie } = await login(controller, doc.credentials.console.username, doc.credentials.console.password);
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${controller}/api/v1${path}`, { headers: { cookie }, signal: AbortSignal.timeout(10_000) });
    assert.equal(res.status, 200, path);
    return (await res.json()) as T;
  };
  const view = await waitFor('every node of the pool reporting', async () => {
    const v = await get<PoolView>(`/clusters/${doc.pool.clusterId}/pool`);
    return [...v.protectedServers, ...v.standbys].every((n) => n.reachable) ? v : undefined;
  }, 60_000, 500);
  assert.deepEqual(view.protectedServers.map((s) => s.name).sort(), ['recorder-p1', 'recorder-p2', 'recorder-p3']);
  assert.deepEqual(view.standbys.map((s) => s.name), ['failover-1']);
  const group = view.failoverGroups.find((g) => g.id === doc.pool.failoverGroup.id);
  assert.equal(group?.name, demoFailoverGroupName);
  assert.deepEqual(group?.standbys.map((s) => s.nodeName), ['failover-1'], 'the standby is in the demo group');
  for (const server of view.protectedServers) {
    assert.equal(server.settings.primaryGroupId, group?.id, `${server.name}'s primary group`);
    assert.equal(server.failover.state, 'protected');
    assert.notEqual(server.recorderConfig, null, `${server.name}'s RecorderConfig.xml is on record`);
    assert.ok(doc.endpoints.pool.protectedServers.some((p) => p.node === server.name && p.sharedAddress === server.settings.sharedAddress), `${server.name}'s shared address as printed`);
  }
  assert.equal(view.standbys[0]?.lease.state, 'free');
  const policy = await get<{ pool: unknown }>(`/clusters/${doc.pool.clusterId}/policy`);
  assert.deepEqual(policy.pool, demoPoolSettings, "the demo's pool policy");

  demo.child.kill('SIGINT');
  await demo.exited(120_000);
  await waitFor('every demo process to end', () => (pids.every((pid) => !isRunning(pid)) ? true : undefined), 60_000);
});
