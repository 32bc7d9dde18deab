// The console's static serving against a made-up build in a temporary directory: caching,
// the Content-Security-Policy, the SPA fallback, and the 503 when nothing was built.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { consoleContentSecurityPolicy, consoleDistDir, consoleRoutes, findPackageRoot } from './console.js';
import { errorHandler, notFoundHandler } from './problem.js';

const indexHtml = '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';

function appFor(distDir: string) {
  const app = express();
  app.get('/api/v1/ping', (_req, res) => {
    res.json({ pong: true });
  });
  app.use(consoleRoutes({ distDir }));
  app.use(notFoundHandler);
  app.use(errorHandler(pino({ level: 'silent' })));
  return app;
}

describe('web console serving', () => {
  let dir: string;
  let app: express.Express;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'twinrec-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), indexHtml);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("app")');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dir, '.env'), 'SECRET=1');
    app = appFor(dir);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  test('/ is index.html, revalidated every time, with the CSP', async () => {
    const res = await request(app).get('/').expect(200);
    assert.match(res.headers['content-type'] ?? '', /text\/html/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.equal(res.headers['content-security-policy'], consoleContentSecurityPolicy);
    assert.match(consoleContentSecurityPolicy, /default-src 'self'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.text, indexHtml);
  });

  test('a console route is answered with index.html (SPA fallback), HEAD too', async () => {
    const res = await request(app).get('/clusters/6b5a4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d').expect(200);
    assert.equal(res.text, indexHtml);
    assert.equal(res.headers['content-security-policy'], consoleContentSecurityPolicy);
    const head = await request(app).head('/clusters').expect(200);
    assert.equal(head.headers['cache-control'], 'no-cache');
  });

  test('/index.html itself gets the same headers', async () => {
    const res = await request(app).get('/index.html').expect(200);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.equal(res.headers['content-security-policy'], consoleContentSecurityPolicy);
  });

  test('hashed assets are cached for a year; other files are revalidated', async () => {
    const asset = await request(app).get('/assets/index-abc123.js').expect(200);
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(asset.headers['content-type'] ?? '', /javascript/);
    const icon = await request(app).get('/favicon.svg').expect(200);
    assert.equal(icon.headers['cache-control'], 'no-cache');
  });

  test('a missing asset or file is a 404 problem, not the app', async () => {
    for (const path of ['/assets/index-missing.js', '/robots.txt', '/.env']) {
      const res = await request(app).get(path).expect(404);
      assert.match(res.headers['content-type'] ?? '', /application\/problem\+json/, path);
      assert.equal((res.body as { type: string }).type, 'urn:twinrec:problem:not-found', path);
    }
  });

  test('API paths and other methods are left to the API', async () => {
    await request(app).get('/api/v1/ping').expect(200, { pong: true });
    const missing = await request(app).get('/api/v1/nothing-here').expect(404);
    assert.equal((missing.body as { type: string }).type, 'urn:twinrec:problem:not-found');
    await request(app).get('/api').expect(404);
    await request(app).post('/clusters').send({}).expect(404);
  });

  test('a path that only looks like the API or a file (//api/…, /api%2f…, //assets/…) is never the page nor a file', async () => {
    for (const path of ['//api/v1/ping', '//API/v1/clusters', '/api%2fv1/clusters', '/%2e/api/v1/clusters', '//assets/index-abc123.js', '//clusters']) {
      const res = await request(app).get(path);
      assert.equal(res.status, 404, path);
      assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/, path);
    }
  });

  test('without a build, console paths are a clear 503 problem and the API still answers', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'twinrec-console-none-'));
    try {
      const bare = appFor(join(empty, 'dist'));
      const res = await request(bare).get('/').expect(503);
      assert.match(res.headers['content-type'] ?? '', /application\/problem\+json/);
      const problem = res.body as { type: string; detail: string };
      assert.equal(problem.type, 'urn:twinrec:problem:console-not-built');
      assert.match(problem.detail, /npm run build/);
      await request(bare).get('/api/v1/ping').expect(200);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test("web/dist is found from the package root, from source as from dist/", () => {
    const here = fileURLToPath(new URL('.', import.meta.url));
    const root = findPackageRoot(here);
    assert.ok(root !== null, 'the package root is found from api/src/http');
    assert.equal(consoleDistDir(), join(root, 'web', 'dist'));
    // The compiled module sits one level deeper (dist/api/src/http); same root.
    assert.equal(findPackageRoot(join(root, 'dist', 'api', 'src', 'http')), root);
    assert.equal(findPackageRoot(tmpdir()), null);
  });
});
