/**
 * Retention planning: which blocks to delete so that nothing is older than the retention time
 * and the storage stays within its maximum size. Pure; the storage carries the plan out.
 */
export interface RetentionCandidate {
  readonly cameraId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly bytes: number;
}

export interface RetentionLimits {
  readonly retainMs: number;
  readonly maxBytes: number;
}

/**
 * Returns the blocks to delete, oldest first: every block that ended before `nowMs - retainMs`,
 * then the oldest remaining ones until the total fits in `maxBytes` (`reservedBytes`, such as
 * blocks being written, count against the limit but are never deleted).
 *
 * @example planRetention(blocks, Date.now(), { retainMs: 60_000, maxBytes: 1e9 })
 */
export function planRetention(candidates: readonly RetentionCandidate[], nowMs: number, limits: RetentionLimits, reservedBytes = 0): RetentionCandidate[] {
  const byAge = [...candidates].sort((a, b) => a.endMs - b.endMs || a.startMs - b.startMs || a.cameraId.localeCompare(b.cameraId));
  let total = reservedBytes + byAge.reduce((sum, c) => sum + c.bytes, 0);
  const cutoffMs = nowMs - limits.retainMs;
  const plan: RetentionCandidate[] = [];
  for (const candidate of byAge) {
    if (candidate.endMs < cutoffMs || total > limits.maxBytes) {
      plan.push(candidate);
      total -= candidate.bytes;
    }
  }
  return plan;
}
