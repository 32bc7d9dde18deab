import type { BlockContent, IndexRecord } from './format.js';

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

export interface CameraIndexOptions {
  /**
   * For a reader that applies a whole index.log at once (the agent's storage scan): a delete
   * leaves a tombstone in place, swept out in one pass once they are many and before `entries`
   * is read, instead of a splice (a copy of every later entry) each. Outcomes and entries are
   * the same either way; the recorder, which reads `entries` after every change, keeps the default.
   */
  readonly lazyDeletes?: boolean;
}

/** A deleted entry not swept out yet: keeps its place (and times) so that the list stays sorted. */
class Tombstone {
  constructor(
    readonly startMs: number,
    readonly endMs: number,
  ) {}
}

type Slot = IndexEntry | Tombstone;

const isLive = (slot: Slot | undefined): slot is IndexEntry => slot !== undefined && !(slot instanceof Tombstone);

/** Tombstones are swept once there are this many and they are at least half of the list (so a sweep costs O(1) per delete). */
const sweepTombstonesMin = 1024;

export class CameraIndex {
  /** Sorted by startMs, start times unique; live entries never overlap. */
  private readonly list: Slot[] = [];
  private readonly lazyDeletes: boolean;
  private tombstones = 0;

  constructor(options: CameraIndexOptions = {}) {
    this.lazyDeletes = options.lazyDeletes === true;
  }

  get entries(): readonly IndexEntry[] {
    this.sweep();
    return this.list as IndexEntry[];
  }

  private position(startMs: number): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.list[mid] as Slot).startMs < startMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(startMs: number): IndexEntry | undefined {
    const slot = this.list[this.position(startMs)];
    return isLive(slot) && slot.startMs === startMs ? slot : undefined;
  }

  /** True if [startMs, endMs] intersects an entry other than the one starting at `exceptStartMs`. */
  overlaps(startMs: number, endMs: number, exceptStartMs?: number): boolean {
    // Entries are sorted and disjoint, so their end times are sorted too: walk left from the
    // last entry starting at or before endMs until one ends before startMs.
    for (let at = this.position(endMs + 1) - 1; at >= 0; at -= 1) {
      const entry = this.list[at];
      // A tombstone's range may lie within a live entry added since: it says nothing.
      if (!isLive(entry)) continue;
      if (entry.endMs < startMs) return false;
      if (entry.startMs !== exceptStartMs) return true;
    }
    return false;
  }

  /** The entry whose range contains `timeMs`, if any. */
  containing(timeMs: number): IndexEntry | undefined {
    let at = this.position(timeMs + 1) - 1;
    while (at >= 0 && !isLive(this.list[at])) at -= 1;
    const entry = this.list[at];
    return isLive(entry) && entry.startMs <= timeMs && timeMs <= entry.endMs ? entry : undefined;
  }

  /** First entry starting after `timeMs`. */
  after(timeMs: number): IndexEntry | undefined {
    for (let at = this.position(timeMs + 1); at < this.list.length; at += 1) {
      const entry = this.list[at];
      if (isLive(entry)) return entry;
    }
    return undefined;
  }

  /** Last entry ending before `timeMs`. */
  before(timeMs: number): IndexEntry | undefined {
    for (let at = this.position(timeMs) - 1; at >= 0; at -= 1) {
      const entry = this.list[at];
      if (isLive(entry) && entry.endMs < timeMs) return entry;
    }
    return undefined;
  }

  /**
   * What applying `record` would do, without changing anything: a writer checks a record
   * against the index it read before appending it (the index itself then follows the file).
   */
  check(record: IndexRecord): ApplyOutcome {
    const existing = this.get(record.startMs);
    switch (record.op) {
      case 'block': {
        if (existing !== undefined) return existing.state === 'recorded' && existing.sha256 === record.sha256 ? 'duplicate' : { rejected: `block at ${record.startMs} already indexed` };
        if (this.overlaps(record.startMs, record.endMs)) return { rejected: `block ${record.startMs}..${record.endMs} overlaps the index` };
        return 'applied';
      }
      case 'placeholder': {
        if (existing !== undefined) return existing.state !== 'recorded' && existing.endMs === record.endMs ? 'duplicate' : { rejected: `placeholder at ${record.startMs} collides with an entry` };
        if (this.overlaps(record.startMs, record.endMs)) return { rejected: `placeholder ${record.startMs}..${record.endMs} overlaps the index` };
        return 'applied';
      }
      case 'fill': {
        // Same start and content: this fill, seen again (the writer re-reads what it appended).
        if (existing?.state === 'filled') return existing.sha256 === record.sha256 ? 'duplicate' : { rejected: `${record.startMs} is already filled with other content` };
        const placeholder = this.containing(record.startMs);
        if (placeholder === undefined || placeholder.state !== 'placeholder') return { rejected: `fill ${record.startMs}..${record.endMs} does not start inside a pending placeholder` };
        if (record.endMs > placeholder.endMs) return { rejected: `fill ${record.startMs}..${record.endMs} crosses the end of placeholder ${placeholder.startMs}..${placeholder.endMs}` };
        return 'applied';
      }
      case 'delete':
        return existing === undefined ? 'duplicate' : 'applied';
      case 'cut':
        return this.pendingFrom(record.startMs).length === 0 ? 'duplicate' : 'applied';
    }
  }

  /** The pending placeholders holding `timeMs` or starting after it, in time order. */
  private pendingFrom(timeMs: number): IndexEntry[] {
    const found: IndexEntry[] = [];
    const holding = this.containing(timeMs);
    if (holding?.state === 'placeholder') found.push(holding);
    for (let at = this.position(timeMs + 1); at < this.list.length; at += 1) {
      const slot = this.list[at];
      if (isLive(slot) && slot.state === 'placeholder') found.push(slot);
    }
    return found;
  }

  apply(record: IndexRecord): ApplyOutcome {
    const outcome = this.check(record);
    if (outcome !== 'applied') return outcome;
    switch (record.op) {
      case 'block':
        this.insert({ state: 'recorded', startMs: record.startMs, endMs: record.endMs, fps: record.fps, frameCount: record.frameCount, bytes: record.bytes, sha256: record.sha256 });
        break;
      case 'placeholder':
        this.insert({ state: 'placeholder', startMs: record.startMs, endMs: record.endMs, fps: record.fps, frameCount: 0, bytes: 0, sha256: null });
        break;
      case 'fill':
        this.split(record);
        break;
      case 'delete':
        this.remove(record.startMs);
        break;
      case 'cut':
        for (const pending of this.pendingFrom(record.startMs)) {
          if (pending.startMs < record.startMs) this.replace({ ...pending, endMs: record.startMs - 1 });
          else this.remove(pending.startMs);
        }
        break;
    }
    return 'applied';
  }

  /**
   * A fill [c, d] inside placeholder [a, b] (checked): placeholder [a, c-1] if c > a, filled
   * [c, d], placeholder [d+1, b] if d < b. A backfill copies what the peer holds, which may be
   * less than the placeholder (gaps in the peer's recording, a piece of a block): the rest stays
   * pending until it is filled or deleted.
   */
  private split(fill: BlockContent): void {
    const placeholder = this.containing(fill.startMs) as IndexEntry;
    const filled: IndexEntry = { state: 'filled', startMs: fill.startMs, endMs: fill.endMs, fps: fill.fps, frameCount: fill.frameCount, bytes: fill.bytes, sha256: fill.sha256 };
    if (fill.startMs === placeholder.startMs) {
      this.replace(filled);
    } else {
      this.replace({ ...placeholder, endMs: fill.startMs - 1 });
      this.insert(filled);
    }
    if (fill.endMs < placeholder.endMs) this.insert({ ...placeholder, startMs: fill.endMs + 1 });
  }

  private remove(startMs: number): void {
    const at = this.position(startMs);
    const existing = this.list[at] as IndexEntry;
    if (this.lazyDeletes) {
      this.list[at] = new Tombstone(existing.startMs, existing.endMs);
      this.tombstones += 1;
      if (this.tombstones >= sweepTombstonesMin && this.tombstones * 2 >= this.list.length) this.sweep();
    } else {
      this.list.splice(at, 1);
    }
  }

  private insert(entry: IndexEntry): void {
    const at = this.position(entry.startMs);
    // The place of a deleted entry at the same time is taken over, so start times stay unique.
    const slot = this.list[at];
    if (slot instanceof Tombstone && slot.startMs === entry.startMs) {
      this.list[at] = entry;
      this.tombstones -= 1;
    } else {
      this.list.splice(at, 0, entry);
    }
  }

  private replace(entry: IndexEntry): void {
    this.list[this.position(entry.startMs)] = entry;
  }

  /** Removes every tombstone, in one pass. */
  private sweep(): void {
    if (this.tombstones === 0) return;
    let kept = 0;
    for (const slot of this.list) if (isLive(slot)) this.list[kept++] = slot;
    this.list.length = kept;
    this.tombstones = 0;
  }
}

/**
 * The records that recreate `entry` in an empty index: what a compacted index.log holds, and
 * what a reader copies an index with. A filled entry needs its placeholder first, as a fill is
 * only accepted inside one.
 *
 * @example entryRecords(filled) // [{ op: 'placeholder', startMs, endMs, fps }, { op: 'fill', … }]
 */
export function entryRecords(entry: IndexEntry): IndexRecord[] {
  const range = { startMs: entry.startMs, endMs: entry.endMs, fps: entry.fps };
  if (entry.state === 'placeholder') return [{ op: 'placeholder', ...range }];
  const content: BlockContent = { ...range, frameCount: entry.frameCount, bytes: entry.bytes, sha256: entry.sha256 ?? '' };
  return entry.state === 'filled' ? [{ op: 'placeholder', ...range }, { op: 'fill', ...content }] : [{ op: 'block', ...content }];
}
