// What the pool tests ask of real processes, written once: a pool agent's local API (Bearer
// cluster secret), a relay's state, a lab recorder's status and recording cameras (SOAP, as the
// agent's probe asks), and a live frame through a shared address (ImageServer through the relay).
import assert from 'node:assert/strict';
import pino from 'pino';
import { soapRecorderProbe } from '../../agent/health/recorder-probe.js';
import { ImageServerClient, labVmsToken, type LabDescription } from '../../lab/testing/harness.js';

const silent = pino({ level: 'silent' });

export interface AgentAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** A request to a pool agent's local API; `token` null sends none. */
export async function agentCall(apiUrl: string, token: string | null, method: 'GET' | 'POST', path: string, body?: unknown): Promise<AgentAnswer> {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export interface RelayState {
  readonly epoch: number;
  readonly target: { readonly nodeId: string; readonly port: number } | null;
}

/** The relay's state: the epoch it holds and where it forwards. */
export async function relayStateOf(controlUrl: string, secret: string): Promise<RelayState> {
  const res = await fetch(`${controlUrl}/state`, { headers: { authorization: `Bearer ${secret}` }, signal: AbortSignal.timeout(5_000) });
  assert.equal(res.status, 200, 'relay state');
  return (await res.json()) as RelayState;
}

/** A lab process's status as the lab's control API reports it. */
export async function labStatusOf(lab: LabDescription, name: string): Promise<string | undefined> {
  const res = await fetch(`${lab.control.url}/lab`, { signal: AbortSignal.timeout(5_000) });
  const description = (await res.json()) as { pairs: Array<{ recorders: Array<{ name: string; status: string }> }> };
  return description.pairs.flatMap((p) => p.recorders).find((r) => r.name === name)?.status;
}

/** Which cameras the recorder at `webServerUri` records, asked over its SOAP status service as the agent asks. */
export async function recordingCameras(lab: LabDescription, webServerUri: string, cameraIds: readonly string[]): Promise<string[]> {
  const { credentials, managementServer } = lab;
  const probe = soapRecorderProbe({ webServerUrl: webServerUri, tokenUrl: managementServer.tokenUrl, username: credentials.username, password: credentials.password, timeoutMs: 5_000, cameraIds: () => cameraIds, log: silent });
  try {
    const health = await probe.probe();
    return health.reachable ? health.cameras.filter((c) => c.recording).map((c) => c.deviceId).sort() : [];
  } finally {
    await probe.close();
  }
}

/** A live frame of `cameraId` through the shared address at 127.0.0.1:`port` (a relay): its time. */
export async function liveThroughSharedAddress(lab: LabDescription, port: number, cameraId: string): Promise<number> {
  const client = await ImageServerClient.open('127.0.0.1', port, 5_000);
  try {
    client.connectCamera(cameraId, await labVmsToken(lab));
    assert.match(await client.nextXml(5_000), /<connected>yes<\/connected>/);
    client.send('live', '<compressionrate>90</compressionrate>');
    return Number((await client.nextImage(5_000)).headers['current']);
  } finally {
    client.close();
  }
}
