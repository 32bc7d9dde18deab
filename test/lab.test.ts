// The lab end to end: `twinrec lab up` as a real process tree, then every interface a client of
// a real XProtect would use (IDP, configuration REST API, SOAP from the served WSDLs, the
// ImageServer protocol), and the pair's stored frames compared byte for byte.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { frameBytes } from '../lab/cameras/frames.js';
import { sha256Hex } from '../media-store/format.js';
import { ImageServerClient, indexedFrames, labToken, labVmsToken, runLabCli, soapClient, startLab, waitFor, type RunningLab } from '../lab/testing/harness.js';
import { isRunning } from '../lab/up.js';

const RECORDING_SEQUENCE = 'f9c62604-d0c5-4050-ae25-72de51639b14';
/** How long both recorders record before their storages are compared: the minute. */
const SHARED_PERIOD_MS = 60_000;

describe('lab', () => {
  let lab: RunningLab;
  /** An IDP token, for the REST API. */
  let token: string;
  /** A VMS token (ServerCommandServiceOAuth Login), for the recorders' SOAP and ImageServer. */
  let vmsToken: string;

  before(async () => {
    lab = await startLab(['--pairs', '1', '--cameras', '2', '--fps', '10', '--block-duration-ms', '1000']);
    token = await labToken(lab.description);
    vmsToken = await labVmsToken(lab.description);
  });
  after(async () => {
    await lab?.stop();
  });

  const pair = (): RunningLab['description']['pairs'][number] => lab.description.pairs[0] as RunningLab['description']['pairs'][number];

  it('describes every endpoint, pid, storage folder, RecorderConfig.xml and the credentials', () => {
    const d = lab.description;
    assert.equal(d.credentials.username, 'admin');
    assert.ok(d.credentials.password.length >= 16);
    assert.equal(d.pairs.length, 1);
    assert.equal(pair().recorders.length, 2);
    for (const pid of lab.pids()) assert.ok(isRunning(pid), `pid ${pid} runs`);
    const [a, b] = pair().recorders;
    assert.ok(a !== undefined && b !== undefined);
    assert.notEqual(a.imageServer.port, b.imageServer.port);
    assert.notEqual(a.storageDir, b.storageDir);
    assert.match(a.recorderConfigPath, /RecorderConfig\.xml$/);
  });

  it('issues expiring bearer tokens and serves the REST API with {array} and {data} envelopes', async () => {
    const rest = lab.description.managementServer.restUrl;
    const denied = await fetch(`${rest}/recordingServers`, { headers: { authorization: 'Bearer nonsense' } });
    assert.equal(denied.status, 401);
    const refused = await fetch(lab.description.managementServer.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: 'admin', password: 'wrong-password', client_id: 'GrantValidatorClient' }),
    });
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { error: string }).error, 'invalid_grant');

    const get = async (path: string): Promise<Record<string, unknown>> => {
      const res = await fetch(`${rest}${path}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200, path);
      return (await res.json()) as Record<string, unknown>;
    };
    const list = (await get('/recordingServers')).array as Array<{ id: string }>;
    assert.deepEqual(
      list.map((rs) => rs.id),
      [pair().recorderId],
    );
    const one = (await get(`/recordingServers/${pair().recorderId}`)).data as { id: string; webServerUri: string };
    assert.equal(one.id, pair().recorderId);
    const hardware = (await get(`/recordingServers/${pair().recorderId}/hardware`)).array as Array<{ id: string }>;
    assert.equal(hardware.length, 2);
    const cameras = (await get(`/hardware/${hardware[0]?.id}/cameras`)).array as Array<{ id: string }>;
    assert.ok(pair().cameraIds.includes(cameras[0]?.id ?? ''));
    const storages = (await get(`/recordingServers/${pair().recorderId}/storages`)).array as Array<{ retainMinutes: number; maxSize: number; diskPath: string }>;
    assert.equal(storages[0]?.retainMinutes, 1440);
    assert.equal(storages[0]?.maxSize, 1024);
    const missing = await fetch(`${rest}/cameras/00000000-0000-4000-8000-000000000000`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(missing.status, 404);
  });

  it('answers status, statistics and sequences to a SOAP client built only from the served WSDLs', async () => {
    const recorder = pair().recorders[0];
    assert.ok(recorder !== undefined);
    const status = await soapClient(recorder.statusServiceUrl);
    const ids = { guid: pair().cameraIds };
    const statuses = await waitFor('both cameras recording', async () => {
      const [result] = (await status.GetCurrentDeviceStatusAsync({ token: vmsToken, deviceIds: ids })) as [{ GetCurrentDeviceStatusResult: { CameraDeviceStatusArray: { CameraDeviceStatus: Array<Record<string, unknown>> } } }];
      const list = result.GetCurrentDeviceStatusResult.CameraDeviceStatusArray.CameraDeviceStatus;
      return list.length === 2 && list.every((s) => s.Recording === true) ? list : undefined;
    });
    for (const s of statuses) {
      assert.ok(pair().cameraIds.includes(String(s.DeviceId)));
      for (const field of ['Enabled', 'Started', 'Recording']) assert.equal(s[field], true, field);
      for (const field of ['Motion', 'Error', 'ErrorNoConnection', 'ErrorNotLicensed', 'ErrorOverflow', 'ErrorWritingGop', 'DbMoveInProgress', 'DbRepairInProgress']) assert.equal(s[field], false, field);
      assert.ok(s.Time instanceof Date);
    }

    // Used space counts stored blocks: the frame rate is measured before the first block is on disk.
    const stats = await waitFor('statistics with a measured frame rate and stored data', async () => {
      const [result] = (await status.GetVideoDeviceStatisticsAsync({ token: vmsToken, deviceIds: ids })) as [{ GetVideoDeviceStatisticsResult: { VideoDeviceStatistics: Array<Record<string, unknown>> } }];
      const list = result.GetVideoDeviceStatisticsResult.VideoDeviceStatistics;
      return list.length === 2 && list.every((s) => Number((s.VideoStreamStatisticsArray as { VideoStreamStatistics: Array<{ FPS: number }> }).VideoStreamStatistics[0]?.FPS) > 0 && Number(s.UsedSpaceInBytes) > 0) ? list : undefined;
    }, 60_000);
    for (const s of stats) {
      assert.ok(Number(s.UsedSpaceInBytes) > 0);
      const stream = (s.VideoStreamStatisticsArray as { VideoStreamStatistics: Array<Record<string, unknown>> }).VideoStreamStatistics[0] as Record<string, unknown>;
      assert.deepEqual(stream.ImageResolution, { Width: 640, Height: 360 });
      assert.equal(stream.VideoFormat, 'JPEG');
      assert.equal(stream.FPSRequested, 10);
      assert.ok(Number(stream.BPS) > 0);
      assert.ok(Number(stream.ImageSizeInBytes) > 0);
    }

    const command = await soapClient(recorder.commandServiceUrl);
    const [types] = (await command.SequencesGetTypesAsync({ token: vmsToken, deviceIds: ids })) as [{ SequencesGetTypesResult: { SequenceType: Array<{ Id: string; Name: string }> } }];
    assert.ok(types.SequencesGetTypesResult.SequenceType.some((t) => t.Id === RECORDING_SEQUENCE && t.Name === 'RecordingSequence'));
    // A sequence ends at its last frame: right after the first frame it is a single instant, so
    // wait for the recording to grow past it (the used space above may count that one frame).
    type SequenceEntry = { TimeBegin: Date; TimeEnd: Date; TimeTrigged: Date };
    const entries = await waitFor('a recorded sequence longer than one frame', async () => {
      const [sequences] = (await command.SequencesGetAsync({
        token: vmsToken,
        deviceId: pair().cameraIds[0],
        sequenceType: RECORDING_SEQUENCE,
        minTime: new Date(Date.now() - 3_600_000).toISOString(),
        maxTime: new Date(Date.now() + 60_000).toISOString(),
        maxCount: 100,
      })) as [{ SequencesGetResult: { SequenceEntry: SequenceEntry[] } }];
      const found = sequences.SequencesGetResult.SequenceEntry;
      return found.length === 1 && (found[0]?.TimeEnd.getTime() ?? 0) > (found[0]?.TimeBegin.getTime() ?? 0) ? found : undefined;
    }, 30_000);
    assert.equal(entries.length, 1, 'one unbroken sequence');

    await assert.rejects(status.GetCurrentDeviceStatusAsync({ token: 'not-a-token', deviceIds: ids }), /Token invalid/);
    await assert.rejects(status.GetCurrentDeviceStatusAsync({ token, deviceIds: ids }), /Token invalid/, 'an IDP token is not a VMS token');
    await assert.rejects(status.GetCurrentDeviceStatusAsync({ deviceIds: ids }), /No token supplied/);
  });

  it('runs status sessions: all subscribed devices first, then changes only, waiting up to the timeout', async () => {
    const recorder = pair().recorders[1];
    assert.ok(recorder !== undefined);
    const status = await soapClient(recorder.statusServiceUrl);
    const [started] = (await status.StartStatusSessionAsync({ token: vmsToken })) as [{ StartStatusSessionResult: string }];
    const session = started.StartStatusSessionResult;
    await status.SubscribeDeviceStatusAsync({ token: vmsToken, statusSessionId: session, deviceIds: { guid: pair().cameraIds } });
    const [first] = (await status.GetStatusAsync({ token: vmsToken, statusSessionId: session, millisecondsTimeout: 1000 })) as [{ GetStatusResult: { CameraDeviceStatusArray: { CameraDeviceStatus: Array<{ IsChange: boolean }> } } }];
    assert.equal(first.GetStatusResult.CameraDeviceStatusArray.CameraDeviceStatus.length, 2);
    const [second] = (await status.GetStatusAsync({ token: vmsToken, statusSessionId: session, millisecondsTimeout: 300 })) as [{ GetStatusResult: { CameraDeviceStatusArray: null | { CameraDeviceStatus?: unknown[] } } }];
    assert.equal(second.GetStatusResult.CameraDeviceStatusArray?.CameraDeviceStatus?.length ?? 0, 0, 'no changes');
    await status.StopStatusSessionAsync({ token: vmsToken, statusSessionId: session });
    await assert.rejects(status.GetStatusAsync({ token: vmsToken, statusSessionId: session, millisecondsTimeout: 0 }), /status session not found/);
  });

  it('streams live frames and recorded sequences over the ImageServer protocol', async () => {
    const recorder = pair().recorders[0];
    const cameraId = pair().cameraIds[1];
    assert.ok(recorder !== undefined && cameraId !== undefined);
    const camera = lab.description.cameraHub.cameras.find((c) => c.id === cameraId);
    assert.ok(camera !== undefined);

    const refused = await ImageServerClient.open(recorder.imageServer.host, recorder.imageServer.port);
    refused.connectCamera(cameraId, 'bad-token');
    assert.match(await refused.nextXml(), /<connected>no<\/connected>/);
    refused.close();

    const client = await ImageServerClient.open(recorder.imageServer.host, recorder.imageServer.port);
    try {
      client.connectCamera(cameraId, vmsToken);
      assert.match(await client.nextXml(), /<connected>yes<\/connected>/);
      client.send('live', '<compressionrate>90</compressionrate>');
      let previousMs = 0;
      for (let i = 0; i < 5; i += 1) {
        const image = await client.nextImage();
        const current = Number(image.headers.current);
        assert.equal(image.headers['content-type'], 'image/jpeg');
        assert.equal(Number(image.headers['content-length']), image.image.length);
        assert.ok(current > previousMs);
        assert.ok(image.headers.next !== undefined && image.headers.prev !== undefined);
        // The live image is exactly the camera's frame for that time.
        assert.equal(sha256Hex(image.image), sha256Hex(frameBytes({ id: cameraId, name: camera.name, fps: 10, width: 640, height: 360, codec: 'JPEG', bitrateBps: 256_000 }, current)));
        previousMs = current;
      }
      client.send('stop');
      assert.match(await client.nextXml(), /<methodname>stop<\/methodname>/);

      client.send('alarms', `<centertime>${Date.now()}</centertime><timespan>3600000</timespan><numalarms>16</numalarms>`);
      const alarms = await client.nextXml();
      const alarm = /<alarm starttime="(\d+)" endtime="(\d+)" alarmtime="(\d+)"\/>/.exec(alarms);
      assert.ok(alarm !== null, alarms);
      const startMs = Number(alarm[1]);
      const endMs = Number(alarm[2]);
      assert.ok(endMs > startMs);

      const target = startMs + 250;
      client.send('goto', `<time>${target}</time><compressionrate>90</compressionrate><keyframesonly>no</keyframesonly>`);
      const recorded = await client.nextImage();
      assert.equal(Number(recorded.headers.current), Math.floor(target / 100) * 100);
      assert.equal(Number(recorded.headers.next), Number(recorded.headers.current) + 100);
      assert.equal(Number(recorded.headers.prev), Number(recorded.headers.current) - 100);
      client.send('next');
      const following = await client.nextImage();
      assert.equal(Number(following.headers.current), Number(recorded.headers.current) + 100);
      assert.deepEqual(following.image.subarray(0, 2), Buffer.from([0xff, 0xd8]));
    } finally {
      client.close();
    }
  });

  it('stores byte-identical frames on both recorders of the pair for every camera over the period they share', async () => {
    const [a, b] = pair().recorders;
    assert.ok(a !== undefined && b !== undefined);
    // Let both record for a while, with every block of the period sealed and indexed.
    await new Promise((resolve) => setTimeout(resolve, SHARED_PERIOD_MS));
    await waitFor('blocks sealed', async () => ((await indexedFrames(a.storageDir, pair().cameraIds[0] ?? '')).size > (SHARED_PERIOD_MS / 100) ? true : undefined));
    for (const cameraId of pair().cameraIds) {
      const framesA = await indexedFrames(a.storageDir, cameraId);
      const framesB = await indexedFrames(b.storageDir, cameraId);
      const timesA = [...framesA.keys()].sort((x, y) => x - y);
      const timesB = [...framesB.keys()].sort((x, y) => x - y);
      const sharedStart = Math.max(timesA[0] ?? Infinity, timesB[0] ?? Infinity);
      const sharedEnd = Math.min(timesA[timesA.length - 1] ?? -Infinity, timesB[timesB.length - 1] ?? -Infinity);
      assert.ok(sharedEnd - sharedStart >= SHARED_PERIOD_MS, `shared period of ${sharedEnd - sharedStart} ms`);
      const inShared = (times: number[]): number[] => times.filter((t) => t >= sharedStart && t <= sharedEnd);
      const sharedA = inShared(timesA);
      assert.deepEqual(sharedA, inShared(timesB), 'both hold the same frame times');
      assert.equal(sharedA.length, (sharedEnd - sharedStart) / 100 + 1, 'no frame missing at 10 fps');
      for (const t of sharedA) assert.equal(framesA.get(t), framesB.get(t), `frame at ${t}`);
    }
  });

  it('lab status reports the running processes; lab down stops them all by pid', async () => {
    const status = JSON.parse(await runLabCli(['status', '--dir', lab.dir, '--json'])) as { running: boolean; processes: Array<{ name: string; status: string; pid: number }> };
    assert.equal(status.running, true);
    assert.deepEqual(status.processes.map((p) => p.name).sort(), ['cameras', 'control', 'event-server', 'management', 'recorder-1a', 'recorder-1b']);
    assert.ok(status.processes.every((p) => p.status === 'running'));
    const down = JSON.parse(await runLabCli(['down', '--dir', lab.dir, '--json'])) as { stopped: unknown[]; killed: unknown[] };
    assert.equal(down.stopped.length, status.processes.length);
    assert.equal(down.killed.length, 0);
    for (const pid of lab.pids()) await waitFor(`pid ${pid} gone`, () => (isRunning(pid) ? undefined : true), 10_000);
  });
});
