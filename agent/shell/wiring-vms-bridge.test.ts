// agent.yaml `vms.bridge: edge` takes effect at start: the edge bridge is loaded while the agent
// is wired, so one that cannot load stops the start with what is missing, and nothing falls back
// to the native probe. (test/agent-vms-bridge-edge.test.ts runs a working one against the lab.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { loadAgentConfig } from '../config/agent-config.js';
import { validAgentConfig } from '../config/agent-config.fixtures.js';
import { wireAgent } from './wiring.js';

const dir = mkdtempSync(join(tmpdir(), 'twinrec-agent-edge-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('an edge bridge whose dll is missing stops the start, naming the file and how to build it', async () => {
  writeFileSync(join(dir, 'cluster.secret'), 'a-cluster-secret-of-32-characters!!\n');
  writeFileSync(join(dir, 'password'), 'recorder-password\n');
  const missing = join(dir, 'bridge', 'Twinrec.Bridge.dll');
  const file = join(dir, 'agent.json');
  writeFileSync(
    file,
    JSON.stringify({
      ...validAgentConfig,
      cluster: { ...validAgentConfig.cluster, secretFile: 'cluster.secret' },
      recorder: { ...validAgentConfig.recorder, passwordFile: 'password', recorderId: '5b2a1b4e-7d43-4c1e-9f0a-3c2d1e0f9a8b' },
      vms: { bridge: 'edge', bridgeAssembly: missing },
      stateDir: 'state',
    }),
  );
  await assert.rejects(wireAgent(loadAgentConfig(file), pino({ level: 'silent' })), (err: Error) => {
    assert.equal(err.name, 'AgentConfigError');
    assert.ok(err.message.includes(`the bridge ${missing} is missing`), err.message);
    assert.match(err.message, /dotnet build plugin-host\/Twinrec\.PluginHost\.slnx -c Release/);
    return true;
  });
});
