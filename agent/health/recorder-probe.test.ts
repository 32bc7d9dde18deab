import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import * as soap from 'soap';
import { clientRetryDelayMs, deviceIdsArgument, readDeviceStatuses, readStorageStatuses, readVideoStatistics, resultOf, soapRecorderProbe, toCameras, unloadedDeviceId, type SoapRecorderProbeOptions } from './recorder-probe.js';
import { answerEnvelope, cameraStatusXml, startRecorderStandIn, statisticsXml, statusNamespace as ns, statusWsdl, type RecorderStandIn } from './recorder-probe.fixtures.js';
import { closedPort } from '../../shared/testing/ports.js';

const log = pino({ level: 'silent' });
const cam1 = '0f3f1857-ff89-4e71-b674-46ea5c86f175';
const cam2 = '5821bfb1-d0b1-4e1b-8224-428a37d743be';
const cam3 = '9a21bfb1-d0b1-4e1b-8224-428a37d743be';

/** An answer as the probe gets it: parsed by node-soap against the recorder's WSDL. */
async function parsed(operation: string, inner: string): Promise<unknown> {
  const wsdl = new soap.WSDL(statusWsdl('http://127.0.0.1:1/x'), 'http://127.0.0.1:1/x?wsdl', {});
  await new Promise<void>((resolve, reject) => wsdl.onReady((err) => (err ? reject(err) : resolve())));
  const body = (wsdl.xmlToObject(answerEnvelope('1.1', `<${operation}Response xmlns="${ns}">${inner}</${operation}Response>`)) as { Body: Record<string, unknown> }).Body;
  return resultOf(body[`${operation}Response`], operation);
}

describe('RecorderStatusService2 answers, as node-soap reads them', () => {
  it('reads camera status; ids lower case', async () => {
    const result = await parsed('GetCurrentDeviceStatus', `<GetCurrentDeviceStatusResult><CameraDeviceStatusArray>${cameraStatusXml(cam1)}${cameraStatusXml(cam2.toUpperCase(), { recording: false, error: true })}</CameraDeviceStatusArray></GetCurrentDeviceStatusResult>`);
    assert.deepEqual(readDeviceStatuses(result), [
      { deviceId: cam1, enabled: true, started: true, recording: true, errorNoConnection: false, errorOverflow: false, error: false },
      { deviceId: cam2, enabled: true, started: true, recording: false, errorNoConnection: false, errorOverflow: false, error: true },
    ]);
  });

  it('reads a single camera as a list, and empty arrays as no cameras', async () => {
    assert.equal(readDeviceStatuses(await parsed('GetCurrentDeviceStatus', `<GetCurrentDeviceStatusResult><CameraDeviceStatusArray>${cameraStatusXml(cam1)}</CameraDeviceStatusArray></GetCurrentDeviceStatusResult>`)).length, 1);
    for (const inner of ['<GetCurrentDeviceStatusResult><CameraDeviceStatusArray/></GetCurrentDeviceStatusResult>', '<GetCurrentDeviceStatusResult/>', '']) {
      assert.deepEqual(readDeviceStatuses(await parsed('GetCurrentDeviceStatus', inner)), []);
    }
  });

  it('leaves out the all-zero device id of a recorder without configuration', async () => {
    const devices = readDeviceStatuses(await parsed('GetCurrentDeviceStatus', `<GetCurrentDeviceStatusResult><CameraDeviceStatusArray>${cameraStatusXml(unloadedDeviceId, { enabled: false, recording: false })}</CameraDeviceStatusArray></GetCurrentDeviceStatusResult>`));
    assert.deepEqual(devices.map((d) => d.deviceId), [unloadedDeviceId]);
    assert.deepEqual(toCameras(devices, new Map()), []);
  });

  it('reads the video statistics and joins them with the status', async () => {
    const stats = readVideoStatistics(await parsed('GetVideoDeviceStatistics', `<GetVideoDeviceStatisticsResult>${statisticsXml(cam1, 9.8)}<VideoDeviceStatistics><DeviceId>${cam2}</DeviceId><UsedSpaceInBytes>0</UsedSpaceInBytes><VideoStreamStatisticsArray/></VideoDeviceStatistics></GetVideoDeviceStatisticsResult>`));
    assert.deepEqual(stats.get(cam1), { fps: 9.8, fpsRequested: 5, resolution: '640x360', videoFormat: 'JPEG', usedSpaceBytes: 1000 });
    assert.deepEqual(stats.get(cam2), { fps: null, fpsRequested: null, resolution: null, videoFormat: null, usedSpaceBytes: 0 });
    const cameras = toCameras([{ deviceId: cam1, enabled: true, started: true, recording: true, errorNoConnection: false, errorOverflow: false, error: false }], stats);
    assert.equal(cameras[0]?.fps, 9.8);
  });

  it('reads storage status', async () => {
    const result = await parsed(
      'GetRecordingStorageStatus',
      '<GetRecordingStorageStatusResult><StorageStatus><StorageId>{01D7A906-4E70-40A8-A681-504840D920B2}</StorageId><Name>Local default</Name><Path>C:\\MediaDatabase</Path><Available>false</Available><UsedSpaceInBytes>449044</UsedSpaceInBytes><FreeSpaceInBytes>1073292780</FreeSpaceInBytes></StorageStatus></GetRecordingStorageStatusResult>',
    );
    assert.deepEqual(readStorageStatuses(result), [{ storageId: '01d7a906-4e70-40a8-a681-504840d920b2', name: 'Local default', path: 'C:\\MediaDatabase', available: false, usedSpaceBytes: 449044, freeSpaceBytes: 1073292780 }]);
  });

  it('refuses what is not an answer, and a status without a device id', async () => {
    assert.throws(() => resultOf(undefined, 'GetCurrentDeviceStatus'), /no GetCurrentDeviceStatusResponse/);
    const noId = { CameraDeviceStatusArray: { CameraDeviceStatus: [{ Recording: true }] } };
    assert.throws(() => readDeviceStatuses(noId), /without a valid id/);
  });

  it('bounds the ids asked for, and backs off re-reading a WSDL up to 2 s', () => {
    assert.equal(deviceIdsArgument(Array.from({ length: 5000 }, (_, i) => String(i))).guid.length, 4096);
    assert.deepEqual([1, 2, 3, 4, 5, 50].map(clientRetryDelayMs), [250, 500, 1_000, 2_000, 2_000, 2_000]);
  });
});

describe('soapRecorderProbe against a recorder stand-in', () => {
  const probeOf = (recorder: RecorderStandIn, o: Partial<SoapRecorderProbeOptions> = {}) =>
    soapRecorderProbe({ webServerUrl: recorder.webServerUrl, tokenUrl: recorder.tokenUrl, username: 'u', password: 'secret-pw', timeoutMs: 5_000, statisticsEveryMs: 0, log, ...o });

  for (const soapVersion of ['1.1', '1.2'] as const) {
    it(`SOAP ${soapVersion}: asks for exactly the camera ids it is given, and reads the WSDL once`, async () => {
      const recorder = await startRecorderStandIn();
      recorder.cameras = [cam1, cam2, cam3];
      const probe = probeOf(recorder, { soapVersion, cameraIds: () => [cam1, cam2] });
      try {
        for (let i = 0; i < 3; i += 1) {
          const health = await probe.probe();
          assert.ok(health.reachable, health.reachable ? '' : health.reason);
          assert.deepEqual(health.cameras.map((c) => [c.deviceId, c.recording, c.fps]), [[cam1, true, 5], [cam2, true, 5]]);
          assert.equal(health.storages.length, 1);
        }
        assert.equal(recorder.wsdlReads(), 1, 'the client is made once and kept');
        const statusCalls = recorder.posts.filter((p) => p.body.includes('GetCurrentDeviceStatus>') || p.body.includes('GetCurrentDeviceStatus '));
        assert.equal(statusCalls.length, 3);
        for (const call of statusCalls) assert.deepEqual(call.deviceIds, [cam1, cam2]);
        for (const post of recorder.posts) assert.match(post.contentType, soapVersion === '1.2' ? /^application\/soap\+xml/ : /^text\/xml/);
      } finally {
        await probe.close();
        await recorder.close();
      }
    });
  }

  it('camera ids not known yet: asks for no device, reports the storages and no camera; takes them once given', async () => {
    const recorder = await startRecorderStandIn();
    recorder.cameras = [cam1];
    const probe = probeOf(recorder);
    try {
      const before = await probe.probe();
      assert.ok(before.reachable);
      assert.deepEqual(before.cameras, []);
      assert.equal(before.storages.length, 1);
      assert.ok(recorder.posts.every((p) => !p.body.includes('GetCurrentDeviceStatus') && !p.body.includes('GetVideoDeviceStatistics')));
      probe.readCameraIdsFrom(() => [cam1]);
      const after = await probe.probe();
      assert.deepEqual(after.reachable ? after.cameras.map((c) => c.deviceId) : after.reason, [cam1]);
    } finally {
      await probe.close();
      await recorder.close();
    }
  });

  it('a token the recorder refuses is replaced once, and the token never shows in a reason', async () => {
    const recorder = await startRecorderStandIn();
    recorder.cameras = [cam1];
    const vms = (n: number): string => `TOKEN#vms-${n}#ms//ServerConnector#`;
    recorder.refusedTokens.add(vms(1));
    const probe = probeOf(recorder, { cameraIds: () => [cam1] });
    try {
      const health = await probe.probe();
      assert.ok(health.reachable, health.reachable ? '' : health.reason);
      assert.ok(recorder.posts.some((p) => p.token === vms(2)));
      for (const n of [2, 3, 4]) recorder.refusedTokens.add(vms(n));
      const refused = await probe.probe();
      assert.ok(!refused.reachable);
      assert.match(refused.reason, /Token invalid/);
      assert.ok(!/TOKEN#|tok-\d/.test(refused.reason));
    } finally {
      await probe.close();
      await recorder.close();
    }
  });

  it('a WSDL that cannot be read: unreachable, read again after a back-off, then the probe works', async () => {
    const recorder = await startRecorderStandIn();
    recorder.cameras = [cam1];
    recorder.wsdlDown = true;
    const probe = probeOf(recorder, { cameraIds: () => [cam1] });
    try {
      assert.deepEqual(await probe.probe(), { reachable: false, reason: "cannot read the recorder's WSDL: the WSDL: HTTP 503" });
      // Within the back-off the last failure is answered without a request.
      assert.deepEqual(await probe.probe(), { reachable: false, reason: "cannot read the recorder's WSDL: the WSDL: HTTP 503" });
      assert.equal(recorder.wsdlReads(), 1);
      recorder.wsdlDown = false;
      const deadline = Date.now() + 5_000;
      for (;;) {
        const health = await probe.probe();
        if (health.reachable) break;
        assert.ok(Date.now() < deadline, 'the WSDL was not read again');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(recorder.wsdlReads(), 2);
    } finally {
      await probe.close();
      await recorder.close();
    }
  });

  it('a recorder whose WSDL has no port of the configured version says so', async () => {
    const recorder = await startRecorderStandIn({ soap12: false });
    const probe = probeOf(recorder, { soapVersion: '1.2', cameraIds: () => [] });
    try {
      const health = await probe.probe();
      assert.equal(health.reachable ? 'up' : health.reason, "cannot read the recorder's WSDL: the WSDL's RecorderStatusService2 has no SOAP 1.2 port (it has RecorderStatusService2Soap (SOAP 1.1))");
    } finally {
      await probe.close();
      await recorder.close();
    }
  });
});

describe('soapRecorderProbe without a recorder', () => {
  it('reports a recorder that refuses connections, and answers "probe closed" once closed', async () => {
    const port = await closedPort();
    const probe = soapRecorderProbe({ webServerUrl: `http://127.0.0.1:${port}/`, tokenUrl: `http://127.0.0.1:${port}/IDP/connect/token`, username: 'u', password: 'secret-pw', timeoutMs: 2_000, log });
    try {
      assert.deepEqual(await probe.probe(), { reachable: false, reason: "cannot read the recorder's WSDL: connection refused" });
    } finally {
      await probe.close();
    }
    assert.deepEqual(await probe.probe(), { reachable: false, reason: 'probe closed' });
  });

  it('reports an IDP that refuses connections', async () => {
    const recorder = await startRecorderStandIn();
    const port = await closedPort();
    const probe = soapRecorderProbe({ webServerUrl: recorder.webServerUrl, tokenUrl: `http://127.0.0.1:${port}/IDP/connect/token`, username: 'u', password: 'secret-pw', timeoutMs: 2_000, cameraIds: () => [cam1], log });
    try {
      const health = await probe.probe();
      assert.ok(!health.reachable);
      assert.match(health.reason, /^token request failed: connection refused$/);
    } finally {
      await probe.close();
      await recorder.close();
    }
  });
});
