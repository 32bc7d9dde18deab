// Clusters and their nodes: the imperative shell around cluster-rules.ts. Every change is one
// transaction that also writes its audit entry, so a change and its record land together.
import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import type { Database } from '../db/database.js';
import { AuditEntryEntity, ClusterEntity, NodeEntity, NodeStatusShareEntity, type AuditDetails, type ClusterRow, type NodeRow } from '../db/entities/index.js';
import { isUniqueViolation } from '../db/errors.js';
import { auditRow, type Actor } from './audit.js';
import { writeCluster } from './cluster-policy.js';
import { mergeDeep, settingsOfRow } from './cluster-policy-rules.js';
import { checkIfMatch, ClusterRaceError, etagOf, loadCluster, loadNode, loadNodes, retryOnRace } from './cluster-rows.js';
import { checkNodes, type RuleViolation } from './cluster-rules.js';
import { nodeLiveView } from './cluster-state.js';
import { deletePoolRowsOfCluster, deletePoolRowsOfNode, refuseDeletingInFailover } from './pool-model.js';
import { servingViewOf } from './serving-view.js';
import type { DataMissingTracker } from './data-missing.js';
import { conflict, DomainError, notFound, problem, validationFailed } from './errors.js';
import type { NodeStatusCache, StorageStatus } from './node-status.js';
import type { AgentSecretRequest, AgentSecretSet, Cluster, ClusterCreate, ClusterPage, ClusterSummary, ClusterUpdate } from '../model/cluster.js';
import type { Node, NodeCreate, NodeDetail, NodeUpdate, Storage } from '../model/node.js';
import { failbackHoldDownSecondsDefault } from '../model/vocabulary.js';

export type { Actor } from './audit.js';
export { etagOf } from './cluster-rows.js';

export class ClusterService {
  constructor(
    private readonly db: Database,
    private readonly statuses: NodeStatusCache,
    private readonly dataMissing: DataMissingTracker,
  ) {}

  async list(query: { limit: number; offset: number; name?: string | undefined }): Promise<ClusterPage> {
    const repo = this.db.dataSource.getRepository(ClusterEntity);
    const builder = repo.createQueryBuilder('c').orderBy('c.name', 'ASC').addOrderBy('c.id', 'ASC').skip(query.offset).take(query.limit);
    if (query.name !== undefined) builder.where('LOWER(c.name) LIKE :name', { name: `%${escapeLike(query.name.toLowerCase())}%` });
    const [rows, total] = await builder.getManyAndCount();
    const nodes = rows.length === 0 ? [] : await this.db.dataSource.getRepository(NodeEntity).find({ where: { clusterId: In(rows.map((r) => r.id)) } });
    const withSecret = await clustersWithSecret(this.db.dataSource.manager, rows.map((r) => r.id));
    return { items: rows.map((row) => this.summaryView(row, nodes.filter((n) => n.clusterId === row.id), withSecret.has(row.id))), total, limit: query.limit, offset: query.offset };
  }

  private summaryView(row: ClusterRow, nodes: readonly NodeRow[], agentSecretSet: boolean): ClusterSummary {
    const view = clusterView(row, nodes, agentSecretSet);
    const ids = view.nodes.map((n) => n.id);
    const serving = servingViewOf(ids, this.statuses, row.mode);
    const data = this.dataMissing.observe(row.id, ids);
    return {
      ...view,
      servingNodeId: serving.servingNodeId,
      dataMissing: data.missing,
      dataMissingSeconds: data.missingSeconds,
      nodes: view.nodes.map((n) => ({ ...n, ...nodeLiveView(n.id, this.statuses, serving) })),
    };
  }

  async get(id: string): Promise<Cluster> {
    return this.db.dataSource.transaction(async (m) => {
      const row = await loadCluster(m, id);
      return clusterView(row, await loadNodes(m, id), (await clustersWithSecret(m, [id])).has(id));
    });
  }

  async create(input: ClusterCreate, actor: Actor): Promise<Cluster> {
    return this.mutate(actor, 'cluster.create', async (m) => {
      if ((await m.countBy(ClusterEntity, { name: input.name })) > 0) throw nameTaken(input.name);
      const id = randomUUID();
      for (const node of input.nodes ?? []) refuseAgentUrl(node);
      const nodeRows: NodeRow[] = (input.nodes ?? []).map((n) => newNodeRow(id, n));
      failOn(checkNodes(input.mode, nodeRows));
      const row = await m.save(ClusterEntity, {
        id,
        name: input.name,
        mode: input.mode,
        sharedAddress: input.sharedAddress,
        preferredNodeId: null,
        failbackPolicy: input.failbackPolicy ?? 'automatic',
        failbackHoldDownSeconds: input.failbackHoldDownSeconds ?? failbackHoldDownSecondsDefault,
        policyVersion: 1,
        policySettings: null,
        policyUpdatedAt: null,
        description: input.description ?? '',
      });
      const saved = nodeRows.length === 0 ? [] : await m.save(NodeEntity, nodeRows);
      return { target: `cluster/${id}`, result: clusterView(row, saved, false) };
    }, () => `cluster/${input.name}`);
  }

  /**
   * Changes a cluster. The preferred node and failback are settings of the cluster policy: a
   * change of them is a change of the policy (checked as a whole, its version one higher, audited).
   */
  async update(id: string, patch: ClusterUpdate, ifMatch: string | undefined, actor: Actor): Promise<Cluster> {
    return this.mutate(actor, 'cluster.update', async (m) => {
      const row = await loadCluster(m, id);
      checkIfMatch(ifMatch, etagOf(row.version));
      const nodes = await loadNodes(m, id);
      if (patch.name !== undefined && patch.name !== row.name && (await m.countBy(ClusterEntity, { name: patch.name })) > 0) throw nameTaken(patch.name);
      const { preferredNodeId, failbackPolicy, failbackHoldDownSeconds, ...plain } = patch;
      const settings = mergeDeep(settingsOfRow(row), { preferredNodeId, failback: { policy: failbackPolicy, holdDownSeconds: failbackHoldDownSeconds } });
      const saved = await writeCluster(m, row, nodes, actor, { plain, settings });
      return { target: `cluster/${id}`, result: clusterView(saved, nodes, (await clustersWithSecret(m, [id])).has(id)) };
    }, () => `cluster/${id}`);
  }

  async remove(id: string, ifMatch: string | undefined, actor: Actor): Promise<void> {
    await this.mutate(actor, 'cluster.delete', async (m) => {
      const row = await loadCluster(m, id);
      checkIfMatch(ifMatch, etagOf(row.version));
      // Nodes and camera pairs go with the cluster (ON DELETE CASCADE), deleted here explicitly
      // too so that no dialect's cascade setting can leave orphans.
      // Their pool rows first: camera levels are found by node.
      await deletePoolRowsOfCluster(m, id);
      await m.delete(NodeEntity, { clusterId: id });
      // Their statuses shared with other controllers (status-share.ts) too: nothing reads them any more.
      await m.delete(NodeStatusShareEntity, { clusterId: id });
      await m.delete(ClusterEntity, { id });
      return { target: `cluster/${id}`, result: undefined };
    }, () => `cluster/${id}`);
  }

  async listNodes(clusterId: string): Promise<Node[]> {
    return this.db.dataSource.transaction(async (m) => {
      await loadCluster(m, clusterId);
      return (await loadNodes(m, clusterId)).map(nodeView);
    });
  }

  async getNode(clusterId: string, nodeId: string): Promise<NodeDetail> {
    const node = await this.db.dataSource.transaction(async (m) => {
      await loadCluster(m, clusterId);
      return nodeView(await loadNode(m, clusterId, nodeId));
    });
    const cached = this.statuses.get(nodeId);
    return { ...node, storages: (cached?.status.storages ?? []).map(storageView), storagesReportedAt: cached?.receivedAt.toISOString() ?? null };
  }

  async createNode(clusterId: string, input: NodeCreate, actor: Actor): Promise<Node> {
    return this.mutate(actor, 'node.create', async (m) => {
      refuseAgentUrl(input);
      const cluster = await loadCluster(m, clusterId);
      const nodes = await loadNodes(m, clusterId);
      const row = newNodeRow(clusterId, input);
      failOn(checkNodes(cluster.mode, [...nodes, row]));
      const saved = await m.save(NodeEntity, row);
      return { target: `cluster/${clusterId}/node/${row.id}`, result: nodeView(saved) };
    }, () => `cluster/${clusterId}/node/${input.name}`);
  }

  /** Changes a node. Agents know the preferred node by name: renaming it is a change of the cluster policy. */
  async updateNode(clusterId: string, nodeId: string, patch: NodeUpdate, ifMatch: string | undefined, actor: Actor): Promise<Node> {
    return this.mutate(actor, 'node.update', async (m) => {
      refuseAgentUrl(patch);
      const cluster = await loadCluster(m, clusterId);
      const row = await loadNode(m, clusterId, nodeId);
      checkIfMatch(ifMatch, etagOf(row.version));
      const nodes = await loadNodes(m, clusterId);
      const next: NodeRow = { ...row, ...definedOnly(patch) };
      const after = nodes.map((n) => (n.id === nodeId ? next : n));
      failOn(checkNodes(cluster.mode, after));
      if (cluster.preferredNodeId === nodeId && next.name !== row.name) await writeCluster(m, cluster, after, actor, { alsoChanged: ['preferredNode'] });
      const saved = await m.save(NodeEntity, next);
      return { target: `cluster/${clusterId}/node/${nodeId}`, result: nodeView(saved) };
    }, () => `cluster/${clusterId}/node/${nodeId}`);
  }

  async removeNode(clusterId: string, nodeId: string, ifMatch: string | undefined, actor: Actor): Promise<void> {
    await this.mutate(actor, 'node.delete', async (m) => {
      const cluster = await loadCluster(m, clusterId);
      const row = await loadNode(m, clusterId, nodeId);
      checkIfMatch(ifMatch, etagOf(row.version));
      if (cluster.mode === 'pool') await refuseDeletingInFailover(m, row);
      // The preferred node leaves the policy with it: a new version, so that agents drop it too.
      if (cluster.preferredNodeId === nodeId) {
        const rest = (await loadNodes(m, clusterId)).filter((n) => n.id !== nodeId);
        await writeCluster(m, cluster, rest, actor, { settings: { ...settingsOfRow(cluster), preferredNodeId: null } });
      }
      await m.delete(NodeEntity, { id: nodeId });
      await m.delete(NodeStatusShareEntity, { nodeId });
      await deletePoolRowsOfNode(m, nodeId);
      return { target: `cluster/${clusterId}/node/${nodeId}`, result: undefined };
    }, () => `cluster/${clusterId}/node/${nodeId}`);
  }

  /**
   * Sets the secret the cluster's agents present (and the controller presents to them): the
   * admin's, or one generated here and returned this once. Replacing a secret needs
   * `replace: true`, since the agents are refused until they have the new one. Audited as
   * `cluster.agent-secret-set` with whether it was generated or replaced, never the value.
   */
  async setAgentSecret(clusterId: string, request: AgentSecretRequest, actor: Actor): Promise<AgentSecretSet> {
    const generated = 'generate' in request ? randomBytes(agentSecretGeneratedBytes).toString('base64url') : null;
    const secret = generated ?? ('secret' in request ? request.secret : '');
    return this.mutate(actor, 'cluster.agent-secret-set', async (m) => {
      const row = await m.createQueryBuilder(ClusterEntity, 'c').addSelect('c.agentSecret').where('c.id = :id', { id: clusterId }).getOne();
      if (row === null) throw notFound('cluster', clusterId);
      const replaced = row.agentSecret !== null && row.agentSecret !== undefined && row.agentSecret !== '';
      if (replaced && request.replace !== true) {
        throw problem('agent-secret-exists', 'the cluster already has an agent secret; its agents are refused until they present a new one: send "replace": true to replace it', { clusterId });
      }
      await m.update(ClusterEntity, { id: clusterId }, { agentSecret: secret, version: row.version + 1, updatedAt: new Date() });
      const answer: AgentSecretSet = { clusterId, agentSecretSet: true, replaced, ...(generated !== null ? { secret: generated } : {}) };
      return { target: `cluster/${clusterId}`, result: answer, details: { generated: generated !== null, replaced } };
    }, () => `cluster/${clusterId}`);
  }

  /**
   * Runs a change in one transaction together with its audit entry, again if it lost a race
   * for its cluster row. A refused change is audited too, in its own transaction, unless the
   * database itself is the problem.
   */
  private async mutate<T>(actor: Actor, action: string, work: (m: EntityManager) => Promise<{ target: string; result: T; details?: AuditDetails }>, targetOnFailure: () => string): Promise<T> {
    const source = this.db.dataSource;
    try {
      return await retryOnRace(
        () =>
          source.transaction(async (m) => {
            const { target, result, details } = await work(m);
            await m.insert(AuditEntryEntity, auditRow(actor, action, target, 'success', details ?? null));
            return result;
          }),
        (err) => err instanceof ClusterRaceError,
      );
    } catch (err) {
      const mapped = isUniqueViolation(err) ? uniqueConflict(action) : err;
      if (mapped instanceof DomainError) {
        await source.getRepository(AuditEntryEntity).insert(auditRow(actor, action, targetOnFailure(), 'failure')).catch(() => {});
      }
      throw mapped;
    }
  }
}

/** Random bytes of a generated agent secret: 43 characters of base64url. */
const agentSecretGeneratedBytes = 32;

/**
 * A node's agent URL is where the controller sends the cluster secret with every command, so
 * only the node's agent sets it, by registering with that secret; an admin who could set it
 * could read the secret.
 */
function refuseAgentUrl(input: { agentUrl?: unknown }): void {
  if (input.agentUrl !== undefined) throw validationFailed([{ path: '/body/agentUrl', message: "is set by the node's agent when it registers; it cannot be set through the API" }]);
}

/** Of these clusters, the ids of those with an agent secret (without loading the secrets). */
async function clustersWithSecret(m: EntityManager, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await m.createQueryBuilder(ClusterEntity, 'c').select('c.id', 'id').where('c.id IN (:...ids)', { ids }).andWhere('c.agentSecret IS NOT NULL').getRawMany<{ id: string }>();
  return new Set(rows.map((r) => r.id));
}

function newNodeRow(clusterId: string, input: NodeCreate): NodeRow {
  const now = new Date();
  return {
    id: randomUUID(),
    clusterId,
    name: input.name,
    role: input.role,
    hostName: input.hostName,
    addresses: input.addresses ?? [],
    // Set by the node's agent when it registers (refuseAgentUrl).
    agentUrl: null,
    agentCertificateFingerprint: null,
    recorderId: input.recorderId ?? null,
    webServerUri: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

function failOn(violation: RuleViolation | null): void {
  if (violation !== null) throw conflict(violation.type, violation.detail);
}

const nameTaken = (name: string): DomainError => conflict('cluster-name-taken', `a cluster named ${JSON.stringify(name)} already exists`, { name });

function uniqueConflict(action: string): DomainError {
  return action.startsWith('node.')
    ? conflict('node-name-taken', 'a node with this name already exists in the cluster')
    : conflict('cluster-name-taken', 'a cluster with this name already exists');
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function escapeLike(text: string): string {
  return text.replace(/[%_\\]/g, '');
}

function iso(date: Date | string): string {
  return (date instanceof Date ? date : new Date(date)).toISOString();
}

export function storageView(storage: StorageStatus): Storage {
  return {
    storageId: storage.storageId,
    name: storage.name,
    path: storage.path,
    available: storage.available,
    usedSpaceBytes: storage.usedSpaceBytes,
    freeSpaceBytes: storage.freeSpaceBytes,
    sizeBytes: storage.usedSpaceBytes + storage.freeSpaceBytes,
    // Agents that predate spans omit the field.
    spans: storage.spans ?? null,
  };
}

export function nodeView(row: NodeRow): Node {
  return {
    id: row.id,
    clusterId: row.clusterId,
    name: row.name,
    role: row.role,
    hostName: row.hostName,
    addresses: row.addresses,
    agentUrl: row.agentUrl,
    recorderId: row.recorderId,
    agentCertificateFingerprint: row.agentCertificateFingerprint,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    version: row.version,
  };
}

/** The API's view of a cluster; `agentSecretSet` from the row's secret when it was loaded, else as given. */
export function clusterView(row: ClusterRow, nodes: readonly NodeRow[], agentSecretSet?: boolean): Cluster {
  return {
    id: row.id,
    name: row.name,
    mode: row.mode,
    sharedAddress: row.sharedAddress,
    preferredNodeId: row.preferredNodeId,
    failbackPolicy: row.failbackPolicy,
    failbackHoldDownSeconds: row.failbackHoldDownSeconds,
    description: row.description,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    version: row.version,
    agentSecretSet: agentSecretSet ?? (row.agentSecret !== null && row.agentSecret !== undefined && row.agentSecret !== ''),
    nodes: [...nodes].sort((a, b) => a.name.localeCompare(b.name)).map(nodeView),
  };
}
