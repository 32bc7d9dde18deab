import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { bodyParserProblem, problemOf, problemTypeUri, zodValidationProblem } from './problem.js';

describe('problem details', () => {
  it('builds the twinrec type URI from a slug', () => {
    assert.equal(problemTypeUri('epoch-fenced'), 'urn:twinrec:problem:epoch-fenced');
  });

  it('keeps extensions but never lets them replace the standard members', () => {
    const p = problemOf(409, 'epoch-fenced', 'A higher epoch holds the endpoint', 'epoch 3 is not above 4', { currentEpoch: 4, status: 200, type: 'x' });
    assert.deepEqual(p, { currentEpoch: 4, status: 409, type: 'urn:twinrec:problem:epoch-fenced', title: 'A higher epoch holds the endpoint', detail: 'epoch 3 is not above 4' });
  });

  it('lists every zod issue with a JSON pointer', () => {
    const parsed = z.object({ epoch: z.number().int(), node: z.object({ name: z.string() }) }).strict().safeParse({ epoch: 1.5, node: {} });
    assert.equal(parsed.success, false);
    const p = zodValidationProblem(parsed.error!.issues);
    assert.equal(p.status, 400);
    assert.equal(p.type, 'urn:twinrec:problem:validation-failed');
    const paths = (p.errors as { path: string }[]).map((e) => e.path).sort();
    assert.deepEqual(paths, ['/epoch', '/node/name']);
    assert.match(String(p.detail), /\/epoch .*; \/node\/name /);
  });

  it("maps the body parser's errors, and only those", () => {
    assert.equal(bodyParserProblem({ type: 'entity.too.large', limit: 4096 })?.status, 413);
    assert.match(String(bodyParserProblem({ type: 'entity.too.large', limit: 4096 })?.detail), /4096 bytes/);
    assert.equal(bodyParserProblem({ type: 'entity.parse.failed' })?.type, 'urn:twinrec:problem:malformed-json');
    assert.equal(bodyParserProblem({ type: 'something.else' }), null);
  });
});
