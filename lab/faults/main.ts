import { join } from 'node:path';
import { labLogger } from '../shared/log.js';
import { announceReady } from '../shared/ready.js';
import { onShutdown } from '../shared/shutdown.js';
import { readSite } from '../site.js';
import { PLAN_FILE, labPlanSchema, readJsonFile } from '../state.js';
import { startControlApi } from './control-api.js';
import { LabSupervisor } from './supervisor.js';

/**
 * `twinrec lab control --dir D`: the lab's control process. `lab up` starts it; it starts and
 * supervises every other lab process and serves the control API until SIGTERM, when it stops
 * them all.
 */
export async function runControl(dir: string): Promise<void> {
  const log = labLogger('control');
  const plan = await readJsonFile(join(dir, PLAN_FILE), labPlanSchema);
  const site = await readSite(plan.sitePath);
  const host = plan.host ?? '127.0.0.1';
  const running = new LabSupervisor(plan, site, `http://${host}:${plan.controlPort}`, log);
  const api = await startControlApi(running, plan.controlPort, log, host);
  onShutdown(
    log,
    async () => {
      await running.stopAll();
      api.server.closeAllConnections();
      await new Promise<void>((resolve) => api.server.close(() => resolve()));
    },
    60_000,
  );
  try {
    await running.startAll();
  } catch (err) {
    log.error({ err }, 'lab did not start; stopping what did');
    await running.stopAll();
    // Close the control API too, so this process exits and `lab up` fails now (with the end of
    // this log) instead of waiting for its ready timeout.
    api.server.closeAllConnections();
    await new Promise<void>((resolve) => api.server.close(() => resolve()));
    throw err;
  }
  await running.persist();
  announceReady({ component: 'control', url: running.controlUrl, description: running.describe() });
}
