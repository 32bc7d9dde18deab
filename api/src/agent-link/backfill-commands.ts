// Backfill for operators: each node's gap audit and job as its agent last reported them, and
// the start, pause and resume commands relayed to the agents (agent-api-v1's backfill-start,
// backfill-pause, backfill-resume), each audited under the operator's account as
// `cluster.backfill-<action>` with the nodes that took it, refused it or could not be reached.
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import type { NodeRow } from '../db/entities/index.js';
import type { Actor } from '../domain/audit.js';
import { backfillTargets, clusterBackfillView } from '../domain/backfill.js';
import type { DataMissingTracker } from '../domain/data-missing.js';
import { conflict, notFound } from '../domain/errors.js';
import type { NodeStatusCache } from '../domain/node-status.js';
import { backfillCommandOf, type BackfillAction, type BackfillCommandAccepted, type BackfillCommandOutcome, type BackfillCommandRequest, type ClusterBackfill } from '../model/backfill.js';
import { auditedCommand, loadClusterWithNodes, relayCommand } from './command-relay.js';

export interface BackfillCommandOptions {
  /** agents.commandTimeoutMs: each agent's answer is awaited at most this long (they are asked at once). */
  readonly commandTimeoutMs: number;
}

export class BackfillService {
  constructor(
    private readonly db: Database,
    private readonly statuses: NodeStatusCache,
    private readonly dataMissing: DataMissingTracker,
    private readonly log: Logger,
    private readonly options: BackfillCommandOptions,
  ) {}

  /** Each node's backfill status as last reported, with the cluster's data-missing verdict. */
  async view(clusterId: string): Promise<ClusterBackfill> {
    const { cluster, nodes } = await loadClusterWithNodes(this.db, clusterId);
    return clusterBackfillView(cluster, nodes, this.statuses, this.dataMissing.observe(cluster.id, nodes.map((n) => n.id)));
  }

  /**
   * Relays a backfill command to the node named, or by default to the nodes backfillTargets
   * picks, all at once. Accepted (202) when at least one took it, with every node's answer;
   * when none did: 409 command-refused (an agent refused, or no node reports a backfill
   * status: `no-backfill`), or 502 agent-unreachable.
   */
  async command(clusterId: string, action: BackfillAction, request: BackfillCommandRequest, actor: Actor): Promise<BackfillCommandAccepted> {
    const command = backfillCommandOf[action];
    return auditedCommand(this.db, this.log, actor, `cluster.backfill-${action}`, clusterId, async (audit) => {
      const { cluster, nodes } = await loadClusterWithNodes(this.db, clusterId);
      const targets = backfillTargets(action, nodes, this.statuses, request.node);
      if (targets.kind === 'unknown-node') throw notFound('node', targets.name);
      if (targets.kind === 'none') throw conflict('command-refused', 'no node of the cluster reports a backfill status: its agents have no storage adapter configured, or predate backfill', { reason: 'no-backfill' });
      const answers = await Promise.all(targets.nodes.map(async (node) => outcomeOf(node, await relayCommand(this.db, cluster, node, command, request.reason, actor, this.options.commandTimeoutMs))));
      const named = (outcome: BackfillCommandOutcome['outcome']) => answers.filter((a) => a.outcome === outcome).map((a) => a.name);
      audit.details = { nodes: answers.map((a) => a.name), done: named('done'), refused: named('refused'), unreachable: named('unreachable') };
      if (answers.some((a) => a.outcome === 'done')) return { clusterId, command, nodes: answers };
      const refused = answers.find((a) => a.outcome === 'refused');
      const detail = answers.map((a) => `${a.name}: ${a.detail}`).join('; ');
      if (refused !== undefined) throw conflict('command-refused', detail, { reason: refused.reason ?? 'refused', nodeId: refused.nodeId });
      throw conflict('agent-unreachable', detail, { nodeId: answers[0]?.nodeId });
    });
  }
}

function outcomeOf(node: NodeRow, outcome: Awaited<ReturnType<typeof relayCommand>>): BackfillCommandOutcome {
  const base = { nodeId: node.id, name: node.name };
  switch (outcome.kind) {
    case 'done':
      return { ...base, outcome: 'done', reason: null, detail: outcome.result.result, result: outcome.result };
    case 'refused':
      return { ...base, outcome: 'refused', reason: outcome.reason ?? 'refused', detail: outcome.detail, result: null };
    case 'unreachable':
      return { ...base, outcome: 'unreachable', reason: null, detail: outcome.detail, result: null };
  }
}
