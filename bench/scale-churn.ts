// What changes on a simulated site from one second to the next (bench/scale.bench.ts): cameras
// that lose their connection and come back some seconds later, and which pair fails over next.
// Pure and seeded, so that two runs of the bench load the controller alike.
import { prng } from '../agent/core/simulation.js';

export interface ChurnOptions {
  readonly pairs: number;
  readonly camerasPerPair: number;
  /** Cameras that drop per second across the site (fractions carry over to the next second). */
  readonly dropsPerSecond: number;
  /** A dropped camera returns after this many seconds, drawn uniformly between the two. */
  readonly downSecondsMin: number;
  readonly downSecondsMax: number;
  readonly seed: number;
}

/** A camera by its pair and its index in the pair. */
export interface CameraAt {
  readonly pair: number;
  readonly camera: number;
}

export interface ChurnStep {
  readonly dropped: readonly CameraAt[];
  readonly returned: readonly CameraAt[];
}

/** Most cameras down at once, as a share of the site: a bound on what the churn keeps in memory. */
const downShareMax = 0.05;

/** The simulation's seeded generator (mulberry32): churn replays exactly for one seed. */
export const seededRandom = prng;

/**
 * Camera churn, one step per second.
 *
 * @example
 *   const churn = new CameraChurn({ pairs: 500, camerasPerPair: 50, dropsPerSecond: 25, downSecondsMin: 5, downSecondsMax: 30, seed: 1 });
 *   churn.step(1) // { dropped: [{ pair: 17, camera: 3 }, …], returned: [] }
 */
export class CameraChurn {
  private readonly random: () => number;
  /** Down cameras by `pair:camera`, with the second they return. */
  private readonly down = new Map<string, { readonly at: CameraAt; readonly returnsAt: number }>();
  private carry = 0;
  private readonly downMax: number;

  constructor(private readonly options: ChurnOptions) {
    if (!(options.pairs > 0 && options.camerasPerPair > 0)) throw new RangeError('pairs and camerasPerPair must be positive');
    if (!(options.dropsPerSecond >= 0)) throw new RangeError('dropsPerSecond must not be negative');
    if (!(options.downSecondsMin >= 1 && options.downSecondsMax >= options.downSecondsMin)) throw new RangeError('need 1 ≤ downSecondsMin ≤ downSecondsMax');
    this.random = seededRandom(options.seed);
    this.downMax = Math.max(1, Math.floor(options.pairs * options.camerasPerPair * downShareMax));
  }

  /** True while the camera is down. */
  isDown(pair: number, camera: number): boolean {
    return this.down.has(`${pair}:${camera}`);
  }

  get downCount(): number {
    return this.down.size;
  }

  /** The changes of second `second` (called with increasing seconds). */
  step(second: number): ChurnStep {
    const returned: CameraAt[] = [];
    for (const [key, entry] of this.down) {
      if (entry.returnsAt > second) continue;
      this.down.delete(key);
      returned.push(entry.at);
    }
    const dropped: CameraAt[] = [];
    this.carry += this.options.dropsPerSecond;
    const wanted = Math.floor(this.carry);
    this.carry -= wanted;
    // A few tries per drop: a camera already down is not dropped twice.
    for (let tries = 0; dropped.length < wanted && tries < wanted * 4 && this.down.size < this.downMax; tries += 1) {
      const at = { pair: Math.floor(this.random() * this.options.pairs), camera: Math.floor(this.random() * this.options.camerasPerPair) };
      const key = `${at.pair}:${at.camera}`;
      if (this.down.has(key)) continue;
      const { downSecondsMin: min, downSecondsMax: max } = this.options;
      this.down.set(key, { at, returnsAt: second + min + Math.floor(this.random() * (max - min + 1)) });
      dropped.push(at);
    }
    return { dropped, returned };
  }

  /** A pair drawn at random: the next to fail over. */
  nextFailover(): number {
    return Math.floor(this.random() * this.options.pairs);
  }
}
