// Camera names end to end: the lab's agents read their cameras' names from the lab's
// Management Server (configuration REST API, IDP token) and report them, and the controller's
// Device Overview shows those names, as the Management Client's "Name" column has them,
// rather than GUIDs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { labToken, waitFor } from '../lab/testing/harness.js';
import { startHaLab, type HaLab } from './helpers/ha-lab.js';

interface CameraRow {
  cameraId: string;
  name: string;
}

interface CameraPage {
  items: CameraRow[];
  total: number;
}

describe('camera names from the Management Server', () => {
  let ha: HaLab;
  let base: string;
  let clusterId: string;
  /** Name by lower-case camera id, as the lab's Management Server REST API lists its cameras. */
  let expected: Map<string, string>;

  const get = async <T>(path: string): Promise<T> => {
    assert.ok(ha.controller !== null);
    const res = await fetch(`${base}${path}`, { headers: ha.controller.authHeader, signal: AbortSignal.timeout(30_000) });
    assert.equal(res.status, 200, `${path}: ${res.status}`);
    return (await res.json()) as T;
  };

  before(async () => {
    ha = await startHaLab({ withController: true, cameras: 3 });
    assert.ok(ha.controller !== null);
    base = ha.controller.url;
    clusterId = await waitFor('the agents to register the cluster', async () => (await get<{ items: Array<{ id: string }> }>('/api/v1/clusters?q=lab-pair-1')).items[0]?.id, 60_000, 250);
    // What an XProtect administrator sees: the Management Server's own list of cameras.
    const rest = ha.description.managementServer.restUrl;
    const res = await fetch(`${rest}/cameras`, { headers: { authorization: `Bearer ${await labToken(ha.description)}` }, signal: AbortSignal.timeout(10_000) });
    assert.equal(res.status, 200);
    const cameras = ((await res.json()) as { array: Array<{ id: string; name: string }> }).array;
    expected = new Map(cameras.map((c) => [c.id.toLowerCase(), c.name]));
  });
  after(async () => {
    await ha?.close();
  });

  test("the Device Overview names each camera as the Management Server does, not by its GUID", async () => {
    const want = ha.cameraIds.map((id) => [id.toLowerCase(), expected.get(id.toLowerCase())]);
    assert.ok(want.every(([, name]) => typeof name === 'string' && name !== ''), 'the Management Server names every camera of the pair');
    const page = await waitFor(
      'every camera named in the Device Overview',
      async () => {
        const body = await get<CameraPage>(`/api/v1/clusters/${clusterId}/cameras?limit=100`);
        return body.total === ha.cameraIds.length && body.items.every((c) => c.name !== c.cameraId) ? body : undefined;
      },
      60_000,
      250,
    );
    const got = new Map(page.items.map((c) => [c.cameraId.toLowerCase(), c.name]));
    assert.deepEqual([...got.entries()].sort(), [...want].sort());
    assert.deepEqual(
      page.items.map((c) => c.name),
      [...page.items.map((c) => c.name)].sort((a, b) => a.localeCompare(b)),
      'sorted by name by default',
    );

    // The global overview and the text filter use the names too.
    const first = page.items[0] as CameraRow;
    const found = await get<CameraPage>(`/api/v1/cameras?clusterId=${clusterId}&q=${encodeURIComponent(first.name.toUpperCase())}`);
    assert.deepEqual(found.items.map((c) => c.cameraId), [first.cameraId]);
  });

  test("each agent reports the names with its recorder's cameras", async () => {
    assert.ok(ha.controller !== null);
    for (const agent of ha.agents) {
      const state = await waitFor(
        `${agent.node} reports named cameras`,
        async () => {
          const res = await fetch(`${agent.apiUrl}/api/v1/state`, { headers: { authorization: `Bearer ${ha.secret}` }, signal: AbortSignal.timeout(3_000) });
          const body = (await res.json()) as { cameras: Array<{ deviceId: string; name?: string | null }> };
          return body.cameras.length === ha.cameraIds.length && body.cameras.every((c) => typeof c.name === 'string') ? body : undefined;
        },
        60_000,
        250,
      );
      for (const camera of state.cameras) assert.equal(camera.name, expected.get(camera.deviceId.toLowerCase()), `${agent.node}: ${camera.deviceId}`);
    }
  });
});
