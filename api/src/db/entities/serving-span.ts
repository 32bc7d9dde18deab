import { EntitySchema } from 'typeorm';

/**
 * A stretch of time one node served, as the controller saw it in the node's reports
 * (api/src/domain/serving-spans.ts). Split at midnight UTC, so that a day's serving time is a
 * plain sum (v_serving_time_daily). History: no foreign keys.
 */
export interface ServingSpanRow {
  id: string;
  clusterId: string;
  nodeId: string;
  /** The epoch the node served under. */
  epoch: number;
  /** The UTC day the span lies in, YYYY-MM-DD. */
  day: string;
  startAt: Date;
  /** The last report that still said serving (or the split at midnight). */
  endAt: Date;
  /** endAt - startAt, kept so that every dialect sums it the same way. */
  durationMs: number;
  /** closed once a report said otherwise, the node fell silent, or the day ended. */
  state: 'open' | 'closed';
}

export const ServingSpanEntity = new EntitySchema<ServingSpanRow>({
  name: 'ServingSpan',
  tableName: 'serving_span',
  columns: {
    id: { type: String, length: 36, primary: true },
    clusterId: { type: String, length: 36, name: 'cluster_id' },
    nodeId: { type: String, length: 36, name: 'node_id' },
    epoch: { type: 'int' },
    day: { type: String, length: 10 },
    startAt: { type: Date, name: 'start_at' },
    endAt: { type: Date, name: 'end_at' },
    // A span never crosses midnight: at most 86,400,000 ms, an int in every dialect.
    durationMs: { type: 'int', name: 'duration_ms' },
    state: { type: String, length: 8 },
  },
  indices: [
    { name: 'IDX_serving_span_cluster_start', columns: ['clusterId', 'startAt'] },
    { name: 'IDX_serving_span_node_day', columns: ['nodeId', 'day'] },
  ],
});
