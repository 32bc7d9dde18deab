// The gaps per camera and node (issue 18), and whether backfill filled them: each new gap audit
// a node reports is set against the gaps recorded so far. Pure; the reporting recorder loads a
// node's open gaps, applies the result and writes it.
//
// A recorded gap keeps the range first reported, widened while later audits find it larger (a
// recorder held stopped for placeholders keeps a gap growing). The latest audit's gaps within it
// say what is still missing. One the audit no longer lists is filled — or expired, when it has
// fallen out of the node's retention. Where the audit's list was cut short (too many cameras,
// or too many gaps on one camera), unlisted gaps are left as they are rather than called filled.
import type { BackfillStatus } from '../../../contracts/controller-v1.js';
import { backfillGapsPerCameraMax } from '../../../contracts/controller-v1.js';
import type { CameraGapRow } from '../db/entities/index.js';

/** Reported ranges closer than this belong to the same recorded gap (clock and block rounding). */
export const gapJoinMsMax = 1_000;
/** Most gaps one audit records for one node; a node's audit lists at most 4096 × 32. */
export const gapsPerAuditMax = 4_096 * backfillGapsPerCameraMax;

export interface GapChanges {
  readonly inserted: CameraGapRow[];
  /** Open gaps whose range or missing seconds changed, or that were filled or expired. */
  readonly updated: CameraGapRow[];
}

interface Range {
  readonly startMs: number;
  readonly endMs: number;
}

const near = (a: Range, b: Range): boolean => a.startMs <= b.endMs + gapJoinMsMax && b.startMs <= a.endMs + gapJoinMsMax;
const seconds = (ms: number): number => Math.round(ms) / 1_000;

/**
 * Sets one audit (`audit`, of node `nodeId`) against that node's open gaps.
 *
 * @example
 *   // open: cam-1 [10:00:00, 10:00:30) missing 30 s; the audit lists cam-1 [10:00:20, 10:00:30)
 *   reconcileGaps(open, audit, …).updated // cam-1 [10:00:00, 10:00:30) missing 10 s, still open
 *   // the next audit lists nothing for cam-1: filled, resolvedAt = that audit's time
 */
export function reconcileGaps(
  open: readonly CameraGapRow[],
  audit: Pick<BackfillStatus, 'auditedAt' | 'retentionMinutes' | 'cameras' | 'camerasAffected'>,
  node: { readonly clusterId: string; readonly nodeId: string },
  newId: () => string,
): GapChanges {
  if (audit.auditedAt === null) return { inserted: [], updated: [] };
  const auditedAtMs = Date.parse(audit.auditedAt);
  const retentionStartMs = audit.retentionMinutes === null ? Number.NEGATIVE_INFINITY : auditedAtMs - audit.retentionMinutes * 60_000;
  const listedAll = audit.cameras.length >= audit.camerasAffected;
  const reported = new Map<string, { ranges: Range[]; cut: boolean }>();
  let budget = gapsPerAuditMax;
  for (const camera of audit.cameras) {
    const ranges = camera.gaps.slice(0, Math.max(0, budget)).map((g) => ({ startMs: Date.parse(g.startAt), endMs: Date.parse(g.endAt) })).filter((r) => r.endMs > r.startMs);
    budget -= ranges.length;
    reported.set(camera.deviceId, { ranges: ranges.sort((a, b) => a.startMs - b.startMs), cut: camera.gaps.length >= backfillGapsPerCameraMax });
  }

  const inserted: CameraGapRow[] = [];
  const updated: CameraGapRow[] = [];
  const claimed = new Set<Range>();
  // Oldest first, and each reported range counts for one recorded gap only (two that grew into one stay in the first).
  for (const row of [...open].sort((a, b) => a.startAt.getTime() - b.startAt.getTime())) {
    const rowRange = { startMs: row.startAt.getTime(), endMs: row.endAt.getTime() };
    const camera = reported.get(row.deviceId);
    const within = camera?.ranges.filter((r) => !claimed.has(r) && near(r, rowRange)) ?? [];
    if (within.length > 0) {
      for (const r of within) claimed.add(r);
      const startMs = Math.min(rowRange.startMs, ...within.map((r) => r.startMs));
      const endMs = Math.max(rowRange.endMs, ...within.map((r) => r.endMs));
      const missingSeconds = seconds(within.reduce((sum, r) => sum + (r.endMs - r.startMs), 0));
      const gapSeconds = seconds(endMs - startMs);
      if (startMs !== rowRange.startMs || endMs !== rowRange.endMs || missingSeconds !== row.missingSeconds) {
        updated.push({ ...row, startAt: new Date(startMs), endAt: new Date(endMs), gapSeconds, missingSeconds });
      }
      continue;
    }
    // Not listed: filled or expired, unless the list may have left it out.
    const mayBeUnlisted = camera === undefined ? !listedAll : camera.cut && rowRange.endMs <= (camera.ranges[0]?.startMs ?? Number.POSITIVE_INFINITY);
    if (mayBeUnlisted) continue;
    const expired = rowRange.endMs <= retentionStartMs;
    updated.push({ ...row, state: expired ? 'expired' : 'filled', missingSeconds: expired ? row.missingSeconds : 0, resolvedAt: new Date(auditedAtMs) });
  }
  for (const [deviceId, camera] of reported) {
    for (const r of camera.ranges) {
      if (claimed.has(r)) continue;
      inserted.push({
        id: newId(), clusterId: node.clusterId, nodeId: node.nodeId, deviceId, startAt: new Date(r.startMs), endAt: new Date(r.endMs),
        gapSeconds: seconds(r.endMs - r.startMs), missingSeconds: seconds(r.endMs - r.startMs), detectedAt: new Date(auditedAtMs), state: 'open', resolvedAt: null,
      });
    }
  }
  return { inserted, updated };
}
