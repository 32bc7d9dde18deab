// Every lab fault, injected through the lab control API, shows up where a real XProtect would
// show it (device status fields, storage status, gaps in recorded sequences, refused or
// unanswered connections) and clears when it is lifted. The crash case also checks that a
// SIGKILLed recorder reopens its storage with everything it had indexed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { readFileSync } from 'node:fs';
import type * as soap from 'soap';
import { indexedFrames, labToken, labVmsToken, soapClient, startLab, waitFor, type RecorderEndpoints, type RunningLab } from '../lab/testing/harness.js';
import { isRunning } from '../lab/up.js';

const RECORDING_SEQUENCE = 'f9c62604-d0c5-4050-ae25-72de51639b14';

type Flags = Record<string, unknown>;

describe('lab faults', () => {
  let lab: RunningLab;
  /** An IDP token, for the REST API. */
  let token: string;
  /** A VMS token (ServerCommandServiceOAuth Login), for the recorders' SOAP. */
  let vmsToken: string;
  let recorderA: RecorderEndpoints;
  let recorderB: RecorderEndpoints;
  let cam0: string;
  let cam1: string;
  const clients = new Map<string, soap.Client>();

  before(async () => {
    lab = await startLab(['--pairs', '1', '--cameras', '2', '--fps', '10', '--block-duration-ms', '1000', '--max-queue-bytes', '262144']);
    token = await labToken(lab.description);
    vmsToken = await labVmsToken(lab.description);
    const pair = lab.description.pairs[0];
    assert.ok(pair !== undefined);
    [recorderA, recorderB] = pair.recorders as [RecorderEndpoints, RecorderEndpoints];
    [cam0, cam1] = pair.cameraIds as [string, string];
    await waitFor('all cameras recording', async () => ((await allRecording(recorderA)) && (await allRecording(recorderB)) ? true : undefined), 60_000);
  });
  after(async () => {
    await lab?.stop();
  });

  async function client(url: string): Promise<soap.Client> {
    let c = clients.get(url);
    if (c === undefined) {
      c = await soapClient(url);
      clients.set(url, c);
    }
    return c;
  }

  async function statuses(recorder: RecorderEndpoints): Promise<Map<string, Flags>> {
    const status = await client(recorder.statusServiceUrl);
    const [result] = (await status.GetCurrentDeviceStatusAsync({ token: vmsToken, deviceIds: { guid: [cam0, cam1] } }, { timeout: 5_000 })) as [{ GetCurrentDeviceStatusResult: { CameraDeviceStatusArray: { CameraDeviceStatus: Flags[] } | null } }];
    return new Map((result.GetCurrentDeviceStatusResult.CameraDeviceStatusArray?.CameraDeviceStatus ?? []).map((s) => [String(s.DeviceId), s]));
  }

  async function allRecording(recorder: RecorderEndpoints): Promise<boolean> {
    const map = await statuses(recorder);
    return map.size === 2 && [...map.values()].every((s) => s.Recording === true && s.Error === false);
  }

  /** Waits until `camera` on `recorder` has the given field values. */
  function waitStatus(recorder: RecorderEndpoints, camera: string, expected: Flags, timeoutMs = 20_000): Promise<Flags> {
    return waitFor(
      `${recorder.name} ${camera} ${JSON.stringify(expected)}`,
      async () => {
        const s = (await statuses(recorder)).get(camera);
        return s !== undefined && Object.entries(expected).every(([key, value]) => s[key] === value) ? s : undefined;
      },
      timeoutMs,
    );
  }

  async function sequences(recorder: RecorderEndpoints, camera: string): Promise<Array<{ begin: number; end: number }>> {
    const command = await client(recorder.commandServiceUrl);
    const [result] = (await command.SequencesGetAsync(
      { token: vmsToken, deviceId: camera, sequenceType: RECORDING_SEQUENCE, minTime: new Date(Date.now() - 3_600_000).toISOString(), maxTime: new Date(Date.now() + 60_000).toISOString(), maxCount: 1000 },
      { timeout: 5_000 },
    )) as [{ SequencesGetResult: { SequenceEntry?: Array<{ TimeBegin: Date; TimeEnd: Date }> } | null }];
    return (result.SequencesGetResult?.SequenceEntry ?? []).map((e) => ({ begin: e.TimeBegin.getTime(), end: e.TimeEnd.getTime() }));
  }

  async function storageStatus(recorder: RecorderEndpoints): Promise<Flags> {
    const status = await client(recorder.statusServiceUrl);
    const [result] = (await status.GetRecordingStorageStatusAsync({ token: vmsToken }, { timeout: 5_000 })) as [{ GetRecordingStorageStatusResult: { StorageStatus: Flags[] } }];
    return result.GetRecordingStorageStatusResult.StorageStatus[0] as Flags;
  }

  async function fault(path: string, body: unknown = {}): Promise<void> {
    const res = await fetch(`${lab.description.control.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(90_000) });
    assert.equal(res.status, 200, `${path}: ${await res.text()}`);
  }

  /** The error code of a plain HTTP GET, or 'ok' with the status code. */
  function probe(url: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve) => {
      const req = get(url, { agent: false, timeout: timeoutMs }, (res) => {
        res.destroy();
        resolve(`ok ${res.statusCode ?? 0}`);
      });
      req.on('timeout', () => {
        req.destroy();
        resolve('timeout');
      });
      req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
  }

  /** Waits until a gap appears in a camera's sequences after `sinceMs` and recording continues after it. */
  async function waitGapAfter(recorder: RecorderEndpoints, camera: string, sinceMs: number): Promise<void> {
    await waitFor(`a gap in ${recorder.name} ${camera} after ${sinceMs}`, async () => {
      const list = await sequences(recorder, camera);
      return list.some((s, i) => i > 0 && s.begin > sinceMs && (list[i - 1]?.end ?? 0) >= sinceMs - 60_000) ? true : undefined;
    });
  }

  function recorderPid(name: string): Promise<number> {
    return waitFor(`pid of ${name}`, async () => {
      const res = await fetch(`${lab.description.control.url}/lab`);
      const d = (await res.json()) as RunningLab['description'];
      const pid = d.pairs[0]?.recorders.find((r) => r.name === name)?.pid;
      return typeof pid === 'number' ? pid : undefined;
    });
  }

  it('camera disconnect per recorder: ErrorNoConnection, refused connections and a gap; cleared on reconnect', async () => {
    const before = Date.now();
    await fault(`/lab/recorders/${recorderA.name}/cameras/${cam0}`, { action: 'disconnect' });
    const down = await waitStatus(recorderA, cam0, { ErrorNoConnection: true, Recording: false, Error: true });
    assert.equal(down.Started, true);
    await waitStatus(recorderA, cam1, { Recording: true, ErrorNoConnection: false });
    await waitStatus(recorderB, cam0, { Recording: true, ErrorNoConnection: false });
    // The camera resets recorder-1a's connections, and only those.
    const stream = `${lab.description.cameraHub.url}mjpg/${cam0}/video.mjpg`;
    assert.equal(await probe(`${stream}?recorder=${recorderA.name}`, 5_000), 'ECONNRESET');
    assert.equal(await probe(`${stream}?recorder=${recorderB.name}`, 5_000), 'ok 200');

    await fault(`/lab/recorders/${recorderA.name}/cameras/${cam0}`, { action: 'reconnect' });
    await waitStatus(recorderA, cam0, { ErrorNoConnection: false, Recording: true, Error: false });
    await waitGapAfter(recorderA, cam0, before);
    assert.equal((await sequences(recorderB, cam0)).length, 1, 'the other recorder has no gap');
  });

  it('storage offline: ErrorWritingGop, storage unavailable, a gap; cleared when back online', async () => {
    const before = Date.now();
    await fault(`/lab/recorders/${recorderA.name}/storage`, { mode: 'offline' });
    for (const camera of [cam0, cam1]) await waitStatus(recorderA, camera, { ErrorWritingGop: true, Recording: false, Error: true });
    assert.equal((await storageStatus(recorderA)).Available, false);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await fault(`/lab/recorders/${recorderA.name}/storage`, { mode: 'online' });
    for (const camera of [cam0, cam1]) await waitStatus(recorderA, camera, { ErrorWritingGop: false, Recording: true, Error: false });
    assert.equal((await storageStatus(recorderA)).Available, true);
    await waitGapAfter(recorderA, cam1, before);
  });

  it('storage full: ErrorWritingGop and no free space; cleared when space returns', async () => {
    const before = Date.now();
    await fault(`/lab/recorders/${recorderA.name}/storage`, { mode: 'full' });
    await waitStatus(recorderA, cam0, { ErrorWritingGop: true, Recording: false });
    assert.equal(Number((await storageStatus(recorderA)).FreeSpaceInBytes), 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await fault(`/lab/recorders/${recorderA.name}/storage`, { mode: 'online' });
    await waitStatus(recorderA, cam0, { ErrorWritingGop: false, Recording: true });
    assert.ok(Number((await storageStatus(recorderA)).FreeSpaceInBytes) > 0);
    await waitGapAfter(recorderA, cam0, before);
  });

  it('slow storage: ErrorOverflow while writes cannot keep up, with a gap; cleared when fast again', async () => {
    const before = Date.now();
    await fault(`/lab/recorders/${recorderA.name}/storage`, { mode: 'slow', throughputBytesPerSecond: 2_000 });
    await waitFor('overflow on some camera', async () => {
      const map = await statuses(recorderA);
      return [...map.values()].some((s) => s.ErrorOverflow === true && s.Error === true) ? true : undefined;
    });
    await fault(`/lab/recorders/${recorderA.name}/storage`, { mode: 'online' });
    for (const camera of [cam0, cam1]) await waitStatus(recorderA, camera, { ErrorOverflow: false, Recording: true, Error: false });
    await waitFor('a gap from dropped frames', async () => {
      for (const camera of [cam0, cam1]) {
        const list = await sequences(recorderA, camera);
        if (list.some((s, i) => i > 0 && s.begin > before)) return true;
      }
      return undefined;
    });
  });

  it('recorder hang (SIGSTOP): connections accepted but unanswered; answers again after SIGCONT', async () => {
    const pid = await recorderPid(recorderB.name);
    await fault(`/lab/recorders/${recorderB.name}/hang`);
    await waitFor('process stopped (state T)', () => {
      const state = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return state.slice(state.lastIndexOf(')') + 2, state.lastIndexOf(')') + 3) === 'T' ? true : undefined;
    });
    assert.equal(await probe(`${recorderB.statusServiceUrl}?wsdl`, 1_500), 'timeout');
    await fault(`/lab/recorders/${recorderB.name}/resume`);
    assert.equal(await probe(`${recorderB.statusServiceUrl}?wsdl`, 10_000), 'ok 200');
    for (const camera of [cam0, cam1]) await waitStatus(recorderB, camera, { Recording: true, Error: false });
  });

  it('recorder service stop: connections refused; service start: recording again, earlier recordings kept', async () => {
    const indexedBefore = await indexedFrames(recorderB.storageDir, cam0);
    await fault(`/lab/recorders/${recorderB.name}/stop`);
    assert.equal(await probe(`${recorderB.statusServiceUrl}?wsdl`, 5_000), 'ECONNREFUSED');
    const startedAt = Date.now();
    await fault(`/lab/recorders/${recorderB.name}/start`);
    clients.delete(recorderB.statusServiceUrl);
    clients.delete(recorderB.commandServiceUrl);
    for (const camera of [cam0, cam1]) await waitStatus(recorderB, camera, { Recording: true, Error: false });
    const indexedAfter = await indexedFrames(recorderB.storageDir, cam0);
    for (const [time, sha] of indexedBefore) assert.equal(indexedAfter.get(time), sha, `frame ${time} kept`);
    await waitGapAfter(recorderB, cam0, startedAt - 1_000);
  });

  it('recorder crash (SIGKILL): refused while down; restarts, reopens its storage cleanly and loses nothing indexed', async () => {
    const pid = await recorderPid(recorderA.name);
    // Everything indexed at the moment of the kill (read after it, so nothing can be added).
    await fault(`/lab/recorders/${recorderA.name}/crash`);
    assert.equal(isRunning(pid), false);
    const indexed = new Map([
      [cam0, await indexedFrames(recorderA.storageDir, cam0)],
      [cam1, await indexedFrames(recorderA.storageDir, cam1)],
    ]);
    assert.ok((indexed.get(cam0)?.size ?? 0) > 50);
    assert.equal(await probe(`${recorderA.statusServiceUrl}?wsdl`, 5_000), 'ECONNREFUSED');
    await fault(`/lab/recorders/${recorderA.name}/start`);
    clients.delete(recorderA.statusServiceUrl);
    clients.delete(recorderA.commandServiceUrl);
    for (const camera of [cam0, cam1]) await waitStatus(recorderA, camera, { Recording: true, Error: false, DbRepairInProgress: false });
    for (const [camera, before] of indexed) {
      const after = await indexedFrames(recorderA.storageDir, camera);
      for (const [time, sha] of before) assert.equal(after.get(time), sha, `${camera} frame ${time} survived the crash`);
      assert.ok(after.size >= before.size);
    }
    const lock = JSON.parse(readFileSync(`${recorderA.storageDir}/recorder.lock`, 'utf8')) as { pid: number };
    assert.notEqual(lock.pid, pid, 'the new process took over the stale lock');
  });

  it('management server down: IDP refused, recorders keep recording and accept the tokens they checked, a restarted recorder uses its cached configuration but checks no token until it is back; up again: new tokens, old IDP tokens still valid, VMS tokens forgotten', async () => {
    await fault('/lab/management/stop');
    assert.equal(await probe(`${lab.description.managementServer.url}/IDP/.well-known/openid-configuration`, 5_000), 'ECONNREFUSED');
    assert.equal(await probe(`${lab.description.managementServer.url}/ManagementServer/ServerCommandServiceOAuth.svc?wsdl`, 5_000), 'ECONNREFUSED');
    const before = (await sequences(recorderA, cam0)).at(-1)?.end ?? 0;
    await waitFor('recording continues', async () => ((await sequences(recorderA, cam0)).at(-1)?.end ?? 0) > before + 1_000 ? true : undefined);
    await waitStatus(recorderA, cam0, { Recording: true, Error: false });

    await fault(`/lab/recorders/${recorderB.name}/stop`);
    await fault(`/lab/recorders/${recorderB.name}/start`);
    clients.delete(recorderB.statusServiceUrl);
    clients.delete(recorderB.commandServiceUrl);
    // It records from its cached configuration (seen through its lab control endpoint) ...
    await waitFor('the restarted recorder records from its cache', async () => {
      const res = await fetch(`${recorderB.controlUrl}/lab/state`, { signal: AbortSignal.timeout(5_000) });
      const state = (await res.json()) as { configLoaded: boolean; cameras: Array<{ flags: Flags }> };
      return state.configLoaded && state.cameras.length === 2 && state.cameras.every((c) => c.flags.Recording === true) ? true : undefined;
    });
    // ... but cannot check a token it has not seen while its management server is away.
    await assert.rejects(statuses(recorderB), /Token invalid/);

    await fault('/lab/management/start');
    const fresh = await labToken(lab.description);
    assert.ok(fresh.length > 0);
    const res = await fetch(`${lab.description.managementServer.restUrl}/recordingServers`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200, 'an IDP token issued before the restart is still valid');
    // VMS tokens are held in the management server's memory: the restarted one has forgotten
    // this one, so a recorder that never checked it refuses it; a client logs in again.
    await assert.rejects(statuses(recorderB), /Token invalid/);
    vmsToken = await labVmsToken(lab.description);
    for (const camera of [cam0, cam1]) await waitStatus(recorderB, camera, { Recording: true, Error: false });
  });
});
