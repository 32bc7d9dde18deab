// The service manager of the local recording server, chosen by configuration: the lab's
// control API, a systemd unit or a Windows service.
import type { RecorderService } from '../shell/ports.js';
import { labRecorderService } from './lab-service.js';
import { systemdService } from './systemd-service.js';
import { windowsService } from './windows-service.js';

export type RecorderServiceConfig = (
  | { readonly kind: 'lab'; readonly controlUrl: string; readonly recorderName: string }
  | { readonly kind: 'systemd'; readonly unit: string }
  /** serviceName: XProtect's is "Milestone XProtect Recording Server". */
  | { readonly kind: 'windows-service'; readonly serviceName: string }
) & {
  /** Bound on each start, stop and status call. */
  readonly timeoutMs: number;
};

/**
 * @example
 *   const service = createRecorderService({ kind: 'windows-service', serviceName: 'Milestone XProtect Recording Server', timeoutMs: 60_000 });
 */
export function createRecorderService(config: RecorderServiceConfig): RecorderService {
  switch (config.kind) {
    case 'lab':
      return labRecorderService({ controlUrl: config.controlUrl, recorderName: config.recorderName, timeoutMs: config.timeoutMs });
    case 'systemd':
      return systemdService({ unit: config.unit, timeoutMs: config.timeoutMs });
    case 'windows-service':
      return windowsService({ serviceName: config.serviceName, timeoutMs: config.timeoutMs });
  }
}

export { labRecorderService, systemdService, windowsService };
