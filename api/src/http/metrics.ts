// Prometheus metrics for one controller: HTTP request counts and latencies by route
// template (never by raw path, which would let clients create unbounded label values),
// database health, and the process defaults.
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ControllerMetrics {
  readonly registry: Registry;
  readonly middleware: RequestHandler;
  readonly dbUp: Gauge;
  readonly dbMigrationsPending: Gauge;
}

export function createMetrics(): ControllerMetrics {
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
