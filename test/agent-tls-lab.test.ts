// Issue 15, section 2, end to end on loopback: a lab pair whose agents' APIs and relay control
// API speak TLS (`lab up --agent-tls`), registered with a real controller. A packet capture of
// every byte on the agent and relay ports, while the controller relays a Switch and each agent
// pulls its peer's recordings for backfill, must not contain the cluster secret; each of those
// links refuses a client that pins another certificate.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startLab, waitFor, type RunningLab } from '../lab/testing/harness.js';
import { createSelfSignedCertificate, fingerprintOf } from '../shared/tls/certificate.js';
import { pinnedFetch } from '../shared/tls/pinned-fetch.js';
import { startTestController, type TestController } from './helpers/controller.js';
import { captureTcpOnLoopback, type CapturedSegment } from './helpers/tcp-capture.js';

interface LabPair {
  cluster: { name: string; secretFile: string; relay: { controlUrl: string; fingerprint?: string | null } };
  recorders: Array<{ name: string; agent: { apiUrl: string; logPath: string; fingerprint?: string | null } }>;
}

interface ClusterState {
  servingNodeId: string | null;
  nodes: Array<{ nodeId: string; name: string; reachable: boolean; haStatus: string }>;
}

const portOf = (url: string): number => Number(new URL(url).port);
/** Starts with a TLS record header: handshake (22) or application data (23), version 3.x. */
const isTlsRecord = (segment: CapturedSegment): boolean => (segment.payload[0] === 0x16 || segment.payload[0] === 0x17) && segment.payload[1] === 0x03;

describe('agent links over TLS (real processes, loopback capture)', { timeout: 420_000 }, () => {
  let controller: TestController;
  let lab: RunningLab;
  let pair: LabPair;
  let secret: string;
  let clusterId: string;

  before(async () => {
    controller = await startTestController({ flags: { 'agents.trustOnFirstUse': true } });
    try {
      lab = await startLab(['--pairs', '1', '--cameras', '2', '--fps', '10', '--block-duration-ms', '2000', '--with-agents', '--agent-tls', '--agent-profile', 'fast', '--controller', controller.url]);
    } catch (err) {
      await controller.close();
      throw err;
    }
    pair = (lab.description.pairs as unknown as LabPair[])[0] as LabPair;
    secret = readFileSync(pair.cluster.secretFile, 'utf8').trim();
  });
  after(async () => {
    await lab?.stop();
    await controller?.close();
  });

  const api = async <T>(method: string, path: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${controller.url}${path}`, { method, headers: { ...controller.authHeader, 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}), signal: AbortSignal.timeout(15_000) });
    return { status: res.status, body: (await res.json()) as T };
  };
  const state = async (): Promise<ClusterState> => (await api<ClusterState>('GET', `/api/v1/clusters/${clusterId}/state`)).body;

  test('the capture sees plain HTTP bytes (it would show a secret sent in clear)', async () => {
    const server = createServer((req, res) => req.resume().on('end', () => res.end('ok')));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const capture = await captureTcpOnLoopback([port]);
    try {
      await (await fetch(`http://127.0.0.1:${port}/`, { headers: { authorization: 'Bearer canary-0123456789abcdef' } })).text();
    } finally {
      server.close();
    }
    const segments = await capture.stop();
    assert.ok(segments.some((s) => s.payload.includes('Bearer canary-0123456789abcdef')), 'a Bearer token sent in clear shows in the capture');
  });

  test('registration pins each agent; a Switch and backfill cross the links without the secret in clear', async () => {
    // Both agents registered over https with their certificates' fingerprints, and one serves.
    const found = await waitFor('the pair to register and one node to serve', async () => {
      const list = await api<{ items: Array<{ id: string; name: string; nodes: Array<{ name: string; agentUrl: string | null; agentCertificateFingerprint: string | null }> }> }>('GET', '/api/v1/clusters');
      const cluster = list.body.items.find((c) => c.name === pair.cluster.name);
      if (cluster === undefined || cluster.nodes.length !== 2) return undefined;
      clusterId = cluster.id;
      const now = await state();
      return now.servingNodeId !== null && now.nodes.every((n) => n.reachable) ? cluster : undefined;
    }, 120_000, 500);
    for (const recorder of pair.recorders) {
      const node = found.nodes.find((n) => n.name === recorder.name);
      const certificate = readFileSync(join(lab.dir, 'agents', recorder.name, 'state', 'tls', 'agent-api.crt'), 'utf8');
      assert.equal(node?.agentUrl, recorder.agent.apiUrl);
      assert.match(recorder.agent.apiUrl, /^https:\/\//);
      assert.equal(node?.agentCertificateFingerprint, fingerprintOf(certificate), `${recorder.name} registered its certificate`);
      assert.equal(recorder.agent.fingerprint, fingerprintOf(certificate), "the agent's listening line names it too");
    }
    assert.match(pair.cluster.relay.controlUrl, /^https:\/\//);

    const ports = [...pair.recorders.map((r) => portOf(r.agent.apiUrl)), portOf(pair.cluster.relay.controlUrl)];
    const capture = await captureTcpOnLoopback(ports);
    const capturedFromMs = Date.now();
    let segments: CapturedSegment[] = [];
    try {
      const before = await state();
      const switched = await api<{ to: string }>('POST', `/api/v1/clusters/${clusterId}/switch`);
      assert.equal(switched.status, 202, JSON.stringify(switched.body));
      const after = await waitFor('the other node to serve', async () => {
        const now = await state();
        return now.servingNodeId !== null && now.servingNodeId !== before.servingNodeId ? now : undefined;
      }, 60_000, 250);
      // The new standby's recorder crashes: its agent restarts it behind placeholders and pulls the blocks it missed from the peer.
      const standby = after.nodes.find((n) => n.nodeId !== after.servingNodeId)?.name;
      assert.ok(standby !== undefined);
      const crash = await fetch(`${lab.description.control.url}/lab/processes/${standby}/crash`, { method: 'POST', signal: AbortSignal.timeout(60_000) });
      assert.equal(crash.status, 200, await crash.text());
      let last: unknown = null;
      await waitFor(`${standby} to pull the blocks it missed from its peer`, async () => {
        const backfill = await api<{ nodes: Array<{ name: string; backfill: { blocksDone: number; state: string } | null }> }>('GET', `/api/v1/clusters/${clusterId}/backfill`);
        const mine = backfill.body.nodes.find((n) => n.name === standby)?.backfill;
        last = mine;
        return mine !== undefined && mine !== null && mine.blocksDone > 0 && mine.state === 'done' ? mine : undefined;
      }, 120_000, 500).catch((err: unknown) => {
        throw new Error(`${(err as Error).message}; last: ${JSON.stringify(last)}`);
      });
      // Each agent audits its peer's recordings through the peer's backfill API every few seconds.
      await waitFor('both agents to audit their peer after the capture started', async () => {
        const backfill = await api<{ nodes: Array<{ backfill: { auditedAt: string | null } | null }> }>('GET', `/api/v1/clusters/${clusterId}/backfill`);
        const audits = backfill.body.nodes.map((n) => Date.parse(n.backfill?.auditedAt ?? '') || 0);
        return audits.length === 2 && audits.every((at) => at > capturedFromMs) ? audits : undefined;
      }, 60_000, 500);
    } finally {
      segments = await capture.stop();
    }

    assert.ok(!segments.some((s) => s.payload.includes(secret)), 'the cluster secret never crossed loopback in clear');
    assert.ok(!segments.some((s) => /^(GET|POST|PUT|HTTP\/1)/.test(s.payload.subarray(0, 8).toString('latin1'))), 'no plain HTTP on these links');
    for (const port of ports) {
      assert.ok(segments.some((s) => s.destinationPort === port && isTlsRecord(s)), `TLS records to port ${port}`);
    }
    const bytes = segments.reduce((sum, s) => sum + s.payload.length, 0);
    assert.ok(bytes > 10_000, `commands, claims and audits crossed (${bytes} bytes captured)`);
  });

  test('config sync reached the peer over its pinned certificate', async () => {
    // recorder-1a is the config sync source: its push goes to recorder-1b's API, pinned from 1b's heartbeats.
    const source = pair.recorders[0];
    assert.ok(source !== undefined);
    await waitFor('a config sync push delivered', async () => (readFileSync(source.agent.logPath, 'utf8').includes('"event":"config-sync.pushed"') ? true : undefined), 60_000, 500);
    assert.ok(!readFileSync(source.agent.logPath, 'utf8').includes(secret), 'the secret is not in the log');
  });

  test('each link refuses a client that pins another certificate, before sending anything', async () => {
    const impostor = await createSelfSignedCertificate({ commonName: 'impostor', altNames: ['127.0.0.1'] });
    const auth = { authorization: `Bearer ${secret}` };
    for (const url of [...pair.recorders.map((r) => `${r.agent.apiUrl}/api/v1/state`), `${pair.cluster.relay.controlUrl}/state`]) {
      await assert.rejects(pinnedFetch(url, impostor.fingerprint256, { headers: auth, signal: AbortSignal.timeout(10_000) }), (err: Error) => (err.cause as { code?: string } | undefined)?.code === 'CERT_PIN_MISMATCH', url);
    }
    const relayPin = fingerprintOf(readFileSync(join(lab.dir, 'agents', 'pair-1', 'relay-control.crt'), 'utf8'));
    assert.equal(pair.cluster.relay.fingerprint, relayPin, "the relay's listening line (and the lab's description) names its certificate");
    const relay = await pinnedFetch(`${pair.cluster.relay.controlUrl}/state`, relayPin, { headers: auth, signal: AbortSignal.timeout(10_000) });
    assert.equal(relay.status, 200, 'the relay answers a client pinning its certificate');
  });
});
