// The body a webhook receives: one JSON object per event, a stable documented shape
// (README.md here). Pure.
import type { EventSeverity } from '../model/vocabulary.js';

export interface WebhookPayload {
  /** The event's id: the same in every retry (`X-Twinrec-Event-Id`), for receivers to deduplicate. */
  readonly id: string;
  readonly kind: string;
  readonly severity: EventSeverity;
  /** When it happened, ISO 8601 UTC. */
  readonly time: string;
  /** Null for an event of no cluster (`webhook.test`). */
  readonly cluster: { readonly id: string; readonly name: string } | null;
  readonly node: { readonly id: string; readonly name: string } | null;
  readonly message: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly webhook: { readonly id: string };
}

/** A stored event as the payload needs it. */
export interface PayloadEvent {
  readonly id: string;
  readonly kind: string;
  readonly severity: EventSeverity;
  readonly time: Date;
  readonly clusterId: string | null;
  readonly nodeId: string | null;
  readonly message: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The cluster's and its nodes' names; an id stands in for a name that is not known (deleted). */
export interface PayloadNames {
  readonly cluster: string | null;
  readonly nodes: ReadonlyMap<string, string>;
}

/**
 * The payload of `event` for webhook `webhookId`, with names looked up in `names`.
 *
 * @example
 *   webhookPayload({ id: 'e1', kind: 'failover.claiming', severity: 'warning', time, clusterId: 'c1', nodeId: 'n2', message: 'took over', data: { epoch: 3 } }, { cluster: 'Hall', nodes: new Map([['n2', 'rec-b']]) }, 'w1')
 *   // { id: 'e1', kind: 'failover.claiming', …, cluster: { id: 'c1', name: 'Hall' }, node: { id: 'n2', name: 'rec-b' }, webhook: { id: 'w1' } }
 */
export function webhookPayload(event: PayloadEvent, names: PayloadNames, webhookId: string): WebhookPayload {
  return {
    id: event.id,
    kind: event.kind,
    severity: event.severity,
    time: event.time.toISOString(),
    cluster: event.clusterId === null ? null : { id: event.clusterId, name: names.cluster ?? event.clusterId },
    node: event.nodeId === null ? null : { id: event.nodeId, name: names.nodes.get(event.nodeId) ?? event.nodeId },
    message: event.message,
    data: event.data,
    webhook: { id: webhookId },
  };
}

/** The bytes sent: the payload as compact JSON (what the signature covers). */
export function payloadBody(payload: WebhookPayload): string {
  return JSON.stringify(payload);
}
