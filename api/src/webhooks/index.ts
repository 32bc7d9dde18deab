// The controller's webhooks, put together: settings service, dispatcher on the event bus, HTTP
// sender, metrics. server.ts starts it; see README.md here.
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { productVersion } from '../../../shared/support/support-data.js';
import type { Database } from '../db/database.js';
import { refreshingJob, type LeasedJob } from '../domain/controller-leases.js';
import type { EventBus } from '../domain/event-bus.js';
import { WebhookDispatcher } from './dispatcher.js';
import { createWebhookMetrics } from './metrics.js';
import type { RetryBounds } from './retry.js';
import { sendWebhook } from './sender.js';
import { databaseNames, WebhookService } from './service.js';

export { WebhookService } from './service.js';

export interface WebhooksWiring {
  readonly db: Database;
  readonly bus: EventBus;
  readonly registry: Registry;
  readonly log: Logger;
  /** Bound on one attempt (webhooks.timeoutMs). */
  readonly timeoutMs: number;
  readonly retry: RetryBounds;
}

export interface Webhooks {
  readonly service: WebhookService;
  /** Delivery runs only while this controller holds the `webhooks` lease: the lease runner starts and stops it. */
  readonly lease: LeasedJob;
  /** Stops listening and retrying. */
  close(): void;
}

/** How often the lease holder reads the webhooks again, for changes made through another controller. */
export const webhooksRefreshMs = 5_000;

/**
 * Loads the stored webhooks (now, or once the database answers); listens on the bus only while
 * the `webhooks` lease is held (`lease`), so that of several controllers one delivers each event.
 */
export function startWebhooks(w: WebhooksWiring): Webhooks {
  let service: WebhookService | null = null;
  const dispatcher = new WebhookDispatcher({
    bus: w.bus,
    send: sendWebhook,
    names: databaseNames(w.db),
    record: (row) => (service === null ? Promise.resolve() : service.record(row)),
    metrics: createWebhookMetrics(w.registry),
    log: w.log,
    userAgent: `twinrec/${productVersion()}`,
    timeoutMs: w.timeoutMs,
    retry: w.retry,
  });
  service = new WebhookService(w.db, dispatcher, w.log);
  void service.load();
  const started = service;
  const lease = refreshingJob('webhooks', { start: () => dispatcher.start(), standDown: (reason) => dispatcher.standDown(reason), refresh: () => started.refreshAll(), refreshMs: webhooksRefreshMs });
  return {
    service: started,
    lease,
    close: () => {
      lease.stop();
      started.close();
      dispatcher.stop();
    },
  };
}
