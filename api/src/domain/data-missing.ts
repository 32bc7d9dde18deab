// Whether a cluster may be missing recordings: the "data missing" flag of the cluster list.
// Until backfill reports what it restored, this is a heuristic over the agents' reports:
//
// - a node is *down* when it has no fresh report (silent for agents.staleAfterMs, or never
//   reported once the controller has been up that long), reports SafeKit state STOP or WAIT,
//   or reports the Recording Server service stopped, starting or stopping;
// - a cluster is *whole* when every node has a fresh report, none is down, each says it is
//   healthy, and every enabled camera on every node is recording;
// - data is missing when a fresh node has an enabled camera that is not recording now, or
//   when a node was seen down since the cluster was last seen whole (its peer may have
//   recorded what it did not: backfill's work). Seeing the cluster whole again clears it.
//   A cluster none of whose agents has reported since the controller started is never
//   flagged: nothing is known about it.
//
// Observed on every report of one of the cluster's nodes and on every read.
import type { NodeStatus } from '../../../contracts/controller-v1.js';
import type { NodeStatusCache } from './node-status.js';

export interface DataMissingOptions {
  /** Monotonic clock in ms; injectable for tests. */
  readonly nowMs?: () => number;
  /** Most clusters remembered as degraded; the oldest is dropped beyond it. */
  readonly maxClusters?: number;
}

const downStates: ReadonlySet<NodeStatus['state']> = new Set(['STOP', 'WAIT']);
const downServices: ReadonlySet<NodeStatus['service']> = new Set(['stopped', 'starting', 'stopping']);

/**
 * Remembers, per cluster, that a node was down since the cluster was last whole.
 *
 * @example
 *   const tracker = new DataMissingTracker(statuses);
 *   tracker.observe(clusterId, [nodeA, nodeB]) // false while both record everything
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

  /** Takes in the nodes' current reports and says whether data may be missing. */
  observe(clusterId: string, nodeIds: readonly string[]): boolean {
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
