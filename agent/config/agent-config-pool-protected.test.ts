// agent.yaml `pool.role: protected`: a failover pool's protected recording server (issue 17). No
// twin; its own shared address and endpoint in pool.endpoint; every pair-only key refused by
// name; its camera list settings kept (a standby takes those cameras over).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AgentConfigError, loadAgentConfig, loadAgentFile, type PoolProtectedConfig } from './agent-config.js';
import { validAgentConfig, validPoolProtectedConfig, validPoolStandbyConfig } from './agent-config.fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'twinrec-agent-protected-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const valid = validPoolProtectedConfig;
let files = 0;
const load = (config: unknown) => {
  const path = join(dir, `agent-${(files += 1)}.json`);
  writeFileSync(path, JSON.stringify(config));
  return loadAgentFile(path);
};
const refusal = (config: unknown, pattern: RegExp): void => {
  assert.throws(() => load(config), (err: Error) => err instanceof AgentConfigError && pattern.test(err.message), `expected ${String(pattern)}`);
};

test('a protected server loads without a peer: its endpoint with its shared address, defaults, and paths resolved against the folder', () => {
  const config = load(valid) as PoolProtectedConfig;
  assert.equal(config.pool.role, 'protected');
  assert.deepEqual(config.pool, {
    role: 'protected',
    endpoint: { sharedAddress: '127.0.0.1:7563', kind: 'relay', controlUrl: 'http://127.0.0.1:8750', timeoutMs: 2_000 },
    claimIntervalMs: 1_000,
    recorderConfigCheckIntervalMs: 10_000,
    stopTimeoutMs: 120_000,
    startTimeoutMs: 120_000,
  });
  assert.equal(config.node.id, 'protected-1');
  assert.equal(config.recorder.recorderConfigPath, join(dir, 'RecorderConfig.xml'));
  assert.equal(config.cluster.secretFile, join(dir, 'cluster.secret'));
  assert.equal(config.stateDir, join(dir, 'twinrec-agent'));
  assert.equal(config.cameraNames.enabled, true, 'its camera list is read: a standby takes those cameras over');
  assert.equal((load({ ...valid, cameraNames: { enabled: false } }) as PoolProtectedConfig).cameraNames.enabled, false);
  const command = load({ ...valid, pool: { role: 'protected', endpoint: { sharedAddress: 'rs-1.example:7563', kind: 'command', command: ['/usr/local/bin/move-vip', 'rs-1'] } } }) as PoolProtectedConfig;
  assert.deepEqual(command.pool.endpoint, { sharedAddress: 'rs-1.example:7563', kind: 'command', command: ['/usr/local/bin/move-vip', 'rs-1'], timeoutMs: 10_000 });
  assert.throws(() => loadAgentConfig(join(dir, `agent-${files - 2}.json`)), /a pool protected server's configuration \(it has pool\)/);
});

test('a protected server may name its storage (where the failback sync fills its failover window): its root resolved', () => {
  const config = load({ ...valid, storage: { adapter: 'lab-format', root: 'storage', retainMinutes: 60 } }) as PoolProtectedConfig;
  assert.deepEqual(config.storage, { adapter: 'lab-format', root: join(dir, 'storage'), refreshIntervalMs: 15_000, maxCameras: 4_096, retainMinutes: 60 });
  refusal({ ...valid, storage: { adapter: 'lab-format' } }, /storage\.root/);
});

test('every pair-only key is refused by name, saying why, never ignored', () => {
  const pairOnly: Record<string, [unknown, RegExp]> = {
    peer: [validAgentConfig.peer, /peer: a protected recording server has no twin/],
    heartbeat: [{ listen: { host: '127.0.0.1', port: 7600 } }, /heartbeat: a protected recording server sends no heartbeats/],
    servingEndpoint: [validAgentConfig.servingEndpoint, /servingEndpoint: .*in pool\.endpoint/],
    witness: [{ address: { host: '127.0.0.1', port: 9000 } }, /witness: a protected recording server decides no failover itself/],
    failover: [{ profile: 'fast' }, /failover: .*a pool's triggers are the controller's/],
    configSync: [{ role: 'source' }, /configSync: a protected recording server pushes its RecorderConfig\.xml to the controller/],
    vms: [{ bridge: 'edge' }, /vms: a protected recording server's agent probes its recorder over the recorder's SOAP status service/],
    testing: [{ faultInjection: true }, /testing: the fault injection drops heartbeats/],
  };
  for (const [key, [value, pattern]] of Object.entries(pairOnly)) refusal({ ...valid, [key]: value }, pattern);
  refusal({ ...valid, node: { id: 'protected-1', rank: 0 } }, /node\.rank: ranks order the two nodes of a cloned pair/);
});

test('the pool section is checked: its shape, the shared address, bounds, the recorder file and the secret on the wire', () => {
  refusal({ ...valid, pool: { ...valid.pool, endpoint: undefined } }, /pool\.endpoint/);
  refusal({ ...valid, pool: { ...valid.pool, endpoint: { ...valid.pool.endpoint, sharedAddress: 'no-port' } } }, /pool\.endpoint\.sharedAddress: host:port/);
  refusal({ ...valid, pool: { ...valid.pool, endpoint: { kind: 'relay', controlUrl: 'http://127.0.0.1:8750' } } }, /pool\.endpoint\.sharedAddress/);
  refusal({ ...valid, pool: { ...valid.pool, endpoints: validPoolStandbyConfig.pool.endpoints } }, /pool: .*endpoints/s);
  refusal({ ...valid, pool: { ...valid.pool, cameraCapacity: 8 } }, /pool: .*cameraCapacity/s);
  refusal({ ...valid, pool: { ...valid.pool, claimIntervalMs: 10 } }, /pool\.claimIntervalMs/);
  refusal({ ...valid, pool: { ...valid.pool, claimIntervalMs: 120_000 } }, /pool\.claimIntervalMs/);
  refusal({ ...valid, pool: { ...valid.pool, recorderConfigCheckIntervalMs: 100 } }, /pool\.recorderConfigCheckIntervalMs/);
  refusal({ ...valid, pool: { ...valid.pool, endpoint: { ...valid.pool.endpoint, controlUrl: 'https://10.0.0.5:8750' } } }, /pool\.endpoint\.fingerprint: required with an https controlUrl/);
  refusal({ ...valid, pool: { ...valid.pool, endpoint: { ...valid.pool.endpoint, controlUrl: 'http://10.0.0.5:8750' } } }, /pool\.endpoint\.controlUrl: is plain http:\/\/ beyond loopback/);
  refusal({ ...valid, recorder: { ...valid.recorder, recorderConfigPath: undefined } }, /recorder\.recorderConfigPath: required with pool: its agent pushes this RecorderConfig\.xml to the controller/);
  refusal({ ...valid, controller: { url: 'http://10.0.0.1:8740' } }, /controller\.url: http:\/\/10\.0\.0\.1:8740 is plain http:\/\/ beyond loopback/);
  // A standby's file with role protected names what the protected shape lacks and refuses.
  refusal({ ...validPoolStandbyConfig, pool: { ...validPoolStandbyConfig.pool, role: 'protected' } }, /pool\.endpoint/);
});
