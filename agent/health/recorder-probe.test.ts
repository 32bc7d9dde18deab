import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { labToken, startLab, waitFor, type RunningLab } from '../../lab/testing/harness.js';
import { labRecorderService } from '../platform/lab-service.js';
import type { RecorderHealth, RecorderProbe } from '../shell/ports.js';
import { toLocalHealth } from './local-health.js';
import {
  isTokenFault,
  parseSoapAnswer,
  readDeviceStatuses,
  readStorageStatuses,
  readVideoStatistics,
  soapEnvelope,
  soapRecorderProbe,
  toCameras,
  unloadedDeviceId,
  type SoapRecorderProbeOptions,
} from './recorder-probe.js';

const log = pino({ level: 'silent' });
const ns = 'http://videoos.net/2/XProtectCSRecorderStatus2';
const cam1 = '0f3f1857-ff89-4e71-b674-46ea5c86f175';
const cam2 = '5821bfb1-d0b1-4e1b-8224-428a37d743be';

function envelope(body: string, prefix = 'soap'): string {
  return `<?xml version="1.0" encoding="utf-8"?><${prefix}:Envelope xmlns:${prefix}="http://schemas.xmlsoap.org/soap/envelope/"><${prefix}:Body>${body}</${prefix}:Body></${prefix}:Envelope>`;
}

function deviceStatus(id: string, flags: { recording?: boolean; enabled?: boolean; error?: boolean } = {}, p = ''): string {
  const b = (name: string, value: boolean): string => `<${p}${name}>${value}</${p}${name}>`;
  return (
    `<${p}CameraDeviceStatus><${p}Time>2026-01-01T00:00:00Z</${p}Time><${p}DeviceId>${id}</${p}DeviceId>` +
    b('IsChange', false) +
    b('Enabled', flags.enabled ?? true) +
    b('Started', true) +
    b('Error', flags.error ?? false) +
    b('ErrorNotLicensed', false) +
    b('ErrorNoConnection', false) +
    b('Recording', flags.recording ?? true) +
    b('DbMoveInProgress', false) +
    b('ErrorOverflow', false) +
    b('ErrorWritingGop', false) +
    b('DbRepairInProgress', false) +
    b('Motion', false) +
    `</${p}CameraDeviceStatus>`
  );
}

function statusAnswer(items: string, p = ''): string {
  const x = p === '' ? ` xmlns="${ns}"` : ` xmlns:${p.slice(0, -1)}="${ns}"`;
  return envelope(`<${p}GetCurrentDeviceStatusResponse${x}><${p}GetCurrentDeviceStatusResult><${p}CameraDeviceStatusArray>${items}</${p}CameraDeviceStatusArray></${p}GetCurrentDeviceStatusResult></${p}GetCurrentDeviceStatusResponse>`);
}

describe('RecorderStatusService2 answers', () => {
  it('reads camera status with or without namespace prefixes', () => {
    for (const p of ['', 'tns:', 'x:']) {
      const answer = parseSoapAnswer(statusAnswer(deviceStatus(cam1, {}, p) + deviceStatus(cam2.toUpperCase(), { recording: false, error: true }, p), p), 'GetCurrentDeviceStatus');
      assert.equal(answer.kind, 'result');
      assert.deepEqual(readDeviceStatuses(answer.kind === 'result' ? answer.result : null), [
        { deviceId: cam1, enabled: true, started: true, recording: true, errorNoConnection: false, errorOverflow: false, error: false },
        { deviceId: cam2, enabled: true, started: true, recording: false, errorNoConnection: false, errorOverflow: false, error: true },
      ]);
    }
  });

  it('reads a single camera as a list, and empty arrays as no cameras', () => {
    const one = parseSoapAnswer(statusAnswer(deviceStatus(cam1)), 'GetCurrentDeviceStatus');
    assert.equal(one.kind === 'result' ? readDeviceStatuses(one.result).length : -1, 1);
    for (const xml of [
      statusAnswer(''),
      envelope(`<GetCurrentDeviceStatusResponse xmlns="${ns}"><GetCurrentDeviceStatusResult><CameraDeviceStatusArray/></GetCurrentDeviceStatusResult></GetCurrentDeviceStatusResponse>`),
      envelope(`<GetCurrentDeviceStatusResponse xmlns="${ns}"><GetCurrentDeviceStatusResult/></GetCurrentDeviceStatusResponse>`),
      envelope(`<GetCurrentDeviceStatusResponse xmlns="${ns}"/>`),
    ]) {
      const answer = parseSoapAnswer(xml, 'GetCurrentDeviceStatus');
      assert.equal(answer.kind, 'result');
      assert.deepEqual(readDeviceStatuses(answer.kind === 'result' ? answer.result : null), []);
    }
  });

  it('leaves out the all-zero device id of a recorder without configuration', () => {
    const answer = parseSoapAnswer(statusAnswer(deviceStatus(unloadedDeviceId, { enabled: false, recording: false })), 'GetCurrentDeviceStatus');
    const devices = readDeviceStatuses(answer.kind === 'result' ? answer.result : null);
    assert.deepEqual(devices.map((d) => d.deviceId), [unloadedDeviceId]);
    assert.deepEqual(toCameras(devices, new Map()), []);
  });

  it('reads the recording stream of the video statistics', () => {
    const stream = (recording: boolean, fps: number, w: number, h: number, format: string): string =>
      `<VideoStreamStatistics><StreamId>${cam2}</StreamId><Name>s</Name><RecordingStream>${recording}</RecordingStream><LiveStream>true</LiveStream><LiveStreamDefault>true</LiveStreamDefault><LiveStreamRunAlways>false</LiveStreamRunAlways><BPS>256000</BPS><FPS>${fps}</FPS><ImageResolution><Width>${w}</Width><Height>${h}</Height></ImageResolution><VideoFormat>${format}</VideoFormat><ImageSizeInBytes>6400</ImageSizeInBytes><FPSRequested>10</FPSRequested></VideoStreamStatistics>`;
    const xml = envelope(
      `<GetVideoDeviceStatisticsResponse xmlns="${ns}"><GetVideoDeviceStatisticsResult>` +
        `<VideoDeviceStatistics><DeviceId>${cam1}</DeviceId><UsedSpaceInBytes>224522</UsedSpaceInBytes><VideoStreamStatisticsArray>${stream(false, 25, 320, 180, 'H.264')}${stream(true, 9.8, 1920, 1080, 'H.265')}</VideoStreamStatisticsArray></VideoDeviceStatistics>` +
        `<VideoDeviceStatistics><DeviceId>${cam2}</DeviceId><UsedSpaceInBytes>0</UsedSpaceInBytes><VideoStreamStatisticsArray/></VideoDeviceStatistics>` +
        `</GetVideoDeviceStatisticsResult></GetVideoDeviceStatisticsResponse>`,
    );
    const answer = parseSoapAnswer(xml, 'GetVideoDeviceStatistics');
    const stats = readVideoStatistics(answer.kind === 'result' ? answer.result : null);
    assert.deepEqual(stats.get(cam1), { fps: 9.8, fpsRequested: 10, resolution: '1920x1080', videoFormat: 'H.265', usedSpaceBytes: 224522 });
    assert.deepEqual(stats.get(cam2), { fps: null, fpsRequested: null, resolution: null, videoFormat: null, usedSpaceBytes: 0 });
    const cameras = toCameras([{ deviceId: cam1, enabled: true, started: true, recording: true, errorNoConnection: false, errorOverflow: false, error: false }], stats);
    assert.equal(cameras[0]?.fps, 9.8);
    assert.equal(cameras[0]?.resolution, '1920x1080');
  });

  it('reads storage status', () => {
    const xml = envelope(
      `<GetRecordingStorageStatusResponse xmlns="${ns}"><GetRecordingStorageStatusResult><StorageStatus><StorageId>{01D7A906-4E70-40A8-A681-504840D920B2}</StorageId><Name>Local default</Name><Path>C:\\MediaDatabase</Path><Available>false</Available><UsedSpaceInBytes>449044</UsedSpaceInBytes><FreeSpaceInBytes>1073292780</FreeSpaceInBytes></StorageStatus></GetRecordingStorageStatusResult></GetRecordingStorageStatusResponse>`,
    );
    const answer = parseSoapAnswer(xml, 'GetRecordingStorageStatus');
    assert.deepEqual(readStorageStatuses(answer.kind === 'result' ? answer.result : null), [
      { storageId: '01d7a906-4e70-40a8-a681-504840d920b2', name: 'Local default', path: 'C:\\MediaDatabase', available: false, usedSpaceBytes: 449044, freeSpaceBytes: 1073292780 },
    ]);
  });

  it('reads SOAP 1.1 and 1.2 faults and recognises token faults', () => {
    const fault11 = parseSoapAnswer(
      envelope('<soap:Fault><faultcode>soap:Server</faultcode><faultstring>Token invalid</faultstring><detail><ErrorNumber>40000</ErrorNumber><SubErrorNumber>2</SubErrorNumber></detail></soap:Fault>'),
      'GetRecordingStorageStatus',
    );
    assert.deepEqual(fault11, { kind: 'fault', fault: { message: 'Token invalid', errorNumber: 40000, subErrorNumber: 2 } });
    assert.equal(fault11.kind === 'fault' && isTokenFault(fault11.fault), true);
    const fault12 = parseSoapAnswer(
      envelope('<env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code><env:Reason><env:Text xml:lang="en">Device not found</env:Text></env:Reason></env:Fault>', 'env'),
      'GetRecordingStorageStatus',
    );
    assert.deepEqual(fault12, { kind: 'fault', fault: { message: 'Device not found', errorNumber: null, subErrorNumber: null } });
    assert.equal(fault12.kind === 'fault' && isTokenFault(fault12.fault), false);
    assert.equal(isTokenFault({ message: 'The token has expired', errorNumber: null, subErrorNumber: null }), true);
  });

  it('rejects what is not an answer to the operation', () => {
    assert.throws(() => parseSoapAnswer('<html><body>Service Unavailable</body></html>', 'GetCurrentDeviceStatus'), /no SOAP envelope/);
    assert.throws(() => parseSoapAnswer('', 'GetCurrentDeviceStatus'), /no SOAP envelope/);
    assert.throws(() => parseSoapAnswer(envelope(`<OtherResponse xmlns="${ns}"/>`), 'GetCurrentDeviceStatus'), /no GetCurrentDeviceStatusResponse/);
    const noId = parseSoapAnswer(statusAnswer('<CameraDeviceStatus><Recording>true</Recording></CameraDeviceStatus>'), 'GetCurrentDeviceStatus');
    assert.throws(() => readDeviceStatuses(noId.kind === 'result' ? noId.result : null), /without a valid id/);
  });

  it('escapes the token in the request envelope', () => {
    const xml = soapEnvelope('GetRecordingStorageStatus', 'a<b>&"c\'', '');
    assert.match(xml, /<token>a&lt;b&gt;&amp;&quot;c&apos;<\/token>/);
    assert.match(xml, new RegExp(`<GetRecordingStorageStatus xmlns="${ns}">`));
  });
});

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

describe('soapRecorderProbe without a recorder', () => {
  it('reports an IDP that refuses connections', async () => {
    const port = await closedPort();
    const probe = soapRecorderProbe({ webServerUrl: `http://127.0.0.1:${port}/`, tokenUrl: `http://127.0.0.1:${port}/IDP/connect/token`, username: 'u', password: 'secret-pw', timeoutMs: 2_000, log });
    try {
      assert.deepEqual(await probe.probe(), { reachable: false, reason: 'token request failed: connection refused' });
      // Within the back-off, the last failure is answered without a new request.
      assert.deepEqual(await probe.probe(), { reachable: false, reason: 'token request failed: connection refused' });
    } finally {
      await probe.close();
    }
    assert.deepEqual(await probe.probe(), { reachable: false, reason: 'probe closed' });
  });
});

describe('soapRecorderProbe and labRecorderService against a lab', { timeout: 300_000 }, () => {
  let lab: RunningLab;
  const probes: RecorderProbe[] = [];
  const recorderName = 'recorder-1a';

  const probeOf = (overrides: Partial<SoapRecorderProbeOptions> = {}): RecorderProbe => {
    const d = lab.description;
    const recorder = d.pairs[0]?.recorders.find((r) => r.name === recorderName);
    assert.ok(recorder !== undefined);
    // webServerUri of the lab description, as a real agent gets it from RecorderInfo.WebServerUri.
    const webServerUrl = recorder.statusServiceUrl.replace(/RecorderStatusService\/RecorderStatusService2\.asmx$/, '');
    const probe = soapRecorderProbe({
      webServerUrl,
      tokenUrl: d.managementServer.tokenUrl,
      username: d.credentials.username,
      password: d.credentials.password,
      timeoutMs: 750,
      statisticsEveryMs: 500,
      log,
      ...overrides,
    });
    probes.push(probe);
    return probe;
  };
  const service = (): ReturnType<typeof labRecorderService> => labRecorderService({ controlUrl: lab.description.control.url, recorderName, timeoutMs: 60_000 });
  const control = async (action: string): Promise<void> => {
    const res = await fetch(`${lab.description.control.url}/lab/recorders/${recorderName}/${action}`, { method: 'POST', signal: AbortSignal.timeout(60_000) });
    assert.equal(res.status, 200, `${action}: ${await res.text()}`);
  };
  const allRecording = (health: RecorderHealth): boolean =>
    health.reachable && health.cameras.length === 2 && health.cameras.every((c) => c.recording && c.fps !== null) && health.storages.length === 1;
  const waitRecording = (probe: RecorderProbe, what: string): Promise<RecorderHealth> =>
    waitFor(what, async () => {
      const health = await probe.probe();
      return allRecording(health) ? health : undefined;
    }, 60_000);

  before(async () => {
    lab = await startLab(['--pairs', '1', '--cameras', '2', '--fps', '5']);
  });

  after(async () => {
    for (const probe of probes) await probe.close();
    await lab?.stop();
  });

  it('probes a recording recorder: 2 cameras recording, 1 storage available', async () => {
    const probe = probeOf();
    const health = await waitRecording(probe, 'both cameras recording');
    assert.ok(health.reachable);
    const cameraIds = lab.description.pairs[0]?.cameraIds ?? [];
    assert.deepEqual(health.cameras.map((c) => c.deviceId).sort(), [...cameraIds].map((id) => id.toLowerCase()).sort());
    for (const camera of health.cameras) {
      assert.equal(camera.enabled, true);
      assert.equal(camera.started, true);
      assert.equal(camera.error, false);
      assert.equal(camera.resolution, '640x360');
      assert.equal(camera.videoFormat, 'JPEG');
      assert.equal(camera.fpsRequested, 5);
      assert.ok(camera.usedSpaceBytes !== null && camera.usedSpaceBytes >= 0);
    }
    assert.equal(health.storages[0]?.available, true);
    assert.equal(health.storages[0]?.name, 'Local default');
    assert.deepEqual(toLocalHealth(health), { health: { recorderUp: true, storageOk: true, recordingShare: 1 }, camerasTotal: 2, camerasRecording: 2, problem: null });
    assert.equal(await service().status(), 'running');
  });

  it('a wrong password gives an unreachable recorder, with neither password nor token in the reason', async () => {
    const wrong = 'wrong-password-5f1c';
    const health = await probeOf({ password: wrong }).probe();
    assert.equal(health.reachable, false);
    assert.ok(!health.reachable);
    assert.match(health.reason, /^token request failed: invalid_grant$/);
    const token = await labToken(lab.description);
    for (const secret of [wrong, lab.description.credentials.password, token]) assert.ok(!health.reason.includes(secret));
  });

  it('stop through the service: stopped, unreachable; start: running, reachable again', async () => {
    const probe = probeOf();
    await waitRecording(probe, 'recording before the stop');
    const svc = service();
    await svc.stop();
    assert.equal(await svc.status(), 'stopped');
    const down = await probe.probe();
    assert.ok(!down.reachable);
    assert.match(down.reason, /^connection (refused|reset)$/);
    assert.equal((await probe.probe()).reachable ? 'up' : 'down', 'down');
    await svc.stop(); // stopping a stopped recorder is success
    await svc.start();
    assert.equal(await svc.status(), 'running');
    await svc.start(); // starting a running one (409) is success
    await waitRecording(probe, 'recording after the start');
  });

  it('a crashed recorder is unreachable at once and stopped for the service manager', async () => {
    const probe = probeOf();
    await waitRecording(probe, 'recording before the crash');
    await control('crash');
    const down = await waitFor('unreachable after the crash', async () => {
      const health = await probe.probe();
      return health.reachable ? undefined : health;
    }, 5_000, 50);
    assert.match(down.reason, /connection (refused|reset)/);
    assert.equal(await service().status(), 'stopped');
    await service().start();
    await waitRecording(probe, 'recording after the restart');
  });

  it('a hung recorder: the probe returns unreachable after its timeout; close() ends a probe in flight', async () => {
    const probe = probeOf();
    await waitRecording(probe, 'recording before the hang');
    await control('hang');
    try {
      // Bounded by the test's own timeout only; the probe must come back by itself.
      const hung = await probe.probe();
      assert.deepEqual(hung, { reachable: false, reason: 'timed out after 750 ms' });
      assert.equal(await service().status(), 'running'); // a service manager cannot see a hang
      const slow = probeOf({ timeoutMs: 60_000 });
      const pending = slow.probe();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await slow.close();
      assert.deepEqual(await pending, { reachable: false, reason: 'probe closed' });
    } finally {
      await control('resume');
    }
    await waitRecording(probe, 'recording after the resume');
  });

  it('service status of an unknown recorder or an unreachable control API is unknown', async () => {
    const unknown = labRecorderService({ controlUrl: lab.description.control.url, recorderName: 'recorder-9z', timeoutMs: 5_000 });
    assert.equal(await unknown.status(), 'unknown');
    await assert.rejects(unknown.start(), /lab start of recorder-9z failed: HTTP 404/);
    const port = await closedPort();
    const nowhere = labRecorderService({ controlUrl: `http://127.0.0.1:${port}`, recorderName, timeoutMs: 5_000 });
    assert.equal(await nowhere.status(), 'unknown');
    await assert.rejects(nowhere.stop(), new RegExp(`lab stop of ${recorderName} failed: control API unreachable`));
  });
});
