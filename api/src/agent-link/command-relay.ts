// What every operator command relayed to agents shares: the cluster loaded with its secret and
// its nodes, one command sent to one node's agent (agent-client.ts), and two audit records: the
// attempt (`agent.command-sent`: who sent what to which node), written before the command
// leaves, so that an agent's action is on record even if the controller stops while it acts;
// and the outcome, written once the agents have answered. The commands change nothing in SQL,
// so the outcome is not part of a transaction: if it cannot be written, the answer still stands
// (the agents have acted) and the lost entry is logged. An attempt that cannot be recorded is
// not sent.
import type { Logger } from 'pino';
import type { AgentCommand } from '../../../contracts/agent-api-v1.js';
import { describe, type Database } from '../db/database.js';
import { AuditEntryEntity, NodeEntity, type AuditDetails, type ClusterRow, type NodeRow } from '../db/entities/index.js';
import { auditRow, type Actor } from '../domain/audit.js';
import { DomainError, notFound } from '../domain/errors.js';
import { sendAgentCommand, type AgentCommandOutcome } from './agent-client.js';
import { clusterWithSecret } from './agent-link.js';

/** A cluster with its secret (to present to its agents) and its nodes, by name. */
export interface ClusterWithNodes {
  readonly cluster: ClusterRow;
  readonly nodes: NodeRow[];
}

export async function loadClusterWithNodes(db: Database, clusterId: string): Promise<ClusterWithNodes> {
  const source = db.dataSource;
  const cluster = await clusterWithSecret(source.manager, { id: clusterId });
  if (cluster === null) throw notFound('cluster', clusterId);
  const nodes = await source.getRepository(NodeEntity).find({ where: { clusterId }, order: { name: 'ASC' } });
  return { cluster, nodes };
}

/** The audit action of a command about to be relayed to one node's agent (target `cluster/<id>/node/<id>`). */
export const commandSentAction = 'agent.command-sent';

/**
 * Sends `command` to `node`'s agent with the cluster secret, for `actor`, once the attempt is
 * audited (commandSentAction, with the command and reason). Throws only when that audit entry
 * cannot be written; then nothing is sent.
 */
export async function relayCommand(db: Database, cluster: ClusterRow, node: NodeRow, command: AgentCommand, reason: string | undefined, actor: Actor, timeoutMs: number): Promise<AgentCommandOutcome> {
  if (node.agentUrl === null) return { kind: 'unreachable', detail: 'the node has no agent URL' };
  if (cluster.agentSecret === null || cluster.agentSecret === undefined) return { kind: 'unreachable', detail: 'no agent of this cluster has registered yet' };
  const details: AuditDetails = { command, reason: reason === undefined ? null : reason.slice(0, 512) };
  await db.dataSource.getRepository(AuditEntryEntity).insert(auditRow(actor, commandSentAction, `cluster/${cluster.id}/node/${node.id}`, 'success', details));
  return sendAgentCommand(node.agentUrl, cluster.agentSecret, { command, ...(reason !== undefined ? { reason } : {}), actor: actor.name }, { timeoutMs, certificateFingerprint: node.agentCertificateFingerprint });
}

/** What a command's work tells its audit entry besides the outcome; set as it learns it. */
export interface CommandAudit {
  details: AuditDetails | null;
}

/**
 * Runs a relayed command and audits it under `actor` as success, or as failure when it throws
 * a DomainError (a refusal, an unknown node, an unreachable agent), with the details the work
 * left in its CommandAudit.
 *
 * @example await auditedCommand(db, log, actor, 'cluster.switch', clusterId, async (audit) => { audit.details = { forced: true }; return send(); })
 */
export async function auditedCommand<T>(db: Database, log: Logger, actor: Actor, action: string, clusterId: string, work: (audit: CommandAudit) => Promise<T>): Promise<T> {
  const audit: CommandAudit = { details: null };
  const write = async (outcome: 'success' | 'failure'): Promise<void> => {
    try {
      await db.dataSource.getRepository(AuditEntryEntity).insert(auditRow(actor, action, `cluster/${clusterId}`, outcome, audit.details));
    } catch (err) {
      log.error({ action, clusterId, outcome, err: describe(err) }, 'audit entry could not be written');
    }
  };
  let result: T;
  try {
    result = await work(audit);
  } catch (err) {
    if (err instanceof DomainError) await write('failure');
    throw err;
  }
  await write('success');
  return result;
}
