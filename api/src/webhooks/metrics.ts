// Prometheus metrics of the webhooks, on the controller's registry (api/src/http/metrics.ts).
// Labels are bounded: three outcomes; no webhook id or URL (those are in the delivery log).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface WebhookMetrics {
  readonly deliveries: Counter<'outcome'>;
  readonly queueDepth: Gauge;
  readonly deliverySeconds: Histogram;
}

export function createWebhookMetrics(registry: Registry): WebhookMetrics {
  return {
    deliveries: new Counter({ name: 'twinrec_webhook_deliveries_total', help: 'Webhook delivery attempts by outcome: delivered (2xx), failed (retried), dropped (given up)', labelNames: ['outcome'] as const, registers: [registry] }),
    queueDepth: new Gauge({ name: 'twinrec_webhook_queue_depth', help: 'Webhook deliveries waiting: queued, waiting for a retry, or in flight', registers: [registry] }),
    deliverySeconds: new Histogram({ name: 'twinrec_webhook_delivery_seconds', help: 'How long one webhook attempt took, answered or not', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [registry] }),
  };
}
