import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApiDocument } from './openapi.js';
import { polledPaths, validatorDocument } from './validator-document.js';

/** An OpenAPI path as a pattern of the requests it takes (`{x}`: one segment). */
const patternOf = (path: string): RegExp => new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);

test("the validator's copy has every path of the document, the polled ones first, the document itself untouched", () => {
  const before = Object.keys(openApiDocument.paths);
  const copy = validatorDocument(openApiDocument);
  const keys = Object.keys(copy.paths);
  assert.deepEqual(keys.slice(0, polledPaths.length), [...polledPaths]);
  assert.deepEqual([...keys].sort(), [...before].sort());
  assert.deepEqual(Object.keys(openApiDocument.paths), before, 'the served document keeps its order');
  assert.deepEqual(copy.paths['/api/v1/cameras'], openApiDocument.paths['/api/v1/cameras']);
});

test('no other path takes a request of a polled path, so moving them changes no match', () => {
  const examples: Record<(typeof polledPaths)[number], string> = {
    '/api/v1/cameras': '/api/v1/cameras',
    '/api/v1/clusters/{clusterId}/cameras': '/api/v1/clusters/0b7c1a52-5d0e-4b7e-9a53-2f5f3f1f6c11/cameras',
    '/api/v1/clusters': '/api/v1/clusters',
    '/api/v1/events': '/api/v1/events',
  };
  for (const path of Object.keys(openApiDocument.paths)) {
    if ((polledPaths as readonly string[]).includes(path)) continue;
    for (const [polled, request] of Object.entries(examples)) assert.ok(!patternOf(path).test(request), `${path} would take ${request} (${polled})`);
  }
});
