// Starts a controller in this test process, on a free loopback port, with response
// validation on: every response a test receives was checked against the OpenAPI document.
// Its admin account has a known password, and an admin API token is ready for requests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadControllerConfig } from '../../api/src/config/load.js';
import { startController, type RunningController } from '../../api/src/server.js';
import { adminAuthHeader, testAdminPassword } from './auth.js';

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
