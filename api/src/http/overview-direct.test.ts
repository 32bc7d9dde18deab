import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cameraPageLimitMax } from '../domain/device-overview.js';
import { openApiDocument } from './openapi.js';
import { overviewOperations, plainOverviewRequest, plainQuery, plainValueMeets, type QueryParameter } from './overview-direct.js';

const ops = overviewOperations(openApiDocument);
const clusterId = '0b9d3c3e-5f0a-4c1e-9d53-2f6a1f7e8a10';

test('the two operations are read from the document: their parameters and the viewer role', () => {
  assert.equal(ops.all.role, 'viewer');
  assert.equal(ops.cluster.role, 'viewer');
  assert.deepEqual(ops.all.parameters.map((p) => p.name).sort(), ['clusterId', 'limit', 'offset', 'problems', 'q', 'sort']);
  // The path's own parameter comes from the path item.
  assert.ok(ops.cluster.parameters.some((p) => p.name === 'clusterId' && p.in === 'path'));
  assert.ok(!ops.cluster.parameters.some((p) => p.name === 'clusterId' && p.in === 'query'));
});

test('plain requests are taken, with the query the route would read', () => {
  const all = plainOverviewRequest('GET', '/api/v1/cameras', ops);
  assert.deepEqual(all?.query, { problemsOnly: false, q: undefined, clusterId: undefined, sort: 'name', limit: 100, offset: 0 });
  assert.equal(all?.clusterId, null);
  const one = plainOverviewRequest('GET', `/api/v1/clusters/${clusterId}/cameras?limit=500&offset=1000&sort=status&problems=true&q=Lobby+(east)%20door`, ops);
  assert.equal(one?.operation, ops.cluster);
  assert.equal(one?.clusterId, clusterId);
  assert.deepEqual(one?.query, { problemsOnly: true, q: 'Lobby (east) door', clusterId: undefined, sort: 'status', limit: 500, offset: 1000 });
  assert.equal(plainOverviewRequest('GET', `/api/v1/cameras?clusterId=${clusterId.toUpperCase()}&sort=-name`, ops)?.query.clusterId, clusterId.toUpperCase());
});

test('everything else is left to express, which answers it as before', () => {
  const left: Array<[string, string, string]> = [
    ['HEAD', 'HEAD', '/api/v1/cameras'],
    ['POST', 'POST', '/api/v1/cameras'],
    ['another spelling', 'GET', '/API/v1/cameras'],
    ['a trailing slash', 'GET', '/api/v1/cameras/'],
    ['percent-encoded path', 'GET', '/api/v1/%63ameras'],
    ['a cluster id that is no UUID', 'GET', '/api/v1/clusters/abc/cameras'],
    ['a urn:uuid cluster id', 'GET', `/api/v1/clusters/urn:uuid:${clusterId}/cameras`],
    ['another path', 'GET', '/api/v1/clusters'],
    ['an unknown parameter', 'GET', '/api/v1/cameras?page=2'],
    ['clusterId on the cluster path', 'GET', `/api/v1/clusters/${clusterId}/cameras?clusterId=${clusterId}`],
    ['a parameter twice', 'GET', '/api/v1/cameras?limit=5&limit=6'],
    ['an empty value', 'GET', '/api/v1/cameras?q='],
    ['limit 0', 'GET', '/api/v1/cameras?limit=0'],
    ['limit above the maximum', 'GET', `/api/v1/cameras?limit=${cameraPageLimitMax + 1}`],
    ['a leading zero', 'GET', '/api/v1/cameras?limit=050'],
    ['a negative offset', 'GET', '/api/v1/cameras?offset=-1'],
    ['an offset above the maximum', 'GET', '/api/v1/cameras?offset=1000001'],
    ['a decimal', 'GET', '/api/v1/cameras?limit=5.0'],
    ['a boolean in capitals', 'GET', '/api/v1/cameras?problems=TRUE'],
    ['an unknown sort', 'GET', '/api/v1/cameras?sort=size'],
    ['text over 64 code points', 'GET', `/api/v1/cameras?q=${'x'.repeat(65)}`],
    ['a clusterId that is no UUID', 'GET', '/api/v1/cameras?clusterId=abc'],
  ];
  for (const [label, method, url] of left) assert.equal(plainOverviewRequest(method, url, ops), null, label);
  // 64 code points of text outside the BMP are 128 UTF-16 units: still within maxLength.
  assert.notEqual(plainOverviewRequest('GET', `/api/v1/cameras?q=${encodeURIComponent('📷'.repeat(64))}`, ops), null);
});

test('a value is plain only for the schema features checked here', () => {
  assert.equal(plainValueMeets('5', { type: 'integer', minimum: 1, maximum: 5 }), true);
  assert.equal(plainValueMeets('6', { type: 'integer', minimum: 1, maximum: 5 }), false);
  assert.equal(plainValueMeets('abc', { type: 'string', pattern: '^a' } as QueryParameter['schema']), false, 'a pattern is the validator\'s to check');
  assert.equal(plainValueMeets('abc', { type: 'string', format: 'date-time' }), false);
  assert.equal(plainValueMeets('1', { type: 'number' }), false);
  assert.equal(plainValueMeets('x', undefined), false);
  assert.equal(plainValueMeets('a', { type: 'string', enum: ['a', 'b'], description: 'documentation only' } as QueryParameter['schema']), true);
  assert.deepEqual(plainQuery('a=1', [{ name: 'a', in: 'header', schema: { type: 'integer' } }]), null, 'a header parameter is not a query parameter');
});
