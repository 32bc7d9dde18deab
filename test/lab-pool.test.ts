// `twinrec lab up --pool P:S` (issue 17): a failover pool's recording servers, reached only
// through XProtect's protocols. Each protected recording server has its own recorder id and
// cameras and records them; each failover server has an id of its own and no cameras, as a free
// standby records nothing. Bad pool shapes are refused before anything starts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { labToken, labVmsToken, runLabCli, soapClient, startLab, waitFor, type RunningLab } from '../lab/testing/harness.js';

describe('lab up --pool', () => {
  let lab: RunningLab;

  before(async () => {
    lab = await startLab(['--pool', '2:1', '--cameras', '2', '--fps', '5', '--block-duration-ms', '1000']);
  });
  after(async () => {
    await lab?.stop();
  });

  it('describes two protected recording servers and one failover server, each with its own recorder id and one recorder', () => {
    const servers = lab.description.pairs;
    assert.deepEqual(
      servers.map((s) => [s.role, s.recorders.map((r) => r.name), s.cameraIds.length]),
      [
        ['protected', ['recorder-p1'], 2],
        ['protected', ['recorder-p2'], 2],
        ['failover', ['failover-1'], 0],
      ],
    );
    assert.equal(new Set(servers.map((s) => s.recorderId)).size, 3, 'three recorder ids');
    assert.equal(new Set(servers.flatMap((s) => s.cameraIds)).size, 4, 'no camera on two servers');
  });

  it("the management server lists the three; the protected servers record their cameras, the failover server has none", async () => {
    const token = await labToken(lab.description);
    const vmsToken = await labVmsToken(lab.description);
    const rest = lab.description.managementServer.restUrl;
    const get = async (path: string): Promise<Array<{ id: string }>> => {
      const res = await fetch(`${rest}${path}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200, path);
      return ((await res.json()) as { array: Array<{ id: string }> }).array;
    };
    assert.deepEqual((await get('/recordingServers')).map((rs) => rs.id).sort(), lab.description.pairs.map((s) => s.recorderId).sort());
    for (const server of lab.description.pairs) {
      const hardware = await get(`/recordingServers/${server.recorderId}/hardware`);
      assert.equal(hardware.length, server.role === 'failover' ? 0 : 2, `${server.recorders[0]?.name}'s hardware`);
      const recorder = server.recorders[0];
      assert.ok(recorder !== undefined);
      const status = await soapClient(recorder.statusServiceUrl);
      if (server.role === 'failover') continue;
      await waitFor(`${recorder.name} records its cameras`, async () => {
        const [result] = (await status.GetCurrentDeviceStatusAsync({ token: vmsToken, deviceIds: { guid: server.cameraIds } })) as [{ GetCurrentDeviceStatusResult: { CameraDeviceStatusArray: { CameraDeviceStatus: Array<{ Recording: boolean }> } } }];
        const list = result.GetCurrentDeviceStatusResult.CameraDeviceStatusArray.CameraDeviceStatus;
        return list.length === 2 && list.every((s) => s.Recording) ? list : undefined;
      });
    }
  });

  it('refuses a bad pool shape with a usage error, and pool agents without a controller', async () => {
    for (const [args, message] of [
      [['--pool', '3'], /P:S/],
      [['--pool', '0:1'], /1 to 16 protected/],
      [['--pool', '2:0'], /1 to 8 standbys/],
      [['--pool', '2:1', '--with-agents'], /needs --controller/],
    ] as const) {
      await assert.rejects(runLabCli(['up', '--dir', `${lab.description.dir}-refused`, ...args]), message, args.join(' '));
    }
  });
});
