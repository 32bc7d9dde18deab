import { EntitySchema } from 'typeorm';
import type { FailoverLevel } from '../../model/vocabulary.js';

// A failover pool's model (issue 17; migration PoolModel1765600000000). The standby leases,
// which say who serves whom, are standby-lease.ts.

/** A failover group: an ordered sequence of standby ("failover") recording servers (seed 001). */
export interface FailoverGroupRow {
  id: string;
  clusterId: string;
  /** Operator-facing name, unique in its pool. */
  name: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export const FailoverGroupEntity = new EntitySchema<FailoverGroupRow>({
  name: 'FailoverGroup',
  tableName: 'failover_group',
  columns: {
    id: { type: String, length: 36, primary: true },
    clusterId: { type: String, length: 36, name: 'cluster_id' },
    name: { type: String, length: 64 },
    createdAt: { type: Date, createDate: true, name: 'created_at' },
    updatedAt: { type: Date, updateDate: true, name: 'updated_at' },
    version: { type: 'int', version: true },
  },
  indices: [{ name: 'UQ_failover_group_cluster_name', columns: ['clusterId', 'name'], unique: true }],
});

/** A standby's place in its failover group: one group per standby at most (the primary key). */
export interface FailoverGroupMemberRow {
  standbyNodeId: string;
  groupId: string;
  /** 0-based order in the group's sequence: the first free one takes over. */
  position: number;
}

export const FailoverGroupMemberEntity = new EntitySchema<FailoverGroupMemberRow>({
  name: 'FailoverGroupMember',
  tableName: 'failover_group_member',
  columns: {
    standbyNodeId: { type: String, length: 36, primary: true, name: 'standby_node_id' },
    groupId: { type: String, length: 36, name: 'group_id' },
    position: { type: 'int' },
  },
  indices: [{ name: 'IDX_failover_group_member_group', columns: ['groupId'] }],
});

/** A protected recording server's failover settings; a protected server without a row has none (no group, no hot standby, sequence). */
export interface PoolServerRow {
  nodeId: string;
  clusterId: string;
  primaryGroupId: string | null;
  /** Used only when every standby of the primary group is busy (seed 001). */
  secondaryGroupId: string | null;
  /** A standby dedicated to this server: in no group, its recorder runs, its configuration follows this server's. Unique. */
  hotStandbyNodeId: string | null;
  /** `sequence` or `capacity-closest` (pool-allocation.ts). */
  standbySelection: string;
  /** `host:port` where its clients connect (its serving endpoint), as its agent registered it; a takeover claims it. */
  sharedAddress: string | null;
  updatedAt: Date;
  version: number;
}

export const PoolServerEntity = new EntitySchema<PoolServerRow>({
  name: 'PoolServer',
  tableName: 'pool_server',
  columns: {
    nodeId: { type: String, length: 36, primary: true, name: 'node_id' },
    clusterId: { type: String, length: 36, name: 'cluster_id' },
    primaryGroupId: { type: String, length: 36, nullable: true, name: 'primary_group_id' },
    secondaryGroupId: { type: String, length: 36, nullable: true, name: 'secondary_group_id' },
    hotStandbyNodeId: { type: String, length: 36, nullable: true, name: 'hot_standby_node_id' },
    standbySelection: { type: String, length: 16, name: 'standby_selection' },
    sharedAddress: { type: String, length: 261, nullable: true, name: 'shared_address' },
    updatedAt: { type: Date, updateDate: true, name: 'updated_at' },
    version: { type: 'int', version: true },
  },
  indices: [
    { name: 'UQ_pool_server_hot_standby', columns: ['hotStandbyNodeId'], unique: true, where: 'hot_standby_node_id IS NOT NULL' },
    { name: 'IDX_pool_server_cluster', columns: ['clusterId'] },
  ],
});

/** A standby's camera capacity: how many cameras it records at once (capacity-closest choice; cameras beyond it are left out). */
export interface PoolStandbyRow {
  nodeId: string;
  clusterId: string;
  cameraCapacity: number;
  updatedAt: Date;
}

export const PoolStandbyEntity = new EntitySchema<PoolStandbyRow>({
  name: 'PoolStandby',
  tableName: 'pool_standby',
  columns: {
    nodeId: { type: String, length: 36, primary: true, name: 'node_id' },
    clusterId: { type: String, length: 36, name: 'cluster_id' },
    cameraCapacity: { type: 'int', name: 'camera_capacity' },
    updatedAt: { type: Date, updateDate: true, name: 'updated_at' },
  },
  indices: [{ name: 'IDX_pool_standby_cluster', columns: ['clusterId'] }],
});

/** A protected server's camera's failover level (seed 001); a camera without a row is `full`. */
export interface PoolCameraLevelRow {
  nodeId: string;
  /** The camera's device id (a lower-case GUID), as its agent reports it. */
  deviceId: string;
  level: FailoverLevel;
  updatedAt: Date;
}

export const PoolCameraLevelEntity = new EntitySchema<PoolCameraLevelRow>({
  name: 'PoolCameraLevel',
  tableName: 'pool_camera_level',
  columns: {
    nodeId: { type: String, length: 36, primary: true, name: 'node_id' },
    deviceId: { type: String, length: 36, primary: true, name: 'device_id' },
    level: { type: String, length: 16 },
    updatedAt: { type: Date, updateDate: true, name: 'updated_at' },
  },
});

/** A protected server's RecorderConfig.xml as its agent last pushed it: what a takeover clones onto a standby. */
export interface PoolRecorderConfigRow {
  nodeId: string;
  clusterId: string;
  /** recorder/id in the file: the identity a standby takes. */
  recorderId: string;
  /** The file's exact bytes, base64. */
  xml: string;
  /** SHA-256 of the bytes, lower-case hex. */
  sha256: string;
  receivedAt: Date;
}

export const PoolRecorderConfigEntity = new EntitySchema<PoolRecorderConfigRow>({
  name: 'PoolRecorderConfig',
  tableName: 'pool_recorder_config',
  columns: {
    nodeId: { type: String, length: 36, primary: true, name: 'node_id' },
    clusterId: { type: String, length: 36, name: 'cluster_id' },
    recorderId: { type: String, length: 36, name: 'recorder_id' },
    xml: { type: 'text' },
    sha256: { type: String, length: 64 },
    receivedAt: { type: Date, name: 'received_at' },
  },
});

/** The pool supervisor's state of a protected server (pool-failures.ts ProtectedState, as JSON), kept so that another controller goes on from it. */
export interface PoolServerStateRow {
  nodeId: string;
  clusterId: string;
  state: string;
  updatedAt: Date;
}

export const PoolServerStateEntity = new EntitySchema<PoolServerStateRow>({
  name: 'PoolServerState',
  tableName: 'pool_server_state',
  columns: {
    nodeId: { type: String, length: 36, primary: true, name: 'node_id' },
    clusterId: { type: String, length: 36, name: 'cluster_id' },
    state: { type: 'text' },
    updatedAt: { type: Date, name: 'updated_at' },
  },
  indices: [{ name: 'IDX_pool_server_state_cluster', columns: ['clusterId'] }],
});

/**
 * When a controller last swept a failover pool (migration PoolSupervision1765700000000): any
 * controller's sweep counts, so that the one that sweeps after an outage (no controller ran, or
 * none reached the database) says how long the pool went unsupervised (`pool.controller-returned`).
 */
export interface PoolSupervisionRow {
  clusterId: string;
  supervisedAt: Date;
}

export const PoolSupervisionEntity = new EntitySchema<PoolSupervisionRow>({
  name: 'PoolSupervision',
  tableName: 'pool_supervision',
  columns: {
    clusterId: { type: String, length: 36, primary: true, name: 'cluster_id' },
    supervisedAt: { type: Date, name: 'supervised_at' },
  },
});
