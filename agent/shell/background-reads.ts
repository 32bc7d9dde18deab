// The reads behind the node status's storage spans and camera names: the storage scanner (with
// a `storage` section) and the camera names from the Management Server (unless turned off).
// Each owns a timer, so the agent starts them last, once nothing else can fail the start.
import type { Logger } from 'pino';
import { parseRecorderConfig, readConfigFile } from '../../recorder-config-sync/index.js';
import type { AgentConfig } from '../config/agent-config.js';
import { defaultRestUrl, startCameraNames, type CameraNameSource } from '../health/camera-names.js';
import { LabFormatAdapter } from '../storage/lab-format-adapter.js';
import { startStorageScanner, type StorageScanner } from '../storage/storage-scanner.js';
import type { AgentWiring } from './wiring.js';

/** The reads behind the status's storage spans and camera names; each owns a timer. */
export interface BackgroundReads {
  readonly storage: StorageScanner | null;
  readonly cameraNames: CameraNameSource | null;
  close(): Promise<void>;
}

/**
 * Starts the storage scanner (with a `storage` section) and the camera names (unless turned off).
 *
 * @example
 *   const reads = startBackgroundReads(wiring);
 *   reads.storage?.latest() // the last scan's spans, or null
 */
export function startBackgroundReads(w: AgentWiring): BackgroundReads {
  const { config, log } = w;
  const storage = config.storage === undefined ? null : startStorageScanner({ adapter: new LabFormatAdapter({ root: config.storage.root }), intervalMs: config.storage.refreshIntervalMs, maxCameras: config.storage.maxCameras, log });
  const cameraNames = config.cameraNames.enabled ? startNames(config, w.password, log) : null;
  return {
    storage,
    cameraNames,
    close: async () => {
      await storage?.close();
      await cameraNames?.close();
    },
  };
}

function startNames(config: AgentConfig, password: string, log: Logger): CameraNameSource | null {
  const recorderId = recorderIdOf(config);
  if (recorderId === null) {
    log.warn('camera names: set recorder.recorderId or recorder.recorderConfigPath to read them from the management server; cameras are shown by id');
    return null;
  }
  const n = config.cameraNames;
  return startCameraNames({ restUrl: n.restUrl ?? defaultRestUrl(config.recorder.tokenUrl), recorderId, idp: { tokenUrl: config.recorder.tokenUrl, username: config.recorder.username, password }, refreshIntervalMs: n.refreshIntervalMs, timeoutMs: n.timeoutMs, maxCameras: n.maxCameras, log });
}

/**
 * This recording server's id, for the Management Server: configured, or RecorderConfig.xml's
 * recorder/id read before each use (config sync may replace the file); null when neither is set.
 */
function recorderIdOf(config: AgentConfig): (() => Promise<string>) | null {
  const { recorderId, recorderConfigPath } = config.recorder;
  if (recorderId !== null) return () => Promise.resolve(recorderId.toLowerCase());
  if (recorderConfigPath === undefined) return null;
  return async () => parseRecorderConfig((await readConfigFile(recorderConfigPath)).bytes).info.recorderId.replace(/^\{|\}$/g, '').toLowerCase();
}
