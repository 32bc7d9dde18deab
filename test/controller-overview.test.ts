// The Device Overview, the live fields of the cluster list and a node's storages, end to end
// over HTTP against a real database (SQLite always, PostgreSQL too when TWINREC_TEST_PG_URL is
// set). Agents are played by this test: it registers and reports as they do. The overview is
// cached for a second and nodes go stale after staleAfterMs, so checks re-send the reports and
// look again until they hold, as a console polling live agents would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { NodeStatus } from '../contracts/controller-v1.js';
import { CameraPairEntity } from '../api/src/db/entities/index.js';
import type { components } from '../web/src/api/openapi.js';
import { agentPair, cameraStatus as camera, eventually, type AgentPair, type NodeStatusOverrides } from './helpers/agent-reports.js';
import { onEachBackend } from './helpers/controller.js';

const staleAfterMs = 2_000;
const problemType = (slug: string) => `urn:twinrec:problem:${slug}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const storages: NodeStatus['storages'] = [
  { storageId: 'st-rec', name: 'Recording', path: 'D:\\MediaDatabase', available: true, usedSpaceBytes: 3_000, freeSpaceBytes: 7_000 },
  { storageId: 'st-arc', name: 'Archive 1', path: '\\\\nas\\archive', available: false, usedSpaceBytes: 0, freeSpaceBytes: 500 },
];

/** What every node here reports besides its cameras and state: the storages, ping and uptime the cluster list shows. */
const reported: NodeStatusOverrides = { storages, ping: { avgMs: 0.5, maxMs: 2.5, lastMs: 0.4 }, uptimeSeconds: 3_600 };

type CameraBody = components['schemas']['Camera'];
type CameraPage = components['schemas']['CameraPage'];

onEachBackend('Device Overview', (suite) => {
  const { api } = suite;

  const pairOf = (cluster: string): Promise<AgentPair> => agentPair(suite.controller, cluster, { status: reported });

  const camerasOf = async (pair: AgentPair, query = ''): Promise<CameraPage> => (await api().get(`/api/v1/clusters/${pair.clusterId}/cameras${query}`).expect(200)).body as CameraPage;
  const one = (page: CameraPage, cameraId: string): CameraBody => {
    const found = page.items.find((c) => c.cameraId === cameraId);
    assert.ok(found, `${cameraId} in ${page.items.map((c) => c.cameraId).join(', ')}`);
    return found;
  };

  test('a healthy pair: each camera once, connected and recording on both nodes, named from its camera pair', async () => {
    const pair = await pairOf('Calm');
    const gate = randomUUID();
    await suite.controller.db.dataSource.getRepository(CameraPairEntity).insert({ id: randomUUID(), clusterId: pair.clusterId, cameraId: gate.toUpperCase(), name: 'Gate 1', hardwareName: 'AXIS P1455', failoverLevel: 'full' });
    const cameras = [camera(gate), camera('cam-lobby')];
    await eventually(
      () => pair.reportBoth({ cameras }, { cameras }),
      async () => {
        const page = await camerasOf(pair);
        assert.equal(page.total, 2);
        assert.deepEqual([page.limit, page.offset], [100, 0]);
        assert.deepEqual(page.items.map((c) => c.name), ['cam-lobby', 'Gate 1'], 'by name; an unknown camera is named by its id');
        const named = one(page, gate);
        assert.equal(named.clusterId, pair.clusterId);
        assert.equal(named.clusterName, 'Calm');
        assert.equal(named.pairName, 'Cloned');
        assert.equal(named.servingNodeId, pair.a.id);
        assert.deepEqual([named.connected, named.disconnected, named.overflow, named.recording, named.mismatched, named.problem], [true, false, false, true, false, false]);
        assert.deepEqual(named.mismatches, []);
        assert.deepEqual(
          named.nodes.map((n) => [n.nodeId, n.nodeName, n.haStatus, n.fresh, n.reported, n.recording, n.connected, n.overflow, n.fps, n.fpsRequested, n.resolution, n.videoFormat]),
          [
            [pair.a.id, 'Calm-A', 'Serving', true, true, true, true, false, 25, 25, '1920x1080', 'H.264'],
            [pair.b.id, 'Calm-B', 'Standby', true, true, true, true, false, 25, 25, '1920x1080', 'H.264'],
          ],
        );
        assert.equal((await camerasOf(pair, '?problems=true')).total, 0);
      },
    );
  });

  test('a camera disconnected on the standby is listed under problems=true, naming the node', async () => {
    const pair = await pairOf('Cut');
    await eventually(
      () => pair.reportBoth({ cameras: [camera('cam-1'), camera('cam-2')] }, { cameras: [camera('cam-1'), camera('cam-2', { errorNoConnection: true, started: true, recording: false, fps: 0 })] }),
      async () => {
        const page = await camerasOf(pair, '?problems=true');
        assert.deepEqual(page.items.map((c) => c.cameraId), ['cam-2']);
        assert.equal(page.total, 1);
        const cut = one(page, 'cam-2');
        assert.equal(cut.disconnected, true);
        assert.deepEqual(cut.disconnectedOn, [{ nodeId: pair.b.id, nodeName: 'Cut-B' }]);
        assert.equal(cut.connected, true, 'the Serving node still has it');
        assert.equal(cut.recording, true);
        assert.equal(cut.problem, true);
        assert.deepEqual(cut.nodes.map((n) => [n.nodeName, n.connected, n.recording]), [['Cut-A', true, true], ['Cut-B', false, false]]);
        assert.equal((await camerasOf(pair)).total, 2);
      },
    );
  });

  test('different fps requested on the two nodes is a mismatch with both values; so is a camera one node lacks', async () => {
    const pair = await pairOf('Odd');
    await eventually(
      () => pair.reportBoth({ cameras: [camera('cam-1', { fpsRequested: 25 }), camera('cam-2'), camera('cam-3')] }, { cameras: [camera('cam-1', { fpsRequested: 12, fps: 12 }), camera('cam-2', { videoFormat: 'H.265' })] }),
      async () => {
        const page = await camerasOf(pair, '?problems=true');
        assert.deepEqual(page.items.map((c) => c.cameraId), ['cam-1', 'cam-2', 'cam-3']);
        const fps = one(page, 'cam-1');
        assert.equal(fps.mismatched, true);
        assert.deepEqual(fps.mismatches, [{ setting: 'fpsRequested', values: { 'Odd-A': 25, 'Odd-B': 12 } }]);
        assert.deepEqual([fps.disconnected, fps.overflow, fps.connected, fps.recording, fps.problem], [false, false, true, true, true]);
        assert.deepEqual(one(page, 'cam-2').mismatches, [{ setting: 'videoFormat', values: { 'Odd-A': 'H.264', 'Odd-B': 'H.265' } }]);
        const lacking = one(page, 'cam-3');
        assert.deepEqual(lacking.mismatches, [{ setting: 'present', values: { 'Odd-A': true, 'Odd-B': false } }]);
        assert.deepEqual(lacking.nodes.map((n) => [n.nodeName, n.reported, n.recording, n.fpsRequested]), [['Odd-A', true, true, 25], ['Odd-B', false, null, null]]);
      },
    );
  });

  test('overflow on either node is a problem, naming the node', async () => {
    const pair = await pairOf('Flood');
    await eventually(
      () => pair.reportBoth({ cameras: [camera('cam-1', { errorOverflow: true, error: true })] }, { cameras: [camera('cam-1')] }),
      async () => {
        const flooded = one(await camerasOf(pair, '?problems=true'), 'cam-1');
        assert.deepEqual([flooded.overflow, flooded.disconnected, flooded.mismatched, flooded.problem], [true, false, false, true]);
        assert.deepEqual(flooded.overflowOn, [{ nodeId: pair.a.id, nodeName: 'Flood-A' }]);
        assert.deepEqual(flooded.nodes.map((n) => n.overflow), [true, false]);
      },
    );
  });

  test('not recording where it is served is a problem; with no Serving node, the fresh nodes decide', async () => {
    const pair = await pairOf('Idle');
    await eventually(
      () => pair.reportBoth({ cameras: [camera('cam-1', { recording: false, started: true }), camera('cam-off', { enabled: false, started: false, recording: false })] }, { cameras: [camera('cam-1'), camera('cam-off', { enabled: false, started: false, recording: false })] }),
      async () => {
        const page = await camerasOf(pair);
        const idle = one(page, 'cam-1');
        assert.deepEqual([idle.recording, idle.connected, idle.problem], [false, true, true]);
        assert.deepEqual(idle.mismatches.map((m) => m.setting), ['recording']);
        const off = one(page, 'cam-off');
        assert.deepEqual([off.recording, off.problem], [false, false], 'a camera disabled on both nodes is no problem');
      },
    );
    await eventually(
      () => pair.reportBoth({ state: 'WAIT', cameras: [camera('cam-1', { recording: false, started: false })] }, { state: 'SECOND', cameras: [camera('cam-1')] }),
      async () => {
        const idle = one(await camerasOf(pair), 'cam-1');
        assert.equal(idle.servingNodeId, null);
        assert.deepEqual([idle.connected, idle.recording], [true, true], "B's view counts while nobody serves");
        assert.deepEqual(idle.nodes.map((n) => n.haStatus), ['Standby', 'Standby']);
      },
    );
  });

  test('filters, search, sorting and pagination, per cluster and across clusters', async () => {
    const [north, south] = [await pairOf('North'), await pairOf('South')];
    const ids = Array.from({ length: 12 }, (_, i) => `${randomUUID().slice(0, 8)}-n${String(i).padStart(2, '0')}`);
    const pairs = suite.controller.db.dataSource.getRepository(CameraPairEntity);
    // Names out of id order; one of them spelled with capitals, to search without case.
    await pairs.insert(ids.map((cameraId, i) => ({ id: randomUUID(), clusterId: north.clusterId, cameraId, name: i === 5 ? 'PARKING Deck' : `North cam ${String(11 - i).padStart(2, '0')}`, hardwareName: 'hw', failoverLevel: 'full' as const })));
    const northCams = ids.map((id, i) => camera(id, i === 3 ? { errorOverflow: true } : i === 7 ? { errorNoConnection: true, recording: false, started: false } : {}));
    const southCams = [camera('south-1'), camera('south-2', { fpsRequested: 10 })];
    const refresh = () => Promise.all([north.reportBoth({ cameras: northCams }, { cameras: northCams }), south.reportBoth({ cameras: southCams }, { cameras: southCams.map((c) => ({ ...c, fpsRequested: 25 })) })]).then(() => {});
    await eventually(refresh, async () => {
      const all = (await api().get(`/api/v1/clusters/${north.clusterId}/cameras?limit=1000`).expect(200)).body as CameraPage;
      assert.equal(all.total, 12);
      const names = all.items.map((c) => c.name);
      assert.deepEqual(names, [...names].sort((x, y) => x.localeCompare(y)));
      assert.equal(names[0], 'North cam 00');
      assert.equal(names.at(-1), 'PARKING Deck');

      const reversed = (await camerasOf(north, '?sort=-name&limit=1000')).items.map((c) => c.name);
      assert.deepEqual(reversed, [...names].reverse());

      const status = (await camerasOf(north, '?sort=status&limit=3')).items;
      assert.deepEqual(status.map((c) => c.cameraId), [ids[7], ids[3], status[2]?.cameraId], 'disconnected, then overflow, then the rest');
      assert.equal(status[2]?.problem, false);

      const found = await camerasOf(north, '?q=parking');
      assert.deepEqual(found.items.map((c) => c.cameraId), [ids[5]]);
      assert.deepEqual((await camerasOf(north, `?q=${ids[9]?.slice(0, 8).toUpperCase()}`)).items.map((c) => c.cameraId), [ids[9]], 'by id too');
      const troubled = all.items.filter((c) => c.problem).map((c) => c.cameraId);
      assert.deepEqual([...troubled].sort(), [ids[3], ids[7]].sort());
      assert.deepEqual((await camerasOf(north, '?q=North%20CAM&problems=true')).items.map((c) => c.cameraId), troubled, 'both filters, in name order');

      const pages: string[] = [];
      for (let offset = 0; offset < 12; offset += 5) {
        const page = await camerasOf(north, `?limit=5&offset=${offset}`);
        assert.equal(page.total, 12);
        assert.equal(page.items.length, Math.min(5, 12 - offset));
        pages.push(...page.items.map((c) => c.name));
      }
      assert.deepEqual(pages, names, 'pages neither overlap nor leave gaps');
      assert.deepEqual((await camerasOf(north, '?offset=12')).items, []);

      const global = (await api().get('/api/v1/cameras?sort=cluster&limit=1000').expect(200)).body as CameraPage;
      const ours = global.items.filter((c) => c.clusterId === north.clusterId || c.clusterId === south.clusterId);
      assert.deepEqual(ours.map((c) => c.clusterName), [...Array(12).fill('North'), 'South', 'South']);
      const clusterNames = global.items.map((c) => c.clusterName);
      assert.deepEqual(clusterNames, [...clusterNames].sort((x, y) => x.localeCompare(y)));

      const onlySouth = (await api().get(`/api/v1/cameras?clusterId=${south.clusterId}&problems=true`).expect(200)).body as CameraPage;
      assert.deepEqual(onlySouth.items.map((c) => [c.cameraId, c.mismatches]), [['south-2', [{ setting: 'fpsRequested', values: { 'South-A': 10, 'South-B': 25 } }]]]);
      assert.equal(onlySouth.total, 1);
      const nowhere = (await api().get(`/api/v1/cameras?clusterId=${randomUUID()}`).expect(200)).body as CameraPage;
      assert.deepEqual([nowhere.items, nowhere.total], [[], 0]);
    });
  });

  test('an unknown cluster is a 404; bad query values are a 400', async () => {
    const missing = await api().get(`/api/v1/clusters/${randomUUID()}/cameras`).expect(404);
    assert.equal(missing.body.type, problemType('not-found'));
    await api().get('/api/v1/clusters/not-a-uuid/cameras').expect(400);
    const pair = await pairOf('Picky');
    for (const query of ['limit=0', 'limit=1001', 'limit=ten', 'offset=-1', 'sort=size', 'problems=maybe', 'colour=red', `q=${'x'.repeat(65)}`]) {
      const res = await api().get(`/api/v1/clusters/${pair.clusterId}/cameras?${query}`).expect(400);
      assert.equal(res.body.type, problemType('validation-failed'), query);
    }
    for (const query of ['clusterId=nope', 'limit=5000', 'sort=name,status']) {
      const res = await api().get(`/api/v1/cameras?${query}`).expect(400);
      assert.equal(res.body.type, problemType('validation-failed'), query);
    }
    await api().get(`/api/v1/clusters/${pair.clusterId}/cameras?limit=1000&offset=0&sort=status&problems=false&q=cam`).expect(200);
  });

  test('the cluster list shows who serves and each node live; a node shows its storages', async () => {
    const pair = await pairOf('Board');
    const idle = (await api().get('/api/v1/clusters?q=board').expect(200)).body.items[0];
    assert.equal(idle.servingNodeId, null);
    assert.equal(idle.dataMissing, false, 'nothing known, nothing flagged');
    assert.deepEqual(idle.nodes.map((n: Record<string, unknown>) => [n.haStatus, n.state, n.uptimeSeconds, n.ping, n.storageCount]), [['Unknown', null, null, null, null], ['Unknown', null, null, null, null]]);
    const bare = (await api().get(`/api/v1/clusters/${pair.clusterId}/nodes/${pair.a.id}`).expect(200)).body;
    assert.deepEqual([bare.storages, bare.storagesReportedAt], [[], null]);

    await pair.reportBoth({ cameras: [camera('cam-1')] }, { cameras: [camera('cam-1')] });
    const listed = (await api().get('/api/v1/clusters?q=board').expect(200)).body.items[0];
    assert.equal(listed.id, pair.clusterId);
    assert.equal(listed.servingNodeId, pair.a.id);
    assert.equal(listed.dataMissing, false);
    assert.equal(listed.mode, 'cloning');
    assert.deepEqual(listed.nodes.map((n: Record<string, unknown>) => [n.id, n.name, n.haStatus, n.state, n.uptimeSeconds, n.ping, n.storageCount]), [
      [pair.a.id, 'Board-A', 'Serving', 'PRIM', 3_600, { avgMs: 0.5, maxMs: 2.5 }, 2],
      [pair.b.id, 'Board-B', 'Standby', 'SECOND', 3_600, { avgMs: 0.5, maxMs: 2.5 }, 2],
    ]);

    const node = await api().get(`/api/v1/clusters/${pair.clusterId}/nodes/${pair.b.id}`).expect(200);
    assert.equal(node.headers.etag, '"v1"');
    assert.equal(node.body.name, 'Board-B');
    assert.deepEqual(node.body.storages, [
      { storageId: 'st-rec', name: 'Recording', path: 'D:\\MediaDatabase', available: true, usedSpaceBytes: 3_000, freeSpaceBytes: 7_000, sizeBytes: 10_000, spans: null },
      { storageId: 'st-arc', name: 'Archive 1', path: '\\\\nas\\archive', available: false, usedSpaceBytes: 0, freeSpaceBytes: 500, sizeBytes: 500, spans: null },
    ]);
    assert.ok(Date.now() - Date.parse(node.body.storagesReportedAt) < 10_000);
  });

  test('dataMissing: a camera not recording, or a node down since the pair was last whole', async () => {
    const pair = await pairOf('Gap');
    const cameras = [camera('cam-1'), camera('cam-2')];
    const flag = async (): Promise<boolean> => (await api().get('/api/v1/clusters?q=gap').expect(200)).body.items[0].dataMissing as boolean;

    await pair.reportBoth({ cameras }, { cameras });
    assert.equal(await flag(), false);
    await pair.reportBoth({ cameras }, { cameras: [camera('cam-1'), camera('cam-2', { recording: false })] });
    assert.equal(await flag(), true, 'the standby does not record cam-2');
    await pair.reportBoth({ cameras }, { cameras });
    assert.equal(await flag(), false);

    // B goes silent: A keeps reporting (and recording) alone.
    const silentUntil = Date.now() + staleAfterMs + 500;
    while (Date.now() < silentUntil) {
      await pair.reportBoth({ state: 'ALONE', cameras }, null);
      await sleep(250);
    }
    assert.equal(await flag(), true, 'B was down while A served');
    // B is back but not yet healthy: still missing what it did not record.
    await pair.reportBoth({ state: 'ALONE', cameras }, { state: 'SECOND', healthy: false, cameras });
    assert.equal(await flag(), true);
    await pair.reportBoth({ cameras }, { cameras });
    assert.equal(await flag(), false, 'whole again');

    await pair.reportBoth({ cameras }, { state: 'STOP', service: 'stopped', cameras: [] });
    await pair.reportBoth({ cameras }, { cameras });
    assert.equal(await flag(), false, 'observed whole at once');
    await pair.reportBoth({ cameras }, { state: 'STOP', service: 'stopped', cameras: [] });
    await pair.reportBoth({ cameras }, { state: 'SECOND', healthy: false, cameras });
    assert.equal(await flag(), true, 'a stop is remembered until the pair is whole');
  });
}, { flags: { 'agents.staleAfterMs': staleAfterMs } });
