// The controller with `vms.bridge: edge`: its generic events go to the lab's Event Server
// through Twinrec.Bridge (edge-js, CoreCLR). A test send arrives as sent; a data source set to
// Compatible, which the bridge cannot speak, is refused with the reason rather than sent another
// way (the mark that the bridge, not sender.ts, sends: sender.ts speaks Compatible); and a bridge
// that cannot load stops the start, naming what is missing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { receivedGenericEvents, type EventServerEndpoints } from '../lab/testing/harness.js';
import { startHaLab, type HaLab } from './helpers/ha-lab.js';
import { repoRoot, runTwinrecToEnd } from './helpers/process.js';

function run(command: string, args: readonly string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: repoRoot, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(' ')} failed: ${err.message}\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`));
      else resolve();
    });
  });
}

describe('controller with vms.bridge edge (lab, real processes)', { timeout: 900_000 }, () => {
  let ha: HaLab;
  let eventServer: EventServerEndpoints;

  before(async () => {
    await run('bash', ['plugin-host/edge/build-edge.sh'], 300_000);
    await run('dotnet', ['build', 'plugin-host/src/Twinrec.Bridge/Twinrec.Bridge.csproj', '-c', 'Release', '--nologo', '-v', 'quiet'], 300_000);
    ha = await startHaLab({ cameras: 1, fps: 5, controllerEnv: { TWINREC_VMS_BRIDGE: 'edge' } });
    assert.ok(ha.eventServer !== null, 'the lab has an Event Server stand-in');
    eventServer = ha.eventServer;
  });

  after(async () => {
    await ha?.close();
  });

  const api = (path: string, init: RequestInit = {}): Promise<Response> =>
    ha.controllerFetch(`/api/v1${path}`, { ...init, headers: { ...ha.controller?.authHeader, 'content-type': 'application/json' }, signal: AbortSignal.timeout(30_000) });

  const configure = async (format: 'international' | 'compatible', port: number): Promise<void> => {
    const current = (await (await api('/xprotect/generic-events')).json()) as { kinds: unknown };
    const put = await api('/xprotect/generic-events', { method: 'PUT', body: JSON.stringify({ enabled: true, eventServer: { host: eventServer.host, port, format, readTimeoutMs: 2_000 }, kinds: current.kinds }) });
    assert.equal(put.status, 200, await put.clone().text());
  };

  test('a test event goes out through the bridge and arrives at the Event Server', async () => {
    await configure('international', eventServer.internationalPort);
    const tested = await api('/xprotect/generic-events/test', { method: 'POST', body: JSON.stringify({ kind: 'failover' }) });
    assert.equal(tested.status, 200, await tested.clone().text());
    const result = (await tested.json()) as { message: string; statistics: { matches: number; characters: number } | null };
    assert.ok((result.statistics?.matches ?? 0) >= 1, 'the stand-in\'s generic event "twinrec" matched the test message');
    assert.ok((result.statistics?.characters ?? 0) > 0);
    const arrived = await receivedGenericEvents(eventServer);
    assert.ok(arrived.some((e) => e.text === result.message && e.dataSource === 'International'), 'the test event arrived as sent');
  });

  test('a Compatible data source is refused with the reason, not sent another way', async () => {
    const before = (await receivedGenericEvents(eventServer)).length;
    await configure('compatible', eventServer.compatiblePort);
    const tested = await api('/xprotect/generic-events/test', { method: 'POST', body: JSON.stringify({ kind: 'failover' }) });
    assert.equal(tested.status, 502, await tested.clone().text());
    const problem = (await tested.json()) as { type: string; detail: string; reason: string };
    assert.equal(problem.type, 'urn:twinrec:problem:generic-event-not-delivered');
    assert.match(problem.detail, /vms\.bridge edge.*International format only/);
    assert.equal((await receivedGenericEvents(eventServer)).length, before, 'nothing reached the Event Server');
  });

  test('a bridge that cannot load stops the start, naming the missing dll', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinrec-edge-missing-'));
    try {
      const missing = join(dir, 'Twinrec.Bridge.dll');
      const runResult = await runTwinrecToEnd(['serve', '--port', '0', '--data-dir', join(dir, 'data')], { env: { TWINREC_VMS_BRIDGE: 'edge', TWINREC_VMS_BRIDGE_ASSEMBLY: missing, TWINREC_AUTH_ADMIN_PASSWORD: 'edge-missing-pw' } });
      assert.notEqual(runResult.code, 0);
      assert.ok(runResult.stderr.includes(`the bridge ${missing} is missing`), runResult.stderr.slice(-2000));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
