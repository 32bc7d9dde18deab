// The webhooks' shell: listens on the event bus (events as they are stored), queues what each
// webhook wants, and POSTs it (sender.ts), a few at a time, retrying with backoff
// (retry.ts), then giving up with a `dropped` log entry and a warning. The bus hands rows over
// synchronously and the listener only filters and queues (no I/O, no await), so a receiver that
// is down, slow or refusing holds up nothing but this queue: not the agent link, not failover.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { WebhookDeliveryRow } from '../db/entities/webhook-delivery.js';
import type { EventRow } from '../db/entities/index.js';
import { DeliveryQueue } from '../domain/delivery-queue.js';
import type { EventBus } from '../domain/event-bus.js';
import { webhookWants, type WebhookFilter } from './filter.js';
import type { WebhookMetrics } from './metrics.js';
import { payloadBody, webhookPayload, type PayloadEvent, type PayloadNames } from './payload.js';
import { nextRetryMs, type RetryBounds } from './retry.js';
import { errorText, type WebhookSend, type WebhookSendOutcome } from './sender.js';

/** A webhook as the dispatcher holds it: what it wants and where it goes, its secret included. */
export interface DispatchTarget {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly secret: string;
  readonly enabled: boolean;
  readonly filter: WebhookFilter;
}

export interface DispatcherOptions {
  readonly bus: EventBus;
  readonly send: WebhookSend;
  /** The cluster's and its nodes' names; ids are sent when it fails. */
  readonly names: (clusterId: string) => Promise<PayloadNames>;
  /** Writes one delivery-log row (and prunes old ones); failures are logged, never thrown at the dispatcher. */
  readonly record: (row: WebhookDeliveryRow) => Promise<void>;
  readonly metrics: WebhookMetrics;
  readonly log: Logger;
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly retry: RetryBounds;
  /** Deliveries waiting (queued or waiting for a retry), at most; the oldest queued one is dropped for a new one. */
  readonly queueMax?: number;
  /** Deliveries in flight at once, in all. */
  readonly concurrencyMax?: number;
  readonly random?: () => number;
}

/** Defaults: 512 waiting, 4 in flight. */
export const webhookQueueMax = 512;
export const webhookConcurrencyMax = 4;

interface Job {
  readonly webhookId: string;
  readonly event: PayloadEvent;
  /** Attempts made so far. */
  attempts: number;
}

export class WebhookDispatcher {
  private readonly targets = new Map<string, DispatchTarget>();
  private readonly queue: DeliveryQueue<Job>;
  private readonly retrying = new Map<Job, NodeJS.Timeout>();
  private inFlight = 0;
  /** The last log row's time: each next one is at least 1 ms later, so that "newest first" is one order (a drop follows its last attempt). */
  private lastRowMs = 0;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly o: DispatcherOptions) {
    this.queue = new DeliveryQueue<Job>(o.queueMax ?? webhookQueueMax);
  }

  start(): void {
    if (this.unsubscribe !== null) return;
    this.stopped = false;
    this.unsubscribe = this.o.bus.subscribe((row) => this.onEvent(row));
  }

  /** Stops listening and retrying; attempts in flight end by their own timeout. */
  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const timer of this.retrying.values()) clearTimeout(timer);
    this.retrying.clear();
    this.queue.clear();
    this.gauge();
  }

  /**
   * Stops delivering because this controller lost the `webhooks` lease (controller-leases.ts)
   * or stops: what waits (queued, or waiting for a retry) is dropped, counted as `dropped` and
   * told in one log line, without delivery-log rows (the database may be what is gone). An
   * attempt in flight ends by its own timeout and is not retried. The next holder delivers
   * the events stored from when it takes over.
   */
  standDown(reason: string): void {
    const waiting = this.queue.size + this.retrying.size;
    this.stop();
    if (waiting === 0) return;
    this.o.metrics.deliveries.inc({ outcome: 'dropped' }, waiting);
    this.o.log.warn({ dropped: waiting, reason }, 'webhook deliveries dropped: this controller no longer delivers webhooks');
  }

  /** Takes every webhook (at start): those not listed are forgotten. */
  replaceAll(targets: readonly DispatchTarget[]): void {
    this.targets.clear();
    for (const t of targets) this.targets.set(t.id, t);
  }

  /** Takes one changed webhook at once (null: deleted); what waits for it goes with its new settings. */
  apply(id: string, target: DispatchTarget | null): void {
    if (target === null) this.targets.delete(id);
    else this.targets.set(id, target);
  }

  /** Deliveries waiting or in flight. */
  get depth(): number {
    return this.queue.size + this.retrying.size + this.inFlight;
  }

  /** Called by the bus for each stored event: synchronous and cheap (filters and queues), never throws at the bus. */
  private onEvent(row: EventRow): void {
    if (this.stopped) return;
    for (const target of this.targets.values()) {
      if (!target.enabled || !webhookWants(target.filter, row)) continue;
      this.enqueue({ webhookId: target.id, event: row, attempts: 0 });
    }
  }

  private enqueue(job: Job): void {
    const dropped = this.queue.push(job);
    if (dropped !== undefined) this.drop(dropped, 'the webhook queue was full');
    this.gauge();
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.inFlight < (this.o.concurrencyMax ?? webhookConcurrencyMax)) {
      const job = this.queue.shift();
      if (job === undefined) break;
      this.inFlight += 1;
      void this.deliver(job).finally(() => {
        this.inFlight -= 1;
        this.gauge();
        this.pump();
      });
    }
    this.gauge();
  }

  private async deliver(job: Job): Promise<void> {
    const target = this.targets.get(job.webhookId);
    // Deleted meanwhile: its log went with it.
    if (target === undefined) return;
    if (!target.enabled) {
      this.drop(job, 'the webhook was disabled');
      return;
    }
    job.attempts += 1;
    const outcome = await this.attempt(target, job.event, job.attempts);
    if (outcome.ok || this.stopped) return;
    const waitMs = nextRetryMs(job.attempts, this.o.retry, this.o.random ?? Math.random);
    if (waitMs === null) {
      this.drop(job, outcome.error);
      return;
    }
    if (this.retrying.size >= (this.o.queueMax ?? webhookQueueMax)) {
      this.drop(job, 'too many deliveries waiting for a retry');
      return;
    }
    const timer = setTimeout(() => {
      this.retrying.delete(job);
      this.enqueue(job);
    }, waitMs);
    timer.unref();
    this.retrying.set(job, timer);
  }

  /** One POST of `event` to `target`: counted, timed and logged (a `delivered` or `failed` row). */
  async attempt(target: DispatchTarget, event: PayloadEvent, attempt: number): Promise<WebhookSendOutcome> {
    const names = event.clusterId === null ? { cluster: null, nodes: new Map<string, string>() } : await this.o.names(event.clusterId).catch(() => ({ cluster: null, nodes: new Map<string, string>() }));
    const body = payloadBody(webhookPayload(event, names, target.id));
    const outcome = await this.o.send({ url: target.url, secret: target.secret, body, eventId: event.id, attempt, userAgent: this.o.userAgent, timeoutMs: this.o.timeoutMs });
    this.o.metrics.deliveries.inc({ outcome: outcome.ok ? 'delivered' : 'failed' });
    this.o.metrics.deliverySeconds.observe(outcome.durationMs / 1000);
    this.write({ webhookId: target.id, event, attempt, outcome: outcome.ok ? 'delivered' : 'failed', httpStatus: outcome.httpStatus, error: outcome.ok ? null : outcome.error, durationMs: outcome.durationMs });
    if (!outcome.ok && attempt === 1) this.o.log.info({ webhookId: target.id, webhook: target.name, eventId: event.id, kind: event.kind, httpStatus: outcome.httpStatus, error: outcome.error }, 'webhook delivery failed; retrying');
    return outcome;
  }

  private drop(job: Job, reason: string): void {
    const target = this.targets.get(job.webhookId);
    this.o.metrics.deliveries.inc({ outcome: 'dropped' });
    this.o.log.warn({ webhookId: job.webhookId, webhook: target?.name ?? null, eventId: job.event.id, kind: job.event.kind, attempts: job.attempts, reason }, 'webhook delivery dropped');
    if (target !== undefined) this.write({ webhookId: job.webhookId, event: job.event, attempt: job.attempts, outcome: 'dropped', httpStatus: null, error: reason, durationMs: 0 });
  }

  private write(r: { webhookId: string; event: PayloadEvent; attempt: number; outcome: WebhookDeliveryRow['outcome']; httpStatus: number | null; error: string | null; durationMs: number }): void {
    this.lastRowMs = Math.max(Date.now(), this.lastRowMs + 1);
    const row: WebhookDeliveryRow = { id: randomUUID(), webhookId: r.webhookId, eventId: r.event.id, eventKind: r.event.kind.slice(0, 64), attempt: r.attempt, time: new Date(this.lastRowMs), outcome: r.outcome, httpStatus: r.httpStatus, error: r.error === null ? null : errorText(r.error), durationMs: Math.max(0, Math.round(r.durationMs)) };
    void this.o.record(row).catch((err: unknown) => this.o.log.warn({ err: err instanceof Error ? err.message : String(err), webhookId: r.webhookId }, 'webhook delivery not written to the delivery log'));
  }

  private gauge(): void {
    this.o.metrics.queueDepth.set(this.depth);
  }
}
