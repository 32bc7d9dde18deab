// The node's status as the local API (`GET /api/v1/state`) and the controller link report it
// (contracts/controller-v1.ts NodeStatus): the core's state and its view of the peer, the
// cluster policy version it runs, what the loops saw last, heartbeat round trips, and the
// storage spans and camera names once read.
import type { NodeStatus } from '../../contracts/controller-v1.js';
import { isServing, locallyHealthy, peerReachable, policyVersion } from '../core/decide.js';
import { withCameraNames, type CameraNames } from '../health/camera-names.js';
import { withSpans } from '../storage/report.js';
import type { BackgroundReads } from './background-reads.js';
import type { Observed } from './loops.js';
import type { AgentWiring } from './wiring.js';

/** Where the status is read from; `reads` is null until the background reads start. */
export interface StatusSources {
  readonly wiring: AgentWiring;
  readonly observed: () => Observed;
  readonly reads: () => BackgroundReads | null;
}

const noCameraNames: CameraNames = new Map();

/**
 * The status now.
 *
 * @example
 *   const status = (): NodeStatus => nodeStatus({ wiring, observed: loops.observed, reads: () => reads });
 *   status().serving // true on the Serving node
 */
export function nodeStatus(src: StatusSources): NodeStatus {
  const { config, driver, transport, configTarget, startedAtWallMs, startedAtMs } = src.wiring;
  const s = driver.state;
  const core = driver.effectiveConfig;
  const seen = src.observed();
  const reads = src.reads();
  const peerHeardAgo = s.peer === null ? null : Math.max(0, Math.round(src.wiring.nowMs() - s.peer.lastHeardMs));
  const ping = transport.stats();
  const health = seen.health;
  return {
    clusterName: config.cluster.name,
    nodeName: config.node.id,
    state: s.state,
    serving: isServing(s.state),
    epoch: s.servingEpoch ?? s.epoch,
    healthy: locallyHealthy(core, s),
    health: { ...health.health, camerasTotal: health.camerasTotal, camerasRecording: health.camerasRecording, problem: health.problem?.slice(0, 512) ?? null },
    service: seen.service,
    peer: { name: config.peer.id, state: s.peer?.state ?? null, lastHeardAgoMs: peerHeardAgo, reachable: peerReachable(core, s) },
    ping: { avgMs: ping.avgMs, maxMs: ping.maxMs, lastMs: ping.lastMs },
    maintenance: s.maintenance.on,
    witness: { ...seen.witness },
    uptimeSeconds: Math.round((src.wiring.nowMs() - startedAtMs) / 1000),
    startedAt: new Date(startedAtWallMs).toISOString(),
    configSyncPending: configTarget?.pending() != null,
    policyVersion: policyVersion(s),
    cameras: withCameraNames(seen.cameras.slice(0, 4096), reads?.cameraNames?.latest() ?? noCameraNames),
    storages: withSpans(seen.storages.slice(0, 64), reads?.storage?.latest() ?? null),
    backfill: src.wiring.backfill?.status() ?? null,
  };
}
