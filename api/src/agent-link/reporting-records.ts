// Records what the reporting views need from the agents' reports as they arrive (issue 18):
// serving spans (domain/serving-spans.ts), gaps per camera (domain/camera-gaps.ts) and backfill
// jobs (domain/backfill-jobs.ts). A report only updates memory (synchronous, cheap, so it never
// holds up the agent link or a failover); a timer writes what changed, at most one flush at a
// time. What waits is bounded by the number of nodes: one open span, one latest audit and one
// latest backfill status per node.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { NodeStatus } from '../../../contracts/controller-v1.js';
import { BackfillJobEntity, CameraGapEntity, ServingSpanEntity, type BackfillJobRow, type ServingSpanRow } from '../db/entities/index.js';
import { observeBackfill } from '../domain/backfill-jobs.js';
import { reconcileGaps } from '../domain/camera-gaps.js';
import { closeIfSilent, observeServing } from '../domain/serving-spans.js';
import { describe, type Database } from '../db/database.js';
import { Pace } from '../../../shared/pace.js';

export const reportingFlushIntervalMsDefault = 2_000;
/** An open span's growing end is written at most this often (a new or closed span at the next flush): one row per serving node, not one per report. */
export const openSpanWriteMsMin = 15_000;
/** Gap audits of one node kept for the next flush at most; audits come seconds apart, flushes every 2 s. */
export const auditsPendingPerNodeMax = 8;
/** Rows per INSERT: 11 columns × 100 stays far below SQL Server's 2100 parameters. */
const insertChunkRows = 100;

export interface ReportingRecordsOptions {
  /** A node silent longer than this may have stopped serving: its span ends at its last report (the controller's agents.staleAfterMs). */
  readonly silenceMsMax: number;
  readonly flushIntervalMs?: number;
  readonly nowMs?: () => number;
}

interface NodeKey {
  readonly clusterId: string;
  readonly nodeId: string;
}

export class ReportingRecords {
  private readonly openSpans = new Map<string, ServingSpanRow>();
  private readonly dirtySpans = new Map<string, ServingSpanRow>();
  /** When each open span was last written. */
  private readonly spanWrittenAtMs = new Map<string, number>();
  /** Each node's gap audits not written yet, oldest first: a gap listed by one audit and filled by the next, both within one flush, is still recorded. */
  private readonly audits = new Map<string, Array<NodeKey & { backfill: NonNullable<NodeStatus['backfill']> }>>();
  private readonly lastAuditedAt = new Map<string, string>();
  private readonly backfills = new Map<string, NodeKey & { backfill: NodeStatus['backfill']; atMs: number }>();
  /** The latest job per node, once loaded (undefined: not loaded yet). */
  private readonly jobs = new Map<string, BackfillJobRow | null>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private staleSpansClosed = false;
  private failing = false;
  private readonly nowMs: () => number;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    private readonly options: ReportingRecordsOptions,
  ) {
    this.nowMs = options.nowMs ?? Date.now;
  }

  /** One report, as the agent link stored it. Synchronous: memory only. */
  observe(clusterId: string, nodeId: string, status: NodeStatus): void {
    const atMs = this.nowMs();
    const change = observeServing(this.openSpans.get(nodeId) ?? null, { clusterId, nodeId, serving: status.serving, epoch: status.epoch, atMs }, randomUUID, this.options.silenceMsMax);
    for (const closed of change.closed) this.dirtySpans.set(closed.id, closed);
    if (change.open === null) {
      this.openSpans.delete(nodeId);
    } else {
      this.openSpans.set(nodeId, change.open);
      this.dirtySpans.set(change.open.id, change.open);
    }
    const backfill = status.backfill ?? null;
    if (backfill !== null && backfill.auditedAt !== null && this.lastAuditedAt.get(nodeId) !== backfill.auditedAt) {
      this.lastAuditedAt.set(nodeId, backfill.auditedAt);
      const pending = this.audits.get(nodeId) ?? [];
      // Bounded: the oldest gives way (a gap it alone listed, filled since, goes unrecorded).
      pending.push({ clusterId, nodeId, backfill });
      if (pending.length > auditsPendingPerNodeMax) pending.shift();
      this.audits.set(nodeId, pending);
    }
    this.backfills.set(nodeId, { clusterId, nodeId, backfill, atMs });
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs ?? reportingFlushIntervalMsDefault);
    this.timer.unref();
  }

  /** Stops the timer and writes what is left (open spans stay open; the next start closes them). */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Writes what changed since the last flush; a flush under way is joined. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async write(): Promise<void> {
    const nowMs = this.nowMs();
    for (const [nodeId, open] of this.openSpans) {
      const closed = closeIfSilent(open, nowMs, this.options.silenceMsMax);
      if (closed === null) continue;
      this.openSpans.delete(nodeId);
      this.dirtySpans.set(closed.id, closed);
    }
    const spans = [...this.dirtySpans.values()].filter((s) => s.state === 'closed' || nowMs - (this.spanWrittenAtMs.get(s.id) ?? Number.NEGATIVE_INFINITY) >= openSpanWriteMsMin);
    for (const s of spans) {
      this.dirtySpans.delete(s.id);
      if (s.state === 'closed') this.spanWrittenAtMs.delete(s.id);
      else this.spanWrittenAtMs.set(s.id, nowMs);
    }
    const audits = [...this.audits.values()].flat();
    this.audits.clear();
    const backfills = [...this.backfills.values()];
    this.backfills.clear();
    let auditsWritten = 0;
    // Each write is synchronous on SQLite and the awaits between them are microtasks: a thousand
    // span updates held the event loop (and every report) for 25 ms at site scale. Written in slices.
    const pace = new Pace();
    try {
      const source = this.db.dataSource;
      if (!this.staleSpansClosed) {
        // Spans a previous run left open ended when it stopped hearing from their nodes.
        await source.getRepository(ServingSpanEntity).update({ state: 'open' }, { state: 'closed' });
        this.staleSpansClosed = true;
      }
      await this.writeSpans(spans, pace);
      for (const audit of audits) {
        await this.writeAudit(audit);
        auditsWritten += 1;
        if (pace.due()) await pace.turn();
      }
      for (const b of backfills) {
        await this.writeBackfill(b);
        if (pace.due()) await pace.turn();
      }
      if (this.failing) this.log.info('reporting records written again');
      this.failing = false;
    } catch (err) {
      // Kept for the next flush, unless newer data took their place meanwhile.
      for (const s of spans) {
        if (!this.dirtySpans.has(s.id)) this.dirtySpans.set(s.id, s);
        if (s.state === 'open') this.spanWrittenAtMs.delete(s.id);
      }
      // Those not written go back before any that came meanwhile (each audit is written in one transaction).
      for (const a of audits.slice(auditsWritten).reverse()) {
        const newer = this.audits.get(a.nodeId) ?? [];
        if (newer.length < auditsPendingPerNodeMax) this.audits.set(a.nodeId, [a, ...newer]);
      }
      if (!this.failing) this.log.warn({ err: describe(err) }, 'cannot write the reporting records (serving spans, camera gaps, backfill jobs); retrying');
      this.failing = true;
    }
  }

  private async writeSpans(spans: readonly ServingSpanRow[], pace: Pace): Promise<void> {
    if (spans.length === 0) return;
    const repository = this.db.dataSource.getRepository(ServingSpanEntity);
    const ids = spans.map((s) => s.id);
    const known = new Set<string>();
    for (let i = 0; i < ids.length; i += insertChunkRows) {
      for (const row of await repository.createQueryBuilder('s').select('s.id', 'id').where('s.id IN (:...ids)', { ids: ids.slice(i, i + insertChunkRows) }).getRawMany<{ id: string }>()) known.add(row.id);
    }
    const fresh = spans.filter((s) => !known.has(s.id));
    for (let i = 0; i < fresh.length; i += insertChunkRows) {
      await repository.insert(fresh.slice(i, i + insertChunkRows));
      if (pace.due()) await pace.turn();
    }
    for (const s of spans.filter((x) => known.has(x.id))) {
      await repository.update({ id: s.id }, { endAt: s.endAt, durationMs: s.durationMs, state: s.state });
      if (pace.due()) await pace.turn();
    }
  }

  private async writeAudit(audit: NodeKey & { backfill: NonNullable<NodeStatus['backfill']> }): Promise<void> {
    await this.db.dataSource.transaction(async (m) => {
      const open = await m.find(CameraGapEntity, { where: { nodeId: audit.nodeId, state: 'open' } });
      const { inserted, updated } = reconcileGaps(open, audit.backfill, audit, randomUUID);
      for (let i = 0; i < inserted.length; i += insertChunkRows) await m.insert(CameraGapEntity, inserted.slice(i, i + insertChunkRows));
      for (const row of updated) {
        await m.update(CameraGapEntity, { id: row.id }, { startAt: row.startAt, endAt: row.endAt, gapSeconds: row.gapSeconds, missingSeconds: row.missingSeconds, state: row.state, resolvedAt: row.resolvedAt });
      }
    });
  }

  private async writeBackfill(b: NodeKey & { backfill: NodeStatus['backfill']; atMs: number }): Promise<void> {
    const repository = this.db.dataSource.getRepository(BackfillJobEntity);
    let latest = this.jobs.get(b.nodeId);
    if (latest === undefined) {
      latest = (await repository.find({ where: { nodeId: b.nodeId }, order: { startedAt: 'DESC' }, take: 1 }))[0] ?? null;
      this.jobs.set(b.nodeId, latest);
    }
    const change = observeBackfill(latest, b.backfill, b, b.atMs, randomUUID);
    try {
      for (const job of change.writes) {
        if (job.id === latest?.id || (await repository.existsBy({ id: job.id }))) await repository.update({ id: job.id }, job);
        else await repository.insert(job);
      }
      this.jobs.set(b.nodeId, change.latest);
    } catch (err) {
      // Read again next time: some of the writes may have landed.
      this.jobs.delete(b.nodeId);
      throw err;
    }
  }
}
