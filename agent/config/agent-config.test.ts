import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AgentConfigError, loadAgentConfig, readSecretFile } from './agent-config.js';
import { validAgentConfig } from './agent-config.fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'twinrec-agent-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const valid = validAgentConfig;

const write = (name: string, value: unknown, yaml = false): string => {
  const path = join(dir, name);
  writeFileSync(path, yaml ? `# agent\n${JSON.stringify(value)}\n` : JSON.stringify(value));
  return path;
};

test('a valid file loads with defaults, and relative paths resolve against its folder', () => {
  const config = loadAgentConfig(write('agent.json', valid));
  assert.equal(config.cluster.secretFile, join(dir, 'cluster.secret'));
  assert.equal(config.recorder.passwordFile, join(dir, 'secrets', 'password'));
  assert.equal(config.stateDir, join(dir, 'twinrec-agent'));
  assert.equal(config.failover.profile, 'conservative');
  assert.equal(config.failover.failbackHoldDownSeconds, 300);
  assert.equal(config.failover.boot, 'keep');
  assert.deepEqual(config.service, { kind: 'windows-service', serviceName: 'Milestone XProtect Recording Server' });
});

test('YAML works too (JSON is YAML)', () => {
  assert.equal(loadAgentConfig(write('agent.yaml', valid, true)).node.id, 'rs-a');
});

test('every bad key is named, with what was expected', () => {
  const bad = { ...valid, node: { id: 'rs-a', rank: 2 }, peer: { ...valid.peer, id: 'rs-a' }, failover: { profile: 'turbo', preferredNodeId: 'rs-c' } };
  assert.throws(
    () => loadAgentConfig(write('bad.json', bad)),
    (err: Error) => err instanceof AgentConfigError && /node\.rank/.test(err.message) && /failover\.profile/.test(err.message) && err.message.includes(join(dir, 'bad.json')),
  );
  const same = { ...valid, peer: { ...valid.peer, id: 'rs-a' } };
  assert.throws(() => loadAgentConfig(write('same.json', same)), /peer\.id: must differ from node\.id/);
  const preferred = { ...valid, failover: { preferredNodeId: 'rs-c' } };
  assert.throws(() => loadAgentConfig(write('preferred.json', preferred)), /failover\.preferredNodeId: must be rs-a or rs-b/);
});

test('an agent without any witness is refused: it could never decide to serve alone safely', () => {
  const { controller: _controller, ...noWitness } = valid;
  assert.throws(() => loadAgentConfig(write('nowitness.json', noWitness)), /witness\.address: a witness is required/);
  assert.equal(loadAgentConfig(write('tcpwitness.json', { ...noWitness, witness: { address: { host: '127.0.0.1', port: 9000 } } })).controller, undefined);
});

test('unreadable, oversized and malformed files get clear errors', () => {
  assert.throws(() => loadAgentConfig(join(dir, 'missing.json')), /cannot read \(ENOENT\)/);
  const malformed = join(dir, 'malformed.json');
  writeFileSync(malformed, '{ "cluster": ');
  assert.throws(() => loadAgentConfig(malformed), /not valid JSON/);
  const big = join(dir, 'big.yaml');
  writeFileSync(big, 'x'.repeat(300 * 1024));
  assert.throws(() => loadAgentConfig(big), /larger than/);
});

test('secret files: too short is refused and the content never appears in the error', () => {
  const short = join(dir, 'short.secret');
  writeFileSync(short, 'tiny-secret\n');
  assert.throws(
    () => readSecretFile(short, 'cluster.secretFile', 16),
    (err: Error) => /at least 16 characters/.test(err.message) && !err.message.includes('tiny-secret'),
  );
  const good = join(dir, 'good.secret');
  writeFileSync(good, '0123456789abcdef0123\n');
  assert.equal(readSecretFile(good, 'cluster.secretFile', 16), '0123456789abcdef0123');
});

test('storage: optional; the lab-format adapter with its root resolved, a default refresh interval and retention, and bounds', () => {
  assert.equal(loadAgentConfig(write('nostorage.json', valid)).storage, undefined);
  const config = loadAgentConfig(write('storage.json', { ...valid, storage: { adapter: 'lab-format', root: 'recorder/storage' } }));
  assert.deepEqual(config.storage, { adapter: 'lab-format', root: join(dir, 'recorder', 'storage'), refreshIntervalMs: 15_000, maxCameras: 4_096, retainMinutes: 1_440 });
  assert.equal(loadAgentConfig(write('smaller.json', { ...valid, storage: { adapter: 'lab-format', root: '/s', retainMinutes: 60 } })).storage?.retainMinutes, 60);
  assert.throws(() => loadAgentConfig(write('no-retention.json', { ...valid, storage: { adapter: 'lab-format', root: '/s', retainMinutes: 0 } })), /storage\.retainMinutes/);
  assert.throws(() => loadAgentConfig(write('fast-scan.json', { ...valid, storage: { adapter: 'lab-format', root: '/s', refreshIntervalMs: 100 } })), /storage\.refreshIntervalMs/);
  assert.throws(() => loadAgentConfig(write('xprotect.json', { ...valid, storage: { adapter: 'media-database', root: '/s' } })), /storage\.adapter/);
  assert.throws(() => loadAgentConfig(write('noroot.json', { ...valid, storage: { adapter: 'lab-format' } })), /storage\.root/);
});

test('cameraNames: on by default, read every minute, with bounds on the interval, the timeout and the count', () => {
  assert.deepEqual(loadAgentConfig(write('names.json', valid)).cameraNames, { enabled: true, refreshIntervalMs: 60_000, timeoutMs: 30_000, maxCameras: 4_096 });
  const config = loadAgentConfig(write('names-set.json', { ...valid, cameraNames: { restUrl: 'https://gw.example/api/rest/v1', refreshIntervalMs: 300_000 } }));
  assert.equal(config.cameraNames.restUrl, 'https://gw.example/api/rest/v1');
  assert.throws(() => loadAgentConfig(write('names-fast.json', { ...valid, cameraNames: { refreshIntervalMs: 1_000 } })), /cameraNames\.refreshIntervalMs/);
  assert.throws(() => loadAgentConfig(write('names-many.json', { ...valid, cameraNames: { maxCameras: 10_000 } })), /cameraNames\.maxCameras/);
  assert.throws(() => loadAgentConfig(write('names-slow.json', { ...valid, cameraNames: { timeoutMs: 600_000 } })), /cameraNames\.timeoutMs/);
});

test('log.file: optional; its path resolved against the folder, defaults for its bounds, bad values named', () => {
  assert.equal(loadAgentConfig(write('nolog.json', valid)).log.file, undefined);
  const config = loadAgentConfig(write('logfile.json', { ...valid, log: { level: 'debug', file: { path: 'logs/agent.log' } } }));
  assert.deepEqual(config.log, { level: 'debug', file: { path: join(dir, 'logs', 'agent.log'), sizeMaxMb: 10, filesMax: 10, ageMaxDays: 30 } });
  assert.throws(() => loadAgentConfig(write('logsize.json', { ...valid, log: { file: { path: 'a.log', sizeMaxMb: 0 } } })), /log\.file\.sizeMaxMb/);
  assert.throws(() => loadAgentConfig(write('lognopath.json', { ...valid, log: { file: {} } })), /log\.file\.path/);
});
