// A failover pool's controller goes away and comes back (issue 17 §5): a real `twinrec serve` on
// SQLite, a pool of two protected recording servers and one standby whose agents are played over
// the agent link (the standby's agent URL is a closed loopback port: its orders are not taken,
// its reports say what it does). RS-1 goes silent and the standby takes it over (its report
// serving under the lease's epoch); RS-2 goes silent too and waits, no standby being free. The
// controller is killed (SIGKILL) while the standby serves, stays down longer than the outage
// bound (10 s: 3 lease TTLs of 2 s are less), and starts again on its data folder: its first sweep
// of the pool stores one `pool.controller-returned` event, as GET /api/v1/events shows it, naming
// how long no controller supervised the pool, the takeover that went on (FO-1 serving RS-1 at
// its epoch) and RS-2 failed and waiting.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { RegisterResponse } from '../contracts/controller-v1.js';
import type { PoolStandbyStatus } from '../contracts/pool-v1.js';
import { parseRecorderConfig, sha256Hex } from '../recorder-config-sync/index.js';
import { waitFor } from '../lab/testing/harness.js';
import { adminAuthHeader, testAdminPassword } from './helpers/auth.js';
import { nodeStatus, postAsAgent, registration, secretFor } from './helpers/agent-reports.js';
import { adminRequest, type AdminApi, type StoredEvent } from './helpers/pool-admin.js';
import { repoRoot, runTwinrec, stopOnSignal, type TwinrecProcess } from './helpers/process.js';

const fileBytes = readFileSync(join(repoRoot, 'recorder-config-sync', 'fixtures', '01-primary-crlf.xml'));
const fileRecorderId = parseRecorderConfig(fileBytes).info.recorderId.replace(/^\{|\}$/g, '').toLowerCase();
/** Nothing listens there: the supervisor's orders to these agents are not taken (and stay on loopback). */
const closedAgentUrl = 'http://127.0.0.1:9/';
const outageMs = 12_000;

const dataDir = mkdtempSync(join(tmpdir(), 'twinrec-ctl-returned-'));
let controller: TwinrecProcess | null = null;
const timers: NodeJS.Timeout[] = [];
const cleanup = async (): Promise<void> => {
  for (const t of timers) clearInterval(t);
  await controller?.stop('SIGKILL', 10_000);
  rmSync(dataDir, { recursive: true, force: true });
};
const release = stopOnSignal(cleanup);
after(async () => {
  await cleanup();
  release();
});

/** `twinrec serve` on the data folder (SQLite) and `port` (0: any); resolves with its URL once it listens. */
async function serve(port: number): Promise<string> {
  controller = runTwinrec(['serve', '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn'], {
    env: { TWINREC_AUTH_ADMIN_PASSWORD: testAdminPassword, TWINREC_AGENTS_TRUST_ON_FIRST_USE: 'true', TWINREC_LEASES_TTL_MS: '2000' },
  });
  const line = await controller.waitForLine((l) => l.includes('"listening"'), 60_000);
  return (JSON.parse(line) as { url: string }).url;
}

test('the controller killed while a standby serves and back after the bound: one pool.controller-returned event names the outage, the takeover and the server waiting', { timeout: 180_000 }, async () => {
  const url = await serve(0);
  const api: AdminApi = { url, authHeader: await adminAuthHeader(url, testAdminPassword) };
  const agentAt = { url };
  const secret = secretFor('returned');
  const register = async (name: string, pool: object, recorderId: string): Promise<RegisterResponse> => {
    const answer = await postAsAgent<RegisterResponse>(agentAt, secret, 'register', { ...registration('returned', name, name, 0, { recorderId, agentUrl: closedAgentUrl }), pool });
    assert.equal(answer.status, 200, `${name}: ${JSON.stringify(answer.body)}`);
    return answer.body as RegisterResponse;
  };
  const rs1 = await register('RS-1', { role: 'protected', sharedAddress: '127.0.0.1:7641' }, fileRecorderId);
  const rs2 = await register('RS-2', { role: 'protected', sharedAddress: '127.0.0.1:7642' }, '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
  const fo1 = await register('FO-1', { role: 'standby', cameraCapacity: 8 }, '0d9c8b7a-6f5e-4d3c-8b1a-0f9e8d7c6b5a');
  const clusterId = rs1.clusterId;
  const pushed = await fetch(`${url}/api/v1/agent/recorder-config`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body: JSON.stringify({ clusterId, nodeId: rs1.nodeId, recorderConfig: { xml: fileBytes.toString('base64'), sha256: sha256Hex(fileBytes) } }), signal: AbortSignal.timeout(30_000) });
  assert.equal(pushed.status, 204, await pushed.text());

  const pool = `/api/v1/clusters/${clusterId}`;
  const group = await adminRequest<{ id: string }>(api, 'POST', `${pool}/failover-groups`, { name: 'Hall' });
  await adminRequest(api, 'PUT', `${pool}/failover-groups/${group.id}/standbys`, { standbyNodeIds: [fo1.nodeId] });
  for (const s of [rs1, rs2]) await adminRequest(api, 'PUT', `${pool}/nodes/${s.nodeId}/failover`, { primaryGroupId: group.id, secondaryGroupId: null, hotStandbyNodeId: null, standbySelection: 'sequence' });
  await adminRequest(api, 'PATCH', `${pool}/policy`, { pool: { triggers: { disconnectedSeconds: 3, serviceDown: { enabled: true, seconds: 10 }, storage: { enabled: true, seconds: 30 } }, failover: 'automatic', stopFailover: 'manual', failbackRecordings: 'discard' } });

  // The agents report: the protected servers while `reporting` says so, the standby what it does.
  const reporting = new Set(['RS-1', 'RS-2']);
  let standby: Pick<PoolStandbyStatus, 'state' | 'protectedNodeId' | 'epoch'> = { state: 'free', protectedNodeId: null, epoch: 0 };
  const protectedStatus = { state: 'serving', epoch: 1, fencedByEpoch: null, since: new Date().toISOString(), error: null } as const;
  const reportAll = async (): Promise<void> => {
    for (const [name, ids] of [['RS-1', rs1], ['RS-2', rs2]] as const) {
      if (reporting.has(name)) await postAsAgent(agentAt, secret, 'report', { clusterId, nodeId: ids.nodeId, status: nodeStatus('returned', name, name, { state: 'ALONE', poolProtected: protectedStatus }), events: [], witnessWindowMs: 3_000 });
    }
    await postAsAgent(agentAt, secret, 'report', { clusterId, nodeId: fo1.nodeId, status: nodeStatus('returned', 'FO-1', 'FO-1', { pool: { ...standby, since: new Date().toISOString(), error: null } }), events: [], witnessWindowMs: 3_000 });
  };
  let down = false;
  timers.push(setInterval(() => void (down ? Promise.resolve() : reportAll()).catch(() => {}), 400));
  type View = { protectedServers: { name: string; failover: { state: string } }[]; standbys: { lease: { state: string; epoch: number } }[] };
  const view = (): Promise<View> => adminRequest<View>(api, 'GET', `${pool}/pool`);
  await waitFor('both servers protected, the standby free and reporting', async () => {
    const v = await view();
    return v.protectedServers.every((s) => s.failover.state === 'protected') && v.standbys[0]?.lease.state === 'free' ? v : undefined;
  }, 30_000, 250);

  // RS-1 goes silent: the standby is given to it, and reports serving it under the lease's epoch.
  reporting.delete('RS-1');
  const lease = await waitFor('FO-1 given to RS-1', async () => {
    const l = (await view()).standbys[0]?.lease;
    return l?.state === 'taking-over' ? l : undefined;
  }, 60_000, 250);
  standby = { state: 'serving', protectedNodeId: rs1.nodeId, epoch: lease.epoch };
  await waitFor('the lease serving', async () => ((await view()).standbys[0]?.lease.state === 'serving' ? true : undefined), 30_000, 250);
  // RS-2 goes silent too and waits: no standby is free.
  reporting.delete('RS-2');
  await waitFor('RS-2 waiting', async () => ((await view()).protectedServers.find((s) => s.name === 'RS-2')?.failover.state === 'waiting' ? true : undefined), 30_000, 250);

  // The controller dies while FO-1 serves; no controller for longer than the bound.
  down = true;
  await controller?.stop('SIGKILL', 10_000);
  const killedAtMs = Date.now();
  await new Promise((resolve) => setTimeout(resolve, outageMs));
  await serve(Number(new URL(url).port));
  down = false;
  const returnedAtMs = Date.now();

  const events = async (): Promise<StoredEvent[]> => (await adminRequest<{ items: StoredEvent[] }>(api, 'GET', `/api/v1/events?clusterId=${clusterId}&limit=1000`)).items.filter((e) => e.kind === 'pool.controller-returned');
  const [event] = await waitFor('pool.controller-returned stored', async () => {
    const found = await events();
    return found.length > 0 ? found : undefined;
  }, 60_000, 250);
  assert.ok(event !== undefined);
  const seconds = event.data['unsupervisedSeconds'] as number;
  // From the last sweep stored before the kill (at most a few seconds before) to the first after the start.
  assert.ok(seconds >= outageMs / 1000 && seconds <= Math.ceil((Date.now() - killedAtMs) / 1000) + 5, `${seconds} s unsupervised, the controller down ${Math.round((returnedAtMs - killedAtMs) / 1000)} s`);
  assert.deepEqual(event.data['takeovers'], [{ standbyNodeId: fo1.nodeId, standbyName: 'FO-1', protectedNodeId: rs1.nodeId, protectedName: 'RS-1', epoch: lease.epoch, state: 'serving' }]);
  assert.deepEqual((event.data['waiting'] as { nodeId: string; name: string; trigger: string }[]).map((w) => [w.nodeId, w.name, w.trigger]), [[rs2.nodeId, 'RS-2', 'disconnected']]);
  assert.equal(event.nodeId, null, 'about the pool as a whole');

  // Said once: the sweeps after it do not repeat it.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  assert.equal((await events()).length, 1);
});
