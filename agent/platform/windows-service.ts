// The recorder as a Windows service (XProtect's own installation), driven with sc.exe:
// `sc.exe start|stop "<name>"` returns once the Service Control Manager accepted the request,
// so we then poll `sc.exe query "<name>"` until the service is RUNNING or STOPPED.
//
// Not exercised against a real Service Control Manager here (the test machines run Linux): the
// tests check the `sc.exe query` parser and drive the adapter with `sc.exe` replaced by a script.
import type { RecorderService, ServiceStatus } from '../shell/ports.js';
import { runCommand, type CommandResult } from './run-command.js';

export const defaultRecordingServerServiceName = 'Milestone XProtect Recording Server';

export interface WindowsServiceOptions {
  /** The service name; default "Milestone XProtect Recording Server". */
  readonly serviceName?: string;
  /** Bound on a whole start or stop (request and polling), and on each status query. */
  readonly timeoutMs: number;
  /** The sc.exe executable; default `sc.exe` (looked up in PATH). */
  readonly sc?: string;
}

/** sc.exe's exit code (= the Win32 error) for "An instance of the service is already running". */
export const errorServiceAlreadyRunning = 1056;
/** sc.exe's exit code for "The service has not been started". */
export const errorServiceNotActive = 1062;
/** "The service cannot accept control messages at this time": a start or stop is pending. */
export const errorServiceCannotAcceptControl = 1061;

/** Errors that mean the request is already being or has been carried out. */
const harmless: Readonly<Record<'start' | 'stop', readonly number[]>> = {
  start: [errorServiceAlreadyRunning],
  stop: [errorServiceNotActive, errorServiceCannotAcceptControl],
};

const pollIntervalMs = 500;

/**
 * The state in `sc.exe query` output (`STATE : 4  RUNNING`). The number is read, not the
 * word, as the numbers are the SERVICE_STATUS values and do not depend on the language.
 */
export function parseScQueryState(output: string): ServiceStatus {
  const match = /^\s*STATE\s*:\s*(\d+)/m.exec(output);
  switch (match?.[1]) {
    case '1':
      return 'stopped';
    case '2':
      return 'starting';
    case '3':
      return 'stopping';
    case '4':
      return 'running';
    default:
      // 5 CONTINUE_PENDING, 6 PAUSE_PENDING, 7 PAUSED, or no STATE line at all (an error).
      return 'unknown';
  }
}

/** The Win32 error of a failed sc.exe call: its exit code, or the number after "FAILED". */
export function scErrorCode(result: CommandResult): number | null {
  if (result.exitCode === 0) return null;
  const match = /FAILED\s+(\d+)/.exec(result.stdout + result.stderr);
  return match?.[1] !== undefined ? Number(match[1]) : result.exitCode;
}

function firstLines(result: CommandResult): string {
  return (result.stdout + result.stderr)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(0, 2)
    .join(' ')
    .slice(0, 300);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The recording server's Windows service as a RecorderService.
 *
 * @example
 *   const service = windowsService({ timeoutMs: 60_000 }); // "Milestone XProtect Recording Server"
 *   await service.stop();
 */
export function windowsService(options: WindowsServiceOptions): RecorderService {
  const serviceName = options.serviceName ?? defaultRecordingServerServiceName;
  const { timeoutMs } = options;
  const sc = options.sc ?? 'sc.exe';
  if (serviceName.trim() === '' || serviceName.length > 256 || /["\r\n\0]/.test(serviceName)) throw new Error('not a valid Windows service name');

  const query = async (boundMs: number): Promise<{ status: ServiceStatus; result: CommandResult }> => {
    const result = await runCommand(sc, ['query', serviceName], { timeoutMs: boundMs });
    return { status: result.exitCode === 0 ? parseScQueryState(result.stdout) : 'unknown', result };
  };

  const request = async (action: 'start' | 'stop', boundMs: number): Promise<void> => {
    const result = await runCommand(sc, [action, serviceName], { timeoutMs: boundMs });
    const error = scErrorCode(result);
    if (error === null || harmless[action].includes(error)) return;
    throw new Error(`sc.exe ${action} "${serviceName}" failed (error ${error}): ${firstLines(result)}`);
  };

  const control = async (action: 'start' | 'stop'): Promise<void> => {
    const startedMs = Date.now();
    const deadline = startedMs + timeoutMs;
    const remaining = (): number => Math.max(1, deadline - Date.now());
    await request(action, remaining());
    const target: ServiceStatus = action === 'start' ? 'running' : 'stopped';
    let last: ServiceStatus = 'unknown';
    let sawPending = false;
    // Bounded by the deadline: at most timeoutMs / pollIntervalMs queries.
    let queryError = '';
    while (Date.now() < deadline) {
      let answer: { status: ServiceStatus; result: CommandResult };
      try {
        answer = await query(remaining());
      } catch (err) {
        // A query killed at the deadline, or sc.exe gone: keep trying until the deadline.
        queryError = `; ${(err as Error).message}`;
        if (Date.now() + pollIntervalMs >= deadline) break;
        await sleep(pollIntervalMs);
        continue;
      }
      const { status, result } = answer;
      last = status;
      if (status === target) return;
      if (status === 'starting' || status === 'stopping') sawPending = true;
      // Stopped again after a start request: the service failed to start (its exit code says why).
      // A moment's grace, in case the manager has not yet shown the start pending.
      if (action === 'start' && status === 'stopped' && (sawPending || Date.now() - startedMs > 2_000)) throw new Error(`"${serviceName}" stopped while starting: ${firstLines(result)}`);
      // A stop refused while the service was still starting (1061): ask again once it runs.
      if (action === 'stop' && status === 'running') await request('stop', remaining());
      if (Date.now() + pollIntervalMs >= deadline) break;
      await sleep(pollIntervalMs);
    }
    throw new Error(`"${serviceName}" not ${target} after ${timeoutMs} ms (last state: ${last}${queryError})`);
  };

  return {
    kind: 'windows-service',
    start: () => control('start'),
    stop: () => control('stop'),
    async status(): Promise<ServiceStatus> {
      try {
        return (await query(timeoutMs)).status;
      } catch {
        return 'unknown';
      }
    },
  };
}
