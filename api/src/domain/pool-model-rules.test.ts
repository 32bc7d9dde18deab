import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFailoverSettings, checkGroupStandbys, duplicatesIn, serversUsingGroup, type PoolMembers } from './pool-model-rules.js';

const pool: PoolMembers = {
  nodes: [
    { id: 'rs1', name: 'RS-1', role: 'primary' },
    { id: 'rs2', name: 'RS-2', role: 'primary' },
    { id: 'fo1', name: 'FO-1', role: 'failover' },
    { id: 'fo2', name: 'FO-2', role: 'failover' },
    { id: 'fo3', name: 'FO-3', role: 'failover' },
    { id: 'hot', name: 'HOT', role: 'failover' },
  ],
  groups: [
    { id: 'g1', name: 'Hall' },
    { id: 'g2', name: 'Yard' },
  ],
  members: [
    { standbyNodeId: 'fo1', groupId: 'g1' },
    { standbyNodeId: 'fo2', groupId: 'g2' },
  ],
  servers: [
    { nodeId: 'rs1', primaryGroupId: 'g1', secondaryGroupId: 'g2', hotStandbyNodeId: 'hot' },
    { nodeId: 'rs2', primaryGroupId: null, secondaryGroupId: null, hotStandbyNodeId: null },
  ],
};
const typeOf = (v: { type: string } | null): string | null => v?.type ?? null;

describe('a failover group\'s sequence', () => {
  it('takes standbys of the pool in no other group and no hot standby, in any order, and its own again', () => {
    assert.equal(checkGroupStandbys(pool, 'g1', ['fo3', 'fo1']), null);
    assert.equal(checkGroupStandbys(pool, 'g1', []), null);
  });

  it('refuses a standby twice, a node that is no standby of the pool, another group\'s and a hot standby', () => {
    const twice = checkGroupStandbys(pool, 'g1', ['fo1', 'fo3', 'fo1']);
    assert.deepEqual(twice?.extensions?.errors, [{ path: '/body/standbyNodeIds/2', message: 'fo1 is listed twice' }]);
    assert.equal(typeOf(checkGroupStandbys(pool, 'g1', ['rs2'])), 'pool-role-mismatch');
    assert.equal(typeOf(checkGroupStandbys(pool, 'g1', ['elsewhere'])), 'pool-role-mismatch');
    const other = checkGroupStandbys(pool, 'g1', ['fo2']);
    assert.deepEqual([other?.type, other?.detail], ['standby-in-other-group', 'FO-2 is in failover group Yard: remove it there first']);
    assert.equal(typeOf(checkGroupStandbys(pool, 'g2', ['hot'])), 'standby-is-hot-standby');
  });
});

describe('a protected server\'s failover settings', () => {
  it('take groups of the pool, a secondary one besides the primary one, and a free standby as hot standby', () => {
    assert.equal(checkFailoverSettings(pool, 'rs2', { primaryGroupId: 'g2', secondaryGroupId: 'g1', hotStandbyNodeId: 'fo3' }), null);
    assert.equal(checkFailoverSettings(pool, 'rs2', { primaryGroupId: null, secondaryGroupId: null, hotStandbyNodeId: null }), null);
    // Its own hot standby again.
    assert.equal(checkFailoverSettings(pool, 'rs1', { primaryGroupId: 'g1', secondaryGroupId: null, hotStandbyNodeId: 'hot' }), null);
  });

  it('refuses a node that is not a protected server', () => {
    assert.equal(typeOf(checkFailoverSettings(pool, 'fo3', { primaryGroupId: null, secondaryGroupId: null, hotStandbyNodeId: null })), 'pool-role-mismatch');
  });

  it('refuses unknown groups, the same group twice and a secondary group alone', () => {
    assert.equal(typeOf(checkFailoverSettings(pool, 'rs2', { primaryGroupId: 'nope', secondaryGroupId: null, hotStandbyNodeId: null })), 'failover-group-invalid');
    assert.equal(typeOf(checkFailoverSettings(pool, 'rs2', { primaryGroupId: 'g1', secondaryGroupId: 'g1', hotStandbyNodeId: null })), 'failover-group-invalid');
    assert.equal(typeOf(checkFailoverSettings(pool, 'rs2', { primaryGroupId: null, secondaryGroupId: 'g1', hotStandbyNodeId: null })), 'failover-group-invalid');
  });

  it('refuses a hot standby that is no standby, is in a group, or is another server\'s', () => {
    const none = { primaryGroupId: null, secondaryGroupId: null };
    assert.equal(typeOf(checkFailoverSettings(pool, 'rs2', { ...none, hotStandbyNodeId: 'rs1' })), 'pool-role-mismatch');
    assert.equal(typeOf(checkFailoverSettings(pool, 'rs2', { ...none, hotStandbyNodeId: 'fo1' })), 'hot-standby-in-group');
    const taken = checkFailoverSettings(pool, 'rs2', { ...none, hotStandbyNodeId: 'hot' });
    assert.deepEqual([taken?.type, taken?.extensions?.protectedNodeId], ['hot-standby-taken', 'rs1']);
  });
});

describe('pool lists', () => {
  it('names the servers that use a group', () => {
    assert.deepEqual(serversUsingGroup(pool.servers, 'g2'), ['rs1']);
    assert.deepEqual(serversUsingGroup(pool.servers, 'g3'), []);
  });

  it('finds ids listed twice', () => {
    assert.equal(duplicatesIn(['a', 'b'], '/x'), null);
    assert.equal(duplicatesIn(['a', 'b', 'a', 'a'], '/x')?.extensions?.errors instanceof Array, true);
  });
});
