import { EntitySchema } from 'typeorm';
import { exactNumber } from './numeric.js';

/**
 * A range of one camera's recordings that one node lacked and its peer held, as the node's gap
 * audits reported it (api/src/domain/camera-gaps.ts), and what became of it. The range is the one
 * first reported, widened if later audits found it larger; missingSeconds is what the latest
 * audit still found missing in it. History: no foreign keys.
 */
export interface CameraGapRow {
  id: string;
  clusterId: string;
  nodeId: string;
  deviceId: string;
  startAt: Date;
  endAt: Date;
  /** endAt - startAt, in seconds. */
  gapSeconds: number;
  /** What the latest audit found missing within [startAt, endAt); 0 once filled. */
  missingSeconds: number;
  /** The audit that first reported it. */
  detectedAt: Date;
  /** open: still (partly) missing; filled: an audit found it whole; expired: it fell out of the node's retention first. */
  state: 'open' | 'filled' | 'expired';
  /** When an audit first found it filled or expired; null while open. */
  resolvedAt: Date | null;
}

export const CameraGapEntity = new EntitySchema<CameraGapRow>({
  name: 'CameraGap',
  tableName: 'camera_gap',
  columns: {
    id: { type: String, length: 36, primary: true },
    clusterId: { type: String, length: 36, name: 'cluster_id' },
    nodeId: { type: String, length: 36, name: 'node_id' },
    deviceId: { type: String, length: 64, name: 'device_id' },
    startAt: { type: Date, name: 'start_at' },
    endAt: { type: Date, name: 'end_at' },
    // Decimal: exact milliseconds in every dialect, and longer than an int of milliseconds holds.
    gapSeconds: { type: 'decimal', precision: 12, scale: 3, name: 'gap_seconds', transformer: exactNumber },
    missingSeconds: { type: 'decimal', precision: 12, scale: 3, name: 'missing_seconds', transformer: exactNumber },
    detectedAt: { type: Date, name: 'detected_at' },
    state: { type: String, length: 16 },
    resolvedAt: { type: Date, nullable: true, name: 'resolved_at' },
  },
  indices: [
    { name: 'IDX_camera_gap_cluster_start', columns: ['clusterId', 'startAt'] },
    { name: 'IDX_camera_gap_node_state', columns: ['nodeId', 'state'] },
  ],
});
