// agent.yaml `vms`: which VMS bridge the recorder probe uses (native by default, edge through
// Twinrec.Bridge), and every setting edge could not honour refused at load, never ignored.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadAgentConfig } from './agent-config.js';
import { validAgentConfig } from './agent-config.fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'twinrec-agent-vms-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const valid = validAgentConfig;
const recorderId = '5b2a1b4e-7d43-4c1e-9f0a-3c2d1e0f9a8b';
const edge = { ...valid, recorder: { ...valid.recorder, recorderId }, vms: { bridge: 'edge' } };
let files = 0;
const load = (config: unknown) => {
  const path = join(dir, `agent-${(files += 1)}.json`);
  writeFileSync(path, JSON.stringify(config));
  return loadAgentConfig(path);
};

test('vms.bridge is native by default', () => {
  assert.deepEqual(load(valid).vms, { bridge: 'native' });
});

test('vms.bridge edge is accepted, its assembly resolved beside the file', () => {
  assert.deepEqual(load(edge).vms, { bridge: 'edge' });
  assert.deepEqual(load({ ...edge, vms: { bridge: 'edge', bridgeAssembly: 'bridge/Twinrec.Bridge.dll' } }).vms, { bridge: 'edge', bridgeAssembly: join(dir, 'bridge', 'Twinrec.Bridge.dll') });
  // The recorder id may come from RecorderConfig.xml instead.
  assert.equal(load({ ...edge, recorder: { ...valid.recorder, recorderConfigPath: 'RecorderConfig.xml' } }).vms.bridge, 'edge');
});

test('a bridge other than native or edge is refused, naming the key and both choices', () => {
  assert.throws(() => load({ ...valid, vms: { bridge: 'mip' } }), /vms\.bridge: .*"native".*"edge"/s);
  assert.throws(() => load({ ...valid, vms: { bridge: 'edge', extra: 1 } }), /vms: .*extra/s);
});

test('vms.bridgeAssembly without edge is refused rather than ignored', () => {
  assert.throws(() => load({ ...valid, vms: { bridgeAssembly: 'x.dll' } }), /vms\.bridgeAssembly: applies to vms\.bridge: edge only/);
});

test('edge refuses what Twinrec.Bridge cannot honour, naming each key', () => {
  assert.throws(() => load({ ...edge, recorder: { ...edge.recorder, tokenUrl: 'http://127.0.0.1/idp/token' } }), /recorder\.tokenUrl: with vms\.bridge edge, must be the Management Server's <url>\/IDP\/connect\/token/);
  assert.throws(() => load({ ...edge, recorder: { ...valid.recorder } }), /recorder\.recorderId: with vms\.bridge edge, set recorder\.recorderId or recorder\.recorderConfigPath/);
  assert.throws(() => load({ ...edge, recorder: { ...edge.recorder, soapVersion: '1.2' } }), /recorder\.soapVersion: with vms\.bridge edge, must be 1\.1/);
  assert.throws(() => load({ ...edge, recorder: { ...edge.recorder, webServerUrl: 'https://rs-a:7563/', fingerprint: 'ab'.repeat(32) } }), /recorder\.fingerprint: with vms\.bridge edge, .*system's CAs only/);
  assert.throws(() => load({ ...edge, cameraNames: { restUrl: 'http://127.0.0.1:8081/api/rest/v1' } }), /cameraNames\.restUrl: with vms\.bridge edge, leave it unset/);
  // The same recorder over https trusted by the system's CAs is fine: the bridge's HttpClient trusts them.
  assert.equal(load({ ...edge, recorder: { ...edge.recorder, webServerUrl: 'https://rs-a:7563/', systemTrust: true } }).vms.bridge, 'edge');
});
