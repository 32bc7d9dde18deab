import { EntitySchema } from 'typeorm';
import type { FailoverLevel } from '../../model/vocabulary.js';

/** A camera recorded by a cluster: both nodes of a cloned pair record it. */
export interface CameraPairRow {
  id: string;
  clusterId: string;
  /** The camera's GUID in the Management Server configuration. */
  cameraId: string;
  name: string;
  /** Display name of the hardware (the device the camera channel belongs to). */
  hardwareName: string;
  failoverLevel: FailoverLevel;
  createdAt: Date;
  updatedAt: Date;
}

export const CameraPairEntity = new EntitySchema<CameraPairRow>({
  name: 'CameraPair',
  tableName: 'camera_pair',
  columns: {
    id: { type: String, length: 36, primary: true },
    clusterId: { type: String, length: 36, name: 'cluster_id' },
    cameraId: { type: String, length: 36, name: 'camera_id' },
    name: { type: String, length: 255 },
    hardwareName: { type: String, length: 255, name: 'hardware_name' },
    failoverLevel: { type: String, length: 16, name: 'failover_level' },
    createdAt: { type: Date, createDate: true, name: 'created_at' },
    updatedAt: { type: Date, updateDate: true, name: 'updated_at' },
  },
  indices: [{ name: 'UQ_camera_pair_cluster_camera', columns: ['clusterId', 'cameraId'], unique: true }],
});
