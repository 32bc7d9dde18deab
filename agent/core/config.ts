// Thresholds of the decision core. Defaults are conservative (a dead peer is detected in
// about 3 s): users of keepalived, Corosync and Patroni suffered flapping with aggressive
// ones. The "fast" profile detects a dead peer in about 1 s on a quiet LAN. The profiles'
// heartbeat, peer timeout and grace are the cluster policy's (contracts/cluster-policy-v1.ts),
// so they are written once; the core only adds the timings no policy sets.
import { profileTimings, type FailoverProfile } from '../../contracts/cluster-policy-v1.js';

/** What makes the Serving node hand over: each kind of local trouble, as the cluster policy's triggers name them. */
export const triggerKinds = ['serviceDown', 'storageUnavailable', 'recordingShare'] as const;
export type TriggerKind = (typeof triggerKinds)[number];

export interface TriggerConfig {
  /** Off: the trouble never moves the Serving role, and the node still counts as healthy to its peer. */
  readonly enabled: boolean;
  /** How long the trouble must last; null: unhealthyGraceMs (the profile's). */
  readonly graceMs: number | null;
}

export type Triggers = Readonly<Record<TriggerKind, TriggerConfig>>;

/** Every trigger on, with the profile's grace: the core's behaviour before triggers could be set. */
export const allTriggersOn: Triggers = {
  serviceDown: { enabled: true, graceMs: null },
  storageUnavailable: { enabled: true, graceMs: null },
  recordingShare: { enabled: true, graceMs: null },
};

export interface CoreConfig {
  readonly nodeId: string;
  readonly peerId: string;
  readonly clusterId: string;
  /** 0 or 1: the node's rank in the pair. Ranks own disjoint epochs, so two claims never share one. */
  readonly rank: 0 | 1;
  /** The node that serves when both are healthy (the failback target); null: rank 0 wins ties, no failback. */
  readonly preferredNodeId: string | null;
  readonly heartbeatIntervalMs: number;
  /** Peer considered dead after this long without a heartbeat. */
  readonly peerTimeoutMs: number;
  /** A witness answer older than this counts as "witness unreachable". */
  readonly witnessTimeoutMs: number;
  /** Local trouble must last this long before it moves the Serving role (a trigger's grace unless it sets its own). */
  readonly unhealthyGraceMs: number;
  /** Serving node's share of cameras recording below which the recordingShare trigger counts (0..1). */
  readonly recordingShareMin: number;
  /** Which local trouble counts, and for how long. */
  readonly triggers: Triggers;
  readonly failbackPolicy: 'automatic' | 'manual';
  /** Healthy-peer time before automatic failback to the preferred node. */
  readonly failbackHoldDownMs: number;
  /** At most this many automatic failovers per window; then failover is suspended. */
  readonly failoverCapCount: number;
  readonly failoverCapWindowMs: number;
  /** How long a node that handed over waits for its peer to claim before it may claim again. */
  readonly handoverTimeoutMs: number;
  /** A recorder that stopped on its own is started again at most this many times per window, then left stopped. */
  readonly recorderRestartCount: number;
  readonly recorderRestartWindowMs: number;
}

export type Profile = FailoverProfile;

/** Each profile's timings: the cluster policy's (heartbeat, peer timeout, grace) and the core's own (witness, handover). */
export const profiles: Readonly<Record<Profile, Pick<CoreConfig, 'heartbeatIntervalMs' | 'peerTimeoutMs' | 'witnessTimeoutMs' | 'unhealthyGraceMs' | 'handoverTimeoutMs'>>> = {
  conservative: { ...profileTimings.conservative, witnessTimeoutMs: 5_000, handoverTimeoutMs: 3_000 },
  fast: { ...profileTimings.fast, witnessTimeoutMs: 3_000, handoverTimeoutMs: 1_500 },
};

export function coreConfig(identity: Pick<CoreConfig, 'nodeId' | 'peerId' | 'clusterId' | 'rank' | 'preferredNodeId'>, profile: Profile = 'conservative', overrides: Partial<CoreConfig> = {}): CoreConfig {
  const config: CoreConfig = {
    ...identity,
    ...profiles[profile],
    recordingShareMin: 0.5,
    triggers: allTriggersOn,
    failbackPolicy: 'automatic',
    failbackHoldDownMs: 300_000,
    failoverCapCount: 3,
    failoverCapWindowMs: 3_600_000,
    recorderRestartCount: 5,
    recorderRestartWindowMs: 600_000,
    ...overrides,
  };
  assertConfig(config);
  return config;
}

export function assertConfig(c: CoreConfig): void {
  const fail = (why: string): never => {
    throw new Error(`decision core config: ${why}`);
  };
  if (c.nodeId === c.peerId) fail('nodeId and peerId must differ');
  if (c.preferredNodeId !== null && c.preferredNodeId !== c.nodeId && c.preferredNodeId !== c.peerId) fail('preferredNodeId must be this node or its peer');
  if (!(c.heartbeatIntervalMs > 0)) fail('heartbeatIntervalMs must be positive');
  if (c.peerTimeoutMs < 3 * c.heartbeatIntervalMs) fail('peerTimeoutMs must cover at least 3 heartbeats');
  if (c.recordingShareMin < 0 || c.recordingShareMin > 1) fail('recordingShareMin must be within 0..1');
  for (const kind of triggerKinds) {
    const grace = c.triggers[kind].graceMs;
    if (grace !== null && !(grace >= 0)) fail(`triggers.${kind}.graceMs must be null or at least 0`);
  }
  if (c.failoverCapCount < 1 || c.failoverCapCount > 1000) fail('failoverCapCount must be within 1..1000');
  if (!Number.isInteger(c.recorderRestartCount) || c.recorderRestartCount < 0 || c.recorderRestartCount > 100) fail('recorderRestartCount must be an integer within 0..100');
  if (!(c.recorderRestartWindowMs > 0)) fail('recorderRestartWindowMs must be positive');
}
