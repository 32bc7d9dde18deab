// The lab adapter against a real lab is tested with the probe, sharing one lab:
// agent/health/recorder-probe.test.ts. Here: the status mapping and the factory.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRecorderService } from './index.js';
import { labStatusToServiceStatus } from './lab-service.js';

describe('labStatusToServiceStatus', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['running', 'running'],
    ['hung', 'running'],
    ['starting', 'starting'],
    ['stopped', 'stopped'],
    ['crashed', 'stopped'],
    ['exploded', 'unknown'],
  ];
  for (const [lab, service] of cases) it(`${lab} → ${service}`, () => assert.equal(labStatusToServiceStatus(lab), service));
});

describe('createRecorderService', () => {
  it('builds the adapter the configuration names', () => {
    assert.equal(createRecorderService({ kind: 'lab', controlUrl: 'http://127.0.0.1:1', recorderName: 'recorder-1a', timeoutMs: 1_000 }).kind, 'lab');
    assert.equal(createRecorderService({ kind: 'systemd', unit: 'xprotect-recorder.service', timeoutMs: 1_000 }).kind, 'systemd');
    assert.equal(createRecorderService({ kind: 'windows-service', serviceName: 'Milestone XProtect Recording Server', timeoutMs: 1_000 }).kind, 'windows-service');
  });
});
