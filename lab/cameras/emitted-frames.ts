/**
 * Which frames the camera hub actually wrote to each recorder's connection, per camera: the
 * ground truth a benchmark compares storage with, so that a frame missing from storage can be
 * told apart from a frame no recorder was ever sent (skipped for a slow connection, a late
 * tick, no connection at that moment).
 *
 * Frame numbers (frames.ts: frame n is at floor(n * 1000 / fps) ms) are kept as run-length
 * lists of consecutive numbers, so a connection that streams for hours costs one run; every
 * skip or reconnect starts a new run. Bounded: at most `runsPerRecorderMax` runs per camera
 * and recorder (the oldest are forgotten, and the answer says from which frame on the list is
 * complete) and `recordersPerCameraMax` recorder names per camera (the one written to least
 * recently is forgotten).
 */

/** Consecutive frame numbers first..last, both included. */
export interface FrameRun {
  readonly first: number;
  readonly last: number;
}

export interface EmittedFramesLimits {
  readonly runsPerRecorderMax: number;
  readonly recordersPerCameraMax: number;
}

export const defaultEmittedFramesLimits: EmittedFramesLimits = { runsPerRecorderMax: 4096, recordersPerCameraMax: 16 };

/** What one recorder was sent of one camera within a query's frame numbers. */
export interface RecorderEmission {
  readonly recorder: string;
  readonly runs: readonly FrameRun[];
  /** Runs before this frame number were forgotten (bound reached); null when nothing was. */
  readonly completeFromIndex: number | null;
}

/** A sorted list of disjoint, non-adjacent runs of frame numbers. */
class FrameRuns {
  private runs: Array<{ first: number; last: number }> = [];
  completeFromIndex: number | null = null;
  lastWriteSeq = 0;

  constructor(private readonly runsMax: number) {}

  add(index: number): void {
    const tail = this.runs[this.runs.length - 1];
    // The common case by far: the next frame of the stream.
    if (tail !== undefined && index === tail.last + 1) {
      tail.last = index;
      return;
    }
    if (tail === undefined || index > tail.last + 1) {
      this.runs.push({ first: index, last: index });
    } else {
      // An older frame (a second connection of the same recorder overlapping the first).
      this.insert(index);
    }
    if (this.runs.length > this.runsMax) {
      const dropped = this.runs.splice(0, this.runs.length - this.runsMax);
      const lastDropped = dropped[dropped.length - 1];
      if (lastDropped !== undefined) this.completeFromIndex = lastDropped.last + 1;
    }
  }

  private insert(index: number): void {
    // First run whose last >= index - 1 (binary search): index joins it, the one before, or neither.
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.runs[mid] as { last: number }).last < index - 1) lo = mid + 1;
      else hi = mid;
    }
    const run = this.runs[lo];
    if (run === undefined || index < run.first - 1) {
      this.runs.splice(lo, 0, { first: index, last: index });
      return;
    }
    if (index >= run.first && index <= run.last) return;
    if (index === run.first - 1) run.first = index;
    else run.last = index;
    const next = this.runs[lo + 1];
    if (next !== undefined && next.first === run.last + 1) {
      run.last = next.last;
      this.runs.splice(lo + 1, 1);
    }
  }

  /** The runs clipped to fromIndex..toIndex. */
  within(fromIndex: number, toIndex: number): FrameRun[] {
    const out: FrameRun[] = [];
    for (const run of this.runs) {
      if (run.last < fromIndex || run.first > toIndex) continue;
      out.push({ first: Math.max(run.first, fromIndex), last: Math.min(run.last, toIndex) });
    }
    return out;
  }
}

/**
 * The hub's record of emitted frames.
 *
 * @example
 *   const emitted = new EmittedFrames();
 *   emitted.record(cameraId, 'recorder-1a', 41);
 *   emitted.record(cameraId, 'recorder-1a', 42);
 *   emitted.query(cameraId, 0, 100); // [{ recorder: 'recorder-1a', runs: [{ first: 41, last: 42 }], completeFromIndex: null }]
 */
export class EmittedFrames {
  private readonly cameras = new Map<string, Map<string, FrameRuns>>();
  private writeSeq = 0;

  constructor(private readonly limits: EmittedFramesLimits = defaultEmittedFramesLimits) {
    if (!(limits.runsPerRecorderMax >= 1) || !(limits.recordersPerCameraMax >= 1)) throw new Error('emitted-frame limits must be at least 1');
  }

  /** Notes that frame `index` of `cameraId` was written to `recorder`'s connection. */
  record(cameraId: string, recorder: string, index: number): void {
    if (!Number.isSafeInteger(index) || index < 0) throw new Error(`frame number must be a non-negative integer, got ${index}`);
    let byRecorder = this.cameras.get(cameraId);
    if (byRecorder === undefined) {
      byRecorder = new Map();
      this.cameras.set(cameraId, byRecorder);
    }
    let runs = byRecorder.get(recorder);
    if (runs === undefined) {
      if (byRecorder.size >= this.limits.recordersPerCameraMax) this.forgetStalest(byRecorder);
      runs = new FrameRuns(this.limits.runsPerRecorderMax);
      byRecorder.set(recorder, runs);
    }
    this.writeSeq += 1;
    runs.lastWriteSeq = this.writeSeq;
    runs.add(index);
  }

  private forgetStalest(byRecorder: Map<string, FrameRuns>): void {
    let stalest: string | null = null;
    let seq = Number.POSITIVE_INFINITY;
    for (const [name, runs] of byRecorder) {
      if (runs.lastWriteSeq < seq) {
        seq = runs.lastWriteSeq;
        stalest = name;
      }
    }
    if (stalest !== null) byRecorder.delete(stalest);
  }

  /** Per recorder (in name order), the frames of `cameraId` numbered fromIndex..toIndex that were emitted to it. */
  query(cameraId: string, fromIndex: number, toIndex: number): RecorderEmission[] {
    const byRecorder = this.cameras.get(cameraId);
    if (byRecorder === undefined) return [];
    return [...byRecorder.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([recorder, runs]) => ({ recorder, runs: runs.within(fromIndex, toIndex), completeFromIndex: runs.completeFromIndex }));
  }
}
