// XProtect hears about failovers: the controller sends generic events to the lab's Event Server
// stand-in (lab/event-server/), with real processes: the controller, a cloned pair, its agents,
// its relay and the stand-in. An admin sets the generic events once through the REST API and
// tests them; a failover then arrives at the Event Server; with the Event Server down the pair
// still fails over, and the event arrives once the Event Server is back.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { receivedGenericEvents, waitFor, type EventServerEndpoints, type ReceivedGenericEvent } from '../lab/testing/harness.js';
import { startHaLab, type HaLab } from './helpers/ha-lab.js';

describe('generic events to XProtect on failover (lab, real processes)', { timeout: 900_000 }, () => {
  let ha: HaLab;
  let eventServer: EventServerEndpoints;

  before(async () => {
    ha = await startHaLab({ cameras: 2, fps: 10, profile: 'fast' });
    assert.ok(ha.eventServer !== null, 'the lab has an Event Server stand-in');
    eventServer = ha.eventServer;
    await ha.steady(90_000);
  });

  after(async () => {
    await ha?.close();
  });

  const api = (path: string, init: RequestInit = {}): Promise<Response> =>
    ha.controllerFetch(`/api/v1${path}`, { ...init, headers: { ...ha.controller?.authHeader, 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) }, signal: AbortSignal.timeout(30_000) });

  /** The first failover generic event after `afterSeq`, once it arrived. */
  const failoverEvent = (afterSeq: number, timeoutMs: number): Promise<ReceivedGenericEvent> =>
    waitFor('a failover generic event at the Event Server', async () => (await receivedGenericEvents(eventServer, afterSeq)).find((e) => e.text.startsWith('twinrec failover ')), timeoutMs, 50);

  /** Crashes the Serving recorder; returns when the relay points at the other node, with the times. */
  async function failOver(): Promise<{ from: string; to: string; faultAtMs: number; movedAtMs: number }> {
    const start = await ha.steady(120_000);
    const faultAtMs = Date.now();
    await ha.labAction(start.serving, 'crash');
    await waitFor(`the relay to point at ${start.standby}`, async () => ((await ha.relayTarget()) === start.standby ? true : undefined), 60_000, 20);
    return { from: start.serving, to: start.standby, faultAtMs, movedAtMs: Date.now() };
  }

  test('an admin sets generic events once; a bad template is refused; a test event reaches the Event Server', async () => {
    const current = await api('/xprotect/generic-events');
    assert.equal(current.status, 200);
    const defaults = (await current.json()) as { enabled: boolean; kinds: Record<string, { enabled: boolean; message: string }>; version: number };
    assert.equal(defaults.enabled, false, 'off until an admin turns it on');

    const eventServerSettings = { host: eventServer.host, port: eventServer.internationalPort, format: 'international', readTimeoutMs: 2_000 };
    const refused = await api('/xprotect/generic-events', { method: 'PUT', body: JSON.stringify({ enabled: true, eventServer: eventServerSettings, kinds: { ...defaults.kinds, failover: { enabled: true, message: 'twinrec failover {clusterName}' } } }) });
    assert.equal(refused.status, 400);
    const problem = (await refused.json()) as { type: string; errors: Array<{ path: string }> };
    assert.equal(problem.type, 'urn:twinrec:problem:generic-event-settings-invalid');
    assert.deepEqual(problem.errors.map((e) => e.path), ['/body/kinds/failover/message']);

    const put = await api('/xprotect/generic-events', { method: 'PUT', body: JSON.stringify({ enabled: true, eventServer: eventServerSettings, kinds: defaults.kinds }) });
    assert.equal(put.status, 200, await put.clone().text());
    assert.equal(((await put.json()) as { version: number }).version, 1);

    const tested = await api('/xprotect/generic-events/test', { method: 'POST', body: JSON.stringify({ kind: 'failover' }) });
    assert.equal(tested.status, 200, await tested.clone().text());
    const result = (await tested.json()) as { message: string; statistics: { matches: number } | null };
    assert.ok((result.statistics?.matches ?? 0) >= 1, 'the stand-in\'s generic event "twinrec" matched the test message');
    const arrived = await receivedGenericEvents(eventServer);
    assert.ok(arrived.some((e) => e.text === result.message && e.dataSource === 'International'), 'the test event arrived as sent');

    const audit = (await (await api('/audit?action=xprotect.*')).json()) as { items: Array<{ action: string; outcome: string }> };
    assert.deepEqual(audit.items.map((a) => `${a.action} ${a.outcome}`).sort(), ['xprotect.generic-event-test success', 'xprotect.generic-events-changed failure', 'xprotect.generic-events-changed success']);
  });

  test('a failover delivers its generic event to the Event Server', async () => {
    const afterSeq = Math.max(0, ...(await receivedGenericEvents(eventServer)).map((e) => e.seq));
    const moved = await failOver();
    const event = await failoverEvent(afterSeq, 30_000);
    const arrivedAtMs = Date.parse(event.receivedAt);
    console.log(`generic event arrived ${arrivedAtMs - moved.movedAtMs} ms after the relay moved (${arrivedAtMs - moved.faultAtMs} ms after the crash; relay moved ${moved.movedAtMs - moved.faultAtMs} ms after it): ${event.text}`);
    assert.match(event.text, /^twinrec failover lab-pair-1: /);
    assert.ok(event.text.includes(moved.to) && event.text.includes(moved.from), `names both nodes: ${event.text}`);
  });

  test('with the Event Server down the pair still fails over, and the event arrives once it is back', async () => {
    await ha.labAction('event-server', 'stop');
    const moved = await failOver();
    console.log(`failover with the Event Server down: relay moved ${moved.movedAtMs - moved.faultAtMs} ms after the crash`);
    // Let the controller try and fail at least once before the Event Server returns.
    await waitFor('a failed attempt', async () => {
      const view = (await (await api('/xprotect/generic-events')).json()) as { delivery: { lastError: string | null; queued: number } };
      return view.delivery.lastError !== null && view.delivery.queued > 0 ? true : undefined;
    }, 30_000);
    await ha.labAction('event-server', 'start');
    const backAtMs = Date.now();
    const event = await failoverEvent(0, 60_000);
    console.log(`the waiting generic event arrived ${Date.parse(event.receivedAt) - backAtMs} ms after the Event Server was back: ${event.text}`);
    assert.ok(event.text.includes(moved.to) && event.text.includes(moved.from), `names both nodes: ${event.text}`);
  });
});
