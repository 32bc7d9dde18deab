import { EntitySchema } from 'typeorm';

/**
 * The node a session (or token) looks at in a cluster, one per cluster: the console opens
 * that node's live view and configuration rather than the cluster's shared address.
 */
export interface FocusRow {
  id: string;
  /** `session:<session id>` or `token:<token id>`. */
  holder: string;
  clusterId: string;
  nodeId: string;
  createdAt: Date;
}

export const FocusEntity = new EntitySchema<FocusRow>({
  name: 'Focus',
  tableName: 'focus',
  columns: {
    id: { type: String, length: 36, primary: true },
    holder: { type: String, length: 64 },
    clusterId: { type: String, length: 36, name: 'cluster_id' },
    nodeId: { type: String, length: 36, name: 'node_id' },
    createdAt: { type: Date, name: 'created_at' },
  },
  indices: [{ name: 'UQ_focus_holder_cluster', columns: ['holder', 'clusterId'], unique: true }],
});
