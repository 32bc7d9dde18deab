// The cluster policy's shell around cluster-policy-rules.ts: reading it with the version each
// node runs, changing it (checked as a whole, one version more, audited in the same
// transaction, nothing stored on any error), and the wire form agents get with every register
// and report answer, built once per version.
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { clusterPolicySchema as wirePolicySchema, type ClusterPolicy as WirePolicy } from '../../../contracts/cluster-policy-v1.js';
import type { Database } from '../db/database.js';
import { AuditEntryEntity, type ClusterRow, type NodeRow } from '../db/entities/index.js';
import type { ClusterPolicyView, PolicySettings, PolicySettingsPatch } from '../model/cluster-policy.js';
import { auditRow, type Actor } from './audit.js';
import { reportedPolicyVersionOf } from './cluster-state.js';
import { changedPaths, checkPolicy, columnsOf, effectiveOf, mergeDeep, settingsOfRow, wireSettingsOf, type PolicyNode } from './cluster-policy-rules.js';
import { checkIfMatch, ClusterRaceError, loadCluster, loadNodes, retryOnRace, updateClusterRow } from './cluster-rows.js';
import { conflict, DomainError, validationFailed } from './errors.js';
import type { NodeStatusCache } from './node-status.js';

/** The policy's ETag: its version, apart from the cluster's own (`"v…"`), so that one is never taken for the other. */
export const policyEtagOf = (version: number): string => `"p${version}"`;

/** The audit action of every change of a policy, wherever it was made (the policy, the cluster, maintenance, a node). */
export const policyChangedAction = 'cluster.policy-changed';
/** Audited when the controller numbers its policy above the version a node runs (a recreated or restored database). */
export const policyRenumberedAction = 'cluster.policy-renumbered';

/** The audit target of a cluster's policy. */
export const policyTarget = (clusterId: string): string => `cluster/${clusterId}/policy`;

/** A change of a cluster row: columns outside the policy, and the policy's settings after it. */
export interface ClusterChange {
  /** Name, shared address, description: only those that differ are written. */
  readonly plain?: Partial<Pick<ClusterRow, 'name' | 'sharedAddress' | 'description'>>;
  /** The policy's settings after the change; absent: as they are. */
  readonly settings?: PolicySettings;
  /** What else changed the policy as agents get it: `preferredNode` when the preferred node was renamed. */
  readonly alsoChanged?: readonly string[];
}

/**
 * Writes a change of a cluster row in `m`: when it changes the policy (its settings, or the
 * preferred node's name agents know), the settings are checked as a whole (400 listing every
 * issue, 409 for the preferred node), stored with the version one higher, and audited as
 * `cluster.policy-changed` with the versions before and after. A change that changes nothing
 * writes nothing. The write is conditional on the row's version (ClusterRaceError when it lost).
 *
 * @example
 *   await writeCluster(m, row, nodes, actor, { settings: { ...settingsOfRow(row), maintenance: true } }) // row with policyVersion + 1
 */
export async function writeCluster(m: EntityManager, row: ClusterRow, nodes: readonly PolicyNode[], actor: Actor, change: ClusterChange): Promise<ClusterRow> {
  const before = settingsOfRow(row);
  const after = change.settings ?? before;
  const changed = [...changedPaths(before, after), ...(change.alsoChanged ?? [])];
  const columns: Partial<ClusterRow> = Object.fromEntries(Object.entries(change.plain ?? {}).filter(([key, value]) => value !== undefined && row[key as keyof ClusterRow] !== value));
  if (changed.length > 0) {
    const check = checkPolicy(after, nodes);
    if (check.kind === 'invalid') throw validationFailed(check.issues);
    if (check.kind === 'refused') throw conflict(check.violation.type, check.violation.detail);
    Object.assign(columns, columnsOf(after), { policyVersion: row.policyVersion + 1, policyUpdatedAt: new Date() });
  }
  if (Object.keys(columns).length === 0) return row;
  const saved = await updateClusterRow(m, row, columns);
  if (changed.length > 0) {
    await m.insert(AuditEntryEntity, auditRow(actor, policyChangedAction, policyTarget(row.id), 'success', { fromVersion: row.policyVersion, toVersion: saved.policyVersion, changed }));
  }
  return saved;
}

/**
 * A cluster's policy as the REST API shows it: its settings, what null overrides resolve to,
 * and the version each node last reported running.
 */
export function policyView(row: ClusterRow, nodes: readonly NodeRow[], statuses: NodeStatusCache): ClusterPolicyView {
  const settings = settingsOfRow(row);
  const updatedAt = row.policyUpdatedAt ?? row.createdAt;
  return {
    clusterId: row.id,
    version: row.policyVersion,
    ...settings,
    effective: effectiveOf(settings),
    updatedAt: (updatedAt instanceof Date ? updatedAt : new Date(updatedAt)).toISOString(),
    nodes: [...nodes]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((node) => {
        const reported = reportedPolicyVersionOf(node.id, statuses);
        return { nodeId: node.id, name: node.name, policyVersion: reported, current: reported === row.policyVersion };
      }),
  };
}

export class ClusterPolicyService {
  constructor(
    private readonly db: Database,
    private readonly statuses: NodeStatusCache,
  ) {}

  async get(clusterId: string): Promise<ClusterPolicyView> {
    return this.db.dataSource.transaction(async (m) => policyView(await loadCluster(m, clusterId), await loadNodes(m, clusterId), this.statuses));
  }

  /** Sets every setting (PUT). @throws DomainError validation-failed, preferred-node-invalid, precondition-failed, not-found */
  async replace(clusterId: string, settings: PolicySettings, ifMatch: string | undefined, actor: Actor): Promise<ClusterPolicyView> {
    return this.change(clusterId, ifMatch, actor, () => settings);
  }

  /** Sets some settings (PATCH), merged into the current ones and checked as a whole. */
  async update(clusterId: string, patch: PolicySettingsPatch, ifMatch: string | undefined, actor: Actor): Promise<ClusterPolicyView> {
    return this.change(clusterId, ifMatch, actor, (current) => mergeDeep(current, patch));
  }

  /** Sets maintenance, as relayed to an agent: so that the flag survives and both nodes get it. */
  async setMaintenance(clusterId: string, on: boolean, actor: Actor): Promise<ClusterPolicyView> {
    return this.change(clusterId, undefined, actor, (current) => ({ ...current, maintenance: on }));
  }

  /** One change in one transaction, run again if a concurrent one won; a refused change is audited as such. */
  private async change(clusterId: string, ifMatch: string | undefined, actor: Actor, next: (current: PolicySettings) => PolicySettings): Promise<ClusterPolicyView> {
    const source = this.db.dataSource;
    try {
      return await retryOnRace(
        () =>
          source.transaction(async (m) => {
            const row = await loadCluster(m, clusterId);
            checkIfMatch(ifMatch, policyEtagOf(row.policyVersion));
            const nodes = await loadNodes(m, clusterId);
            const saved = await writeCluster(m, row, nodes, actor, { settings: next(settingsOfRow(row)) });
            return policyView(saved, nodes, this.statuses);
          }),
        (err) => err instanceof ClusterRaceError,
      );
    } catch (err) {
      if (err instanceof DomainError) await source.getRepository(AuditEntryEntity).insert(auditRow(actor, policyChangedAction, policyTarget(clusterId), 'failure')).catch(() => {});
      throw err;
    }
  }
}

/** Most clusters whose wire policy is kept; beyond, the one built longest ago is dropped. */
export const agentPolicyCacheMax = 10_000;

interface BuiltPolicy {
  readonly version: number;
  /** The preferred node's name it was built with: a rename shows here even before the version moves. */
  readonly preferredNode: string | null;
  /** Null when the stored settings did not make a valid policy (logged once): the answers then leave it out. */
  readonly policy: WirePolicy | null;
}

/**
 * The wire policy (contracts/cluster-policy-v1.ts) per cluster, for the register and report
 * answers: every node reports every second, so it is built and checked once per version, not
 * per report. A new version (or a renamed preferred node) replaces it.
 *
 * @example
 *   cache.policyOf(clusterRow, nodes) // { version: 3, settings: { preferredNode: 'rec-a', … } }
 */
export class AgentPolicyCache {
  private readonly built = new Map<string, BuiltPolicy>();

  constructor(private readonly log: Logger) {}

  /** The cluster's policy as agents get it; undefined when its stored settings are not a valid policy (an answer then leaves it out, and agents keep theirs). */
  policyOf(row: ClusterRow, nodes: readonly PolicyNode[]): WirePolicy | undefined {
    // A preferred node proposed by the first agent that has not registered yet goes by its name.
    const preferredNode = nodes.find((n) => n.id === row.preferredNodeId)?.name ?? row.policySettings?.pendingPreferredNode ?? null;
    const cached = this.built.get(row.id);
    if (cached !== undefined && cached.version === row.policyVersion && cached.preferredNode === preferredNode) return cached.policy ?? undefined;
    const parsed = wirePolicySchema.safeParse({ version: row.policyVersion, settings: { ...wireSettingsOf(settingsOfRow(row), nodes), preferredNode } });
    if (!parsed.success) this.log.error({ clusterId: row.id, version: row.policyVersion, issues: parsed.error.issues.slice(0, 10) }, 'the stored cluster policy is not valid: answers leave it out');
    this.built.delete(row.id);
    this.built.set(row.id, { version: row.policyVersion, preferredNode, policy: parsed.success ? parsed.data : null });
    if (this.built.size > agentPolicyCacheMax) this.built.delete(this.built.keys().next().value as string);
    return parsed.data;
  }
}
