// The recorder as a systemd unit (Linux hosts, e.g. a recorder under Wine or a lab recorder
// wrapped in a unit). Start and stop are blocking `systemctl` calls bounded by the timeout;
// status reads the unit's ActiveState.
//
// Not exercised against a real systemd here (the test machines have none): the tests check the
// ActiveState parser and the command lines, with `systemctl` replaced by a script.
import type { RecorderService, ServiceStatus } from '../shell/ports.js';
import { runCommand, type CommandResult } from './run-command.js';

export interface SystemdServiceOptions {
  /** The unit, e.g. `xprotect-recorder.service`. */
  readonly unit: string;
  /** Bound on each systemctl call (a blocking start waits for the unit to become active). */
  readonly timeoutMs: number;
  /** The systemctl executable; default `systemctl` (looked up in PATH). */
  readonly systemctl?: string;
}

/** What `systemctl show --property=ActiveState --value <unit>` printed, as a service status. */
export function parseActiveState(output: string): ServiceStatus {
  switch (output.trim()) {
    case 'active':
      return 'running';
    case 'activating':
    case 'reloading':
      return 'starting';
    case 'deactivating':
      return 'stopping';
    case 'inactive':
    case 'failed':
      return 'stopped';
    default:
      return 'unknown';
  }
}

/** Unit names as systemd accepts them; a leading '-' would be read as an option. */
const unitNamePattern = /^[A-Za-z0-9:_.\\@][A-Za-z0-9:_.\\@-]*$/;

function failure(action: string, unit: string, result: CommandResult): Error {
  const detail = (result.stderr.trim() || result.stdout.trim()).split('\n')[0]?.slice(0, 300) ?? '';
  return new Error(`systemctl ${action} ${unit} failed (exit ${result.exitCode})${detail === '' ? '' : `: ${detail}`}`);
}

/**
 * The recorder's systemd unit as a RecorderService.
 *
 * @example
 *   const service = systemdService({ unit: 'xprotect-recorder.service', timeoutMs: 30_000 });
 *   await service.start();
 */
export function systemdService(options: SystemdServiceOptions): RecorderService {
  const { unit, timeoutMs } = options;
  const systemctl = options.systemctl ?? 'systemctl';
  if (!unitNamePattern.test(unit) || unit.length > 256) throw new Error(`not a valid systemd unit name: ${JSON.stringify(unit.slice(0, 100))}`);
  // --no-ask-password: an agent has nobody to answer a polkit prompt; it must fail instead.
  const control = async (action: 'start' | 'stop'): Promise<void> => {
    const result = await runCommand(systemctl, ['--no-ask-password', action, unit], { timeoutMs });
    if (result.exitCode !== 0) throw failure(action, unit, result);
  };
  return {
    kind: 'systemd',
    start: () => control('start'),
    // Stopping an inactive unit succeeds in systemctl itself.
    stop: () => control('stop'),
    async status(): Promise<ServiceStatus> {
      try {
        const result = await runCommand(systemctl, ['show', '--property=ActiveState', '--value', unit], { timeoutMs });
        return result.exitCode === 0 ? parseActiveState(result.stdout) : 'unknown';
      } catch {
        return 'unknown';
      }
    },
  };
}
