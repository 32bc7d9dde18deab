// Which stored event goes to which webhook: by kind pattern, minimum severity and cluster. Pure.
import type { EventSeverity } from '../model/vocabulary.js';
import { eventSeverities } from '../model/vocabulary.js';

/** What a webhook wants, as the dispatcher holds it. */
export interface WebhookFilter {
  readonly eventKinds: readonly string[];
  readonly severityMin: EventSeverity;
  /** Null: every cluster. */
  readonly clusterId: string | null;
}

/** The fields of a stored event the filter looks at. */
export interface FilteredEvent {
  readonly kind: string;
  readonly severity: EventSeverity;
  readonly clusterId: string | null;
}

/**
 * Whether `kind` matches one pattern: `*`, the exact kind, or a prefix ending in `.*`
 * (`failover.*` matches `failover.claiming`, not `failover` nor `failovers.x`).
 *
 * @example kindMatches('failover.*', 'failover.claiming') // true
 */
export function kindMatches(pattern: string, kind: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return kind.startsWith(pattern.slice(0, -1));
  return pattern === kind;
}

/** Whether `severity` is at least `min` (`info` < `warning` < `error` < `critical`). */
export function severityAtLeast(severity: EventSeverity, min: EventSeverity): boolean {
  return eventSeverities.indexOf(severity) >= eventSeverities.indexOf(min);
}

/**
 * Whether a webhook wants an event: a kind pattern matches, the severity is high enough, and
 * the cluster is the webhook's (an event without a cluster goes only to webhooks of every cluster).
 *
 * @example
 *   webhookWants({ eventKinds: ['failover.*'], severityMin: 'warning', clusterId: null }, { kind: 'failover.claiming', severity: 'warning', clusterId: 'c1' }) // true
 */
export function webhookWants(filter: WebhookFilter, event: FilteredEvent): boolean {
  if (filter.clusterId !== null && filter.clusterId !== event.clusterId) return false;
  if (!severityAtLeast(event.severity, filter.severityMin)) return false;
  return filter.eventKinds.some((p) => kindMatches(p, event.kind));
}
