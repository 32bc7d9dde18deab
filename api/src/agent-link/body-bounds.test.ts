import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { agentBodyBounds, itemIssues, jsonBoundsIssue, type JsonBounds } from './body-bounds.js';

const small: JsonBounds = { depthMax: 3, arrayLengthMax: 4, keysMax: 3, valuesMax: 20 };

/** An object nested `depth` levels, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = {};
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
}

describe('jsonBoundsIssue', () => {
  test('a value within every bound passes', () => {
    assert.equal(jsonBoundsIssue({ a: [1, 2, { b: 'x' }], c: null }, small), null);
    assert.equal(jsonBoundsIssue('scalar', small), null);
  });

  test('names the first excess with its JSON pointer', () => {
    assert.deepEqual(jsonBoundsIssue({ a: [1, 2, 3, 4, 5] }, small), { path: '/body/a', message: 'must have at most 4 items' });
    assert.deepEqual(jsonBoundsIssue({ a: { w: 1, x: 2, y: 3, z: 4 } }, small), { path: '/body/a', message: 'must have at most 3 properties' });
    assert.deepEqual(jsonBoundsIssue({ 'a/b': [[{}]] }, small), { path: '/body/a~1b/0/0', message: 'must nest at most 3 levels of arrays and objects' });
    assert.deepEqual(jsonBoundsIssue([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]], small), { path: '/body', message: 'must hold at most 20 values' });
  });

  test('a body nested far deeper than the stack allows is refused, not a crash', () => {
    const issue = jsonBoundsIssue(nested(200_000), agentBodyBounds);
    assert.equal(issue?.message, `must nest at most ${agentBodyBounds.depthMax} levels of arrays and objects`);
    assert.equal(issue?.path, `/body${'/a'.repeat(agentBodyBounds.depthMax)}`);
  });

  test('agrees with a recursive count on random JSON', () => {
    const depthOf = (v: unknown): number => (typeof v === 'object' && v !== null ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const bounds = { depthMax: 4, arrayLengthMax: 1_000, keysMax: 1_000, valuesMax: 1_000_000 };
        assert.equal(jsonBoundsIssue(value, bounds) === null, depthOf(value) <= bounds.depthMax);
      }),
    );
  });
});

describe('itemIssues', () => {
  const item = z.strictObject({ id: z.string(), on: z.boolean() });
  test('stops at the issue budget, with each issue under its item', () => {
    const body = { list: Array.from({ length: 10_000 }, () => ({ id: 1, on: 'yes' })) };
    const issues = itemIssues(body, [{ path: ['list'], item }], 5);
    assert.equal(issues.length, 5);
    assert.deepEqual(issues.slice(0, 3).map((i) => i.path), ['/body/list/0/id', '/body/list/0/on', '/body/list/1/id']);
  });

  test('right items, a missing list or a list that is not one give none', () => {
    assert.deepEqual(itemIssues({ list: [{ id: 'a', on: true }] }, [{ path: ['list'], item }], 5), []);
    assert.deepEqual(itemIssues({}, [{ path: ['list'], item }], 5), []);
    assert.deepEqual(itemIssues({ list: 'no' }, [{ path: ['list', 'deeper'], item }], 5), []);
  });
});
