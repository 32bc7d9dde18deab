// One contract, two VMS bridges, one lab: `native` (today's TypeScript adapters: the agent's
// IDP and VMS token sources, camera names and recorder SOAP client, the controller's generic-event
// sender, put together here: shared/ may not import agent/ or api/) and `edge` (plugin-host's
// Twinrec.Bridge, loaded in-process by edge-js on CoreCLR: shared/vms-bridge/edge-bridge.ts).
// Both must log in with a VMS token, list the same cameras, see the same device status (and the
// same camera lost after a lab fault), and deliver a generic event to the Event Server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { fetchCameraNames } from '../agent/health/camera-names.js';
import { IdpTokenSource } from '../agent/health/idp-token.js';
import { deviceIdsArgument, readDeviceStatuses, recorderStatusServiceName, resultOf, recorderStatusServicePath } from '../agent/health/recorder-probe.js';
import { createRecorderSoapClient } from '../agent/health/recorder-soap-client.js';
import { serverCommandUrlFor, VmsTokenSource } from '../agent/health/vms-token.js';
import { sendGenericEvent } from '../api/src/xprotect-events/sender.js';
import type { BridgeDeviceStatus, VmsBridge } from '../shared/vms-bridge/bridge.js';
import { loadEdgeBridge } from '../shared/vms-bridge/edge-bridge.js';
import { labFault, receivedGenericEvents, startLab, waitFor, type LabDescription, type RunningLab } from '../lab/testing/harness.js';

const repoRoot = join(import.meta.dirname, '..');
const bridgeProject = join(repoRoot, 'plugin-host/src/Twinrec.Bridge/Twinrec.Bridge.csproj');
const bridgeAssembly = join(repoRoot, 'plugin-host/src/Twinrec.Bridge/bin/Release/net10.0/Twinrec.Bridge.dll');
const requestTimeoutMs = 10_000;
/** A real VMS token's shape (xprotect-integration.md 0a): `TOKEN#<guid>#<host>//ServerConnector#`. */
const vmsTokenPattern = /^TOKEN#[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}#[^#]+\/\/ServerConnector#$/i;

interface Credentials {
  readonly tokenUrl: string;
  readonly restUrl: string;
  readonly managementServerUrl: string;
  readonly username: string;
  readonly password: string;
}

function credentialsOf(lab: LabDescription, password = lab.credentials.password): Credentials {
  return { tokenUrl: lab.managementServer.tokenUrl, restUrl: lab.managementServer.restUrl, managementServerUrl: lab.managementServer.url, username: lab.credentials.username, password };
}

const byId = <T extends { readonly deviceId: string }>(a: T, b: T): number => a.deviceId.localeCompare(b.deviceId);

function nativeBridge(c: Credentials): VmsBridge {
  const log = pino({ level: 'silent' });
  const idp = (): IdpTokenSource => new IdpTokenSource({ tokenUrl: c.tokenUrl, username: c.username, password: c.password, requestTimeoutMs, log });
  const restTokens = idp();
  const vmsTokens = new VmsTokenSource({ serverCommandUrl: serverCommandUrlFor(c.tokenUrl), idp: idp(), requestTimeoutMs, log });
  const signal = (): AbortSignal => AbortSignal.timeout(requestTimeoutMs);
  return {
    kind: 'native',
    login: () => vmsTokens.valid(signal()),
    cameras: async (recordingServerId) => {
      const found = await fetchCameraNames({ restUrl: c.restUrl, recorderId: recordingServerId, tokens: restTokens, maxCameras: 4096, timeoutMs: requestTimeoutMs }, signal());
      return found.ids.map((id) => ({ id, name: found.names.get(id)?.name ?? id }));
    },
    currentDeviceStatus: async (recorderWebServerUri, deviceIds) => {
      const serviceUrl = new URL(recorderStatusServicePath, recorderWebServerUri).toString();
      const client = await createRecorderSoapClient({ serviceUrl, serviceName: recorderStatusServiceName, soapVersion: '1.1', trust: null, answerBytesMax: 4 * 1024 * 1024 }, signal());
      const response = await client.call('GetCurrentDeviceStatus', { token: await vmsTokens.valid(signal()), deviceIds: deviceIdsArgument(deviceIds) }, signal());
      return readDeviceStatuses(resultOf(response, 'GetCurrentDeviceStatus')).sort(byId);
    },
    sendGenericEvent: async (target, text) => {
      const outcome = await sendGenericEvent({ ...target, format: 'international' }, text);
      if (!outcome.ok) throw new Error(`generic event: ${outcome.reason}: ${outcome.detail}`);
      if (outcome.statistics === null) throw new Error('generic event: accepted without statistics');
      return outcome.statistics;
    },
    close: async () => {
      await restTokens.close();
      await vmsTokens.close();
    },
  };
}

function edgeBridge(c: Credentials): VmsBridge {
  return loadEdgeBridge({ connection: { managementServerUrl: c.managementServerUrl, username: c.username, password: c.password, requestTimeoutMs }, assemblyFile: bridgeAssembly });
}

function run(command: string, args: readonly string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: repoRoot, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(' ')} failed: ${err.message}\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`));
      else resolve();
    });
  });
}

/** The contract's subset of a status: what each bridge must agree on. */
type DeviceStatus = Pick<BridgeDeviceStatus, 'deviceId' | 'enabled' | 'started' | 'recording' | 'errorNoConnection'>;
const flagsOf = (s: BridgeDeviceStatus): DeviceStatus => ({ deviceId: s.deviceId, enabled: s.enabled, started: s.started, recording: s.recording, errorNoConnection: s.errorNoConnection });

describe('VMS bridge contract: native and edge against the lab', { timeout: 600_000 }, () => {
  let lab: RunningLab;
  let bridges: VmsBridge[] = [];

  before(async () => {
    // The edge bridge as a user gets it: edge-js built here (native addon and bootstrap), Twinrec.Bridge built from source.
    await run('bash', ['plugin-host/edge/build-edge.sh'], 300_000);
    await run('dotnet', ['build', bridgeProject, '-c', 'Release', '--nologo', '-v', 'quiet'], 300_000);
    lab = await startLab(['--pairs', '1', '--cameras', '2']);
    const credentials = credentialsOf(lab.description);
    bridges = [nativeBridge(credentials), edgeBridge(credentials)];
  });

  after(async () => {
    await Promise.all(bridges.map((b) => b.close()));
    await lab?.stop();
  });

  it('logs in with a VMS token of its own', async () => {
    const tokens = await Promise.all(bridges.map((b) => b.login()));
    for (const [i, token] of tokens.entries()) assert.match(token, vmsTokenPattern, bridges[i]?.kind);
    assert.notEqual(tokens[0], tokens[1]);
  });

  it('refuses a wrong password in both bridges', async () => {
    const wrong = credentialsOf(lab.description, `wrong-${randomUUID()}`);
    for (const bridge of [nativeBridge(wrong), edgeBridge(wrong)]) {
      await assert.rejects(bridge.login(), /invalid_grant|HTTP 40\d/, bridge.kind);
      await bridge.close();
    }
  });

  it("lists each recording server's cameras, the same in both", async () => {
    const pair = lab.description.pairs[0];
    assert.ok(pair !== undefined);
    const expected = [...pair.cameraIds].map((id) => id.toLowerCase()).sort();
    const lists = await Promise.all(bridges.map((b) => b.cameras(pair.recorderId)));
    for (const [i, list] of lists.entries()) assert.deepEqual(list.map((c) => c.id), expected, bridges[i]?.kind);
    assert.deepEqual(lists[0], lists[1]);
    const hubNames = new Map(lab.description.cameraHub.cameras.map((c) => [c.id.toLowerCase(), c.name]));
    for (const camera of lists[1] ?? []) assert.equal(camera.name, hubNames.get(camera.id));
  });

  it('reads the same device status, and both see a camera the lab disconnects', async () => {
    const pair = lab.description.pairs[0];
    const recorder = pair?.recorders[0];
    assert.ok(pair !== undefined && recorder !== undefined);
    const ids = [...pair.cameraIds].map((id) => id.toLowerCase()).sort();
    const statusOfBoth = async (): Promise<DeviceStatus[][]> => (await Promise.all(bridges.map((b) => b.currentDeviceStatus(recorder.webServerUri, ids)))).map((list) => list.map(flagsOf));
    // Both recording every camera (the recorder starts them a moment after it is up).
    const healthy = await waitFor('every camera recording in both bridges', async () => {
      const both = await statusOfBoth();
      return both.every((list) => list.length === ids.length && list.every((s) => s.recording && !s.errorNoConnection)) ? both : undefined;
    });
    assert.deepEqual(healthy[0], healthy[1]);
    assert.deepEqual(healthy[0]?.map((s) => s.deviceId), ids);

    const lost = ids[0] as string;
    await labFault(lab.description, `/lab/recorders/${recorder.name}/cameras/${lost}`, { action: 'disconnect' });
    const faulted = await waitFor('the disconnected camera in both bridges', async () => {
      const both = await statusOfBoth();
      return both.every((list) => list.find((s) => s.deviceId === lost)?.errorNoConnection === true) ? both : undefined;
    });
    for (const list of faulted) assert.equal(list.find((s) => s.deviceId === ids[1])?.errorNoConnection, false);
  });

  it('delivers a generic event to the Event Server from both', async () => {
    const eventServer = lab.description.eventServer;
    assert.ok(eventServer !== undefined, 'the lab has an Event Server stand-in');
    const target = { host: eventServer.host, port: eventServer.internationalPort, readTimeoutMs: 5_000 };
    const texts = new Map(bridges.map((b) => [b.kind, `twinrec contract ${b.kind} ${randomUUID()}`]));
    for (const bridge of bridges) {
      // The lab defines the generic event twinrec=twinrec: the text matches it.
      assert.equal((await bridge.sendGenericEvent(target, texts.get(bridge.kind) ?? '')).matches, 1, bridge.kind);
    }
    const received = (await receivedGenericEvents(eventServer)).map((e) => e.text);
    for (const text of texts.values()) assert.ok(received.includes(text), `${text} in ${JSON.stringify(received)}`);
  });
});
