// When a node reports to the witness urgently: from two missed heartbeats of its peer on, until
// witnessUrgentMsMax past the peer timeout; never while stopped. The rule is the core's
// (core/witness.ts); the shell's report loop follows it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coreConfig } from '../core/config.js';
import { initialState, step, type CoreState } from '../core/decide.js';
import { witnessUrgent, witnessUrgentMsMax } from './loops.js';

const config = coreConfig({ nodeId: 'b', peerId: 'a', clusterId: 'c', rank: 1, preferredNodeId: 'a' }, 'conservative');
const servingPeer = { v: 1 as const, kind: 'heartbeat' as const, clusterId: 'c', from: 'a', state: 'PRIM' as const, epoch: 3, serving: true, healthy: true, handoverTo: null, maintenance: { on: false, version: 0 }, preference: { nodeId: 'a', version: 0 } };

// Fails if a standby waits for the peer timeout: a claim it then makes would rest on
// acknowledgements a report interval old, and it would have to release it at once.
test('a standby is urgent from two missed heartbeats, for witnessUrgentMsMax past the peer timeout', () => {
  let s: CoreState = initialState({ epoch: 3, stopped: false, failoversMs: [] }, 0, 'start', 'a');
  assert.equal(witnessUrgent(config, s), false, 'no peer heard yet: nothing to ask about');
  s = step(config, s, { kind: 'heartbeat', message: servingPeer }).state;
  const at = (nowMs: number): boolean => witnessUrgent(config, step(config, s, { kind: 'tick', nowMs }).state);
  assert.equal(at(2 * config.heartbeatIntervalMs), false, 'one late heartbeat is nothing');
  assert.equal(at(2 * config.heartbeatIntervalMs + 1), true);
  assert.equal(at(config.peerTimeoutMs + 1), true);
  assert.equal(at(config.peerTimeoutMs + witnessUrgentMsMax), true);
  assert.equal(at(config.peerTimeoutMs + witnessUrgentMsMax + 1), false, 'a long silence the witness contradicts is a link down: back to the report interval');
  const stopped = step(config, s, { kind: 'command', command: 'stop' }).state;
  assert.equal(witnessUrgent(config, step(config, stopped, { kind: 'tick', nowMs: config.peerTimeoutMs + 1 }).state), false, 'a stopped node fails nothing over');
});

// Fails if the Serving node reports only at its interval while the peer is silent: the witness
// would then call it dead to the asking standby after the peer timeout (a false failover).
test('a Serving node is urgent from two missed heartbeats, so the view the witness has of it is fresh when the standby asks', () => {
  const a = coreConfig({ nodeId: 'a', peerId: 'b', clusterId: 'c', rank: 0, preferredNodeId: 'a' }, 'fast');
  const standbyPeer = { ...servingPeer, from: 'b', state: 'SECOND' as const, epoch: 0, serving: false };
  let s: CoreState = initialState({ epoch: 0, stopped: false, failoversMs: [] }, 0, 'start', 'a');
  s = step(a, s, { kind: 'health', health: { recorderUp: true, storageOk: true, recordingShare: 1 } }).state;
  s = step(a, s, { kind: 'heartbeat', message: standbyPeer }).state;
  assert.ok(['PRIM', 'ALONE'].includes(s.state), `it serves (${s.state})`);
  const heardMs = s.nowMs;
  const at = (nowMs: number): boolean => witnessUrgent(a, step(a, s, { kind: 'tick', nowMs }).state);
  assert.equal(at(heardMs + 2 * a.heartbeatIntervalMs), false, 'one late heartbeat is nothing');
  assert.equal(at(heardMs + 2 * a.heartbeatIntervalMs + 1), true, 'before the standby asks (at the peer timeout)');
  assert.ok(2 * a.heartbeatIntervalMs < a.peerTimeoutMs);
  assert.equal(at(heardMs + a.peerTimeoutMs + witnessUrgentMsMax + 1), false);
});
