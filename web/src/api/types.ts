// The REST API's shapes as the console uses them. api/src/http/openapi.ts is the contract;
// these mirror the fields the console reads (the controller validates its responses against
// that document in tests, so a drift shows up there first).

export type Role = 'viewer' | 'operator' | 'admin';
export type HaStatus = 'Serving' | 'Standby' | 'Unknown';
/** SafeKit node states, as administrators know them from Management Server Failover. */
export type NodeState = 'STOP' | 'WAIT' | 'ALONE' | 'PRIM' | 'SECOND';
export type NodeRole = 'primary' | 'secondary' | 'failover';
export type ClusterMode = 'cloning' | 'pool';
export type EventSeverity = 'info' | 'warning' | 'error' | 'critical';
export type CameraSort = 'name' | '-name' | 'cluster' | 'status';

/** RFC 9457 problem details: every error the API returns. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  reason?: string;
  errors?: Array<{ path?: string; message?: string }>;
  [extension: string]: unknown;
}

export interface User {
  id: string;
  username: string;
  role: Role;
}

export interface LoginResult {
  user: User;
  expiresAt: string;
}

/** The node a session looks at in a cluster (Focus switching), with the addresses to reach it directly. */
export interface Focus {
  clusterId: string;
  nodeId: string;
  nodeName: string;
  serving: boolean;
  haStatus: HaStatus;
  /** Where the node's live view is reached, bypassing the shared address. */
  liveView: { webServerUri: string | null };
  /** Where the node itself is configured: its host and the agent beside it. */
  configuration: { hostName: string; addresses: string[]; agentUrl: string | null };
  focusedAt: string;
}

export interface Session {
  user: User;
  via: 'session' | 'token';
  focus: Focus[];
}

export interface Ping {
  avgMs: number | null;
  maxMs: number | null;
}

export interface NodeSummary {
  id: string;
  clusterId: string;
  name: string;
  role: NodeRole;
  hostName: string;
  addresses: string[];
  agentUrl: string | null;
  recorderId: string | null;
  haStatus: HaStatus;
  state: NodeState | null;
  uptimeSeconds: number | null;
  ping: Ping | null;
  storageCount: number | null;
}

export interface ClusterSummary {
  id: string;
  name: string;
  mode: ClusterMode;
  sharedAddress: string;
  preferredNodeId: string | null;
  failbackPolicy: 'automatic' | 'manual';
  failbackHoldDownSeconds: number;
  description: string;
  servingNodeId: string | null;
  dataMissing: boolean;
  nodes: NodeSummary[];
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** One kind of data on a storage, from the oldest to the end of the newest (agent/storage/spans.ts). */
export interface DataSpan {
  oldestAt: string | null;
  newestAt: string | null;
  spanSeconds: number;
  coveredSeconds: number;
}

/** What a storage holds, as the node's agent last scanned it; null when it reads none. */
export interface StorageSpans {
  scannedAt: string;
  cameraCount: number;
  truncated: boolean;
  /** Recorded (or backfilled) data: "Camera data: 0 days, 14:14:34, 100 %". */
  cameraData: DataSpan & { coveragePercent: number };
  /** Placeholders waiting for backfill: "Placeholder data: 0 days, 00:00:00, 0 %". */
  placeholderData: DataSpan & { sharePercent: number };
}

export interface Storage {
  storageId: string;
  name: string;
  path: string;
  available: boolean;
  usedSpaceBytes: number;
  freeSpaceBytes: number;
  sizeBytes: number;
  /** Null when the node's agent reads no spans for this storage. */
  spans: StorageSpans | null;
}

export interface NodeDetail {
  id: string;
  name: string;
  role: NodeRole;
  hostName: string;
  addresses: string[];
  storages: Storage[];
  storagesReportedAt: string | null;
}

export interface NodeLiveState {
  nodeId: string;
  name: string;
  role: NodeRole;
  hostName: string;
  webServerUri: string | null;
  reachable: boolean;
  lastReportAt: string | null;
  state: NodeState | null;
  serving: boolean;
  haStatus: HaStatus;
  epoch: number | null;
  healthy: boolean | null;
  ping: (Ping & { lastMs: number | null }) | null;
  uptimeSeconds: number | null;
  service: 'running' | 'stopped' | 'starting' | 'stopping' | 'unknown' | null;
  problem: string | null;
}

export interface ClusterState {
  clusterId: string;
  name: string;
  sharedAddress: string;
  servingNodeId: string | null;
  conflict: boolean;
  maintenance: boolean;
  switchInProgress: boolean;
  nodes: NodeLiveState[];
}

export interface NodeRef {
  nodeId: string;
  nodeName: string;
}

export interface CameraMismatch {
  setting: string;
  values: Record<string, string | number | boolean | null>;
}

export interface Camera {
  cameraId: string;
  name: string;
  clusterId: string;
  clusterName: string;
  pairName: string | null;
  servingNodeId: string | null;
  connected: boolean;
  disconnected: boolean;
  disconnectedOn: NodeRef[];
  overflow: boolean;
  overflowOn: NodeRef[];
  recording: boolean;
  mismatched: boolean;
  mismatches: CameraMismatch[];
  problem: boolean;
}

export interface SwitchAccepted {
  clusterId: string;
  from: string;
  to: string | null;
  expectedEpoch: number | null;
}

export interface MaintenanceSet {
  clusterId: string;
  maintenance: boolean;
  via: string;
}

export interface TwinrecEvent {
  id: string;
  cursor: string;
  time: string;
  clusterId: string | null;
  nodeId: string | null;
  kind: string;
  severity: EventSeverity;
  message: string;
  data: Record<string, unknown>;
}

export interface EventPage {
  items: TwinrecEvent[];
  limit: number;
  next: string | null;
}
