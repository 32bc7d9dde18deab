// The availability timeline (issue 18): GET /api/v1/clusters/{id}/timeline on each database
// backend, and the console's Availability section in a real Chromium. No lab: a controller in
// this process, a pair registered as agents register, and what they report as it really
// arrives: two changes of the Serving role, `failover.claiming` (B takes over, peer-dead) and
// `switch.started` (B hands back to A), each followed by the new node's
// `serving.endpoint-claimed`, at known times 40 and 20 minutes ago; and gap audits that list
// what each node lacked (B's gaps then found filled, A's still open). Only the serving spans
// of that past hour are written to the database directly, as the controller's reporting records
// hold them: it records spans at report arrival, which a fast test cannot place in the past.
// The browser part needs `npm run build` (web/dist) and /usr/bin/chromium; its screenshot goes
// to test/artifacts/console-timeline.png.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { backfillStatusSchema, type BackfillStatus } from '../contracts/controller-v1.js';
import { CameraGapEntity, ServingSpanEntity, type ServingSpanRow } from '../api/src/db/entities/index.js';
import type { Timeline } from '../api/src/model/timeline.js';
import { formatDuration, formatShare, gapColours, markerColours, sharesText, timelineChartGrid, timelineRowHeightPx } from '../web/src/lib/timeline.js';
import { agentEvent, agentPair, type AgentPair } from './helpers/agent-reports.js';
import { launchChromium, type RunningBrowser } from './helpers/browser.js';
import { onEachBackend, startTestController, type TestController } from './helpers/controller.js';
import { repoRoot } from './helpers/process.js';

const minute = 60_000;
const detectionMs = 3_100;
/** The new node claims the serving endpoint this long after each decision: the switch times. */
const claimAfterMs = { failover: 900, switch: 1_200 };

/** The controller writes reported gap audits every 2 s; generous for a loaded machine. */
const gapWriteTimeoutMs = 30_000;

/** A node's gap audit finished at `auditedAt`: per camera its gaps as [start, end] ISO times. */
function gapAudit(auditedAt: string, cameras: Record<string, Array<[string, string]>>): BackfillStatus {
  const secondsOf = (gaps: Array<[string, string]>): number => gaps.reduce((sum, [a, b]) => sum + (Date.parse(b) - Date.parse(a)) / 1_000, 0);
  const list = Object.entries(cameras);
  const missingSeconds = list.reduce((sum, [, gaps]) => sum + secondsOf(gaps), 0);
  return backfillStatusSchema.parse({
    mode: 'enabled', state: missingSeconds > 0 ? 'idle' : 'done', reason: null, auditedAt, retentionMinutes: 1_440, completeSinceAt: null,
    missingSeconds, placeholderSeconds: 0, camerasAffected: list.length,
    cameras: list.map(([deviceId, gaps]) => ({ deviceId, missingSeconds: secondsOf(gaps), placeholderSeconds: 0, completeUntilAt: null, completeSinceAt: null, gaps: gaps.map(([startAt, endAt]) => ({ startAt, endAt })) })),
    bytesDone: 0, bytesTotal: 0, blocksDone: 0, blocksTotal: 0, rateBytesPerSecond: 0, etaSeconds: null, startedAt: null,
  });
}

interface Scenario {
  readonly pair: AgentPair;
  /** The seeding time, whole seconds: the failover was 40 minutes before it, the switch back 20. */
  readonly nowMs: number;
  readonly failoverMs: number;
  readonly switchMs: number;
}

const span = (clusterId: string, nodeId: string, epoch: number, startMs: number, endMs: number, state: ServingSpanRow['state']): ServingSpanRow => ({
  id: randomUUID(),
  clusterId,
  nodeId,
  epoch,
  day: new Date(startMs).toISOString().slice(0, 10),
  startAt: new Date(startMs),
  endAt: new Date(endMs),
  durationMs: endMs - startMs,
  state,
});

/** The pair's history: A serves, B takes over (peer-dead), B hands back (switch); B lacked 2 cameras before (since backfilled), A lacked one while it was down. */
async function seed(controller: TestController, cluster: string): Promise<Scenario> {
  const pair = await agentPair(controller, cluster);
  const nowMs = Math.floor(Date.now() / 1000) * 1000;
  const failoverMs = nowMs - 40 * minute;
  const switchMs = nowMs - 20 * minute;
  const at = (ms: number) => new Date(ms).toISOString();
  // As agents report them: the deciding node's event, then the new node's endpoint claim.
  await pair.report('b', { state: 'ALONE', epoch: 3 }, { events: [agentEvent('failover.claiming', { time: at(failoverMs), severity: 'warning', data: { reason: 'peer-dead', detectionMs, epoch: 3 } })] });
  await pair.report('b', { state: 'ALONE', epoch: 3 }, { events: [agentEvent('serving.endpoint-claimed', { time: at(failoverMs + claimAfterMs.failover), data: { epoch: 3 } })] });
  await pair.report('b', { state: 'SECOND', epoch: 4 }, { events: [agentEvent('switch.started', { time: at(switchMs), data: { epoch: 4 } })] });
  await pair.report('a', { state: 'PRIM', epoch: 4 }, { events: [agentEvent('serving.endpoint-claimed', { time: at(switchMs + claimAfterMs.switch), data: { epoch: 4 } })] });
  const source = controller.db.dataSource;
  await source.getRepository(ServingSpanEntity).insert([
    span(pair.clusterId, pair.a.id, 2, nowMs - 55 * minute, failoverMs, 'closed'),
    span(pair.clusterId, pair.b.id, 3, failoverMs + claimAfterMs.failover, switchMs, 'closed'),
    span(pair.clusterId, pair.a.id, 4, switchMs + claimAfterMs.switch, nowMs, 'open'),
  ]);
  // The gaps as the agents' gap audits report them: B lacked two cameras before the failover
  // (one audit lists them, the next finds them filled), A lacked one while it was down (still open).
  // The controller keeps a node's latest audit until it writes them (every 2 s): wait for each.
  const gapsOf = (nodeId: string) => source.getRepository(CameraGapEntity).find({ where: { nodeId } });
  const until = async (what: string, check: () => Promise<boolean>): Promise<void> => {
    const deadline = Date.now() + gapWriteTimeoutMs;
    while (!(await check())) {
      assert.ok(Date.now() < deadline, `the controller records ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  await pair.report('b', { state: 'SECOND', epoch: 4, backfill: gapAudit(at(nowMs - 12 * minute), { 'cam-1': [[at(nowMs - 55 * minute), at(failoverMs)]], 'cam-2': [[at(nowMs - 50 * minute), at(failoverMs)]] }) });
  await until("B's two gaps", async () => (await gapsOf(pair.b.id)).length === 2);
  await pair.report('b', { state: 'SECOND', epoch: 4, backfill: gapAudit(at(nowMs - 10 * minute), {}) });
  await pair.report('a', { state: 'PRIM', epoch: 4, backfill: gapAudit(at(nowMs - 5 * minute), { 'cam-1': [[at(failoverMs), at(switchMs)]] }) });
  await until("B's gaps filled and A's open one", async () => (await gapsOf(pair.b.id)).every((g) => g.state === 'filled') && (await gapsOf(pair.a.id)).length === 1);
  return { pair, nowMs, failoverMs, switchMs };
}

describe("the timeline's wording (web/src/lib/timeline.ts)", () => {
  test('durations give the largest unit and the next; shares never round a little to nothing or nearly all to all', () => {
    assert.deepEqual([0, 0.4, 2.1, 59, 65, 3_600, 3_725, 90_061].map(formatDuration), ['0 s', '0 s', '2 s', '59 s', '1 min 5 s', '1 h', '1 h 2 min', '1 d 1 h']);
    assert.deepEqual([0, 0.00001, 0.0083, 0.5834, 0.99999, 1].map(formatShare), ['0 %', '0.1 %', '0.8 %', '58.3 %', '99.9 %', '100 %']);
    assert.equal(sharesText({ nodes: [{ name: 'node-a', servingShare: 0.992 }, { name: 'node-b', servingShare: 0.008 }], unservedSeconds: 0 }), 'node-a 99.2 %, node-b 0.8 %, unserved 0 s');
  });
});

onEachBackend('GET /api/v1/clusters/{id}/timeline', (suite) => {
  let s: Scenario;
  const path = (q: Record<string, string>) => `/api/v1/clusters/${s.pair.clusterId}/timeline?${new URLSearchParams(q).toString()}`;

  before(async () => {
    s = await seed(suite.controller, `tl-api-${suite.backend.name}`);
  });

  test('the last hour: both changes of the Serving role with their figures, who served when, the gaps, shares and the time no node served', async () => {
    const res = await suite.api().get(path({ from: new Date(s.nowMs - 60 * minute).toISOString(), to: new Date(s.nowMs).toISOString() }));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const t = res.body as Timeline;
    const { a, b } = s.pair;
    assert.deepEqual(
      t.markers.map((m) => [m.kind, m.time, m.fromNodeId, m.toNodeId, m.reason, m.trigger, m.detectionMs, m.switchMs]),
      [
        ['failover', new Date(s.failoverMs).toISOString(), a.id, b.id, 'peer-dead', 'automatic', detectionMs, claimAfterMs.failover],
        ['switch', new Date(s.switchMs).toISOString(), b.id, a.id, 'switch', 'manual', null, claimAfterMs.switch],
      ],
    );
    const node = (id: string) => t.nodes.find((n) => n.nodeId === id);
    assert.deepEqual(t.nodes.map((n) => n.name), [a.name, b.name]);
    assert.deepEqual(node(a.id)?.serving.map((x) => [Date.parse(x.start) - s.nowMs, Date.parse(x.end) - s.nowMs, x.epoch]), [
      [-55 * minute, -40 * minute, 2],
      [-20 * minute + claimAfterMs.switch, 0, 4],
    ]);
    assert.deepEqual(node(b.id)?.serving.map((x) => [Date.parse(x.start) - s.nowMs, Date.parse(x.end) - s.nowMs, x.epoch]), [[-40 * minute + claimAfterMs.failover, -20 * minute, 3]]);
    assert.equal(node(a.id)?.servingSeconds, (35 * minute - claimAfterMs.switch) / 1000);
    assert.equal(node(b.id)?.servingShare, (20 * minute - claimAfterMs.failover) / (60 * minute));
    // Counted from the first serving (55 minutes ago): the two handovers' seconds.
    assert.equal(t.observedFrom, new Date(s.nowMs - 55 * minute).toISOString());
    assert.equal(t.unservedSeconds, (claimAfterMs.failover + claimAfterMs.switch) / 1000);
    assert.deepEqual(node(b.id)?.gaps.map((g) => [Date.parse(g.start) - s.nowMs, Date.parse(g.end) - s.nowMs, g.state, g.cameras, g.resolvedAt]), [[-55 * minute, -40 * minute, 'filled', 2, new Date(s.nowMs - 10 * minute).toISOString()]]);
    assert.deepEqual(node(a.id)?.gaps.map((g) => [g.state, g.cameras, g.missingSeconds, g.resolvedAt]), [['open', 1, 1_200, null]]);
    assert.equal(t.truncated, false);
  });

  test('a window that leaves the failover out shows only the switch; the default is the last 24 h', async () => {
    const late = (await suite.api().get(path({ from: new Date(s.nowMs - 30 * minute).toISOString(), to: new Date(s.nowMs).toISOString() }))).body as Timeline;
    assert.deepEqual(late.markers.map((m) => m.kind), ['switch']);
    const res = await suite.api().get(`/api/v1/clusters/${s.pair.clusterId}/timeline`);
    assert.equal(res.status, 200);
    const t = res.body as Timeline;
    assert.equal(Date.parse(t.to) - Date.parse(t.from), 24 * 60 * minute);
    assert.equal(t.markers.length, 2);
  });

  test('windows shorter than a minute, longer than 30 days or reversed, and times that are none, are 400 validation-failed', async () => {
    const from = new Date(s.nowMs - 60 * minute);
    for (const [q, field] of [
      [{ from: from.toISOString(), to: new Date(from.getTime() + 59_999).toISOString() }, '/query/to'],
      [{ from: from.toISOString(), to: new Date(from.getTime() + 30 * 24 * 60 * minute + 1).toISOString() }, '/query/to'],
      [{ from: from.toISOString(), to: new Date(from.getTime() - minute).toISOString() }, '/query/to'],
      [{ from: 'yesterday' }, 'from'],
    ] as const) {
      const res = await suite.api().get(path(q));
      assert.equal(res.status, 400, JSON.stringify(q));
      assert.match(res.headers['content-type'] ?? '', /application\/problem\+json/);
      assert.equal((res.body as { type: string }).type, 'urn:twinrec:problem:validation-failed');
      assert.ok(JSON.stringify(res.body).includes(field), `${JSON.stringify(res.body)} names ${field}`);
    }
    const exact = await suite.api().get(path({ from: from.toISOString(), to: new Date(from.getTime() + minute).toISOString() }));
    assert.equal(exact.status, 200, 'exactly one minute is allowed');
  });

  test('an unknown cluster is 404; a viewer may read it; without credentials it is 401', async () => {
    const unknown = await suite.api().get(`/api/v1/clusters/${randomUUID()}/timeline`);
    assert.equal(unknown.status, 404);
    assert.equal((unknown.body as { type: string }).type, 'urn:twinrec:problem:not-found');
    const created = await suite.api().post('/api/v1/tokens').send({ name: `tl-viewer-${suite.backend.name}`, role: 'viewer' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const viewer = await fetch(`${suite.controller.url}/api/v1/clusters/${s.pair.clusterId}/timeline`, { headers: { authorization: `Bearer ${(created.body as { token: string }).token}` } });
    assert.equal(viewer.status, 200);
    const anonymous = await fetch(`${suite.controller.url}/api/v1/clusters/${s.pair.clusterId}/timeline`);
    assert.equal(anonymous.status, 401);
  });
});

describe("the console's availability timeline in Chromium", { timeout: 300_000 }, () => {
  const artifacts = join(repoRoot, 'test', 'artifacts');
  /** Copenhagen in winter: UTC+01:00, so that local times and the offset differ from UTC. */
  const timezoneId = 'Europe/Copenhagen';
  let controller: TestController;
  let chromium: RunningBrowser;
  let context: BrowserContext;
  let page: Page;
  let s: Scenario;
  const pageErrors: string[] = [];

  const local = (ms: number): string => new Date(ms).toLocaleString('sv-SE', { timeZone: timezoneId });

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    assert.ok(existsSync(join(repoRoot, 'web', 'dist', 'index.html')), 'web/dist is built: run `npm run build` first');
    chromium = await launchChromium();
    controller = await startTestController();
    s = await seed(controller, 'tl-pair');
    context = await chromium.browser.newContext({ viewport: { width: 1440, height: 1000 }, baseURL: controller.url, timezoneId, locale: 'en-GB' });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (err) => pageErrors.push(`uncaught: ${err.message}`));
    // A CSP violation (ECharts writing inline styles it may not) or a React error shows here; 401s before sign-in do not count.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
    });
  });

  after(async () => {
    if (page !== undefined && !page.isClosed()) await page.screenshot({ path: join(artifacts, 'console-timeline-last.png'), fullPage: true }).catch(() => undefined);
    await context?.close().catch(() => undefined);
    await chromium?.close();
    await controller?.close();
  });

  test('the timeline shows the failover and the switch at their times, who served, the gaps, and the history with its CSV', async () => {
    await page.goto(`/clusters/${s.pair.clusterId}`);
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill(controller.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const section = page.getByRole('region', { name: 'Availability' });
    await section.waitFor();
    await section.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '1 h' }).click();
    await section.locator('[data-testid="timeline-window"]').waitFor();

    // The history table: both changes, in local time, from → to, with their figures.
    const rows = section.getByRole('table', { name: 'Failover history' }).locator('tbody tr');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    const cells = async (i: number) => (await rows.nth(i).locator('td').allInnerTexts()).map((c) => c.trim());
    assert.deepEqual(await cells(0), [local(s.failoverMs), 'Failover', s.pair.a.name, s.pair.b.name, 'peer-dead', 'automatic', '3,100 ms', '900 ms']);
    assert.deepEqual(await cells(1), [local(s.switchMs), 'Switch', s.pair.b.name, s.pair.a.name, 'switch', 'manual', '—', '1,200 ms']);
    assert.match(await section.locator('caption').innerText(), /2 changes of the Serving role; times in UTC\+01:00/);
    assert.match(await section.getByTestId('timeline-window').innerText(), /\(UTC\+01:00\)/);

    // Serving shares in words: A about 35 of the 60 minutes, B about 20.
    const shares = await section.getByTestId('timeline-shares').innerText();
    const share = (name: string) => Number(new RegExp(`${name} (\\d+(?:\\.\\d)?) %`).exec(shares)?.[1] ?? Number.NaN);
    assert.ok(Math.abs(share(s.pair.a.name) - 58.3) <= 1.5, shares);
    assert.ok(Math.abs(share(s.pair.b.name) - 33.1) <= 1.5, shares);
    // Unserved: the handovers' 2.1 s, and the seconds since the seeding: no report since extended A's span.
    const unserved = Number(/unserved (\d+) s$/.exec(shares)?.[1] ?? Number.NaN);
    const sinceSeedS = (Date.now() - s.nowMs) / 1000;
    assert.ok(unserved >= 2 && unserved <= Math.ceil(2.1 + sinceSeedS), `${shares} (${sinceSeedS} s since the seeding)`);

    // The chart: a pin at each marker, where the time axis puts its time.
    const chart = section.getByTestId('timeline-chart');
    await chart.scrollIntoViewIfNeeded();
    await chart.getByTestId('timeline-pin').nth(1).waitFor({ state: 'attached' });
    const box = await chart.boundingBox();
    assert.ok(box !== null);
    const fromMs = Date.parse((await chart.getAttribute('data-from')) ?? '');
    const toMs = Date.parse((await chart.getAttribute('data-to')) ?? '');
    const xOf = (ms: number) => box.x + timelineChartGrid.left + ((ms - fromMs) / (toMs - fromMs)) * (box.width - timelineChartGrid.left - timelineChartGrid.right);
    const pins = chart.getByTestId('timeline-pin');
    for (const [i, [ms, kind]] of ([[s.failoverMs, 'failover'], [s.switchMs, 'switch']] as const).entries()) {
      const pin = pins.nth(i);
      assert.equal(await pin.getAttribute('data-kind'), kind);
      const pinBox = await pin.boundingBox();
      assert.ok(pinBox !== null);
      assert.ok(Math.abs(pinBox.x + pinBox.width / 2 - xOf(ms)) <= 1.5, `${kind} pin at ${pinBox.x + pinBox.width / 2}, its time at ${xOf(ms)}`);
    }
    // …and the canvas has each marker's colour there, and the filled gap's on B's row.
    // The pixel's colour at a point of the page, read back from the chart's canvas (root's tsconfig has no DOM types: the code is text).
    const colourAt = (x: number, y: number) =>
      page.evaluate<string | null>(`(() => {
        const canvas = document.querySelector('[data-testid="timeline-chart"] canvas');
        if (!(canvas instanceof HTMLCanvasElement)) return null;
        const r = canvas.getBoundingClientRect();
        const scale = canvas.width / r.width;
        const d = canvas.getContext('2d').getImageData(Math.round((${x} - r.left) * scale), Math.round((${y} - r.top) * scale), 1, 1).data;
        return '#' + [d[0], d[1], d[2]].map((v) => v.toString(16).padStart(2, '0')).join('');
      })()`);
    const near = async (x: number, y: number, colour: string): Promise<boolean> => {
      for (let dx = -1; dx <= 1; dx++) if ((await colourAt(x + dx, y)) === colour) return true;
      return false;
    };
    const plotTop = box.y + timelineChartGrid.top;
    assert.ok(await near(xOf(s.failoverMs), plotTop + 3, markerColours.failover), 'the failover line is drawn at its time');
    assert.ok(await near(xOf(s.switchMs), plotTop + 3, markerColours.switch), 'the switch line is drawn at its time');
    const rowB = plotTop + timelineRowHeightPx * 1.5;
    assert.ok(await near(xOf(s.nowMs - 45 * minute), rowB + 0.23 * timelineRowHeightPx, gapColours.filled), "B's backfilled gap is shaded on its row");

    // Tooltips: a marker says from → to, reason and figures; the gap its cameras and when it was filled.
    // A tooltip shows on a mouse move over its item; the chart may be drawn again meanwhile (the
    // console refreshes the timeline as events arrive, e.g. the pair's agents reported lost), which
    // hides it until the next move: move again, a bounded number of times.
    // The text is read within the same attempt: a redraw between showing and reading hides the tip too.
    const hoverUntil = async (x: number, y: number, shown: Locator): Promise<string> => {
      for (let attempt = 1; ; attempt += 1) {
        await page.mouse.move(x + 2, y);
        await page.mouse.move(x, y);
        try {
          await shown.waitFor({ timeout: 5_000 });
          return await shown.innerText({ timeout: 2_000 });
        } catch (err) {
          if (attempt >= 6) throw err;
        }
      }
    };
    const tip = page.locator('.timeline-tip').filter({ hasText: 'Failover' });
    const tipText = await hoverUntil(xOf(s.failoverMs), plotTop + timelineRowHeightPx, tip);
    for (const expected of [`${s.pair.a.name} → ${s.pair.b.name}`, 'peer-dead (automatic)', 'Detection: 3,100 ms', 'switch: 900 ms', local(s.failoverMs)]) assert.ok(tipText.includes(expected), `${tipText} has ${expected}`);
    const gapTip = page.locator('.timeline-tip').filter({ hasText: 'Data backfilled' });
    const gapText = await hoverUntil(xOf(s.nowMs - 45 * minute), rowB + 0.23 * timelineRowHeightPx, gapTip);
    assert.ok(gapText.includes(`Data backfilled on ${s.pair.b.name}`) && gapText.includes('2 cameras') && gapText.includes(`Backfilled ${local(s.nowMs - 10 * minute)}`), gapText);
    await hoverUntil(xOf(s.failoverMs), plotTop + timelineRowHeightPx, tip);
    await section.screenshot({ path: join(artifacts, 'console-timeline.png') });

    // The CSV download is the failover-history report of the same range, under the same session.
    const href = await section.getByTestId('failover-history-csv').getAttribute('href');
    assert.ok(href !== null && href.startsWith('/api/v1/reports/failover-history?'), String(href));
    const csv = await page.request.get(href);
    assert.equal(csv.status(), 200);
    const lines = (await csv.text()).trim().split('\r\n');
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.ok(lines[1]?.includes('peer-dead') && lines[2]?.includes(',switch,'), lines.join('\n'));

    assert.deepEqual(pageErrors, []);
  });
});
