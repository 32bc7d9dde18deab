// The pure part of sharing node status between controllers on one database (status-share.ts):
// which shared rows to take, how far the poll cursor moves, and how many dirty statuses go in
// one upsert. No I/O and no clock reads: times come in as arguments.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';

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
