// The policy an agent proposes when it registers: its agent.yaml failover block in the cluster
// policy's terms. The controller adopts it only when this registration creates the cluster
// (contracts/controller-v1.ts `proposedPolicy`), so a pair set up from its agents alone runs
// what they were configured with instead of the controller's defaults.
import { clusterPolicySettingsSchema, type ClusterPolicySettings } from '../../contracts/cluster-policy-v1.js';
import type { AgentConfig } from '../config/agent-config.js';

/**
 * agent.yaml's failover block as cluster policy settings; undefined when it makes no valid
 * policy (then the controller's defaults apply, as with an older agent).
 *
 * @example proposedPolicyOf(config.failover)?.failback.holdDownSeconds // 300
 */
export function proposedPolicyOf(failover: AgentConfig['failover']): ClusterPolicySettings | undefined {
  const graceMs = failover.unhealthyGraceMs ?? null;
  const minPercent = Math.round(failover.recordingShareMin * 100);
  const parsed = clusterPolicySettingsSchema.safeParse({
    preferredNode: failover.preferredNodeId,
    failback: { policy: failover.failbackPolicy, holdDownSeconds: failover.failbackHoldDownSeconds },
    failover: { profile: failover.profile, heartbeatIntervalMs: null, peerTimeoutMs: failover.peerTimeoutMs ?? null, capCount: failover.capCount, capWindowMinutes: failover.capWindowMinutes },
    triggers: {
      // A minimum share of 0 % never makes the node unhealthy: that is the trigger turned off.
      recordingShare: { enabled: minPercent >= 1, minPercent: Math.max(1, minPercent), graceMs },
      storageUnavailable: { enabled: true, graceMs },
      serviceDown: { enabled: true, graceMs },
    },
    boot: failover.boot,
    maintenance: false,
  });
  return parsed.success ? parsed.data : undefined;
}
