import { EntitySchema } from 'typeorm';
import type { StoredPolicySettings } from '../../model/cluster-policy.js';
import type { ClusterMode, FailbackPolicy } from '../../model/vocabulary.js';
import { agentSecretTransformer } from '../cluster-secrets.js';

/** The agent_secret column's length: the sealed form of a 256-character secret (secret-box.ts) fits. */
export const agentSecretColumnLength = 1200;

/** A set of recording servers that share a Serving role: a cloned pair or a failover pool. */
export interface ClusterRow {
  id: string;
  name: string;
  mode: ClusterMode;
  /** Address clients reach the Serving node through: `host:port` of a relay, a DNS name or a VIP. */
  sharedAddress: string;
  /** The node that serves when both are healthy; null means the primary. Part of the cluster policy, as the next two are. */
  preferredNodeId: string | null;
  failbackPolicy: FailbackPolicy;
  failbackHoldDownSeconds: number;
  /** The cluster policy's version: 1 at first, one more with every change of a policy setting. */
  policyVersion: number;
  /** The policy's other settings (failover, triggers, boot, maintenance); null: the defaults. */
  policySettings: StoredPolicySettings | null;
  /** When a policy setting last changed; null: not since the cluster was made. */
  policyUpdatedAt: Date | null;
  description: string;
  createdAt: Date;
  updatedAt: Date;
  /** Incremented on every update; exposed as the ETag for optimistic concurrency. */
  version: number;
  /**
   * The per-cluster secret the agents present as a Bearer token (set by the first agent to
   * register, or adopted by an API-created cluster), kept as given because the controller
   * presents it to the agents' APIs in turn. Never returned by the API and never logged; not
   * even loaded unless asked for (`select: false`), so only the agent link ever sees it.
   * Stored encrypted (cluster-secrets.ts): reads and writes see plain text, but a secret cannot
   * be looked up by value.
   */
  agentSecret?: string | null;
}

export const ClusterEntity = new EntitySchema<ClusterRow>({
  name: 'Cluster',
  tableName: 'cluster',
  columns: {
    id: { type: String, length: 36, primary: true },
    name: { type: String, length: 64 },
    mode: { type: String, length: 16 },
    sharedAddress: { type: String, length: 255, name: 'shared_address' },
    preferredNodeId: { type: String, length: 36, nullable: true, name: 'preferred_node_id' },
    failbackPolicy: { type: String, length: 16, name: 'failback_policy' },
    failbackHoldDownSeconds: { type: 'int', name: 'failback_hold_down_seconds' },
    policyVersion: { type: 'int', name: 'policy_version', default: 1 },
    policySettings: { type: 'simple-json', nullable: true, name: 'policy_settings' },
    policyUpdatedAt: { type: Date, nullable: true, name: 'policy_updated_at' },
    description: { type: String, length: 1024, default: '' },
    createdAt: { type: Date, createDate: true, name: 'created_at' },
    updatedAt: { type: Date, updateDate: true, name: 'updated_at' },
    version: { type: 'int', version: true },
    agentSecret: { type: String, length: agentSecretColumnLength, nullable: true, name: 'agent_secret', select: false, transformer: agentSecretTransformer },
  },
  indices: [{ name: 'UQ_cluster_name', columns: ['name'], unique: true }],
});
