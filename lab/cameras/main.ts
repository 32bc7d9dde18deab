import { announceReady } from '../shared/ready.js';
import { labLogger } from '../shared/log.js';
import { onShutdown } from '../shared/shutdown.js';
import type { CameraSpec } from './camera.js';
import { CameraHub, defaultHubOptions } from './hub.js';

export interface CameraHubRun {
  readonly cameras: readonly CameraSpec[];
  readonly host: string;
  readonly port: number;
}

/** `twinrec lab cameras`: runs the camera hub until SIGTERM. */
export async function runCameraHub(run: CameraHubRun): Promise<void> {
  const log = labLogger('cameras');
  const hub = new CameraHub(run.cameras, { ...defaultHubOptions, host: run.host, port: run.port }, log);
  const port = await hub.listen();
  onShutdown(log, () => hub.close());
  log.info({ port, cameras: run.cameras.length }, 'camera hub listening');
  announceReady({ component: 'cameras', url: `http://${run.host}:${port}/`, port, cameras: run.cameras.map((c) => ({ id: c.id, name: c.name })) });
}
