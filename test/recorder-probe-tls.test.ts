// The lab's encrypted mode (`lab up --encrypted`) and the agent's recorder probe against it: each
// recorder's web server speaks only HTTPS (ImageServer only TLS) with its own certificate; the
// probe works when it trusts that certificate (its fingerprint, or it as a CA file) and refuses
// a recorder showing another one. In test/ because agent/ never imports lab/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { soapRecorderProbe } from '../agent/health/recorder-probe.js';
import type { RecorderHealth, RecorderProbe } from '../agent/shell/ports.js';
import { serverTrustOf, type ServerTrust } from '../shared/tls/server-trust.js';
import { ImageServerClient, labVmsToken, startLab, waitFor, type RecorderEndpoints, type RunningLab } from '../lab/testing/harness.js';

const log = pino({ level: 'silent' });

describe('recorders in encrypted mode, and the recorder probe over HTTPS', { timeout: 300_000 }, () => {
  let lab: RunningLab;
  const probes: RecorderProbe[] = [];
  const recorder = (name: string): RecorderEndpoints => {
    const found = lab.description.pairs[0]?.recorders.find((r) => r.name === name);
    assert.ok(found !== undefined, name);
    return found;
  };
  const probeOf = (webServerUrl: string, trust: ServerTrust | null): RecorderProbe => {
    const d = lab.description;
    const cameraIds = (d.pairs[0]?.cameraIds ?? []).map((id) => id.toLowerCase());
    const probe = soapRecorderProbe({ webServerUrl, trust, tokenUrl: d.managementServer.tokenUrl, username: d.credentials.username, password: d.credentials.password, timeoutMs: 2_000, cameraIds: () => cameraIds, log });
    probes.push(probe);
    return probe;
  };

  before(async () => {
    lab = await startLab(['--pairs', '1', '--cameras', '1', '--fps', '5', '--encrypted']);
  });

  after(async () => {
    for (const probe of probes) await probe.close();
    await lab?.stop();
  });

  it('describes https web servers, each with its own certificate', () => {
    const [a, b] = [recorder('recorder-1a'), recorder('recorder-1b')];
    for (const r of [a, b]) {
      assert.match(r.webServerUri, /^https:\/\/127\.0\.0\.1:\d+\/$/);
      assert.match(r.statusServiceUrl, /^https:/);
      assert.equal(r.imageServer.tls, true);
      assert.match(r.certificateFingerprint ?? '', /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
    }
    assert.notEqual(a.certificateFingerprint, b.certificateFingerprint);
  });

  it('the probe reads an encrypted recorder it trusts by fingerprint or CA file, and refuses one with another certificate', async () => {
    const a = recorder('recorder-1a');
    const b = recorder('recorder-1b');
    const byFingerprint = probeOf(a.webServerUri, serverTrustOf(a.webServerUri, { fingerprint: a.certificateFingerprint ?? '' }, 'recorder'));
    const health = await waitFor('recorder-1a recording, probed over HTTPS', async () => {
      const h = await byFingerprint.probe();
      return h.reachable && h.cameras.length === 1 && h.cameras.every((c) => c.recording) ? h : undefined;
    }, 60_000);
    assert.equal(health.reachable && health.storages[0]?.available, true);

    // The recorder's certificate as the CA file (what an admin exports from the recorder): the chain and the name are checked.
    const certFile = `${lab.dir}/recorders/recorder-1a/tls/web-server.crt`;
    const byCa = probeOf(a.webServerUri, serverTrustOf(a.webServerUri, { caFile: certFile }, 'recorder'));
    assert.equal((await byCa.probe()).reachable, true, 'trusted through the CA file');

    // recorder-1b shows another certificate: unreachable for a probe that trusts recorder-1a's.
    const wrongPin = await probeOf(b.webServerUri, serverTrustOf(b.webServerUri, { fingerprint: a.certificateFingerprint ?? '' }, 'recorder')).probe();
    // The WSDL is its first request, through the same pinned connection: nothing is sent, the token least of all.
    assert.deepEqual(wrongPin, { reachable: false, reason: "cannot read the recorder's WSDL: the server's certificate is not the pinned one: nothing was sent" } satisfies RecorderHealth);
    const wrongCa = await probeOf(b.webServerUri, serverTrustOf(b.webServerUri, { caFile: certFile }, 'recorder')).probe();
    assert.equal(wrongCa.reachable, false);
    assert.match(wrongCa.reachable ? '' : wrongCa.reason, /request failed \((DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)\)/);

    // Plain HTTP is refused, as by a real recorder running encrypted.
    const plain = await probeOf(a.webServerUri.replace('https:', 'http:'), null).probe();
    assert.equal(plain.reachable, false);
  });

  it('an https web server without a trust setting is refused when the probe is made', () => {
    assert.throws(() => probeOf(recorder('recorder-1a').webServerUri, null), /is https: say how to trust it/);
  });

  it('ImageServer runs over TLS on the web server port, and a plain connection gets nothing', async () => {
    const a = recorder('recorder-1a');
    const cameraId = lab.description.pairs[0]?.cameraIds[0] ?? '';
    const client = await ImageServerClient.open(a.imageServer.host, a.imageServer.port, 5_000, { trustedFingerprints: [a.certificateFingerprint ?? ''] });
    try {
      client.connectCamera(cameraId, await labVmsToken(lab.description));
      assert.match(await client.nextXml(10_000), /<connected>yes<\/connected>/);
      client.send('live');
      const image = await waitFor('a live frame over TLS', async () => {
        const message = await client.next(10_000);
        return message.kind === 'image' ? message : undefined;
      }, 20_000, 0);
      assert.ok(image.kind === 'image');
    } finally {
      client.close();
    }
    await assert.rejects(ImageServerClient.open(a.imageServer.host, a.imageServer.port, 5_000, { trustedFingerprints: [recorder('recorder-1b').certificateFingerprint ?? ''] }), /not a trusted one/);

    const plain = await ImageServerClient.open(a.imageServer.host, a.imageServer.port, 5_000);
    try {
      plain.connectCamera(cameraId, await labVmsToken(lab.description));
      await assert.rejects(plain.nextXml(5_000), /closed|no ImageServer response/);
    } finally {
      plain.close();
    }
  });
});
