// Watches a lab storage's index.log files for `fill` records (backfill's filled placeholders)
// and notes when each one appeared: the most exact outside view of "a block was filled", since
// the record is appended only after the block file is durable (lab/README.md, "Placeholders
// and backfill"). It polls every few milliseconds, reading only what was appended since.
import { open, stat } from 'node:fs/promises';
import { decodeIndex } from '../media-store/format.js';
import { indexPath } from '../media-store/layout.js';

/** One fill record and when the watcher first saw it (wall clock, ms). */
export interface SeenFill {
  readonly cameraId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly bytes: number;
  readonly seenAtMs: number;
}

/** Fills remembered, at most (2 GB of 10-s lab blocks is a few hundred). */
const fillsMax = 1_000_000;
/** Index bytes read per camera per poll, at most. */
const chunkBytesMax = 4 * 1024 * 1024;

/**
 * @example
 *   const watch = await FillWatch.start(storageDir, cameraIds, 20);
 *   // … backfill runs …
 *   await watch.stop();
 *   watch.fills[0]?.seenAtMs // when the first filled block appeared
 */
export class FillWatch {
  readonly fills: SeenFill[] = [];
  private readonly offsets = new Map<string, number>();
  private readonly seen = new Set<string>();
  private stopped = false;
  private running: Promise<void> = Promise.resolve();

  private constructor(
    private readonly root: string,
    private readonly cameraIds: readonly string[],
    private readonly pollMs: number,
  ) {}

  /** Starts watching from the current end of each camera's index: earlier fills are not counted. */
  static async start(root: string, cameraIds: readonly string[], pollMs: number): Promise<FillWatch> {
    if (!(Number.isInteger(pollMs) && pollMs >= 1 && pollMs <= 10_000)) throw new RangeError(`pollMs must be from 1 to 10000, not ${pollMs}`);
    const watch = new FillWatch(root, cameraIds, pollMs);
    for (const cameraId of cameraIds) watch.offsets.set(cameraId, (await stat(indexPath(root, cameraId))).size);
    watch.running = watch.loop();
    return watch;
  }

  /** Takes one last look, then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    await this.poll();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      await this.poll();
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  private async poll(): Promise<void> {
    for (const cameraId of this.cameraIds) {
      const path = indexPath(this.root, cameraId);
      let offset = this.offsets.get(cameraId) ?? 0;
      const size = (await stat(path)).size;
      // A smaller file is the recorder's compaction (a new file): read it again; `seen` drops repeats.
      if (size < offset) offset = 0;
      if (size === offset) continue;
      const length = Math.min(size - offset, chunkBytesMax);
      const buffer = Buffer.alloc(length);
      const file = await open(path, 'r');
      try {
        await file.read(buffer, 0, length, offset);
      } finally {
        await file.close();
      }
      const seenAtMs = Date.now();
      const decoded = decodeIndex(buffer);
      for (const record of decoded.records) {
        if (record.op !== 'fill') continue;
        const key = `${cameraId}/${record.startMs}`;
        if (this.seen.has(key) || this.fills.length >= fillsMax) continue;
        this.seen.add(key);
        this.fills.push({ cameraId, startMs: record.startMs, endMs: record.endMs, bytes: record.bytes, seenAtMs });
      }
      // A torn or half-written last line is read again on the next poll.
      this.offsets.set(cameraId, offset + decoded.validBytes);
    }
  }
}
