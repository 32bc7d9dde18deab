import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventKindPatternPattern, webhookUrlIssue } from './model.js';

test('a webhook URL is http or https, without credentials', () => {
  assert.equal(webhookUrlIssue('https://hooks.example.com/twinrec?token=abc'), null);
  assert.equal(webhookUrlIssue('http://127.0.0.1:9000/hook'), null);
  assert.match(webhookUrlIssue('ftp://example.com/') ?? '', /http or https, not ftp/);
  assert.match(webhookUrlIssue('file:///etc/passwd') ?? '', /not file/);
  assert.match(webhookUrlIssue('javascript:alert(1)') ?? '', /not javascript/);
  assert.match(webhookUrlIssue('https://user:pw@example.com/') ?? '', /user name or password/);
  assert.match(webhookUrlIssue('https://user@example.com/') ?? '', /user name or password/);
  assert.match(webhookUrlIssue('/relative') ?? '', /absolute/);
});

test('kind patterns: *, kinds, prefixes ending in .*', () => {
  const re = new RegExp(eventKindPatternPattern);
  for (const ok of ['*', 'failover.*', 'failover.claiming', 'node.agent-lost', 'config-sync.*']) assert.ok(re.test(ok), ok);
  for (const bad of ['', 'failover*', '*.claiming', 'Failover.x', 'a..b', 'failover.*.x']) assert.ok(!re.test(bad), bad);
});
