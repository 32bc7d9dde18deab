import type { IndexRecord } from './format.js';

/**
 * The in-memory index of one camera: the result of applying its index records in order.
 * Pure and idempotent (re-applying a record already applied changes nothing), so the recorder
 * can re-read records it wrote itself while it follows records other processes append.
 */

/** recorded: written by this recorder; placeholder: range known, content pending; filled: placeholder whose content arrived. */
export type EntryState = 'recorded' | 'placeholder' | 'filled';

export interface IndexEntry {
  readonly state: EntryState;
  readonly startMs: number;
  readonly endMs: number;
  readonly fps: number;
  readonly frameCount: number;
  readonly bytes: number;
  readonly sha256: string | null;
}

export type ApplyOutcome = 'applied' | 'duplicate' | { readonly rejected: string };

export class CameraIndex {
  /** Sorted by startMs; ranges never overlap. */
  private readonly list: IndexEntry[] = [];

  get entries(): readonly IndexEntry[] {
    return this.list;
  }

  private position(startMs: number): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.list[mid] as IndexEntry).startMs < startMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(startMs: number): IndexEntry | undefined {
    const entry = this.list[this.position(startMs)];
    return entry?.startMs === startMs ? entry : undefined;
  }

  /** True if [startMs, endMs] intersects an entry other than the one starting at `exceptStartMs`. */
  overlaps(startMs: number, endMs: number, exceptStartMs?: number): boolean {
    // Entries are sorted and disjoint, so their end times are sorted too: walk left from the
    // last entry starting at or before endMs until one ends before startMs.
    for (let at = this.position(endMs + 1) - 1; at >= 0; at -= 1) {
      const entry = this.list[at] as IndexEntry;
      if (entry.endMs < startMs) return false;
      if (entry.startMs !== exceptStartMs) return true;
    }
    return false;
  }

  /** The entry whose range contains `timeMs`, if any. */
  containing(timeMs: number): IndexEntry | undefined {
    const at = this.position(timeMs + 1) - 1;
    const entry = this.list[at];
    return entry !== undefined && entry.startMs <= timeMs && timeMs <= entry.endMs ? entry : undefined;
  }

  /** First entry starting after `timeMs`. */
  after(timeMs: number): IndexEntry | undefined {
    return this.list[this.position(timeMs + 1)];
  }

  /** Last entry ending before `timeMs`. */
  before(timeMs: number): IndexEntry | undefined {
    for (let at = this.position(timeMs) - 1; at >= 0; at -= 1) {
      const entry = this.list[at] as IndexEntry;
      if (entry.endMs < timeMs) return entry;
    }
    return undefined;
  }

  apply(record: IndexRecord): ApplyOutcome {
    const existing = this.get(record.startMs);
    switch (record.op) {
      case 'block': {
        if (existing !== undefined) return existing.state === 'recorded' && existing.sha256 === record.sha256 ? 'duplicate' : { rejected: `block at ${record.startMs} already indexed` };
        if (this.overlaps(record.startMs, record.endMs)) return { rejected: `block ${record.startMs}..${record.endMs} overlaps the index` };
        this.insert({ state: 'recorded', startMs: record.startMs, endMs: record.endMs, fps: record.fps, frameCount: record.frameCount, bytes: record.bytes, sha256: record.sha256 });
        return 'applied';
      }
      case 'placeholder': {
        if (existing !== undefined) return existing.state !== 'recorded' && existing.endMs === record.endMs ? 'duplicate' : { rejected: `placeholder at ${record.startMs} collides with an entry` };
        if (this.overlaps(record.startMs, record.endMs)) return { rejected: `placeholder ${record.startMs}..${record.endMs} overlaps the index` };
        this.insert({ state: 'placeholder', startMs: record.startMs, endMs: record.endMs, fps: record.fps, frameCount: 0, bytes: 0, sha256: null });
        return 'applied';
      }
      case 'fill': {
        if (existing === undefined) return { rejected: `fill at ${record.startMs} has no placeholder` };
        if (existing.state === 'filled') return existing.sha256 === record.sha256 ? 'duplicate' : { rejected: `placeholder at ${record.startMs} already filled` };
        if (existing.state !== 'placeholder' || existing.endMs !== record.endMs) return { rejected: `fill at ${record.startMs} does not match its placeholder` };
        this.replace({ state: 'filled', startMs: record.startMs, endMs: record.endMs, fps: record.fps, frameCount: record.frameCount, bytes: record.bytes, sha256: record.sha256 });
        return 'applied';
      }
      case 'delete': {
        if (existing === undefined) return 'duplicate';
        this.list.splice(this.position(record.startMs), 1);
        return 'applied';
      }
    }
  }

  private insert(entry: IndexEntry): void {
    this.list.splice(this.position(entry.startMs), 0, entry);
  }

  private replace(entry: IndexEntry): void {
    this.list[this.position(entry.startMs)] = entry;
  }
}
