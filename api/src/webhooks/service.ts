// The webhooks' settings shell: CRUD by an admin (each change audited in its own transaction and
// handed to the dispatcher the moment it is stored), the secret (generated or given, shown once,
// rotated on request), the delivery log (written by the dispatcher, pruned as it grows), and the
// test send.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { LessThan, type EntityManager } from 'typeorm';
import type { Database } from '../db/database.js';
import { describe } from '../db/database.js';
import { AuditEntryEntity, ClusterEntity, NodeEntity } from '../db/entities/index.js';
import { WebhookDeliveryEntity, type WebhookDeliveryRow } from '../db/entities/webhook-delivery.js';
import { WebhookEntity, type WebhookRow } from '../db/entities/webhook.js';
import { isUniqueViolation } from '../db/errors.js';
import { auditRow, type Actor } from '../domain/audit.js';
import { checkIfMatch } from '../domain/cluster-rows.js';
import { DomainError, notFound, problem } from '../domain/errors.js';
import type { DispatchTarget, WebhookDispatcher } from './dispatcher.js';
import { deliveriesKeptMax, webhookUrlIssue, type WebhookCreate, type WebhookDeliveryView, type WebhookTestResult, type WebhookUpdate, type WebhookView, type WebhookWithSecret } from './model.js';
import type { PayloadNames } from './payload.js';

export const webhookCreatedAction = 'webhook.created';
export const webhookChangedAction = 'webhook.changed';
export const webhookDeletedAction = 'webhook.deleted';
export const webhookSecretRotatedAction = 'webhook.secret-rotated';
export const webhookTestAction = 'webhook.test';
const targetOf = (id: string): string => `webhook/${id}`;
/** A webhook's ETag: `"w<version>"`. */
export const webhookEtagOf = (version: number): string => `"w${version}"`;

/** Webhooks an installation has, at most: each event is matched against every one. */
export const webhooksMax = 100;
/** Loading the webhooks at start is retried while the database is down: 2 s doubling to a minute. */
const loadRetryMsMin = 2_000;
const loadRetryMsMax = 60_000;

/** Every column, the secret included (it is `select: false`). */
const withSecret = { id: true, name: true, url: true, secret: true, enabled: true, eventKinds: true, severityMin: true, clusterId: true, createdAt: true, updatedAt: true, version: true } as const;

/** A new secret: 32 random bytes, base64url (43 characters). */
export function generateWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

const iso = (d: Date | string): string => (d instanceof Date ? d : new Date(d)).toISOString();

export function webhookView(row: WebhookRow): WebhookView {
  return { id: row.id, name: row.name, url: row.url, enabled: row.enabled === 1, eventKinds: [...row.eventKinds], severityMin: row.severityMin, clusterId: row.clusterId, createdAt: iso(row.createdAt), updatedAt: iso(row.updatedAt), version: row.version };
}

function targetOfRow(row: WebhookRow): DispatchTarget {
  if (row.secret === undefined) throw new Error(`webhook ${row.id} was read without its secret`);
  return { id: row.id, name: row.name, url: row.url, secret: row.secret, enabled: row.enabled === 1, filter: { eventKinds: row.eventKinds, severityMin: row.severityMin, clusterId: row.clusterId } };
}

const invalid = (detail: string, extensions: Record<string, unknown> = {}): DomainError => problem('webhook-invalid', detail, extensions);

/** The cluster's and its nodes' names, for the payload. */
export function databaseNames(db: Database): (clusterId: string) => Promise<PayloadNames> {
  return async (clusterId) => {
    const source = db.dataSource;
    const [cluster, nodes] = await Promise.all([source.getRepository(ClusterEntity).findOneBy({ id: clusterId }), source.getRepository(NodeEntity).find({ where: { clusterId } })]);
    return { cluster: cluster?.name ?? null, nodes: new Map(nodes.map((n) => [n.id, n.name])) };
  };
}

export class WebhookService {
  private loadTimer: NodeJS.Timeout | null = null;
  private loadRetryMs = loadRetryMsMin;
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly dispatcher: WebhookDispatcher,
    private readonly log: Logger,
  ) {}

  /** Reads every webhook into the dispatcher: now, or in the background while the database is down. */
  async load(): Promise<void> {
    this.loadTimer = null;
    try {
      const rows = await this.db.dataSource.getRepository(WebhookEntity).find({ select: withSecret, take: webhooksMax });
      this.dispatcher.replaceAll(rows.map(targetOfRow));
      if (rows.length > 0) this.log.info({ webhooks: rows.length, enabled: rows.filter((r) => r.enabled === 1).length }, 'webhooks loaded');
    } catch (err) {
      if (this.closed) return;
      this.log.warn({ err: describe(err), retryMs: this.loadRetryMs }, 'cannot read the webhooks yet; retrying');
      this.loadTimer = setTimeout(() => void this.load(), this.loadRetryMs);
      this.loadTimer.unref();
      this.loadRetryMs = Math.min(loadRetryMsMax, this.loadRetryMs * 2);
    }
  }

  /**
   * Reads every webhook again into the dispatcher: the lease holder's way of seeing changes made
   * through another controller (several controllers on one database). False when the database
   * could not be read (the dispatcher keeps what it has).
   */
  async refreshAll(): Promise<boolean> {
    try {
      const rows = await this.db.dataSource.getRepository(WebhookEntity).find({ select: withSecret, take: webhooksMax });
      this.dispatcher.replaceAll(rows.map(targetOfRow));
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    this.closed = true;
    if (this.loadTimer !== null) clearTimeout(this.loadTimer);
  }

  async list(): Promise<WebhookView[]> {
    const rows = await this.db.dataSource.getRepository(WebhookEntity).find({ order: { name: 'ASC' }, take: webhooksMax });
    return rows.map(webhookView);
  }

  async get(id: string): Promise<WebhookView> {
    return webhookView(await this.row(this.db.dataSource.manager, id));
  }

  /** @throws DomainError webhook-invalid (URL, cluster), webhook-name-taken */
  async create(body: WebhookCreate, actor: Actor): Promise<WebhookWithSecret> {
    return this.audited(webhookCreatedAction, null, actor, async () => {
      const source = this.db.dataSource;
      await this.check(source.manager, body.url, body.clusterId ?? null);
      const secret = body.secret ?? generateWebhookSecret();
      const id = randomUUID();
      const now = new Date();
      const row: WebhookRow = { id, name: body.name, url: body.url, secret, enabled: body.enabled === false ? 0 : 1, eventKinds: body.eventKinds ?? ['*'], severityMin: body.severityMin ?? 'info', clusterId: body.clusterId ?? null, createdAt: now, updatedAt: now, version: 1 };
      const saved = await source.transaction(async (m) => {
        if ((await m.count(WebhookEntity)) >= webhooksMax) throw invalid(`an installation has at most ${webhooksMax} webhooks`);
        await m.insert(WebhookEntity, row);
        await m.insert(AuditEntryEntity, auditRow(actor, webhookCreatedAction, targetOf(id), 'success', { name: row.name, host: hostOf(row.url), generatedSecret: body.secret === undefined }));
        return this.row(m, id, true);
      });
      this.dispatcher.apply(id, targetOfRow(saved));
      return { ...webhookView(saved), secret };
    });
  }

  /** @throws DomainError not-found, webhook-invalid, webhook-name-taken, webhook-version-conflict, precondition-failed */
  async update(id: string, patch: WebhookUpdate, ifMatch: string | undefined, actor: Actor): Promise<WebhookView> {
    return this.audited(webhookChangedAction, id, actor, async () => {
      const source = this.db.dataSource;
      const saved = await source.transaction(async (m) => {
        const row = await this.row(m, id);
        checkIfMatch(ifMatch, webhookEtagOf(row.version));
        if (patch.version !== undefined && patch.version !== row.version) throw problem('webhook-version-conflict', `the webhook is at version ${row.version}, not ${patch.version}: read it again and reapply the change`, { version: row.version });
        const { version: _version, enabled, ...plain } = patch;
        const columns: Partial<WebhookRow> = Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined));
        if (enabled !== undefined) columns.enabled = enabled ? 1 : 0;
        const changed = Object.keys(columns).filter((k) => JSON.stringify(columns[k as keyof WebhookRow]) !== JSON.stringify(row[k as keyof WebhookRow])).sort();
        if (changed.length === 0) return row;
        await this.check(m, columns.url ?? row.url, columns.clusterId === undefined ? row.clusterId : columns.clusterId);
        const result = await m.update(WebhookEntity, { id, version: row.version }, columns);
        if (result.affected !== 1) throw problem('webhook-version-conflict', 'the webhook changed meanwhile: read it again and reapply the change');
        const next = await this.row(m, id);
        await m.insert(AuditEntryEntity, auditRow(actor, webhookChangedAction, targetOf(id), 'success', { fromVersion: row.version, toVersion: next.version, changed }));
        return next;
      });
      await this.refresh(id);
      return webhookView(saved);
    });
  }

  /** Deletes a webhook and its delivery log; what waits for it is not sent. @throws DomainError not-found, precondition-failed */
  async delete(id: string, ifMatch: string | undefined, actor: Actor): Promise<void> {
    await this.audited(webhookDeletedAction, id, actor, async () => {
      await this.db.dataSource.transaction(async (m) => {
        const row = await this.row(m, id);
        checkIfMatch(ifMatch, webhookEtagOf(row.version));
        await m.delete(WebhookDeliveryEntity, { webhookId: id });
        await m.delete(WebhookEntity, { id });
        await m.insert(AuditEntryEntity, auditRow(actor, webhookDeletedAction, targetOf(id), 'success', { name: row.name }));
      });
      this.dispatcher.apply(id, null);
    });
  }

  /** A new generated secret, in effect at once (deliveries waiting for a retry are signed with it). */
  async rotateSecret(id: string, actor: Actor): Promise<WebhookWithSecret> {
    return this.audited(webhookSecretRotatedAction, id, actor, async () => {
      const secret = generateWebhookSecret();
      const saved = await this.db.dataSource.transaction(async (m) => {
        const row = await this.row(m, id);
        const result = await m.update(WebhookEntity, { id, version: row.version }, { secret });
        if (result.affected !== 1) throw problem('webhook-version-conflict', 'the webhook changed meanwhile: try again');
        const next = await this.row(m, id, true);
        await m.insert(AuditEntryEntity, auditRow(actor, webhookSecretRotatedAction, targetOf(id), 'success', { fromVersion: row.version, toVersion: next.version }));
        return next;
      });
      this.dispatcher.apply(id, targetOfRow(saved));
      return { ...webhookView(saved), secret };
    });
  }

  /** The newest attempts first, at most `limit`. @throws DomainError not-found */
  async deliveries(id: string, limit: number): Promise<WebhookDeliveryView[]> {
    const source = this.db.dataSource;
    await this.row(source.manager, id);
    const rows = await source.getRepository(WebhookDeliveryEntity).find({ where: { webhookId: id }, order: { time: 'DESC', id: 'DESC' }, take: Math.min(Math.max(1, limit), deliveriesKeptMax) });
    return rows.map((r) => ({ id: r.id, eventId: r.eventId, eventKind: r.eventKind, attempt: r.attempt, time: iso(r.time), outcome: r.outcome, httpStatus: r.httpStatus, error: r.error, durationMs: r.durationMs }));
  }

  /**
   * Sends a `webhook.test` event now, enabled or not, outside the queue and without retries;
   * answers what the receiver said (a failure is an answer, not an error). Logged and audited.
   */
  async test(id: string, actor: Actor): Promise<WebhookTestResult> {
    const source = this.db.dataSource;
    const target = targetOfRow(await this.row(source.manager, id, true));
    const event = { id: randomUUID(), kind: 'webhook.test', severity: 'info' as const, time: new Date(), clusterId: null, nodeId: null, message: `twinrec test of webhook ${target.name}`, data: {} };
    const outcome = await this.dispatcher.attempt(target, event, 1);
    await source
      .getRepository(AuditEntryEntity)
      .insert(auditRow(actor, webhookTestAction, targetOf(id), outcome.ok ? 'success' : 'failure', { eventId: event.id, httpStatus: outcome.httpStatus, ...(outcome.ok ? {} : { error: outcome.error }) }))
      .catch((err: unknown) => this.log.warn({ err: describe(err) }, 'webhook test not audited'));
    return { eventId: event.id, outcome: outcome.ok ? 'delivered' : 'failed', httpStatus: outcome.httpStatus, error: outcome.ok ? null : outcome.error, durationMs: outcome.durationMs };
  }

  /** Writes a delivery-log row and keeps the newest deliveriesKeptMax of the webhook (the dispatcher's `record`). */
  async record(row: WebhookDeliveryRow): Promise<void> {
    const repo = this.db.dataSource.getRepository(WebhookDeliveryEntity);
    await repo.insert(row);
    const oldestKept = await repo.find({ select: { id: true, time: true }, where: { webhookId: row.webhookId }, order: { time: 'DESC', id: 'DESC' }, skip: deliveriesKeptMax - 1, take: 1 });
    const cut = oldestKept[0];
    if (cut !== undefined) await repo.delete({ webhookId: row.webhookId, time: LessThan(cut.time) });
  }

  private async row(m: EntityManager, id: string, secret = false): Promise<WebhookRow> {
    const row = await m.findOne(WebhookEntity, secret ? { where: { id }, select: withSecret } : { where: { id } });
    if (row === null) throw notFound('webhook', id);
    return row;
  }

  /** Reloads one webhook into the dispatcher (after a change that did not return its secret). */
  private async refresh(id: string): Promise<void> {
    const row = await this.db.dataSource.getRepository(WebhookEntity).findOne({ where: { id }, select: withSecret });
    this.dispatcher.apply(id, row === null ? null : targetOfRow(row));
  }

  private async check(m: EntityManager, url: string, clusterId: string | null): Promise<void> {
    const issue = webhookUrlIssue(url);
    if (issue !== null) throw invalid(`url: ${issue}`, { errors: [{ path: '/body/url', message: issue }] });
    if (clusterId !== null && (await m.findOneBy(ClusterEntity, { id: clusterId })) === null) throw invalid(`clusterId: no cluster ${clusterId}`, { errors: [{ path: '/body/clusterId', message: 'no such cluster' }] });
  }

  /** Runs a change; a refused one is audited as a failure (outside the failed transaction), and a taken name becomes webhook-name-taken. */
  private async audited<T>(action: string, id: string | null, actor: Actor, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      const refused = isUniqueViolation(err) ? problem('webhook-name-taken', 'a webhook with this name already exists') : err;
      if (refused instanceof DomainError) {
        await this.db.dataSource
          .getRepository(AuditEntryEntity)
          .insert(auditRow(actor, action, targetOf(id ?? 'new'), 'failure', { type: refused.type }))
          .catch(() => {});
      }
      throw refused;
    }
  }
}

/** The URL's host, for the audit log: never the path or query, which may hold a receiver's token. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
