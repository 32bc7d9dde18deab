// Operator commands on a cluster, relayed to its agents: switch the Serving role, turn
// maintenance on or off, and read the cluster's live state. The agents decide and act; the
// controller picks whom to ask, passes the command on with the cluster secret, and audits it.
// A switch to a node that lacks recordings its peer holds (its agent's gap audit) is refused
// unless forced, and a forced one is audited with what the node lacked.
// Maintenance is also a setting of the cluster policy: once an agent took it, the policy
// keeps it, so that it survives restarts and both nodes get it with their report answers.
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import type { ClusterRow, NodeRow } from '../db/entities/index.js';
import type { Actor } from '../domain/audit.js';
import { missingDataOf } from '../domain/backfill.js';
import type { ClusterPolicyService } from '../domain/cluster-policy.js';
import { describeClusterState } from '../domain/cluster-state.js';
import { conflict, type DomainError } from '../domain/errors.js';
import type { NodeStatusCache } from '../domain/node-status.js';
import { servingViewOf } from '../domain/serving-view.js';
import type { ClusterState } from '../model/cluster.js';
import type { BackfillStatus } from '../model/backfill.js';
import type { MaintenanceSet, SwitchAccepted, SwitchRequest } from '../model/command.js';
import type { SwitchRefusalReason } from '../model/problem.js';
import { auditedCommand, loadClusterWithNodes, relayCommand } from './command-relay.js';

/** A switch counts as in progress this long after it was accepted, until another node serves. */
export const switchSettleMs = 15_000;

export interface ClusterCommandOptions {
  readonly commandTimeoutMs: number;
  /** Monotonic clock in ms; injectable for tests. */
  readonly nowMs?: () => number;
}

interface SwitchUnderWay {
  readonly startedAtMs: number;
  readonly fromNodeId: string;
}

export class ClusterCommandService {
  /** Per cluster, the last accepted (or pending) switch. At most one entry per cluster. */
  private readonly switches = new Map<string, SwitchUnderWay>();
  private readonly nowMs: () => number;

  constructor(
    private readonly db: Database,
    private readonly statuses: NodeStatusCache,
    private readonly policies: ClusterPolicyService,
    private readonly log: Logger,
    private readonly options: ClusterCommandOptions,
  ) {
    this.nowMs = options.nowMs ?? (() => performance.now());
  }

  async state(clusterId: string): Promise<ClusterState> {
    const { cluster, nodes } = await loadClusterWithNodes(this.db, clusterId);
    const serving = servingViewOf(nodes.map((n) => n.id), this.statuses, cluster.mode).servingNodeId;
    return describeClusterState(cluster, nodes, this.statuses, this.switchUnderWay(clusterId, serving));
  }

  /**
   * Asks the Serving node's agent to hand the Serving role to its peer. When the peer that
   * would take over (a cloned pair's other node) reports that it lacks recordings the Serving
   * node holds, the switch is refused (409 target-missing-data) unless `force`; a forced
   * switch is audited with `forced` and the seconds it lacked.
   */
  async switchServing(clusterId: string, request: SwitchRequest, actor: Actor): Promise<SwitchAccepted> {
    return auditedCommand(this.db, this.log, actor, 'cluster.switch', clusterId, async (audit) => {
      const { cluster, nodes } = await loadClusterWithNodes(this.db, clusterId);
      refusePool(cluster.mode, 'switch');
      const serving = servingViewOf(nodes.map((n) => n.id), this.statuses, cluster.mode).servingNodeId;
      if (this.switchUnderWay(clusterId, serving)) throw switchNotPossible('switch-in-progress', 'a switch was accepted less than 15 s ago and has not completed yet');
      const from = serving === null ? undefined : nodes.find((n) => n.id === serving);
      if (from === undefined) throw switchNotPossible('no-serving-node', 'no node of the cluster reports that it serves');
      const takeover = takeoverOf(cluster.mode, nodes, from);
      // A stopped peer (STOP, by command or boot policy: it stays so until started) cannot take
      // over, forced or not; said before its missing data, which a stopped recorder always has.
      // Passing states (WAIT while booting or held) are left to the agent, whose view is fresher
      // than the last report here.
      const takeoverState = takeover === undefined || !this.statuses.isFresh(takeover.id) ? undefined : this.statuses.get(takeover.id)?.status.state;
      if (takeover !== undefined && takeoverState === 'STOP') {
        throw switchNotPossible('peer-not-ready', `${takeover.name} is stopped; start it and let it become a standby first`);
      }
      const missing = takeover === undefined ? null : missingDataOf(takeover, this.statuses);
      if (missing !== null) {
        audit.details = { forced: request.force === true, to: missing.nodeName, missingSeconds: missing.missingSeconds };
        if (request.force !== true) {
          throw conflict('target-missing-data', `${missing.nodeName} lacks ${Math.round(missing.missingSeconds)} s of recordings its peer holds (${missing.camerasAffected} camera${missing.camerasAffected === 1 ? '' : 's'}); wait for backfill, or switch with force`, { ...missing });
        }
      }
      // Claimed before the agent is asked, so that a second request meanwhile is refused.
      this.switches.set(clusterId, { startedAtMs: this.nowMs(), fromNodeId: from.id });
      const outcome = await relayCommand(this.db, cluster, from, 'switch', request.reason, actor, this.options.commandTimeoutMs);
      if (outcome.kind !== 'done') {
        this.switches.delete(clusterId);
        if (outcome.kind === 'refused') throw switchNotPossible(outcome.reason ?? 'refused', outcome.detail);
        throw agentUnreachable(from, outcome.detail);
      }
      const to = outcome.result.handover?.to;
      const toNode = nodes.find((n) => n.id !== from.id && (n.name === to || n.id === to));
      return {
        clusterId,
        from: from.id,
        to: toNode?.id ?? null,
        expectedEpoch: outcome.result.handover?.expectedEpoch ?? null,
        result: outcome.result,
        shorterRetention: toNode === undefined ? null : shorterRetentionOf(this.statuses.get(toNode.id)?.status.backfill ?? null, this.statuses.get(from.id)?.status.backfill ?? null, Date.now()),
      };
    });
  }

  /**
   * Turns maintenance on or off through one reachable agent (the Serving node's first), which
   * acts at once; the flag is cluster-wide and spreads to the peer through heartbeats. If an
   * agent cannot be reached, the next reachable one is asked. Once one took it, the cluster
   * policy keeps it (a new version, audited), so that both nodes get it with their next
   * answer; a refused or undelivered command changes nothing.
   */
  async setMaintenance(clusterId: string, on: boolean, reason: string | undefined, actor: Actor): Promise<MaintenanceSet> {
    return auditedCommand(this.db, this.log, actor, 'cluster.maintenance', clusterId, async () => {
      const { cluster, nodes } = await loadClusterWithNodes(this.db, clusterId);
      refusePool(cluster.mode, 'maintenance');
      const serving = servingViewOf(nodes.map((n) => n.id), this.statuses, cluster.mode).servingNodeId;
      const candidates = nodes
        .filter((n) => this.statuses.isFresh(n.id))
        .sort((a, b) => Number(b.id === serving) - Number(a.id === serving) || (this.statuses.ageMs(a.id) ?? 0) - (this.statuses.ageMs(b.id) ?? 0));
      if (candidates.length === 0) throw conflict('cluster-unreachable', 'no node of the cluster has reported recently; maintenance cannot be changed');
      let unreachable: DomainError | null = null;
      for (const node of candidates) {
        const outcome = await relayCommand(this.db, cluster, node, on ? 'maintenance-on' : 'maintenance-off', reason, actor, this.options.commandTimeoutMs);
        if (outcome.kind === 'done') {
          await this.policies.setMaintenance(clusterId, on, actor);
          return { clusterId, maintenance: on, via: node.id };
        }
        if (outcome.kind === 'refused') throw conflict('command-refused', outcome.detail, { reason: outcome.reason ?? 'refused', nodeId: node.id });
        unreachable = agentUnreachable(node, outcome.detail);
      }
      throw unreachable ?? conflict('cluster-unreachable', 'no reachable agent');
    });
  }

  private switchUnderWay(clusterId: string, servingNodeId: string | null): boolean {
    const started = this.switches.get(clusterId);
    if (started === undefined) return false;
    // Under way until another node serves; while nobody serves the handover is still going on.
    const settled = this.nowMs() - started.startedAtMs >= switchSettleMs || (servingNodeId !== null && servingNodeId !== started.fromNodeId);
    if (settled) this.switches.delete(clusterId);
    return !settled;
  }
}

/** The node that takes over from `from`: a cloned pair's other node; in a pool its agent picks one, so it is not known here. */
function takeoverOf(mode: ClusterRow['mode'], nodes: readonly NodeRow[], from: NodeRow): NodeRow | undefined {
  return mode === 'cloning' ? nodes.find((n) => n.id !== from.id) : undefined;
}

/** A pool's agents take no pair commands (their standbys act on the controller's leases): refused here, not relayed to fail there. */
function refusePool(mode: string, command: 'switch' | 'maintenance'): void {
  if (mode !== 'pool') return;
  const instead = command === 'switch' ? 'start or stop a protected server\'s failover (POST …/clusters/{clusterId}/nodes/{nodeId}/failover/start or /stop)' : 'set the pool policy\'s failover to manual';
  throw conflict('cluster-is-pool', `a failover pool has no pair ${command}: ${instead}`);
}

function switchNotPossible(reason: SwitchRefusalReason, detail: string): DomainError {
  return conflict('switch-not-possible', detail, { reason });
}

function agentUnreachable(node: NodeRow, detail: string): DomainError {
  return conflict('agent-unreachable', `${node.name}: ${detail}`, { nodeId: node.id });
}

/**
 * When the node taking over keeps a shorter retention than the one it takes over from (seed
 * 000, "Smaller Storage"), what it lacks: everything older than its own retention.
 *
 * @example shorterRetentionOf({ retentionMinutes: 60, … }, { retentionMinutes: 1440, … }, now)?.olderThan // an hour ago
 */
export function shorterRetentionOf(
  target: Pick<BackfillStatus, 'retentionMinutes'> | null,
  source: Pick<BackfillStatus, 'retentionMinutes'> | null,
  nowMs: number,
): SwitchAccepted['shorterRetention'] {
  const mine = target?.retentionMinutes ?? null;
  const theirs = source?.retentionMinutes ?? null;
  if (mine === null || theirs === null || mine >= theirs) return null;
  return { retentionMinutes: mine, peerRetentionMinutes: theirs, olderThan: new Date(nowMs - mine * 60_000).toISOString() };
}
