import { EntitySchema } from 'typeorm';

/** What one delivery attempt came to: a 2xx answer, a failure to be retried, or given up. */
export type WebhookDeliveryOutcome = 'delivered' | 'failed' | 'dropped';

/**
 * One attempt to deliver an event to a webhook (the delivery log, api/src/webhooks/), or the
 * note that it was given up (`dropped`: every retry failed, or the queue was full). Bounded: the
 * newest attempts per webhook are kept, older ones pruned as new ones are written.
 */
export interface WebhookDeliveryRow {
  id: string;
  webhookId: string;
  eventId: string;
  eventKind: string;
  /** 1 for the first attempt; a `dropped` row repeats the last attempt's number (0: never tried). */
  attempt: number;
  time: Date;
  outcome: WebhookDeliveryOutcome;
  /** The receiver's HTTP status; null when there was no answer (refused, timeout). */
  httpStatus: number | null;
  /** Why it failed, at most 512 characters; null when delivered. */
  error: string | null;
  durationMs: number;
}

export const WebhookDeliveryEntity = new EntitySchema<WebhookDeliveryRow>({
  name: 'WebhookDelivery',
  tableName: 'webhook_delivery',
  columns: {
    id: { type: String, length: 36, primary: true },
    webhookId: { type: String, length: 36, name: 'webhook_id' },
    eventId: { type: String, length: 36, name: 'event_id' },
    eventKind: { type: String, length: 64, name: 'event_kind' },
    attempt: { type: 'int' },
    time: { type: Date },
    outcome: { type: String, length: 16 },
    httpStatus: { type: 'int', nullable: true, name: 'http_status' },
    error: { type: String, length: 512, nullable: true },
    durationMs: { type: 'int', name: 'duration_ms' },
  },
  indices: [{ name: 'IDX_webhook_delivery_webhook_time', columns: ['webhookId', 'time'] }],
});
