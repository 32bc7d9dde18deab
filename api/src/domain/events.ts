// Reading the event history: filtered pages, newest first, by a cursor of time and id (no
// OFFSET, so a page stays cheap however deep it is and does not shift as events arrive), and
// the replay a resumed event stream starts with. The same filter decides in SQL (history) and
// in memory (live events on the bus), so a stream and a page agree.
import type { SelectQueryBuilder } from 'typeorm';
import type { Database } from '../db/database.js';
import { EventEntity, type EventRow } from '../db/entities/index.js';
import { checkTimeRange, cursorOf, keysetPage, toDate, type Cursor } from './cursor.js';
import type { Event, EventPage } from '../model/event.js';
import { eventSeverities, type EventSeverity } from '../model/vocabulary.js';

/** Largest page of GET /api/v1/events. */
export const eventPageLimitMax = 1_000;
/** Most events a resumed stream replays from the database. */
export const eventReplayMax = 1_000;

export { cursorOf, parseCursor } from './cursor.js';

/** A position in the history (cursor.ts): the `id:` of a streamed event and the `before` of a page. */
export type EventCursor = Cursor;

/** `kind`: a kind, or a prefix ending in `*` (`failover.*`), or `*` alone. */
export const eventKindFilterPattern = '^[^*]{0,64}\\*?$';

export interface EventFilter {
  readonly clusterId?: string | undefined;
  readonly nodeId?: string | undefined;
  /** Exact kind, or `{ prefix }` for `failover.*`. */
  readonly kind?: { readonly exact: string } | { readonly prefix: string } | undefined;
  /** This severity and those above it. */
  readonly severityMin?: EventSeverity | undefined;
  /** Inclusive. */
  readonly since?: Date | undefined;
  /** Exclusive. */
  readonly until?: Date | undefined;
}

/** `failover.*` → prefix, `*` → any, else the exact kind. */
export function kindFilterOf(text: string | undefined): EventFilter['kind'] {
  if (text === undefined || text === '' || text === '*') return undefined;
  return text.endsWith('*') ? { prefix: text.slice(0, -1) } : { exact: text };
}

export function severitiesFrom(min: EventSeverity): EventSeverity[] {
  return eventSeverities.slice(eventSeverities.indexOf(min));
}

/** The filter in memory, as the SQL below applies it. */
export function eventMatches(row: EventRow, filter: EventFilter): boolean {
  if (filter.clusterId !== undefined && row.clusterId !== filter.clusterId) return false;
  if (filter.nodeId !== undefined && row.nodeId !== filter.nodeId) return false;
  if (filter.kind !== undefined && ('exact' in filter.kind ? row.kind !== filter.kind.exact : !row.kind.startsWith(filter.kind.prefix))) return false;
  if (filter.severityMin !== undefined && eventSeverities.indexOf(row.severity) < eventSeverities.indexOf(filter.severityMin)) return false;
  const time = toDate(row.time).getTime();
  if (filter.since !== undefined && time < filter.since.getTime()) return false;
  if (filter.until !== undefined && time >= filter.until.getTime()) return false;
  return true;
}

export function eventView(row: EventRow): Event {
  return {
    id: row.id,
    cursor: cursorOf(row),
    time: toDate(row.time).toISOString(),
    clusterId: row.clusterId,
    nodeId: row.nodeId,
    kind: row.kind,
    severity: row.severity,
    message: row.message,
    data: row.data ?? {},
  };
}

export class EventService {
  constructor(private readonly db: Database) {}

  /** A page, newest first, older than `before` when given. */
  async list(filter: EventFilter, page: { limit: number; before?: EventCursor | undefined }): Promise<EventPage> {
    checkTimeRange(filter.since, filter.until);
    return keysetPage(this.query(filter), 'e', page, eventView);
  }

  /**
   * The newest `max` events after a cursor (or matching the filter's `since` alone), oldest
   * first; `truncated` when there were more, the older ones left out.
   */
  async after(filter: EventFilter, from: EventCursor | null, max: number): Promise<{ rows: EventRow[]; truncated: boolean }> {
    const query = this.query(filter);
    if (from !== null) query.andWhere('(e.time > :fromTime OR (e.time = :fromTime AND e.id > :fromId))', { fromTime: from.time, fromId: from.id });
    const rows = await query.orderBy('e.time', 'DESC').addOrderBy('e.id', 'DESC').limit(max + 1).getMany();
    return { rows: rows.slice(0, max).reverse(), truncated: rows.length > max };
  }

  private query(filter: EventFilter): SelectQueryBuilder<EventRow> {
    const query = this.db.dataSource.getRepository(EventEntity).createQueryBuilder('e').where('1 = 1');
    if (filter.clusterId !== undefined) query.andWhere('e.clusterId = :clusterId', { clusterId: filter.clusterId });
    if (filter.nodeId !== undefined) query.andWhere('e.nodeId = :nodeId', { nodeId: filter.nodeId });
    if (filter.kind !== undefined) {
      if ('exact' in filter.kind) query.andWhere('e.kind = :kind', { kind: filter.kind.exact });
      // Not LIKE: SQLite's is case-insensitive, and the bus compares exactly. The length is an integer we computed.
      else if (filter.kind.prefix !== '') query.andWhere(`SUBSTRING(e.kind, 1, ${filter.kind.prefix.length}) = :kindPrefix`, { kindPrefix: filter.kind.prefix });
    }
    if (filter.severityMin !== undefined && filter.severityMin !== 'info') query.andWhere('e.severity IN (:...severities)', { severities: severitiesFrom(filter.severityMin) });
    if (filter.since !== undefined) query.andWhere('e.time >= :since', { since: filter.since });
    if (filter.until !== undefined) query.andWhere('e.time < :until', { until: filter.until });
    return query;
  }
}
