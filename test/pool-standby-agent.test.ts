// `twinrec agent` with a pool standby's agent.json, without a lab (issue 17): a file with a
// pair's key is refused at start with the key named; a valid one starts a standby whose API
// answers its status and the pool routes only with the cluster secret, has no pair commands,
// and stops on SIGTERM. Its recorder and service manager are closed ports here: the standby is
// free and says its recorder does not answer. test/pool-standby.test.ts takes over for real.
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { poolStandbyStatusSchema } from '../contracts/pool-v1.js';
import { nodeStatusSchema } from '../contracts/controller-v1.js';
import { validPoolStandbyConfig } from '../agent/config/agent-config.fixtures.js';
import { repoRoot, runTwinrec, testScratch } from './helpers/process.js';

const secret = 'pool-agent-secret-0123456789';
const { tempDir, running } = testScratch('twinrec-pool-agent-');

function standbyFolder(extra: Record<string, unknown> = {}): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'cluster.secret'), `${secret}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'password'), 'recorder-password', { mode: 0o600 });
  copyFileSync(join(repoRoot, 'recorder-config-sync', 'fixtures', '01-primary-crlf.xml'), join(dir, 'RecorderConfig.xml'));
  // Closed loopback ports: nothing answers as recorder, service manager or relay.
  const config = {
    ...validPoolStandbyConfig,
    recorder: { ...validPoolStandbyConfig.recorder, webServerUrl: 'http://127.0.0.1:9/', passwordFile: 'password' },
    service: { kind: 'lab', controlUrl: 'http://127.0.0.1:9', recorderName: 'recorder-2a' },
    pool: { role: 'standby', cameraCapacity: 8, endpoints: [{ sharedAddress: '127.0.0.1:7563', kind: 'relay', controlUrl: 'http://127.0.0.1:9' }] },
    ...extra,
  };
  const { controller: _controller, ...withoutController } = config;
  writeFileSync(join(dir, 'agent.json'), JSON.stringify(withoutController));
  return dir;
}

test('a pool standby agent.json with a pair key is refused at start, the key named', { timeout: 60_000 }, async () => {
  const proc = runTwinrec(['agent', '--config', join(standbyFolder({ peer: { id: 'rs-b', heartbeat: { host: '127.0.0.1', port: 7601 }, agentUrl: 'http://127.0.0.1:7602' } }), 'agent.json')]);
  running.push(proc);
  assert.equal(await proc.exited(30_000), 2);
  assert.match(proc.stderr(), /peer: a pool standby has no peer/);
});

test('twinrec agent runs a pool standby: its API answers with the secret only, no pair commands, SIGTERM stops it', { timeout: 90_000 }, async () => {
  const proc = runTwinrec(['agent', '--config', join(standbyFolder(), 'agent.json')]);
  running.push(proc);
  const listening = JSON.parse(await proc.waitForLine((l) => l.includes('"listening"'), 60_000)) as { api: string; heartbeatPort: number | null; fingerprint: string | null };
  assert.deepEqual({ heartbeatPort: listening.heartbeatPort, fingerprint: listening.fingerprint }, { heartbeatPort: null, fingerprint: null });
  const call = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await fetch(`${listening.api}${path}`, { method, headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  for (const path of ['/api/v1/pool', '/api/v1/state']) {
    assert.equal((await call('GET', path, null)).status, 401, `${path} without the secret`);
    assert.equal((await call('GET', path, 'not-the-secret-0123456789')).status, 401, `${path} with another secret`);
  }
  assert.equal((await call('POST', '/api/v1/pool/takeover', null, {})).status, 401, 'no order without the secret');
  const pool = poolStandbyStatusSchema.parse((await call('GET', '/api/v1/pool', secret)).body);
  assert.deepEqual({ state: pool.state, protectedNodeId: pool.protectedNodeId, epoch: pool.epoch }, { state: 'free', protectedNodeId: null, epoch: 0 });
  const status = nodeStatusSchema.parse((await call('GET', '/api/v1/state', secret)).body);
  assert.deepEqual({ state: status.state, serving: status.serving, pool: status.pool, recorderUp: status.health.recorderUp, healthy: status.healthy }, { state: 'SECOND', serving: false, pool, recorderUp: false, healthy: false });
  const invalid = await call('POST', '/api/v1/pool/takeover', secret, { protectedNodeId: 'x' });
  assert.deepEqual({ status: invalid.status, type: invalid.body['type'] }, { status: 400, type: 'urn:twinrec:problem:validation-failed' });
  const release = await call('POST', '/api/v1/pool/release', secret, { protectedNodeId: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b', epoch: 1 });
  assert.deepEqual({ status: release.status, type: release.body['type'] }, { status: 409, type: 'urn:twinrec:problem:pool-not-assigned' });
  for (const [method, path] of [['POST', '/api/v1/commands'], ['PUT', '/api/v1/recorder-config'], ['GET', '/api/backfill/v1/cameras']] as const) {
    assert.equal((await call(method, path, secret, method === 'GET' ? undefined : { command: 'switch' })).status, 404, `${method} ${path}`);
  }
  assert.equal(await proc.stop('SIGTERM', 30_000), 0);
});
