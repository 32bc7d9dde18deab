// Serves the web console (web/dist, built by `npm run build`) at `/`: hashed assets cached for
// a year, index.html revalidated on every load so a new build is picked up at once, and every
// other non-API GET answered with index.html, since the console routes in the browser.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Response } from 'express';
import { isApiPath, reachesApi } from './auth.js';
import { sendProblem } from './problem.js';

/** The console loads only its own files and talks only to this controller. */
export const consoleContentSecurityPolicy = "default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'";

/** Vite names files under assets/ by content hash, so one never changes under its name. */
const hashedAssetCache = 'public, max-age=31536000, immutable';
const packageName = 'twinrec';
/** api/src/http (tsx) or dist/api/src/http (built): the root is 3 or 4 levels up. */
const packageSearchDepthMax = 6;

/** The directory of twinrec's package.json, found upwards from `from`; null if none within reach. */
export function findPackageRoot(from: string): string | null {
  let dir = from;
  for (let depth = 0; depth <= packageSearchDepthMax; depth += 1) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        if ((JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === packageName) return dir;
      } catch {
        // Not a package.json we can read: keep looking upwards.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
  return null;
}

/** web/dist of this installation, whether the controller runs from source or from dist/. */
export function consoleDistDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = findPackageRoot(here) ?? join(here, '..', '..', '..');
  return join(root, 'web', 'dist');
}

function setHtmlHeaders(res: Response): void {
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Content-Security-Policy', consoleContentSecurityPolicy);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
}

/** Paths the console never serves: the API's own, in any case (404 problem there), and file names (a missing asset is a 404, not the app). */
const notConsolePath = (path: string): boolean => isApiPath(path) || (path.split('/').pop() ?? '').includes('.');

export interface ConsoleOptions {
  /** Where the built console is; consoleDistDir() unless a test says otherwise. */
  readonly distDir?: string;
}

export function consoleRoutes(options: ConsoleOptions = {}): Router {
  const distDir = options.distDir ?? consoleDistDir();
  const indexFile = join(distDir, 'index.html');
  const assetsDir = join(distDir, 'assets') + sep;
  const router = Router();

  // Neither a file nor the page for a path that only looks like the API's or the console's
  // (`//api/…`, `/x/../api/…`, `//assets/…`): a 404 problem (the API's middleware answers those first).
  router.use((req, _res, next) => next(reachesApi(req.path) ? 'router' : undefined));
  router.use(
    express.static(distDir, {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      fallthrough: true,
      setHeaders: (res, path) => {
        res.setHeader('X-Content-Type-Options', 'nosniff');
        if (path.endsWith('.html')) setHtmlHeaders(res);
        else res.setHeader('Cache-Control', path.startsWith(assetsDir) ? hashedAssetCache : 'no-cache');
      },
    }),
  );

  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || notConsolePath(req.path)) {
      next();
      return;
    }
    if (!existsSync(indexFile)) {
      sendProblem(res, 'console-not-built', `The web console is not built (no ${indexFile}). Run \`npm run build\`; the REST API under /api/v1 works without it.`);
      return;
    }
    setHtmlHeaders(res);
    res.sendFile(indexFile, { cacheControl: false, lastModified: true, dotfiles: 'deny' }, (err) => {
      if (err !== undefined && !res.headersSent) next(err);
    });
  });
  return router;
}
