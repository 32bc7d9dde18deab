// The console's pool view in a real Chromium against a real controller on SQLite (no lab): a
// failover pool made over the REST API, its agents played over the agent link (RS-1 registers
// as a protected server with its shared address and pushes its RecorderConfig.xml, then falls
// silent; RS-2 and the standby FO-1 report). An admin sees the protected servers' states and
// the groups, reorders a group's standbys (the order persists: GET …/pool), creates and renames
// a group, edits a protected server's failover settings and a standby's capacity, starts a
// manual failover, answers the 409 pool-failed-over-confirm with a confirmation, sees a refused
// group deletion, and stops the failover; a viewer sees the pool read-only. Screenshots go to
// test/artifacts/. Needs the console built (`npm run build`).
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import type { Pool } from '../web/src/api/types.js';
import { launchChromium, type RunningBrowser } from './helpers/browser.js';
import { startTestController, type TestController } from './helpers/controller.js';
import { nodeStatus, postAsAgent } from './helpers/agent-reports.js';
import { repoRoot } from './helpers/process.js';

const artifacts = join(repoRoot, 'test', 'artifacts');
const viewerPassword = 'viewer-password-1234';

describe('the pool view in Chromium', { timeout: 240_000 }, () => {
  let controller: TestController;
  let chromium: RunningBrowser;
  const contexts: BrowserContext[] = [];
  let page: Page;
  let reporter: NodeJS.Timeout | undefined;
  const pageErrors: string[] = [];
  let clusterId = '';
  let node: Record<string, string> = {};

  /** The REST API as the admin, asserting the status. */
  const call = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown, status = 200): Promise<T> => {
    const res = await fetch(`${controller.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...controller.authHeader },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    assert.equal(res.status, status, `${method} ${path}: ${text}`);
    return (text === '' ? {} : JSON.parse(text)) as T;
  };
  const pool = () => call<Pool>('GET', `/api/v1/clusters/${clusterId}/pool`);

  const openPage = async (): Promise<Page> => {
    const context = await chromium.browser.newContext({ viewport: { width: 1440, height: 1000 }, baseURL: controller.url });
    contexts.push(context);
    const opened = await context.newPage();
    opened.setDefaultTimeout(20_000);
    opened.on('pageerror', (err) => pageErrors.push(`uncaught: ${err.message}`));
    opened.on('console', (message) => {
      // Refused requests (the 409s this test provokes) are logged by the browser as failed resources.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
    });
    return opened;
  };
  const signIn = async (p: Page, username: string, password: string) => {
    await p.goto(`/clusters/${clusterId}`);
    await p.getByLabel('User name').fill(username);
    await p.getByLabel('Password').fill(password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByTestId('pool-view').waitFor();
  };

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    assert.ok(existsSync(join(repoRoot, 'web', 'dist', 'index.html')), 'web/dist is built: run `npm run build` first');
    chromium = await launchChromium();
    controller = await startTestController();

    const created = await call<{ id: string; nodes: { id: string; name: string }[] }>(
      'POST',
      '/api/v1/clusters',
      {
        name: 'Harbour',
        mode: 'pool',
        sharedAddress: 'harbour.example:7563',
        nodes: [...['RS-1', 'RS-2'].map((n) => ({ name: n, role: 'primary', hostName: `${n.toLowerCase()}.example` })), ...['FO-1', 'FO-2', 'FO-3'].map((n) => ({ name: n, role: 'failover', hostName: `${n.toLowerCase()}.example` }))],
      },
      201,
    );
    clusterId = created.id;
    node = Object.fromEntries(created.nodes.map((n) => [n.name, n.id]));
    const hall = await call<{ id: string }>('POST', `/api/v1/clusters/${clusterId}/failover-groups`, { name: 'Hall' }, 201);
    await call('PUT', `/api/v1/clusters/${clusterId}/failover-groups/${hall.id}/standbys`, { standbyNodeIds: [node['FO-1'], node['FO-2']] });
    await call('PUT', `/api/v1/clusters/${clusterId}/nodes/${node['RS-1']}/failover`, { primaryGroupId: hall.id, secondaryGroupId: null, hotStandbyNodeId: null, standbySelection: 'sequence' });
    // Manual failover: a silent RS-1 becomes "Failover needed", for an operator to start.
    // RS-1 never reports: failover needed after 6 s. A busy machine may delay RS-2's reports past
    // that: with no hold-down it is protected again at its next report.
    await call('PATCH', `/api/v1/clusters/${clusterId}/policy`, { pool: { failover: 'manual', stopFailover: 'automatic', holdDownSeconds: 0, triggers: { disconnectedSeconds: 6, serviceDown: { enabled: true, seconds: 10 }, storage: { enabled: true, seconds: 30 } } } });
    await call('POST', '/api/v1/users', { username: 'watcher', password: viewerPassword, role: 'viewer' }, 201);

    // The agents, over the agent link: RS-1 registers as a protected server and pushes its RecorderConfig.xml, then says nothing more.
    const secret = `s3cret-harbour-${randomUUID()}`;
    const recorderId = randomUUID();
    await call('PUT', `/api/v1/clusters/${clusterId}/agent-secret`, { secret });
    const registered = await postAsAgent(controller, secret, 'register', {
      cluster: { name: 'Harbour', sharedAddress: 'harbour.example:7563' },
      node: { name: 'RS-1', peerName: 'RS-1', rank: 0, hostName: 'rs-1.example', agentUrl: 'http://127.0.0.1:9', recorderId, webServerUri: 'http://127.0.0.1:7563/' },
      agentVersion: '0.1.0',
      pool: { role: 'protected', sharedAddress: '127.0.0.1:7601' },
    });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    const xml = Buffer.from(`<recorderconfig><recorder><id>${recorderId}</id></recorder></recorderconfig>`);
    const pushed = await fetch(`${controller.url}/api/v1/agent/recorder-config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ clusterId, nodeId: node['RS-1'], recorderConfig: { xml: xml.toString('base64'), sha256: createHash('sha256').update(xml).digest('hex') } }),
      signal: AbortSignal.timeout(30_000),
    });
    assert.equal(pushed.status, 204, await pushed.text());
    // RS-2 reports healthy, FO-1 reports free (as a standby agent does); FO-2 and FO-3 never report.
    const report = async () => {
      for (const [name, status] of [
        ['RS-2', nodeStatus('Harbour', 'RS-2', 'RS-2', { state: 'ALONE' })],
        ['FO-1', nodeStatus('Harbour', 'FO-1', 'FO-1', { pool: { state: 'free', protectedNodeId: null, epoch: 0, since: new Date().toISOString(), error: null } })],
      ] as const) {
        const answer = await postAsAgent(controller, secret, 'report', { clusterId, nodeId: node[name], status, events: [], witnessWindowMs: 3_000 });
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
      }
    };
    await report();
    reporter = setInterval(() => void report().catch(() => undefined), 500);

    page = await openPage();
  });

  after(async () => {
    if (reporter !== undefined) clearInterval(reporter);
    if (page !== undefined && !page.isClosed()) await page.screenshot({ path: join(artifacts, 'console-pool-last.png'), fullPage: true }).catch(() => undefined);
    for (const context of contexts) await context.close().catch(() => undefined);
    await chromium?.close();
    await controller?.close();
  });

  test("an admin sees the pool's servers and groups, reorders a sequence, edits settings and capacity, and confirms what the API asks", async () => {
    await signIn(page, 'admin', controller.adminPassword);
    const view = page.getByTestId('pool-view');
    const rs1 = view.getByTestId('pool-server-RS-1');
    const rs2 = view.getByTestId('pool-server-RS-2');
    await rs2.getByTestId('pool-server-state').getByText('Protected', { exact: true }).waitFor();
    await rs1.getByTestId('pool-server-state').getByText('Failover needed').waitFor({ timeout: 30_000 });
    assert.match(await rs1.innerText(), /127\.0\.0\.1:7601[\s\S]*manual: an operator starts it[\s\S]*Primary: Hall[\s\S]*On record \(SHA-256 [0-9a-f]{12}…\)/);
    assert.match(await rs2.innerText(), /None on record: no standby can take it over/);
    const hall = view.getByTestId('pool-group-Hall');
    assert.deepEqual(await hall.getByTestId('pool-sequence-item').locator('.sequence-name').allInnerTexts(), ['FO-1', 'FO-2']);
    assert.match(await hall.innerText(), /Used by RS-1\./);
    await page.screenshot({ path: join(artifacts, 'console-pool.png'), fullPage: true });

    // Reorder with the keyboard: focus FO-2's "up" and press Enter.
    const up = hall.getByRole('button', { name: 'Move FO-2 up in Hall' });
    assert.equal(await hall.getByRole('button', { name: 'Move FO-1 up in Hall' }).isDisabled(), true, 'the first cannot move up');
    await up.focus();
    await page.keyboard.press('Enter');
    await view.getByTestId('pool-message').getByText('FO-2 moved up in Hall.').waitFor();
    await hall.getByTestId('pool-sequence-item').first().getByText('FO-2').waitFor();
    const hallGroup = (await pool()).failoverGroups.find((g) => g.name === 'Hall');
    assert.deepEqual(hallGroup?.standbys.map((s) => s.nodeName), ['FO-2', 'FO-1'], 'the order persists');

    // A new group, renamed, with FO-3 added.
    await view.getByLabel('New failover group').fill('Yard');
    await view.getByRole('button', { name: 'Create group' }).click();
    const yard = view.getByTestId('pool-group-Yard');
    await yard.waitFor();
    await yard.getByRole('button', { name: 'Rename' }).click();
    await yard.getByLabel('Name').fill('Dock');
    await yard.getByRole('button', { name: 'Save name' }).click();
    const dock = view.getByTestId('pool-group-Dock');
    await dock.waitFor();
    await dock.getByLabel('Standby to add to Dock').selectOption({ label: 'FO-3' });
    await dock.getByRole('button', { name: 'Add to Dock' }).click();
    await dock.getByTestId('pool-sequence-item').getByText('FO-3').waitFor();
    const dockGroup = (await pool()).failoverGroups.find((g) => g.name === 'Dock');
    assert.deepEqual([dockGroup?.version, dockGroup?.standbys.map((s) => s.nodeName)], [3, ['FO-3']]);

    // RS-2's failover settings, with what changes listed before the save.
    await rs2.getByRole('button', { name: 'Failover settings…' }).click();
    const settings = page.getByRole('dialog', { name: 'Failover settings of RS-2' });
    await settings.getByLabel('Secondary failover group').selectOption({ label: 'Dock (1 standby)' });
    await settings.getByText('A secondary group needs a primary group.').waitFor();
    assert.equal(await settings.getByRole('button', { name: 'Save' }).isDisabled(), true, 'refused as typed, as the API would');
    await settings.getByLabel('Primary failover group').selectOption({ label: 'Hall (2 standbys)' });
    await settings.getByLabel('Standby selection').selectOption({ label: 'Closest camera capacity' });
    assert.deepEqual(await settings.getByTestId('pool-server-changes').locator('li').allInnerTexts(), [
      'Primary failover group: none → Hall',
      'Secondary failover group: none → Dock',
      "Standby selection: The group's sequence (first free standby) → Closest camera capacity",
    ]);
    await settings.getByRole('button', { name: 'Save' }).click();
    await view.getByTestId('pool-message').getByText('Failover settings of RS-2 saved.').waitFor();
    const rs2Settings = (await pool()).protectedServers.find((s) => s.name === 'RS-2')?.settings;
    assert.deepEqual([rs2Settings?.primaryGroupId, rs2Settings?.secondaryGroupId, rs2Settings?.standbySelection], [hallGroup?.id, dockGroup?.id, 'capacity-closest']);

    // A standby's camera capacity.
    await view.getByLabel('Camera capacity of FO-1').fill('16');
    await view.getByTestId('pool-standby-FO-1').getByRole('button', { name: 'Save' }).click();
    await view.getByTestId('pool-message').getByText('Camera capacity of FO-1 set to 16 cameras.').waitFor();
    assert.equal((await pool()).standbys.find((s) => s.name === 'FO-1')?.cameraCapacity, 16);

    // Manual failover of RS-1 to FO-1, confirmed in a dialog that says what will happen.
    await rs1.getByRole('button', { name: 'Fail over…' }).click();
    const start = page.getByRole('dialog', { name: 'Fail over: RS-1' });
    await start.getByLabel('Standby').selectOption({ label: 'FO-1' });
    assert.match(await start.getByTestId('pool-command-effect').innerText(), /^FO-1 takes RS-1 over: it gets RS-1's RecorderConfig\.xml/);
    await start.getByRole('button', { name: 'Fail over', exact: true }).click();
    await view.getByTestId('pool-message').getByText(/Failover of RS-1 started: FO-1 takes it over \(epoch \d+\)\./).waitFor();
    await rs1.getByTestId('pool-server-state').getByText('Failed over → FO-1').waitFor();
    assert.match(await view.getByTestId('pool-standby-FO-1').innerText(), /(Taking over|Serving) RS-1 \(epoch \d+\)/);
    await page.screenshot({ path: join(artifacts, 'console-pool-failed-over.png'), fullPage: true });

    // While failed over, a settings change asks for confirmation with the controller's words; confirmed, it is sent with confirm: true.
    await rs1.getByRole('button', { name: 'Failover settings…' }).click();
    const rs1Settings = page.getByRole('dialog', { name: 'Failover settings of RS-1' });
    await rs1Settings.getByLabel('Primary failover group').selectOption({ label: 'Dock (1 standby)' });
    await rs1Settings.getByRole('button', { name: 'Save' }).click();
    const confirm = rs1Settings.getByTestId('pool-confirm');
    await confirm.waitFor();
    assert.match(await confirm.innerText(), /RS-1 is failed over\.[\s\S]*FO-1/);
    assert.equal((await pool()).protectedServers.find((s) => s.name === 'RS-1')?.settings.primaryGroupId, hallGroup?.id, 'nothing stored before the confirmation');
    await rs1Settings.getByRole('button', { name: 'Save anyway' }).click();
    await view.getByTestId('pool-message').getByText('Failover settings of RS-1 saved; they apply at its next failover.').waitFor();
    assert.equal((await pool()).protectedServers.find((s) => s.name === 'RS-1')?.settings.primaryGroupId, dockGroup?.id);

    // A group a server names cannot be deleted: the controller's reason is shown.
    await hall.getByRole('button', { name: 'Delete…' }).click();
    await hall.getByRole('button', { name: 'Delete', exact: true }).click();
    await view.getByTestId('pool-message').and(page.getByRole('alert')).waitFor();
    assert.ok((await pool()).failoverGroups.some((g) => g.name === 'Hall'), 'Hall is still there');

    // Stop failover, discarding what FO-1 recorded: FO-1 is free again.
    await rs1.getByRole('button', { name: 'Stop failover…' }).click();
    const stop = page.getByRole('dialog', { name: 'Stop failover: RS-1' });
    await stop.getByLabel('Discard it').check();
    assert.match(await stop.getByTestId('pool-command-effect').innerText(), /What FO-1 recorded meanwhile is discarded and FO-1 is free at once\./);
    await stop.getByRole('button', { name: 'Stop failover', exact: true }).click();
    await view.getByTestId('pool-message').getByText('Failover of RS-1 stopped: FO-1 is free.').waitFor();
    await view.getByTestId('pool-standby-FO-1').getByText('Free', { exact: true }).waitFor();

    // A failover started elsewhere (over the REST API) shows without any action here: the view
    // refreshes on the supervisor's pool.* events, long before its 30 s safety poll (the stop's
    // refresh just now restarted it).
    const startedElsewhere = await (async () => {
      for (let i = 0; i < 80; i += 1) {
        const res = await fetch(`${controller.url}/api/v1/clusters/${clusterId}/nodes/${node['RS-1']}/failover/start`, { method: 'POST', headers: { 'content-type': 'application/json', ...controller.authHeader }, body: JSON.stringify({ standbyNodeId: node['FO-1'] }), signal: AbortSignal.timeout(30_000) });
        if (res.status === 202) return true;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return false;
    })();
    assert.ok(startedElsewhere, 'the failover of RS-1 started over the REST API');
    await rs1.getByTestId('pool-server-state').getByText('Failed over → FO-1').waitFor({ timeout: 15_000 });
    assert.deepEqual(pageErrors, []);
  });

  test('a viewer sees the pool, and neither edits nor commands it', async () => {
    const viewer = await openPage();
    await signIn(viewer, 'watcher', viewerPassword);
    const view = viewer.getByTestId('pool-view');
    await view.getByTestId('pool-server-RS-1').waitFor();
    await view.getByText('Read-only: viewer').waitFor();
    assert.equal(await view.getByRole('button', { name: 'Failover settings…' }).count(), 0);
    assert.equal(await view.getByRole('button', { name: /^Move / }).count(), 0);
    assert.equal(await view.getByRole('button', { name: 'Create group' }).count(), 0);
    assert.equal(await view.getByLabel('Camera capacity of FO-1').count(), 0);
    assert.match(await view.getByTestId('pool-standby-FO-1').innerText(), /16 cameras/);
    // Commands the state allows are shown, disabled, saying which role they need.
    const commands = view.getByTestId('pool-server-RS-1').getByRole('group', { name: 'RS-1 actions' }).getByRole('button');
    for (const button of await commands.all()) {
      assert.equal(await button.isDisabled(), true);
      assert.match((await button.getAttribute('title')) ?? '', /^Needs the (operator|admin) role$/);
    }
    assert.deepEqual(pageErrors, []);
  });
});
