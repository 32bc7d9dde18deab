// The web console in a real Chromium against a real lab: the controller (serving web/dist),
// a cloned pair of lab recorders with their agents and relay. An operator signs in, sees who
// serves, switches, finds a disconnected camera under "Problems only", focuses on the
// standby, watches the event log, changes the failback hold-down in the cluster settings (and
// meets someone else's change), signs out; a viewer sees the same without the actions, the
// settings read-only.
// Screenshots go to test/artifacts/. Needs `npm run build` (web/dist) and /usr/bin/chromium.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import type { ClusterPolicyView } from '../api/src/model/cluster-policy.js';
import { waitFor } from '../lab/testing/harness.js';
import { launchChromium, type RunningBrowser } from './helpers/browser.js';
import { startHaLab, type HaLab } from './helpers/ha-lab.js';
import { repoRoot } from './helpers/process.js';

const artifacts = join(repoRoot, 'test', 'artifacts');
const clusterName = 'lab-pair-1';
/** Long enough for the agents to report and the 2 s poll to show it; a failover takes longer. */
const uiTimeoutMs = 30_000;
const switchTimeoutMs = 90_000;

describe('web console in Chromium against the lab', { timeout: 900_000 }, () => {
  let ha: HaLab;
  let chromium: RunningBrowser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let adminPassword: string;
  let admin: Record<string, string>;
  const pageErrors: string[] = [];

  const shot = async (name: string): Promise<void> => {
    await page.screenshot({ path: join(artifacts, `console-${name}.png`), fullPage: true });
  };
  const api = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: { ...admin, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as T };
  };
  const signIn = async (username: string, password: string): Promise<void> => {
    await page.getByLabel('User name').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  const clusterRow = () => page.getByRole('table', { name: 'Clusters' }).getByRole('row').filter({ hasText: clusterName });
  const servingCell = () => clusterRow().getByTestId('serving-node');
  const settingsPanel = () => page.getByRole('region', { name: 'Cluster settings' });
  /** The lab cluster's policy as the controller has it (read with the admin's token). */
  const policy = async (): Promise<ClusterPolicyView> => {
    const cluster = (await api<{ items: Array<{ id: string }> }>(`/api/v1/clusters?q=${clusterName}`)).body.items[0];
    assert.ok(cluster !== undefined, 'the lab cluster is listed');
    const res = await api<ClusterPolicyView>(`/api/v1/clusters/${cluster.id}/policy`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    assert.ok(existsSync(join(repoRoot, 'web', 'dist', 'index.html')), 'web/dist is built: run `npm run build` first');
    // Chromium first: without it the test fails at once, with how to install it.
    chromium = await launchChromium();
    ha = await startHaLab({ cameras: 4, withController: true });
    assert.ok(ha.controller !== null, 'the lab runs with a controller');
    base = ha.controller.url;
    adminPassword = ha.controller.adminPassword;
    admin = ha.controller.authHeader;
    await ha.steady(90_000);
    context = await chromium.browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: base });
    page = await context.newPage();
    page.setDefaultTimeout(uiTimeoutMs);
    page.on('pageerror', (err) => pageErrors.push(`uncaught: ${err.message}`));
    // Chromium logs every 4xx answer ("Failed to load resource"); those are expected here
    // (the session probe before login). A CSP violation or a React error is not.
    // The same goes for the event streams refused on purpose below, which Chromium reports as EventSource errors.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource') && !message.text().startsWith("EventSource's response has")) pageErrors.push(message.text());
    });
  });

  after(async () => {
    if (page !== undefined && !page.isClosed()) await shot('last').catch(() => undefined);
    await context?.close().catch(() => undefined);
    await chromium?.close();
    await ha?.close();
  });

  test('the controller serves the console with its CSP', async () => {
    const res = await fetch(`${base}/clusters/${randomUUID()}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
  });

  test('a wrong password shows an error and no console', async () => {
    await page.goto('/');
    await signIn('admin', `wrong-${randomUUID()}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /\S/, 'the error says something');
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0, 'still signed out');
    assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password field is cleared');
    await shot('login-error');
  });

  test('sign in: the cluster is listed with its Serving node highlighted, both node panels live', async () => {
    const start = await ha.steady();
    await signIn('admin', adminPassword);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    assert.match(await page.getByTestId('current-user').innerText(), /admin/);
    await waitFor('the Serving node in the cluster list', async () => ((await servingCell().innerText().catch(() => '')).includes(start.serving) ? true : undefined), uiTimeoutMs, 250);
    assert.equal(await servingCell().locator('.serving-name').count(), 1, 'the Serving node is highlighted');

    const servingPanel = page.getByRole('region', { name: new RegExp(`node: ${start.serving}$`) });
    const standbyPanel = page.getByRole('region', { name: new RegExp(`node: ${start.standby}$`) });
    await waitFor('HA status Serving/Standby in the node panels', async () => {
      const [s, b] = await Promise.all([servingPanel.getByTestId('ha-status').innerText(), standbyPanel.getByTestId('ha-status').innerText()]);
      return /Serving/.test(s) && /(PRIM|ALONE)/.test(s) && /Standby/.test(b) && /SECOND/.test(b) ? true : undefined;
    }, uiTimeoutMs, 250);
    const facts = await servingPanel.innerText();
    assert.match(facts, /Uptime\s+\d+ days?, \d+ hours?, \d+ minutes?/);
    assert.match(facts, /Ping time\s+[\d.]+ avg\., [\d.]+ max\./);
    assert.match(facts, /Storages\s+[1-9]/);
    // Each node's storages: size, location, and the camera-data and placeholder-data spans once the agent has scanned.
    const storages = servingPanel.getByRole('region', { name: `Storages of ${start.serving}` });
    await waitFor('the storage with its spans', async () => {
      const text = await storages.innerText().catch(() => '');
      return /Size\s+\d+ (KB|MB|GB|TB)/.test(text) && /Location\s+\S*storage/.test(text) && /Camera data\s+\d+ days?, \d\d:\d\d:\d\d, \d+ %/.test(text) && /Placeholder data\s+\d+ days?, \d\d:\d\d:\d\d, \d+ %/.test(text) ? true : undefined;
    }, uiTimeoutMs, 250);
    await shot('cluster');
  });

  test('a camera disconnected on the standby shows under "Problems only", with where', async () => {
    const start = await ha.steady();
    const cameraId = ha.cameraIds[0] as string;
    const cluster = (await api<{ items: Array<{ id: string; name: string }> }>(`/api/v1/clusters?q=${clusterName}`)).body.items[0];
    assert.ok(cluster !== undefined);
    const cameras = (await api<{ items: Array<{ cameraId: string; name: string }> }>(`/api/v1/clusters/${cluster.id}/cameras`)).body.items;
    const name = cameras.find((c) => c.cameraId.toLowerCase() === cameraId.toLowerCase())?.name;
    assert.ok(name !== undefined, 'the camera is in the Device Overview');

    const table = page.getByRole('table', { name: 'Cameras' });
    await table.getByRole('row').filter({ hasText: name }).waitFor();
    await page.getByLabel('Problems only').check();
    const fault = async (action: 'disconnect' | 'reconnect') => {
      const res = await fetch(`${ha.description.control.url}/lab/recorders/${start.standby}/cameras/${cameraId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action }), signal: AbortSignal.timeout(10_000) });
      assert.equal(res.status, 200, `lab camera ${action}: ${await res.text()}`);
    };
    await fault('disconnect');
    try {
      const row = table.getByRole('row').filter({ hasText: name });
      await row.waitFor();
      const cells = await row.getByRole('cell').allInnerTexts();
      assert.match(cells[1] ?? '', /^Yes/, 'Disconnected: Yes');
      assert.match(cells[1] ?? '', new RegExp(`on ${start.standby}`), 'disconnected on the standby');
      assert.equal(cells[4], 'Cloned', 'Pair name');
      await shot('problems-only');
    } finally {
      await fault('reconnect');
    }
    await waitFor('the camera to leave "Problems only"', async () => ((await table.getByRole('row').filter({ hasText: name }).count()) === 0 ? true : undefined), uiTimeoutMs, 250);
    await page.getByLabel('Problems only').uncheck();
    await page.getByLabel('Search').fill(name);
    await waitFor('the search to narrow the table to that camera', async () => ((await table.getByRole('row').count()) === 2 ? true : undefined), uiTimeoutMs, 250);
    await page.getByLabel('Search').fill('');
  });

  test('focus on the standby shows it with its addresses, and clears', async () => {
    const start = await ha.steady();
    await page.getByRole('button', { name: `Focus on ${start.standby}` }).click();
    const panel = page.getByRole('region', { name: new RegExp(`^Focus: ${start.standby}`) });
    await panel.waitFor();
    assert.match(await panel.innerText(), /standby node/);
    assert.match(await panel.innerText(), /https?:\/\/|\d+\.\d+\.\d+\.\d+/, 'an address to reach the node');
    await shot('focus');
    await panel.getByRole('button', { name: 'Clear focus' }).click();
    await panel.waitFor({ state: 'detached' });
  });

  test('maintenance on and off', async () => {
    await page.getByRole('button', { name: 'Start maintenance' }).click();
    await page.getByRole('status').filter({ hasText: 'Maintenance is on' }).waitFor();
    await page.getByRole('button', { name: 'End maintenance' }).waitFor();
    await page.getByRole('button', { name: 'End maintenance' }).click();
    await page.getByRole('status').filter({ hasText: 'Maintenance is off' }).waitFor();
    await page.getByRole('button', { name: 'Start maintenance' }).waitFor();
  });

  test('Switch, confirmed with a reason, moves the Serving node; the event log shows it live', async () => {
    const start = await ha.steady();
    const eventsBefore = await page.getByRole('list', { name: 'Events' }).getByRole('listitem').count();
    await page.getByRole('button', { name: 'Switch…' }).click();
    const dialog = page.getByRole('dialog', { name: `Switch ${clusterName}` });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), new RegExp(`from ${start.serving} to ${start.standby}`));
    await dialog.getByLabel('Reason (optional)').fill('console test');
    await shot('switch-dialog');
    await dialog.getByRole('button', { name: 'Switch', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Switch accepted' }).waitFor();

    await waitFor(`${start.standby} Serving in the console`, async () => ((await servingCell().innerText().catch(() => '')).includes(start.standby) ? true : undefined), switchTimeoutMs, 250);
    const end = await ha.steady(switchTimeoutMs);
    assert.equal(end.serving, start.standby, 'the lab agrees');
    const events = page.getByRole('list', { name: 'Events' }).getByRole('listitem');
    await waitFor('new events in the live log', async () => ((await events.count()) > eventsBefore ? true : undefined), uiTimeoutMs, 250);
    assert.match(await page.getByRole('status', { name: /Event stream/ }).innerText(), /Live/);
    await shot('after-switch');
  });

  test('a refused switch shows the 409 reason in the dialog', async () => {
    const start = await ha.steady();
    // Heartbeats cut both ways: the Serving agent no longer sees a ready peer and refuses to hand over.
    await ha.dropHeartbeats(start.standby, true);
    try {
      await waitFor('the Serving agent to lose its peer', async () => ((await ha.agentState(start.serving)).peer.reachable ? undefined : true), 60_000, 250);
      await page.getByRole('button', { name: 'Switch…' }).click();
      const dialog = page.getByRole('dialog', { name: `Switch ${clusterName}` });
      await dialog.getByRole('button', { name: 'Switch', exact: true }).click();
      const alert = dialog.getByRole('alert');
      await alert.waitFor();
      const text = await alert.innerText();
      assert.match(text, /Switch refused/);
      assert.match(text, /not ready to take over/, `the reason is given in words: ${text}`);
      assert.match(text, /peer-not-ready/, `and as the controller gave it: ${text}`);
      await shot('switch-refused');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
    } finally {
      await ha.dropHeartbeats(start.standby, false);
    }
    const end = await ha.steady(90_000);
    assert.equal(end.serving, start.serving, 'the refusal changed nothing');
  });

  test('an event stream the controller refuses (a 503, as while its database is down) is reopened, with backoff, while the session holds', async () => {
    await page.getByRole('status', { name: /Event stream: Live/ }).waitFor();
    // The next two stream requests are refused; EventSource gives up on the first (CLOSED), and the console opens new ones.
    let refused = 0;
    const streamUrl = /\/api\/v1\/events\/stream/;
    await page.route(streamUrl, async (route) => {
      if (refused >= 2) return route.fallback();
      refused += 1;
      await route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ type: 'urn:twinrec:problem:service-unavailable', title: 'Service unavailable', status: 503, detail: 'database unreachable' }) });
    });
    try {
      await page.reload();
      await page.getByRole('status', { name: /Event stream: Reconnecting/ }).waitFor();
      await shot('event-stream-reconnecting');
      await page.getByRole('status', { name: /Event stream: Live/ }).waitFor();
      assert.equal(refused, 2);
    } finally {
      await page.unroute(streamUrl);
    }
  });

  test('an admin changes the failback hold-down in the cluster settings: what changes first, then a new version both nodes apply', async () => {
    const before = await policy();
    const from = before.failback.holdDownSeconds;
    const to = from === 10 ? 20 : 10;
    const panel = settingsPanel();
    await panel.getByRole('button', { name: 'Show settings' }).click();
    const holdDown = panel.getByLabel('Failback hold-down');
    await waitFor('the settings to load', async () => ((await holdDown.inputValue().catch(() => '')) === String(from) ? true : undefined), uiTimeoutMs, 250);
    assert.equal(await holdDown.isEditable(), true, 'an admin can change it');
    // Its unit and bounds (the contract's), on the input and in words.
    assert.deepEqual([await holdDown.getAttribute('min'), await holdDown.getAttribute('max')], ['0', '86400']);
    assert.match(await panel.locator('#policy-holdDownSeconds-hint').innerText(), /0–86,400 s/);
    // Every other setting is there too, labelled.
    for (const label of ['Preferred node', 'Failback policy', 'Failover profile', 'Heartbeat interval', 'Peer timeout', 'Failover cap', 'Cap window', 'Recording share trigger', 'Minimum recording share', 'Recording share grace', 'Storage unavailable trigger', 'Storage unavailable grace', 'Service down trigger', 'Service down grace', 'At agent start']) {
      assert.equal(await panel.getByLabel(label, { exact: true }).count(), 1, `${label} is labelled`);
    }
    assert.equal(await panel.getByLabel('Maintenance', { exact: true }).isChecked(), before.maintenance);
    assert.match(await panel.innerText(), new RegExp(`in effect: ${before.effective.heartbeatIntervalMs.toLocaleString('en-US')} ms`), 'an empty override shows the value in effect');

    await holdDown.fill(String(to));
    const changes = panel.getByTestId('policy-changes');
    await changes.waitFor();
    assert.deepEqual(await changes.getByRole('listitem').allInnerTexts(), [`Failback hold-down: ${from.toLocaleString('en-US')} s → ${to} s`]);
    assert.match(await panel.getByRole('region', { name: 'What changes when you save' }).innerText(), /apply it within seconds, without restarting anything/);
    await shot('settings-change');
    await panel.getByRole('button', { name: 'Save settings' }).click();
    const saved = panel.getByRole('status').filter({ hasText: 'Saved as policy v' });
    await saved.waitFor();

    const after = await policy();
    assert.equal(after.failback.holdDownSeconds, to, 'the controller has the new hold-down');
    assert.ok(after.version > before.version, `a new version: ${before.version} → ${after.version}`);
    assert.match(await saved.innerText(), new RegExp(`policy v${after.version}\\b`));
    await waitFor(`the panel to show policy v${after.version}`, async () => ((await panel.getByTestId('policy-version').innerText()) === `policy v${after.version}` ? true : undefined), uiTimeoutMs, 250);
    // No restart: both agents apply it within seconds, and the console stops marking them.
    await waitFor('both nodes to run the new version', async () => ((await policy()).nodes.every((n) => n.current && n.policyVersion === after.version) ? true : undefined), uiTimeoutMs, 250);
    await waitFor('no node marked as lagging', async () => ((await page.getByTestId('policy-lag').count()) === 0 ? true : undefined), uiTimeoutMs, 250);
    assert.deepEqual(await page.getByTestId('node-policy').allInnerTexts(), [`v${after.version}`, `v${after.version}`]);
    assert.equal(await holdDown.inputValue(), String(to));
    await shot('settings-saved');
  });

  test("a save over someone else's change is refused (412): the current settings are reloaded and the admin is told", async () => {
    const before = await policy();
    const panel = settingsPanel();
    const holdDown = panel.getByLabel('Failback hold-down');
    await holdDown.fill(String(before.failback.holdDownSeconds + 5));
    // Meanwhile another admin (the API, by token) changes the failover cap.
    const cluster = before.clusterId;
    const other = await api<ClusterPolicyView>(`/api/v1/clusters/${cluster}/policy`, { method: 'PATCH', body: { failover: { capCount: before.failover.capCount + 1 } } });
    assert.equal(other.status, 200, JSON.stringify(other.body));
    await panel.getByRole('button', { name: 'Save settings' }).click();
    const alert = panel.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), new RegExp(`Someone else changed these settings meanwhile: policy v${other.body.version} is loaded`));
    assert.equal(await holdDown.inputValue(), String(before.failback.holdDownSeconds), 'the current hold-down is back');
    assert.equal(await panel.getByLabel('Failover cap').inputValue(), String(other.body.failover.capCount), "and the other admin's cap is shown");
    const now = await policy();
    assert.equal(now.version, other.body.version, 'nothing more was saved');
    assert.equal(now.failback.holdDownSeconds, before.failback.holdDownSeconds);
    await shot('settings-conflict');
  });

  test('sign out: back to the sign-in form, and the session is gone', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/v1/auth/session', { credentials: 'same-origin' })).status);
    assert.equal(status, 401);
    await shot('signed-out');
  });

  test('a viewer sees the cluster but no operator actions', async () => {
    const username = `viewer-${randomUUID().slice(0, 8)}`;
    const password = `pw-${randomUUID()}`;
    const created = await api('/api/v1/users', { method: 'POST', body: { username, password, role: 'viewer' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await signIn(username, password);
    await clusterRow().waitFor();
    assert.match(await page.getByTestId('current-user').innerText(), /viewer/);
    assert.equal(await page.getByRole('button', { name: 'Switch…' }).isDisabled(), true, 'Switch is disabled');
    assert.equal(await page.getByRole('button', { name: /Focus on/ }).count(), 0, 'no Focus buttons');
    assert.equal(await page.getByRole('button', { name: /maintenance/ }).isDisabled(), true);
    // The cluster settings, read-only: the hold-down is shown, but it cannot be changed or saved.
    const holdDownSeconds = (await policy()).failback.holdDownSeconds;
    await settingsPanel().getByRole('button', { name: 'Show settings' }).click();
    const holdDown = settingsPanel().getByLabel('Failback hold-down');
    await waitFor('the settings to load for a viewer', async () => ((await holdDown.inputValue().catch(() => '')) === String(holdDownSeconds) ? true : undefined), uiTimeoutMs, 250);
    assert.equal(await holdDown.isDisabled(), true, 'the hold-down cannot be changed');
    assert.equal(await settingsPanel().getByLabel('Failover profile').isDisabled(), true);
    assert.equal(await settingsPanel().getByRole('button', { name: /Save/ }).count(), 0, 'no Save');
    assert.match(await settingsPanel().getByTestId('settings-read-only').innerText(), /an admin changes these settings/);
    await shot('settings-viewer');
    await waitFor('the event stream to open for a viewer', async () => (/Live/.test(await page.getByRole('status', { name: /Event stream/ }).innerText()) ? true : undefined), uiTimeoutMs, 250);
    await shot('viewer');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  test('no uncaught errors or CSP violations in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
