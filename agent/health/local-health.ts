// From what the recorder's status service reported to the three numbers the decision core
// judges health by, plus counts and a one-line problem for the operator. Pure.
import type { LocalHealth } from '../core/decide.js';
import type { RecorderHealth } from '../shell/ports.js';

export interface LocalHealthSummary {
  readonly health: LocalHealth;
  /** Every camera the recorder reports, enabled or not. */
  readonly camerasTotal: number;
  /** Cameras reporting Recording. */
  readonly camerasRecording: number;
  /** What is wrong, in a few words (the probe's reason, a storage, cameras); null when nothing is. */
  readonly problem: string | null;
}

const maxNamesInProblem = 3;

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, maxNamesInProblem).join(', ');
  return names.length > maxNamesInProblem ? `${shown} and ${names.length - maxNamesInProblem} more` : shown;
}

/**
 * recorderUp: the recorder answered. storageOk: it reports at least one recording storage and
 * all are available. recordingShare: recording ÷ enabled cameras (1 with no enabled camera:
 * nothing is expected to record).
 *
 * @example
 *   toLocalHealth({ reachable: false, reason: 'connection refused' });
 *   // { health: { recorderUp: false, storageOk: false, recordingShare: 0 }, camerasTotal: 0, camerasRecording: 0, problem: 'connection refused' }
 */
export function toLocalHealth(health: RecorderHealth): LocalHealthSummary {
  if (!health.reachable) {
    // Nothing is known about storage or cameras: report the worst, so nobody hands over to it.
    return { health: { recorderUp: false, storageOk: false, recordingShare: 0 }, camerasTotal: 0, camerasRecording: 0, problem: health.reason };
  }
  const enabled = health.cameras.filter((camera) => camera.enabled);
  const enabledRecording = enabled.filter((camera) => camera.recording).length;
  const camerasRecording = health.cameras.filter((camera) => camera.recording).length;
  const offline = health.storages.filter((storage) => !storage.available).map((storage) => (storage.name.trim() === '' ? storage.storageId : storage.name));
  const storageOk = health.storages.length > 0 && offline.length === 0;
  const recordingShare = enabled.length === 0 ? 1 : Math.min(1, enabledRecording / enabled.length);

  let problem: string | null = null;
  if (health.storages.length === 0) problem = 'no recording storage reported';
  else if (offline.length > 0) problem = `${offline.length === 1 ? 'storage' : 'storages'} ${listNames(offline)} offline`;
  else if (enabledRecording < enabled.length) problem = `${enabled.length - enabledRecording} of ${enabled.length} cameras not recording`;

  return { health: { recorderUp: true, storageOk, recordingShare }, camerasTotal: health.cameras.length, camerasRecording, problem };
}
