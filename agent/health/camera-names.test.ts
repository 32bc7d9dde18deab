import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import pino from 'pino';
import { closedPort } from '../../shared/testing/ports.js';
import { cameraStatus } from '../../contracts/controller-v1.fixtures.js';
import {
  cameraNameMaxLength,
  defaultRestUrl,
  nextRefreshDelayMs,
  normalizeId,
  readHardwareCameras,
  readRestList,
  resourceName,
  RestAnswerError,
  startCameraNames,
  withCameraNames,
} from './camera-names.js';
import { IdpTokenSource } from './idp-token.js';

const log = pino({ level: 'silent' });
const hw = 'a3f9c0de-1b2c-4d5e-8f90-112233445566';
const cam1 = '0f3f1857-ff89-4e71-b674-46ea5c86f175';
const cam2 = '5821bfb1-d0b1-4e1b-8224-428a37d743be';

/** A camera as `GET /api/rest/v1/hardware/{id}/cameras` lists it (the fields that matter here, as the API Gateway names them). */
const restCamera = (id: string, name: unknown, o: Record<string, unknown> = {}) => ({
  displayName: name,
  id,
  name,
  shortName: name,
  enabled: true,
  channel: 0,
  relations: { self: { type: 'cameras', id }, parent: { type: 'hardware', id: hw } },
  ...o,
});

describe('configuration REST answers', () => {
  it('ids are compared as the recorder reports them: lower case, without braces', () => {
    assert.equal(normalizeId('{0F3F1857-FF89-4E71-B674-46EA5C86F175}'), cam1);
    assert.equal(normalizeId('  '), null);
    assert.equal(normalizeId(42), null);
    assert.equal(normalizeId('x'.repeat(65)), null);
  });

  it('a name is `name`, else `displayName`, trimmed and bounded', () => {
    assert.equal(resourceName({ name: '  Front door ', displayName: 'other' }), 'Front door');
    assert.equal(resourceName({ name: '', displayName: 'Lobby' }), 'Lobby');
    assert.equal(resourceName({ name: null, displayName: 3 }), null);
    assert.equal(resourceName({ name: 'é'.repeat(300) })?.length, cameraNameMaxLength);
  });

  it('a list is `{"array": [...]}`; items without an id are skipped, and the bound is reported', () => {
    const body = { array: [{ id: cam1.toUpperCase() }, { name: 'no id' }, 'junk', { id: cam2 }] };
    assert.deepEqual(readRestList(body, 10), { items: [{ id: cam1 }, { id: cam2 }], truncated: false });
    assert.deepEqual(readRestList(body, 1), { items: [{ id: cam1 }], truncated: true });
    assert.throws(() => readRestList({ data: {} }, 10), RestAnswerError);
    assert.throws(() => readRestList([restCamera(cam1, 'x')], 10), RestAnswerError);
  });

  it("a hardware's cameras: every id, and the names (with their hardware) of those that have one", () => {
    const body = { array: [restCamera(cam1, 'Front door'), restCamera(cam2, '')] };
    assert.deepEqual(readHardwareCameras(body, { id: hw, name: 'AXIS P1455 (10.0.0.7)' }, 100), {
      ids: [cam1, cam2],
      names: [[cam1, { name: 'Front door', hardwareId: hw, hardwareName: 'AXIS P1455 (10.0.0.7)' }]],
      truncated: false,
    });
  });

  it('the report carries each camera with its name, or null', () => {
    const names = new Map([[cam1, { name: 'Front door', hardwareId: hw, hardwareName: null }]]);
    const cameras = withCameraNames([cameraStatus(cam1.toUpperCase()), cameraStatus(cam2)], names);
    assert.deepEqual(cameras.map((c) => [c.deviceId, c.name]), [[cam1.toUpperCase(), 'Front door'], [cam2, null]]);
    assert.equal(cameras[0]?.fps, 25, 'the status is kept');
  });

  it('the REST API is looked for on the IDP host by default', () => {
    assert.equal(defaultRestUrl('http://ms.example/IDP/connect/token'), 'http://ms.example/api/rest/v1');
    assert.equal(defaultRestUrl('https://ms.example:8443/API/IDP/connect/token'), 'https://ms.example:8443/api/rest/v1');
  });

  it('after failures the next read backs off, 5 s doubling up to max(interval, 5 min)', () => {
    assert.equal(nextRefreshDelayMs(0, 60_000), 60_000);
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 60].map((n) => nextRefreshDelayMs(n, 60_000)), [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
    assert.equal(nextRefreshDelayMs(30, 3_600_000), 3_600_000);
  });
});

describe('startCameraNames without a management server', () => {
  it('keeps no names, never throws, and closes at once', async () => {
    const port = await closedPort();
    const idp = { tokenUrl: `http://127.0.0.1:${port}/IDP/connect/token`, username: 'u', password: 'secret-pw' };
    const names = startCameraNames({ restUrl: `http://127.0.0.1:${port}/api/rest/v1`, recorderId: async () => cam1, idp, refreshIntervalMs: 60_000, timeoutMs: 2_000, maxCameras: 10, log });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(names.latest().size, 0);
      assert.equal(names.cameraIds(), null, 'the camera ids are not known: not an empty list');
    } finally {
      const started = performance.now();
      await names.close();
      assert.ok(performance.now() - started < 1_000, 'close does not wait for the back-off');
    }
  });
});

/** A Management Server stand-in: an IDP and the two REST lists; `failing` turns the lists into HTTP 500. */
async function managementServer(hardware: Record<string, unknown[]>): Promise<{ base: string; failing: (on: boolean) => void; reads: () => number; close: () => Promise<void> }> {
  let failing = false;
  let reads = 0;
  const server = createServer((req, res) => {
    const url = req.url ?? '';
    if (url.startsWith('/IDP/connect/token')) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'tok', expires_in: 3600 }));
    reads += 1;
    if (failing) return void res.writeHead(500).end();
    const list = /^\/api\/rest\/v1\/recordingServers\/[^/]+\/hardware\?disabled$/.test(url)
      ? Object.keys(hardware).map((id) => ({ id, name: `hardware ${id.slice(0, 4)}` }))
      : (hardware[/^\/api\/rest\/v1\/hardware\/([^/]+)\/cameras\?disabled$/.exec(url)?.[1] ?? ''] ?? null);
    if (list === null) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ array: list }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failing: (on) => {
      failing = on;
    },
    reads: () => reads,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('startCameraNames: the camera ids the health probe asks for', () => {
  const hw2 = 'b4f9c0de-1b2c-4d5e-8f90-112233445566';
  const cam3 = '9a21bfb1-d0b1-4e1b-8224-428a37d743be';

  it('lists every camera of every hardware, named or not, sorted; a failed refresh keeps the last list', async () => {
    const ms = await managementServer({ [hw]: [restCamera(cam2.toUpperCase(), 'Lobby'), restCamera(cam1, '')], [hw2]: [restCamera(cam3, 'Gate', { enabled: false })] });
    const idp = { tokenUrl: `${ms.base}/IDP/connect/token`, username: 'u', password: 'secret-pw' };
    const names = startCameraNames({ restUrl: `${ms.base}/api/rest/v1`, recorderId: async () => cam1, idp, refreshIntervalMs: 100, timeoutMs: 2_000, maxCameras: 10, log });
    try {
      const deadline = Date.now() + 5_000;
      while (names.cameraIds() === null) {
        assert.ok(Date.now() < deadline, 'timed out waiting for the camera list');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.deepEqual(names.cameraIds(), [cam1, cam2, cam3].sort());
      assert.deepEqual([...names.latest().keys()].sort(), [cam2, cam3].sort(), 'only named cameras have a name');
      ms.failing(true);
      const readsBefore = ms.reads();
      while (ms.reads() < readsBefore + 2) {
        assert.ok(Date.now() < deadline + 5_000, 'timed out waiting for a failed refresh');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.deepEqual(names.cameraIds(), [cam1, cam2, cam3].sort(), 'the last list is kept');
    } finally {
      await names.close();
    }
    // A first read that fails knows no cameras (null), which is not an empty list.
    const again = startCameraNames({ restUrl: `${ms.base}/api/rest/v1`, recorderId: async () => cam1, idp, refreshIntervalMs: 100, timeoutMs: 2_000, maxCameras: 10, log });
    try {
      const readsBefore = ms.reads();
      while (ms.reads() === readsBefore) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(again.cameraIds(), null);
    } finally {
      await again.close();
      await ms.close();
    }
  });

  it('is bounded by maxCameras', async () => {
    const cameras = Array.from({ length: 8 }, (_, i) => restCamera(`0f3f1857-ff89-4e71-b674-46ea5c86f1${String(i).padStart(2, '0')}`, `cam ${i}`));
    const ms = await managementServer({ [hw]: cameras.slice(0, 4), [hw2]: cameras.slice(4) });
    const idp = { tokenUrl: `${ms.base}/IDP/connect/token`, username: 'u', password: 'secret-pw' };
    const names = startCameraNames({ restUrl: `${ms.base}/api/rest/v1`, recorderId: async () => cam1, idp, refreshIntervalMs: 10_000, timeoutMs: 2_000, maxCameras: 5, log });
    try {
      const deadline = Date.now() + 5_000;
      while (names.cameraIds() === null) {
        assert.ok(Date.now() < deadline, 'timed out waiting for the camera list');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(names.cameraIds()?.length, 5);
    } finally {
      await names.close();
      await ms.close();
    }
  });
});

describe('startCameraNames with a management server that rejects its token', () => {
  it("replaces its own token, never the recorder probe's", async () => {
    // An IDP handing out tok-1, tok-2, … and a REST API that answers 401 to every token.
    let issued = 0;
    let restRequests = 0;
    const server = createServer((req, res) => {
      if (req.url?.startsWith('/IDP/connect/token') === true) {
        issued += 1;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `tok-${issued}`, expires_in: 3600 }));
        return;
      }
      restRequests += 1;
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const idp = { tokenUrl: `${base}/IDP/connect/token`, username: 'u', password: 'secret-pw' };
    // The recorder probe's token source, as the probe makes it: it holds tok-1.
    const probeTokens = new IdpTokenSource({ ...idp, requestTimeoutMs: 2_000, log });
    assert.equal(await probeTokens.valid(AbortSignal.timeout(2_000)), 'tok-1');
    const names = startCameraNames({ restUrl: `${base}/api/rest/v1`, recorderId: async () => cam1, idp, refreshIntervalMs: 60_000, timeoutMs: 2_000, maxCameras: 10, log });
    try {
      // The names' refresh: its own token, rejected, dropped, a new one, rejected again.
      const deadline = Date.now() + 5_000;
      while (restRequests < 2) {
        assert.ok(Date.now() < deadline, 'timed out waiting for the camera names to retry');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(issued, 3, 'the camera names fetched two tokens of their own');
      assert.equal(await probeTokens.valid(AbortSignal.timeout(2_000)), 'tok-1', "the probe's token is kept");
      assert.equal(issued, 3, 'and the probe did not need another');
      assert.equal(names.latest().size, 0);
    } finally {
      await names.close();
      await probeTokens.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
