import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkNodes, checkPreferredNode, type NodeShape } from './cluster-rules.js';

const node = (id: string, role: NodeShape['role'], recorderId: string | null = null, name = `rec-${id}`): NodeShape => ({ id, name, role, recorderId });

describe('checkNodes', () => {
  test('a cloned pair of one primary and one secondary sharing a recorder id is valid', () => {
    assert.equal(checkNodes('cloning', [node('a', 'primary', 'R1'), node('b', 'secondary', 'r1')]), null);
  });

  test('a cloning cluster refuses a second primary', () => {
    assert.equal(checkNodes('cloning', [node('a', 'primary'), node('b', 'primary')])?.type, 'role-conflict');
  });

  test('a cloning cluster refuses failover nodes, a pool refuses secondaries', () => {
    assert.equal(checkNodes('cloning', [node('a', 'failover')])?.type, 'role-conflict');
    assert.equal(checkNodes('pool', [node('a', 'secondary')])?.type, 'role-conflict');
  });

  test('a pool takes several primaries and failover servers', () => {
    assert.equal(checkNodes('pool', [node('a', 'primary', 'R1'), node('b', 'primary', 'R2'), node('c', 'failover')]), null);
  });

  test('cloned nodes with different recorder ids are refused', () => {
    assert.equal(checkNodes('cloning', [node('a', 'primary', 'R1'), node('b', 'secondary', 'R2')])?.type, 'recorder-identity-mismatch');
  });

  test('node names are unique in a cluster, whatever their case', () => {
    assert.equal(checkNodes('pool', [node('a', 'primary', null, 'REC-1'), node('b', 'failover', null, 'rec-1')])?.type, 'node-name-taken');
  });
});

describe('checkPreferredNode', () => {
  test('accepts null and a member, refuses a stranger', () => {
    const nodes = [node('a', 'primary')];
    assert.equal(checkPreferredNode(null, nodes), null);
    assert.equal(checkPreferredNode('a', nodes), null);
    assert.equal(checkPreferredNode('z', nodes)?.type, 'preferred-node-invalid');
  });
});
