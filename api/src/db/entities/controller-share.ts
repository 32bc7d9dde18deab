import { EntitySchema } from 'typeorm';

/**
 * A singleton job's lease (issue 19): the controller that may run it (`holder`, a controller
 * instance id) until `expiresAt`, by the database's clock. Taken over by compare-and-set once
 * expired; `epoch` rises with every change of holder, so a holder can tell it lost the lease.
 */
export interface ControllerLeaseRow {
  /** The job: e.g. `agent-sweep`, `webhooks`, `generic-events`. */
  name: string;
  holder: string;
  epoch: number;
  expiresAt: Date;
  updatedAt: Date;
}

export const ControllerLeaseEntity = new EntitySchema<ControllerLeaseRow>({
  name: 'ControllerLease',
  tableName: 'controller_lease',
  columns: {
    name: { type: String, length: 64, primary: true },
    holder: { type: String, length: 64 },
    epoch: { type: 'int' },
    expiresAt: { type: Date, name: 'expires_at' },
    updatedAt: { type: Date, name: 'updated_at' },
  },
});

/**
 * A node's latest report as the controller that received it saw it (issue 19), so that the
 * other controllers on the database answer with it too.
 */
export interface NodeStatusShareRow {
  nodeId: string;
  clusterId: string;
  /** The controller instance that received the report. */
  controllerId: string;
  /** The NodeStatus (contracts/controller-v1.ts) as JSON. */
  status: string;
  /**
   * Names `status`: `<controllerId>#<sequence>`, new with each write of it. A report whose content
   * is unchanged moves only `reportedAt`. Null when written by a controller older than the column.
   */
  statusVersion: string | null;
  /** The node's smoothed report interval as that controller saw it; null before its second report. */
  reportIntervalMs: number | null;
  /** When that controller received it, by the database's clock. */
  reportedAt: Date;
}

export const NodeStatusShareEntity = new EntitySchema<NodeStatusShareRow>({
  name: 'NodeStatusShare',
  tableName: 'node_status_share',
  columns: {
    nodeId: { type: String, length: 36, primary: true, name: 'node_id' },
    clusterId: { type: String, length: 36, name: 'cluster_id' },
    controllerId: { type: String, length: 64, name: 'controller_id' },
    status: { type: 'text' },
    statusVersion: { type: String, length: 80, nullable: true, name: 'status_version' },
    reportIntervalMs: { type: 'int', nullable: true, name: 'report_interval_ms' },
    reportedAt: { type: Date, name: 'reported_at' },
  },
  indices: [{ name: 'IDX_node_status_share_reported', columns: ['reportedAt'] }],
});
