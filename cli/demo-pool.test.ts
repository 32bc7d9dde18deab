import assert from 'node:assert/strict';
import { test } from 'node:test';
import { poolSettingsSchema } from '../contracts/cluster-policy-v1.js';
import { CliError } from '../shared/exit-codes.js';
import { demoPoolSettings, parsePoolShape, poolWalkthrough } from './demo-pool.js';

test('--pool P:S: protected servers and standbys, each at least 1; anything else is a usage error', () => {
  assert.deepEqual(parsePoolShape('3:1'), { protected: 3, standbys: 1 });
  assert.deepEqual(parsePoolShape(' 16:8 '), { protected: 16, standbys: 8 });
  for (const bad of ['3', '3:', ':1', '0:1', '3:0', '-1:1', '3:1:1', 'a:b', '1.5:1', '']) {
    assert.throws(() => parsePoolShape(bad), (err: unknown) => err instanceof CliError && err.exitCode === 2 && err.message.startsWith('--pool:'), bad);
  }
});

test("the demo's pool policy is one the API accepts, and quick to watch", () => {
  assert.deepEqual(poolSettingsSchema.parse(demoPoolSettings), demoPoolSettings);
  assert.ok(demoPoolSettings.triggers.disconnectedSeconds <= 10 && demoPoolSettings.holdDownSeconds <= 30);
});

test('the walkthrough names the lab commands for the server and its standby, with the policy\'s times', () => {
  const text = poolWalkthrough('/tmp/lab', 'recorder-p2', 'failover-1', { ...demoPoolSettings, holdDownSeconds: 45 });
  assert.match(text, /twinrec lab fault crash agent-recorder-p2 --dir \/tmp\/lab/);
  assert.match(text, /twinrec lab fault crash recorder-p2 --dir \/tmp\/lab/);
  assert.match(text, /twinrec lab fault start agent-recorder-p2 --dir \/tmp\/lab/);
  assert.match(text, /After 10 s without a report the controller gives failover-1/);
  assert.match(text, /After 45 s healthy/);
});
