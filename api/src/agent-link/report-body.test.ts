import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { reportRequestSchema } from '../../../contracts/controller-v1.js';
import { cameraStatus, nodeStatusUnchecked } from '../../../contracts/controller-v1.fixtures.js';
import { DomainError } from '../domain/errors.js';
import { agentIssuesListedMax, parseReport } from './report-body.js';

/** A valid report of `cameras` cameras, `events` events and, with `audit`, a gap audit of two cameras. */
function report(o: { cameras?: number; events?: number; audit?: boolean } = {}): Record<string, unknown> {
  const cameras = Array.from({ length: o.cameras ?? 3 }, (_, i) => cameraStatus(`cam-${i}`, i === 1 ? { name: 'Gate', errorOverflow: true } : {}));
  return {
    clusterId: randomUUID(),
    nodeId: randomUUID(),
    status: nodeStatusUnchecked('Site-001', 'Site-001-A', 'Site-001-B', {
      state: 'PRIM',
      epoch: 3,
      cameras,
      ...(o.audit === true
        ? {
            backfill: {
              mode: 'enabled',
              state: 'running',
              reason: null,
              auditedAt: '2026-11-22T10:00:00.000Z',
              retentionMinutes: 60,
              completeSinceAt: null,
              missingSeconds: 30,
              placeholderSeconds: 0,
              camerasAffected: 2,
              cameras: ['cam-0', 'cam-2'].map((deviceId) => ({ deviceId, missingSeconds: 15, placeholderSeconds: 0, completeUntilAt: null, completeSinceAt: null, gaps: [{ startAt: '2026-11-22T09:00:00.000Z', endAt: '2026-11-22T09:00:15.000Z' }] })),
              bytesDone: 0,
              bytesTotal: 10,
              blocksDone: 0,
              blocksTotal: 1,
              rateBytesPerSecond: 0,
              etaSeconds: null,
              startedAt: null,
            },
          }
        : {}),
    }),
    events: Array.from({ length: o.events ?? 1 }, (_, i) => ({ id: randomUUID(), time: '2026-11-22T10:11:12.345Z', kind: 'failover.claiming', severity: 'warning', message: `event ${i}`, data: { epoch: 3, reason: 'peer-unhealthy' } })),
    witnessWindowMs: 5_000,
  };
}

/** The issues of the validation-failed problem `work` throws. */
function issuesOf(work: () => unknown): Array<{ path: string; message: string }> {
  try {
    work();
  } catch (err) {
    assert.ok(err instanceof DomainError && err.status === 400, `a validation problem, not ${String(err)}`);
    return err.extensions.errors as Array<{ path: string; message: string }>;
  }
  assert.fail('the body was taken');
}

describe('parseReport', () => {
  test('gives what the whole protocol schema gives for a valid report, its lists included', () => {
    for (const body of [report(), report({ audit: true, events: 3, cameras: 50 }), report({ cameras: 0, events: 0 })]) {
      assert.deepEqual(parseReport(body), reportRequestSchema.parse(body));
    }
  });

  test('refuses what the protocol schema refuses, in a list item, in the rest of the report, or in a list too long', () => {
    const cases: Array<[string, (b: Record<string, unknown>) => void, RegExp]> = [
      ['a camera field of the wrong type', (b) => ((b.status as { cameras: Array<Record<string, unknown>> }).cameras[2] = { ...cameraStatus('cam-2'), fps: 'fast' }), /^\/body\/status\/cameras\/2\/fps$/],
      ['an unknown key in a camera', (b) => ((b.status as { cameras: Array<Record<string, unknown>> }).cameras[0] = { ...cameraStatus('cam-0'), extra: 1 }), /^\/body\/status\/cameras\/0/],
      ['an audit camera without its gaps', (b) => delete ((b.status as { backfill: { cameras: Array<Record<string, unknown>> } }).backfill.cameras[1] as Record<string, unknown>).gaps, /^\/body\/status\/backfill\/cameras\/1\/gaps$/],
      ['an event of no known severity', (b) => ((b.events as Array<Record<string, unknown>>)[0] = { ...(b.events as Array<Record<string, unknown>>)[0], severity: 'fatal' }), /^\/body\/events\/0\/severity$/],
      ['an unknown key at the top', (b) => (b.extra = true), /^\/body/],
      ['an unknown key in the status', (b) => ((b.status as Record<string, unknown>).extra = true), /^\/body\/status/],
      ['a wrong epoch', (b) => ((b.status as Record<string, unknown>).epoch = -1), /^\/body\/status\/epoch$/],
      ['an audit of the wrong state', (b) => ((b.status as { backfill: Record<string, unknown> }).backfill.state = 'dreaming'), /^\/body\/status\/backfill\/state$/],
      ['cameras not a list', (b) => ((b.status as Record<string, unknown>).cameras = { 0: cameraStatus('cam-0') }), /^\/body\/status\/cameras$/],
    ];
    for (const [what, spoil, path] of cases) {
      const body = report({ audit: true, events: 2 });
      spoil(body);
      assert.equal(reportRequestSchema.safeParse(body).success, false, `${what}: the protocol schema refuses it too`);
      const issues = issuesOf(() => parseReport(body));
      assert.ok(issues.some((i) => path.test(i.path)), `${what}: ${JSON.stringify(issues)}`);
    }
    const tooMany = report({ events: 201 });
    assert.ok(issuesOf(() => parseReport(tooMany)).some((i) => i.path === '/body/events'), 'more events than a report may carry');
    assert.ok(issuesOf(() => parseReport(report({ cameras: 4097 }))).length > 0, 'more cameras than a node may list');
  });

  test('lists at most agentIssuesListedMax issues, however many items are wrong', () => {
    const body = report({ cameras: 300 });
    for (const c of (body.status as { cameras: Array<Record<string, unknown>> }).cameras) c.fps = 'x';
    assert.equal(issuesOf(() => parseReport(body)).length, agentIssuesListedMax);
  });

  test('agrees with the protocol schema on reports whose cameras and events are each valid or not', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 8 }), fc.array(fc.boolean(), { maxLength: 4 }), (cameraOk, eventOk) => {
        const body = report({ cameras: cameraOk.length, events: eventOk.length });
        cameraOk.forEach((ok, i) => {
          if (!ok) (body.status as { cameras: Array<Record<string, unknown>> }).cameras[i] = { deviceId: '' };
        });
        eventOk.forEach((ok, i) => {
          if (!ok) (body.events as Array<Record<string, unknown>>)[i] = { id: 'not-a-uuid' };
        });
        const whole = reportRequestSchema.safeParse(body);
        let ours: unknown = null;
        try {
          ours = parseReport(body);
        } catch (err) {
          assert.ok(err instanceof DomainError && err.status === 400);
        }
        assert.equal(ours !== null, whole.success);
        if (whole.success) assert.deepEqual(ours, whole.data);
      }),
      { numRuns: 60 },
    );
  });
});
