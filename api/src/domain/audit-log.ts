// Reading the audit log: filtered pages, newest first, by a cursor of time and id like the
// event history (cursor.ts; no OFFSET, so deep pages stay cheap and do not shift as entries arrive); and
// writing the entries that belong to no change (a refused login, a denied request).
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { AuditEntryEntity, type AuditEntryRow } from '../db/entities/index.js';
import { auditRow, type Actor } from './audit.js';
import { checkTimeRange, cursorOf, keysetPage, toDate, type Cursor } from './cursor.js';
import type { AuditEntry, AuditPage } from '../model/audit.js';
import type { AuditOutcome } from '../model/vocabulary.js';

/** Largest page of GET /api/v1/audit. */
export const auditPageLimitMax = 1_000;

/** `action` and `target`: exact, or a prefix ending in `*` (`account.*`, `cluster/5f0c…*`). */
export const auditTextFilterPattern = '^[^*]{1,255}\\*?$';

export type TextFilter = { readonly exact: string } | { readonly prefix: string };

export interface AuditFilter {
  /** Exact account name (or `agent:<node>` for agents). */
  readonly actor?: string | undefined;
  readonly action?: TextFilter | undefined;
  readonly target?: TextFilter | undefined;
  readonly outcome?: AuditOutcome | undefined;
  /** Inclusive. */
  readonly since?: Date | undefined;
  /** Exclusive. */
  readonly until?: Date | undefined;
}

/** `account.*` → prefix, else exact. */
export function textFilterOf(text: string | undefined): TextFilter | undefined {
  if (text === undefined || text === '') return undefined;
  return text.endsWith('*') ? { prefix: text.slice(0, -1) } : { exact: text };
}

export function auditEntryView(row: AuditEntryRow): AuditEntry {
  return { id: row.id, cursor: cursorOf(row), time: toDate(row.time).toISOString(), actor: row.actor, action: row.action, target: row.target, outcome: row.outcome, address: row.address, details: row.details ?? null };
}

export class AuditLog {
  constructor(
    private readonly db: Database,
    private readonly log: Logger,
  ) {}

  /** A page, newest first, older than `before` when given. */
  async list(filter: AuditFilter, page: { limit: number; before?: Cursor | undefined }): Promise<AuditPage> {
    checkTimeRange(filter.since, filter.until);
    const query = this.db.dataSource.getRepository(AuditEntryEntity).createQueryBuilder('a').where('1 = 1');
    if (filter.actor !== undefined) query.andWhere('a.actor = :actor', { actor: filter.actor });
    for (const [column, value] of [['action', filter.action], ['target', filter.target]] as const) {
      if (value === undefined) continue;
      // Not LIKE: SQLite's is case-insensitive and treats % and _ in the value as wildcards. The length is an integer we computed.
      if ('exact' in value) query.andWhere(`a.${column} = :${column}`, { [column]: value.exact });
      else if (value.prefix !== '') query.andWhere(`SUBSTRING(a.${column}, 1, ${value.prefix.length}) = :${column}Prefix`, { [`${column}Prefix`]: value.prefix });
    }
    if (filter.outcome !== undefined) query.andWhere('a.outcome = :outcome', { outcome: filter.outcome });
    if (filter.since !== undefined) query.andWhere('a.time >= :since', { since: filter.since });
    if (filter.until !== undefined) query.andWhere('a.time < :until', { until: filter.until });
    return keysetPage(query, 'a', page, auditEntryView);
  }

  /**
   * Writes an entry that belongs to no change (a failed login, a denied request). A failure to
   * write it is logged, not thrown: the answer to the request does not depend on it.
   */
  async record(actor: Actor, action: string, target: string, outcome: AuditOutcome): Promise<void> {
    try {
      await this.db.dataSource.getRepository(AuditEntryEntity).insert(auditRow(actor, action, target, outcome));
    } catch (err) {
      this.log.warn({ action, outcome, err: err instanceof Error ? err.message : String(err) }, 'audit entry not written');
    }
  }
}
