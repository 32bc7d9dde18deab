// The generic-event settings' shell: stored in the database (one row), read at start, changed
// by an admin (checked as a whole, one version more, audited in the same transaction), handed
// to the notifier the moment they are stored, and the test send an admin makes to check them.
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { EntityManager, QueryDeepPartialEntity } from 'typeorm';
import type { Database } from '../db/database.js';
import { describe } from '../db/database.js';
import { AuditEntryEntity, GenericEventSettingsEntity, type GenericEventSettingsRow } from '../db/entities/index.js';
import { auditRow, type Actor } from '../domain/audit.js';
import { isUniqueViolation } from '../db/errors.js';
import { checkIfMatch, retryOnRace } from '../domain/cluster-rows.js';
import { DomainError, problem } from '../domain/errors.js';
import { exampleValues, renderMessage } from './message.js';
import type { GenericEventNotifier } from './notifier.js';
import type { GenericEventSend } from './sender.js';
import {
  defaultGenericEventSettings,
  genericEventSettingsSchema,
  settingsIssues,
  testRequestIssues,
  type GenericEventSettings,
  type GenericEventSettingsView,
  type GenericEventTestRequest,
  type GenericEventTestResult,
  type SettingsIssue,
} from './settings.js';

/** The one row's id. */
const rowId = 'xprotect';
export const genericEventsChangedAction = 'xprotect.generic-events-changed';
export const genericEventTestAction = 'xprotect.generic-event-test';
export const genericEventsTarget = 'xprotect/generic-events';
/** The settings' ETag: `"g<version>"`. */
export const genericEventsEtagOf = (version: number): string => `"g${version}"`;

/** Loading the stored settings at start is retried while the database is down: 2 s doubling to a minute. */
const loadRetryMsMin = 2_000;
const loadRetryMsMax = 60_000;

const invalid = (issues: readonly SettingsIssue[]): DomainError => problem('generic-event-settings-invalid', issues.map((i) => `${i.path} ${i.message}`).join('; '), { errors: issues });

/** Paths of the leaves that differ between two settings documents (`eventServer.host`, `kinds.failover.message`). */
export function changedPaths(before: unknown, after: unknown, prefix = ''): string[] {
  if (typeof before === 'object' && before !== null && typeof after === 'object' && after !== null) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => changedPaths((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], prefix === '' ? key : `${prefix}.${key}`));
  }
  return before === after ? [] : [prefix];
}

/** The stored document, or the defaults when there is none or it does not parse (logged). */
function settingsOfRow(row: GenericEventSettingsRow | null, log: Logger): GenericEventSettings {
  if (row === null) return defaultGenericEventSettings();
  const parsed = genericEventSettingsSchema.safeParse(row.settings);
  if (parsed.success) return parsed.data;
  log.error({ version: row.version }, 'stored generic-event settings do not parse: generic events stay off until an admin sets them again');
  return defaultGenericEventSettings();
}

/** The settings row changed between a change's read and its write: the change runs again. */
class SettingsRaceError extends Error {
  constructor() {
    super('generic-event settings changed concurrently');
    this.name = 'SettingsRaceError';
  }
}

export class GenericEventService {
  private loadTimer: NodeJS.Timeout | null = null;
  private loadRetryMs = loadRetryMsMin;
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly notifier: GenericEventNotifier,
    private readonly send: GenericEventSend,
    private readonly log: Logger,
  ) {}

  /** Reads the stored settings into the notifier: now, or in the background while the database is down. */
  async load(): Promise<void> {
    this.loadTimer = null;
    try {
      const row = await this.db.dataSource.getRepository(GenericEventSettingsEntity).findOneBy({ id: rowId });
      const settings = settingsOfRow(row, this.log);
      this.notifier.apply(settings);
      if (settings.enabled) this.log.info({ host: settings.eventServer.host, port: settings.eventServer.port, format: settings.eventServer.format }, 'generic events to the Event Server are on');
    } catch (err) {
      if (this.closed) return;
      this.log.warn({ err: describe(err), retryMs: this.loadRetryMs }, 'cannot read the generic-event settings yet; retrying');
      this.loadTimer = setTimeout(() => void this.load(), this.loadRetryMs);
      this.loadTimer.unref();
      this.loadRetryMs = Math.min(loadRetryMsMax, this.loadRetryMs * 2);
    }
  }

  /**
   * Reads the stored settings again and hands them to the notifier if they differ from what it
   * has: the lease holder's way of seeing a change made through another controller (several
   * controllers on one database). Unchanged settings are not applied again (that would cut a
   * retry's backoff short). False when the database could not be read.
   */
  async refresh(): Promise<boolean> {
    try {
      const row = await this.db.dataSource.getRepository(GenericEventSettingsEntity).findOneBy({ id: rowId });
      const settings = settingsOfRow(row, this.log);
      if (!isDeepStrictEqual(settings, this.notifier.current())) this.notifier.apply(settings);
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    this.closed = true;
    if (this.loadTimer !== null) clearTimeout(this.loadTimer);
  }

  async get(): Promise<GenericEventSettingsView> {
    const row = await this.db.dataSource.getRepository(GenericEventSettingsEntity).findOneBy({ id: rowId });
    return this.view(row);
  }

  /**
   * Sets every setting (PUT). @throws DomainError generic-event-settings-invalid (unknown
   * placeholders, enabled without a host), precondition-failed
   */
  async replace(settings: GenericEventSettings, ifMatch: string | undefined, actor: Actor): Promise<GenericEventSettingsView> {
    const source = this.db.dataSource;
    try {
      const issues = settingsIssues(settings);
      if (issues.length > 0) throw invalid(issues);
      const saved = await retryOnRace(
        () => source.transaction((m) => this.write(m, settings, ifMatch, actor)),
        (err) => err instanceof SettingsRaceError || isUniqueViolation(err),
      );
      // Stored: it takes effect now (the notifier reads nothing else).
      this.notifier.apply(settingsOfRow(saved, this.log));
      return this.view(saved);
    } catch (err) {
      if (err instanceof DomainError) await source.getRepository(AuditEntryEntity).insert(auditRow(actor, genericEventsChangedAction, genericEventsTarget, 'failure')).catch(() => {});
      throw err;
    }
  }

  private async write(m: EntityManager, settings: GenericEventSettings, ifMatch: string | undefined, actor: Actor): Promise<GenericEventSettingsRow> {
    const row = await m.findOneBy(GenericEventSettingsEntity, { id: rowId });
    const version = row?.version ?? 0;
    checkIfMatch(ifMatch, genericEventsEtagOf(version));
    const before = settingsOfRow(row, this.log);
    const changed = changedPaths(before, settings);
    if (row !== null && changed.length === 0) return row;
    const next: GenericEventSettingsRow = { id: rowId, settings: settings as unknown as Record<string, unknown>, version: version + 1, updatedAt: new Date() };
    // TypeORM's deep-partial type cannot express the JSON document's open record; the row is complete.
    const columns = next as QueryDeepPartialEntity<GenericEventSettingsRow>;
    if (row === null) await m.insert(GenericEventSettingsEntity, columns);
    // Conditional on the version read: of two changes at once, the later one runs again on the earlier one's result.
    else if ((await m.update(GenericEventSettingsEntity, { id: rowId, version }, { settings: columns.settings, version: next.version, updatedAt: next.updatedAt })).affected !== 1) throw new SettingsRaceError();
    await m.insert(AuditEntryEntity, auditRow(actor, genericEventsChangedAction, genericEventsTarget, 'success', { fromVersion: version, toVersion: next.version, changed }));
    return next;
  }

  /**
   * Sends one event now with the stored Event Server settings, enabled or not, and answers what
   * the Event Server said. Audited either way. @throws DomainError generic-event-not-delivered (502, with `reason`)
   */
  async test(request: GenericEventTestRequest, actor: Actor): Promise<GenericEventTestResult> {
    const source = this.db.dataSource;
    const settings = settingsOfRow(await source.getRepository(GenericEventSettingsEntity).findOneBy({ id: rowId }), this.log);
    const issues = testRequestIssues(request, settings);
    const host = settings.eventServer.host;
    if (issues.length > 0 || host === null) throw invalid(issues);
    const message = request.message ?? (request.kind !== undefined ? renderMessage(settings.kinds[request.kind].message, exampleValues(request.kind, new Date())) : 'twinrec test event');
    const target = { ...settings.eventServer, host };
    const outcome = await this.send(target, message);
    const where = { host, port: target.port, format: target.format };
    await source
      .getRepository(AuditEntryEntity)
      .insert(auditRow(actor, genericEventTestAction, genericEventsTarget, outcome.ok ? 'success' : 'failure', { ...where, kind: request.kind ?? null, ...(outcome.ok ? { matches: outcome.statistics?.matches ?? null } : { reason: outcome.reason }) }))
      .catch((err: unknown) => this.log.warn({ err: describe(err) }, 'generic event test not audited'));
    if (!outcome.ok) throw problem('generic-event-not-delivered', outcome.detail, { reason: outcome.reason, ...where });
    return { message, ...where, elapsedMs: outcome.elapsedMs, statistics: outcome.statistics };
  }

  private view(row: GenericEventSettingsRow | null): GenericEventSettingsView {
    const updatedAt = row === null ? null : row.updatedAt instanceof Date ? row.updatedAt : new Date(row.updatedAt);
    return { ...settingsOfRow(row, this.log), version: row?.version ?? 0, updatedAt: updatedAt?.toISOString() ?? null, delivery: this.notifier.status() };
  }
}
