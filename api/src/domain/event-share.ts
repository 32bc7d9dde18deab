// Events shared between controllers on one database (issue 19): an event another controller
// stored reaches this controller's event bus (its event streams, and the webhook and generic
// event listeners, which a lease lets one controller deliver), once, as `shared`.
//
// Two ways, either enough alone: on PostgreSQL, each controller NOTIFYs the ids of the events
// it stored and published (after their commit), and the others fetch those rows and publish them
// in that order; and every controller polls the event table for recent events (by `time`,
// looking back lookbackMs beyond the last poll, since rows commit out of order and agents' clocks
// differ), handing out those the bus has not (the bus remembers the ids it published, so that
// the two ways and this controller's own events never make a second copy).
//
// An event stored with a time older than the look-back (an agent's backlog sent after an
// outage) is seen by the notification only: on SQL Server, or while the LISTEN connection is
// down, other controllers miss it live (it is in the database, and in streams replayed from it).
import { In, type EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { describe, type Database } from '../db/database.js';
import { EventEntity, type EventRow } from '../db/entities/index.js';
import type { EventBus, EventOrigin } from './event-bus.js';
import { eventsNoticePayloads, inCursorOrder, readEventsNotice } from './event-share-rules.js';
import { eventsChannel, notifyPayloadBytesMax, notifyPostgres } from './status-share-listener.js';

export interface EventShareOptions {
  readonly db: Database;
  readonly bus: EventBus;
  /** This controller's instance id (controllerInstanceId). */
  readonly controllerId: string;
  readonly log: Logger;
  readonly pollIntervalMs?: number;
}

/** Polled this often even without notifications. */
export const eventPollIntervalMs = 1_000;
/** How far before the last poll a poll reads again: late commits and agents' clock differences. */
export const eventLookbackMs = 15_000;
/** The longest stretch a poll reads after an outage; what is older reaches streams by their replay. */
const pollSpanMsMax = 120_000;
/** Ids and times read per page, and pages per poll. */
const pollPageRows = 2_000;
const pollPagesMax = 10;
/** Rows fetched per query (an IN list; SQL Server takes 2100 parameters). */
const fetchRowsMax = 500;
/** Ids waiting to be announced, and to be fetched after a notice: beyond, the poll finds them. */
const pendingIdsMax = 10_000;

export class EventShare {
  private readonly announce: string[] = [];
  private readonly fetch: string[] = [];
  private unsubscribe: (() => void) | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private announcing = false;
  /** Fetching and polling run one at a time, in order, so that events go out in order. */
  private lane: Promise<void> = Promise.resolve();
  private laneQueued = { fetch: false, poll: false };
  /** Wall clock of the last poll that succeeded; null before the first (which only records what is there). */
  private lastPollMs: number | null = null;
  private closed = false;
  private failing = false;

  constructor(private readonly o: EventShareOptions) {
    if (o.db.dialect === 'sqlite') throw new RangeError('event sharing needs PostgreSQL or SQL Server: one controller per SQLite file');
  }

  start(): void {
    if (this.o.db.dialect === 'postgres') this.unsubscribe = this.o.bus.subscribe((row, origin) => this.onPublished(row, origin));
    this.pollTimer = setInterval(() => this.wake(), this.o.pollIntervalMs ?? eventPollIntervalMs);
    this.pollTimer.unref();
    this.wake();
  }

  /** A notification on the events channel (status-share-listener.ts). */
  onNotice(payload: string): void {
    const notice = readEventsNotice(payload);
    if (notice === null || notice.controllerId === this.o.controllerId) return;
    for (const id of notice.eventIds) if (!this.o.bus.published(id) && this.fetch.length < pendingIdsMax) this.fetch.push(id);
    this.enqueue('fetch');
  }

  /** Polls now (the LISTEN connection is back: notifications sent meanwhile are gone). */
  wake(): void {
    this.enqueue('poll');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    if (this.pollTimer !== null) clearInterval(this.pollTimer);
    await this.lane;
  }

  private onPublished(row: EventRow, origin: EventOrigin): void {
    if (origin !== 'local' || this.announce.length >= pendingIdsMax) return;
    this.announce.push(row.id);
    // After the rest of this publish: one notice for every event of a report.
    if (this.announce.length === 1 && !this.announcing) setImmediate(() => void this.sendNotices());
  }

  private async sendNotices(): Promise<void> {
    if (this.announcing || this.closed) return;
    this.announcing = true;
    try {
      while (this.announce.length > 0 && !this.closed) {
        const ids = this.announce.splice(0, this.announce.length);
        for (const payload of eventsNoticePayloads(this.o.controllerId, ids, notifyPayloadBytesMax)) await notifyPostgres(this.o.db, eventsChannel, payload);
      }
    } catch (err) {
      // The others' polls find these events; nothing is retried here.
      this.announce.length = 0;
      this.o.log.debug({ err: describe(err) }, 'event sharing: NOTIFY failed; the other controllers poll');
    } finally {
      this.announcing = false;
    }
  }

  /** Queues one fetch or poll on the lane, unless one is queued already. */
  private enqueue(work: 'fetch' | 'poll'): void {
    if (this.closed || this.laneQueued[work]) return;
    this.laneQueued[work] = true;
    this.lane = this.lane.then(async () => {
      this.laneQueued[work] = false;
      if (this.closed) return;
      try {
        await (work === 'fetch' ? this.fetchNoticed() : this.poll());
        if (this.failing) this.o.log.info('event sharing working again');
        this.failing = false;
      } catch (err) {
        if (!this.failing) this.o.log.warn({ err: describe(err) }, `event sharing: ${work} failed; retrying`);
        this.failing = true;
      }
    });
  }

  /** Fetches the events other controllers announced and publishes them in the order announced. */
  private async fetchNoticed(): Promise<void> {
    const ids = this.fetch.splice(0, this.fetch.length).filter((id) => !this.o.bus.published(id));
    if (ids.length === 0) return;
    const rows = await this.rowsOf(this.o.db.dataSource.manager, ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    this.o.bus.publish(ids.flatMap((id) => byId.get(id) ?? []), 'shared');
  }

  /** Reads the ids of recent events, fetches those not handed out yet, and publishes them by time. */
  private async poll(): Promise<void> {
    const startedMs = Date.now();
    const sinceMs = this.lastPollMs === null ? startedMs - eventLookbackMs : Math.max(startedMs - pollSpanMsMax, this.lastPollMs - eventLookbackMs);
    const m = this.o.db.dataSource.manager;
    let after: { time: Date; id: string } | null = null;
    for (let page = 0; page < pollPagesMax && !this.closed; page += 1) {
      const query = m.getRepository(EventEntity).createQueryBuilder('e').select(['e.id', 'e.time']).where('e.time >= :since', { since: new Date(sinceMs) });
      if (after !== null) query.andWhere('(e.time > :afterTime OR (e.time = :afterTime AND e.id > :afterId))', { afterTime: after.time, afterId: after.id });
      const seen = await query.orderBy('e.time', 'ASC').addOrderBy('e.id', 'ASC').limit(pollPageRows).getMany();
      const unseen = seen.filter((r) => !this.o.bus.published(r.id)).map((r) => r.id);
      // The first poll only records what was stored before this controller listened.
      if (this.lastPollMs === null) this.o.bus.skip(unseen);
      else if (unseen.length > 0) this.o.bus.publish(inCursorOrder(await this.rowsOf(m, unseen)), 'shared');
      const last = seen[seen.length - 1];
      if (last === undefined || seen.length < pollPageRows) break;
      after = { time: last.time, id: last.id };
    }
    this.lastPollMs = startedMs;
  }

  private async rowsOf(m: EntityManager, ids: readonly string[]): Promise<EventRow[]> {
    const rows: EventRow[] = [];
    for (let i = 0; i < ids.length; i += fetchRowsMax) rows.push(...(await m.find(EventEntity, { where: { id: In(ids.slice(i, i + fetchRowsMax)) } })));
    return rows;
  }
}

