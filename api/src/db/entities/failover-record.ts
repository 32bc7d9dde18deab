import { EntitySchema } from 'typeorm';

/**
 * One change of the Serving role (api/src/domain/failover-history.ts): who served before and
 * after, why, whether an operator asked for it, and the agents' figures. History: no foreign keys.
 */
export interface FailoverRecordRow {
  id: string;
  /** When the decision was made (the event's time on the deciding agent). */
  time: Date;
  clusterId: string;
  fromNodeId: string | null;
  toNodeId: string | null;
  /** peer-dead, peer-unhealthy, peer-stopped, peer-not-serving, local-health, failback, switch, swap. */
  reason: string;
  trigger: 'automatic' | 'manual';
  /** From the trouble (the peer's last heartbeat, the recorder's first trouble) to the decision; null when not measured. */
  detectionMs: number | null;
  /** From the decision to the new node's serving endpoint claimed; null until known. */
  switchMs: number | null;
  epoch: number | null;
  /** The event it was recorded from: a record is written once per event. */
  eventId: string;
}

export const FailoverRecordEntity = new EntitySchema<FailoverRecordRow>({
  name: 'FailoverRecord',
  tableName: 'failover_record',
  columns: {
    id: { type: String, length: 36, primary: true },
    time: { type: Date },
    clusterId: { type: String, length: 36, name: 'cluster_id' },
    fromNodeId: { type: String, length: 36, nullable: true, name: 'from_node_id' },
    toNodeId: { type: String, length: 36, nullable: true, name: 'to_node_id' },
    reason: { type: String, length: 32 },
    trigger: { type: String, length: 16 },
    detectionMs: { type: 'int', nullable: true, name: 'detection_ms' },
    switchMs: { type: 'int', nullable: true, name: 'switch_ms' },
    epoch: { type: 'int', nullable: true },
    eventId: { type: String, length: 36, name: 'event_id' },
  },
  indices: [
    { name: 'IDX_failover_record_cluster_time', columns: ['clusterId', 'time'] },
    { name: 'UQ_failover_record_event', columns: ['eventId'], unique: true },
  ],
});
