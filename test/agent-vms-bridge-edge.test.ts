// An agent with `vms.bridge: edge` against the lab: its recorder health probe gets the cameras'
// device status and its camera list through Twinrec.Bridge (edge-js, CoreCLR), its storages from
// the recorder's own SOAP service. It must report its node healthy with every camera recording,
// see a camera the lab disconnects, and carry no statistics (which the bridge does not read):
// the mark that the status came through the bridge and not through the native probe.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadAgentConfig } from '../agent/config/agent-config.js';
import { labFault, startLab, waitFor, type AgentEndpoints, type RecorderEndpoints, type RunningLab } from '../lab/testing/harness.js';

const repoRoot = join(import.meta.dirname, '..');

interface CameraState {
  readonly deviceId: string;
  readonly recording: boolean;
  readonly errorNoConnection: boolean;
  readonly fps: number | null;
  readonly name?: string | null;
}

interface AgentState {
  readonly serving: boolean;
  readonly healthy: boolean;
  readonly health: { readonly camerasTotal: number; readonly camerasRecording: number };
  readonly cameras: readonly CameraState[];
  readonly storages: readonly { readonly path: string; readonly available: boolean }[];
}

function run(command: string, args: readonly string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: repoRoot, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(' ')} failed: ${err.message}\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`));
      else resolve();
    });
  });
}

describe('agent with vms.bridge edge against the lab', { timeout: 600_000 }, () => {
  let lab: RunningLab;
  let secret: string;
  let recorder: RecorderEndpoints;
  let agent: AgentEndpoints;
  let cameraIds: string[];

  const state = async (): Promise<AgentState> => {
    const res = await fetch(`${agent.apiUrl}/api/v1/state`, { headers: { authorization: `Bearer ${secret}` }, signal: AbortSignal.timeout(5_000) });
    assert.equal(res.status, 200);
    return (await res.json()) as AgentState;
  };

  before(async () => {
    // The edge bridge as a user gets it: edge-js built here, Twinrec.Bridge built from source.
    await run('bash', ['plugin-host/edge/build-edge.sh'], 300_000);
    await run('dotnet', ['build', 'plugin-host/src/Twinrec.Bridge/Twinrec.Bridge.csproj', '-c', 'Release', '--nologo', '-v', 'quiet'], 300_000);
    lab = await startLab(['--pairs', '1', '--cameras', '2', '--fps', '5', '--with-agents', '--agent-vms-bridge', 'edge']);
    const pair = lab.description.pairs[0];
    assert.ok(pair?.cluster !== undefined);
    secret = readFileSync(pair.cluster.secretFile, 'utf8').trim();
    recorder = pair.recorders[0] as RecorderEndpoints;
    assert.ok(recorder.agent !== undefined);
    agent = recorder.agent;
    cameraIds = [...pair.cameraIds].map((id) => id.toLowerCase()).sort();
  });

  after(async () => {
    await lab?.stop();
  });

  it('writes vms.bridge edge into agent.json, and the agent starts with it', () => {
    assert.deepEqual(loadAgentConfig(agent.configPath).vms, { bridge: 'edge' });
    assert.equal(agent.status, 'running');
  });

  it('reports its node healthy with its cameras recording, their status through the bridge', async () => {
    const healthy = await waitFor(
      'the agent healthy with every camera recording',
      async () => {
        const s = await state();
        const ids = s.cameras.map((c) => c.deviceId.toLowerCase()).sort();
        return s.healthy && s.health.camerasRecording === cameraIds.length && JSON.stringify(ids) === JSON.stringify(cameraIds) ? s : undefined;
      },
      120_000,
      500,
    );
    assert.equal(healthy.health.camerasTotal, cameraIds.length);
    for (const camera of healthy.cameras) {
      assert.equal(camera.recording, true, camera.deviceId);
      assert.equal(camera.errorNoConnection, false, camera.deviceId);
      // Twinrec.Bridge reads no GetVideoDeviceStatistics: the native probe would have the lab's 5 fps here.
      assert.equal(camera.fps, null, camera.deviceId);
    }
    // The storages still come from the recorder's own SOAP service.
    assert.ok(healthy.storages.some((storage) => storage.available && storage.path === recorder.storageDir), JSON.stringify(healthy.storages));
    assert.match(readFileSync(agent.logPath ?? '', 'utf8'), /device status and camera list through the edge bridge/);
  });

  it('sees a camera the lab disconnects, through the bridge', async () => {
    const lost = cameraIds[0] as string;
    await labFault(lab.description, `/lab/recorders/${recorder.name}/cameras/${lost}`, { action: 'disconnect' });
    const faulted = await waitFor('the disconnected camera in the agent\'s status', async () => {
      const s = await state();
      return s.cameras.find((c) => c.deviceId.toLowerCase() === lost)?.errorNoConnection === true ? s : undefined;
    });
    assert.equal(faulted.cameras.find((c) => c.deviceId.toLowerCase() === cameraIds[1])?.errorNoConnection, false);
  });
});
