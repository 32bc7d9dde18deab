// Latency samples kept per phase of a bench run (steady, overview load, …), bounded: past
// samplesPerPhaseMax a phase keeps every other new sample (a thinned but even record).
import { summarize, type Summary } from './stats.js';

export const samplesPerPhaseMax = 2_000_000;

export class PhaseSamples {
  private current = 'setup';
  private readonly byPhase = new Map<string, { samples: number[]; seen: number }>();

  set phase(name: string) {
    this.current = name;
  }

  get phase(): string {
    return this.current;
  }

  add(value: number): void {
    let entry = this.byPhase.get(this.current);
    if (entry === undefined) this.byPhase.set(this.current, (entry = { samples: [], seen: 0 }));
    entry.seen += 1;
    if (entry.samples.length < samplesPerPhaseMax) entry.samples.push(value);
    else if (entry.seen % 2 === 0) entry.samples[entry.seen % samplesPerPhaseMax] = value;
  }

  /** A summary per phase that has samples. */
  summaries(): Record<string, Summary> {
    const out: Record<string, Summary> = {};
    for (const [name, entry] of this.byPhase) if (entry.samples.length > 0) out[name] = summarize(entry.samples);
    return out;
  }
}
