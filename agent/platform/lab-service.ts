// The lab's recorders as a service manager sees them: the lab control API starts and stops
// recorder processes (`POST /lab/recorders/{name}/start|stop`) and reports their status
// (`GET /lab`). Reached over HTTP only, like any other service manager: nothing from lab/ is
// imported here.
import { z } from 'zod';
import type { RecorderService, ServiceStatus } from '../shell/ports.js';

export interface LabRecorderServiceOptions {
  /** The lab control API, e.g. http://127.0.0.1:45123 (`control.url` of `twinrec lab up`). */
  readonly controlUrl: string;
  /** The lab recorder, e.g. `recorder-1a`. */
  readonly recorderName: string;
  /** Bound on each request; a start waits until the recorder process is ready. */
  readonly timeoutMs: number;
}

/** The part of the `GET /lab` description this adapter reads. */
const labDescriptionSchema = z.object({
  pairs: z.array(z.object({ recorders: z.array(z.object({ name: z.string(), status: z.string() })) })),
});

/**
 * A lab recorder's process status as a service status. A hung recorder (SIGSTOP) is
 * 'running': a service manager cannot see a hang, only the health probe can.
 */
export function labStatusToServiceStatus(status: string): ServiceStatus {
  switch (status) {
    case 'running':
    case 'hung':
      return 'running';
    case 'starting':
      return 'starting';
    case 'stopped':
    case 'crashed':
      return 'stopped';
    default:
      return 'unknown';
  }
}

/** The `detail` (or `title`) of a problem+json answer, shortened; empty if there is none. */
async function problemDetail(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { detail?: unknown; title?: unknown };
    const text = typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title : '';
    return text.slice(0, 200);
  } catch {
    return '';
  }
}

/**
 * A lab recorder as a RecorderService.
 *
 * @example
 *   const service = labRecorderService({ controlUrl: lab.control.url, recorderName: 'recorder-1a', timeoutMs: 30_000 });
 *   await service.stop();
 *   await service.status(); // 'stopped'
 */
export function labRecorderService(options: LabRecorderServiceOptions): RecorderService {
  const { recorderName, timeoutMs } = options;
  const base = options.controlUrl.replace(/\/+$/, '');
  const actionUrl = (action: 'start' | 'stop'): string => `${base}/lab/recorders/${encodeURIComponent(recorderName)}/${action}`;

  const post = async (action: 'start' | 'stop'): Promise<void> => {
    let res: Response;
    try {
      res = await fetch(actionUrl(action), { method: 'POST', signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const reason = (err as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : `control API unreachable (${(err as Error).message})`;
      throw new Error(`lab ${action} of ${recorderName} failed: ${reason}`);
    }
    const detail = await problemDetail(res);
    if (res.status === 200) return;
    // The lab answers 409 to a start while the recorder is already running, starting or hung:
    // the service is (being) started, which is what was asked.
    if (action === 'start' && res.status === 409) return;
    throw new Error(`lab ${action} of ${recorderName} failed: HTTP ${res.status}${detail === '' ? '' : ` ${detail}`}`);
  };

  return {
    kind: 'lab',
    start: () => post('start'),
    // The lab answers 200 to a stop of a recorder that is already stopped.
    stop: () => post('stop'),
    async status(): Promise<ServiceStatus> {
      try {
        const res = await fetch(`${base}/lab`, { signal: AbortSignal.timeout(timeoutMs) });
        if (res.status !== 200) {
          await res.body?.cancel();
          return 'unknown';
        }
        const parsed = labDescriptionSchema.safeParse(await res.json());
        if (!parsed.success) return 'unknown';
        const recorder = parsed.data.pairs.flatMap((pair) => pair.recorders).find((r) => r.name === recorderName);
        return recorder === undefined ? 'unknown' : labStatusToServiceStatus(recorder.status);
      } catch {
        return 'unknown';
      }
    },
  };
}
