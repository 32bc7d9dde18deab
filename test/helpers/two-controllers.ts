// Several controllers (`twinrec serve` processes) on one fresh PostgreSQL database, as issue 19
// runs them behind a load balancer: each with its own data folder, all with the one secrets key
// file (cluster secrets are encrypted under it in the shared database) and the one admin
// password. Pass `sharedEnv` to startHaLab's controllerEnv to make the lab's controller one of
// them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { get } from 'node:http';
import { join } from 'node:path';
import { adminAuthHeader, testAdminPassword } from './auth.js';
import { createPostgresDatabase } from './postgres.js';
import { runTwinrec, type TwinrecProcess } from './process.js';

/** One PostgreSQL database, and what every controller on it needs. */
export interface SharedDatabase {
  readonly url: string;
  /** TWINREC_* settings every controller on the database gets: the database, the secrets key file, the admin password. */
  readonly sharedEnv: Readonly<Record<string, string>>;
  drop(): Promise<void>;
}

export interface ExtraController {
  readonly url: string;
  readonly process: TwinrecProcess;
  /** `authorization: Bearer trk_…` of the admin. */
  readonly authHeader: { readonly authorization: string };
  stop(): Promise<void>;
}

/** A fresh database in the server TWINREC_TEST_PG_URL names, and a folder for the key file. */
export async function sharedPostgres(baseUrl: string): Promise<SharedDatabase> {
  const db = await createPostgresDatabase(baseUrl);
  const dir = mkdtempSync(join(tmpdir(), 'twinrec-shared-key-'));
  return {
    url: db.url,
    sharedEnv: { TWINREC_DB_URL: db.url, TWINREC_ENCRYPTION_KEY_FILE: join(dir, 'secrets.key'), TWINREC_AUTH_ADMIN_PASSWORD: testAdminPassword },
    drop: async () => {
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One more `twinrec serve` on the shared database, on a free loopback port, once the database has
 * its schema and its admin (another controller made them): answers once it listens.
 */
export async function startExtraController(shared: SharedDatabase, env: Readonly<Record<string, string>> = {}): Promise<ExtraController> {
  const dataDir = mkdtempSync(join(tmpdir(), 'twinrec-ctl-extra-'));
  const proc = runTwinrec(['serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], { env: { ...shared.sharedEnv, TWINREC_AGENTS_TRUST_ON_FIRST_USE: 'true', ...env } });
  const stop = async (): Promise<void> => {
    await proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const line = await proc.waitForLine((l) => l.includes('"listening"'), 60_000);
    const { url } = JSON.parse(line) as { url: string };
    return { url, process: proc, authHeader: await adminAuthHeader(url, testAdminPassword), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** GETs `path` from a controller as the admin, asserting nothing: the status and the parsed body. */
export async function getAs<T>(controller: { readonly url: string; readonly authHeader: { readonly authorization: string } }, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${controller.url}${path}`, { headers: controller.authHeader, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: (await res.json()) as T };
}

/** An open event stream (GET /api/v1/events/stream): the events it delivered so far, as the API shows them. */
export interface EventStreamReader {
  readonly events: ReadonlyArray<{ readonly id: string; readonly kind: string; readonly nodeId: string | null }>;
  close(): void;
}

/** Opens an event stream on a controller as the admin; resolves once the controller answered 200 (it listens from then on). */
export function openEventStream(controller: { readonly url: string; readonly authHeader: { readonly authorization: string } }, query: string): Promise<EventStreamReader> {
  return new Promise((resolve, reject) => {
    const req = get(`${controller.url}/api/v1/events/stream${query}`, { agent: false, headers: { accept: 'text/event-stream', ...controller.authHeader } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`event stream: HTTP ${res.statusCode ?? '?'}`));
        res.resume();
        return;
      }
      const events: Array<{ id: string; kind: string; nodeId: string | null }> = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('');
          if (data !== '' && !block.includes('event: ')) events.push(JSON.parse(data) as { id: string; kind: string; nodeId: string | null });
        }
      });
      resolve({ events, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}
