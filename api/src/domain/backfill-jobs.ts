// The backfill jobs (issue 18), from the backfill status each report carries: a job is known by
// its node and the agent's startedAt; it ends when a report shows it done or failed, or when the
// next job replaces it unfinished (superseded). Pure; the reporting recorder writes the rows.
import type { BackfillStatus } from '../../../contracts/controller-v1.js';
import type { BackfillJobRow } from '../db/entities/index.js';

/** A running job's progress is written at most this often; a change of state at once. */
export const jobProgressWriteMsMin = 5_000;

const ended = new Set(['done', 'failed']);

export interface JobChange {
  /** The node's latest job after this report (to keep), or null when it has none. */
  readonly latest: BackfillJobRow | null;
  /** Rows to write (insert or update by id). */
  readonly writes: BackfillJobRow[];
}

/**
 * The node's latest job after one report.
 *
 * @example
 *   observeBackfill(null, { startedAt: t, state: 'running', … }, …).writes // [a new job, running]
 *   observeBackfill(thatJob, { startedAt: t, state: 'done', … }, …).writes // [that job, done, endedAt now]
 */
export function observeBackfill(
  latest: BackfillJobRow | null,
  backfill: Pick<BackfillStatus, 'startedAt' | 'state' | 'reason' | 'missingSeconds' | 'camerasAffected' | 'bytesDone' | 'bytesTotal'> | null | undefined,
  node: { readonly clusterId: string; readonly nodeId: string },
  nowMs: number,
  newId: () => string,
): JobChange {
  if (backfill === null || backfill === undefined || backfill.startedAt === null) return { latest, writes: [] };
  const now = new Date(nowMs);
  const startedAt = new Date(backfill.startedAt);
  const progress = {
    state: backfill.state,
    reason: backfill.reason,
    missingSeconds: backfill.missingSeconds,
    camerasAffected: backfill.camerasAffected,
    bytesDone: backfill.bytesDone,
    bytesTotal: backfill.bytesTotal,
    updatedAt: now,
  };
  const finished = ended.has(backfill.state);
  if (latest === null || latest.startedAt.getTime() !== startedAt.getTime()) {
    const writes: BackfillJobRow[] = [];
    if (latest !== null && latest.endedAt === null) writes.push({ ...latest, state: 'superseded', endedAt: now, updatedAt: now });
    const job: BackfillJobRow = { id: newId(), clusterId: node.clusterId, nodeId: node.nodeId, startedAt, endedAt: finished ? now : null, missingSecondsAtStart: backfill.missingSeconds, ...progress };
    return { latest: job, writes: [...writes, job] };
  }
  if (latest.endedAt !== null && finished) return { latest, writes: [] };
  const stateChanged = latest.state !== backfill.state || latest.reason !== backfill.reason;
  const due = nowMs - latest.updatedAt.getTime() >= jobProgressWriteMsMin && (latest.bytesDone !== backfill.bytesDone || latest.missingSeconds !== backfill.missingSeconds || latest.bytesTotal !== backfill.bytesTotal);
  if (!stateChanged && !due) return { latest, writes: [] };
  const job: BackfillJobRow = { ...latest, ...progress, endedAt: finished ? now : null };
  return { latest: job, writes: [job] };
}
