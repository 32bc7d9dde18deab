export { ClusterEntity, type ClusterRow } from './cluster.js';
export { NodeEntity, type NodeRow } from './node.js';
export { CameraPairEntity, type CameraPairRow } from './camera-pair.js';
export { EventEntity, type EventRow } from './event.js';
export { AuditEntryEntity, type AuditDetails, type AuditEntryRow } from './audit-entry.js';
export { AccountEntity, type AccountRow } from './account.js';
export { AuthSessionEntity, type AuthSessionRow } from './auth-session.js';
export { ApiTokenEntity, type ApiTokenRow } from './api-token.js';
export { FocusEntity, type FocusRow } from './focus.js';
export { GenericEventSettingsEntity, type GenericEventSettingsRow } from './generic-event-settings.js';
export { FailoverRecordEntity, type FailoverRecordRow } from './failover-record.js';

import { ClusterEntity } from './cluster.js';
import { NodeEntity } from './node.js';
import { CameraPairEntity } from './camera-pair.js';
import { EventEntity } from './event.js';
import { AuditEntryEntity } from './audit-entry.js';
import { AccountEntity } from './account.js';
import { AuthSessionEntity } from './auth-session.js';
import { ApiTokenEntity } from './api-token.js';
import { FocusEntity } from './focus.js';
import { GenericEventSettingsEntity } from './generic-event-settings.js';
import { FailoverRecordEntity } from './failover-record.js';

export const entities = [ClusterEntity, NodeEntity, CameraPairEntity, EventEntity, AuditEntryEntity, AccountEntity, AuthSessionEntity, ApiTokenEntity, FocusEntity, GenericEventSettingsEntity, FailoverRecordEntity];
