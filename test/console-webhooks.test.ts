// The console's Webhooks page in a real Chromium against a real controller (no lab): an admin
// adds a webhook pointing at a receiver on 127.0.0.1, sees its secret once, tests it (the
// receiver gets a signed `webhook.test` that verifies with that secret), reads the delivery
// log, disables and deletes it. A screenshot goes to test/artifacts/. Needs `npm run build`.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { verifySignature } from '../api/src/webhooks/signature.js';
import { launchChromium, type RunningBrowser } from './helpers/browser.js';
import { startTestController, type TestController } from './helpers/controller.js';
import { repoRoot } from './helpers/process.js';

const artifacts = join(repoRoot, 'test', 'artifacts');

describe('the Webhooks page in Chromium', { timeout: 180_000 }, () => {
  let controller: TestController;
  let chromium: RunningBrowser;
  let context: BrowserContext;
  let page: Page;
  let receiver: Server;
  let receiverUrl: string;
  const got: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    assert.ok(existsSync(join(repoRoot, 'web', 'dist', 'index.html')), 'web/dist is built: run `npm run build` first');
    chromium = await launchChromium();
    controller = await startTestController();
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.statusCode = 200;
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    context = await chromium.browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: controller.url });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (err) => pageErrors.push(`uncaught: ${err.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
    });
  });

  after(async () => {
    if (page !== undefined && !page.isClosed()) await page.screenshot({ path: join(artifacts, 'console-webhooks-last.png'), fullPage: true }).catch(() => undefined);
    await context?.close().catch(() => undefined);
    await chromium?.close();
    await controller?.close();
    await new Promise<void>((resolve) => (receiver === undefined ? resolve() : receiver.close(() => resolve())));
  });

  test('an admin adds a webhook, sees its secret once, tests it, reads its log, disables and deletes it', async () => {
    await page.goto('/');
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill(controller.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Webhooks' }).click();
    const panel = page.getByRole('region', { name: 'Webhooks' });
    await panel.getByText('No webhooks yet.').waitFor();

    await panel.getByRole('button', { name: 'New webhook' }).click();
    await panel.getByLabel('Name').fill('pager');
    await panel.getByLabel('URL').fill(receiverUrl);
    await panel.getByLabel('Event kinds').fill('failover.*, node.agent-lost');
    await panel.getByLabel('Minimum severity').selectOption('warning');
    await panel.getByRole('button', { name: 'Create' }).click();
    const secret = (await panel.getByTestId('webhook-secret-value').innerText()).trim();
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
    const row = panel.getByTestId('webhook-pager');
    assert.match(await row.innerText(), /failover\.\*, node\.agent-lost · warning\+/);
    await page.screenshot({ path: join(artifacts, 'console-webhooks-secret.png'), fullPage: true });
    await panel.getByRole('button', { name: 'Done' }).click();
    assert.equal(await panel.getByTestId('webhook-secret').count(), 0, 'the secret is gone once done');
    assert.ok(!(await page.content()).includes(secret), 'and nowhere on the page');

    await row.getByRole('button', { name: 'Test' }).click();
    assert.match(await panel.getByTestId('webhook-test-result').innerText(), /Test of pager: delivered \(HTTP 200\)/);
    assert.equal(got.length, 1);
    const sent = got[0];
    assert.ok(sent !== undefined);
    assert.equal(verifySignature(String(sent.headers['x-twinrec-signature']), secret, sent.body, Math.floor(Date.now() / 1000)), true, 'signed with the secret the page showed');

    await row.getByRole('button', { name: 'Deliveries' }).click();
    const log = panel.getByTestId('webhook-deliveries');
    await log.getByText('delivered').waitFor();
    assert.match(await log.innerText(), /webhook\.test\s+1\s+delivered\s+200/);

    await row.getByRole('button', { name: 'Disable' }).click();
    await row.getByText('disabled').waitFor();
    await page.screenshot({ path: join(artifacts, 'console-webhooks.png'), fullPage: true });

    await row.getByRole('button', { name: 'Delete…' }).click();
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await panel.getByText('No webhooks yet.').waitFor();
    const left = (await (await fetch(`${controller.url}/api/v1/webhooks`, { headers: controller.authHeader })).json()) as { items: unknown[] };
    assert.deepEqual(left.items, []);
    assert.deepEqual(pageErrors, []);
  });
});
