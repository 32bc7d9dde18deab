import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPolicySettings, type ClusterPolicy } from '../../contracts/cluster-policy-v1.js';
import { fileClusterPolicyStore, policyFileName } from './policy-store.js';

const root = mkdtempSync(join(tmpdir(), 'twinrec-policy-store-'));
after(() => rmSync(root, { recursive: true, force: true }));
/** The policy file's path in a folder of its own for each case. */
const freshPath = (): string => join(mkdtempSync(join(root, 'case-')), policyFileName);
const policy = (version: number, holdDownSeconds = 300): ClusterPolicy => ({ version, settings: { ...defaultPolicySettings, failback: { policy: 'automatic', holdDownSeconds } } });

test('stores the policy as the contract has it, durably, and a new store on the same file (a restart) reads it', () => {
  const path = freshPath();
  const store = fileClusterPolicyStore(path);
  assert.deepEqual(store.load(), { policy: null, problem: null }, 'nothing stored yet');
  store.save(policy(3));
  assert.deepEqual(fileClusterPolicyStore(path).load(), { policy: policy(3), problem: null });
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), policy(3));
  store.save(policy(4, 60));
  assert.deepEqual(fileClusterPolicyStore(path).load().policy, policy(4, 60));
  if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(join(path, '..')), [policyFileName], 'no temp file is left behind');
});

test('an invalid policy is never written, and the stored one stays', () => {
  const path = freshPath();
  const store = fileClusterPolicyStore(path);
  store.save(policy(2));
  const tooFewHeartbeats = { version: 3, settings: { ...defaultPolicySettings, failover: { ...defaultPolicySettings.failover, heartbeatIntervalMs: 1_000, peerTimeoutMs: 2_000 } } };
  assert.throws(() => store.save(tooFewHeartbeats), /refusing to store an invalid cluster policy .*failover\.peerTimeoutMs: the peer timeout \(2000 ms\) must cover at least 3 heartbeats/);
  assert.deepEqual(store.load().policy, policy(2));
});

test('a file that is there but unusable is reported, not guessed at', () => {
  const cases: [string, RegExp][] = [
    ['{"version":', /is not valid JSON/],
    [JSON.stringify({ version: 0, settings: defaultPolicySettings }), /is not a valid cluster policy \(version: /],
    [JSON.stringify({ ...policy(2), extra: true }), /is not a valid cluster policy/],
  ];
  for (const [text, problem] of cases) {
    const path = freshPath();
    writeFileSync(path, text);
    const loaded = fileClusterPolicyStore(path).load();
    assert.equal(loaded.policy, null);
    assert.match(loaded.problem ?? '', problem);
  }
});

test('a write that fails leaves the old file whole', () => {
  const path = freshPath();
  const store = fileClusterPolicyStore(path);
  store.save(policy(5));
  // A folder where the temp file goes: the write fails before the rename.
  mkdirSync(`${path}.tmp-${process.pid}`);
  assert.throws(() => store.save(policy(6)));
  assert.deepEqual(store.load().policy, policy(5));
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), policy(5));
});
