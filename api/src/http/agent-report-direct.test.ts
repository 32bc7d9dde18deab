import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { isDirectReport } from './agent-report-direct.js';

const req = (method: string, url: string, headers: Record<string, string>): IncomingMessage => ({ method, url, headers }) as unknown as IncomingMessage;
const json = { 'content-type': 'application/json', 'content-length': '120' };

test('only the plain report takes the direct path; every other shape is left to express', () => {
  assert.equal(isDirectReport(req('POST', '/api/v1/agent/report', json)), true);
  assert.equal(isDirectReport(req('POST', '/api/v1/agent/report', { 'content-type': 'application/json; charset=utf-8', 'transfer-encoding': 'chunked' })), true);
  assert.equal(isDirectReport(req('POST', '/api/v1/agent/report', { 'content-type': 'application/vnd.twinrec+json', 'content-length': '5' })), true);
  assert.equal(isDirectReport(req('POST', '/api/v1/agent/report', { ...json, 'content-encoding': 'identity' })), true);
  const left: Array<[string, IncomingMessage]> = [
    ['GET', req('GET', '/api/v1/agent/report', json)],
    ['a query string', req('POST', '/api/v1/agent/report?x=1', json)],
    ['another spelling', req('POST', '/API/v1/agent/report', json)],
    ['registration', req('POST', '/api/v1/agent/register', json)],
    ['no body declared', req('POST', '/api/v1/agent/report', { 'content-type': 'application/json' })],
    ['an empty body', req('POST', '/api/v1/agent/report', { 'content-type': 'application/json', 'content-length': '0' })],
    ['compressed', req('POST', '/api/v1/agent/report', { ...json, 'content-encoding': 'gzip' })],
    ['another charset', req('POST', '/api/v1/agent/report', { ...json, 'content-type': 'application/json; charset=latin1' })],
    ['not JSON', req('POST', '/api/v1/agent/report', { ...json, 'content-type': 'text/plain' })],
    ['no type', req('POST', '/api/v1/agent/report', { 'content-length': '120' })],
  ];
  for (const [label, r] of left) assert.equal(isDirectReport(r), false, label);
});
