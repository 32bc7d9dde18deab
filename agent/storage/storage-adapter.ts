// The storage adapter port (ARCHITECTURE.md, "Storage and backfill"): what the agent needs to
// know about a recording storage without the recorder's help. Today it enumerates, per camera,
// the recorded time ranges and the placeholders; reading and writing blocks and creating
// placeholders (backfill) will join it. The lab's on-disk format is one adapter
// (lab-format-adapter.ts); XProtect's media database is another, future one.
import type { Pace } from '../../shared/pace.js';

/**
 * A time range of one camera: the first and the last frame time (ms since the Unix epoch, both
 * inclusive) and the frame rate, which says how long the last frame lasts.
 */
export interface MediaRange {
  readonly startMs: number;
  readonly endMs: number;
  readonly fps: number;
}

/** What a storage holds for one camera. */
export interface CameraRanges {
  readonly cameraId: string;
  /** Content on disk: recorded by this recorder, or placeholders filled since. Sorted, disjoint. */
  readonly recorded: readonly MediaRange[];
  /** Placeholders still pending: the content exists on the peer and backfill has not copied it yet. */
  readonly placeholders: readonly MediaRange[];
  /** True if the adapter stopped reading before the end of what the storage holds (a bound). */
  readonly truncated: boolean;
}

export interface StorageAdapter {
  readonly kind: 'lab-format';
  /** The storage folder the adapter reads. */
  readonly root: string;
  /** Ids of the cameras with a folder in this storage, sorted, at most `max` (`truncated` if there are more). */
  listCameras(max: number): Promise<{ readonly cameraIds: readonly string[]; readonly truncated: boolean }>;
  /**
   * One camera's ranges as the storage holds them now; a torn tail (a record being appended) is
   * left out. Long work goes in slices at `pace`, and stops (throws) once its signal aborts.
   */
  readCamera(cameraId: string, pace?: Pace): Promise<CameraRanges>;
}
