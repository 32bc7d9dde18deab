import { EntitySchema } from 'typeorm';

/**
 * A failover pool's standby recording server and whom it serves (issue 17;
 * api/src/domain/standby-leases.ts). One row per standby; changed only by compare-and-set on
 * `version`, so that two controllers, or a request and its retry, can never give one standby to
 * two protected servers. A protected server is served by one standby at most: a unique index on
 * `protectedNodeId` (where set). The standby's agent fences with `epoch`, as a pair does.
 */
export interface StandbyLeaseRow {
  standbyNodeId: string;
  clusterId: string;
  /** The protected recording server it took over (or syncs back to); null while free. */
  protectedNodeId: string | null;
  /** The takeover's fencing epoch: from the pool's counter (PoolEpochEntity), above every epoch the pool gave before. */
  epoch: number;
  state: 'free' | 'taking-over' | 'serving' | 'syncing-back';
  /** Compare-and-set counter: raised by every change. */
  version: number;
  updatedAt: Date;
}

export const StandbyLeaseEntity = new EntitySchema<StandbyLeaseRow>({
  name: 'StandbyLease',
  tableName: 'standby_lease',
  columns: {
    standbyNodeId: { type: String, length: 36, primary: true, name: 'standby_node_id' },
    clusterId: { type: String, length: 36, name: 'cluster_id' },
    protectedNodeId: { type: String, length: 36, nullable: true, name: 'protected_node_id' },
    epoch: { type: 'int' },
    state: { type: String, length: 16 },
    version: { type: 'int' },
    updatedAt: { type: Date, name: 'updated_at' },
  },
  indices: [
    { name: 'UQ_standby_lease_protected', columns: ['protectedNodeId'], unique: true, where: 'protected_node_id IS NOT NULL' },
    { name: 'IDX_standby_lease_cluster', columns: ['clusterId'] },
  ],
});

/** A pool's epoch counter: each takeover takes the next value. */
export interface PoolEpochRow {
  clusterId: string;
  epoch: number;
}

export const PoolEpochEntity = new EntitySchema<PoolEpochRow>({
  name: 'PoolEpoch',
  tableName: 'pool_epoch',
  columns: {
    clusterId: { type: String, length: 36, primary: true, name: 'cluster_id' },
    epoch: { type: 'int' },
  },
});
