// The encrypted mode end to end (real processes, loopback): the controller over HTTPS with its
// generated certificate, the agents' and the relay's APIs over TLS, the recorders' web servers
// HTTPS only, each link pinning the other side's certificate. Failover works as in plain mode
// (test/failover.test.ts), live view through the shared address runs over TLS, the controller's
// Switch reaches the agents, and a client that does not trust the controller is refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../lab/testing/harness.js';
import { createSelfSignedCertificate } from '../shared/tls/certificate.js';
import { CertificatePinMismatchError, pinnedFetch } from '../shared/tls/pinned-fetch.js';
import { LiveViewer, startHaLab, type HaLab } from './helpers/ha-lab.js';
import { captureTcpOnLoopback } from './helpers/tcp-capture.js';

describe('encrypted mode: failover of a cloned pair over TLS (lab, real processes)', { timeout: 900_000 }, () => {
  let ha: HaLab;
  let viewer: LiveViewer;

  before(async () => {
    ha = await startHaLab({ cameras: 1, fps: 10, encrypted: true });
    await ha.steady(120_000);
    viewer = new LiveViewer(ha.description, ha.sharedAddress, ha.cameraIds[0] as string);
    await waitFor('live frames over TLS through the shared address', () => (viewer.frames > 5 ? true : undefined), 60_000);
  });

  after(async () => {
    await viewer?.stop();
    await ha?.close();
  });

  test('every link is encrypted: the controller, the agents, the relay and the recorders', async () => {
    const controller = ha.controller;
    assert.ok(controller !== null);
    assert.match(controller.url, /^https:/);
    assert.match(ha.relayControlUrl, /^https:/);
    for (const agent of ha.agents) assert.match(agent.apiUrl, /^https:/);
    for (const recorder of ha.description.pairs[0]?.recorders ?? []) {
      assert.match(recorder.webServerUri, /^https:/);
      assert.equal(recorder.imageServer.tls, true);
    }
    // The controller knows the agents by their https URLs, having heard them over HTTPS.
    const clusters = (await (await ha.controllerFetch('/api/v1/clusters', { headers: controller.authHeader })).json()) as { items: Array<{ nodes: Array<{ agentUrl: string | null }> }> };
    const nodes = clusters.items.flatMap((c) => c.nodes);
    assert.equal(nodes.length, 2);
    for (const node of nodes) assert.match(node.agentUrl ?? '', /^https:/);
  });

  test('a client that does not trust the controller is refused: plain fetch fails, a wrong pin never sends', async () => {
    const controller = ha.controller;
    assert.ok(controller !== null);
    await assert.rejects(fetch(`${controller.url}/api/v1/clusters`, { headers: controller.authHeader }));
    const other = await createSelfSignedCertificate({ commonName: 'not the controller', altNames: ['127.0.0.1'] });
    await assert.rejects(pinnedFetch(`${controller.url}/api/v1/clusters`, other.fingerprint256, { headers: controller.authHeader }), (err: unknown) => {
      let e: unknown = err;
      while (e instanceof Error && !(e instanceof CertificatePinMismatchError)) e = e.cause;
      return e instanceof CertificatePinMismatchError && e.presented === controller.fingerprint256;
    });
  });

  test('a packet capture of the controller link and the recorders\' web servers shows no secret, no token and no SOAP in clear', async () => {
    const controllerPort = Number(new URL(ha.controller?.url ?? '').port);
    const recorderPorts = (ha.description.pairs[0]?.recorders ?? []).map((r) => Number(new URL(r.webServerUri).port));
    const capture = await captureTcpOnLoopback([controllerPort, ...recorderPorts]);
    // Reports every second or so, probes several times a second: a few seconds hold many of each.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const segments = await capture.stop();
    const toController = segments.filter((s) => s.destinationPort === controllerPort);
    const toRecorders = segments.filter((s) => recorderPorts.includes(s.destinationPort));
    assert.ok(toController.reduce((n, s) => n + s.payload.length, 0) > 1_000, 'the agents reported while captured');
    assert.ok(toRecorders.length > 0, 'the probes and the live view reached the recorders while captured');
    for (const segment of segments) {
      assert.ok(!segment.payload.includes(ha.secret), 'no cluster secret in clear');
      for (const clear of ['Bearer ', 'Envelope', 'HTTP/1.1', '<methodcall>']) assert.ok(!segment.payload.includes(clear), `no ${clear.trim()} in clear`);
    }
  });

  test("the controller's Switch reaches the agents over pinned TLS and moves Serving", async () => {
    const start = await ha.steady();
    const clusters = (await (await ha.controllerFetch('/api/v1/clusters', { headers: ha.controller?.authHeader ?? {} })).json()) as { items: Array<{ id: string }> };
    const id = clusters.items[0]?.id ?? '';
    const res = await ha.controllerFetch(`/api/v1/clusters/${id}/switch`, { method: 'POST', headers: { ...ha.controller?.authHeader, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'encrypted mode test' }) });
    assert.equal(res.status, 202, await res.text());
    await waitFor(`${start.standby} to serve after the Switch`, async () => ((await ha.agentState(start.standby)).serving ? true : undefined), 60_000);
    const end = await ha.steady(120_000);
    assert.equal(end.serving, start.standby);
  });

  test('kill -9 of the serving recorder moves Serving to the peer, and live view over TLS resumes', async () => {
    const start = await ha.steady();
    const t0 = Date.now();
    await ha.labAction(start.serving, 'crash');
    await waitFor(`${start.standby} to serve`, async () => ((await ha.agentState(start.standby)).serving ? true : undefined), 60_000);
    await waitFor(`the relay to point at ${start.standby}`, async () => ((await ha.relayTarget()) === start.standby ? true : undefined), 30_000);
    await waitFor('live frames over TLS after the fault', () => (viewer.framesSince(t0) > 5 ? true : undefined), 60_000);
    const end = await ha.steady(120_000);
    assert.equal(end.serving, start.standby);
    assert.ok(end.epoch > start.epoch, `epoch grew (${start.epoch} → ${end.epoch})`);
  });
});
