import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { storageFaultSchema } from '../recorder/control.js';
import { readJson, sendJson, sendProblem } from '../shared/http.js';
import type { Logger } from '../shared/log.js';
import { FaultError, type LabSupervisor } from './supervisor.js';

const cameraFaultSchema = z.object({ action: z.enum(['disconnect', 'reconnect', 'drop']) });

/**
 * The lab control API (HTTP, on the lab's host: loopback unless `lab up --host`), used by tests, the demo and `twinrec lab fault`:
 *
 *   GET  /lab                                          the lab description (as `lab up` prints it)
 *   GET  /lab/processes                                every supervised process: name, kind, pid, status, logPath
 *   POST /lab/processes/{name}/crash|hang|resume|stop|start   any process: recorder, agent, relay, cameras, management, event-server
 *   POST /lab/recorders/{name}/crash|hang|resume|stop|start   the same (the recorders' service start/stop)
 *   POST /lab/recorders/{name}/storage                  {"mode":"online|offline|full|slow", "throughputBytesPerSecond":N}
 *   POST /lab/recorders/{name}/cameras/{cameraId|all}   {"action":"disconnect|reconnect|drop"}
 *   POST /lab/management/stop|start                     management server down / up
 *   POST /lab/cameras/stop|start                        the camera hub itself down / up
 */
export async function startControlApi(supervisor: LabSupervisor, port: number, log: Logger, host = '127.0.0.1'): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    handle(supervisor, req, res).catch((err: unknown) => {
      const status = err instanceof FaultError ? err.statusCode : 500;
      if (status >= 500) log.error({ err }, 'control request failed');
      if (!res.headersSent) sendProblem(res, status, status >= 500 ? 'Fault failed' : 'Fault refused', (err as Error).message);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

async function handle(supervisor: LabSupervisor, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://control').pathname;
  if (req.method === 'GET' && (path === '/lab' || path === '/lab/')) {
    sendJson(res, 200, supervisor.describe());
    return;
  }
  if (req.method === 'GET' && path === '/lab/processes') {
    sendJson(res, 200, { processes: supervisor.processes() });
    return;
  }
  if (req.method !== 'POST') {
    sendProblem(res, 404, 'Not found');
    return;
  }
  const lifecycle = /^\/lab\/(recorders|processes)\/([a-z0-9-]+)\/(crash|hang|resume|stop|start)$/.exec(path);
  if (lifecycle !== null) {
    const [, route = '', name = '', action = ''] = lifecycle;
    await ({ crash: () => supervisor.crash(name), hang: () => supervisor.hang(name), resume: () => supervisor.resume(name), stop: () => supervisor.stop(name), start: () => supervisor.start(name) } as Record<string, () => Promise<void>>)[action]?.();
    sendJson(res, 200, { [route === 'recorders' ? 'recorder' : 'process']: name, action, processes: supervisor.processes() });
    return;
  }
  const storage = /^\/lab\/recorders\/([a-z0-9-]+)\/storage$/.exec(path);
  if (storage !== null) {
    const parsed = storageFaultSchema.safeParse(await readJson(req));
    if (!parsed.success) throw new FaultError(parsed.error.message, 400);
    sendJson(res, 200, await supervisor.storageFault(storage[1] ?? '', parsed.data));
    return;
  }
  const camera = /^\/lab\/recorders\/([a-z0-9-]+)\/cameras\/([0-9a-f-]{36}|all)$/.exec(path);
  if (camera !== null) {
    const parsed = cameraFaultSchema.safeParse(await readJson(req));
    if (!parsed.success) throw new FaultError(parsed.error.message, 400);
    sendJson(res, 200, await supervisor.cameraFault(camera[1] ?? '', camera[2] ?? '', parsed.data.action));
    return;
  }
  const service = /^\/lab\/(management|cameras)\/(stop|start)$/.exec(path);
  if (service !== null) {
    const [, name = '', action = ''] = service;
    if (action === 'stop') await supervisor.stop(name);
    else await supervisor.start(name);
    sendJson(res, 200, { service: name, action, processes: supervisor.processes() });
    return;
  }
  sendProblem(res, 404, 'Not found');
}
