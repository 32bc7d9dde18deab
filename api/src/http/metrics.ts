// Prometheus metrics for one controller: HTTP request counts and latencies by route
// template (never by raw path, which would let clients create unbounded label values),
// database health, the process defaults, and each node's backfill as its agent last reported
// it (labels: the cluster's and the node's ids and the node's name, bounded by the node status
// cache; read at scrape time, so a node whose report no longer carries a status drops out).
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BackfillStatus } from '../../../contracts/controller-v1.js';
import type { NodeStatusCache } from '../domain/node-status.js';

export interface ControllerMetrics {
  readonly registry: Registry;
  readonly middleware: RequestHandler;
  readonly dbUp: Gauge;
  readonly dbMigrationsPending: Gauge;
}

/** What the metrics read besides the requests. */
export interface MetricSources {
  /** The agents' last reports: the backfill gauges. */
  readonly statuses?: NodeStatusCache;
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
  if (sources.statuses !== undefined) registerBackfillGauges(registry, sources.statuses);

  const middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.route?.path !== undefined ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
  return { registry, middleware, dbUp, dbMigrationsPending };
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
