// Which standby takes over which failed protected recording server in a failover pool (N:M,
// issue 17), as XProtect's failover recording servers choose (seed 001) and Synology's failover
// does (seed 003). Pure: the pool, the standbys' state and the failures arrive as input; the
// shell (the controller) turns a decision into a lease in SQL (standby-leases.ts), which is what
// makes it safe against a second controller or a retried request.
//
// The rules:
// - a protected server's hot standby, when it has one and it is free, first;
// - else the first free standby of its primary failover group, in the group's order, then of
//   its secondary group (used only when every standby of the primary group is busy);
// - with `capacity-closest`, within each group the free standby whose camera capacity is the
//   closest to the failed server's camera count (ties: the group's order), preferring one that
//   holds every camera;
// - a standby serves one protected server at a time, and one protected server is served by one
//   standby; failures are served in the order they happened, and one without a free standby
//   waits until one frees up.
import type { FailoverLevel } from '../model/vocabulary.js';

export const standbySelections = ['sequence', 'capacity-closest'] as const;
export type StandbySelection = (typeof standbySelections)[number];

export interface ProtectedServer {
  readonly nodeId: string;
  readonly primaryGroupId: string | null;
  readonly secondaryGroupId: string | null;
  /** A standby dedicated to this server (not in any group): its recorder runs, its configuration follows this server's. */
  readonly hotStandbyNodeId: string | null;
  readonly selection: StandbySelection;
  /** Cameras to take over (level full or live-only). */
  readonly cameraCount: number;
}

export interface Standby {
  readonly nodeId: string;
  /** Cameras it can record at once. */
  readonly cameraCapacity: number;
  /** Its agent reports and its recorder can run: it can take over. */
  readonly available: boolean;
  /** The protected server it serves (or syncs back to), per its lease; null when free. */
  readonly servingNodeId: string | null;
}

export interface Pool {
  readonly protectedServers: readonly ProtectedServer[];
  /** Each failover group's standbys, in the group's order. */
  readonly groups: ReadonlyMap<string, readonly string[]>;
  readonly standbys: readonly Standby[];
}

export interface Failure {
  readonly protectedNodeId: string;
  readonly failedAtMs: number;
}

export type Allocation =
  | { readonly kind: 'take-over'; readonly protectedNodeId: string; readonly standbyNodeId: string; readonly via: 'hot-standby' | 'primary-group' | 'secondary-group'; readonly camerasBeyondCapacity: number }
  | { readonly kind: 'wait'; readonly protectedNodeId: string; readonly reason: 'no-standby-free' | 'no-failover-group' | 'unknown-server' };

/**
 * The decisions for the failures not yet served, oldest first: each takes the standby the rules
 * give, and what it took is no longer free for the next. A failure whose server already has a
 * standby (a lease) is left out: it is served.
 *
 * @example
 *   // rs-1 failed at t=1, rs-2 at t=2; group g = [fo-1]
 *   allocate(pool, [{ protectedNodeId: 'rs-2', failedAtMs: 2 }, { protectedNodeId: 'rs-1', failedAtMs: 1 }])
 *   // [{ kind: 'take-over', protectedNodeId: 'rs-1', standbyNodeId: 'fo-1', … }, { kind: 'wait', protectedNodeId: 'rs-2', reason: 'no-standby-free' }]
 */
export function allocate(pool: Pool, failures: readonly Failure[]): Allocation[] {
  const servers = new Map(pool.protectedServers.map((p) => [p.nodeId, p]));
  const served = new Set(pool.standbys.map((s) => s.servingNodeId).filter((id): id is string => id !== null));
  const free = new Map(pool.standbys.filter((s) => s.available && s.servingNodeId === null).map((s) => [s.nodeId, s]));
  const ordered = [...failures].sort((a, b) => a.failedAtMs - b.failedAtMs || (a.protectedNodeId < b.protectedNodeId ? -1 : 1));
  const seen = new Set<string>();
  const out: Allocation[] = [];
  for (const failure of ordered) {
    const id = failure.protectedNodeId;
    if (served.has(id) || seen.has(id)) continue;
    seen.add(id);
    const server = servers.get(id);
    if (server === undefined) {
      out.push({ kind: 'wait', protectedNodeId: id, reason: 'unknown-server' });
      continue;
    }
    const choice = chooseStandby(server, pool.groups, free);
    if (choice === null) {
      const hasAny = server.hotStandbyNodeId !== null || [server.primaryGroupId, server.secondaryGroupId].some((g) => g !== null && (pool.groups.get(g)?.length ?? 0) > 0);
      out.push({ kind: 'wait', protectedNodeId: id, reason: hasAny ? 'no-standby-free' : 'no-failover-group' });
      continue;
    }
    free.delete(choice.standby.nodeId);
    out.push({ kind: 'take-over', protectedNodeId: id, standbyNodeId: choice.standby.nodeId, via: choice.via, camerasBeyondCapacity: Math.max(0, server.cameraCount - choice.standby.cameraCapacity) });
  }
  return out;
}

function chooseStandby(server: ProtectedServer, groups: Pool['groups'], free: ReadonlyMap<string, Standby>): { standby: Standby; via: 'hot-standby' | 'primary-group' | 'secondary-group' } | null {
  const hot = server.hotStandbyNodeId === null ? undefined : free.get(server.hotStandbyNodeId);
  if (hot !== undefined) return { standby: hot, via: 'hot-standby' };
  for (const [groupId, via] of [[server.primaryGroupId, 'primary-group'], [server.secondaryGroupId, 'secondary-group']] as const) {
    if (groupId === null) continue;
    const candidates = (groups.get(groupId) ?? []).map((id) => free.get(id)).filter((s): s is Standby => s !== undefined);
    const standby = server.selection === 'capacity-closest' ? closestCapacity(candidates, server.cameraCount) : candidates[0];
    if (standby !== undefined) return { standby, via };
  }
  return null;
}

/** The candidate that holds every camera with the least capacity to spare; else the largest. Ties: the group's order. */
function closestCapacity(candidates: readonly Standby[], cameraCount: number): Standby | undefined {
  let best: Standby | undefined;
  const rank = (s: Standby): [number, number] => (s.cameraCapacity >= cameraCount ? [0, s.cameraCapacity - cameraCount] : [1, cameraCount - s.cameraCapacity]);
  for (const s of candidates) {
    if (best === undefined) {
      best = s;
      continue;
    }
    const [a, b] = [rank(s), rank(best)];
    if (a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])) best = s;
  }
  return best;
}

export interface PoolCamera {
  readonly deviceId: string;
  readonly name: string;
  readonly level: FailoverLevel;
}

/**
 * The cameras a standby takes over (level `none` never; `full` before `live-only`, then by name)
 * up to its capacity, and those left out, which an event names.
 *
 * @example camerasTakenOver([{ deviceId: 'c1', name: 'Gate', level: 'live-only' }, { deviceId: 'c2', name: 'Door', level: 'full' }], 1)
 *   // { taken: [Door (full)], leftOut: [Gate (live-only)] }
 */
export function camerasTakenOver(cameras: readonly PoolCamera[], capacity: number): { taken: PoolCamera[]; leftOut: PoolCamera[] } {
  const order: Readonly<Record<FailoverLevel, number>> = { full: 0, 'live-only': 1, none: 2 };
  const eligible = cameras.filter((c) => c.level !== 'none').sort((a, b) => order[a.level] - order[b.level] || a.name.localeCompare(b.name) || (a.deviceId < b.deviceId ? -1 : 1));
  const room = Math.max(0, Math.floor(capacity));
  return { taken: eligible.slice(0, room), leftOut: eligible.slice(room) };
}
