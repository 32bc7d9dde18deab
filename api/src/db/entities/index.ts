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
export { ServingSpanEntity, type ServingSpanRow } from './serving-span.js';
export { CameraGapEntity, type CameraGapRow } from './camera-gap.js';
export { BackfillJobEntity, type BackfillJobRow } from './backfill-job.js';
export { PoolEpochEntity, StandbyLeaseEntity, type PoolEpochRow, type StandbyLeaseRow } from './standby-lease.js';
export { WebhookEntity, type WebhookRow } from './webhook.js';
export { WebhookDeliveryEntity, type WebhookDeliveryRow } from './webhook-delivery.js';
export { ControllerLeaseEntity, NodeStatusShareEntity, type ControllerLeaseRow, type NodeStatusShareRow } from './controller-share.js';
export {
  FailoverGroupEntity,
  FailoverGroupMemberEntity,
  PoolCameraLevelEntity,
  PoolRecorderConfigEntity,
  PoolServerEntity,
  PoolServerStateEntity,
  PoolStandbyEntity,
  PoolSupervisionEntity,
  type FailoverGroupMemberRow,
  type FailoverGroupRow,
  type PoolCameraLevelRow,
  type PoolRecorderConfigRow,
  type PoolServerRow,
  type PoolServerStateRow,
  type PoolStandbyRow,
  type PoolSupervisionRow,
} from './pool.js';

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
import { ServingSpanEntity } from './serving-span.js';
import { CameraGapEntity } from './camera-gap.js';
import { BackfillJobEntity } from './backfill-job.js';
import { PoolEpochEntity, StandbyLeaseEntity } from './standby-lease.js';
import { WebhookEntity } from './webhook.js';
import { WebhookDeliveryEntity } from './webhook-delivery.js';
import { ControllerLeaseEntity, NodeStatusShareEntity } from './controller-share.js';
import { FailoverGroupEntity, FailoverGroupMemberEntity, PoolCameraLevelEntity, PoolRecorderConfigEntity, PoolServerEntity, PoolServerStateEntity, PoolStandbyEntity, PoolSupervisionEntity } from './pool.js';

export const entities = [ClusterEntity, NodeEntity, CameraPairEntity, EventEntity, AuditEntryEntity, AccountEntity, AuthSessionEntity, ApiTokenEntity, FocusEntity, GenericEventSettingsEntity, FailoverRecordEntity, ServingSpanEntity, CameraGapEntity, BackfillJobEntity, WebhookEntity, WebhookDeliveryEntity, StandbyLeaseEntity, PoolEpochEntity, ControllerLeaseEntity, NodeStatusShareEntity, FailoverGroupEntity, FailoverGroupMemberEntity, PoolServerEntity, PoolStandbyEntity, PoolCameraLevelEntity, PoolRecorderConfigEntity, PoolServerStateEntity, PoolSupervisionEntity];
