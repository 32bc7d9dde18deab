// agent.yaml `pool`: a failover pool's standby (issue 17). No peer; every pair-only key is
// refused by name; the pair's own file keeps loading as before.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AgentConfigError, loadAgentConfig, loadAgentFile, type PoolStandbyConfig } from './agent-config.js';
import { validAgentConfig, validPoolStandbyConfig } from './agent-config.fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'twinrec-agent-pool-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const valid = validPoolStandbyConfig;
let files = 0;
const load = (config: unknown) => {
  const path = join(dir, `agent-${(files += 1)}.json`);
  writeFileSync(path, JSON.stringify(config));
  return loadAgentFile(path);
};
const loadStandby = (config: unknown): PoolStandbyConfig => {
  const loaded = load(config);
  assert.equal(loaded.pool?.role, 'standby');
  return loaded as PoolStandbyConfig;
};
const refusal = (config: unknown, pattern: RegExp): void => {
  assert.throws(() => load(config), (err: Error) => err instanceof AgentConfigError && pattern.test(err.message), `expected ${String(pattern)}`);
};

test('a pool standby loads without a peer: its endpoints by shared address, defaults, and paths resolved against the folder', () => {
  const config = loadStandby(valid);
  assert.equal(config.pool.cameraCapacity, 64);
  assert.equal(config.node.id, 'standby-1');
  assert.equal(config.node.hostName, '127.0.0.1');
  assert.equal(config.recorder.recorderConfigPath, join(dir, 'RecorderConfig.xml'));
  assert.equal(config.cluster.secretFile, join(dir, 'cluster.secret'));
  assert.equal(config.stateDir, join(dir, 'twinrec-agent'));
  assert.deepEqual(config.pool.endpoints, [
    { sharedAddress: '127.0.0.1:7563', kind: 'relay', controlUrl: 'http://127.0.0.1:8750', timeoutMs: 2_000 },
    { sharedAddress: 'rs-2.example:7563', kind: 'command', command: ['/usr/local/bin/move-vip', 'rs-2'], timeoutMs: 10_000 },
  ]);
  assert.deepEqual({ stop: config.pool.stopTimeoutMs, start: config.pool.startTimeoutMs, healthy: config.pool.healthyTimeoutMs }, { stop: 120_000, start: 120_000, healthy: 60_000 });
  assert.deepEqual(config.controller?.urls, ['http://127.0.0.1:8740']);
  assert.equal(loadStandby({ ...valid, pool: { ...valid.pool, rulesFile: 'rules.yaml' } }).pool.rulesFile, join(dir, 'rules.yaml'));
  // Without a controller it still runs: orders reach its API, nothing reports it.
  const { controller: _controller, ...alone } = valid;
  assert.equal(load(alone).controller, undefined);
});

test('a pool standby may name its storage (the failback sync\'s source): lab-format, its root resolved, the defaults', () => {
  const config = loadStandby({ ...valid, storage: { adapter: 'lab-format', root: 'storage' } });
  assert.deepEqual(config.storage, { adapter: 'lab-format', root: join(dir, 'storage'), refreshIntervalMs: 15_000, maxCameras: 4_096, retainMinutes: 1_440 });
  assert.equal(loadStandby(valid).storage, undefined);
  refusal({ ...valid, storage: { adapter: 'xprotect', root: '/s' } }, /storage\.adapter/);
  refusal({ ...valid, storage: { adapter: 'lab-format', root: '/s', extra: 1 } }, /storage: .*extra/s);
});

test('every pair-only key is refused by name, saying why, never ignored', () => {
  const pairOnly: Record<string, [unknown, RegExp]> = {
    peer: [validAgentConfig.peer, /peer: a pool standby has no peer/],
    heartbeat: [{ listen: { host: '127.0.0.1', port: 7600 } }, /heartbeat: a pool standby sends no heartbeats/],
    servingEndpoint: [validAgentConfig.servingEndpoint, /servingEndpoint: .*list each in pool\.endpoints/],
    witness: [{ address: { host: '127.0.0.1', port: 9000 } }, /witness: a pool standby decides no takeover itself/],
    failover: [{ profile: 'fast' }, /failover: .*a pool standby takes over and releases by order only/],
    configSync: [{ role: 'target' }, /configSync: a pool standby takes the protected server's RecorderConfig\.xml from the takeover order/],
    vms: [{ bridge: 'edge' }, /vms: a pool standby probes its recorder over the recorder's SOAP status service/],
    cameraNames: [{ enabled: false }, /cameraNames: a pool standby probes the cameras of its takeover order/],
    testing: [{ faultInjection: true }, /testing: the fault injection drops heartbeats/],
  };
  for (const [key, [value, pattern]] of Object.entries(pairOnly)) refusal({ ...valid, [key]: value }, pattern);
  refusal({ ...valid, node: { id: 'standby-1', rank: 0 } }, /node\.rank: ranks order the two nodes of a cloned pair/);
  // All at once: each is named in the one error.
  assert.throws(() => load({ ...valid, peer: validAgentConfig.peer, heartbeat: validAgentConfig.heartbeat, failover: {} }), (err: Error) => /peer:/.test(err.message) && /heartbeat:/.test(err.message) && /failover:/.test(err.message));
});

test('the pool section is checked: role, capacity, endpoints, shared addresses, bounds and the secret on the wire', () => {
  refusal({ ...valid, pool: { ...valid.pool, role: 'hot' } }, /pool\.role: standby \(a failover pool's standby\) or protected/);
  const { role: _role, ...noRole } = valid.pool;
  refusal({ ...valid, pool: noRole }, /pool\.role: standby .* not null/);
  const { cameraCapacity: _capacity, ...noCapacity } = valid.pool;
  refusal({ ...valid, pool: noCapacity }, /pool\.cameraCapacity/);
  refusal({ ...valid, pool: { ...valid.pool, cameraCapacity: 4097 } }, /pool\.cameraCapacity/);
  refusal({ ...valid, pool: { ...valid.pool, cameraCapacity: -1 } }, /pool\.cameraCapacity/);
  refusal({ ...valid, pool: { ...valid.pool, endpoint: valid.pool.endpoints[0] } }, /pool: .*endpoint/s);
  refusal({ ...valid, pool: { ...valid.pool, endpoints: [] } }, /pool\.endpoints/);
  refusal({ ...valid, pool: { ...valid.pool, endpoints: [{ ...valid.pool.endpoints[0], sharedAddress: 'no-port' }] } }, /pool\.endpoints\.0\.sharedAddress: host:port/);
  refusal({ ...valid, pool: { ...valid.pool, endpoints: [{ kind: 'relay', controlUrl: 'http://127.0.0.1:8750' }] } }, /pool\.endpoints\.0\.sharedAddress/);
  refusal({ ...valid, pool: { ...valid.pool, endpoints: [valid.pool.endpoints[0], { ...valid.pool.endpoints[1], sharedAddress: '127.0.0.1:7563' }] } }, /pool\.endpoints\.1\.sharedAddress: is pool\.endpoints\.0's too/);
  refusal({ ...valid, pool: { ...valid.pool, endpoints: [{ ...valid.pool.endpoints[0], controlUrl: 'https://10.0.0.5:8750' }] } }, /pool\.endpoints\.0\.fingerprint: required with an https controlUrl/);
  refusal({ ...valid, pool: { ...valid.pool, endpoints: [{ ...valid.pool.endpoints[0], controlUrl: 'http://10.0.0.5:8750' }] } }, /pool\.endpoints\.0\.controlUrl: is plain http:\/\/ beyond loopback/);
  refusal({ ...valid, pool: { ...valid.pool, endpoints: [{ ...valid.pool.endpoints[0], extra: 1 }] } }, /pool\.endpoints\.0/);
  refusal({ ...valid, pool: { ...valid.pool, healthyTimeoutMs: 10 } }, /pool\.healthyTimeoutMs/);
  refusal({ ...valid, pool: { ...valid.pool, extra: true } }, /pool: .*extra/s);
  refusal({ ...valid, recorder: { ...valid.recorder, recorderConfigPath: undefined } }, /recorder\.recorderConfigPath: required with pool/);
  refusal({ ...valid, api: { listen: { host: '10.0.0.11', port: 8741 }, tls: { mode: 'off' } } }, /api\.tls\.mode: is off on 10\.0\.0\.11/);
  refusal({ ...valid, controller: { url: 'http://10.0.0.1:8740' } }, /controller\.url: http:\/\/10\.0\.0\.1:8740 is plain http:\/\/ beyond loopback/);
});

test('loadAgentConfig stays the pair\'s: it refuses a pool standby\'s file, and loadAgentFile reads a pair\'s as before', () => {
  const path = join(dir, 'pool.json');
  writeFileSync(path, JSON.stringify(valid));
  assert.throws(() => loadAgentConfig(path), /a pool standby's configuration \(it has pool\)/);
  const pairFile = join(dir, 'pair.json');
  writeFileSync(pairFile, JSON.stringify(validAgentConfig));
  const pair = loadAgentFile(pairFile);
  assert.equal(pair.pool, undefined);
  assert.deepEqual(pair, loadAgentConfig(pairFile));
  // A pair's file with a pool key is read as a pool standby's, and its pair-only keys named.
  refusal({ ...validAgentConfig, pool: valid.pool }, /peer: a pool standby has no peer/);
});
