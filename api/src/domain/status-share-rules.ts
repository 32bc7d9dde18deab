// The pure part of sharing node status between controllers on one database (status-share.ts):
// which shared rows to take, how far the poll cursor moves, and how many dirty statuses go in
// one upsert. No I/O and no clock reads: times come in as arguments.
import { hostname } from 'node:os';
import { createHash, randomUUID } from 'node:crypto';
import type { NodeStatus } from '../../../contracts/controller-v1.js';

/** Longest controller instance id: the width of controller_id and controller_lease.holder. */
export const controllerIdLengthMax = 64;

/**
 * This controller's instance id, new at every start: `<host>-<pid>-<8 hex>`, the host cut so that
 * the whole fits controllerIdLengthMax. Shared rows and leases name their controller by it.
 *
 * @example controllerInstanceId('rec-ctl-1', 4242, 'a1b2c3d4-…') // 'rec-ctl-1-4242-a1b2c3d4'
 */
export function controllerInstanceId(host = hostname(), pid = process.pid, uuid: string = randomUUID()): string {
  const tail = `-${pid}-${uuid.replace(/-/g, '').slice(0, 8)}`;
  const head = (host.replace(/[^A-Za-z0-9._-]/g, '_') || 'controller').slice(0, controllerIdLengthMax - tail.length);
  return `${head}${tail}`;
}

/** A node_status_share row without its status, as a poll reads it first. */
export interface SharedStatusMeta {
  readonly nodeId: string;
  readonly clusterId: string;
  readonly controllerId: string;
  /** Names the row's status (`<controllerId>#<n>`); null from a controller older than status_version. */
  readonly statusVersion: string | null;
  readonly reportIntervalMs: number | null;
  /** reported_at, ms since the epoch by the database's clock: the row's version. */
  readonly reportedAtDbMs: number;
  /** How long before the query's start (by the database's clock) the report was received. */
  readonly ageMs: number;
}

/** What the local cache holds for a node: its receive time on the monotonic clock. */
export interface LocalStatusTime {
  readonly receivedAtMs: number;
}

/**
 * The nodes whose shared status to fetch and take: rows of other controllers, received within
 * `ageMsMax` (agents.staleAfterMs: an older one would only announce, again, an agent lost long
 * ago), newer than both what the cache holds for the node (comparing receive times on the local
 * monotonic clock, the row's derived as `nowMs - ageMs`) and the row version taken last for it
 * (an overlapping poll reads rows again). `nowMs`: the local clock when the query started.
 *
 * @example rowsToTake([{ nodeId: 'n1', controllerId: 'B', ageMs: 100, reportedAtDbMs: 5, … }], 'A', 1_000, () => ({ receivedAtMs: 500 }), new Map(), 10_000) // ['n1']
 */
export function rowsToTake(rows: readonly SharedStatusMeta[], controllerId: string, nowMs: number, local: (nodeId: string) => LocalStatusTime | undefined, taken: ReadonlyMap<string, number>, ageMsMax: number): string[] {
  const nodeIds: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (row.controllerId === controllerId || seen.has(row.nodeId) || row.ageMs > ageMsMax) continue;
    seen.add(row.nodeId);
    const takenVersion = taken.get(row.nodeId);
    if (takenVersion !== undefined && takenVersion >= row.reportedAtDbMs) continue;
    const held = local(row.nodeId);
    if (held !== undefined && held.receivedAtMs >= nowMs - Math.max(0, row.ageMs)) continue;
    nodeIds.push(row.nodeId);
  }
  return nodeIds;
}

/**
 * The newest row version seen, from which the next poll reads (less an overlap, since rows
 * commit out of order: a row stamped earlier may become visible after a later one was read).
 * Never moves back.
 *
 * @example nextCursorDbMs(10_000, [{ reportedAtDbMs: 14_000 }, { reportedAtDbMs: 12_000 }]) // 14_000
 */
export function nextCursorDbMs(cursorDbMs: number, rows: readonly Pick<SharedStatusMeta, 'reportedAtDbMs'>[]): number {
  let next = cursorDbMs;
  for (const row of rows) if (row.reportedAtDbMs > next) next = row.reportedAtDbMs;
  return next;
}

/**
 * How many of the dirty statuses, in order, go into one upsert: at most `rowsMax`, and no more
 * bytes than `bytesMax` (but always the first, whatever its size, so that a big status is
 * shared too).
 *
 * @example upsertBatchSize([100, 200, 300], 10, 350) // 2
 */
export function upsertBatchSize(bytes: readonly number[], rowsMax: number, bytesMax: number): number {
  let total = 0;
  let count = 0;
  for (const size of bytes) {
    if (count >= rowsMax || (count > 0 && total + size > bytesMax)) break;
    total += size;
    count += 1;
  }
  return count;
}

/**
 * How far back a flushed row is stamped: the report's age at the flush, so that other
 * controllers see it as old as it is, but never beyond `backdateMsMax`, so that it does not land
 * behind a cursor that has already passed (the poll's overlap covers backdateMsMax).
 *
 * @example backdateMs(180, 500)   // 180
 * @example backdateMs(4_000, 500) // 500
 */
export function backdateMs(ageMs: number, backdateMsMax: number): number {
  return Math.round(Math.min(backdateMsMax, Math.max(0, ageMs)));
}

/**
 * What a node status says, without the parts that change with nearly every report (XProtect's
 * statistics, the agent's clocks): the node's ping and uptime, the peer's last-heard age, each
 * camera's received frame rate and used space, each storage's space and spans, the backfill's
 * audit time, "complete since" (the retention start while nothing is missing) and progress
 * counters. Those are shared at most every statistics interval (shareWriteOf); everything else
 * (states, health, the missing seconds, gaps) as soon as it changes. A short digest: equal for
 * two reports that differ only there.
 *
 * @example statusContentKey(a) === statusContentKey({ ...a, uptimeSeconds: a.uptimeSeconds + 1 }) // true
 */
export function statusContentKey(status: NodeStatus): string {
  // Shallow copies with those fields blanked: a replacer function costs a call per key.
  const content = {
    ...status,
    ping: null,
    uptimeSeconds: null,
    peer: { ...status.peer, lastHeardAgoMs: null },
    cameras: status.cameras.map((camera) => ({ ...camera, fps: null, usedSpaceBytes: null })),
    storages: status.storages.map((storage) => ({ ...storage, usedSpaceBytes: null, freeSpaceBytes: null, spans: null })),
    backfill: status.backfill === undefined || status.backfill === null ? status.backfill : { ...status.backfill, auditedAt: null, completeSinceAt: null, bytesDone: null, blocksDone: null, rateBytesPerSecond: null, etaSeconds: null },
  };
  return createHash('sha1').update(JSON.stringify(content)).digest('base64');
}

/** What this controller last wrote of a node's status: its content key, and when (monotonic ms). */
export interface SharedContent {
  readonly contentKey: string;
  readonly writtenAtMs: number;
}

/**
 * Whether a report's flush writes the whole status or only moves the row's stamp: the whole
 * status when this controller has not written the node's status yet, when its content changed
 * since, or when the last write is `statisticsIntervalMs` old (so that the statistics reach the
 * other controllers too). A stamp whose row another controller wrote since becomes a whole write
 * at the flush (status-share.ts).
 *
 * @example shareWriteOf({ contentKey: 'k', writtenAtMs: 0 }, 'k', 4_000, 10_000) // 'stamp'
 * @example shareWriteOf({ contentKey: 'k', writtenAtMs: 0 }, 'j', 4_000, 10_000) // 'status'
 */
export function shareWriteOf(last: SharedContent | undefined, contentKey: string, nowMs: number, statisticsIntervalMs: number): 'status' | 'stamp' {
  if (last === undefined || last.contentKey !== contentKey) return 'status';
  return nowMs - last.writtenAtMs >= statisticsIntervalMs ? 'status' : 'stamp';
}

/**
 * Whether a shared row's status is the one a controller already holds, so that only the row's
 * stamp needs taking: the row names its status version, that version is the one held, and the
 * row's controller wrote that version (a controller from before status_version rewrites the
 * status but not the version, and then the row's controller differs from the version's).
 *
 * @example heldVersionCurrent('B#7', 'B', 'B#7') // true
 * @example heldVersionCurrent('B#7', 'C', 'B#7') // false: C rewrote the status, and not the version
 */
export function heldVersionCurrent(rowVersion: string | null, rowControllerId: string, heldVersion: string | undefined): boolean {
  return rowVersion !== null && heldVersion === rowVersion && rowVersion.startsWith(`${rowControllerId}#`);
}
