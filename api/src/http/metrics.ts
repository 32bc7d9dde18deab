// Prometheus metrics for one controller: HTTP request counts and latencies by route
// template (never by raw path, which would let clients create unbounded label values),
// database health, the process defaults, and each node's backfill as its agent last reported
// it (labels: the cluster's and the node's ids and the node's name, bounded by the node status
// cache; read at scrape time, so a node whose report no longer carries a status drops out).
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BackfillStatus } from '../../../contracts/controller-v1.js';
import type { EventBus } from '../domain/event-bus.js';
import type { NodeStatusCache } from '../domain/node-status.js';
import type { StatusShareWriteCounts } from '../domain/status-share.js';

export interface ControllerMetrics {
  readonly registry: Registry;
  readonly middleware: RequestHandler;
  /** Counts and times one answered request, as the middleware does (for a request answered without express). */
  readonly observe: (method: string, route: string, status: number, seconds: number) => void;
  readonly dbUp: Gauge;
  readonly dbMigrationsPending: Gauge;
}

/** What the metrics read besides the requests. */
export interface MetricSources {
  /** The agents' last reports: the backfill gauges and who serves. */
  readonly statuses?: NodeStatusCache;
  /** Events as they are stored: failovers, failbacks and their detection times. */
  readonly events?: EventBus;
  /** This controller's writes to node_status_share; null while (or where, on SQLite) nothing is shared. */
  readonly statusShareWrites?: () => StatusShareWriteCounts | null;
}

export function createMetrics(sources: MetricSources = {}): ControllerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'twinrec_' });
  const requests = new Counter({ name: 'twinrec_http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'] as const, registers: [registry] });
  const duration = new Histogram({
    name: 'twinrec_http_request_duration_seconds',
    help: 'Time to answer an HTTP request',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const dbUp = new Gauge({ name: 'twinrec_db_up', help: '1 when the database is reachable and migrated, else 0', registers: [registry] });
  const dbMigrationsPending = new Gauge({ name: 'twinrec_db_migrations_pending', help: 'Migrations not yet applied (-1 while unknown)', registers: [registry] });
  dbUp.set(0);
  dbMigrationsPending.set(-1);
  if (sources.statuses !== undefined) {
    registerBackfillGauges(registry, sources.statuses);
    registerServingGauge(registry, sources.statuses);
  }
  if (sources.events !== undefined) registerFailoverMetrics(registry, sources.events);
  if (sources.statusShareWrites !== undefined) registerStatusShareCounters(registry, sources.statusShareWrites);

  const observe = (method: string, route: string, status: number, seconds: number): void => {
    const labels = { method, route, status: String(status) };
    requests.inc(labels);
    duration.observe(labels, seconds);
  };
  const middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.route?.path !== undefined ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      observe(req.method, route, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
  return { registry, middleware, observe, dbUp, dbMigrationsPending };
}

const backfillLabels = ['cluster_id', 'node_id', 'node'] as const;

/** Gauges per node, set from the status cache at each scrape. */
function registerBackfillGauges(registry: Registry, statuses: NodeStatusCache): void {
  const gauge = (name: string, help: string, value: (backfill: BackfillStatus) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: backfillLabels,
      registers: [registry],
      collect() {
        this.reset();
        for (const entry of statuses.all()) {
          const backfill = entry.status.backfill;
          if (backfill !== undefined && backfill !== null) this.set({ cluster_id: entry.clusterId, node_id: entry.nodeId, node: entry.status.nodeName }, value(backfill));
        }
      },
    });
  };
  gauge('twinrec_backfill_missing_seconds', "Camera-seconds a node lacks of what its peer holds, within its retention (its agent's gap audit)", (b) => b.missingSeconds);
  gauge('twinrec_backfill_bytes_copied', "Bytes the node's backfill job has copied", (b) => b.bytesDone);
  gauge('twinrec_backfill_queue_blocks', "Blocks the node's backfill job has still to copy", (b) => Math.max(0, b.blocksTotal - b.blocksDone));
}

/** Node status sharing's writes (several controllers on one database), read at scrape time. */
function registerStatusShareCounters(registry: Registry, counts: () => StatusShareWriteCounts | null): void {
  new Counter({
    name: 'twinrec_status_share_writes_total',
    help: 'Writes of node status to node_status_share for the other controllers: kind status (the whole status) or stamp (only the time of a report whose content did not change)',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      const c = counts();
      this.reset();
      if (c === null) return;
      this.inc({ kind: 'status' }, c.statuses);
      this.inc({ kind: 'stamp' }, c.stamps);
    },
  });
  new Counter({
    name: 'twinrec_status_share_status_bytes_total',
    help: 'Bytes of the whole node statuses written to node_status_share (JSON)',
    registers: [registry],
    collect() {
      const c = counts();
      this.reset();
      if (c !== null) this.inc(c.statusBytes);
    },
  });
}

/** 1 for the node that says it serves, 0 for the others, per node the status cache holds. */
function registerServingGauge(registry: Registry, statuses: NodeStatusCache): void {
  new Gauge({
    name: 'twinrec_node_serving',
    help: 'Whether the node says it holds the Serving role (1) or not (0), from its last report',
    labelNames: backfillLabels,
    registers: [registry],
    collect() {
      this.reset();
      for (const entry of statuses.all()) this.set({ cluster_id: entry.clusterId, node_id: entry.nodeId, node: entry.status.nodeName }, entry.status.serving ? 1 : 0);
    },
  });
}

/** What a stored event says about a change of the Serving role, if anything. */
export function servingChangeOf(kind: string, data: Readonly<Record<string, unknown>>): { readonly reason: string; readonly detectionMs: number | null } | null {
  const detectionMs = typeof data.detectionMs === 'number' && Number.isFinite(data.detectionMs) && data.detectionMs >= 0 ? data.detectionMs : null;
  if (kind === 'failover.claiming') return { reason: typeof data.reason === 'string' && /^[a-z-]{1,32}$/.test(data.reason) ? data.reason : 'unknown', detectionMs };
  if (kind === 'failover.local-health') return { reason: 'local-health', detectionMs };
  if (kind === 'failback.started') return { reason: 'failback', detectionMs: null };
  return null;
}

/**
 * Failovers (and failbacks) by cluster and reason, and how long each took to detect, counted as
 * the agents' events are stored. Labels are bounded: reasons are a short fixed vocabulary, and
 * clusters are those that exist.
 */
function registerFailoverMetrics(registry: Registry, events: EventBus): void {
  const changes = new Counter({ name: 'twinrec_failovers_total', help: 'Changes of the Serving role an agent made on its own: reason peer-dead, peer-unhealthy, peer-stopped, peer-not-serving, local-health (handed over) or failback', labelNames: ['cluster_id', 'reason'] as const, registers: [registry] });
  const detection = new Histogram({
    name: 'twinrec_failover_detection_seconds',
    help: "Time from the trouble (the peer's last heartbeat, or the local recorder's first trouble) to the failover decision",
    labelNames: ['reason'] as const,
    buckets: [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30],
    registers: [registry],
  });
  // Only this controller's own events: with several controllers each is scraped, and their sums must count each failover once.
  events.subscribe((row, origin) => {
    if (origin === 'shared') return;
    const change = servingChangeOf(row.kind, row.data);
    if (change === null) return;
    changes.inc({ cluster_id: row.clusterId ?? 'none', reason: change.reason });
    if (change.detectionMs !== null) detection.observe({ reason: change.reason }, change.detectionMs / 1000);
  });
}
