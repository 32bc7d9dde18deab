// Prometheus counters of the generic events, on the controller's registry (api/src/http/metrics.ts).
// Labels are bounded: the five kinds, the four failure reasons, four drop reasons.
import { Counter, Gauge, type Registry } from 'prom-client';

export interface GenericEventMetrics {
  readonly sent: Counter<'kind'>;
  readonly failed: Counter<'kind' | 'reason'>;
  readonly dropped: Counter<'kind' | 'reason'>;
  readonly queued: Gauge;
}

export function createGenericEventMetrics(registry: Registry): GenericEventMetrics {
  return {
    sent: new Counter({ name: 'twinrec_xprotect_generic_events_sent_total', help: "Generic events the Event Server took (its echo said so)", labelNames: ['kind'] as const, registers: [registry] }),
    failed: new Counter({ name: 'twinrec_xprotect_generic_event_attempts_failed_total', help: 'Attempts to send a generic event that failed, by reason (no-access, unreachable, timeout, bad-echo)', labelNames: ['kind', 'reason'] as const, registers: [registry] }),
    dropped: new Counter({ name: 'twinrec_xprotect_generic_events_dropped_total', help: 'Generic events given up: queue-full (the oldest waiting one made room), retries-exhausted, disabled (waiting when generic events were turned off), or lease-lost (waiting when this controller lost the generic-events lease to another)', labelNames: ['kind', 'reason'] as const, registers: [registry] }),
    queued: new Gauge({ name: 'twinrec_xprotect_generic_events_queued', help: 'Generic events waiting to be sent', registers: [registry] }),
  };
}
