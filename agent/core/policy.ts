// The cluster policy as the decision core sees it (ARCHITECTURE.md, "Cluster policy: set once,
// in the controller"): the part of the core's config that the controller owns and versions,
// how a policy from the wire maps onto it, and the conservative merge of timings while the two
// nodes of a pair run different versions. Pure, like the rest of core/.
import { effectiveTiming, profileTimings, type ClusterPolicySettings } from '../../contracts/cluster-policy-v1.js';
import type { Heartbeat } from '../../contracts/peer-v1.js';
import { profiles, triggerKinds, type CoreConfig } from './config.js';

/** The core config's fields a cluster policy sets; the rest (identity, restart budget) stay local. */
export const policyKeys = [
  'preferredNodeId',
  'heartbeatIntervalMs',
  'peerTimeoutMs',
  'witnessTimeoutMs',
  'unhealthyGraceMs',
  'handoverTimeoutMs',
  'recordingShareMin',
  'triggers',
  'failbackPolicy',
  'failbackHoldDownMs',
  'failoverCapCount',
  'failoverCapWindowMs',
] as const satisfies readonly (keyof CoreConfig)[];
export type PolicyKey = (typeof policyKeys)[number];

/** A cluster policy in the core's terms: its config fields, and whether maintenance is on cluster-wide. */
export type CorePolicy = Pick<CoreConfig, PolicyKey> & { readonly maintenance: boolean };

/** The policy a node runs and its version: the controller's, or 0 for agent.yaml's bootstrap default. */
export interface PolicyInForce {
  readonly version: number;
  readonly policy: CorePolicy;
}

/** The timing a heartbeat advertises: the sender's own policy, not the merged one. */
export type AdvertisedPolicy = NonNullable<Heartbeat['policy']>;

/**
 * Maps a cluster policy's settings (contracts/cluster-policy-v1.ts) onto the core: the profile's
 * timings with the policy's overrides, seconds and minutes in ms, percent as a share.
 *
 * @example
 *   corePolicyOf(defaultPolicySettings).peerTimeoutMs // 2750 (conservative)
 */
export function corePolicyOf(settings: ClusterPolicySettings): CorePolicy {
  const profile = settings.failover.profile;
  const timing = effectiveTiming(settings);
  const t = settings.triggers;
  return {
    preferredNodeId: settings.preferredNode,
    heartbeatIntervalMs: timing.heartbeatIntervalMs,
    peerTimeoutMs: timing.peerTimeoutMs,
    witnessTimeoutMs: profiles[profile].witnessTimeoutMs,
    unhealthyGraceMs: profileTimings[profile].unhealthyGraceMs,
    handoverTimeoutMs: profiles[profile].handoverTimeoutMs,
    recordingShareMin: t.recordingShare.minPercent / 100,
    triggers: {
      serviceDown: { enabled: t.serviceDown.enabled, graceMs: t.serviceDown.graceMs },
      storageUnavailable: { enabled: t.storageUnavailable.enabled, graceMs: t.storageUnavailable.graceMs },
      recordingShare: { enabled: t.recordingShare.enabled, graceMs: t.recordingShare.graceMs },
    },
    failbackPolicy: settings.failback.policy,
    failbackHoldDownMs: settings.failback.holdDownSeconds * 1000,
    failoverCapCount: settings.failover.capCount,
    failoverCapWindowMs: settings.failover.capWindowMinutes * 60_000,
    maintenance: settings.maintenance,
  };
}

/** The policy a config carries by itself (agent.yaml's failover block): the bootstrap default, maintenance off. */
export function bootstrapPolicy(config: CoreConfig): CorePolicy {
  return { ...pickPolicy(config), maintenance: false };
}

/** The config with a policy's fields in place of its own. */
export function withPolicy(config: CoreConfig, policy: CorePolicy): CoreConfig {
  return { ...config, ...pickPolicy(policy) };
}

/**
 * Why the core cannot run `policy` with `config`'s identity, or null. The contract's schema
 * checks each setting; this checks what only the node knows (its name and its peer's).
 *
 * @example
 *   policyProblem(config, { ...policy, preferredNodeId: 'rs-c' }) // 'preferred node rs-c is neither rs-a nor rs-b'
 */
export function policyProblem(config: CoreConfig, policy: CorePolicy): string | null {
  const preferred = policy.preferredNodeId;
  if (preferred !== null && preferred !== config.nodeId && preferred !== config.peerId) return `preferred node ${preferred} is neither ${config.nodeId} nor ${config.peerId}`;
  if (!(policy.heartbeatIntervalMs > 0) || policy.peerTimeoutMs < 3 * policy.heartbeatIntervalMs) return `the peer timeout (${policy.peerTimeoutMs} ms) must cover at least 3 heartbeats of ${policy.heartbeatIntervalMs} ms`;
  return null;
}

/** What a heartbeat says about the sender's own policy. */
export function advertised(version: number, config: Pick<CoreConfig, 'heartbeatIntervalMs' | 'peerTimeoutMs' | 'failbackHoldDownMs'>): AdvertisedPolicy {
  return { version, heartbeatIntervalMs: config.heartbeatIntervalMs, peerTimeoutMs: config.peerTimeoutMs, failbackHoldDownMs: config.failbackHoldDownMs };
}

/**
 * The timing a node acts on, given its own config and what its peer last advertised. While
 * the two run different versions (or both still run their agent.yaml, version 0, which may
 * differ) each timing-sensitive value is the more conservative of the two: the longer peer
 * timeout, so neither declares the other dead between heartbeats it was never promised; the
 * shorter heartbeat interval, so each sends at least as often as the other expects; the longer
 * failback hold-down. At equal versions (1 and up) the policy is the same on both: used as is.
 * A peer that advertises nothing (an agent from before the cluster policy) leaves it as is.
 *
 * @example
 *   mergedTiming(fast, 2, { version: 1, heartbeatIntervalMs: 1000, peerTimeoutMs: 5000, failbackHoldDownMs: 0 }).peerTimeoutMs // 5000
 */
export function mergedTiming(own: CoreConfig, ownVersion: number, peer: AdvertisedPolicy | null): CoreConfig {
  if (peer === null || (peer.version === ownVersion && ownVersion > 0)) return own;
  const merged = {
    heartbeatIntervalMs: Math.min(own.heartbeatIntervalMs, peer.heartbeatIntervalMs),
    peerTimeoutMs: Math.max(own.peerTimeoutMs, peer.peerTimeoutMs),
    failbackHoldDownMs: Math.max(own.failbackHoldDownMs, peer.failbackHoldDownMs),
  };
  const same = merged.heartbeatIntervalMs === own.heartbeatIntervalMs && merged.peerTimeoutMs === own.peerTimeoutMs && merged.failbackHoldDownMs === own.failbackHoldDownMs;
  return same ? own : { ...own, ...merged };
}

/**
 * The names of the settings that differ between two policies, triggers one by one.
 *
 * @example
 *   changedPolicyKeys(a, { ...a, peerTimeoutMs: 800 }) // ['peerTimeoutMs']
 */
export function changedPolicyKeys(before: CorePolicy, after: CorePolicy): string[] {
  const changed: string[] = [];
  for (const key of [...policyKeys, 'maintenance'] as const) {
    if (key === 'triggers') {
      for (const kind of triggerKinds) {
        const [b, a] = [before.triggers[kind], after.triggers[kind]];
        if (b.enabled !== a.enabled || b.graceMs !== a.graceMs) changed.push(`triggers.${kind}`);
      }
    } else if (before[key] !== after[key]) changed.push(key);
  }
  return changed;
}

function pickPolicy(source: Pick<CoreConfig, PolicyKey>): Pick<CoreConfig, PolicyKey> {
  return Object.fromEntries(policyKeys.map((key) => [key, source[key]])) as Pick<CoreConfig, PolicyKey>;
}
