import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { cameraStatusSchema, reportRequestSchema } from '../../../contracts/controller-v1.js';
import { cameraStatus, nodeStatusUnchecked } from '../../../contracts/controller-v1.fixtures.js';
import { DomainError } from '../domain/errors.js';
import { agentIssuesListedMax, CheckedCameras, parseReport, sameCameraAs } from './report-body.js';

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

/** parseReport takes `body` exactly when the protocol schema does, and then gives what it gives. */
function agreesWithSchema(body: Record<string, unknown>, checked?: CheckedCameras): void {
  const whole = reportRequestSchema.safeParse(body);
  let ours: unknown = null;
  try {
    ours = parseReport(body, checked);
  } catch (err) {
    assert.ok(err instanceof DomainError && err.status === 400);
  }
  assert.equal(ours !== null, whole.success);
  if (whole.success) assert.deepEqual(ours, whole.data);
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
        agreesWithSchema(body);
      }),
      { numRuns: 60 },
    );
  });

  describe('with the cameras of the last report of the node (CheckedCameras)', () => {
    const cameras = (b: Record<string, unknown>): Array<Record<string, unknown>> => (b.status as { cameras: Array<Record<string, unknown>> }).cameras;

    test('a camera repeated field for field is the object taken before; a changed one is parsed anew', () => {
      const checked = new CheckedCameras();
      const first = report({ cameras: 4 });
      const taken = parseReport(structuredClone(first), checked);
      const again = structuredClone(first);
      cameras(again)[2] = { ...cameraStatus('cam-2'), fps: 12.5 };
      const second = parseReport(again, checked);
      assert.deepEqual(second, reportRequestSchema.parse(again));
      assert.equal(second.status.cameras[0], taken.status.cameras[0]);
      assert.equal(second.status.cameras[3], taken.status.cameras[3]);
      assert.notEqual(second.status.cameras[2], taken.status.cameras[2]);
      assert.equal(second.status.cameras[2]?.fps, 12.5);
      assert.equal(checked.size, 1);
    });

    test('a camera that was valid last time is still refused when it changes for the worse, gains a key or loses one', () => {
      const spoilings: Array<[string, (c: Record<string, unknown>) => void, RegExp]> = [
        ['a field of the wrong type', (c) => (c.fps = 'fast'), /^\/body\/status\/cameras\/1\/fps$/],
        ['an unknown key', (c) => (c.extra = 1), /^\/body\/status\/cameras\/1/],
        ['an unknown key named like a prototype property', (c) => (c['constructor'] = 1), /^\/body\/status\/cameras\/1/],
        ['a required field missing', (c) => delete c.recording, /^\/body\/status\/cameras\/1\/recording$/],
        ['an object for a number', (c) => (c.fps = { valueOf: 25 }), /^\/body\/status\/cameras\/1\/fps$/],
      ];
      for (const [what, spoil, path] of spoilings) {
        const checked = new CheckedCameras();
        const first = report({ cameras: 3 });
        parseReport(structuredClone(first), checked);
        const next = structuredClone(first);
        spoil(cameras(next)[1] as Record<string, unknown>);
        assert.equal(reportRequestSchema.safeParse(next).success, false, `${what}: the protocol schema refuses it too`);
        const issues = issuesOf(() => parseReport(next, checked));
        assert.ok(issues.some((i) => path.test(i.path)), `${what}: ${JSON.stringify(issues)}`);
      }
    });

    test('agrees with the protocol schema on a report after a valid one, whatever changed', () => {
      fc.assert(
        fc.property(fc.array(fc.constantFrom('same', 'fps', 'bad', 'extra', 'gone', 'moved'), { minLength: 1, maxLength: 6 }), (changes) => {
          const checked = new CheckedCameras();
          const first = report({ cameras: changes.length });
          parseReport(structuredClone(first), checked);
          const next = structuredClone(first);
          const list = cameras(next);
          changes.forEach((change, i) => {
            const c = list[i] as Record<string, unknown>;
            if (change === 'fps') c.fps = 7;
            if (change === 'bad') c.enabled = 'yes';
            if (change === 'extra') c.more = true;
            if (change === 'gone') delete c.deviceId;
            if (change === 'moved') list[i] = cameraStatus(`other-${i}`);
          });
          agreesWithSchema(next, checked);
        }),
        { numRuns: 80 },
      );
    });

    test('keeps at most nodesMax nodes, the one reported longest ago dropped first', () => {
      const checked = new CheckedCameras(2);
      const bodies = [report(), report(), report()];
      for (const b of bodies) parseReport(b, checked);
      assert.equal(checked.size, 2);
      assert.equal(checked.get(bodies[0]?.nodeId as string), undefined);
      assert.ok(checked.get(bodies[2]?.nodeId as string) !== undefined);
    });
  });
});

describe('sameCameraAs', () => {
  const known = cameraStatusSchema.parse(cameraStatus('cam-1', { name: 'Gate' }));
  const again = (c: object): Record<string, unknown> => JSON.parse(JSON.stringify(c)) as Record<string, unknown>;

  test('the same fields with identical values, and no other key', () => {
    assert.equal(sameCameraAs(again(known), known), true);
    const { name: _name, ...unnamed } = known;
    const withoutName = cameraStatusSchema.parse(unnamed);
    assert.equal(sameCameraAs(again(withoutName), withoutName), true, 'an optional field absent from both');
    assert.equal(sameCameraAs(again(withoutName), known), false);
    assert.equal(sameCameraAs(again(known), withoutName), false);
    assert.equal(sameCameraAs({ ...again(known), extra: 1 }, known), false, 'a key the schema does not know');
    assert.equal(sameCameraAs(JSON.parse(`{"__proto__": 1, ${JSON.stringify(known).slice(1)}`), known), false);
    assert.equal(sameCameraAs([known], known), false);
    assert.equal(sameCameraAs(null, known), false);
  });

  test('a change of any field the schema has is seen (a field added to the contract must be compared too)', () => {
    for (const key of Object.keys(cameraStatusSchema.shape)) {
      const changed = { ...again(known), [key]: { changed: true } };
      assert.equal(sameCameraAs(changed, known), false, key);
    }
  });
});
