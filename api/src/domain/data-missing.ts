// Whether a cluster lacks recordings: the "data missing" flag of the cluster list.
//
// Measured: each agent with a storage adapter audits its node against its peer (what the peer
// holds and this node lacks, within this node's retention) and reports the result with every
// report (`backfill` of contracts/controller-v1.ts). When every node's last report (fresh or
// not: the last known) carries such an audit, data is missing exactly when one of them says
// `missingSeconds > 0`.
//
// Otherwise (an agent without a storage adapter, one that predates backfill, one that has not
// finished its first audit, a node that never reported) the cluster falls back to a heuristic
// over the reports, as before backfill existed:
//
// - a node is *down* when it has no fresh report (silent for agents.staleAfterMs, or never
//   reported once the controller has been up that long), reports SafeKit state STOP or WAIT,
//   or reports the Recording Server service stopped, starting or stopping;
// - a cluster is *whole* when every node has a fresh report, none is down, each says it is
//   healthy, and every enabled camera on every node is recording;
// - data is missing when a fresh node has an enabled camera that is not recording now, or
//   when a node was seen down since the cluster was last seen whole (its peer may have
//   recorded what it did not). Seeing the cluster whole again clears it. A cluster none of
//   whose agents has reported since the controller started is never flagged: nothing is
//   known about it.
// A node whose audit says it lacks data flags the cluster under the heuristic too.
//
// Observed on every report of one of the cluster's nodes and on every read; the heuristic's
// memory is kept up to date either way, so that it is right the moment a cluster needs it.
import type { BackfillStatus, NodeStatus } from '../../../contracts/controller-v1.js';
import type { NodeStatusCache } from './node-status.js';

export interface DataMissingOptions {
  /** Monotonic clock in ms; injectable for tests. */
  readonly nowMs?: () => number;
  /** Most clusters remembered as degraded; the oldest is dropped beyond it. */
  readonly maxClusters?: number;
}

/** What the cluster list says about a cluster's recordings. */
export interface DataMissing {
  /** Some node lacks recordings its peer holds (`heuristic`: may lack). */
  readonly missing: boolean;
  /** Camera-seconds missing, summed over the nodes whose last report carries an audit; null when none does. */
  readonly missingSeconds: number | null;
  /** `audit`: every node's audit decided; `heuristic`: some node has none, the reports' heuristic decided. */
  readonly basis: 'audit' | 'heuristic';
}

/** A node's gap audit as its last report gives it: null when it gives none (no status, or no audit finished yet). */
export function auditOf(status: Pick<NodeStatus, 'backfill'> | undefined): BackfillStatus | null {
  const backfill = status?.backfill ?? null;
  return backfill !== null && backfill.auditedAt !== null ? backfill : null;
}

/**
 * The measured part: the nodes' audits (null where a node has none) summed, and whether they
 * alone decide (every node has one).
 *
 * @example
 *   auditVerdict([{ missingSeconds: 3 }, { missingSeconds: 0 }]) // { decided: true, missing: true, missingSeconds: 3 }
 *   auditVerdict([{ missingSeconds: 0 }, null])                   // { decided: false, missing: false, missingSeconds: 0 }
 */
export function auditVerdict(audits: readonly (Pick<BackfillStatus, 'missingSeconds'> | null)[]): { decided: boolean; missing: boolean; missingSeconds: number | null } {
  let missingSeconds: number | null = null;
  let missing = false;
  for (const audit of audits) {
    if (audit === null) continue;
    missingSeconds = (missingSeconds ?? 0) + audit.missingSeconds;
    missing ||= audit.missingSeconds > 0;
  }
  return { decided: audits.length > 0 && audits.every((a) => a !== null), missing, missingSeconds };
}

const downStates: ReadonlySet<NodeStatus['state']> = new Set(['STOP', 'WAIT']);
const downServices: ReadonlySet<NodeStatus['service']> = new Set(['stopped', 'starting', 'stopping']);

/**
 * Says per cluster whether recordings are missing, and remembers for the heuristic that a node
 * was down since the cluster was last whole.
 *
 * @example
 *   const tracker = new DataMissingTracker(statuses);
 *   tracker.observe(clusterId, [nodeA, nodeB]) // { missing: false, missingSeconds: 0, basis: 'audit' } once both audits find nothing missing
 */
export class DataMissingTracker {
  private readonly nowMs: () => number;
  private readonly startedAtMs: number;
  private readonly maxClusters: number;
  /** Clusters with a node seen down since they were last whole, oldest first. */
  private readonly degraded = new Set<string>();

  constructor(
    private readonly statuses: NodeStatusCache,
    options: DataMissingOptions = {},
  ) {
    this.nowMs = options.nowMs ?? (() => performance.now());
    this.startedAtMs = this.nowMs();
    this.maxClusters = options.maxClusters ?? 100_000;
  }

  /** Takes in the nodes' current reports and says whether data is missing, and how much. */
  observe(clusterId: string, nodeIds: readonly string[]): DataMissing {
    const verdict = auditVerdict(nodeIds.map((id) => auditOf(this.statuses.get(id)?.status)));
    const heuristic = this.heuristic(clusterId, nodeIds);
    if (verdict.decided) return { missing: verdict.missing, missingSeconds: verdict.missingSeconds, basis: 'audit' };
    return { missing: verdict.missing || heuristic, missingSeconds: verdict.missingSeconds, basis: 'heuristic' };
  }

  /** The heuristic (see the top of this file): may data be missing? */
  private heuristic(clusterId: string, nodeIds: readonly string[]): boolean {
    const fresh = nodeIds.map((id) => this.statuses.fresh(id)?.status);
    const notRecording = fresh.some((s) => s !== undefined && hasIdleCamera(s));
    const whole = nodeIds.length > 0 && !notRecording && fresh.every((s) => s !== undefined && s.healthy && s.service === 'running' && !downStates.has(s.state));
    if (whole) {
      this.degraded.delete(clusterId);
      return false;
    }
    // A cluster none of whose agents ever reported is not monitored: nothing is known to be missing.
    const monitored = nodeIds.some((id) => this.statuses.get(id) !== undefined);
    if (monitored && nodeIds.some((id, i) => this.isDown(id, fresh[i]))) this.remember(clusterId);
    return notRecording || this.degraded.has(clusterId);
  }

  private isDown(nodeId: string, status: NodeStatus | undefined): boolean {
    if (status !== undefined) return downStates.has(status.state) || downServices.has(status.service);
    // A node not heard from since the controller started is only down once it has had time to report.
    return this.statuses.get(nodeId) !== undefined || this.nowMs() - this.startedAtMs > this.statuses.staleAfterMs;
  }

  private remember(clusterId: string): void {
    if (this.degraded.has(clusterId)) return;
    this.degraded.add(clusterId);
    if (this.degraded.size > this.maxClusters) this.degraded.delete(this.degraded.values().next().value as string);
  }
}

/** An enabled camera that is not recording. */
function hasIdleCamera(status: NodeStatus): boolean {
  for (const camera of status.cameras) if (camera.enabled && !camera.recording) return true;
  return false;
}
