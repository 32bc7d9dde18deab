/**
 * Recorded sequences: the time ranges in which a camera has frames without a gap. Two blocks
 * belong to the same sequence when no frame is missing between them (the next block starts
 * within 1.5 frame intervals of the previous block's last frame). Pure.
 */
export interface TimeRange {
  readonly startMs: number;
  /** Inclusive: time of the last frame. */
  readonly endMs: number;
  readonly fps: number;
}

export interface Sequence {
  readonly beginMs: number;
  readonly endMs: number;
}

export function maxGapMs(fps: number): number {
  return Math.ceil((1.5 * 1000) / Math.max(1, fps));
}

/** Merges sorted, non-overlapping ranges into sequences. */
export function mergeSequences(ranges: readonly TimeRange[]): Sequence[] {
  const sequences: Array<{ beginMs: number; endMs: number }> = [];
  let previousFps = 1;
  for (const range of ranges) {
    const last = sequences[sequences.length - 1];
    if (last !== undefined && range.startMs - last.endMs <= maxGapMs(Math.min(previousFps, range.fps))) {
      last.endMs = Math.max(last.endMs, range.endMs);
    } else {
      sequences.push({ beginMs: range.startMs, endMs: range.endMs });
    }
    previousFps = range.fps;
  }
  return sequences;
}

/** Sequences that overlap [minMs, maxMs], at most `maxCount`, in time order. */
export function sequencesBetween(sequences: readonly Sequence[], minMs: number, maxMs: number, maxCount: number): Sequence[] {
  const limit = Math.max(0, Math.min(maxCount, 100_000));
  return sequences.filter((s) => s.endMs >= minMs && s.beginMs <= maxMs).slice(0, limit);
}

/**
 * The sequences ImageServer's `alarms` request asks for: those overlapping
 * [centerMs - timespanMs, centerMs + timespanMs], the `count` closest to the centre time,
 * returned in time order.
 */
export function sequencesAround(sequences: readonly Sequence[], centerMs: number, timespanMs: number, count: number): Sequence[] {
  const window = sequencesBetween(sequences, centerMs - timespanMs, centerMs + timespanMs, Number.MAX_SAFE_INTEGER);
  const distance = (s: Sequence): number => (s.endMs < centerMs ? centerMs - s.endMs : s.beginMs > centerMs ? s.beginMs - centerMs : 0);
  const chosen = [...window].sort((a, b) => distance(a) - distance(b)).slice(0, Math.max(0, Math.min(count, 10_000)));
  return chosen.sort((a, b) => a.beginMs - b.beginMs);
}
