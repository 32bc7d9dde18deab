// The controller's generic events for XProtect's Event Server, put together: settings service,
// notifier on the event bus, TCP sender, metrics. server.ts starts it; see README.md here.
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Database } from '../db/database.js';
import { ClusterEntity, NodeEntity } from '../db/entities/index.js';
import type { DataMissingTracker } from '../domain/data-missing.js';
import { refreshingJob, type LeasedJob } from '../domain/controller-leases.js';
import type { EventBus } from '../domain/event-bus.js';
import type { NodeStatusCache } from '../domain/node-status.js';
import { createGenericEventMetrics } from './metrics.js';
import { GenericEventNotifier, type NameLookup } from './notifier.js';
import { sendGenericEvent, type GenericEventSend } from './sender.js';
import { GenericEventService } from './service.js';

export { GenericEventService } from './service.js';

export interface GenericEventsWiring {
  readonly db: Database;
  readonly bus: EventBus;
  readonly statuses: NodeStatusCache;
  readonly dataMissing: DataMissingTracker;
  readonly registry: Registry;
  readonly log: Logger;
  /** How events go out: sender.ts's TCP sender (vms.bridge native, the default) or bridge-sender.ts's (edge). */
  readonly send?: GenericEventSend;
}

export interface GenericEvents {
  readonly service: GenericEventService;
  /** Sending runs only while this controller holds the `generic-events` lease: the lease runner starts and stops it. */
  readonly lease: LeasedJob;
  /** Stops listening and retrying. */
  close(): void;
}

/** The names in a message: the cluster's and its nodes', from the database. */
export function databaseNames(db: Database): NameLookup {
  return async (clusterId) => {
    const source = db.dataSource;
    const [cluster, nodes] = await Promise.all([source.getRepository(ClusterEntity).findOneBy({ id: clusterId }), source.getRepository(NodeEntity).find({ where: { clusterId } })]);
    return { cluster: cluster?.name ?? clusterId, nodes: new Map(nodes.map((n) => [n.id, n.name])) };
  };
}

/** How often the lease holder reads the settings again, for changes made through another controller. */
export const genericEventSettingsRefreshMs = 5_000;

/**
 * Loads the stored settings (now, or once the database answers); listens on the bus only while
 * the `generic-events` lease is held (`lease`), so that of several controllers one sends each event.
 */
export function startGenericEvents(w: GenericEventsWiring): GenericEvents {
  const send = w.send ?? sendGenericEvent;
  const notifier = new GenericEventNotifier({ bus: w.bus, statuses: w.statuses, dataMissing: w.dataMissing, names: databaseNames(w.db), send, metrics: createGenericEventMetrics(w.registry), log: w.log });
  const service = new GenericEventService(w.db, notifier, send, w.log);
  void service.load();
  const lease = refreshingJob('generic-events', { start: () => notifier.start(), standDown: (reason) => notifier.standDown(reason), refresh: () => service.refresh(), refreshMs: genericEventSettingsRefreshMs });
  return {
    service,
    lease,
    close: () => {
      lease.stop();
      service.close();
      notifier.stop();
    },
  };
}
