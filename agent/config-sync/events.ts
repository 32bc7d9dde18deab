// The events of config sync, in the shape of the decision core's events (agent/core/decide.ts
// `CoreEvent`), so the agent queues both for the controller the same way.

export type ConfigSyncEventKind =
  /** Source: the peer took a version (data: sha256, outcome, changes). */
  | 'config-sync.pushed'
  /** Source: a push failed; once per failure streak, again only when the cause changes. */
  | 'config-sync.push-failed'
  /** Target: this node's file became a clone again after being out of sync. */
  | 'config-sync.in-sync'
  /** Target: a sync waits for this node to stop serving. */
  | 'config-sync.pending'
  /** Target: the operator forced a sync (possibly while serving). */
  | 'config-sync.forced'
  /** Target: stopping the recorder to apply a sync. */
  | 'config-sync.started'
  /** Target: the clone was written and the recorder started again. */
  | 'config-sync.applied'
  /** Target: the sync was not applied, or the recorder did not come back. */
  | 'config-sync.failed'
  /**
   * Target: the primary's file or this node's holds paths no clone rule classifies, so they
   * are not synchronized (data: paths with where each occurs); once per set of paths.
   */
  | 'config-sync.unclassified';

export type ConfigSyncSeverity = 'info' | 'warning' | 'error' | 'critical';

export interface ConfigSyncEvent {
  readonly kind: ConfigSyncEventKind;
  readonly severity: ConfigSyncSeverity;
  /** One line for the operator; never a secret (the library redacts secret values in changes). */
  readonly message: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Where events go: the agent's event queue. Must not throw. */
export type EmitConfigSyncEvent = (event: ConfigSyncEvent) => void;

/**
 * Builds an event.
 *
 * @example
 *   emit(configSyncEvent('config-sync.pending', 'warning', 'waiting for a switch', { sha256 }));
 */
export function configSyncEvent(kind: ConfigSyncEventKind, severity: ConfigSyncSeverity, message: string, data: Readonly<Record<string, unknown>>): ConfigSyncEvent {
  return { kind, severity, message, data };
}
