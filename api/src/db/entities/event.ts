import { EntitySchema } from 'typeorm';
import type { EventSeverity } from '../../model/vocabulary.js';

/**
 * Something that happened in a cluster (failover, switch, camera lost, …). Events are history:
 * they keep their cluster and node ids after those are deleted, so there is no foreign key.
 */
export interface EventRow {
  id: string;
  time: Date;
  clusterId: string | null;
  nodeId: string | null;
  /** Dotted kind, e.g. `failover.completed`, `camera.disconnected`. */
  kind: string;
  severity: EventSeverity;
  message: string;
  data: Record<string, unknown>;
}

export const EventEntity = new EntitySchema<EventRow>({
  name: 'Event',
  tableName: 'event',
  columns: {
    id: { type: String, length: 36, primary: true },
    time: { type: Date },
    clusterId: { type: String, length: 36, nullable: true, name: 'cluster_id' },
    nodeId: { type: String, length: 36, nullable: true, name: 'node_id' },
    kind: { type: String, length: 64 },
    severity: { type: String, length: 16 },
    message: { type: String, length: 2048 },
    data: { type: 'simple-json' },
  },
  indices: [
    { name: 'IDX_event_time', columns: ['time'] },
    { name: 'IDX_event_cluster_time', columns: ['clusterId', 'time'] },
  ],
});
