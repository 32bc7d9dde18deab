// The REST API's shapes as the console uses them, derived from the types generated from the
// OpenAPI document (./openapi.ts, written by `npm run openapi:types`; the document's objects are
// the zod schemas of api/src/model/, its operations are in api/src/http/openapi.ts). Nothing here re-declares a field: a change to the document changes these types,
// and `npm run typecheck` shows where the console no longer fits it. The names are the console's;
// where they differ from the document's schema names, the comment says which schema it is.
import type { components, operations } from './openapi.js';

type Schemas = components['schemas'];

export type Role = Schemas['Session']['role'];
export type HaStatus = Schemas['NodeSummary']['haStatus'];
/** SafeKit node states, as administrators know them from Management Server Failover. */
export type NodeState = NonNullable<Schemas['NodeSummary']['state']>;

/**
 * RFC 9457 problem details: every error the API returns, and the ones the client makes up
 * (a network failure, a proxy's page), so `type` is any URI rather than only the controller's.
 */
export type Problem = Omit<Schemas['Problem'], 'type'> & {
  type: string;
  /**
   * `switch-not-possible` and `command-refused` say why (SwitchNotPossible, CommandRefused);
   * a string here, since a newer controller may send a reason this console does not know.
   */
  reason?: string;
  [extension: string]: unknown;
};
/** Why a switch was refused: the `reason` of a `switch-not-possible` problem. */
export type SwitchRefusalReason = Schemas['SwitchNotPossible']['reason'];

/** The signed-in account as sessions and logins name it (the API's `UserRef`). */
export type User = Schemas['UserRef'];
/** The answer to a login (`LoginAnswer`). */
export type LoginResult = Schemas['LoginAnswer'];
export type LoginRequest = Schemas['LoginRequest'];
export type Session = Schemas['Session'];
/** The node a session looks at in a cluster (Focus switching), with the addresses to reach it directly. */
export type Focus = Schemas['Focus'];
export type FocusRequest = Schemas['FocusRequest'];

export type ClusterPage = Schemas['ClusterPage'];
export type ClusterSummary = Schemas['ClusterSummary'];
/** The answer to PUT …/agent-secret: with `secret` only when the controller generated it (shown once). */
export type AgentSecretSet = Schemas['AgentSecretSet'];
export type AgentSecretRequest = Schemas['AgentSecretRequest'];
export type NodeSummary = Schemas['NodeSummary'];
export type NodeDetail = Schemas['NodeDetail'];
export type Storage = Schemas['Storage'];

export type ClusterState = Schemas['ClusterState'];
/** A node in a cluster's live state (the API's `NodeState` schema; `NodeState` here is the SafeKit state). */
export type NodeLiveState = Schemas['NodeState'];

export type CameraPage = Schemas['CameraPage'];
export type Camera = Schemas['Camera'];
/** The Device Overview query the console always sends whole (the API defaults each parameter). */
export type CameraQuery = Required<Pick<NonNullable<operations['listClusterCameras']['parameters']['query']>, 'problems' | 'q' | 'sort' | 'limit' | 'offset'>>;
export type CameraSort = CameraQuery['sort'];

export type SwitchRequest = Schemas['SwitchRequest'];
/** The 409 of a switch to a node that lacks recordings its peer holds (`target-missing-data`). */
export type TargetMissingData = Schemas['TargetMissingData'];
export type SwitchAccepted = Schemas['SwitchAccepted'];
export type MaintenanceRequest = Schemas['MaintenanceRequest'];
export type MaintenanceSet = Schemas['MaintenanceSet'];

/** Each node's gap audit and backfill job, with the cluster's totals (GET …/backfill). */
export type ClusterBackfill = Schemas['ClusterBackfill'];
export type NodeBackfill = Schemas['NodeBackfill'];
export type BackfillStatus = Schemas['BackfillStatus'];
/** The figures of a node's backfill the cluster list carries. */
export type NodeBackfillSummary = Schemas['NodeBackfillSummary'];
export type BackfillCommandRequest = Schemas['BackfillCommandRequest'];
export type BackfillCommandAccepted = Schemas['BackfillCommandAccepted'];
/** start, pause, resume: the last segment of POST …/backfill/{action}. */
export type BackfillAction = 'start' | 'pause' | 'resume';

/** A cluster's policy as GET …/policy shows it: settings, version, effective timing, each node's version. */
export type ClusterPolicy = Schemas['ClusterPolicy'];
/** The controller's HTTPS and its certificate (`ControllerTls`, GET /api/v1/tls). */
export type ControllerTls = Schemas['ControllerTls'];
/** Every setting of a cluster policy, as PUT …/policy takes them (`ClusterPolicyUpdate`). */
export type PolicySettings = Schemas['ClusterPolicyUpdate'];

export type EventPage = Schemas['EventPage'];
/** One event (the API's `Event`, named so as not to hide the DOM's). */
export type TwinrecEvent = Schemas['Event'];

/** A cluster's availability timeline (GET …/timeline): serving bands, markers and gap bands per node. */
export type Timeline = Schemas['Timeline'];
export type TimelineNode = Schemas['TimelineNode'];
export type TimelineMarker = Schemas['TimelineMarker'];
export type TimelineServingBand = Schemas['TimelineServingBand'];
export type TimelineGapBand = Schemas['TimelineGapBand'];

/** A webhook as GET /api/v1/webhooks shows it (never its secret). */
export type Webhook = Schemas['Webhook'];
/** A webhook just created or given a new secret: the one answer that shows the secret. */
export type WebhookWithSecret = Schemas['WebhookWithSecret'];
export type WebhookCreate = Schemas['WebhookCreate'];
export type WebhookUpdate = Schemas['WebhookUpdate'];
/** One entry of a webhook's delivery log. */
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type WebhookTestResult = Schemas['WebhookTestResult'];

/** A failover pool at a glance (GET …/pool): protected servers, failover groups, standbys. */
export type Pool = Schemas['Pool'];
/** A protected recording server of a pool, with its failover settings and state. */
export type ProtectedServer = Schemas['ProtectedServer'];
export type ProtectedServerState = Schemas['ProtectedServerFailoverState']['state'];
export type PoolTrigger = NonNullable<Schemas['ProtectedServerFailoverState']['trigger']>;
export type StandbySelection = Schemas['ProtectedServerFailoverUpdate']['standbySelection'];
export type ProtectedServerFailoverUpdate = Schemas['ProtectedServerFailoverUpdate'];
/** A standby ("failover") recording server of a pool: capacity, assignment and lease. */
export type PoolStandby = Schemas['PoolStandby'];
export type LeaseState = Schemas['PoolStandby']['lease']['state'];
export type PoolStandbyUpdate = Schemas['PoolStandbyUpdate'];
/** An ordered sequence of standbys. */
export type FailoverGroup = Schemas['FailoverGroup'];
export type FailoverGroupCreate = Schemas['FailoverGroupCreate'];
export type FailoverGroupUpdate = Schemas['FailoverGroupUpdate'];
/** The 409 of a change to a failed-over server's settings without `confirm: true` (`pool-failed-over-confirm`). */
export type PoolFailedOverConfirm = Schemas['PoolFailedOverConfirm'];
/** A pool command's answer: the standby lease as the supervisor will act on it. */
export type PoolFailover = Schemas['PoolFailover'];
export type FailoverStartRequest = Schemas['FailoverStartRequest'];
export type FailoverStopRequest = Schemas['FailoverStopRequest'];
export type FailoverReplaceRequest = Schemas['FailoverReplaceRequest'];
