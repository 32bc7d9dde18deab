// Starts a controller in this test process, on a free loopback port, with response
// validation on: every response a test receives was checked against the OpenAPI document.
// Its admin account has a known password, and an admin API token is ready for requests.
import { after, before, describe } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { loadControllerConfig } from '../../api/src/config/load.js';
import { startController, type RunningController } from '../../api/src/server.js';
import { adminAuthHeader, testAdminPassword } from './auth.js';
import { backends, type Backend } from './postgres.js';

export interface TestController extends RunningController {
  readonly dataDir: string;
  /** The `admin` account's password (auth.adminPassword). */
  readonly adminPassword: string;
  /** `authorization: Bearer trk_…` of an admin token, for requests. */
  readonly authHeader: { readonly authorization: string };
}

export async function startTestController(options: { dbUrl?: string | undefined; dataDir?: string; healthIntervalMs?: number; flags?: Readonly<Record<string, string | number | boolean>> } = {}): Promise<TestController> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'twinrec-ctl-'));
  const { config } = loadControllerConfig({
    flags: {
      'http.port': 0,
      'http.validateResponses': true,
      'http.shutdownGraceMs': 2_000,
      dataDir,
      'db.url': options.dbUrl,
      'db.connectTimeoutMs': 2_000,
      'db.healthIntervalMs': options.healthIntervalMs ?? 1_000,
      'log.level': process.env.TWINREC_TEST_LOG === '1' ? 'debug' : 'silent',
      'auth.adminPassword': testAdminPassword,
      ...options.flags,
    },
  });
  const controller = await startController(config, pino({ level: config.log.level }, pino.destination(2)));
  let authHeader: { authorization: string };
  try {
    authHeader = await adminAuthHeader(controller.url, config.auth.adminPassword ?? testAdminPassword, config.auth.adminUsername);
  } catch (err) {
    await controller.close();
    throw err;
  }
  return {
    ...controller,
    dataDir,
    adminPassword: config.auth.adminPassword ?? testAdminPassword,
    authHeader,
    close: async () => {
      await controller.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

type ControllerFlags = Readonly<Record<string, string | number | boolean>>;

/** What a suite of onEachBackend sees: its backend, its controller once started, and an admin API agent. */
export interface BackendSuite {
  readonly backend: Backend;
  /** The running controller: read it in hooks and tests, not while the suite is being declared. */
  readonly controller: TestController;
  /** A supertest agent on the controller, with the admin token set. */
  api(): ReturnType<typeof request.agent>;
}

/**
 * Declares `${title} on ${backend}` for each database backend: a fresh database and a controller on it,
 * started before the suite's own hooks and tests, closed and dropped after them.
 */
export function onEachBackend(title: string, body: (suite: BackendSuite) => void, options: { flags?: ControllerFlags } = {}): void {
  for (const backend of backends) {
    describe(`${title} on ${backend.name}`, () => {
      let controller: TestController | undefined;
      let drop: (() => Promise<void>) | undefined;

      before(async () => {
        const db = await backend.create();
        drop = db.drop;
        controller = await startTestController({ ...options, dbUrl: db.url });
      });

      const suite: BackendSuite = {
        backend,
        get controller(): TestController {
          if (controller === undefined) throw new Error(`the controller of "${title} on ${backend.name}" is not running`);
          return controller;
        },
        api: () => request.agent(suite.controller.url).set(suite.controller.authHeader),
      };
      body(suite);

      // Registered after the body's hooks, so it runs after them: the suite's own teardown still sees the controller.
      after(async () => {
        await controller?.close();
        await drop?.();
      });
    });
  }
}
