// When the standby asks the witness urgently: from the peer timeout after the peer's last
// heartbeat, for witnessUrgentMsMax; never while it serves or is stopped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coreConfig } from '../core/config.js';
import { initialState, step, type CoreState } from '../core/decide.js';
import { witnessUrgent, witnessUrgentMsMax } from './loops.js';

const config = coreConfig({ nodeId: 'b', peerId: 'a', clusterId: 'c', rank: 1, preferredNodeId: 'a' }, 'conservative');
const servingPeer = { v: 1 as const, kind: 'heartbeat' as const, clusterId: 'c', from: 'a', state: 'PRIM' as const, epoch: 3, serving: true, healthy: true, handoverTo: null, maintenance: { on: false, version: 0 }, preference: { nodeId: 'a', version: 0 } };

test('urgent from the peer timeout after the last heartbeat, for witnessUrgentMsMax, and only on a standby', () => {
  let s: CoreState = initialState({ epoch: 3, stopped: false, failoversMs: [] }, 0, 'start', 'a');
  assert.equal(witnessUrgent(config, s), false, 'no peer heard yet: nothing to ask about');
  s = step(config, s, { kind: 'heartbeat', message: servingPeer }).state;
  const at = (nowMs: number): boolean => witnessUrgent(config, step(config, s, { kind: 'tick', nowMs }).state);
  assert.equal(at(config.peerTimeoutMs), false, 'still within the peer timeout');
  assert.equal(at(config.peerTimeoutMs + 1), true);
  assert.equal(at(config.peerTimeoutMs + witnessUrgentMsMax), true);
  assert.equal(at(config.peerTimeoutMs + witnessUrgentMsMax + 1), false, 'a long silence the witness contradicts is a link down: back to the report interval');
  const stopped = step(config, s, { kind: 'command', command: 'stop' }).state;
  assert.equal(witnessUrgent(config, step(config, stopped, { kind: 'tick', nowMs: config.peerTimeoutMs + 1 }).state), false, 'a stopped node fails nothing over');
});
