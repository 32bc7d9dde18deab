// Focus: a session (or token) picks one node of a cluster to look at directly, its live view
// and its configuration, while clients keep using the cluster's shared address and the Serving
// node. One focus per cluster per holder; the answer says whether the node is the one serving.
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import type { Database } from '../db/database.js';
import { AuditEntryEntity, ClusterEntity, FocusEntity, NodeEntity, type FocusRow, type NodeRow } from '../db/entities/index.js';
import { auditRow, type Actor } from '../domain/audit.js';
import { haStatusOf, roleIn, servingViewOf } from '../domain/serving-view.js';
import { notFound } from '../domain/errors.js';
import type { NodeStatusCache } from '../domain/node-status.js';
import type { Focus } from '../model/focus.js';
import type { ClusterMode } from '../model/vocabulary.js';
import { holderOf, type Identity } from './identity.js';

/** Most focus rows read for one holder: one per cluster. */
const focusListMax = 1_000;

export class FocusService {
  constructor(
    private readonly db: Database,
    private readonly statuses: NodeStatusCache,
  ) {}

  /** The holder's focus in every cluster, ordered by cluster id; focus on a deleted node is left out. */
  async list(identity: Identity): Promise<Focus[]> {
    const source = this.db.dataSource;
    const rows = await source.getRepository(FocusEntity).find({ where: { holder: holderOf(identity) }, order: { clusterId: 'ASC' }, take: focusListMax });
    if (rows.length === 0) return [];
    const clusterIds = [...new Set(rows.map((r) => r.clusterId))];
    const nodes = await source.getRepository(NodeEntity).find({ where: { clusterId: In(clusterIds) } });
    const clusters = await source.getRepository(ClusterEntity).find({ select: { id: true, mode: true }, where: { id: In(clusterIds) } });
    return rows.flatMap((row) => {
      const node = nodes.find((n) => n.id === row.nodeId && n.clusterId === row.clusterId);
      const mode = clusters.find((c) => c.id === row.clusterId)?.mode;
      return node === undefined || mode === undefined ? [] : [this.view(row, node, nodes.filter((n) => n.clusterId === row.clusterId), mode)];
    });
  }

  /**
   * Focuses a node of a cluster, replacing the holder's focus in that cluster.
   *
   * @throws DomainError `not-found` for an unknown cluster, or a node that is not in it.
   */
  async set(identity: Identity, clusterId: string, nodeId: string, actor: Actor): Promise<Focus> {
    const target = `cluster/${clusterId}/node/${nodeId}`;
    const source = this.db.dataSource;
    try {
      return await source.transaction(async (m) => {
        const cluster = await m.findOne(ClusterEntity, { select: { id: true, mode: true }, where: { id: clusterId } });
        if (cluster === null) throw notFound('cluster', clusterId);
        const nodes = await m.findBy(NodeEntity, { clusterId });
        const node = nodes.find((n) => n.id === nodeId);
        if (node === undefined) throw notFound('node', nodeId);
        const holder = holderOf(identity);
        await m.delete(FocusEntity, { holder, clusterId });
        const row: FocusRow = { id: randomUUID(), holder, clusterId, nodeId, createdAt: new Date() };
        await m.insert(FocusEntity, row);
        await m.insert(AuditEntryEntity, auditRow(actor, 'cluster.focus', target, 'success'));
        return this.view(row, node, nodes, cluster.mode);
      });
    } catch (err) {
      await source.getRepository(AuditEntryEntity).insert(auditRow(actor, 'cluster.focus', target, 'failure')).catch(() => {});
      throw err;
    }
  }

  /** Ends the holder's focus in a cluster (nothing to end is fine). @throws DomainError `not-found` for an unknown cluster. */
  async clear(identity: Identity, clusterId: string, actor: Actor): Promise<void> {
    await this.db.dataSource.transaction(async (m) => {
      if ((await m.countBy(ClusterEntity, { id: clusterId })) === 0) throw notFound('cluster', clusterId);
      await m.delete(FocusEntity, { holder: holderOf(identity), clusterId });
      await m.insert(AuditEntryEntity, auditRow(actor, 'cluster.unfocus', `cluster/${clusterId}`, 'success'));
    });
  }

  private view(row: FocusRow, node: NodeRow, clusterNodes: readonly NodeRow[], mode: ClusterMode): Focus {
    const role = roleIn(servingViewOf(clusterNodes.map((n) => n.id), this.statuses, mode), node.id);
    const createdAt = row.createdAt instanceof Date ? row.createdAt : new Date(row.createdAt);
    return {
      clusterId: row.clusterId,
      nodeId: node.id,
      nodeName: node.name,
      serving: role === 'serving',
      haStatus: haStatusOf(role),
      liveView: { webServerUri: node.webServerUri },
      configuration: { hostName: node.hostName, addresses: node.addresses, agentUrl: node.agentUrl },
      focusedAt: createdAt.toISOString(),
    };
  }
}
