// The controller's side of the agent API's TLS (issue 15, section 2): registration stores the
// agent certificate's fingerprint (read-only in the API, audited when it changes), and a
// relayed command carries the cluster secret only to that certificate over HTTPS, or in clear
// only to loopback. The agents are small real servers on this host; a refused command must not
// reach them at all.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { CommandResult } from '../contracts/agent-api-v1.js';
import { AuditEntryEntity } from '../api/src/db/entities/index.js';
import { createSelfSignedCertificate, type CertificatePair } from '../shared/tls/certificate.js';
import { enrollCluster, nodeStatus, postAsAgent, registerAgent, registration, secretFor } from './helpers/agent-reports.js';
import { onEachBackend } from './helpers/controller.js';

const problemType = (slug: string): string => `urn:twinrec:problem:${slug}`;

/** An agent's POST /api/v1/commands: accepts every switch, and keeps what reached it. */
interface FakeAgent {
  readonly port: number;
  readonly received: { authorization: string | undefined }[];
  close(): Promise<void>;
}

async function startAgent(tls: CertificatePair | null): Promise<FakeAgent> {
  const received: FakeAgent['received'] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    received.push({ authorization: req.headers.authorization });
    req.resume().on('end', () => {
      const result: CommandResult = { command: 'switch', result: 'switching', state: 'PRIM', epoch: 4, handover: { to: 'B', expectedEpoch: 5 } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    });
  };
  const server: Server = tls === null ? createHttpServer(handler) : createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

onEachBackend('agent API TLS at the controller', (suite) => {
  let certificate: CertificatePair;
  let impostor: CertificatePair;
  let https: FakeAgent;
  let plain: FakeAgent;
  before(async () => {
    [certificate, impostor] = await Promise.all([createSelfSignedCertificate({ commonName: 'agent', altNames: ['127.0.0.1'] }), createSelfSignedCertificate({ commonName: 'other', altNames: ['127.0.0.1'] })]);
    [https, plain] = await Promise.all([startAgent(certificate), startAgent(null)]);
  });
  after(async () => {
    await Promise.all([https?.close(), plain?.close()]);
  });

  /** Enrolls `cluster`, registers its two nodes (A at `agentUrl`, pinned to `fingerprint`) and has A report serving. */
  async function servingPair(cluster: string, agentUrl: string, fingerprint: string | null): Promise<{ clusterId: string; nodeId: string; secret: string; register: (fingerprint: string | null) => Promise<void> }> {
    const secret = secretFor(cluster);
    const controller = suite.controller;
    await enrollCluster(controller, cluster, secret);
    const registerA = async (pin: string | null) => {
      const request = registration(cluster, 'A', 'B', 0, { agentUrl });
      return registerAgent(controller, secret, { ...request, node: { ...request.node, ...(pin === null ? {} : { agentCertificateFingerprint: pin }) } });
    };
    const register = async (pin: string | null): Promise<void> => void (await registerA(pin));
    const a = await registerA(fingerprint);
    const b = await registerAgent(controller, secret, registration(cluster, 'B', 'A', 1));
    for (const [node, id, state] of [['A', a.nodeId, 'PRIM'], ['B', b.nodeId, 'SECOND']] as const) {
      const answer = await postAsAgent(controller, secret, 'report', { clusterId: a.clusterId, nodeId: id, status: nodeStatus(cluster, node, node === 'A' ? 'B' : 'A', { state }), events: [], witnessWindowMs: 5_000 });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
    }
    return { clusterId: a.clusterId, nodeId: a.nodeId, secret, register };
  }

  test('registration stores the fingerprint, read-only in the API; commands go to that certificate only', async () => {
    const api = suite.api();
    const agentUrl = `https://127.0.0.1:${https.port}`;
    const pair = await servingPair('Tls-1', agentUrl, certificate.fingerprint256);
    const node = (await api.get(`/api/v1/clusters/${pair.clusterId}/nodes/${pair.nodeId}`).expect(200)).body as { agentUrl: string; agentCertificateFingerprint: string | null; version: number };
    assert.equal(node.agentUrl, agentUrl);
    assert.equal(node.agentCertificateFingerprint, certificate.fingerprint256);
    const patched = await api.patch(`/api/v1/clusters/${pair.clusterId}/nodes/${pair.nodeId}`).send({ agentCertificateFingerprint: impostor.fingerprint256 }).expect(400);
    assert.equal(patched.body.type, problemType('validation-failed'));

    const before = https.received.length;
    await api.post(`/api/v1/clusters/${pair.clusterId}/switch`).send({}).expect(202);
    assert.equal(https.received.length, before + 1);
    assert.equal(https.received.at(-1)?.authorization, `Bearer ${pair.secret}`, 'the secret went to the pinned agent');
  });

  test('a new certificate at registration is taken on the secret and audited; until then the old pin holds', async () => {
    const api = suite.api();
    const pair = await servingPair('Tls-2', `https://127.0.0.1:${https.port}`, impostor.fingerprint256);
    // The agent shows `certificate`, the controller pins `impostor`: nothing is sent.
    const before = https.received.length;
    const refused = await api.post(`/api/v1/clusters/${pair.clusterId}/switch`).send({}).expect(502);
    assert.equal(refused.body.type, problemType('agent-unreachable'));
    assert.match(refused.body.detail, /another certificate than the one it registered: nothing was sent/);
    assert.equal(https.received.length, before, 'the agent never saw the request');

    await pair.register(certificate.fingerprint256);
    const audit = await suite.controller.db.dataSource.getRepository(AuditEntryEntity).findBy({ action: 'node.certificate-changed', target: `cluster/${pair.clusterId}/node/${pair.nodeId}` });
    assert.equal(audit.length, 1);
    assert.deepEqual(audit[0]?.details, { from: impostor.fingerprint256, to: certificate.fingerprint256 });
    assert.equal(audit[0]?.actor, 'agent:A');
    await api.post(`/api/v1/clusters/${pair.clusterId}/switch`).send({}).expect(202);
    assert.equal(https.received.length, before + 1);
  });

  test('no secret to an https agent without a pin, nor in clear beyond loopback', async () => {
    const api = suite.api();
    const unpinned = await servingPair('Tls-3', `https://127.0.0.1:${https.port}`, null);
    const before = https.received.length;
    const refused = await api.post(`/api/v1/clusters/${unpinned.clusterId}/switch`).send({}).expect(502);
    assert.match(refused.body.detail, /has registered no certificate fingerprint to pin/);
    assert.equal(https.received.length, before);

    // 0.0.0.0 is not loopback by name, yet reaches this host: had the secret been sent, the plain agent would show it.
    const wide = await servingPair('Tls-4', `http://0.0.0.0:${plain.port}`, null);
    const clear = await api.post(`/api/v1/clusters/${wide.clusterId}/switch`).send({}).expect(502);
    assert.match(clear.body.detail, /plain HTTP beyond loopback/);
    assert.equal(plain.received.length, 0, 'nothing was sent in clear');

    // Plain HTTP on loopback (the demo) still works.
    const demo = await servingPair('Tls-5', `http://127.0.0.1:${plain.port}`, null);
    await api.post(`/api/v1/clusters/${demo.clusterId}/switch`).send({}).expect(202);
    assert.equal(plain.received.length, 1);
  });
});
