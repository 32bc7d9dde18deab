// A standby that replaced a protected server runs a protected server's configuration derived
// from its own agent.yaml (protectedConfigOf): the endpoint of the shared address it took over,
// the recorder's port from its file, no recorder id of its own, the API port kept; and the
// derived configuration is one a protected server's agent.yaml could say.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AgentConfigError, loadAgentFile, poolProtectedConfigSchema, protectedConfigOf, type PoolStandbyConfig } from './agent-config.js';
import { validPoolStandbyConfig } from './agent-config.fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'twinrec-agent-replacement-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const standby = (): PoolStandbyConfig => {
  const path = join(dir, 'agent.json');
  writeFileSync(path, JSON.stringify({ ...validPoolStandbyConfig, recorder: { ...validPoolStandbyConfig.recorder, recorderId: '6b0c4a7e-1f2d-4e3c-9a8b-7c6d5e4f3a2b' } }));
  return loadAgentFile(path) as PoolStandbyConfig;
};

test("the protected server's configuration of a replacement: the shared address's endpoint, the file's port, no own recorder id, the API port kept", () => {
  const own = standby();
  const derived = protectedConfigOf(own, { sharedAddress: 'RS-2.example:7563' }, { webServerPort: 7600, apiPort: 8741 });
  assert.deepEqual(derived.pool.endpoint, own.pool.endpoints[1], 'matched without regard to case');
  assert.equal(derived.pool.role, 'protected');
  assert.equal(derived.pool.stopTimeoutMs, own.pool.stopTimeoutMs);
  assert.equal(new URL(derived.recorder.webServerUrl).port, '7600');
  assert.equal(derived.recorder.recorderId, null, 'it registers the identity its file runs');
  assert.equal(derived.api.listen.port, 8741);
  assert.deepEqual([derived.node, derived.cluster, derived.stateDir, derived.controller], [own.node, own.cluster, own.stateDir, own.controller]);
  assert.equal(derived.cameraNames.enabled, true);
  // What a protected server's agent.yaml could say (the schema's own check of the pool section).
  assert.equal(poolProtectedConfigSchema.shape.pool.safeParse(derived.pool).success, true);
  assert.equal(protectedConfigOf(own, { sharedAddress: '127.0.0.1:7563' }, { webServerPort: 7563 }).api.listen.port, own.api.listen.port);
});

test('a shared address agent.yaml lists no endpoint for is refused by name', () => {
  assert.throws(() => protectedConfigOf(standby(), { sharedAddress: '10.9.9.9:7563' }, { webServerPort: 7563 }), (err: Error) => err instanceof AgentConfigError && /no serving endpoint for 10\.9\.9\.9:7563/.test(err.message));
});
