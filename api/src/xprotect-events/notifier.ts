// The imperative shell of the generic events: listens to the event bus (events as they are
// stored) and to the clusters' data-missing verdicts, turns what matters into messages
// (message.ts) and sends them one at a time to the Event Server (sender.ts), retrying with
// backoff (../domain/delivery-queue.ts). It runs beside the agent link and never in its way: the bus
// hands it rows synchronously and it only queues them, so an Event Server that is down, slow
// or refusing delays nothing but its own queue. Agents fail over without the controller anyway.
import type { Logger } from 'pino';
import type { EventRow } from '../db/entities/index.js';
import type { DataMissingTracker } from '../domain/data-missing.js';
import type { EventBus } from '../domain/event-bus.js';
import type { NodeStatusCache } from '../domain/node-status.js';
import { DeliveryQueue, deliveryAttemptsMax, deliveryQueueMax, retryDelayMs } from '../domain/delivery-queue.js';
import { dataMissingOccurrence, occurrenceOf, renderMessage, valuesOf, type GenericEventOccurrence, type OccurrenceNames } from './message.js';
import type { GenericEventMetrics } from './metrics.js';
import type { GenericEventSend, SendOutcome } from './sender.js';
import type { GenericEventKind, GenericEventSettings } from './settings.js';

/** Looks up the cluster's and its nodes' names; the notifier falls back to ids when it fails. */
export type NameLookup = (clusterId: string) => Promise<OccurrenceNames>;

export interface NotifierOptions {
  readonly bus: EventBus;
  readonly statuses: NodeStatusCache;
  readonly dataMissing: DataMissingTracker;
  readonly names: NameLookup;
  readonly send: GenericEventSend;
  readonly metrics: GenericEventMetrics;
  readonly log: Logger;
  readonly random?: () => number;
  /** How often the clusters' data-missing verdicts are looked at (ms). */
  readonly dataMissingPollMs?: number;
  readonly queueMax?: number;
  readonly attemptsMax?: number;
  readonly retryDelayMsBase?: number;
  readonly retryDelayMsMax?: number;
}

interface Pending {
  readonly kind: GenericEventKind;
  readonly message: string;
  attempts: number;
}

export interface DeliveryStatus {
  readonly queued: number;
  readonly sent: number;
  readonly dropped: number;
  readonly lastError: string | null;
  readonly lastSentAt: string | null;
}

/** Events being named (looked up) at once, at most; beyond it new ones are dropped and counted. */
const preparingMax = 64;
/** Clusters whose data-missing verdict is remembered (edge detection), at most. */
const clustersWatchedMax = 10_000;

export class GenericEventNotifier {
  private settings: GenericEventSettings | null = null;
  private readonly queue: DeliveryQueue<Pending>;
  private unsubscribe: (() => void) | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private draining = false;
  private stopped = false;
  private preparing = 0;
  private sent = 0;
  private dropped = 0;
  private lastError: string | null = null;
  private lastSentAt: Date | null = null;
  /** Per cluster, whether its data was missing at the last look (absent: not looked at yet). */
  private readonly missingBefore = new Map<string, boolean>();

  constructor(private readonly o: NotifierOptions) {
    this.queue = new DeliveryQueue<Pending>(o.queueMax ?? deliveryQueueMax);
  }

  /** Starts listening; nothing is sent until settings that enable it are applied. */
  start(): void {
    if (this.unsubscribe !== null) return;
    this.stopped = false;
    // The first look is the baseline again: data missing seen while another controller sent the events is not reported twice.
    this.missingBefore.clear();
    this.unsubscribe = this.o.bus.subscribe((row) => this.onEvent(row));
    this.pollTimer = setInterval(() => this.pollDataMissing(), this.o.dataMissingPollMs ?? 1_000);
    this.pollTimer.unref();
  }

  /** Stops listening and retrying; an attempt in flight ends by its own timeout. */
  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.pollTimer !== null) clearInterval(this.pollTimer);
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.pollTimer = null;
    this.retryTimer = null;
  }

  /**
   * Stops sending because this controller lost the `generic-events` lease (controller-leases.ts)
   * or stops: what waits is dropped (counted with reason `lease-lost`, one log line); an attempt
   * in flight ends by its own timeout. The next holder sends what happens from when it takes over.
   */
  standDown(reason: string): void {
    this.stop();
    const dropped = this.queue.clear();
    for (const item of dropped) this.drop(item.kind, 'lease-lost');
    this.o.metrics.queued.set(0);
    if (dropped.length > 0) this.o.log.warn({ dropped: dropped.length, reason }, 'generic events dropped: this controller no longer sends them');
  }

  /** The settings in effect (null before the first load). */
  current(): GenericEventSettings | null {
    return this.settings;
  }

  /** Takes new settings (at start, and after every accepted change). Turning them off forgets what waits. */
  apply(settings: GenericEventSettings): void {
    this.settings = settings;
    if (!settings.enabled) {
      for (const item of this.queue.clear()) this.drop(item.kind, 'disabled');
      this.o.metrics.queued.set(0);
    } else {
      // New settings (another host, a fixed allow list) are tried at once, not after the pending backoff.
      if (this.retryTimer !== null) clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.kick();
    }
  }

  status(): DeliveryStatus {
    return { queued: this.queue.size, sent: this.sent, dropped: this.dropped, lastError: this.lastError, lastSentAt: this.lastSentAt?.toISOString() ?? null };
  }

  /** Called by the bus for each stored event: synchronous and cheap, never throws at the bus. */
  private onEvent(row: EventRow): void {
    const occurrence = this.wanted(occurrenceOf(row));
    if (occurrence !== null) this.prepare(occurrence);
  }

  private wanted(occurrence: GenericEventOccurrence | null): GenericEventOccurrence | null {
    const settings = this.settings;
    if (occurrence === null || settings === null || !settings.enabled || !settings.kinds[occurrence.kind].enabled) return null;
    return occurrence;
  }

  /** Names the occurrence (a database read), renders its message and queues it. */
  private prepare(occurrence: GenericEventOccurrence): void {
    if (this.preparing >= preparingMax) {
      this.drop(occurrence.kind, 'queue-full');
      return;
    }
    this.preparing += 1;
    void this.o
      .names(occurrence.clusterId)
      .catch((err: unknown) => {
        this.o.log.warn({ err: String(err), clusterId: occurrence.clusterId }, 'generic event: names not found; ids are sent instead');
        return { cluster: occurrence.clusterId, nodes: new Map<string, string>() } satisfies OccurrenceNames;
      })
      .then((names) => {
        this.preparing -= 1;
        const settings = this.settings;
        if (this.stopped || settings === null || !settings.enabled) return;
        const message = renderMessage(settings.kinds[occurrence.kind].message, valuesOf(occurrence, names));
        const dropped = this.queue.push({ kind: occurrence.kind, message, attempts: 0 });
        if (dropped !== undefined) this.drop(dropped.kind, 'queue-full');
        this.o.metrics.queued.set(this.queue.size);
        this.kick();
      });
  }

  /** Data missing is a verdict, not an event: a cluster whose verdict turns to missing is reported once per turn. */
  private pollDataMissing(): void {
    const byCluster = new Map<string, string[]>();
    for (const entry of this.o.statuses.all()) {
      const nodes = byCluster.get(entry.clusterId) ?? [];
      nodes.push(entry.nodeId);
      byCluster.set(entry.clusterId, nodes);
    }
    for (const [clusterId, nodeIds] of byCluster) {
      const verdict = this.o.dataMissing.observe(clusterId, nodeIds);
      const before = this.missingBefore.get(clusterId);
      if (before === undefined && this.missingBefore.size >= clustersWatchedMax) continue;
      this.missingBefore.set(clusterId, verdict.missing);
      // The first look is the baseline: a restarted controller does not report what it reported before.
      if (before === false && verdict.missing) {
        const occurrence = this.wanted(dataMissingOccurrence(clusterId, verdict.missingSeconds, new Date()));
        if (occurrence !== null) this.prepare(occurrence);
      }
    }
    for (const clusterId of this.missingBefore.keys()) if (!byCluster.has(clusterId)) this.missingBefore.delete(clusterId);
  }

  private kick(): void {
    if (this.draining || this.retryTimer !== null || this.stopped) return;
    this.draining = true;
    void this.drain().finally(() => {
      this.draining = false;
    });
  }

  /** Sends the queue's head until the queue is empty or an attempt fails (then a retry is timed). */
  private async drain(): Promise<void> {
    for (;;) {
      const settings = this.settings;
      const head = this.queue.peek();
      if (this.stopped || head === undefined || settings === null || !settings.enabled) return;
      const host = settings.eventServer.host;
      const outcome: SendOutcome = host === null ? { ok: false, reason: 'unreachable', detail: 'no Event Server host is set', elapsedMs: 0 } : await this.o.send({ ...settings.eventServer, host }, head.message);
      if (this.queue.peek() !== head) continue; // cleared or overflowed meanwhile
      if (outcome.ok) {
        this.queue.shift();
        this.sent += 1;
        this.lastSentAt = new Date();
        this.lastError = null;
        this.o.metrics.sent.inc({ kind: head.kind });
        if (outcome.statistics !== null && outcome.statistics.matches === 0) this.o.log.warn({ kind: head.kind }, 'generic event sent, but no generic event defined in XProtect matched its text');
        this.o.metrics.queued.set(this.queue.size);
        continue;
      }
      head.attempts += 1;
      this.o.metrics.failed.inc({ kind: head.kind, reason: outcome.reason });
      if (this.lastError !== outcome.detail) this.o.log.warn({ kind: head.kind, reason: outcome.reason, attempt: head.attempts, detail: outcome.detail }, 'generic event not delivered; retrying');
      this.lastError = outcome.detail;
      if (head.attempts >= (this.o.attemptsMax ?? deliveryAttemptsMax)) {
        this.queue.shift();
        this.drop(head.kind, 'retries-exhausted');
        this.o.log.error({ kind: head.kind, attempts: head.attempts, detail: outcome.detail }, 'generic event given up after its last retry');
        this.o.metrics.queued.set(this.queue.size);
        continue;
      }
      const delayMs = retryDelayMs(head.attempts, this.o.random ?? Math.random, this.o.retryDelayMsBase, this.o.retryDelayMsMax);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.kick();
      }, delayMs);
      this.retryTimer.unref();
      return;
    }
  }

  private drop(kind: GenericEventKind, reason: 'queue-full' | 'retries-exhausted' | 'disabled' | 'lease-lost'): void {
    this.dropped += 1;
    this.o.metrics.dropped.inc({ kind, reason });
  }
}
