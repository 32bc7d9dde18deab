// A node's storages with their spans (GET /api/v1/clusters/{clusterId}/nodes/{nodeId}): camera
// data (oldest to newest recorded, its length, coverage) and placeholder data (its length and
// share), as the node's agent reads them from the recorder's storage folder.
//   1. The controller alone, with response validation on: what an agent reports is what the
//      endpoint returns, an agent that predates spans gets `spans: null`, bad spans are refused.
//   2. A real lab pair with agents: the span grows while the recorders record, and a
//      placeholder created while a recorder is stopped (as backfill does) shows up.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { StorageSpansWire } from '../contracts/controller-v1.js';
import { createPlaceholder, waitFor } from '../lab/testing/harness.js';
import { agentPair, postAsAgent } from './helpers/agent-reports.js';
import { startTestController, type TestController } from './helpers/controller.js';
import { startHaLab, type HaLab } from './helpers/ha-lab.js';

const problemType = (slug: string): string => `urn:twinrec:problem:${slug}`;

interface StorageBody {
  storageId: string;
  path: string;
  sizeBytes: number;
  usedSpaceBytes: number;
  freeSpaceBytes: number;
  spans: StorageSpansWire | null;
}

const spans: StorageSpansWire = {
  scannedAt: '2026-11-22T10:01:00.000Z',
  cameraCount: 2,
  truncated: false,
  cameraData: { oldestAt: '2026-11-21T19:46:26.000Z', newestAt: '2026-11-22T10:01:00.000Z', spanSeconds: 51_274, coveredSeconds: 51_274, coveragePercent: 100 },
  placeholderData: { oldestAt: null, newestAt: null, spanSeconds: 0, coveredSeconds: 0, sharePercent: 0 },
};

describe('node storages: the controller keeps and returns what agents report', () => {
  let controller: TestController;
  const api = () => request(controller.url);

  before(async () => {
    controller = await startTestController();
  });
  after(async () => {
    await controller?.close();
  });

  test('spans as reported, null for a storage without them (an older agent), size = used + free', async () => {
    const pair = await agentPair(controller, 'Spans');
    const storages = [
      { storageId: 'st-000', name: 'Storage 000', path: 'A:\\Storage 111', available: true, usedSpaceBytes: 4_000_000_000_000, freeSpaceBytes: 450_000_000_000, spans },
      { storageId: 'st-old', name: 'Archive', path: 'B:\\Archive', available: true, usedSpaceBytes: 10, freeSpaceBytes: 90 },
    ];
    await pair.report('a', { storages });

    const detail = await api().get(`/api/v1/clusters/${pair.clusterId}/nodes/${pair.a.id}`).set(controller.authHeader).expect(200);
    const [reported, older] = detail.body.storages as StorageBody[];
    assert.deepEqual(reported?.spans, spans);
    assert.equal(reported?.sizeBytes, 4_450_000_000_000, 'Size: 4,450 GB');
    assert.equal(older?.spans, null);
    assert.equal(older?.sizeBytes, 100);

    const bad = { ...storages[0], spans: { ...spans, cameraData: { ...spans.cameraData, coveragePercent: 150 } } };
    const report = pair.reportBody('a');
    const refused = await postAsAgent(controller, pair.secret, 'report', { ...report, status: { ...report.status, storages: [bad] } });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.type, problemType('validation-failed'));
    const unchanged = await api().get(`/api/v1/clusters/${pair.clusterId}/nodes/${pair.a.id}`).set(controller.authHeader).expect(200);
    assert.deepEqual((unchanged.body.storages as StorageBody[])[0]?.spans, spans, 'a refused report changes nothing');
  });
});

describe('node storages against a lab pair with agents', () => {
  let ha: HaLab;
  let base: string;
  let auth: Record<string, string>;
  let clusterId: string;

  const get = async (path: string): Promise<Record<string, unknown>> => {
    const res = await fetch(`${base}${path}`, { headers: auth, signal: AbortSignal.timeout(10_000) });
    assert.equal(res.status, 200, `GET ${path}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const nodeIdOf = async (name: string): Promise<string> => {
    const list = await get(`/api/v1/clusters?q=lab-pair-1`);
    const cluster = (list.items as Array<{ id: string; nodes: Array<{ id: string; name: string }> }>)[0];
    const node = cluster?.nodes.find((n) => n.name === name);
    assert.ok(node, `node ${name}`);
    return node.id;
  };
  /** The node's one lab storage, once its spans are reported. */
  const storageOf = async (nodeId: string): Promise<StorageBody & { spans: StorageSpansWire }> => {
    const detail = await get(`/api/v1/clusters/${clusterId}/nodes/${nodeId}`);
    const storages = detail.storages as StorageBody[];
    assert.equal(storages.length, 1, 'a lab recorder has one storage');
    const storage = storages[0] as StorageBody;
    assert.ok(storage.spans !== null, 'spans reported');
    return storage as StorageBody & { spans: StorageSpansWire };
  };

  before(async () => {
    ha = await startHaLab({ withController: true, cameras: 2 });
    assert.ok(ha.controller !== null);
    base = ha.controller.url;
    auth = ha.controller.authHeader;
    await ha.steady();
    clusterId = await waitFor('the agents to register the cluster', async () => {
      const list = await get('/api/v1/clusters?q=lab-pair-1');
      return (list.items as Array<{ id: string }> | undefined)?.[0]?.id;
    });
  });
  after(async () => {
    await ha?.close();
  });

  test('camera data: the span grows while the recorder records, and its coverage is above 0 %', async () => {
    const nodeId = await nodeIdOf(ha.recorders[0]);
    const first = await waitFor(
      'camera data in the node details',
      async () => {
        const storage = await storageOf(nodeId).catch(() => undefined);
        return storage !== undefined && storage.spans.cameraData.spanSeconds > 0 ? storage : undefined;
      },
      60_000,
      500,
    );
    const agentStorage = ha.agents[0].storageDir;
    assert.equal(first.path, agentStorage, 'the recorder reports its storage folder, which the agent scans');
    assert.equal(first.sizeBytes, first.usedSpaceBytes + first.freeSpaceBytes);
    assert.equal(first.spans.cameraCount, 2);
    assert.equal(first.spans.truncated, false);
    assert.ok(first.spans.cameraData.coveragePercent > 0);
    assert.ok(first.spans.cameraData.oldestAt !== null && first.spans.cameraData.newestAt !== null);
    assert.ok(Date.parse(first.spans.cameraData.newestAt) <= Date.parse(first.spans.scannedAt));
    assert.equal(first.spans.cameraData.spanSeconds, (Date.parse(first.spans.cameraData.newestAt) - Date.parse(first.spans.cameraData.oldestAt)) / 1000);
    assert.deepEqual(first.spans.placeholderData, { oldestAt: null, newestAt: null, spanSeconds: 0, coveredSeconds: 0, sharePercent: 0 });

    const later = await waitFor(
      'a later scan with a longer span',
      async () => {
        const storage = await storageOf(nodeId);
        return storage.spans.cameraData.spanSeconds > first.spans.cameraData.spanSeconds ? storage : undefined;
      },
      30_000,
      500,
    );
    assert.ok(Date.parse(later.spans.scannedAt) > Date.parse(first.spans.scannedAt));
    assert.equal(later.spans.cameraData.oldestAt, first.spans.cameraData.oldestAt, 'nothing aged out');
    assert.ok(later.spans.cameraData.coveragePercent > 0);
  });

  test('placeholder data: a placeholder created while the recorder is stopped shows, with its share', async () => {
    // Backfill off: its agent would otherwise remove a placeholder that nothing on the peer can fill.
    const patched = await fetch(`${base}/api/v1/clusters/${clusterId}/policy`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ backfill: { mode: 'disabled' } }), signal: AbortSignal.timeout(10_000) });
    const patchedBody = await patched.text();
    assert.equal(patched.status, 200, patchedBody);
    const version = (JSON.parse(patchedBody) as { version: number }).version;
    await waitFor('both agents running the policy without backfill', async () => {
      const states = await Promise.all(ha.recorders.map((node) => ha.agentState(node)));
      return states.every((state) => state.policyVersion >= version) ? true : undefined;
    }, 60_000, 250);
    const { standby } = await ha.steady();
    const nodeId = await nodeIdOf(standby);
    const earlier = await waitFor('camera data of the standby', async () => {
      const storage = await storageOf(nodeId).catch(() => undefined);
      return storage?.spans.cameraData.oldestAt != null ? storage : undefined;
    }, 60_000, 500);
    const oldestMs = Date.parse(earlier.spans.cameraData.oldestAt as string);
    // Ten seconds at 10 fps, a minute before the oldest recording: content the peer could hold.
    const startMs = oldestMs - 60_000;
    const range = { startMs, endMs: startMs + 9_900, fps: 10 };

    const stopped = await ha.command(standby, 'stop');
    assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
    // Placeholders are only accepted once the recorder has stopped and released its storage.
    await waitFor(
      'the recorder to release its storage',
      async () => {
        try {
          await createPlaceholder(ha.agentOf(standby).storageDir, ha.cameraIds[0] as string, range);
          return true;
        } catch (err) {
          if (/while the recorder is stopped/.test((err as Error).message)) return undefined;
          throw err;
        }
      },
      30_000,
      250,
    );
    const started = await ha.command(standby, 'start');
    assert.equal(started.status, 200, JSON.stringify(started.body));

    const pending = await waitFor(
      'placeholder data in the node details',
      async () => {
        const storage = await storageOf(nodeId);
        return storage.spans.placeholderData.coveredSeconds > 0 ? storage : undefined;
      },
      30_000,
      500,
    );
    const placeholders = pending.spans.placeholderData;
    assert.equal(placeholders.oldestAt, new Date(startMs).toISOString());
    assert.equal(placeholders.newestAt, new Date(startMs + 10_000).toISOString(), 'the last frame plus one frame interval');
    assert.equal(placeholders.spanSeconds, 10);
    assert.equal(placeholders.coveredSeconds, 10);
    assert.ok(placeholders.sharePercent > 0 && placeholders.sharePercent < 100, `share ${placeholders.sharePercent}`);
    assert.equal(pending.spans.cameraData.oldestAt, earlier.spans.cameraData.oldestAt, 'a placeholder is not camera data');
    await ha.steady();
  });
});
