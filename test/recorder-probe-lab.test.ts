// The agent's SOAP recorder probe and lab service adapter against a real lab, through both of
// the recorder's WSDL ports (SOAP 1.1 and 1.2), with the explicit camera ids a Management Server
// lists. It lives in test/ because agent/ never imports lab/ (only tests under test/ and bench/ do).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { soapRecorderProbe, type SoapRecorderProbeOptions } from '../agent/health/recorder-probe.js';
import { toLocalHealth } from '../agent/health/local-health.js';
import { labRecorderService } from '../agent/platform/lab-service.js';
import type { RecorderHealth, RecorderProbe } from '../agent/shell/ports.js';
import { closedPort } from '../shared/testing/ports.js';
import { labToken, labVmsToken, soapClient, startLab, waitFor, type RunningLab } from '../lab/testing/harness.js';

const log = pino({ level: 'silent' });

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
    // The camera ids as the agent reads them from the configuration API (camera-names.ts).
    const cameraIds = (d.pairs[0]?.cameraIds ?? []).map((id) => id.toLowerCase());
    const probe = soapRecorderProbe({
      webServerUrl,
      tokenUrl: d.managementServer.tokenUrl,
      username: d.credentials.username,
      password: d.credentials.password,
      timeoutMs: 750,
      statisticsEveryMs: 500,
      cameraIds: () => cameraIds,
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

  it('SOAP 1.2: the same health through the Soap12 port', async () => {
    const health = await waitRecording(probeOf({ soapVersion: '1.2' }), 'both cameras recording, over SOAP 1.2');
    assert.ok(health.reachable);
    assert.deepEqual(health.cameras.map((c) => c.deviceId).sort(), (lab.description.pairs[0]?.cameraIds ?? []).map((id) => id.toLowerCase()).sort());
    assert.equal(health.cameras[0]?.resolution, '640x360');
    assert.equal(health.storages[0]?.available, true);
  });

  it('the lab answers an empty device id list with no devices; the probe, asking by id, still reports every camera', async () => {
    const d = lab.description;
    const recorder = d.pairs[0]?.recorders.find((r) => r.name === recorderName);
    assert.ok(recorder !== undefined);
    const status = await soapClient(recorder.statusServiceUrl);
    const token = await labVmsToken(d);
    const [none] = (await status.GetCurrentDeviceStatusAsync({ token, deviceIds: { guid: [] } }, { timeout: 10_000 })) as [{ GetCurrentDeviceStatusResult: { CameraDeviceStatusArray: { CameraDeviceStatus?: unknown[] } | null } | null }];
    assert.deepEqual(none.GetCurrentDeviceStatusResult?.CameraDeviceStatusArray?.CameraDeviceStatus ?? [], []);
    const [noStats] = (await status.GetVideoDeviceStatisticsAsync({ token }, { timeout: 10_000 })) as [{ GetVideoDeviceStatisticsResult: { VideoDeviceStatistics?: unknown[] } | null }];
    assert.deepEqual(noStats.GetVideoDeviceStatisticsResult?.VideoDeviceStatistics ?? [], []);
    const health = await waitRecording(probeOf(), 'both cameras recording');
    assert.equal(health.reachable && health.cameras.length, 2);
    // Until the camera ids are known the probe asks for none, and says nothing of cameras.
    const unknown = await probeOf({ cameraIds: () => null }).probe();
    assert.deepEqual(unknown.reachable ? [unknown.cameras.length, unknown.storages.length] : unknown.reason, [0, 1]);
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
