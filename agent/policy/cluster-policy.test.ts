// The agent's side of the cluster policy, with real files in a temp folder: what it runs at
// start, what it takes from the controller's answers and what it refuses.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { defaultPolicySettings, type ClusterPolicy, type ClusterPolicySettings } from '../../contracts/cluster-policy-v1.js';
import { coreConfig } from '../core/config.js';
import { effectiveConfig, initialState, policyVersion, step, type CoreEvent, type CoreState, type Input } from '../core/decide.js';
import { ClusterPolicyKeeper, type Bootstrap } from './cluster-policy.js';
import { fileClusterPolicyStore, policyFileName, type ClusterPolicyStore } from './policy-store.js';

const root = mkdtempSync(join(tmpdir(), 'twinrec-cluster-policy-'));
after(() => rmSync(root, { recursive: true, force: true }));
/** A folder of its own for each case. */
const freshDir = (): string => mkdtempSync(join(root, 'case-'));

const bootstrap: Bootstrap = { config: coreConfig({ nodeId: 'rs-a', peerId: 'rs-b', clusterId: 'pair-1', rank: 0, preferredNodeId: 'rs-a' }), boot: 'keep', profile: 'conservative' };
const settings = (changes: Partial<ClusterPolicySettings> = {}): ClusterPolicySettings => ({ ...defaultPolicySettings, preferredNode: 'rs-a', ...changes });
const policy = (version: number, changes: Partial<ClusterPolicySettings> = {}): ClusterPolicy => ({ version, settings: settings(changes) });
const fast = { failover: { ...defaultPolicySettings.failover, profile: 'fast' as const } };

/** A keeper on `dir` that records what it feeds, emits and logs. */
function open(dir: string, options: { store?: ClusterPolicyStore; bootstrap?: Bootstrap } = {}) {
  const fed: Input[] = [];
  const events: CoreEvent[] = [];
  const lines: { level: number; msg: string; [key: string]: unknown }[] = [];
  const log = pino({ level: 'trace' }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
  const store = options.store ?? fileClusterPolicyStore(join(dir, policyFileName));
  const keeper = ClusterPolicyKeeper.open({ store, bootstrap: options.bootstrap ?? bootstrap, feed: (input) => void fed.push(input), emit: (e) => void events.push(e), log });
  return { keeper, fed, events, lines, store };
}

test('without a stored policy the agent runs its agent.yaml default as version 0, and says so', () => {
  const { keeper, events, lines } = open(freshDir());
  assert.deepEqual([keeper.version, keeper.inForce, keeper.boot, keeper.profile], [0, null, 'keep', 'conservative']);
  assert.ok(lines.some((l) => l.msg.startsWith('policy: no cluster policy stored yet; running the bootstrap default')));
  assert.deepEqual(events, []);
});

test('a newer policy is stored before the core gets it, and a restart runs the stored one', () => {
  const dir = freshDir();
  const first = open(dir);
  const stored: (number | undefined)[] = [];
  const keeper = ClusterPolicyKeeper.open({ store: first.store, bootstrap, feed: () => void stored.push(first.store.load().policy?.version), emit: () => {}, log: pino({ level: 'silent' }) });
  assert.equal(keeper.offer(policy(1, { boot: 'stop', ...fast }), 'register'), 'applied');
  assert.deepEqual(stored, [1], 'on disk when the core is fed');
  assert.deepEqual(JSON.parse(readFileSync(join(dir, policyFileName), 'utf8')), policy(1, { boot: 'stop', ...fast }));
  // The restart.
  const again = open(dir);
  assert.equal(again.keeper.version, 1);
  assert.equal(again.keeper.inForce?.policy.peerTimeoutMs, 800);
  assert.deepEqual([again.keeper.boot, again.keeper.profile], ['stop', 'fast'], 'boot takes effect at the next start');
  assert.ok(again.lines.some((l) => l.msg === 'policy: running stored version 1'));
});

test('the core applies an offered policy without a restart', () => {
  let state: CoreState = initialState({ epoch: 0, stopped: false, failoversMs: [] }, 0, 'keep', 'rs-a');
  const keeper = ClusterPolicyKeeper.open({
    store: fileClusterPolicyStore(join(freshDir(), policyFileName)),
    bootstrap,
    feed: (input) => void (state = step(bootstrap.config, state, input).state),
    emit: () => {},
    log: pino({ level: 'silent' }),
  });
  assert.equal(effectiveConfig(bootstrap.config, state).peerTimeoutMs, 2_750);
  keeper.offer(policy(2, fast), 'report');
  assert.equal(policyVersion(state), 2);
  assert.equal(effectiveConfig(bootstrap.config, state).peerTimeoutMs, 800);
});

test('an invalid policy, an older version, or the same version with other settings is refused; the one in force stays; each refusal is reported once', () => {
  const dir = freshDir();
  const { keeper, fed, events } = open(dir);
  assert.equal(keeper.offer(policy(3), 'register'), 'applied');
  const offers: [unknown, string][] = [
    [{ version: 4, settings: { ...settings(), failover: { ...defaultPolicySettings.failover, capCount: 0 } } }, 'invalid: settings.failover.capCount: '],
    ['not a policy', 'invalid: (root): '],
    [policy(2), 'version 2 is not newer than the version in force (3)'],
    [policy(3, { boot: 'start' }), 'version 3 is the one in force, with other settings'],
    [policy(5, { preferredNode: 'rs-c' }), 'preferred node rs-c is neither rs-a nor rs-b'],
  ];
  for (const [offered, reason] of offers) {
    const before = events.length;
    // Every report answer carries the policy: the same refusal comes again and again.
    for (let i = 0; i < 3; i += 1) assert.equal(keeper.offer(offered, 'report'), 'rejected');
    assert.equal(events.length, before + 1, `reported once: ${reason}`);
    const refused = events[before];
    assert.equal(refused?.kind, 'policy.rejected');
    assert.ok(String(refused?.data.reason).startsWith(reason), `${String(refused?.data.reason)} starts with ${reason}`);
    assert.equal(refused?.data.runningVersion, 3);
  }
  assert.equal(keeper.offer(policy(3), 'report'), 'current', 'the policy in force again: nothing to do, nothing said');
  assert.equal(events.length, offers.length);
  assert.equal(fed.length, 1);
  assert.deepEqual(open(dir).keeper.version, 3);
});

test('a policy that cannot be stored is not applied', () => {
  const dir = freshDir();
  const files = fileClusterPolicyStore(join(dir, policyFileName));
  const failing: ClusterPolicyStore = { path: files.path, load: () => files.load(), save: () => { throw new Error('ENOSPC: no space left on device'); } };
  const { keeper, fed, events } = open(dir, { store: failing });
  assert.equal(keeper.offer(policy(1), 'report'), 'rejected');
  assert.equal(keeper.version, 0);
  assert.deepEqual(fed, []);
  assert.match(String(events[0]?.data.reason), /^cannot be stored: ENOSPC/);
});

test('an unusable stored file is reported and the bootstrap default runs until the controller sends a policy', () => {
  const dir = freshDir();
  writeFileSync(join(dir, policyFileName), '{"version": 2, "settings": {');
  const { keeper, events } = open(dir);
  assert.equal(keeper.version, 0);
  assert.equal(events[0]?.kind, 'policy.rejected');
  assert.match(String(events[0]?.data.reason), /is not valid JSON/);
  assert.equal(keeper.offer(policy(1), 'report'), 'applied', 'any version replaces it');
  // A stored policy this node cannot run (another pair's preferred node) is not used either.
  const other = freshDir();
  fileClusterPolicyStore(join(other, policyFileName)).save(policy(4, { preferredNode: 'rs-z' }));
  const refused = open(other);
  assert.equal(refused.keeper.version, 0);
  assert.match(String(refused.events[0]?.data.reason), /preferred node rs-z/);
});

test('where agent.yaml and the policy differ the agent says, once, that it uses the policy and which keys differ', () => {
  const dir = freshDir();
  fileClusterPolicyStore(join(dir, policyFileName)).save(policy(2, { ...fast, boot: 'start', failback: { policy: 'manual', holdDownSeconds: 300 } }));
  const { keeper, lines } = open(dir);
  const warnings = () => lines.filter((l) => l.msg.startsWith("policy: agent.yaml's failover block differs"));
  assert.equal(warnings().length, 1);
  assert.deepEqual(Object.keys(warnings()[0]?.differences as object), ['heartbeatIntervalMs', 'peerTimeoutMs', 'witnessTimeoutMs', 'unhealthyGraceMs', 'handoverTimeoutMs', 'failbackPolicy', 'boot']);
  assert.deepEqual((warnings()[0]?.differences as Record<string, unknown>).peerTimeoutMs, { agentYaml: 2_750, policy: 800 });
  assert.match(warnings()[0]?.msg ?? '', /using the cluster policy/);
  keeper.offer(policy(3, { boot: 'stop' }), 'report');
  assert.equal(warnings().length, 1, 'said once');
  // Without differences, nothing is said.
  const same = freshDir();
  fileClusterPolicyStore(join(same, policyFileName)).save(policy(1));
  assert.equal(open(same).lines.filter((l) => l.msg.includes('differs')).length, 0);
});
