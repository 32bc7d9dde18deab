// Liveness, readiness and metrics: what an orchestrator or Prometheus polls.
import { Router } from 'express';
import type { Database } from '../../db/database.js';
import type { Health, Readiness } from '../../model/operations.js';
import type { ControllerMetrics } from '../metrics.js';

export function operationsRoutes(db: Database, metrics: ControllerMetrics): Router {
  const router = Router();
  const started = process.hrtime.bigint();

  router.get('/healthz', (_req, res) => {
    const health: Health = { status: 'ok', uptimeSeconds: Number(process.hrtime.bigint() - started) / 1e9 };
    res.json(health);
  });

  router.get('/readyz', async (_req, res) => {
    const reachable = await db.probe();
    const state = db.state;
    const error = state.status === 'unavailable' || state.status === 'connecting' ? (state.lastError ?? undefined) : undefined;
    const readiness: Readiness = {
      status: reachable ? 'ready' : 'not-ready',
      database: { dialect: db.dialect, reachable, migrationsPending: db.migrationsPending, ...(error !== undefined ? { error } : {}) },
    };
    res.status(reachable ? 200 : 503).json(readiness);
  });

  router.get('/metrics', async (_req, res) => {
    metrics.dbUp.set(db.state.status === 'ready' ? 1 : 0);
    metrics.dbMigrationsPending.set(db.migrationsPending);
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return router;
}
