import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
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
} from './recorder-probe.js';
import { closedPort } from '../../shared/testing/ports.js';

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
