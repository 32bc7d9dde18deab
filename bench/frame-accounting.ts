// Frame accounting for the failover bench: per camera over a window, the frame instants the
// camera produced (its fps grid), the frames the camera hub wrote to each recorder
// (GET /lab/emitted), and the frames each node's storage holds. Every frame that is not on both
// nodes is classified, so a loss can be traced to where it happened rather than only counted:
//   never emitted        the hub sent it to no recorder (no connection, skipped as slow, late tick)
//   emitted, not stored  sent to at least one recorder, in neither storage: lost in a recorder
//   one node only        in one storage only: not a loss (the union holds it), counted per node
import { frameIndexAtOrBefore, frameTimeMs } from '../lab/cameras/frames.js';

/** What one camera's window looks like from the three sources. */
export interface CameraWindow {
  readonly cameraId: string;
  /** Frame times on the camera's grid within the window, ascending. */
  readonly expectedMs: readonly number[];
  /** Per recorder name: the frame times the hub wrote to its connection. */
  readonly emittedMs: ReadonlyMap<string, ReadonlySet<number>>;
  /** Per node (recorder name): the frame times its storage holds (recorded or filled). */
  readonly storedMs: ReadonlyMap<string, ReadonlySet<number>>;
}

/** Consecutive grid frames of one camera in neither storage, of one kind and sent to the same recorders. */
export interface FrameLoss {
  readonly cameraId: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly frames: number;
  readonly kind: 'never-emitted' | 'emitted-not-stored';
  /** The recorders the hub sent them to (empty when never emitted). */
  readonly emittedTo: readonly string[];
}

export interface NodeShortfall {
  /** Frames the peer holds and this node does not. */
  readonly frames: number;
  /** Of those, how many the hub never sent to this node. */
  readonly notEmittedToIt: number;
}

export interface FrameAccounting {
  readonly expected: number;
  readonly onBothNodes: number;
  readonly onOneNodeOnly: number;
  /** Per node: what it lacks of what its peer holds. */
  readonly shortfallByNode: ReadonlyMap<string, NodeShortfall>;
  readonly neverEmitted: number;
  readonly emittedNotStored: number;
  /** Frames missing from the union: neverEmitted + emittedNotStored. */
  readonly lost: number;
  /** Cameras with at least one lost frame. */
  readonly camerasWithLoss: number;
  /** Stored frames (on either node) whose time is not an expected grid instant: shifted timestamps. */
  readonly offGrid: number;
  /** The first `lossesListedMax` runs of lost frames, in camera order, then time order. */
  readonly losses: readonly FrameLoss[];
}

/**
 * Classifies every expected frame of every camera.
 *
 * @example
 *   accountFrames([{ cameraId: 'c', expectedMs: [0, 100], emittedMs: new Map([['a', new Set([0])]]), storedMs: new Map([['a', new Set([0])], ['b', new Set()]]) }])
 *   // expected 2, onOneNodeOnly 1, neverEmitted 1 (frame 100), lost 1
 */
export function accountFrames(cameras: readonly CameraWindow[], lossesListedMax = 20): FrameAccounting {
  if (!Number.isInteger(lossesListedMax) || lossesListedMax < 0) throw new Error(`lossesListedMax must be a non-negative integer, got ${lossesListedMax}`);
  let expected = 0;
  let onBothNodes = 0;
  let onOneNodeOnly = 0;
  let neverEmitted = 0;
  let emittedNotStored = 0;
  let camerasWithLoss = 0;
  const losses: FrameLoss[] = [];
  let offGrid = 0;
  const shortfall = new Map<string, { frames: number; notEmittedToIt: number }>();
  for (const camera of cameras) {
    const grid = new Set(camera.expectedMs);
    for (const times of camera.storedMs.values()) for (const timeMs of times) if (!grid.has(timeMs)) offGrid += 1;
    const nodes = [...camera.storedMs.keys()];
    for (const node of nodes) if (!shortfall.has(node)) shortfall.set(node, { frames: 0, notEmittedToIt: 0 });
    let cameraLost = false;
    let open: { cameraId: string; fromMs: number; toMs: number; frames: number; kind: FrameLoss['kind']; emittedTo: string[] } | null = null;
    for (const timeMs of camera.expectedMs) {
      expected += 1;
      const holders = nodes.filter((node) => camera.storedMs.get(node)?.has(timeMs) === true);
      if (holders.length === nodes.length && nodes.length > 0) {
        onBothNodes += 1;
        open = null;
        continue;
      }
      if (holders.length > 0) {
        onOneNodeOnly += 1;
        open = null;
        for (const node of nodes) {
          if (holders.includes(node)) continue;
          const entry = shortfall.get(node) as { frames: number; notEmittedToIt: number };
          entry.frames += 1;
          if (camera.emittedMs.get(node)?.has(timeMs) !== true) entry.notEmittedToIt += 1;
        }
        continue;
      }
      cameraLost = true;
      const emittedTo = [...camera.emittedMs.entries()].filter(([, times]) => times.has(timeMs)).map(([recorder]) => recorder);
      const kind = emittedTo.length === 0 ? 'never-emitted' : 'emitted-not-stored';
      if (kind === 'never-emitted') neverEmitted += 1;
      else emittedNotStored += 1;
      if (open !== null && open.kind === kind && open.emittedTo.join() === emittedTo.join()) {
        open.toMs = timeMs;
        open.frames += 1;
      } else if (losses.length < lossesListedMax) {
        open = { cameraId: camera.cameraId, fromMs: timeMs, toMs: timeMs, frames: 1, kind, emittedTo };
        losses.push(open);
      } else {
        open = null;
      }
    }
    if (cameraLost) camerasWithLoss += 1;
  }
  return { expected, onBothNodes, onOneNodeOnly, shortfallByNode: shortfall, neverEmitted, emittedNotStored, lost: neverEmitted + emittedNotStored, camerasWithLoss, offGrid, losses };
}

/**
 * The fault nearest to `timeMs` and the signed distance from it (positive: after the fault).
 *
 * @example nearestFault(1_500, [{ atMs: 1_000, label: 'kill 1' }, { atMs: 3_000, label: 'kill 2' }]) // { label: 'kill 1', offsetMs: 500 }
 */
export function nearestFault(timeMs: number, faults: ReadonlyArray<{ readonly atMs: number; readonly label: string }>): { label: string; offsetMs: number } | null {
  let best: { label: string; offsetMs: number } | null = null;
  for (const fault of faults) {
    const offsetMs = timeMs - fault.atMs;
    if (best === null || Math.abs(offsetMs) < Math.abs(best.offsetMs)) best = { label: fault.label, offsetMs };
  }
  return best;
}

/** Expands run-length lists of grid frames (first frame time and count) into frame times on the fps grid. */
export function framesOfRuns(runs: ReadonlyArray<{ readonly firstMs: number; readonly frames: number }>, fps: number): Set<number> {
  const times = new Set<number>();
  for (const run of runs) {
    const firstIndex = frameIndexAtOrBefore(run.firstMs, fps);
    for (let i = 0; i < run.frames; i += 1) times.add(frameTimeMs(firstIndex + i, fps));
  }
  return times;
}

/** Frame times on the fps grid with fromMs <= time <= toMs. */
export function gridFrames(fromMs: number, toMs: number, fps: number): number[] {
  const out: number[] = [];
  const lastIndex = frameIndexAtOrBefore(toMs, fps);
  for (let n = frameIndexAtOrBefore(fromMs - 1, fps) + 1; n <= lastIndex; n += 1) out.push(frameTimeMs(n, fps));
  return out;
}
