// Keyset paging, newest first, by a cursor of time and id: the event history and the audit
// log page this way (no OFFSET, so a page stays cheap however deep it is and does not shift
// as rows arrive).
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { validationFailed } from './errors.js';
import { cursorPattern } from '../model/fields.js';

/**
 * A position, newest first: a row's time and id. Written as `<ISO 8601 time with ms>_<id>`,
 * e.g. `2026-11-22T10:11:12.345Z_0b7c…`.
 */
export interface Cursor {
  readonly time: Date;
  readonly id: string;
}

const cursorRegExp = new RegExp(cursorPattern);

export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

export function cursorOf(row: { readonly time: Date | string; readonly id: string }): string {
  return `${toDate(row.time).toISOString()}_${row.id}`;
}

/** The cursor a string names, or null when it is not one. */
export function parseCursor(text: string): Cursor | null {
  if (!cursorRegExp.test(text)) return null;
  const [time, id] = text.split('_') as [string, string];
  const date = new Date(time);
  return Number.isNaN(date.getTime()) || date.toISOString() !== time ? null : { time: date, id: id.toLowerCase() };
}

/** 400 when since is not before until. */
export function checkTimeRange(since: Date | undefined, until: Date | undefined): void {
  if (since !== undefined && until !== undefined && since.getTime() >= until.getTime()) {
    throw validationFailed([{ path: '/query/until', message: 'must be later than since' }]);
  }
}

export interface KeysetPage<V> {
  items: V[];
  limit: number;
  /** `before` for the next, older page; null on the last one. */
  next: string | null;
}

/** A page of `query` (rows aliased `alias`, with `time` and `id`), newest first, older than `before` when given. */
export async function keysetPage<R extends ObjectLiteral & { time: Date | string; id: string }, V>(
  query: SelectQueryBuilder<R>,
  alias: string,
  page: { limit: number; before?: Cursor | undefined },
  view: (row: R) => V,
): Promise<KeysetPage<V>> {
  if (page.before !== undefined) query.andWhere(`(${alias}.time < :beforeTime OR (${alias}.time = :beforeTime AND ${alias}.id < :beforeId))`, { beforeTime: page.before.time, beforeId: page.before.id });
  const rows = await query.orderBy(`${alias}.time`, 'DESC').addOrderBy(`${alias}.id`, 'DESC').limit(page.limit + 1).getMany();
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return { items: items.map(view), limit: page.limit, next: rows.length > page.limit && last !== undefined ? cursorOf(last) : null };
}
