// The reads behind the node status's storage spans and cameras: the storage scanner (with a
// `storage` section) and the recorder's camera list from the Management Server, always: the
// health probe asks the recorder for exactly those camera ids (turning `cameraNames` off only
// leaves the names out of the status). Each owns a timer, so the agent starts them last, once
// nothing else can fail the start.
import type { Logger } from 'pino';
import type { AgentConfig } from '../config/agent-config.js';
import { defaultRestUrl, startCameraNames, type CameraNameSource } from '../health/camera-names.js';
import { takesCameraIds } from '../health/recorder-probe.js';
import { LabFormatAdapter } from '../storage/lab-format-adapter.js';
import { startStorageScanner, type StorageScanner } from '../storage/storage-scanner.js';
import type { AgentWiring } from './wiring.js';
import { recorderIdOf } from '../config/recorder-id.js';

/** The reads behind the status's storage spans and camera names; each owns a timer. */
export interface BackgroundReads {
  readonly storage: StorageScanner | null;
  /** The camera names for the status; null when `cameraNames.enabled` is off or the recorder id is unknown. */
  readonly cameraNames: CameraNameSource | null;
  close(): Promise<void>;
}

/**
 * Starts the storage scanner (with a `storage` section) and the camera list, and hands the
 * list's ids to the health probe. Until the first read succeeds the probe knows no camera ids and
 * reports the recorder's storages only, with no cameras (as before its first answer): nothing
 * takes that for lost cameras, and the list is kept across failed refreshes once read.
 *
 * @example
 *   const reads = startBackgroundReads(wiring);
 *   reads.storage?.latest() // the last scan's spans, or null
 */
export function startBackgroundReads(w: AgentWiring): BackgroundReads {
  const { config, log } = w;
  const storage = config.storage === undefined ? null : startStorageScanner({ adapter: new LabFormatAdapter({ root: config.storage.root }), intervalMs: config.storage.refreshIntervalMs, maxCameras: config.storage.maxCameras, log });
  const cameraList = startCameraList(config, w.password, log);
  if (cameraList !== null && takesCameraIds(w.probe)) w.probe.readCameraIdsFrom(() => cameraList.cameraIds());
  return {
    storage,
    cameraNames: config.cameraNames.enabled ? cameraList : null,
    close: async () => {
      await storage?.close();
      await cameraList?.close();
    },
  };
}

/**
 * The recorder's camera list from the Management Server (ids and names), read with the
 * recorder's IDP user; null (logged) when the recorder id is not known. A pool's protected
 * server reads it too: its cameras are what a standby takes over.
 */
export function startCameraList(config: Pick<AgentConfig, 'recorder' | 'cameraNames'>, password: string, log: Logger): CameraNameSource | null {
  const recorderId = recorderIdOf(config);
  if (recorderId === null) {
    log.error("camera list: set recorder.recorderId or recorder.recorderConfigPath, so that the agent can read this recorder's cameras from the management server; until then the health probe asks the recorder about no camera");
    return null;
  }
  const n = config.cameraNames;
  return startCameraNames({ restUrl: n.restUrl ?? defaultRestUrl(config.recorder.tokenUrl), recorderId, idp: { tokenUrl: config.recorder.tokenUrl, username: config.recorder.username, password }, refreshIntervalMs: n.refreshIntervalMs, timeoutMs: n.timeoutMs, maxCameras: n.maxCameras, log });
}

