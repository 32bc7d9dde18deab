import { EntitySchema } from 'typeorm';
import { exactNumber } from './numeric.js';

/**
 * One backfill job of one node, as its reports showed it (api/src/domain/backfill-jobs.ts): from
 * its start to done, failed, or replaced by the next job. History: no foreign keys.
 */
export interface BackfillJobRow {
  id: string;
  clusterId: string;
  nodeId: string;
  /** The agent's startedAt: with the node, what tells one job from the next. */
  startedAt: Date;
  /** When a report first showed it ended; null while it runs. */
  endedAt: Date | null;
  /** The latest state reported: planning, running, paused, waiting-for-peer, failed, done; superseded when a newer job replaced it unfinished. */
  state: string;
  /** Why it paused, waits or failed, as the agent said. */
  reason: string | null;
  /** Camera-seconds missing when the job was first seen, and at its latest report. */
  missingSecondsAtStart: number;
  missingSeconds: number;
  camerasAffected: number;
  bytesDone: number;
  bytesTotal: number;
  /** The latest report's time. */
  updatedAt: Date;
}

export const BackfillJobEntity = new EntitySchema<BackfillJobRow>({
  name: 'BackfillJob',
  tableName: 'backfill_job',
  columns: {
    id: { type: String, length: 36, primary: true },
    clusterId: { type: String, length: 36, name: 'cluster_id' },
    nodeId: { type: String, length: 36, name: 'node_id' },
    startedAt: { type: Date, name: 'started_at' },
    endedAt: { type: Date, nullable: true, name: 'ended_at' },
    state: { type: String, length: 24 },
    reason: { type: String, length: 512, nullable: true },
    missingSecondsAtStart: { type: 'decimal', precision: 14, scale: 3, name: 'missing_seconds_at_start', transformer: exactNumber },
    missingSeconds: { type: 'decimal', precision: 14, scale: 3, name: 'missing_seconds', transformer: exactNumber },
    camerasAffected: { type: 'int', name: 'cameras_affected' },
    // Bytes pass 2^31 within one job: bigint, read back as a number (exact below 2^53).
    bytesDone: { type: 'bigint', name: 'bytes_done', transformer: exactNumber },
    bytesTotal: { type: 'bigint', name: 'bytes_total', transformer: exactNumber },
    updatedAt: { type: Date, name: 'updated_at' },
  },
  indices: [
    { name: 'UQ_backfill_job_node_started', columns: ['nodeId', 'startedAt'], unique: true },
    { name: 'IDX_backfill_job_cluster_started', columns: ['clusterId', 'startedAt'] },
  ],
});
