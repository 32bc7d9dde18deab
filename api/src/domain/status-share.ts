// Node status shared between controllers on one database (issue 19), so that each answers with
// every agent's latest report whichever controller the agent reports to: the witness, the
// cluster state, the Device Overview and data-missing all read the node status cache.
//
// Out: every report this controller receives marks its node dirty; every flushIntervalMs the
// dirty nodes' rows in node_status_share are written (bounded batches), stamped by the
// database's clock less the report's age at the flush, and a newer stamp always wins (an agent
// that moved on to another controller is not overwritten by this one's late flush). A report
// whose content is what this controller last wrote for the node, but for its statistics
// (statusContentKey), only moves the row's stamp, and only if this controller wrote the row
// last; the whole status (with a new status_version) goes when the content changed, when the
// statistics are statisticsIntervalMs old, or when the stamp found another controller's row.
// At 1,000 agents reporting every second (50 cameras, about 14.5 KB a status), the scale bench
// measured 148 whole statuses a second instead of 1,000, and a fifth of the WAL.
// Then, on PostgreSQL, NOTIFY wakes the other controllers.
// In: each controller polls every pollIntervalMs (the only way on SQL Server), and at once when
// woken, for rows of other controllers stamped after what it read (less an overlap, as rows
// commit out of order), first without their statuses; the rows newer than what its cache holds
// are recorded as shared (NodeStatusCache.recordShared), with the status it already holds when
// the row names that status's version, else with the status read from the row. Their age is
// computed by the database, so that the controllers' clocks do not matter.
//
// Not on SQLite: one controller per file (db/sqlite-single-controller.ts), nothing to share.
import type { Logger } from 'pino';
import type { NodeStatus } from '../../../contracts/controller-v1.js';
import { describe, type Database } from '../db/database.js';
import { backdateMs, heldVersionCurrent, nextCursorDbMs, rowsToTake, shareWriteOf, statusContentKey, upsertBatchSize, type SharedContent, type SharedStatusMeta } from './status-share-rules.js';
import { nodeStatusCacheMaxNodes, type NodeStatusCache } from './node-status.js';
import type { EventBus } from './event-bus.js';
import { EventShare } from './event-share.js';
import { eventsChannel, notifyPostgres, ShareListener, statusChannel } from './status-share-listener.js';

/** Counts of a controller's writes to node_status_share since it started. */
export interface StatusShareWriteCounts {
  /** Whole statuses written (a row the database kept newer counts too: it was sent). */
  readonly statuses: number;
  /** Their JSON, in bytes. */
  readonly statusBytes: number;
  /** Stamps moved alone. */
  readonly stamps: number;
}

export interface StatusShareOptions {
  readonly db: Database;
  readonly statuses: NodeStatusCache;
  /** This controller's instance id (controllerInstanceId). */
  readonly controllerId: string;
  readonly log: Logger;
  readonly flushIntervalMs?: number;
  readonly pollIntervalMs?: number;
  /** A node's statistics (statusContentKey) reach the other controllers at least this often. */
  readonly statisticsIntervalMs?: number;
}

/** Dirty statuses are written this often: a report shows on the other controllers within about this plus their wake-up. */
export const statusFlushIntervalMs = 250;
/** Polled this often even without notifications (SQL Server; a lost LISTEN connection). */
export const statusPollIntervalMs = 1_000;
/** A node's statistics (frame rates, used space, ping, uptime) are written at least this often; any other change at once. */
export const statisticsShareIntervalMs = 10_000;
/** How far back a row is stamped at most (its report's age at the flush). */
const backdateMsMax = 500;
/** How far behind the newest row read a poll reads again: the back-dating plus commits landing late. */
const pollOverlapMs = backdateMsMax + 2_500;
/** Rows per statement: 7 parameters each stays far below SQL Server's 2100. */
const upsertRowsMax = 200;
/** Bytes of statuses per upsert (a status of 4096 cameras is about a megabyte), and statements per flush. */
const upsertBytesMax = 8 * 1024 * 1024;
const upsertsPerFlushMax = 4;
/** Rows read per page of a poll without their statuses, and pages per poll: a whole cache's worth. */
const pollPageRows = 1_000;
const pollPagesMax = Math.ceil(nodeStatusCacheMaxNodes / pollPageRows);
/** Statuses read per query. */
const fetchRowsMax = 50;

/** A node_status_share row with its status, as a poll reads the rows it takes. */
interface SharedStatusRow extends SharedStatusMeta {
  readonly status: string;
}

export class StatusShare {
  private readonly sql: StatusShareSql;
  private readonly dirty = new Set<string>();
  /** The row version (reportedAtDbMs) taken last per node; bounded like the cache. */
  private readonly taken = new Map<string, number>();
  /** What this controller last wrote of each node's status; bounded like the cache. */
  private readonly written = new Map<string, SharedContent>();
  /** The status version held per node, read from another controller's row; bounded like the cache. */
  private readonly held = new Map<string, { readonly version: string; readonly status: NodeStatus }>();
  /** Makes this controller's status versions (`<controllerId>#<n>`) unique. */
  private versionSeq = 0;
  private readonly counts: { statuses: number; statusBytes: number; stamps: number } = { statuses: 0, statusBytes: 0, stamps: 0 };
  private cursorDbMs = 0;
  private flushTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private polling: Promise<void> | null = null;
  private pollAgain = false;
  private closed = false;
  private failing = { flush: false, poll: false };

  constructor(private readonly o: StatusShareOptions) {
    if (o.db.dialect === 'sqlite') throw new RangeError('status sharing needs PostgreSQL or SQL Server: one controller per SQLite file');
    this.sql = o.db.dialect === 'postgres' ? postgresSql : mssqlSql;
  }

  start(): void {
    this.o.statuses.observeRecords((nodeId) => {
      if (this.dirty.size < nodeStatusCacheMaxNodes) this.dirty.add(nodeId);
      // The cache now holds this controller's report: a status held from another's row is no longer the cache's.
      this.held.delete(nodeId);
    });
    this.flushTimer = setInterval(() => void this.flush(), this.o.flushIntervalMs ?? statusFlushIntervalMs);
    this.flushTimer.unref();
    this.pollTimer = setInterval(() => this.wake(), this.o.pollIntervalMs ?? statusPollIntervalMs);
    this.pollTimer.unref();
    this.wake();
  }

  /** Polls now (another controller notified, or the LISTEN connection is back); one poll at a time, one more queued at most. */
  wake(): void {
    if (this.closed) return;
    if (this.polling !== null) {
      this.pollAgain = true;
      return;
    }
    this.polling = (async () => {
      do {
        this.pollAgain = false;
        await this.guarded('poll', () => this.pollOnce());
      } while (this.pollAgain && !this.closed);
    })().finally(() => (this.polling = null));
  }

  /** Writes the dirty statuses; concurrent calls share one run. */
  flush(): Promise<void> {
    this.flushing ??= this.guarded('flush', () => this.flushOnce()).finally(() => (this.flushing = null));
    return this.flushing;
  }

  /** What this controller has written since it started: whole statuses (and their bytes) and stamps (twinrec_status_share_*). */
  writeCounts(): StatusShareWriteCounts {
    return { ...this.counts };
  }

  /** Stops polling and flushing, after one last flush of what this controller received. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.flushTimer !== null) clearInterval(this.flushTimer);
    if (this.pollTimer !== null) clearInterval(this.pollTimer);
    this.o.statuses.observeRecords(null);
    await this.polling;
    await this.flushing;
    await this.flush();
  }

  private async guarded(what: 'flush' | 'poll', work: () => Promise<void>): Promise<void> {
    try {
      await work();
      if (this.failing[what]) this.o.log.info(`node status sharing: ${what} working again`);
      this.failing[what] = false;
    } catch (err) {
      // Once per outage; the next interval tries again.
      if (!this.failing[what]) this.o.log.warn({ err: describe(err) }, `node status sharing: ${what} failed; retrying`);
      this.failing[what] = true;
    }
  }

  private async flushOnce(): Promise<void> {
    let wrote = 0;
    for (let statement = 0; statement < upsertsPerFlushMax && this.dirty.size > 0; statement += 1) {
      const nowMs = performance.now();
      const { stamps, statuses } = this.nextWrites(nowMs);
      if (stamps.length + statuses.length === 0) break;
      for (const row of [...stamps, ...statuses]) this.dirty.delete(row.nodeId);
      try {
        if (stamps.length > 0) {
          const { text, params } = this.sql.stamp(stamps, this.o.controllerId);
          const moved = new Set(nodeIdsOf(await this.o.db.dataSource.query(text, params)));
          this.counts.stamps += moved.size;
          // Another controller wrote the row since (or it is gone): the whole status, then.
          for (const stamp of stamps) {
            if (moved.has(stamp.nodeId)) continue;
            const row = this.statusRow(stamp.nodeId, nowMs);
            if (row !== null) statuses.push(row);
          }
        }
        for (let start = 0; start < statuses.length; ) {
          const count = upsertBatchSize(statuses.slice(start).map((row) => row.bytes), upsertRowsMax, upsertBytesMax);
          const batch = statuses.slice(start, start + count);
          const { text, params } = this.sql.upsert(batch);
          await this.o.db.dataSource.query(text, params);
          for (const row of batch) {
            this.remember(this.written, row.nodeId, { contentKey: row.contentKey, writtenAtMs: nowMs });
            this.counts.statuses += 1;
            this.counts.statusBytes += row.bytes;
          }
          start += count;
        }
      } catch (err) {
        // Written with the next flush, unless a newer report replaced them meanwhile (then that one is).
        for (const row of [...stamps, ...statuses]) if (this.dirty.size < nodeStatusCacheMaxNodes) this.dirty.add(row.nodeId);
        throw err;
      }
      wrote += stamps.length + statuses.length;
    }
    if (wrote > 0 && this.o.db.dialect === 'postgres') await notifyPostgres(this.o.db, statusChannel, this.o.controllerId);
  }

  /** The next statement's rows: dirty nodes in order, stamps and whole statuses, bounded in rows and bytes (upsertBatchSize). */
  private nextWrites(nowMs: number): { stamps: StampRow[]; statuses: UpsertRow[] } {
    const stamps: StampRow[] = [];
    const statuses: UpsertRow[] = [];
    let bytes = 0;
    const statisticsIntervalMs = this.o.statisticsIntervalMs ?? statisticsShareIntervalMs;
    for (const nodeId of this.dirty) {
      if (stamps.length + statuses.length >= upsertRowsMax || bytes > upsertBytesMax) break;
      const entry = this.o.statuses.get(nodeId);
      if (entry === undefined) {
        this.dirty.delete(nodeId);
        continue;
      }
      const contentKey = statusContentKey(entry.status);
      if (shareWriteOf(this.written.get(nodeId), contentKey, nowMs, statisticsIntervalMs) === 'stamp') {
        stamps.push({ nodeId, reportIntervalMs: intervalOf(entry.reportIntervalMs), backdateMs: backdateMs(nowMs - entry.receivedAtMs, backdateMsMax) });
        continue;
      }
      const row = this.statusRow(nodeId, nowMs, contentKey);
      if (row === null) continue;
      bytes += row.bytes;
      statuses.push(row);
    }
    // What the byte bound leaves out stays dirty for the next statement.
    return { stamps, statuses: statuses.slice(0, upsertBatchSize(statuses.map((row) => row.bytes), upsertRowsMax, upsertBytesMax)) };
  }

  /** A node's whole status as the next write of it, with a new version; null when the cache no longer holds it. */
  private statusRow(nodeId: string, nowMs: number, contentKey?: string): UpsertRow | null {
    const entry = this.o.statuses.get(nodeId);
    if (entry === undefined) return null;
    const status = JSON.stringify(entry.status);
    this.versionSeq += 1;
    return {
      nodeId,
      clusterId: entry.clusterId,
      controllerId: this.o.controllerId,
      status,
      bytes: Buffer.byteLength(status),
      statusVersion: `${this.o.controllerId}#${this.versionSeq}`,
      contentKey: contentKey ?? statusContentKey(entry.status),
      reportIntervalMs: intervalOf(entry.reportIntervalMs),
      backdateMs: backdateMs(nowMs - entry.receivedAtMs, backdateMsMax),
    };
  }

  private async pollOnce(): Promise<void> {
    const source = this.o.db.dataSource;
    let after = { dbMs: this.cursorDbMs === 0 ? 0 : this.cursorDbMs - pollOverlapMs, nodeId: '' };
    for (let page = 0; page < pollPagesMax && !this.closed; page += 1) {
      const startedMs = performance.now();
      const meta = normalized(await source.query(...this.sql.meta(this.o.controllerId, after, pollPageRows)));
      const nodeIds = rowsToTake(meta, this.o.controllerId, startedMs, (nodeId) => this.o.statuses.get(nodeId), this.taken, this.o.statuses.staleAfterMs);
      const rows = new Map(meta.map((row) => [row.nodeId, row]));
      const toRead: string[] = [];
      for (const nodeId of nodeIds) {
        const row = rows.get(nodeId) as SharedStatusMeta;
        const held = this.held.get(nodeId);
        // The status this cache holds is the row's: only its stamp is new (a report whose statistics are not due).
        if (held !== undefined && heldVersionCurrent(row.statusVersion, row.controllerId, held.version) && this.o.statuses.get(nodeId)?.status === held.status) {
          const ageMs = row.ageMs + (performance.now() - startedMs);
          if (this.o.statuses.recordShared(row.clusterId, nodeId, held.status, ageMs, row.reportIntervalMs)) this.remember(this.taken, nodeId, row.reportedAtDbMs);
        } else {
          toRead.push(nodeId);
        }
      }
      for (let i = 0; i < toRead.length; i += fetchRowsMax) await this.take(toRead.slice(i, i + fetchRowsMax));
      this.cursorDbMs = nextCursorDbMs(this.cursorDbMs, meta);
      const last = meta[meta.length - 1];
      if (last === undefined || meta.length < pollPageRows) break;
      after = { dbMs: last.reportedAtDbMs, nodeId: last.nodeId };
    }
  }

  /** Reads the statuses of `nodeIds` and records those still newer than the cache's. */
  private async take(nodeIds: readonly string[]): Promise<void> {
    const startedMs = performance.now();
    const rows = normalized(await this.o.db.dataSource.query(...this.sql.statuses(nodeIds))) as SharedStatusRow[];
    const wanted = new Set(rowsToTake(rows, this.o.controllerId, startedMs, (nodeId) => this.o.statuses.get(nodeId), this.taken, this.o.statuses.staleAfterMs));
    for (const row of rows) {
      if (!wanted.has(row.nodeId)) continue;
      const status = parseStatus(row.status);
      if (status === null) {
        this.o.log.warn({ nodeId: row.nodeId, controllerId: row.controllerId }, 'node status sharing: a shared status is not a node status; skipped');
        continue;
      }
      // The database gave the age as of the query; what passed since is the local clock's to add.
      const ageMs = row.ageMs + (performance.now() - startedMs);
      if (!this.o.statuses.recordShared(row.clusterId, row.nodeId, status, ageMs, row.reportIntervalMs)) continue;
      this.remember(this.taken, row.nodeId, row.reportedAtDbMs);
      if (row.statusVersion === null) this.held.delete(row.nodeId);
      else this.remember(this.held, row.nodeId, { version: row.statusVersion, status });
    }
  }

  /** Sets a node's value in one of the per-node maps, the node set last kept longest (bounded like the cache). */
  private remember<V>(map: Map<string, V>, nodeId: string, value: V): void {
    map.delete(nodeId);
    map.set(nodeId, value);
    if (map.size > nodeStatusCacheMaxNodes) map.delete(map.keys().next().value as string);
  }
}

/**
 * A shared status as stored: written by a controller from a validated report, so only its
 * shape's backbone is checked here (a full validation of 4096 cameras per node per second
 * would cost more than the sharing); null when it is not even that.
 */
function parseStatus(text: string): NodeStatus | null {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || !Array.isArray((value as NodeStatus).cameras) || !Array.isArray((value as NodeStatus).storages) || typeof (value as NodeStatus).state !== 'string') return null;
    return value as NodeStatus;
  } catch {
    return null;
  }
}

/** Rows as the drivers return them (numbers may come as strings or bigints), with numbers as numbers. */
function normalized(raw: unknown): SharedStatusRow[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((r: Record<string, unknown>) => ({
    nodeId: String(r.nodeId),
    clusterId: String(r.clusterId),
    controllerId: String(r.controllerId),
    status: typeof r.status === 'string' ? r.status : '',
    statusVersion: typeof r.statusVersion === 'string' ? r.statusVersion : null,
    reportIntervalMs: r.reportIntervalMs === null || r.reportIntervalMs === undefined ? null : Number(r.reportIntervalMs),
    reportedAtDbMs: Number(r.reportedAtDbMs),
    ageMs: Math.max(0, Number(r.ageMs)),
  }));
}

interface UpsertRow {
  readonly nodeId: string;
  readonly clusterId: string;
  readonly controllerId: string;
  readonly status: string;
  /** status's length in bytes, for the statement's bound. */
  readonly bytes: number;
  readonly statusVersion: string;
  /** statusContentKey of the status: what this controller wrote, to compare the next report with. */
  readonly contentKey: string;
  readonly reportIntervalMs: number | null;
  readonly backdateMs: number;
}

/** A report that only moves its row's stamp (and interval). */
interface StampRow {
  readonly nodeId: string;
  readonly reportIntervalMs: number | null;
  readonly backdateMs: number;
}

const intervalOf = (reportIntervalMs: number | null): number | null => (reportIntervalMs === null ? null : Math.round(reportIntervalMs));

/** The node ids a stamp statement answers with (RETURNING, OUTPUT). */
function nodeIdsOf(raw: unknown): string[] {
  // node-postgres answers an UPDATE … RETURNING with [rows, count] through TypeORM; mssql with the rows.
  const rows = Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) ? (raw[0] as unknown[]) : Array.isArray(raw) ? raw : [];
  return rows.map((r) => String((r as Record<string, unknown>).nodeId));
}

type Query = [text: string, params: unknown[]];

/** The columns of v in the upsert, and of the stamp. */
const upsertValues = (r: UpsertRow): unknown[] => [r.nodeId, r.clusterId, r.controllerId, r.status, r.statusVersion, r.reportIntervalMs, r.backdateMs];
const stampValues = (r: StampRow): unknown[] => [r.nodeId, r.reportIntervalMs, r.backdateMs];

/** A VALUES list of `rows`, their values appended to `params`; `parameter` spells the parameter at `index` (0-based) of `column`. */
function valuesList(params: unknown[], rows: readonly (readonly unknown[])[], parameter: (index: number, column: number) => string): string {
  return rows
    .map((values) => {
      const spelled = values.map((value, column) => {
        params.push(value);
        return parameter(params.length - 1, column);
      });
      return `(${spelled.join(', ')})`;
    })
    .join(', ');
}
const postgresParameter = (types: readonly string[]) => (index: number, column: number): string => `$${index + 1}::${types[column] ?? 'text'}`;
const mssqlParameter = (index: number): string => `@${index}`;

/** The SQL of sharing, per dialect: reported_at is always UTC by the database's clock, to the millisecond. */
interface StatusShareSql {
  upsert(rows: readonly UpsertRow[]): { text: string; params: unknown[] };
  /** Moves the stamps of the rows `controllerId` wrote last (and not to an older time); answers with the node ids moved. */
  stamp(rows: readonly StampRow[], controllerId: string): { text: string; params: unknown[] };
  /** Rows of other controllers after `after` (reported_at, node_id), oldest first, without statuses. */
  meta(controllerId: string, after: { dbMs: number; nodeId: string }, limit: number): Query;
  /** The rows of `nodeIds`, with statuses. */
  statuses(nodeIds: readonly string[]): Query;
}

const postgresSql: StatusShareSql = {
  upsert(rows) {
    const params: unknown[] = [];
    const values = valuesList(params, rows.map(upsertValues), postgresParameter(['varchar', 'varchar', 'varchar', 'text', 'varchar', 'int', 'int']));
    const text = `INSERT INTO node_status_share (node_id, cluster_id, controller_id, status, status_version, report_interval_ms, reported_at)
      SELECT v.node_id, v.cluster_id, v.controller_id, v.status, v.status_version, v.report_interval_ms, ${postgresStamp}
      FROM (VALUES ${values}) AS v(node_id, cluster_id, controller_id, status, status_version, report_interval_ms, backdate_ms)
      ON CONFLICT (node_id) DO UPDATE SET cluster_id = EXCLUDED.cluster_id, controller_id = EXCLUDED.controller_id, status = EXCLUDED.status, status_version = EXCLUDED.status_version, report_interval_ms = EXCLUDED.report_interval_ms, reported_at = EXCLUDED.reported_at
      WHERE node_status_share.reported_at <= EXCLUDED.reported_at`;
    return { text, params };
  },
  stamp(rows, controllerId) {
    const params: unknown[] = [controllerId];
    const values = valuesList(params, rows.map(stampValues), postgresParameter(['varchar', 'int', 'int']));
    const text = `UPDATE node_status_share AS t SET report_interval_ms = v.report_interval_ms, reported_at = ${postgresStamp}
      FROM (VALUES ${values}) AS v(node_id, report_interval_ms, backdate_ms)
      WHERE t.node_id = v.node_id AND t.controller_id = $1 AND t.reported_at <= ${postgresStamp}
      RETURNING t.node_id AS "nodeId"`;
    return { text, params };
  },
  meta(controllerId, after, limit) {
    return [
      `SELECT ${postgresColumns} FROM node_status_share
        WHERE controller_id <> $1 AND (reported_at, node_id) > ((to_timestamp($2::float8 / 1000) AT TIME ZONE 'UTC'), $3::varchar)
        ORDER BY reported_at, node_id LIMIT $4`,
      [controllerId, after.dbMs, after.nodeId, limit],
    ];
  },
  statuses(nodeIds) {
    return [`SELECT ${postgresColumns}, status FROM node_status_share WHERE node_id = ANY($1::varchar[])`, [nodeIds]];
  },
};
/** A row's stamp: the database's clock, less the report's age at the flush (v.backdate_ms). */
const postgresStamp = "date_trunc('milliseconds', (clock_timestamp() AT TIME ZONE 'UTC') - v.backdate_ms * interval '1 millisecond')";
const postgresColumns = `node_id AS "nodeId", cluster_id AS "clusterId", controller_id AS "controllerId", status_version AS "statusVersion", report_interval_ms AS "reportIntervalMs",
  (EXTRACT(EPOCH FROM reported_at) * 1000)::float8 AS "reportedAtDbMs",
  (EXTRACT(EPOCH FROM ((clock_timestamp() AT TIME ZONE 'UTC') - reported_at)) * 1000)::float8 AS "ageMs"`;

// SQL Server: not run by the tests here (no server in CI); written to the same contract.
// Exported for the T-SQL parser test (api/migrations/sqlserver-ddl.test.ts).
export const mssqlSql: StatusShareSql = {
  upsert(rows) {
    const params: unknown[] = [];
    const values = valuesList(params, rows.map(upsertValues), mssqlParameter);
    const text = `MERGE node_status_share WITH (HOLDLOCK) AS t
      USING (VALUES ${values}) AS v(node_id, cluster_id, controller_id, status, status_version, report_interval_ms, backdate_ms)
      ON t.node_id = v.node_id
      WHEN MATCHED AND t.reported_at <= ${mssqlStamp} THEN UPDATE SET cluster_id = v.cluster_id, controller_id = v.controller_id, status = v.status, status_version = v.status_version, report_interval_ms = v.report_interval_ms, reported_at = ${mssqlStamp}
      WHEN NOT MATCHED THEN INSERT (node_id, cluster_id, controller_id, status, status_version, report_interval_ms, reported_at) VALUES (v.node_id, v.cluster_id, v.controller_id, v.status, v.status_version, v.report_interval_ms, ${mssqlStamp});`;
    return { text, params };
  },
  stamp(rows, controllerId) {
    const params: unknown[] = [controllerId];
    const values = valuesList(params, rows.map(stampValues), mssqlParameter);
    const text = `UPDATE t SET report_interval_ms = v.report_interval_ms, reported_at = ${mssqlStamp}
      OUTPUT inserted.node_id AS nodeId
      FROM node_status_share AS t JOIN (VALUES ${values}) AS v(node_id, report_interval_ms, backdate_ms) ON t.node_id = v.node_id
      WHERE t.controller_id = @0 AND t.reported_at <= ${mssqlStamp};`;
    return { text, params };
  },
  meta(controllerId, after, limit) {
    const since = "DATEADD(millisecond, CAST(@1 AS bigint) % 1000, DATEADD(second, CAST(CAST(@1 AS bigint) / 1000 AS int), CAST('1970-01-01' AS datetime2)))";
    return [
      `SELECT TOP (${Math.floor(limit)}) ${mssqlColumns} FROM node_status_share
        WHERE controller_id <> @0 AND (reported_at > ${since} OR (reported_at = ${since} AND node_id > @2))
        ORDER BY reported_at, node_id`,
      [controllerId, Math.round(after.dbMs), after.nodeId],
    ];
  },
  statuses(nodeIds) {
    return [`SELECT ${mssqlColumns}, status FROM node_status_share WHERE node_id IN (${nodeIds.map((_, i) => `@${i}`).join(', ')})`, [...nodeIds]];
  },
};
const mssqlStamp = 'CAST(DATEADD(millisecond, -v.backdate_ms, SYSUTCDATETIME()) AS datetime2(3))';
const mssqlColumns = `node_id AS nodeId, cluster_id AS clusterId, controller_id AS controllerId, status_version AS statusVersion, report_interval_ms AS reportIntervalMs,
  CAST(DATEDIFF_BIG(millisecond, CAST('1970-01-01' AS datetime2), reported_at) AS float) AS reportedAtDbMs,
  CAST(DATEDIFF_BIG(millisecond, reported_at, SYSUTCDATETIME()) AS float) AS ageMs`;

/** Sharing as a whole: status and events, polled, and woken by PostgreSQL notifications. */
export interface ControllerSharing {
  readonly status: StatusShare;
  readonly events: EventShare;
  /** Stops listening and polling, after a last flush of this controller's statuses. */
  close(): Promise<void>;
}

/**
 * Starts sharing node status and events with the other controllers on the database; null on
 * SQLite, where a controller is alone (nothing runs, nothing costs).
 */
export function startSharing(o: { readonly db: Database; readonly statuses: NodeStatusCache; readonly bus: EventBus; readonly controllerId: string; readonly log: Logger }): ControllerSharing | null {
  if (o.db.dialect === 'sqlite') return null;
  const status = new StatusShare({ db: o.db, statuses: o.statuses, controllerId: o.controllerId, log: o.log });
  const events = new EventShare({ db: o.db, bus: o.bus, controllerId: o.controllerId, log: o.log });
  const listener =
    o.db.dialect === 'postgres'
      ? new ShareListener({
          db: o.db,
          log: o.log,
          channels: {
            [statusChannel]: (payload) => {
              if (payload !== o.controllerId) status.wake();
            },
            [eventsChannel]: (payload) => events.onNotice(payload),
          },
          onConnected: () => {
            status.wake();
            events.wake();
          },
        })
      : null;
  status.start();
  events.start();
  listener?.start();
  return {
    status,
    events,
    close: async () => {
      await listener?.close();
      await events.close();
      await status.close();
    },
  };
}
