export { ClusterEntity, type ClusterRow } from './cluster.js';
export { NodeEntity, type NodeRow } from './node.js';
export { CameraPairEntity, type CameraPairRow } from './camera-pair.js';
export { EventEntity, type EventRow } from './event.js';
export { AuditEntryEntity, type AuditEntryRow } from './audit-entry.js';

import { ClusterEntity } from './cluster.js';
import { NodeEntity } from './node.js';
import { CameraPairEntity } from './camera-pair.js';
import { EventEntity } from './event.js';
import { AuditEntryEntity } from './audit-entry.js';

export const entities = [ClusterEntity, NodeEntity, CameraPairEntity, EventEntity, AuditEntryEntity];
