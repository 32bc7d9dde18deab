// The recording server wants the VMS token (ServerCommandServiceOAuth Login), not the IDP
// access token (issue 16, finding 1; shared/docs/xprotect-integration.md 0a). Against a lab
// whose VMS tokens live 5 s: the lab's recorder refuses an IDP JWT with the real fault and an
// expired VMS token too, on SOAP and on the ImageServer; the agents' health probes keep working
// across several token lifetimes by renewing in time, and neither node ever counts as unhealthy.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ImageServerClient, labToken, labVmsToken, labVmsTokenCounts, waitFor, type RecorderEndpoints } from '../lab/testing/harness.js';
import { allRecording, startHaLab, type HaLab } from './helpers/ha-lab.js';

const vmsTokenLifetimeSeconds = 5;
const statusNamespace = 'http://videoos.net/2/XProtectCSRecorderStatus2';

/** GetRecordingStorageStatus as a plain SOAP 1.1 request: the status and the raw answer. */
async function storageStatus(recorder: RecorderEndpoints, token: string): Promise<{ status: number; xml: string }> {
  const res = await fetch(recorder.statusServiceUrl, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${statusNamespace}/GetRecordingStorageStatus"` },
    body: `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetRecordingStorageStatus xmlns="${statusNamespace}"><token>${token}</token></GetRecordingStorageStatus></soap:Body></soap:Envelope>`,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, xml: await res.text() };
}

function assertTokenInvalid(answer: { status: number; xml: string }, what: string): void {
  assert.equal(answer.status, 500, `${what}: ${answer.xml.slice(0, 300)}`);
  assert.match(answer.xml, /<faultstring>Token invalid<\/faultstring>/, what);
  assert.match(answer.xml, /<ErrorNumber>40000<\/ErrorNumber>/, what);
  assert.match(answer.xml, /<SubErrorNumber>2<\/SubErrorNumber>/, what);
}

describe('VMS tokens between the agent and its recording server', { timeout: 400_000 }, () => {
  let ha: HaLab;
  let recorder: RecorderEndpoints;
  let cameraId: string;

  before(async () => {
    ha = await startHaLab({ withController: false, cameras: 2, fps: 5, extraArgs: ['--vms-token-lifetime-seconds', String(vmsTokenLifetimeSeconds)] });
    const pair = ha.description.pairs[0];
    assert.ok(pair !== undefined);
    recorder = pair.recorders[0] as RecorderEndpoints;
    cameraId = pair.cameraIds[0] as string;
    await ha.steady(120_000);
    await allRecording(ha);
  });
  after(async () => {
    await ha?.close();
  });

  it('SOAP: an IDP token is "Token invalid" (SubErrorNumber 2), a VMS token works until its lifetime ends', async () => {
    assertTokenInvalid(await storageStatus(recorder, await labToken(ha.description)), 'the IDP access token');
    const token = await labVmsToken(ha.description);
    assert.match(token, /^TOKEN#[0-9a-f-]{36}#[^#]+\/\/ServerConnector#$/);
    const accepted = await storageStatus(recorder, token);
    assert.equal(accepted.status, 200, accepted.xml.slice(0, 300));
    assert.match(accepted.xml, /GetRecordingStorageStatusResponse/);
    assertTokenInvalid(await storageStatus(recorder, token.replace(/#[0-9a-f-]{36}#/, '#00000000-0000-4000-8000-000000000000#')), 'a token the management server never issued');
    // Past its lifetime (cached by the recorder until then) it is refused.
    await new Promise((resolve) => setTimeout(resolve, vmsTokenLifetimeSeconds * 1000 + 500));
    assertTokenInvalid(await storageStatus(recorder, token), 'an expired VMS token');
  });

  it('ImageServer: connect refuses an IDP token, connect and connectupdate an expired VMS token; connectupdate takes a fresh one', async () => {
    const client = await ImageServerClient.open(recorder.imageServer.host, recorder.imageServer.port);
    try {
      client.connectCamera(cameraId, await labToken(ha.description));
      assert.match(await client.nextXml(), /<connected>no<\/connected><errorreason>Token invalid<\/errorreason>/);
      const token = await labVmsToken(ha.description);
      client.connectCamera(cameraId, token);
      assert.match(await client.nextXml(), /<connected>yes<\/connected>/);
      await new Promise((resolve) => setTimeout(resolve, vmsTokenLifetimeSeconds * 1000 + 500));
      const update = (value: string): string => client.send('connectupdate', `<connectparam>id=${cameraId}&amp;connectiontoken=${value}</connectparam>`);
      update(token);
      assert.match(await client.nextXml(), /<connected>no<\/connected><errorreason>Token invalid<\/errorreason>/, 'an expired token');
      // The session keeps its camera; a fresh token renews it (as TcpVideoViewer does on a token refresh).
      update(await labVmsToken(ha.description));
      assert.match(await client.nextXml(), /<connected>yes<\/connected>/);
      client.send('live');
      assert.equal((await client.nextImage()).headers['content-type'], 'image/jpeg');
      client.send('stop');
      const fresh = await ImageServerClient.open(recorder.imageServer.host, recorder.imageServer.port);
      try {
        fresh.connectCamera(cameraId, token);
        assert.match(await fresh.nextXml(), /<connected>no<\/connected><errorreason>Token invalid<\/errorreason>/, 'connect with an expired token');
      } finally {
        fresh.close();
      }
    } finally {
      client.close();
    }
  });

  it('the agents renew their VMS tokens before they expire: both nodes stay healthy across several lifetimes', async (t) => {
    const before = await labVmsTokenCounts(ha.description);
    assert.equal(before.ttlMs, vmsTokenLifetimeSeconds * 1000);
    const watchMs = 4 * vmsTokenLifetimeSeconds * 1000;
    const endMs = Date.now() + watchMs;
    let observations = 0;
    while (Date.now() < endMs) {
      for (const agent of ha.agents) {
        const state = await ha.agentState(agent.node);
        assert.equal(state.healthy, true, `${agent.node} unhealthy: ${JSON.stringify(state)}`);
        assert.equal(state.health.camerasRecording, 2, `${agent.node} sees every camera recording: ${JSON.stringify(state.health)}`);
        observations += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.ok(observations >= 20, `observations: ${observations}`);
    const counts = await labVmsTokenCounts(ha.description);
    t.diagnostic(`${observations} health observations, ${counts.renewedTotal - before.renewedTotal} renewals in ${watchMs} ms`);
    // Each agent renews at half the lifetime: about 8 renewals each in 4 lifetimes.
    assert.ok(counts.renewedTotal - before.renewedTotal >= 2 * 3, `renewals during the watch: ${counts.renewedTotal - before.renewedTotal}`);
    await waitFor('the agents logged', () => ha.agents.every((agent) => readFileSync(agent.logPath, 'utf8').length > 0) || undefined);
    for (const agent of ha.agents) {
      const log = readFileSync(agent.logPath, 'utf8');
      // A token that ran out would have been refused by the recorder, and dropped.
      assert.doesNotMatch(log, /rejected the VMS token/, `${agent.node} never presented an expired token`);
      assert.doesNotMatch(log, /VMS token request failed/, `${agent.node} never failed to log in`);
      assert.doesNotMatch(log, /TOKEN#/, `${agent.node} never logs a token`);
    }
  });
});
