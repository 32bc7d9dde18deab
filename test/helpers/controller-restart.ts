// The controller of an HA lab (ha-lab.ts) killed and started again, as a crash and a service
// restart would: the same port (the agents keep their controller URL) and the same data folder
// (the same database: cluster ids, the admin account and its API token).
import assert from 'node:assert/strict';
import { testAdminPassword } from './auth.js';
import type { HaLab } from './ha-lab.js';
import { runTwinrec, type TwinrecProcess } from './process.js';

export class RestartableController {
  private current: TwinrecProcess;
  private running = true;

  private constructor(
    private readonly original: TwinrecProcess,
    private readonly port: string,
    private readonly dataDir: string,
  ) {
    this.current = original;
  }

  /** The lab's controller, as startHaLab started it (`twinrec serve --port 0 --data-dir D`). */
  static of(ha: HaLab): RestartableController {
    assert.ok(ha.controller !== null, 'the lab runs with a controller');
    const args = ha.controller.process.child.spawnargs;
    const dataDir = args[args.indexOf('--data-dir') + 1];
    assert.ok(args.includes('--data-dir') && dataDir !== undefined, `the controller's data folder is among its arguments: ${args.join(' ')}`);
    const port = new URL(ha.controller.url).port;
    assert.ok(port !== '', `the controller's URL has a port: ${ha.controller.url}`);
    return new RestartableController(ha.controller.process, port, dataDir);
  }

  get pid(): number {
    return this.current.pid;
  }

  /** SIGKILL, as a crash: no graceful end of requests in flight. Resolves once it has exited. */
  async kill(): Promise<void> {
    assert.ok(this.running, 'the controller runs');
    this.running = false;
    await this.current.stop('SIGKILL', 15_000);
  }

  /** Starts it again on the same port and data folder; resolves once it listens. */
  async start(): Promise<void> {
    assert.ok(!this.running, 'the controller is down');
    const proc = runTwinrec(['serve', '--port', this.port, '--data-dir', this.dataDir, '--log-level', 'warn'], { env: { TWINREC_AUTH_ADMIN_PASSWORD: testAdminPassword } });
    try {
      await proc.waitForLine((line) => line.includes('"listening"'), 60_000);
    } catch (err) {
      await proc.stop('SIGKILL', 5_000);
      throw err;
    }
    this.current = proc;
    this.running = true;
  }

  /** Stops a controller this helper started; the original is left to HaLab.close(). */
  async close(): Promise<void> {
    if (this.current !== this.original) await this.current.stop('SIGTERM', 15_000);
  }
}
